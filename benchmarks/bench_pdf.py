#!/usr/bin/env python3
"""Time `editio pdf` as a whole process: the edition's chapter, and a 200-chapter corpus as one volume.

    python benchmarks/bench_pdf.py                 # prints a Markdown table
    python benchmarks/bench_pdf.py --chapters 50 --repeat 1
    python benchmarks/bench_pdf.py --chapters 50 --costs   # where the time goes (stages, constructs)

The corpus comes from benchmarks/gen_corpus.py (copies of the edition's chapter
with unique ids and a shared register). Wall time is the best of --repeat runs;
peak memory is that run's own maximum resident set (os.wait4, i.e. the
ru_maxrss of exactly that child). Targets on the 2-core reference machine:
chapter <= 0.5 s; 200 chapters <= 6 s and <= 600 MB.

--costs splits one run on the corpus into its stages (CPU seconds in one
process) and then typesets the generated markup again with one construct of
the book design switched off at a time, each in a fresh process (Typst keeps
memoized layouts for the life of a process, which would flatter later runs).
"""

from __future__ import annotations

import argparse
import io
import json
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

EDITIO = [sys.executable, "-m", "editio"]
TARGETS = {"chapter": (0.5, None), "corpus": (6.0, 600.0)}


def run_with_cpu(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, float, int]:
    """Like timing.run_measured, plus the child's CPU seconds (user + system): (wall, cpu, peak MB, exit code).

    On a shared machine the CPU time says what editio costs; the wall time adds
    the waiting for a core.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status))


def measure(label: str, folder: Path, out: Path, repeat: int, target: tuple) -> tuple:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764288000")
    runs = [run_with_cpu([*EDITIO, "pdf", "--out", str(out)], folder, env) for _ in range(repeat)]
    wall, cpu, peak, code = min(runs)
    if code != 0:
        raise SystemExit(f"{label}: editio pdf failed with exit code {code}")
    pages = _pages(out)
    limit_s, limit_mb = target
    verdict = "ok" if wall <= limit_s and (limit_mb is None or peak <= limit_mb) else "over target"
    load = os.getloadavg()[0]
    return (label, pages, f"{wall:.2f}", f"{cpu:.2f}", f"{peak:.0f}", f"{load:.1f}",
            f"≤ {limit_s} s" + (f", ≤ {limit_mb:.0f} MB" if limit_mb else ""), verdict)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


# Book-design constructs, each switched off by redefining it after book-style.typ
# (the definitions go in front of the title page), plus Typst options.
VARIANTS = {
    "the book as designed": ("", {}),
    "footnotes set inline, in parentheses": ("#let footnote(body, numbering: none) = [ (#body)]", {}),
    "no footnotes at all": ("#let footnote(body, numbering: none) = none", {}),
    "no apparatus (anchors, entries, page look-ups)": ("#let app-anchor(id) = none\n#let app-entry(..a) = none", {}),
    "no index anchors in the text": ("#let ix(key) = none", {}),
    "no index": ("#let index-sections(..a) = none", {}),
    "no margin paragraph numbers": ("#let pn(n, first: false) = none", {}),
    "no running heads and feet": ("#let running-head(..a) = none\n#let running-foot(..a) = none", {}),
    "no hyphenation": ("#set text(hyphenate: false)", {}),
    "greedy line breaking": ('#set par(linebreaks: "simple")', {}),
    "untagged PDF": ("", {"pdf_tags": False}),
    "plain PDF, not PDF/A-3b": ("", {"pdf_standards": []}),
}


def _typeset_variant(markup_path: str, root: str, name: str) -> None:
    """(Run in a child process.) Typeset the markup with one construct off; print CPU s, pages, peak MB."""
    import typst
    from pypdf import PdfReader

    code, options = VARIANTS[name]
    markup = Path(markup_path).read_text(encoding="utf-8").replace("// Title page\n", code + "\n// Title page\n", 1)
    kwargs = dict(format="pdf", root=root, ignore_system_fonts=True, pdf_standards="a-3b",
                  timestamp=1764288000, pdf_tags=True) | options
    before = time.process_time()
    pdf = typst.compile(markup.encode("utf-8"), **kwargs)
    cpu = time.process_time() - before
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    status = Path("/proc/self/status").read_text()
    peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
    print(json.dumps({"cpu": cpu, "pages": len(PdfReader(io.BytesIO(pdf)).pages), "peak": peak}))


def costs(folder: Path, work: Path) -> str:
    """Stage times of one in-process run on ``folder``, then the Typst cost of each construct."""
    from editio import pdf
    from editio.edition import Edition
    from editio.transform import stylesheet

    rows = []
    t = time.process_time()
    edition = Edition.load(folder)
    xml_text, files, trees = pdf.wrapper_document(edition, "corrected")
    rows.append(("load the TEI, build the wrapper (lxml)", f"{time.process_time() - t:.2f}"))
    t = time.process_time()
    stylesheet(pdf.STYLESHEET)
    rows.append(("compile the print stylesheet (Saxon)", f"{time.process_time() - t:.2f}"))
    t = time.process_time()
    markup, files, timestamp, _ = pdf.typst_markup(edition)
    rows.append(("XSLT to Typst markup (Saxon, with the wrapper again)", f"{time.process_time() - t:.2f}"))
    t = time.process_time()
    pdf.compile_markup(markup, files, timestamp)
    rows.append(("Typst to PDF/A-3b", f"{time.process_time() - t:.2f}"))
    out = [table(rows, ("stage (one process)", "CPU s"))]
    kept = work / "book.typ"
    kept.write_text(markup, encoding="utf-8")
    root = str(pdf.typst_root(files))
    base = None
    rows = []
    for name in VARIANTS:
        done = subprocess.run([sys.executable, __file__, "--typeset-variant", str(kept), root, name],
                              capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        base = base or result
        rows.append((name, result["pages"], f"{result['cpu']:.2f}", f"{result['cpu'] - base['cpu']:+.2f}",
                     f"{result['peak']:.0f}"))
    out.append(table(rows, ("Typst run", "pages", "CPU s", "vs designed", "peak MB")))
    return "\n\n".join(out)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--typeset-variant":
        _typeset_variant(*sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--costs", action="store_true", help="stage and construct costs instead of whole runs")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="editio-bench-pdf-"))
    try:
        if args.costs:
            print(costs(generate(args.chapters, work / f"corpus{args.chapters}"), work))
            return
        rows = [measure("chapter 59 (this edition)", ROOT, work / "chapter.pdf", args.repeat, TARGETS["chapter"])]
        corpus = generate(args.chapters, work / f"corpus{args.chapters}")
        rows.append(measure(f"{args.chapters} chapters, one volume", corpus, work / "corpus.pdf",
                            max(1, args.repeat - 1), TARGETS["corpus"]))
        print(table(rows, ("case", "pages", "wall s", "CPU s", "peak MB", "load", "target", "")))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
