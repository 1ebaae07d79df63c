"""What the terminal shows: progress once a build takes more than a second,
on a terminal only (reading, layout, each output, writing), a summary per output (file, pages,
figures, tables, size, time) with the warnings and their file:line, --quiet
and --verbose, colours only on a terminal and never with NO_COLOR."""
from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from paperpipe import pipeline as build_module  # the library's steps
from paperpipe import cli, console

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def paper(tmp_path) -> Path:
    dest = tmp_path / "paper"
    shutil.copytree(MINI, dest)
    shutil.copy(MINI / "figures" / "map.svg", dest / "figures" / "spare.svg")  # unused: one warning
    return dest


def _run(paper: Path, out: Path, *options: str, capsys) -> tuple[int, str, str]:
    code = cli.main(["build", "--format", "all", "--content", str(paper), "--output", str(out), *options], project=ROOT)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_summary_per_output_and_the_warnings_with_file_and_line(paper, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(paper, tmp_path / "out", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert re.fullmatch(r"built 3 files in \d+\.\d\d s, 1 warning", lines[0]), out
    for line, suffix in zip(lines[1:3], ("pdf", "docx"), strict=True):
        assert re.fullmatch(rf"  out/T1\.01-maritime-clusters\.{suffix} +3 pages, 1 figure, 1 table, \d+ kB, \d+\.\d\d s", line), out
    assert re.fullmatch(r"  out/T1\.01-maritime-clusters\.html +no pages, 1 figure, 1 table, \d+ kB, \d+\.\d\d s", lines[3]), out
    sizes = [int(re.search(r"(\d+) kB", line).group(1)) for line in lines[1:3]]
    real = [(tmp_path / "out" / f"T1.01-maritime-clusters.{s}").stat().st_size for s in ("pdf", "docx")]
    assert [round(r / 1000) for r in real] == sizes
    assert "warning: paper/figures/spare.svg: this figure file is not used" in err
    assert "\033[" not in out + err  # not a terminal: no colours


class Clock:
    """Stands for console.Timer: the test says whether the build 'took' more
    than PROGRESS_AFTER (the timer fires as soon as it starts) or not (it
    never fires), so that no test depends on how fast the machine is."""

    def __init__(self, late: bool):
        self.late = late
        self.started = 0

    def __call__(self, interval, function):
        clock = self

        class _Timer:
            daemon = False

            def start(self):
                clock.started += 1
                if clock.late:
                    function()

            def cancel(self):
                pass

        return _Timer()


def _run_on_terminal(paper: Path, out: Path, *options: str) -> tuple[int, str, str]:
    """A build whose stdout and stderr are a terminal (NO_COLOR set by the caller)."""
    stdout, stderr = Tty(), Tty()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = cli.main(["build", "--format", "all", "--content", str(paper), "--output", str(out), *options], project=ROOT)
    return code, stdout.getvalue(), stderr.getvalue()


def test_progress_shows_each_step_once_a_build_is_slow(paper, tmp_path, monkeypatch):
    clock = Clock(late=True)
    monkeypatch.setattr(console, "Timer", clock)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = _run_on_terminal(paper, tmp_path / "out")
    assert code == 0 and clock.started == 1
    steps = re.findall(r"^ +\d+\.\d s  (.*) …$", err, re.M)
    assert steps == ["reading", "laying out pdf", "rendering docx", "rendering html", "writing files"], err
    assert out.startswith("built 3 files")


def test_no_progress_unless_stderr_is_a_terminal(paper, tmp_path, capsys, monkeypatch):
    """Into a pipe or a file (a script, CI, the tests' own subprocesses) the
    output does not depend on how long the build took."""
    clock = Clock(late=True)
    monkeypatch.setattr(console, "Timer", clock)
    code = cli.main(["build", "--content", str(paper), "--output", str(tmp_path / "out")], project=ROOT)  # the PDF alone will do
    out, err = capsys.readouterr()
    assert code == 0 and clock.started == 0
    assert " s  reading …" not in err and err.startswith("warning: ") and len(err.splitlines()) == 1, err
    assert out.startswith("built 1 file")


def test_a_quick_build_shows_no_progress_and_quiet_shows_only_warnings(paper, tmp_path, monkeypatch):
    clock = Clock(late=False)
    monkeypatch.setattr(console, "Timer", clock)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run_on_terminal(paper, tmp_path / "out")
    assert code == 0 and clock.started == 1 and " s  reading …" not in err
    code, out, err = _run_on_terminal(paper, tmp_path / "out", "--quiet", "--format", "pdf")  # (the last --format counts)
    assert code == 0 and out == "" and clock.started == 1  # --quiet starts no timer
    assert err.strip() == "warning: paper/figures/spare.svg: this figure file is not used — refer to it from a section, or delete it"


def test_verbose_shows_every_step_with_its_time(paper, tmp_path, capsys):
    code, out, err = _run(paper, tmp_path / "out", "--verbose", capsys=capsys)
    assert code == 0
    assert re.findall(r"^ +\d+\.\d s  (.*) …$", err, re.M) == ["reading", "laying out pdf", "rendering docx", "rendering html", "writing files"]
    assert [m.group(1) for m in re.finditer(r"^  (reading|laying out pdf|rendering docx|rendering html|writing files): \d+\.\d\d s$", out, re.M)] == \
        ["reading", "laying out pdf", "rendering docx", "rendering html", "writing files"]


def test_check_says_what_it_does_and_writes_nothing(paper, tmp_path, capsys, monkeypatch):
    """check lays out and renders every format in memory: its steps say so,
    its last line says nothing was written, and nothing was."""
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "--content", str(paper), "--verbose"], project=ROOT)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert re.findall(r"^ +\d+\.\d s  (.*) …$", err, re.M) == ["reading", "laying out pdf", "rendering docx", "rendering html"]
    assert re.search(r"^content OK: .*; nothing written$", out, re.M), out
    assert "writing" not in out + err
    assert [p.name for p in tmp_path.iterdir()] == ["paper"]  # no output folder, not even a figure cache


def test_colours_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert console.wants_colour(Tty()) is True
    assert console.wants_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert console.wants_colour(Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert console.wants_colour(Tty()) is False

    err = Tty()
    monkeypatch.setenv("TERM", "xterm")
    shown = console.Console(out=Tty(), err=err)
    shown.problem(build_module.Problem("content/sections/x.md", 3, "broken", "fix it", "warning"))
    assert "\033[" in err.getvalue() and "content/sections/x.md:3" in err.getvalue()


def test_each_line_is_written_whole_so_ctrl_c_cannot_glue_two_lines():
    """print() writes the text and its line end in two calls; a Ctrl-C
    between them made the watch print '… 0.03 sstopped.' on one line."""
    class Recorder(io.StringIO):
        def __init__(self):
            super().__init__()
            self.calls: list[str] = []

        def write(self, text):
            self.calls.append(text)
            return super().write(text)

    stream = Recorder()
    out = console.Console(stream, stream)
    out.say("  out/x.pdf  3 pages")
    out.say("stopped.")
    assert stream.calls == ["  out/x.pdf  3 pages\n", "stopped.\n"]
