"""Shared fixtures: each paper is built once per test session, through the
command line (in this process), into a temporary output folder."""
from __future__ import annotations

import fcntl
import functools
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
from html.parser import HTMLParser
import threading
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
CONTENT = ROOT / "content"


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` from ``cwd``, run in this process (build.py only
    calls cli.main with the project folder): the exit status and what it
    printed, without a new Python importing paperpipe for every build.
    test_errors.py and test_outputs_safety.py run build.py itself."""
    from paperpipe.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args), project=ROOT)
            except SystemExit as exit_:  # argparse's exit on a command line error
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def _build(content: Path, out: Path, fmt: str) -> Path:
    result = run_build("--format", fmt, "--content", str(content), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


@functools.lru_cache(maxsize=None)
def real_paper():
    """The real paper read, checked and realized (pipeline.load), once per
    worker, for the tests that only read it: never change what it returns."""
    from paperpipe.pipeline import load

    return load(CONTENT, ROOT / "templates")


@functools.lru_cache(maxsize=None)
def mini_paper():
    """The mini paper (tests/fixtures/mini) read, checked and realized with
    the shipped templates, once per worker, for the tests that only read
    it: never change what it returns."""
    from paperpipe.pipeline import load

    return load(MINI, ROOT / "templates")


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """The folder ``name`` made by ``make(folder)`` once for the whole run:
    pytest-xdist's workers each run the session fixtures, so the first one
    makes the folder under a file lock in the run's common temporary folder
    (the parent of each worker's own) and the others wait for it and read it.
    Without xdist it is simply made once. What is made there is read only."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def paper_out(tmp_path_factory) -> Path:
    """output/ of the real paper, PDF, DOCX and page (built once per run)."""
    return once_per_run(tmp_path_factory, "paper", lambda out: _build(CONTENT, out, "all"))


@pytest.fixture(scope="session")
def mini_out(tmp_path_factory) -> Path:
    return once_per_run(tmp_path_factory, "mini", lambda out: _build(MINI, out, "all"))


# ----------------------------------------------------------------------------- order of the files
# The README's command runs each file on one worker (pytest-xdist's --dist
# loadfile --no-loadscope-reorder: a file's fixtures are made once) in the
# order collected here. The files with the longest work (LibreOffice, the
# generated cases, Chromium, whole builds) start first, so that no worker is
# left with a long one while the other has finished: the run's wall time is
# then about half its CPU time. The rest (each under ~4% of a run's wall
# time) keep their usual order. The order is that of the files' times in a
# whole run (--durations=0, summed per file; test_review.py first all the
# same: its one LibreOffice starts early); test_trust.py and
# test_template_sandbox.py, 7% each, came after all the small files.
LONGEST_FIRST = ("test_review.py", "test_properties.py", "test_html.py", "test_outputs_safety.py", "test_sanitise.py",
                 "test_new.py", "test_floats.py", "test_trust.py", "test_pdf_tags.py", "test_template_sandbox.py",
                 "test_figure_cache.py", "test_realize.py", "test_bench.py", "test_errors.py", "test_watch.py", "test_pdf.py",
                 "test_docx.py", "test_serve.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's own order is kept


# ----------------------------------------------------------------------------- LibreOffice, once
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-uno lives


@functools.lru_cache(maxsize=None)
def uno_ready() -> bool:
    """soffice and its UNO bridge for Debian's Python (python3-uno)."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def libreoffice(paper_out, mini_out, tmp_path_factory) -> dict[str, Path]:
    """All that the tests ask of LibreOffice, done by one soffice for the
    whole run (tests/review_uno.py; starting soffice with a new profile costs
    more than most of the work): the paper's and the mini paper's DOCX laid
    out as PDFs ("paper", "mini": test_docx.py, test_docx_cover.py), and the
    paper's DOCX reviewed with test_review.py's edits, with Track Changes and
    comments ("tracked") and without ("untracked")."""
    if not uno_ready():
        pytest.skip("LibreOffice with python3-uno is not installed")
    from test_review import TRACKED, UNTRACKED

    def make(folder: Path) -> None:
        docx, mini = next(paper_out.glob("*.docx")), next(mini_out.glob("*.docx"))
        jobs = [{"input": str(docx), "output": str(folder / "paper.pdf"), "pdf": True},
                {"input": str(mini), "output": str(folder / "mini.pdf"), "pdf": True},
                {"input": str(docx), "output": str(folder / "tracked.docx"), "author": "Rita Reviewer", "edits": [e for e, *_ in TRACKED]},
                {"input": str(docx), "output": str(folder / "untracked.docx"), "author": "Uwe Untracked", "edits": [e for e, *_ in UNTRACKED]}]
        (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
        result = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "review_uno.py"), str(folder / "jobs.json")],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr

    folder = once_per_run(tmp_path_factory, "libreoffice", make)
    return {name: folder / name for name in ("paper.pdf", "mini.pdf", "tracked.docx", "untracked.docx")}


@pytest.fixture(scope="session")
def in_libreoffice(libreoffice) -> Path:
    """The paper's DOCX as LibreOffice lays it out (a PDF, made by the one
    soffice of the run) for every test that reads it (the cover's, the page fill's)."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler is not installed")
    return libreoffice["paper.pdf"]


# ----------------------------------------------------------------------------- Chromium, once per worker
JS = ROOT / "tests" / "js"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(CHROMIUM is None or shutil.which("node") is None or not (JS / "node_modules" / "axe-core").is_dir(),
                                   reason="chromium, node or tests/js/node_modules (npm ci) is missing")


class Browser:
    """One headless Chromium for all the pages a worker's tests open
    (``node tests/js/browser.mjs --serve``, started at the first page):
    starting Chromium costs more CPU than checking most pages. Each page is
    loaded in a new tab; see browser.mjs for what a job asks and gets."""

    def __init__(self):
        self.child: subprocess.Popen | None = None
        self.lines: Lines | None = None
        self.errors = None

    def check(self, page: Path, widths=(1280, 360), *, idle=False, axe=True, figures=False, shots: Path | None = None,
              figure_shots: Path | None = None, pdf: Path | None = None, timeout: float = 300) -> dict:
        if self.child is None or self.child.poll() is not None:
            self.close()
            self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")
            self.child = subprocess.Popen(["node", str(JS / "browser.mjs"), "--serve"], cwd=JS, env={**os.environ, "CHROMIUM": CHROMIUM},
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True, encoding="utf-8",
                                          start_new_session=True)  # its own group: Chromium goes with it when it is killed
            self.lines = Lines(self.child.stdout)
        job = {"page": str(page), "widths": list(widths), "idle": idle, "axe": axe, "figures": figures,
               "shots": shots and str(shots), "figure_shots": figure_shots and str(figure_shots), "pdf": pdf and str(pdf)}
        self.child.stdin.write(json.dumps(job) + "\n")
        self.child.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.queue.get(timeout=0.5)
            except queue.Empty:
                stopped = self.child.poll() is not None
                if stopped or time.monotonic() > deadline:
                    self.errors.seek(0)
                    told = self.errors.read()[-2000:]
                    self.kill()  # the next page gets a new Chromium
                    raise AssertionError(("browser.mjs stopped" if stopped else f"no answer from browser.mjs within {timeout} s")
                                         + f" for {page}:\n" + told)
                continue
            if line.startswith("{"):
                result = json.loads(line)
                assert "error" not in result, result["error"][-2000:]
                return result

    def close(self) -> None:
        if self.child is not None:
            try:
                self.child.stdin.close()  # browser.mjs closes Chromium when its input ends
            except OSError:  # it has stopped already
                pass
            try:
                self.child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
            self.child = None
        if self.errors is not None:
            self.errors.close()
            self.errors = None

    def kill(self) -> None:
        try:
            os.killpg(self.child.pid, signal.SIGKILL)
        except OSError:  # gone already
            pass
        self.child.wait()
        self.child = None
        self.close()


@pytest.fixture(scope="session")
def browser():
    """This worker's one Chromium (a Browser); the tests using it are marked needs_browser."""
    if CHROMIUM is None or shutil.which("node") is None or not (JS / "node_modules" / "puppeteer-core").is_dir():
        pytest.skip("chromium, node or tests/js/node_modules (npm ci) is missing")
    one = Browser()
    yield one
    one.close()


def copy_fonts(dest: Path) -> None:
    """The shipped fonts at ``dest``: hard links (no copying) where possible."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(ROOT / "templates" / "fonts", dest, copy_function=link)


def mini_paper_in(folder: Path) -> Path:
    """``folder`` holding paper/ (a copy of the mini paper) and templates/ (an
    editable copy of the real ones: style, fonts, macros and schemas), for
    tests that build a paper they change; returns ``folder``."""
    shutil.copytree(MINI, folder / "paper")
    templates = copy_templates(folder / "templates", (ROOT / "templates" / "macros.md.j2").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "templates" / "schemas", templates / "schemas")
    return folder


def copy_templates(dest: Path, macros: str | None = None) -> Path:
    """A templates folder at ``dest`` for tests that edit it: the shipped
    style and logo, the fonts (hard-linked where the file system allows:
    a symbolic link out of the templates folder is refused), and the given macros."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "style.yaml", dest / "style.yaml")
    shutil.copy(ROOT / "templates" / "eu-emblem.svg", dest / "eu-emblem.svg")
    copy_fonts(dest / "fonts")
    if macros is not None:
        (dest / "macros.md.j2").write_text(macros, encoding="utf-8")
    return dest


def caption_line(theme, doc, kind: str, entry) -> str:
    """A line of the list of figures or tables as the theme's caption format
    prints it ("Figure 3: Title" with the shipped style): the expected text
    comes from the theme, so a house style's own format is tested too."""
    return theme.captions.prefix(doc.meta.labels[kind], entry.number) + entry.title


# ----------------------------------------------------------------------------- property test counts
# tests/test_properties.py counts its generated cases here ("<test>",
# "<test>:rendered", "worst seconds"); the end of the run prints them, summed
# over pytest-xdist's workers when the tests run on several.
PROPERTY_CASES: Counter = Counter()


def _merge_cases(into: Counter, cases: dict) -> None:
    for key, value in cases.items():
        into[key] = max(into[key], value) if key == "worst seconds" else into[key] + value


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the counts to the controller
        workeroutput["property_cases"] = dict(PROPERTY_CASES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _merge_cases(PROPERTY_CASES, getattr(node, "workeroutput", {}).get("property_cases", {}))


def pytest_terminal_summary(terminalreporter):
    cases = PROPERTY_CASES
    names = sorted(k for k in cases if ":" not in k and k not in ("fixed cases", "worst seconds"))
    if names and getattr(terminalreporter.config, "workeroutput", None) is None:
        parts = ", ".join(f"{name}: {cases[name]} ({cases[name + ':rendered']} rendered)" for name in names)
        total = sum(cases[name] for name in names)
        terminalreporter.write_line(f"hypothesis cases: {total} in all, slowest {cases['worst seconds']:.2f} s — {parts}")


def needs(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


class Lines:
    """A child process's output, read by a thread, waited on with a timeout
    (``wait_for`` returns the match of the first line that fits)."""

    def __init__(self, stream):
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s; output so far:\n" + "\n".join(self.seen))


class _VisibleText(HTMLParser):
    """The words a sighted reader sees on a page: no stylesheet, no figure
    drawings, no words for screen readers only; blocks apart by a space."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if self._skip or tag in ("style", "title", "svg") or "visually-hidden" in (dict(attrs).get("class") or ""):
            self._skip += 1
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "figcaption", "caption", "br", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    reader = _VisibleText()
    reader.feed(page)
    return "".join(reader.parts)


def css_references(text: str) -> list[str]:
    """Every address a browser would read in CSS ``text``, nested ones too
    (an empty url() or src() as "?", an @import as "@import")."""
    import tinycss2

    found = []
    stack = list(tinycss2.parse_component_value_list(text))
    while stack:
        node = stack.pop()
        if node.type == "url":
            found.append(node.value)
        elif node.type == "function":
            if node.lower_name in ("url", "src"):
                found.append("".join(a.value for a in node.arguments if a.type == "string") or "?")
            stack.extend(node.arguments)
        elif node.type == "at-keyword" and node.lower_value == "import":
            found.append("@import")
        elif isinstance(getattr(node, "content", None), list):
            stack.extend(node.content)
    return found
