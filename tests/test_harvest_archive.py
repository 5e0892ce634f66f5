"""The content-addressed archive and the JSON-lines manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fundtrail.harvest.archive import Archive
from fundtrail.harvest.manifest import Entry, Manifest


def _entry(run: str, url: str, state: str, sha256: str | None, **values: object) -> Entry:
    return Entry(
        run=run,
        at="2026-01-01T00:00:00+00:00",
        kind="resource",
        state=state,  # type: ignore[arg-type]
        url=url,
        sha256=sha256,
        **values,
    )  # type: ignore[arg-type]


def test_bytes_are_stored_once_under_their_sha256(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a")
    data = b"nomAttribuant;montant\r\nX;1\r\n"
    first = archive.add_bytes(data)
    second = archive.add_bytes(data)
    expected = hashlib.sha256(data).hexdigest()
    assert first == second == expected
    assert archive.path_of(expected) == tmp_path / "a" / expected[:2] / expected[2:4] / expected
    assert archive.path_of(expected).read_bytes() == data
    assert archive.objects() == [expected]
    assert list(archive.tmp.iterdir()) == []


def test_add_file_moves_a_downloaded_file_in(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a")
    part = archive.tmp / "dl-1.part"
    part.write_bytes(b"abc")
    sha = archive.add_file(part)
    assert not part.exists()
    assert archive.verify(sha)


def test_verify_catches_a_file_altered_after_archiving(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a")
    sha = archive.add_bytes(b"original")
    archive.path_of(sha).write_bytes(b"altered")
    assert archive.has(sha)
    assert not archive.verify(sha)
    assert not archive.verify("0" * 64)


def test_path_of_refuses_what_is_not_a_sha256(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Archive(tmp_path).path_of("../../etc/passwd")


def test_manifest_round_trips_entries_and_ignores_a_line_cut_by_a_crash(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    written = [
        _entry("r1", "http://h/a.csv", "kept", "a" * 64, ingest={"status": "ingested"}),
        _entry("r1", "http://h/b.pdf", "refused", None, reason="resource-format-unsupported"),
    ]
    manifest.append(written)
    with manifest.path.open("a", encoding="utf-8") as handle:
        handle.write('{"run": "r2", "at": "2026')
    assert list(manifest.entries()) == written


def test_previous_downloads_gives_the_latest_held_bytes_by_url(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append(
        [
            _entry("r1", "http://h/a.csv", "kept", "a" * 64, etag='"1"'),
            _entry("r2", "http://h/a.csv", "kept", "b" * 64, etag='"2"'),
            _entry("r3", "http://h/a.csv", "failed", None, reason="download-http-error"),
            _entry("r3", "http://h/c.csv", "unchanged", "c" * 64),
        ]
    )
    previous = manifest.previous_downloads()
    assert {url: (e.sha256, e.etag) for url, e in previous.items()} == {
        "http://h/a.csv": ("b" * 64, '"2"'),
        "http://h/c.csv": ("c" * 64, None),
    }


def test_replay_order_keeps_kept_files_once_in_harvest_order(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append(
        [
            _entry("r1", "http://h/b.csv", "kept", "b" * 64),
            _entry("r1", "http://h/a.csv", "kept", "a" * 64),
            _entry("r1", "http://h/a2.csv", "unchanged", "a" * 64, reason="download-same-bytes"),
            _entry("r1", "http://h/x.csv", "failed", "f" * 64, reason="harvest-ingest-error"),
            _entry("r2", "http://h/b.csv", "unchanged", "b" * 64, reason="download-not-modified"),
            _entry("r2", "http://h/c.csv", "kept", "c" * 64),
        ]
    )
    assert [e.sha256 for e in manifest.replay_order()] == ["b" * 64, "a" * 64, "c" * 64]
