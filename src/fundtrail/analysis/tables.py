"""The analysis tables pages read: one fact row per grant, and aggregates built once.

Written with Ibis so that the same expressions run on DuckDB today and on a distributed
engine (Spark) tomorrow; the connection is the store's own DuckDB connection.

Counting rules, applied here once for every page:
- a duplicate cluster (``fundtrail.link.duplicates``) counts once, through its counted
  member;
- a grant shared between beneficiaries counts for each only its share (``share``, a
  fraction; no share means the whole grant);
- amounts are never added across kinds: ``kind`` is ``awarded`` (SCDL ``montant``, also
  when the file does not say), ``paid`` or ``requested``, and every aggregate keeps it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import duckdb
import ibis
import ibis.expr.datatypes as dt

# Exact type of a share-weighted amount: 4 decimals of amount x 6 decimals of share.
COUNTED = dt.Decimal(38, 10)

ANALYSIS_TABLES = (
    "org_numbers", "org_rows", "grant_facts", "agg_org_year", "agg_org_funder", "agg_funder_org",
    "agg_funder_year", "agg_funder_bands", "funder_quality",
)  # fmt: skip

# Amount bands of the funder page: (label, lower bound included, upper bound excluded).
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("< 1 000", 0, 1_000),
    ("1 000 - 5 000", 1_000, 5_000),
    ("5 000 - 23 000", 5_000, 23_000),
    ("23 000 - 100 000", 23_000, 100_000),
    ("100 000 - 1 000 000", 100_000, 1_000_000),
    (">= 1 000 000", 1_000_000, None),
)


P = ParamSpec("P")
R = TypeVar("R")


def quiet_ibis(function: Callable[P, R]) -> Callable[P, R]:
    """Return ``function`` run with one known library warning silenced.

    Ibis 12 calls DuckDB 2's deprecated ``fetch_arrow_table``; the warning is about Ibis'
    code, not ours, and would fail every test (warnings are errors there).
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=r"fetch_arrow_table\(\) is deprecated",
                category=DeprecationWarning,
            )
            return function(*args, **kwargs)

    return wrapper


def backend(con: duckdb.DuckDBPyConnection) -> Any:
    """Return an Ibis backend over the store's DuckDB connection ``con``."""
    return ibis.duckdb.from_connection(con)


def grant_facts(ib: Any) -> Any:
    """Return the Ibis expression of one fact row per grant, with its counted amount."""
    g = ib.table("grants")
    links = ib.table("grant_links")
    clusters = ib.table("grant_clusters")
    years = ib.table("grant_years")
    ben = links.filter(links.role == "beneficiary").select(
        grant_id=links.grant_id,
        beneficiary_org=links.org_id,
        beneficiary_link_method=links.method,
        beneficiary_link_score=links.score,
        beneficiary_link_explanation=links.explanation,
    )
    fun = links.filter(links.role == "funder").select(
        grant_id=links.grant_id,
        funder_org=links.org_id,
        funder_link_method=links.method,
        funder_link_score=links.score,
        funder_link_explanation=links.explanation,
    )
    sources = ib.table("sources").select("source_id", source_name="name")
    numbers = ib.table("org_numbers")
    ben_no = numbers.select(beneficiary_org=numbers.org_id, beneficiary_no=numbers.org_no)
    fun_no = numbers.select(funder_org=numbers.org_id, funder_no=numbers.org_no)
    joined = (
        g.left_join(ben, "grant_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(fun, "grant_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(clusters, "grant_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(years.rename(analysis_year="year"), "grant_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(sources, "source_id")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(ben_no, "beneficiary_org")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(fun_no, "funder_org")
        .select(~ibis.selectors.endswith("_right"))
    )
    amount = joined.amount.cast(COUNTED)
    counted_amount = (joined.share.isnull()).ifelse(
        amount, (amount * joined.share.cast(COUNTED)).cast(COUNTED)
    )
    return joined.select(
        grant_id=joined.grant_id,
        source_id=joined.source_id,
        beneficiary_org=joined.beneficiary_org,
        funder_org=joined.funder_org,
        beneficiary_no=joined.beneficiary_no,
        funder_no=joined.funder_no,
        year=joined.analysis_year,
        year_source=joined.year_source,
        convention_date=joined.convention_date,
        kind=joined.amount_kind.fill_null("awarded"),
        amount=joined.amount,
        share=joined.share,
        counted_amount=counted_amount,
        cluster_id=joined.cluster_id.fill_null(joined.grant_id),
        members=joined.members.fill_null(1),
        counted=joined.counted.fill_null(True) & joined.amount.notnull(),
        # what a profile lists for each grant, so that it reads this one table
        source_name=joined.source_name,
        table_id=joined.table_id,
        row_number=joined.row_number,
        funder_name=joined.funder_name,
        beneficiary_name=joined.beneficiary_name,
        date_text=joined.convention_date_text,
        decision_reference=joined.decision_reference,
        purpose=joined.purpose,
        flags=joined.flags,
        beneficiary_link_method=joined.beneficiary_link_method,
        beneficiary_link_score=joined.beneficiary_link_score,
        beneficiary_link_explanation=joined.beneficiary_link_explanation,
        funder_link_method=joined.funder_link_method,
        funder_link_score=joined.funder_link_score,
        funder_link_explanation=joined.funder_link_explanation,
    )


# The fields whose filling the funder page reports, as grants columns.
QUALITY_FIELDS = (
    "funder_name", "funder_siren", "beneficiary_name", "beneficiary_id", "convention_date_text",
    "decision_reference", "purpose", "amount", "nature", "payment_conditions",
)  # fmt: skip


def funder_quality(ib: Any) -> Any:
    """Return the Ibis expression of each funder's publication quality.

    Per funder organisation: grants published, grants with a valid beneficiary SIREN, the
    mean share of ``QUALITY_FIELDS`` filled, and the rows its files had quarantined (rows of
    a file belong to the funders of that file's accepted grants).
    """
    g = ib.table("grants")
    links = ib.table("grant_links")
    fun = links.filter(links.role == "funder").select(
        grant_id=links.grant_id, funder_org=links.org_id
    )
    joined = g.join(fun, "grant_id")
    filled = sum(
        (joined[name].notnull().cast("int64") for name in QUALITY_FIELDS),
        ibis.literal(0, type="int64"),
    )
    per_funder = joined.group_by("funder_org").aggregate(
        grants=joined.grant_id.count(),
        valid_ids=joined.beneficiary_siren.notnull().cast("int64").sum(),
        filled=filled.sum(),
    )
    sources = ib.table("sources")
    per_source = (
        joined.select("funder_org", "source_id")
        .distinct()
        .join(sources.select("source_id", "rows_quarantined", "rows_read"), "source_id")
    )
    quarantined = per_source.group_by("funder_org").aggregate(
        quarantined=per_source.rows_quarantined.sum().cast("int64"),
        rows_read=per_source.rows_read.sum().cast("int64"),
        files=per_source.source_id.count(),
    )
    both = per_funder.left_join(quarantined, "funder_org").select(
        ~ibis.selectors.endswith("_right")
    )
    return both.select(
        funder_org=both.funder_org,
        grants=both.grants,
        files=both.files.fill_null(0),
        rows_read=both.rows_read.fill_null(0),
        quarantined=both.quarantined.fill_null(0),
        valid_ids_share=(both.valid_ids / both.grants).round(4),
        filled_share=(both.filled / (both.grants * len(QUALITY_FIELDS))).round(4),
    )


def _sum(facts: Any) -> dict[str, Any]:
    return {
        "amount": facts.counted_amount.sum().cast(COUNTED),
        "grants": facts.grant_id.count(),
    }


def materialise(ib: Any, con: duckdb.DuckDBPyConnection, name: str, expr: Any) -> None:
    """Store the Ibis expression ``expr`` as the table ``name`` (replaced if present).

    Ibis' own ``create_table(overwrite=True)`` emits a DROP statement without a table name
    with the sqlglot this project pins (ibis 12 on DuckDB 2), so the expression is compiled
    by Ibis and wrapped in CREATE OR REPLACE here; on Spark, ``create_table`` is the call.
    """
    con.execute(f"CREATE OR REPLACE TABLE {name} AS {ib.compile(expr)}")  # name: a constant


# Each organisation's number: org ids share their first bytes ("FR-RCS-0..."), which is all
# DuckDB's zone maps keep of a string, so tables sorted by org id cannot skip blocks on it;
# sorted by this integer (numbered in org id order) they can. ``org_numbers`` finds a
# number from an id through the id's hash ``h``, the table being sorted by it; ``org_rows``
# is ``organisations`` with the numbers, sorted by them (and indexed on them at the end of
# the link step: ``fundtrail.analysis.serving.SERVING_INDEXES``).
ORG_NUMBERS_SQL = """
CREATE OR REPLACE TABLE org_numbers AS
SELECT hash(org_id) AS h, org_id, (row_number() OVER (ORDER BY org_id))::INTEGER AS org_no
FROM organisations ORDER BY h;
CREATE OR REPLACE TABLE org_rows AS
SELECT n.org_no, o.* FROM organisations o JOIN org_numbers n USING (org_id) ORDER BY n.org_no
"""


@quiet_ibis
def build_analysis(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild the analysis tables from grants, links and clusters; return their row counts.

    The serving tables the site reads (``fundtrail.analysis.serving``) are rebuilt last.
    """
    for statement in ORG_NUMBERS_SQL.split(";"):
        con.execute(statement)
    ib = backend(con)
    facts_expr = grant_facts(ib)
    # sorted by organisation number so that DuckDB's zone maps skip most blocks on a profile
    materialise(ib, con, "grant_facts", facts_expr.order_by(["beneficiary_no", "year"]))
    facts = ib.table("grant_facts")
    counted = facts.filter(facts.counted)
    by_org_year = (
        counted.filter(counted.beneficiary_org.notnull())
        .group_by(
            org_id=counted.beneficiary_org,
            org_no=counted.beneficiary_no,
            year=counted.year,
            kind=counted.kind,
        )
        .aggregate(**_sum(counted))
    )
    pairs = (
        counted.filter(counted.beneficiary_org.notnull())
        .group_by(
            org_id=counted.beneficiary_org,
            org_no=counted.beneficiary_no,
            funder_org=counted.funder_org,
            funder_no=counted.funder_no,
            kind=counted.kind,
        )
        .aggregate(**_sum(counted), first_year=counted.year.min(), last_year=counted.year.max())
    )
    # names, kinds and levels copied in, so that a page reads this table alone
    orgs = ib.table("organisations")
    funders = orgs.select(funder_org=orgs.org_id, funder_name=orgs.name, funder_level=orgs.level)
    beneficiaries = orgs.select(
        org_id=orgs.org_id, beneficiary_name=orgs.name, beneficiary_kind=orgs.kind
    )
    by_org_funder = (
        pairs.left_join(funders, "funder_org")
        .select(~ibis.selectors.endswith("_right"))
        .left_join(beneficiaries, "org_id")
        .select(~ibis.selectors.endswith("_right"))
    )
    by_funder_year = (
        counted.filter(counted.funder_org.notnull())
        .group_by(funder_org=counted.funder_org, year=counted.year, kind=counted.kind)
        .aggregate(**_sum(counted))
    )
    amount = counted.counted_amount
    band = ibis.cases(
        *[
            ((amount >= low) & (amount < high), label)
            if high is not None
            else (amount >= low, label)
            for label, low, high in BANDS
        ],
        else_="negative",
    )
    by_band = (
        counted.filter(counted.funder_org.notnull())
        .group_by(funder_org=counted.funder_org, kind=counted.kind, band=band)
        .aggregate(**_sum(counted))
    )
    materialise(ib, con, "agg_funder_bands", by_band.order_by(["funder_org", "kind", "band"]))
    materialise(ib, con, "funder_quality", funder_quality(ib))
    materialise(ib, con, "agg_org_year", by_org_year.order_by(["org_no", "year"]))
    materialise(ib, con, "agg_org_funder", by_org_funder.order_by(["org_no", "funder_org"]))
    # the funder page reads the same pairs by funder: a copy sorted that way
    materialise(
        ib, con, "agg_funder_org", ib.table("agg_org_funder").order_by(["funder_no", "org_no"])
    )
    materialise(ib, con, "agg_funder_year", by_funder_year.order_by(["funder_org", "year"]))
    from fundtrail.analysis.serving import build_serving

    counts = {
        name: int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
        for name in ANALYSIS_TABLES  # names are constants of this module
    }
    return {**counts, **build_serving(con)}
