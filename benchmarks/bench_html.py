#!/usr/bin/env python3
"""Time `editio html` as a whole process: the edition's chapter, and a generated 200-chapter corpus.

    python benchmarks/bench_html.py                 # prints a Markdown table
    python benchmarks/bench_html.py --chapters 50 --repeat 1
    python benchmarks/bench_html.py --tools /tmp/old/tools   # time another checkout's editio (before/after)

The corpus comes from benchmarks/gen_corpus.py (copies of the edition's
chapter with unique ids and a shared register); the corpus is timed as `editio
html` runs by default (the chapters shared among forked processes, one per
core), with `-j 1` (one process) and with `-j 2` (two processes).
Wall time is the best of --repeat runs; CPU is user + system time of that run
including its worker processes, and peak memory its largest resident set
(os.wait4: the usage of exactly that child and the children it waited for;
with workers it is the largest single process, not their sum). On a shared
machine CPU time is the honest figure: wall time grows with other people's
load. Targets on the 2-core reference machine: chapter <= 0.4 s, 200 chapters
<= 3 s. (For scale: the TEI Stylesheets' HTML5 conversion on Saxon-HE for Java
takes about 3.7 s and 9.9 s here.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import ROOT, generate  # noqa: E402
from timing import table  # noqa: E402

TARGETS = {"chapter": 0.4, "corpus": 3.0}


def run_once(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak MB, exit code) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def measure(label: str, folder: Path, out: Path, repeat: int, limit: float, env: dict, jobs: int | None = None) -> tuple:
    cmd = [sys.executable, "-m", "editio", "html", "--out", str(out)] + (["-j", str(jobs)] if jobs else [])
    wall, cpu, peak, code = min((run_once(cmd, folder, env) for _ in range(repeat)), key=lambda r: r[0])
    if code != 0:
        raise SystemExit(f"{label}: editio html failed with exit code {code}")
    pages = len(list(out.glob("*.html")))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1024 / 1024
    verdict = "ok" if wall <= limit else "over target"
    return label, pages, f"{size:.1f}", f"{wall:.2f}", f"{cpu:.2f}", f"{peak:.0f}", f"≤ {limit} s", verdict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tools", type=Path, help="time the editio package in this folder (e.g. an older checkout's tools/)")
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764288000")
    if args.tools:
        env["PYTHONPATH"] = str(args.tools.resolve())
    work = Path(tempfile.mkdtemp(prefix="editio-bench-html-"))
    try:
        rows = [measure("chapter 59 (this edition)", ROOT, work / "site-chapter", args.repeat, TARGETS["chapter"], env)]
        corpus = generate(args.chapters, work / f"corpus{args.chapters}")
        repeat = max(1, args.repeat - 1)
        rows.append(measure(f"{args.chapters} chapters", corpus, work / "site-corpus", repeat, TARGETS["corpus"], env))
        if not args.tools:  # -j exists only since this benchmark's "after"
            for jobs in (1, 2):
                rows.append(measure(f"{args.chapters} chapters, -j {jobs}", corpus, work / f"site-corpus-j{jobs}",
                                    repeat, TARGETS["corpus"], env, jobs=jobs))
        print(table(rows, ("case", "pages", "site MB", "wall s", "CPU s", "peak MB", "target", "")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
