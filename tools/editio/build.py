"""Build orchestration: validate, transform what changed, and publish a complete new output atomically.

Incremental builds
------------------
The output holds its own build state in ``.editio/``: ``manifest.json`` (the
content hash of every input, of editio itself -- version, stylesheets,
schema, Python code -- and of every output file), ``extracts/`` (what the
edition-wide pages need from each chapter) and ``parts/`` (each chapter's
summary and its blocks of the edition-wide pages, see html.chapter_parts).
Because the state lives inside the output, it is swapped in together with it
(:mod:`editio.outputdir`) and always describes exactly the files beside it.

Each chapter's work is split in units with a key: its title (from its title
statement and first heading alone), its extract and text (the chapter's hash
and path) and its page with its parts (also the register's hash and the part of the
site context the page shows: its place and its neighbours' titles). A unit
whose key is unchanged is not made again: its files are hard-linked from the
previous output after their hashes are checked (through a stat cache, so
unchanged files are not read). A corrupt or foreign manifest, or a file that
no longer matches its hash, means that unit is rebuilt -- never reused
wrongly. The edition-wide pages are spliced together from every chapter's
parts, and taken as they were when no parts changed. When nothing changed at
all the output is left untouched. Validation reuses the previous verdict when
no input changed, and otherwise re-checks only the changed files through the
validator's per-file cache kept beside the output. It runs in a forked
process beside the transforms (:mod:`editio.background`), which do not need
its verdict; nothing is published before it passed.

Shards
------
``build(shard=(K, N))`` renders the K-th of N disjoint parts of the chapters
(every N-th chapter from the K-th: pages, extracts and texts; the PDF in part 1)
into a part folder; validation still sees the whole edition. :func:`merge`
assembles the parts with the edition-wide pages, assets and TEI copies into
exactly the bytes a full build makes (both go through :func:`_assemble`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import OUTPUTS, READINGS, Config
from .diagnostics import EXIT_INVALID, EXIT_USAGE, ERROR, Diagnostic, EditioError, Report, usage_error
from .edition import Edition, body_note_count, is_register, title_xml
from .outputdir import STATS, Stage, hash_bytes, hash_file, locked, stat_cache_path
from .progress import Progress
from .resources import data_dir
from .xmlload import parse_bytes

MANIFEST_FORMAT = "editio-build/1"
STATE_DIR = ".editio"
MANIFEST = f"{STATE_DIR}/manifest.json"
EXTRACTS = f"{STATE_DIR}/extracts"
PARTS = f"{STATE_DIR}/parts"
#: The edition-wide pages as the edition run made them, before the chapters' parts were spliced in.
EDITION_RUN = f"{STATE_DIR}/edition-run.json"
#: Test hook: seconds to sleep at every stage and after every chapter, so a
#: test can kill a build at a chosen moment.
DELAY_ENV = "EDITIO_BUILD_DELAY"


# -- results ----------------------------------------------------------------

@dataclass
class BuildResult:
    """What a build did."""

    out_dir: Path
    #: Chapters transformed in this run / taken unchanged from the previous output.
    rebuilt: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    #: Edition-wide parts ("validation", "edition pages", "pdf") made again or reused.
    rebuilt_parts: list[str] = field(default_factory=list)
    reused_parts: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: False when nothing had changed and the output was left untouched.
    changed: bool = True
    shard: tuple[int, int] | None = None
    #: Wall-clock time of the whole build.
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the terminal: where, what was built or reused, warnings, time."""
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        if not self.changed:
            return f"{self.out_dir}: up to date ({n(len(self.reused), 'chapter')} unchanged) in {self.seconds:.2f} s"
        what = f"part {self.shard[0]}/{self.shard[1]}" if self.shard else "site"
        return (f"{what} written to {self.out_dir}: {n(len(self.rebuilt), 'chapter')} built, {len(self.reused)} reused, "
                f"{n(len(self.warnings), 'warning')} in {self.seconds:.2f} s")


class InvalidEdition(EditioError):
    """The edition has errors: nothing is published. Carries the validation report."""

    def __init__(self, report: Report):
        super().__init__(report.errors, EXIT_INVALID)
        self.report = report


def _pause() -> None:
    delay = os.environ.get(DELAY_ENV)
    if delay:
        time.sleep(float(delay))


# -- fingerprints -------------------------------------------------------------------------------

def _tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    h = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and (suffixes is None or p.suffix in suffixes) and "__pycache__" not in p.parts:
            h.append(p.relative_to(folder).as_posix())
            h.append(hash_file(p))
    return hash_bytes(*h)


def _library_versions() -> str:
    """The installed versions of saxonche, typst and lxml, from the names of their ``NAME-VERSION.dist-info``
    folders on sys.path (importlib.metadata reads every installed package's metadata: 50 ms of each build)."""
    wanted = ("saxonche", "typst", "lxml")
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            stem, _, kind = n.rpartition(".")
            name, _, version = stem.partition("-")
            if kind == "dist-info" and name.lower() in wanted and name.lower() not in found:
                found[name.lower()] = version
        if len(found) == len(wanted):
            break
    missing = [name for name in wanted if name not in found]
    if missing:  # installed some other way: ask the slow way
        from importlib.metadata import PackageNotFoundError, version

        for name in missing:
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                found[name] = "none"
    return " ".join(f"{name}={found[name]}" for name in wanted)


_TOOL_FP: str | None = None


def tool_fingerprint() -> str:
    """A hash of editio itself: version, stylesheets and assets, schema, Python code, and the
    versions of the libraries that transform (saxonche, typst, lxml)."""
    global _TOOL_FP
    if _TOOL_FP is None:
        pkg = Path(__file__).resolve().parent
        _TOOL_FP = hash_bytes(__version__, _library_versions(), _tree_digest(data_dir("xslt")),
                              _tree_digest(data_dir("schema")), _tree_digest(pkg, (".py",)))
    return _TOOL_FP


# -- settings and sources ------------------------------------------------------------------

@dataclass
class Settings:
    """The effective settings of a build: edition.toml with the command-line overrides applied."""

    config: Config
    out_dir: Path

    @property
    def reading(self) -> str:
        return self.config.reading

    @property
    def outputs(self) -> list[str]:
        return self.config.outputs

    def fingerprint(self) -> str:
        data = {k: v for k, v in dataclasses.asdict(self.config).items() if k not in ("root", "output", "inputs")}
        return hash_bytes(json.dumps(data, sort_keys=True, default=str), os.environ.get("SOURCE_DATE_EPOCH", ""))


@dataclass
class Source:
    """One TEI input file: hashed (through the stat cache), read only when its bytes are needed."""

    name: str  # file stem: chapter pages, texts and TEI copies are named after it
    path: Path
    digest: str
    kind: str = "chapter"  # or "register"
    _data: bytes | None = None
    #: What its title is made from (see edition.title_xml), kept when the file was parsed to learn its kind.
    title_xml: str | None = None
    #: A chapter's notes (edition.body_note_count), counted then or taken from the manifest.
    notes: int = 0

    @property
    def data(self) -> bytes:
        if self._data is None:
            try:
                data = self.path.read_bytes()
            except OSError as exc:
                raise usage_error(self.path, f"cannot read file: {exc.strerror or exc}", "io.unreadable") from None
            if hash_bytes(data) != self.digest:
                raise usage_error(self.path, "the file changed while the edition was being built", "build.changed",
                                  "run the build again")
            self._data = data
        return self._data


def _settings(edition: Edition, out: str | Path | None, reading: str | None,
              outputs: list[str] | None) -> tuple[Edition, Settings]:
    config = edition.config
    reading = reading or config.reading
    if reading not in READINGS:
        raise usage_error("--reading", f"unknown reading {reading!r}", "usage.reading", f"use one of {', '.join(READINGS)}")
    outs = list(outputs if outputs is not None else config.outputs)
    bad = set(outs) - set(OUTPUTS)
    if bad:
        raise usage_error("outputs", f"unknown output(s) {', '.join(sorted(bad))}", "usage.outputs",
                          f"choose from {', '.join(OUTPUTS)}")
    config = dataclasses.replace(config, reading=reading, outputs=[o for o in OUTPUTS if o in outs])
    out_dir = Path(out).resolve() if out else config.output_dir
    return dataclasses.replace(edition, config=config), Settings(config=config, out_dir=out_dir)


def natural_key(name: str) -> list:
    """Reading order of chapter files: ``ch2`` before ``ch10``."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", name)]


def _notes_of(manifest: dict) -> dict:
    notes = manifest.get("notes") if isinstance(manifest, dict) else None
    return notes if isinstance(notes, dict) else {}


def _read_sources(edition: Edition, known_kinds: dict, known_digests: dict, known_notes: dict) -> list[Source]:
    """Every input, read and hashed once, in reading order; the kind (and a chapter's number of notes) of
    unchanged files comes from the manifest."""
    sources, seen = [], {}
    for path in edition.files:
        try:
            src = Source(path.stem, path, STATS.digest(path))
        except OSError as exc:
            raise usage_error(path, f"cannot read file: {exc.strerror or exc}", "io.unreadable") from None
        if src.name in seen:
            raise usage_error(path, f"two input files are both named {path.name!r} ({seen[src.name]} and {path})",
                              "build.duplicate-name", "output files are named after the input file; rename one")
        seen[src.name] = path
        kind = known_kinds.get(src.name)
        if known_digests.get(src.name) == src.digest and (
                kind == "register" or (kind == "chapter" and type(known_notes.get(src.name)) is int)):
            src.kind = kind
            src.notes = known_notes.get(src.name, 0)
        else:
            tree = parse_bytes(src.data, str(path))
            src.kind = "register" if is_register(tree) else "chapter"
            if src.kind == "chapter":  # a changed chapter's title is needed next: keep what it is made from
                src.title_xml = title_xml(tree.getroot())
                src.notes = body_note_count(tree)
        sources.append(src)
    registers = [s for s in sources if s.kind == "register"]
    if len(registers) > 1:
        raise usage_error(registers[1].path, "the edition has more than one register file", "build.registers",
                          f"keep persons, places, organisations and events in one file ({registers[0].path.name})")
    if not any(s.kind == "chapter" for s in sources):
        raise usage_error(edition.config.root, "the edition has no chapter files (only a register)", "io.no-input",
                          "add the chapters' TEI files to tei/")
    sources.sort(key=lambda s: (s.kind != "chapter", natural_key(s.name), s.name))
    return sources


def _unchanged_since_read(sources: list[Source]) -> None:
    """Refuse to publish if an input was edited while the build ran (its outputs may be of either version)."""
    for s in sources:
        try:
            same = STATS.digest(s.path) == s.digest
        except OSError:
            same = False
        if not same:
            raise usage_error(s.path, "the file changed while the edition was being built", "build.changed",
                              "run the build again (the previous output is unchanged)")


def _check_output(settings: Settings, sources: list[Source]) -> None:
    out, root = settings.out_dir, settings.config.root.resolve()
    if out == root or out in root.parents:
        raise usage_error(out, "the output folder would contain the whole edition", "build.output",
                          "set 'output' in edition.toml to a subfolder such as site")
    folders = {s.path.parent for s in sources}
    for folder in folders:
        real = folder.resolve()
        if real == out or out in real.parents:
            raise usage_error(out, f"the output folder contains inputs ({folder})", "build.output",
                              "choose an output folder that holds no TEI sources, or narrow 'inputs' in "
                              "edition.toml (e.g. tei/*.xml) so that it does not match the output's copies")
    if out.exists() and not out.is_dir():
        raise usage_error(out, "the output exists and is not a folder", "build.output", "remove it or choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / STATE_DIR).is_dir():
        raise usage_error(out, "the output folder exists and was not made by editio build; it would be replaced",
                          "build.foreign-output", "delete the folder or choose another --out")


# -- the previous output -------------------------------------------------------------------

def _load_manifest(out_dir: Path) -> dict:
    """The manifest of the previous output, or {} if it is missing, corrupt or foreign."""
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or data.get("tool") != tool_fingerprint():
        return {}
    checksum = data.get("checksum")
    # As _dump wrote it, the file is the checksummed text with the checksum member put in: taking it out again
    # is much cheaper than serializing a thousand chapters' entries anew (which any other layout still gets).
    written = f'"checksum":{json.dumps(checksum)},'
    if not (isinstance(checksum, str) and text.count(written) == 1
            and hash_bytes(text.replace(written, "", 1).rstrip("\n")) == checksum) \
            and checksum != manifest_checksum(data):
        return {}
    for key in ("inputs", "kinds", "chapters"):
        if not isinstance(data.get(key), dict):
            return {}
    return data


def _verified(out_dir: Path, files: object) -> dict[str, tuple[str, str]] | None:
    """``{rel: (hash, path)}`` if every listed file exists in ``out_dir`` with its recorded hash."""
    if not isinstance(files, dict):
        return None
    found = {}
    root = str(out_dir)
    for rel, digest in files.items():
        if not isinstance(rel, str) or rel.startswith("/") or ".." in rel.split("/"):
            return None
        p = os.path.join(root, rel)
        try:
            if hash_file(p) != digest:
                return None
        except OSError:
            return None
        found[rel] = (digest, p)
    return found


# -- rendering (runs in worker processes with -j N) ----------------------------------------

@dataclass
class Job:
    """Work on one chapter: ``what`` is any of "extract", "text", "page"."""

    name: str
    path: Path
    what: tuple[str, ...]
    reading: str = "corrected"
    register: Path | None = None
    ctx: object = None
    #: The chapter's extract made by an earlier build, when the page is made again but the extract is not.
    extract_file: Path | None = None
    #: Whether the extract carries copies of the notes (see html.needs_note_copies).
    note_copies: bool = True


@dataclass
class Rendered:
    """What a job made: files by relative path (the extract under .editio/), and warnings."""

    name: str
    files: dict[str, dict[str, bytes]]  # unit ("extract", "text", "page") -> {rel: bytes}
    warnings: list[Diagnostic] = field(default_factory=list)


def extract_path(name: str) -> str:
    return f"{EXTRACTS}/{name}.xml"


def parts_paths(name: str) -> tuple[str, str]:
    """Where a chapter's summary and parts of the edition-wide pages are kept (see html.chapter_parts)."""
    return f"{PARTS}/{name}.summary.xml", f"{PARTS}/{name}.parts.html"


def render(job: Job) -> Rendered:
    """Run one job. Stylesheets are compiled once per process and reused for every job."""
    out: dict[str, dict[str, bytes]] = {}
    warnings: list[Diagnostic] = []
    if "extract" in job.what:
        from . import html

        # without the teiHeader: the edition-wide pages take the first chapter's from the chapter itself
        out["extract"] = {extract_path(job.name): html.chapter_extract(job.path, warnings, header=False,
                                                                       note_copies=job.note_copies)}
    if "text" in job.what:
        from .textexport import text_of_file

        out["text"] = {f"text/{job.name}.txt": (text_of_file(job.path, job.reading) or "").encode("utf-8")}
    if "page" in job.what:
        from . import html

        out["page"] = html.chapter_page(job.path, job.register, job.ctx, warnings)
        # the chapter's blocks of the edition-wide pages depend on what its page does (register, site context)
        extract = out["extract"][extract_path(job.name)] if "extract" in out else job.extract_file.read_bytes()
        summary, parts = html.chapter_parts(extract, job.register, job.ctx, warnings)
        summary_rel, parts_rel = parts_paths(job.name)
        out["page"].update({summary_rel: summary, parts_rel: parts})
    _pause()
    return Rendered(job.name, out, warnings)


def render_batch(jobs: list[Job]) -> list[Rendered]:
    return [render(j) for j in jobs]


def render_pdf(edition: Edition) -> tuple[bytes, list[Diagnostic]]:
    """The PDF of the whole edition and its warnings (a job of its own, so it runs beside the chapters)."""
    from . import pdf

    result = pdf.build_pdf(edition, reading=edition.config.reading)
    return result.pdf, list(result.warnings)


def _html_module():
    try:
        from . import html
    except ImportError as exc:
        raise usage_error("outputs", f"this editio cannot make the web edition ({exc})", "build.no-html",
                          'leave "html" out of outputs in edition.toml, or update editio') from None
    return html


def chapter_titles(chapters: list[tuple[Path, str | None]]) -> list[str]:
    """The titles of chapters given as (path, what the title is made from (:func:`editio.edition.title_xml`) or
    None), in one Saxon run."""
    from .xmlload import load_xml

    # Saxon only sees what the safe loader read, and of that only what f:chapter-title looks at
    # (the titleStmt and the body's first head): parsing the whole chapters again would cost far more.
    parts = [xml if xml is not None else title_xml(load_xml(path).getroot()) for path, xml in chapters]
    return [(title or path.stem) for (path, _), title in zip(chapters, _html_module().titles_of(parts))]


def _site_context(edition: Edition, chapters: list[Source], register: Source | None, titles: dict[str, str]):
    """The html SiteContext: settings plus every chapter's title, in reading order."""
    html = _html_module()
    infos = [html.ChapterInfo(stem=s.name, title=titles[s.name], page=html.page_name(s.name)) for s in chapters]
    header = parse_bytes(chapters[0].data, str(chapters[0].path))
    return html.SiteContext.from_edition(edition, infos, register.name if register else "", header)


def _ctx_fingerprint(ctx) -> str:
    if ctx is None:
        return ""
    return hash_bytes(repr(ctx))  # a dataclass: every field, strings quoted (asdict + json cost 0.3 ms a chapter)


#: Fewer jobs than this run in the main process: starting workers (each compiles the
#: stylesheets) costs more than a few transformations.
MIN_PARALLEL = 8
#: The same when the number of workers was not asked for (one per core): measured on two cores, workers
#: break even at about 40 chapters (16: 2.03-2.11 s against 1.93-1.99 s in one process; 40: 3.2-3.4 s against
#: 3.4-3.6 s; 1,000: 50 s against 80 s).
AUTO_MIN_PARALLEL = 48


def _worker_init() -> None:
    """Ctrl-C is the main process's to handle (it stops the pool and keeps the previous output)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Runner:
    """Runs jobs in this process (-j 1) or in a pool of spawned processes (-j N)."""

    def __init__(self, jobs: int, least: int = MIN_PARALLEL):
        self.jobs, self.least = jobs, least
        self.pool = None
        self.beside = None  # the PDF in a forked process (see submit_pdf)

    def _pool(self):
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor  # not at import: 40 ms of every build's start

            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_worker_init)
        return self.pool

    def submit_pdf(self, edition: Edition, parallel: bool):
        """Start the PDF beside the chapters (``parallel``): in a forked process where this process may fork
        (see :mod:`editio.background`), else in the pool (-j N). Returns the function that gives its
        (bytes, warnings), waiting for it, or making it here if it was not started."""
        if parallel:
            from . import background

            self.beside = background.start(render_pdf, edition)  # a fork costs far less than a worker's start
            if self.beside is not None:
                return self.beside.value
            if self.jobs > 1:
                return self._pool().submit(render_pdf, edition).result
        return lambda: render_pdf(edition)

    def map(self, jobs: list[Job]):
        """Yield each job's Rendered as it completes.

        Jobs go to the workers in batches: fewer round trips, and the site
        context the page jobs share is pickled once per batch, not per job.
        """
        if self.jobs > 1 and (len(jobs) >= self.least or self.pool is not None):
            size = max(1, min(20, len(jobs) // (self.jobs * 4)))
            futures = [self._pool().submit(render_batch, jobs[i:i + size]) for i in range(0, len(jobs), size)]
            from concurrent.futures import as_completed

            for f in as_completed(futures):
                yield from f.result()
        else:
            for j in jobs:
                yield render(j)

    def close(self, cancel: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if self.beside is not None:
            self.beside.cancel()  # nothing if its result was taken


# -- staging, locking, swapping ------------------------------------------------------------

# -- the build -----------------------------------------------------------------------------

def validation_cache_path(out_dir: Path) -> Path:
    """Per-file validation results, beside the output (like the stat cache): not part of what is published."""
    return out_dir.parent / f".{out_dir.name}.validation-cache"


class _Validation:
    """The edition's validation for one build: the previous verdict if no input (and no editio file) changed,
    else a validation that runs beside the transforms (in a forked process) or, where that is not possible,
    at once.

    Files unchanged since the last validation are not validated again (the
    report is the same as a full validation's); per-file results are kept in
    ``cache_path``, which ``use_cache=False`` ignores (and then rewrites).
    """

    def __init__(self, sources: list[Source], key: str, previous: dict, progress: Progress, result: BuildResult,
                 cache_path: Path, use_cache: bool = True, beside: bool = True, jobs: int | None = None):
        self.sources, self.key, self.result = sources, key, result
        self.cache_path, self.use_cache, self.jobs = cache_path, use_cache, jobs
        self.verdict: dict | None = None
        self.pending = None
        old = previous.get("validation")
        if isinstance(old, dict) and old.get("key") == key:
            warnings = _warnings_of(old)
            if warnings is not None:
                result.warnings.extend(warnings)
                result.reused_parts.append("validation")
                self.verdict = old
                return
        progress.stage("validating", 0)
        if beside:
            from . import background

            self.pending = background.start(_validated, sources, cache_path, use_cache, jobs)
        if self.pending is None:
            self._finish(_validated(sources, cache_path, use_cache, jobs))
            _release_memory()  # the parsed edition is garbage now; Saxon's heap does not reuse malloc's free lists

    def wait(self) -> dict:
        """The verdict (for the manifest); raises InvalidEdition or EditioError if the edition is not valid."""
        if self.verdict is None:
            pending, self.pending = self.pending, None
            t = time.perf_counter()
            report = pending.value()  # validated here if that process died or raised, where errors show properly
            self.result.timings["validate_beside"] = report.seconds
            self.result.timings["validate"] = self.result.timings.get("validate", 0.0) + time.perf_counter() - t
            self._finish(report)
        return self.verdict

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None

    def _finish(self, report) -> None:
        if report.io_failure:
            raise EditioError(report.errors, EXIT_USAGE)
        if not report.ok:
            raise InvalidEdition(report)
        self.result.rebuilt_parts.append("validation")
        self.result.warnings.extend(report.warnings)
        self.verdict = {"key": self.key, "warnings": _warning_dicts(report.warnings)}


def _validated(sources: list[Source], cache_path: Path, use_cache: bool, jobs: int | None = None):
    """The validation report of the edition's files, with the per-file cache read and written (``jobs``: see
    :func:`editio.validation.validate`)."""
    from .validation import ValidationCache, validate

    cache = ValidationCache.load(cache_path) if use_cache else ValidationCache()
    report = validate([s.path for s in sources], cache=cache, jobs=jobs)
    try:
        cache.save(cache_path)
    except OSError:
        pass  # a cache that cannot be written only costs time next time
    return report


def _release_memory() -> None:
    """Give freed memory back to the system (glibc keeps it otherwise), lowering the build's peak."""
    import gc

    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


def _warning_dicts(warnings: list[Diagnostic]) -> list[dict]:
    return [d.as_dict() for d in sorted(set(warnings))]


_DIAGNOSTIC_TYPES = {"path": str, "line": int, "col": int, "severity": str, "message": str, "rule": str, "hint": str}


def _warnings_of(unit: object) -> list[Diagnostic] | None:
    """The warnings recorded with a manifest unit; None if they are not well-formed."""
    if not isinstance(unit, dict) or not isinstance(unit.get("warnings", []), list):
        return None
    found = []
    for w in unit.get("warnings", []):
        if not (isinstance(w, dict) and set(w) == set(_DIAGNOSTIC_TYPES)
                and all(type(w[k]) is t for k, t in _DIAGNOSTIC_TYPES.items())):
            return None
        found.append(Diagnostic(**w))
    return found


def _page_files(chapters: dict, name: str) -> dict:
    """``{rel: hash}`` of a chapter's page unit in a manifest's chapters ({} if it has none)."""
    unit = _old_unit(chapters, name, "page")
    files = unit.get("files") if unit else None
    return files if isinstance(files, dict) else {}


def _old_unit(chapters: dict, name: str, unit: str) -> dict | None:
    entry = chapters.get(name)
    return entry.get(unit) if isinstance(entry, dict) and isinstance(entry.get(unit), dict) else None


def _reuse(old_dir: Path, unit: object, key: str) -> dict[str, tuple[str, str]] | None:
    """The files of a previous unit with the same key, if they are all there and unchanged."""
    if not isinstance(unit, dict) or unit.get("key") != key or _warnings_of(unit) is None:
        return None
    return _verified(old_dir, unit.get("files"))


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` -> (K, N) with 1 <= K <= N."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise usage_error("--shard", f"{text!r} is not K/N", "usage.shard",
                          "e.g. --shard 2/4 for the second of four parts") from None
    if not 1 <= k <= n:
        raise usage_error("--shard", f"shard {k}/{n} does not exist", "usage.shard", "K runs from 1 to N")
    return k, n


def build(root: str | Path | None = None, *, out: str | Path | None = None, reading: str | None = None,
          outputs: list[str] | None = None, jobs: int | None = None, shard: tuple[int, int] | None = None,
          force: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build the edition in ``root`` (edition.toml there) into its output folder.

    Refuses an invalid edition (:class:`InvalidEdition`, exit code 1) and leaves
    the previous output untouched on any failure. ``reading`` and ``outputs``
    override edition.toml; ``jobs`` > 1 transforms chapters in that many
    processes when there are at least MIN_PARALLEL to transform (default: one
    per core, from AUTO_MIN_PARALLEL chapters to transform; the PDF is made
    beside them all the same); ``shard=(K, N)`` builds only the K-th of N parts
    of the chapters (see :func:`merge`); ``force`` ignores the previous
    output's manifest and validation cache.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    edition, settings = _settings(Edition.load(root), out, reading, outputs)
    result = BuildResult(out_dir=settings.out_dir, shard=shard)
    with _holding_output(settings, progress, result, started):
        previous = {} if force else _load_manifest(settings.out_dir)
        least = MIN_PARALLEL
        if jobs is None:
            from .validation import default_jobs

            jobs, least = default_jobs(), AUTO_MIN_PARALLEL
        _Build(edition, settings, previous, shard, progress, result, force=force).run(jobs, least)
    return result


@contextmanager
def _holding_output(settings: Settings, progress: Progress, result: BuildResult, started: float):
    """Hold the output folder's lock and stat cache for one build or merge, then finish the result."""
    try:
        with locked(settings.out_dir):
            STATS.load(stat_cache_path(settings.out_dir))
            yield
            STATS.save()
    finally:
        progress.close()
    result.warnings = sorted(set(result.warnings))
    result.seconds = time.perf_counter() - started


class _Build:
    """One build: plan what to reuse, render the rest, stage and swap."""

    def __init__(self, edition: Edition, settings: Settings, previous: dict, shard, progress: Progress,
                 result: BuildResult, force: bool = False):
        self.edition, self.settings, self.previous, self.force = edition, settings, previous, force
        self.shard, self.progress, self.result = shard, progress, result
        self.old_dir = settings.out_dir
        outs = settings.outputs
        self.want_html, self.want_text = "html" in outs, "text" in outs
        self.want_pdf = "pdf" in outs and (shard is None or shard[0] == 1)

    def _timed(self, name: str, t: float) -> None:
        self.result.timings[name] = self.result.timings.get(name, 0.0) + time.perf_counter() - t

    def _unchanged(self, head: dict, mine: list[Source], reused: dict, pdf_key: str | None) -> bool:
        """True if the previous output is exactly what this build would write (checked, not assumed)."""
        prev = self.previous
        entries = {s.name: {unit: _old_unit(prev["chapters"], s.name, unit) for unit in reused.get(s.name, {})}
                   for s in mine}
        same = dict(head, chapters=entries, pdf=prev.get("pdf") if pdf_key else None)
        if self.shard is None:
            edition = prev.get("edition")
            if not isinstance(edition, dict) or _verified(self.old_dir, edition.get("files")) is None:
                return False
            same = dict(same, kind="site", shard=None, edition=edition)
        if same != {k: v for k, v in prev.items() if k != "checksum"}:
            return False
        for unit in [u for e in entries.values() for u in e.values()] + [same["pdf"], same.get("edition")]:
            warnings = _warnings_of(unit) if unit is not None else []
            if warnings is None:
                return False
            self.result.warnings.extend(warnings)
        return True

    def run(self, jobs: int, least: int = MIN_PARALLEL) -> None:
        t = time.perf_counter()
        prev = self.previous
        sources = _read_sources(self.edition, prev.get("kinds", {}), prev.get("inputs", {}), _notes_of(prev))
        _check_output(self.settings, sources)
        tool, sfp = tool_fingerprint(), self.settings.fingerprint()
        inputs = {s.name: s.digest for s in sources}
        listed = [f"{k}={v}" for k, v in sorted(inputs.items())]
        all_key = hash_bytes(tool, sfp, *listed)
        _pause()
        # Validation runs beside the transforms (they do not depend on it); nothing is published before it passed.
        # When the build may use transform workers (jobs > 1: they start once there are enough chapters to
        # transform) the cores are theirs, and validation keeps to its one process (its own workers would only
        # add their memory; measured on 1,000 chapters: 1,021 MB at the peak with them). A one-chapter edit in
        # 1,000 validates as fast either way (0.36-0.52 s against 0.43-0.44 s).
        validation = _Validation(sources, hash_bytes(tool, *listed), prev, self.progress, self.result,
                                 validation_cache_path(self.settings.out_dir), use_cache=not self.force,
                                 jobs=1 if jobs > 1 else None)
        self._timed("validate", t)

        register = next((s for s in sources if s.kind == "register"), None)
        chapters = [s for s in sources if s.kind == "chapter"]
        mine = chapters if self.shard is None else chapters[self.shard[0] - 1::self.shard[1]]
        mine_names = {s.name for s in mine}
        old_chapters = prev.get("chapters", {})
        old_titles = prev.get("titles") if isinstance(prev.get("titles"), dict) else {}
        pdf_key = hash_bytes(all_key, "pdf") if self.want_pdf else None
        pdf_reused = _reuse(self.old_dir, prev.get("pdf"), pdf_key) if pdf_key else None

        runner = _Runner(jobs, least)
        guidelines = None  # the guidelines page, made beside the chapters (see _start_guidelines)
        stage: Stage | None = None  # made when the first new file is ready; results go straight to disk
        try:
            t = time.perf_counter()
            need_pdf = pdf_key is not None and pdf_reused is None
            pdf_made = runner.submit_pdf(self.edition, parallel=need_pdf)
            if self.want_html and self.shard is None:
                guidelines = _start_guidelines(sources, self.edition.config.language or "en", prev)

            # Phase 1: every chapter's title (cheap), for the site context that chapter pages show.
            keys: dict[tuple[str, str], str] = {}
            titles: dict[str, dict] = {}
            ctx = None
            if self.want_html:
                first: list[Source] = []
                for s in chapters:
                    k = keys[s.name, "title"] = hash_bytes(tool, s.digest, "title")  # a title names no path
                    old = old_titles.get(s.name)
                    if isinstance(old, dict) and old.get("key") == k and isinstance(old.get("title"), str):
                        titles[s.name] = old
                    else:
                        first.append(s)
                self.progress.stage("reading chapter titles", len(first))
                for s, title in zip(first, chapter_titles([(s.path, s.title_xml) for s in first])):
                    titles[s.name] = {"key": keys[s.name, "title"], "title": title}
                    self.progress.step(s.name)
                ctx = _site_context(self.edition, chapters, register, {n: t["title"] for n, t in titles.items()})

            # Phase 2: this build's chapters: extract (edition-wide data), text and page, where changed.
            page_base = hash_bytes(tool, sfp, register.digest if register else "")
            # Whether extracts carry copies of the notes depends on the whole edition's number of notes (the
            # notes page shows them in full only in a small edition): part of the extract's and page's keys.
            note_copies = self.want_html and _html_module().needs_note_copies(sum(s.notes for s in chapters))
            copies = "note copies" if note_copies else ""
            reused: dict[str, dict[str, dict]] = {}
            fresh: dict[str, dict[str, dict[str, str]]] = {}  # name -> unit -> {rel: hash}, written
            warnings: dict[str, list[Diagnostic]] = {}
            second: list[Job] = []
            for s in mine:
                # the file's path is part of each key: extracts and warnings name it
                where, page_ctx = str(s.path), None
                wanted = {"text": hash_bytes(tool, sfp, s.digest, where, "text")} if self.want_text else {}
                if self.want_html:
                    wanted["extract"] = hash_bytes(tool, s.digest, where, "extract", copies)
                    # a page is keyed on the context it is made with: its own place and neighbours only
                    page_ctx = ctx.around(s.name)
                    wanted["page"] = hash_bytes(page_base, _ctx_fingerprint(page_ctx), s.digest, where, "page", copies)
                what = []
                for unit, k in wanted.items():
                    keys[s.name, unit] = k
                    files = _reuse(self.old_dir, _old_unit(old_chapters, s.name, unit), k)
                    if files is not None:
                        reused.setdefault(s.name, {})[unit] = files
                    else:
                        what.append(unit)
                if what:
                    old_extract = reused.get(s.name, {}).get("extract", {}).get(extract_path(s.name))
                    second.append(Job(s.name, s.path, tuple(sorted(what)), self.settings.reading,
                                      register.path if register else None, page_ctx if "page" in what else None,
                                      Path(old_extract[1]) if old_extract and "page" in what else None,
                                      note_copies))
            self.progress.stage("transforming chapters", len(second))
            for r in runner.map(second):
                stage = stage or Stage(self.settings.out_dir)
                fresh[r.name] = {unit: {rel: stage.write(rel, data) for rel, data in sorted(files.items())}
                                 for unit, files in r.files.items()}
                warnings[r.name] = r.warnings
                self.progress.step(r.name)
            self._timed("transform", t)

            kind = "part" if self.shard else "site"
            head = {
                "format": MANIFEST_FORMAT, "tool": tool, "kind": kind,
                "shard": list(self.shard) if self.shard else None, "all_key": all_key,
                "settings": {"fingerprint": sfp, "reading": self.settings.reading, "outputs": self.settings.outputs},
                "inputs": inputs, "kinds": {s.name: s.kind for s in sources},
                "notes": {s.name: s.notes for s in sources if s.kind == "chapter"}, "validation": validation.wait(),
                "titles": {n: titles[n] for n in sorted(titles)},
            }
            if not fresh and not need_pdf and self._unchanged(head, mine, reused, pdf_key):
                self.result.reused = sorted(mine_names)
                self.result.changed = False
                return

            pdf_unit = None
            if pdf_key is not None and pdf_reused is not None:
                pdf_unit = dict(prev["pdf"])
                self.result.reused_parts.append("pdf")
            elif pdf_key is not None:
                t = time.perf_counter()
                self.progress.stage("making the PDF", 0)
                pdf_bytes, pdf_warnings = pdf_made()
                self._timed("pdf", t)
                self.result.rebuilt_parts.append("pdf")

            stage = stage or Stage(self.settings.out_dir)
            t = time.perf_counter()
            entries: dict[str, dict] = {}
            for s in mine:
                entry = entries[s.name] = {}
                for unit, files in sorted(reused.get(s.name, {}).items()):
                    for rel, (digest, src) in files.items():
                        stage.link(rel, src, digest)
                    entry[unit] = _old_unit(old_chapters, s.name, unit)
                for i, (unit, files) in enumerate(sorted(fresh.get(s.name, {}).items())):
                    # a job's warnings name their file and line; they are kept with its first unit
                    entry[unit] = {"key": keys[s.name, unit], "files": files,
                                   "warnings": _warning_dicts(warnings.get(s.name, []) if i == 0 else [])}
                for unit in entry.values():
                    self.result.warnings.extend(_warnings_of(unit) or [])
            self.result.rebuilt = sorted(fresh)
            self.result.reused = sorted(mine_names - set(fresh))
            if pdf_unit is not None:
                for rel, (digest, src) in pdf_reused.items():
                    stage.link(rel, src, digest)
            elif pdf_key is not None:
                rel = self.settings.config.pdf_name
                pdf_unit = {"key": pdf_key, "files": {rel: stage.write(rel, pdf_bytes)},
                            "warnings": _warning_dicts(pdf_warnings)}
            if pdf_unit:
                self.result.warnings.extend(_warnings_of(pdf_unit) or [])
            manifest = dict(head, chapters=entries, pdf=pdf_unit)
            self._timed("stage", t)
            if self.shard is None:
                t = time.perf_counter()
                self.progress.stage("edition pages", 0)
                _pause()
                manifest = _assemble(stage, manifest, sources, register, ctx, self.result,
                                     _Previous(self.old_dir, prev), guidelines)
                self._timed("edition", t)
            stage.write(MANIFEST, _dump(manifest))
            t = time.perf_counter()
            self.progress.stage("publishing", 0)
            _pause()
            _unchanged_since_read(sources)
            stage.publish()
            self._timed("swap", t)
        except BaseException as exc:
            if stage is not None:
                stage.discard()
            runner.close(cancel=True)
            if validation.pending is not None and isinstance(exc, Exception):
                # a transform failed while validation was still running: an invalid edition is the likely
                # cause, and the validation report says it best
                validation.wait()
            validation.cancel()
            raise
        finally:
            if guidelines is not None:
                guidelines.cancel()  # nothing if its page was taken
        runner.close()


def manifest_checksum(manifest: dict) -> str:
    """A hash of everything in the manifest but the checksum itself: a damaged manifest is never trusted."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hash_bytes(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def _dump(manifest: dict) -> bytes:
    # one line: with indent, json falls back to its pure-Python encoder (0.25 s for 1,000 chapters); serialized
    # once, with a stand-in for the checksum, which is then the hash of the text without it (manifest_checksum)
    stand_in = "0" * len(hash_bytes(""))
    text = json.dumps(dict(manifest, checksum=stand_in), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    member = f'"checksum":"{stand_in}",'
    if text.count(member) != 1:  # never with the manifests editio writes; kept correct all the same
        return (json.dumps(dict(manifest, checksum=manifest_checksum(manifest)), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
    checksum = hash_bytes(text.replace(member, "", 1))
    return (text.replace(member, f'"checksum":"{checksum}",', 1) + "\n").encode("utf-8")


#: The guidelines page takes its examples from the register and this many chapters (enough
#: to find one of each element; reading a thousand chapters for them would slow every build).
GUIDELINE_SAMPLE = 20


class _Previous:
    """Edition-wide files of the previous output that may be taken again (hash-checked)."""

    def __init__(self, old_dir: Path | None, previous: dict):
        edition = previous.get("edition") if isinstance(previous, dict) else None
        self.old_dir = old_dir
        self.files = edition.get("files") if isinstance(edition, dict) and isinstance(edition.get("files"), dict) else {}
        edition = edition if isinstance(edition, dict) else {}
        self.guidelines_key = edition.get("guidelines_key")
        self.pages_key, self.page_files = edition.get("pages_key"), edition.get("pages")
        self.page_warnings = edition.get("page_warnings")
        self.chapters = previous.get("chapters") if isinstance(previous, dict) else None
        self.chapters = self.chapters if isinstance(self.chapters, dict) else {}

    def page_file(self, name: str, rel: str) -> str | None:
        """The hash the previous manifest records for a file of a chapter's page unit (None if none)."""
        digest = _page_files(self.chapters, name).get(rel)
        return digest if isinstance(digest, str) else None

    def read_file(self, rel: str, digest: str) -> bytes | None:
        """The bytes of ``rel`` in the previous output if it is there with this hash."""
        if self.old_dir is None or _verified(self.old_dir, {rel: digest}) is None:
            return None
        data = (self.old_dir / rel).read_bytes()
        return data if hash_bytes(data) == digest else None

    def take(self, stage: Stage, rel: str, digest: str) -> bool:
        """Link ``rel`` from the previous output if it is there with this hash."""
        if self.old_dir is None or self.files.get(rel) != digest or _verified(self.old_dir, {rel: digest}) is None:
            return False
        stage.link(rel, self.old_dir / rel, digest)
        return True

    def pages(self, stage: Stage, key: str) -> tuple[dict[str, str], list[Diagnostic]] | None:
        """Link the previous edition-wide pages if they were made from the same data (``key``); their warnings."""
        if self.old_dir is None or self.pages_key != key or not isinstance(self.page_files, list):
            return None
        wanted = {rel: self.files.get(rel) for rel in self.page_files}
        warnings = _warnings_of({"warnings": self.page_warnings})
        found = _verified(self.old_dir, wanted) if all(isinstance(d, str) for d in wanted.values()) else None
        if found is None or warnings is None:
            return None
        for rel, (digest, src) in found.items():
            stage.link(rel, src, digest)
        return wanted, warnings

    def edition_run(self, key: str) -> tuple[dict[str, bytes], list[Diagnostic], list[str], dict | None] | None:
        """The previous build's edition run if made with ``key``: its pages before splicing, its warnings,
        the chapters in reading order and the layout of the spliced pages (see html.splice_with_layout)."""
        data = self.read(EDITION_RUN)
        try:
            kept = json.loads(data) if data is not None else None
            if not isinstance(kept, dict) or kept.get("key") != key or not isinstance(kept.get("pages"), dict) \
                    or not isinstance(kept.get("order"), list) or not all(isinstance(n, str) for n in kept["order"]):
                return None
            warnings = _warnings_of(kept)
            if warnings is None:
                return None
            layouts = kept.get("layouts") if isinstance(kept.get("layouts"), dict) else None
            return {k: v.encode("utf-8") for k, v in kept["pages"].items()}, warnings, kept["order"], layouts
        except (ValueError, AttributeError, TypeError):
            return None

    def read(self, rel: str) -> bytes | None:
        """The bytes of an edition-wide file ``rel`` in the previous output, if it is there with its recorded hash."""
        digest = self.files.get(rel)
        return self.read_file(rel, digest) if isinstance(digest, str) else None


def _guidelines_sample(sources: list[Source], lang: str) -> tuple[str, list[Path]]:
    """(key, files) of the guidelines page: its examples come from the register and the first chapters (enough
    to find one of each element; reading a thousand chapters for them would slow every build)."""
    sample = [s for s in sources if s.kind == "register"] + [s for s in sources if s.kind == "chapter"][:GUIDELINE_SAMPLE]
    return hash_bytes(tool_fingerprint(), lang, *(f"{s.path}={s.digest}" for s in sample)), [s.path for s in sample]


def _render_guidelines(files: list[Path], lang: str) -> bytes | None:
    try:
        from .guidelines import render_page
    except ImportError:
        return None
    return render_page(files, lang=lang)


def _start_guidelines(sources: list[Source], lang: str, previous: dict):
    """The guidelines page made in a forked process while the chapters are transformed (it needs no Saxon, and
    reading the schema takes a tenth of a one-chapter build), unless the previous one can be taken; or None."""
    key, files = _guidelines_sample(sources, lang)
    edition = previous.get("edition") if isinstance(previous, dict) else None
    if isinstance(edition, dict) and edition.get("guidelines_key") == key:
        return None
    from . import background

    return background.start(_render_guidelines, files, lang)


def _guidelines(sources: list[Source], ctx, previous: _Previous, beside=None) -> tuple[str, dict[str, bytes] | None]:
    """(key, ``{"guidelines.html": bytes}``): the page generated from the schema, or the previous one (``beside``:
    the page being made by :func:`_start_guidelines`)."""
    lang = getattr(ctx, "language", "en") or "en"
    key, files = _guidelines_sample(sources, lang)
    if previous.guidelines_key == key:
        data = previous.read("guidelines.html")
        if data is not None:
            return key, {"guidelines.html": data}
    page = beside.value() if beside is not None else _render_guidelines(files, lang)
    return (key, {"guidelines.html": page}) if page is not None else ("", None)


def _pages_key(manifest: dict, chapters: list[Source], register: Source | None, ctx,
               extra: dict[str, bytes] | None) -> str:
    """What the edition-wide pages are made from: if it is unchanged, so are they.

    A chapter enters only through its summary and parts (an edit far from any
    name, note or date leaves them, and so these pages, as they were).
    """
    made = []
    for s in chapters:
        files = _page_files(manifest["chapters"], s.name)
        made.extend(f"{rel}={files.get(rel, '')}" for rel in parts_paths(s.name))
    return hash_bytes(tool_fingerprint(), manifest["settings"]["fingerprint"], _ctx_fingerprint(ctx),
                      f"{register.path}={register.digest}" if register else "",
                      *(f"{rel}={hash_bytes(data)}" for rel, data in sorted((extra or {}).items())), *made)


def _run_key(manifest: dict, chapters: list[Source], register: Source | None, ctx,
             extra: dict[str, bytes] | None) -> str:
    """What the edition run (html.edition_run_pages) is made from: the chapters' summaries (not their parts),
    the first chapter's header, the register, the site context and which extra pages exist."""
    summaries = []
    for s in chapters:
        files = _page_files(manifest["chapters"], s.name)
        summaries.append(f"{s.name}={files.get(parts_paths(s.name)[0], '')}")
    first = f"{chapters[0].name}={chapters[0].digest}" if chapters else ""
    return hash_bytes(tool_fingerprint(), manifest["settings"]["fingerprint"], _ctx_fingerprint(ctx), first,
                      f"{register.path}={register.digest}" if register else "", *sorted(extra or {}), *summaries)


def _edition_pages(stage: Stage, chapters: list[Source], register: Source | None, ctx, extra, run_key: str,
                   manifest: dict, previous: _Previous, warnings: list[Diagnostic]
                   ) -> tuple[dict[str, bytes], dict[str, str], bytes]:
    """The edition-wide pages: (pages to write, pages taken unchanged from the previous output {rel: hash},
    what to keep of the edition run for the next build).

    The run is taken from the previous build when its key is unchanged: an
    edit next to a name changes that chapter's parts (snippets), rarely its
    summary. Then, if the timeline stays as it was, only the pages that show
    the changed parts are spliced again, from their previous bytes and
    layout; the other chapters' parts are not even read.
    """
    html = _html_module()
    run = previous.edition_run(run_key)
    taken: dict[str, str] = {}
    if run is not None and sorted(run[2]) == sorted(s.name for s in chapters):
        run_pages, run_warnings, order, layouts = run  # the order came from the same summaries
        spliced = _resplice(stage, order, layouts, manifest, previous, taken) if layouts is not None else None
        if spliced is None:
            spliced, layouts = html.splice_with_layout(
                run_pages, [(stage.dir / parts_paths(name)[1]).read_bytes() for name in order])
            taken.clear()
        else:
            spliced, layouts = {**{k: v for k, v in run_pages.items() if k not in layouts}, **spliced[0]}, spliced[1]
    else:
        ordered = html.in_reading_order([(*((stage.dir / rel).read_bytes() for rel in parts_paths(s.name)), s.name)
                                         for s in chapters])
        run_warnings = []
        header = html.edition_header(chapters[0].path) if chapters else None
        run_pages = html.edition_run_pages(register.path if register else None, [summary for summary, _, _ in ordered],
                                           ctx, header, extra_pages=extra, diagnostics=run_warnings)
        order = [name for _, _, name in ordered]
        spliced, layouts = html.splice_with_layout(run_pages, [p for _, p, _ in ordered])
    warnings.extend(run_warnings)
    kept = json.dumps({"key": run_key, "order": order, "pages": {k: v.decode("utf-8") for k, v in run_pages.items()},
                       "layouts": layouts, "warnings": _warning_dicts(run_warnings)},
                      sort_keys=True, ensure_ascii=False)
    pages = dict(html.static_assets())
    pages.update((k, v) for k, v in spliced.items() if v is not None and k not in taken)
    pages.update(extra or {})
    return pages, taken, kept.encode("utf-8")


def _resplice(stage: Stage, order: list[str], layouts: dict, manifest: dict, previous: _Previous,
              taken: dict[str, str]) -> tuple[dict, dict] | None:
    """The spliced pages from the previous ones where only some chapters' parts changed (html.resplice), with
    the pages that did not change linked into ``taken``; None where that does not apply (splice again)."""
    html = _html_module()
    changed = {}
    for i, name in enumerate(order):
        rel = parts_paths(name)[1]
        new = _page_files(manifest["chapters"], name).get(rel)
        old = previous.page_file(name, rel)
        if new is None:
            return None
        if old != new:
            old_data = previous.read_file(rel, old) if old is not None else None
            if old_data is None:
                return None
            changed[i] = (old_data, (stage.dir / rel).read_bytes())
    if not isinstance(layouts, dict) or len(changed) > max(1, len(order) // 4):
        return None  # many changed chapters: splicing everything again is as cheap
    try:
        made = html.resplice(layouts, changed, previous.read)
        if made is None:
            return None
        for page in [page for page, data in made[0].items() if data is None]:  # unchanged: linked as they were
            digest = previous.files.get(page)
            if not (isinstance(digest, str) and previous.take(stage, page, digest)):
                return None  # (the caller writes every page then: Stage never writes through a link)
            taken[page] = digest
        return made
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # a kept layout that does not fit: splice again


def _assemble(stage: Stage, manifest: dict, sources: list[Source], register: Source | None, ctx,
              result: BuildResult, previous: _Previous, guidelines=None) -> dict:
    """Add what the whole edition shares (TEI copies, edition-wide pages, assets); return the site's manifest."""
    files: dict[str, str] = {}
    warnings: list[Diagnostic] = []
    edition: dict = {}
    for s in sources:
        rel = f"tei/{s.name}.xml"
        if previous.take(stage, rel, s.digest):
            files[rel] = s.digest  # an unchanged copy: not read again
        else:
            files[rel] = stage.write(rel, s.data)
    if ctx is not None:
        chapters = [s for s in sources if s.kind == "chapter"]
        edition["guidelines_key"], extra = _guidelines(sources, ctx, previous, guidelines)
        pages_key = _pages_key(manifest, chapters, register, ctx, extra)
        edition["pages_key"] = pages_key
        reused = previous.pages(stage, pages_key)
        if reused is not None:
            pages_files, old_warnings = reused
            files.update(pages_files)
            run_digest = previous.files.get(EDITION_RUN)
            if isinstance(run_digest, str) and previous.take(stage, EDITION_RUN, run_digest):
                files[EDITION_RUN] = run_digest  # kept for a later build whose parts change
            warnings.extend(old_warnings)
            edition["pages"] = sorted(pages_files)
            result.reused_parts.append("edition pages")
        else:
            pages, unchanged, kept = _edition_pages(stage, chapters, register, ctx, extra,
                                                    _run_key(manifest, chapters, register, ctx, extra), manifest,
                                                    previous, warnings)
            files[EDITION_RUN] = stage.write(EDITION_RUN, kept)
            taken = {rel for entry in manifest["chapters"].values() for unit in entry.values()
                     for rel in unit["files"]}
            for rel, data in sorted(pages.items()):
                if rel in files or rel in taken or rel in unchanged or rel.startswith(STATE_DIR):
                    raise EditioError(Diagnostic(rel, 0, 0, ERROR, "two parts of the build write the same file",
                                                 "build.clash", "this is a bug in editio"))
                files[rel] = stage.write(rel, data)
            files.update(unchanged)
            edition["pages"] = sorted([*pages, *unchanged])
            result.rebuilt_parts.append("edition pages")
    result.warnings.extend(warnings)
    if ctx is not None:
        edition["page_warnings"] = _warning_dicts(warnings)
    edition.update(files=files, warnings=_warning_dicts(warnings))
    return dict(manifest, kind="site", shard=None, edition=edition)


# -- merging shards ------------------------------------------------------------------------

def merge(parts: list[str | Path], root: str | Path | None = None, *, out: str | Path | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Assemble parts made by ``build(shard=(K, N))`` into the site a full build would make, byte for byte.

    Every part must come from the same sources, settings and editio as the
    edition in ``root``, and together the parts must hold every chapter once.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    edition = Edition.load(root)
    paths = [Path(p).resolve() for p in parts]
    manifests = []
    for p in paths:
        m = _load_manifest(p)
        if m.get("kind") != "part" or not isinstance(m.get("settings"), dict):
            raise usage_error(p, "not a part made by this editio's `editio build --shard K/N`", "merge.not-a-part",
                              "build the parts with the same editio version and sources as the merge")
        manifests.append(m)
    first = manifests[0]
    # The parts carry the settings they were built with; the merge uses the same.
    edition, settings = _settings(edition, out, first["settings"].get("reading"), first["settings"].get("outputs"))
    result = BuildResult(out_dir=settings.out_dir)
    with _holding_output(settings, progress, result, started):
        _mergelocked(edition, settings, paths, manifests, progress, result)
    return result


def _mergelocked(edition, settings, parts, manifests, progress, result):
    first = manifests[0]
    sources = _read_sources(edition, first["kinds"], first["inputs"], _notes_of(first))
    _check_output(settings, sources)
    inputs = {s.name: s.digest for s in sources}
    n = first.get("shard", [0, 0])[1]
    owner: dict[str, Path] = {}
    for p, m in zip(parts, manifests):
        if m.get("inputs") != inputs or m["settings"].get("fingerprint") != settings.fingerprint():
            raise usage_error(p, "this part was built from other sources or settings than the edition here",
                              "merge.mismatch", "rebuild all parts from the same sources, then merge")
        if m.get("shard", [0, 0])[1] != n:
            raise usage_error(p, f"part {m.get('shard')} does not belong with parts of {n}", "merge.mismatch")
        for name in m["chapters"]:
            if name in owner:
                raise usage_error(p, f"chapter {name!r} is in two parts ({owner[name]} and {p})", "merge.overlap")
            owner[name] = p
    chapters = [s for s in sources if s.kind == "chapter"]
    missing = [s.name for s in chapters if s.name not in owner]
    if missing:
        raise usage_error(parts[0], f"no part holds chapter(s) {', '.join(missing[:5])}", "merge.incomplete",
                          f"merge all {n} parts")
    register = next((s for s in sources if s.kind == "register"), None)
    stage = Stage(settings.out_dir)
    try:
        progress.stage("merging parts", len(parts))
        entries, pdf_unit = {}, None
        for p, m in zip(parts, manifests):
            for name, entry in m["chapters"].items():
                for unit in entry.values():
                    files = _verified(p, unit.get("files"))
                    if files is None:
                        raise usage_error(p, f"files of chapter {name!r} are missing or changed", "merge.damaged",
                                          "rebuild this part")
                    for rel, (digest, src) in files.items():
                        stage.link(rel, src, digest)
                    result.warnings.extend(_warnings_of(unit) or [])
                entries[name] = entry
            if m.get("pdf"):
                files = _verified(p, m["pdf"].get("files"))
                if files is None:
                    raise usage_error(p, "the PDF of this part is missing or changed", "merge.damaged")
                for rel, (digest, src) in files.items():
                    stage.link(rel, src, digest)
                pdf_unit = m["pdf"]
                result.warnings.extend(_warnings_of(pdf_unit) or [])
            progress.step(str(p))
        if "pdf" in settings.outputs and pdf_unit is None:
            raise usage_error(parts[0], "no part holds the PDF (part 1 makes it)", "merge.incomplete")
        ctx = None
        if "html" in settings.outputs:
            titles = first.get("titles", {})
            ctx = _site_context(edition, chapters, register, {k: v["title"] for k, v in titles.items()})
        manifest = {
            "format": MANIFEST_FORMAT, "tool": tool_fingerprint(), "kind": "part", "shard": None,
            "all_key": first["all_key"], "settings": first["settings"], "inputs": inputs, "kinds": first["kinds"],
            "notes": {s.name: s.notes for s in sources if s.kind == "chapter"},
            "validation": first["validation"], "titles": first.get("titles", {}),
            "chapters": {name: entries[name] for name in sorted(entries)}, "pdf": pdf_unit,
        }
        result.warnings.extend(_warnings_of(first["validation"]) or [])
        result.reused = sorted(entries)
        progress.stage("edition pages", 0)
        manifest = _assemble(stage, manifest, sources, register, ctx, result, _Previous(None, {}))
        stage.write(MANIFEST, _dump(manifest))
        stage.publish()
    except BaseException:
        stage.discard()
        raise
