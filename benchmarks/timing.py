"""Whole-process timing for benchmarks: wall time and the child's own peak memory."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, int]:
    """Run ``cmd`` once; return (wall seconds, peak RSS in MB, exit code).

    ``os.wait4`` gives the resource usage of exactly this child, so the peak
    memory is the process's own, not the maximum over earlier runs.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def best_of(cmd: list[str], repeat: int = 5, **kw) -> tuple[float, float, int]:
    """The fastest of ``repeat`` runs (and its peak memory)."""
    runs = [run_measured(cmd, **kw) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def table(rows: list[tuple], header: tuple) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
