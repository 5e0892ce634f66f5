"""A damaged dossier file always gives DossierFormatError (line and field), never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fundtrail.dossier import DossierFormatError, example_path, parse_dossier

ENE = example_path("ene").read_text(encoding="utf-8").splitlines(keepends=True)


def _parse(text: str) -> None:
    try:
        parse_dossier(text, "fuzz.yaml")
    except DossierFormatError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.code.startswith("dossier-")
            error.render("en")


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_the_ene_file_with_lines_removed_or_swapped(data: st.DataObject) -> None:
    lines = list(ENE)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            del lines[i]
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    _parse("".join(lines))


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    _parse(text)


def test_deep_nesting_and_odd_values() -> None:
    for text in (
        "[" * 5000,
        "format: !!python/object:os.system x",
        "a: *undefined",
        "format: fundtrail-dossier/1\norganisation: {name: X}\ndocuments:\n"
        "  - {id: d, title: T, kind: article, date: 2018}\n",
    ):
        _parse(text)
