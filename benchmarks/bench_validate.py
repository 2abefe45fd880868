#!/usr/bin/env python3
"""Time `editio validate` as a whole process on the chapter and on a 200-chapter corpus, beside jing.

    python benchmarks/bench_validate.py            # prints a Markdown table

Targets on the 2-core reference machine: one chapter <= 0.2 s, 200 chapters
<= 1.2 s, `editio --help` <= 0.15 s.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import ROOT, generate, source_edition  # noqa: E402
from timing import measure, table  # noqa: E402

EDITIO = [sys.executable, "-m", "editio"]


def main() -> None:
    chapter, register = source_edition()
    work = Path(tempfile.mkdtemp(prefix="editio-bench-"))
    corpus = generate(200, work / "corpus200")
    corpus_files = sorted(str(p) for p in (corpus / "tei").glob("*.xml"))
    one = [str(chapter), str(register)]
    rows = []

    def best(cmd, repeat=5):
        return min((measure(cmd) for _ in range(repeat)), key=lambda r: r[0])

    wall, cpu, mem, _ = best(EDITIO + ["--help"])
    rows.append(("editio --help", "-", f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}"))
    for label, files in (("1 chapter + register", one), ("200 chapters + register", corpus_files)):
        wall, cpu, mem, code = best(EDITIO + ["validate", *files])
        rows.append((f"editio validate, {label}", f"exit {code}", f"{wall:.3f}", f"{cpu:.3f}", f"{mem:.0f}"))
        if shutil.which("jing"):
            wall, cpu, mem, code = best(["jing", str(ROOT / "schema" / "editio.rng"), *files], repeat=3)
            rows.append((f"jing editio.rng (RelaxNG only), {label}", f"exit {code}", f"{wall:.3f}", f"{cpu:.3f}",
                         f"{mem:.0f}"))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(table(rows, ("run", "result", "wall s (best of 5)", "CPU s", "peak MB")))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
