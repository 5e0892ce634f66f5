"""Checking dossiers: the ENE figures exactly, verdicts on stated figures, plans over years."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fundtrail.dossier import DossierCheck, check_dossier, example_path, load_dossier, parse_dossier

D = Decimal
TOTAL, PUBLIC = D(3017000), D(2775000)


@pytest.fixture(scope="module")
def ene() -> DossierCheck:
    return check_dossier(load_dossier(example_path("ene")))


def test_ene_totals_and_shares(ene: DossierCheck) -> None:
    (plan,) = ene.plans
    figures = {key: v.result for key, v in plan.figures.items()}
    assert figures == {
        "total": TOTAL,
        "public": PUBLIC,
        "private": D(242000),
        "cash-grant": D(2425000),
        "in-kind": D(350000),
        "own-revenue": D(242000),
        "loan": D(0),
    }
    shares = {key: v.result for key, v in plan.shares.items()}
    assert shares["public"] == PUBLIC / TOTAL * 100
    assert shares["own-revenue"] == D(242000) / TOTAL * 100
    assert shares["in-kind"] == D(350000) / TOTAL * 100
    assert {k: v.result for k, v in plan.line_shares.items()} == {
        "region": D(1437500) / TOTAL * 100,
        "metropole": D(282000) / TOTAL * 100,
        "feder": D(686000) / TOTAL * 100,
        "cci-cma": D(350000) / TOTAL * 100,
        "pole-metropolitain": D(19500) / TOTAL * 100,
        "ventes": D(242000) / TOTAL * 100,
    }


def test_ene_concentration_is_the_sum_of_squared_shares(ene: DossierCheck) -> None:
    (plan,) = ene.plans
    amounts = [D(1437500), D(282000), D(686000), D(350000), D(19500), D(242000)]
    expected = sum(((a / TOTAL * 100) ** 2 for a in amounts), D(0))
    assert plan.hhi.result == expected
    assert round(plan.hhi.result) == 3074


def test_ene_stated_figures_get_their_verdicts(ene: DossierCheck) -> None:
    verdicts = {s.id: (v.relation, v.status, v.result, v.expected) for s, v in ene.statements}
    assert verdicts == {
        "total": ("sum", "consistent", TOTAL, TOTAL),
        "part-chiffre-affaires": ("share", "consistent", D(242000) / TOTAL * 100, D(8)),
        "financement-public": ("sum", "consistent", PUBLIC, PUBLIC),
        "evolution-financement-public": (
            "growth",
            "consistent",
            (PUBLIC - D(2079520)) / D(2079520) * 100,
            D("33.4"),
        ),
        "evolution-budget": ("implied-prior", "unverifiable", TOTAL / D("1.328"), None),
    }
    prior = next(v for s, v in ene.statements if s.id == "evolution-budget")
    assert prior.needs == "claim-needs-prior-value"
    assert (prior.implied[0].low, prior.implied[0].high) == (
        TOTAL / D("1.3285"),
        TOTAL / D("1.3275"),
    )


def test_ene_costs_per_outcome(ene: DossierCheck) -> None:
    costs = {c.subject: c.result for c in ene.costs}
    assert costs["total/entreprises-accompagnees-2018"] == TOTAL / 406
    assert costs["public/entreprises-accompagnees-2018"] == PUBLIC / 406
    assert costs["total/prototypes-2018"] == TOTAL / 56
    assert costs["public/prototypes-2018"] == PUBLIC / 56
    assert costs["public/pmi-usine-numerique-2018"] == PUBLIC / 113


def test_ene_targets_against_outcomes(ene: DossierCheck) -> None:
    assert [(a.relation, [o.value for o in a.operands], a.result) for a in ene.achievements] == [
        ("targets", [200, 150, 50], 400),
        ("achievement", [406, 400], D("101.5")),
    ]


def test_ene_without_a_store_is_not_reconciled(ene: DossierCheck) -> None:
    assert [m.code for m in ene.reconciliation] == ["grant-not-checked"] * 5 + [
        "grant-not-applicable"
    ]


def test_ene_json_is_exact(ene: DossierCheck) -> None:
    data = ene.to_json()
    assert data["plans"][0]["figures"]["public"]["result"] == "2775000"
    assert data["counts"] == {"consistent": 4, "contradicted": 0, "unverifiable": 1}
    statement = next(s for s in data["statements"] if s["id"] == "part-chiffre-affaires")
    assert statement["verdict"]["stated"]["interval"] == ["7.5", "8.5"]


TWO_PLANS = """\
format: fundtrail-dossier/1
organisation: {name: Association témoin}
funding_plans:
  - id: p2021
    year: 2021
    lines:
      - {id: ville, source: Ville, amount: 100000, kind: cash-grant, public: true}
      - {id: ventes, source: Ventes, amount: 20000, kind: own-revenue, public: false}
  - id: p2023
    year: 2023
    lines:
      - {id: ville, source: Ville, amount: 130000, kind: cash-grant, public: true}
      - {id: ventes, source: Ventes, amount: 20000, kind: own-revenue, public: false}
statements:
  - {id: hausse, kind: growth, from: p2021.total, to: p2023.total, value: "+25 %"}
  - {id: hausse-public, kind: growth, from: p2021.public, to: p2023.public, value: "+31 %"}
  - {id: part, kind: share, part: p2023.ventes, whole: p2023.total, value: "13,3 %"}
  - {id: total, kind: amount, of: p2023.total, value: "155 000 €"}
"""


def test_growth_between_plans_and_contradicted_statements() -> None:
    check = check_dossier(parse_dossier(TWO_PLANS))
    growth = {g.subject: g.result for g in check.growths}
    assert growth == {"total": D(25), "public": D(30), "own-revenue": D(0)}
    verdicts = {s.id: (v.status, v.expected) for s, v in check.statements}
    assert verdicts == {
        "hausse": ("consistent", D(25)),
        "hausse-public": ("contradicted", D(30)),  # 130 000 / 100 000: +30 %, not +31 %
        "part": ("consistent", D("13.3")),
        "total": ("contradicted", D(150000)),  # the 2023 lines add up to 150 000
    }
