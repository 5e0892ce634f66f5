"""Loading dossiers: the ENE demo, exact amounts, and errors that name line and field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from fundtrail.dossier import (
    DossierFormatError,
    example_path,
    load_dossier,
    parse_dossier,
    schema,
    schema_path,
)
from fundtrail.errors import DossierError

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = """\
format: fundtrail-dossier/1
organisation:
  name: Association témoin
funding_plans:
  - id: p2022
    year: 2022
    lines:
      - id: ville
        source: Ville témoin
        amount: 1437500.10
        kind: cash-grant
        public: true
"""


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(DossierFormatError) as caught:
        parse_dossier(text, "test.yaml")
    return [(p.line, p.field, p.code) for p in caught.value.problems]


def test_the_ene_dossier_loads() -> None:
    dossier = load_dossier(example_path("ene"))
    assert dossier.organisation.former_names == ("Espace Numérique Entreprises",)
    (plan,) = dossier.plans
    assert plan.year is None and plan.year_note  # the article gives no year: the file says so
    assert [(ln.id, ln.amount, ln.kind, ln.public) for ln in plan.lines] == [
        ("region", Decimal(1437500), "cash-grant", True),
        ("metropole", Decimal(282000), "cash-grant", True),
        ("feder", Decimal(686000), "cash-grant", True),
        ("cci-cma", Decimal(350000), "in-kind", True),
        ("pole-metropolitain", Decimal(19500), "cash-grant", True),
        ("ventes", Decimal(242000), "own-revenue", False),
    ]
    sirens = {ln.id: ln.siren for ln in plan.lines if ln.siren}
    assert sirens == {"region": "200053767", "metropole": "200046977"}


def test_the_shipped_copies_are_the_canonical_files() -> None:
    assert (ROOT / "schemas" / "dossier.schema.json").read_text() == schema_path().read_text()
    assert (ROOT / "demo" / "ene" / "ene.dossier.yaml").read_text() == (
        example_path("ene").read_text()
    )


def test_the_schema_is_valid_and_accepts_the_ene_dossier() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    data = yaml.safe_load(example_path("ene").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_path().read_text())).validate(data)


def test_amounts_are_read_as_written_never_through_a_float() -> None:
    (plan,) = parse_dossier(MINIMAL).plans
    assert plan.lines[0].amount == Decimal("1437500.10")


def test_missing_unknown_and_invalid_fields_name_their_lines() -> None:
    text = MINIMAL.replace("  name: Association témoin", "  nom: Association témoin")
    text = text.replace("kind: cash-grant", "kind: cash").replace("year: 2022", "year: 20x")
    assert _problems(text) == [
        (3, "organisation.name", "dossier-field-missing"),
        (3, "organisation.nom", "dossier-field-unknown"),
        (6, "funding_plans[0].year", "dossier-field-invalid"),
        (11, "funding_plans[0].lines[0].kind", "dossier-field-invalid"),
    ]


def test_an_unreadable_amount_names_its_line() -> None:
    assert _problems(MINIMAL.replace("1437500.10", "environ un million")) == [
        (10, "funding_plans[0].lines[0].amount", "dossier-amount-invalid")
    ]


def test_yaml_syntax_errors_name_their_line() -> None:
    assert _problems(MINIMAL + "  - [unclosed\n") == [(14, "", "dossier-yaml-syntax")]


def test_references_must_exist() -> None:
    text = MINIMAL + (
        "statements:\n"
        "  - id: total\n"
        "    kind: amount\n"
        "    of: p2022.totale\n"
        "    value: 100\n"
        "    document: absent\n"
    )
    assert _problems(text) == [
        (16, "statements[0].of", "dossier-reference-unknown"),
        (18, "statements[0].document", "dossier-reference-unknown"),
    ]


def test_ids_must_be_unique() -> None:
    text = MINIMAL + (
        "      - id: ville\n"
        "        source: Ville bis\n"
        "        amount: 1\n"
        "        kind: cash-grant\n"
        "        public: true\n"
    )
    assert _problems(text) == [(13, "funding_plans[0].lines[1].id", "dossier-duplicate-id")]


def test_a_statement_of_each_kind_needs_its_operands() -> None:
    text = MINIMAL + "statements:\n  - id: part\n    kind: share\n    value: 8 %\n"
    assert _problems(text) == [
        (14, "statements[0].part", "dossier-field-missing"),
        (14, "statements[0].whole", "dossier-field-missing"),
    ]


def test_errors_render_in_french_and_english() -> None:
    with pytest.raises(DossierError) as caught:
        parse_dossier(MINIMAL.replace("kind: cash-grant", "kind: cash"), "f.yaml")
    error = caught.value
    assert isinstance(error, DossierFormatError)
    assert error.render("fr").startswith("f.yaml, ligne 11, champ funding_plans[0].lines[0].kind")
    assert error.render("en").startswith("f.yaml, line 11, field funding_plans[0].lines[0].kind")


def test_a_missing_file_and_an_empty_file_are_errors() -> None:
    with pytest.raises(DossierFormatError) as caught:
        load_dossier("/nonexistent/dossier.yaml")
    assert caught.value.problems[0].code == "dossier-unreadable"
    assert _problems("") == [(1, "", "dossier-field-invalid")]


def test_a_date_may_be_a_bare_year_or_an_unquoted_iso_date() -> None:
    text = MINIMAL + (
        "documents:\n"
        "  - {id: a, title: A, kind: article, date: 2018}\n"
        "  - {id: b, title: B, kind: budget, date: 2018-05-14}\n"
        "  - {id: c, title: C, kind: budget, date: 2018-05}\n"
    )
    assert [d.date for d in parse_dossier(text).documents] == ["2018", "2018-05-14", "2018-05"]
    assert _problems(text.replace("date: 2018}", "date: 18}")) == [
        (14, "documents[0].date", "dossier-field-invalid")
    ]
