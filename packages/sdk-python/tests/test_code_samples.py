"""The Python samples of openapi/openapi.json (its x-codeSamples, written by
apps/api/src/lib/code-samples) and those of the docs' guides (apps/docs/content) are programs
that use this SDK correctly: each one is type-checked with ``mypy --strict`` against the
installed ``thrive_send``, so a sample that calls a method that does not exist, passes keywords
the method does not take or names the wrong model fails here. ruff lints the spec's and checks
they are laid out as it would lay them out.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.recorder import SPEC_PATH
from thrive_send import OPERATION_METHODS

PACKAGE_DIR = Path(__file__).resolve().parents[1]
GUIDES_DIR = PACKAGE_DIR.parents[1] / "apps" / "docs" / "content"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
USES_CLIENT = re.compile(r"\bclient\.")
# Kept between runs (git-ignored): checking the samples then takes seconds, not a minute.
MYPY_CACHE = PACKAGE_DIR / ".mypy_cache" / "code-samples"
MYPY_CONFIG = f"""\
[mypy]
strict = True
python_version = 3.10
plugins = pydantic.mypy
cache_dir = {MYPY_CACHE}
"""
HEADER = """\
import os

from thrive_send import Client

client = Client(api_key=os.environ["THRIVE_API_KEY"], base_url="http://localhost:3000")
"""


def python_samples() -> dict[str, str]:
    """operationId -> the source of its Python sample."""
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    samples: dict[str, str] = {}
    for item in spec["paths"].values():
        for operation in item.values():
            source = next(
                (s["source"] for s in operation["x-codeSamples"] if s["lang"] == "Python"), ""
            )
            samples[operation["operationId"]] = source
    return samples


def guide_samples() -> dict[str, str]:
    """The guides' Python blocks that use the SDK. The guides make ``client`` once, in Getting
    started: a block that uses it without making it gets that client first."""
    samples: dict[str, str] = {}
    for path in sorted(GUIDES_DIR.rglob("*.md")):
        name = re.sub(r"\W", "_", path.relative_to(GUIDES_DIR).with_suffix("").as_posix())
        blocks = PYTHON_BLOCK.finditer(path.read_text(encoding="utf-8"))
        for number, block in enumerate(blocks, start=1):
            source = block.group(1)
            if "thrive_send" not in source and not USES_CLIENT.search(source):
                continue
            if USES_CLIENT.search(source) and "Client(" not in source:
                source = f"{HEADER}\n{source}"
            samples[f"{name}_{number}"] = source
    return samples


def write_samples(directory: Path, samples: dict[str, str]) -> list[Path]:
    files = []
    for operation_id, source in samples.items():
        file = directory / f"{operation_id}.py"
        file.write_text(source + "\n", encoding="utf-8")
        files.append(file)
    return files


def mypy(directory: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    config = directory / "mypy.ini"
    config.write_text(MYPY_CONFIG, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), *map(str, files)],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )


def ruff(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # --isolated: the samples are checked as a reader's code, not with this package's settings.
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--isolated", "--target-version", "py310", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )


PERSON_CLIENT = 'client = Client(base_url="http://localhost:3000", session=True)\n'
SIGN_IN = "client.auth.sign_in("


def test_every_operation_has_a_sample_calling_its_method() -> None:
    samples = python_samples()
    assert sorted(samples) == sorted(OPERATION_METHODS)
    for operation_id, source in samples.items():
        # An API key's client, or a person's (no key): signed in first where a session is needed.
        keyed = source.startswith(HEADER.split("\n\n")[0])
        assert keyed or source.startswith("from thrive_send import Client\n"), operation_id
        assert keyed != (PERSON_CLIENT in source), operation_id
        assert f"client.{OPERATION_METHODS[operation_id]}(" in source, operation_id
    assert SIGN_IN in samples["listMembers"] and SIGN_IN in samples["deleteRole"]
    assert PERSON_CLIENT in samples["signUp"] and SIGN_IN not in samples["signUp"]
    assert HEADER.split("\n\n")[1] in samples["sendEmail"]


def test_the_samples_pass_mypy_strict(tmp_path: Path) -> None:
    result = mypy(tmp_path, write_samples(tmp_path, python_samples()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_guides_samples_pass_mypy_strict(tmp_path: Path) -> None:
    samples = guide_samples()
    assert len(samples) >= 9, sorted(samples)
    result = mypy(tmp_path, write_samples(tmp_path, samples))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_samples_pass_ruff_and_its_formatter(tmp_path: Path) -> None:
    write_samples(tmp_path, python_samples())
    lint = ruff(tmp_path, "check", "--select", "E,F,W,I,UP,B")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    layout = ruff(tmp_path, "format", "--check", "--diff")
    assert layout.returncode == 0, layout.stdout + layout.stderr


# The check above is only worth something if it refuses what a wrong sample would do.
WRONG_SAMPLES = {
    "wrong_package": "from thrive_send import ThriveSend\n\nThriveSend()",
    "keywords_for_a_dict": HEADER
    + 'client.emails.send(from_="a@acme.dev", to=["b@example.com"], subject="Hi")',
    "wrong_field": HEADER
    + 'client.emails.send({"from": "a@acme.dev", "to": "b@example.com", "subjet": "Hi"})',
    "keyword_for_a_dict": HEADER
    + 'client.emails.update("019a", scheduled_at="2026-12-01T10:00:00Z")',
    "no_such_method": HEADER + 'client.webhooks.events.attempts.list("019a", "019b")',
    "wrong_model": HEADER
    + "from thrive_send.models import EmailRef\n\n"
    + 'email: EmailRef = client.emails.get("019a")',
}


@pytest.mark.parametrize("name", sorted(WRONG_SAMPLES))
def test_mypy_refuses_a_wrong_sample(tmp_path: Path, name: str) -> None:
    files = write_samples(tmp_path, {name: WRONG_SAMPLES[name]})
    result = mypy(tmp_path, files)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{name}.py:" in result.stdout
