"""The public web site and JSON API: every page has a JSON twin and CSV exports.

    >>> app = create_app("fundtrail.duckdb")   # then serve it with uvicorn

See ``fundtrail.web.app`` for the routes' conventions and ``fundtrail serve`` for the CLI.
"""

from __future__ import annotations

from fundtrail.web.app import create_app

__all__ = ["create_app"]
