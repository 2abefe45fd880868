"""The encoding guidelines page generated from editio.rng and editio.sch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from editio.guidelines import read_rules, read_schema, render_page
from editio.resources import schema_path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "valid" / "sample"
RNG = schema_path("editio.rng")
SCH = schema_path("editio.sch")


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """A snapshot of the schema, so both renders of the determinism test read the same bytes."""
    folder = tmp_path_factory.mktemp("schema")
    for path in (RNG, SCH):
        shutil.copy(path, folder / path.name)
    return folder / RNG.name, folder / SCH.name


@pytest.fixture(scope="module")
def page(schema):
    files = sorted(SAMPLE.glob("*.xml"))
    data = render_page(files, rng_path=schema[0], sch_path=schema[1])
    return data, html.fromstring(data)


def test_every_element_of_the_schema_has_a_section(page, schema):
    names = {el.get("name") for el in etree.parse(str(schema[0])).iter("{http://relaxng.org/ns/structure/1.0}element")
             if el.get("name")}
    assert len(names) > 40
    _, doc = page
    index = {el.get("id"): el for el in doc.xpath("//*[@id]")}
    toc = set(doc.xpath("//nav//a/@href"))
    for name in names:
        assert index[f"el-{name}"].findtext(".//h3/code") == f"<{name}>"
        assert f"#el-{name}" in toc, name


def test_every_schematron_rule_appears_with_its_message(page, schema):
    rules = read_rules(schema[1])
    assert rules and all(r.id for r in rules)
    _, doc = page
    for rule in rules:
        row = doc.get_element_by_id(f"rule-{rule.id}")
        assert rule.message and rule.message in row.text_content()
        assert rule.role in row.text_content()


def test_documentation_and_closed_value_lists_are_shown(page, schema):
    _, elements, _ = read_schema(schema[0])
    _, doc = page
    persname = doc.get_element_by_id("el-persName").text_content()
    assert elements["persName"].documentation[0][:40] in " ".join(persname.split())
    note = doc.get_element_by_id("el-note")
    values = note.xpath('.//tr[th/code="@type"]//dt/code/text()')
    assert {"historical", "editorial", "translation"} <= set(values)


def test_examples_come_from_the_edition_and_are_escaped(page):
    data, doc = page
    example = doc.get_element_by_id("el-persName").xpath(".//figure//code")[0].text_content()
    assert example.startswith("<persName")
    assert "xmlns" not in example
    assert "chapter-1.xml" in doc.get_element_by_id("el-persName").text_content()
    assert b"<persName ref=" not in data  # escaped in the HTML source, shown as text


def test_page_is_a_standalone_accessible_html5_document(page):
    data, doc = page
    assert data.startswith(b"<!DOCTYPE html>")
    assert doc.get("lang") == "en"
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["assets/editio.css"]
    for landmark in ("header", "main", "footer", "nav"):
        assert doc.xpath(f"//{landmark}"), landmark
    assert len(doc.xpath("//h1")) == 1
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))
    for table in doc.xpath("//table"):
        assert table.xpath("caption") and table.xpath(".//th[@scope]")


def test_output_is_deterministic(page, schema):
    files = sorted(SAMPLE.glob("*.xml"))
    assert render_page(files, rng_path=schema[0], sch_path=schema[1]) == page[0]


def test_content_models_link_both_ways(page):
    _, doc = page
    body = doc.get_element_by_id("el-body")
    assert "div" in body.xpath(".//p[@class='contains']/a/text()")
    div = doc.get_element_by_id("el-div")
    assert "body" in div.xpath(".//p[@class='contained-in']/a/text()")
    ids = set(doc.xpath("//@id"))
    for href in doc.xpath("//main//a/@href"):
        assert href.startswith("#") and href[1:] in ids, href
