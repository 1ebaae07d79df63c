"""``python build.py --watch``: rebuild whenever a content or template file changes.

File modification times are polled (no extra dependency, ~0.3 s); a change
is built once the files have stopped changing for one interval, so an editor
saving several files at once gives one build.  Errors are printed and the
watch goes on; ``build()`` writes atomically, so a failed build keeps the
last good output.  The process stays alive between builds, so what is
expensive to set up stays warm: imported modules, registered fonts
(``fonts.register_fonts``) and drawings of unchanged figures
(``figures.drawing.svg_drawing`` is cached by mtime).  Ctrl-C stops it (exit 0).

For tests, ``max_builds`` bounds the loop and ``stop`` (a ``threading.Event``
or any callable returning true) ends it from another thread.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from .pipeline import build, shown
from .console import Console
from .errors import BuildError

Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: list[Path], skip: list[Path]) -> Snapshot:
    """(mtime, size) of every file under ``folders``; hidden and backup files
    (``.x.swp``, ``x~``, our own ``.part`` files) and ``skip`` folders are left out."""
    skip_resolved = [s.resolve() for s in skip]
    seen: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath)
            dirnames[:] = sorted(
                d for d in dirnames
                if not d.startswith(".") and d != "__pycache__" and (here / d).resolve() not in skip_resolved
            )
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith("~"):
                    continue
                path = here / name
                try:
                    st = path.stat()
                except OSError:  # removed while we looked
                    continue
                seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def _stopped(stop) -> bool:
    if stop is None:
        return False
    if hasattr(stop, "is_set"):
        return stop.is_set()
    return bool(stop())


def watch(
    content: Path,
    templates: Path,
    output: Path,
    formats: tuple[str, ...],
    *,
    interval: float = 0.3,
    max_builds: int | None = None,
    stop: Callable[[], bool] | object | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    console: Console | None = None,
) -> int:
    """Build now and after every change; returns 0 when stopped with Ctrl-C or
    ``stop``; after ``max_builds`` builds, 0 if the last one succeeded, else 1."""
    console = console or Console(out or sys.stdout, err or sys.stderr)
    out, err = console.out, console.err
    content, templates, output = Path(content), Path(templates), Path(output)
    folders = [content, templates]

    say = console.say

    def one_build(reason: str) -> bool:
        say(f"[{time.strftime('%H:%M:%S')}] {reason}: building {', '.join(formats)}", out)
        console.start()
        try:
            report = build(content, templates, output, formats, progress=console.step)
        except BuildError as exc:
            console.problems(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - a bug must not end the watch
            console.bug(exc)
            return False
        console.summary(report)
        return True

    builds = 0
    ok = False
    restore = _stop_on_signals()
    try:
        say(f"watching {shown(content)} and {shown(templates)} (Ctrl-C to stop)", out)
        state = snapshot(folders, [output])
        ok = one_build("start")
        builds += 1
        while max_builds is None or builds < max_builds:
            if _stopped(stop):
                return 0
            time.sleep(interval)
            now = snapshot(folders, [output])
            if now == state:
                continue
            # let a save of several files settle: build once nothing moved for one interval
            for _ in range(20):
                time.sleep(interval)
                later = snapshot(folders, [output])
                if later == now:
                    break
                now = later
            changed = changed_files(state, now)
            state = now
            names = ", ".join(shown(c) for c in changed[:3]) + (" …" if len(changed) > 3 else "")
            ok = one_build(f"changed {names}")
            builds += 1
    except KeyboardInterrupt:
        say("stopped.", out)
        return 0
    finally:
        restore()
    return 0 if ok else 1


def _stop_on_signals() -> Callable[[], None]:
    """In the main thread, Ctrl-C (even when the shell started us with SIGINT
    ignored, as it does for background jobs) and SIGTERM end the watch
    cleanly; returns a function that puts the previous handlers back."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
