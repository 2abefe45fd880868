"""An installed wheel works outside the checkout: schema and stylesheets ship inside it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO, SAMPLE

pytestmark = pytest.mark.slow


def test_wheel_validates_an_edition_outside_the_checkout(wheel_venv, tmp_path):
    edition = tmp_path / "edition"
    shutil.copytree(SAMPLE, edition / "tei")
    editio = wheel_venv / "bin" / "editio"
    ok = subprocess.run([str(editio), "validate", "tei"], cwd=edition, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (edition / "tei" / "chapter-1.xml").write_text(
        (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8").replace('when="1936-09-01"', 'when="1936-09-31"'),
        encoding="utf-8")
    bad = subprocess.run([str(editio), "validate", "tei"], cwd=edition, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "[date.real]" in bad.stdout


def test_wheel_uses_its_own_data_not_the_checkout(wheel_venv, tmp_path):
    py = wheel_venv / "bin" / "python"
    code = "import editio.resources as r; print(r.data_dir('schema')); print(r.data_dir('xslt'))"
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    for line in out.split():
        assert str(wheel_venv) in line and str(REPO) not in line
    assert (wheel_venv / "lib").exists()
