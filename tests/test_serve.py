"""editio serve: 127.0.0.1 only, nothing outside the output folder, rebuild and reload, errors in the page."""

from __future__ import annotations

import http.client
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import SAMPLE
from editio.serve import Preview, inject_reload, safe_path


@pytest.fixture
def site(tmp_path) -> Path:
    out = tmp_path / "site"
    (out / "sub").mkdir(parents=True)
    (out / "index.html").write_text("<html><body><p>home</p></body></html>", encoding="utf-8")
    (out / "sub" / "page.html").write_text("<p>sub</p>", encoding="utf-8")
    (out / ".editio").mkdir()
    (out / ".editio" / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return out


@pytest.mark.parametrize("url", [
    "/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt", "//etc/passwd", "/%00index.html",
    "/.editio/manifest.json", "/missing.html", "http://example.org/../secret.txt",
])
def test_paths_outside_the_output_or_missing_are_refused(site, url):
    assert safe_path(site, url) is None


def test_a_symlink_out_of_the_output_is_refused(site):
    os.symlink(site.parent / "secret.txt", site / "link.txt")
    os.symlink(site.parent, site / "up")
    assert safe_path(site, "/link.txt") is None
    assert safe_path(site, "/up/secret.txt") is None


@pytest.mark.parametrize("url,expected", [
    ("/", "index.html"), ("/index.html", "index.html"), ("/sub/page.html?x=1#p3", "sub/page.html"),
    ("/sub/", None), ("/s%75b/page.html", "sub/page.html"),
])
def test_paths_inside_the_output_are_served(site, url, expected):
    found = safe_path(site, url)
    assert (found == (site / expected).resolve()) if expected else found is None


def test_the_reload_script_goes_before_the_end_of_body():
    page = inject_reload(b"<html><body><p>x</p></body></html>", 7)
    assert page.index(b"<script>") < page.index(b"</body>")
    assert b'var v="7"' in page and b"/__editio__/version" in page


def get(port: int, path: str) -> tuple[int, str]:
    """A raw GET: the path is sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail("timed out waiting for the preview")


@pytest.fixture
def preview(tmp_path):
    edition = tmp_path / "ed"
    shutil.copytree(SAMPLE, edition / "tei")
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    (edition / "edition.toml").write_text('title = "Preview test"\noutputs = ["html", "text"]\n', encoding="utf-8")
    messages = []
    p = Preview(edition, port=0, echo=messages.append).start()
    p.messages = messages
    try:
        yield p
    finally:
        p.stop()


def test_serves_the_site_on_localhost_with_live_reload(preview):
    assert preview.server.server_address[0] == "127.0.0.1"
    status, body = get(preview.port, "/")
    assert status == 200 and "/__editio__/version" in body
    status, body = get(preview.port, "/text/chapter-1.txt")
    assert status == 200 and body.startswith("Chapter One")
    for bad in ("/../outside.txt", "/%2e%2e/outside.txt", "/..%2f..%2foutside.txt", "/../../ed/tei/register.xml"):
        status, body = get(preview.port, bad)
        assert status == 404 and "outside" not in body


def test_an_edit_is_rebuilt_and_an_invalid_edit_shows_the_errors(preview):
    chapter = preview.root / "tei" / "chapter-1.xml"
    version = preview.version
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Chapter One", "Chapter Uno"), encoding="utf-8")
    wait_for(lambda: preview.version > version)
    assert get(preview.port, "/text/chapter-1.txt")[1].startswith("Chapter Uno")
    status, _ = get(preview.port, "/__editio__/version")
    assert status == 200

    version = preview.version
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('when="1936-09-01"', 'when="1936-09-31"'),
                       encoding="utf-8")
    wait_for(lambda: preview.version > version)
    status, body = get(preview.port, "/")
    assert status == 500 and "The edition has errors" in body and "chapter-1.xml:" in body
    assert "/__editio__/version" in body  # it reloads itself once fixed
    assert any("chapter-1.xml:" in m for m in preview.messages)  # and the terminal says so too
    # the last good build is still there for everything that is not a page
    assert get(preview.port, "/text/chapter-1.txt")[1].startswith("Chapter Uno")

    version = preview.version
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('when="1936-09-31"', 'when="1936-09-01"'),
                       encoding="utf-8")
    wait_for(lambda: preview.version > version)
    assert get(preview.port, "/")[0] == 200
