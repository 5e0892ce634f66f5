"""Properties of the claim checker: it never fails on any text, and verdicts are consistent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fundtrail.claims import check_text
from fundtrail.claims.render import render_html, render_text
from fundtrail.dossier import check_dossier, parse_dossier

TOKENS = st.sampled_from(
    [
        "0",
        "0 €",
        "0 %",
        "-100 %",
        "+33,4 %",
        "1 437 500",
        "3 017 000 €",
        "(soit 8%)",
        "soit",
        "Total :",
        "total",
        "\n",
        "\n\n",
        " ",
        "de",
        "à",
        "from",
        "to",
        "contre",
        "objectif",
        "entreprises",
        "financement public",
        "chiffre d'affaires",
        "a progressé de",
        "budget",
        "12/05/2018",
        "2016",
        "€1,200,000",
        "up",
        "%",
        "€",
        "-",
        "+",
        ",",
        ".",
        "•",
        "(",
        ")",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(" ".join))
def test_check_text_never_fails_on_figure_soup(text: str) -> None:
    check = check_text(text)
    render_text(check, "fr")
    render_html(check, "en")
    for verdict in check.verdicts:
        if verdict.status == "consistent":
            assert verdict.stated is not None and verdict.result is not None
            assert verdict.stated.low <= verdict.result < verdict.stated.high
        if verdict.status == "contradicted":
            assert verdict.expected != verdict.stated.value  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_check_text_never_fails_on_any_text(text: str) -> None:
    check = check_text(text)
    check.to_json()
    render_html(check, "fr")


ZERO = """\
format: fundtrail-dossier/1
organisation: {name: Zéro}
funding_plans:
  - id: p
    year: 2020
    lines:
      - {id: a, source: A, amount: 0, kind: cash-grant, public: true}
outcomes:
  - {id: o, metric: m, value: 0}
statements:
  - {id: s, kind: share, part: p.a, whole: p.total, value: 10 %}
  - {id: g, kind: growth, from: 0, to: p.total, value: +5 %}
  - {id: h, kind: growth, to: p.total, value: "-100 %"}
"""


def test_a_dossier_of_zeros_is_unverifiable_not_a_crash() -> None:
    check = check_dossier(parse_dossier(ZERO))
    assert [(s.id, v.status, v.needs) for s, v in check.statements] == [
        ("s", "unverifiable", "claim-zero-base"),
        ("g", "unverifiable", "claim-zero-base"),
        ("h", "unverifiable", "claim-zero-base"),
    ]
    assert check.plans[0].hhi.result == Decimal(0)
    check.to_json()
