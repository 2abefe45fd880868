"""Report formats for ``editio validate``: text, json, github, junit, sarif."""

from __future__ import annotations

from . import __version__
from .diagnostics import ERROR, Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report, fmt: str = "text") -> str:
    """The report as a string in ``fmt``."""
    return {"text": to_text, "json": to_json, "github": to_github, "junit": to_junit, "sarif": to_sarif}[fmt](report)


def to_text(report: Report) -> str:
    """``path:line:col: severity: message [rule]`` lines, each followed by its hint."""
    out = []
    for d in report.diagnostics:
        out.append(d.format())
        if d.hint:
            out.append(f"  how to fix: {d.hint}")
    return "\n".join(out) + ("\n" if out else "")


def to_json(report: Report) -> str:
    """A stable JSON document: files, counts and the sorted list of problems."""
    import json  # only here and in SARIF: the text report is the common case

    doc = {
        "tool": "editio", "version": __version__,
        "files": report.files,
        "errors": len(report.errors), "warnings": len(report.warnings),
        "problems": [
            {"path": d.path, "line": d.line, "column": d.col, "severity": d.severity,
             "rule": d.rule, "message": d.message, "hint": d.hint}
            for d in report.diagnostics
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def escape(text: str) -> str:
    """Escape text for XML element content (xml.sax.saxutils would pull in urllib.request at start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """A double-quoted XML attribute value."""
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(report: Report) -> str:
    """GitHub Actions workflow commands, shown as annotations on the pull request diff."""
    out = []
    for d in report.diagnostics:
        level = "error" if d.severity == ERROR else "warning"
        props = f"file={_gh_escape(d.path, True)},line={max(d.line, 1)},col={max(d.col, 1)},title={_gh_escape(d.rule or 'editio', True)}"
        msg = d.message + (f"\nHow to fix: {d.hint}" if d.hint else "")
        out.append(f"::{level} {props}::{_gh_escape(msg)}")
    return "\n".join(out) + ("\n" if out else "")


def to_junit(report: Report) -> str:
    """JUnit XML: one testcase per file, one failure per error (warnings as system-out)."""
    by_file: dict[str, list] = {f: [] for f in report.files}
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(1 for ds in by_file.values() if any(d.severity == ERROR for d in ds))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="editio validate" tests="{len(by_file)}" failures="{failures}" errors="0" time="{report.seconds:.3f}">',
             f'  <testsuite name="editio validate" tests="{len(by_file)}" failures="{failures}" errors="0" skipped="0" time="{report.seconds:.3f}">']
    for path, ds in by_file.items():
        lines.append(f"    <testcase classname=\"editio.validate\" name={quoteattr(path)}>")
        errors = [d for d in ds if d.severity == ERROR]
        warnings = [d for d in ds if d.severity != ERROR]
        if errors:
            body = "\n".join(d.format() + (f"\n  how to fix: {d.hint}" if d.hint else "") for d in errors)
            summary = f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {errors[0].message}"
            lines.append(f"      <failure type=\"invalid\" message={quoteattr(summary)}>{escape(body)}</failure>")
        if warnings:
            lines.append(f"      <system-out>{escape(chr(10).join(d.format() for d in warnings))}</system-out>")
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>"]
    return "\n".join(lines) + "\n"


def to_sarif(report: Report) -> str:
    """SARIF 2.1.0 for GitHub code scanning: one result per problem."""
    import json

    rules: dict[str, dict] = {}
    results = []
    for d in report.diagnostics:
        rule_id = d.rule or "editio"
        if rule_id not in rules:
            rules[rule_id] = {"id": rule_id, "name": rule_id.replace(".", "-"),
                              "shortDescription": {"text": rule_id},
                              "help": {"text": d.hint or "See the edition's encoding guidelines."}}
        results.append({
            "ruleId": rule_id,
            "ruleIndex": list(rules).index(rule_id),
            "level": "error" if d.severity == ERROR else "warning",
            "message": {"text": d.message + (f" How to fix: {d.hint}" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": d.path.replace("\\", "/")},
                "region": {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)},
            }}],
        })
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "editio", "version": __version__,
                                "informationUri": "https://pypi.org/project/editio/",
                                "rules": list(rules.values())}},
            "artifacts": [{"location": {"uri": f.replace("\\", "/")}} for f in report.files],
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
