"""A workbook's sheets as rows of text, loaded by python-calamine in a child process.

calamine is fast and reads XLSX, XLS and ODS, but it is native code: on damaged input it
was measured to loop forever (an ODS with cut closing tags; a mutated XLS), which no Python
timeout can interrupt in the same process. So the workbook is opened in a child process
(``calamine_child``) that is killed after ``timeout`` seconds and caps its own memory; the
parent receives each sheet's rows already turned into text (``cell_text``). XLSX and ODS
XML is also checked well-formed first, at C speed, which refuses most damage at once.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.parsers import expat

from fundtrail.errors import UnreadableError
from fundtrail.read import calamine_child
from fundtrail.read.archive import BROKEN
from fundtrail.read.calamine_child import cell_text

__all__ = ["Sheet", "cell_text", "check_xml", "load_sheets", "timeout_for"]

# name, rows (None when unreadable), why unreadable
Sheet = tuple[str, list[list[str]] | None, str | None]
_CHILD = str(Path(calamine_child.__file__))


def timeout_for(size: int) -> float:
    """Return the seconds a workbook of ``size`` bytes may take to load (generous)."""
    return 30.0 + 20.0 * size / 1_000_000


def memory_for(size: int) -> int:
    """Return the bytes of address space the loading child may use for ``size`` bytes.

    Measured need: python-calamine plus the text rows take 20 to 40 times the file size;
    the interpreter alone maps ~100 MB.
    """
    return max(2 * 1024**3, 80 * size)


def _read_by_calamine(part: str) -> bool:
    """Return True for the XML parts of a workbook that calamine parses (data, not settings)."""
    if not part.endswith((".xml", ".rels")):
        return False
    return part in ("content.xml", "[Content_Types].xml") or part.startswith(("xl/", "_rels/"))


def check_xml(path: Path, name: str) -> None:
    """Raise UnreadableError unless every data XML part of an XLSX/ODS file is well-formed.

    Sizes were bounded before (``archive.check_workbook``); expat refuses entity bombs.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not _read_by_calamine(info.filename):
                    continue
                parser = expat.ParserCreate()
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except (expat.ExpatError, LookupError) as error:  # LookupError: unknown XML encoding
        raise UnreadableError("spreadsheet-corrupt", f"XML: {error}", path=name) from None
    except BROKEN as error:
        raise UnreadableError("spreadsheet-corrupt", str(error)[:200], path=name) from None


def load_sheets(path: Path, name: str, fmt: str, timeout: float | None = None) -> list[Sheet]:
    """Return every sheet of the workbook at ``path`` as rows of text, in workbook order.

    Raise UnreadableError (``spreadsheet-corrupt``) when the file is damaged, when loading
    takes longer than ``timeout`` seconds (default: ``timeout_for`` its size) or crashes.
    """
    if fmt in ("xlsx", "ods"):
        check_xml(path, name)
    size = path.stat().st_size
    limit = timeout if timeout is not None else timeout_for(size)
    # A fresh interpreter running one small file: no fork (the parent may run threads),
    # no multiprocessing "spawn" (it would re-run the caller's main script); -I keeps the
    # script's folder (this package, with modules named like "encoding") off sys.path.
    try:
        done = subprocess.run(
            [sys.executable, "-I", _CHILD, str(path), str(memory_for(size))],
            capture_output=True,
            env={**os.environ, "RUST_BACKTRACE": "0"},  # a panic need not be symbolised
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableError(
            "spreadsheet-corrupt", f"no answer in {limit:.0f} s", path=name
        ) from None
    try:
        status, payload = pickle.loads(done.stdout)
    except Exception:  # no or partial output: the child crashed (signal, abort)
        detail = f"the reader process stopped ({done.returncode})"
        raise UnreadableError("spreadsheet-corrupt", detail, path=name) from None
    if status != "ok":
        raise UnreadableError("spreadsheet-corrupt", str(payload), path=name)
    sheets: list[Sheet] = payload
    return sheets
