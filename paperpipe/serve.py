"""``paperpipe watch --serve``: the paper in a browser, reloaded after each build.

The watch (``watch.py``) builds as before; this module composes with it: a
``Console`` that also tells the preview how each build ended, and a small
HTTP server on 127.0.0.1 that serves the output folder. Pages are served
with two additions that never reach the files in output/: a few lines of
script that reload the page when a build ends (Server-Sent Events, which
browsers reconnect by themselves), and, after a failed build, the list of
problems (file:line) above the last good paper.

The server is the standard library's ``http.server.ThreadingHTTPServer``:
nothing to install, kept with Python. The ``livereload`` package was
considered: it keeps its state in class attributes and a global Tornado
loop (one server per process, not stoppable from code), has no way to show
build errors in the page, and adds Tornado; ``watchfiles`` is a file
watcher only, and the watch already knows when a build ends.

Only the loopback address is served, and only to requests that name it
(Host), for regular files of the output folder, by GET or HEAD; every
answer says ``nosniff`` and carries a Content-Security-Policy (the rules
are in ``serve_rules.py``). Nothing is opened in a browser. Ctrl-C
stops the watch, then the server (open event streams end within a second).
"""
from __future__ import annotations

import html
import http.server
import mimetypes
import shutil
import threading
import time
from pathlib import Path

from .console import Console
from .errors import BuildError
from .serve_rules import FILE_POLICY, Refused, host_allowed, open_file, page_policy, request_path, resolve, scrub

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
EVENTS = "/_paperpipe/events"
KEEPALIVE = 10.0  # seconds between comments on an idle event stream
TICK = 0.5  # how often an event stream looks whether the server is stopping

RELOAD_SCRIPT = f"""
(function () {{
  var seen = null, source = new EventSource("{EVENTS}");
  source.onmessage = function (event) {{
    if (seen === null) {{ seen = event.data; return; }}
    if (event.data !== seen) {{ location.reload(); }}
  }};
}})();
"""
PAGE_POLICY = page_policy(RELOAD_SCRIPT)  # the reload script is allowed by its hash, nothing else runs

BANNER_STYLE = ("position:sticky;top:0;z-index:10;margin:0;padding:0.8em 1.2em;background:#FFF1F0;color:#7A0B0B;"
                "border-bottom:3px solid #B42318;font:15px/1.4 system-ui,sans-serif;max-height:45vh;overflow:auto")


class Preview:
    """What the browser is told: a build counter and the last build's problems."""

    def __init__(self):
        self._changed = threading.Condition()
        self.generation = 0
        self.problems: list[str] = []
        self.behind = False
        self.page: Path | None = None  # the last good HTML file
        self.closed = False
        self.roots: dict[Path, str] = {}  # folders -> the name the page shows them by

    def shown_problems(self) -> list[str]:
        """The last build's problems as the page shows them: no absolute path of this machine."""
        return [scrub(p, self.roots) for p in self.problems]

    def finished(self, problems: list[str], page: Path | None = None, behind: bool = False) -> None:
        """A build ended (``behind``: its page was written, the formats after it failed)."""
        with self._changed:
            self.generation += 1
            self.problems = problems
            self.behind = behind
            if page is not None:
                self.page = page
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait(self, generation: int, timeout: float) -> int:
        """The generation once it differs from ``generation`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != generation or self.closed, timeout)
            return self.generation


class PreviewConsole(Console):
    """The watch's console, which also tells the preview how each build ended."""

    preview: Preview

    # the preview hears first, so that whoever reads the printed line finds the page already told

    _told = False  # the page of this build was shown before the other formats were done

    def problems(self, exc: BuildError, written=()) -> None:
        self.preview.finished([str(p) for p in exc.problems], behind=bool(written))
        self._told = False
        super().problems(exc, written)

    def bug(self, exc: BaseException) -> None:
        self.preview.finished([f"internal error: {type(exc).__name__}: {exc} (a bug in paperpipe, not in your content)"])
        self._told = False
        super().bug(exc)

    def page(self, report) -> None:
        self.preview.finished([], _page_of(report))
        self._told = True
        super().page(report)

    def summary(self, report) -> None:
        if not self._told:  # the page is new only now (a build of the page alone)
            self.preview.finished([], _page_of(report))
        self._told = False
        super().summary(report)


def _page_of(report) -> Path | None:
    pages = [Path(f) for f in report.files if Path(f).suffix == ".html"]
    return pages[0] if pages else None


class Handler(http.server.BaseHTTPRequestHandler):
    """Files of the output folder; HTML pages with the reload script and the
    last build's problems; the event stream. Only GET and HEAD, only from a
    loopback Host with our port, only regular files (see ``serve_rules``)."""

    preview: Preview
    output: Path
    server_version = "paperpipe-preview"
    sys_version = ""
    _policy: str | None = None
    _allow = False

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the watch prints what matters; one line per request would drown it

    def parse_request(self) -> bool:
        """The base class's parsing, then the Host and the method: anything
        else is answered here, before any file or the stream is looked at."""
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get_all("Host") or [], self.server.server_address[1]):
            self.send_error(400, "Unknown host: open the preview at the address the watch printed")
            return False
        if self.command not in ("GET", "HEAD"):
            self._allow = True
            self.send_error(405)
            return False
        return True

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", self._policy or FILE_POLICY)
        self.send_header("Referrer-Policy", "no-referrer")
        if self._allow:
            self.send_header("Allow", "GET, HEAD")
        super().end_headers()

    def do_GET(self):  # noqa: N802 - the base class's name
        self.answer(head=False)

    def do_HEAD(self):  # noqa: N802 - the base class's name
        self.answer(head=True)

    def answer(self, head: bool) -> None:
        try:
            # the target as sent: the base class turns a leading '//' into '/', which would hide it
            words = self.requestline.split()
            path = request_path(words[1] if len(words) >= 2 else self.path)
            if path == EVENTS:
                return self.events(head)
            if path == "/":
                return self.page(self.preview.page, head)
            real = resolve(self.output, path)
            if real.suffix == ".html":
                return self.page(real, head)
            return self.file(real, head)
        except Refused as refused:
            self.send_error(refused.status)

    def file(self, real: Path, head: bool) -> None:
        handle, size = open_file(real)
        with handle:
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(real.name)[0] or "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if not head:
                shutil.copyfileobj(handle, self.wfile)

    def page(self, file: Path | None, head: bool) -> None:
        body = b""
        if file is not None:
            try:
                handle, _size = open_file(resolve(self.output, "/" + file.name))
                with handle:
                    body = handle.read()
            except Refused:
                body = b""
        if not body:
            body = (b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>paperpipe preview</title></head>'
                    b"<body><p>No good build yet: the page appears here after the first one.</p></body></html>")
        problems = self.preview.shown_problems()
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            what = ("The page below is up to date, but the other files of the last build failed." if self.preview.behind
                    else "The last build failed; the paper below is the last good one.")
            banner = (f'<div role="alert" style="{BANNER_STYLE}"><strong>{what}'
                      f'</strong><ul style="margin:0.4em 0 0;padding-left:1.2em">{items}</ul></div>').encode("utf-8")
            body = _insert_after(body, b"<body", banner)
        body = _insert_before(body, b"</body>", f"<script>{RELOAD_SCRIPT}</script>".encode("utf-8"))
        self._policy = PAGE_POLICY
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def events(self, head: bool) -> None:
        """Server-Sent Events: the build counter now, and again after each build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        preview = self.preview
        generation = preview.generation
        last = time.monotonic()
        try:
            self.wfile.write(f"retry: 1000\ndata: {generation}\n\n".encode())
            self.wfile.flush()
            while not preview.closed:
                now = preview.wait(generation, TICK)
                if now != generation:
                    generation = now
                    self.wfile.write(f"data: {generation}\n\n".encode())
                    self.wfile.flush()
                    last = time.monotonic()
                elif time.monotonic() - last > KEEPALIVE:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    last = time.monotonic()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away


def _insert_after(body: bytes, tag: bytes, extra: bytes) -> bytes:
    at = body.find(tag)
    end = body.find(b">", at) if at >= 0 else -1
    return body[: end + 1] + extra + body[end + 1:] if end >= 0 else extra + body


def _insert_before(body: bytes, tag: bytes, extra: bytes) -> bytes:
    at = body.rfind(tag)
    return body[:at] + extra + body[at:] if at >= 0 else body + extra


def start_server(output: Path, preview: Preview, port: int = DEFAULT_PORT) -> http.server.ThreadingHTTPServer:
    """The preview server on 127.0.0.1:port, answering in a thread of its own."""
    output.mkdir(parents=True, exist_ok=True)
    handler = type("PreviewHandler", (Handler,), {"preview": preview, "output": Path(output)})
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="paperpipe-preview", daemon=True).start()
    return server


def serve(content: Path, templates: Path, output: Path, formats: tuple[str, ...], *, port: int = DEFAULT_PORT,
          console: Console | None = None, **watch_options) -> int:
    """Watch and build as ``watch`` does, and serve the output folder at
    http://127.0.0.1:port/ with live reload. Returns the watch's status."""
    from .watch import watch

    base = console or Console()
    live = PreviewConsole(base.out, base.err, base.level, base.colour)
    live.preview = preview = Preview()
    content, templates, output = Path(content), Path(templates), Path(output)
    preview.roots = {content: content.resolve().name or "content", templates: templates.resolve().name or "templates",
                     output: output.resolve().name or "output"}
    formats = formats if "html" in formats else (*formats, "html")
    try:
        server = start_server(Path(output), preview, port)
    except (OSError, OverflowError) as exc:  # in use, not allowed, or not a port number
        print(f"cannot serve on http://{HOST}:{port}/ ({getattr(exc, 'strerror', None) or exc}): choose another port with --port",
              file=live.err, flush=True)
        return 2
    print(f"preview at http://{HOST}:{server.server_address[1]}/ (reloads after each build)", file=live.out, flush=True)
    try:
        return watch(content, templates, output, formats, console=live, **watch_options)
    finally:
        preview.close()
        server.shutdown()
        server.server_close()


__all__ = ["DEFAULT_PORT", "HOST", "Preview", "serve", "start_server"]
