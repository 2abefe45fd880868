"""Measured quality of editio annotate on a hand-encoded passage (not chapter 59).

tests/fixtures/annotate/passage.txt is new text in the style of the edition,
with registered people (some misspelled), people not in the register and a
dozen date expressions; gold.json is its encoding, written by hand. The passage
goes through ``editio import`` and then ``annotate``; precision and recall are
computed against the gold spans. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from editio.annotate import annotate, suggest
from editio.importer import import_text

FIXTURES = Path(__file__).parent / "fixtures" / "annotate"
GOLD = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))


def _word(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("passage")
    shutil.copy(FIXTURES / "register.xml", folder / "register.xml")
    out = import_text(FIXTURES / "passage.txt", folder / "passage.xml", root=folder)
    return out, folder / "register.xml"


@pytest.fixture(scope="module")
def predicted(imported):
    chapter, register = imported
    raw = chapter.read_text(encoding="utf-8")
    body = raw.index("<body>")
    out = []
    for s in suggest([chapter, register]):
        occurrence = len(_word(s.text).findall(raw[body:s.raw_start])) + 1
        out.append((s, occurrence))
    return out


def _entity_key(s, occurrence):
    return (s.text, occurrence, s.element, s.attributes["ref"].split("#", 1)[1], s.correction)


def _gold_entities():
    return {(g["text"], g["occurrence"], g["element"], g["ref"], g.get("corr")) for g in GOLD["entities"]}


def _scores(predicted_keys: set, gold: set) -> tuple[float, float]:
    hits = len(predicted_keys & gold)
    precision = hits / len(predicted_keys) if predicted_keys else 1.0
    recall = hits / len(gold) if gold else 1.0
    return precision, recall


def test_gold_spans_exist_in_the_passage():
    text = (FIXTURES / "passage.txt").read_text(encoding="utf-8")
    for g in GOLD["entities"] + GOLD["dates"]:
        assert len(_word(g["text"]).findall(text)) >= g["occurrence"], g


def test_entities_precision_and_recall_meet_the_targets(predicted):
    keys = {_entity_key(s, occ) for s, occ in predicted if s.kind in ("name", "misspelling")}
    gold = _gold_entities()
    precision, recall = _scores(keys, gold)
    print(f"\nentities (all suggestions): precision {precision:.3f}, recall {recall:.3f} "
          f"({len(keys & gold)} of {len(gold)} gold, {len(keys)} suggested)")
    assert recall >= 0.95, sorted(gold - keys)
    assert precision >= 0.95, sorted(keys - gold)


def test_misspellings_are_proposed_as_corrections_of_the_right_entry(predicted):
    wanted = {k for k in _gold_entities() if k[4]}
    found = {_entity_key(s, occ) for s, occ in predicted if s.kind == "misspelling"}
    assert wanted <= found, sorted(wanted - found)


def test_what_write_would_apply_is_correct(predicted):
    """At the default threshold (what --write applies) nothing wrong is proposed."""
    keys = {_entity_key(s, occ) for s, occ in predicted if s.kind in ("name", "misspelling") and s.confidence >= 0.9}
    gold = _gold_entities()
    precision, recall = _scores(keys, gold)
    print(f"\nentities (confidence >= 0.9): precision {precision:.3f}, recall {recall:.3f}")
    assert precision == 1.0, sorted(keys - gold)
    assert recall >= 0.8


def test_every_date_form_is_normalised_correctly(predicted):
    dates = {(s.text, occ): s.attributes for s, occ in predicted if s.kind == "date"}
    gold = {(g["text"], g["occurrence"]): g["attributes"] for g in GOLD["dates"]}
    wrong = {k: (dates.get(k), v) for k, v in gold.items() if dates.get(k) != v}
    assert not wrong
    assert set(dates) == set(gold), sorted(set(dates) - set(gold))
    print(f"\ndates: {len(gold)} of {len(gold)} normalised correctly, {len(dates) - len(gold)} false")


def test_no_common_word_or_unregistered_name_is_tagged(predicted):
    tagged = {s.text for s, _ in predicted if s.kind != "candidate"}
    assert not tagged & set(GOLD["never_tagged"])


def test_unregistered_names_are_listed_as_candidates(predicted):
    candidates = {s.text for s, _ in predicted if s.kind == "candidate"}
    assert set(GOLD["candidates"]) <= candidates


def test_import_then_annotate_write_gives_a_valid_tagged_chapter(imported, tmp_path):
    from editio.validation import validate

    chapter, register = imported
    folder = tmp_path / "edition"
    folder.mkdir()
    shutil.copy(chapter, folder / chapter.name)
    shutil.copy(register, folder / register.name)
    result = annotate([folder / chapter.name, folder / register.name], write=True)
    assert result.written and result.applied >= 40
    report = validate([folder / chapter.name, folder / register.name])
    assert not report.errors, [d.format() for d in report.errors]
    again = annotate([folder / chapter.name, folder / register.name], write=True)
    assert again.applied == 0 and again.written == []
