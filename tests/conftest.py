"""Shared test helpers: repository paths and running the real ``editio`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = FIXTURES / "valid" / "sample"
SHARED = REPO.parent / "shared"


def run_editio(*args: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None,
               input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m editio ARGS`` as a separate process, as a user would."""
    return subprocess.run([sys.executable, "-m", "editio", *map(str, args)], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=timeout, env=env, input=input)


@pytest.fixture
def editio_cli():
    """The ``run_editio`` helper as a fixture."""
    return run_editio
