"""Zip and gzip archives -> their members as files on disk, never expanded beyond bounds.

A member is copied to a private temporary folder in fixed-size chunks, so memory stays
constant whatever the archive claims. Two bounds refuse a decompression bomb before and
while it expands:

- ``Budget``: the total expanded bytes of one source (all members, all nesting levels) never
  exceed the caller's ``max_bytes``;
- a ratio: a member larger than ``RATIO_FLOOR`` may not expand more than ``MAX_RATIO`` times
  its compressed size (real CSV files compress 5 to 30 times; a thousandfold one is a bomb).

Zip headers announce sizes, which are checked first; zipfile itself never gives more bytes
than announced (a lie ends in a CRC or truncation error, which is ``archive-corrupt``).
Gzip announces nothing reliable, so its stream is counted as it is copied.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from fundtrail.errors import UnreadableError

MAX_RATIO = 200
WORKBOOK_RATIO = 500
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024
# What zipfile, gzip and zlib raise on damaged or exotic input (a zip "version 14.7",
# an encrypted member, a truncated stream): all mean the archive cannot be read.
BROKEN = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    gzip.BadGzipFile,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,  # a member name that is not UTF-8, a negative offset
)


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class Budget:
    """Expanded bytes still allowed for one source, shared by all its archives."""

    remaining: int


@dataclass(frozen=True)
class Member:
    """One archive member copied to disk: its display name and where it now is."""

    name: str  # "archive.zip!folder/file.csv"
    path: Path


def _limit(compressed: int, budget: Budget) -> int:
    """Return how many bytes a member of ``compressed`` size may expand to."""
    return min(budget.remaining, max(RATIO_FLOOR, MAX_RATIO * max(compressed, 1)))


def _copy(source: _Readable, target: Path, limit: int, name: str, budget: Budget) -> None:
    """Copy ``source`` to ``target``, refusing it as a bomb once it passes ``limit`` bytes."""
    written = 0
    with target.open("wb") as out:
        while True:
            try:
                chunk = source.read(CHUNK)
            except BROKEN as error:
                raise UnreadableError("archive-corrupt", str(error)[:200], path=name) from None
            if not chunk:
                break
            written += len(chunk)
            if written > limit:
                raise UnreadableError("archive-bomb", f"expands beyond {limit} bytes", path=name)
            out.write(chunk)
    budget.remaining -= written


def _wanted(info: zipfile.ZipInfo) -> bool:
    """Return True for members worth reading (not folders, not system or hidden files)."""
    parts = PurePosixPath(info.filename).parts
    if info.is_dir() or not parts:
        return False
    return not (parts[0] == "__MACOSX" or parts[-1].startswith((".", "~$")))


def check_workbook(path: Path, name: str, budget: Budget) -> None:
    """Refuse a workbook (XLSX, ODS: zip files) whose parts would expand like a bomb.

    Spreadsheet XML compresses better than CSV (sparse rows repeat the same tags), so the
    ratio allowed is ``WORKBOOK_RATIO``; calamine would otherwise expand parts in memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except BROKEN:
        return  # calamine reports the damage as spreadsheet-corrupt
    announced = sum(i.file_size for i in infos)
    if announced > budget.remaining:
        raise UnreadableError("archive-bomb", f"announces {announced} bytes", path=name)
    for info in infos:
        ratio_limit = max(RATIO_FLOOR, WORKBOOK_RATIO * max(info.compress_size, 1))
        if info.file_size > ratio_limit:
            detail = f"{info.filename}: {info.file_size} bytes from {info.compress_size}"
            raise UnreadableError("archive-bomb", detail, path=name)


def zip_members(path: Path, name: str, folder: Path, budget: Budget) -> Iterator[Member]:
    """Yield the members of a zip file copied into ``folder``, in archive order."""
    try:
        archive = zipfile.ZipFile(path)
    except BROKEN as error:
        raise UnreadableError("archive-corrupt", str(error)[:200], path=name) from None
    with archive:
        infos = [i for i in archive.infolist() if _wanted(i)]
        if not infos:
            raise UnreadableError("archive-empty", "no file in the archive", path=name)
        announced = sum(i.file_size for i in infos)
        if announced > budget.remaining:
            raise UnreadableError("archive-bomb", f"announces {announced} bytes", path=name)
        for info in infos:
            if info.file_size > _limit(info.compress_size, budget):
                detail = f"{info.filename}: {info.file_size} bytes from {info.compress_size}"
                raise UnreadableError("archive-bomb", detail, path=name)
        for number, info in enumerate(infos):
            suffix = "".join(PurePosixPath(info.filename).suffixes[-2:])[:20]
            target = folder / f"member-{number}{suffix}"
            member_name = f"{name}!{info.filename}"
            try:
                stream = archive.open(info)
            except BROKEN as error:
                raise UnreadableError("archive-corrupt", str(error)[:200], path=name) from None
            with stream:
                _copy(stream, target, _limit(info.compress_size, budget), member_name, budget)
            yield Member(member_name, target)


def gzip_member(path: Path, name: str, folder: Path, budget: Budget) -> Member:
    """Return the one file a gzip file holds, copied into ``folder``."""
    inner = name[:-3] if name.lower().endswith(".gz") else name + ".data"
    inner = PurePosixPath(inner.split("!")[-1]).name
    target = folder / f"gunzip-{inner[-60:]}"
    with gzip.open(path, "rb") as stream:
        _copy(stream, target, _limit(path.stat().st_size, budget), name, budget)
    return Member(f"{name}!{inner}", target)
