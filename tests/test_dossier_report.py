"""The dossier report: HTML escapes every value, embeds its chart, loads nothing from outside."""

from __future__ import annotations

import re

import pytest

from fundtrail.dossier import (
    check_dossier,
    example_path,
    load_dossier,
    parse_dossier,
    render_report,
)
from fundtrail.errors import UsageError

HOSTILE = """\
format: fundtrail-dossier/1
organisation:
  name: "<script>alert('x')</script> & Cie"
documents:
  - {id: doc, title: "<img src=x onerror=alert(1)>", kind: article}
funding_plans:
  - id: p
    year: 2020
    lines:
      - {id: a, source: "<b>Ville</b>", amount: 1000, kind: cash-grant, public: true}
      - {id: b, source: Ventes, amount: 500, kind: own-revenue, public: false}
statements:
  - {id: t, kind: amount, of: p.total, value: "1 600 €", quote: "<i>Total</i>"}
"""


def test_html_escapes_every_value() -> None:
    page = render_report(check_dossier(parse_dossier(HOSTILE, "h.yaml")), "html", "fr")
    for raw in ("<script>", "<img", "<b>Ville", "<i>Total"):
        assert raw not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Ville&lt;/b&gt;" in page
    assert "contredit" in page  # 1 000 + 500 is not 1 600


def test_html_embeds_its_chart_and_loads_nothing_from_outside() -> None:
    page = render_report(check_dossier(load_dossier(example_path("ene"))), "html", "en")
    assert page.count("<svg") == 1 and page.count("<rect") >= 6
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<link" not in page and "<script" not in page
    assert "€3,017,000" in page and "Region" not in page  # names stay as written


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr",
            [
                "Plan de financement",
                "Chiffres annoncés",
                "cohérent",
                "invérifiable",
                "2 271 837,35",
                "101,5",
                "année non indiquée",
            ],
        ),
        (
            "en",
            [
                "Funding plan",
                "Figures the documents state",
                "consistent",
                "unverifiable",
                "€2,271,837.35",
                "101.5%",
                "year not given",
            ],
        ),
    ],
)
def test_markdown_report_in_both_languages(lang: str, words: list[str]) -> None:
    text = render_report(check_dossier(load_dossier(example_path("ene"))), "md", lang)
    text = text.replace("\u202f", " ")
    for word in words:
        assert word in text


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        render_report(check_dossier(load_dossier(example_path("ene"))), "pdf")


def test_the_chart_is_well_formed_svg_with_one_bar_a_line() -> None:
    import xml.etree.ElementTree as ET

    page = render_report(check_dossier(parse_dossier(HOSTILE, "h.yaml")), "html", "fr")
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)  # escaped names keep the SVG well formed
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.get("height") == "22"]
    assert len(bars) == 2
    assert int(bars[0].get("width", "0")) > int(bars[1].get("width", "0"))  # 1 000 > 500
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert "<b>Ville</b>" in labels  # shown as text, never as markup
