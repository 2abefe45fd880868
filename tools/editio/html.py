"""The web edition: TEI chapters and register → a static, offline, accessible website.

The work is split so that a build can cache and parallelise it:

- :func:`chapter_page` makes one chapter's page (needs only that chapter, the
  register and the :class:`SiteContext`);
- :func:`chapter_extract` makes a small XML of what edition-wide pages need
  from one chapter (mentions, notes, dates, header);
- :func:`chapter_parts` makes, from an extract, the chapter's summary and its
  blocks of the edition-wide pages (register backlinks, notes, timeline rows);
- :func:`pages_from_parts` makes the edition-wide pages from the register and
  every chapter's summary, splicing in the parts (:func:`edition_pages` does
  both from extracts); :func:`static_assets` gives the CSS and JavaScript;
- :func:`write_site` does all of it and swaps the new site in atomically.

Every TEI file is read with the safe loader; Saxon only ever parses text that
lxml has already checked. Before a document goes to XSLT every element gets its
source line (``e:line``) and the root its file (``e:file``), so warnings from
the stylesheets name ``path:line``.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from lxml import etree

from .diagnostics import WARNING, Diagnostic, EditioError, ERROR, usage_error
from .edition import TEI_NS, Edition, body_note_count, is_register, title_xml
from .resources import xslt_path
from .xmlload import load_xml, parse_bytes

#: Namespace of the source-position attributes editio adds before transforming.
SOURCE_NS = "urn:editio:source"
#: Namespace of chapter extracts.
EXTRACT_NS = "urn:editio:extract"

_LINE = f"{{{SOURCE_NS}}}line"
_FILE = f"{{{SOURCE_NS}}}file"
_ASSETS = ("editio.css", "editio.js")


@dataclass(frozen=True)
class ChapterInfo:
    """One chapter as the navigation and contents see it."""

    stem: str
    title: str
    page: str
    #: Its place in reading order (from 1); 0: its place in :attr:`SiteContext.chapters`.
    n: int = 0


@dataclass
class SiteContext:
    """What every page needs to know about the edition as a whole."""

    title: str = ""
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    base_url: str = ""
    licence: str = ""
    licence_url: str = ""
    language: str = "en"
    reading: str = "corrected"
    pdf_name: str = "edition.pdf"
    #: Chapters in reading order (prev/next navigation, contents).
    chapters: list[ChapterInfo] = field(default_factory=list)
    #: Stem of the register file (for the downloads page), if there is one.
    register_stem: str = ""
    #: Which downloads the site offers: any of "tei", "pdf", "text".
    downloads: list[str] = field(default_factory=lambda: ["tei", "pdf", "text"])
    #: ISO date of the edition, from SOURCE_DATE_EPOCH; "" means no date (output stays timestamp-free).
    date: str = ""
    #: How many chapters the edition has; 0: as many as :attr:`chapters` (see :meth:`around`).
    chapter_count: int = 0

    def around(self, stem: str) -> "SiteContext":
        """The context as the page of chapter ``stem`` uses it: that chapter and its neighbours only.

        A chapter page shows its place, the number of chapters and the titles
        of the previous and next ones; with this context a build can key the
        page on exactly that, so another chapter's new title does not make
        every page again.
        """
        at = self._places.get(stem)
        if at is None:
            return self
        near = [replace(self.chapters[i], n=self.chapters[i].n or i + 1)
                for i in range(max(at - 1, 0), min(at + 2, len(self.chapters)))]
        return replace(self, chapters=near, chapter_count=self.chapter_count or len(self.chapters))

    @cached_property
    def _places(self) -> dict[str, int]:
        """Each chapter's index in :attr:`chapters` (the first, if a stem repeats): a build asks for every one."""
        places: dict[str, int] = {}
        for i, c in enumerate(self.chapters):
            places.setdefault(c.stem, i)
        return places

    @classmethod
    def from_edition(cls, edition: Edition, chapters: list[ChapterInfo], register_stem: str = "",
                     header: etree._ElementTree | None = None) -> "SiteContext":
        """Settings from edition.toml, filled in from the first chapter's teiHeader where edition.toml is silent."""
        cfg = edition.config
        title, editors, licence, licence_url = cfg.title, list(cfg.editors), cfg.licence, cfg.licence_url
        subtitle = cfg.subtitle
        if header is not None:
            h = header.getroot()
            ns = {"t": TEI_NS}
            if not title:
                title = _text(h.find(".//t:titleStmt/t:title[@type='main']", ns)) or _text(h.find(".//t:titleStmt/t:title", ns))
            if not subtitle:
                subtitle = _text(h.find(".//t:titleStmt/t:title[@type='sub']", ns))
            if not editors:
                editors = [_text(e) for e in h.findall(".//t:titleStmt/t:editor", ns) if _text(e)]
        downloads = ["tei"] + [k for k in ("pdf", "text") if k in cfg.outputs]
        return cls(title=title or "Edition", subtitle=subtitle, editors=editors, base_url=cfg.base_url,
                   licence=licence, licence_url=licence_url, language=cfg.language or "en", reading=cfg.reading,
                   pdf_name=cfg.pdf_name, chapters=chapters, register_stem=register_stem, downloads=downloads,
                   date=source_date())

    def to_xml(self) -> str:
        """The context as the XML document the stylesheets read (``$context``)."""
        site = etree.Element("site")
        for key in ("title", "subtitle", "base_url", "licence", "licence_url", "language", "reading",
                    "pdf_name", "register_stem", "date"):
            site.set(key.replace("_", "-").replace("pdf-name", "pdf"), getattr(self, key) or "")
        for name in self.editors:
            etree.SubElement(site, "editor").text = name
        site.set("chapter-count", str(self.chapter_count or len(self.chapters)))
        for i, ch in enumerate(self.chapters):
            etree.SubElement(site, "chapter", stem=ch.stem, title=ch.title, page=ch.page, n=str(ch.n or i + 1))
        for kind in self.downloads:
            etree.SubElement(site, "download", kind=kind)
        return etree.tostring(site, encoding="unicode")


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def source_date() -> str:
    """The edition date from SOURCE_DATE_EPOCH (UTC, ISO), or "" if it is not set or not a number."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return ""
    return time.strftime("%Y-%m-%d", time.gmtime(int(raw)))


#: Pages of the edition as a whole; a chapter file with one of these names gets "-chapter" added.
EDITION_PAGES = frozenset({"index", "persons", "places", "organisations", "events", "notes", "timeline", "about",
                           "downloads", "guidelines"})


def page_name(stem: str) -> str:
    """The web page of a chapter file: ``secret-history-59.xml`` → ``secret-history-59.html``.

    A chapter named like an edition page (``index.xml``, ``notes.xml`` ...) becomes ``index-chapter.html``,
    so it never overwrites that page.
    """
    return f"{stem}-chapter.html" if stem.lower() in EDITION_PAGES else f"{stem}.html"


def natural_key(stem: str) -> list:
    """Sort ``ch2`` before ``ch10``."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", stem)]


# -- preparing documents for Saxon ------------------------------------------------------------

def _marked_text(tree: etree._ElementTree, path: Path) -> str:
    """Serialize a safely loaded tree with its source lines on every element and its file on the root."""
    root = tree.getroot()
    root.set(_FILE, str(path))
    for el in root.iter(etree.Element):
        if el.sourceline:
            el.set(_LINE, str(el.sourceline))
    return etree.tostring(root, encoding="unicode")


_xdm_cache: dict[tuple, object] = {}


def _xdm(key: tuple, make_text) -> object:
    """A parsed XDM document, cached per process (register and context are shared by every chapter)."""
    from .transform import parse_text

    doc = _xdm_cache.get(key)
    if doc is None:
        if len(_xdm_cache) > 16:
            _xdm_cache.clear()
        doc = _xdm_cache[key] = parse_text(make_text())
    return doc


def _register_key(register: Path) -> tuple:
    try:
        st = register.stat()
        return (str(register.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        raise usage_error(register, "cannot read the register", "io.missing") from None


def _register_doc(register: Path | None):
    if register is None:
        return None
    register = Path(register)
    return _xdm(("register",) + _register_key(register), lambda: _marked_text(load_xml(register), register))


def _popovers_doc(register: Path | None):
    """The popover of every register entry (t:popover-digest), made once per register and process."""
    if register is None:
        return None
    register = Path(register)
    key = ("popovers",) + _register_key(register)
    doc = _xdm_cache.get(key)
    if doc is None:
        from .transform import stylesheet

        doc, _ = stylesheet(_SITE).run(initial_template="{urn:editio:template}popover-digest",
                                       params={"register": _register_doc(register)}, as_node=True)
        _xdm_cache[key] = doc
    return doc


_context_cache: list = []  # [(key, document)]: the last context, apart from the register's cache


def _context_doc(ctx: SiteContext):
    """The context as an XDM document; the last one is kept (a build's pages each have their own, see
    :meth:`SiteContext.around`, and must not push the register out of :func:`_xdm`'s cache)."""
    from .transform import parse_text

    key = tuple(tuple(v) if isinstance(v, list) else v for v in vars(ctx).values())
    if not _context_cache or _context_cache[0][0] != key:
        _context_cache[:] = [(key, parse_text(ctx.to_xml()))]
    return _context_cache[0][1]


_WARNING_PREFIX = "editio-warning\t"


def _collect(sheet, diagnostics: list[Diagnostic] | None, fallback: str) -> None:
    """Turn the stylesheet's warning messages of the last run into Diagnostics."""
    if diagnostics is None:
        return
    for msg in sheet.messages():
        msg = html_lib.unescape(msg)  # messages come back serialized as XML
        if not msg.startswith(_WARNING_PREFIX):
            diagnostics.append(Diagnostic(fallback, 0, 0, WARNING, msg.strip(), "html.message"))
            continue
        parts = msg.split("\t", 4)
        _, rule, path, line, text = (parts + [""] * 5)[:5]
        diagnostics.append(Diagnostic(path or fallback, int(line) if line.isdigit() else 0, 0, WARNING, text, rule))


#: The driver of the web edition (see xslt/html/README.md).
_SITE = "html/site.xsl"
_MODE = "{urn:editio:mode}"


def _run(mode: str, *, params: dict, diagnostics, fallback: str, xml_text: str | None = None, xdm_node=None,
         as_node=False, results_dir=None, method=None):
    from .transform import stylesheet

    sheet = stylesheet(_SITE)
    out, results = sheet.run(xml_text=xml_text, xdm_node=xdm_node, params=params, as_node=as_node,
                             results_dir=results_dir, initial_mode=_MODE + mode, method=method)
    _collect(sheet, diagnostics, fallback)
    return out, results


def _params(register: Path | None, ctx: SiteContext, **extra) -> dict:
    params = {"context": _context_doc(ctx), **extra}
    reg = _register_doc(register)
    if reg is not None:
        params["register"] = reg
    return params


# -- the public API ---------------------------------------------------------------------------

_chapter_cache: dict[str, tuple[tuple, object]] = {}


def _chapter_doc(chapter: Path):
    """The chapter, safely loaded, line-marked and parsed for Saxon; the last two are kept, since a build asks
    for a chapter's extract and then its page."""
    from .transform import parse_text

    try:
        st = chapter.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None  # load_xml reports it
    key = str(chapter.resolve())
    hit = _chapter_cache.get(key)
    if stamp is not None and hit and hit[0] == stamp:
        return hit[1]
    doc = parse_text(_marked_text(load_xml(chapter), chapter))
    if len(_chapter_cache) >= 2:
        _chapter_cache.pop(next(iter(_chapter_cache)))
    _chapter_cache[key] = (stamp, doc)
    return doc


def chapter_page(chapter: Path, register: Path | None, ctx: SiteContext,
                 diagnostics: list[Diagnostic] | None = None) -> dict[str, bytes]:
    """The page of one chapter: ``{"NAME.html": bytes}``. Warnings are appended to ``diagnostics``."""
    chapter = Path(chapter)
    return _page_of(_chapter_doc(chapter), chapter, register, ctx, diagnostics)


def _page_of(doc, chapter: Path, register, ctx, diagnostics) -> dict[str, bytes]:
    page = page_name(chapter.stem)
    params = _params(register, ctx, page=page, stem=chapter.stem)
    popovers = _popovers_doc(register)
    if popovers is not None:
        params["popovers"] = popovers
    out, _ = _run("chapter-page", xdm_node=doc, diagnostics=diagnostics, fallback=str(chapter), params=params)
    return {page: out.encode("utf-8")}


def chapter_extract(chapter: Path, diagnostics: list[Diagnostic] | None = None, *, header: bool = True,
                    note_copies: bool = True) -> bytes:
    """What the edition-wide pages need from one chapter, as a small XML document.

    It holds the chapter's title, page and order key, its teiHeader, every mention
    (register id, paragraph, snippet), note and dated mention. It depends only on
    the chapter file, so a build can cache it by the file's hash. Without
    ``header`` or ``note_copies`` it leaves out the copy of the teiHeader or of
    each note (see :func:`needs_note_copies`).
    """
    chapter = Path(chapter)
    return _extract_of(_chapter_doc(chapter), chapter, diagnostics, header=header, note_copies=note_copies)


def _extract_of(doc, chapter: Path, diagnostics, as_node: bool = False, header: bool = True,
                note_copies: bool = True):
    """The extract as bytes, or (``as_node``) as the XDM document that the edition pages can take as it is.

    Without ``header`` or ``note_copies`` it leaves out the copy of the teiHeader or of each note (for a site
    whose edition pages will not use them: the header comes from :func:`edition_header`, and see
    :func:`_note_copies`)."""
    out, _ = _run("extract", xdm_node=doc, diagnostics=diagnostics, fallback=str(chapter), as_node=as_node,
                  method="xml", params={"page": page_name(chapter.stem), "stem": chapter.stem,
                                        "extract-header": header, "extract-note-copies": note_copies})
    return out if as_node else out.encode("utf-8")


def needs_note_copies(note_count: int) -> bool:
    """Whether the extracts of an edition with this many notes (:func:`editio.edition.body_note_count`, summed)
    need copies of the notes: the notes page shows notes in full only up to NOTES_IN_FULL notes."""
    return note_count <= NOTES_IN_FULL


def _note_copies(chapters: list[Path], trees: dict) -> bool:
    return needs_note_copies(sum(body_note_count(trees[path]) for path in chapters))


def chapter_parts(extract, register: Path | None, ctx: SiteContext,
                  diagnostics: list[Diagnostic] | None = None) -> tuple[bytes, bytes]:
    """(summary, parts) of one chapter for the edition-wide pages, from its extract (bytes or XDM document).

    The summary is what those pages count and list (entries mentioned, notes
    by type, dated mentions); the parts are the chapter's blocks of them
    (register backlinks, its notes section, its timeline rows), already HTML,
    which :func:`splice_parts` fills in (see xslt/html/parts.xsl). Both depend on
    the chapter, the register and the site context only, so a build keeps
    them with the chapter and a one-chapter change never re-renders the rest.
    """
    if isinstance(extract, bytes):
        from .transform import parse_text

        extract = parse_text(extract.decode("utf-8"))
    params = _params(register, ctx, **{"notes-in-full": NOTES_IN_FULL})
    summary, _ = _run("summary", xdm_node=extract, diagnostics=diagnostics, fallback="extract", method="xml",
                      params=params)
    parts, _ = _run("parts", xdm_node=extract, diagnostics=diagnostics, fallback="extract", params=params)
    return summary.encode("utf-8"), parts.encode("utf-8")


#: Up to this many notes the notes page shows each in full; beyond, only their beginnings (see notes-index.xsl).
NOTES_IN_FULL = 300


def edition_pages(register: Path | None, extracts: list, ctx: SiteContext,
                  extra_pages: dict[str, bytes] | None = None,
                  diagnostics: list[Diagnostic] | None = None, header=None) -> dict[str, bytes]:
    """The edition-wide pages: index, register pages with backlinks, notes, timeline, about, downloads.

    ``extracts`` come from :func:`chapter_extract` (bytes or XDM documents, in
    any order: they are sorted by their order key); ``header`` is the first
    chapter's (:func:`edition_header`; default: taken from the extracts if
    they are bytes). See :func:`pages_from_parts`.
    """
    if header is None and extracts and all(isinstance(x, bytes) for x in extracts):
        first = min((parse_bytes(x, "extract").getroot() for x in extracts), key=_reading_order)
        header = first.find(f"{{{TEI_NS}}}teiHeader")
        if header is not None and first.get(_FILE) is not None:
            header.set(_FILE, first.get(_FILE))
    parts = [chapter_parts(x, register, ctx, diagnostics) for x in extracts]
    return pages_from_parts(register, parts, ctx, header, extra_pages, diagnostics)


def edition_header(chapter: Path, tree: etree._ElementTree | None = None) -> etree._Element | None:
    """The teiHeader of ``chapter`` as the edition's title and About pages use it (source lines marked)."""
    root = (tree if tree is not None else load_xml(chapter)).getroot()
    found = root.find(f"{{{TEI_NS}}}teiHeader")
    if found is None:
        return None
    header = etree.fromstring(etree.tostring(found))  # a copy: the tree may serve again
    for el, orig in zip(header.iter(etree.Element), found.iter(etree.Element)):
        if orig.sourceline:
            el.set(_LINE, str(orig.sourceline))
    header.set(_FILE, str(chapter))
    return header


def pages_from_parts(register: Path | None, chapters: list[tuple[bytes, bytes]], ctx: SiteContext,
                     header: etree._Element | None = None, extra_pages: dict[str, bytes] | None = None,
                     diagnostics: list[Diagnostic] | None = None) -> dict[str, bytes]:
    """The edition-wide pages from every chapter's (summary, parts) (:func:`chapter_parts`) and the first
    chapter's ``header`` (:func:`edition_header`: the title and About pages are made from it).

    Chapters may come in any order: they are sorted by their order key. The
    edition run makes the pages from the summaries (:func:`edition_run_pages`);
    each chapter's parts are then spliced in (:func:`splice_parts`), so the
    cost of the run does not grow with the text of the chapters.
    ``extra_pages`` (e.g. ``guidelines.html`` made elsewhere) are added as
    they are; without one, a short guidelines page points to About.
    """
    ordered = in_reading_order(chapters)
    pages = edition_run_pages(register, [summary for summary, _ in ordered], ctx, header, extra_pages, diagnostics)
    return dict(sorted({**splice_parts(pages, [parts for _, parts in ordered]), **(extra_pages or {})}.items()))


def in_reading_order(chapters: list[tuple]) -> list[tuple]:
    """Chapters' (summary, parts, ...) sorted by their summaries' order keys."""
    keyed = [(_reading_order(etree.fromstring(chapter[0])), i) for i, chapter in enumerate(chapters)]  # Saxon's
    keyed.sort()
    return [chapters[i] for _, i in keyed]


def edition_run_pages(register: Path | None, summaries: list[bytes], ctx: SiteContext,
                      header: etree._Element | None = None, extra_pages: dict[str, bytes] | None = None,
                      diagnostics: list[Diagnostic] | None = None) -> dict[str, bytes]:
    """The edition-wide pages as the edition run makes them from the chapters' summaries (in reading order),
    before :func:`splice_parts` fills their splice points. They depend on the summaries, the register, the
    site context, the header and which of ``extra_pages`` exist, so a build can keep them while only some
    chapter's parts change (``extra_pages`` themselves are not included)."""
    wrapper = etree.Element(f"{{{EXTRACT_NS}}}edition", nsmap={"x": EXTRACT_NS})
    if header is not None:
        wrapper.append(header)
    wrapper.extend(etree.fromstring(summary) for summary in summaries)
    return _edition_run(register, ctx, extra_pages, diagnostics, xml_text=etree.tostring(wrapper, encoding="unicode"))


def _reading_order(extract: etree._Element) -> tuple:
    """Where an extract or summary goes among the chapters: by its order key (natural order), then its stem."""
    return natural_key(extract.get("order") or extract.get("stem") or ""), extract.get("stem") or ""


def _edition_run(register, ctx: SiteContext, extra_pages, diagnostics, xml_text: str) -> dict[str, bytes]:
    pages_wanted = "guidelines.html" if not (extra_pages and "guidelines.html" in extra_pages) else ""
    # Saxon writes the pages into a private folder and they are read back: much faster than capturing them.
    with tempfile.TemporaryDirectory(prefix="editio-pages-") as folder:
        _run("edition", xml_text=xml_text, diagnostics=diagnostics, fallback=str(register or "register"),
             results_dir=folder,
             params=_params(register, ctx, **{"extra-pages": pages_wanted, "notes-in-full": NOTES_IN_FULL}))
        pages = {path.name: path.read_bytes() for path in Path(folder).iterdir() if path.is_file()}
    return dict(sorted(pages.items()))


# The splice points and parts are processing instructions, which Saxon's HTML serializer writes as
# `<?name value>`; every value starts with "&". Text from the TEI can never look like one: the serializer
# writes "<" in text as "&lt;", and "&" in text and in attribute values as "&amp;".
_SPLICE = re.compile(rb"<\?editio-splice &([^>]*)>")
_ROW = re.compile(rb"<\?editio-row &([^>]*)>")


def _parts_of(blob: bytes) -> dict[bytes, list]:
    """A chapter's parts by where they go (``b"backlinks yezhov"``, ``b"timeline"`` ...), in the order made:
    views into ``blob`` (a thousand chapters' parts are tens of megabytes: they are copied once, into the
    pages); a timeline row comes with its key, ``(key, view)``."""
    found: dict[bytes, list] = {}
    view = memoryview(blob)
    marker = b"<?editio-part &"
    at = blob.find(marker)
    while at != -1:
        close = blob.index(b">", at)  # a marker's value never holds ">" (see above)
        name = blob[at + len(marker):close]
        at = blob.find(marker, close)
        html = view[close + 1:at if at != -1 else len(blob)]
        if name.startswith(b"timeline "):  # keep the row's key with it: rows are merged by key
            found.setdefault(b"timeline", []).append((name[9:], html))
        else:
            found.setdefault(name, []).append(html)
    return found


def splice_parts(pages: dict[str, bytes], parts: list[bytes]) -> dict[str, bytes]:
    """Fill every editio-splice point of ``pages`` with the chapters' parts, in the order of ``parts``."""
    return splice_with_layout(pages, parts)[0]


def splice_with_layout(pages: dict[str, bytes], parts: list[bytes]) -> tuple[dict[str, bytes], dict[str, dict]]:
    """:func:`splice_parts`, and the layout of each spliced page for :func:`resplice`: ``{"timeline": bool,
    "pieces": [...]}``, a piece being the length of bytes taken as they are, or ``[name, lengths]`` for a
    splice point filled from the chapters (the length of each chapter's share, in the order of ``parts``)."""
    chapters = [_parts_of(blob) for blob in parts]

    def timeline(before: bytes) -> tuple[bytes, bytes]:
        """The merged rows: register events (written before the splice point, each after its key) and the
        chapters' dated mentions, by key, events first, then in the order given (xsl:sort is stable)."""
        start = _ROW.search(before)
        head, events = (before, []) if start is None else (before[:start.start()], _ROW.split(before[start.start():]))
        rows = [(events[i], 0, i, events[i + 1]) for i in range(1, len(events), 2)]
        n = len(rows)
        for found in chapters:
            for key, html in found.get(b"timeline", ()):
                rows.append((key, 1, n, html))
                n += 1
        rows.sort(key=lambda r: r[:3])
        return head, b"".join(r[3] for r in rows)

    out, layouts = {}, {}
    for name, data in pages.items():
        if not name.endswith(".html") or b"<?editio-splice &" not in data:
            out[name] = data
            continue
        pieces = _SPLICE.split(data)
        result: list = [pieces[0]]
        layout: list = [len(pieces[0])]
        has_timeline = False
        for i in range(1, len(pieces), 2):
            what = pieces[i]
            if what == b"timeline":
                head, rows = timeline(result.pop())
                layout.pop()
                result += [head, rows]
                layout += [len(head), len(rows)]
                has_timeline = True
            else:
                lengths = [0] * len(chapters)
                for c, found in enumerate(chapters):
                    for piece in found.get(what, ()):
                        result.append(piece)
                        lengths[c] += len(piece)
                layout.append([what.decode("utf-8"), lengths])
            result.append(pieces[i + 1])
            layout.append(len(pieces[i + 1]))
        out[name] = b"".join(result)
        layouts[name] = {"timeline": has_timeline, "pieces": layout}
    return out, layouts


def resplice(layouts: dict[str, dict], changed: dict[int, tuple[bytes, bytes]], old_page
             ) -> tuple[dict[str, bytes | None], dict[str, dict]] | None:
    """The spliced pages again after some chapters' parts changed, from the pages spliced before (their
    layouts, :func:`splice_with_layout`, and their bytes: ``old_page(name)``), without the other chapters' parts.

    ``changed`` maps a chapter's index to its (old, new) parts. A page none of
    whose splice points changed maps to None (it is as it was, and is not
    read). None if the timeline changed (its rows are merged by key) or an
    old page cannot be had: then splice everything again.
    """
    found = {c: (_parts_of(old), _parts_of(new)) for c, (old, new) in changed.items()}
    if any(list(map(_row, old.get(b"timeline", ()))) != list(map(_row, new.get(b"timeline", ())))
           for old, new in found.values()):
        return None
    moved = {key.decode("utf-8") for old, new in found.values() for key in set(old) | set(new)
             if key != b"timeline" and [bytes(p) for p in old.get(key, ())] != [bytes(p) for p in new.get(key, ())]}
    out: dict[str, bytes | None] = {}
    new_layouts = {}
    for name, layout in layouts.items():
        if not any(isinstance(piece, list) and piece[0] in moved for piece in layout["pieces"]):
            out[name], new_layouts[name] = None, layout
            continue
        old = old_page(name)
        if old is None:
            return None
        pos, result, pieces = 0, [], []
        for piece in layout["pieces"]:
            if isinstance(piece, int):
                result.append(old[pos:pos + piece])
                pos += piece
                pieces.append(piece)
                continue
            what, lengths = piece
            key, lengths, done = what.encode("utf-8"), list(lengths), 0
            for c in sorted(found):  # the shares of unchanged chapters between two changed ones: one slice
                before = sum(lengths[done:c])
                result.append(old[pos:pos + before])
                pos += before + lengths[c]
                fresh = found[c][1].get(key, ())
                result.extend(fresh)
                lengths[c] = sum(len(p) for p in fresh)
                done = c + 1
            rest = sum(lengths[done:])
            result.append(old[pos:pos + rest])
            pos += rest
            pieces.append([what, lengths])
        out[name] = b"".join(result)
        new_layouts[name] = {"timeline": layout["timeline"], "pieces": pieces}
    return out, new_layouts


def _row(row: tuple) -> tuple[bytes, bytes]:
    key, html = row
    return bytes(key), bytes(html)


def static_assets() -> dict[str, bytes]:
    """The site's CSS and JavaScript: ``{"assets/editio.css": bytes, ...}``."""
    folder = xslt_path("html/assets")
    return {f"assets/{name}": (folder / name).read_bytes() for name in _ASSETS}


def _split(files: list[Path]) -> tuple[list[Path], Path | None, dict[Path, etree._ElementTree]]:
    """Load every file safely; return (chapters in order, the register, the loaded trees)."""
    trees, chapters, registers = {}, [], []
    for path in files:
        tree = load_xml(path)
        trees[path] = tree
        (registers if is_register(tree) else chapters).append(path)
    if len(registers) > 1:
        raise EditioError(Diagnostic(str(registers[1]), 1, 1, ERROR,
                                     f"more than one register file ({registers[0].name}, {registers[1].name})",
                                     "html.registers", "keep all persons, places, organisations and events in one register.xml"))
    if not chapters:
        raise usage_error(files[0] if files else ".", "no chapter files (only a register)", "io.no-input",
                          "add the chapters' TEI files to tei/")
    chapters.sort(key=lambda p: (natural_key(p.stem), p.stem))
    return chapters, (registers[0] if registers else None), trees


def _parse_chapter(path: Path, tree: etree._ElementTree | None = None):
    """A chapter (safely loaded unless ``tree`` is given), line-marked and parsed for Saxon."""
    from .transform import parse_text

    return parse_text(_marked_text(tree if tree is not None else load_xml(path), path))


#: From this many chapters `editio html` shares them among processes by default, one per core, where it can fork
#: (:func:`editio.background.can_fork`). Each process pays for starting Saxon and compiling the stylesheets, side
#: by side with the others; for fewer chapters one process is as fast.
SHARE_FROM_CHAPTERS = 4

#: Without fork (``jobs`` > 1 in a process that already runs Saxon), fewer chapters than this are transformed in
#: this process: a spawned worker costs a Python start, Saxon's and a stylesheet compile (about 0.4 s of CPU).
PARALLEL_MIN_CHAPTERS = 16


def build_site(edition: Edition, diagnostics: list[Diagnostic] | None = None,
               jobs: int | None = None) -> dict[str, bytes]:
    """Every file of the site in memory: pages, assets and the TEI sources (``tei/NAME.xml``).

    The chapters are shared among ``jobs`` processes (by default one per core, from SHARE_FROM_CHAPTERS chapters
    on; ``jobs`` 1: this process alone). Each makes its chapters' pages and their parts of the edition-wide
    pages (:func:`_share_pages`); this process then splices the edition-wide pages together. The others are
    forked before Saxon starts here; where that is not safe (:func:`editio.background.can_fork`) they are
    spawned (:class:`_ChapterWorkers`). The files are the same whichever way they are made.
    """
    from . import background

    chapters, register, trees = _split(edition.files)
    jobs = _processes(jobs, len(chapters))
    if jobs > 1 and background.can_fork():
        files = _pages_in_forked_shares(edition, chapters, register, trees, diagnostics, jobs)
    else:
        files = _all_pages(edition, chapters, register, trees, diagnostics, jobs)
    files.update(static_assets())
    for path in chapters + ([register] if register else []):
        files[f"tei/{path.name}"] = path.read_bytes()
    return dict(sorted(files.items()))


def _processes(jobs: int | None, chapters: int) -> int:
    """How many processes make ``chapters`` chapters: ``jobs`` if given, else one per core (as validation and
    build count them) from SHARE_FROM_CHAPTERS chapters on where this process can fork, else one; never more
    than the chapters."""
    from . import background
    from .validation import default_jobs

    if jobs is None:
        if chapters < SHARE_FROM_CHAPTERS or not background.can_fork():
            return 1
        jobs = default_jobs()
    return max(1, min(jobs, chapters))


def titles_of(parts: list[str], diagnostics: list[Diagnostic] | None = None) -> list[str]:
    """Chapters' titles, as their extracts and pages give them, from what each is made of
    (:func:`editio.edition.title_xml`), in one run."""
    if not parts:
        return []
    out, _ = _run("title", xml_text="<titles>" + "".join(parts) + "</titles>", diagnostics=diagnostics,
                  fallback="titles", method="text", params={})
    return [line.strip() for line in out.split("\n")[:len(parts)]]


def _site_context(edition: Edition, chapters: list[Path], register: Path | None, trees: dict,
                  diagnostics) -> SiteContext:
    """The site context with every chapter's title (made before any chapter is transformed)."""
    titles = titles_of([title_xml(trees[path].getroot()) for path in chapters], diagnostics)
    return _titled(_untitled_context(edition, chapters, register, trees), chapters, titles)


def _untitled_context(edition: Edition, chapters: list[Path], register: Path | None, trees: dict) -> SiteContext:
    """The site context before the chapters' titles are known (from edition.toml and the first chapter)."""
    return SiteContext.from_edition(edition, [], register.stem if register else "", trees[chapters[0]])


def _titled(ctx: SiteContext, chapters: list[Path], titles: list[str]) -> SiteContext:
    """``ctx`` with ``chapters`` in order, each with its title (the file's name if it has none)."""
    return replace(ctx, chapters=[ChapterInfo(stem=path.stem, title=title or path.stem, page=page_name(path.stem))
                                  for path, title in zip(chapters, titles)])


def _chapters_made(paths: list[Path], trees: dict, register: Path | None, ctx: SiteContext, note_copies: bool,
                   diagnostics) -> tuple[dict[str, bytes], dict[Path, tuple[bytes, bytes]]]:
    """The pages of ``paths`` and their parts of the edition-wide pages (:func:`chapter_parts`), one chapter at a
    time: each is parsed once (from its tree in ``trees``, then dropped, or else from its file)."""
    pages: dict[str, bytes] = {}
    parts: dict[Path, tuple[bytes, bytes]] = {}
    for path in paths:
        doc = _parse_chapter(path, trees.pop(path, None))
        pages.update(_page_of(doc, path, register, ctx, diagnostics))
        extract = _extract_of(doc, path, diagnostics, as_node=True, header=False, note_copies=note_copies)
        parts[path] = chapter_parts(extract, register, ctx, diagnostics)
    return pages, parts


def _share_pages(chapters: list[Path], register: Path | None, trees: dict, ctx: SiteContext,
                 title_parts: list[str], note_copies: bool, share: int, shares: int):
    """One share of the chapters, every ``shares``-th from the ``share``-th (so long and short chapters mix): their
    pages and parts (:func:`_chapters_made`), the warnings of making them, and the site context with every
    chapter's title (made in each share; share 0 warns about them)."""
    warnings: list[Diagnostic] = []
    ctx = _titled(ctx, chapters, titles_of(title_parts, warnings if share == 0 else None))
    pages, parts = _chapters_made(chapters[share::shares], trees, register, ctx, note_copies, warnings)
    return pages, parts, warnings, ctx


def _pages_in_forked_shares(edition: Edition, chapters: list[Path], register: Path | None, trees: dict,
                            diagnostics, jobs: int) -> dict[str, bytes]:
    """Every page of the site: the chapters in ``jobs`` shares, one made here and the others in processes forked
    first (one that fails is made again here), then the edition-wide pages here. What the shares need from every
    chapter (titles' parts, the note count, the header) is read before forking, without Saxon."""
    from . import background

    untitled = _untitled_context(edition, chapters, register, trees)
    title_parts = [title_xml(trees[path].getroot()) for path in chapters]
    note_copies = _note_copies(chapters, trees)
    header = edition_header(chapters[0], trees[chapters[0]])
    made = background.in_shares(_share_pages, chapters, register, trees, untitled, title_parts, note_copies,
                                shares=jobs)
    trees.clear()
    files: dict[str, bytes] = {}
    parts: dict[Path, tuple[bytes, bytes]] = {}
    for pages, share_parts, warnings, _ in made:
        files.update(pages)
        parts.update(share_parts)
        if diagnostics is not None:
            diagnostics.extend(warnings)
    ctx = made[0][3]  # every share's context is the same: this one was made here
    files.update(pages_from_parts(register, [parts[path] for path in chapters], ctx, header,
                                  diagnostics=diagnostics))
    return files


def _all_pages(edition: Edition, chapters: list[Path], register: Path | None, trees: dict, diagnostics,
               jobs: int) -> dict[str, bytes]:
    """Every page of the site, in this process (and ``jobs`` - 1 spawned workers: see :func:`build_site`)."""
    ctx = _site_context(edition, chapters, register, trees, diagnostics)
    note_copies = _note_copies(chapters, trees)
    header = edition_header(chapters[0], trees[chapters[0]])
    own, workers = chapters, None
    if jobs > 1 and len(chapters) >= PARALLEL_MIN_CHAPTERS:
        own, shares = _shares(chapters, jobs)
        workers = _ChapterWorkers(shares)
    try:
        if workers is not None:
            workers.start(register, ctx, note_copies)  # the workers make theirs while this process makes its own
        files, parts = _chapters_made(own, trees, register, ctx, note_copies, diagnostics)
        trees.clear()
        if workers is not None:
            pages, their_parts = workers.pages(diagnostics)
            files.update(pages)
            parts.update(their_parts)
        files.update(pages_from_parts(register, [parts[path] for path in chapters], ctx, header,
                                      diagnostics=diagnostics))
    finally:
        if workers is not None:
            workers.close()
    return files


def _shares(chapters: list[Path], jobs: int) -> tuple[list[Path], list[list[Path]]]:
    """(this process's chapters, each worker's chapters): every jobs-th chapter to each, as in :func:`_share_pages`."""
    shares = [chapters[i::jobs] for i in range(min(jobs, len(chapters)))]
    return shares[0], shares[1:]


class _ChapterWorkers:
    """Spawned processes that each own a fixed share of the chapters: a worker makes its chapters' pages and
    parts, parsing each chapter once."""

    def __init__(self, shares: list[list[Path]]):
        import multiprocessing

        mp = multiprocessing.get_context("spawn")  # never fork a process that may already hold Saxon
        self.shares = shares
        self.chapters = [path for share in shares for path in share]
        self.conns, self.procs = [], []
        for share in self.shares:
            here, there = mp.Pipe()
            proc = mp.Process(target=_worker_main, args=(there, share), daemon=True)
            proc.start()
            there.close()
            self.conns.append(here)
            self.procs.append(proc)

    def _results(self, diagnostics) -> list:
        results = []
        for conn, proc in zip(self.conns, self.procs):
            try:
                status, value, warnings = conn.recv()
            except (EOFError, OSError):
                raise EditioError(Diagnostic(str(self.chapters[0].parent), 0, 0, ERROR,
                                             f"a worker process stopped unexpectedly (exit code {proc.exitcode})",
                                             "html.worker", "run again with -j 1")) from None
            if status != "ok":
                raise value
            if diagnostics is not None:
                diagnostics.extend(warnings)
            results.append(value)
        return results

    def start(self, register: Path | None, ctx: SiteContext, note_copies: bool) -> None:
        for conn in self.conns:
            conn.send(("pages", register, ctx, note_copies))

    def pages(self, diagnostics) -> tuple[dict[str, bytes], dict[Path, tuple[bytes, bytes]]]:
        """The chapter pages asked for by :meth:`start`, and the chapters' parts (:func:`chapter_parts`)."""
        files: dict[str, bytes] = {}
        parts: dict[Path, tuple[bytes, bytes]] = {}
        for pages, made in self._results(diagnostics):
            files.update(pages)
            parts.update(made)
        return files, parts

    def close(self) -> None:
        for conn in self.conns:
            try:
                conn.send(("stop",))
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for conn in self.conns:
            conn.close()


def _worker_main(conn, chapters: list[Path]) -> None:
    """A chapter worker's loop: ("pages", register, ctx, note_copies) or ("stop",)."""
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message[0] == "stop":
                return
            warnings: list[Diagnostic] = []
            try:
                _, register, ctx, note_copies = message
                conn.send(("ok", _chapters_made(chapters, {}, register, ctx, note_copies, warnings), warnings))
            except EditioError as exc:
                conn.send(("error", exc, []))
            except Exception as exc:  # an editio bug: report it in the main process with its message
                conn.send(("error", EditioError(Diagnostic(str(chapters[0]), 0, 0, ERROR,
                                                           f"worker failed: {type(exc).__name__}: {exc}",
                                                           "html.worker", "this is a bug in editio")), []))
    finally:
        conn.close()


def write_site(edition: Edition, out_dir: Path | None = None, jobs: int | None = None) -> list[Diagnostic]:
    """Make the whole site in ``out_dir`` (default: the edition's output folder) and return the warnings.

    The site is written into a temporary folder beside ``out_dir`` and swapped
    in only when complete, so any failure leaves the previous site as it was.
    ``jobs``: how many processes make the pages (see :func:`build_site`; by default one per core, where possible).
    """
    out_dir = Path(out_dir or edition.config.output_dir).resolve()
    diagnostics: list[Diagnostic] = []
    files = build_site(edition, diagnostics, jobs=jobs)
    write_tree(files, out_dir, keep=(edition.config.pdf_name, "text"))
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.rule, d.message))


def write_tree(files: dict[str, bytes], out_dir: Path, keep: tuple[str, ...] = ()) -> None:
    """Write ``files`` as a folder at ``out_dir``, replacing it atomically (old content kept on failure).

    ``keep`` names files or folders of the old site made by other commands (the
    PDF, the plain text) that are carried over unless ``files`` replaces them.
    """
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise usage_error(out_dir, f"cannot write the site here: {exc.strerror or exc}", "io.unwritable",
                          "choose another folder with --out") from None
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a site is meant to be served
    try:
        for rel, data in sorted(files.items()):
            target = tmp / rel
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                raise usage_error(rel, "refusing to write outside the site folder", "io.path")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name in keep:
            src, dst = out_dir / name, tmp / name
            if name and src.exists() and not dst.exists() and ".." not in Path(name).parts:
                if src.is_dir():
                    shutil.copytree(src, dst)
                else:
                    shutil.copy2(src, dst)
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.rename(out_dir, old / "site")
        os.rename(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise usage_error(out_dir, f"cannot write the site: {exc.strerror or exc}", "io.unwritable",
                          "check free space and permissions, or choose another folder with --out") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
