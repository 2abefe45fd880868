#!/usr/bin/env python3
"""Time `editio validate` as a whole process on the chapter and on a 200-chapter corpus, beside jing;
and, with --incremental N, validation with a ValidationCache on an N-chapter corpus (in-process).

    python benchmarks/bench_validate.py                    # prints Markdown tables
    python benchmarks/bench_validate.py --incremental 1000 # also the cached cases on 1,000 chapters
    python benchmarks/bench_validate.py --python /tmp/editio-venv/bin/python   # editio installed in a venv

Every Python process pays for the site-packages of its interpreter (their
.pth start-up hooks run before any program): `python -c pass` is timed as
the floor, so compare editio's figures with it. See the README here for
editio in a virtual environment of its own vs. the system interpreter.

Targets on the 2-core reference machine: one chapter <= 0.2 s, 200 chapters
<= 1.2 s, `editio --help` <= 0.15 s. The incremental cases are what
`editio build` pays for validation after an edit (issue #7).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import ROOT, generate, source_edition  # noqa: E402
from timing import measure, table  # noqa: E402

def editio_command(python: str) -> list[str]:
    """How a user runs the editio installed for ``python``: its console script, else ``python -m editio``."""
    script = Path(python).parent / "editio"
    return [str(script)] if script.exists() else [python, "-m", "editio"]


def processes(work: Path, python: str) -> None:
    editio = editio_command(python)
    chapter, register = source_edition()
    corpus = generate(200, work / "corpus200")
    corpus_files = sorted(str(p) for p in (corpus / "tei").glob("*.xml"))
    one = [str(chapter), str(register)]
    rows = []

    def best(cmd, repeat=5):
        return min((measure(cmd) for _ in range(repeat)), key=lambda r: r[0])

    wall, cpu, mem, _ = best([python, "-c", "pass"])
    rows.append(("`python -c pass` (the interpreter's floor)", "-", f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}"))
    wall, cpu, mem, _ = best(editio + ["--help"])
    rows.append(("editio --help", "-", f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}"))
    for label, files, options in (("1 chapter + register", one, []),
                                  ("200 chapters + register", corpus_files, []),
                                  ("200 chapters + register, `-j 1`", corpus_files, ["-j", "1"])):
        wall, cpu, mem, code = best(editio + ["validate", *options, *files])
        rows.append((f"editio validate, {label}", f"exit {code}", f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}"))
        if options:
            continue
        if shutil.which("jing"):
            wall, cpu, mem, code = best(["jing", str(ROOT / "schema" / "editio.rng"), *files], repeat=3)
            rows.append((f"jing editio.rng (RelaxNG only), {label}", f"exit {code}", f"{wall:.3f}", f"{cpu:.3f}",
                         f"{mem:.0f}"))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"python: {python}")
    print(table(rows, ("run", "result", "wall s (best of 5)", "CPU s", "peak MB")))


def incremental(work: Path, chapters: int, repeat: int = 3) -> None:
    """Cold, then warm runs after no change, a text change and an id change, with load and save of the cache."""
    from editio.validation import ValidationCache, validate

    tei = generate(chapters, work / f"corpus{chapters}") / "tei"
    edited = sorted(tei.glob("*.xml"))[chapters // 2]
    original = edited.read_text(encoding="utf-8")
    cache_file = work / "validation-cache.jsonl"
    validate([str(tei / "register.xml")])  # imports and schemas, as in a build that validated before

    def run(use_cache: bool) -> tuple[float, float, str]:
        start, cpu = time.perf_counter(), time.process_time()
        cache = ValidationCache.load(cache_file) if use_cache else None
        report = validate([tei], cache=cache)
        if cache is not None:
            cache.save(cache_file)
        return time.perf_counter() - start, time.process_time() - cpu, report.summary().split(" in ")[0]

    cases = [
        ("no cache", None, False),
        ("cold (no cache file)", None, True),
        ("warm, nothing changed", lambda: None, True),
        ("warm, one chapter's text changed", lambda: edited.write_text(
            original.replace("</p>", " Edited.</p>", 1), encoding="utf-8"), True),
        ("warm, one chapter's ids changed", lambda: edited.write_text(
            re.sub(r'xml:id="([^"]+)"', r'xml:id="\1-x"', original, count=3), encoding="utf-8"), True),
    ]
    rows = []
    for label, edit, use_cache in cases:
        results = []
        for _ in range(repeat):
            edited.write_text(original, encoding="utf-8")
            if edit is None:
                cache_file.unlink(missing_ok=True)
            else:
                run(True)  # the cache as it was before the edit
                edit()
            results.append(run(use_cache))
        wall, cpu, summary = min(results, key=lambda r: r[1])
        rows.append((label, summary, f"{wall:.2f}", f"{cpu:.2f}"))
    print(f"\n{chapters} chapters, in-process (imports excluded), best of {repeat} by CPU; "
          f"load average {os.getloadavg()[0]:.2f}; cache file {cache_file.stat().st_size // 1024} KB")
    print(table(rows, ("validate(cache=...) with load and save", "report", "wall s", "CPU s")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incremental", type=int, metavar="N", default=0,
                        help="also time cached validation on an N-chapter corpus")
    parser.add_argument("--no-processes", action="store_true", help="skip the whole-process table")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter whose editio is timed (e.g. a venv's bin/python)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="editio-bench-"))
    try:
        if not args.no_processes:
            processes(work, args.python)
        if args.incremental:
            incremental(work, args.incremental)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
