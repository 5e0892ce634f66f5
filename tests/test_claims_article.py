"""The ENE article checked from its raw text alone (../shared/cases/ene/article.txt)."""

from __future__ import annotations

from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest

from fundtrail.claims import TextCheck, check_text


@pytest.fixture(scope="module")
def article(shared_cases: Path) -> TextCheck:
    return check_text((shared_cases / "ene" / "article.txt").read_text(encoding="utf-8"))


def _by(check: TextCheck, relation: str) -> list:
    return [v for v in check.verdicts if v.relation == relation]


def test_article_is_french(article: TextCheck) -> None:
    assert article.lang == "fr"


def test_six_contributions_sum_to_the_stated_total(article: TextCheck) -> None:
    (total,) = _by(article, "sum")
    assert [o.value for o in total.operands] == [
        Decimal(v) for v in ("1437500", "282000", "686000", "350000", "19500", "242000")
    ]
    assert (total.status, total.result, total.stated.value) == (
        "consistent",
        Decimal("3017000"),
        Decimal("3017000"),
    )


def test_own_revenue_is_eight_percent_of_the_total(article: TextCheck) -> None:
    (share,) = _by(article, "share")
    assert share.status == "consistent"
    assert [o.value for o in share.operands] == [Decimal("242000"), Decimal("3017000")]
    assert share.stated.value == Decimal(8)
    assert (share.stated.low, share.stated.high) == (Decimal("7.5"), Decimal("8.5"))
    assert share.result == Decimal(242000) / Decimal(3017000) * 100


def test_public_funding_is_the_total_less_own_revenue(article: TextCheck) -> None:
    (public,) = _by(article, "difference")
    assert [o.value for o in public.operands] == [Decimal("3017000"), Decimal("242000")]
    assert (public.status, public.result) == ("consistent", Decimal("2775000"))


def test_public_funding_growth_is_33_4_percent(article: TextCheck) -> None:
    (growth,) = _by(article, "growth")
    assert [o.value for o in growth.operands] == [Decimal("2079520"), Decimal("2775000")]
    assert (growth.status, growth.stated.value, growth.expected) == (
        "consistent",
        Decimal("33.4"),
        Decimal("33.4"),
    )


def test_budget_growth_is_unverifiable_with_the_prior_it_implies(article: TextCheck) -> None:
    (prior,) = _by(article, "implied-prior")
    assert (prior.status, prior.needs) == ("unverifiable", "claim-needs-prior-value")
    assert prior.stated.value == Decimal("32.8")
    (implied,) = prior.implied
    assert implied.value == Decimal(3017000) / Decimal("1.328")
    assert implied.low == Decimal(3017000) / Decimal("1.3285")
    assert implied.high == Decimal(3017000) / Decimal("1.3275")
    assert "2 271 837,35" in prior.arithmetic("fr").replace("\u202f", " ")


def test_targets_are_set_against_the_firms_helped(article: TextCheck) -> None:
    (targets,) = _by(article, "targets")
    assert [o.value for o in targets.operands] == [200, 150, 50]
    assert targets.result == 400
    (achievement,) = _by(article, "achievement")
    assert [o.value for o in achievement.operands] == [406, 400]
    assert achievement.result == Decimal("101.5")


def test_nothing_in_the_article_is_contradicted(article: TextCheck) -> None:
    assert article.counts() == {
        "consistent": 4,
        "contradicted": 0,
        "unverifiable": 1,
        "reported": 2,
    }


def test_json_keeps_decimals_as_strings(article: TextCheck) -> None:
    data = article.to_json()
    growth = next(v for v in data["verdicts"] if v["relation"] == "growth")
    assert growth["stated"]["interval"] == ["33.35", "33.45"]
    assert growth["operands"][0]["value"] == "2079520"
    assert "2079520" in growth["arithmetic"]


def test_the_case_readme_in_english_wrapped_over_lines(shared_cases: Path) -> None:
    """A text not written for the checker: English, figures wrapped across line breaks."""
    check = check_text((shared_cases / "ene" / "README.md").read_text(encoding="utf-8"))
    assert check.lang == "en"
    found = [(v.relation, v.status, v.result) for v in check.verdicts]
    assert found[:3] == [
        ("growth", "consistent", (D(2775000) - D(2079520)) / D(2079520) * 100),
        ("targets", "reported", D(400)),  # '(200, 150 and 50 firms)': one enumeration
        ("achievement", "reported", D("101.5")),  # '406 firms helped'
    ]
    assert check.counts()["contradicted"] == 0
