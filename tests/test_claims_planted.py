"""Texts written for the tests: planted errors are flagged, correct texts are not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fundtrail.claims import check_text

FIXTURES = Path(__file__).parent / "fixtures" / "claims"


def _verdicts(name: str) -> list[tuple[str, str]]:
    check = check_text((FIXTURES / name).read_text(encoding="utf-8"))
    return [(v.relation, v.status) for v in check.verdicts]


@pytest.mark.parametrize(
    "name",
    [
        "correct_fr.txt",
        "correct_en.txt",
        "inline_sum_fr.txt",
        "rounding_fair_fr.txt",
        "rounding_whole_fr.txt",
        "decrease_fr.txt",
    ],
)
def test_correct_texts_have_no_contradiction(name: str) -> None:
    verdicts = _verdicts(name)
    assert verdicts, "the checker found nothing to check"
    assert all(status != "contradicted" for _, status in verdicts)


def test_correct_french_text_checks_every_relation() -> None:
    assert _verdicts("correct_fr.txt") == [
        ("sum", "consistent"),
        ("share", "consistent"),
        ("difference", "consistent"),
        ("difference", "consistent"),
        ("growth", "consistent"),
    ]


def test_correct_english_text_checks_every_relation() -> None:
    assert _verdicts("correct_en.txt") == [
        ("sum", "consistent"),
        ("share", "consistent"),
        ("difference", "consistent"),
        ("difference", "consistent"),
        ("growth", "consistent"),
        ("implied-prior", "unverifiable"),
    ]


def test_wrong_total_is_flagged_with_the_right_sum() -> None:
    check = check_text((FIXTURES / "wrong_total_fr.txt").read_text(encoding="utf-8"))
    total = check.verdicts[0]
    assert (total.relation, total.status) == ("sum", "contradicted")
    assert (total.stated.value, total.expected) == (Decimal(255000), Decimal(250000))


def test_wrong_percentage_is_flagged() -> None:
    check = check_text((FIXTURES / "wrong_percentage_fr.txt").read_text(encoding="utf-8"))
    share = next(v for v in check.verdicts if v.relation == "share")
    assert (share.status, share.stated.value, share.expected) == (
        "contradicted",
        Decimal("23.8"),
        Decimal("21.8"),
    )
    assert [v.status for v in check.verdicts if v.relation != "share"] == ["consistent"] * 4


def test_wrong_growth_is_flagged() -> None:
    check = check_text((FIXTURES / "wrong_growth_fr.txt").read_text(encoding="utf-8"))
    growth = next(v for v in check.verdicts if v.relation == "growth")
    assert (growth.status, growth.expected) == ("contradicted", Decimal("30.3"))


def test_a_truncated_share_is_flagged() -> None:
    # 21.8 % written '21 %' does not round: 21 % stands for [20.5 %, 21.5 %).
    check = check_text((FIXTURES / "generous_rounding_fr.txt").read_text(encoding="utf-8"))
    share = next(v for v in check.verdicts if v.relation == "share")
    assert (share.status, share.expected) == ("contradicted", Decimal(22))


def test_a_rounding_too_generous_is_flagged_and_a_fair_one_is_not() -> None:
    # 1 200 000 -> 1 340 000 is +11.67 %: '11,7 %' and '12 %' hold, '11,8 %' does not.
    generous = check_text((FIXTURES / "rounding_too_generous_fr.txt").read_text("utf-8"))
    assert [(v.status, v.expected) for v in generous.verdicts] == [
        ("contradicted", Decimal("11.7"))
    ]
    assert _verdicts("rounding_fair_fr.txt") == [("growth", "consistent")]
    assert _verdicts("rounding_whole_fr.txt") == [("growth", "consistent")]


def test_wrong_inline_total_is_flagged() -> None:
    assert _verdicts("inline_sum_wrong_fr.txt") == [("sum", "contradicted")]
    assert _verdicts("inline_sum_fr.txt") == [("sum", "consistent")]


def test_a_decrease_is_a_negative_growth() -> None:
    check = check_text((FIXTURES / "decrease_fr.txt").read_text(encoding="utf-8"))
    (growth,) = check.verdicts
    assert (growth.status, growth.result, growth.stated.value) == (
        "consistent",
        Decimal(-10),
        Decimal(-10),
    )


def test_english_errors_are_flagged() -> None:
    statuses = {relation: status for relation, status in _verdicts("wrong_en.txt")}
    assert statuses == {
        "sum": "contradicted",
        "share": "contradicted",
        "difference": "contradicted",  # the public funding no longer fits the wrong total
        "growth": "contradicted",
        "implied-prior": "unverifiable",
    }


def test_a_text_without_relations_gives_no_verdict() -> None:
    check = check_text("Le club compte 120 adhérents et existe depuis 1998.")
    assert check.verdicts == ()
    assert [(f.value, f.unit) for f in check.figures] == [(120, "number"), (1998, "year")]


def test_prose_relations_in_french() -> None:
    # "B contre A (+x %)", "x % du budget total de W", "en hausse de x % par rapport à (A)".
    assert _verdicts("prose_fr.txt") == [
        ("share", "consistent"),
        ("growth", "consistent"),
        ("growth", "consistent"),
    ]
    assert _verdicts("prose_wrong_fr.txt") == [
        ("share", "contradicted"),
        ("growth", "consistent"),
        ("growth", "contradicted"),
    ]


def test_prose_relations_in_english() -> None:
    assert _verdicts("prose_en.txt") == [("share", "consistent"), ("growth", "consistent")]
    assert _verdicts("prose_wrong_en.txt") == [
        ("share", "consistent"),
        ("growth", "contradicted"),
    ]


def test_dates_references_and_phone_numbers_assert_nothing() -> None:
    check = check_text((FIXTURES / "deliberation_fr.txt").read_text(encoding="utf-8"))
    assert check.verdicts == ()
    amounts = [f.value for f in check.figures if f.unit == "EUR"]
    assert amounts == [Decimal(35000), Decimal(412500)]


def test_press_style_budget_and_share() -> None:
    # 'un budget de 245,3 millions d'euros, en hausse de 3,1 %': the prior it implies;
    # 'soit 5 % du budget': the budget named earlier is the whole.
    check = check_text((FIXTURES / "press_fr.txt").read_text(encoding="utf-8"))
    assert [(v.relation, v.status) for v in check.verdicts] == [
        ("share", "consistent"),
        ("implied-prior", "unverifiable"),
    ]
    prior = check.verdicts[1]
    assert prior.result == Decimal(245300000) / Decimal("1.031")
    assert _verdicts("press_en.txt") == [
        ("share", "consistent"),
        ("implied-prior", "unverifiable"),
    ]
    wrong = check_text((FIXTURES / "press_wrong_fr.txt").read_text(encoding="utf-8"))
    assert [(v.status, v.expected) for v in wrong.verdicts if v.relation == "share"] == [
        ("contradicted", Decimal(5))
    ]


def test_subtotals_close_their_list_and_open_the_next() -> None:
    check = check_text((FIXTURES / "subtotals_fr.txt").read_text(encoding="utf-8"))
    assert [(v.subject, v.status, [o.value for o in v.operands]) for v in check.verdicts] == [
        ("Sous-total financements publics", "consistent", [120000, 80000]),
        ("Total", "consistent", [200000, 50000]),
    ]
    # '- 120 000 €' is a bullet, not a negative amount; the label follows the amount.
    assert check.verdicts[0].operands[0].label == "Ville"
    wrong = check_text((FIXTURES / "subtotals_wrong_fr.txt").read_text(encoding="utf-8"))
    assert [(v.status, v.expected) for v in wrong.verdicts] == [
        ("consistent", Decimal(200000)),
        ("contradicted", Decimal(250000)),
    ]


def test_ordinary_numbers_assert_nothing() -> None:
    # Hours, year ranges, head counts, addresses, phone numbers and votes are not relations.
    assert _verdicts("noise_fr.txt") == []


def test_one_funders_public_money_is_not_all_public_money() -> None:
    assert _verdicts("public_named_fr.txt") == [("sum", "consistent"), ("difference", "consistent")]


def test_a_deliberation_budget_with_named_and_instalment_shares() -> None:
    check = check_text((FIXTURES / "deliberation_plan_fr.txt").read_text(encoding="utf-8"))
    assert [(v.relation, v.status, [o.value for o in v.operands]) for v in check.verdicts] == [
        ("sum", "consistent", [180000, 45500]),
        ("sum", "consistent", [50000, 100000, 75500]),
        ("share", "consistent", [50000, 225500]),  # 'la Métropole représente 22,17 % du budget'
        ("share", "consistent", [30000, 50000]),  # '60 % à la signature, soit 30 000 €'
    ]
    wrong = check_text((FIXTURES / "deliberation_plan_wrong_fr.txt").read_text(encoding="utf-8"))
    assert [(v.status, v.expected) for v in wrong.verdicts if v.relation == "share"] == [
        ("contradicted", Decimal("22.17")),
        ("contradicted", Decimal(60)),
    ]
