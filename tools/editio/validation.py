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
CACHE_VERSION = 1
_CACHE_FORMAT = "editio-validation-cache"


def _referenced_files(pointers, base: Path) -> set[Path]:
    """Other local files that a file's pointers point into (e.g. register.xml)."""
    names = set()
    for attr, value in pointers:
        if attr not in FILE_POINTERS:
            continue
        for token in value.split():
            file_part = token.split("#", 1)[0]
            if file_part and ":" not in file_part and file_part.endswith(".xml"):
                names.add(file_part)
    return {(base / unquote(n)).resolve() for n in names}


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=20).hexdigest()


class _Entry:
    """What the cache keeps of one file (keyed by its absolute path), valid while its bytes have ``digest``."""

    __slots__ = ("digest", "rng", "facts", "findings")

    def __init__(self, digest: str, rng, facts, findings=None):
        self.digest = digest
        #: RelaxNG findings (line, col, severity, message, rule, hint), or None if not checked (context file).
        self.rng: list[tuple] | None = rng
        self.facts = facts  # schematron.FileFacts
        #: (Schematron findings, cross-file calls they were made with), or None.
        self.findings: tuple[list, list] | None = findings

    def to_json(self) -> dict:
        return {"digest": self.digest, "rng": None if self.rng is None else [list(d) for d in self.rng],
                "facts": self.facts.to_json(),
                "findings": None if self.findings is None else [[list(d) for d in self.findings[0]],
                                                                [list(c) for c in self.findings[1]]]}

    @classmethod
    def from_json(cls, data: dict) -> "_Entry":
        from .schematron import FileFacts

        rng = None if data["rng"] is None else [tuple(d) for d in data["rng"]]
        findings = None if data["findings"] is None else ([tuple(d) for d in data["findings"][0]],
                                                           [tuple(c) for c in data["findings"][1]])
        if not isinstance(data["digest"], str):
            raise ValueError("digest")
        return cls(data["digest"], rng, FileFacts.from_json(data["facts"]), findings)


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
            data = json.loads(Path(path).read_bytes())
            if (not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT
                    or data.get("version") != CACHE_VERSION or data.get("fingerprint") != cache.fingerprint):
                return cache
            cache._entries = {k: _Entry.from_json(v) for k, v in data["files"].items()}
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            cache._entries = {}
        return cache

    def save(self, path: str | Path) -> None:
        import json
        import os
        import tempfile

        doc = {"format": _CACHE_FORMAT, "version": CACHE_VERSION, "fingerprint": self.fingerprint,
               "files": {k: e.to_json() for k, e in sorted(self._used.items())}}
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
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

    def _get(self, key: str, digest: str) -> _Entry | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry.digest == digest else None

    def _keep(self, key: str, entry: _Entry) -> None:
        self._entries[key] = self._used[key] = entry


def validate(paths: list[str | Path] | None = None, *, coverage: bool = False,
             root: str | Path | None = None, cache: ValidationCache | None = None) -> Report:
    """Validate TEI files (default: the edition in ``root`` or the current folder).

    Every file is checked against editio.rng, then all of them together
    against editio.sch, so cross-file pointers and duplicate ids are found.
    Files the given ones point into (register.xml) are read for resolving
    pointers even when not given. Returns a sorted :class:`Report`. With a
    ``cache``, unchanged files are not parsed again; the report is the same.
    """
    from .rngcheck import check_relaxng
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

    def read(f: Path, key: str, reported: bool) -> _Entry | None:
        """The file's entry, from the cache or by parsing it; None if it cannot be read or parsed."""
        try:
            data = read_bytes(f)
        except EditioError as exc:
            if reported:
                report.diagnostics.extend(exc.diagnostics)
                report.io_failure |= exc.exit_code == EXIT_USAGE
            return None
        digest = _digest(data) if cache is not None else ""
        entry = cache._get(key, digest) if cache is not None else None
        if entry is not None and (entry.rng is not None or not reported) and not entry.facts.volatile \
                and not (coverage and reported):
            return entry
        try:
            tree = parse_bytes(data, str(f))
        except EditioError as exc:
            if reported:
                report.diagnostics.extend(exc.diagnostics)
                report.io_failure |= exc.exit_code == EXIT_USAGE
            return None
        rng = None
        if reported:
            rng = [(d.line, d.col, d.severity, d.message, d.rule, d.hint) for d in check_relaxng(tree, str(f))]
        file_facts = sch.facts(tree, str(f))
        if file_facts.volatile or (coverage and reported):
            trees[key] = tree
        return _Entry(digest, rng, file_facts)

    for f in files:
        key = str(f.resolve())
        entry = read(f, key, True)
        if entry is None:
            continue
        entries[key], facts[key], names[key] = entry, entry.facts, str(f)
        report.diagnostics.extend(Diagnostic(str(f), *d) for d in entry.rng)

    for key in list(names):
        for extra in sorted(_referenced_files(facts[key].pointers, Path(key).parent)):
            extra_key = str(extra)
            if extra_key not in facts and extra.is_file():
                entry = read(extra, extra_key, False)
                if entry is not None:  # else it is reported when that file itself is validated
                    entries[extra_key], facts[extra_key] = entry, entry.facts

    if names:
        previous = {k: e.findings for k, e in entries.items() if k in names and e.findings is not None}
        record: dict[str, tuple[list, list]] | None = {} if cache is not None else None
        report.diagnostics.extend(sch.findings(facts, names, trees, previous, record))
        if coverage:
            from .coverage import check_coverage

            report.diagnostics.extend(check_coverage({names[k]: trees[k] for k in names}))
        if cache is not None:
            for key, entry in entries.items():
                entry.findings = record.get(key) if key in names else entry.findings
                cache._keep(key, entry)
    report.sort()
    report.seconds = time.perf_counter() - start
    return report
