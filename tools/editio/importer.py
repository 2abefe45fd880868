"""``editio import``: a plain-text chapter becomes a valid TEI chapter ready for tagging.

Input is UTF-8 text: blank lines separate paragraphs, lines within a
paragraph are joined with a space. The first paragraph is the heading when it
is a single short line without final punctuation. Characters are kept as they
are (typographic quotes, dashes); the tree is built with lxml, so ``<`` and
``&`` in the text are escaped.

Identifiers are made unique across the edition from the output file's name:
for ``tei/NAME.xml`` the chapter ``div`` is ``NAME``, the heading ``NAME-head``,
the paragraphs ``NAME-p1``, ``NAME-p2``... and the editors ``NAME-ed1``...
(a NAME that is not a valid XML name is made one: ``59`` gives ``ch-59``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

from lxml import etree

from .config import load_config
from .diagnostics import EXIT_USAGE, Diagnostic, EditioError, ERROR
from .edition import TEI_NS

_T = "{" + TEI_NS + "}"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HEADING_MAX = 120
_FINAL_PUNCTUATION = ".,;:!?…"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


def id_prefix(name: str) -> str:
    """An NCName made from a file name stem: letters, digits, '-', '_', '.'; never starting with a digit."""
    prefix = re.sub(r"[^\w.-]+", "-", name, flags=re.ASCII).strip("-.") or "chapter"
    if not re.match(r"[A-Za-z_]", prefix):
        prefix = "ch-" + prefix
    return prefix


def split_text(text: str) -> tuple[str | None, list[str]]:
    """(heading or None, paragraphs) of a plain text; lines inside a paragraph joined by a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.strip("\n")) if b.strip()]
    paragraphs = [" ".join(line.strip() for line in b.split("\n") if line.strip()) for b in blocks]
    if not paragraphs:
        return None, []
    first_lines = [line for line in blocks[0].split("\n") if line.strip()]
    first = paragraphs[0]
    if (len(first_lines) == 1 and len(first) <= _HEADING_MAX and first[-1] not in _FINAL_PUNCTUATION
            and len(paragraphs) > 1):
        return first, paragraphs[1:]
    return None, paragraphs


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date().isoformat()
    return _dt.date.today().isoformat()


def _el(parent, name: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, _T + name)
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


def _schema_href(out: Path, root: Path, filename: str) -> str:
    """Where the schema is, relative to the output file: the edition's schema/, else the installed one."""
    from .resources import schema_path

    candidates = [parent / "schema" / filename for parent in out.resolve().parents]
    candidates.append(root / "schema" / filename)
    for c in candidates:
        if c.is_file():
            target = c
            break
    else:
        target = schema_path(filename)
    try:
        return Path(os.path.relpath(target.resolve(), out.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return target.resolve().as_uri()


def build_tei(text: str, *, name: str, source_name: str, config, date: str | None = None) -> etree._Element:
    """The TEI tree of a chapter made from plain ``text`` (see the module doc for ids)."""
    heading, paragraphs = split_text(text)
    if not paragraphs:
        raise ValueError("the text has no paragraphs")
    prefix = id_prefix(name)
    date = date or _today()
    title = heading or name
    editors = config.editors or ["The editors"]
    editor_ids = [f"{prefix}-ed{i}" for i in range(1, len(editors) + 1)]

    tei = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    tei.set(_XML_LANG, config.language or "en")
    header = _el(tei, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", title, type="main")
    if config.title:
        _el(title_stmt, "title", config.title, type="sub")
    for ident, editor in zip(editor_ids, editors):
        _el(title_stmt, "editor", editor).set(_XML_ID, ident)
    resp = _el(title_stmt, "respStmt")
    _el(resp, "resp", "Transcription and encoding")
    for ident, editor in zip(editor_ids, editors):
        _el(resp, "name", editor, ref=f"#{ident}")
    edition_stmt = _el(file_desc, "editionStmt")
    _el(edition_stmt, "edition", "Draft transcription, not yet annotated", n="0")
    pub = _el(file_desc, "publicationStmt")
    _el(pub, "publisher", config.publisher or (editors[0] if config.editors else "The editors"))
    _el(pub, "date", date[:4], when=date)
    availability = _el(pub, "availability")
    licence = _el(availability, "licence", config.licence or "All rights reserved")
    if config.licence_url:
        licence.set("target", config.licence_url)
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "bibl", type="source")
    bibl.set(_XML_ID, f"{prefix}-source")
    _el(bibl, "title", title)
    _el(bibl, "note", f"Transcribed from the plain-text file {source_name}.")

    encoding = _el(header, "encodingDesc")
    project = _el(encoding, "projectDesc")
    _el(project, "p", " — ".join(t for t in (config.title, config.subtitle) if t) or "A chapter of an editio edition.")
    decl = _el(encoding, "editorialDecl")
    _el(decl, "p", "Imported from plain text with editio import: the text is kept as it was received, "
                   "paragraph by paragraph; names and dates are not yet tagged (see editio annotate).")
    profile = _el(header, "profileDesc")
    lang_usage = _el(profile, "langUsage")
    _el(lang_usage, "language", _language_name(config.language or "en"), ident=config.language or "en")
    revisions = _el(header, "revisionDesc")
    _el(revisions, "change", f"Imported from {source_name} with editio import.", when=date, who=f"#{editor_ids[0]}")

    body = _el(_el(tei, "text"), "body")
    div = _el(body, "div", type="chapter")
    div.set(_XML_ID, prefix)
    if heading:
        _el(div, "head", heading).set(_XML_ID, f"{prefix}-head")
    for n, paragraph in enumerate(paragraphs, 1):
        _el(div, "p", paragraph).set(_XML_ID, f"{prefix}-p{n}")
    return tei


_LANGUAGES = {"en": "English", "de": "German", "fr": "French", "ru": "Russian", "es": "Spanish", "it": "Italian"}


def _language_name(code: str) -> str:
    return _LANGUAGES.get(code.split("-")[0], code)


def serialise(tei: etree._Element, rng_href: str, sch_href: str) -> bytes:
    """The document's bytes: XML declaration, xml-model PIs for the schema, the indented tree."""
    etree.indent(tei, space="  ")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    for href, ns in ((rng_href, RNG_NS), (sch_href, SCH_NS)):
        pi = etree.ProcessingInstruction("xml-model", f'href="{_attr_escape(href)}" type="application/xml" schematypens="{ns}"')
        lines.append(etree.tostring(pi, encoding="unicode"))
    lines.append(etree.tostring(tei, encoding="unicode"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _attr_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _edition_root(out: Path) -> Path:
    """The folder of the edition the output file belongs to (nearest edition.toml above it), else the current one."""
    for parent in out.resolve().parents:
        if (parent / "edition.toml").is_file():
            return parent
    return Path.cwd()


def import_text(source: str | Path, out: str | Path, *, force: bool = False, root: str | Path | None = None) -> Path:
    """Write ``out`` (a TEI chapter) from the plain-text file ``source``; return its path.

    Refuses (exit code 2) to overwrite an existing file unless ``force``.
    The header comes from edition.toml in ``root`` (default: the nearest folder
    above ``out`` that has one, else the current folder).
    """
    source, out = Path(source), Path(out)
    if out.exists() and not force:
        raise EditioError(Diagnostic(str(out), 0, 0, ERROR, "file exists; not overwritten", "import.exists",
                                     "choose another --out or add --force to replace it"), EXIT_USAGE)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise EditioError(Diagnostic(str(source), 0, 0, ERROR, f"cannot read file: {exc.strerror or exc}",
                                     "io.unreadable", "check the path"), EXIT_USAGE) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EditioError(Diagnostic(str(source), line, 1, ERROR, f"byte 0x{data[exc.start]:02X} is not valid UTF-8",
                                     "import.encoding", "convert the text to UTF-8 first"), EXIT_USAGE) from None
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise EditioError(Diagnostic(str(source), line, bad.start() - text.rfind("\n", 0, bad.start()), ERROR,
                                     f"control character U+{ord(bad.group()):04X} cannot appear in XML",
                                     "import.character", "remove it from the text"), EXIT_USAGE)
    config = load_config(root if root is not None else _edition_root(out))
    try:
        tei = build_tei(text, name=out.stem, source_name=source.name, config=config)
    except ValueError as exc:
        raise EditioError(Diagnostic(str(source), 1, 1, ERROR, str(exc), "import.empty",
                                     "the file must contain at least one paragraph of text"), EXIT_USAGE) from None
    data = serialise(tei, _schema_href(out, config.root, "editio.rng"), _schema_href(out, config.root, "editio.sch"))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.editio-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return out
