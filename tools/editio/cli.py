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
  editio validate -j 1                 # in this process only
""")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format: text lines, JSON, GitHub workflow commands, JUnit XML or SARIF 2.1.0.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--coverage", is_flag=True, help="Also warn at every untagged mention of a registered name.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Check the files of a large edition in this many processes (default: one per core).")
@handle_errors
def validate(paths, fmt, strict, coverage, output, jobs):
    """Check TEI files against the RelaxNG schema and the Schematron rules.

    PATHS are files or folders (default: the files named by edition.toml,
    normally tei/). All files are checked together, so cross-file pointers
    such as ref="register.xml#yezhov" and duplicate ids are found.
    """
    from .formats import render
    from .validation import validate as run_validate

    report = run_validate(list(paths) or None, coverage=coverage, jobs=jobs)
    text = render(report, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    elif text:
        click.echo(text, nl=not text.endswith("\n"))
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code(strict))


def _build_failed(exc) -> None:
    """Print an invalid edition's report exactly as ``editio validate`` prints it, then exit 1."""
    from .formats import render

    text = render(exc.report, "text")
    if text:
        click.echo(text, nl=not text.endswith("\n"))
    click.echo(exc.report.summary(), err=True)
    click.echo("editio: the edition is invalid; nothing was published (the previous output is unchanged)", err=True)
    sys.exit(EXIT_INVALID)


def _print_build_result(result, quiet: bool, verbose: bool) -> None:
    if not quiet:
        for d in result.warnings:
            click.echo(d.format(), err=True)
        if verbose:
            for stage, seconds in result.timings.items():
                click.echo(f"  {stage}: {seconds:.2f} s", err=True)
        click.echo(result.summary(), err=True)


@main.command(epilog="""\b
Examples:
  editio build                         # validate, then site/ with pages, PDF and texts
  editio build -j 2 --no-pdf           # two processes, web and text only
  editio build --out /tmp/preview --reading diplomatic
  editio build --shard 2/4 --out part-2   # one of four parts; see `editio merge`
""")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Output folder (default: 'output' in edition.toml, normally site/).")
@click.option("--reading", type=click.Choice(["corrected", "diplomatic"]), default=None,
              help="Reading of the PDF and the texts (default: 'reading' in edition.toml).")
@click.option("--no-html", is_flag=True, help="Do not make the website.")
@click.option("--no-pdf", is_flag=True, help="Do not make the PDF.")
@click.option("--no-text", is_flag=True, help="Do not make the plain-text export.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Transform chapters in this many processes when there are many to transform (default: one "
                   "per core). The PDF is made beside them in a process of its own.")
@click.option("--shard", metavar="K/N", default=None,
              help="Build only the K-th of N parts of the chapters into --out (validation still sees all).")
@click.option("--force", is_flag=True, help="Ignore the previous output and transform everything again.")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=str), default=None,
              help="The edition's folder (with edition.toml); default: the current folder.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--verbose", "-v", is_flag=True, help="Print every chapter and the time of each stage.")
@handle_errors
def build(out, reading, no_html, no_pdf, no_text, jobs, shard, force, root, quiet, verbose):
    """Validate the edition, then publish it: website, PDF and plain texts.

    An invalid edition is refused (exit 1, errors as `editio validate` prints
    them). Output is written beside the output folder and swapped in at the
    end, so a failed or interrupted build leaves the previous output as it
    was. Chapters that did not change are not transformed again.
    """
    from .build import InvalidEdition, build as run_build, parse_shard
    from .progress import progress_for
    from .config import load_config

    outputs = None
    if no_html or no_pdf or no_text:
        skip = {"html": no_html, "pdf": no_pdf, "text": no_text}
        outputs = [o for o in load_config(root).outputs if not skip[o]]
    try:
        result = run_build(root, out=out, reading=reading, outputs=outputs, jobs=jobs, force=force,
                           shard=parse_shard(shard) if shard else None, progress=progress_for(quiet, verbose))
    except InvalidEdition as exc:
        _build_failed(exc)
    _print_build_result(result, quiet, verbose)


@main.command(epilog="""\b
Example (the parts come from `editio build --shard K/N`, e.g. a CI matrix):
  editio merge part-1 part-2 part-3 part-4 --out site
""")
@click.argument("parts", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=str))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Output folder (default: 'output' in edition.toml, normally site/).")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=str), default=None,
              help="The edition's folder (with edition.toml); default: the current folder.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--verbose", "-v", is_flag=True, help="Print more detail.")
@handle_errors
def merge(parts, out, root, quiet, verbose):
    """Assemble the parts of a sharded build into the complete site.

    The result is byte for byte what `editio build` makes. The parts must be
    built from the same sources, settings and editio as the edition here.
    """
    from .build import merge as run_merge
    from .progress import progress_for

    result = run_merge(list(parts), root, out=out, progress=progress_for(quiet, verbose))
    _print_build_result(result, quiet, verbose)


@main.command(epilog="""\b
Examples:
  editio text                          # every chapter to standard output
  editio text --reading diplomatic tei/ch1.xml
  editio text --out texts/             # one NAME.txt per chapter
""")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--reading", type=click.Choice(["corrected", "diplomatic"]), default=None,
              help="Corrected text (default) or the text as printed.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Write NAME.txt files into this folder instead of standard output.")
@handle_errors
def text(paths, reading, out):
    """The plain text of each chapter: headings and paragraphs, without notes.

    PATHS are TEI files or folders (default: the edition's inputs). Registers
    are skipped. Useful for diffs, search indexes and checks against the source.
    """
    from .textexport import write_texts

    for line in write_texts(list(paths) or None, reading=reading, out=out):
        click.echo(line, nl=False)


@main.command(epilog="""\b
Example:
  editio init my-edition && cd my-edition && editio build
""")
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
@click.option("--title", default=None, help="The edition's title (default: from the folder name).")
@handle_errors
def init(directory, title):
    """Start a new edition in DIRECTORY (which must be empty or new).

    Writes a commented edition.toml, tei/ with a sample chapter and its
    register, the schema for your XML editor, a GitHub workflow, a pre-commit
    configuration and a README.
    """
    from .init import init_edition

    created = init_edition(directory, title=title)
    click.echo(f"created a new edition in {directory} ({len(created)} files); next: cd {directory} && editio build")


@main.command(epilog="""\b
Example:
  editio serve --port 8000             # then open http://127.0.0.1:8000/
""")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 = any free port).")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=str), default=None,
              help="The edition's folder (with edition.toml); default: the current folder.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF while previewing (faster rebuilds).")
@handle_errors
def serve(port, root, no_pdf):
    """Preview the edition on 127.0.0.1, rebuilding and reloading on every change.

    Invalid edits show their errors in the terminal and in the browser; the
    last good output keeps being served until they are fixed.
    """
    from .serve import serve as run_serve

    run_serve(root, port=port, skip_pdf=no_pdf, echo=lambda m: click.echo(m, err=True))


@main.command("import", epilog="""\b
Examples:
  editio import chapter-60.txt --out tei/chapter-60.xml
  editio import chapter-60.txt --out tei/chapter-60.xml --force   # replace it
""")
@click.argument("source", type=click.Path(dir_okay=False, path_type=str))
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="The TEI file to write (its name gives the ids: NAME-p1, NAME-p2, ...).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@handle_errors
def import_(source, out, force):
    """Turn a plain-text chapter into a valid TEI chapter.

    SOURCE is UTF-8 text: blank lines separate paragraphs; a short first line
    without final punctuation is the heading. The header is filled from
    edition.toml. Then tag it with: editio annotate OUT --write
    """
    from .importer import import_text

    path = import_text(source, out, force=force)
    click.echo(f"wrote {path}; next: editio annotate {path}")


@main.command(epilog="""\b
Examples:
  editio annotate tei/chapter-60.xml                 # review list
  editio annotate tei/ --format json > suggestions.json
  editio annotate tei/chapter-60.xml --write         # apply confident ones
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="One suggestion a line, or a JSON list for tools.")
@click.option("--write", is_flag=True,
              help="Apply suggestions at or above --threshold in place (only if the result still validates).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="Minimum confidence for --write.")
@click.option("--register", "register", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="The register (default: register.xml among PATHS or beside them).")
@handle_errors
def annotate(paths, fmt, write, threshold, register):
    """Propose tags for untagged names, misspelt names and dates.

    PATHS are chapter files or folders. Suggestions point at path:line:col;
    names not in the register are listed as candidates and never tagged.
    """
    import json

    from .annotate import annotate as run_annotate

    result = run_annotate(paths, write=write, threshold=threshold, register_path=register)
    if fmt == "json":
        click.echo(json.dumps([s.as_dict() for s in result.suggestions], ensure_ascii=False, indent=2))
    else:
        for s in result.suggestions:
            click.echo(s.format())
    kinds = {}
    for s in result.suggestions:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "nothing to suggest"
    if write:
        summary += f"; applied {result.applied} in {len(result.written)} file(s)"
    click.echo(summary, err=True)


@main.command(epilog="""\b
Examples:
  editio pdf                           # the edition in this folder -> site/edition.pdf
  editio pdf --reading diplomatic --out print/diplomatic.pdf
  editio pdf tei/ --keep-typst book.typ   # also keep the generated Typst markup
""")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Where to write the PDF (default: OUTPUT/PDF_NAME from edition.toml, normally site/edition.pdf).")
@click.option("--reading", type=click.Choice(["corrected", "diplomatic"]), default=None,
              help="Print the corrected text (default; the apparatus gives the source) or the text as printed.")
@click.option("--keep-typst", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write the generated Typst markup to this file, for inspection.")
@handle_errors
def pdf(paths, out, reading, keep_typst):
    """The print edition: a PDF/A-3b book with the TEI sources attached.

    PATHS are TEI files or folders (default: the edition's inputs); chapters
    are printed in order, registers feed the index. Typeset in-process by
    Typst with its bundled fonts; with SOURCE_DATE_EPOCH set, the same input
    gives the same bytes.
    """
    from .edition import Edition
    from .pdf import write_pdf

    edition = Edition.load(paths=list(paths) or None)
    target = out or edition.config.output_dir / edition.config.pdf_name
    result = write_pdf(edition, target, reading=reading or edition.config.reading, keep_typst=keep_typst)
    _echo_diagnostics(result.warnings)
    click.echo(f"wrote {target} ({len(result.pdf) // 1024} KB)", err=True)


@main.command(epilog="""\b
Examples:
  editio html                          # the edition in this folder -> site/
  editio html --out /tmp/preview       # somewhere else
  editio html tei/ --strict            # warnings (unsafe URLs, unknown elements) fail the run
  editio html -j 4                     # a large edition on four cores: chapters in 4 processes
  editio html -j 1                     # everything in this one process
""")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=str), default=None,
              help="The site folder (default: OUTPUT from edition.toml, normally site/). Replaced atomically.")
@click.option("--strict", is_flag=True, help="Warnings fail the run (exit 1); the site is still written.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Share the chapters among this many processes. Default: from a few chapters on, one per "
                   "core; -j 1: one process.")
@handle_errors
def html(paths, out, strict, jobs):
    """The web edition: a static, offline, accessible website.

    PATHS are TEI files or folders (default: the edition's inputs). Writes a
    page per chapter, the register (persons, places, organisations, events)
    with backlinks, notes, timeline, about and downloads pages, into a new
    folder that replaces OUT only when complete. Does not validate: run
    `editio validate` (or `editio build`) first.
    """
    from .edition import Edition
    from .html import write_site

    edition = Edition.load(paths=list(paths) or None)
    target = out or edition.config.output_dir
    warnings = write_site(edition, target, jobs=jobs)
    _echo_diagnostics(warnings)
    click.echo(f"wrote {target} ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})", err=True)
    if strict and warnings:
        sys.exit(EXIT_INVALID)


# -- more commands above --
