"""The web edition (editio html): pages, links both ways, readings, safety, determinism, atomic writes.

Each site is built once per session; tests parse the HTML with lxml.html and
assert on it with XPath.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from conftest import FIXTURES, REPO, SAMPLE, run_editio
from editio.edition import Edition
from editio.html import SiteContext, build_site, chapter_extract, natural_key, write_site

HOSTILE = FIXTURES / "html" / "hostile"
REAL_CHAPTER = REPO / "tei" / "secret-history-59.xml"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
PAGE_TYPES = ("index.html", "persons.html", "places.html", "organisations.html", "events.html",
              "notes.html", "timeline.html", "about.html", "downloads.html")


class Site:
    """A built site: the files and their parsed HTML."""

    def __init__(self, root: Path, warnings):
        self.root = root
        self.warnings = warnings
        self.files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        self.html = {name: lxml.html.document_fromstring(data) for name, data in self.files.items()
                     if name.endswith(".html")}

    def chapter_pages(self):
        return [n for n in self.html if n not in PAGE_TYPES and n != "guidelines.html"]


def _edition(src: Path) -> Edition:
    """The edition in src: its edition.toml, else every .xml file in the folder."""
    return Edition.load(src) if (src / "edition.toml").exists() else Edition.load(src, paths=[src])


def _build(src: Path, out: Path) -> Site:
    edition = _edition(src)
    return Site(out, write_site(edition, out))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    return _build(SAMPLE, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    return _build(HOSTILE, tmp_path_factory.mktemp("hostile") / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    if not REAL_CHAPTER.exists():
        pytest.skip("tei/secret-history-59.xml is not there yet")
    return _build(REPO, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(params=["sample", "real"])
def any_site(request):
    return request.getfixturevalue(f"{request.param}_site")


# -- pages and structure ----------------------------------------------------------------------

def test_every_page_type_is_written(any_site):
    for name in PAGE_TYPES + ("guidelines.html", "assets/editio.css", "assets/editio.js"):
        assert name in any_site.files, name
    assert any_site.chapter_pages(), "no chapter page"


def test_pages_are_html5_with_lang_landmarks_and_skip_link(any_site):
    for name, doc in any_site.html.items():
        raw = any_site.files[name]
        assert raw.startswith(b"<!DOCTYPE HTML>"), name
        assert doc.get("lang"), name
        assert len(doc.xpath("//body/header")) == 1 and len(doc.xpath("//body/footer")) == 1, name
        assert len(doc.xpath("//main[@id='main']")) == 1, name
        assert doc.xpath("//nav[@aria-label]"), name
        skip = doc.xpath("//body/a[1]")[0]
        assert skip.get("href") == "#main", name
        assert len(doc.xpath("//h1")) == 1, name
        ids = doc.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"
        assert doc.xpath("//a[@href='guidelines.html']"), f"{name}: no link to the guidelines"


def test_paragraph_anchors_are_the_tei_ids_numbered_in_order(any_site):
    chapter = REAL_CHAPTER if "secret-history-59.html" in any_site.html else SAMPLE / "chapter-1.xml"
    tei_ids = etree.parse(str(chapter)).xpath("//t:body//t:p[not(ancestor::t:note)]/@xml:id", namespaces=TEI)
    doc = any_site.html[chapter.stem + ".html"]
    paras = doc.xpath("//div[@class='para']")
    assert [p.get("id") for p in paras] == tei_ids
    for n, para in enumerate(paras, 1):
        link = para.xpath("a[@class='pnum']")[0]
        assert link.get("href") == "#" + para.get("id")
        assert link.text_content().strip().endswith(str(n))


def _links(site: Site):
    for name, doc in site.html.items():
        for a in doc.xpath("//a[@href]"):
            yield name, a, a.get("href")


def test_every_internal_link_reaches_an_existing_page_and_anchor(any_site):
    for name, a, href in _links(any_site):
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        target = unquote(parts.path) or name
        if target.startswith(("tei/", "text/")) or target == "edition.pdf":
            continue  # copied or made by other commands (editio build)
        assert target in any_site.html, f"{name}: link to missing page {href}"
        if parts.fragment:
            assert any_site.html[target].xpath("//*[@id=$i]", i=parts.fragment), f"{name}: no #{parts.fragment} in {target}"


def test_every_mention_links_to_its_entry_and_is_linked_back(any_site):
    for page in any_site.chapter_pages():
        doc = any_site.html[page]
        mentions = doc.xpath("//main//span[@class='mention']/a[@id]")
        assert mentions
        for a in mentions:
            kind = a.getparent().get("data-type")
            target, _, entry = a.get("href").partition("#")
            assert target == {"person": "persons.html", "place": "places.html", "org": "organisations.html",
                              "event": "events.html"}[kind]
            register = any_site.html[target]
            back = register.xpath("//article[@id=$e]//section[contains(@class,'backlinks')]//a[@href=$h]",
                                  e=entry, h=f"{page}#{a.get('id')}")
            assert len(back) == 1, f"{page}#{a.get('id')} is not listed under {target}#{entry}"
            snippet = back[0].getparent().xpath(".//mark")[0].text_content()
            visible = "".join(a.xpath(".//text()[not(ancestor::*[@class='vh' or @class='pop' or @data-reading='printed'])]"))
            assert " ".join(snippet.split()) == " ".join(visible.split())


def test_nested_mentions_keep_their_backlink_anchor_but_do_not_nest_links(real_site):
    doc = real_site.html["secret-history-59.html"]
    assert not doc.xpath("//a//a"), "links must not nest"
    nested = doc.xpath("//span[@class='mention']/span[@class='nested'][@id]")
    assert nested, "the chapter has a name inside a reference by role (Lenin's comrades)"
    entry = nested[0].getparent()
    persons_and_more = [real_site.html[p] for p in ("persons.html", "organisations.html", "events.html")]
    assert any(d.xpath("//a[@href=$h]", h="secret-history-59.html#" + nested[0].get("id")) for d in persons_and_more)
    assert entry.get("data-type") in ("person", "org", "event", "place")


def test_a_group_reference_is_listed_under_every_entry_it_points_at(real_site):
    tei = etree.parse(str(REAL_CHAPTER))
    groups = tei.xpath("//t:text//*[@ref][contains(normalize-space(@ref), ' ')]", namespaces=TEI)
    assert groups, "the chapter has group references (e.g. the old Bolsheviks)"
    pages = [real_site.html[p] for p in ("persons.html", "places.html", "organisations.html", "events.html")]
    for el in groups:
        ids = [t.partition("#")[2] for t in el.get("ref").split()]
        for entry in ids:
            hits = [d for d in pages if d.xpath("//article[@id=$e]//section[contains(@class,'backlinks')]//mark", e=entry)]
            assert hits, f"no backlinks at all under {entry}"
        marks = {" ".join(m.text_content().split()) for d in pages for e in ids
                 for m in d.xpath("//article[@id=$e]//mark", e=e)}
        assert " ".join("".join(el.xpath(".//text()[not(ancestor::t:sic)][not(ancestor::t:note)]", namespaces=TEI)).split()) in marks


def test_popover_gives_name_dates_and_description_of_the_entry(sample_site):
    doc = sample_site.html["chapter-1.html"]
    link = doc.xpath("//a[@href='persons.html#smith']")[0]
    pop = doc.xpath("//*[@id=$i]", i=link.get("aria-describedby"))[0]
    assert pop.get("role") == "tooltip"
    assert pop.xpath("string(.//*[@class='pop-name'])") == "John Smith"
    assert "1880" in pop.text_content() and "1950" in pop.text_content()
    assert "traveller" in pop.xpath("string(.//*[@class='pop-desc'])").lower()


def test_a_chapter_page_holds_one_popover_per_entry_shared_by_its_mentions(real_site):
    doc = real_site.html["secret-history-59.html"]
    links = doc.xpath("//main//span[@class='mention']/a[@aria-describedby]")
    pops = doc.xpath("//*[@role='tooltip']")
    assert len(pops) < len(links)
    ids = [p.get("id") for p in pops]
    assert len(ids) == len(set(ids))  # one per entry (an entry mentioned only inside another link has one too)
    assert {a.get("aria-describedby") for a in links} <= set(ids)
    for a in links:  # every mention of an entry points at that entry's popover
        entry = a.get("href").split("#")[1]
        assert a.get("aria-describedby") == f"pop-{entry}"
    assert all(p.getparent().get("hidden") is not None for p in pops)  # shown only where editio.js moves them


def test_mentions_carry_their_type_in_text_not_only_colour(sample_site):
    doc = sample_site.html["chapter-1.html"]
    for a in doc.xpath("//main//span[@class='mention']/a"):
        label = a.xpath("string(span[@class='vh'])")
        assert label.rstrip(": ") in ("Person", "Place", "Organisation", "Event")


def test_notes_are_footnotes_linked_both_ways(any_site):
    for page in any_site.chapter_pages():
        doc = any_site.html[page]
        refs = doc.xpath("//a[@role='doc-noteref']")
        notes = doc.xpath("//*[@role='doc-footnote']")
        assert len(refs) == len(notes)
        for n, (ref, note) in enumerate(zip(refs, notes), 1):
            assert ref.get("href") == f"#{note.get('id')}"
            assert note.xpath(".//a[@role='doc-backlink']/@href") == [f"#{ref.get('id')}"]
            assert ref.text_content() == str(n)


def test_both_readings_are_in_the_markup_with_the_corrected_one_marked(sample_site):
    doc = sample_site.html["chapter-1.html"]
    choice = doc.xpath("//span[@class='choice']")[0]
    assert choice.xpath("string(*[@data-reading='printed'])") == "Jonse"
    corr = choice.xpath("*[@data-reading='corrected']")[0]
    assert corr.text_content() == "Jones" and "Jonse" in corr.get("title")
    assert doc.xpath("//input[@type='radio'][@name='reading'][@value='printed']")
    assert doc.xpath("//input[@value='corrected']/@checked")
    css = sample_site.files["assets/editio.css"].decode()
    assert '[data-reading="printed"] { display: none; }' in css
    assert "body:has(#reading-printed:checked)" in css


def test_real_chapter_has_yerev_as_printed_and_yezhov_corrected(real_site):
    doc = real_site.html["secret-history-59.html"]
    choices = doc.xpath("//span[@class='choice'][*[@data-reading='printed'] = 'Yerev']")
    assert choices and all(c.xpath("string(*[@data-reading='corrected'])") == "Yezhov" for c in choices)


def test_cite_this_paragraph_names_author_title_edition_and_anchor(sample_site):
    doc = sample_site.html["chapter-1.html"]
    cite = doc.xpath("//div[@id='ch1-p2']/details[@class='cite']/p[@class='citation']")[0]
    text = " ".join(cite.text_content().split())
    assert "Anonymous" in text and "Chapter One" in text and "paragraph 2" in text and "Jane Editor" in text
    assert cite.xpath("string(span[@class='cite-url'])").endswith("chapter-1.html#ch1-p2")


def test_register_entries_show_data_and_authority_links(sample_site):
    doc = sample_site.html["persons.html"]
    smith = doc.xpath("//article[@id='smith']")[0]
    assert smith.xpath("string(h2)").startswith("John Smith")
    assert smith.xpath(".//a/@href[starts-with(., 'https://www.wikidata.org/wiki/Q4115189')]")
    places = sample_site.html["places.html"]
    london = places.xpath("//article[@id='london']")[0]
    assert "51.5072° N" in london.text_content()
    assert london.xpath(".//a[starts-with(@href, 'https://www.openstreetmap.org/')]")


def test_names_in_other_languages_carry_lang(real_site):
    persons = real_site.html["persons.html"]
    assert persons.xpath("//article[@id='stalin']//span[@lang='ru'] = 'Иосиф Виссарионович Сталин'")


def test_timeline_is_chronological_and_includes_events(any_site):
    doc = any_site.html["timeline.html"]
    items = doc.xpath("//ol[@class='timeline']/li")
    assert items and doc.xpath("//li[@class='tl-event']")
    keys = [li.xpath("string(*[contains(@class,'tl-date')]/@datetime)") for li in items]
    dated = [k for k in keys if k]
    assert dated == sorted(dated)


def test_about_page_renders_principles_responsibility_and_revisions(sample_site):
    text = sample_site.html["about.html"].text_content()
    assert "Names of persons and places are tagged" in text
    assert "Transcription, encoding and annotation" in text
    assert "Created." in text


def test_downloads_link_tei_pdf_and_text_and_sources_are_copied(sample_site):
    doc = sample_site.html["downloads.html"]
    hrefs = set(doc.xpath("//main//a/@href"))
    assert {"tei/chapter-1.xml", "tei/register.xml", "edition.pdf", "text/chapter-1.txt"} <= hrefs
    assert sample_site.files["tei/chapter-1.xml"] == (SAMPLE / "chapter-1.xml").read_bytes()


def test_no_page_requests_anything_outside_the_site(any_site):
    for name, doc in any_site.html.items():
        for attr in doc.xpath("//link/@href | //script/@src | //img/@src | //iframe/@src | //source/@src"):
            assert not re.match(r"(?i)^\s*([a-z][a-z0-9+.-]*:|//)", attr), f"{name} loads {attr}"
    css = any_site.files["assets/editio.css"].decode()
    assert "url(" not in css and "@import" not in css


def test_chapter_page_with_assets_is_at_most_150_kb(any_site):
    assets = sum(len(v) for k, v in any_site.files.items() if k.startswith("assets/"))
    for page in any_site.chapter_pages():
        assert len(any_site.files[page]) + assets <= 150 * 1024


VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.skipif(not VNU.exists() or not shutil.which("java"),
                    reason="HTML VALIDATION SKIPPED: needs java and `npm install --no-save vnu-jar` at the repo root")
def test_every_page_is_valid_html5_for_the_nu_html_checker(sample_site, hostile_site, real_site):
    import subprocess

    pages = [s.root / name for s in (sample_site, hostile_site, real_site) for name in s.html]
    res = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *map(str, pages)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and not res.stderr.strip(), res.stderr[:3000]


# -- safety -----------------------------------------------------------------------------------

def test_unsafe_urls_are_dropped_everywhere(hostile_site):
    for name, a, href in _links(hostile_site):
        squeezed = re.sub(r"[\s\x00-\x20\u200b-\u200d\ufeff]", "", href).lower()
        assert not re.match(r"^(javascript|data|vbscript|file):", squeezed), f"{name}: {href!r}"
    for doc in hostile_site.html.values():
        for el in doc.iter():
            for attr, value in el.attrib.items():
                assert not attr.lower().startswith("on"), f"event handler attribute {attr}"
    chapter = hostile_site.html["chapter-hostile.html"]
    assert chapter.xpath("//a[text()='https']/@href") == ["https://example.org/a?b=1&c=%222%22"]
    assert chapter.xpath("//a[text()='mail']/@href") == ["mailto:someone@example.org"]
    assert chapter.xpath("//a[text()='relative']/@href") == ["#p2"]


def _line_of(path: Path, xpath: str) -> int:
    return etree.parse(str(path)).xpath(xpath, namespaces=TEI)[0].sourceline


@pytest.mark.parametrize("xpath, needle", [
    ("//t:ref[@target='javascript:alert(1)']", "javascript:alert(1)"),
    ("//t:ref[starts-with(@target, 'JaVaScRiPt')]", "JaVaScRiPt:alert(2)"),
    ("//t:ref[contains(@target, 'alert(3)')]", "alert(3)"),
    ("//t:ref[contains(@target, 'alert(4)')]", "javascript:alert(4)"),
    ("//t:ref[starts-with(@target, 'data:')]", "data:text/html"),
    ("//t:ref[starts-with(@target, 'vbscript:')]", "vbscript:"),
    ("//t:ref[contains(@target, 'alert(7)')]", "alert(7)"),
    ("//t:persName[@ref='javascript:alert(8)']", "@ref"),
    ("//t:pb[@facs]", "@facs"),
    ("//t:licence", "licence"),
])
def test_each_unsafe_url_is_reported_with_file_and_line(hostile_site, xpath, needle):
    path = HOSTILE / "chapter-hostile.xml"
    line = _line_of(path, xpath)
    hits = [d for d in hostile_site.warnings if d.rule == "html.unsafe-url" and d.path.endswith("chapter-hostile.xml")
            and d.line == line and needle in d.message]
    assert hits, f"no warning at line {line} mentioning {needle!r}: {[d.format() for d in hostile_site.warnings]}"


def test_unsafe_authority_url_in_register_is_reported_and_not_linked(hostile_site):
    line = _line_of(HOSTILE / "register.xml", "//t:idno[starts-with(., 'javascript')]")
    assert any(d.path.endswith("register.xml") and d.line == line for d in hostile_site.warnings)
    alice = hostile_site.html["persons.html"].xpath("//article[@id='alice']")[0]
    assert alice.xpath(".//a/@href[. = 'https://example.org/alice']")


def test_unhandled_element_warns_with_name_and_line_and_keeps_its_text(hostile_site):
    line = _line_of(HOSTILE / "chapter-hostile.xml", "//t:floatingText")
    assert any(d.rule == "html.unhandled" and "floatingText" in d.message and d.line == line
               for d in hostile_site.warnings)
    assert "floating" in hostile_site.html["chapter-hostile.html"].text_content()


def test_markup_in_text_is_escaped_not_interpreted(hostile_site):
    for name, doc in hostile_site.html.items():
        scripts = doc.xpath("//script")
        assert [s.get("src") for s in scripts] == ["assets/editio.js"], name
        assert not doc.xpath("//img | //b[contains(., 'bold')]"), name
    chapter = hostile_site.html["chapter-hostile.html"]
    assert '<script>alert("p1")</script>' in chapter.text_content()
    assert "<img src=x onerror=alert(1)>" in chapter.xpath("string(//h1)")
    persons = hostile_site.html["persons.html"]
    assert 'Alice "<b>bold</b>" Doe' in persons.xpath("string(//article[@id='alice']/h2)")


# -- determinism and writing ------------------------------------------------------------------

def test_same_input_gives_identical_bytes(tmp_path, sample_site):
    again = _build(SAMPLE, tmp_path / "again")
    assert again.files == sample_site.files


def test_no_date_in_output_unless_source_date_epoch(tmp_path, monkeypatch, sample_site):
    assert b"Edition of" not in b"".join(sample_site.files.values())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    dated = _build(SAMPLE, tmp_path / "dated")
    assert "Edition of 14 November 2023" in dated.html["chapter-1.html"].text_content()


def test_failed_build_leaves_the_previous_site_untouched(tmp_path):
    src = tmp_path / "ed"
    shutil.copytree(SAMPLE, src)
    out = tmp_path / "site"
    write_site(_edition(src), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (src / "chapter-2.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><div><p>unclosed", "utf-8")
    with pytest.raises(Exception):
        write_site(_edition(src), out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "temporary folder left behind"


def test_rebuild_keeps_the_pdf_made_by_another_command(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "edition.pdf").write_bytes(b"%PDF-1.7 test")
    (out / "stale.html").write_text("old page")
    write_site(_edition(SAMPLE), out)
    assert (out / "edition.pdf").read_bytes() == b"%PDF-1.7 test"
    assert not (out / "stale.html").exists()


def test_without_a_register_mentions_are_plain_text_with_a_warning(tmp_path):
    src = tmp_path / "ed"
    src.mkdir()
    shutil.copy(SAMPLE / "chapter-1.xml", src)
    site = _build(src, tmp_path / "site")
    chapter = site.html["chapter-1.html"]
    assert not chapter.xpath("//a[starts-with(@href, 'persons.html#')]")
    assert chapter.xpath("//span[@class='unresolved'][. = 'Smith']")
    assert {d.rule for d in site.warnings} == {"html.unresolved-ref"}
    assert "no persons" in site.html["persons.html"].text_content()


def test_extract_lists_mentions_notes_and_dates_of_a_chapter():
    x = etree.fromstring(chapter_extract(SAMPLE / "chapter-1.xml"))
    ns = {"x": "urn:editio:extract"}
    assert x.get("title") == "Chapter One"
    assert [m.get("ref") for m in x.findall("x:mention", ns)] == ["smith", "london", "jones", "smith", "society", "meeting"]
    assert [d.get("key") for d in x.findall("x:date", ns)] == ["1936-09-01", "1936-10-01"]
    assert len(x.findall("x:note", ns)) == 1


def test_a_large_edition_gets_a_notes_index_of_beginnings(real_site):
    from editio.html import edition_pages

    base = etree.fromstring(chapter_extract(REAL_CHAPTER))
    extracts = []
    for n in range(1, 10):  # 9 chapters x 37 notes: more than the 300 shown in full
        x = etree.fromstring(etree.tostring(base))
        x.set("stem", f"ch{n}")
        x.set("order", f"ch{n}")
        x.set("page", f"ch{n}.html")
        extracts.append(etree.tostring(x))
    ctx = SiteContext(title="Big", chapters=[])
    pages = edition_pages(REPO / "tei" / "register.xml", extracts, ctx)
    notes = lxml.html.document_fromstring(pages["notes.html"])
    items = notes.xpath("//ol[@class='notes-list']/li")
    assert len(items) == 9 * len(base.findall("{urn:editio:extract}note"))
    assert "shown by its beginning" in notes.text_content()
    assert all(len(li.xpath("string(p[@class='fn-body'])")) <= 161 for li in items)
    assert notes.xpath("//a[@href='ch9.html#fn-1' or starts-with(@href, 'ch9.html#')]")
    small = real_site.html["notes.html"]
    assert "shown by its beginning" not in small.text_content()


def _big_notes_page(base: etree._Element, chapters: int) -> lxml.html.HtmlElement:
    from editio.html import edition_pages

    extracts = []
    for n in range(1, chapters + 1):
        x = etree.fromstring(etree.tostring(base))
        x.set("stem", f"ch{n}")
        x.set("order", f"ch{n}")
        x.set("page", f"ch{n}.html")
        extracts.append(etree.tostring(x))
    pages = edition_pages(REPO / "tei" / "register.xml", extracts, SiteContext(title="Big", chapters=[]))
    return lxml.html.document_fromstring(pages["notes.html"])


def test_note_beginnings_start_the_full_notes_also_from_extracts_without_them(real_site):
    base = etree.fromstring(chapter_extract(REAL_CHAPTER))
    reading = "text()[not(ancestor::*[@class='vh' or @data-reading='printed'])]"  # as a reader sees it
    full = [" ".join("".join(li.xpath(f"*[contains(@class, 'fn-body')]//{reading}")).split())
            for li in real_site.html["notes.html"].xpath("//ol[@class='notes-list']/li")]
    old = etree.fromstring(etree.tostring(base))  # an extract cached before extracts carried @beginning
    for note in old.iterfind("{urn:editio:extract}note"):
        del note.attrib["beginning"]
    for extract in (base, old):
        items = _big_notes_page(extract, 9).xpath("//section[1]/ol[@class='notes-list']/li")
        shown = [li.xpath("string(p[@class='fn-body'])") for li in items]
        assert len(shown) == len(full) > 0
        for short, whole in zip(shown, full):
            assert short and whole.startswith(short.removesuffix("…")), (short, whole)
        assert any(s.endswith("…") for s in shown)


def test_worker_processes_make_the_same_site_and_warnings(tmp_path, monkeypatch):
    import editio.html

    src = tmp_path / "src"
    shutil.copytree(HOSTILE, src)
    for n in (2, 3, 10):  # more chapters, each with the hostile one's warnings
        shutil.copy(src / "chapter-hostile.xml", src / f"chapter-hostile-{n}.xml")
    monkeypatch.setattr(editio.html, "PARALLEL_MIN_CHAPTERS", 2)
    edition = _edition(src)
    one = write_site(edition, tmp_path / "one")
    two = write_site(edition, tmp_path / "two", jobs=2)
    assert one and one == two
    assert {d.path for d in two} >= {str(src / "chapter-hostile-10.xml"), str(src / "chapter-hostile-2.xml")}
    files = {p.relative_to(tmp_path / "one").as_posix(): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    assert "chapter-hostile-10.html" in files
    for rel, data in files.items():
        assert (tmp_path / "two" / rel).read_bytes() == data, rel
    assert sorted(p.name for p in (tmp_path / "two").rglob("*")) == sorted(p.name for p in (tmp_path / "one").rglob("*"))


def _site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class _SharesInThisProcess:
    """Stands in for editio.background.start: a forked share is made here, with Saxon already running, when its
    result is asked for (or fails, as a crashed process would, and is then made again here)."""

    def __init__(self, fail: bool):
        self.fail, self.calls = fail, []

    def start(self, function, *args):
        from editio import background

        fail, calls = self.fail, self.calls

        class Pending(background.Pending):
            def result(self):
                calls.append((function.__name__, args[-2:]))
                if fail:
                    raise background.Failed("the process ended without a result")
                return function(*args)

            def cancel(self):
                pass

        return Pending(-1, -1, function, args)


@pytest.mark.parametrize("fail", [False, True], ids=["shares-beside", "share-process-fails"])
@pytest.mark.parametrize("which", ["hostile", "edition"])
def test_chapters_shared_among_forked_processes_give_the_same_site(tmp_path, monkeypatch, fail, which):
    """The default on a machine that can fork (every process a share of the chapters, this one splicing the
    edition-wide pages) makes what one process makes, byte for byte and warnings included; a share whose
    process fails is made here. (The edition's chapter uses every kind of markup.)"""
    import editio.html
    import editio.validation
    from editio import background

    src = tmp_path / "src"
    shutil.copytree(HOSTILE if which == "hostile" else REPO / "tei", src)
    chapter = src / ("chapter-hostile.xml" if which == "hostile" else "secret-history-59.xml")
    for n in range(2, 6):  # five chapters in two shares: 1, 3, 5 here and 2, 4 beside
        shutil.copy(chapter, src / f"{chapter.stem}-{n}.xml")
    edition = _edition(src)
    one = write_site(edition, tmp_path / "one", jobs=1)
    shares = _SharesInThisProcess(fail)
    monkeypatch.setattr(background, "start", shares.start)
    monkeypatch.setattr(background, "can_fork", lambda: True)
    monkeypatch.setattr(editio.validation, "default_jobs", lambda: 2)
    shared = write_site(edition, tmp_path / "shared")
    assert shares.calls == [("_share_pages", (1, 2))]
    assert shared == one and (one or which == "edition")
    assert _site_files(tmp_path / "shared") == _site_files(tmp_path / "one")


def test_editio_html_by_default_makes_the_site_one_process_makes(tmp_path):
    """As a user runs it (a fresh process, which forks a process per core for shares of the chapters) and with
    -j 1: the same bytes and the same warnings."""
    import editio.html

    src = tmp_path / "src"
    shutil.copytree(HOSTILE, src)
    for n in range(2, editio.html.SHARE_FROM_CHAPTERS + 1):
        shutil.copy(src / "chapter-hostile.xml", src / f"chapter-hostile-{n}.xml")
    runs = {}
    for name, jobs in (("shared", ["-j", "2"]), ("default", []), ("one", ["-j", "1"])):
        result = run_editio("html", src, "--out", tmp_path / name, *jobs)
        assert result.returncode == 0, result.stderr
        runs[name] = result.stderr.replace(str(tmp_path / name), "OUT")
    assert "javascript" in runs["one"] and runs["shared"] == runs["default"] == runs["one"]
    assert _site_files(tmp_path / "shared") == _site_files(tmp_path / "one") == _site_files(tmp_path / "default")


def test_a_chapter_named_like_an_edition_page_does_not_replace_it(tmp_path):
    src = tmp_path / "ed"
    src.mkdir()
    shutil.copy(SAMPLE / "register.xml", src)
    shutil.copy(SAMPLE / "chapter-1.xml", src / "index.xml")
    site = _build(src, tmp_path / "site")
    assert site.html["index.html"].xpath("//ol[@class='contents']//a/@href") == ["index-chapter.html"]
    assert site.html["index-chapter.html"].xpath("//div[@class='para']")


def test_warnings_belong_to_the_run_that_made_them():
    from editio.html import chapter_page

    ctx = SiteContext(title="x")
    hostile, clean = [], []
    chapter_page(HOSTILE / "chapter-hostile.xml", HOSTILE / "register.xml", ctx, hostile)
    chapter_page(SAMPLE / "chapter-1.xml", SAMPLE / "register.xml", ctx, clean)
    assert hostile and clean == []


def test_chapters_are_ordered_naturally():
    assert sorted(["ch10", "ch2", "ch1"], key=natural_key) == ["ch1", "ch2", "ch10"]


def test_site_context_takes_title_and_editors_from_edition_toml():
    ctx = SiteContext.from_edition(Edition.load(HOSTILE), [])
    assert ctx.title == "Hostile edition" and ctx.editors == ["Eve Editor"]
    assert "<site " in ctx.to_xml()


# -- command line -----------------------------------------------------------------------------

def test_cli_writes_site_and_prints_warnings_with_positions(tmp_path):
    res = run_editio("html", str(HOSTILE), "--out", str(tmp_path / "site"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert re.search(r"chapter-hostile\.xml:\d+:\d+: warning: unsafe URL dropped .*\[html\.unsafe-url\]", res.stderr)
    strict = run_editio("html", str(HOSTILE), "--out", str(tmp_path / "site2"), "--strict")
    assert strict.returncode == 1


def test_cli_unwritable_output_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = run_editio("html", str(SAMPLE), "--out", str(blocker / "site"))
    assert res.returncode == 2, res.stderr
    assert "cannot write the site" in res.stderr and "Traceback" not in res.stderr


def test_cli_missing_input_is_a_usage_error(tmp_path):
    res = run_editio("html", str(tmp_path / "nope.xml"), "--out", str(tmp_path / "site"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "site").exists()


# -- stylesheet conventions -------------------------------------------------------------------

XSL = "http://www.w3.org/1999/XSL/Transform"
SHEETS = sorted((REPO / "xslt" / "html").glob("*.xsl")) + sorted((REPO / "xslt" / "common").glob("*.xsl"))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_stylesheet_starts_with_a_purpose_comment_and_documents_typed_params(sheet):
    root = etree.parse(str(sheet)).getroot()
    first = root.getprevious() if root.getprevious() is not None else next(iter(root), None)
    assert isinstance(first, etree._Comment) and first.text.strip(), f"{sheet.name}: no purpose comment"
    for param in root.findall(f"{{{XSL}}}param"):
        assert param.get("as"), f"{sheet.name}: xsl:param {param.get('name')} has no type"
        comment = param.getprevious()
        assert isinstance(comment, etree._Comment), f"{sheet.name}: xsl:param {param.get('name')} is undocumented"
    for fn in root.findall(f"{{{XSL}}}function"):
        assert fn.get("name").startswith("f:"), f"{sheet.name}: function {fn.get('name')} lacks the f: prefix"


def test_no_disable_output_escaping_anywhere():
    for sheet in SHEETS:
        assert "disable-output-escaping" not in sheet.read_text("utf-8"), sheet.name


# -- shared XSLT functions --------------------------------------------------------------------

SAFE_URLS = [
    ("https://example.org/", True), ("http://x", True), ("mailto:a@b", True), ("persons.html#x", True),
    ("#p5", True), ("../tei/a.xml", True), ("HTTPS://EXAMPLE.ORG", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), (" javascript:x", False),
    ("java\tscript:x", False), ("java\nscript:x", False), ("\u200bjavascript:x", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False), ("ftp://x", False),
    ("", False),
]
DATES = [("1936-09-01", "1 September 1936"), ("1936-09", "September 1936"), ("1936", "1936"), ("soon", "soon")]
RANGES = [("1936-08-19", "1936-08-24", "19–24 August 1936"), ("1936-09-30", "1936-10-02", "30 September – 2 October 1936"),
          ("1936-12-30", "1937-01-02", "30 December 1936–2 January 1937"), ("1936", "1938", "1936–1938"),
          ("1936-06", "1936-08", "June–August 1936"), ("1936", "1936-08-01", "1936 – 1 August 1936")]
PERIOD = '<date xmlns="http://www.tei-c.org/ns/1.0" notBefore="1936-10" notAfter="1936-12-31" cert="low"/>'
UNDATED = '<date xmlns="http://www.tei-c.org/ns/1.0">?</date>'


def _xpath_string(s: str) -> str:
    return "codepoints-to-string((" + ",".join(str(ord(c)) for c in s) + "))" if s else "''"


@pytest.fixture(scope="module")
def common_results(tmp_path_factory):
    """Every probe expression evaluated once with editio's xslt/common functions in scope."""
    from editio.resources import xslt_path
    from editio.transform import Stylesheet

    exprs = [f"f:safe-url({_xpath_string(u)})" for u, _ in SAFE_URLS]
    exprs += [f"f:format-date('{iso}')" for iso, _ in DATES]
    exprs += [f"f:format-range('{a}', '{b}')" for a, b, _ in RANGES]
    exprs += [f"f:format-period(parse-xml('{PERIOD}')/*)", f"f:date-key(parse-xml('{PERIOD}')/*)",
              f"f:date-key(parse-xml('{UNDATED}')/*)"]
    includes = "".join(f'<xsl:include href="{p.as_uri()}"/>' for p in sorted(xslt_path("common").glob("*.xsl")))
    lines = "".join(f'<xsl:value-of select="{e.replace(chr(34), "&quot;").replace("<", "&lt;")}"/><xsl:text>&#10;</xsl:text>'
                    for e in exprs)
    sheet = tmp_path_factory.mktemp("xsl") / "probe.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
      xmlns:f="urn:editio:function" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0">
      {includes}<xsl:output method="text"/><xsl:template match="/">{lines}</xsl:template>
    </xsl:stylesheet>""", "utf-8")
    out = Stylesheet(sheet).run(xml_text="<x/>")[0].split("\n")
    return dict(zip(exprs, out))


@pytest.mark.parametrize("url, safe", SAFE_URLS)
def test_safe_url_predicate(common_results, url, safe):
    assert common_results[f"f:safe-url({_xpath_string(url)})"] == str(safe).lower()


@pytest.mark.parametrize("iso, text", DATES)
def test_format_date(common_results, iso, text):
    assert common_results[f"f:format-date('{iso}')"] == text


@pytest.mark.parametrize("start, end, text", RANGES)
def test_format_range_states_shared_parts_once(common_results, start, end, text):
    assert common_results[f"f:format-range('{start}', '{end}')"] == text


def test_period_and_sort_key_of_a_date_element(common_results):
    assert common_results[f"f:format-period(parse-xml('{PERIOD}')/*)"] == "between October 1936 and 31 December 1936 (uncertain)"
    assert common_results[f"f:date-key(parse-xml('{PERIOD}')/*)"] == "1936-10-01"
    assert common_results[f"f:date-key(parse-xml('{UNDATED}')/*)"] == "9999-99-99"


def test_the_notes_lead_and_the_timeline_follow_the_chapters_counts(tmp_path):
    src = tmp_path / "ed"
    src.mkdir()
    chapter = (SAMPLE / "chapter-1.xml").read_text(encoding="utf-8")
    undated = re.sub(r'<date [^>]*>(.*?)</date>', r"\1", chapter, flags=re.S)  # no dated mention left
    (src / "chapter-1.xml").write_text(undated, encoding="utf-8")
    site = _build(src, tmp_path / "site")
    assert "No dated mentions" in site.html["timeline.html"].text_content()
    assert "1 notes: 1 editorial notes" in " ".join(site.html["notes.html"].text_content().split())
    second = undated.replace('xml:id="ch1', 'xml:id="ch2').replace('xml:id="ed"', 'xml:id="ed2"')
    second = second.replace('"#ed"', '"#ed2"').replace('xml:id="src"', 'xml:id="src2"')
    second = second.replace("September 1, 1936", '<date when="1936-09-01">September 1, 1936</date>')
    (src / "chapter-2.xml").write_text(second.replace('type="editorial"', 'type="historical"'), encoding="utf-8")
    site = _build(src, tmp_path / "site2")
    rows = site.html["timeline.html"].xpath("//ol[@class='timeline']/li")
    assert [r.xpath("string(.//time/@datetime)") for r in rows] == ["1936-09-01"]
    assert "2 notes: 1 editorial notes, 1 historical notes" in " ".join(site.html["notes.html"].text_content().split())


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to see the share processes")
def test_ctrl_c_while_shares_are_made_keeps_the_old_site_and_leaves_no_process(tmp_path):
    """Ctrl-C (SIGINT to editio alone, as when a parent tool forwards it) while the forked shares run: exit 130,
    the previous site as it was, and the share processes stopped with the run, not left working."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(REPO / "tei" / "register.xml", src)
    for n in range(1, 41):  # enough chapters that the shares take a few seconds
        shutil.copy(REPO / "tei" / "secret-history-59.xml", src / f"ch-{n:02d}.xml")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the previous site", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "editio", "html", str(src), "--out", str(out), "-j", "2"],
                            cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (shares := _children(proc.pid)):
            assert proc.poll() is None and time.monotonic() < deadline, "no share process was forked"
            time.sleep(0.02)
        time.sleep(0.3)  # the shares are transforming
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous site"
    for pid in shares:
        assert not Path(f"/proc/{pid}").exists(), f"share process {pid} outlived the run"
