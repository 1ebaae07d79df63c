"""The outputs can be trusted, end to end through the command line (build.py
in a Python of its own wherever a signal, another day or the hash seed is
part of the test; a full disk, a failed move or a crashing writer is patched
in this process for the one build): a failed build
keeps the previous good files byte for byte and leaves nothing half written;
two builds of the same content are byte-identical (PDF and DOCX) whatever
the day, the folder or the hash seed; SOURCE_DATE_EPOCH sets the dates;
& < > " ' print literally; --watch rebuilds and survives a broken edit; the
summary says what was built and where.

Everything is built from a copy of tests/fixtures/mini with templates from a
copy of templates/ (style, fonts, Word template; no macros), so neither the
real paper nor the real macros are involved.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import conftest
import pytest
from conftest import Lines, copy_templates
from pypdf import PdfReader
from paperpipe.pipeline import FORMATS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
FORMAT = "all"
NAME = "T1.01-maritime-clusters"

# one paragraph, a heading, a table and a caption full of characters that
# mean something in XML, HTML or reportlab markup; each must print as written
LITERAL = """
## Q&A: "quotes" & 'apostrophes'

Literal: Fish & chips, 5 < 6 > 4, "double", 'single', it's, \\<b\\>not bold\\</b\\>, &amp;lt; stays, AT&T.

| A & B | "C" < 'D' |
|---|---|
| x > y | R&D's \\<x\\> |

Table: Q&A \\<table\\> "caption" 'here' {#tab-literal}
"""
# (typed quotes print as the theme's typographic marks: typography.smart_quotes)
LITERAL_TEXTS = [
    "Q&A: “quotes” & ‘apostrophes’",
    "Literal: Fish & chips, 5 < 6 > 4, “double”, ‘single’, it’s, <b>not bold</b>, &lt; stays, AT&T.",
    "A & B",
    "“C” < ‘D’",
    "x > y",
    "R&D’s <x>",
    "Q&A <table> “caption” ‘here’",
]


def run_build(*args: str, cwd: Path = ROOT, env: dict | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    """build.py with ``args``; ``code`` runs first in the same process (to
    simulate a crash or another day) and then calls the CLI. Without code or
    environment of its own, the build runs in this process (conftest's
    run_build: the same cli.main), the good builds the tests compare with."""
    if code is None and env is None:
        result = conftest.run_build(*args, cwd=cwd)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        return result
    full_env = dict(os.environ)
    for key, value in (env or {}).items():  # None removes a variable
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    if code is None:
        command = [sys.executable, str(ROOT / "build.py"), *args]
    else:
        script = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{code}\n"
                  f"from pathlib import Path\nfrom paperpipe.cli import main\n"
                  f"sys.exit(main({list(args)!r}, project=Path({str(ROOT)!r})))\n")
        command = [sys.executable, "-c", script]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=full_env)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def templates(tmp_path) -> Path:
    return copy_templates(tmp_path / "templates")


@pytest.fixture
def paper(tmp_path) -> Path:
    dest = tmp_path / "paper"
    shutil.copytree(MINI, dest)
    return dest


def build(paper: Path, templates: Path, out: Path, fmt: str = FORMAT, **kw) -> subprocess.CompletedProcess:
    return run_build("--format", fmt, "--content", str(paper), "--templates", str(templates), "--output", str(out), **kw)


@pytest.fixture(scope="module")
def good_all(tmp_path_factory) -> Path:
    """The output folder of one good --format all build of the mini paper,
    made once for the tests that start from a previous good output (the
    same content in every test: its bytes do not depend on the folder,
    test_two_builds_are_byte_identical)."""
    base = tmp_path_factory.mktemp("good")
    paper, templates = base / "paper", copy_templates(base / "templates")
    shutil.copytree(MINI, paper)
    good = build(paper, templates, base / "out")
    assert good.returncode == 0, good.stderr
    return base / "out"


def previous_good(good_all: Path, out: Path) -> dict[str, bytes]:
    """``out`` holding the good build's files (and figure cache), as a
    previous build leaves them; its snapshot."""
    shutil.copytree(good_all, out, symlinks=True)
    return snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (hidden ones included) with its bytes; the
    .cache/ folder of converted figures is the build's own, not an output."""
    files = {p.name: p.read_bytes() if p.is_file() else b"<folder>" for p in sorted(folder.iterdir()) if p.name != ".cache"}
    cache = folder / ".cache"
    if cache.is_dir():  # the cache too is written whole or not at all
        assert not [p for p in cache.iterdir() if p.suffix == ".part"], "a partial cache entry was left behind"
    return files


def files_for(fmt: str) -> list[str]:
    return [f"{NAME}.{f}" for f in FORMATS] if fmt == "all" else [f"{NAME}.{fmt}"]


# ----------------------------------------------------------------------------- last good output
def test_failed_build_keeps_previous_output_byte_for_byte(paper, templates, tmp_path, good_all):
    out = tmp_path / "out"
    before = previous_good(good_all, out)
    assert sorted(before) == sorted(files_for(FORMAT))

    (paper / "sections" / "02-results.md").write_text("# Results\n\n<div>broken</div>\n", encoding="utf-8")
    bad = build(paper, templates, out)
    assert bad.returncode == 1
    assert "nothing was written, previous output is kept" in bad.stderr
    assert snapshot(out) == before  # same files, same bytes, no partial or temporary file


def test_crash_in_a_writer_is_reported_as_a_bug_and_keeps_previous_output(paper, templates, tmp_path, monkeypatch, good_all):
    import paperpipe.writers.pdf as pdf

    out = tmp_path / "out"
    before = previous_good(good_all, out)

    def boom(*a, **k):
        raise RuntimeError("layout exploded")
    with monkeypatch.context() as patch:  # in this process, for this build only
        patch.setattr(pdf, "render_pdf", boom)
        result = conftest.run_build("--format", FORMAT, "--content", str(paper), "--templates", str(templates), "--output", str(out))
    assert result.returncode == 1
    assert "internal error: RuntimeError: layout exploded" in result.stderr
    assert "bug in paperpipe" in result.stderr
    assert snapshot(out) == before


def test_disk_full_while_writing_leaves_no_partial_file(paper, templates, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert build(paper, templates, out, fmt="pdf").returncode == 0
    before = snapshot(out)
    # the new file is half written when the disk fills up
    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with monkeypatch.context() as patch:  # in this process, for this build only
        patch.setattr(os, "fsync", fsync)
        result = build(paper, templates, out, fmt="pdf")
    assert result.returncode == 1
    assert f"{NAME}.pdf: cannot write the file (No space left on device)" in result.stderr
    assert snapshot(out) == before  # the .part file is gone, the old PDF untouched


def test_all_formats_are_replaced_together_or_not_at_all(paper, templates, tmp_path, monkeypatch, good_all):
    """--format all: if the DOCX cannot be written, the PDF is not replaced either."""
    out = tmp_path / "out"
    before = previous_good(good_all, out)
    (paper / "sections" / "01-intro.md").write_text(
        (paper / "sections" / "01-intro.md").read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    # the disk fills up while the second file (the DOCX) is written
    synced = []

    def fsync(fd):
        synced.append(fd)
        if len(synced) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with monkeypatch.context() as patch:  # in this process, for this build only
        patch.setattr(os, "fsync", fsync)
        result = build(paper, templates, out, fmt="all")
    assert result.returncode == 1, result.stderr
    assert f"{NAME}.docx: cannot write the file (No space left on device)" in result.stderr
    assert snapshot(out) == before  # the new PDF was not moved in, and no .part is left


def test_interrupted_write_leaves_no_partial_file(paper, templates, tmp_path):
    out = tmp_path / "out"
    assert build(paper, templates, out, fmt="pdf").returncode == 0
    before = snapshot(out)
    ctrl_c = ("import os\n"
              "def replace(a, b):\n    raise KeyboardInterrupt\n"
              "os.replace = replace")
    result = build(paper, templates, out, fmt="pdf", code=ctrl_c)
    assert result.returncode == 130
    assert "interrupted" in result.stderr
    assert snapshot(out) == before


def test_output_files_have_an_ordinary_mode(paper, templates, tmp_path):
    out = tmp_path / "out"
    assert build(paper, templates, out, fmt="pdf").returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert (out / f"{NAME}.pdf").stat().st_mode & 0o777 == 0o666 & ~mask


# ----------------------------------------------------------------------------- reproducible
# another day, another time zone: time.time and datetime.now move ten years on
ANOTHER_DAY = """
import time, datetime
_shift = 10 * 365 * 86400.0
_time = time.time
time.time = lambda: _time() + _shift
_lt, _gt = time.localtime, time.gmtime
time.localtime = lambda t=None: _lt(time.time() if t is None else t)
time.gmtime = lambda t=None: _gt(time.time() if t is None else t)
class _Later(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)
    @classmethod
    def today(cls):
        return cls.now()
    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcfromtimestamp(time.time())
datetime.datetime = _Later
"""


def test_two_builds_are_byte_identical(paper, templates, tmp_path):
    """Each format of two builds in Pythons of their own (another hash seed,
    another day and time zone, another folder): the same bytes. One pair of
    builds makes every format (it was one pair per format)."""
    other = tmp_path / "elsewhere" / "copy of paper"
    shutil.copytree(paper, other)
    first = build(paper, templates, tmp_path / "a", fmt="all", env={"PYTHONHASHSEED": "1", "TZ": "UTC"})
    assert first.returncode == 0, first.stderr
    second = build(other, templates, tmp_path / "b", fmt="all", code=ANOTHER_DAY,
                   env={"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland"})
    assert second.returncode == 0, second.stderr
    for fmt in FORMATS:
        a = (tmp_path / "a" / f"{NAME}.{fmt}").read_bytes()
        b = (tmp_path / "b" / f"{NAME}.{fmt}").read_bytes()
        assert a == b, f"two builds of the same content differ ({fmt}){_zip_difference(a, b) if fmt == 'docx' else ''}"


def _zip_difference(a: bytes, b: bytes) -> str:
    """Which entries of two DOCX files differ (names, order, bytes or timestamps)."""
    import io

    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        ia, ib = za.infolist(), zb.infolist()
        if [i.filename for i in ia] != [i.filename for i in ib]:
            return f": entries {[i.filename for i in ia]} vs {[i.filename for i in ib]}"
        diff = [x.filename for x, y in zip(ia, ib) if za.read(x) != zb.read(y) or x.date_time != y.date_time]
        return f": entries {diff}"


def test_docx_zip_entries_have_fixed_timestamps_and_order(paper, templates, tmp_path):
    assert build(paper, templates, tmp_path / "out", fmt="docx").returncode == 0
    with zipfile.ZipFile(tmp_path / "out" / f"{NAME}.docx") as zf:
        infos = zf.infolist()
    assert len({i.date_time for i in infos}) == 1
    assert infos[0].filename == "[Content_Types].xml"


def test_source_date_epoch_sets_the_dates_of_both_files(paper, templates, tmp_path, monkeypatch):
    import docx

    from paperpipe.pipeline import build as build_in_process

    # in this process: the variable is read at each build, not at import; the
    # PDF and the DOCX carry dates (the page has none), so only they are built
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_in_process(paper, templates, tmp_path / "a", ("pdf", "docx"))  # a BuildError fails the test
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build_in_process(paper, templates, tmp_path / "b", ("pdf", "docx"))
    meta_a = PdfReader(str(tmp_path / "a" / f"{NAME}.pdf")).metadata
    meta_b = PdfReader(str(tmp_path / "b" / f"{NAME}.pdf")).metadata
    assert meta_a["/CreationDate"].startswith("D:20240305000000")  # the paper's date: 2024-03-05
    assert meta_b["/CreationDate"].startswith("D:20231114221320")  # 1700000000 in UTC
    assert meta_b["/ModDate"] == meta_b["/CreationDate"]
    props_a = docx.Document(str(tmp_path / "a" / f"{NAME}.docx")).core_properties
    props_b = docx.Document(str(tmp_path / "b" / f"{NAME}.docx")).core_properties
    assert props_a.created.isoformat().startswith("2024-03-05T00:00:00")
    assert props_b.created.isoformat().startswith("2023-11-14T22:13:20") and props_b.modified == props_b.created


# ----------------------------------------------------------------------------- literal text
def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def literal_out(tmp_path_factory) -> Path:
    """The mini paper with LITERAL added, built once for the three tests
    that read it: PDF and DOCX (test_html.py reads hostile text in the page)."""
    from paperpipe.pipeline import build as build_in_process

    base = tmp_path_factory.mktemp("literal")
    paper, templates = base / "paper", copy_templates(base / "templates")
    shutil.copytree(MINI, paper)
    with open(paper / "sections" / "02-results.md", "a", encoding="utf-8") as handle:
        handle.write(LITERAL)
    build_in_process(paper, templates, base / "out", ("pdf", "docx"))  # a BuildError fails the tests
    return base / "out"


def test_special_characters_print_literally_in_the_pdf(literal_out):
    text = _squash(" ".join(page.extract_text() or "" for page in PdfReader(str(literal_out / f"{NAME}.pdf")).pages))
    for expected in LITERAL_TEXTS:
        assert expected in text, expected
    assert "&amp;" not in text and "&lt;b" not in text  # nothing escaped twice


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_special_characters_print_literally_in_the_pdf_pdftotext(literal_out):
    text = subprocess.run(["pdftotext", str(literal_out / f"{NAME}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext guesses word gaps from distances and drops some in narrow table
    # cells ("A&B"), so compare without white space; the characters are what matters
    flat = re.sub(r"\s+", "", text)
    for expected in LITERAL_TEXTS:
        assert re.sub(r"\s+", "", expected) in flat, expected


def test_special_characters_print_literally_in_the_docx(literal_out):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(literal_out / f"{NAME}.docx") as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(w + "t")) for p in root.iter(w + "p")]
    for expected in LITERAL_TEXTS:
        assert any(expected in p for p in paragraphs), expected
    assert not any("&amp;" in p or "&lt;b" in p for p in paragraphs)


# ----------------------------------------------------------------------------- summary
def test_summary_says_pages_figures_tables_warnings_time_and_where(paper, templates, tmp_path):
    result = run_build("--format", FORMAT, "--content", str(paper), "--templates", str(templates), "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"built {len(files_for(FORMAT))} files in \d+\.\d\d s, 0 warnings", lines[0]), result.stdout
    for line, name in zip(lines[1:], files_for(FORMAT), strict=True):  # one line per output, relative to the current folder
        assert re.fullmatch(rf"  {re.escape('out/' + name)} +(\d+ pages|no pages), 1 figure, 1 table, \d+ kB, \d+\.\d\d s", line), result.stdout


# ----------------------------------------------------------------------------- watch
def test_watch_rebuilds_after_a_change_and_survives_a_broken_edit(paper, templates, tmp_path):
    out = tmp_path / "out"
    results = paper / "sections" / "02-results.md"
    child = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "build.py"), "--watch", "--format", "pdf", "--content", str(paper),
         "--templates", str(templates), "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
    )
    lines = Lines(child.stdout)
    try:
        lines.wait_for(r"^built ")
        first = (out / f"{NAME}.pdf").read_bytes()

        results.write_text(results.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
        lines.wait_for(r"changed .*02-results\.md")
        lines.wait_for(r"^built ")
        second = (out / f"{NAME}.pdf").read_bytes()
        assert second != first and b"closing sentence" not in first

        results.write_text(results.read_text(encoding="utf-8") + "\n<div>oops</div>\n", encoding="utf-8")
        lines.wait_for(r"raw HTML is not supported")
        lines.wait_for(r"nothing was written, previous output is kept")
        assert (out / f"{NAME}.pdf").read_bytes() == second
        assert child.poll() is None  # still watching

        results.write_text(results.read_text(encoding="utf-8").replace("<div>oops</div>", "Fixed."), encoding="utf-8")
        lines.wait_for(r"^built ")
        assert (out / f"{NAME}.pdf").read_bytes() != second
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            code = child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            raise
    assert code == 0
    lines.wait_for(r"^stopped\.$", timeout=60)
    assert not any("Traceback" in line for line in lines.seen)


def test_watch_function_is_bounded_and_keeps_going_after_errors(paper, templates, tmp_path):
    import io

    sys.path.insert(0, str(ROOT))
    from paperpipe.watch import watch

    out, err = io.StringIO(), io.StringIO()
    results = paper / "sections" / "02-results.md"
    outcome: dict = {}
    looked = threading.Condition()
    finished = [0]  # builds finished (a summary or an error count) when the watch last looked for changes

    def looking() -> bool:
        """Asked by the watch each time it looks for changes; never stops it."""
        with looked:
            finished[0] = out.getvalue().count("built ") + err.getvalue().count("error(s);")
            looked.notify_all()
        return False

    def run():
        outcome["code"] = watch(paper, templates, tmp_path / "out", ("pdf",), interval=0.05, max_builds=3, stop=looking,
                                out=out, err=err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait_builds(n: int) -> None:
        """Until the n-th build has finished and the watch looks for changes again."""
        with looked:
            assert looked.wait_for(lambda: finished[0] >= n, timeout=120), out.getvalue() + err.getvalue()

    wait_builds(1)
    results.write_text(results.read_text(encoding="utf-8") + "\n<div>oops</div>\n", encoding="utf-8")
    wait_builds(2)
    results.write_text(results.read_text(encoding="utf-8").replace("<div>oops</div>", "Fixed."), encoding="utf-8")
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert outcome["code"] == 0  # the last of the three builds succeeded
    assert out.getvalue().count(": building pdf") == 3
    assert "raw HTML is not supported" in err.getvalue()
    assert out.getvalue().count("built ") == 2


def test_watch_stop_event_ends_the_loop(paper, templates, tmp_path):
    import io

    sys.path.insert(0, str(ROOT))
    from paperpipe.watch import watch

    stop = threading.Event()
    stop.set()  # already asked to stop: one build, then out
    out = io.StringIO()
    assert watch(paper, templates, tmp_path / "out", ("pdf",), interval=0.05, stop=stop, out=out, err=io.StringIO()) == 0
    assert out.getvalue().count(": building pdf") == 1


# ----------------------------------------------------------------------------- all or nothing (issue 8, class 6)
def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith((".part", ".previous")))


def test_unwritable_second_output_keeps_the_first_as_it_was(paper, templates, tmp_path, good_all):
    """The DOCX cannot be replaced (here a folder has its name, as a file
    locked by Word cannot be replaced): the new PDF must not replace the old."""
    out = tmp_path / "out"
    previous_good(good_all, out)
    (out / f"{NAME}.docx").unlink()
    (out / f"{NAME}.docx").mkdir()
    before = snapshot(out)
    (paper / "sections" / "01-intro.md").write_text(
        (paper / "sections" / "01-intro.md").read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    result = build(paper, templates, out, fmt="all")
    assert result.returncode == 1
    assert f"{NAME}.docx: cannot write the file" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_failure_moving_the_second_file_puts_the_first_back(paper, templates, tmp_path, monkeypatch, good_all):
    out = tmp_path / "out"
    before = previous_good(good_all, out)
    (paper / "sections" / "01-intro.md").write_text(
        (paper / "sections" / "01-intro.md").read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    moved, os_replace = [], os.replace

    def replace(a, b):
        if str(b).endswith((".pdf", ".docx", ".html")) and not str(a).endswith(".previous"):
            moved.append(b)
            if len(moved) == 2:
                raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return os_replace(a, b)
    with monkeypatch.context() as patch:  # in this process, for this build only
        patch.setattr(os, "replace", replace)
        result = build(paper, templates, out, fmt="all")
    assert result.returncode == 1, result.stderr
    assert "cannot write the file (Permission denied)" in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_failed_build_into_a_new_folder_leaves_nothing(paper, templates, tmp_path, monkeypatch):
    out = tmp_path / "new" / "out"
    (paper / "sections" / "02-results.md").write_text(
        (paper / "sections" / "02-results.md").read_text(encoding="utf-8") + "\n::: sidebar Unclosed\ntext\n", encoding="utf-8")
    assert build(paper, templates, out, fmt="all").returncode == 1
    assert not (tmp_path / "new").exists()
    # a layout failure, after the figures were rendered: no .cache folder either
    shutil.copytree(MINI / "sections", paper / "sections", dirs_exist_ok=True)
    tall = "\n```table\nrows:\n  - cells: [a, b]\n  - cells:\n      - |\n" + "".join(f"        line {i} \\\n" for i in range(150)) + "      - x\n```\n"
    (paper / "sections" / "02-results.md").write_text((MINI / "sections" / "02-results.md").read_text(encoding="utf-8") + tall, encoding="utf-8")
    result = build(paper, templates, out, fmt="all")
    assert result.returncode == 1 and "cannot be laid out" in result.stderr, result.stderr
    assert not (tmp_path / "new").exists()
    # a write failure after the folders were made
    shutil.copytree(MINI / "sections", paper / "sections", dirs_exist_ok=True)
    os_replace = os.replace

    def replace(a, b):
        if str(b).endswith(".docx"):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return os_replace(a, b)
    with monkeypatch.context() as patch:  # in this process, for this build only
        patch.setattr(os, "replace", replace)
        assert build(paper, templates, out, fmt="all").returncode == 1
    assert not (tmp_path / "new").exists()
