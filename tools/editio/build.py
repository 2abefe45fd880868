"""Build orchestration: validate, transform, and swap a complete new output in atomically.

How a build keeps the previous output safe
------------------------------------------
Everything is written into a staging folder beside the output
(``.site.tmp-XXXX`` for ``site/``). Only when the staging folder is complete
is it swapped in: on Linux with ``renameat2(RENAME_EXCHANGE)``, which
exchanges the two folders in one atomic step; elsewhere with two renames
(``site`` -> ``.site.old-XXXX``, staging -> ``site``). A kill between those two
renames leaves ``.site.old-XXXX`` complete, and the next build renames it back
before doing anything else. An error, Ctrl-C or ``kill -9`` at any other
moment leaves the previous output as it was; leftover staging folders are
removed by the next build. A lock file (``.site.lock``) keeps two builds of
the same output from running at once.

Incremental builds
------------------
The output holds its own build state in ``.editio/``: ``manifest.json`` (the
content hash of every input, of editio itself -- version, stylesheets,
schema, code -- and of every output file) and ``extracts/`` (per-chapter
summaries the edition-wide pages are made from). Because the state lives
inside the output, it is swapped in together with it and always describes
exactly the files beside it. A chapter whose key (its hash, the register's,
the settings', editio's) is unchanged is not transformed again: its files
are hard-linked from the previous output after their hashes are checked. A
corrupt or foreign manifest, or a file that no longer matches its hash,
means that part is rebuilt -- never reused wrongly. When nothing changed at
all the output is left untouched.

Shards
------
``build(shard=(K, N))`` renders the K-th of N disjoint parts of the chapters
(chapter pages, extracts and texts; the PDF in part 1) into a part folder;
validation still sees the whole edition. :func:`merge` assembles the parts
with the edition-wide pages, assets and TEI copies into exactly the bytes a
full build makes (both go through :func:`_assemble`).
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import OUTPUTS, READINGS, Config
from .diagnostics import (EXIT_INVALID, EXIT_USAGE, ERROR, Diagnostic, EditioError, Report, WARNING,
                          usage_error)
from .edition import Edition, is_register
from .resources import data_dir
from .xmlload import parse_bytes

MANIFEST_FORMAT = "editio-build/1"
STATE_DIR = ".editio"
MANIFEST = f"{STATE_DIR}/manifest.json"
EXTRACTS = f"{STATE_DIR}/extracts"
#: Test hook: seconds to sleep at every stage and after every chapter, so a
#: test can kill a build at a chosen moment.
DELAY_ENV = "EDITIO_BUILD_DELAY"


# -- results and progress ----------------------------------------------------------------

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
        what = "part" if self.shard else "site"
        if not self.changed:
            return f"{self.out_dir}: up to date ({len(self.reused)} chapters unchanged) in {self.seconds:.2f} s"
        w = len(self.warnings)
        return (f"{what} written to {self.out_dir}: {len(self.rebuilt)} chapters built, {len(self.reused)} reused, "
                f"{w} warning{'s' if w != 1 else ''} in {self.seconds:.2f} s")


class InvalidEdition(EditioError):
    """The edition has errors: nothing is published. Carries the validation report."""

    def __init__(self, report: Report):
        super().__init__(report.errors, EXIT_INVALID)
        self.report = report


class Progress:
    """Receives progress events; the default prints nothing. See :func:`progress_for`."""

    def stage(self, name: str, total: int = 0) -> None:
        """A stage starts; ``total`` steps follow (0 = no steps)."""

    def step(self, label: str = "") -> None:
        """One step of the current stage is done."""

    def note(self, message: str) -> None:
        """A detail only shown with --verbose."""

    def close(self) -> None:
        """The build ended (successfully or not)."""


class PlainProgress(Progress):
    """One line per stage (and per step when verbose): for CI logs and pipes."""

    def __init__(self, stream=None, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.total = 0
        self.done = 0

    def stage(self, name, total=0):
        self.total, self.done = total, 0
        print(f"editio: {name}" + (f" ({total})" if total else ""), file=self.stream, flush=True)

    def step(self, label=""):
        self.done += 1
        if self.verbose and label:
            print(f"  [{self.done}/{self.total}] {label}", file=self.stream, flush=True)

    def note(self, message):
        if self.verbose:
            print(f"  {message}", file=self.stream, flush=True)


class RichProgress(Progress):
    """A rich progress bar on a terminal."""

    def __init__(self, verbose: bool = False):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        self.verbose = verbose
        self.console = Console(stderr=True)
        self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=self.console, transient=True)
        self.bar.start()
        self.task = None

    def stage(self, name, total=0):
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0)
        self.task = self.bar.add_task(name, total=total or 1)

    def step(self, label=""):
        if self.task is not None:
            self.bar.advance(self.task)
        if self.verbose and label:
            self.console.log(label)

    def note(self, message):
        if self.verbose:
            self.console.log(message)

    def close(self):
        self.bar.stop()


def progress_for(quiet: bool = False, verbose: bool = False) -> Progress:
    """A bar on a terminal, plain lines in CI (``CI=true``) or when not a TTY, nothing when quiet."""
    if quiet:
        return Progress()
    if sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("true", "1"):
        return RichProgress(verbose)
    return PlainProgress(verbose=verbose)


def _pause() -> None:
    delay = os.environ.get(DELAY_ENV)
    if delay:
        time.sleep(float(delay))


# -- hashing -------------------------------------------------------------------------------

def _hash(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def _hash_file(path: Path) -> str:
    return _hash(path.read_bytes())


def _tree_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    h = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts:
            h.append(p.relative_to(folder).as_posix())
            h.append(_hash_file(p))
    return _hash(*h)


_TOOL_FP: str | None = None


def tool_fingerprint() -> str:
    """A hash of editio itself: version, stylesheets, schema and Python code."""
    global _TOOL_FP
    if _TOOL_FP is None:
        pkg = Path(__file__).resolve().parent
        _TOOL_FP = _hash(__version__, _tree_digest(data_dir("xslt"), (".xsl", ".css", ".js", ".typ", ".woff2", ".svg")),
                         _tree_digest(data_dir("schema"), (".rng", ".sch")), _tree_digest(pkg, (".py",)))
    return _TOOL_FP


# -- settings and sources ------------------------------------------------------------------

@dataclass
class Settings:
    """The effective settings of a build: edition.toml plus command-line overrides."""

    config: Config
    out_dir: Path
    reading: str
    outputs: list[str]

    def fingerprint(self) -> str:
        data = {k: v for k, v in dataclasses.asdict(self.config).items() if k not in ("root", "output", "inputs")}
        data["reading"], data["outputs"] = self.reading, sorted(self.outputs)
        return _hash(json.dumps(data, sort_keys=True, default=str))


@dataclass
class Source:
    """One TEI input file, read once."""

    name: str  # file stem: chapter pages, texts and TEI copies are named after it
    path: Path
    data: bytes
    digest: str
    kind: str = "chapter"  # or "register"


def _settings(edition: Edition, out: str | Path | None, reading: str | None, outputs: list[str] | None) -> Settings:
    config = edition.config
    reading = reading or config.reading
    if reading not in READINGS:
        raise usage_error("--reading", f"unknown reading {reading!r}", "usage.reading", f"use one of {', '.join(READINGS)}")
    outs = list(outputs if outputs is not None else config.outputs)
    bad = set(outs) - set(OUTPUTS)
    if bad:
        raise usage_error("outputs", f"unknown output(s) {', '.join(sorted(bad))}", "usage.outputs",
                          f"choose from {', '.join(OUTPUTS)}")
    out_dir = Path(out).resolve() if out else config.output_dir
    return Settings(config=config, out_dir=out_dir, reading=reading, outputs=[o for o in OUTPUTS if o in outs])


def _read_sources(edition: Edition, known_kinds: dict[str, str], known_digests: dict[str, str]) -> list[Source]:
    sources, seen = [], {}
    for path in edition.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise usage_error(path, f"cannot read file: {exc.strerror or exc}", "io.unreadable") from None
        src = Source(path.stem, path, data, _hash(data))
        if src.name in seen:
            raise usage_error(path, f"two input files are both named {path.name!r} ({seen[src.name]} and {path})",
                              "build.duplicate-name", "output files are named after the input file; rename one")
        seen[src.name] = path
        if known_digests.get(src.name) == src.digest and src.name in known_kinds:
            src.kind = known_kinds[src.name]
        else:
            src.kind = "register" if is_register(parse_bytes(data, str(path))) else "chapter"
        sources.append(src)
    registers = [s for s in sources if s.kind == "register"]
    if len(registers) > 1:
        raise usage_error(registers[1].path, "the edition has more than one register file", "build.registers",
                          f"keep persons, places, organisations and events in one file ({registers[0].path.name})")
    return sources


def _check_output(settings: Settings, sources: list[Source]) -> None:
    out, root = settings.out_dir, settings.config.root.resolve()
    if out == root or out in root.parents:
        raise usage_error(out, "the output folder would contain the whole edition", "build.output",
                          "set 'output' in edition.toml to a subfolder such as site")
    for s in sources:
        if out in s.path.resolve().parents:
            raise usage_error(out, f"the output folder contains the input {s.path}", "build.output",
                              "choose an output folder that holds no TEI sources")
    if out.exists() and not out.is_dir():
        raise usage_error(out, "the output exists and is not a folder", "build.output", "remove it or choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / STATE_DIR).is_dir():
        raise usage_error(out, "the output folder exists and was not made by editio build; it would be replaced",
                          "build.foreign-output", "delete the folder or choose another --out")


# -- the previous output -------------------------------------------------------------------

def _load_manifest(out_dir: Path) -> dict:
    """The manifest of the previous output, or {} if it is missing, corrupt or foreign."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or data.get("tool") != tool_fingerprint():
        return {}
    for key in ("inputs", "kinds", "chapters"):
        if not isinstance(data.get(key), dict):
            return {}
    return data


def _verified(out_dir: Path, files: object) -> dict[str, tuple[str, Path]] | None:
    """``{rel: (hash, path)}`` if every listed file exists in ``out_dir`` with its recorded hash."""
    if not isinstance(files, dict):
        return None
    found = {}
    for rel, digest in files.items():
        p = out_dir / rel
        if not isinstance(rel, str) or ".." in Path(rel).parts or Path(rel).is_absolute():
            return None
        try:
            if _hash_file(p) != digest:
                return None
        except OSError:
            return None
        found[rel] = (digest, p)
    return found


# -- rendering (runs in worker processes with -j N) ----------------------------------------

@dataclass
class ChapterJob:
    name: str
    path: Path
    register: Path | None
    ctx: object
    reading: str
    outputs: list[str]


@dataclass
class Rendered:
    """The outputs of one chapter: files by relative path, and its extract for the edition pages."""

    name: str
    files: dict[str, bytes]
    extract: bytes | None = None


def render_chapter(job: ChapterJob) -> Rendered:
    """Transform one chapter (pages, extract, text). Stylesheets are compiled once per process."""
    files: dict[str, bytes] = {}
    extract = None
    if "html" in job.outputs:
        from . import html

        files.update(html.chapter_page(job.path, job.register, job.ctx))
        extract = html.chapter_extract(job.path)
    if "text" in job.outputs:
        from .textexport import text_of_file

        text = text_of_file(job.path, job.reading)
        files[f"text/{job.name}.txt"] = (text or "").encode("utf-8")
    _pause()
    return Rendered(job.name, files, extract)


def render_pdf_job(edition: Edition, reading: str) -> bytes:
    """The PDF of the whole edition (a job of its own, so it runs beside the chapters)."""
    from .pdf import render_pdf

    return render_pdf(edition, reading=reading)


def _site_context(settings: Settings, sources: list[Source]):
    if "html" not in settings.outputs:
        return None
    try:
        from . import html
    except ImportError as exc:
        raise usage_error("outputs", f"this editio cannot make the web edition ({exc})", "build.no-html",
                          "set outputs = [\"pdf\", \"text\"] in edition.toml or update editio") from None

    make = getattr(html, "site_context", None)
    chapters = [s.path for s in sources if s.kind == "chapter"]
    if make is not None:
        return make(settings.config, chapters, reading=settings.reading, outputs=settings.outputs)
    return html.SiteContext.from_config(settings.config, chapters)


def _ctx_fingerprint(ctx) -> str:
    if ctx is None:
        return ""
    try:
        return _hash(json.dumps(dataclasses.asdict(ctx), sort_keys=True, default=str))
    except TypeError:
        return _hash(repr(ctx))


# -- staging, locking, swapping ------------------------------------------------------------

@contextmanager
def _locked(out_dir: Path):
    """Hold ``.NAME.lock`` beside the output for the whole build (released by the OS on kill)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise usage_error(out_dir, "another editio build is writing this output right now", "build.locked",
                              "wait for it to finish") from None
        _recover(out_dir)
        yield
    finally:
        os.close(fd)


def _recover(out_dir: Path) -> None:
    """Undo what a killed build left behind: restore a half-swapped output, delete staging folders."""
    parent, name = out_dir.parent, out_dir.name
    olds = sorted(parent.glob(f".{name}.old-*"))
    if not out_dir.exists() and olds:
        os.rename(olds[-1], out_dir)  # killed between the two renames of the fallback swap
        olds = olds[:-1]
    for stale in olds + sorted(parent.glob(f".{name}.tmp-*")):
        shutil.rmtree(stale, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False if the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the output; the previous output is deleted only after."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging)  # now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(old)
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old)


class _Stage:
    """The staging folder: files are written or hard-linked into it, with their hashes recorded."""

    def __init__(self, out_dir: Path):
        self.dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        os.chmod(self.dir, 0o755)

    def _target(self, rel: str) -> Path:
        p = self.dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, rel: str, data: bytes) -> str:
        self._target(rel).write_bytes(data)
        return _hash(data)

    def link(self, rel: str, src: Path) -> None:
        dst = self._target(rel)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the build -----------------------------------------------------------------------------

def _validate(sources: list[Source], key: str, previous: dict, progress: Progress, result: BuildResult) -> dict:
    old = previous.get("validation")
    if isinstance(old, dict) and old.get("key") == key and isinstance(old.get("warnings"), list):
        try:
            result.warnings.extend(Diagnostic(**w) for w in old["warnings"])
            result.reused_parts.append("validation")
            return old
        except TypeError:
            pass
    from .validate import validate

    progress.stage("validating", 0)
    report = validate([s.path for s in sources])
    if report.io_failure:
        raise EditioError(report.errors, EXIT_USAGE)
    if not report.ok:
        raise InvalidEdition(report)
    result.rebuilt_parts.append("validation")
    result.warnings.extend(report.warnings)
    return {"key": key, "warnings": [d.as_dict() for d in sorted(report.warnings)]}


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` -> (K, N) with 1 <= K <= N."""
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise usage_error("--shard", f"{text!r} is not K/N", "usage.shard", "e.g. --shard 2/4 for the second of four parts") from None
    if not 1 <= k <= n:
        raise usage_error("--shard", f"shard {k}/{n} does not exist", "usage.shard", "K runs from 1 to N")
    return k, n


def build(root: str | Path | None = None, *, out: str | Path | None = None, reading: str | None = None,
          outputs: list[str] | None = None, jobs: int = 1, shard: tuple[int, int] | None = None,
          force: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build the edition in ``root`` (edition.toml there) into its output folder.

    Refuses an invalid edition (:class:`InvalidEdition`, exit code 1) and leaves
    the previous output untouched on any failure. ``jobs`` > 1 transforms
    chapters in that many processes; ``shard=(K, N)`` builds only the K-th of N
    parts of the chapters (see :func:`merge`); ``force`` ignores the previous
    output's manifest.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    edition = Edition.load(root)
    settings = _settings(edition, out, reading, outputs)
    result = BuildResult(out_dir=settings.out_dir, shard=shard)
    try:
        with _locked(settings.out_dir):
            previous = {} if force else _load_manifest(settings.out_dir)
            _build_locked(edition, settings, previous, jobs, shard, progress, result, started)
    finally:
        progress.close()
    result.seconds = time.perf_counter() - started
    return result


def _build_locked(edition, settings, previous, jobs, shard, progress, result, started):
    t = time.perf_counter()
    sources = _read_sources(edition, previous.get("kinds", {}), previous.get("inputs", {}))
    _check_output(settings, sources)
    tool, settings_fp = tool_fingerprint(), settings.fingerprint()
    inputs = {s.name: s.digest for s in sources}
    all_key = _hash(tool, settings_fp, *(f"{k}={v}" for k, v in sorted(inputs.items())))
    _pause()
    validation = _validate(sources, _hash(tool, *(f"{k}={v}" for k, v in sorted(inputs.items()))), previous, progress, result)
    result.timings["validate"] = time.perf_counter() - t

    t = time.perf_counter()
    register = next((s for s in sources if s.kind == "register"), None)
    chapters = [s for s in sources if s.kind == "chapter"]
    mine = chapters if shard is None else chapters[shard[0] - 1::shard[1]]
    ctx = _site_context(settings, sources)
    base_key = _hash(tool, settings_fp, _ctx_fingerprint(ctx), register.digest if register else "")
    old_dir = settings.out_dir

    # Plan: which chapters can be taken from the previous output.
    reuse: dict[str, dict] = {}
    todo: list[Source] = []
    old_chapters = previous.get("chapters", {})
    for s in mine:
        key = _hash(base_key, s.digest)
        entry = old_chapters.get(s.name)
        files = _verified(old_dir, entry.get("files")) if isinstance(entry, dict) and entry.get("key") == key else None
        extract = None
        if files is not None and "html" in settings.outputs:
            extract = _verified(old_dir, {f"{EXTRACTS}/{s.name}.xml": entry.get("extract")})
            files = files if extract is not None else None
        if files is None:
            todo.append(s)
        else:
            reuse[s.name] = {"key": key, "files": files, "extract": extract}
    pdf_key = _hash(all_key, "pdf") if "pdf" in settings.outputs and (shard is None or shard[0] == 1) else None
    old_pdf = previous.get("pdf")
    pdf_files = (_verified(old_dir, old_pdf.get("files")) if pdf_key and isinstance(old_pdf, dict)
                 and old_pdf.get("key") == pdf_key else None)
    result.timings["plan"] = time.perf_counter() - t

    kind = "part" if shard else "site"
    same_shape = previous.get("kind") == kind and previous.get("shard") == (list(shard) if shard else None) \
        and previous.get("inputs") == inputs and set(old_chapters) == {s.name for s in mine} \
        and previous.get("all_key") == all_key
    edition_ok = shard is not None or _verified(old_dir, previous.get("edition")) is not None
    if not todo and (pdf_key is None or pdf_files is not None) and same_shape and edition_ok:
        result.reused = sorted(reuse)
        result.reused_parts += ["edition pages", "pdf"] if pdf_key else ["edition pages"]
        result.changed = False
        return

    stage = _Stage(settings.out_dir)
    try:
        t = time.perf_counter()
        chapter_entries: dict[str, dict] = {}
        extracts: dict[str, Path] = {}
        for name, r in sorted(reuse.items()):
            for rel, (digest, src) in r["files"].items():
                stage.link(rel, src)
            entry = {"key": r["key"], "files": {rel: d for rel, (d, _) in r["files"].items()}}
            if r["extract"]:
                (rel, (digest, src)), = r["extract"].items()
                stage.link(rel, src)
                entry["extract"] = digest
                extracts[name] = stage.dir / rel
            chapter_entries[name] = entry
        result.reused = sorted(reuse)

        jobs_list = [ChapterJob(s.name, s.path, register.path if register else None, ctx, settings.reading,
                                settings.outputs) for s in todo]
        keys = {s.name: _hash(base_key, s.digest) for s in todo}
        pdf_bytes = None

        def take(r: Rendered) -> None:
            entry = {"key": keys[r.name], "files": {rel: stage.write(rel, data) for rel, data in sorted(r.files.items())}}
            if r.extract is not None:
                rel = f"{EXTRACTS}/{r.name}.xml"
                entry["extract"] = stage.write(rel, r.extract)
                extracts[r.name] = stage.dir / rel
            chapter_entries[r.name] = entry
            result.rebuilt.append(r.name)
            progress.step(r.name)

        need_pdf = pdf_key is not None and pdf_files is None
        progress.stage("transforming chapters" + (" and the PDF" if need_pdf else ""), len(jobs_list) + need_pdf)
        _pause()
        if jobs > 1 and len(jobs_list) + need_pdf > 1:
            import multiprocessing

            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                pdf_future = pool.submit(render_pdf_job, edition, settings.reading) if need_pdf else None
                futures = [pool.submit(render_chapter, j) for j in jobs_list]
                for f in as_completed(futures):
                    take(f.result())
                if pdf_future is not None:
                    pdf_bytes = pdf_future.result()
                    progress.step("PDF")
        else:
            for j in jobs_list:
                take(render_chapter(j))
            if need_pdf:
                pdf_bytes = render_pdf_job(edition, settings.reading)
                progress.step("PDF")
        result.rebuilt.sort()
        result.timings["transform"] = time.perf_counter() - t

        pdf_entry = None
        if pdf_key:
            rel = settings.config.pdf_name
            if pdf_bytes is not None:
                pdf_entry = {"key": pdf_key, "files": {rel: stage.write(rel, pdf_bytes)}}
                result.rebuilt_parts.append("pdf")
            else:
                for r, (digest, src) in pdf_files.items():
                    stage.link(r, src)
                pdf_entry = {"key": pdf_key, "files": {r: d for r, (d, _) in pdf_files.items()}}
                result.reused_parts.append("pdf")

        manifest = {
            "format": MANIFEST_FORMAT, "tool": tool, "kind": kind, "shard": list(shard) if shard else None,
            "all_key": all_key, "inputs": inputs, "kinds": {s.name: s.kind for s in sources},
            "validation": validation, "chapters": chapter_entries, "pdf": pdf_entry,
            "settings_fp": settings_fp, "reading": settings.reading, "outputs": settings.outputs,
        }
        if shard is None:
            t = time.perf_counter()
            progress.stage("edition pages", 0)
            _pause()
            manifest = _assemble(stage, manifest, settings, sources, register, ctx, extracts, previous, result)
            result.timings["edition"] = time.perf_counter() - t
        stage.write(MANIFEST, _dump(manifest))
        t = time.perf_counter()
        progress.stage("publishing", 0)
        _pause()
        _swap_in(stage.dir, settings.out_dir)
        result.timings["swap"] = time.perf_counter() - t
    except BaseException:
        stage.discard()
        raise


def _dump(manifest: dict) -> bytes:
    return (json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _assemble(stage: _Stage, manifest: dict, settings: Settings, sources: list[Source], register: Source | None,
              ctx, extracts: dict[str, Path], previous: dict, result: BuildResult) -> dict:
    """Add what the whole edition shares: TEI copies, edition-wide pages, assets. Returns the site manifest."""
    edition_files: dict[str, str] = {}
    for s in sources:
        rel = f"tei/{s.name}.xml"
        edition_files[rel] = stage.write(rel, s.data)
    if "html" in settings.outputs:
        from . import html

        ordered = [extracts[s.name].read_bytes() for s in sources if s.kind == "chapter"]
        pages = dict(html.static_assets())
        pages.update(html.edition_pages(register.path if register else None, ordered, ctx))
        for rel, data in sorted(pages.items()):
            if rel in edition_files or any(rel in e["files"] for e in manifest["chapters"].values()):
                raise EditioError(Diagnostic(rel, 0, 0, ERROR, "two parts of the build write the same file",
                                             "build.clash", "this is a bug in editio"))
            edition_files[rel] = stage.write(rel, data)
        result.rebuilt_parts.append("edition pages")
    manifest = dict(manifest, kind="site", shard=None, edition=edition_files)
    return manifest


# -- merging shards ------------------------------------------------------------------------

def merge(parts: list[str | Path], root: str | Path | None = None, *, out: str | Path | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Assemble parts made by ``build(shard=(K, N))`` into the site a full build would make.

    Every part must come from the same sources and editio as the edition in
    ``root``, and together the parts must cover every chapter exactly once.
    """
    progress = progress or Progress()
    started = time.perf_counter()
    edition = Edition.load(root)
    parts = [Path(p).resolve() for p in parts]
    try:
        manifests = []
        for p in parts:
            m = _load_manifest(p)
            if m.get("kind") != "part":
                raise usage_error(p, "not a part made by this editio's `editio build --shard K/N`",
                                  "merge.not-a-part", "build the parts with the same editio version and sources")
            manifests.append(m)
        first = manifests[0]
        # The parts carry the settings they were built with; the merge uses the same.
        settings = _settings(edition, out, first.get("reading"), first.get("outputs"))
        result = BuildResult(out_dir=settings.out_dir)
        with _locked(settings.out_dir):
            _merge_locked(edition, settings, parts, manifests, progress, result)
    finally:
        progress.close()
    result.seconds = time.perf_counter() - started
    return result


def _merge_locked(edition, settings, parts, manifests, progress, result):
    sources = _read_sources(edition, manifests[0]["kinds"], manifests[0]["inputs"])
    _check_output(settings, sources)
    inputs = {s.name: s.digest for s in sources}
    n = None
    seen: dict[str, Path] = {}
    for p, m in zip(parts, manifests):
        if m.get("inputs") != inputs or m.get("settings_fp") != settings.fingerprint():
            raise usage_error(p, "this part was built from other sources or settings than the edition here",
                              "merge.mismatch", "rebuild all parts from the same commit, then merge")
        k, n_here = m["shard"]
        if n is not None and n_here != n:
            raise usage_error(p, f"part {k}/{n_here} does not belong with parts of {n}", "merge.mismatch")
        n = n_here
        for name in m["chapters"]:
            if name in seen:
                raise usage_error(p, f"chapter {name!r} is in two parts ({seen[name]} and {p})", "merge.overlap")
            seen[name] = p
    chapters = [s for s in sources if s.kind == "chapter"]
    missing = [s.name for s in chapters if s.name not in seen]
    if missing:
        raise usage_error(parts[0], f"no part holds chapter(s) {', '.join(missing[:5])}", "merge.incomplete",
                          f"merge all {n} parts")
    register = next((s for s in sources if s.kind == "register"), None)
    ctx = _site_context(settings, sources)
    stage = _Stage(settings.out_dir)
    try:
        progress.stage("merging parts", len(parts))
        chapter_entries, extracts, pdf_entry = {}, {}, None
        for p, m in zip(parts, manifests):
            for name, entry in m["chapters"].items():
                files = _verified(p, entry.get("files"))
                if files is None:
                    raise usage_error(p, f"files of chapter {name!r} are missing or changed", "merge.damaged",
                                      "rebuild this part")
                for rel, (_, src) in files.items():
                    stage.link(rel, src)
                if entry.get("extract"):
                    rel = f"{EXTRACTS}/{name}.xml"
                    if _verified(p, {rel: entry["extract"]}) is None:
                        raise usage_error(p, f"extract of chapter {name!r} is missing or changed", "merge.damaged")
                    stage.link(rel, p / rel)
                    extracts[name] = stage.dir / rel
                chapter_entries[name] = entry
            if m.get("pdf"):
                files = _verified(p, m["pdf"].get("files"))
                if files is None:
                    raise usage_error(p, "the PDF of this part is missing or changed", "merge.damaged")
                for rel, (_, src) in files.items():
                    stage.link(rel, src)
                pdf_entry = m["pdf"]
            progress.step(str(p))
        if "pdf" in settings.outputs and pdf_entry is None:
            raise usage_error(parts[0], "no part holds the PDF (part 1 makes it)", "merge.incomplete")
        first = manifests[0]
        manifest = {
            "format": MANIFEST_FORMAT, "tool": tool_fingerprint(), "kind": "part", "shard": None,
            "all_key": first["all_key"], "inputs": inputs, "kinds": first["kinds"],
            "validation": first["validation"], "chapters": chapter_entries, "pdf": pdf_entry,
            "settings_fp": first["settings_fp"], "reading": first["reading"], "outputs": first["outputs"],
        }
        result.reused = sorted(chapter_entries)
        result.warnings = [Diagnostic(**w) for w in first["validation"].get("warnings", [])]
        progress.stage("edition pages", 0)
        manifest = _assemble(stage, manifest, settings, sources, register, ctx, extracts, {}, result)
        stage.write(MANIFEST, _dump(manifest))
        _swap_in(stage.dir, settings.out_dir)
    except BaseException:
        stage.discard()
        raise
