"""edition.toml: an edition's settings, every key optional.

Unknown keys and values of the wrong type are reported with the file's line,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .diagnostics import EXIT_USAGE, Diagnostic, EditioError, ERROR

CONFIG_NAME = "edition.toml"
READINGS = ("corrected", "diplomatic")
OUTPUTS = ("html", "pdf", "text")


@dataclass
class Config:
    """Settings of one edition (see the commented ``edition.toml`` template)."""

    #: The folder holding edition.toml; relative paths below are resolved from it.
    root: Path = field(default_factory=Path.cwd)
    title: str = ""
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    publisher: str = ""
    licence: str = "CC BY 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"
    base_url: str = ""
    language: str = "en"
    inputs: list[str] = field(default_factory=lambda: ["tei/*.xml"])
    output: str = "site"
    reading: str = "corrected"
    outputs: list[str] = field(default_factory=lambda: list(OUTPUTS))
    pdf_name: str = "edition.pdf"

    @property
    def output_dir(self) -> Path:
        return (self.root / self.output).resolve()

    def input_files(self) -> list[Path]:
        """The TEI files named by ``inputs`` (globs relative to root), sorted, unique."""
        found: set[Path] = set()
        for pattern in self.inputs:
            found.update(p for p in self.root.glob(pattern) if p.is_file())
        return sorted(found)


_TYPES = {f.name: f.type for f in fields(Config) if f.name != "root"}
_CHOICES = {"reading": READINGS}


def _line_of(text: str, key: str) -> int:
    m = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _type_ok(expected: str, value) -> bool:
    if expected == "str":
        return isinstance(value, str)
    if expected == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return True


def load_config(root: str | Path | None = None) -> Config:
    """Read ``edition.toml`` in ``root`` (default: the current folder).

    A missing file gives the defaults; a broken one raises :class:`EditioError`.
    """
    root = Path(root or Path.cwd()).resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root)
    text = path.read_text(encoding="utf-8", errors="replace")
    name = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise EditioError(Diagnostic(name, line, col, ERROR, f"not valid TOML: {exc}", "config.syntax",
                                     "see https://toml.io for the syntax"), EXIT_USAGE) from None
    problems = []
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in _TYPES:
            known = ", ".join(sorted(_TYPES))
            problems.append(Diagnostic(name, line, 1, ERROR, f"unknown key {key!r}", "config.unknown-key",
                                       f"known keys: {known}"))
        elif not _type_ok(_TYPES[key], value):
            problems.append(Diagnostic(name, line, 1, ERROR,
                                       f"{key!r} must be {'a string' if _TYPES[key] == 'str' else 'a list of strings'}, "
                                       f"not {type(value).__name__}", "config.type"))
        elif key in _CHOICES and value not in _CHOICES[key]:
            problems.append(Diagnostic(name, line, 1, ERROR, f"{key!r} must be one of {', '.join(_CHOICES[key])}",
                                       "config.value"))
        elif key == "outputs" and not set(value) <= set(OUTPUTS):
            problems.append(Diagnostic(name, line, 1, ERROR, f"'outputs' may only list {', '.join(OUTPUTS)}",
                                       "config.value"))
    if problems:
        raise EditioError(problems, EXIT_USAGE)
    return Config(root=root, **data)
