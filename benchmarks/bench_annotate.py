#!/usr/bin/env python3
"""Time `editio annotate` as a whole process over 200-chapter corpora.

    python benchmarks/bench_annotate.py            # prints a Markdown table

Two corpora: the generated one (benchmarks/gen_corpus.py: copies of the
edition's tagged chapter), and the worst case, 200 untagged chapters made by
`editio import` from the plain source text, where every name and date is a
suggestion. Target on the 2-core reference machine: <= 5 s for 200 chapters.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import ROOT, generate, source_edition  # noqa: E402
from timing import best_of, table  # noqa: E402

EDITIO = [sys.executable, "-m", "editio"]
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "secret-history-59.txt"


def untagged_corpus(chapters: int, out: Path) -> Path:
    """``chapters`` imported (untagged) copies of the source text, with the edition's register."""
    from editio.importer import import_text

    tei = out / "tei"
    tei.mkdir(parents=True)
    _, register = source_edition()
    shutil.copy(register, tei / "register.xml")
    source = SOURCE_TEXT
    if not source.is_file():  # outside the workspace: the sample chapter's text will do
        source = out / "source.txt"
        source.write_text("A chapter\n\nSmith went to London on September 1, 1936, with Jonse.\n", encoding="utf-8")
    for n in range(1, chapters + 1):
        import_text(source, tei / f"u-{n:04d}.xml", root=out)
    return out


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="editio-bench-annotate-"))
    rows = []
    try:
        for label, corpus in (("generated corpus (tagged copies)", generate(200, work / "corpus200")),
                              ("untagged imported chapters", untagged_corpus(200, work / "untagged200"))):
            files = sorted(str(p) for p in (corpus / "tei").glob("*.xml"))
            wall, mem, code = best_of(EDITIO + ["annotate", *files], repeat=3, cwd=corpus)
            rows.append((f"editio annotate, 200 chapters, {label}", f"exit {code}", f"{wall:.3f}", f"{mem:.0f}"))
        print(table(rows, ("run", "result", "wall s (best of 3)", "peak MB")))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
