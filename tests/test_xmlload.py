"""Safe loading: hostile and broken files give one clear line and the right exit code."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from conftest import FIXTURES, run_editio

INVALID = FIXTURES / "invalid"

# fixture -> (exit code, line, rule)
BROKEN = {
    "xml-empty.xml": (1, 1, "xml.empty"),
    "xml-not-well-formed.xml": (1, 24, "xml.well-formed"),
    "xml-latin1.xml": (1, 24, "xml.encoding"),
    "xml-wrong-declared-encoding.xml": (1, 1, "xml.encoding"),
    "xml-binary.xml": (1, 1, "xml.binary"),
    "xml-xxe.xml": (1, 2, "xml.doctype"),
    "xml-billion-laughs.xml": (1, 2, "xml.doctype"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gives_one_located_error(name):
    code, line, rule = BROKEN[name]
    path = INVALID / name
    result = run_editio("validate", path)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:{line}:"), first
    assert first.endswith(f"[{rule}]")
    assert ": error: " in first


def test_xxe_never_reads_the_entity_target():
    result = run_editio("validate", INVALID / "xml-xxe.xml")
    assert "root:" not in result.stdout + result.stderr  # /etc/passwd content
    assert "DOCTYPE" in result.stdout


def test_missing_file_is_an_io_error():
    result = run_editio("validate", INVALID / "no-such-file.xml")
    assert result.returncode == 2
    assert "no such file" in result.stdout
    assert "[io.missing]" in result.stdout


def test_directory_given_as_file_is_an_io_error(tmp_path):
    from editio.diagnostics import EditioError
    from editio.xmlload import load_xml

    with pytest.raises(EditioError) as info:
        load_xml(tmp_path)
    assert info.value.exit_code == 2
    assert info.value.diagnostics[0].rule == "io.directory"


def test_deep_nesting_is_refused_quickly(tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text("<TEI>" + "<div>" * 100_000 + "</div>" * 100_000 + "</TEI>", encoding="utf-8")
    cpu, code, out = _cpu_seconds([sys.executable, "-m", "editio", "validate", str(path)])
    assert cpu < 5
    assert code == 1
    assert "[xml.depth]" in out


def test_fifty_megabyte_file_gets_a_verdict_quickly(tmp_path):
    path = tmp_path / "big.xml"
    para = "<p>" + "Stalin summoned Yagoda. " * 40 + "</p>\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>')
        written = 0
        while written < 50 * 1024 * 1024:
            fh.write(para)
            written += len(para)
        fh.write("</body></text></TEI>")
    cpu, code, out = _cpu_seconds([sys.executable, "-m", "editio", "validate", str(path)])
    assert cpu < 5  # CPU time of the editio process: the verdict costs the same on a busy machine
    assert code == 1  # no teiHeader: invalid, but judged
    assert "[p.id]" in out and "more [p.id] problems" in out
    assert "Traceback" not in out


def _cpu_seconds(cmd):
    """Run cmd; return (user+system CPU seconds of that process, exit code, stdout+stderr)."""
    with tempfile.TemporaryFile() as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        sink.seek(0)
        return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), sink.read().decode()


def test_entities_are_not_expanded_by_the_loader():
    from editio.diagnostics import EditioError
    from editio.xmlload import parse_bytes

    with pytest.raises(EditioError) as info:
        parse_bytes(b'<a>&undeclared;</a>', "x.xml")
    assert info.value.diagnostics[0].rule == "xml.well-formed"
    assert info.value.diagnostics[0].col > 1


def test_well_formedness_message_names_the_open_element_and_where_it_opened():
    out = run_editio("validate", INVALID / "xml-not-well-formed.xml").stdout
    assert "<hi> (opened on line 24) closed by </p>" in out
