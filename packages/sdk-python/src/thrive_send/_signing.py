"""Signs requests for an organization that requires it (``POST /request-signing/rotate``
turns it on): ``X-Thrive-Timestamp`` (Unix seconds) and ``X-Thrive-Signature: v1=<hex
HMAC-SHA256 of "METHOD\\npath?query\\ntimestamp\\nhex SHA-256(body)">``, keyed with the
secret's UTF-8 bytes."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

import httpx


class RequestSigner:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode("utf-8")
        self._last_signed: dict[str, int] = {}
        self._lock = threading.Lock()

    def sign(self, request: httpx.Request) -> None:
        """Adds the two headers to one attempt of a request, as it goes on the wire."""
        target = f"{request.method.upper()}\n{request.url.raw_path.decode('ascii')}"
        body_hash = hashlib.sha256(request.content).hexdigest()
        timestamp = self._timestamp_for(f"{target}\n{body_hash}")
        base = f"{target}\n{timestamp}\n{body_hash}"
        signature = hmac.new(self._key, base.encode("utf-8"), hashlib.sha256).hexdigest()
        request.headers["X-Thrive-Timestamp"] = str(timestamp)
        request.headers["X-Thrive-Signature"] = f"v1={signature}"

    def _timestamp_for(self, request: str) -> int:
        """Now, or a second after this request's previous signature: the API accepts a signed
        request once, so the same one signed again within a second (a retry, a poll) would be
        a replay. Timestamps up to five minutes ahead are accepted."""
        now = int(time.time())
        with self._lock:
            timestamp = max(now, self._last_signed.get(request, 0) + 1)
            self._last_signed[request] = timestamp
            if len(self._last_signed) > 1000:
                for key in [key for key, last in self._last_signed.items() if last < now]:
                    del self._last_signed[key]
        return timestamp
