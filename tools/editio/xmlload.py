"""Safe XML loading: the one function every part of editio uses to read XML.

No DTD is loaded, no entity (internal or external) is expanded, nothing is
fetched from the network, XInclude is never processed, and a document that
declares a DOCTYPE at all is refused: TEI needs none, and refusing it is the
simplest way to be immune to XXE and entity-expansion bombs. Every failure is
an :class:`EditioError` with one ``path:line:col`` diagnostic.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from .diagnostics import EXIT_INVALID, EXIT_USAGE, Diagnostic, EditioError, ERROR

#: Larger files are refused before parsing (a TEI chapter is well under 1 MB).
MAX_BYTES = 64 * 1024 * 1024

_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {"utf-8", "utf8"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,  # keeps libxml2's depth and size limits
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


def _fail(path: str, line: int, col: int, message: str, rule: str, hint: str = "", code: int = EXIT_INVALID):
    return EditioError(Diagnostic(path, line, col, ERROR, message, rule, hint), code)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def read_bytes(path: str | Path) -> bytes:
    """Read a file for parsing; missing, unreadable or oversized files raise (exit 2)."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise _fail(name, 0, 0, "no such file", "io.missing", "check the path", EXIT_USAGE)
    if p.is_dir():
        raise _fail(name, 0, 0, "is a directory, not an XML file", "io.directory",
                    "give the folder itself as a PATH to validate every .xml file in it", EXIT_USAGE)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _fail(name, 1, 1, f"file is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit",
                        "xml.too-large", "split the document into chapters", EXIT_INVALID)
        return p.read_bytes()
    except OSError as exc:
        raise _fail(name, 0, 0, f"cannot read file: {exc.strerror or exc}", "io.unreadable", "", EXIT_USAGE) from None


def check_encoding(name: str, data: bytes) -> None:
    """Insist on UTF-8: declared (or undeclared) and actually so."""
    if not data.strip():
        raise _fail(name, 1, 1, "file is empty", "xml.empty", "a TEI document starts with <TEI xmlns=\"http://www.tei-c.org/ns/1.0\">")
    if b"\x00" in data[:4096]:
        i = data.index(b"\x00")
        line, col = _line_col(data, i)
        raise _fail(name, line, col, "file contains NUL bytes: it is binary, not XML", "xml.binary",
                    "check that you gave the right file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise _fail(name, 1, 1, "file is UTF-16 or UTF-32; editio reads UTF-8 only", "xml.encoding",
                    "save the file as UTF-8")
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    m = _DECL.match(body)
    if m and m.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        declared = m.group(1).decode("ascii")
        raise _fail(name, 1, m.start(1) + 1, f"declared encoding {declared!r} is not UTF-8", "xml.encoding",
                    'save the file as UTF-8 and declare encoding="UTF-8"')
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        line, col = _line_col(data, offset)
        raise _fail(name, line, col, f"byte 0x{data[offset]:02X} is not valid UTF-8", "xml.encoding",
                    "the file is in another encoding (Latin-1, Windows-1252?); convert it to UTF-8") from None


_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _doctype_offset(data: bytes) -> int:
    """Offset of a DOCTYPE declaration in the prolog, or -1 (scanned before any parsing)."""
    pos = 3 if data.startswith(codecs.BOM_UTF8) else 0
    while True:
        m = _PROLOG_ITEM.match(data, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    return pos if data.startswith(b"<!DOCTYPE", pos) else -1


def parse_bytes(data: bytes, name: str) -> etree._ElementTree:
    """Parse UTF-8 bytes safely; ``name`` is used in messages and as base URL."""
    check_encoding(name, data)
    doctype = _doctype_offset(data)
    if doctype >= 0:
        line, col = _line_col(data, doctype)
        raise _fail(name, line, col, "DOCTYPE declarations are not allowed (DTDs and entities are never loaded)",
                    "xml.doctype", "remove the <!DOCTYPE ...> declaration; write characters directly in UTF-8")
    parser = _parser()
    try:
        root = etree.fromstring(data, parser, base_url=name)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        msg = re.sub(r",? line \d+(, column \d+)?\s*$", "", str(exc.msg or exc)).strip()
        # libxml2 names the open element and its line as "tag X line N"; say it plainly
        msg = re.sub(r"\btag (\S+) line (\d+)", r"<\1> (opened on line \2)", msg)
        msg = re.sub(r"mismatch: (\S+) line (\d+) and (\S+)$", r"mismatch: <\1> (opened on line \2) closed by </\3>", msg)
        if "Excessive depth" in msg or "depth" in msg.lower() and "nest" in msg.lower():
            raise _fail(name, line, col, "elements are nested too deeply (more than 256 levels)", "xml.depth",
                        "this is not a TEI document an editor would write; check the file") from None
        raise _fail(name, line, max(col, 1), f"not well-formed XML: {msg}", "xml.well-formed",
                    "fix the markup at this position (unclosed tag, stray '<' or '&'?)") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:  # belt and braces: the prolog scan should have caught it
        raise _fail(name, 1, 1, "DOCTYPE declarations are not allowed", "xml.doctype",
                    "remove the <!DOCTYPE ...> declaration")
    return tree


def load_xml(path: str | Path) -> etree._ElementTree:
    """Load one XML file safely. Raises :class:`EditioError` on any problem."""
    name = str(path)
    return parse_bytes(read_bytes(path), name)
