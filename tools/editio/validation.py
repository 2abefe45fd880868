"""The validator behind ``editio validate`` and ``editio.validate()``: RelaxNG, then Schematron, over all files of an edition at once."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote

from .diagnostics import EXIT_USAGE, EditioError, Report
from .edition import Edition, collect_xml_files
from .resources import schema_path
from .xmlload import load_xml

POINTER_ATTRS = ("ref", "target", "corresp")


def _referenced_files(tree, base: Path) -> set[Path]:
    """Other local files that ``tree`` points into (e.g. register.xml)."""
    names = set()
    for attr in POINTER_ATTRS:
        for value in tree.xpath(f"//@{attr}"):
            for token in value.split():
                file_part = token.split("#", 1)[0]
                if file_part and ":" not in file_part and file_part.endswith(".xml"):
                    names.add(file_part)
    return {(base / unquote(n)).resolve() for n in names}


def validate(paths: list[str | Path] | None = None, *, coverage: bool = False,
             root: str | Path | None = None) -> Report:
    """Validate TEI files (default: the edition in ``root`` or the current folder).

    Every file is checked against editio.rng, then all of them together
    against editio.sch, so cross-file pointers and duplicate ids are found.
    Files the given ones point into (register.xml) are read for resolving
    pointers even when not given. Returns a sorted :class:`Report`.
    """
    from .rngcheck import check_relaxng
    from .schematron import engine

    start = time.perf_counter()
    files = Edition.load(root).files if paths is None else collect_xml_files(paths)
    report = Report(files=[str(f) for f in files])
    trees: dict[str, object] = {}
    names: dict[str, str] = {}
    for f in files:
        try:
            tree = load_xml(f)
        except EditioError as exc:
            report.diagnostics.extend(exc.diagnostics)
            report.io_failure |= exc.exit_code == EXIT_USAGE
            continue
        key = str(f.resolve())
        trees[key], names[key] = tree, str(f)
        report.diagnostics.extend(check_relaxng(tree, str(f)))

    context = dict(trees)
    for key, tree in trees.items():
        for extra in _referenced_files(tree, Path(key).parent):
            if str(extra) not in context and extra.is_file():
                try:
                    context[str(extra)] = load_xml(extra)
                except EditioError:
                    pass  # reported when that file itself is validated

    if trees:
        sch = engine(str(schema_path("editio.sch")))
        report.diagnostics.extend(sch.check(context, report_keys=set(trees), names=names))
        if coverage:
            from .coverage import check_coverage

            report.diagnostics.extend(check_coverage({names[k]: t for k, t in trees.items()}))
    report.sort()
    report.seconds = time.perf_counter() - start
    return report
