"""Problems found in an edition, and the report that collects them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"

#: Process exit codes shared by every command.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: ``path:line:col: severity: message [rule]``.

    ``hint`` says how to fix it; ``line``/``col`` are 1-based (0 = unknown).
    """

    path: str
    line: int
    col: int
    severity: str = ERROR
    message: str = ""
    rule: str = ""
    hint: str = ""

    def format(self) -> str:
        """The one-line text form used on the terminal and in CI logs."""
        where = f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}: {self.severity}: {self.message}{rule}"

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


class EditioError(Exception):
    """A failure that stops a command, carrying its diagnostics and exit code.

    The CLI prints the diagnostics and exits with ``exit_code``; it never shows
    a traceback for an EditioError (unless ``--debug``).
    """

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic, exit_code: int = EXIT_INVALID):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        self.exit_code = exit_code
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def usage_error(path: str | Path, message: str, rule: str = "io", hint: str = "") -> EditioError:
    """An I/O or usage problem (exit code 2) about ``path``."""
    return EditioError(Diagnostic(str(path), 0, 0, ERROR, message, rule, hint), EXIT_USAGE)


@dataclass
class Report:
    """The result of checking a set of files."""

    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    #: Set when a file could not be read at all (missing, a directory, ...).
    io_failure: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sort(self) -> None:
        """Order by file, then line and column, then rule: stable output."""
        self.diagnostics.sort(key=lambda d: (d.path, d.line, d.col, d.rule, d.message))

    def exit_code(self, strict: bool = False) -> int:
        if self.io_failure:
            return EXIT_USAGE
        if self.errors or (strict and self.warnings):
            return EXIT_INVALID
        return EXIT_OK

    def summary(self) -> str:
        n = len(self.files)
        e, w = len(self.errors), len(self.warnings)
        return (
            f"{n} file{'s' if n != 1 else ''}, {e} error{'s' if e != 1 else ''}, "
            f"{w} warning{'s' if w != 1 else ''} in {self.seconds:.2f} s"
        )
