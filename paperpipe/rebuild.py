"""One build of the watch: the page first, the other formats behind it.

An editor who saves looks at the preview, not at the PDF. So when the
formats include ``html``, a build reads the paper, renders and writes the
page alone (it needs no layout: the HTML writer prints no page numbers) and
tells the console at once (``Console.page``: the preview reloads). The
other formats (PDF, DOCX, which need the PDF's layout) are rendered from
the same read paper in a thread, each written as soon as it is done.

A newer save supersedes a build still going on behind: the thread stops at
its next step (before each format, before writing) and writes nothing, and
the new build starts at once. Each format's file is written all or nothing
(``write_atomic``): never a half-written PDF, and none of a superseded build.

Without ``html`` in the formats, a build is one piece, in the calling
thread, as ``build`` on the command line.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from .console import Console
from .context import Memory
from .errors import BuildError
from .pipeline import CACHE_FOLDER, Report, emit, needs_layout, prepare
from .readers.memo import ReadMemo

PAGE = "html"  # the format an editor looks at while typing


class Superseded(Exception):
    """A newer save came while this build was still going on."""


class Rebuilds:
    """The builds of one watch, in order; ``ok`` tells how the last one ended."""

    def __init__(self, content: Path, templates: Path, output: Path, formats: tuple[str, ...], console: Console):
        self.content, self.templates, self.output = Path(content), Path(templates), Path(output)
        self.formats = formats
        self.console = console
        self.memo = ReadMemo()  # what was read, by file content: a save reads again only what changed
        self.memory = Memory()  # what was made of it (drawings, renderings), bounded, by hash of the inputs
        self.ok = False
        self._generation = 0
        self._lock = threading.Lock()
        self._behind: threading.Thread | None = None

    # ------------------------------------------------------------ the build
    def build(self, reason: str) -> None:
        """Build for ``reason``; returns once the page is written (or the
        whole build, without a page)."""
        with self._lock:
            self._generation += 1
            generation = self._generation
        console = self.console
        console.say(f"[{time.strftime('%H:%M:%S')}] {reason}: building {', '.join(self.formats)}")
        started = time.perf_counter()
        console.start()
        page_first = PAGE in self.formats and len(self.formats) > 1
        try:
            loaded, notes = prepare(self.content, self.templates, self.output, console.step, memo=self.memo, memory=self.memory,
                                    draw=needs_layout(self.formats) and not page_first)  # the page needs no drawing: the formats behind it draw
            if not page_first:
                report = emit(loaded, self.formats, self.templates, self.output, console.step, notes, started=started)
                self._finished(report)
                return
            page = emit(loaded, (PAGE,), self.templates, self.output, console.step, notes, started=started, layout=False)
        except BuildError as exc:
            self.ok = False
            console.problems(exc)
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not end the watch
            self.ok = False
            console.bug(exc)
            return
        console.page(page)
        rest = tuple(f for f in self.formats if f != PAGE)
        self._wait_behind()
        thread = threading.Thread(target=self._rest, args=(generation, loaded, rest, page, started),
                                  name="paperpipe-rebuild", daemon=True)
        self._behind = thread
        thread.start()

    def _rest(self, generation: int, loaded, rest: tuple[str, ...], page: Report, started: float) -> None:
        """The formats after the page, unless a newer save supersedes them."""
        def step(what: str) -> None:
            if self._generation != generation:
                raise Superseded(what)

        written: list[Path] = []  # each format as soon as it is done: the PDF does not wait for the DOCX
        try:
            report = emit(loaded, rest, self.templates, self.output, step, [], started=started,
                          before_write=lambda: step("writing"), written=written)
        except Superseded:
            return  # the newer build writes its own
        except BuildError as exc:
            if self._generation == generation:
                self.ok = False
                self.console.problems(exc, written=[*page.files, *written])
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not end the watch
            if self._generation == generation:
                self.ok = False
                self.console.bug(exc)
            return
        if self._generation == generation:
            self._finished(page.joined(report))

    def _finished(self, report: Report) -> None:
        self.ok = True
        self.console.summary(report)

    # ------------------------------------------------------------ the thread behind
    def _wait_behind(self) -> None:
        """Let a superseded build behind stop (at its next step) before the next one starts."""
        behind = self._behind
        if behind is not None and behind is not threading.current_thread():
            behind.join()

    def wait(self) -> None:
        """Until the build behind (if any) has ended."""
        self._wait_behind()

    def close(self) -> None:
        """Stop: a build behind is superseded and waited for."""
        with self._lock:
            self._generation += 1
        self._wait_behind()


__all__ = ["CACHE_FOLDER", "Rebuilds", "Superseded"]
