"""Records which operations of the spec the live tests called, from the requests on the
wire (httpx event hooks), so a test can check that every operation was exercised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

SPEC_PATH = Path(__file__).resolve().parents[4] / "openapi" / "openapi.json"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def spec_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (METHOD, path template) for every operation of the spec."""
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    operations: dict[str, tuple[str, str]] = {}
    for template, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operations[item[method]["operationId"]] = (method.upper(), template)
    return operations


def _matchers() -> list[tuple[str, re.Pattern[str], str]]:
    matchers = [
        (method, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), operation_id)
        for operation_id, (method, template) in spec_operations().items()
    ]
    # Literal segments first: /suppressions/batch/add before /suppressions/{id_or_email}.
    matchers.sort(key=lambda matcher: matcher[1].pattern.count("[^/]+"))
    return matchers


class OperationRecorder:
    def __init__(self) -> None:
        self.called: set[str] = set()
        self._matchers = _matchers()

    def record(self, request: httpx.Request) -> None:
        for method, pattern, operation_id in self._matchers:
            if request.method == method and pattern.match(request.url.path):
                self.called.add(operation_id)
                return

    async def arecord(self, request: httpx.Request) -> None:
        self.record(request)


RECORDER = OperationRecorder()
