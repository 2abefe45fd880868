#!/usr/bin/env python3
"""Compare the web stylesheets of two (or more) xslt/ trees on one chapter, in one process.

    python benchmarks/ab_stylesheets.py /tmp/xslt-before xslt            # chapter pages
    python benchmarks/ab_stylesheets.py --mode extract /tmp/xslt-before xslt
    python benchmarks/ab_stylesheets.py --mode parts --runs 100 A B C

Each tree's `html/site.xsl` is compiled in this process, then the chosen
transformation of the edition's chapter (page, extract or parts) runs with
each tree in turn, `--runs` times, and the thread's CPU time of every run is
recorded. Alternating the trees within one process cancels most of the drift
that makes separate whole-process timings on a shared machine useless for
differences of a few milliseconds (the same run can take 13 or 22 ms minutes
apart). Copy xslt/ aside, edit one template, and compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from editio import html, transform  # noqa: E402
from editio.edition import Edition  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", type=Path, help="xslt/ folders to compare (the first is the reference)")
    ap.add_argument("--mode", choices=("page", "extract", "parts"), default="page")
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--edition", type=Path, default=ROOT, help="the edition whose first chapter is transformed")
    args = ap.parse_args()

    edition = Edition.load(args.edition)
    chapters, register, trees = html._split(edition.files)
    chapter = chapters[0]
    ctx = html._site_context(edition, chapters, register, trees, [])
    doc = html._parse_chapter(chapter, trees[chapter])
    sheets = [transform.Stylesheet(tree / "html" / "site.xsl") for tree in args.trees]

    def run(sheet) -> None:
        transform.stylesheet = lambda relative: sheet  # editio.html looks the stylesheet up at each run
        if args.mode == "page":
            html._page_of(doc, chapter, register, ctx, [])
            return
        extract = html._extract_of(doc, chapter, [], as_node=True, header=False, note_copies=False)
        if args.mode == "parts":
            start = time.thread_time()
            html.chapter_parts(extract, register, ctx, [])
            return time.thread_time() - start

    times: list[list[float]] = [[] for _ in sheets]
    for sheet in sheets:  # warm up each: first runs pay for a garbage collection after the compile
        for _ in range(5):
            run(sheet)
    for _ in range(args.runs):
        for sheet, made in zip(sheets, times):
            start = time.thread_time()
            own = run(sheet)
            made.append(own if own is not None else time.thread_time() - start)
    print(f"{args.mode} of {chapter.name}, CPU ms per run, {args.runs} runs each, alternated:")
    for tree, made in zip(args.trees, times):
        made.sort()
        print(f"  {str(tree):40s} min {1000 * made[0]:6.2f}  p25 {1000 * made[len(made) // 4]:6.2f}  "
              f"median {1000 * statistics.median(made):6.2f}")


if __name__ == "__main__":
    main()
