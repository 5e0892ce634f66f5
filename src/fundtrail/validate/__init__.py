"""Conformance of published tables to the SCDL schemas (issue 2 §5, the validate command).

- ``fundtrail.validate.conformance.check_table``: one table (header and numbered rows)
  judged as the official validator would, giving a ``ConformanceReport``;
- ``fundtrail.validate.files.check_file``: the same for every table of a file;
- ``fundtrail.validate.schemas``: the transcribed SCDL Table Schemas.

Nothing is re-exported here: ``fundtrail.sources.versions`` reads the schemas, and the
conformance check reads the versions, so this package's import must stay empty.
"""
