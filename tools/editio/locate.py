"""Columns for elements: lxml knows an element's line, the source text knows where on it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=256)
def _lines(path: str, mtime_ns: int) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8", errors="replace").split("\n"))
    except OSError:
        return ()


def source_lines(path: str) -> tuple[str, ...]:
    """The file's lines (cached while the file is unchanged)."""
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        return ()
    return _lines(path, mtime)


def element_column(path: str, line: int, qname: str, occurrence: int = 0) -> int:
    """1-based column of the start tag ``<qname`` on ``line`` (1 if not found)."""
    lines = source_lines(path)
    if not 0 < line <= len(lines):
        return 1
    text = lines[line - 1]
    start = 0
    for _ in range(occurrence + 1):
        i = text.find("<" + qname, start)
        while i >= 0 and i + 1 + len(qname) < len(text) and (text[i + 1 + len(qname)].isalnum()
                                                               or text[i + 1 + len(qname)] in "-_.:"):
            i = text.find("<" + qname, i + 1)
        if i < 0:
            return 1
        start = i + 1
    return start


def attribute_column(path: str, line: int, attr: str) -> int:
    """1-based column of ``attr=`` on ``line`` (1 if not found there)."""
    lines = source_lines(path)
    if not 0 < line <= len(lines):
        return 1
    i = lines[line - 1].find(f" {attr}=")
    return i + 2 if i >= 0 else 1


def local_qname(el) -> str:
    """The element's name as written in a TEI file (TEI is the default namespace)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        prefix = el.prefix
        return f"{prefix}:{local}" if prefix else local
    return tag
