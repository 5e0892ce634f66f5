"""A content-addressed archive of raw downloaded bytes, named by their sha256.

A file whose sha256 is ``abcd12...`` lives at ``<root>/ab/cd/abcd12...``; writing the same
bytes twice stores them once. Files are written to ``<root>/tmp/`` first and renamed into
place, so that a crash never leaves a half-written file under its final name: whatever is
under a sha256 name has exactly that sha256. The manifest (``manifest.jsonl``) sits at the
root beside the objects, so the folder alone is enough to rebuild a store.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20


def sha256_of_file(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Archive:
    """The archive folder: object files by sha256, a tmp folder and the manifest path."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def tmp(self) -> Path:
        """Return the folder of partial downloads (created on demand)."""
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def manifest_path(self) -> Path:
        """Return the path of the manifest (JSON lines) of this archive."""
        return self.root / "manifest.jsonl"

    def path_of(self, sha256: str) -> Path:
        """Return the path where the bytes of ``sha256`` live (whether or not they do)."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        """Return True when the bytes of ``sha256`` are in the archive."""
        return self.path_of(sha256).is_file()

    def verify(self, sha256: str) -> bool:
        """Return True when the archived file exists and its bytes still hash to ``sha256``."""
        path = self.path_of(sha256)
        return path.is_file() and sha256_of_file(path) == sha256

    def add_file(self, source: Path) -> str:
        """Return the sha256 of ``source`` after moving it into the archive (atomic rename).

        ``source`` must be on the archive's file system (use ``self.tmp``); when the bytes are
        already archived, ``source`` is simply removed.
        """
        sha256 = sha256_of_file(source)
        target = self.path_of(sha256)
        if target.is_file():
            source.unlink()
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        return sha256

    def add_bytes(self, data: bytes) -> str:
        """Return the sha256 of ``data`` after writing it into the archive atomically."""
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="add-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return self.add_file(Path(name))

    def objects(self) -> list[str]:
        """Return the sha256 of every archived file, sorted."""
        found = []
        for path in self.root.glob("??/??/*"):
            if path.is_file() and len(path.name) == 64:
                found.append(path.name)
        return sorted(found)
