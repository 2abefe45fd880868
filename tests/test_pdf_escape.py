"""Escaping by construction: any text in a TEI paragraph comes out of the PDF as it went in.

Each example is a one-chapter edition typeset in-process (Saxon and Typst are
loaded once), so sixty examples take seconds.
"""

from __future__ import annotations

import io
import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from editio import pdf as print_edition
from editio.config import Config
from editio.edition import TEI_NS, Edition

LATIN = string.ascii_letters + "àéîõüßçñÆøŁł"
CYRILLIC = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁё"
GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψωςά"
PUNCTUATION = ".,;:!?()«»–—…‘’“”'\"%&§°"
SPECIAL = "#*_$@<>\\[]~/`=-+{}|^"
# Sequences Typst markup would read as syntax if they reached it unescaped.
TOKENS = ["//", "/*", "*/", "--", "---", "...", "-?", "https://example.org", "1.", "12.", "= ", "- ", "+ ",
          "/ Term: ", "\n= ", "\n- ", "\n+ ", "\n1. ", "\n\n", "#let x = 1", "#set text(red)", "$x^2$",
          "<label>", "@ref", "\\u{41}", "\\", "`raw`", "```", "*bold*", "_emph_", "[", "]", ";", "#f()[x]"]
ALPHABET = LATIN + CYRILLIC + GREEK + PUNCTUATION + SPECIAL + string.digits + " \n\t"

texts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(alphabet=ALPHABET, min_size=1, max_size=12)),
                 min_size=1, max_size=8).map("".join).filter(lambda s: s.strip())


def _edition(tmp_path, text: str) -> Edition:
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(tei, f"{{{TEI_NS}}}teiHeader")
    stmt = etree.SubElement(etree.SubElement(header, f"{{{TEI_NS}}}fileDesc"), f"{{{TEI_NS}}}titleStmt")
    etree.SubElement(stmt, f"{{{TEI_NS}}}title").text = "Escaping"
    div = etree.SubElement(etree.SubElement(etree.SubElement(tei, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body"),
                           f"{{{TEI_NS}}}div")
    etree.SubElement(div, f"{{{TEI_NS}}}head").text = "Chapter"
    p = etree.SubElement(div, f"{{{TEI_NS}}}p")
    p.set("{http://www.w3.org/XML/1998/namespace}id", "p1")
    p.text = "QQSTART " + text + " QQEND"
    path = tmp_path / "chapter.xml"
    path.write_bytes(etree.tostring(tei, xml_declaration=True, encoding="UTF-8"))
    return Edition(config=Config(root=tmp_path), files=[path])


def _comparable(text: str) -> str:
    """Whitespace removed; hyphens and soft hyphens dropped (a line-end hyphen and a hyphenation
    break extract alike). A '-' that became a list bullet or an en dash still fails the test."""
    return re.sub(r"[\s\u00ad-]", "", text)


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=texts)
def test_any_text_survives_typesetting(tmp_path, text):
    data = print_edition.render_pdf(_edition(tmp_path, text))
    extracted = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    m = re.search(r"QQSTART(.*?)QQEND", extracted, re.S)
    assert m, "the paragraph is missing from the PDF"
    assert _comparable(m.group(1)) == _comparable(text)


def test_escape_function_leaves_no_markup_character_bare(tmp_path):
    """Every ASCII punctuation character in the text reaches Typst behind a backslash."""
    text = string.punctuation
    markup, *_ = print_edition.typst_markup(_edition(tmp_path, text))
    line = next(line for line in markup.splitlines() if "QQSTART" in line and "#pn(" in line)
    escaped = line[line.index("QQSTART"):line.index("QQEND")]
    assert re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped) == "QQSTART  "
