"""People for the live tests: their clients (``session=True``), the links emailed to them (read
from the live server's dev inbox), and the codes of their authenticator app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
import uuid
from urllib.parse import unquote

import httpx

import thrive_send
from tests.support.live_server import LiveServer
from tests.support.recorder import RECORDER
from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def person(live: LiveServer, session: bool | str = True) -> thrive_send.Client:
    """A client acting as a person (``session``: a cookie to resume), recorded for the coverage
    test. Sign-up, sign-in and the emailed links share a per-address rate limit: it retries a
    429 after its Retry-After."""
    http = httpx.Client(event_hooks={"request": [RECORDER.record]})
    return thrive_send.Client(base_url=live.url, http_client=http, max_retries=4, session=session)


def emailed_token(live: LiveServer, to: str, link_path: str) -> str:
    """The token of the newest ``link_path`` link (``verify-email``, ``reset-password``,
    ``accept-invitation``) the live server's mail catcher received for ``to``."""
    pattern = re.compile(rf"/{link_path}\?token=([^\s&\"<>]+)")

    def find() -> str | None:
        inbox = httpx.get(f"{live.url}/dev/inbox").json()["data"]
        for message in inbox:
            if to not in (message["to"] or ""):
                continue
            text = httpx.get(f"{live.url}/dev/inbox/{message['id']}").json()["text"] or ""
            found = pattern.search(text)
            if found:
                return unquote(found.group(1))
        return None

    return eventually(find)


def totp(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"
