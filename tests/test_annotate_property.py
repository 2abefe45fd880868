"""Property: over random paragraphs, annotate --write only inserts markup, keeps the
diplomatic reading, and a second run changes nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editio.annotate import annotate, diplomatic_text
from editio.xmlload import load_xml, parse_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "annotate"

# pieces of raw XML a paragraph is made of: plain words, names (right and wrong),
# dates, escaped specials, typographic marks, existing tags, notes and comments
WORDS = ["the", "order", "was", "The", "However", "German", "Stalinist", "trial", "Soviet", "people", "said", "In"]
NAMES = ["Stalin", "Stalin’s", "Yagoda's", "Yezhov", "Yeshov", "Moscow", "Soviet Union", "Germany", "Radec",
         "Vasily Ulrikh", "NKVD", "Kamenyev"]
DATES = ["September 1, 1936", "the end of 1936", "1937", "early 1937", "the summer of 1937", "mid-1937", "the 1930s",
         "1 March 1938"]
SPECIAL = ["R&amp;D", "&lt;b&gt;", "“quoted”", "—", "&#x2014;", ".", ",", ";", "!", "&amp;", "5,000"]
MARKUP = ['<persName ref="register.xml#stalin">Stalin</persName>', '<date when="1936">1936</date>',
          "<hi>Moscow in italics</hi>", "<!-- Yagoda -->", '<note type="editorial" resp="#ed">Stalin, 1936.</note>',
          '<rs type="person" ref="register.xml#yezhov">the commissar</rs>', "<lb/>",
          '<persName ref="register.xml#yezhov"><choice><sic>Yerev</sic><corr resp="#ed">Yezhov</corr></choice></persName>']

piece = st.sampled_from(WORDS + NAMES + DATES + SPECIAL + MARKUP)
separator = st.sampled_from([" ", " ", " ", "\n          ", ""])
paragraph = st.lists(st.tuples(piece, separator), min_size=1, max_size=25).map(
    lambda parts: "".join(p + s for p, s in parts).strip() or "x")


def _document(paragraphs: list[str]) -> str:
    body = "\n".join(f'        <p xml:id="r-p{i}">{p}</p>' for i, p in enumerate(paragraphs, 1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Random</title><editor xml:id="ed">E</editor></titleStmt>
      <publicationStmt><publisher>P</publisher></publicationStmt>
      <sourceDesc><p>S</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="chapter" xml:id="r">
        <head>Stalin in 1936</head>
{body}
      </div>
    </body>
  </text>
</TEI>
"""


def _only_markup_inserted(before: str, after: str) -> bool:
    """Is ``after`` exactly ``before`` with tags (and corr elements) inserted?"""
    i = j = 0
    while j < len(after):
        if after[j] == "<":
            tag = after[j:after.index(">", j) + 1]
            if before.startswith(tag, i):
                i, j = i + len(tag), j + len(tag)
            elif tag.startswith("<corr"):
                j = after.index("</corr>", j) + len("</corr>")
            else:
                j += len(tag)
        elif i < len(before) and before[i] == after[j]:
            i, j = i + 1, j + 1
        else:
            return False
    return i == len(before)


def test_the_insertion_oracle_catches_changes():
    assert _only_markup_inserted("a Stalin b", 'a <persName ref="x">Stalin</persName> b')
    assert not _only_markup_inserted("a Stalin b", 'a <persName ref="x">Stalin</persName>  b')
    assert not _only_markup_inserted("a <!-- c --> b", "a  b")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraph, min_size=1, max_size=4))
def test_write_keeps_the_diplomatic_reading_and_is_idempotent(paragraphs):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(FIXTURES / "register.xml", folder / "register.xml")
        chapter = folder / "random.xml"
        original = _document(paragraphs)
        chapter.write_text(original, encoding="utf-8")
        files = [chapter, folder / "register.xml"]
        # schema validation is covered elsewhere; this property is about the text
        annotate(files, write=True, threshold=0.0, validate=False)
        once = chapter.read_text(encoding="utf-8")
        assert diplomatic_text(load_xml(chapter)) == diplomatic_text(parse_bytes(original.encode(), "o.xml"))
        assert _only_markup_inserted(original, once)
        again = annotate(files, write=True, threshold=0.0, validate=False)
        assert again.applied == 0
        assert chapter.read_text(encoding="utf-8") == once
