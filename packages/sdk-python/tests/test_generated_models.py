"""The checked-in models are what scripts/generate.py writes from the spec today, and they
read the spec's own examples."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from tests.support.recorder import SPEC_PATH
from thrive_send import _models, models
from thrive_send._payloads import KNOWN_TYPES, parse_webhook_payload

PACKAGE = Path(__file__).resolve().parents[1]
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", PACKAGE / "scripts" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


def test_checked_in_files_match_a_fresh_generation(tmp_path: Path) -> None:
    written = load_generator().generate(SPEC_PATH, tmp_path)
    for fresh in written:
        checked_in = PACKAGE / "src" / "thrive_send" / fresh.name
        assert checked_in.read_text() == fresh.read_text(), (
            f"{checked_in.name} is stale: run `python scripts/generate.py` in packages/sdk-python"
        )


def test_every_webhook_payload_of_the_spec_is_typed() -> None:
    assert set(SPEC["webhooks"]) == KNOWN_TYPES


@pytest.mark.parametrize("event_type", sorted(SPEC["webhooks"]))
def test_the_webhook_examples_parse_to_their_model(event_type: str) -> None:
    body = SPEC["webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]
    schema_name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    example = body["schema"].get("example") or SPEC["components"]["schemas"][schema_name].get(
        "example"
    )
    assert example is not None, f"{event_type} has no example"
    payload = parse_webhook_payload(json.dumps(example))
    assert type(payload).__name__ == schema_name
    assert payload.type == event_type


def examples() -> list[tuple[str, Any]]:
    found = []
    for name, schema in SPEC["components"]["schemas"].items():
        if "example" in schema and isinstance(getattr(_models, name, None), type):
            found.append((name, schema["example"]))
    return found


@pytest.mark.parametrize(("name", "example"), examples(), ids=[n for n, _ in examples()])
def test_schema_examples_parse(name: str, example: Any) -> None:
    model = getattr(models, name)
    assert issubclass(model, pydantic.BaseModel)
    model.model_validate(example)
