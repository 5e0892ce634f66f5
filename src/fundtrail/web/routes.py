"""The site's routes: each page's HTML, its JSON twin and its CSV exports, from one function.

A JSON route is registered before its HTML sibling, because ``/x/{id}`` would otherwise
also match ``/x/12.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path as PathLib
from typing import Annotated, Any, Literal, TypeVar

import duckdb
from fastapi import Body, FastAPI, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from fundtrail.dossier.labels import label as dossier_label
from fundtrail.web.csvout import csv_lines
from fundtrail.web.db import Store, stream
from fundtrail.web.pages import (
    analysis,
    check,
    dossiers,
    grants,
    home,
    method,
    organisations,
    profiles,
    search,
    sources,
)
from fundtrail.web.problems import WebError
from fundtrail.web.render import (
    ExactJSONResponse,
    as_json,
    csv_response,
    html,
    lang_of,
    table_csv,
)
from fundtrail.web.sql import key_condition, parse_grant_id

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=500, description="Rows per page (at most 500).")]
_NEXT = "Cursor: the `next` value of the previous page."
After = Annotated[
    str | None, Query(max_length=200, pattern=r"^-?\d{1,30}(\.\d{1,10})?~.+$", description=_NEXT)
]
SourceAfter = Annotated[str | None, Query(pattern=r"^\d{1,10}$", description=_NEXT)]
RowAfter = Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", description=_NEXT)]
GrantAfter = Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}-\d{1,9}$", description=_NEXT)]
Table = Annotated[str, Query(max_length=40, description="Which of the page's tables to export.")]
SourceId = Annotated[int, Path(ge=1, le=2_000_000_000)]
GrantId = Annotated[str, Path(max_length=40, description="'<source>-<table>-<row>'")]
OrgKey = Annotated[
    str, Path(max_length=300, description="SIREN, RNA number, or 'nom:' + folded name")
]
SearchText = Annotated[str, Query(max_length=200, description="Name, SIREN/SIRET or RNA")]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
BandCode = Literal["lt-23k", "23k-100k", "100k-1m", "ge-1m"]
Band = Annotated[BandCode | None, Query(description="Amount band (23k = the legal threshold)")]
Level = Annotated[
    str | None, Query(pattern=r"^[a-z-]{1,30}$", description="Funder level, once linked")
]
FunderName = Annotated[str | None, Query(max_length=300, description="Exact funder name")]

JSON: dict[str, Any] = {"response_class": ExactJSONResponse}
HTML: dict[str, Any] = {"response_class": HTMLResponse}
CSV: dict[str, Any] = {
    "response_class": StreamingResponse,
    "responses": {200: {"content": {"text/csv": {}}, "description": "CSV, every row"}},
}


def using(store: Store, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Return ``work(cursor)`` run on a fresh cursor of ``store``, closed afterwards."""
    with store.serving() as con:
        return work(con)


def streamed(
    store: Store, sql: str, params: list[Any], columns: list[str] | None = None
) -> Iterator[str]:
    """Yield every row of ``sql`` as CSV lines, on a cursor closed once the stream is done."""
    con = store.cursor()  # the stream runs its steps in other contexts: no serving() here
    try:
        yield from csv_lines(stream(con, sql, params), columns)
    finally:
        con.close()


def grant_cursor(after: str | None) -> tuple[int, int, int] | None:
    """Return the (source, table, row) of a grant cursor, or raise a 400 when malformed."""
    if after is None:
        return None
    where = parse_grant_id(after)
    if where is None:
        raise WebError(400, "invalid-cursor", after)
    return where


def add_routes(app: FastAPI, store: Store, dossiers: dict[str, PathLib]) -> None:
    """Register every page, JSON twin and export of the site on ``app``."""
    _home_routes(app, store)
    _check_routes(app)
    _dossier_routes(app, store, dossiers)
    _source_routes(app, store)
    _grant_routes(app, store)
    _search_routes(app, store)
    _organisation_routes(app, store, dossiers)
    _signal_routes(app, store)
    _funder_routes(app, store)


def _home_routes(app: FastAPI, store: Store) -> None:
    def home_data() -> dict[str, Any]:
        figures = store.remembered("key-figures", lambda: using(store, home.key_figures))
        return using(store, lambda con: home.home(con, figures))

    @app.get("/index.json", tags=["home"], summary="Key figures and latest sources", **JSON)
    def home_json(request: Request) -> Any:
        return as_json(request, home_data())

    @app.get("/index.csv", tags=["home"], summary="A table of the home page as CSV", **CSV)
    def home_csv(request: Request, table: Table = "latest_sources") -> Any:
        return table_csv(request, home_data(), table, "home")

    @app.get("/", tags=["home"], summary="Home page", **HTML)
    def home_page(request: Request) -> Any:
        return html(request, "home.html", home_data())

    @app.get("/method.json", tags=["method"], summary="How figures are computed", **JSON)
    def method_json(request: Request) -> Any:
        return as_json(request, method.method(lang_of(request)))

    @app.get("/method", tags=["method"], summary="Method page", **HTML)
    def method_page(request: Request) -> Any:
        return html(request, "method.html", method.method(lang_of(request)))

    def api_routes() -> dict[str, Any]:
        paths = [
            {"path": path, "methods": sorted(m.upper() for m in item), "summary": next(
                (op.get("summary", "") for op in item.values()), "")}
            for path, item in app.openapi()["paths"].items()
        ]  # fmt: skip
        return {"openapi": "/openapi.json", "tables": {"routes": paths}}

    @app.get("/api.json", tags=["method"], summary="The API's routes", **JSON)
    def api_json(request: Request) -> Any:
        return as_json(request, api_routes())

    @app.get("/api", tags=["method"], summary="The API's routes page", **HTML)
    def api_page(request: Request) -> Any:
        return html(request, "api.html", api_routes())


def _source_routes(app: FastAPI, store: Store) -> None:
    def listing(after: str | None, limit: int) -> dict[str, Any]:
        if after is not None and not (after.isdigit() and len(after) <= 10):
            raise WebError(400, "invalid-cursor", after)
        cursor = int(after) if after is not None else None
        return using(store, lambda con: sources.source_list(con, cursor, limit))

    @app.get("/sources.json", tags=["sources"], summary="Source files, newest first", **JSON)
    def sources_json(request: Request, after: SourceAfter = None, limit: Limit = 50) -> Any:
        return as_json(request, listing(after, limit))

    @app.get("/sources.csv", tags=["sources"], summary="Every source file as CSV", **CSV)
    def sources_csv() -> Any:
        sql = f"SELECT {sources.SOURCE_COLUMNS} FROM sources ORDER BY source_id DESC"
        return csv_response(streamed(store, sql, []), "sources.csv")

    @app.get("/sources", tags=["sources"], summary="Source files page", **HTML)
    def sources_page(request: Request, after: SourceAfter = None, limit: Limit = 50) -> Any:
        return html(request, "sources.html", listing(after, limit))

    def quarantine(source_id: int, after: str | None, limit: int) -> dict[str, Any]:
        cursor = sources.parse_row_cursor(after)
        return using(store, lambda con: sources.quarantine_page(con, source_id, cursor, limit))

    @app.get("/sources/{source_id}/quarantine.json", tags=["sources"],
             summary="Quarantined rows with their reasons", **JSON)  # fmt: skip
    def quarantine_json(
        request: Request, source_id: SourceId, after: RowAfter = None, limit: Limit = 50
    ) -> Any:
        return as_json(request, quarantine(source_id, after, limit))

    @app.get("/sources/{source_id}/quarantine.csv", tags=["sources"],
             summary="Every quarantined row as CSV", **CSV)  # fmt: skip
    def quarantine_csv(source_id: SourceId) -> Any:
        using(store, lambda con: sources.source_report(con, source_id))  # 404 when absent
        sql = (
            "SELECT table_id, row_number, reasons, raw FROM quarantine WHERE source_id = ? "
            "ORDER BY table_id, row_number"
        )
        return csv_response(streamed(store, sql, [source_id]), f"source-{source_id}-quarantine.csv")

    @app.get("/sources/{source_id}/quarantine", tags=["sources"],
             summary="Quarantined rows page", **HTML)  # fmt: skip
    def quarantine_page(
        request: Request, source_id: SourceId, after: RowAfter = None, limit: Limit = 50
    ) -> Any:
        return html(request, "quarantine.html", quarantine(source_id, after, limit))

    @app.get("/sources/{source_id}/grants.csv", tags=["sources"],
             summary="Every accepted grant of the file as CSV", **CSV)  # fmt: skip
    def source_grants_csv(source_id: SourceId) -> Any:
        using(store, lambda con: sources.source_report(con, source_id))
        sql = (
            f"SELECT grant_id, row_number, {', '.join(grants.FIELDS)}, flags FROM grants "
            "WHERE source_id = ? ORDER BY table_id, row_number"
        )
        return csv_response(streamed(store, sql, [source_id]), f"source-{source_id}-grants.csv")

    @app.get("/sources/{source_id}/issues.csv", tags=["sources"],
             summary="Every issue of the file as CSV", **CSV)  # fmt: skip
    def source_issues_csv(source_id: SourceId) -> Any:
        using(store, lambda con: sources.source_report(con, source_id))
        sql = (
            "SELECT table_id, row_number, field, code, severity, value, detail FROM issues "
            "WHERE source_id = ? ORDER BY table_id NULLS FIRST, row_number NULLS FIRST, code"
        )
        return csv_response(streamed(store, sql, [source_id]), f"source-{source_id}-issues.csv")

    def report(source_id: int) -> dict[str, Any]:
        return using(store, lambda con: sources.source_report(con, source_id))

    @app.get("/sources/{source_id}.json", tags=["sources"],
             summary="A source file's quality report", **JSON)  # fmt: skip
    def source_json(request: Request, source_id: SourceId) -> Any:
        return as_json(request, report(source_id))

    @app.get("/sources/{source_id}.csv", tags=["sources"],
             summary="One table of the quality report as CSV", **CSV)  # fmt: skip
    def source_csv(request: Request, source_id: SourceId, table: Table = "issues_by_code") -> Any:
        return table_csv(request, report(source_id), table, f"source-{source_id}")

    @app.get("/sources/{source_id}", tags=["sources"], summary="Source file page", **HTML)
    def source_page(request: Request, source_id: SourceId) -> Any:
        return html(request, "source.html", report(source_id))


def _grant_routes(app: FastAPI, store: Store) -> None:
    def detail(grant_id: str) -> dict[str, Any]:
        return using(store, lambda con: grants.grant_detail(con, grant_id))

    @app.get("/grants/{grant_id}.json", tags=["grants"], summary="One grant, every field",
             **JSON)  # fmt: skip
    def grant_json(request: Request, grant_id: GrantId) -> Any:
        return as_json(request, detail(grant_id))

    @app.get("/grants/{grant_id}.csv", tags=["grants"], summary="One table of a grant as CSV",
             **CSV)  # fmt: skip
    def grant_csv(request: Request, grant_id: GrantId, table: Table = "fields") -> Any:
        return table_csv(request, detail(grant_id), table, f"grant-{grant_id}")

    @app.get("/grants/{grant_id}", tags=["grants"], summary="Grant page", **HTML)
    def grant_page(request: Request, grant_id: GrantId) -> Any:
        return html(request, "grant.html", detail(grant_id))


def _search_routes(app: FastAPI, store: Store) -> None:
    def run(query: search.Query, after: str | None, limit: int) -> dict[str, Any]:
        cursor = search.parse_cursor(after)
        return using(store, lambda con: search.search(con, query, cursor, limit))

    @app.get("/search.json", tags=["search"], summary="Organisations matching a query", **JSON)
    def search_json(
        request: Request, q: SearchText = "", year: Year = None, band: Band = None,
        funder: FunderName = None, level: Level = None, after: After = None,
        limit: Limit = 50,
    ) -> Any:  # fmt: skip
        return as_json(request, run(search.Query(q, year, band, funder, level), after, limit))

    @app.get("/search.csv", tags=["search"], summary="Every matching organisation as CSV", **CSV)
    def search_csv(
        q: SearchText = "",
        year: Year = None,
        band: Band = None,
        funder: FunderName = None,
        level: Level = None,
    ) -> Any:
        query = search.Query(q, year, band, funder, level)

        sql, params = using(store, lambda con: search.export_sql(con, query))
        return csv_response(streamed(store, sql, params), "search.csv")

    @app.get("/search", tags=["search"], summary="Search page", **HTML)
    def search_page(
        request: Request, q: SearchText = "", year: Year = None, band: Band = None,
        funder: FunderName = None, level: Level = None, after: After = None,
        limit: Limit = 50,
    ) -> Any:  # fmt: skip
        return html(
            request, "search.html", run(search.Query(q, year, band, funder, level), after, limit)
        )


def _grant_list_routes(app: FastAPI, store: Store, kind: str, base: str, tag: str) -> None:
    """Register the paged grants of an organisation or a funder, and their full export."""

    def page(key: str, after: str | None, limit: int) -> dict[str, Any]:
        cursor = grant_cursor(after)
        data = using(store, lambda con: organisations.grants_of(con, key, kind, cursor, limit))
        data["kind"] = kind
        return data

    @app.get(f"{base}/{{key}}/grants.json", tags=[tag], summary="Grants, paged", **JSON)
    def grants_json(
        request: Request, key: OrgKey, after: GrantAfter = None, limit: Limit = 50
    ) -> Any:
        return as_json(request, page(key, after, limit))

    @app.get(f"{base}/{{key}}/grants.csv", tags=[tag], summary="Every grant as CSV", **CSV)
    def grants_csv(key: OrgKey) -> Any:
        org_id = using(store, lambda con: organisations.linked_id(con, key, kind))
        if org_id is not None:  # linked store: the grants the page counts, with their links
            sql, params = profiles.csv_sql(kind, grants.FIELDS), [org_id]
        else:
            condition, params = key_condition(key, kind)
            sql = (
                f"SELECT grant_id, {', '.join(grants.FIELDS)} FROM grants WHERE {condition} "
                "ORDER BY source_id, table_id, row_number"
            )
        return csv_response(streamed(store, sql, params), f"{kind}-{key}-grants.csv")

    @app.get(f"{base}/{{key}}/grants", tags=[tag], summary="Grants page", **HTML)
    def grants_page(
        request: Request, key: OrgKey, after: GrantAfter = None, limit: Limit = 50
    ) -> Any:
        return html(request, "grant_list.html", page(key, after, limit))


def _organisation_routes(app: FastAPI, store: Store, paths: dict[str, PathLib]) -> None:
    _grant_list_routes(app, store, "beneficiary", "/organisations", "organisations")

    def profile(key: str) -> dict[str, Any]:
        def work(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
            data = organisations.organisation(con, key)
            data["dossiers"] = dossiers.dossiers_of(paths, data["organisation"]["siren"])
            return data

        return using(store, work)

    @app.get("/organisations/{key}.json", tags=["organisations"],
             summary="An organisation's funding profile", **JSON)  # fmt: skip
    def organisation_json(request: Request, key: OrgKey) -> Any:
        return as_json(request, profile(key))

    @app.get("/organisations/{key}.csv", tags=["organisations"],
             summary="One table of the profile as CSV", **CSV)  # fmt: skip
    def organisation_csv(request: Request, key: OrgKey, table: Table = "by_funder") -> Any:
        return table_csv(request, profile(key), table, "organisation")

    @app.get("/organisations/{key}", tags=["organisations"], summary="Organisation page",
             **HTML)  # fmt: skip
    def organisation_page(request: Request, key: OrgKey) -> Any:
        return html(request, "organisation.html", profile(key))


def _funder_routes(app: FastAPI, store: Store) -> None:
    _grant_list_routes(app, store, "funder", "/funders", "funders")

    def page(key: str) -> dict[str, Any]:
        return using(store, lambda con: organisations.funder(con, key))

    @app.get("/funders/{key}.json", tags=["funders"], summary="A funder's page", **JSON)
    def funder_json(request: Request, key: OrgKey) -> Any:
        return as_json(request, page(key))

    @app.get("/funders/{key}.csv", tags=["funders"], summary="One table as CSV", **CSV)
    def funder_csv(request: Request, key: OrgKey, table: Table = "by_year") -> Any:
        return table_csv(request, page(key), table, "funder")

    @app.get("/funders/{key}", tags=["funders"], summary="Funder page", **HTML)
    def funder_page(request: Request, key: OrgKey) -> Any:
        return html(request, "funder.html", page(key))


CheckText = Annotated[str, Query(max_length=3000, description="A short text to check")]


def _check_routes(app: FastAPI) -> None:
    @app.get("/check.json", tags=["check"], summary="Check the figures of a short text", **JSON)
    def check_json(request: Request, text: CheckText = "") -> Any:
        return as_json(request, check.text_check(text, lang_of(request)))

    @app.post("/check.json", tags=["check"], summary="Check the figures of a text", **JSON)
    def check_json_post(
        request: Request,
        text: Annotated[str, Body(embed=True, max_length=check.MAX_TEXT)],
    ) -> Any:
        return as_json(request, check.text_check(text, lang_of(request)))

    @app.get("/check", tags=["check"], summary="Check a text (form, or ?text= permalink)", **HTML)
    def check_page(request: Request, text: CheckText = "") -> Any:
        data = check.text_check(text, lang_of(request)) if text else {"text": ""}
        return html(request, "check.html", data)

    @app.post("/check", tags=["check"], summary="Check a pasted text", **HTML)
    def check_form(
        request: Request, text: Annotated[str, Form(max_length=check.MAX_TEXT)] = ""
    ) -> Any:
        return html(request, "check.html", check.text_check(text, lang_of(request)))


DossierName = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


def _dossier_routes(app: FastAPI, store: Store, paths: dict[str, PathLib]) -> None:
    def page(request: Request, name: str) -> dict[str, Any]:
        lang = lang_of(request)
        return using(store, lambda con: dossiers.dossier_page(con, paths, name, lang))

    @app.get("/dossiers.json", tags=["dossiers"], summary="The dossiers served", **JSON)
    def dossiers_json(request: Request) -> Any:
        return as_json(request, dossiers.dossier_index(paths))

    @app.get("/dossiers", tags=["dossiers"], summary="Dossiers page", **HTML)
    def dossiers_page(request: Request) -> Any:
        return html(request, "dossiers.html", dossiers.dossier_index(paths))

    @app.get("/dossiers/{name}.json", tags=["dossiers"], summary="A dossier checked", **JSON)
    def dossier_json(request: Request, name: DossierName) -> Any:
        data = page(request, name)
        data.pop("view")
        return as_json(request, data)

    @app.get("/dossiers/{name}.csv", tags=["dossiers"], summary="One table as CSV", **CSV)
    def dossier_csv(request: Request, name: DossierName, table: Table = "reconciliation") -> Any:
        return table_csv(request, page(request, name), table, f"dossier-{name}")

    @app.get("/dossiers/{name}", tags=["dossiers"], summary="Dossier page", **HTML)
    def dossier_html(request: Request, name: DossierName) -> Any:
        lang = lang_of(request)
        extra = {"L": lambda key: dossier_label(key, lang), "C": ": " if lang == "en" else " : "}
        return html(request, "dossier.html", page(request, name), extra=extra)


def _signal_routes(app: FastAPI, store: Store) -> None:
    def page(funder: str | None) -> dict[str, Any]:
        found = using(store, lambda con: analysis.signals(con, funder))
        return {"funder": funder, "tables": {"signals": found}}

    @app.get("/signals.json", tags=["signals"], summary="Watchdog signals", **JSON)
    def signals_json(request: Request, funder: FunderName = None) -> Any:
        return as_json(request, page(funder))

    @app.get("/signals.csv", tags=["signals"], summary="Every signal as CSV", **CSV)
    def signals_csv(request: Request, funder: FunderName = None, table: Table = "signals") -> Any:
        return table_csv(request, page(funder), table, "signals")

    @app.get("/signals", tags=["signals"], summary="Signals page", **HTML)
    def signals_page(request: Request, funder: FunderName = None) -> Any:
        return html(request, "signals.html", page(funder))
