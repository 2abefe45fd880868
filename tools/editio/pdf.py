"""The print edition: TEI → (XSLT) Typst markup → (typst) PDF/A-3b with the TEI attached.

Python loads every TEI file with the safe loader, marks each element with its
source line, and wraps all files (chapters in reading order, then registers)
in one document that the print stylesheet turns into Typst markup. Typst,
compiled in-process with its bundled fonts only, lays out the book and
computes every page number (index, apparatus). A Typst error is an editio
bug; it is reported at the TEI file and line whose markup failed.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .config import READINGS
from .diagnostics import ERROR, WARNING, Diagnostic, EditioError, EXIT_USAGE, usage_error
from .edition import Edition, is_register
from .xmlload import load_xml

#: Private namespace of the wrapper document and of the line annotations.
PRINT_NS = "urn:editio:print"
_LINE = f"{{{PRINT_NS}}}line"
STYLESHEET = "print/book.xsl"
#: Marker the stylesheet writes before the markup of each TEI element: /*@src FILE-INDEX:LINE*/
_SRC_MARK = re.compile(r"/\*@src (\d+):(\d+)\*/")
_TYPST_POS = re.compile(r"\.typ:(\d+):(\d+)")
_HINTS = {
    "pdf.unhandled": "the print stylesheet has no rule for this element yet; report it, or use an element it knows",
    "pdf.no-glyph": "Typst's bundled fonts have Latin, Greek and Cyrillic only; add a transliteration if readers need one",
}


@dataclass
class PdfResult:
    """What one print run produced."""

    pdf: bytes
    typst: str
    warnings: list[Diagnostic] = field(default_factory=list)


def _annotated(tree: etree._ElementTree) -> etree._Element:
    """A copy of the TEI root with every element's source line in ``print:line``."""
    root = tree.getroot()
    for el in root.iter():
        if isinstance(el.tag, str) and el.sourceline:
            el.set(_LINE, str(el.sourceline))
    return root


def _document_date(trees: list[etree._ElementTree]) -> int:
    """Seconds since the epoch for the PDF's dates: SOURCE_DATE_EPOCH, else the edition's own date.

    PDF/A requires a date; taking it from the TEI (latest publication or
    revision date) keeps the output free of wall-clock time.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return int(epoch)
        except ValueError:
            raise usage_error("SOURCE_DATE_EPOCH", f"must be whole seconds since 1970, not {epoch!r}",
                              "env.source-date-epoch") from None
    dates = []
    for tree in trees:
        for path in ("tei:teiHeader//tei:publicationStmt/tei:date/@when", "tei:teiHeader//tei:change/@when"):
            dates.extend(str(v) for v in tree.getroot().xpath(path, namespaces={"tei": "http://www.tei-c.org/ns/1.0"}))
    best = 0
    for value in dates:
        try:
            d = datetime.date.fromisoformat(value[:10]) if len(value) >= 10 else datetime.date(int(value[:4]), 1, 1)
        except ValueError:
            continue
        secs = int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc).timestamp())
        best = max(best, secs)
    return best


def typst_root(files: list[Path]) -> Path:
    """The folder Typst may read from: the deepest one holding every TEI file (attachments are read there)."""
    return Path(os.path.commonpath([str(Path(f).resolve().parent) for f in files]))


def wrapper_document(edition: Edition, reading: str) -> tuple[str, list[Path], list]:
    """The XML handed to the print stylesheet, the files in the order it numbers them, and their trees."""
    trees = [(path, load_xml(path)) for path in edition.files]
    chapters = [(p, t) for p, t in trees if not is_register(t)]
    registers = [(p, t) for p, t in trees if is_register(t)]
    if not chapters:
        raise usage_error(edition.config.root, "no chapter among the TEI files (only registers)", "pdf.no-chapter",
                          "give the chapter files too, or run in the edition's folder")
    ordered = chapters + registers
    cfg = edition.config
    top = etree.Element(f"{{{PRINT_NS}}}edition", nsmap={"e": PRINT_NS})
    top.set("reading", reading)
    for key in ("title", "subtitle", "publisher", "licence", "licence_url", "language"):
        top.set(key.replace("_", "-"), getattr(cfg, key) or "")
    for name in cfg.editors:
        etree.SubElement(top, f"{{{PRINT_NS}}}editor").text = name
    root = typst_root([p for p, _ in ordered])
    for index, (path, tree) in enumerate(ordered):
        holder = etree.SubElement(top, f"{{{PRINT_NS}}}file")
        holder.set("n", str(index))
        holder.set("name", path.name)
        # Typst reads the file itself for the attachment, from this path under typst_root().
        holder.set("path", "/" + Path(path).resolve().relative_to(root).as_posix())
        holder.set("role", "register" if is_register(tree) else "chapter")
        holder.append(_annotated(tree))
    return etree.tostring(top, encoding="unicode"), [p for p, _ in ordered], [t for _, t in ordered]


def typst_markup(edition: Edition, *, reading: str = "corrected") -> tuple[str, list[Path], int, list[Diagnostic]]:
    """The Typst markup of the book, the files it came from, its date and the stylesheet's warnings."""
    from .transform import stylesheet

    if reading not in READINGS:
        raise usage_error("--reading", f"unknown reading {reading!r}", "pdf.reading",
                          f"choose one of: {', '.join(READINGS)}")
    xml_text, files, trees = wrapper_document(edition, reading)
    sheet = stylesheet(STYLESHEET)
    markup, _ = sheet.run(xml_text=xml_text, params={"reading": reading})
    warnings = [_message_diagnostic(m, files) for m in sheet.messages()]
    return markup, files, _document_date(trees), warnings


def _message_diagnostic(message: str, files: list[Path]) -> Diagnostic:
    """An xsl:message of the form 'FILE-INDEX:LINE: text' as a warning at that place."""
    m = re.match(r"\s*(\d+):(\d*):([\w.-]+):\s*(.*)", message, re.S)
    if m and int(m.group(1)) < len(files):
        rule = m.group(3)
        return Diagnostic(str(files[int(m.group(1))]), int(m.group(2) or 0), 1, WARNING, m.group(4).strip(),
                          rule, _HINTS.get(rule, ""))
    return Diagnostic("(print stylesheet)", 0, 0, WARNING, message.strip(), "pdf.message")


def source_of_line(markup: str, line: int, col: int, files: list[Path]) -> tuple[str, int]:
    """The TEI file and line whose markup holds Typst position ``line:col`` (1-based)."""
    lines = markup.split("\n")
    upto = "\n".join(lines[: max(line - 1, 0)]) + "\n" + (lines[line - 1][: max(col - 1, 0)] if 0 < line <= len(lines) else "")
    marks = list(_SRC_MARK.finditer(upto))
    if not marks:
        return "(generated front matter)", 0
    index, tei_line = int(marks[-1].group(1)), int(marks[-1].group(2))
    name = str(files[index]) if index < len(files) else "(unknown file)"
    return name, tei_line


def _compile_error(exc, markup: str, files: list[Path]) -> EditioError:
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    message = str(getattr(exc, "message", "") or exc).strip().splitlines()[0] if str(exc).strip() else "Typst error"
    pos = _TYPST_POS.search(diagnostic) or _TYPST_POS.search(str(exc))
    path, line = source_of_line(markup, int(pos.group(1)), int(pos.group(2)), files) if pos else ("(print)", 0)
    return EditioError(Diagnostic(path, line, 1, ERROR,
                                  f"the print edition could not be typeset here (Typst: {message})",
                                  "pdf.typeset",
                                  "this is a bug in editio, not in your TEI; run with --keep-typst FILE "
                                  "and report the element at this line"))


def compile_markup(markup: str, files: list[Path], timestamp: int) -> bytes:
    """Typeset ``markup`` with Typst's bundled fonts as PDF/A-3b (tagged).

    Typst reads the attached TEI files itself, under :func:`typst_root` of ``files``.
    """
    import typst

    try:
        return typst.compile(markup.encode("utf-8"), format="pdf", root=str(typst_root(files)), ignore_system_fonts=True,
                             pdf_standards="a-3b", timestamp=timestamp, pdf_tags=True)
    except typst.TypstError as exc:
        raise _compile_error(exc, markup, files) from None


def build_pdf(edition: Edition, *, reading: str = "corrected", keep_typst: Path | None = None) -> PdfResult:
    """Make the print edition; ``keep_typst`` also saves the generated markup there."""
    markup, files, timestamp, warnings = typst_markup(edition, reading=reading)
    if keep_typst:
        try:
            Path(keep_typst).write_text(markup, encoding="utf-8")
        except OSError as exc:
            raise usage_error(keep_typst, f"cannot write the Typst markup: {exc.strerror or exc}", "io.write") from None
    return PdfResult(compile_markup(markup, files, timestamp), markup, warnings)


def render_pdf(edition: Edition, *, reading: str = "corrected", keep_typst: Path | None = None) -> bytes:
    """The PDF of ``edition`` as bytes."""
    return build_pdf(edition, reading=reading, keep_typst=keep_typst).pdf


def write_pdf(edition: Edition, out: Path | None = None, *, reading: str = "corrected",
              keep_typst: Path | None = None) -> PdfResult:
    """Build the PDF and write it to ``out`` atomically (a failed build leaves the old file)."""
    out = Path(out) if out else edition.config.output_dir / edition.config.pdf_name
    result = build_pdf(edition, reading=reading, keep_typst=keep_typst)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(result.pdf)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a published file is readable
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise EditioError(Diagnostic(str(out), 0, 0, ERROR, f"cannot write the PDF: {exc.strerror or exc}",
                                     "io.write", "check that the folder exists and is writable"), EXIT_USAGE) from None
    return result
