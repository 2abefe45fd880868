"""Coverage lint: untagged mentions of registered names are warned about, with their position."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from editio.cli import main
from editio.coverage import RULE, check_coverage
from editio.xmlload import load_xml

FIXTURES = Path(__file__).parent / "fixtures" / "annotate"

CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title type="main">Stalin in a title</title><editor xml:id="ed">E</editor></titleStmt>
      <publicationStmt><publisher>P</publisher></publicationStmt>
      <sourceDesc><p>Moscow in the header</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="chapter" xml:id="c">
        <p xml:id="c-p1">Tagged: <persName ref="register.xml#stalin">Stalin</persName> in
          <placeName ref="register.xml#moscow">Moscow</placeName>.<note type="editorial" resp="#ed">Yagoda in a note.</note></p>
        <p xml:id="c-p2">Untagged: Stalin’s order,
  the Soviet Union and <persName ref="register.xml#yezhov"><choice><sic>Yerev</sic><corr resp="#ed">Yezhov</corr></choice></persName>; Yerev again. German and Stalinist are not names.</p>
      </div>
    </body>
  </text>
</TEI>
"""


def _edition(tmp_path: Path) -> dict:
    shutil.copy(FIXTURES / "register.xml", tmp_path / "register.xml")
    (tmp_path / "c.xml").write_text(CHAPTER, encoding="utf-8")
    return {str(tmp_path / name): load_xml(tmp_path / name) for name in ("c.xml", "register.xml")}


def test_untagged_mentions_are_warned_at_their_position(tmp_path):
    found = check_coverage(_edition(tmp_path))
    lines = CHAPTER.split("\n")
    got = {}
    for d in found:
        assert d.rule == RULE and d.severity == "warning" and d.path.endswith("c.xml")
        got[lines[d.line - 1][d.col - 1:].split()[0].rstrip(",.;’s")] = d
    assert set(got) == {"Stalin", "Soviet", "Yerev"}
    assert "register.xml#stalin" in got["Stalin"].message
    assert "misprint" in got["Yerev"].message and "Yezhov" in got["Yerev"].message
    assert "<persName ref=\"register.xml#stalin\">Stalin</persName>" in got["Stalin"].hint


def test_fully_tagged_chapter_gives_no_warning(tmp_path):
    trees = _edition(tmp_path)
    chapter = str(tmp_path / "c.xml")
    text = CHAPTER.split("<p xml:id=\"c-p2\">")[0] + "</div></body></text></TEI>"
    (tmp_path / "c.xml").write_text(text, encoding="utf-8")
    trees[chapter] = load_xml(tmp_path / "c.xml")
    assert check_coverage(trees) == []


def test_the_register_is_found_when_only_chapters_are_given(tmp_path):
    trees = _edition(tmp_path)
    only = {k: v for k, v in trees.items() if k.endswith("c.xml")}
    assert len(check_coverage(only)) == 3


def test_trees_built_in_memory_get_lines(tmp_path):
    trees = _edition(tmp_path)
    memory = {f"mem/{Path(k).name}": etree.fromstring(etree.tostring(t)).getroottree() for k, t in trees.items()}
    found = check_coverage(memory)
    assert len(found) == 3
    assert all(d.line > 0 for d in found)


def test_validate_coverage_reports_them(tmp_path):
    _edition(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--coverage", str(tmp_path / "c.xml"), str(tmp_path / "register.xml")])
    assert f"[{RULE}]" in result.output
