"""What the app's web server adds around Streamlit (``serve.py`` builds ``st.App`` with it).

- Headers on every HTTP response: no page of the app may be framed by another site
  (``X-Frame-Options: DENY``, ``Content-Security-Policy: frame-ancestors 'none'``), no content-type
  sniffing, no referrer sent elsewhere.
- The client's address, as the connection gives it, stamped on every request and WebSocket as the
  header :data:`ADDRESS_HEADER` (any such header the client sent is dropped), which the script reads
  with ``st.context.headers``. ``X-Forwarded-For`` is believed only from the reverse proxies listed
  in ``$DMST_TRUSTED_PROXIES`` (uvicorn's own proxy handling, told which proxies to trust by
  :func:`trust_only_listed_proxies`): otherwise a browser could write any address into the journal.
"""
from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plans import settings

ADDRESS_HEADER = "x-dmst-client-address"
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def trust_only_listed_proxies() -> None:
    """Let the server (uvicorn) read ``X-Forwarded-For`` only from ``$DMST_TRUSTED_PROXIES`` (none by
    default: then every address is the connection's own)."""
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(settings.listed("DMST_TRUSTED_PROXIES"))


class Guard:
    """ASGI middleware: the security headers and the client-address header (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        headers = [(name, value) for name, value in scope.get("headers", []) if name != ADDRESS_HEADER.encode()]
        if client:
            headers.append((ADDRESS_HEADER.encode(), str(client[0]).encode("latin1", "replace")))
        scope = {**scope, "headers": headers}
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[h for h in SECURITY_HEADERS if h[0] not in present]]}
            await send(message)

        await self.app(scope, receive, with_headers)
