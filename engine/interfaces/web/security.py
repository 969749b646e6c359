"""Safe by default: a body limit, a strict Content-Security-Policy, and no cross-site writes.

Pure ASGI middleware (no request object is built), so an oversized body is refused before any
handler reads it, whether it announces its length or streams it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

MAX_BODY = 1_000_000
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class TooLarge(Exception):
    pass


def _problem(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"status": status, "title": title, "detail": detail, "errors": []}).encode()


async def _respond(send: Send, status: int, title: str, detail: str) -> None:
    body = _problem(status, title, detail)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a body over MAX_BODY bytes: by its Content-Length, or by counting what arrives."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _respond(send, 413, "Request body too large", f"the limit is {self.limit} bytes")
        received = 0
        started = False

        async def counting_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except TooLarge:
            if not started:
                await _respond(send, 413, "Request body too large", f"the limit is {self.limit} bytes")


class SecurityHeaders:
    """CSP, nosniff, no referrer, no framing; and a refusal of writes sent from another site.

    A page on another site may POST a form to a local server (CSRF, DNS rebinding); browsers say
    where a request comes from in Sec-Fetch-Site and Origin, so cross-site writes get 403.
    """

    def __init__(self, app, extra: list[tuple[bytes, bytes]] | None = None):
        self.app, self.extra = app, extra or []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and _cross_site(headers):
            return await _respond(send, 403, "Cross-site request refused", "send requests from this workbench's pages")

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    *self.extra,
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def _cross_site(headers: dict[bytes, bytes]) -> bool:
    """Browsers send Sec-Fetch-Site; other clients (curl, scripts) send neither it nor a foreign Origin."""
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None or origin == b"null":
        return False
    return origin.split(b"://", 1)[-1] != headers.get(b"host", b"")
