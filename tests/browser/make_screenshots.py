"""Screenshots of the web edition for docs/screenshots/ (run by hand: python tests/browser/make_screenshots.py).

Builds the edition's site, serves it on 127.0.0.1 and photographs the chapter
page at desktop width and at 360 px, and the persons register, with Debian's
chromium; no request may leave the site.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    from editio.edition import Edition
    from editio.html import write_site

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        write_site(Edition.load(REPO), site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        blocked = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            shots = [
                ("chapter-desktop.png", "secret-history-59.html", {"width": 1280, "height": 1000}, "main .mention > a"),
                ("chapter-360.png", "secret-history-59.html", {"width": 360, "height": 780}, None),
                ("register-persons.png", "persons.html#yezhov", {"width": 1280, "height": 900}, None),
            ]
            for name, path, viewport, hover in shots:
                ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin + "/")
                          else (blocked.append(r.request.url), r.abort()))
                page = ctx.new_page()
                page.goto(f"{origin}/{path}")
                if hover:  # the first mention in view, by mouse, without scrolling
                    for box in (page.locator(hover).nth(i).bounding_box() for i in range(page.locator(hover).count())):
                        if box and 350 < box["y"] < viewport["height"] - 300:
                            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                            break
                page.screenshot(path=str(OUT / name))
                ctx.close()
            browser.close()
        server.shutdown()
    if blocked:
        print("requests left the site:", blocked, file=sys.stderr)
        return 1
    print(f"wrote {', '.join(s[0] for s in shots)} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
