"""Build progress on the terminal: a rich bar on a TTY, plain lines in CI or a pipe, nothing when quiet."""

from __future__ import annotations

import os
import sys


class Progress:
    """Receives progress events; the default prints nothing. See :func:`progress_for`."""

    def stage(self, name: str, total: int = 0) -> None:
        """A stage starts; ``total`` steps follow (0 = no steps)."""

    def step(self, label: str = "") -> None:
        """One step of the current stage is done."""

    def note(self, message: str) -> None:
        """A detail only shown with --verbose."""

    def close(self) -> None:
        """The build ended (successfully or not)."""


class PlainProgress(Progress):
    """One line per stage (and per step when verbose): for CI logs and pipes."""

    def __init__(self, stream=None, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.total = 0
        self.done = 0

    def stage(self, name, total=0):
        self.total, self.done = total, 0
        print(f"editio: {name}" + (f" ({total})" if total else ""), file=self.stream, flush=True)

    def step(self, label=""):
        self.done += 1
        if self.verbose and label:
            print(f"  [{self.done}/{self.total}] {label}", file=self.stream, flush=True)

    def note(self, message):
        if self.verbose:
            print(f"  {message}", file=self.stream, flush=True)


class RichProgress(Progress):
    """A rich progress bar on a terminal."""

    def __init__(self, verbose: bool = False):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        self.verbose = verbose
        self.console = Console(stderr=True)
        self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=self.console, transient=True)
        self.bar.start()
        self.task = None

    def stage(self, name, total=0):
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0)
        self.task = self.bar.add_task(name, total=total or 1)

    def step(self, label=""):
        if self.task is not None:
            self.bar.advance(self.task)
        if self.verbose and label:
            self.console.log(label)

    def note(self, message):
        if self.verbose:
            self.console.log(message)

    def close(self):
        self.bar.stop()


def progress_for(quiet: bool = False, verbose: bool = False) -> Progress:
    """A bar on a terminal, plain lines in CI (``CI=true``) or when not a TTY, nothing when quiet."""
    if quiet:
        return Progress()
    if sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("true", "1"):
        return RichProgress(verbose)
    return PlainProgress(verbose=verbose)
