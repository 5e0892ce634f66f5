"""Splink (probabilistic record linkage, DuckDB backend) against the scored name matcher.

The issue expects Splink for layer 2 unless something simpler does better on the labelled
set. Both see the same thing: the normalised name of a grant whose identifier is hidden,
and the names of identified organisations (leave-one-out). With a name as the only field
at hand (SCDL rows carry no address), Splink's model has one comparison, its EM cannot
tell m from u, and every level gets about the prior. Measured here:

- Splink, u by random sampling, m by EM (blocked on the first word): best threshold 0.05
  gives precision 0.868, recall 0.838; any higher threshold links nothing;
- the scored matcher of ``fundtrail.link``: precision 1.000, recall 0.953.

(Splink with m estimated from the truth labels themselves, which a real run does not have,
equals the matcher at 0.5 and gives precision 0.985 / recall 0.965 below it.) So layer 2
is the scored matcher; Splink becomes worth it when rows carry more fields (address,
creation date from the register).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from fundtrail.link.evaluate import evaluate_names
from test_link_fixtures import real_store


def splink_figures(con, findable: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Return the best (precision, recall) of unsupervised Splink over a few thresholds."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    con.execute(
        """CREATE OR REPLACE TABLE sp_left AS
           SELECT p.grant_id AS unique_id, p.name_key, split_part(p.name_key, ' ', 1)
                  AS first_word, t.truth AS org_id, NULL::VARCHAR AS only_party
           FROM eval_party p JOIN eval_truth t USING (grant_id, role)
           WHERE NOT t.contradictory"""
    )
    con.execute(
        """CREATE OR REPLACE TABLE sp_right AS
           SELECT org_id || '|' || name_key AS unique_id, name_key, first_word, org_id,
                  only_party
           FROM link_name_index"""
    )
    api = DuckDBAPI(con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.JaroWinklerAtThresholds("name_key", [0.99, 0.95, 0.9, 0.8])],
        blocking_rules_to_generate_predictions=[block_on("first_word")],
    )
    linker = Linker([api.register("sp_left"), api.register("sp_right")], settings,
                    log_level=logging.WARNING)  # fmt: skip
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_key")], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_word"))
    predicted = linker.inference.predict(threshold_match_probability=0.01)
    best = (0.0, 0.0)
    for threshold in (0.05, 0.2, 0.5, 0.9):
        linked, correct = con.execute(
            f"""
            WITH p AS (
                SELECT l.unique_id AS g, r.org_id, x.match_probability AS prob, l.org_id AS truth
                FROM {predicted.physical_name} x
                JOIN sp_left l ON l.unique_id IN (x.unique_id_l, x.unique_id_r)
                JOIN sp_right r ON r.unique_id IN (x.unique_id_l, x.unique_id_r)
                WHERE r.only_party IS DISTINCT FROM l.unique_id || '/beneficiary'
            ),
            top AS (SELECT g, any_value(truth) AS truth, max(prob) AS top FROM p GROUP BY g),
            chosen AS (
                SELECT t.g, t.truth, count(DISTINCT p.org_id) AS orgs, min(p.org_id) AS org
                FROM top t JOIN p ON p.g = t.g AND p.prob = t.top
                WHERE t.top >= {threshold} GROUP BY t.g, t.truth
            )
            SELECT count(*) FILTER (WHERE orgs = 1),
                   count(*) FILTER (WHERE orgs = 1 AND org = truth)
            FROM chosen
            """  # the table name comes from Splink, the threshold from the tuple above
        ).fetchall()[0]
        if linked:
            figures = (correct / linked, correct / findable)
            if sum(figures) > sum(best):
                best = figures
    return best


@pytest.mark.shared
def test_scored_matcher_beats_unsupervised_splink(shared_data: Path) -> None:
    con = real_store(shared_data)
    ours = evaluate_names(con)
    precision, recall = splink_figures(con, ours.findable)
    print({"splink_precision": precision, "splink_recall": recall, **ours.as_dict()})
    assert ours.precision >= precision
    assert ours.recall >= recall
    assert precision < 0.99  # Splink alone misses the target on this set
