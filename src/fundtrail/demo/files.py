"""The demo files: fictional funders and associations, written by fundtrail itself.

Nothing here is real and every name says so ("(démo)"): the demo shows what fundtrail does
with the defects real publishers' files have (encodings, French amounts, damaged
identifiers, blank rows, missing values) without passing invented grants off as real ones.
Identifiers are built to pass the SIREN/SIRET checksums but start with "000", a range INSEE
does not assign, so no demo number can name a real organisation.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from stdnum import luhn

from fundtrail.sources.fields import FIELDS

SEED = 20261126


@dataclass(frozen=True)
class DemoOrg:
    """A fictional organisation of the demo."""

    name: str
    siren: str
    siret: str
    rna: str | None


def _siren(rng: random.Random) -> str:
    body = "000" + "".join(rng.choice("0123456789") for _ in range(5))
    return body + luhn.calc_check_digit(body)


def _siret(siren: str, rng: random.Random) -> str:
    body = siren + "".join(rng.choice("0123456789") for _ in range(4))
    return body + luhn.calc_check_digit(body)


_ASSOCIATIONS = (
    "Association sportive de Valmont (démo)",
    "Les Amis du Théâtre de Valmont (démo)",
    "Comité des fêtes de Bourg-Exemple (démo)",
    "Ensemble vocal Do-Ré-Mi (démo)",
    "Club de football de la Vallée Fictive (démo)",
    "Association Numérique pour Tous (démo)",
    "Banque alimentaire de l'Exemple (démo)",
    "Maison des jeunes de Valmont (démo)",
    "Festival des Lumières Fictives (démo)",
    "Association des parents d'élèves du Collège Imaginaire (démo)",
    "Secours solidaire de la Vallée (démo)",
    "Office de tourisme intercommunal Fictif (démo)",
    "Les Jardins partagés de Bourg-Exemple (démo)",
    "Orchestre d'harmonie de Valmont (démo)",
    "Association pour l'insertion par l'emploi (démo)",
    "Ciné-club des Deux Rives (démo)",
)


def demo_organisations() -> list[DemoOrg]:
    """Return the fictional beneficiaries, deterministically."""
    rng = random.Random(SEED)
    orgs = []
    for index, name in enumerate(_ASSOCIATIONS):
        siren = _siren(rng)
        rna = f"W00{index:07d}" if index % 3 else None
        orgs.append(DemoOrg(name, siren, _siret(siren, rng), rna))
    return orgs


def _french_amount(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u00a0".join(groups) + "," + cents


def write_demo_files(folder: Path) -> list[Path]:
    """Return the demo files written into ``folder`` (created when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    # Funders draw their own sequence: the same seed would give them the associations' numbers.
    rng = random.Random(SEED + 1)
    orgs = demo_organisations()
    commune = ("Commune de Valmont (démo)", _siret(_siren(rng), rng))
    departement = ("Département d'Exemple (démo)", _siret(_siren(rng), rng))
    region = ("Région Fictive (démo)", _siret(_siren(rng), rng))
    written = []

    # 1. A clean SCDL 2.1 file, UTF-8 with BOM, semicolons, ISO dates.
    header = [field.name for field in FIELDS if field.core]  # the 16 of SCDL 2.1, in order
    lines = [";".join(header)]
    for year in (2021, 2022, 2023):
        for index, org in enumerate(orgs[:10]):
            base = 24_000 + 1_500 * index
            amount = Decimal(base * (3 if (org is orgs[5] and year == 2023) else 1))
            lines.append(
                ";".join(
                    [
                        commune[0],
                        commune[1],
                        f"{year}-0{1 + index % 9}-15",
                        f"DEL-{year}-{index:03d}",
                        org.name,
                        org.siret,
                        org.rna or "",
                        "Fonctionnement annuel (démo)",
                        f"{amount:.2f}",
                        "aide en numéraire",
                        "unique",
                        f"{year}-03-01/{year}-12-31",
                        "",
                        "non",
                        "1",
                        "",
                    ]
                )
            )
    path = folder / "demo-commune-valmont-2021-2023.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    written.append(path)

    # 2. A damaged export: cp1252, French amounts, dd/mm/yyyy, floats in SIRETs, blank rows.
    lines = [";".join([*header[:12], "notificationUE", "pourcentageSubvention"])]
    for year in (2022, 2023, 2024):
        for index, org in enumerate(orgs[4:14]):
            amount = Decimal(30_000 + 2_750 * index) + Decimal("0.50")
            siret = org.siret
            if index % 4 == 1:
                siret = siret[:9] + "00000.0"  # float damage: the establishment part zeroed
            elif index % 4 == 2:
                siret = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
            lines.append(
                ";".join(
                    [
                        departement[0],
                        departement[1],
                        f"{10 + index}/0{1 + index % 9}/{year}",
                        f"CP-{year}-{index}",
                        org.name,
                        siret,
                        "",
                        "Projet associatif (démo)",
                        _french_amount(amount),
                        "Aide en numéraire",
                        "échelonné",
                        f"{year}-01-01_{year}-12-31",
                        "Non",
                        "100",
                    ]
                )
            )
        lines.append(";" * 13)  # a blank row, as spreadsheets leave them
    lines.append(
        ";".join(
            [
                departement[0],
                departement[1],
                "01/02/2024",
                "CP-2024-X",
                orgs[0].name,
                orgs[0].siret,
                "",
                "Montant non communiqué (démo)",
                "NC",
                "Aide en numéraire",
                "unique",
                "",
                "Non",
                "100",
            ]
        )
    )
    lines.append(
        ";".join(
            [
                departement[0],
                departement[1],
                "01/02/2024",
                "CP-2024-Y",
                "",
                "",
                "",
                "Ligne sans bénéficiaire (démo)",
                "1 000,00",
                "Aide en numéraire",
                "unique",
                "",
                "Non",
                "100",
            ]
        )
    )
    path = folder / "demo-departement-exemple-2022-2024.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace"))
    written.append(path)

    # 3. A JSON export with upper-case keys, as some portals publish.
    records = []
    for year in (2023, 2024):
        for index, org in enumerate(orgs[::2]):
            records.append(
                {
                    "NOMATTRIBUANT": region[0],
                    "IDATTRIBUANT": region[1],
                    "DATECONVENTION": f"{year}-06",
                    "NOMBENEFICIAIRE": org.name.upper(),
                    "IDBENEFICIAIRE": org.siret if index % 3 else "",
                    "OBJET": "Soutien régional (démo)",
                    "MONTANT": 50_000 + 5_000 * index,
                    "NATURE": "aide en numéraire",
                }
            )
    path = folder / "demo-region-fictive-2023-2024.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    written.append(path)

    # 4. Threshold splitting: three grants under 23,000 € within 90 days to one beneficiary.
    lines = [";".join(header)]
    for day, small in (("2024-03-04", "9500"), ("2024-04-15", "9800"), ("2024-05-20", "9900")):
        lines.append(
            ";".join(
                [
                    commune[0],
                    commune[1],
                    day,
                    "DEC-2024",
                    orgs[15].name,
                    orgs[15].siret,
                    "",
                    "Animation estivale (démo)",
                    small,
                    "aide en numéraire",
                    "unique",
                    "",
                    "",
                    "non",
                    "1",
                    "",
                ]
            )
        )
    path = folder / "demo-commune-valmont-2024.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written.append(path)
    return written
