"""Organisation and funder pages already computed, kept per worker for the store's version.

The site never writes and the store only changes when it is rebuilt as a whole; a page is
a function of its address, its language and the files it reads (the store and the dossier
files). So the responses of the costly pages (an organisation's, a funder's, HTML or JSON)
are kept, least recently used first out, up to a size in bytes, and every one of them is
forgotten as soon as the store or a dossier file changes (size or modification time). A
page is computed in full on its first visit: the cache only spares repeated visits (a
popular organisation, a page reloaded, the same page in both languages is two entries).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from starlette.datastructures import QueryParams

from fundtrail.web.locale import choose_lang
from fundtrail.web.security import ASGIApp, Message, Receive, Scope, Send

# The pages kept: an organisation's or a funder's page and its JSON twin (not their CSV
# exports or grant lists, which are streamed or paged).
CACHED = re.compile(r"^/(organisations|funders)/[^/]+?(\.json)?$")

# Bytes kept per worker by default: some hundreds of pages.
DEFAULT_BYTES = 64 * 1024 * 1024

Signature = tuple[tuple[float, int] | None, ...]


def file_signature(paths: Iterable[Path | str]) -> Signature:
    """Return (modification time, size) of each file of ``paths`` (None for a missing one)."""
    found: list[tuple[float, int] | None] = []
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            found.append(None)
        else:
            found.append((stat.st_mtime, stat.st_size))
    return tuple(found)


class PageCache:
    """An ASGI middleware answering a page already computed from memory.

    ``signature`` gives the version of what the pages read; ``max_bytes`` 0 turns the
    cache off.
    """

    def __init__(
        self, app: ASGIApp, signature: Callable[[], Signature], max_bytes: int = DEFAULT_BYTES
    ) -> None:
        self.app = app
        self.signature = signature
        self.max_bytes = max_bytes
        self.version: Signature | None = None
        self.entries: OrderedDict[tuple[Any, ...], tuple[Message, bytes]] = OrderedDict()
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer ``scope`` from the cache when it holds it, else through the app."""
        if (
            self.max_bytes <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not CACHED.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        version = self.signature()
        if version != self.version:
            self.entries.clear()
            self.size = 0
            self.version = version
        key = _key(scope)
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            start, body = found
            await send(dict(start))
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await self._through(scope, receive, send, key)

    async def _through(self, scope: Scope, receive: Receive, send: Send, key: Any) -> None:
        """Serve ``scope`` through the app, keeping a complete 200 response.

        It is kept before its last part is sent: a client that has the page finds it kept.
        """
        start: Message | None = None
        chunks: list[bytes] = []
        whole = True

        async def keeping(message: Message) -> None:
            nonlocal start, whole
            if message["type"] == "http.response.start":
                start = dict(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    whole = False  # streamed: not kept
                elif whole and start is not None and start.get("status") == 200:
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, key: Any, start: Message, body: bytes) -> None:
        """Keep ``body`` under ``key``, dropping the least recently used beyond the size."""
        if len(body) > self.max_bytes // 2:
            return  # one page may not push out all the others
        self.entries[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, (_, dropped) = self.entries.popitem(last=False)
            self.size -= len(dropped)


def _key(scope: Scope) -> tuple[Any, ...]:
    """Return what a page depends on in a request: address and language (not other headers)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    query = scope.get("query_string", b"").decode("latin-1")
    # the language as the page chooses it (``fundtrail.web.render.lang_of``)
    lang = choose_lang(QueryParams(query).get("lang"), headers.get("accept-language"))
    return (scope.get("scheme"), headers.get("host"), scope["path"], query, lang)
