"""Ingest: files into the store, nothing lost (see ``pipeline``)."""

from __future__ import annotations

from fundtrail.ingest.pipeline import IngestOptions, candidate_files, ingest_file, ingest_paths
from fundtrail.ingest.report import FileReport, IngestReport

__all__ = [
    "FileReport",
    "IngestOptions",
    "IngestReport",
    "candidate_files",
    "ingest_file",
    "ingest_paths",
]
