"""Search organisations by name or identifier, for the search box of the web site."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from fundtrail.analysis.resolve import resolve_organisation
from fundtrail.link.names import name_key

_COLUMNS = ("org_id", "name", "kind", "level", "siren", "rna", "commune", "score")


def search_organisations(
    con: duckdb.DuckDBPyConnection, text: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Return up to ``limit`` organisations matching ``text``, best first.

    An identifier (SIREN, SIRET, RNA, org id) gives its organisation alone. A name is
    compared by its normalised key: equal keys first, then keys containing every word of
    the query, then keys similar to it (Jaro-Winkler >= 0.85). Each result has the
    organisation's id, name, kind, level, SIREN, RNA, commune and a ``score`` in [0, 1].
    """
    text = text.strip()
    if not text:
        return []
    compact = re.sub(r"[\s.]", "", text).upper()
    if (compact.isdigit() and len(compact) in (9, 14)) or re.match(r"^(W\d{9}|FR-|FT-)", compact):
        org = resolve_organisation(con, text)
        if org is None:
            return []
        rows = con.execute(
            "SELECT org_id, name, kind, level, siren, rna, commune, 1.0 FROM organisations "
            "WHERE org_id = $o",
            {"o": org},
        ).fetchall()
        return [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
    key = name_key(text)
    words = [w for w in key.split(" ") if w]
    rows = con.execute(
        """
        WITH scored AS (
            SELECT org_id,
                   max(CASE WHEN name_key = $key THEN 1.0
                            WHEN list_bool_and([contains(name_key, w) FOR w IN $words])
                                THEN 0.9 * jaro_winkler_similarity(name_key, $key) + 0.05
                            ELSE 0.8 * jaro_winkler_similarity(name_key, $key) END) AS score,
                   sum(grants) AS grants
            FROM org_names
            WHERE name_key = $key
               OR list_bool_and([contains(name_key, w) FOR w IN $words])
               OR jaro_winkler_similarity(name_key, $key) >= 0.85
            GROUP BY org_id
        )
        SELECT o.org_id, o.name, o.kind, o.level, o.siren, o.rna, o.commune,
               round(s.score, 3)
        FROM scored s JOIN organisations o USING (org_id)
        ORDER BY s.score DESC, s.grants DESC, o.name
        LIMIT $limit
        """,
        {"key": key, "words": words, "limit": limit},
    ).fetchall()
    return [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
