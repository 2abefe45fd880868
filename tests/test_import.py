"""editio import: plain text to a valid TEI chapter."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from editio.cli import main
from editio.importer import id_prefix, import_text, split_text
from editio.validation import validate
from editio.xmlload import load_xml

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "source" / "secret-history-59.txt"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

TEXT = """A Test Chapter (1)

First paragraph with “typographic quotes” – a dash, an ellipsis… and R&D <tags> too.

Second paragraph
over two lines.
"""


@pytest.fixture
def edition(tmp_path):
    (tmp_path / "edition.toml").write_text('title = "Test edition"\neditors = ["Ann Editor", "Bob Editor"]\n'
                                           'publisher = "Test Press"\n', encoding="utf-8")
    (tmp_path / "tei").mkdir()
    (tmp_path / "source.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def test_heading_and_paragraphs_are_split_at_blank_lines():
    heading, paragraphs = split_text(TEXT)
    assert heading == "A Test Chapter (1)"
    assert paragraphs[1] == "Second paragraph over two lines."
    assert len(paragraphs) == 2


def test_a_first_line_with_final_punctuation_is_a_paragraph():
    heading, paragraphs = split_text("This is a sentence.\n\nAnother one.\n")
    assert heading is None and len(paragraphs) == 2


@pytest.mark.parametrize("name, prefix", [("secret-history-59", "secret-history-59"), ("59", "ch-59"),
                                           ("chapter 60", "chapter-60"), ("ça", "a")])
def test_id_prefix_is_an_xml_name(name, prefix):
    assert id_prefix(name) == prefix


def test_import_writes_a_valid_chapter_with_unique_ids(edition, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    out = import_text(edition / "source.txt", edition / "tei" / "ch1.xml", root=edition)
    tree = load_xml(out)
    ids = tree.xpath("//@xml:id")
    assert {"ch1", "ch1-head", "ch1-p1", "ch1-p2", "ch1-ed1", "ch1-ed2"} <= set(ids)
    assert len(ids) == len(set(ids))
    assert tree.xpath("string(//t:revisionDesc/t:change/@when)", namespaces=NS) == "1970-01-01"
    assert tree.xpath("string(//t:sourceDesc)", namespaces=NS).count("source.txt") == 1
    assert tree.xpath("//t:titleStmt/t:title[@type='main']/text()", namespaces=NS) == ["A Test Chapter (1)"]
    assert tree.xpath("//t:titleStmt/t:editor/text()", namespaces=NS) == ["Ann Editor", "Bob Editor"]
    report = validate([out])
    assert not report.errors, [d.format() for d in report.errors]


def test_text_is_kept_and_special_characters_escaped(edition):
    out = import_text(edition / "source.txt", edition / "tei" / "ch1.xml", root=edition)
    raw = out.read_text(encoding="utf-8")
    assert "“typographic quotes” – a dash, an ellipsis…" in raw
    assert "R&amp;D &lt;tags&gt;" in raw
    p1 = load_xml(out).xpath("//t:p[@xml:id='ch1-p1']", namespaces=NS)[0]
    assert p1.text == "First paragraph with “typographic quotes” – a dash, an ellipsis… and R&D <tags> too."


def test_xml_model_points_at_the_edition_schema_relative_to_the_file(edition):
    (edition / "schema").mkdir()
    for name in ("editio.rng", "editio.sch"):
        (edition / "schema" / name).write_bytes((REPO / "schema" / name).read_bytes())
    out = import_text(edition / "source.txt", edition / "tei" / "ch1.xml", root=edition)
    pis = [pi for pi in load_xml(out).getroot().itersiblings(preceding=True)
           if isinstance(pi, etree._ProcessingInstruction)]
    hrefs = sorted(pi.get("href") for pi in pis)
    assert hrefs == ["../schema/editio.rng", "../schema/editio.sch"]
    for href in hrefs:
        assert (out.parent / href).is_file()


def test_without_an_edition_schema_the_installed_one_is_used(edition):
    out = import_text(edition / "source.txt", edition / "tei" / "ch1.xml", root=edition)
    text = out.read_text(encoding="utf-8")
    href = text.split('<?xml-model href="', 1)[1].split('"', 1)[0]
    assert (out.parent / href).resolve().is_file()


@pytest.mark.skipif(not SOURCE.is_file(), reason="the shared source text is not beside the checkout")
def test_chapter_59_imports_and_validates(tmp_path):
    out = import_text(SOURCE, tmp_path / "secret-history-59.xml", root=tmp_path)
    tree = load_xml(out)
    assert len(tree.xpath("//t:body//t:p", namespaces=NS)) == 13
    assert tree.xpath("string(//t:head)", namespaces=NS) == "Secret History of Stalin’s Purge (59)"
    assert not validate([out]).errors


def test_cli_refuses_to_overwrite_without_force(edition):
    runner = CliRunner()
    target = edition / "tei" / "ch1.xml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["import", str(edition / "source.txt"), "--out", str(target)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    result = runner.invoke(main, ["import", str(edition / "source.txt"), "--out", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert load_xml(target).getroot().tag.endswith("TEI")


@pytest.mark.parametrize("content, rule", [(b"\xff\xfe bad bytes", "import.encoding"),
                                           (b"text with a \x01 control", "import.character"),
                                           (b"\n\n  \n", "import.empty")])
def test_bad_sources_give_exit_code_2(tmp_path, content, rule):
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    result = CliRunner().invoke(main, ["import", str(source), "--out", str(tmp_path / "out.xml")])
    assert result.exit_code == 2
    assert rule in result.output
    assert not (tmp_path / "out.xml").exists()


def test_missing_source_gives_exit_code_2(tmp_path):
    result = CliRunner().invoke(main, ["import", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o.xml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_edition_of_the_output_file_fills_the_header(edition, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    out = import_text(edition / "source.txt", edition / "tei" / "ch1.xml")
    tree = load_xml(out)
    assert tree.xpath("//t:publicationStmt/t:publisher/text()", namespaces=NS) == ["Test Press"]
