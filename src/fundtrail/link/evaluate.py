"""Measure layer 2 (names) on a labelled set built from the store itself.

The labelled set is every beneficiary whose published identifier is valid: its identifier
gives the truth (its organisation), then it is hidden and the party is linked by name only,
with the same SQL as ``build_links`` (``fundtrail.link.steps.name_match_sql``), against
the names seen on *other* identified grants, the register and the reference lists (a
grant never finds itself: leave-one-out). Precision is the share of automatic links that
are right; recall the share of findable parties (their organisation has a name in the
index from some other source) that are linked right. The review list is not a link.

A name published with several identifiers has no truth (Montpellier 2019 gives SIRET
50788611700047 to three different associations): such parties are counted apart
(``contradictory``) and left out; in a real run their key is ambiguous and goes to review.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from fundtrail.link import steps
from fundtrail.link.build import SIMILAR_THRESHOLD, prepare, run_step


@dataclass(frozen=True)
class Evaluation:
    """Layer-2 figures on the labelled set."""

    contradictory: int  # left out: their name is published with several identifiers
    labelled: int  # parties with a valid identifier and a name carried by no other
    findable: int  # of which their organisation has a name from elsewhere in the index
    linked: int  # automatic links made (link-name, link-name-reordered)
    correct: int  # of which to the right organisation
    reviewed: int  # parties sent to the review list instead
    precision: float
    recall: float  # correct / findable
    recall_all: float  # correct / labelled

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as plain data."""
        return asdict(self)


def evaluate_names(con: duckdb.DuckDBPyConnection) -> Evaluation:
    """Return precision and recall of name linking on the store's labelled set."""
    prepare(con)
    run_step(con, "parties", steps.PARTIES_SQL)
    run_step(con, "found-table", steps.FOUND_SQL)
    run_step(con, "identifier", steps.IDENTIFIER_SQL)
    run_step(con, "rna", steps.RNA_SQL)
    run_step(con, "name-index", steps.name_index_sql("link_found", "link_party"))
    run_step(
        con,
        "labelled",
        """
        CREATE OR REPLACE TEMP TABLE eval_truth AS
        WITH identified AS (
            SELECT f.grant_id, f.role, f.org_id, p.name_key
            FROM link_found f JOIN link_party p USING (grant_id, role)
            WHERE f.role = 'beneficiary' AND p.name_key <> ''
        ),
        keys AS (SELECT name_key, count(DISTINCT org_id) AS orgs FROM identified GROUP BY 1)
        SELECT i.grant_id, i.role, i.org_id AS truth, k.orgs > 1 AS contradictory
        FROM identified i JOIN keys k USING (name_key)
        """,
    )
    run_step(
        con,
        "hidden",
        """
        CREATE OR REPLACE TEMP TABLE eval_party AS
        SELECT p.grant_id, p.role, p.name, p.name_key
        FROM link_party p JOIN eval_truth USING (grant_id, role)
        """,
    )
    run_step(
        con,
        "nothing-found",
        "CREATE OR REPLACE TEMP TABLE eval_none (grant_id VARCHAR, role VARCHAR)",
    )
    run_step(
        con,
        "match",
        steps.name_match_sql("eval_party", "eval_none"),
        {"similar": SIMILAR_THRESHOLD},
    )
    contradictory = int(
        con.execute("SELECT count(*) FROM eval_truth WHERE contradictory").fetchall()[0][0]
    )
    (row,) = con.execute(
        """
        WITH outcome AS (
            SELECT t.grant_id, t.truth,
                   max(CASE WHEN m.outcome IN ('link-name', 'link-name-reordered')
                            THEN m.org_id END) AS linked_to,
                   bool_or(m.outcome IN ('link-ambiguous-name', 'link-similar-name'))
                       AS reviewed,
                   EXISTS (SELECT 1 FROM link_name_index i
                           WHERE i.org_id = t.truth
                             AND i.only_party IS DISTINCT FROM t.grant_id || '/beneficiary')
                       AS findable
            FROM eval_truth t LEFT JOIN link_name_match m USING (grant_id, role)
            WHERE NOT t.contradictory
            GROUP BY t.grant_id, t.truth
        )
        SELECT count(*), count(*) FILTER (WHERE findable),
               count(linked_to), count(*) FILTER (WHERE linked_to = truth),
               count(*) FILTER (WHERE linked_to IS NULL AND reviewed)
        FROM outcome
        """
    ).fetchall()
    labelled, findable, linked, correct, reviewed = (int(v) for v in row)
    return Evaluation(
        contradictory=contradictory,
        labelled=labelled,
        findable=findable,
        linked=linked,
        correct=correct,
        reviewed=reviewed,
        precision=correct / linked if linked else 1.0,
        recall=correct / findable if findable else 0.0,
        recall_all=correct / labelled if labelled else 0.0,
    )
