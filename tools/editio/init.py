"""``editio init``: a new edition from the templates shipped inside the package."""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import usage_error
from .resources import schema_path, template_dir

#: Template files whose names start with "dot-" become dotfiles (a real .gitignore
#: or .github/ inside the package would be taken for the editio repository's own).
_DOT = "dot-"
#: Files in which {{title}} is replaced.
_FILLED = {"edition.toml", "README.md"}
SCHEMA_FILES = ("editio.rng", "editio.sch")


def _target_name(rel: Path) -> Path:
    return Path(*("." + part[len(_DOT):] if part.startswith(_DOT) else part for part in rel.parts))


def _toml_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def init_edition(directory: str | Path, title: str | None = None) -> list[Path]:
    """Create a new edition in ``directory`` (new or empty); return the files written, sorted.

    The TEI files' ``<?xml-model?>`` instructions point at ``schema/``, which
    gets a copy of this editio's schema, so XML editors validate offline.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise usage_error(target, "exists and is not a folder", "init.not-empty", "choose a new folder name")
    if target.is_dir() and any(target.iterdir()):
        raise usage_error(target, "folder is not empty; editio init never overwrites files", "init.not-empty",
                          "choose a new or empty folder")
    title = title or re.sub(r"[-_]+", " ", target.resolve().name).strip().capitalize() or "A new edition"
    source = template_dir() / "edition"
    plan: dict[Path, bytes] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(source)
        data = path.read_bytes()
        if rel.name in _FILLED:
            value = _toml_string(title) if rel.name.endswith(".toml") else title
            data = data.decode("utf-8").replace("{{title}}", value).encode("utf-8")
        plan[_target_name(rel)] = data
    for name in SCHEMA_FILES:
        plan[Path("schema") / name] = schema_path(name).read_bytes()
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, data in sorted(plan.items()):
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            written.append(out)
    except OSError as exc:
        raise usage_error(target, f"cannot write the new edition: {exc.strerror or exc}", "io.unwritable") from None
    return written
