"""The command line itself: help with examples for every command, version, fast start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import run_editio
from editio import __version__
from editio.cli import main

COMMANDS = sorted(main.commands)


def test_version():
    result = run_editio("--version")
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run_editio(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout, f"'editio {command} --help' shows no example"
    assert f"editio {command}" in result.stdout.split("Example", 1)[1]


def test_help_imports_no_heavy_module():
    code = ("import sys; sys.argv=['editio','--help']\n"
            "from editio.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('saxonche', 'typst', 'rich', 'playwright', 'watchfiles', 'rapidfuzz', 'lxml') if m in sys.modules]\n"
            "print('HEAVY=' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY=\n" in out or out.rstrip().endswith("HEAVY=")
