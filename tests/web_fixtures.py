"""A store for the web tests, built by the real pipeline, and the real app served on 127.0.0.1.

The store holds the project's own fictional demo files and one hostile file written here:
a beneficiary whose name carries a script, a purpose that a spreadsheet would run as a
formula, an amount published the French way, and a row without amount (quarantined).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import uvicorn

from fundtrail.demo.files import write_demo_files
from fundtrail.ingest import ingest_file
from fundtrail.store import open_store
from fundtrail.web import create_app

SCRIPT_NAME = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">Asso XSS'
FORMULA_PURPOSE = '=HYPERLINK("http://example.invalid","clic")'
HOSTILE_SIREN = "732829320"  # a valid SIREN (Luhn), used only in this test file

HOSTILE_CSV = (
    "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
    "idBeneficiaire;objet;montant;nature;notificationUE\n"
    f"Commune Test (démo);;2023-05-02;D-1;{SCRIPT_NAME.replace(';', ',')};"
    f"{HOSTILE_SIREN}00017;{FORMULA_PURPOSE};1 234,50 €;aide en numéraire;non\n"
    "Commune Test (démo);;2023-06-01;D-2;Société Sans Montant (démo);;Fonctionnement;;"
    "aide en numéraire;non\n"
    "Commune Test (démo);;2024-01-10;D-3;Ékole de Musique de l'Étang (démo);;"
    "+cmd|' /C calc'!A0;5000;aide en numéraire;non\n"
)


def build_store(folder: Path) -> Path:
    """Return the path of a store filled from the demo files and the hostile file."""
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    db = folder / "web.duckdb"
    con = open_store(db)
    try:
        for path in write_demo_files(files):
            ingest_file(con, path)
        hostile = files / "hostile-test.csv"
        hostile.write_text(HOSTILE_CSV, encoding="utf-8")
        ingest_file(con, hostile)
    finally:
        con.close()
    return db


def build_linked_store(folder: Path) -> Path:
    """Return the demo store of ``build_store``, linked (organisations, analysis, serving)."""
    import duckdb

    from fundtrail.link.build import build_links

    db = build_store(folder)
    con = duckdb.connect(str(db))
    try:
        build_links(con)
    finally:
        con.close()
    return db


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 at the time of the call."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(db: Path, app: Any = None) -> Iterator[str]:
    """Serve the real app over ``db`` (or ``app``) with uvicorn in a thread; yield its URL."""
    port = free_port()
    app = create_app(db) if app is None else app
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_HREF = re.compile(r'href="([^"#]+)"')


def crawl(http: httpx.Client, start: list[str], limit: int) -> Counter[int]:
    """Follow the site's own links from ``start`` (breadth first, at most ``limit`` pages).

    Return the count of answers by status; a server error or a broken link fails at once,
    naming the page.
    """
    statuses: Counter[int] = Counter()
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = http.get(path, headers={"accept": "text/html"})
        statuses[response.status_code] += 1
        assert response.status_code < 500, (path, response.text[:300])
        assert response.status_code != 404, f"a link of the site is broken: {path}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert "<script" not in response.text, path
        for href in _HREF.findall(response.text):
            target = urljoin(path, href.replace("&amp;", "&"))
            if not urlsplit(target).netloc and not target.startswith("/static"):
                queue.append(target)
    return statuses
