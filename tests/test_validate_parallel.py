"""Validation of a large edition in several processes reports exactly what one process does."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE
from editio import validation
from editio.formats import render
from editio.validation import PARALLEL_FROM, ValidationCache, validate

CHAPTERS = PARALLEL_FROM + 6


@pytest.fixture(autouse=True)
def forkable(monkeypatch):
    """Other tests in this process may have loaded saxonche; validation's worker processes never touch it."""
    from editio import background

    monkeypatch.setattr(background, "can_fork", lambda: True)


def _chapter(n: int) -> str:
    """The sample chapter with ids of its own (ch{n}-…, ed{n}, src{n})."""
    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    text = text.replace('xml:id="ch1', f'xml:id="ch{n}').replace('xml:id="ed"', f'xml:id="ed{n}"')
    return text.replace('"#ed"', f'"#ed{n}"').replace('xml:id="src"', f'xml:id="src{n}"')


@pytest.fixture
def large_edition(tmp_path) -> Path:
    """Enough chapters for validation to fork, with errors of every kind spread over them."""
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    for n in range(1, CHAPTERS + 1):
        text = _chapter(n)
        if n == 3:  # RelaxNG: an element the schema does not know
            text = text.replace("<p ", "<para/><p ", 1)
        if n == 8:  # Schematron, cross-file: a pointer into the register that resolves nowhere
            text = text.replace('register.xml#', 'register.xml#nobody-', 1)
        if n == 13:  # Schematron, cross-file: an id that chapter 14 uses too
            text = text.replace('xml:id="ch13', 'xml:id="ch14', 1)
        (folder / f"ch{n:02d}.xml").write_text(text, encoding="utf-8")
    (folder / "ch21.xml").write_text(_chapter(21)[:-40], encoding="utf-8")  # not well-formed
    (folder / "ch22.xml").write_bytes(b"")  # empty
    return folder


def _rendered(report) -> dict[str, str]:
    report.seconds = 0.0
    return {fmt: render(report, fmt) for fmt in ("text", "json", "sarif")}


def test_two_processes_report_what_one_does(large_edition):
    one = validate([large_edition], jobs=1)
    two = validate([large_edition], jobs=2)
    rules = {d.rule for d in one.diagnostics}
    # the errors planted above are all found, so the comparison below compares something
    assert {str(large_edition / f"ch{n:02d}.xml") for n in (3, 8, 13, 14, 21, 22)} <= {
        d.path for d in one.diagnostics if d.severity == "error"}, rules
    assert one.exit_code(False) == 1
    assert _rendered(two) == _rendered(one)


def test_the_work_really_is_shared_with_another_process(large_edition, monkeypatch):
    """The parent checks some files itself; the others are checked in a worker process, where the parent's
    record of calls cannot see them."""
    from editio.schematron import engine

    in_parent = []
    fresh_entry = validation._fresh_entry

    def recorded(sch, f, *args):
        in_parent.append(f)
        return fresh_entry(sch, f, *args)

    sch = engine(str(validation.schema_path("editio.sch")))
    todo = {f: (f.read_bytes(), "") for f in sorted(large_edition.glob("ch*.xml"))}
    monkeypatch.setattr(validation, "_fresh_entry", recorded)
    made = validation._check_files(sch, todo, 2)
    monkeypatch.setattr(validation, "_fresh_entry", fresh_entry)
    assert list(made) == list(todo) and all(made.values())
    assert 0 < len(in_parent) < len(todo)
    serial = validation._check_files(sch, todo, 1)
    for f, (entry, _) in made.items():
        other = serial[f][0]
        if isinstance(entry, Exception):
            assert [d.format() for d in entry.diagnostics] == [d.format() for d in other.diagnostics]
        else:
            assert (entry.rng, entry.facts.ids, entry.facts.pointers, entry.facts.nodes, entry.facts.found) == (
                other.rng, other.facts.ids, other.facts.pointers, other.facts.nodes, other.facts.found)


def test_a_cache_filled_in_parallel_gives_the_fresh_report_after_an_edit(large_edition, tmp_path):
    cache_file = tmp_path / "validation-cache"
    cache = ValidationCache()
    validate([large_edition], cache=cache, jobs=2)
    cache.save(cache_file)
    target = large_edition / "ch05.xml"
    target.write_text(target.read_text(encoding="utf-8").replace('xml:id="ch5', 'xml:id="ch6', 1), encoding="utf-8")
    cached = validate([large_edition], cache=ValidationCache.load(cache_file), jobs=2)
    fresh = validate([large_edition], jobs=1)
    assert any(d.path == str(target) for d in fresh.diagnostics)  # the edit made a duplicate id
    assert _rendered(cached) == _rendered(fresh)
