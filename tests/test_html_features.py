"""One small TEI fixture per feature of the chapter page, with XPath assertions on the HTML.

Each case is a fragment of a chapter body; it is wrapped in a minimal TEI
document, rendered with editio.html.chapter_page (against the sample register)
and parsed with lxml.html.
"""

from __future__ import annotations

import lxml.html
import pytest

from conftest import SAMPLE
from editio.html import ChapterInfo, SiteContext, chapter_page

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Feature</title><author>A. Author</author></titleStmt>
    <publicationStmt><publisher>P</publisher></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>
  <text><body><div xml:id="d1"><head>Feature</head>
{body}
  </div></body></text>
</TEI>
"""

# (id, body fragment, XPath that must be true on the chapter page)
CASES = [
    ("italic", '<p xml:id="p1"><hi rend="italic">word</hi></p>', "//div[@id='p1']/p/i = 'word'"),
    ("superscript", '<p xml:id="p1">x<hi rend="sup">2</hi></p>', "//div[@id='p1']//sup = '2'"),
    ("emphasis", '<p xml:id="p1"><emph>very</emph></p>', "//div[@id='p1']//em = 'very'"),
    ("foreign-lang", '<p xml:id="p1"><foreign xml:lang="ru">да</foreign></p>', "//i[@lang='ru'] = 'да'"),
    ("line-break", '<p xml:id="p1">a<lb/>b</p>', "count(//div[@id='p1']/p/br) = 1"),
    ("quotation", '<p xml:id="p1"><q>said</q></p>', "//span[@class='q'] = 'said'"),
    ("title", '<p xml:id="p1"><title>Book</title></p>', "//cite[@class='title'] = 'Book'"),
    ("gap", '<p xml:id="p1">a <gap reason="illegible"/> b</p>', "contains(//span[@class='gap']/@title, 'illegible')"),
    ("unclear", '<p xml:id="p1"><unclear>maybe</unclear></p>', "//span[@class='unclear'] = 'maybe'"),
    ("list-in-paragraph", '<p xml:id="p1">items: <list><item>a</item><item>b</item></list></p>',
     "count(//div[@id='p1']/div[@class='p']/ul/li) = 2 and not(//p//ul)"),
    ("nested-division-heading", '<p xml:id="p1">x</p><div><head>Part</head><p xml:id="p2">y</p></div>',
     "//section/h2 = 'Part' and //h1 = 'Feature'"),
    ("paragraph-numbers", '<p xml:id="a">x</p><p xml:id="b">y</p>',
     "//div[@id='a']/a[@class='pnum'] = 'Paragraph 1' and //div[@id='b']/a[@class='pnum'] = 'Paragraph 2'"),
    ("paragraph-without-id", '<p>x</p>', "//div[@class='para']/@id = 'p1'"),
    ("date-when", '<p xml:id="p1"><date when="1936-09-01">that day</date></p>',
     "//time[@datetime='1936-09-01'][@title='1 September 1936'] = 'that day'"),
    ("date-period", '<p xml:id="p1"><date notBefore="1937-06-01" notAfter="1937-08-31">summer 1937</date></p>',
     "//span[@class='date'][contains(@title, 'between 1 June 1937')] = 'summer 1937'"),
    ("orig-reg", '<p xml:id="p1"><choice><orig>colour</orig><reg>color</reg></choice></p>',
     "//span[@data-reading='printed'] = 'colour' and //span[@data-reading='corrected'] = 'color'"),
    ("sic-corr", '<p xml:id="p1"><choice><sic>Yerev</sic><corr>Yezhov</corr></choice></p>',
     "//span[@data-reading='corrected'][contains(@title, 'printed: Yerev')] = 'Yezhov'"),
    ("supplied-only-corrected", '<p xml:id="p1">a <supplied>b</supplied> c</p>',
     "//span[@data-reading='corrected'][contains(@class, 'supplied')] = 'b'"),
    ("surplus-only-printed", '<p xml:id="p1">a<surplus> a</surplus></p>',
     "//span[@data-reading='printed'][contains(@class, 'surplus')] = ' a'"),
    ("pointer-to-paragraph", '<p xml:id="p1">see <ptr target="#p1"/></p>', "//div[@id='p1']//a/@href = '#p1'"),
    ("ref-to-register", '<p xml:id="p1"><ref target="register.xml#smith">him</ref></p>',
     "//a[. = 'him']/@href = 'persons.html#smith'"),
    ("ref-to-other-chapter", '<p xml:id="p1"><ref target="chapter-2.xml#p3">there</ref></p>',
     "//a[. = 'there']/@href = 'chapter-2.html#p3'"),
    ("mention-person", '<p xml:id="p1"><persName ref="register.xml#smith">Smith</persName></p>',
     "//span[@class='mention'][@data-type='person']/a[@href='persons.html#smith'][@id='m1']"),
    ("mention-rs-event", '<p xml:id="p1"><rs type="event" ref="register.xml#meeting">it</rs></p>',
     "//span[@data-type='event']/a/@href = 'events.html#meeting'"),
    ("notes-numbered", '<p xml:id="p1">a<note>one</note> b<note>two</note></p>',
     "//a[@role='doc-noteref'][1] = '1' and //aside[@id='fn-2']//p[@class='fn-body'] = 'two'"),
    ("note-with-id", '<p xml:id="p1">a<note xml:id="n-x">one</note></p>',
     "//a[@role='doc-noteref']/@href = '#n-x' and //aside/@id = 'n-x'"),
    ("note-links-its-paragraph", '<p xml:id="p7">a<note>one</note></p>', "//aside//a[@class='fn-para']/@href = '#p7'"),
    ("verse", '<p xml:id="p1">song:</p><lg><l>one</l><l>two</l></lg>', "count(//div[@class='lg']/span[@class='l']) = 2"),
    ("table", '<p xml:id="p1">t</p><table><row role="label"><cell>h</cell></row><row><cell>d</cell></row></table>',
     "//table/tr/th = 'h' and //table/tr/td = 'd'"),
]


@pytest.fixture(scope="module")
def render(tmp_path_factory):
    folder = tmp_path_factory.mktemp("features")
    ctx = SiteContext(title="Features", editors=["E. Editor"],
                      chapters=[ChapterInfo("feature", "Feature", "feature.html")])

    def _render(body: str):
        path = folder / "feature.xml"
        path.write_text(DOC.format(body=body), "utf-8")
        warnings = []
        html = chapter_page(path, SAMPLE / "register.xml", ctx, warnings)["feature.html"]
        return lxml.html.document_fromstring(html), warnings

    return _render


@pytest.mark.parametrize("body, xpath", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_feature(render, body, xpath):
    doc, warnings = render(body)
    assert doc.xpath(xpath), lxml.html.tostring(doc.xpath("//main")[0], encoding="unicode")[:2000]
    assert warnings == []
