"""``watch --serve`` end to end: the real command in a child process, a real
HTTP client against 127.0.0.1, real saves; every wait is bounded."""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import MINI, ROOT, Lines

NAME = "T1.01-maritime-clusters"
JS = ROOT / "tests" / "js"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class Events:
    """The preview's event stream, read in a thread: each ``data:`` line."""

    def __init__(self, port: int):
        self.queue: queue.Queue[str] = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", "/_paperpipe/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200 and self.response.getheader("Content-Type") == "text/event-stream"
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    self.queue.put(line[5:].strip())
        except OSError:
            pass

    def next(self, timeout: float = 60) -> str:
        return self.queue.get(timeout=timeout)


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture()
def served(tmp_path):
    """A copy of the mini paper, watched and served on a free port, from a
    folder beside it (so the watch shows files by absolute paths)."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "build.py"), "watch", "--serve", "--port", "0", "--format", "html",
         "--content", str(paper), "--output", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=elsewhere,
    )
    lines = Lines(child.stdout)
    try:
        port = int(lines.wait_for(r"^preview at http://127\.0\.0\.1:(\d+)/").group(1))
        lines.wait_for(r"^built ")
        yield paper, tmp_path / "out", port, lines, child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)


def test_serve_reloads_after_a_save_and_shows_errors_over_the_last_good_paper(served):
    paper, out, port, lines, child = served
    results = paper / "sections" / "02-results.md"

    status, page = get(port, "/")
    assert status == 200 and "<title>" in page and "EventSource" in page and 'role="alert"' not in page
    assert "EventSource" not in (out / f"{NAME}.html").read_text(encoding="utf-8")  # the file itself has no script
    events = Events(port)
    first = events.next()

    # a good save: a new build, the stream says so, the page shows the new text
    started = time.monotonic()
    results.write_text(results.read_text(encoding="utf-8") + "\nA sentence saved just now.\n", encoding="utf-8")
    second = events.next()
    latency = time.monotonic() - started
    assert second != first
    status, page = get(port, "/")
    assert "A sentence saved just now." in page and 'role="alert"' not in page
    print(f"save -> reload event: {latency:.2f} s")

    # a broken save: the errors with file:line above the last good paper
    results.write_text(results.read_text(encoding="utf-8") + "\n<div>oops</div>\n", encoding="utf-8")
    assert events.next() != second
    status, page = get(port, "/")
    alert = re.search(r'<div role="alert".*?</div>', page, re.S).group(0)
    assert re.search(r"(?<![/\w])paper/sections/02-results\.md:\d+: raw HTML is not supported", alert)
    assert str(paper.parent) not in page  # the terminal shows the absolute path; the page names the file in the paper
    lines.wait_for(re.escape(str(paper)) + r"/sections/02-results\.md:\d+")
    assert "<div>oops" not in alert  # the problem's text is escaped
    assert "A sentence saved just now." in page  # the last good paper beneath
    assert page.index('role="alert"') < page.index("A sentence saved just now.")

    # fixed again: the alert goes away
    results.write_text(results.read_text(encoding="utf-8").replace("<div>oops</div>", "Fixed."), encoding="utf-8")
    events.next()
    status, page = get(port, "/")
    assert 'role="alert"' not in page and "Fixed." in page

    # other outputs are served; the cache and paths outside are not
    status, page = get(port, f"/{NAME}.html")
    assert status == 200 and "Fixed." in page and "EventSource" in page
    assert get(port, "/.cache/")[0] == 404
    assert get(port, "/../../etc/passwd")[1].find("root:") < 0

    # Ctrl-C stops the watch and the server; the open event stream ends too
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=20) == 0
    lines.wait_for(r"^stopped\.")
    with pytest.raises(OSError):
        get(port, "/")


def test_serve_refuses_a_port_in_use_with_advice(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "watch", "--serve", "--port", str(port),
                              "--content", str(MINI), "--output", str(tmp_path / "out")],
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 2
    assert f"cannot serve on http://127.0.0.1:{port}/" in run.stderr and "--port" in run.stderr


@pytest.mark.skipif(CHROMIUM is None or shutil.which("node") is None or not (JS / "node_modules" / "puppeteer-core").is_dir(),
                    reason="chromium, node or tests/js/node_modules (npm ci) is missing")
def test_a_browser_reloads_by_itself_after_a_save(served):
    paper, out, port, lines, child = served
    result = subprocess.run(["node", str(JS / "reload.mjs"), f"http://127.0.0.1:{port}/", str(paper / "sections" / "02-results.md"),
                             "Saved while a browser watched."], capture_output=True, text=True, timeout=180, cwd=JS,
                            env={**os.environ, "CHROMIUM": CHROMIUM})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["reloaded"] and report["shown"], report
    assert report["violations"] == [], report  # the policy lets the page, its script and its stream work
    print(f"save -> refreshed page in Chromium: {report['ms']} ms")
