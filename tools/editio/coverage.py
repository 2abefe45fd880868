"""Coverage lint: a warning at every untagged mention of a registered name in running text.

Used by ``editio validate --coverage``. It finds mentions exactly as
``editio annotate`` does (same register names, variants, surnames and the
misprints the edition already corrects), but only exact ones: a fuzzy guess is
a suggestion for the assistant, not a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from .diagnostics import WARNING, Diagnostic
from .edition import is_register
from .names import Register
from .textspans import line_col, line_index, text_runs

RULE = "coverage.untagged"


def _raw_text(path: str, tree) -> str | None:
    """The file's text if it is on disk and is what ``tree`` was parsed from."""
    for candidate in (path, tree.docinfo.URL):
        if candidate and os.path.isfile(candidate):
            try:
                return Path(candidate).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
    return None


def _ref(register_path: str, chapter_path: str) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(register_path),
                                    os.path.dirname(os.path.abspath(chapter_path)))).as_posix()
    except ValueError:
        return Path(register_path).name


def check_coverage(trees: dict[str, etree._ElementTree]) -> list[Diagnostic]:
    """Warnings (rule ``coverage.untagged``) for untagged registered names in the chapters of ``trees``.

    ``trees`` maps each file's path to its parsed tree; the register must be
    among them (without one there is nothing to check). Positions are the
    line and column of the mention in the file.
    """
    registers = [p for p, t in trees.items() if is_register(t)]
    if not registers:
        found = _referenced_register(trees)
        if found is None:
            return []
        trees = {**trees, found[0]: found[1]}
        registers = [found[0]]
    register_path = registers[0]
    register = Register.from_tree(trees[register_path])
    chapters = {p: t for p, t in trees.items() if p not in registers}
    for tree in chapters.values():
        register.learn(tree, Path(register_path).name, forms=False)
    out: list[Diagnostic] = []
    for path, tree in sorted(chapters.items()):
        out.extend(_check_one(path, tree, register, _ref(register_path, path)))
    return out


def _referenced_register(trees):
    """(path, tree) of the register file the chapters point into, when it was not given."""
    from .diagnostics import EditioError
    from .xmlload import load_xml

    for path, tree in sorted(trees.items()):
        for ref in tree.getroot().xpath("//@ref"):
            file_part = ref.split("#", 1)[0]
            if file_part.endswith(".xml") and ":" not in file_part:
                candidate = Path(path).parent / file_part
                if candidate.is_file():
                    try:
                        reg = load_xml(candidate)
                    except EditioError:
                        continue
                    if is_register(reg):
                        return str(candidate), reg
    return None


def _check_one(path: str, tree, register: Register, ref: str) -> list[Diagnostic]:
    raw = _raw_text(path, tree)
    runs = None
    if raw is not None:
        try:
            runs = text_runs(raw, tree, open_only=True)
        except (ValueError, StopIteration):
            runs = None
    out = []
    if runs is not None:
        index = line_index(raw)
        for run in runs:
            if run.block is None:
                continue
            for m in register.exact(run.text):
                line, col = line_col(raw, run.raw_offset(m.start), index)
                out.append(_warning(path, line, col, m, ref))
        return out
    # no raw text (a tree built in memory): element lines, column unknown
    from .textspans import _Eligibility

    eligibility = _Eligibility()
    for el in tree.getroot().iter():
        pieces = []
        if isinstance(el.tag, str) and el.text and eligibility.block_of(el) is not None:
            pieces.append((el.text, el.sourceline or 0))
        parent = el.getparent()
        if el.tail and parent is not None and eligibility.block_of(parent) is not None:
            pieces.append((el.tail, el.sourceline or 0))
        for text, line in pieces:
            for m in register.exact(text):
                out.append(_warning(path, line + text.count("\n", 0, m.start), 0, m, ref))
    return out


def _warning(path: str, line: int, col: int, m, ref: str) -> Diagnostic:
    name = " ".join(m.text.split())
    target = f"{ref}#{m.entry.id}"
    if m.correction:
        message = f"untagged misprint {name!r} of the registered name {m.correction!r} ({target})"
        hint = (f"tag it: <{m.entry.element} ref=\"{target}\"><choice><sic>{name}</sic><corr>{m.correction}"
                f"</corr></choice></{m.entry.element}>, or run editio annotate")
    else:
        message = f"untagged mention of the registered name {name!r} ({target})"
        hint = f"tag it: <{m.entry.element} ref=\"{target}\">{name}</{m.entry.element}>, or run editio annotate --write"
    return Diagnostic(path, line, col, WARNING, message, RULE, hint)
