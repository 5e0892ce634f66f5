"""Watchdog signals: each names its rule (a catalogue code), its threshold and its rows.

Signals are computed once after linking (``build_signals``, run by ``build_links``) into the
``signals`` table, and listed by ``list_signals``. They are written in SQL rather than Ibis:
they need windows over dates (RANGE ... INTERVAL), a running median and list aggregates,
which Ibis expresses poorly today; the SQL keeps to constructs Spark SQL also has
(window frames, ``percentile_cont``, ``collect_list``-like aggregates), so the port is a
dialect change, not a rewrite.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

# Thresholds, named once; each signal row repeats the one it used.
GROWTH_FACTOR = 3
DEPENDENCE_SHARE = Decimal("0.8")
SPLIT_LIMIT = Decimal("23000")
SPLIT_DAYS = 90
UNIT_RATIO = 50  # "about 100x": a ratio of 50 or more either way


def _id(*parts: str) -> str:
    """Return the SQL of a signal's stable id: a hash of its rule and keys."""
    return f"md5(concat_ws('|', {', '.join(parts)}))"


GROWTH_SQL = f"""
INSERT INTO signals
WITH yearly AS (
    SELECT org_id, year, amount,
           median(amount) OVER (PARTITION BY org_id ORDER BY year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_median,
           count(*) OVER (PARTITION BY org_id ORDER BY year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_years
    FROM agg_org_year WHERE kind = 'awarded' AND year IS NOT NULL
)
SELECT {_id("'growth'", "y.org_id", "y.year")}, 'signal-sudden-growth',
       'year > {GROWTH_FACTOR} x median of previous years', y.org_id, NULL, y.year,
       y.amount::VARCHAR || ' vs median ' || y.previous_median::VARCHAR,
       list(f.grant_id ORDER BY f.grant_id), list(DISTINCT f.source_id ORDER BY f.source_id)
FROM yearly y JOIN grant_facts f
    ON f.beneficiary_org = y.org_id AND f.year = y.year AND f.kind = 'awarded' AND f.counted
WHERE y.previous_years >= 1 AND y.previous_median > 0
  AND y.amount > {GROWTH_FACTOR} * y.previous_median
GROUP BY y.org_id, y.year, y.amount, y.previous_median
"""

# Only organisations with two funders or more: a single known funder says more about the
# files at hand than about the organisation.
DEPENDENCE_SQL = f"""
INSERT INTO signals
WITH per_funder AS (
    SELECT org_id, funder_org, sum(amount) AS amount
    FROM agg_org_funder WHERE kind = 'awarded' AND funder_org IS NOT NULL GROUP BY ALL
),
per_org AS (
    SELECT org_id, sum(amount) AS total, count(*) AS funders,
           arg_max(funder_org, amount) AS top_funder, max(amount) AS top_amount
    FROM per_funder GROUP BY org_id
)
SELECT {_id("'dependence'", "o.org_id")}, 'signal-dependence',
       'largest funder share > {DEPENDENCE_SHARE}', o.org_id, o.top_funder, NULL,
       round(o.top_amount / o.total, 4)::VARCHAR,
       list(f.grant_id ORDER BY f.grant_id), list(DISTINCT f.source_id ORDER BY f.source_id)
FROM per_org o JOIN grant_facts f ON f.beneficiary_org = o.org_id
    AND f.funder_org = o.top_funder AND f.kind = 'awarded' AND f.counted
WHERE o.funders >= 2 AND o.total > 0 AND o.top_amount / o.total > {DEPENDENCE_SHARE}
GROUP BY o.org_id, o.top_funder, o.top_amount, o.total
"""

SPLITTING_SQL = f"""
INSERT INTO signals
WITH small AS (
    SELECT grant_id, source_id, beneficiary_org, funder_org, convention_date, counted_amount
    FROM grant_facts
    WHERE counted AND kind = 'awarded' AND convention_date IS NOT NULL
      AND beneficiary_org IS NOT NULL AND funder_org IS NOT NULL
      AND counted_amount > 0 AND counted_amount < {SPLIT_LIMIT}
),
windows AS (
    SELECT *,
           sum(counted_amount) OVER w AS window_amount, count(*) OVER w AS window_grants
    FROM small
    WINDOW w AS (PARTITION BY beneficiary_org, funder_org ORDER BY convention_date
                 RANGE BETWEEN CURRENT ROW AND INTERVAL {SPLIT_DAYS} DAYS FOLLOWING)
),
starts AS (  -- a qualifying window not already inside the previous qualifying one
    SELECT *, lag(convention_date) OVER (PARTITION BY beneficiary_org, funder_org
                                         ORDER BY convention_date) AS previous_start
    FROM windows WHERE window_grants >= 2 AND window_amount > {SPLIT_LIMIT}
)
SELECT {_id("'split'", "s.beneficiary_org", "s.funder_org", "s.convention_date")},
       'signal-threshold-splitting',
       'each < {SPLIT_LIMIT}, together > {SPLIT_LIMIT}, within {SPLIT_DAYS} days',
       s.beneficiary_org, s.funder_org, year(s.convention_date),
       s.window_amount::VARCHAR || ' in ' || s.window_grants::VARCHAR || ' grants',
       list(m.grant_id ORDER BY m.convention_date, m.grant_id),
       list(DISTINCT m.source_id ORDER BY m.source_id)
FROM starts s JOIN small m ON m.beneficiary_org = s.beneficiary_org
    AND m.funder_org = s.funder_org
    AND m.convention_date BETWEEN s.convention_date
        AND s.convention_date + INTERVAL {SPLIT_DAYS} DAYS
WHERE s.previous_start IS NULL
   OR s.convention_date > s.previous_start + INTERVAL {SPLIT_DAYS} DAYS
GROUP BY ALL
"""

# Compared with the median of every source's median (a robust centre), and only from three
# sources on: with two, neither can be told to be the odd one.
UNIT_SQL = f"""
INSERT INTO signals
WITH per_source AS (
    SELECT source_id, median(counted_amount) AS med
    FROM grant_facts WHERE counted AND counted_amount > 0 GROUP BY source_id
),
centre AS (SELECT median(med) AS peers, count(*) AS sources FROM per_source)
SELECT {_id("'unit'", "s.source_id")}, 'signal-unit-error',
       'source median >= {UNIT_RATIO} x or <= 1/{UNIT_RATIO} of the median of all sources',
       NULL, NULL, NULL,
       s.med::VARCHAR || ' vs ' || c.peers::VARCHAR,
       (SELECT list(grant_id ORDER BY counted_amount DESC, grant_id)[1:20]
        FROM grant_facts f WHERE f.source_id = s.source_id),
       [s.source_id]
FROM per_source s, centre c
WHERE c.sources >= 3 AND c.peers > 0
  AND (s.med >= {UNIT_RATIO} * c.peers OR s.med * {UNIT_RATIO} <= c.peers)
"""

CLOSED_SQL = f"""
INSERT INTO signals
SELECT {_id("'closed'", "o.org_id")}, 'signal-closed-organisation',
       'convention date after the register closing date', o.org_id, NULL, NULL,
       'closed ' || r.closed::VARCHAR,
       list(f.grant_id ORDER BY f.grant_id), list(DISTINCT f.source_id ORDER BY f.source_id)
FROM organisations o JOIN register_units r ON r.siren = o.siren
JOIN grant_facts f ON f.beneficiary_org = o.org_id
WHERE r.status = 'closed' AND r.closed IS NOT NULL
  AND (f.convention_date > r.closed
       OR (f.convention_date IS NULL AND f.year > year(r.closed)))
GROUP BY o.org_id, r.closed
"""

# The repeated (beneficiary, day, amount) are found first with a plain count: the lists
# and distinct counts are then built for them only, not for millions of single grants.
SAME_DAY_SQL = f"""
INSERT INTO signals
WITH repeated AS (
    SELECT beneficiary_org, convention_date, amount FROM grant_facts
    WHERE beneficiary_org IS NOT NULL AND convention_date IS NOT NULL AND amount > 0
    GROUP BY ALL HAVING count(*) >= 2
)
SELECT {_id("'same-day'", "beneficiary_org", "convention_date", "amount")},
       'signal-same-amount-same-day', 'same beneficiary, day and amount, 2 grants or more',
       beneficiary_org, min(funder_org), year(convention_date),
       amount::VARCHAR || ' x ' || count(*)::VARCHAR
           || ' (' || count(DISTINCT cluster_id)::VARCHAR || ' distinct after duplicates)',
       list(grant_id ORDER BY grant_id), list(DISTINCT source_id ORDER BY source_id)
FROM grant_facts SEMI JOIN repeated USING (beneficiary_org, convention_date, amount)
GROUP BY beneficiary_org, convention_date, amount
"""

RULES: tuple[tuple[str, str], ...] = (
    ("signal-sudden-growth", GROWTH_SQL),
    ("signal-dependence", DEPENDENCE_SQL),
    ("signal-threshold-splitting", SPLITTING_SQL),
    ("signal-unit-error", UNIT_SQL),
    ("signal-closed-organisation", CLOSED_SQL),
    ("signal-same-amount-same-day", SAME_DAY_SQL),
)


def build_signals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Recompute every signal into the ``signals`` table; return how many each rule found."""
    from fundtrail.link.build import run_step

    con.execute("DELETE FROM signals")
    for rule, sql in RULES:
        run_step(con, rule, sql)
    rows = con.execute("SELECT rule, count(*) FROM signals GROUP BY rule").fetchall()
    found = {str(rule): int(n) for rule, n in rows}
    return {rule: found.get(rule, 0) for rule, _ in RULES}


def list_signals(con: duckdb.DuckDBPyConnection, funder: str | None = None) -> list[dict[str, Any]]:
    """Return the signals, optionally only those whose grants come from ``funder``.

    ``funder`` is a query as ``funder_profile`` takes it (name, SIREN, org id). Each signal
    is a dict with its rule, threshold, measured value, the organisations concerned (id and
    name) and the grant ids behind it.
    """
    from fundtrail.analysis.resolve import resolve_organisation

    params: dict[str, Any] = {}
    where = ""
    if funder is not None:
        org = resolve_organisation(con, funder, role="funder")
        if org is None:
            return []
        params["funder"] = org
        where = """WHERE s.funder_org_id = $funder OR EXISTS (
            SELECT 1 FROM grant_facts f WHERE f.funder_org = $funder
              AND list_contains(s.grant_ids, f.grant_id))"""
    rows = con.execute(
        f"""
        SELECT s.signal_id, s.rule, s.threshold, s.org_id, o.name, s.funder_org_id, fo.name,
               s.year, s.value, s.grant_ids, s.source_ids
        FROM signals s
        LEFT JOIN organisations o ON o.org_id = s.org_id
        LEFT JOIN organisations fo ON fo.org_id = s.funder_org_id
        {where}
        ORDER BY s.rule, s.year NULLS LAST, o.name, s.signal_id
        """,  # the WHERE clause is a constant chosen above
        params,
    ).fetchall()
    keys = (
        "signal_id", "rule", "threshold", "org_id", "org_name", "funder_org_id",
        "funder_name", "year", "value", "grant_ids", "source_ids",
    )  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in rows]
