"""Turning a page's data into a response: HTML (Jinja2, autoescaped), JSON or CSV.

The same dictionary feeds all three: the HTML template reads it, the JSON twin is it
(decimals written as strings so that no amount goes through a float), and the CSV export
takes one of its tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from fundtrail.analysis.figures import PLAIN_TYPES
from fundtrail.catalogue import CATALOGUE
from fundtrail.catalogue import render as render_code
from fundtrail.web.charts import bar_chart
from fundtrail.web.csvout import dict_rows_csv
from fundtrail.web.locale import (
    Lang,
    choose_lang,
    format_money,
    format_number,
    format_share,
    format_signal_value,
)
from fundtrail.web.problems import WebError
from fundtrail.web.texts import text

TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "xml", "svg"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def to_jsonable(value: Any) -> Any:
    """Return ``value`` for JSON: Decimals as exact strings, dates in ISO."""
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


class ExactJSONResponse(JSONResponse):
    """A JSON response whose decimals stay exact (written as strings)."""

    def render(self, content: Any) -> bytes:
        """Return ``content`` as UTF-8 JSON bytes."""
        return json.dumps(to_jsonable(content), ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8"
        )


def lang_of(request: Request) -> Lang:
    """Return the language of ``request`` (its ``lang`` parameter, else Accept-Language)."""
    return choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


def message_of(code: str, lang: Lang) -> str:
    """Return the catalogue message of ``code``, or the code itself when it is not known."""
    return render_code(code, lang) if code in CATALOGUE else code


def annotate(value: Any, lang: Lang) -> Any:
    """Add catalogue messages beside codes in the tables: ``code``, ``rule``, ``reasons``."""
    if isinstance(value, list):
        for item in value:
            annotate(item, lang)
    elif isinstance(value, dict):
        if isinstance(value.get("code"), str):
            value["message"] = message_of(value["code"], lang)
        if isinstance(value.get("rule"), str):
            value["rule_message"] = message_of(value["rule"], lang)
            if isinstance(value.get("value"), str):  # a signal's measured figure
                value["value_display"] = format_signal_value(value["value"], lang)
        if isinstance(value.get("link_method"), str):
            value["link_message"] = message_of(value["link_method"], lang)
        if isinstance(value.get("reasons"), list):
            value["reason_messages"] = [message_of(c, lang) for c in value["reasons"]]
        for item in value.values():
            if isinstance(item, list | dict):
                annotate(item, lang)
    return value


class Links:
    """Builds the site's links, keeping ``?lang=`` when the visitor chose it."""

    def __init__(self, request: Request, lang: Lang) -> None:
        self.request = request
        self.lang = lang
        self.keep_lang = "lang" in request.query_params

    def __call__(self, path: str, **params: Any) -> str:
        """Return ``path`` with ``params`` (None dropped) and the chosen language."""
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        if self.keep_lang:
            query["lang"] = self.lang
        return quote(path, safe="/:") + ("?" + urlencode(query) if query else "")

    def switch(self, lang: Lang) -> str:
        """Return the current page's address in ``lang`` (the permalink of that state)."""
        params = dict(self.request.query_params)
        params["lang"] = lang
        return quote(self.request.url.path, safe="/:") + "?" + urlencode(params)

    def twin(self, suffix: str, **params: Any) -> str:
        """Return the current page's address with ``suffix`` (.json, .csv) and its parameters."""
        query = dict(self.request.query_params)
        query.update({k: str(v) for k, v in params.items() if v is not None})
        path = self.request.url.path.rstrip("/") or "/index"
        return quote(path, safe="/:") + suffix + ("?" + urlencode(query) if query else "")


def chart_items(table: list[dict[str, Any]], label: str, value: str) -> list[tuple[str, Decimal]]:
    """Return (label, amount) pairs of a page table for a chart; '?' for a missing label."""
    return [
        (str(row[label]) if row[label] is not None else "?", Decimal(row[value] or 0))
        for row in table
    ]


def html(
    request: Request,
    template: str,
    data: dict[str, Any],
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    """Return the HTML page ``template`` filled with ``data`` in the request's language."""
    lang = lang_of(request)
    annotate(data, lang)
    links = Links(request, lang)
    page = ENV.get_template(template).render(
        data=data,
        lang=lang,
        t=lambda key: text(key, lang),
        money=lambda v: format_money(v, lang),
        number=lambda v, places=None: format_number(v, lang, places),
        percent=lambda v: format_share(v, lang),
        colon=" : " if lang == "fr" else ": ",
        chart=lambda table, label, value, title: bar_chart(
            chart_items(table, label, value), title, lang
        ),
        link=links,
        links=links,
        request=request,
        page_url=str(request.url),
        **(extra or {}),
    )
    return HTMLResponse(page, status_code=status)


def as_json(request: Request, data: dict[str, Any]) -> ExactJSONResponse:
    """Return ``data`` as the JSON twin of a page (catalogue messages in the request's language)."""
    return ExactJSONResponse(annotate(data, lang_of(request)))


def csv_response(lines: Iterator[str], filename: str) -> StreamingResponse:
    """Return a streamed CSV download called ``filename`` (made safe for the header)."""
    filename = re.sub(r"[^A-Za-z0-9_.-]+", "_", filename)[:100]
    return StreamingResponse(
        (line.encode("utf-8") for line in lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def table_csv(
    request: Request, data: dict[str, Any], table: str, filename: str
) -> StreamingResponse:
    """Return one of the page's tables as CSV; a table the page does not have is a 404."""
    tables = data.get("tables", {})
    if table not in tables:
        raise WebError(404, "unknown-table", {"table": table, "tables": sorted(tables)})
    annotate(tables[table], lang_of(request))
    return csv_response(dict_rows_csv(tables[table]), f"{filename}-{table}.csv")
