"""The web edition in a real browser: Debian's chromium driven by Playwright, the site served on 127.0.0.1.

Every request that would leave the origin is blocked and counted; axe-core
(node_modules/axe-core/axe.min.js) checks every page type for serious and
critical accessibility violations.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
REAL = REPO / "tei" / "secret-history-59.xml"
SAMPLE = REPO / "tests" / "fixtures" / "valid" / "sample"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PAGE_TYPES = ["index.html", "persons.html", "places.html", "organisations.html", "events.html", "notes.html",
              "timeline.html", "about.html", "downloads.html", "guidelines.html"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="BROWSER TESTS SKIPPED: no chromium on PATH (apt-get install chromium)"),
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - playwright is a test dependency
    sync_playwright = None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The edition's site (the real chapter if present, else the sample), built once."""
    from editio.edition import Edition
    from editio.html import write_site

    out = tmp_path_factory.mktemp("browser") / "site"
    edition = Edition.load(REPO) if REAL.exists() else Edition.load(SAMPLE, paths=[SAMPLE])
    write_site(edition, out)
    return out


@pytest.fixture(scope="session")
def origin(site):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if sync_playwright is None:
        pytest.skip("BROWSER TESTS SKIPPED: playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Blocked:
    """Requests that tried to leave the origin."""

    def __init__(self):
        self.urls: list[str] = []


def _context(browser, origin, blocked: Blocked, **kwargs):
    ctx = browser.new_context(**kwargs)

    def route(r):
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            blocked.urls.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx


@pytest.fixture
def page(browser, origin):
    blocked = Blocked()
    ctx = _context(browser, origin, blocked)
    pg = ctx.new_page()
    pg.blocked = blocked
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    ctx.close()
    assert blocked.urls == [], f"requests left the site: {blocked.urls}"
    assert errors == [], f"JavaScript errors: {errors}"


def _chapter(site: Path) -> str:
    return "secret-history-59.html" if (site / "secret-history-59.html").exists() else "chapter-1.html"


def test_mention_leads_to_register_entry_and_backlink_leads_back(page, origin, site):
    chapter = _chapter(site)
    page.goto(f"{origin}/{chapter}")
    link = page.locator("main .mention[data-type='person'] > a[id]").first
    mention_id = link.get_attribute("id")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**/{href}")
    entry_id = href.split("#")[1]
    entry = page.locator(f"article#{entry_id}")
    assert entry.is_visible()
    back = entry.locator(f".backlinks a[href='{chapter}#{mention_id}']")
    assert back.count() == 1
    back.click()
    page.wait_for_url(f"**/{chapter}#{mention_id}")
    assert page.locator(f"#{mention_id}").is_visible()
    assert page.evaluate("location.hash") == f"#{mention_id}"


def _visible_text(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def test_reading_switch_flips_yerev_and_yezhov_and_keeps_it_in_the_url(page, origin, site):
    if not (site / "secret-history-59.html").exists():
        pytest.skip("needs the real chapter (tei/secret-history-59.xml)")
    page.goto(f"{origin}/secret-history-59.html")
    para = "#p5"
    assert "Yezhov" in _visible_text(page, para) and "Yerev" not in _visible_text(page, para)
    page.get_by_label("As printed").check()
    assert "Yerev" in _visible_text(page, para) and "Yezhov" not in _visible_text(page, para)
    assert "reading=printed" in page.url
    page.reload()
    assert page.get_by_label("As printed").is_checked()
    assert "Yerev" in _visible_text(page, para)
    page.get_by_label("Corrected").check()
    assert "Yezhov" in _visible_text(page, para) and "reading=" not in page.url


def test_reading_switch_works_without_javascript(browser, origin, site):
    blocked = Blocked()
    ctx = _context(browser, origin, blocked, java_script_enabled=False)
    try:
        pg = ctx.new_page()
        pg.goto(f"{origin}/{_chapter(site)}")
        printed = pg.locator(".choice > [data-reading='printed']").first
        corrected = pg.locator(".choice > [data-reading='corrected']").first
        assert corrected.is_visible() and not printed.is_visible()
        pg.get_by_label("As printed").check()
        assert printed.is_visible() and not corrected.is_visible()
    finally:
        ctx.close()
    assert blocked.urls == []


def test_popover_opens_with_the_keyboard_and_closes_with_escape(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    first = page.locator("main .mention > a[aria-describedby]").first
    pop = page.locator("#" + first.get_attribute("aria-describedby"))
    assert not pop.is_visible()
    # Reach the link with the keyboard: focus the element just before it, then Tab.
    page.evaluate("""(a) => {
        const all = [...document.querySelectorAll('a[href], input, summary, button')];
        const i = all.indexOf(a);
        (all[i - 1] || document.body).focus();
    }""", first.element_handle())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == first.get_attribute("id")
    assert pop.is_visible()
    assert pop.locator(".pop-name").inner_text().strip()
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    page.keyboard.press("Tab")  # moving on resets the dismissal for the next visit
    page.keyboard.press("Shift+Tab")
    assert pop.is_visible()


def test_popover_opens_on_hover(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    link = page.locator("main .mention > a[aria-describedby]").nth(1)
    pop = page.locator("#" + link.get_attribute("aria-describedby"))
    link.hover()
    assert pop.is_visible()


def test_cite_this_paragraph_shows_a_full_citation_with_the_paragraph_url(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    para = page.locator("div.para").nth(1)
    para.locator("summary").click()
    citation = para.locator(".citation")
    assert citation.is_visible()
    text = citation.inner_text()
    pid = para.get_attribute("id")
    assert f"{origin}/{_chapter(site)}#{pid}" in text
    assert "Accessed" in text
    assert para.locator("button.copy").is_visible()


def test_usable_at_360_px_without_horizontal_scrolling(browser, origin, site):
    blocked = Blocked()
    ctx = _context(browser, origin, blocked, viewport={"width": 360, "height": 740})
    try:
        pg = ctx.new_page()
        for name in [_chapter(site), "persons.html", "timeline.html", "index.html"]:
            pg.goto(f"{origin}/{name}")
            width = pg.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name} is {width}px wide at a 360px viewport"
    finally:
        ctx.close()
    assert blocked.urls == []


def test_skip_link_is_the_first_tab_stop_and_visible_when_focused(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box and box["y"] >= 0


AXE_SKIP = pytest.mark.skipif(not AXE.exists(),
                              reason="AXE CHECK SKIPPED: run `npm install --no-save axe-core` at the repo root")


def _axe(page, origin, names, options="{resultTypes: ['violations']}"):
    problems = []
    for name in names:
        page.goto(f"{origin}/{name}")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(f"axe.run(document, {options})")
        assert result["passes"], f"axe checked nothing on {name}"
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                problems.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return problems


@AXE_SKIP
def test_axe_finds_no_serious_or_critical_violations_on_any_page_type(page, origin, site):
    assert _axe(page, origin, [_chapter(site)] + PAGE_TYPES) == []


@AXE_SKIP
def test_dark_mode_keeps_enough_contrast(page, origin, site):
    page.emulate_media(color_scheme="dark")
    names = [_chapter(site), "persons.html", "timeline.html"]
    assert _axe(page, origin, names, "{runOnly: ['color-contrast'], resultTypes: ['violations']}") == []


def test_keyboard_focus_is_visible(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    page.locator("main .mention > a").first.focus()
    page.keyboard.press("Tab")  # keyboard-driven focus, so :focus-visible applies
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                    return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert style[0] != "none" and style[1] >= 2


def test_print_stylesheet_hides_navigation_and_tools(page, origin, site):
    page.goto(f"{origin}/{_chapter(site)}")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".tools").is_visible()
    assert not page.locator("details.cite").first.is_visible()
    assert page.locator("div.para p").first.is_visible()
    assert page.locator(".pnum").first.is_visible()


def test_site_opened_from_disk_works_the_same(browser, site):
    """file:// with every other request refused: the reading switch, popovers and links still work."""
    blocked = Blocked()
    ctx = browser.new_context()
    base = site.as_uri()
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base + "/")
              else (blocked.urls.append(r.request.url), r.abort()))
    errors = []
    try:
        pg = ctx.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(f"{base}/{_chapter(site)}")
        assert pg.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)", "CSS not loaded"
        pg.get_by_label("As printed").check()
        assert pg.locator(".choice > [data-reading='printed']").first.is_visible()
        link = pg.locator("main .mention[data-type='person'] > a[id]").first
        href = link.get_attribute("href")
        link.click()
        pg.wait_for_url(f"**/{href}")
        assert pg.locator(f"article#{href.split('#')[1]}").is_visible()
    finally:
        ctx.close()
    assert blocked.urls == [] and errors == []
