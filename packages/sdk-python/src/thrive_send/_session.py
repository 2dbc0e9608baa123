"""A person's session, for a client made with ``session=`` rather than an API key: httpx's
cookie jar keeps the cookies the API sets (sign-up, sign-in, a rotation, single sign-on's) and
sends them back; this adds the CSRF token that changes carry in ``X-CSRF-Token``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

SESSION_COOKIE = "thrive_session"
CSRF_COOKIE = "thrive_csrf"
# Over https the API's cookies carry this prefix (apps/api lib/session-cookie.ts).
HOST_PREFIX = "__Host-"


@dataclass
class SessionState:
    """What the cookie jar does not hold: the ``csrf_token`` of the last session answer, the
    token's only source for a session resumed from its cookie alone."""

    csrf_token: str | None = None


def _cookie(cookies: httpx.Cookies, name: str) -> tuple[str, str] | None:
    for cookie in cookies.jar:
        if cookie.name in (name, HOST_PREFIX + name) and cookie.value:
            return cookie.name, cookie.value
    return None


def session_cookie(cookies: httpx.Cookies) -> str | None:
    """The session cookie as ``name=value``; None when signed out."""
    found = _cookie(cookies, SESSION_COOKIE)
    return f"{found[0]}={found[1]}" if found else None


def csrf_token(cookies: httpx.Cookies, state: SessionState) -> str | None:
    """The CSRF cookie's (the latest: a rotation's too), else the last session answer's."""
    found = _cookie(cookies, CSRF_COOKIE)
    return found[1] if found else state.csrf_token


def resume(cookies: httpx.Cookies, base_url: str, value: str) -> None:
    """Puts a session cookie (``name=value``, or the bare token) in the jar for the API's host."""
    name, separator, token = value.partition("=")
    if not separator:
        prefix = HOST_PREFIX if base_url.startswith("https:") else ""
        name, token = prefix + SESSION_COOKIE, value
    cookies.set(name.strip(), token.strip(), domain=urlsplit(base_url).hostname or "", path="/")
