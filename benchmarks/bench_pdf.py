#!/usr/bin/env python3
"""Time `editio pdf` as a whole process: the edition's chapter, and a 200-chapter corpus as one volume.

    python benchmarks/bench_pdf.py                 # prints a Markdown table
    python benchmarks/bench_pdf.py --chapters 50 --repeat 1

The corpus comes from benchmarks/gen_corpus.py (copies of the edition's chapter
with unique ids and a shared register). Wall time is the best of --repeat runs;
peak memory is that run's own maximum resident set (os.wait4, i.e. the
ru_maxrss of exactly that child). Targets on the 2-core reference machine:
chapter <= 0.5 s; 200 chapters <= 6 s and <= 600 MB.
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
TARGETS = {"chapter": (0.5, None), "corpus": (6.0, 600.0)}


def measure(label: str, folder: Path, out: Path, repeat: int, target: tuple) -> tuple:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764288000")
    wall, peak, code = best_of([*EDITIO, "pdf", "--out", str(out)], repeat=repeat, cwd=folder, env=env)
    if code != 0:
        raise SystemExit(f"{label}: editio pdf failed with exit code {code}")
    pages = _pages(out)
    limit_s, limit_mb = target
    verdict = "ok" if wall <= limit_s and (limit_mb is None or peak <= limit_mb) else "over target"
    return (label, pages, f"{wall:.2f}", f"{peak:.0f}", f"≤ {limit_s} s" + (f", ≤ {limit_mb:.0f} MB" if limit_mb else ""),
            verdict)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="editio-bench-pdf-"))
    try:
        rows = [measure("chapter 59 (this edition)", ROOT, work / "chapter.pdf", args.repeat, TARGETS["chapter"])]
        corpus = generate(args.chapters, work / f"corpus{args.chapters}")
        rows.append(measure(f"{args.chapters} chapters, one volume", corpus, work / "corpus.pdf",
                            max(1, args.repeat - 1), TARGETS["corpus"]))
        print(table(rows, ("case", "pages", "wall s", "peak MB", "target", "")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
