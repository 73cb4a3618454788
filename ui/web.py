"""What the app's web server adds around Streamlit (``serve.py`` builds ``st.App`` with it).

- Headers on every HTTP response: no page of the app may be framed by another site
  (``X-Frame-Options: DENY``, ``Content-Security-Policy: frame-ancestors 'none'``), no content-type
  sniffing, no referrer sent elsewhere.
- The client's address, as the connection gives it, stamped on every request and WebSocket as the
  header :data:`ADDRESS_HEADER` (any such header the client sent is dropped), which the script reads
  with ``st.context.headers``. ``X-Forwarded-For`` is believed only from the reverse proxies listed
  in ``$DMST_TRUSTED_PROXIES`` (uvicorn's own proxy handling, told which proxies to trust by
  :func:`trust_only_listed_proxies`): otherwise a browser could write any address into the journal.
- The session cookie (``store.sessions.COOKIE``: ``HttpOnly``, ``SameSite=Lax``, ``Path=/``, and
  ``Secure`` over HTTPS). A script cannot set a cookie, so after a sign-in the page loads a one-pixel
  image from :data:`COOKIE_ROUTE` with a one-time code (:func:`hand_over`, kept in this process's
  memory for ``HANDOVER_SECONDS``): its answer sets the cookie. :data:`FORGET_ROUTE` clears it.
- Files of a session (downloads under ``/media/``, uploads under ``/_stcore/upload_file``) only for a
  valid session cookie: a signed-out, expired or disabled session can download nothing more.
- A mistyped page address gets a Vietnamese "Không tìm thấy trang" with a link to Tổng quan.
"""

from __future__ import annotations

import hashlib
import html
import os
import secrets
import threading
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plans import clock, settings
from store import sessions
from store.db import connection, db_path
from ui.navigation import HOME, page_paths

ADDRESS_HEADER = "x-dmst-client-address"
COOKIE_ROUTE, FORGET_ROUTE = "/dang-nhap/phien", "/dang-xuat/phien"
HANDOVER_SECONDS = 120
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
GUARDED_PREFIXES = ("/media/", "/_stcore/upload_file")
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
    b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
_HANDOVERS: dict[str, tuple[str, float]] = {}
_TAKEN: dict[str, float] = {}
_LOCK = threading.Lock()
NOT_FOUND = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Không tìm thấy trang</title>
<style>body{{font-family:sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#111}}
a{{color:#0b5394}}</style></head><body><h1>Không tìm thấy trang</h1>
<p>Địa chỉ <code>{path}</code> không phải một trang của ứng dụng Theo dõi Xã đổi mới sáng tạo (có thể gõ nhầm hoặc
đường dẫn đã cũ).</p><p><a href="/{home}">Mở trang Tổng quan</a></p></body></html>"""


def trust_only_listed_proxies() -> None:
    """Let the server (uvicorn) read ``X-Forwarded-For`` only from ``$DMST_TRUSTED_PROXIES`` (none by
    default: then every address is the connection's own)."""
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(settings.listed("DMST_TRUSTED_PROXIES"))


def hand_over(token: str) -> str:
    """A one-time code that :data:`COOKIE_ROUTE` turns into the session cookie of ``token``."""
    code = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _LOCK:
        for key in [k for k, (_, until) in _HANDOVERS.items() if until < now]:
            _HANDOVERS.pop(key)
        _HANDOVERS[hashlib.sha256(code.encode()).hexdigest()] = (token, now + HANDOVER_SECONDS)
    return code


def _taken(code: str) -> str | None:
    digest = hashlib.sha256(code.encode()).hexdigest()
    with _LOCK:
        token, until = _HANDOVERS.pop(digest, (None, 0.0))
        if token:
            _TAKEN[digest] = until
    return token if token and until >= time.monotonic() else None


def was_taken(code: str) -> bool:
    """Whether the image of ``code`` has been fetched (the cookie set): until then, a page that was
    left at once (a rerun, a page switch) shows the image again."""
    digest = hashlib.sha256(code.encode()).hexdigest()
    now = time.monotonic()
    with _LOCK:
        for key in [k for k, until in _TAKEN.items() if until < now]:
            _TAKEN.pop(key)
        return digest in _TAKEN


def _pixel(request: Request, token: str | None) -> Response:
    response = Response(PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})
    secure = request.url.scheme == "https"
    if token is None:
        response.delete_cookie(sessions.COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
    else:
        response.set_cookie(
            sessions.COOKIE,
            token,
            max_age=int(sessions.lifetime().total_seconds()),
            path="/",
            secure=secure,
            httponly=True,
            samesite="lax",
        )
    return response


async def set_cookie(request: Request) -> Response:
    """The image a page loads right after a sign-in: sets the cookie for a valid one-time code."""
    token = _taken(request.query_params.get("ma", ""))
    return _pixel(request, token) if token else Response(PIXEL, media_type="image/gif", status_code=403)


async def forget_cookie(request: Request) -> Response:
    """The image a page loads after a sign-out: clears the cookie (the session has ended in the store)."""
    return _pixel(request, None)


ROUTES = [Route(COOKIE_ROUTE, set_cookie, methods=["GET"]), Route(FORGET_ROUTE, forget_cookie, methods=["GET"])]


def _valid(token: str) -> bool:
    try:
        with connection(db_path()) as con:
            found = sessions.find(con, token, clock.now())
    except Exception:  # a store that cannot be read serves no file
        return False
    return found.username is not None


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin1").split(";"):
                key, _, item = part.strip().partition("=")
                if key == sessions.COOKIE:
                    return item
    return None


def _is_unknown_page(scope: Scope) -> bool:
    path = scope.get("path", "/")
    segment = path.strip("/")
    return (
        scope["type"] == "http"
        and scope.get("method") == "GET"
        and "/" not in segment
        and "." not in segment
        and not segment.startswith("_")
        and segment not in page_paths()
    )


class Guard:
    """ASGI middleware: headers, the client's address, session-only files, unknown pages (see the module)."""

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
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *[h for h in SECURITY_HEADERS if h[0] not in present]],
                }
            await send(message)

        path = scope.get("path", "/")
        if path.startswith(GUARDED_PREFIXES):
            token = _cookie(scope)
            if not token or not await run_in_threadpool(_valid, token):
                await Response(
                    "Phiên đăng nhập đã kết thúc; hãy tải lại trang và đăng nhập.",
                    status_code=403,
                    media_type="text/plain; charset=utf-8",
                )(scope, receive, with_headers)
                return
        if _is_unknown_page(scope):
            page = NOT_FOUND.format(path=html.escape(path), home=HOME)
            await HTMLResponse(page, status_code=404)(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
