"""Published formats and how their columns map onto fundtrail's canonical grant fields."""
