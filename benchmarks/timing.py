"""Whole-process timing for benchmarks: wall time and the child's own peak memory."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, float, int]:
    """Run ``cmd`` once; return (wall seconds, CPU seconds, peak RSS in MB, exit code).

    ``os.wait4`` gives the resource usage of exactly this child, so CPU time
    and peak memory are the process's own, not sums or maxima over earlier
    runs. CPU time (user + system) is the figure to trust on a busy machine.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_measured(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, int]:
    """Run ``cmd`` once; return (wall seconds, peak RSS in MB, exit code)."""
    wall, _, mem, code = measure(cmd, cwd, env)
    return wall, mem, code


def best_of(cmd: list[str], repeat: int = 5, **kw) -> tuple[float, float, int]:
    """The fastest of ``repeat`` runs (and its peak memory)."""
    runs = [run_measured(cmd, **kw) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def table(rows: list[tuple], header: tuple) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
