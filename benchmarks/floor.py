#!/usr/bin/env python3
"""What `editio html` cannot go below with saxonche: start-up, compile, and a chapter walked by the cheapest stylesheet.

    python benchmarks/floor.py                      # the edition's chapter and 40 generated chapters
    python benchmarks/floor.py --repeat 9 --chapters 80

The start-up ladder runs the editio this Python has installed (installed, its
modules are byte-compiled, as a user's are), in the edition's folder; the
other measurements time transformations only, with this checkout's editio.

Four measurements, for deciding where time can still be won:

1. **Start-up ladder**, whole processes, best of --repeat: the interpreter
   alone; `editio --help`; importing what `editio html` needs besides (lxml,
   saxonche); starting Saxon (its processor and an empty stylesheet);
   compiling the web edition's `site.xsl`; and the real `editio html` of the
   edition's chapter. Each rung adds to the one above it; the last is the real
   command.
2. **The first garbage collection**: in a fresh process, after compiling,
   the edition's chapter page made 12 times; the run that takes Saxon's first
   collection stands out from the others.
3. **Two cores**: the same chapters made whole in one process alone, then in
   two processes side by side, five times. The CPU time each takes shows how
   much of a second core a second process gets.
4. **Per chapter**, in one process, CPU time of the calling thread (Saxon runs
   and collects its garbage there) over generated chapters: Saxon parsing the
   line-marked chapter; two stand-in stylesheets that do the least a chapter
   page could do (an identity copy to HTML, and a walk that turns every element
   into a span); and the site's own page, extract, and summary and parts. The
   last line estimates a 200-chapter run on two cores if the site's three
   transformations cost no more than the identity copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tools"))
from gen_corpus import ROOT, generate  # noqa: E402
from timing import measure, table  # noqa: E402

#: The least a chapter page could do: copy the chapter (mode "copy") or make a span of every element ("walk").
STAND_INS = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>
  <xsl:mode name="copy" on-no-match="shallow-copy"/>
  <xsl:mode name="walk" on-no-match="shallow-skip"/>
  <xsl:template match="/" mode="walk"><html><body><xsl:apply-templates mode="walk"/></body></html></xsl:template>
  <xsl:template match="*" mode="walk"><span class="{local-name()}"><xsl:apply-templates mode="walk"/></span></xsl:template>
  <xsl:template match="text()" mode="walk"><xsl:value-of select="."/></xsl:template>
</xsl:stylesheet>
"""

EMPTY = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/"><done/></xsl:template>
</xsl:stylesheet>
"""


def start_up_ladder(repeat: int, work: Path, env: dict) -> list[tuple]:
    """Whole-process rungs: (label, best wall s, CPU s of that run, median wall s)."""
    empty = work / "empty.xsl"
    empty.write_text(EMPTY, encoding="utf-8")
    py = sys.executable
    start_saxon = "from editio import transform; transform.Stylesheet(%r)" % str(empty)
    imports = "import editio.cli, editio.html, saxonche"
    rungs = [
        ("Python, nothing imported", [py, "-c", "pass"]),
        ("editio --help (click, editio's CLI)", [py, "-m", "editio", "--help"]),
        ("+ editio.html, lxml and saxonche imported", [py, "-c", imports]),
        ("+ Saxon started (an empty stylesheet compiled)", [py, "-c", imports + "; " + start_saxon]),
        ("+ site.xsl compiled", [py, "-c", imports + "; " + start_saxon + "; transform.stylesheet(editio.html._SITE)"]),
        ("editio html (the edition's chapter)", [py, "-m", "editio", "html", "--out", str(work / "site")]),
    ]
    rows = []
    for label, cmd in rungs:
        runs = [measure(cmd, cwd=ROOT, env=env) for _ in range(repeat)]
        failed = [r[3] for r in runs if r[3] != 0]
        if failed:
            raise SystemExit(f"{label}: exit code {failed[0]}")
        wall, cpu, _, _ = min(runs, key=lambda r: r[0])
        rows.append((label, wall, cpu, statistics.median(r[0] for r in runs)))
    return rows


def _edition(folder: Path):
    """(chapters, register, trees, site context) of the edition in ``folder``, as `editio html` prepares them."""
    from editio import html
    from editio.edition import Edition

    edition = Edition.load(folder)
    chapters, register, trees = html._split(edition.files)
    return chapters, register, trees, html._site_context(edition, chapters, register, trees, [])


def _pages_again(runs: int) -> list[float]:
    """(In a fresh process.) CPU ms of each of ``runs`` pages of the first chapter here, made one after another."""
    from editio import html

    chapters, register, trees, ctx = _edition(Path("."))
    doc = html._parse_chapter(chapters[0], trees[chapters[0]])
    times = []
    for _ in range(runs):
        start = time.thread_time()
        html._page_of(doc, chapters[0], register, ctx, [])
        times.append(1000 * (time.thread_time() - start))
    return times


def _chapters_whole(count: int) -> float:
    """(In a fresh process.) CPU s of making the first ``count`` chapters here whole (page, extract, parts), after
    three made to warm up."""
    from editio import html

    chapters, register, trees, ctx = _edition(Path("."))
    html._chapters_made(chapters[:3], dict(trees), register, ctx, False, [])
    start = time.thread_time()
    html._chapters_made(chapters[:count], trees, register, ctx, False, [])
    return time.thread_time() - start


#: What ``floor.py --child NAME N`` runs and prints (as JSON): measurements that need a fresh process.
CHILDREN = {"pages-again": _pages_again, "chapters-whole": _chapters_whole}


def _child(name: str, n: int, cwd: Path, env: dict):
    """Start ``floor.py --child name n`` in ``cwd``; its output is read with :func:`_answer`."""
    import subprocess

    return subprocess.Popen([sys.executable, __file__, "--child", name, str(n)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, text=True)


def _answer(proc):
    import json

    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(proc.args[1:])}: exit code {proc.returncode}")
    return json.loads(out)


def first_collection(runs: int, env: dict) -> list[float]:
    """CPU ms of ``runs`` pages of the edition's chapter made one after another in a fresh process: the run that
    takes the first garbage collection of Saxon's heap stands out."""
    return _answer(_child("pages-again", runs, ROOT, env))


def side_by_side(corpus: Path, chapters: int, rounds: int, env: dict) -> list[tuple[float, list[float]]]:
    """For each round: the CPU seconds of making ``chapters`` chapters in one process alone, and in each of two
    processes running at the same time (on an idle two-core machine the three figures would be equal)."""
    results = []
    for _ in range(rounds):
        alone = _answer(_child("chapters-whole", chapters, corpus, env))
        pair = [_child("chapters-whole", chapters, corpus, env) for _ in range(2)]
        results.append((alone, [_answer(proc) for proc in pair]))
    return results


def per_chapter(corpus: Path, count: int, work: Path) -> dict[str, list[float]]:
    """CPU ms of each step for each of ``count`` chapters (after a warm-up that takes the first collections)."""
    from editio import html, transform

    stand_ins = work / "stand-ins.xsl"
    stand_ins.write_text(STAND_INS, encoding="utf-8")
    chapters, register, trees, ctx = _edition(corpus)
    chapters = chapters[:count]
    cheap = transform.Stylesheet(stand_ins)
    transform.stylesheet(html._SITE)
    steps: dict[str, list[float]] = {name: [] for name in
                                     ("parse", "identity copy", "span walk", "page", "extract", "summary + parts")}

    def timed(name, call):
        start = time.thread_time()
        value = call()
        steps[name].append(1000 * (time.thread_time() - start))
        return value

    for warm_up in (True, False):
        for path in chapters[:5] if warm_up else chapters:
            doc = timed("parse", lambda: html._parse_chapter(path, trees[path]))
            timed("identity copy", lambda: cheap.run(xdm_node=doc, initial_mode="copy"))
            timed("span walk", lambda: cheap.run(xdm_node=doc, initial_mode="walk"))
            timed("page", lambda: html._page_of(doc, path, register, ctx, []))
            extract = timed("extract", lambda: html._extract_of(doc, path, [], as_node=True, header=False,
                                                                note_copies=False))
            timed("summary + parts", lambda: html.chapter_parts(extract, register, ctx, []))
        if warm_up:
            for made in steps.values():
                made.clear()
    return steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs of each start-up rung (the best is shown)")
    ap.add_argument("--chapters", type=int, default=40, help="generated chapters timed one by one")
    ap.add_argument("--child", nargs=2, metavar=("NAME", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        import json

        print(json.dumps(CHILDREN[args.child[0]](int(args.child[1]))))
        return
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764288000")
    work = Path(tempfile.mkdtemp(prefix="editio-floor-"))
    try:
        rungs = start_up_ladder(args.repeat, work, env)
        rows, before = [], 0.0
        for label, wall, cpu, median in rungs:
            rows.append((label, f"{wall:.3f}", f"{cpu:.3f}", f"{wall - before:+.3f}" if before else "", f"{median:.3f}"))
            before = wall
        print(f"Start-up ladder, whole process, best of {args.repeat}:\n")
        print(table(rows, ("rung", "best wall s", "its CPU s", "step s", "median wall s")))

        pages = [first_collection(12, env) for _ in range(3)]
        print("\nThe edition's chapter page made 12 times in a fresh process after the compile, CPU ms "
              "(three processes):\n")
        for times in pages:
            print("    " + " ".join(f"{ms:.0f}" for ms in times))
        first = [times[0] - statistics.median(times) for times in pages]
        spikes = [max(times[1:]) - statistics.median(times) for times in pages]
        print(f"\nThe first run exceeds the median by {min(first):.0f}–{max(first):.0f} ms (the first use of the "
              f"page's code); the slowest of the others by {min(spikes):.0f}–{max(spikes):.0f} ms (Saxon's first "
              "garbage collection). Every process pays both once.")

        corpus = generate(args.chapters, work / "corpus")
        print(f"\n{args.chapters} chapters made whole (page, extract, parts), CPU s, one process alone and then "
              "two side by side:\n")
        for alone, pair in side_by_side(corpus, args.chapters, 5, env):
            print(f"    alone {alone:.2f}   side by side {pair[0]:.2f} and {pair[1]:.2f}")

        steps = per_chapter(corpus, args.chapters, work)
        rows = [(name, f"{min(ms):.1f}", f"{statistics.median(ms):.1f}") for name, ms in steps.items()]
        print(f"\nPer chapter, CPU ms of this thread, {args.chapters} generated chapters:\n")
        print(table(rows, ("step", "min", "median")))
        best = {name: min(ms) for name, ms in steps.items()}
        site = best["page"] + best["extract"] + best["summary + parts"]
        floor = best["parse"] + 3 * best["identity copy"]
        print(f"\nAt best a chapter costs {best['parse'] + site:.1f} ms (parse {best['parse']:.1f} + the site's "
              f"transformations {site:.1f}). If each of the three cost no more than the identity copy, "
              f"{floor:.1f} ms: 200 chapters on two cores {0.1 * floor:.2f} s of transformations, before "
              f"start-up, compiling and the edition-wide pages.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
