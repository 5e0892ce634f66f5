"""Each watchdog signal fires on the rows that cross its threshold, and not below it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from fundtrail.analysis.signals import list_signals
from fundtrail.link.build import build_links
from test_link_fixtures import G, make_store

A = {"beneficiary_name": "Asso A", "beneficiary_siren": "552100554"}
B = {"beneficiary_name": "Asso B", "beneficiary_siren": "732829320"}


def fired(con, rule: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (s["org_id"], s["year"], s["grant_ids"]) for s in list_signals(con) if s["rule"] == rule
    ]


def test_sudden_growth_above_three_times_the_median() -> None:
    con = make_store(
        [
            G(1, **A, year=2019, amount=D("1000")),
            G(2, **A, year=2020, amount=D("2000")),
            G(3, **A, year=2021, amount=D("4600")),  # median of 1000, 2000 is 1500: 3x = 4500
            G(4, **B, year=2019, amount=D("1000")),
            G(5, **B, year=2020, amount=D("3000")),  # exactly 3x: not above
        ]
    )
    build_links(con)
    assert fired(con, "signal-sudden-growth") == [("FR-RCS-552100554", 2021, ["1-1-3"])]


def test_dependence_over_80_percent_with_two_funders() -> None:
    other = {"funder_name": "Région X", "funder_siren": "237500079"}
    con = make_store(
        [
            G(1, **A, amount=D("8100")),
            G(2, **A, amount=D("1900"), **other),  # 81 % from the city
            G(3, **B, amount=D("8000")),
            G(4, **B, amount=D("2000"), **other),  # exactly 80 %: not more
        ]
    )
    build_links(con)
    signals = [s for s in list_signals(con) if s["rule"] == "signal-dependence"]
    assert [(s["org_id"], s["funder_org_id"], s["value"]) for s in signals] == [
        ("FR-RCS-552100554", "FR-RCS-217500016", "0.81")
    ]
    assert signals[0]["grant_ids"] == ["1-1-1"]


def test_threshold_splitting_within_90_days() -> None:
    con = make_store(
        [
            G(1, **A, day=date(2022, 1, 10), year=2022, amount=D("15000"), purpose="x"),
            G(2, **A, day=date(2022, 3, 1), year=2022, amount=D("12000"), purpose="y"),
            G(3, **B, day=date(2022, 1, 10), year=2022, amount=D("15000"), purpose="x"),
            G(4, **B, day=date(2022, 6, 1), year=2022, amount=D("12000"), purpose="y"),  # > 90 d
        ]
    )
    build_links(con)
    assert fired(con, "signal-threshold-splitting") == [
        ("FR-RCS-552100554", 2022, ["1-1-1", "1-1-2"])
    ]


def test_same_amount_same_day() -> None:
    con = make_store(
        [
            G(1, **A, day=date(2022, 5, 2), amount=D("5000"), purpose="Fonctionnement"),
            G(2, **A, day=date(2022, 5, 2), amount=D("5000"), purpose="Projet été"),
            G(3, **B, day=date(2022, 5, 2), amount=D("5000")),
            G(4, **B, day=date(2022, 5, 3), amount=D("5000")),
        ]
    )
    build_links(con)
    assert fired(con, "signal-same-amount-same-day") == [
        ("FR-RCS-552100554", 2022, ["1-1-1", "1-1-2"])
    ]


def test_unit_error_source_about_100_times_its_peers() -> None:
    grants = [G(i, **A, amount=D("1000"), source=1) for i in range(1, 4)]
    grants += [G(i, **B, amount=D("1200"), source=2) for i in range(1, 4)]
    grants += [G(i, **A, amount=D("100000"), source=3, purpose=f"p{i}") for i in range(1, 4)]
    con = make_store(grants)
    build_links(con)
    signals = [s for s in list_signals(con) if s["rule"] == "signal-unit-error"]
    assert [s["source_ids"] for s in signals] == [[3]]


def test_funder_filter_keeps_only_its_signals() -> None:
    con = make_store(
        [
            G(1, **A, year=2019, amount=D("1000")),
            G(2, **A, year=2020, amount=D("9000")),
        ]
    )
    build_links(con)
    assert len(list_signals(con, "Ville de Testville")) == 1
    assert list_signals(con, "Nobody at all") == []
