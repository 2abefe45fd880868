#!/usr/bin/env python3
"""Time `editio html` as a whole process: the edition's chapter, and a generated 200-chapter corpus.

    python benchmarks/bench_html.py                 # prints a Markdown table
    python benchmarks/bench_html.py --chapters 50 --repeat 1

The corpus comes from benchmarks/gen_corpus.py (copies of the edition's chapter
with unique ids and a shared register). Wall time is the best of --repeat runs;
peak memory is that run's own maximum resident set (os.wait4: the ru_maxrss of
exactly that child, like resource.getrusage(RUSAGE_CHILDREN) for a single
child). Targets on the 2-core reference machine: chapter <= 0.4 s, 200 chapters
<= 3 s. (For scale: the TEI Stylesheets' HTML5 conversion on Saxon-HE for Java
takes about 3.7 s and 9.9 s here.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import ROOT, generate  # noqa: E402
from timing import best_of, table  # noqa: E402

EDITIO = [sys.executable, "-m", "editio"]
TARGETS = {"chapter": 0.4, "corpus": 3.0}


def measure(label: str, folder: Path, out: Path, repeat: int, limit: float) -> tuple:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764288000")
    wall, peak, code = best_of([*EDITIO, "html", "--out", str(out)], repeat=repeat, cwd=folder, env=env)
    if code != 0:
        raise SystemExit(f"{label}: editio html failed with exit code {code}")
    pages = len(list(out.glob("*.html")))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1024 / 1024
    verdict = "ok" if wall <= limit else "over target"
    return label, pages, f"{size:.1f}", f"{wall:.2f}", f"{peak:.0f}", f"≤ {limit} s", verdict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="editio-bench-html-"))
    try:
        rows = [measure("chapter 59 (this edition)", ROOT, work / "site-chapter", args.repeat, TARGETS["chapter"])]
        corpus = generate(args.chapters, work / f"corpus{args.chapters}")
        rows.append(measure(f"{args.chapters} chapters", corpus, work / "site-corpus", max(1, args.repeat - 1),
                            TARGETS["corpus"]))
        print(table(rows, ("case", "pages", "site MB", "wall s", "peak MB", "target", "")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
