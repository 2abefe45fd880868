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


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory):
    """A fresh venv with editio installed from a wheel built from this checkout.

    Built once per session. The venv sees the machine's site-packages for the
    dependencies (lxml, saxonche, typst...) so no network is needed, but
    editio itself comes from the wheel (``--ignore-installed``: an editio
    already in the machine's site-packages must not stand in for it): tests
    run its ``bin/editio`` outside the checkout to prove schema/ and xslt/
    ship inside the wheel.
    """
    import venv

    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(REPO)], check=True, capture_output=True)
    wheel = next(dist.glob("editio-*.whl"))
    env_dir = base / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--ignore-installed", "-q", str(wheel)],
                   check=True, capture_output=True)
    return env_dir
