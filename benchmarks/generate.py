"""Synthetic SCDL subsidy files for benchmarks: deterministic by seed, as messy as real ones.

Every value is invented. Funders are called "... synthétique ..." and every SIREN/SIRET is
built in the ``000`` range that INSEE does not assign (as ``fundtrail.demo`` does), RNA
numbers in ``W000`` (no département 000), so no generated row can name a real
organisation. These files are for measuring only: never load them into the demo or the
site.

The defects and their rates come from the real files in ../shared/data; each constant
says where it was measured (``benchmarks/rates.py`` re-measures the CSV ones).

    uv run python benchmarks/generate.py file out.csv --rows 100000 --seed 1
    uv run python benchmarks/generate.py folder out/ --rows 2800000 --seed 1
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from stdnum import luhn

# The 16 fields of SCDL 2.1.1, in the schema's order (schemas/scdl-subventions/v2.1.1).
HEADER = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]

# --- Rates --------------------------------------------------------------------------------
# File level, from survey/wald52-dons-aux-associations/scdl.json + normalize-scdl.stats.json
# (504 data.gouv.fr SCDL files, 1,015,790 rows): 410 utf-8-sig, 90 cp1252, 4 latin-1;
# 452 ";", 49 ",", 3 tab. The encodings are given by BOM presence only, so utf-8-sig here
# covers files with and without a BOM.
ENCODINGS = (("utf-8-sig", 410), ("cp1252", 90), ("latin-1", 4))
SEPARATORS = ((";", 452), (",", 49), ("\t", 3))
# One file of the 21 SCDL-shaped real CSVs holds several sub-tables (Montpellier 2012).
SUBTABLE_FILE_RATE = 1 / 21

# Row level, from benchmarks/rates.py over the 21 SCDL-shaped CSV files of real/ (shares
# averaged over files, so that the 7,842-row Paris export does not set them alone):
BLANK_ROW_RATE = 27 / 11231  # all-empty rows (Lot: 21 trailing ";;;;" rows)
DUPLICATE_ROW_RATE = 3 / 11204  # exact copies of an earlier row (Vendée 2018, réserve 2014)
# Amount spellings (averaged over 21 files): French "40 000,00" 0.590, plain "4900" 0.191,
# float "10000.0" 0.143, with a euro sign "12 350 000 €" 0.048, other (free text, "NC",
# "1,500 €") 0.029.
AMOUNT_STYLES = (
    ("french", 590),
    ("plain", 191),
    ("float", 143),
    ("euro", 48),
    ("other", 28),
)
# Survey stats (1,015,790 rows): 33,014 zero amounts, 129 negative, 1,463 unreadable.
AMOUNT_ZERO_RATE = 33014 / 1015790
AMOUNT_NEGATIVE_RATE = 129 / 1015790
# Beneficiary identifier: the survey flags 525,822 of 1,015,790 rows "no_siret"; among the
# filled cells of the real CSVs (averaged over 20 files): valid SIRET 0.754, float-damaged
# "84313200000000.0" 0.100, separators "224 900 019 000 15'" 0.047, bad Luhn 0.019,
# SIREN only 0.0045, 13 digits (lost leading zero) 0.0023, scientific "2,43E+13" 0.0013.
BENEFICIARY_ID_EMPTY_RATE = 525822 / 1015790
BENEFICIARY_ID_STYLES = (
    ("siret", 7543),
    ("float", 1000),
    ("separators", 473),
    ("bad-luhn", 188),
    ("siren", 45),
    ("thirteen", 23),
    ("scientific", 13),
)
# Survey: 1,013,140 of 1,015,790 rows have no RNA number.
RNA_RATE = 1 - 1013140 / 1015790
# Survey: 609 rows without a beneficiary name.
BENEFICIARY_NAME_EMPTY_RATE = 609 / 1015790
# Survey: 3,646 rows "aide en nature".
IN_KIND_RATE = 3646 / 1015790
# Convention dates (averaged over 14 files): ISO 0.780, "2017/09/08" 0.214, empty 0.006;
# QUIRKS.md adds "06/12/2022" (Toulouse, Montpellier), year only (Loire-Atlantique), Excel
# serial "43655" (Aude): one publisher each in ~25 surveyed, given a small share here.
DATE_STYLES = (
    ("iso", 7400),
    ("ymd-slash", 2140),
    ("dmy-slash", 200),
    ("year", 100),
    ("serial", 100),
    ("empty", 60),
)
# Poitiers: 946 physical lines for 562 records (newlines in quoted "objet" cells); one file
# in 21, so about 384 / 562 / 21 of rows over files.
NEWLINE_IN_TEXT_RATE = 384 / 562 / 21

YEARS = range(2016, 2026)  # ten years of grants
FUNDERS = 40_000
ORGANISATIONS = 1_000_000
SIREN_BENEFICIARIES = 60_000  # beneficiaries with a SIREN: the rest of the 000 range
# P(index < SIREN_BENEFICIARIES) = (60,000 / 1,000,000) ** (1 / _SKEW) = 1 - empty rate.
_SKEW = math.log(SIREN_BENEFICIARIES / ORGANISATIONS) / math.log(1 - BENEFICIARY_ID_EMPTY_RATE)


def _weighted(table: tuple[tuple[str, int], ...]) -> tuple[list[str], list[float]]:
    """Return the keys of ``table`` and their cumulative weights, for ``rng.choices``."""
    keys: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for key, weight in table:
        total += weight
        keys.append(key)
        cumulative.append(total)
    return keys, cumulative


@lru_cache(maxsize=200_000)
def siren_of(number: int) -> str:
    """Return the SIREN built on ``number`` (0..99,999) in the unassigned ``000`` range."""
    body = f"000{number:05d}"
    return body + luhn.calc_check_digit(body)


@lru_cache(maxsize=400_000)
def siret_of(number: int, establishment: int) -> str:
    """Return the SIRET of establishment ``establishment`` (1..) of SIREN ``number``."""
    body = siren_of(number) + f"{establishment:04d}"
    return body + luhn.calc_check_digit(body)


_FUNDER_KINDS = (
    (35_000, "Commune synthétique"),
    (1_300, "Communauté de communes synthétique"),
    (101, "Département synthétique"),
    (18, "Région synthétique"),
)
_PLACES = (
    "Valbrume",
    "Fictiville",
    "Bourg-Exemple",
    "Montfictif",
    "Saint-Imaginaire",
    "Clairval",
    "Roche-Muette",
    "Pré-Semblant",
    "Lac-Inventé",
    "Vieux-Modèle",
    "Haute-Fable",
    "Basse-Esquisse",
)
_KINDS = (
    "Association sportive",
    "Comité des fêtes",
    "Club de judo",
    "Amicale laïque",
    "Maison des jeunes",
    "Ensemble vocal",
    "Banque alimentaire",
    "Théâtre",
    "Festival",
    "Secours solidaire",
    "Office de tourisme",
    "Jardins partagés",
    "Harmonie municipale",
    "Centre social",
    "Crèche parentale",
    "Société de chasse",
    "Union cycliste",
    "Ciné-club",
)
_THEMES = (
    "des Lilas",
    "du Vieux Pont",
    "de la Vallée",
    "des Deux Rives",
    "du Plateau",
    "des Écoles",
    "du Canal",
    "de l'Étang",
    "des Tilleuls",
    "du Moulin",
    "des Coteaux",
    "de la Gare",
)
_OBJECTS = (
    "Subvention de fonctionnement {year}",
    "Aide au projet « {theme} » {year}",
    "Organisation du festival annuel, édition {year}",
    "Soutien aux activités; saison {year}",
    "Travaux de rénovation du local, tranche {n}",
    "Achat de matériel sportif, {year}",
    "Actions éducatives en faveur des jeunes, année scolaire {year}-{next}",
    "Participation au fonctionnement {year}, ouverture avant vote du BP",
)
_CONDITIONS = (
    ("unique", 60),
    ("Unique", 15),
    ("échelonné", 15),
    ("Versement en 2 fois", 7),
    ("1er acompte de 50 % à la signature, solde sur justificatifs", 3),
)
_NOTIFICATION = (("non", 70), ("Non", 10), ("NON", 5), ("false", 5), ("oui", 2), ("", 8))
# A file states shares one way: as a fraction (SCDL 2.x, "1", "1.0" Haute-Garonne, "1,00")
# or as a percentage ("100", older files); mixing both in one file would make the share
# itself ambiguous, which no real file we have does.
_SHARE_FRACTION = (("1", 60), ("1.0", 15), ("1,00", 15), ("0,5", 5), ("", 5))
_SHARE_PERCENT = (("100", 85), ("50", 10), ("", 5))
PERCENT_SHARE_FILE_RATE = 0.15
# Payment periods: "2017-01-01_2017-12-31" (Lot, Haute-Garonne), ISO "/" (Maine-et-Loire,
# etalab), one date, and free text ("2017-10-06/fin-action", Vendée's "1er acompte ...").
_PERIOD = (("underscore", 45), ("slash", 35), ("single", 17), ("text", 3))


@dataclass(frozen=True)
class Funder:
    """A synthetic funder: its name and SIRET."""

    name: str
    siret: str


def funder(index: int) -> Funder:
    """Return synthetic funder ``index`` (0..FUNDERS-1); the same index gives the same funder."""
    start = 0
    name = f"Organisme public synthétique {index:05d}"
    for count, kind in _FUNDER_KINDS:
        if index < start + count:
            name = f"{kind} {_PLACES[index % len(_PLACES)]} {index - start:05d}"
            break
        start += count
    return Funder(name, siret_of(index, 1 + index % 7))


@dataclass(frozen=True)
class Organisation:
    """A synthetic beneficiary: a name, and a SIRET and an RNA number when it has them."""

    name: str
    siret: str | None
    rna: str | None


def organisation(index: int) -> Organisation:
    """Return synthetic beneficiary ``index`` (0..ORGANISATIONS-1), deterministically."""
    name = (
        f"{_KINDS[index % len(_KINDS)]} {_THEMES[index // 18 % len(_THEMES)]} de "
        f"{_PLACES[index // 216 % len(_PLACES)]} {index:07d}"
    )
    siret = None
    if index < SIREN_BENEFICIARIES:
        siret = siret_of(FUNDERS + index, 1 + index % 3)
    rna = f"W000{index:06d}"[:10] if index % 7 == 0 else None
    return Organisation(name, siret, rna)


def _french(value: int, cents: int, sep: str = "\u00a0") -> str:
    whole = f"{value:,}".replace(",", sep)
    return f"{whole},{cents:02d}"


class RowMaker:
    """Makes the rows of one file: one ``random.Random`` drives every choice."""

    def __init__(self, rng: random.Random, funders: list[int]) -> None:
        self.rng = rng
        self.funders = funders
        self.amount = _weighted(AMOUNT_STYLES)
        self.ident = _weighted(BENEFICIARY_ID_STYLES)
        self.date = _weighted(DATE_STYLES)
        self.conditions = _weighted(_CONDITIONS)
        self.notification = _weighted(_NOTIFICATION)
        percent = rng.random() < PERCENT_SHARE_FILE_RATE
        self.share = _weighted(_SHARE_PERCENT if percent else _SHARE_FRACTION)
        self.period = _weighted(_PERIOD)

    def pick(self, table: tuple[list[str], list[float]]) -> str:
        """Return one key of a cumulative-weight table."""
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def amount_cell(self) -> str:
        """Return an amount as publishers write it."""
        rng = self.rng
        draw = rng.random()
        if draw < AMOUNT_ZERO_RATE:
            euros, cents = 0, 0
        else:
            # Log-normal around 3,000 €, long tail to millions, as in the survey's totals.
            euros = min(int(rng.lognormvariate(8.0, 1.6)), 50_000_000)
            cents = rng.choice((0, 0, 0, 0, 50, rng.randrange(100)))
        negative = "-" if rng.random() < AMOUNT_NEGATIVE_RATE else ""
        style = self.pick(self.amount)
        if style == "french":
            return negative + _french(euros, cents, rng.choice(("\u00a0", " ")))
        if style == "plain":
            return f"{negative}{euros}"
        if style == "float":
            return f"{negative}{euros}.{cents:d}" if cents else f"{negative}{euros}.0"
        if style == "euro":
            return f"{negative}{euros:,} €".replace(",", " ")
        return rng.choice(("NC", "SEM", f"{euros:,} €", f"{euros} € (pour 3 saisons)", ""))

    def beneficiary_id_cell(self, org: Organisation) -> str:
        """Return the beneficiary's identifier cell, damaged at the measured rates."""
        rng = self.rng
        if org.siret is None:
            return ""
        siret = org.siret
        style = self.pick(self.ident)
        if style == "siret":
            return siret
        if style == "float":
            # A float keeps 6 to 8 significant digits and zeroes the rest.
            kept = rng.choice((6, 7, 8))
            return siret[:kept] + "0" * (14 - kept) + ".0"
        if style == "separators":
            return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:12]} {siret[12:]}'"
        if style == "bad-luhn":
            return siret[:13] + str((int(siret[13]) + 1) % 10)
        if style == "siren":
            return siret[:9]
        if style == "thirteen":
            return siret[1:]  # "000..." lost a zero, as a number column does
        return f"{int(siret[:3] or 0) or 7},{siret[3:5]}E+13"

    def date_cell(self, year: int) -> str:
        """Return a convention date of ``year`` in one of the published spellings."""
        rng = self.rng
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        style = self.pick(self.date)
        if style == "iso":
            return f"{year}-{month:02d}-{day:02d}"
        if style == "ymd-slash":
            return f"{year}/{month:02d}/{day:02d}"
        if style == "dmy-slash":
            return f"{day:02d}/{month:02d}/{year}"
        if style == "year":
            return str(year)
        if style == "serial":
            # Days since 1899-12-30, the spreadsheet epoch.
            return str((date(year, month, day) - date(1899, 12, 30)).days)
        return ""

    def row(self, number: int) -> list[str]:
        """Return data row ``number`` of the file."""
        rng = self.rng
        f = funder(self.funders[int(len(self.funders) * rng.random())])
        # Skewed draw: a few organisations receive many grants, most receive a few; the
        # exponent puts BENEFICIARY_ID_EMPTY_RATE of rows on organisations without SIRET.
        org = organisation(int(ORGANISATIONS * rng.random() ** _SKEW))
        year = rng.choice(YEARS)
        name = "" if rng.random() < BENEFICIARY_NAME_EMPTY_RATE else org.name
        objet = rng.choice(_OBJECTS).format(
            year=year, next=year + 1, theme=rng.choice(_THEMES), n=rng.randint(1, 4)
        )
        if rng.random() < NEWLINE_IN_TEXT_RATE:
            objet += "\nVoir délibération jointe."
        start = f"{year}-{rng.randint(1, 12):02d}-01"
        period = {
            "underscore": f"{start}_{year}-12-31",
            "slash": f"{start}/{year + 1}-06-30",
            "single": start,
            "text": f"{start}/fin-action",
        }[self.pick(self.period)]
        return [
            f.name,
            f.siret,
            self.date_cell(year),
            f"DEL-{year}-{number % 10000:04d}",
            name,
            self.beneficiary_id_cell(org),
            org.rna if org.rna and rng.random() < RNA_RATE * 7 else "",
            objet,
            self.amount_cell(),
            "aide en nature" if rng.random() < IN_KIND_RATE else "aide en numéraire",
            self.pick(self.conditions),
            period,
            "",
            self.pick(self.notification),
            self.pick(self.share),
            "",
        ]


def rows(count: int, seed: int, funders: list[int] | None = None) -> Iterator[list[str]]:
    """Yield ``count`` data lines (blank and duplicate lines included in the count)."""
    rng = random.Random(seed)
    maker = RowMaker(rng, funders or list(range(FUNDERS)))
    recent: list[list[str]] = []
    for number in range(count):
        draw = rng.random()
        if draw < BLANK_ROW_RATE:
            yield [""] * len(HEADER)
        elif draw < BLANK_ROW_RATE + DUPLICATE_ROW_RATE and recent:
            yield rng.choice(recent)
        else:
            row = maker.row(number)
            recent = [*recent[-7:], row]  # duplicates are of nearby rows, as in real files
            yield row


@dataclass(frozen=True)
class FileSpec:
    """How one generated file is written."""

    rows: int
    seed: int
    encoding: str = "utf-8-sig"
    separator: str = ";"
    subtables: int = 1  # > 1: Montpellier-2012-style sub-tables, each with its own header
    funders: tuple[int, ...] = ()


def write_file(path: Path, spec: FileSpec) -> int:
    """Write the file ``spec`` describes at ``path``; return its size in bytes."""
    with path.open("w", encoding=spec.encoding, newline="", errors="replace") as handle:
        writer = csv.writer(handle, delimiter=spec.separator, lineterminator="\r\n")
        per_table = -(-spec.rows // spec.subtables)
        for index, row in enumerate(rows(spec.rows, spec.seed, list(spec.funders) or None)):
            if index % per_table == 0:
                if spec.subtables > 1:
                    if index:
                        writer.writerow([])
                    writer.writerow([f"Subventions versées, tableau {index // per_table + 1}"])
                writer.writerow(HEADER)
            writer.writerow(row)
    return path.stat().st_size


def folder_specs(total_rows: int, seed: int, rows_per_file: int = 10_000) -> list[FileSpec]:
    """Return the files of a national-style folder: encodings, separators as surveyed.

    Each file comes from a handful of funders (a commune, an EPCI) over the ten years;
    sizes vary around ``rows_per_file``.
    """
    rng = random.Random(seed)
    encodings, separators = _weighted(ENCODINGS), _weighted(SEPARATORS)
    specs: list[FileSpec] = []
    left = total_rows
    while left > 0:
        count = min(left, max(1, int(rows_per_file * rng.uniform(0.2, 1.8))))
        left -= count
        first = rng.randrange(FUNDERS)
        specs.append(
            FileSpec(
                rows=count,
                seed=rng.randrange(2**31),
                encoding=rng.choices(encodings[0], cum_weights=encodings[1])[0],
                separator=rng.choices(separators[0], cum_weights=separators[1])[0],
                subtables=3 if rng.random() < SUBTABLE_FILE_RATE else 1,
                funders=tuple((first + k) % FUNDERS for k in range(rng.randint(1, 4))),
            )
        )
    return specs


def write_folder(folder: Path, total_rows: int, seed: int, rows_per_file: int = 10_000) -> int:
    """Write a folder of files holding ``total_rows`` rows; return the number of files."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = folder_specs(total_rows, seed, rows_per_file)
    for index, spec in enumerate(specs):
        write_file(folder / f"synthetique-{index:05d}.csv", spec)
    return len(specs)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write a file or a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("file", help="one SCDL CSV file")
    one.add_argument("path", type=Path)
    one.add_argument("--encoding", default="utf-8-sig")
    one.add_argument("--separator", default=";")
    one.add_argument("--subtables", type=int, default=1)
    many = sub.add_parser("folder", help="a folder of files, encodings/separators as surveyed")
    many.add_argument("path", type=Path)
    many.add_argument("--rows-per-file", type=int, default=10_000)
    for p in (one, many):
        p.add_argument("--rows", type=int, required=True)
        p.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.what == "file":
        spec = FileSpec(args.rows, args.seed, args.encoding, args.separator, args.subtables)
        size = write_file(args.path, spec)
        print(f"{args.path}: {args.rows} rows, {size} bytes", file=sys.stderr)
    else:
        files = write_folder(args.path, args.rows, args.seed, args.rows_per_file)
        print(f"{args.path}: {args.rows} rows in {files} files", file=sys.stderr)


if __name__ == "__main__":
    main()
