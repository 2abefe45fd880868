"""The validator behind ``editio validate`` and ``editio.validate()``: RelaxNG, then Schematron, over all files of an edition at once.

With a :class:`ValidationCache`, a file whose bytes did not change is not
parsed again: its RelaxNG findings and Schematron facts come from the cache,
and its Schematron findings too unless another file changed something they
depend on (an id it points to, a duplicate of one of its ids, a reference to
one of its register entries). The report is the same as without the cache.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote

from .diagnostics import EXIT_USAGE, Diagnostic, EditioError, Report
from .edition import collect_xml_files
from .resources import schema_path
from .xmlload import parse_bytes, read_bytes

#: Pointer attributes whose files are read to resolve pointers (register.xml) when not given.
FILE_POINTERS = ("ref", "target", "corresp")

#: Bump when the cache's content changes meaning.
CACHE_VERSION = 4
_CACHE_FORMAT = "editio-validation-cache"


def _file_names(pointers) -> list[str]:
    """Other local .xml files that a file's pointers name (e.g. register.xml), as written."""
    names = set()
    for attr, value in pointers:
        if attr in FILE_POINTERS:
            for token in value.split():
                file_part = token.split("#", 1)[0]
                if file_part and ":" not in file_part and file_part.endswith(".xml"):
                    names.add(file_part)
    return sorted(names)


def _referenced_files(names: list[str], base: Path, resolved: dict) -> list[Path]:
    """The files ``names`` (relative to ``base``) are; ``resolved`` caches the work (resolving touches the disk)."""
    out = []
    for n in names:
        path = resolved.get((base, n))
        if path is None:
            path = resolved[(base, n)] = (base / unquote(n)).resolve()
        out.append(path)
    return out


def _resolved(path: Path, folders: dict[Path, str]) -> str:
    """``str(path.resolve())``, resolving each folder once (a thousand files in one folder: one walk, not 1,000)."""
    import os

    if os.path.islink(path):
        return str(path.resolve())
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = str(path.parent.resolve())
    return os.path.join(folder, path.name)


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=20).hexdigest()


class _Entry:
    """What the cache keeps of one file (keyed by its absolute path), valid while its bytes have ``digest``."""

    __slots__ = ("digest", "rng", "facts", "files", "findings", "line")

    def __init__(self, digest: str, rng, facts, files, findings=None):
        self.digest = digest
        #: RelaxNG findings (line, col, severity, message, rule, hint), or None if not checked (context file).
        self.rng: list | None = rng
        self.facts = facts  # schematron.FileFacts
        #: Other .xml files its pointers name (relative, as written).
        self.files: list[str] = files
        #: (Schematron findings, cross-file calls they were made with), or None.
        self.findings: tuple[list, list] | list | None = findings
        #: The entry's line in the cache file as read, while nothing in it changed.
        self.line: str | None = None

    def to_line(self, key: str) -> str:
        import json

        if self.line is None:
            findings = None if self.findings is None else [[list(d) for d in self.findings[0]],
                                                           [list(c) for c in self.findings[1]]]
            doc = {"digest": self.digest, "rng": None if self.rng is None else [list(d) for d in self.rng],
                   "facts": self.facts.to_json(), "files": self.files, "findings": findings}
            self.line = json.dumps([key, doc], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return self.line

    @classmethod
    def from_line(cls, line: str) -> tuple[str, "_Entry"]:
        import json

        from .schematron import FileFacts

        key, data = json.loads(line)
        if not (isinstance(key, str) and isinstance(data["digest"], str) and isinstance(data["files"], list)):
            raise ValueError("entry")
        entry = cls(data["digest"], data["rng"], FileFacts.from_json(data["facts"]), data["files"], data["findings"])
        entry.line = line
        return key, entry


def _fingerprint() -> str:
    """Everything a cached verdict depends on besides the file: editio, its schemas and validator code, libxml2."""
    import hashlib

    from lxml import etree

    from . import __version__

    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{CACHE_VERSION}\0{etree.LXML_VERSION}\0{etree.LIBXML_VERSION}\0".encode())
    package = Path(__file__).resolve().parent
    for path in [schema_path("editio.rng"), schema_path("editio.sch")] + [
            package / f"{m}.py" for m in ("validation", "schematron", "rngcheck", "rngmodel", "xmlload", "locate",
                                          "diagnostics", "edition")]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class ValidationCache:
    """Per-file validation results kept between runs, for :func:`validate`'s ``cache``.

    ``ValidationCache.load(path)`` never fails: a missing, unreadable,
    corrupt or foreign file, or one written by another version of editio or
    its schemas, gives an empty cache. ``save(path)`` writes atomically and
    deterministically (the same results give the same bytes); it keeps the
    files of the last validation only.
    """

    def __init__(self):
        self.fingerprint = _fingerprint()
        self._entries: dict[str, _Entry] = {}
        self._used: dict[str, _Entry] = {}

    @classmethod
    def load(cls, path: str | Path) -> "ValidationCache":
        import json

        cache = cls()
        try:
            lines = Path(path).read_bytes().decode("utf-8").split("\n")
            head = json.loads(lines[0])
            if (not isinstance(head, dict) or head.get("format") != _CACHE_FORMAT
                    or head.get("version") != CACHE_VERSION or head.get("fingerprint") != cache.fingerprint):
                return cache
            cache._entries = dict(_Entry.from_line(line) for line in lines[1:] if line)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            cache._entries = {}
        return cache

    def save(self, path: str | Path) -> None:
        import json
        import os
        import tempfile

        head = json.dumps({"format": _CACHE_FORMAT, "version": CACHE_VERSION, "fingerprint": self.fingerprint},
                          sort_keys=True, separators=(",", ":"))
        text = "\n".join([head] + [e.to_line(k) for k, e in sorted(self._used.items())]) + "\n"
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _same_edition(self, entries: dict[str, _Entry]) -> bool:
        """Are these the files of the cached run, each with the ids (and their lines) and pointers it had then?

        Then no cross-file result can have changed but those that look at the
        disk: a typical edit (text, a note, a date) changes no id or pointer.
        """
        if set(entries) != set(self._entries):
            return False
        for key, entry in entries.items():
            old = self._entries[key]
            if old is entry or old.digest == entry.digest:
                continue
            if ([tuple(i) for i in old.facts.ids] != [tuple(i) for i in entry.facts.ids]
                    or [tuple(p) for p in old.facts.pointers] != [tuple(p) for p in entry.facts.pointers]):
                return False
        return True

    def _get(self, key: str, digest: str) -> _Entry | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry.digest == digest else None

    def _keep(self, key: str, entry: _Entry) -> None:
        self._entries[key] = self._used[key] = entry


def _fresh_entry(sch, f: Path, data: bytes, digest: str, reported: bool):
    """(entry, tree) of a file read afresh: parsed, checked against RelaxNG (if ``reported``) and its
    Schematron facts read. Raises EditioError if it does not parse."""
    from .rngcheck import check_relaxng

    tree = parse_bytes(data, str(f))
    rng = None
    if reported:
        rng = [(d.line, d.col, d.severity, d.message, d.rule, d.hint) for d in check_relaxng(tree, str(f))]
    file_facts = sch.facts(tree, str(f))
    return _Entry(digest, rng, file_facts, _file_names(file_facts.pointers)), tree


#: From this many files to parse, :func:`validate` spreads them over worker processes.
PARALLEL_FROM = 24

def default_jobs() -> int:
    """How many processes validation uses by default: one per core this process may run on."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _shares(count: int, jobs: int | None) -> int:
    """Among how many processes to share work on ``count`` files (1: do it here): never fewer than
    PARALLEL_FROM / 2 files each, and only where this process may fork."""
    if count < PARALLEL_FROM or (jobs is not None and jobs < 2):
        return 1
    from . import background  # (not for a small edition: every import is start-up time)

    shares = min(default_jobs() if jobs is None else jobs, count // (PARALLEL_FROM // 2))
    return shares if shares > 1 and background.can_fork() else 1


def _check_share(sch, items: list, first: int, step: int) -> list:
    """Check every ``step``-th of ``items`` from ``first``: the entry (or EditioError) of each, without trees."""
    out = []
    for f, (data, digest) in items[first::step]:
        try:
            out.append(_fresh_entry(sch, f, data, digest, True)[0])
        except EditioError as exc:
            out.append(exc)
    return out


def _check_files(sch, todo: dict[Path, tuple[bytes, str]], jobs: int | None, trees: bool = False) -> dict:
    """Parse and check the files of ``todo`` (path -> (bytes, digest)); path -> (entry or EditioError, tree).

    The tree is kept only for entries with volatile facts, or for all with
    ``trees`` (a thousand parsed chapters would not fit in memory at once).
    With more than one job and enough files, the work is shared with forked
    processes (:mod:`editio.background`; the parent takes a share too, and
    takes over the share of a process that fails). Their entries travel
    back pickled, without trees (tree is then None). The entries are the same
    either way, and so is the report.
    """
    items = list(todo.items())
    jobs = _shares(len(items), jobs)
    if jobs > 1:
        from . import background
        from .rngcheck import _compiled_schema

        _compiled_schema()  # compiled once, before the fork, for every worker
        made: dict = dict.fromkeys(todo)  # in the order of todo
        for first, share in enumerate(background.in_shares(_check_share, sch, items, shares=jobs)):
            for (f, _), result in zip(items[first::jobs], share):
                made[f] = (result, None)
        return made
    made = {}
    for f, (data, digest) in items:
        try:
            entry, tree = _fresh_entry(sch, f, data, digest, True)
            made[f] = (entry, tree if trees or entry.facts.volatile else None)
        except EditioError as exc:
            made[f] = (exc, None)
    return made


def _findings_share(sch, facts, names: dict, trees, previous, record, same: bool, first: int, step: int):
    """The Schematron findings of every ``step``-th reported file from ``first`` and, if recording, what to
    record for them: None where the previous findings still hold (the parent has those already)."""
    share = dict(list(names.items())[first::step])
    mine = {} if record is not None else None
    found = sch.findings(facts, share, trees, previous, mine, same_edition=same)
    if mine is not None:
        mine = {k: (None if previous.get(k) is v else v) for k, v in mine.items()}
    return found, mine


def _findings(sch, facts, names: dict, trees, previous, record, same: bool, jobs: int | None) -> list:
    """``sch.findings`` for the reported files, shared among forked processes as :func:`_check_files` does.
    Fills ``record`` exactly as one call would (reused findings stay the very objects of ``previous``)."""
    jobs = _shares(len(names), jobs)
    if jobs < 2:
        return sch.findings(facts, names, trees, previous, record, same_edition=same)
    from . import background

    found = []
    for share, mine in background.in_shares(_findings_share, sch, facts, names, trees, previous, record, same,
                                            shares=jobs):
        found.extend(share)
        if record is not None:
            record.update({k: previous[k] if v is None else v for k, v in mine.items()})
    return found


def validate(paths: list[str | Path] | None = None, *, coverage: bool = False,
             root: str | Path | None = None, cache: ValidationCache | None = None,
             jobs: int | None = None) -> Report:
    """Validate TEI files (default: the edition in ``root`` or the current folder).

    Every file is checked against editio.rng, then all of them together
    against editio.sch, so cross-file pointers and duplicate ids are found.
    Files the given ones point into (register.xml) are read for resolving
    pointers even when not given. Returns a sorted :class:`Report`. With a
    ``cache``, unchanged files are not parsed again; the report is the same.
    ``jobs`` processes share the parsing and per-file checks of a large
    edition (default: one per core; see :func:`default_jobs`).
    """
    from .schematron import engine

    start = time.perf_counter()
    if paths is None:
        from .edition import Edition

        files = Edition.load(root).files
    else:
        files = collect_xml_files(paths)
    report = Report(files=[str(f) for f in files])
    sch = engine(str(schema_path("editio.sch")))
    facts: dict[str, object] = {}
    names: dict[str, str] = {}
    trees: dict[str, object] = {}  # kept only where needed: volatile facts, coverage
    entries: dict[str, _Entry] = {}

    def fresh(f: Path, key: str, data: bytes, digest: str, reported: bool) -> _Entry:
        entry, tree = _fresh_entry(sch, f, data, digest, reported)
        if entry.facts.volatile or (coverage and reported):
            trees[key] = tree
        return entry

    def fail(exc: EditioError, reported: bool) -> None:
        if reported:
            report.diagnostics.extend(exc.diagnostics)
            report.io_failure |= exc.exit_code == EXIT_USAGE

    def cached(f: Path, key: str, reported: bool) -> tuple[bytes | None, str, _Entry | None]:
        """The file's bytes, digest and its entry in the cache if still good; (None, "", None) if unreadable."""
        try:
            data = read_bytes(f)
        except EditioError as exc:
            fail(exc, reported)
            return None, "", None
        digest = _digest(data) if cache is not None else ""
        entry = cache._get(key, digest) if cache is not None else None
        if entry is not None and (entry.rng is not None or not reported) and not entry.facts.volatile \
                and not (coverage and reported):
            return data, digest, entry
        return data, digest, None

    def read(f: Path, key: str, reported: bool) -> _Entry | None:
        """The file's entry, from the cache or by parsing it; None if it cannot be read or parsed."""
        data, digest, entry = cached(f, key, reported)
        if data is None or entry is not None:
            return entry
        try:
            return fresh(f, key, data, digest, reported)
        except EditioError as exc:
            fail(exc, reported)
            return None

    folders: dict[Path, str] = {}
    given: list[tuple[Path, str, _Entry | None]] = []
    todo: dict[Path, tuple[bytes, str]] = {}  # files to parse and check: (bytes, digest)
    for f in files:
        key = _resolved(f, folders)
        data, digest, entry = cached(f, key, True)
        if data is None:
            continue
        given.append((f, key, entry))
        if entry is None:
            todo[f] = (data, digest)
    made = _check_files(sch, todo, 1 if coverage else jobs, trees=coverage)
    for f, key, entry in given:
        if entry is None:
            entry, tree = made[f]
            if isinstance(entry, EditioError):
                fail(entry, True)
                continue
            if entry.facts.volatile or coverage:
                # later checks need the tree; a worker process could not send it (rare: see FileFacts.volatile)
                trees[key] = tree if tree is not None else _fresh_entry(sch, f, *todo[f], True)[1]
        entries[key], facts[key], names[key] = entry, entry.facts, str(f)
        report.diagnostics.extend(Diagnostic(str(f), *d) for d in entry.rng)

    resolved: dict = {}
    for key in list(names):
        for extra in sorted(_referenced_files(entries[key].files, Path(key).parent, resolved)):
            extra_key = str(extra)
            if extra_key not in facts and extra.is_file():
                entry = read(extra, extra_key, False)
                if entry is not None:  # else it is reported when that file itself is validated
                    entries[extra_key], facts[extra_key] = entry, entry.facts

    if names:
        previous = {k: e.findings for k, e in entries.items() if k in names and e.findings is not None}
        record: dict[str, tuple[list, list]] | None = {} if cache is not None else None
        same = cache is not None and cache._same_edition(entries)
        report.diagnostics.extend(_findings(sch, facts, names, trees, previous, record, same, jobs))
        if coverage:
            from .coverage import check_coverage

            report.diagnostics.extend(check_coverage({names[k]: trees[k] for k in names}))
        if cache is not None:
            for key, entry in entries.items():
                if key in names and record.get(key) is not entry.findings:
                    entry.findings, entry.line = record.get(key), None
                cache._keep(key, entry)
    report.sort()
    report.seconds = time.perf_counter() - start
    return report
