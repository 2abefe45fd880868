"""The encoder's assistant: propose tags for untagged names and dates, and apply them safely.

``suggest(paths)`` lists what could be tagged in the running text of chapters
(``p`` and ``head`` of ``tei:text``; never inside existing names, dates,
choices, notes or references): mentions of register entries, likely
misspellings of registered names (as ``choice/sic/corr``), date expressions
normalised by :mod:`editio.dates`, and capitalised names that are not in the
register (candidates for new entries, never tagged automatically).

``annotate(paths, write=True)`` applies the suggestions at or above a
confidence threshold in place. It edits the raw text, not a re-serialised tree:
only the matched spans change, everything else in the file stays byte for byte
as it was. A file is written only when the result parses, its diplomatic
reading is unchanged, and validation finds no problem that was not there
before; otherwise nothing is written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .dates import find_dates
from .diagnostics import EXIT_INVALID, EXIT_USAGE, Diagnostic, EditioError, ERROR
from .edition import TEI_NS, collect_xml_files
from .names import Mention, Register, capitalised_words, is_common_word, sentence_initial
from .textspans import TextRun, line_col, line_index, local_name, text_runs
from .xmlload import parse_bytes, read_bytes

DEFAULT_THRESHOLD = 0.9
_T = "{" + TEI_NS + "}"
_LOWER_WORD = re.compile(r"(?<![\w’'])[a-z]+(?![\w])")
_DERIVED_ENDINGS = ("ly", "ing", "ed", "ever", "ther", "ally")


@dataclass
class Suggestion:
    """One proposed tag (or a candidate register entry) at a place in a file."""

    path: str
    line: int
    col: int
    kind: str  # name | misspelling | date | candidate
    text: str
    element: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0
    correction: str | None = None
    note: str = ""
    occurrences: int = 1
    raw_start: int = field(default=0, repr=False)
    raw_end: int = field(default=0, repr=False)

    def markup(self) -> str:
        """The tag as a reviewer reads it: ``<persName ref="register.xml#yezhov">Yeshov</persName>``."""
        text = escape(re.sub(r"\s+", " ", self.text))
        if not self.element:
            return text
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in self.attributes.items())
        return f"<{self.element}{attrs}>{text}</{self.element}>"

    def format(self) -> str:
        """One review line: ``path:line:col: suggestion: <markup> (kind, confidence 0.91)``."""
        where = f"{self.path}:{self.line}:{self.col}"
        if self.kind == "candidate":
            many = f", {self.occurrences} occurrences" if self.occurrences > 1 else ""
            name = re.sub(r"\s+", " ", self.text)
            return f"{where}: candidate: {name} (not in the register{many})"
        label = {"name": "name", "misspelling": "sic/corr", "date": "date"}[self.kind]
        if self.note:
            label += f", {self.note}"
        return f"{where}: suggestion: {self.markup()} ({label}, confidence {self.confidence:.2f})"

    def as_dict(self) -> dict:
        return {
            "path": self.path, "line": self.line, "col": self.col, "kind": self.kind,
            "text": self.text, "element": self.element, "attributes": dict(self.attributes),
            "correction": self.correction, "confidence": self.confidence, "note": self.note,
            "occurrences": self.occurrences, "markup": self.markup() if self.kind != "candidate" else None,
        }


@dataclass
class Result:
    """What ``annotate`` found and did."""

    suggestions: list[Suggestion] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    applied: int = 0


@dataclass
class _Document:
    path: Path
    name: str
    raw: str
    data: bytes
    tree: etree._ElementTree


# --- loading -----------------------------------------------------------------

def _is_register(tree) -> bool:
    """Like edition.is_register, but looks only at the body's children (fast on big chapters)."""
    body = tree.getroot().find(f"{_T}text/{_T}body")
    if body is None:
        return False
    names = {c.tag for c in body if isinstance(c.tag, str)}
    return f"{_T}div" not in names and bool(names & {f"{_T}{n}" for n in ("listPerson", "listPlace", "listOrg", "listEvent")})


def _load(path: Path) -> _Document:
    data = read_bytes(path)
    tree = parse_bytes(data, str(path))
    return _Document(path, str(path), data.decode("utf-8"), data, tree)


def find_register(paths: list[Path], docs: dict[Path, _Document] | None = None) -> Path | None:
    """The register for these files: one of them, else register.xml beside them, else the edition's."""
    for p in paths:
        doc = (docs or {}).get(p.resolve())
        if doc is not None and _is_register(doc.tree):
            return p
    for p in paths:
        candidate = p.parent / "register.xml"
        if candidate.is_file():
            return candidate
    from .config import load_config

    for p in load_config().input_files():
        if p.name == "register.xml":
            return p
    return None


def register_ref(register: Path, chapter: Path) -> str:
    """The path part of @ref from ``chapter`` to ``register`` (``register.xml``)."""
    return Path(os.path.relpath(register.resolve(), chapter.resolve().parent)).as_posix()


def load_register(register: _Document, chapters: list[_Document], learn_forms: bool = True) -> Register:
    """The register's names, plus the forms and misprints the chapters already tag."""
    reg = Register.from_tree(register.tree)
    for doc in chapters:
        reg.learn(doc.tree, register.path.name, forms=learn_forms)
    return reg


# --- finding -----------------------------------------------------------------

def _editor_pointer(tree) -> str | None:
    found = tree.xpath("//t:teiHeader//t:editor/@xml:id | //t:teiHeader//t:respStmt/*/@xml:id",
                       namespaces={"t": TEI_NS})
    return f"#{found[0]}" if found else None


def _lower_words(runs: list[TextRun]) -> set[str]:
    words: set[str] = set()
    for run in runs:
        if run.block is not None:
            words.update(_LOWER_WORD.findall(run.text))
    return words


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def _mention_attributes(m: Mention, ref: str) -> dict[str, str]:
    return {"ref": f"{ref}#{m.entry.id}"}


def _find_in_run(run: TextRun, register: Register, lower: set[str]):
    """(start, end, kind, payload) of everything found in one run, overlaps removed."""
    found = []
    for m in register.exact(run.text):
        if m.kind == "name" and " " not in m.text and m.text.lower() in lower:
            # the document also uses it as an ordinary word ("Brilliant"/"brilliant"): a human decides
            m = Mention(m.start, m.end, m.text, m.entry, min(m.confidence, 0.5), None, m.ambiguous)
        found.append((m.start, m.end, m.kind, m))
    for d in find_dates(run.text):
        found.append((d.start, d.end, "date", d))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    taken: list[tuple[int, int]] = []
    kept = []
    for f in found:
        if not _overlaps((f[0], f[1]), taken):
            taken.append((f[0], f[1]))
            kept.append(f)
    # capitalised words: misspellings of registered names, or candidates
    pending: list[tuple[int, int]] = []
    for start, end, word in capitalised_words(run.text):
        if _overlaps((start, end), taken):
            continue
        initial = sentence_initial(run.text, start, run.before)
        if word.lower() in lower or is_common_word(word) or register.is_known_word(word):
            continue
        guess = register.fuzzy(word)
        if guess is not None:
            if initial:
                guess = Mention(0, guess.end, guess.text, guess.entry, round(guess.confidence - 0.05, 2),
                                guess.correction, guess.ambiguous)
            kept.append((start, end, "misspelling", guess))
            taken.append((start, end))
            continue
        if initial and (word.endswith(_DERIVED_ENDINGS) or len(word) < 2):
            continue
        if word in ("I",) or len(word) < 2:
            continue
        pending.append((start, end))
    # join adjacent capitalised words into one candidate ("Vasily Ulrikh")
    merged: list[list[int]] = []
    for start, end in pending:
        if merged and re.fullmatch(r"[ \t\u00a0]+", run.text[merged[-1][1]:start] or "x"):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    for start, end in merged:
        kept.append((start, end, "candidate", None))
    kept.sort(key=lambda f: f[0])
    return kept


def _suggestions_for(doc: _Document, register: Register, ref: str) -> list[Suggestion]:
    runs = text_runs(doc.raw, doc.tree, open_only=True)
    lower = _lower_words(runs)
    index = line_index(doc.raw)
    out: list[Suggestion] = []
    candidates: dict[str, Suggestion] = {}
    for run in runs:
        for start, end, kind, payload in _find_in_run(run, register, lower):
            raw_start, raw_end = run.raw_offset(start), run.raw_offset(end)
            line, col = line_col(doc.raw, raw_start, index)
            text = run.text[start:end]
            if kind == "candidate":
                key = re.sub(r"\s+", " ", text)
                if key in candidates:
                    candidates[key].occurrences += 1
                else:
                    candidates[key] = Suggestion(doc.name, line, col, "candidate", text, raw_start=raw_start,
                                                 raw_end=raw_end, confidence=0.0)
                    out.append(candidates[key])
            elif kind == "date":
                out.append(Suggestion(doc.name, line, col, "date", text, "date", payload.value.attributes(),
                                      payload.confidence, raw_start=raw_start, raw_end=raw_end))
            else:
                note = f"ambiguous: {' '.join(payload.ambiguous)}" if payload.ambiguous else ""
                out.append(Suggestion(doc.name, line, col, kind, text, payload.entry.element,
                                      _mention_attributes(payload, ref), payload.confidence,
                                      payload.correction, note, raw_start=raw_start, raw_end=raw_end))
    return out


def _documents(paths) -> tuple[list[_Document], _Document]:
    files = collect_xml_files([Path(p) for p in paths])
    if not files:
        raise EditioError(Diagnostic(".", 0, 0, ERROR, "no files to annotate", "io.no-input",
                                     "give the chapter files, e.g. editio annotate tei/*.xml"), EXIT_USAGE)
    docs = {}
    for f in files:
        docs[f.resolve()] = _load(f)
    register_path = find_register(files, docs)
    if register_path is None:
        raise EditioError(Diagnostic(str(files[0]), 0, 0, ERROR, "no register found", "annotate.no-register",
                                     "give the register too (editio annotate tei/chapter.xml tei/register.xml) "
                                     "or put register.xml beside the chapter"), EXIT_USAGE)
    register = docs.get(register_path.resolve()) or _load(register_path)
    chapters = [d for d in docs.values() if d is not register and not _is_register(d.tree)]
    return chapters, register


def _other_chapters(register: _Document, chapters: list[_Document]) -> list[_Document]:
    """The edition's other chapters (beside the register), to learn from but not to annotate."""
    known = {d.path.resolve() for d in chapters} | {register.path.resolve()}
    out = []
    for path in sorted(register.path.resolve().parent.glob("*.xml")):
        if path not in known:
            try:
                doc = _load(path)
            except EditioError:
                continue  # a broken chapter teaches nothing; validate reports it
            if not _is_register(doc.tree):
                out.append(doc)
    return out


def suggest(paths, register_path: str | Path | None = None) -> list[Suggestion]:
    """Every suggestion for the chapters among ``paths`` (files or folders), in file order."""
    return _run(paths, register_path)[0]


def _run(paths, register_path=None):
    chapters, register_doc = _documents(list(paths) + ([register_path] if register_path else []))
    register = load_register(register_doc, chapters + _other_chapters(register_doc, chapters))
    out = []
    for doc in chapters:
        try:
            found = _suggestions_for(doc, register, register_ref(register_doc.path, doc.path))
        except ValueError as exc:  # the lexer and lxml disagree: never edit such a file
            raise EditioError(Diagnostic(doc.name, 0, 0, ERROR, f"cannot map the text of this file: {exc}",
                                         "annotate.lexer", "report this file as an editio bug")) from None
        out.extend(found)
    return out, chapters, register_doc


# --- writing -----------------------------------------------------------------

def _prefix(el) -> str:
    if el.nsmap.get(None) == TEI_NS:
        return ""
    for prefix, uri in el.nsmap.items():
        if uri == TEI_NS and prefix:
            return prefix + ":"
    return ""


def _open_close(s: Suggestion, p: str, resp: str | None, raw_text: str) -> str:
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in s.attributes.items())
    if s.kind == "misspelling":
        resp_attr = f" resp={quoteattr(resp)}" if resp else ""
        return (f"<{p}{s.element}{attrs}><{p}choice><{p}sic>{raw_text}</{p}sic>"
                f"<{p}corr{resp_attr}>{escape(s.correction or '')}</{p}corr></{p}choice></{p}{s.element}>")
    return f"<{p}{s.element}{attrs}>{raw_text}</{p}{s.element}>"


def apply_suggestions(doc_raw: str, tree, suggestions: list[Suggestion]) -> str:
    """``doc_raw`` with each suggestion's span wrapped in its markup; nothing else changes."""
    resp = _editor_pointer(tree)
    runs = {r.start: r for r in text_runs(doc_raw, tree, open_only=True)}
    starts = sorted(runs)
    import bisect

    out = doc_raw
    for s in sorted(suggestions, key=lambda s: s.raw_start, reverse=True):
        run = runs[starts[bisect.bisect_right(starts, s.raw_start) - 1]]
        p = _prefix(run.element)
        out = out[:s.raw_start] + _open_close(s, p, resp, out[s.raw_start:s.raw_end]) + out[s.raw_end:]
    return out


_SKIP_DIPLOMATIC = frozenset({"note", "corr", "reg", "expan"})


def diplomatic_text(tree) -> str:
    """The text of ``tei:text`` as printed: sic and orig, no notes or corrections; whitespace collapsed."""
    parts: list[str] = []

    def walk(el):
        if isinstance(el.tag, str) and local_name(el) not in _SKIP_DIPLOMATIC:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
        if el.tail:
            parts.append(el.tail)

    root = tree.getroot()
    for text in root.iter(_T + "text"):
        if text.text:
            parts.append(text.text)
        for child in text:
            walk(child)
        break
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _validation_errors(files: list[Path]) -> Counter | None:
    """Errors per (file name, rule) from editio's validator, or None when it is not available."""
    try:
        from .validation import validate

        report = validate([str(f) for f in files])
    except ImportError:  # validation not installed in this build: parse checks only
        return None
    return Counter((Path(d.path).name, d.rule) for d in report.diagnostics if d.severity == ERROR)


def _check_still_valid(changed: dict[Path, str], edition_files: list[Path]) -> list[Diagnostic]:
    """Validate the edition with the new content in a temporary copy; new errors block the write."""
    files = sorted({f.resolve() for f in edition_files} | set(changed))
    base = Path(os.path.commonpath([str(f.parent) for f in files]))
    with tempfile.TemporaryDirectory(prefix="editio-annotate-") as tmp:
        copies = []
        for f in files:
            target = Path(tmp) / f.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            if f in changed:
                target.write_bytes(changed[f].encode("utf-8"))
            else:
                shutil.copyfile(f, target)
            copies.append(target)
        after = _validation_errors(copies)
    if after is None:
        return []
    before = _validation_errors(files) or Counter()
    problems = []
    for (name, rule), n in sorted(after.items()):
        if n > before.get((name, rule), 0):
            problems.append(Diagnostic(name, 0, 0, ERROR,
                                       f"annotating would add {n - before.get((name, rule), 0)} error(s) [{rule}]; "
                                       "nothing was written", "annotate.invalid",
                                       "review the suggestions by hand (editio annotate without --write)"))
    return problems


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.editio-tmp")
    tmp.write_bytes(text.encode("utf-8"))
    try:
        shutil.copymode(path, tmp)
    except OSError:
        pass
    os.replace(tmp, path)


def annotate(paths, *, write: bool = False, threshold: float = DEFAULT_THRESHOLD,
             register_path: str | Path | None = None, validate: bool = True) -> Result:
    """Suggest tags for ``paths``; with ``write``, apply those with confidence >= ``threshold``.

    All changed files are checked before any is written (parse, unchanged
    diplomatic reading, no new validation errors); a failed check raises
    :class:`EditioError` and leaves every file as it was.
    """
    suggestions, chapters, register_doc = _run(paths, register_path)
    result = Result(suggestions=suggestions)
    if not write:
        return result
    changed: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for doc in chapters:
        # a correction needs @resp (Schematron correction.resp): without an editor id, only list it
        can_correct = _editor_pointer(doc.tree) is not None
        chosen = [s for s in suggestions if s.path == doc.name and s.kind != "candidate"
                  and s.confidence >= threshold and (can_correct or s.kind != "misspelling")]
        if not chosen:
            continue
        new_raw = apply_suggestions(doc.raw, doc.tree, chosen)
        try:
            new_tree = parse_bytes(new_raw.encode("utf-8"), doc.name)
        except EditioError as exc:
            problems.extend(exc.diagnostics)
            continue
        if diplomatic_text(new_tree) != diplomatic_text(doc.tree):
            problems.append(Diagnostic(doc.name, 0, 0, ERROR, "annotating would change the diplomatic reading; "
                                       "nothing was written", "annotate.diplomatic", "report this as an editio bug"))
            continue
        changed[doc.path.resolve()] = new_raw
        result.applied += len(chosen)
    if not problems and changed and validate:
        edition = [d.path for d in chapters] + [register_doc.path]
        folder = register_doc.path.resolve().parent
        edition += [p for p in folder.glob("*.xml") if p.is_file()]
        problems = _check_still_valid(changed, edition)
    if problems:
        raise EditioError(problems, EXIT_INVALID)
    for path, text in sorted(changed.items()):
        _atomic_write(path, text)
        result.written.append(next(d.name for d in chapters if d.path.resolve() == path))
    return result
