"""Security of the public site: strict headers on every response, bounded requests.

The site loads nothing from elsewhere and runs no script of its own, so its
Content-Security-Policy allows only its own style sheet and images.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fundtrail.web.locale import choose_lang
from fundtrail.web.problems import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    # A page's language follows Accept-Language when ?lang= is absent: caches must know.
    (b"vary", b"Accept-Language"),
)

MAX_BODY = 256 * 1024  # a pasted text to check: far more than any article
MAX_QUERY = 4096
MAX_PATH = 2048


class SecurityMiddleware:
    """Adds the security headers to every response and refuses oversized requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve ``scope`` through the app, or answer 413/414 when it is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        too_large = _too_large(scope, headers)
        if too_large is not None:
            await _refuse(scope, send, headers, *too_large)
            return

        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY:
                    raise BodyTooLarge
            return message

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, bounded_receive, secured_send)


class BodyTooLarge(Exception):
    """A request body grew past MAX_BODY while it was read."""


def _too_large(scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
    """Return (status, detail) when the request's path, query or declared body is too large."""
    if len(scope.get("raw_path") or scope["path"]) > MAX_PATH:
        return 414, f"path longer than {MAX_PATH} bytes"
    if len(scope.get("query_string", b"")) > MAX_QUERY:
        return 414, f"query longer than {MAX_QUERY} bytes"
    length = headers.get("content-length", "0")
    if not length.isdigit() or int(length) > MAX_BODY:
        return 413, f"body larger than {MAX_BODY} bytes"
    return None


async def _refuse(
    scope: Scope, send: Send, headers: dict[str, str], status: int, detail: str
) -> None:
    """Answer the one error shape for a request refused before it reached the app."""
    lang = choose_lang(None, headers.get("accept-language"))
    body = json.dumps(error_body(status, "request-too-large", lang, detail)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
