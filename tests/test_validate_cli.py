"""`editio validate` as CI uses it: exit codes, summary line, and each output format."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from conftest import FIXTURES, SAMPLE, run_editio

INVALID = FIXTURES / "invalid"


def test_valid_sample_exits_zero_with_a_summary():
    result = run_editio("validate", SAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("2 files, 0 errors, 0 warnings in ")
    assert summary.endswith(" s")


def test_invalid_file_exits_one_with_located_rule():
    path = INVALID / "sch-impossible-date.xml"
    result = run_editio("validate", path)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "[date.real]" in l)
    assert line.startswith(f"{path}:24:")
    assert "how to fix:" in result.stdout


def test_all_problems_of_all_files_in_one_sorted_run():
    paths = [INVALID / "sch-name-without-ref.xml", INVALID / "sch-dangling-ref.xml", INVALID / "xml-empty.xml"]
    result = run_editio("validate", "--format", "json", *paths)
    problems = json.loads(result.stdout)["problems"]
    assert {p["path"] for p in problems} == {str(p) for p in paths}
    keys = [(p["path"], p["line"], p["column"]) for p in problems]
    assert keys == sorted(keys)


def test_cross_file_pointer_resolves_when_only_the_chapter_is_given():
    result = run_editio("validate", SAMPLE / "chapter-1.xml")
    assert result.returncode == 0, result.stdout


def test_warnings_fail_only_with_strict(tmp_path):
    shutil.copy(SAMPLE / "register.xml", tmp_path / "register.xml")
    relaxed = run_editio("validate", tmp_path)
    assert relaxed.returncode == 0
    assert "warning:" in relaxed.stdout and "[register.unused]" in relaxed.stdout
    strict = run_editio("validate", "--strict", tmp_path)
    assert strict.returncode == 1


def test_io_error_beats_invalid():
    result = run_editio("validate", INVALID / "sch-dangling-ref.xml", INVALID / "missing.xml")
    assert result.returncode == 2


def test_no_traceback_and_usage_error_for_bad_option():
    result = run_editio("validate", "--format", "yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def mixed_paths():
    return [SAMPLE / "chapter-1.xml", SAMPLE / "register.xml", INVALID / "sch-date-order.xml",
            INVALID / "sch-choice-two-sic.xml"]


def test_junit_has_one_testcase_per_file(mixed_paths):
    result = run_editio("validate", "--format", "junit", *mixed_paths)
    assert result.returncode == 1
    root = etree.fromstring(result.stdout.encode())
    cases = root.findall(".//testcase")
    assert len(cases) == 4
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {str(mixed_paths[2]), str(mixed_paths[3])}
    suite = root.find("testsuite")
    assert suite.get("tests") == "4" and suite.get("failures") == "2"


def test_sarif_has_required_fields_and_one_result_per_problem(mixed_paths):
    text = run_editio("validate", "--format", "sarif", *mixed_paths).stdout
    plain = run_editio("validate", "--format", "json", *mixed_paths).stdout
    sarif = json.loads(text)
    assert sarif["version"] == "2.1.0" and "$schema" in sarif
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "editio"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert len(results) == len(json.loads(plain)["problems"]) > 0
    for r in results:
        assert r["ruleId"] in rule_ids and rule_ids[r["ruleIndex"]] == r["ruleId"]
        assert r["level"] in ("error", "warning")
        assert r["message"]["text"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_github_format_emits_workflow_commands():
    path = INVALID / "sch-date-order.xml"
    lines = run_editio("validate", "--format", "github", path).stdout.splitlines()
    cmd = next(l for l in lines if "date.order" in l)
    assert cmd.startswith(f"::error file={path},line=24,col=")
    assert ",title=date.order::" in cmd
    assert "%0AHow to fix: " in cmd  # multi-line message escaped for the runner


def test_output_file_option(tmp_path):
    out = tmp_path / "report.json"
    result = run_editio("validate", "--format", "json", "-o", out, SAMPLE)
    assert result.returncode == 0
    assert json.loads(out.read_text())["errors"] == 0


def test_python_api_validate_returns_a_report_even_after_submodules_are_imported():
    import editio.build  # noqa: F401  (imports the validator module, as a library user's code may)
    import editio

    report = editio.validate([SAMPLE])
    assert isinstance(report, editio.Report)
    assert report.ok and len(report.files) == 2
