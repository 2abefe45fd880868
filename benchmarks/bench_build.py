#!/usr/bin/env python3
"""Time `editio build` as a whole process on a generated edition: full, no-op, one chapter changed, -j 1 vs -j 2.

    python benchmarks/bench_build.py --chapters 1000      # prints a Markdown table

Each case runs the real command in the generated edition's folder. Peak memory
is the largest sum of the resident memory of the build and all its worker
processes, sampled every 50 ms from /proc (so -j 2 counts both workers).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_corpus import generate  # noqa: E402
from timing import table  # noqa: E402

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TARGETS = {"full HTML": 15.0, "full HTML+PDF": 45.0, "no-op rebuild": 1.0, "one chapter changed": 2.0,
           "one chapter changed next to a name": 2.0}


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return found


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE_KB
        except OSError:
            continue
        todo.extend(_children(pid))
    return total


PYTHON = sys.executable


def measure(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, peak MB of the process tree, the summary line) of ``editio ARGS``."""
    env = dict(os.environ, CI="true")
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:  # a pipe could fill up and stall the build
        start = time.perf_counter()
        proc = subprocess.Popen([PYTHON, "-m", "editio", *args], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        log.seek(0)
        err = log.read()
    if proc.returncode != 0:
        raise SystemExit(f"editio {' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    summary = next((line for line in reversed(err.splitlines()) if line.strip()), "")
    stages = [m.group(1) + " " + m.group(2) for m in re.finditer(r"^  (\w+): ([\d.]+ s)$", err, re.M)]
    return wall, peak / 1024, summary + (f" [{', '.join(stages)}]" if stages else "")


def _before_first_name_in_text(text: str) -> str:
    """A word put before the first person named in a paragraph (not in the heading: that would change the title)."""
    at = text.index("<persName", text.index("<p "))
    return text[:at] + "Changed " + text[at:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--skip-pdf", action="store_true", help="leave out the HTML+PDF cases")
    ap.add_argument("--only-pdf", action="store_true", help="run only the HTML+PDF cases")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python whose editio to time (e.g. a venv with a wheel: a stable snapshot)")
    args = ap.parse_args()
    global PYTHON
    PYTHON = args.python

    edition = args.out / f"build-{args.chapters}"
    if not (edition / "edition.toml").is_file():
        generate(args.chapters, edition)
    site = edition / "site"
    rows, details = [], []

    def case(name: str, cli: list[str], fresh: bool = True) -> None:
        if fresh:  # from scratch: no previous output, and none of the caches kept beside it
            shutil.rmtree(site, ignore_errors=True)
            for side in edition.glob(".site.*"):
                side.unlink()
        wall, mb, summary = measure(["build", "--verbose", *cli], edition)
        target = TARGETS.get(name)
        verdict = "" if target is None else ("yes" if wall <= target else "no")
        rows.append((name, " ".join(["editio build", *cli]), f"{wall:.2f}", f"{mb:.0f}",
                     f"≤ {target:g} s" if target else "", verdict))
        details.append((name, summary))
        print(f"{name}: {wall:.2f} s, {mb:.0f} MB  -- {summary}", file=sys.stderr, flush=True)

    if not args.only_pdf:
        case("full HTML", ["--no-pdf", "--no-text", "-j", "1"])
        case("full HTML, -j 2", ["--no-pdf", "--no-text", "-j", "2"])
        case("no-op rebuild", ["--no-pdf", "--no-text", "-j", "1"], fresh=False)
        chapter = sorted((edition / "tei").glob("ch-*.xml"))[args.chapters // 2]
        original = chapter.read_text(encoding="utf-8")
        # Two kinds of edit: a word at the start of the first paragraph (in this chapter far from any name, so
        # its extract and parts stay the same), and a word right before a name (its snippets change, so its
        # register backlinks are made again and the edition-wide pages spliced again).
        edits = [("one chapter changed", lambda t: re.sub(r"(<p [^>]*>)", r"\1Changed. ", t, count=1)),
                 ("one chapter changed next to a name", _before_first_name_in_text)]
        try:
            for name, change in edits:
                chapter.write_text(change(original), encoding="utf-8")
                case(name, ["--no-pdf", "--no-text", "-j", "1"], fresh=False)
                chapter.write_text(original, encoding="utf-8")
        finally:
            chapter.write_text(original, encoding="utf-8")
    if not args.skip_pdf:
        case("full HTML+PDF", ["-j", "1"])
        case("full HTML+PDF, -j 2", ["-j", "2"])
        case("no-op rebuild, HTML+PDF", ["-j", "2"], fresh=False)
    print(f"\n{args.chapters} chapters, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d', time.gmtime())}; whole process, one run each\n")
    print(table(rows, ("case", "command", "wall s", "peak MB", "target", "met")))
    print("\nWhere the time went (seconds inside the process, from `editio build --verbose`):\n")
    for name, detail in details:
        print(f"- {name}: {detail}")


if __name__ == "__main__":
    main()
