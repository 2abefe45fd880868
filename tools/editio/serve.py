"""``editio serve``: a local preview that rebuilds on every change and reloads the browser.

The server listens on 127.0.0.1 only and serves files from the output folder
only: a request path is decoded once, refused if it has a ``..`` segment, a
backslash or a NUL, and the file it names must, after resolving symlinks, lie
inside the output folder. Builds run in the watcher thread of this process
(stylesheets stay compiled), one at a time; the previous output keeps being
served while a build runs and after a build fails. HTML pages get a small
script that polls ``/__editio__/version`` and reloads when a build finished;
while the edition is invalid every page shows the errors instead.
"""

from __future__ import annotations

import html as htmlmod
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import EditioError

VERSION_PATH = "/__editio__/version"
#: Injected before </body>: reload when the served version changes.
_RELOAD = """<script>/* editio serve: live reload */(function(){var v=%s;function poll(){fetch("%s",{cache:"no-store"}).then(function(r){return r.text()}).then(function(t){if(t!==v){location.reload()}else{setTimeout(poll,500)}}).catch(function(){setTimeout(poll,1500)})}setTimeout(poll,500)})();</script>"""


def safe_path(out_dir: Path, url_path: str) -> Path | None:
    """The file in ``out_dir`` that ``url_path`` names, or None if it names anything outside it.

    Folders map to their ``index.html``; the build state (``.editio/``) is not served.
    """
    path = unquote(urlsplit(url_path).path, errors="strict") if url_path else "/"
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".editio") for p in parts):
        return None
    base = out_dir.resolve()
    candidate = base.joinpath(*parts) if parts else base
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != base and base not in real.parents:
        return None  # a symlink pointing out of the output folder
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    return real if real.is_file() else None


def error_page(messages: list[str], version: int) -> bytes:
    """The page shown instead of the site while the edition is invalid."""
    items = "\n".join(f"<li><pre>{htmlmod.escape(m)}</pre></li>" for m in messages)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>editio: the edition has errors</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}h1{{color:#a00}}
pre{{white-space:pre-wrap;background:#fee;padding:.5rem;border-left:4px solid #a00}}li{{list-style:none}}</style>
</head><body><main><h1>The edition has errors</h1>
<p>The preview shows the last good build again as soon as these are fixed; this page reloads by itself.</p>
<ul>{items}</ul></main></body></html>"""
    return inject_reload(page.encode("utf-8"), version)


def inject_reload(page: bytes, version: int) -> bytes:
    """The page with the live-reload script added before ``</body>`` (or at the end)."""
    script = (_RELOAD % (f'"{version}"', VERSION_PATH)).encode("utf-8")
    i = page.lower().rfind(b"</body>")
    return page[:i] + script + page[i:] if i >= 0 else page + script


class Preview:
    """A running preview: an HTTP server on 127.0.0.1 and a watcher that rebuilds."""

    def __init__(self, root: str | Path | None = None, *, port: int = 8000, skip_pdf: bool = False,
                 echo=print, watch: bool = True):
        from .config import load_config

        self.root = Path(root or Path.cwd()).resolve()
        self.config = load_config(self.root)
        self.out_dir = self.config.output_dir
        self.outputs = [o for o in self.config.outputs if not (skip_pdf and o == "pdf")]
        self.echo = echo
        self.watch = watch
        self.version = 0
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def rebuild(self) -> bool:
        """Build once; record the errors (shown in the page) or clear them. True on success."""
        from .build import InvalidEdition, build

        # One process: a preview rebuilds a chapter or two at a time, with the stylesheets this process has
        # already compiled (worker processes would compile them again on every rebuild).
        with self._lock:
            try:
                try:
                    result = build(self.root, outputs=self.outputs, jobs=1)
                except EditioError as exc:
                    if not any(d.rule == "build.changed" for d in exc.diagnostics):
                        raise
                    result = build(self.root, outputs=self.outputs, jobs=1)  # saved again mid-build: once more
            except InvalidEdition as exc:
                errors = [d.format() + (f"\n  how to fix: {d.hint}" if d.hint else "") for d in exc.report.errors]
            except EditioError as exc:
                errors = [d.format() + (f"\n  how to fix: {d.hint}" if d.hint else "") for d in exc.diagnostics]
            except Exception as exc:  # keep previewing; the page says what broke
                errors = [f"editio: internal error: {type(exc).__name__}: {exc}"]
            else:
                errors = []
                self.echo(result.summary())
            for e in errors:
                self.echo(e)
            if errors:
                self.echo(f"editio serve: {len(errors)} error(s); still serving the last good build")
            self.errors = errors
            self.version += 1
            return not errors

    def _watch_loop(self) -> None:
        from watchfiles import watch

        for _changes in watch(self.root, watch_filter=self._relevant, stop_event=self._stop,
                              debounce=200, step=50, rust_timeout=500, yield_on_timeout=False):
            if self._stop.is_set():
                break
            self.echo("editio serve: change detected, rebuilding")
            self.rebuild()

    def _relevant(self, _change, path: str) -> bool:
        p = Path(path).resolve()
        try:
            rel = p.relative_to(self.root)
        except ValueError:
            return False
        if any(part.startswith(".") for part in rel.parts) or p == self.out_dir or self.out_dir in p.parents:
            return False  # the output and its staging folders (.site.tmp-*), .git, caches
        return p.suffix in (".xml", ".toml", ".rng", ".sch")

    def start(self) -> "Preview":
        """Build, then serve and watch in background threads."""
        self.rebuild()
        t = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        t.start()
        self._threads.append(t)
        if self.watch:
            w = threading.Thread(target=self._watch_loop, daemon=True)
            w.start()
            self._threads.append(w)
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        for t in self._threads:
            t.join(timeout=5)


def _handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        server_version = "editio-serve"

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            if self.path.split("?")[0] == VERSION_PATH:
                return self._send(200, str(preview.version).encode(), "text/plain; charset=utf-8")
            try:
                path = safe_path(preview.out_dir, self.path)
            except UnicodeDecodeError:
                path = None
            wants_page = self.path.split("?")[0].endswith(("/", ".html"))
            if preview.errors and (wants_page or (path is not None and path.suffix == ".html")):
                return self._send(500, error_page(preview.errors, preview.version), "text/html; charset=utf-8")
            if path is None:
                return self._send(404, b"not found\n", "text/plain; charset=utf-8")
            try:
                body = path.read_bytes()
            except OSError:
                return self._send(404, b"not found\n", "text/plain; charset=utf-8")
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if ctype == "text/html":
                body = inject_reload(body, preview.version)
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                ctype += "; charset=utf-8"
            self._send(200, body, ctype)

    return Handler


def serve(root: str | Path | None = None, *, port: int = 8000, skip_pdf: bool = False, echo=print) -> None:
    """Preview the edition until Ctrl-C."""
    try:
        preview = Preview(root, port=port, skip_pdf=skip_pdf, echo=echo)
    except OSError as exc:
        from .diagnostics import usage_error

        raise usage_error(f"127.0.0.1:{port}", f"cannot listen: {exc.strerror or exc}", "serve.port",
                          "choose another --port (or 0 for any free port)") from None
    preview.start()
    echo(f"editio serve: {preview.url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        echo("editio serve: stopped")
    finally:
        preview.stop()
