"""Killing the process in the middle of an ingest leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fundtrail.ingest import ingest_file
from fundtrail.store import open_store

HEADER = "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant\n"


def _big_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(
                f"Ville X;21860194600010;2019-04-{1 + i % 28:02d};Asso {i % 5000};;"
                f"Objet {i};{1000 + i % 977},50\n"
            )


def _state(db: Path) -> tuple[object, ...]:
    con = open_store(db)
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()
            for t in ("sources", "source_tables", "grants", "quarantine", "issues", "repairs")
        )
    finally:
        con.close()


def test_kill_during_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    small = tmp_path / "small.csv"
    small.write_text(HEADER + "Ville X;21860194600010;2019-04-01;Asso A;;Objet;100\n")
    con = open_store(db)
    assert ingest_file(con, small).status == "ingested"
    con.close()
    before = _state(db)

    big = tmp_path / "big.csv"
    _big_file(big, 600_000)
    code = (
        "import sys; from pathlib import Path; from fundtrail.ingest import ingest_paths; "
        "print('start', flush=True); ingest_paths([Path(sys.argv[1])], db=sys.argv[2])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(big), str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    time.sleep(2.0)
    still_running = proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert still_running, "the ingest finished before it could be killed: make the file bigger"
    assert _state(db) == before
    # And the store still works: the same file ingests completely afterwards.
    con = open_store(db)
    report = ingest_file(con, big)
    con.close()
    assert report.status == "ingested" and report.rows_read == 600_000
