"""check_relaxng: precise RelaxNG diagnostics, and the same verdict as jing on every fixture."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, SAMPLE
from editio import rngcheck
from editio.diagnostics import EditioError
from editio.resources import schema_path
from editio.rngcheck import _Walker, check_relaxng, editio_grammar
from editio.xmlload import load_xml, parse_bytes

INVALID = FIXTURES / "invalid"
JING = shutil.which("jing")
needs_jing = pytest.mark.skipif(
    JING is None, reason="LOUD SKIP: jing is not installed (Debian package 'jing'); "
                         "the libxml2-versus-jing agreement test did not run")


def check(path: Path):
    return check_relaxng(load_xml(path), str(path))


def line_of(path: Path, snippet: str) -> int:
    """The 1-based line of the first occurrence of ``snippet`` in the fixture."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in {path}")


def col_of(path: Path, line: int, snippet: str) -> int:
    return path.read_text("utf-8").splitlines()[line - 1].index(snippet) + 1


# fixture -> (rule, text that locates the offending tag/attribute, words the message must contain)
CASES = {
    "rng-unknown-element.xml": ("rng.unknown-element", "<person-name", ["<person-name>", "<p", "<persName>"]),
    "rng-wrong-namespace.xml": ("rng.unknown-element", "<p xmlns", ["<p", "xhtml", "<div", "<p>"]),
    "rng-not-allowed-here.xml": ("rng.not-allowed-here", '<div type="section"', ["<div>", "<p", "<persName>"]),
    "rng-wrong-order.xml": ("rng.not-allowed-here", "<editionStmt>", ["<editionStmt>", "<fileDesc>",
                                                                      "<sourceDesc>", "<publicationStmt>"]),
    "rng-note-type.xml": ("rng.attribute-value", 'type="gossip"', ["@type", "<note>", "<p", "gossip",
                                                                    "historical", "editorial", "translation"]),
    "rng-cert-value.xml": ("rng.attribute-value", 'cert="sure"', ["@cert", "<corr>", "<choice>", "sure",
                                                                  "high", "medium", "low", "unknown"]),
    "rng-date-format.xml": ("rng.datatype", 'when="1936-9-1"', ["@when", "<date>", "<p", "1936-9-1", "1936-09-01"]),
    "rng-missing-attribute.xml": ("rng.missing-attribute", "<rs ", ["<rs>", "<p", "@type", "person", "event"]),
    "rng-missing-element.xml": ("rng.missing-element", "<choice>", ["<choice>", "<p", "<corr>", "<sic>"]),
    "rng-missing-publisher.xml": ("rng.missing-element", "<date ", ["<publicationStmt>", "<fileDesc>",
                                                                   "<publisher>", "<date>"]),
    "rng-unknown-attribute.xml": ("rng.unknown-attribute", 'role="commissar"', ["@role", "<persName>", "<p",
                                                                                "@ref", "@type"]),
    "rng-text-not-allowed.xml": ("rng.text-not-allowed", "<choice>", ["<choice>", "<sic>", "<corr>"]),
    "rng-duplicate-id.xml": ("rng.duplicate-id", "Second paragraph", ['xml:id="p1"', "<p", "line 24"]),
    "rng-geo-content.xml": ("rng.datatype", "<geo>", ["<geo>", "north of Tula"]),
}


def test_every_rng_fixture_has_a_case():
    assert sorted(p.name for p in INVALID.glob("rng-*.xml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_fixture_gives_one_precise_diagnostic(name):
    rule, locator, words = CASES[name]
    path = INVALID / name
    found = check(path)
    assert len(found) == 1, "\n".join(d.format() for d in found)
    d = found[0]
    assert d.rule == rule
    assert d.path == str(path)
    assert d.line == line_of(path, locator)
    for word in words:
        assert word in d.message, f"{word!r} missing from: {d.message}"
    assert d.hint, "every diagnostic says how to fix the problem"
    assert d.format().startswith(f"{path}:{d.line}:{d.col}: error: ")
    assert d.format().endswith(f"[{rule}]")


@pytest.mark.parametrize("name, snippet", [
    ("rng-unknown-element.xml", "<person-name"),
    ("rng-not-allowed-here.xml", '<div type="section"'),
    ("rng-note-type.xml", 'type="gossip"'),
    ("rng-cert-value.xml", 'cert="sure"'),
    ("rng-unknown-attribute.xml", 'role="commissar"'),
    ("rng-missing-attribute.xml", "<rs "),
])
def test_column_points_at_the_tag_or_attribute(name, snippet):
    path = INVALID / name
    d = check(path)[0]
    assert d.col == col_of(path, d.line, snippet)


def test_unknown_element_hint_suggests_a_close_name():
    assert "did you mean <persName>" in check(INVALID / "rng-unknown-element.xml")[0].hint


def test_hint_lists_documented_values_of_a_closed_list():
    d = check(INVALID / "rng-note-type.xml")[0]
    assert "historical (" in d.hint and "translation (" in d.hint


def test_impossible_calendar_date_is_named_as_such():
    path = INVALID / "sch-impossible-date.xml"
    found = [d for d in check(path) if d.rule == "rng.datatype"]
    assert len(found) == 1 and "not a real calendar date" in found[0].message


def test_missing_element_recovery_reports_once(tmp_path):
    """After "publisher missing before date", the following siblings are not reported again."""
    text = (INVALID / "rng-missing-publisher.xml").read_text("utf-8")
    text = text.replace('<date when="2026-11-28">2026</date>',
                        '<date when="2026-11-28">2026</date><pubPlace>Online</pubPlace><idno>x</idno>')
    path = tmp_path / "f.xml"
    path.write_text(text, "utf-8")
    assert [d.rule for d in check(path)] == ["rng.missing-element"]


def test_no_ancestor_cascade(tmp_path):
    """libxml2 reports the same error on every ancestor; editio reports the cause once."""
    path = INVALID / "rng-unknown-element.xml"
    schema = etree.RelaxNG(load_xml(schema_path()))
    tree = load_xml(path)
    assert not schema.validate(tree)
    assert len(schema.error_log) >= 2  # libxml2: "Did not expect..." plus "Element p has extra content"
    assert len(check(path)) == 1


def test_column_is_found_when_the_tag_is_the_second_on_its_line(tmp_path):
    text = (SAMPLE / "chapter-1.xml").read_text("utf-8")
    text = text.replace('<orgName ref="register.xml#society">', '<orgName ref="register.xml#society" bogus="1">')
    path = tmp_path / "c.xml"
    path.write_text(text, "utf-8")
    d = check(path)[0]
    assert d.rule == "rng.unknown-attribute"
    assert d.col == col_of(path, d.line, 'bogus="1"')


def test_without_a_readable_file_the_column_is_one():
    tree = parse_bytes((INVALID / "rng-note-type.xml").read_bytes(), "not-on-disk.xml")
    d = check_relaxng(tree, "not-on-disk.xml")[0]
    assert (d.path, d.col, d.rule) == ("not-on-disk.xml", 1, "rng.attribute-value")
    assert d.line == line_of(INVALID / "rng-note-type.xml", 'type="gossip"')


@pytest.mark.parametrize("document, words", [
    ('<tei xmlns="http://www.tei-c.org/ns/1.0"/>', ["<tei>", "<TEI>"]),
    ("<TEI/>", ["<TEI> in no namespace", "http://www.tei-c.org/ns/1.0"]),
])
def test_wrong_document_element(tmp_path, document, words):
    path = tmp_path / "root.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + document + "\n", "utf-8")
    found = check(path)
    assert [(d.rule, d.line, d.col) for d in found] == [("rng.unknown-element", 2, 1)]
    assert all(w in found[0].message for w in words)


def test_comments_and_processing_instructions_are_ignored(tmp_path):
    text = (SAMPLE / "chapter-1.xml").read_text("utf-8")
    text = text.replace("<titleStmt>", "<titleStmt><!-- a comment --><?pi here?>")
    text = text.replace("</choice>", "<!-- between sic/corr and the end --></choice>")
    path = tmp_path / "c.xml"
    path.write_text(text, "utf-8")
    assert check(path) == []


def test_a_file_full_of_errors_stops_at_the_cap_quickly(tmp_path):
    text = (SAMPLE / "chapter-1.xml").read_text("utf-8")
    text = text.replace("<head>Chapter One</head>", "<head>Chapter One</head>" + "<p>x <bogus/> y</p>\n" * 3000)
    path = tmp_path / "many.xml"
    path.write_text(text, "utf-8")
    start = time.perf_counter()
    found = check(path)
    assert time.perf_counter() - start < 3
    assert len(found) == rngcheck.MAX_DIAGNOSTICS + 1
    assert [d.rule for d in found].count("rng.too-many") == 1
    assert [d.rule for d in found].count("rng.unknown-element") == rngcheck.MAX_DIAGNOSTICS


def test_libxml2_fallback_when_the_model_walk_finds_nothing(monkeypatch):
    """If libxml2 rejects a document the walk accepts, its most specific message is still reported."""
    monkeypatch.setattr(rngcheck._Walker, "run", lambda self, root: [])
    path = INVALID / "rng-cert-value.xml"
    found = check(path)
    assert len(found) == 1
    assert found[0].rule == "rng.attribute-value"
    assert found[0].line == line_of(path, 'cert="sure"')
    assert "cert" in found[0].message


def test_grammar_and_schema_are_built_once():
    assert editio_grammar() is editio_grammar()
    assert rngcheck._compiled_schema() is rngcheck._compiled_schema()


def test_grammar_model_reads_the_schema():
    model = editio_grammar()
    choice = model.elements["{http://www.tei-c.org/ns/1.0}choice"]
    assert {rngcheck.display_name(n) for n in choice.children} == {"sic", "corr", "orig", "reg"}
    rs_type = model.elements["{http://www.tei-c.org/ns/1.0}rs"].attributes["type"]
    assert rs_type.required and "event" in rs_type.values
    assert "div" in model.parents_of("{http://www.tei-c.org/ns/1.0}p")


# --- valid documents -------------------------------------------------------------

def valid_documents() -> list[Path]:
    return sorted((FIXTURES / "valid").rglob("*.xml")) + sorted((REPO / "tei").glob("*.xml"))


@pytest.mark.parametrize("path", valid_documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_valid_documents_have_no_diagnostics(path):
    assert [d.format() for d in check(path)] == []


# --- same verdict as jing ---------------------------------------------------------

def loadable_fixtures() -> list[Path]:
    """Every XML fixture the safe loader accepts (hostile ones never reach RelaxNG, nor jing)."""
    found = []
    for path in sorted(FIXTURES.rglob("*.xml")) + sorted((REPO / "tei").glob("*.xml")):
        if "tei_all" in path.parts:
            continue
        try:
            load_xml(path)
        except EditioError:
            continue
        found.append(path)
    return found


@pytest.fixture(scope="module")
def jing_verdicts() -> dict[Path, bool]:
    files = loadable_fixtures()
    result = subprocess.run([JING, str(schema_path()), *map(str, files)], capture_output=True, text=True,
                            timeout=300)
    invalid = set()
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        m = re.match(r"(.+?):\d+:\d+: (?:fatal|error)", line)
        if m:
            invalid.add(Path(m.group(1)).resolve())
    return {f.resolve(): f.resolve() not in invalid for f in files}


def test_agreement_covers_valid_and_invalid_fixtures():
    names = {p.name for p in loadable_fixtures()}
    assert "chapter-1.xml" in names and "rng-note-type.xml" in names and "sch-dangling-ref.xml" in names


@needs_jing
@pytest.mark.parametrize("path", loadable_fixtures(), ids=lambda p: str(p.relative_to(REPO)))
def test_verdict_agrees_with_jing(jing_verdicts, path):
    tree = load_xml(path)
    ours = not check_relaxng(tree, str(path))
    libxml2 = etree.RelaxNG(load_xml(schema_path())).validate(tree)
    assert ours == libxml2 == jing_verdicts[path.resolve()], (
        f"editio {ours}, libxml2 {libxml2}, jing {jing_verdicts[path.resolve()]}")


# --- same verdict on many mutated documents -------------------------------------------

def _mutants(count: int, seed: int = 59) -> list[bytes]:
    """Seeded random edits of the valid documents: renamed, dropped, moved or added elements,
    changed, added or dropped attributes, stray text. About a quarter stay valid."""
    import random

    rnd = random.Random(seed)
    model = editio_grammar()
    names = sorted(model.elements)
    attrs = sorted({a for e in model.elements.values() for a in e.attributes})
    values = sorted({v for e in model.elements.values() for a in e.attributes.values() for v in a.values}
                    | {"1936-9-1", "1936-02-30", "1936-09", "x y", "", "#ed", "p1", "12"})
    sources = valid_documents()
    out = []
    while len(out) < count:
        tree = load_xml(rnd.choice(sources))
        for _ in range(rnd.randrange(1, 4)):
            elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)][1:]
            el = rnd.choice(elements)
            op = rnd.randrange(8)
            if op == 0:
                el.tag = rnd.choice(names)
            elif op == 1:
                el.getparent().remove(el)
            elif op == 2:
                el.getparent().remove(el)
                target = rnd.choice([e for e in tree.getroot().iter() if isinstance(e.tag, str)])
                target.insert(rnd.randrange(len(target) + 1), el)
            elif op == 3 and el.attrib:
                el.set(rnd.choice(sorted(el.attrib)), rnd.choice(values))
            elif op == 4:
                el.set(rnd.choice(attrs), rnd.choice(values))
            elif op == 5 and el.attrib:
                del el.attrib[rnd.choice(sorted(el.attrib))]
            elif op == 6:
                el.text = (el.text or "") + " words"
            else:
                etree.SubElement(el, rnd.choice(names))
        out.append(etree.tostring(tree, encoding="utf-8", xml_declaration=True))
    return out


@pytest.fixture(scope="module")
def mutants(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("mutants")
    paths = []
    for i, data in enumerate(_mutants(160)):
        path = folder / f"m{i:03}.xml"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_model_walk_and_libxml2_agree_on_mutants(mutants):
    schema = etree.RelaxNG(load_xml(schema_path()))
    disagree, valid = [], 0
    grammar = editio_grammar()
    for path in mutants:
        tree = load_xml(path)
        # the model walk alone (check_relaxng skips it for documents libxml2 accepts)
        ours = not _Walker(grammar, str(path), tree).run(tree.getroot())
        valid += ours
        if ours != schema.validate(tree):
            disagree.append(path.name)
    assert disagree == []
    assert 10 < valid < len(mutants) - 10, "the mutants should be a mix of valid and invalid documents"


@needs_jing
def test_jing_agrees_on_mutants(mutants):
    mutants = mutants[:60]  # jing is slow to start per file on a busy machine; 60 keep a good mix
    result = subprocess.run([JING, str(schema_path()), *map(str, mutants)], capture_output=True, text=True,
                            timeout=300)
    rejected = {Path(m.group(1)).name for m in re.finditer(r"^(.+?):\d+:\d+: (?:fatal|error)",
                                                         result.stdout + result.stderr, re.M)}
    disagree = [p.name for p in mutants if (not check(p)) != (p.name not in rejected)]
    assert disagree == []
