"""One published file -> its grant-table candidates and the parts set aside, in file order.

The format is decided from the bytes, never from the name (names lie): a zip holding
``[Content_Types].xml`` is a workbook, one holding ``mimetype`` an OpenDocument, any other
zip an archive; OLE2 bytes are an XLS; ``{`` or ``[`` a JSON document; ``<`` XML (refused);
anything else is read as delimited text.

    >>> for part in read_source(path):          # doctest: +SKIP
    ...     if isinstance(part, Table):
    ...         for record in part.records: ...  # exhaust before asking for the next part

``UnreadableError`` is raised only when the whole file cannot be read; an unreadable member
of an archive is yielded as ``Skipped``.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fundtrail.errors import UnreadableError
from fundtrail.read.archive import BROKEN, Budget, check_workbook, gzip_member, zip_members
from fundtrail.read.delimited import read_delimited
from fundtrail.read.jsonfile import MAX_JSON_BYTES, read_json
from fundtrail.read.model import Skipped, Table
from fundtrail.read.sheet import read_workbook

DEFAULT_MAX_BYTES = 4 * 1024**3  # a 1M-row SCDL CSV is ~400 MB; leave room, stay bounded
MAX_DEPTH = 3  # archive in archive in archive: deeper is refused

_WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".xls": "xls"}


def _kind(path: Path, head: bytes) -> str:
    """Return what the bytes are: xlsx, ods, xls, zip, gzip, json, xml, html, pdf or text."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                    return "ods"
        except BROKEN:
            suffix = path.suffix.lower()
            return _WORKBOOK_SUFFIXES.get(suffix, "zip")
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"%PDF"):
        return "pdf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<"):
        # A portal's error page saved under the data file's name is a common surprise.
        return "html" if re.match(rb"<(!doctype html|html)", text[:15], re.I) else "xml"
    return "text"


def read_source(
    path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Table | Skipped]:
    """Yield every grant-table candidate and every part set aside of the file at ``path``.

    ``name`` is how the file is called in tables and errors (default: the file's name);
    ``max_bytes`` bounds the file's size and the total size its archives may expand to.
    """
    display = name or path.name
    yield from _read(Path(path), display, max_bytes, Budget(max_bytes), 0)


def _read(
    path: Path, name: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Table | Skipped]:
    """Yield the parts of one file (or archive member) at nesting ``depth``."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as error:
        raise UnreadableError("file-unreadable", str(error)[:200], path=name) from None
    if size == 0:
        raise UnreadableError("file-empty", "0 bytes", path=name)
    if size > max_bytes:
        raise UnreadableError("file-too-large", f"{size} bytes > {max_bytes}", path=name)
    kind = _kind(path, head)
    if kind in ("xlsx", "ods", "xls"):
        if kind != "xls":
            check_workbook(path, name, budget)
        yield from read_workbook(path, name, kind)
    elif kind == "json":
        if size > MAX_JSON_BYTES:  # parsed whole: refuse before reading it into memory
            raise UnreadableError("json-too-large", f"{size} bytes", path=name)
        yield read_json(path.read_bytes(), name)
    elif kind in ("zip", "gzip"):
        if depth >= MAX_DEPTH:
            raise UnreadableError("archive-too-deep", f"more than {MAX_DEPTH} levels", path=name)
        yield from _archive(path, name, kind, max_bytes, budget, depth)
    elif kind in ("xml", "html", "pdf"):
        raise UnreadableError("format-unsupported", kind, path=name)
    else:

        def opener() -> BinaryIO:
            return path.open("rb")

        yield from read_delimited(opener, name, path)


def _archive(
    path: Path, name: str, kind: str, max_bytes: int, budget: Budget, depth: int
) -> Iterator[Table | Skipped]:
    """Yield the parts of every member of an archive; an unreadable member is Skipped."""
    with tempfile.TemporaryDirectory(prefix="fundtrail-read-") as folder:
        if kind == "gzip":
            members = iter([gzip_member(path, name, Path(folder), budget)])
        else:
            members = zip_members(path, name, Path(folder), budget)
        for member in members:
            parts = _read(member.path, member.name, max_bytes, budget, depth + 1)
            try:
                first = next(parts, None)
            except UnreadableError as error:
                if error.code in ("archive-bomb", "archive-too-deep"):
                    raise
                yield Skipped(
                    member.name, None, "archive-member-unreadable", f"{error.code}: {error.detail}"
                )
                continue
            if first is not None:
                yield first
                yield from parts
            member.path.unlink(missing_ok=True)
