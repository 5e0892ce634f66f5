"""One staged table -> grants, quarantine, issues and repairs, in set-based SQL.

The stage (``stage``, ``stage_notes``) holds the table's cells as text. Each field with a
parser gets a value map (see ``valuemaps``); this module joins them back, runs the row
checks, and writes the store's rows for the table. Every identifier pasted into SQL here is
made by the pipeline (``c3``, ``m_montant``); every value from a file goes in as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from fundtrail.ingest.plan import ColumnPlan, TablePlan
from fundtrail.ingest.valuemaps import WITHHELD, build_value_map
from fundtrail.normalise.shares import share_convention
from fundtrail.sources.fields import BY_NAME

# Control characters other than tab and line breaks never belong in a published value.
_CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"


@dataclass
class Funder:
    """The funder to use when the file has no funder column (``--funder-name``/``--funder-id``)."""

    name: str | None = None
    id: str | None = None
    siret: str | None = None
    siren: str | None = None


@dataclass
class TableOutcome:
    """Counts and decisions for one table."""

    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    conventions: dict[str, Any] = field(default_factory=dict)


def _text(column: str) -> str:
    """SQL for a free-text cell: control characters out, blanks folded, empty -> NULL.

    Most cells are already clean, so the two regular expressions run only on the cells
    that need them (measured: 3.5 times less CPU on a million-row file).
    """
    cleanup = (
        f"nullif(trim(regexp_replace(regexp_replace({column}, '{_CONTROL}', '', 'g'), "
        f"'\\s+', ' ', 'g')), '')"
    )
    return (
        f"CASE WHEN regexp_matches({column}, '[\\x00-\\x1F\\x7F]|\\s\\s|^\\s|\\s$') "
        f"THEN {cleanup} ELSE nullif({column}, '') END"
    )


class _Table:
    """The SQL pieces of one table, built from its plan."""

    def __init__(self, con: duckdb.DuckDBPyConnection, plan: TablePlan) -> None:
        self.con = con
        self.plan = plan
        self.source_id = 0  # known once the file's transaction has begun (``write``)
        self.table_id = 0
        self.maps: dict[str, tuple[str, ColumnPlan]] = {}  # field -> (map table, column)

    def build_maps(self) -> None:
        for column in self.plan.core_fields:
            assert column.field is not None
            parser = BY_NAME[column.field].parser
            if parser == "text":
                continue
            name = f"m_{column.field}"
            build_value_map(self.con, name, column.column, parser, personal_column=column.personal)
            self.maps[column.field] = (name, column)
        # Dates other than the convention's give a grant its year when the convention's is
        # missing (Paris and Maine-et-Loire publish only the budget year).
        for extra in ("dateDecision", "exerciceBudgetaire"):
            other = self.plan.column_of(extra)
            if other is not None:
                build_value_map(self.con, f"m_{extra}", other.column, "date")
                self.maps[extra] = (f"m_{extra}", other)
        amount_paid = self.plan.column_of("montantVerse")
        if "montant" not in self.maps and amount_paid is not None:
            build_value_map(self.con, "m_montant", amount_paid.column, "amount")
            self.maps["montant"] = ("m_montant", amount_paid)

    def joins(self) -> str:
        return " ".join(
            f"LEFT JOIN {m} ON s.{col.column} = {m}.raw_key" for m, col in self.maps.values()
        )

    def mapped(self, field_name: str, part: str) -> str:
        if field_name in self.maps:
            return f"{self.maps[field_name][0]}.{part}"
        return "NULL"

    def text(self, field_name: str) -> str:
        column = self.plan.column_of(field_name)
        return _text(f"s.{column.column}") if column else "NULL"

    def shown(self, column: ColumnPlan) -> str:
        """SQL for a cell as it may be shown: personal identifiers withheld."""
        cell = f"s.{column.column}"
        if column.field and column.field in self.maps and BY_NAME[column.field].parser == "siret":
            m = self.maps[column.field][0]
            return f"CASE WHEN {m}.withheld THEN '{WITHHELD}' ELSE {cell} END"
        if column.personal:
            return f"CASE WHEN trim({cell}) = '' THEN {cell} ELSE '{WITHHELD}' END"
        return cell

    def json_of(self, columns: list[ColumnPlan]) -> tuple[str, list[str]]:
        if not columns:
            return "NULL", []
        parts = ", ".join(f"?, {self.shown(c)}" for c in columns)
        return f"json_object({parts})", [c.header for c in columns]


@dataclass
class Prepared:
    """A staged table's temporary work: value maps, row issues and row statuses."""

    table: _Table
    outcome: TableOutcome


def prepare(con: duckdb.DuckDBPyConnection, plan: TablePlan) -> Prepared:
    """Return the temporary work for the staged table: nothing of the store is written.

    Kept apart from ``write`` so that the pipeline can do it before a file's transaction
    begins: DuckDB keeps temporary tables written inside a transaction in memory it does
    not spill (a 10M-row file's maps and issues took gigabytes there).
    """
    t = _Table(con, plan)
    t.build_maps()
    outcome = TableOutcome()
    outcome.conventions.update(_apply_share_convention(t))
    amount_column = t.maps.get("montant", (None, None))[1]
    outcome.conventions["amount_kind"] = (
        "paid" if amount_column is not None and amount_column.field == "montantVerse" else "awarded"
    )
    con.execute("DROP TABLE IF EXISTS stage_issues")
    con.execute(
        "CREATE TEMP TABLE stage_issues (row_number INTEGER, field VARCHAR, code VARCHAR, "
        "value VARCHAR, detail VARCHAR)"
    )
    _collect_issues(t)
    _stage_status(con)
    return Prepared(t, outcome)


def write(prepared: Prepared, *, source_id: int, table_id: int, funder: Funder) -> TableOutcome:
    """Return the counts of a prepared table after writing its rows into the store tables."""
    t, outcome = prepared.table, prepared.outcome
    con = t.con
    t.source_id, t.table_id = source_id, table_id
    _write_rows(t, funder, outcome)
    _write_repairs(t)
    con.execute(
        """
        INSERT INTO issues
        SELECT ?, ?, i.row_number, i.field, i.code, c.severity, i.value, i.detail
        FROM stage_issues i JOIN catalogue c USING (code)
        WHERE c.kind <> 'repair'
        """,
        [source_id, table_id],
    )
    ((read, accepted, quarantined),) = con.execute(
        "SELECT (SELECT count(*) FROM stage), "
        "(SELECT count(*) FROM grants WHERE source_id = ? AND table_id = ?), "
        "(SELECT count(*) FROM quarantine WHERE source_id = ? AND table_id = ?)",
        [source_id, table_id, source_id, table_id],
    ).fetchall()
    outcome.rows_read, outcome.rows_accepted, outcome.rows_quarantined = read, accepted, quarantined
    return outcome


def _apply_share_convention(t: _Table) -> dict[str, Any]:
    """Detect whether the file writes shares as fractions or points, and convert points."""
    if "pourcentageSubvention" not in t.maps:
        return {}
    m = t.maps["pourcentageSubvention"][0]
    values = [v for (v,) in t.con.execute(f"SELECT num FROM {m} WHERE num IS NOT NULL").fetchall()]
    convention = share_convention(values)
    if convention == "percent":
        t.con.execute(
            f"UPDATE {m} SET num = num / 100, text = CAST(num / 100 AS VARCHAR), "
            "repairs = list_append(repairs, 'share-percent-to-fraction') WHERE num IS NOT NULL"
        )
    return {"share": convention}


def _collect_issues(t: _Table) -> None:
    """Fill ``stage_issues`` in one statement: the maps' issues, the reader's notes, and the
    rows that lack a value a grant needs (one plan instead of a dozen per table)."""

    def blank(field_name: str) -> str:
        column = t.plan.column_of(field_name)
        return f"trim(coalesce(s.{column.column}, '')) = ''" if column else "TRUE"

    branches: list[str] = []
    params: list[Any] = []
    for field_name, (m, column) in t.maps.items():
        branches.append(
            f"""
            SELECT s.row_number, ?, unnest({m}.issue_codes), {m}.raw, unnest({m}.issue_details)
            FROM stage s JOIN {m} ON s.{column.column} = {m}.raw_key
            WHERE len({m}.issue_codes) > 0
            """
        )
        params.append(field_name)
    branches.append("SELECT * FROM stage_notes")
    amount = t.maps.get("montant")
    if amount is not None:
        branches.append(
            f"SELECT row_number, ?, 'amount-missing', NULL, NULL "
            f"FROM stage s WHERE trim(coalesce(s.{amount[1].column}, '')) = ''"
        )
        params.append(amount[1].field)
    branches.append(
        "SELECT row_number, 'nomBeneficiaire', 'beneficiary-missing', NULL, NULL FROM stage s "
        "WHERE "
        + " AND ".join(blank(f) for f in ("nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire"))
    )
    for field_name, code in (
        ("dateConvention", "date-missing"),
        ("nomAttribuant", "funder-name-missing"),
    ):
        if t.plan.column_of(field_name) is not None:
            branches.append(
                f"SELECT row_number, ?, ?, NULL, NULL FROM stage s WHERE {blank(field_name)}"
            )
            params += [field_name, code]
    t.con.execute("INSERT INTO stage_issues " + " UNION ALL ".join(branches), params)
    unknown = t.con.execute(
        "SELECT DISTINCT code FROM stage_issues WHERE code NOT IN (SELECT code FROM catalogue)"
    ).fetchall()
    if unknown:
        # A parser or reader said something the catalogue cannot render: a bug, not data.
        raise ValueError(f"codes missing from the catalogue: {sorted(c for (c,) in unknown)}")


def _stage_status(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``stage_status``: each row's error and warning codes, from ``stage_issues``."""
    con.execute("DROP TABLE IF EXISTS stage_status")
    con.execute(
        """
        CREATE TEMP TABLE stage_status AS
        SELECT i.row_number,
               list(DISTINCT i.code ORDER BY i.code) FILTER (WHERE c.severity = 'error') AS errors,
               list(DISTINCT i.code ORDER BY i.code)
                   FILTER (WHERE c.severity = 'warning') AS warnings
        FROM stage_issues i JOIN catalogue c USING (code)
        WHERE c.kind <> 'repair'
        GROUP BY i.row_number
        """
    )


def _write_rows(t: _Table, funder: Funder, outcome: TableOutcome) -> None:
    con = t.con
    core = [c for c in t.plan.columns if c.field and BY_NAME[c.field].core]
    extras = [c for c in t.plan.columns if c not in core]
    raw_sql, raw_keys = t.json_of(list(t.plan.columns))
    extras_sql, extras_keys = t.json_of(extras)
    id_column = t.plan.column_of("idBeneficiaire")
    beneficiary_id = (
        f"CASE WHEN {t.mapped('idBeneficiaire', 'withheld')} THEN NULL "
        f"ELSE {_text('s.' + id_column.column)} END"
        if id_column is not None and "idBeneficiaire" in t.maps
        else "NULL"
    )
    funder_id_column = t.plan.column_of("idAttribuant")
    has_funder_column = t.plan.column_of("nomAttribuant") is not None
    params: list[Any] = [*raw_keys, *extras_keys]
    if has_funder_column:
        funder_name = t.text("nomAttribuant")
    else:
        funder_name = "?"
        params.append(funder.name)
    if funder_id_column is not None:
        funder_id = _text("s." + funder_id_column.column)
        funder_siret, funder_siren = t.mapped("idAttribuant", "a"), t.mapped("idAttribuant", "b")
    else:
        funder_id, funder_siret, funder_siren = "?", "?", "?"
        params += [funder.id, funder.siret, funder.siren]
    params += [outcome.conventions["amount_kind"]]
    # The rows are selected twice (accepted, then quarantined) rather than materialised
    # once: a staged copy of a million rows with their raw JSON cost 1.7 GB of memory.
    rows_sql = f"""
        SELECT s.row_number,
               {raw_sql} AS raw,
               {extras_sql} AS extras,
               {funder_name} AS funder_name,
               {funder_id} AS funder_id,
               {funder_siret} AS funder_siret,
               {funder_siren} AS funder_siren,
               {t.text("nomBeneficiaire")} AS beneficiary_name,
               {beneficiary_id} AS beneficiary_id,
               {t.mapped("idBeneficiaire", "a")} AS beneficiary_siret,
               {t.mapped("idBeneficiaire", "b")} AS beneficiary_siren,
               coalesce({t.mapped("rnaBeneficiaire", "rna")},
                        {t.mapped("idBeneficiaire", "rna")}) AS beneficiary_rna,
               {t.mapped("dateConvention", "day")} AS convention_date,
               {t.mapped("dateConvention", "text")} AS convention_date_text,
               {t.mapped("dateConvention", "year")} AS convention_year,
               {t.mapped("dateDecision", "text")} AS decision_date_text,
               {t.mapped("exerciceBudgetaire", "year")} AS budget_year,
               coalesce({t.mapped("dateConvention", "year")},
                        {t.mapped("exerciceBudgetaire", "year")},
                        {t.mapped("dateDecision", "year")}) AS year,
               CASE WHEN {t.mapped("dateConvention", "year")} IS NOT NULL THEN 'convention'
                    WHEN {t.mapped("exerciceBudgetaire", "year")} IS NOT NULL THEN 'budget'
                    WHEN {t.mapped("dateDecision", "year")} IS NOT NULL THEN 'decision'
               END AS year_basis,
               {t.text("referenceDecision")} AS decision_reference,
               {t.text("objet")} AS purpose,
               CAST({t.mapped("montant", "num")} AS DECIMAL(38, 4)) AS amount,
               CAST(? AS VARCHAR) AS amount_kind,
               {t.mapped("nature", "text")} AS nature,
               {t.text("conditionsVersement")} AS payment_conditions,
               {t.mapped("datesPeriodeVersement", "a")} AS payment_start,
               {t.mapped("datesPeriodeVersement", "b")} AS payment_end,
               {t.text("idRAE")} AS rae_id,
               {t.mapped("notificationUE", "flag")} AS eu_notification,
               CAST({t.mapped("pourcentageSubvention", "num")} AS DECIMAL(9, 6)) AS share,
               {t.text("dispositifAide")} AS aid_scheme,
               st.errors, st.warnings
        FROM stage s {t.joins()}
        LEFT JOIN stage_status st ON st.row_number = s.row_number
        """
    con.execute(
        f"""
        INSERT INTO grants
        SELECT concat_ws('-', ?, ?, row_number), ?, ?, row_number,
               funder_name, funder_id, funder_siret, funder_siren,
               beneficiary_name, beneficiary_id, beneficiary_siret, beneficiary_siren,
               beneficiary_rna, convention_date, convention_date_text, convention_year,
               decision_date_text, budget_year, year, year_basis, decision_reference, purpose,
               amount, amount_kind, nature, payment_conditions,
               payment_start, payment_end, rae_id, eu_notification, share, aid_scheme,
               extras, raw, coalesce(warnings, [])
        FROM ({rows_sql}) WHERE coalesce(len(errors), 0) = 0
        """,
        [t.source_id, t.table_id, t.source_id, t.table_id, *params],
    )
    # A quarantined row keeps its raw values and reasons only: its few rows are picked from
    # the statuses first, and only the maps that withhold identifiers are joined (selecting
    # them from every row cost a third of the grants' own write on a 10k-row file).
    withholding = [
        f"LEFT JOIN {m} ON s.{col.column} = {m}.raw_key"
        for field_name, (m, col) in t.maps.items()
        if BY_NAME[field_name].parser == "siret"
    ]
    con.execute(
        f"""
        INSERT INTO quarantine
        SELECT ?, ?, s.row_number, {raw_sql}, st.errors
        FROM stage_status st JOIN stage s ON s.row_number = st.row_number {" ".join(withholding)}
        WHERE len(st.errors) > 0
        """,
        [t.source_id, t.table_id, *raw_keys],
    )


def _write_repairs(t: _Table) -> None:
    # One statement for every field's repairs: on a 10k-row file the dozen statements
    # this was cost more in planning than in the work (one plan, one pass of the writer).
    branches: list[str] = []
    params: list[Any] = [t.source_id, t.table_id]
    for field_name, (m, column) in t.maps.items():
        branches.append(
            f"""
            SELECT s.row_number, ?, {m}.raw, {m}.text, unnest({m}.repairs), NULL
            FROM stage s JOIN {m} ON s.{column.column} = {m}.raw_key
            WHERE len({m}.repairs) > 0
            """
        )
        params.append(field_name)
    for column in t.plan.columns:
        if column.field and BY_NAME[column.field].parser == "text":
            cell = f"s.{column.column}"
            branches.append(
                f"""
                SELECT s.row_number, ?, {cell}, {_text(cell)}, 'text-control-chars-removed', NULL
                FROM stage s WHERE regexp_matches({cell}, '{_CONTROL}')
                """
            )
            params.append(column.field)
    branches.append(
        """
        SELECT n.row_number, coalesce(n.field, ''), n.value, NULL, n.code, n.detail
        FROM stage_notes n JOIN catalogue c USING (code) WHERE c.kind = 'repair'
        """
    )
    t.con.execute(
        "INSERT INTO repairs SELECT ?, ?, * FROM (" + " UNION ALL ".join(branches) + ")", params
    )
