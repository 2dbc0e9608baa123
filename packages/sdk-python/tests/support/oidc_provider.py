"""A real OpenID provider for the single sign-on tests: ``oidc_provider.ts`` (apps/api's test
provider) in a Node process, driven one JSON line at a time."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.support.live_server import REPO_ROOT

SCRIPT = Path(__file__).with_name("oidc_provider.ts")


class OidcProvider:
    def __init__(self, redirect_uri: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH: the provider runs in it")
        self._process = subprocess.Popen(
            [node, str(SCRIPT), redirect_uri],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        ready = self._read()
        self.issuer: str = ready["issuer"]
        self.client_id: str = ready["clientId"]
        self.client_secret: str = ready["clientSecret"]

    def sign_in_as(self, sub: str, email: str) -> None:
        """Who "types their password" at the provider on the next sign-in."""
        self._ask({"signInAs": {"sub": sub, "email": email}})

    def authorize(self, url: str) -> str:
        """A browser at the provider: the URL it is sent back to (the API's callback)."""
        answer = self._ask({"authorize": url})
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return str(answer["callback"])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(command) + "\n")
        self._process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the OpenID provider stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer
