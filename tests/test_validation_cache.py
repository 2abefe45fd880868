"""The validation cache: after any edit, a cached validation reports exactly what a fresh one does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SAMPLE
from editio import validation
from editio.formats import render
from editio.validation import ValidationCache, validate

FORMATS = ("text", "json", "github", "junit", "sarif")


def _rendered(report) -> dict[str, str]:
    report.seconds = 0.0
    return {fmt: render(report, fmt) for fmt in FORMATS}


@pytest.fixture
def edition(tmp_path):
    """Two chapters and a register: ch1 is the sample chapter, ch2 a copy with its own ids."""
    folder = tmp_path / "tei"
    folder.mkdir()
    chapter = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    (folder / "ch1.xml").write_text(chapter, encoding="utf-8")
    second = chapter.replace('xml:id="ch1', 'xml:id="ch2').replace('xml:id="ed"', 'xml:id="ed2"')
    second = second.replace('"#ed"', '"#ed2"').replace('xml:id="src"', 'xml:id="src2"')
    (folder / "ch2.xml").write_text(second, encoding="utf-8")
    (folder / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    return folder


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _check(folder: Path, cache_file: Path):
    """Validate with the cache (and save it), validate without; the reports must be identical."""
    cache = ValidationCache.load(cache_file)
    cached = validate([folder], cache=cache)
    cache.save(cache_file)
    fresh = validate([folder])
    assert _rendered(cached) == _rendered(fresh)
    return fresh


def test_after_every_edit_the_cached_report_equals_a_fresh_one(edition, tmp_path):
    cache_file = tmp_path / "validation.json"
    ch1, ch2, register = edition / "ch1.xml", edition / "ch2.xml", edition / "register.xml"
    assert _check(edition, cache_file).ok  # cold
    assert _check(edition, cache_file).ok  # warm, nothing changed

    _edit(ch1, "travelled to", "went to")  # text only
    assert _check(edition, cache_file).ok

    _edit(ch2, "<p xml:id=\"ch2-p2\">", "<p xml:id=\"ch2-p3\">A new paragraph.</p>\n<p xml:id=\"ch2-p2\">")
    assert _check(edition, cache_file).ok

    _edit(ch1, 'ref="register.xml#london"', 'ref="register.xml#paris"')  # dangling
    assert [d.rule for d in _check(edition, cache_file).diagnostics] == ["pointer.ref"]
    _edit(ch2, 'ref="register.xml#london"', 'ref="register.xml#paris"')  # and london is now unused
    assert sorted(d.rule for d in _check(edition, cache_file).diagnostics) == ["pointer.ref"] * 2 + ["register.unused"]

    _edit(ch1, 'ref="register.xml#paris"', 'ref="register.xml#london"')
    _edit(ch2, 'ref="register.xml#paris"', 'ref="register.xml#london"')
    _edit(ch2, 'xml:id="ch2-p2"', 'xml:id="ch1-p2"')  # ch1 (unchanged) now has a duplicate too
    found = _check(edition, cache_file).diagnostics
    assert {Path(d.path).name for d in found if d.rule == "id.unique"} == {"ch1.xml", "ch2.xml"}

    _edit(ch2, 'xml:id="ch1-p2"', 'xml:id="ch2-p2"')
    for chapter in (ch1, ch2):  # the last references to the meeting go: the register (unchanged) warns
        _edit(chapter, '<rs type="event" ref="register.xml#meeting">meeting</rs>', "meeting")
    found = _check(edition, cache_file).diagnostics
    assert [d.rule for d in found] == ["register.unused"] and "meeting" in found[0].message

    _edit(register, '<event xml:id="meeting"', '<event xml:id="assembly"')
    text = register.read_text(encoding="utf-8")
    register.write_text(re.sub(r'<person xml:id="jones">.*?</person>', "", text, flags=re.S), encoding="utf-8")
    found = _check(edition, cache_file).diagnostics  # the register changed: both chapters now point nowhere
    assert {Path(d.path).name for d in found if d.rule == "pointer.ref"} == {"ch1.xml", "ch2.xml"}

    ch2.unlink()
    assert "ch2.xml" not in json.dumps(_check(edition, cache_file).files)

    (edition / "ch3.xml").write_text(ch1.read_text(encoding="utf-8"), encoding="utf-8")  # every id twice
    found = _check(edition, cache_file).diagnostics
    assert {Path(d.path).name for d in found if d.rule == "id.unique"} == {"ch1.xml", "ch3.xml"}

    head, rest = cache_file.read_text(encoding="utf-8").split("\n", 1)
    cache_file.write_text(head + "\n" + rest[:len(rest) // 2], encoding="utf-8")  # cut short
    assert ValidationCache.load(cache_file)._entries == {}
    _check(edition, cache_file)


@pytest.mark.parametrize("content", [
    b"", b"\x00\xff garbage", b"[]", b'{"format": "something else"}',
    b'{"format": "editio-validation-cache", "version": 999, "fingerprint": "x", "files": {}}',
])
def test_a_missing_corrupt_foreign_or_other_version_cache_is_empty(tmp_path, content):
    path = tmp_path / "validation.json"
    assert ValidationCache.load(path)._entries == {}  # missing
    path.write_bytes(content)
    assert ValidationCache.load(path)._entries == {}


def test_cache_entries_of_another_editio_are_not_reused(edition, tmp_path):
    path = tmp_path / "validation.json"
    cache = ValidationCache.load(path)
    validate([edition], cache=cache)
    cache.save(path)
    head, rest = path.read_text(encoding="utf-8").split("\n", 1)
    assert len(ValidationCache.load(path)._entries) == 3
    doc = json.loads(head)
    doc["fingerprint"] = "0" * 40  # as if editio, its schemas or libxml2 had changed
    path.write_text(json.dumps(doc) + "\n" + rest, encoding="utf-8")
    assert ValidationCache.load(path)._entries == {}


def test_an_unchanged_file_is_not_parsed_again(edition, tmp_path, monkeypatch):
    path = tmp_path / "validation.json"
    cache = ValidationCache.load(path)
    validate([edition], cache=cache)
    cache.save(path)

    parsed = []
    real = validation.parse_bytes
    monkeypatch.setattr(validation, "parse_bytes", lambda data, name: parsed.append(Path(name).name) or real(data, name))
    cache = ValidationCache.load(path)
    assert validate([edition], cache=cache).ok
    assert parsed == []

    _edit(edition / "ch2.xml", 'xml:id="ch2-p2"', 'xml:id="ch1-p2"')  # a duplicate of an id of ch1
    report = validate([edition], cache=cache)
    assert parsed == ["ch2.xml"]
    assert {Path(d.path).name for d in report.diagnostics if d.rule == "id.unique"} == {"ch1.xml", "ch2.xml"}


def test_save_is_deterministic_and_leaves_no_temporary_file(edition, tmp_path):
    first, second = tmp_path / "a" / "validation.json", tmp_path / "b" / "validation.json"
    for path in (first, second):
        path.parent.mkdir()
        cache = ValidationCache.load(path)
        validate([edition], cache=cache)
        cache.save(path)
    assert first.read_bytes() == second.read_bytes()
    cache = ValidationCache.load(first)
    validate([edition], cache=cache)
    cache.save(first)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in first.parent.iterdir()) == ["validation.json"]


def test_a_file_that_cannot_be_parsed_is_reported_every_time(edition, tmp_path):
    path = tmp_path / "validation.json"
    (edition / "broken.xml").write_text("<TEI", encoding="utf-8")
    for _ in range(2):
        cache = ValidationCache.load(path)
        report = validate([edition], cache=cache)
        cache.save(path)
        assert [d.rule for d in report.errors] == ["xml.well-formed"]


def test_a_text_edit_reuses_the_cross_file_results_but_still_looks_at_the_disk(edition, tmp_path, monkeypatch):
    cache_file = tmp_path / "validation.json"
    ch1, ch2 = edition / "ch1.xml", edition / "ch2.xml"
    (edition / "facsimile.txt").write_text("a scan", encoding="utf-8")
    _edit(ch1, "travelled to", 'travelled (<ref target="facsimile.txt">scan</ref>) to')
    assert _check(edition, cache_file).ok
    verdicts = []
    real = ValidationCache._same_edition
    monkeypatch.setattr(ValidationCache, "_same_edition", lambda self, e: verdicts.append(real(self, e)) or verdicts[-1])
    _edit(ch2, "travelled to", "went to")  # no id or pointer changes: the cross-file results stand ...
    (edition / "facsimile.txt").unlink()  # ... except what looks at the disk, for the unchanged ch1 too
    found = _check(edition, cache_file).diagnostics
    assert verdicts == [True]
    assert [(Path(d.path).name, d.rule) for d in found] == [("ch1.xml", "pointer.target")]
    _edit(ch2, 'xml:id="ch2-p2"', 'xml:id="ch2-p9"')  # an id changes: every file's results are checked again
    _check(edition, cache_file)
    assert verdicts == [True, False]
