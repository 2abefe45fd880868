"""editio build: refuses invalid editions, never leaves a half-written output, rebuilds only what changed."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, run_editio
from editio import build as buildmod
from editio import outputdir
from editio.build import MANIFEST, InvalidEdition, build, merge
from editio.diagnostics import Diagnostic, EditioError
from editio.edition import Edition


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_corpus", REPO / "benchmarks" / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_chapter = _load_generator().make_chapter


def available_outputs(pdf: bool = True) -> list[str]:
    """The outputs this checkout can make (web and print land separately)."""
    outs = []
    if importlib.util.find_spec("editio.html"):
        outs.append("html")
    if pdf and importlib.util.find_spec("editio.pdf"):
        outs.append("pdf")
    return outs + ["text"]


def make_edition(root: Path, chapters: int = 2, outputs: list[str] | None = None) -> Path:
    """A small valid edition: the sample register and ``chapters`` copies of its chapter with unique ids."""
    tei = root / "tei"
    tei.mkdir(parents=True)
    shutil.copyfile(SAMPLE / "register.xml", tei / "register.xml")
    template = (SAMPLE / "chapter-1.xml").read_bytes()
    for n in range(1, chapters + 1):
        (tei / f"ch-{n:04d}.xml").write_bytes(make_chapter(template, n))
    outs = outputs if outputs is not None else available_outputs(pdf=False)
    (root / "edition.toml").write_text(
        'title = "A test edition"\neditors = ["Jane Editor"]\n'
        f"outputs = {json.dumps(outs)}\n", encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site.tmp-", ".site.old-")))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edition(tmp_path):
    return make_edition(tmp_path / "ed")


def test_a_build_writes_texts_tei_copies_and_its_manifest(edition):
    result = build(edition)
    site = edition / "site"
    assert result.rebuilt == ["ch-0001", "ch-0002"] and result.changed
    assert (site / "tei" / "register.xml").read_bytes() == (edition / "tei" / "register.xml").read_bytes()
    assert "Chapter 2: Chapter One" in (site / "text" / "ch-0002.txt").read_text(encoding="utf-8")
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["chapters"]) == {"ch-0001", "ch-0002"}
    assert manifest["kinds"]["register"] == "register"
    assert leftovers(edition) == []
    if "html" in available_outputs():
        assert (site / "index.html").is_file()


def test_a_no_op_rebuild_leaves_the_output_untouched(edition):
    build(edition)
    site = edition / "site"
    before = {p: p.stat().st_ino for p in site.rglob("*")}
    result = build(edition)
    assert not result.changed and result.rebuilt == [] and result.reused == ["ch-0001", "ch-0002"]
    assert {p: p.stat().st_ino for p in site.rglob("*")} == before


def test_only_the_changed_chapter_is_transformed_again(edition):
    build(edition)
    edit(edition / "tei" / "ch-0002.xml", "travelled to", "sailed to")
    result = build(edition)
    assert result.rebuilt == ["ch-0002"] and result.reused == ["ch-0001"]
    assert "sailed to" in (edition / "site" / "text" / "ch-0002.txt").read_text(encoding="utf-8")
    fresh = build(edition, out=edition / "fresh", force=True)
    assert fresh.rebuilt == ["ch-0001", "ch-0002"]
    assert snapshot(edition / "site") == snapshot(edition / "fresh")


def test_a_register_change_rebuilds_what_depends_on_it(edition):
    build(edition)
    edit(edition / "tei" / "register.xml", "A learned society.", "A very learned society.")
    result = build(edition)
    assert result.changed
    # chapter pages show register data (popovers); plain texts do not
    assert result.rebuilt == (["ch-0001", "ch-0002"] if "html" in available_outputs() else [])
    assert b"A very learned society." in (edition / "site" / "tei" / "register.xml").read_bytes()


@pytest.mark.parametrize("damage", [
    b"{ this is not json",
    b"",
    json.dumps({"format": "editio-build/1", "tool": "someone else", "inputs": {}, "kinds": {}, "chapters": {}}).encode(),
    b'{"format": "editio-build/1", "tool": "TOOL", "inputs": [], "kinds": 3, "chapters": null}',
], ids=["garbage", "empty", "foreign-tool", "wrong-types"])
def test_a_corrupt_or_foreign_manifest_means_a_full_rebuild(edition, damage):
    build(edition)
    site = edition / "site"
    good = snapshot(site)
    (site / MANIFEST).write_bytes(damage.replace(b"TOOL", buildmod.tool_fingerprint().encode()))
    result = build(edition)
    assert result.rebuilt == ["ch-0001", "ch-0002"] and result.reused == []
    assert snapshot(site) == good


def test_a_manifest_that_lies_about_a_file_never_reuses_it(edition):
    build(edition)
    site = edition / "site"
    good = snapshot(site)
    # same size, same mtime: only the content (and the ctime) differ
    text = site / "text" / "ch-0001.txt"
    st = text.stat()
    text.write_bytes(b"X" * st.st_size)
    os.utime(text, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = build(edition)
    assert result.rebuilt == ["ch-0001"] and result.reused == ["ch-0002"]
    assert snapshot(site) == good


def test_an_invalid_chapter_stops_the_build_and_leaves_the_old_site(edition):
    build(edition)
    site = edition / "site"
    good = snapshot(site)
    edit(edition / "tei" / "ch-0002.xml", 'when="1936-09-01"', 'when="1936-09-31"')
    with pytest.raises(InvalidEdition) as exc:
        build(edition)
    assert exc.value.exit_code == 1 and exc.value.report.errors
    assert snapshot(site) == good
    assert leftovers(edition) == []


def test_the_cli_prints_errors_exactly_as_validate_does(edition):
    edit(edition / "tei" / "ch-0001.xml", 'when="1936-09-01"', 'when="1936-09-31"')
    built = run_editio("build", "--quiet", cwd=edition)
    checked = run_editio("validate", cwd=edition)
    assert built.returncode == checked.returncode == 1
    assert built.stdout == checked.stdout and "ch-0001.xml:" in built.stdout
    assert "Traceback" not in built.stderr and not (edition / "site").exists()


def test_an_invalid_edit_found_by_validation_beside_the_transforms_publishes_nothing(edition):
    """The CLI validates in a process of its own while it transforms the changed chapter: its report is
    printed exactly as `editio validate` prints it, and the site stays as it was."""
    assert run_editio("build", "--quiet", cwd=edition).returncode == 0
    good = snapshot(edition / "site")
    edit(edition / "tei" / "ch-0002.xml", "<p ", "<para>unknown</para><p ")
    built = run_editio("build", "--quiet", cwd=edition)
    checked = run_editio("validate", cwd=edition)
    assert built.returncode == checked.returncode == 1
    assert built.stdout == checked.stdout and "ch-0002.xml:" in built.stdout and "para" in built.stdout
    assert "Traceback" not in built.stderr and "internal error" not in built.stderr
    assert snapshot(edition / "site") == good and leftovers(edition) == []


@pytest.mark.parametrize("valid", [True, False])
def test_a_transform_failing_while_validation_runs_reports_the_validation_first(edition, monkeypatch, valid):
    """If the edition is invalid, that is the likely cause of a failed transform, and the report says it best."""
    from editio import background

    build(edition)
    monkeypatch.setattr(background, "can_fork", lambda: True)  # the child only validates: it never runs Saxon
    if not valid:
        edit(edition / "tei" / "ch-0002.xml", 'when="1936-09-01"', 'when="1936-09-31"')
    else:
        edit(edition / "tei" / "ch-0002.xml", "travelled to", "sailed to")

    def failing(job):
        raise EditioError([Diagnostic(str(job.path), 1, 1, "error", "transform failed", "test.transform")])

    monkeypatch.setattr(buildmod, "render", failing)
    with pytest.raises(EditioError) as exc:
        build(edition)
    assert isinstance(exc.value, InvalidEdition) != valid
    assert leftovers(edition) == []


def test_the_cli_builds_and_summarises(edition):
    r = run_editio("build", "--no-pdf", cwd=edition)
    assert r.returncode == 0, r.stderr
    assert "2 chapters built" in r.stderr
    r = run_editio("build", "--no-pdf", cwd=edition)
    assert r.returncode == 0 and "up to date" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--shard", "3/2"], "shard 3/2 does not exist"),
    (["--shard", "x"], "is not K/N"),
    (["--out", "tei"], "contains inputs"),
])
def test_bad_usage_is_exit_2_with_a_message(edition, args, message):
    r = run_editio("build", "--no-pdf", *args, cwd=edition)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_a_folder_editio_did_not_make_is_never_replaced(edition):
    mine = edition / "site"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(EditioError) as exc:
        build(edition)
    assert exc.value.exit_code == 2 and "build.foreign-output" in str(exc.value)
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "years of work"


def test_two_builds_of_one_output_do_not_run_at_once(edition):
    import fcntl

    with open(edition / ".site.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(EditioError) as exc:
            build(edition)
    assert "another editio build" in str(exc.value)
    assert build(edition).changed


def test_parallel_workers_give_the_same_bytes(edition, monkeypatch):
    build(edition, out=edition / "one")
    monkeypatch.setattr(buildmod, "MIN_PARALLEL", 1)  # two chapters are enough to use the workers here
    result = build(edition, out=edition / "two", jobs=2)
    assert result.rebuilt == ["ch-0001", "ch-0002"]
    assert snapshot(edition / "one") == snapshot(edition / "two")


def test_what_is_made_beside_the_chapters_is_what_one_process_makes(tmp_path, monkeypatch):
    """`editio build` (a fresh process) validates and makes the PDF and the guidelines page in forked processes
    while it transforms the chapters; the output is the same as a build that makes them in the one process. If
    the forked processes fail, the build makes their share itself."""
    from editio import background

    ed = make_edition(tmp_path / "ed", chapters=2, outputs=available_outputs())
    r = run_editio("build", "--out", ed / "forked", cwd=ed)
    assert r.returncode == 0, r.stderr
    monkeypatch.setattr(background, "can_fork", lambda: False)
    build(ed, out=ed / "here")
    assert (ed / "here" / "edition.pdf").read_bytes()[:5] == b"%PDF-"
    assert snapshot(ed / "forked") == snapshot(ed / "here")

    class Crashed(background.Pending):
        """A forked process that died without a result."""

        def result(self):
            raise background.Failed("the process ended without a result")

        def cancel(self):
            pass

    started = []
    monkeypatch.setattr(background, "start",
                        lambda function, *args: started.append(function.__name__) or Crashed(-1, -1, function, args))
    build(ed, out=ed / "again")
    assert started == ["_validated", "render_pdf", "_render_guidelines"]  # each made again here
    assert snapshot(ed / "again") == snapshot(ed / "here")


def test_shards_merged_equal_a_full_build_byte_for_byte(tmp_path):
    ed = make_edition(tmp_path / "ed", chapters=3, outputs=available_outputs())
    build(ed)
    parts = []
    for k in (1, 2):
        part = ed / f"part-{k}"
        result = build(ed, out=part, shard=(k, 2))
        assert result.rebuilt == (["ch-0001", "ch-0003"] if k == 1 else ["ch-0002"])
        parts.append(part)
    assert not (parts[1] / "tei").exists()  # edition-wide files are made by the merge
    merge(parts, ed, out=ed / "merged")
    assert snapshot(ed / "merged") == snapshot(ed / "site")
    r = run_editio("merge", "part-2", "part-1", "--out", "merged-by-cli", cwd=ed)  # any order
    assert r.returncode == 0, r.stderr
    assert snapshot(ed / "merged-by-cli") == snapshot(ed / "site")
    # a merged site is a normal output: the next build has nothing to do
    assert not build(ed, out=ed / "merged").changed


def test_merge_refuses_incomplete_or_mismatched_parts(edition):
    part1 = edition / "part-1"
    build(edition, out=part1, shard=(1, 2))
    with pytest.raises(EditioError, match="no part holds"):
        merge([part1], edition, out=edition / "merged")
    part2 = edition / "part-2"
    build(edition, out=part2, shard=(2, 2))
    edit(edition / "tei" / "ch-0001.xml", "travelled to", "sailed to")
    with pytest.raises(EditioError, match="other sources"):
        merge([part1, part2], edition, out=edition / "merged")
    with pytest.raises(EditioError, match="not a part"):
        merge([edition / "tei"], edition, out=edition / "merged")
    assert not (edition / "merged").exists()


def test_without_atomic_exchange_the_two_rename_swap_works(edition, monkeypatch):
    build(edition)
    monkeypatch.setattr(outputdir, "_exchange", lambda a, b: False)
    edit(edition / "tei" / "ch-0001.xml", "travelled to", "sailed to")
    assert build(edition).rebuilt == ["ch-0001"]
    assert "sailed to" in (edition / "site" / "text" / "ch-0001.txt").read_text(encoding="utf-8")
    assert leftovers(edition) == []


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_build(edition):
    build(edition)
    good = snapshot(edition / "site")
    # what the fallback swap leaves when killed after its first rename
    os.rename(edition / "site", edition / ".site.old-x1")
    stale = edition / ".site.tmp-x2"
    stale.mkdir()
    (stale / "half.html").write_text("<p>half", encoding="utf-8")
    result = build(edition)
    assert not result.changed  # the restored output was complete and current
    assert snapshot(edition / "site") == good and leftovers(edition) == []


STAGES = ["validating", "transforming chapters", "edition pages", "publishing"]


@pytest.mark.parametrize("stage", STAGES)
def test_kill_9_at_any_stage_leaves_the_previous_site_intact(edition, stage):
    build(edition)
    good = snapshot(edition / "site")
    edit(edition / "tei" / "ch-0001.xml", "travelled to", "sailed to")
    env = dict(os.environ, EDITIO_BUILD_DELAY="0.3", CI="true")
    proc = subprocess.Popen([sys.executable, "-m", "editio", "build", "--verbose"], cwd=edition, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        for line in proc.stderr:
            if line.startswith(f"editio: {stage}"):
                time.sleep(0.1)
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail(f"the build never reached {stage!r}")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        proc.kill()
        proc.wait()
    assert snapshot(edition / "site") == good
    result = build(edition)
    assert result.rebuilt == ["ch-0001"] and leftovers(edition) == []
    assert "sailed to" in (edition / "site" / "text" / "ch-0001.txt").read_text(encoding="utf-8")


def test_ctrl_c_leaves_the_previous_site_and_no_staging_folder(edition, monkeypatch):
    build(edition)
    good = snapshot(edition / "site")
    edit(edition / "tei" / "ch-0001.xml", "travelled to", "sailed to")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputdir, "_swap_in", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(edition)
    assert snapshot(edition / "site") == good and leftovers(edition) == []


def test_an_input_edited_during_the_build_is_not_published_half_old(edition, monkeypatch):
    build(edition)
    good = snapshot(edition / "site")
    chapter = edition / "tei" / "ch-0001.xml"
    edit(chapter, "travelled to", "sailed to")
    original = buildmod.render

    def render_then_edit(job):
        rendered = original(job)
        if "sailed to" in chapter.read_text(encoding="utf-8"):
            edit(chapter, "sailed to", "rowed to")  # the editor saves again mid-build
        return rendered

    monkeypatch.setattr(buildmod, "render", render_then_edit)
    with pytest.raises(EditioError, match="changed while the edition was being built"):
        build(edition)
    assert snapshot(edition / "site") == good
    monkeypatch.undo()
    build(edition)
    assert "rowed to" in (edition / "site" / "text" / "ch-0001.txt").read_text(encoding="utf-8")


MANGLES = {
    "chapter-not-a-dict": lambda m: m["chapters"].update({"ch-0001": 5}),
    "unit-not-a-dict": lambda m: m["chapters"]["ch-0001"].update({"text": [1, 2]}),
    "files-not-a-dict": lambda m: m["chapters"]["ch-0001"]["text"].update({"files": "text/ch-0001.txt"}),
    "path-escapes": lambda m: m["chapters"]["ch-0001"]["text"].update({"files": {"../../etc/passwd": "0"}}),
    "bad-warnings": lambda m: m["chapters"]["ch-0001"]["text"].update({"warnings": [{"path": ["x"]}]}),
    "titles-wrong": lambda m: m.update({"titles": {"ch-0001": "x", "ch-0002": {"key": 1}}}),
    "kinds-lie": lambda m: m["kinds"].update({"register": "chapter", "ch-0001": "register"}),
    "validation-wrong": lambda m: m.update({"validation": {"key": m["validation"]["key"], "warnings": 7}}),
    "edition-wrong": lambda m: m.update({"edition": {"files": {"index.html": "0" * 32}}}),
}


# "kinds-lie" with a recomputed checksum is a consistent forgery, not damage: only the checksum catches it
CASES = [(m, False) for m in sorted(MANGLES)] + [(m, True) for m in sorted(MANGLES) if m != "kinds-lie"]


@pytest.mark.parametrize("mangle,forged", CASES, ids=[f"{m}-{'forged' if f else 'damaged'}" for m, f in CASES])
def test_a_manifest_with_wrong_contents_never_gives_a_wrong_build(edition, mangle, forged):
    build(edition)
    site = edition / "site"
    good = snapshot(site)
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    MANGLES[mangle](manifest)
    if forged:  # as if editio itself had written it: every field must still be checked before use
        manifest["checksum"] = buildmod.manifest_checksum(manifest)
    (site / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = build(edition)
    assert result.changed
    assert snapshot(site) == good


def test_a_moved_edition_is_rebuilt_because_its_files_are_named_in_the_state(edition, tmp_path):
    build(edition)
    moved = tmp_path / "moved"
    edition.rename(moved)
    result = build(moved)
    assert result.rebuilt == ["ch-0001", "ch-0002"]
    state = b"".join(p.read_bytes() for p in (moved / "site").rglob("*") if p.is_file())
    assert str(edition).encode() not in state


@pytest.mark.parametrize("garbage", [b"not json", b'{"format": "editio-stat-cache/1", "entries": {"x": [1, 2]}}',
                                     b'{"format": "editio-stat-cache/1", "entries": []}'])
def test_a_damaged_stat_cache_only_costs_time(edition, garbage):
    build(edition)
    site = edition / "site"
    good = snapshot(site)
    cache = edition / ".site.stat-cache.json"
    assert cache.is_file()
    entries = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    # unmodified files are known by their stat fields (inputs older than the racy window, outputs always)
    assert str(site / "text" / "ch-0001.txt") in entries
    cache.write_bytes(garbage)
    assert not build(edition).changed
    assert snapshot(site) == good
    assert not build(edition).changed


def test_edition_pages_are_reused_when_no_extract_changed(edition):
    build(edition)
    # a comment changes the file but nothing the edition-wide pages are made from
    edit(edition / "tei" / "ch-0002.xml", "travelled to", "travelled <!-- check the ship's name --> to")
    result = build(edition)
    assert result.rebuilt == ["ch-0002"]
    assert "edition pages" in result.reused_parts and "edition pages" not in result.rebuilt_parts
    fresh = build(edition, out=edition / "fresh", force=True)
    assert snapshot(edition / "site") == snapshot(edition / "fresh")


def test_edition_pages_are_made_again_when_a_mention_changes(edition):
    build(edition)
    edit(edition / "tei" / "ch-0002.xml", "travelled to", "sailed to")
    result = build(edition)
    assert "edition pages" in result.rebuilt_parts
    assert b"sailed to" in (edition / "site" / "persons.html").read_bytes()


def test_the_edition_run_is_kept_while_only_parts_change(edition, monkeypatch):
    """An edit next to a name changes that chapter's backlink snippets (its parts), not its summary: the pages
    are spliced again from the kept edition run, and equal a fresh build's; a new dated mention makes it again."""
    from editio import html

    # a paragraph with a name and no date: an edit there leaves the timeline as it was
    edit(edition / "tei" / "ch-0002.xml", "</p>\n      </div>",
         '</p>\n        <p xml:id="ch-0002-later">Much later, far from all of it, the historian '
         '<persName ref="register.xml#jones">Jones</persName> wrote his memoirs.</p>\n      </div>')
    build(edition)
    runs, resplices = [], []
    made, spliced_again = html.edition_run_pages, html.resplice
    monkeypatch.setattr(html, "edition_run_pages", lambda *a, **k: runs.append(1) or made(*a, **k))
    monkeypatch.setattr(html, "resplice", lambda *a: resplices.append(spliced_again(*a)) or resplices[-1])
    notes = (edition / "site" / "notes.html").stat().st_ino
    edit(edition / "tei" / "ch-0002.xml", "the historian", "the old historian")
    result = build(edition)
    assert "edition pages" in result.rebuilt_parts and runs == []
    # only the pages that show the changed snippets were spliced again, from their previous bytes
    assert len(resplices) == 1 and resplices[0] is not None
    assert {page for page, data in resplices[0][0].items() if data is not None} == {"persons.html"}
    assert (edition / "site" / "notes.html").stat().st_ino == notes  # linked, not written again
    assert b"the old historian" in (edition / "site" / "persons.html").read_bytes()
    build(edition, out=edition / "fresh", force=True)
    assert runs == [1] and snapshot(edition / "site") == snapshot(edition / "fresh")

    # next to a date: the timeline's rows change, and everything is spliced again
    edit(edition / "tei" / "ch-0002.xml", "travelled to", "sailed to")
    build(edition)
    assert runs == [1] and resplices[-1] is None
    build(edition, out=edition / "fresh", force=True)
    assert snapshot(edition / "site") == snapshot(edition / "fresh")

    edit(edition / "tei" / "ch-0002.xml", "sailed to", 'sailed on <date when="1936-09-02">2 September</date> to')
    build(edition)
    assert runs == [1, 1, 1] and b"1936-09-02" in (edition / "site" / "timeline.html").read_bytes()
    build(edition, out=edition / "fresh", force=True)
    assert snapshot(edition / "site") == snapshot(edition / "fresh")


def test_notes_are_copied_into_extracts_only_while_the_notes_page_shows_them_in_full(tmp_path, monkeypatch):
    """A small edition's notes page shows every note in full, from copies in the chapters' extracts; a large
    one's shows their beginnings, and its extracts carry no copies. A build that crosses the line either way
    remakes the extracts, and equals a fresh build and what `editio html` makes."""
    from editio import html
    from editio.html import write_site

    monkeypatch.setattr(html, "NOTES_IN_FULL", 3)  # the sample chapter has one note
    ed = make_edition(tmp_path / "ed", chapters=3)
    site = ed / "site"
    brief = b"Each note is shown by its beginning"

    def check(full: bool) -> None:
        notes = (site / "notes.html").read_bytes()
        assert (brief not in notes) == full
        extracts = [p.read_bytes() for p in (site / buildmod.EXTRACTS).glob("*.xml")]
        assert extracts and all((b"<note" in x) == full for x in extracts)
        build(ed, out=ed / "fresh", force=True)
        assert snapshot(site) == snapshot(ed / "fresh")
        shutil.rmtree(ed / "fresh")
        write_site(Edition.load(ed), tmp_path / "html", jobs=1)
        assert (tmp_path / "html" / "notes.html").read_bytes() == notes

    build(ed)
    check(full=True)
    (ed / "tei" / "ch-0004.xml").write_bytes(make_chapter((SAMPLE / "chapter-1.xml").read_bytes(), 4))
    result = build(ed)
    assert result.rebuilt == ["ch-0001", "ch-0002", "ch-0003", "ch-0004"]
    check(full=False)
    (ed / "tei" / "ch-0004.xml").unlink()
    build(ed)
    check(full=True)


def test_a_staged_file_written_again_never_changes_the_previous_output(tmp_path):
    """A build may link a file from the previous output and then decide to write it after all (splicing every
    page again): the new bytes must go to a new file, not through the link into the old output."""
    old = tmp_path / "site" / "notes.html"
    old.parent.mkdir()
    old.write_bytes(b"previous")
    stage = outputdir.Stage(tmp_path / "site")
    stage.link("notes.html", old, "digest")
    stage.write("notes.html", b"new")
    assert old.read_bytes() == b"previous"
    assert (stage.dir / "notes.html").read_bytes() == b"new"
    stage.link("notes.html", old, "digest")  # and the other way round
    assert (stage.dir / "notes.html").read_bytes() == b"previous"
    stage.discard()


def _extract_title(path: Path) -> str:
    """The title a chapter's extract gives it (the edition-wide pages show that one)."""
    from lxml import etree

    from editio import html

    return etree.fromstring(html.chapter_extract(path)).get("title")


def _chapters_for_titles() -> list[Path]:
    found = sorted((REPO / "tests" / "fixtures" / "valid").rglob("*.xml")) + [REPO / "tei" / "secret-history-59.xml"]
    return [p for p in found if p.name != "register.xml" and b"<body" in p.read_bytes()]


@pytest.mark.parametrize("path", _chapters_for_titles(), ids=lambda p: p.name)
def test_a_chapter_title_is_the_one_its_extract_and_page_show(path):
    assert buildmod.chapter_titles([(path, None)]) == [_extract_title(path)]


def test_many_chapters_titles_in_one_run_are_each_its_own(tmp_path):
    """A build learns its chapters' titles in one run: each title comes from its own chapter only (a chapter
    without a head takes its header's title, not another chapter's)."""
    headless = tmp_path / "headless.xml"
    headless.write_text((SAMPLE / "chapter-1.xml").read_text(encoding="utf-8").replace("<head>Chapter One</head>", ""),
                        encoding="utf-8")
    paths = _chapters_for_titles() + [headless]
    titles = buildmod.chapter_titles([(p, None) for p in paths])
    assert titles == [_extract_title(p) for p in paths]
    assert titles[-1] == "A Sample Chapter" and len(set(titles)) > 2


@pytest.mark.parametrize("old,new,title", [
    ("<head>Chapter One</head>", '<head>Chapter <choice><sic>Onne</sic><corr resp="#ed">One</corr></choice></head>',
     "Chapter One"),
    ("<head>Chapter One</head>", "", "A Sample Chapter"),
], ids=["head-with-correction", "no-head"])
def test_a_chapter_title_follows_the_head_or_the_header(tmp_path, old, new, title):
    path = tmp_path / "chapter.xml"
    path.write_text((SAMPLE / "chapter-1.xml").read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert buildmod.chapter_titles([(path, None)]) == [title] == [_extract_title(path)]


def test_a_rebuild_validates_only_the_changed_chapter_again(edition, monkeypatch):
    from editio import validation

    build(edition)
    assert buildmod.validation_cache_path(edition / "site").is_file()
    assert not list((edition / "site").rglob("*validation*"))  # beside the site, not published in it
    parsed = []
    real = validation.parse_bytes
    monkeypatch.setattr(validation, "parse_bytes", lambda data, name: parsed.append(Path(name).name) or real(data, name))
    edit(edition / "tei" / "ch-0002.xml", "travelled to", "sailed to")
    assert build(edition).rebuilt == ["ch-0002"]
    assert parsed == ["ch-0002.xml"]
    # an error the change brings in is still found, with a warm cache
    edit(edition / "tei" / "ch-0001.xml", 'ref="register.xml#smith"', 'ref="register.xml#smyth"')
    with pytest.raises(InvalidEdition) as caught:
        build(edition)
    assert any("smyth" in d.message and d.path.endswith("ch-0001.xml") for d in caught.value.report.errors)
    # --force validates everything again, and a damaged cache only costs time
    parsed.clear()
    edit(edition / "tei" / "ch-0001.xml", 'ref="register.xml#smyth"', 'ref="register.xml#smith"')
    buildmod.validation_cache_path(edition / "site").write_bytes(b"\x00garbage")
    build(edition, force=True)
    assert sorted(parsed) == ["ch-0001.xml", "ch-0002.xml", "register.xml"]


def test_a_new_title_remakes_only_its_chapter_and_the_neighbours_that_name_it(tmp_path):
    ed = make_edition(tmp_path / "ed", chapters=4)
    build(ed)
    edit(ed / "tei" / "ch-0002.xml", "<head>Chapter 2: Chapter One</head>", "<head>Chapter 2: A New Title</head>")
    result = build(ed)
    assert result.rebuilt == ["ch-0001", "ch-0002", "ch-0003"] and result.reused == ["ch-0004"]
    assert "A New Title" in (ed / "site" / "ch-0001.html").read_text(encoding="utf-8")  # its "next" link
    assert "A New Title" in (ed / "site" / "index.html").read_text(encoding="utf-8")
    fresh = build(ed, out=ed / "fresh", force=True)
    assert fresh.rebuilt == ["ch-0001", "ch-0002", "ch-0003", "ch-0004"]
    assert snapshot(ed / "site") == snapshot(ed / "fresh")
