"""editio init: a new, valid edition from the templates inside the package; never overwrites."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import run_editio
from editio.config import load_config

EXPECTED = {
    "edition.toml", "README.md", ".gitignore", ".pre-commit-config.yaml", ".github/workflows/edition.yml",
    "tei/chapter-1.xml", "tei/register.xml", "schema/editio.rng", "schema/editio.sch",
}


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "my-edition"
    r = run_editio("init", target)
    assert r.returncode == 0, r.stderr
    return target


def files_below(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_the_whole_skeleton(new_edition):
    assert files_below(new_edition) == EXPECTED


def test_the_settings_are_commented_and_readable(new_edition):
    text = (new_edition / "edition.toml").read_text(encoding="utf-8")
    config = load_config(new_edition)
    assert config.title == "My edition"
    assert config.outputs == ["html", "pdf", "text"] and config.output == "site"
    # every key has a comment right above it
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\w+ = ", line):
            assert lines[i - 1].startswith("#"), line


def test_the_sample_edition_is_valid(new_edition):
    r = run_editio("validate", cwd=new_edition)
    assert r.returncode == 0, r.stdout + r.stderr


def test_xml_model_instructions_point_at_the_copied_schema(new_edition):
    for tei in (new_edition / "tei").glob("*.xml"):
        hrefs = re.findall(r'<\?xml-model href="([^"]+)"', tei.read_text(encoding="utf-8"))
        assert len(hrefs) == 2
        for href in hrefs:
            assert (tei.parent / href).resolve().is_file(), href


def test_the_workflow_validates_builds_and_keeps_the_site(new_edition):
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load((new_edition / ".github" / "workflows" / "edition.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "pip install editio" in runs
    assert "editio validate --format github" in runs
    assert "editio build" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site/"
    hooks = yaml.safe_load((new_edition / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["id"] == "editio-validate"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    r = run_editio("init", target)
    assert r.returncode == 2
    assert "not empty" in r.stderr and "Traceback" not in r.stderr
    assert files_below(target) == {"notes.txt"}
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_accepts_an_empty_folder_and_any_title(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    title = 'Orlov\'s "Secret History" \\ notes'
    r = run_editio("init", target, "--title", title)
    assert r.returncode == 0, r.stderr
    assert tomllib.loads((target / "edition.toml").read_text(encoding="utf-8"))["title"] == title
    assert title in (target / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_from_a_wheel_init_then_build_makes_the_site_and_the_pdf(wheel_venv, tmp_path):
    """pip install editio && editio init my-edition && cd my-edition && editio build, outside the checkout."""
    editio = str(wheel_venv / "bin" / "editio")
    subprocess.run([editio, "init", "my-edition"], cwd=tmp_path, check=True, capture_output=True)
    edition = tmp_path / "my-edition"
    r = subprocess.run([editio, "build"], cwd=edition, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    site = edition / "site"
    assert (site / "index.html").is_file()
    assert (site / "edition.pdf").read_bytes().startswith(b"%PDF-")
    assert (site / "text" / "chapter-1.txt").is_file()
    assert (site / "tei" / "chapter-1.xml").read_bytes() == (edition / "tei" / "chapter-1.xml").read_bytes()
