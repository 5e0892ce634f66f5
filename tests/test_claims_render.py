"""Renderings of a text check: the HTML marks each figure and escapes the text."""

from __future__ import annotations

from pathlib import Path

from fundtrail.claims import check_text
from fundtrail.claims.render import render_html, render_text

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def test_html_marks_every_figure_with_its_status() -> None:
    check = check_text((FIXTURES / "wrong_percentage_fr.txt").read_text(encoding="utf-8"))
    page = render_html(check, "fr")
    assert page.count("<mark ") == len(check.figures)
    share = next(v for v in check.verdicts if v.relation == "share")
    assert f'class="figure contradicted" id="{share.ref}"' in page
    assert "http" not in page  # no external resource


def test_html_escapes_the_text() -> None:
    check = check_text("<script>alert(1)</script> A : 10 €\nB : 5 €\nTotal : 15 €")
    page = render_html(check, "en")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_text_rendering_in_both_languages() -> None:
    check = check_text((FIXTURES / "wrong_growth_fr.txt").read_text(encoding="utf-8"))
    assert "[contredit] Évolution" in render_text(check, "fr")
    assert "[contradicted] Growth" in render_text(check, "en")
