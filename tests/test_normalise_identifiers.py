"""Identifiers: tables of published text -> (OrgId, repairs, issue codes), from the real files."""

from __future__ import annotations

import pytest
from stdnum import luhn

from fundtrail.normalise.identifiers import (
    OrgId,
    is_valid_siren,
    is_valid_siret,
    org_id_text,
    parse_org_id,
    parse_rna,
)

WITHHELD = OrgId(withheld=True)


def codes(text: str, personal: bool = False) -> tuple[object, tuple[str, ...], tuple[str, ...]]:
    """Return (value, repairs, issue codes) of ``parse_org_id(text)``."""
    out = parse_org_id(text, personal=personal)
    return out.value, out.repairs, tuple(code for code, _ in out.issues)


def siret(number: str) -> OrgId:
    """Return the OrgId of a valid SIRET."""
    return OrgId(siret=number, siren=number[:9])


@pytest.mark.parametrize(
    ("text", "value", "repairs", "issues"),
    [
        # Somme 2018 (idBeneficiaire): clean SIRET
        ("32774369600012", siret("32774369600012"), (), ()),
        # Maine-et-Loire conventions (idAttribuant): spaces and a trailing apostrophe
        ("224 900 019 000 15'", siret("22490001900015"), ("identifier-separators-removed",), ()),
        # Maine-et-Loire conventions (idBeneficiaire): grouped by two and three
        ("82 212 742 900 014", siret("82212742900014"), ("identifier-separators-removed",), ()),
        # CODAH (QUIRKS.md): SIREN and NIC apart
        ("247 600 596 00107", siret("24760059600107"), ("identifier-separators-removed",), ()),
        ("247.600.596.00107", siret("24760059600107"), ("identifier-separators-removed",), ()),
        # Poitiers 2017 (COLL_SIRET): float text, last digits zeroed -> SIREN only
        (
            "21860194600000.0",
            OrgId(siren="218601946"),
            ("identifier-float-suffix",),
            ("siret-nic-invalid",),
        ),
        # Paris 2022-2024 (numero_siret): six significant digits, the SIREN itself is cut
        ("84313200000000.0", None, (), ("identifier-destroyed-float",)),
        # ... even when the Luhn check passes by chance (7 of 10 digits zero)
        ("35181600000000", None, (), ("identifier-destroyed-float",)),
        # Toulouse (QUIRKS.md), Maine-et-Loire conventions: scientific notation
        ("2,43E+13", None, (), ("identifier-destroyed-scientific",)),
        ("7.17E+13", None, (), ("identifier-destroyed-scientific",)),
        ("7,86E+13", None, (), ("identifier-destroyed-scientific",)),
        # 13 digits once written out, but starting with 7: a SIRET, not a NIR
        ("7,22009E+12", None, (), ("identifier-destroyed-scientific",)),
        # Nièvre (COLL_SIRET), Paris IncorrectSiret: a SIREN where a SIRET was expected
        ("225800010", OrgId(siren="225800010"), (), ("siren-instead-of-siret",)),
        ("786137271", None, (), ("siren-invalid",)),
        # Aude (QUIRKS.md): 13 digits after a lost zero, and the zeroed tail fails the check
        ("3805449320029.0", None, (), ("siret-invalid",)),
        # a lost leading zero the check digits confirm (SIREN 054206578, computed)
        ("5420657800012", siret("05420657800012"), ("siret-leading-zero-restored",), ()),
        (
            "54206578",
            OrgId(siren="054206578"),
            ("siren-leading-zero-restored",),
            ("siren-instead-of-siret",),
        ),
        # a lost zero and a zeroed NIC (found by Hypothesis): the SIREN only
        (
            "6192449400000",
            OrgId(siren="061924494"),
            ("siret-leading-zero-restored",),
            ("siret-nic-invalid",),
        ),
        # Montpellier 2019 (SIRET): 14 digits failing both checks
        ("40475123456789", None, (), ("siret-invalid",)),
        # a valid SIREN with a wrong NIC
        ("32774369600013", OrgId(siren="327743696"), (), ("siret-nic-invalid",)),
        # La Poste establishments: sum of digits a multiple of 5, Luhn not used
        ("35600000049837", siret("35600000049837"), (), ()),
        # RNA numbers in an identifier column
        ("W751234567", OrgId(rna="W751234567"), (), ()),
        ("w 751 234 567", OrgId(rna="W751234567"), ("rna-normalised",), ()),
        # zeros pass the Luhn check but name nobody
        ("000000000", None, (), ("siren-invalid",)),
        ("0000000000000", None, (), ("identifier-destroyed-float",)),
        # Vendée 2018 (idBeneficiaire of a ragged row)
        ("1;", None, (), ("identifier-unrecognised",)),
        # Paris 2022-2024 (numero_siret): 15 digits not shaped like a NIR
        ("404751234567890", None, (), ("identifier-unrecognised",)),
    ],
)
def test_identifiers(
    text: str, value: OrgId | None, repairs: tuple[str, ...], issues: tuple[str, ...]
) -> None:
    assert codes(text) == (value, repairs, issues)


def test_la_poste_exception_is_needed() -> None:
    # The La Poste SIRET above fails Luhn: it passes only through the exception.
    assert not luhn.is_valid("35600000049837")
    assert is_valid_siret("35600000049837")
    assert not is_valid_siret("35600000049838")


@pytest.mark.parametrize(
    "text",
    [
        # python-stdnum's documentation example of a NIR, with and without its key
        "2 95 10 99 126 111 93",
        "295109912611193",
        "2951099126111",
        # Corsican birth département
        "2 53 07 2B 073 004 70",
    ],
)
def test_nir_is_withheld_and_never_shown(text: str) -> None:
    out = parse_org_id(text)
    assert (out.value, out.repairs, out.issues) == (
        WITHHELD,
        (),
        (("personal-identifier-withheld", None),),
    )


def test_thirteen_digits_that_are_a_siret_win_over_the_nir_shape() -> None:
    # 1 85 05 ... has a NIR's shape, but 0 + it is a valid SIRET: the check digits decide.
    assert codes("1850578400001") == (
        siret("01850578400001"),
        ("siret-leading-zero-restored",),
        (),
    )


def test_nir_in_scientific_notation_is_withheld() -> None:
    out = parse_org_id("2,9510E+14")
    assert out.value == WITHHELD
    assert all(detail is None for _, detail in out.issues)


@pytest.mark.parametrize(
    ("text", "value", "issues"),
    [
        # Maine-et-Loire associations ("SIRET ou NIR"): float damage, 14 digits, no NIR
        ("35181600000000", None, ("identifier-destroyed-float",)),
        ("22490001900015", siret("22490001900015"), ()),
        ("225800010", OrgId(siren="225800010"), ("siren-instead-of-siret",)),
        # 13 digits that are no SIRET may be a NIR without its key
        ("3016123456789", WITHHELD, ("personal-identifier-withheld",)),
        ("123", WITHHELD, ("personal-identifier-withheld",)),
        ("7,2E+12", WITHHELD, ("personal-identifier-withheld", "identifier-destroyed-scientific")),
        ("W751234567", OrgId(rna="W751234567"), ()),
    ],
)
def test_personal_column(text: str, value: OrgId | None, issues: tuple[str, ...]) -> None:
    out = parse_org_id(text, personal=True)
    assert (out.value, tuple(code for code, _ in out.issues)) == (value, issues)
    if value == WITHHELD:
        assert all(detail is None for _, detail in out.issues)


@pytest.mark.parametrize(
    ("text", "value", "repairs", "issues"),
    [
        ("W751234567", "W751234567", (), ()),
        ("w751234567", "W751234567", ("rna-normalised",), ()),
        ("W 751 234 567", "W751234567", ("rna-normalised",), ()),
        ("W2A1000123", "W2A1000123", (), ()),
        # Maine-et-Loire conventions (idRAE column next to it): not an RNA
        ("sans objet", None, (), ("rna-invalid",)),
        # numbers from before the RNA are refused
        ("0123456789", None, (), ("rna-invalid",)),
        ("W75123456", None, (), ("rna-invalid",)),
        ("", None, (), ()),
    ],
)
def test_rna(
    text: str, value: str | None, repairs: tuple[str, ...], issues: tuple[str, ...]
) -> None:
    out = parse_rna(text)
    assert (out.value, out.repairs, tuple(c for c, _ in out.issues)) == (value, repairs, issues)


def test_helpers_want_exact_digits() -> None:
    assert is_valid_siren("327743696")
    assert not is_valid_siren("327 743 696")
    assert not is_valid_siren("327743697")
    assert is_valid_siret("32774369600012")
    assert not is_valid_siret("3277436960001")


@pytest.mark.parametrize(
    "org",
    [siret("32774369600012"), OrgId(siren="225800010"), OrgId(rna="W751234567")],
)
def test_org_id_text_parses_back_without_repair(org: OrgId) -> None:
    out = parse_org_id(org_id_text(org))
    assert (out.value, out.repairs) == (org, ())


def test_withheld_has_no_text() -> None:
    assert org_id_text(WITHHELD) == ""
