"""schema/editio.rng: documented for encoders, and a strict subset of TEI P5 tei_all.

The subset is checked in two ways: structurally (every element, attribute,
value and child sequence editio.rng allows, tei_all allows too: content models
are compared as automata) and by example (jing validates every valid document
of the project against the vendored tei_all.rng).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO
from editio.resources import schema_path
from editio.rngcheck import RNG_NS, TEI_NS, datatype_ok, display_name, editio_grammar, read_grammar
from editio.xmlload import load_xml

TEI_ALL = FIXTURES / "tei_all" / "tei_all.rng"
EDITIO_RNG = schema_path("editio.rng")
R = "{%s}" % RNG_NS
JING = shutil.which("jing")
needs_jing = pytest.mark.skipif(
    JING is None, reason="LOUD SKIP: jing is not installed (Debian package 'jing'); "
                         "the TEI-conformance checks against tei_all did not run")


def valid_documents() -> list[Path]:
    """Every document of the project that must be valid: valid fixtures and the edition's TEI."""
    return sorted((FIXTURES / "valid").rglob("*.xml")) + sorted((REPO / "tei").glob("*.xml"))


@pytest.fixture(scope="module")
def schema_tree():
    return load_xml(EDITIO_RNG)


@pytest.fixture(scope="module")
def tei_all():
    return read_grammar(TEI_ALL)


@pytest.fixture(scope="module")
def editio():
    return editio_grammar()


# --- the schema as a document for encoders ----------------------------------------

def test_schema_compiles_and_starts_with_tei(schema_tree, editio):
    etree.RelaxNG(schema_tree)  # raises if libxml2 cannot compile it
    assert schema_tree.getroot().get("ns") == TEI_NS
    assert schema_tree.getroot().get("datatypeLibrary") == "http://www.w3.org/2001/XMLSchema-datatypes"
    assert editio.start == ("el", "{%s}TEI" % TEI_NS)


def test_one_define_per_element_named_after_it(schema_tree):
    for element in schema_tree.iter(R + "element"):
        define = element.getparent()
        assert define.tag == R + "define", f"<{element.get('name')}> is defined inline, not in its own define"
        assert define.get("name") == "tei." + element.get("name")


def test_every_element_define_tells_the_encoder_when_to_use_it(editio):
    undocumented = [e.display for e in editio.elements.values() if len(e.doc.split()) < 5]
    assert undocumented == []


def test_every_closed_value_is_documented(editio):
    missing = [(e.display, a.display, v) for e in editio.elements.values()
               for a in e.attributes.values() for v, doc in a.values.items() if not doc]
    assert missing == []


def test_no_interleave_outside_mixed(schema_tree):
    assert schema_tree.getroot().find(".//" + R + "interleave") is None


@pytest.mark.parametrize("element, attribute, must_contain", [
    ("note", "type", {"historical", "editorial", "translation"}),
    ("rs", "type", {"person", "place", "org", "event"}),
    ("idno", "type", {"wikidata", "viaf", "geonames", "gnd"}),
    ("corr", "cert", {"high", "medium", "low", "unknown"}),
    ("date", "cert", {"high", "medium", "low", "unknown"}),
    ("title", "type", {"main", "sub"}),
    ("persName", "type", {"main", "variant"}),
    ("div", "type", {"chapter"}),
])
def test_closed_lists_are_closed(editio, element, attribute, must_contain):
    attr = editio.elements["{%s}%s" % (TEI_NS, element)].attributes[attribute]
    assert must_contain <= set(attr.values)
    assert not attr.datatypes and not attr.any_text, "a closed list must not also accept free values"


@pytest.mark.parametrize("value, ok", [
    ("1936", True), ("1936-09", True), ("1936-09-01", True), ("1936-09-01T10:30:00", True),
    ("1936-9-1", False), ("36", False), ("1936-13", False), ("1936-02-30", False), ("1936-02-29", True),
    ("1937-02-29", False), ("September 1936", False), ("", False),
])
def test_dates_take_iso_8601_only(editio, value, ok):
    when = editio.elements["{%s}date" % TEI_NS].attributes["when"]
    assert any(datatype_ok(t, p, value) for t, p in when.datatypes) is ok


def test_rendering_and_register_needs_are_covered(editio):
    """The elements issue 3 and 4 name are all in the schema."""
    wanted = """TEI teiHeader fileDesc titleStmt title author editor respStmt resp name editionStmt edition
        publicationStmt publisher pubPlace date availability licence sourceDesc bibl idno ref encodingDesc
        projectDesc editorialDecl correction normalization interpretation hyphenation quotation segmentation
        profileDesc langUsage language abstract textClass keywords term revisionDesc change text front body
        back div head p persName placeName orgName rs choice sic corr orig reg note q quote foreign hi pb lb
        milestone ptr listBibl listPerson person birth death occupation listPlace place location geo listOrg
        org listEvent event label desc""".split()
    assert [n for n in wanted if "{%s}%s" % (TEI_NS, n) not in editio.elements] == []


# --- strict subset of tei_all, structurally -----------------------------------------

def test_every_element_exists_in_tei_all(editio, tei_all):
    assert sorted(e.display for n, e in editio.elements.items() if n not in tei_all.elements) == []


def _counterexample(small, big, alphabet) -> list[str] | None:
    """A child sequence the ``small`` automaton accepts and ``big`` rejects, or None."""
    start = (small.initial(), big.initial())
    seen, queue = {start}, deque([(start, [])])
    while queue:
        (a, b), path = queue.popleft()
        if small.accepts(a) and not big.accepts(b):
            return path
        for name in alphabet:
            na = small.step(a, name)
            if na:
                key = (na, big.step(b, name))
                if key not in seen:
                    seen.add(key)
                    queue.append((key, path + [name]))
    return None


def test_content_models_are_included_in_tei_all(editio, tei_all):
    problems = []
    for name, spec in sorted(editio.elements.items()):
        theirs = tei_all.elements[name]
        extra = spec.children - theirs.children
        if extra:
            problems.append(f"<{spec.display}> may contain {sorted(map(display_name, extra))}, tei_all says no")
            continue
        bad = _counterexample(spec.nfa, theirs.nfa, sorted(spec.children))
        if bad is not None:
            problems.append(f"<{spec.display}> accepts children {[display_name(n) for n in bad]}, tei_all does not")
        if spec.text_allowed and not theirs.text_allowed:
            problems.append(f"<{spec.display}> allows text, tei_all does not")
    roots = sorted(editio.start_nfa.expected(editio.start_nfa.initial()))
    assert _counterexample(editio.start_nfa, tei_all.start_nfa, roots) is None
    assert problems == []


def test_attributes_are_allowed_by_tei_all(editio, tei_all):
    problems = []
    for name, spec in sorted(editio.elements.items()):
        theirs = tei_all.elements[name].attributes
        for key, attr in spec.attributes.items():
            other = theirs.get(key)
            label = f"{attr.display} on <{spec.display}>"
            if other is None:
                problems.append(f"{label} does not exist in tei_all")
                continue
            if other.required and not attr.required:
                problems.append(f"{label} is required by tei_all but optional here")
            if other.any_text:
                continue
            for value in attr.values:
                fits = value in other.values or any(datatype_ok(t, p, value) for t, p in other.datatypes)
                if not fits:
                    problems.append(f"{label}: value {value!r} is not allowed by tei_all")
            if other.values and not other.datatypes and (attr.datatypes or attr.any_text):
                problems.append(f"{label} accepts free values, tei_all only {sorted(other.values)}")
        for key, other in theirs.items():
            if other.required and key not in spec.attributes:
                problems.append(f"tei_all requires @{display_name(key)} on <{spec.display}>")
    assert problems == []


def test_subset_check_catches_a_violation(tmp_path, tei_all):
    """The structural checks above are not vacuous: a div inside p, or a wrong order in fileDesc, is caught."""
    text = EDITIO_RNG.read_text("utf-8")
    # p may end with a div (not allowed inside p in TEI)
    broken = re.sub(r'(<element name="p">\s*<ref name="att.global"/>\s*<ref name="macro.paraContent"/>)',
                    r'\1<optional><ref name="tei.div"/></optional>', text, count=1)
    assert broken != text
    path = tmp_path / "broken.rng"
    path.write_text(broken, "utf-8")
    model = read_grammar(path)
    p = "{%s}p" % TEI_NS
    assert "{%s}div" % TEI_NS in model.elements[p].children - tei_all.elements[p].children
    # and an order violation only the automaton comparison sees: sourceDesc before publicationStmt
    reordered = text.replace('<ref name="tei.publicationStmt"/>\n      <ref name="tei.sourceDesc"/>',
                             '<ref name="tei.sourceDesc"/>\n      <ref name="tei.publicationStmt"/>')
    assert reordered != text
    path.write_text(reordered, "utf-8")
    model = read_grammar(path)
    fd = "{%s}fileDesc" % TEI_NS
    bad = _counterexample(model.elements[fd].nfa, tei_all.elements[fd].nfa, sorted(model.elements[fd].children))
    assert bad is not None and [display_name(n) for n in bad][-2:] == ["sourceDesc", "publicationStmt"]


# --- strict subset of tei_all, by example (jing) -----------------------------------

def _jing(schema: Path, files: list[Path]) -> dict[Path, list[str]]:
    """Run jing once on all files; return each file's error lines."""
    result = subprocess.run([JING, str(schema), *map(str, files)], capture_output=True, text=True, timeout=300)
    errors: dict[Path, list[str]] = {f.resolve(): [] for f in files}
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        m = re.match(r"(.+?):\d+:\d+: (?:fatal|error)", line)
        if m:
            errors.setdefault(Path(m.group(1)).resolve(), []).append(line)
    return errors


@pytest.fixture(scope="module")
def jing_tei_all():
    return _jing(TEI_ALL, valid_documents())


@pytest.fixture(scope="module")
def jing_editio():
    return _jing(EDITIO_RNG, valid_documents())


@needs_jing
@pytest.mark.parametrize("path", valid_documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_valid_documents_are_valid_tei_all(jing_tei_all, path):
    assert jing_tei_all[path.resolve()] == []


@needs_jing
@pytest.mark.parametrize("path", valid_documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_valid_documents_are_valid_editio_for_jing(jing_editio, path):
    assert jing_editio[path.resolve()] == []


def test_edition_tei_files_exist_or_sample_covers():
    """At least the sample edition is checked; the chapter and register are checked once they exist."""
    names = {p.name for p in valid_documents()}
    assert {"chapter-1.xml", "register.xml"} <= names


def test_vendored_tei_all_is_tei_p5_with_its_licence():
    head = TEI_ALL.read_text("utf-8")[:3000]
    assert re.search(r"TEI Edition:\s+Version\s4\.3\.0", head)
    note = (TEI_ALL.parent / "README.md").read_text("utf-8")
    assert "Creative Commons" in note and "BSD" in note
