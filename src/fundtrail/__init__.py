"""fundtrail."""
