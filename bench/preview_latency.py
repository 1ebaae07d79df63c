"""Save -> refreshed page, as a browser sees it: ``build.py watch --serve
--format all`` on a copy of the paper, in a child process; the page's event
stream is read as the reload script reads it, and after each save the time
is taken until the stream says the build ended and ``GET /`` returns the
page with the saved sentence (what a reload shows). Then until the console
says the whole build (PDF, DOCX) is written.

Each save waits for the build before it to end, so every figure is one
save of a quiet watch; a save appends one paragraph to the middle section.
"""
from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from children import BUILD, ROOT

TIMEOUT = 120.0  # seconds any one wait may take before the measurement gives up


def _middle_section(content: Path) -> Path:
    import yaml

    sections = yaml.safe_load((content / "paper.yaml").read_text(encoding="utf-8"))["sections"]
    return content / sections[len(sections) // 2]


def edited_section(content: Path) -> Path:
    """The section file each save changes (the middle one), in ``content``."""
    return _middle_section(content)


class _Lines:
    """A child's output lines, read in a thread."""

    def __init__(self, stream):
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            line = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                raise RuntimeError("the watch ended")
            found = re.search(pattern, line)
            if found:
                return found


class _Events:
    """The page's event stream: each ``data:`` value, with the time it arrived."""

    def __init__(self, port: int):
        self.queue: queue.Queue[tuple[str, float]] = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.conn.request("GET", "/_paperpipe/events")
        self.response = self.conn.getresponse()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    self.queue.put((line[5:].strip(), time.perf_counter()))
        except OSError:
            pass

    def next(self) -> tuple[str, float]:
        return self.queue.get(timeout=TIMEOUT)


def _page(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/")
        return conn.getresponse().read().decode("utf-8", "replace")
    finally:
        conn.close()


def save_to_page(content: Path, saves: int) -> dict:
    """Median seconds from a save to the refreshed page, and to the whole build."""
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    child = None
    try:
        paper = work / "paper"
        shutil.copytree(content, paper, ignore=shutil.ignore_patterns("output", ".*"))
        section = paper / edited_section(content).relative_to(content)
        child = subprocess.Popen(
            [sys.executable, "-u", str(BUILD), "watch", "--serve", "--port", "0", "--format", "all", "--content", str(paper),
             "--templates", str(ROOT / "templates"), "--output", str(work / "output")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=work, env={**os.environ, "NO_COLOR": "1"},
        )
        lines = _Lines(child.stdout)
        port = int(lines.wait_for(r"preview at http://127\.0\.0\.1:(\d+)/").group(1))
        lines.wait_for(r"^built ")
        events = _Events(port)
        seen, _ = events.next()
        pages, events_s, wholes = [], [], []
        for n in range(saves):
            time.sleep(0.3)  # a quiet watch: nothing of the save before is still going on
            sentence = f"A sentence saved for run {n} of the benchmark, as an editor adds one."
            text = section.read_text(encoding="utf-8")
            started = time.perf_counter()
            with open(section, "w", encoding="utf-8") as handle:  # one save, as an editor's
                handle.write(text.rstrip("\n") + f"\n\n{sentence}\n")
            while True:
                generation, arrived = events.next()
                if generation == seen:
                    continue
                seen = generation
                if sentence in _page(port):
                    break
            shown = time.perf_counter()
            lines.wait_for(r"^built ")
            whole = time.perf_counter()
            events_s.append(arrived - started)
            pages.append(shown - started)
            wholes.append(whole - started)
        return {"ok": True, "median_s": statistics.median(pages), "runs": pages, "event_s": statistics.median(events_s),
                "whole_s": statistics.median(wholes), "pid": child.pid}
    except (RuntimeError, OSError, queue.Empty, ValueError) as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(work, ignore_errors=True)
