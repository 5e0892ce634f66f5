"""The child process that opens a workbook with python-calamine.

``python -I calamine_child.py PATH MEMORY_BYTES``. It imports nothing from fundtrail (it
starts in ~50 ms), caps its own address space at MEMORY_BYTES (a mutated XLS was measured
to allocate without end: the cap turns that into a quick failure), loads
every sheet as text, and writes one pickled ``("ok", sheets)`` or ``("error", why)`` to its
standard output. ``read.workbook`` runs it with a timeout; see there why a child process.
"""

from __future__ import annotations

import datetime as dt
import pickle
import sys

# name, rows (None when unreadable), why unreadable
Sheet = tuple[str, list[list[str]] | None, str | None]


def cell_text(value: object) -> str:
    """Return a spreadsheet cell's value as the text a person sees in the cell.

    Integers without ".0", dates as ISO ``YYYY-MM-DD``, booleans as ``true``/``false``; a
    float with the fewest digits that give back the stored float (``33992.72``): no digit
    is invented (``21860194600000.0`` is ``21860194600000``, as Excel shows it).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def load(path: str) -> tuple[str, object]:
    """Return ("ok", sheets) for the workbook at ``path``, or ("error", why)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(path)
        sheets: list[Sheet] = []
        for sheet_name in book.sheet_names:
            try:
                raw = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            except Exception as error:  # one damaged sheet does not stop the others
                sheets.append((sheet_name, None, str(error)[:160]))
                continue
            except BaseException as error:  # a Rust panic in calamine is a BaseException
                if isinstance(error, KeyboardInterrupt | SystemExit):
                    raise
                sheets.append((sheet_name, None, f"{type(error).__name__}: {str(error)[:160]}"))
                continue
            sheets.append((sheet_name, [[cell_text(v) for v in row] for row in raw], None))
        return "ok", sheets
    except MemoryError:
        return "error", "more memory than allowed"
    except BaseException as error:  # calamine's errors, and its Rust panics (BaseException)
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        return "error", f"{type(error).__name__}: {str(error)[:200]}"


def main() -> None:
    """Cap memory, load the workbook named on the command line, pickle the result out."""
    try:
        import resource

        limit = int(sys.argv[2])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not Linux, or a lower limit already set
        pass
    result = load(sys.argv[1])
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
