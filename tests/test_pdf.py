"""The print edition: the real PDF, inspected with pypdf and rendered with pdftoppm.

The edition (the encoded chapter 59 with its register, or the sample fixture
before they exist) is built once per session; every test reads that PDF.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import REPO, SAMPLE, run_editio
from editio import pdf as print_edition
from editio.diagnostics import EditioError
from editio.edition import TEI_NS, Edition, is_register
from editio.textexport import chapter_blocks
from editio.xmlload import load_xml

T = f"{{{TEI_NS}}}"
EPOCH = "1764288000"  # 2025-11-28, a fixed SOURCE_DATE_EPOCH


def _edition_files() -> list[Path]:
    real = [REPO / "tei" / "secret-history-59.xml", REPO / "tei" / "register.xml"]
    if all(p.is_file() for p in real):
        return real
    return [SAMPLE / "chapter-1.xml", SAMPLE / "register.xml"]


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """The edition's PDF (corrected reading), its Typst markup and its reader."""
    out = tmp_path_factory.mktemp("pdf")
    files = _edition_files()
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        edition = Edition.load(REPO, paths=files)
        result = print_edition.write_pdf(edition, out / "edition.pdf", keep_typst=out / "edition.typ")
    finally:
        mp.undo()
    reader = PdfReader(out / "edition.pdf")
    return {"path": out / "edition.pdf", "result": result, "reader": reader, "files": files,
            "pages": [p.extract_text() or "" for p in reader.pages]}


def _norm(text: str) -> str:
    """Extracted text made comparable: hyphenation breaks joined, whitespace collapsed."""
    text = re.sub("\u00ad\\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _letters(text: str) -> str:
    return re.sub(r"[^\w]|[\d_]", "", text).lower()


def _chapters(files):
    return [load_xml(p) for p in files if not is_register(load_xml(p))]


def _page_index(reader: PdfReader, label: str) -> int:
    """The 0-based page whose printed number (PDF page label) is ``label``."""
    return reader.page_labels.index(label)


def _main_matter(book) -> tuple[int, int]:
    """First and last page index of the chapters (arabic 1 up to the list of sources or index)."""
    reader = book["reader"]
    start = _page_index(reader, "1")
    end = next((i for i in range(start, len(reader.pages))
                if i > start and re.match(r"\s*(Sources|Index)\b", book["pages"][i])), len(reader.pages))
    return start, end


def test_text_follows_the_reading_order_of_the_tei(book):
    start, end = _main_matter(book)
    body = _letters(" ".join(book["pages"][start:end]))
    position = 0
    blocks = [b for tree in _chapters(book["files"]) for b in chapter_blocks(tree, "corrected")]
    assert len(blocks) >= 2
    for block in blocks:
        opening = _letters(block)[:40]
        found = body.find(opening, position)
        assert found >= 0, f"paragraph opening {block[:60]!r} missing or out of order"
        position = found + len(opening)


def test_margin_numbers_are_the_paragraph_ids(book):
    start, end = _main_matter(book)
    text = _norm(" ".join(book["pages"][start:end]))
    for tree in _chapters(book["files"]):
        for p in tree.getroot().iter(f"{T}p"):
            pid = p.get("{http://www.w3.org/XML/1998/namespace}id")
            if not pid or p.getparent().tag != f"{T}div":
                continue
            number = re.search(r"(\d+)$", pid).group(1)
            first_word = re.search(r"\w+", "".join(p.itertext())).group(0)
            assert re.search(rf"(?<!\d){number}\s*{re.escape(first_word)}", text), (pid, first_word)


def _reading_text(el) -> str:
    """The words of ``el`` in the corrected reading: sic, surplus and notes left out."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in (f"{T}sic", f"{T}orig", f"{T}surplus", f"{T}note"):
            parts.append(_reading_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _index_heads(markup: str) -> dict[str, str]:
    """Register key -> the entry heading the stylesheet wrote (page numbers are not in the markup)."""
    rows = re.findall(r'\(key: "([^"]+)", head: \[((?:\\.|[^\]])*)\]', markup)
    return {key: re.sub(r"\\(.)", r"\1", head) for key, head in rows}


def test_every_index_entry_points_to_pages_that_name_it(book):
    reader, pages = book["reader"], book["pages"]
    start = _main_matter(book)[0]
    index_start = next(i for i in range(start, len(pages)) if re.match(r"\s*Index\b", pages[i]))
    index_text = _norm(" ".join(pages[index_start:]))
    names: dict[str, set[str]] = {}
    for tree in (load_xml(p) for p in book["files"]):
        for entry in tree.getroot().iter(f"{T}person", f"{T}place", f"{T}org"):
            key = entry.get("{http://www.w3.org/XML/1998/namespace}id")
            names[key] = {w for n in entry if n.tag in (f"{T}persName", f"{T}placeName", f"{T}orgName")
                          for w in re.findall(r"\w{4,}", "".join(n.itertext()))}
    phrases: dict[str, set[str]] = {}
    for tree in _chapters(book["files"]):
        body = tree.getroot().find(f"{T}text/{T}body")
        for el in body.iter(f"{T}persName", f"{T}placeName", f"{T}orgName", f"{T}rs"):
            if any(a.tag == f"{T}note" for a in el.iterancestors()) or "#" not in (el.get("ref") or ""):
                continue
            if el.tag == f"{T}rs" and el.get("type") not in ("person", "place", "org"):
                continue
            key = el.get("ref").split()[0].split("#")[1]
            phrases.setdefault(key, set()).add(" ".join(_reading_text(el).split()[:2]))
    heads = _index_heads(book["result"].typst)
    assert set(heads) == set(phrases), "every mentioned entity has exactly one index entry"
    checked = 0
    for key, head in heads.items():
        m = re.search(rf"{re.escape(head)}(?: \([^)]*\))? ((?:\d+, )*\d+)(?!\d)", index_text)
        assert m, f"index entry {head!r} has no page numbers"
        for label in m.group(1).split(", "):
            page_text = _norm(pages[_page_index(reader, label)])
            forms = names.get(key, set()) | phrases[key]
            assert any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", page_text) for f in forms), \
                f"index: {head} on page {label}, but that page has none of its names or mentions"
            checked += 1
    assert checked >= len(heads)


def test_index_cross_references_variant_forms(book):
    index_text = _norm(" ".join(book["pages"][-4:]))
    tree_sics = [" ".join(s.text.split()) for t in _chapters(book["files"]) for s in t.getroot().iter(f"{T}sic")
                 if s.text and s.getparent().getparent().tag in (f"{T}persName", f"{T}placeName")]
    assert tree_sics, "the edition has no misspelt names to cross-reference"
    for sic in tree_sics:
        assert re.search(rf"{re.escape(sic)}, see \w", index_text), f"no cross-reference from {sic!r}"


def test_index_page_numbers_are_computed_by_typst_not_written_by_xslt(book):
    markup = book["result"].typst
    rows = re.findall(r"\(key: \"[^\"]+\", head: \[[^\]]*\](?:, note: \[[^\]]*\])?\)", markup)
    assert rows, "no index rows in the markup"
    assert "query(<ix>)" in markup and "#index-sections(" in markup


def test_tei_sources_are_attached_byte_for_byte(book):
    reader = book["reader"]
    attachments = reader.attachments
    for path in book["files"]:
        assert attachments[path.name] == [path.read_bytes()]
    root = reader.trailer["/Root"]
    assert "/AF" in root, "attachments must be associated files (PDF/A-3)"
    for spec in root["/AF"]:
        assert spec.get_object()["/AFRelationship"] == "/Source"


def test_pdfa_3b_and_tagged(book):
    reader = book["reader"]
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[>=\"']+3", xmp) and re.search(r"pdfaid:conformance[>=\"']+B", xmp)
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"


def test_metadata_and_outline(book):
    reader = book["reader"]
    meta = reader.metadata
    assert meta.title and meta.author and meta.subject
    assert "TEI" in meta["/Keywords"]
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    assert titles[0] == "Introduction" and "Index" in titles and "Textual apparatus" in titles
    heads = [_reading_text(h) for t in _chapters(book["files"])
             for h in t.getroot().iter(f"{T}head") if h.getparent().tag == f"{T}div"]
    assert heads and all(head in titles for head in heads), (heads, titles)


def test_title_page_and_introduction_come_from_the_header(book):
    pages = book["pages"]
    first = _norm(pages[0])
    edition = Edition.load(REPO, paths=book["files"])
    header = _chapters(book["files"])[0].getroot().find(f"{T}teiHeader")
    title = edition.config.title or _reading_text(header.find(f".//{T}titleStmt/{T}title"))
    assert re.sub(r"(\w)'(\w)", "\\1’\\2", title) in first
    intro = _letters(" ".join(pages[1:_page_index(book["reader"], "1")]))
    assert "editorialprinciples" in intro and "howtoreadthisedition" in intro and "licence" in intro
    for p in header.iter(f"{T}p"):
        if any(a.tag in (f"{T}editorialDecl", f"{T}projectDesc") for a in p.iterancestors()):
            assert _letters(_reading_text(p))[:60] in intro, _reading_text(p)[:60]


def test_same_input_same_bytes_with_source_date_epoch(book, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = print_edition.render_pdf(Edition.load(REPO, paths=book["files"]))
    assert again == book["path"].read_bytes()
    assert book["reader"].metadata["/CreationDate"].startswith("D:20251128")


def test_sample_readings_swap_text_and_apparatus(tmp_path):
    edition = Edition.load(REPO, paths=[SAMPLE])
    texts = {}
    for reading in ("corrected", "diplomatic"):
        data = print_edition.render_pdf(edition, reading=reading)
        (tmp_path / f"{reading}.pdf").write_bytes(data)
        reader = PdfReader(tmp_path / f"{reading}.pdf")
        start = reader.page_labels.index("1")
        texts[reading] = _norm(reader.pages[start].extract_text())
    assert "with Jones." in texts["corrected"] and "Jones] Jonse" in texts["corrected"]
    assert "with Jonse." in texts["diplomatic"] and "Jonse] Jones" in texts["diplomatic"]


def test_typst_failure_is_reported_at_the_tei_line(monkeypatch):
    """A markup bug (forced here) names the TEI file and line of the paragraph, not a Typst trace."""
    real = print_edition.typst_markup

    def broken(edition, **kw):
        markup, files, ts, warnings = real(edition, **kw)
        return markup.replace('#pn("2")', '#pn("2")#no-such-function()', 1), files, ts, warnings

    monkeypatch.setattr(print_edition, "typst_markup", broken)
    chapter = SAMPLE / "chapter-1.xml"
    p2_line = next(p.sourceline for p in load_xml(chapter).getroot().iter(f"{T}p")
                   if p.get("{http://www.w3.org/XML/1998/namespace}id", "").endswith("p2"))
    with pytest.raises(EditioError) as err:
        print_edition.render_pdf(Edition.load(REPO, paths=[SAMPLE]))
    (diag,) = err.value.diagnostics
    assert diag.path == str(chapter) and diag.line == p2_line
    assert diag.rule == "pdf.typeset" and "┌─" not in diag.message and "bug in editio" in diag.hint


def test_cli_writes_the_pdf_and_keeps_the_old_one_on_failure(tmp_path):
    out = tmp_path / "book.pdf"
    done = run_editio("pdf", str(SAMPLE), "--out", str(out), "--keep-typst", str(tmp_path / "book.typ"))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-") and (tmp_path / "book.typ").read_text().startswith("//")
    before = out.read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><div><p>unclosed</div></body></text></TEI>")
    failed = run_editio("pdf", str(bad), "--out", str(out))
    assert failed.returncode == 1 and f"{bad}:1:" in failed.stderr and "Traceback" not in failed.stderr
    assert out.read_bytes() == before
    usage = run_editio("pdf", str(SAMPLE), "--reading", "modern", "--out", str(out))
    assert usage.returncode == 2


def _render(pdf_path: Path, page: int, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "90", "-png", "-singlefile",
                    str(pdf_path), str(stem)], check=True, capture_output=True, timeout=60)
    return stem.with_suffix(".png")


def _ink(pdf_path: Path, page: int) -> float:
    """Share of dark pixels on a page (rendered again as raw greyscale)."""
    raw = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", "-gray", "-singlefile",
                          str(pdf_path)], check=True, capture_output=True, timeout=60).stdout
    header, _, rest = raw.partition(b"\n")  # P5
    dims, _, rest = rest.partition(b"\n")
    _maxval, _, pixels = rest.partition(b"\n")
    return sum(1 for b in pixels if b < 200) / max(len(pixels), 1)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdftoppm_renders_title_and_text_pages(book, tmp_path):
    """Renders the title page and the first text page; with EDITIO_SCREENSHOTS=1 stores them in docs/."""
    import os

    text_page = _page_index(book["reader"], "1") + 1
    shots = {"pdf-title": 1, "pdf-text": text_page}
    for name, page in shots.items():
        png = _render(book["path"], page, tmp_path / name)
        assert png.read_bytes().startswith(b"\x89PNG")
        ink = _ink(book["path"], page)
        assert 0.002 < ink < 0.5, f"{name}: page looks blank or black ({ink:.3f})"
        if os.environ.get("EDITIO_SCREENSHOTS"):
            target = REPO / "docs" / "screenshots" / f"{name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(png, target)
    assert _ink(book["path"], text_page) > _ink(book["path"], 1)


def test_hostile_text_ids_and_attributes_are_typeset_literally(tmp_path):
    """Markup characters in titles, names, ids, URLs and notes print as themselves; unknown elements warn."""
    hostile = REPO / "tests" / "fixtures" / "pdf" / "hostile"
    edition = Edition.load(hostile, paths=[hostile])
    result = print_edition.write_pdf(edition, tmp_path / "hostile.pdf")
    text = _norm(" ".join(p.extract_text() for p in PdfReader(tmp_path / "hostile.pdf").pages))
    for literal in ('#set page(width: 1pt) ] "Hostile" \\ title', "- Starts like a list;", '"#footnote[x]"',
                    "**bold**", "= Also not a heading *ipsum*", "Note with ] and [ and // and \\ and Book ] one",
                    "O'Brien, Seán \"#1\"", "Town $x$ <here>", "O'Brein, see O'Brien"):
        assert literal in text, literal
    (warning,) = result.warnings
    assert warning.path.endswith("chapter.xml") and warning.line == 31 and warning.rule == "pdf.unhandled"


def test_files_from_different_folders_are_attached_and_their_text_stays_out_of_the_markup(tmp_path):
    """Typst reads each TEI file itself under the deepest common folder; the markup only names it."""
    chapters, registers = tmp_path / "volume" / "chapters", tmp_path / "volume" / "people"
    chapters.mkdir(parents=True)
    registers.mkdir(parents=True)
    chapter = chapters / "chapter-1.xml"
    register = registers / "register.xml"
    shutil.copy(SAMPLE / "chapter-1.xml", chapter)
    shutil.copy(SAMPLE / "register.xml", register)
    edition = Edition.load(REPO, paths=[chapter, register])
    markup, files, timestamp, _ = print_edition.typst_markup(edition)
    assert print_edition.typst_root(files) == (tmp_path / "volume").resolve()
    assert 'read("/chapters/chapter-1.xml", encoding: none)' in markup
    assert "<teiHeader" not in markup, "the TEI text itself must not pass through the markup"
    reader = PdfReader(io.BytesIO(print_edition.compile_markup(markup, files, timestamp)))
    assert reader.attachments["chapter-1.xml"] == [chapter.read_bytes()]
    assert reader.attachments["register.xml"] == [register.read_bytes()]
