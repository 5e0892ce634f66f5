"""Conformance of published tables to the SCDL schemas (issue 2 §5, the validate command).

``check_table`` judges one table (header and numbered rows) as the official validator
would; ``check_file`` runs it on every table of a file; ``ConformanceReport`` is the result.
"""

from __future__ import annotations

from fundtrail.validate.conformance import MAX_ISSUES, ConformanceReport, check_table
from fundtrail.validate.files import check_file

__all__ = ["MAX_ISSUES", "ConformanceReport", "check_file", "check_table"]
