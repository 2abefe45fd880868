"""Plain-text export: the reading text of each chapter, for diffs, search indexing and source checks."""

from __future__ import annotations

import re
from pathlib import Path

from .config import READINGS
from .diagnostics import usage_error
from .edition import TEI_NS, is_register
from .xmlload import load_xml

_T = f"{{{TEI_NS}}}"
#: Block elements that become one paragraph of the text.
_BLOCKS = {_T + "head", _T + "p"}
#: Elements whose content is never part of the reading text.
_NEVER = {_T + "note", _T + "teiHeader", _T + "figDesc"}
#: Elements each reading leaves out (the same rules as the web edition's reading switch).
_LEFT_OUT = {
    "corrected": {_T + "surplus", _T + "del"},
    "diplomatic": {_T + "corr", _T + "reg", _T + "expan", _T + "supplied"},
}
#: Left out of the corrected reading only inside a <choice> (a lone <sic> is still the text).
_LEFT_OUT_IN_CHOICE = {"corrected": {_T + "sic", _T + "orig", _T + "abbr"}, "diplomatic": set()}
_SPACE = re.compile(r"\s+")


def _hidden(el, reading: str) -> bool:
    tag = el.tag
    if tag in _NEVER or tag in _LEFT_OUT[reading]:
        return True
    parent = el.getparent()
    return tag in _LEFT_OUT_IN_CHOICE[reading] and parent is not None and parent.tag == _T + "choice"


def _check_reading(reading: str) -> None:
    if reading not in READINGS:
        raise usage_error("--reading", f"unknown reading {reading!r}", "usage.reading",
                          f"use one of: {', '.join(READINGS)}")


def _inline_text(el, reading: str, out: list[str]) -> None:
    """Append the text of ``el``'s content in the given reading (tails are the caller's)."""
    if el.text:
        out.append(el.text)
    for child in el:
        if not isinstance(child.tag, str):
            pass  # comments and processing instructions carry no text
        elif child.tag == _T + "lb":
            out.append("" if child.get("break") == "no" else " ")  # break="no": a word split at the line end
        elif not _hidden(child, reading):
            _inline_text(child, reading, out)
        if child.tail:
            out.append(child.tail)


def chapter_blocks(tree, reading: str = "corrected") -> list[str]:
    """The headings and paragraphs of a chapter's body, each as one whitespace-collapsed string."""
    _check_reading(reading)
    body = tree.getroot().find(f"{_T}text/{_T}body")
    if body is None:
        return []
    blocks = []
    for el in body.iter(*_BLOCKS):
        if any(a.tag in _NEVER or a.tag in _BLOCKS for a in el.iterancestors()):
            continue  # a head inside a note, or a block nested in another block
        parts: list[str] = []
        _inline_text(el, reading, parts)
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if text:
            blocks.append(text)
    return blocks


def chapter_text(tree, reading: str = "corrected") -> str:
    """The plain text of a chapter: one block per line, blocks separated by a blank line."""
    blocks = chapter_blocks(tree, reading)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def text_of_file(path: str | Path, reading: str = "corrected") -> str | None:
    """The plain text of the TEI file at ``path``; None for a register (it has no reading text)."""
    tree = load_xml(path)
    if is_register(tree):
        return None
    return chapter_text(tree, reading)


def export_texts(paths: list[str | Path], reading: str = "corrected") -> dict[str, str]:
    """``{NAME.txt: text}`` for every chapter among ``paths`` (registers are skipped), sorted by name."""
    _check_reading(reading)
    out: dict[str, str] = {}
    for path in sorted(Path(p) for p in paths):
        text = text_of_file(path, reading)
        if text is not None:
            out[path.stem + ".txt"] = text
    return out


def write_texts(paths: list[str | Path] | None = None, *, reading: str | None = None,
                out: str | Path | None = None, root: str | Path | None = None):
    """Export texts for ``editio text``; yields what to print.

    ``paths`` default to the edition's inputs and ``reading`` to its setting.
    Without ``out`` the texts themselves are yielded (each after a
    ``==> NAME.txt <==`` line when there are several); with ``out`` they are
    written there as NAME.txt and one line per file is yielded.
    """
    from .edition import Edition

    edition = Edition.load(root, paths)
    texts = export_texts(edition.files, reading or edition.config.reading)
    if out is None:
        for name, text in texts.items():
            if len(texts) > 1:
                yield f"==> {name} <==\n"
            yield text
        return
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
            yield f"{folder / name}\n"
    except OSError as exc:
        raise usage_error(folder, f"cannot write: {exc.strerror or exc}", "io.unwritable") from None
