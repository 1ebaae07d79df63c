"""What the terminal shows an editor: progress of a long build, the summary
of a finished one, problems with their file:line, and plain words for a bug.

Levels: ``quiet`` (problems only), ``normal`` (progress once a build has
taken more than a second, on a terminal only, then the summary), ``verbose``
(every step with its time). Progress is for someone watching: written to a
file or a pipe, the output is the same however long the build took.
Colours only when the stream is a terminal and ``NO_COLOR`` is not set
(https://no-color.org); ``TERM=dumb`` means no colours either.
The command line (cli.py) and the watcher (watch.py) both print through it.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import TextIO

from .errors import BuildError, Problem

QUIET, NORMAL, VERBOSE = 0, 1, 2
PROGRESS_AFTER = 1.0  # seconds: a build shorter than this shows no progress
Timer = threading.Timer  # what calls back after PROGRESS_AFTER (tests put a clock of their own here)

_CODES = {"red": "31", "yellow": "33", "green": "32", "bold": "1", "dim": "2"}


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def size_text(size: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"


@dataclass
class Console:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    level: int = NORMAL
    colour: bool | None = None  # None: decide from the stream

    def __post_init__(self):
        if self.colour is None:
            self.colour = wants_colour(self.err)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._start = 0.0
        self._step = ""
        self._showing = False

    # ------------------------------------------------------------ text
    def paint(self, text: str, *styles: str) -> str:
        if not self.colour or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"

    def say(self, text: str = "", stream: TextIO | None = None) -> None:
        """One line, written with its line end in one call: print() writes
        them apart, and a Ctrl-C between the two glued the next line
        ("… 0.03 sstopped.") onto this one."""
        stream = stream or self.out
        stream.write(text + "\n")
        stream.flush()

    # ------------------------------------------------------------ progress
    def start(self) -> None:
        """A build begins: on a terminal, progress appears if it is still
        running after PROGRESS_AFTER (elsewhere only --verbose shows steps)."""
        self._start = time.perf_counter()
        self._step = ""
        self._showing = self.level >= VERBOSE
        if self.level == NORMAL and is_terminal(self.err):
            self._timer = Timer(PROGRESS_AFTER, self._late)
            self._timer.daemon = True
            self._timer.start()

    def _late(self) -> None:
        with self._lock:
            if self._timer is None:
                return
            self._showing = True
            if self._step:
                self._print_step(self._step)

    def step(self, what: str) -> None:
        """The build moved on to ``what`` ('reading', 'laying out pdf', 'rendering docx' …)."""
        with self._lock:
            self._step = what
            if self._showing:
                self._print_step(what)

    def _print_step(self, what: str) -> None:
        elapsed = time.perf_counter() - self._start
        self.say(self.paint(f"  {elapsed:5.1f} s  {what} …", "dim"), self.err)

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._showing = False

    # ------------------------------------------------------------ results
    def problem(self, problem: Problem) -> None:
        """``[warning: ]file:line: what — what to do`` (Problem's own words;
        on a terminal the place in bold and 'warning' in yellow)."""
        if not self.colour:
            self.say(str(problem), self.err)
            return
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        text = f"{self.paint(where, 'bold')}: {self.paint(problem.message, 'red' if problem.severity == 'error' else 'yellow')}"
        if problem.advice:
            text += f" — {problem.advice}"
        if problem.severity == "warning":
            text = self.paint("warning: ", "yellow", "bold") + text
        self.say(text, self.err)

    def problems(self, exc: BuildError, written=()) -> None:
        """A failed build: every problem, then what happened to the outputs
        (``written``: files the build wrote before it failed, the watch's page)."""
        self.stop()
        errors = [p for p in exc.problems if p.severity == "error"]
        for problem in exc.problems:
            self.problem(problem)
        if written:
            from .pipeline import shown

            what = f"{', '.join(shown(f) for f in written)} was written, the other outputs are kept as they were."
        else:
            what = "nothing was written, previous output is kept."
        self.say(self.paint(f"{len(errors)} error(s); {what}", "red"), self.err)

    def page(self, report) -> None:
        """The watch wrote the page ahead of the other formats."""
        self.stop()
        from .pipeline import shown

        for o in report.outputs:
            self.say(self.paint(f"  {shown(o.path)} ready in {report.seconds:.2f} s", "dim"))

    def bug(self, exc: BaseException) -> None:
        """An exception no reader or writer expected: say so plainly, no traceback
        (PAPERPIPE_DEBUG=1 shows it for whoever fixes paperpipe)."""
        self.stop()
        if os.environ.get("PAPERPIPE_DEBUG"):
            traceback.print_exception(exc, file=self.err)
        self.say(f"internal error: {type(exc).__name__}: {exc}", self.err)
        self.say("This is a bug in paperpipe, not a mistake in your content. Nothing was written; the previous output is kept.\n"
                 "Please report it with the command you ran (PAPERPIPE_DEBUG=1 shows the details).", self.err)

    def summary(self, report) -> None:
        """The end of a good build: one line per output, then the warnings with file:line."""
        self.stop()
        if self.level <= QUIET:
            for warning in report.warnings:
                self.problem(warning)
            return
        count = len(report.warnings)
        head = f"built {plural(len(report.outputs), 'file')} in {report.seconds:.2f} s, {plural(count, 'warning')}"
        self.say(self.paint(head, "green" if not count else "yellow"))
        from .pipeline import shown

        names = [shown(o.path) for o in report.outputs]
        width = max((len(n) for n in names), default=0)
        for name, o in zip(names, report.outputs):
            pages = plural(o.pages, "page") if o.pages else "no pages"
            self.say(f"  {name.ljust(width)}  {pages}, {plural(report.figures, 'figure')}, {plural(report.tables, 'table')}, "
                     f"{size_text(o.size)}, {o.seconds:.2f} s")
        if self.level >= VERBOSE:
            for what, seconds in report.steps:
                self.say(self.paint(f"  {what}: {seconds:.2f} s", "dim"))
        for note in report.notes:
            self.say(f"  note: {note}")
        for warning in report.warnings:
            self.problem(warning)
