"""The public web site and its JSON API: ``create_app(db)`` gives the FastAPI application.

Every page is one data function (``fundtrail.web.pages``) rendered three ways: HTML at
``/x/123``, JSON at ``/x/123.json`` and CSV at ``/x/123.csv?table=...`` (or a streamed
export of every row for the long lists). Lists are paged by keyset: ``after`` is the cursor
a page returns as ``next``, ``limit`` is 50 by default and at most 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from fundtrail.dossier import example_path
from fundtrail.web import routes
from fundtrail.web.cache import DEFAULT_BYTES, PageCache, file_signature
from fundtrail.web.db import Store
from fundtrail.web.pages.dossiers import dossier_name
from fundtrail.web.problems import ERROR_RESPONSES, WebError, error_body
from fundtrail.web.render import ENV, ExactJSONResponse, lang_of
from fundtrail.web.security import BodyTooLarge, SecurityMiddleware
from fundtrail.web.texts import text

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


def create_app(
    db: str | Path,
    dossiers: Sequence[str | Path] | None = None,
    threads: int | None = None,
    page_cache_bytes: int = DEFAULT_BYTES,
) -> FastAPI:
    """Return the web application serving the store at ``db``, opened read-only.

    ``dossiers`` are dossier files to serve (default: the ENE demo dossier shipped with
    fundtrail); each is checked against the store when its page is asked for. ``threads``
    caps DuckDB's threads per query (see ``Store``). ``page_cache_bytes`` bounds the pages
    kept for repeated visits (``fundtrail.web.cache``; 0: none).
    """
    store = Store(db, threads)
    if dossiers is None:
        dossiers = [example_path("ene")]
    served = {dossier_name(Path(p)): Path(p) for p in dossiers}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.warm()  # a worker's first organisation page need not wait for it
        yield
        store.close()

    app = FastAPI(
        title="fundtrail",
        summary="Subventions publiques : qui finance qui / public grants: who funds whom",
        description=(
            "Every page of the site has a JSON twin (`/x/123.json`) and CSV exports. Lists "
            "are paged by keyset: pass the `next` value of a page as `after`; `limit` is 50 "
            "by default, at most 500. Exports stream every row, with no cap. Errors all "
            'share one shape: `{"error": {"status", "code", "message", "detail"}}`.'
        ),
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN: never on this site
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.store = store
    read: list[str | Path] = [*served.values()]
    if store.path != ":memory:":
        read.append(store.path)
    # inside the security middleware: a page from the cache gets its headers like any other
    app.add_middleware(
        PageCache, signature=lambda: file_signature(read), max_bytes=page_cache_bytes
    )
    app.add_middleware(SecurityMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    routes.add_routes(app, store, served)
    return app


def _wants_json(request: Request) -> bool:
    """Return True when the error is answered in JSON: the API, or a client not asking HTML."""
    path = request.url.path
    if path.endswith((".json", ".csv")) or path.startswith("/openapi"):
        return True
    route = request.scope.get("route")
    if route is not None:
        # A page answers its errors as a page, as its OpenAPI entry documents.
        return getattr(route, "response_class", None) is not HTMLResponse
    return "text/html" not in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str, detail: Any = None) -> Response:
    """Return the one error shape, as JSON or as an HTML page carrying the same fields."""
    lang = lang_of(request)
    body = error_body(status, code, lang, detail)
    if _wants_json(request):
        return ExactJSONResponse(body, status_code=status)
    page = ENV.get_template("error.html").render(
        data=body, lang=lang, t=lambda key: text(key, lang), link=lambda p, **_: p,
        links=None, request=request, page_url=str(request.url),
        colon=" : " if lang == "fr" else ": ",
    )  # fmt: skip
    return HTMLResponse(page, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    """Route every error, whatever raised it, to ``error_response``."""

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return error_response(request, exc.status, exc.code, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not-found", 405: "method-not-allowed"}.get(
            exc.status_code, "invalid-parameter"
        )
        return error_response(request, exc.status_code, code, None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"where": [str(p) for p in e.get("loc", ())], "problem": e.get("type")}
            for e in exc.errors()
        ]
        return error_response(request, 422, "invalid-parameter", detail)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        if isinstance(exc, BodyTooLarge):
            return error_response(request, 413, "request-too-large", None)
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "internal-error", None)


__all__ = ["create_app", "error_response"]
