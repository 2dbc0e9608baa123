"""Starts the real API (and worker) on an embedded PostgreSQL with the repository's
``apps/api/scripts/live-server.ts``, and stops it when the tests are done."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[4]
SCRIPT = REPO_ROOT / "apps" / "api" / "scripts" / "live-server.ts"
START_TIMEOUT_SECONDS = 180  # a first run creates the embedded cluster


@dataclass(frozen=True)
class LiveServer:
    url: str
    api_key: str
    other_api_key: str
    smtp_url: str


class LiveServerProcess:
    def __init__(self, name: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH: the live tests start the API with it")
        self._log: IO[bytes] = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [node, str(SCRIPT), name],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env={**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn")},
        )

    def wait_ready(self) -> LiveServer:
        line: list[bytes] = []
        assert self._process.stdout is not None
        stdout = self._process.stdout
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        if not line or not line[0].strip():
            self.stop()
            raise RuntimeError(f"the live server did not start:\n{self._stderr_tail()}")
        info = json.loads(line[0])
        return LiveServer(
            url=info["url"],
            api_key=info["apiKey"],
            other_api_key=info["otherApiKey"],
            smtp_url=info["smtpUrl"],
        )

    def stop(self) -> None:
        # Closing stdin asks the server to stop and drop its database; SIGTERM if it lingers.
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._log.close()

    def _stderr_tail(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]
