"""The ``editio`` command line: thin click commands over editio's Python API.

Nothing heavy is imported at module level, so ``editio --help`` starts fast;
each command imports the library module it calls.
"""

from __future__ import annotations

import sys
from functools import wraps

import click

from . import __version__
from .diagnostics import EXIT_INVALID, EXIT_USAGE, EditioError

EXIT_INTERNAL = 3
FORMATS = ("text", "json", "github", "junit", "sarif")


def _echo_diagnostics(diagnostics) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)
        if d.hint:
            click.echo(f"  how to fix: {d.hint}", err=True)


def handle_errors(func):
    """Turn EditioError into its messages and exit code; no traceback unless --debug."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except EditioError as exc:
            if debug:
                raise
            _echo_diagnostics(exc.diagnostics)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("editio: interrupted; previous output left unchanged", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # an editio bug: say so, briefly
            if debug:
                raise
            click.echo(f"editio: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("  this is a bug in editio; run again with --debug and report the traceback", err=True)
            ctx.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="editio")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors (for reporting bugs).")
def main(debug: bool) -> None:
    """editio: annotated TEI-XML scholarly editions.

    Validate TEI against the edition's schema, and publish it as a static
    website and a print-quality PDF.

    \b
    Exit codes: 0 success, 1 the edition is invalid, 2 usage or I/O error.
    """


@main.command(epilog="""\b
Examples:
  editio validate                      # the edition's tei/ folder
  editio validate tei/ch1.xml tei/register.xml
  editio validate --format github      # annotations on a GitHub pull request
  editio validate --format sarif > editio.sarif
""")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format: text lines, JSON, GitHub workflow commands, JUnit XML or SARIF 2.1.0.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--coverage", is_flag=True, help="Also warn at every untagged mention of a registered name.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@handle_errors
def validate(paths, fmt, strict, coverage, output):
    """Check TEI files against the RelaxNG schema and the Schematron rules.

    PATHS are files or folders (default: the files named by edition.toml,
    normally tei/). All files are checked together, so cross-file pointers
    such as ref="register.xml#yezhov" and duplicate ids are found.
    """
    from .formats import render
    from .validate import validate as run_validate

    report = run_validate(list(paths) or None, coverage=coverage)
    text = render(report, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    elif text:
        click.echo(text, nl=not text.endswith("\n"))
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code(strict))


# -- more commands above --
