"""One invalid and one valid case per Schematron rule, named after the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLE
from editio.resources import schema_path
from editio.schematron import date_bound, engine, is_real_date
from editio.xmlload import load_xml

INVALID = FIXTURES / "invalid"


def check(*paths: Path):
    trees = {str(p.resolve()): load_xml(p) for p in paths}
    return engine(str(schema_path("editio.sch"))).check(trees)


# rule id -> (fixture, line of the offending element)
CASES = {
    "pointer.ref": ("sch-dangling-ref.xml", 24),
    "date.real": ("sch-impossible-date.xml", 24),
    "date.order": ("sch-date-order.xml", 24),
    "choice.pair": ("sch-choice-two-sic.xml", 24),
    "p.id": ("sch-paragraph-without-id.xml", 25),
    "name.ref": ("sch-name-without-ref.xml", 24),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_on_its_fixture(rule):
    name, line = CASES[rule]
    found = [d for d in check(INVALID / name) if d.rule == rule]
    assert len(found) == 1, found
    assert found[0].line == line
    assert found[0].col > 1
    assert found[0].hint  # every rule says how to fix it


def test_valid_sample_edition_has_no_findings():
    assert check(SAMPLE / "chapter-1.xml", SAMPLE / "register.xml") == []


def test_duplicate_id_across_two_files_names_both_places():
    folder = INVALID / "duplicate-id"
    found = [d for d in check(folder / "a.xml", folder / "b.xml") if d.rule == "id.unique"]
    assert {Path(d.path).name for d in found} == {"a.xml", "b.xml"}
    assert all("a.xml:" in d.message and "b.xml:" in d.message for d in found)


def test_register_entry_pointed_to_only_from_another_file_counts_as_used():
    only_register = [d.rule for d in check(SAMPLE / "register.xml")]
    assert "register.unused" in only_register  # alone, nothing points at smith
    together = [d.rule for d in check(SAMPLE / "chapter-1.xml", SAMPLE / "register.xml")]
    assert "register.unused" not in together


def test_unresolved_cross_file_pointer_is_an_error(tmp_path):
    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8").replace("register.xml#london", "register.xml#paris")
    (tmp_path / "chapter-1.xml").write_text(text, encoding="utf-8")
    (tmp_path / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    found = check(tmp_path / "chapter-1.xml", tmp_path / "register.xml")
    refs = [d for d in found if d.rule == "pointer.ref"]
    assert len(refs) == 1 and "register.xml#paris" in refs[0].message
    assert any(d.rule == "register.unused" and "london" in d.message for d in found)


def test_correction_without_resp(tmp_path):
    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8").replace('<corr resp="#ed" cert="high">', "<corr>")
    (tmp_path / "c.xml").write_text(text, encoding="utf-8")
    (tmp_path / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    assert [d.rule for d in check(tmp_path / "c.xml", tmp_path / "register.xml")] == ["correction.resp"]


@pytest.mark.parametrize("value,real", [
    ("1936", True), ("1936-02", True), ("1936-02-29", True), ("1937-02-29", False),
    ("1900-02-29", False), ("2000-02-29", True), ("1936-13", False), ("1936-02-30", False),
    ("1936-9-1", False), ("1936-09-01T25:00", False), ("1936-09-01T03:00:00Z", True), ("", False),
])
def test_is_real_date(value, real):
    assert is_real_date(value) is real


def test_partial_dates_compare_by_the_days_they_cover():
    assert date_bound("1936", False) == "1936-01-01"
    assert date_bound("1936", True) == "1936-12-31"
    assert date_bound("1936-02", True) == "1936-02-29"
    assert date_bound("1937-02", True) == "1937-02-28"


def test_findings_of_one_rule_are_capped_with_a_count(tmp_path):
    from editio.schematron import MAX_PER_RULE

    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    text = text.replace("<head>Chapter One</head>", "<head>Chapter One</head>" + "<p>no id</p>\n" * (MAX_PER_RULE + 50))
    (tmp_path / "c.xml").write_text(text, encoding="utf-8")
    (tmp_path / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    found = [d for d in check(tmp_path / "c.xml", tmp_path / "register.xml") if d.rule == "p.id"]
    assert len(found) == MAX_PER_RULE + 1
    assert found[-1].message.startswith("50 more [p.id] problems")


def test_a_node_matched_by_an_earlier_rule_of_the_pattern_is_not_checked_by_a_later_one(tmp_path):
    from editio.schematron import SchematronEngine

    sch = tmp_path / "order.sch"
    sch.write_text('''<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <sch:pattern id="order">
    <sch:rule context="tei:p[@xml:id = 'ch1-p1']">
      <sch:report id="first" test="true()">first rule</sch:report>
    </sch:rule>
    <sch:rule context="tei:body//tei:p">
      <sch:report id="second" test="true()">second rule</sch:report>
    </sch:rule>
  </sch:pattern>
</sch:schema>''', encoding="utf-8")
    path = SAMPLE / "chapter-1.xml"
    found = SchematronEngine(sch).check({str(path): load_xml(path)})
    assert sorted((d.rule, d.line) for d in found) == [("first", 58), ("second", 61)]


def test_a_month_that_does_not_exist_is_reported_not_a_crash(tmp_path):
    assert date_bound("1936-13", True) == "1936-13-31"
    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    text = text.replace('notBefore="1936-10-01" notAfter="1936-12-31"', 'notBefore="1936-13" notAfter="1936-12"')
    (tmp_path / "c.xml").write_text(text, encoding="utf-8")
    (tmp_path / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    assert "date.real" in [d.rule for d in check(tmp_path / "c.xml", tmp_path / "register.xml")]


def test_python_and_libxml2_evaluation_of_the_rules_agree(tmp_path):
    """The rules' XPaths translated to Python give the findings libxml2 gives for the XPaths as written."""
    from editio.schematron import SchematronEngine

    text = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    for old, new in [('ref="register.xml#london"', 'ref="register.xml#paris #ed x.xml http://a.b/c"'),
                     ('when="1936-09-01"', 'when="1937-02-29" from="1936" to="1935-12"'),
                     ('notAfter="1936-12-31"', 'notAfter="1936-09"'), ('<corr resp="#ed"', "<corr"),
                     ('xml:id="ch1-p2"', 'xml:id="ch1-p1"'), ('<rs type="person"', '<rs type="unidentified"'),
                     ("</head>", "</head><p>no id</p>")]:
        text = text.replace(old, new)
    (tmp_path / "c.xml").write_text(text, encoding="utf-8")
    (tmp_path / "register.xml").write_bytes((SAMPLE / "register.xml").read_bytes())
    trees = {str(p.resolve()): load_xml(p) for p in (tmp_path / "c.xml", tmp_path / "register.xml")}
    schema = schema_path("editio.sch")
    python, libxml2 = SchematronEngine(schema).check(trees), SchematronEngine(schema, native=False).check(trees)
    assert sorted(python) == sorted(libxml2)
    assert len({d.rule for d in python}) >= 8
