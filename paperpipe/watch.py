"""``python build.py watch``: rebuild whenever a content or template file changes.

The operating system tells the watch of each change (``watchfiles``: inotify,
FSEvents, ReadDirectoryChangesW; it polls by itself where none of those
works, and ``WATCHFILES_FORCE_POLLING=1`` forces it). A save is built once
the files have been quiet for ``STEP_MS`` (an editor writes a file in
several system calls, or several files at once). Without ``watchfiles``
installed, modification times are polled every ``interval`` seconds.

Each build goes through a ``Rebuilds`` (rebuild.py): the page first, the
other formats behind it, only the changed files read again. Errors are
printed and the watch goes on; outputs are written all or nothing, so a
failed build keeps the last good ones. Ctrl-C stops it (exit 0).

For tests, ``max_builds`` bounds the loop and ``stop`` (a ``threading.Event``
or any callable returning true) ends it from another thread.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, TextIO

from .console import Console
from .rebuild import Rebuilds

STEP_MS = 20        # quiet time that ends a save (watchfiles groups the events of one save within it)
DEBOUNCE_MS = 400   # the longest a stream of events is grouped before a build starts anyway
TIMEOUT_MS = 200    # how often the watch looks whether it was asked to stop

Snapshot = dict[str, tuple[int, int]]


def ignored(path: str, folders: list[Path], skip: list[Path]) -> bool:
    """Hidden and backup files and folders (``.x.swp``, ``x~``, ``.cache``,
    our own ``.part`` files), ``__pycache__`` and the ``skip`` folders (the
    output) start no build; hidden is said of the path below the watched
    ``folders`` (a paper may live inside a hidden folder). ``folders`` and
    ``skip`` are resolved paths."""
    p = Path(os.path.realpath(path))
    if any(p == s or s in p.parents for s in skip):
        return True
    below = next((p.relative_to(f) for f in folders if p == f or f in p.parents), p)
    return p.name.endswith("~") or any(part.startswith(".") or part == "__pycache__" for part in below.parts)


def snapshot(folders: list[Path], skip: list[Path]) -> Snapshot:
    """(mtime, size) of every file under ``folders`` that ``ignored`` lets through (the polling fallback)."""
    roots, skip_resolved = [f.resolve() for f in folders], [s.resolve() for s in skip]
    seen: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath).resolve()
            dirnames[:] = sorted(d for d in dirnames if not ignored(str(here / d), roots, skip_resolved))
            for name in sorted(filenames):
                if ignored(str(here / name), roots, skip_resolved):
                    continue
                path = Path(dirpath) / name
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


def os_changes(folders: list[Path], skip: list[Path], stop) -> Iterator[list[str]]:
    """Lists of changed files, as the operating system reports them; an empty
    list every ``TIMEOUT_MS`` so that the caller can look at ``stop``."""
    import watchfiles

    roots, skip_resolved = [f.resolve() for f in folders], [s.resolve() for s in skip]
    for changes in watchfiles.watch(
        *folders, watch_filter=lambda _change, path: not ignored(path, roots, skip_resolved), debounce=DEBOUNCE_MS, step=STEP_MS,
        rust_timeout=TIMEOUT_MS, yield_on_timeout=True, raise_interrupt=True,
        stop_event=stop if hasattr(stop, "is_set") else None,
    ):
        yield sorted({path for _change, path in changes})
        if _stopped(stop):
            return


def polled_changes(folders: list[Path], skip: list[Path], stop, interval: float) -> Iterator[list[str]]:
    """The same as ``os_changes`` from modification times, looked at every ``interval``."""
    state = snapshot(folders, skip)
    while not _stopped(stop):
        time.sleep(interval)
        now = snapshot(folders, skip)
        changed = changed_files(state, now)
        state = now
        yield changed


def changes(folders: list[Path], skip: list[Path], stop, interval: float) -> Iterator[list[str]]:
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return polled_changes(folders, skip, stop, interval)
    return os_changes(folders, skip, stop)


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
    ``stop``; after ``max_builds`` builds, 0 if the last one succeeded, else 1.
    ``interval`` is the polling interval where the system cannot tell of changes."""
    from .pipeline import shown

    console = console or Console(out or sys.stdout, err or sys.stderr)
    content, templates, output = Path(content), Path(templates), Path(output)
    folders = [content, templates]
    rebuilds = Rebuilds(content, templates, output, formats, console)

    builds = 0
    restore = _stop_on_signals()
    try:
        console.say(f"watching {shown(content)} and {shown(templates)} (Ctrl-C to stop)")
        stream = changes(folders, [output], stop, interval)
        next(stream, None)  # the watching starts (and keeps what changes from now on) before the first build reads
        rebuilds.build("start")
        builds += 1
        if _stopped(stop) or (max_builds is not None and builds >= max_builds):
            rebuilds.wait()
            return 0 if _stopped(stop) or rebuilds.ok else 1
        for changed in stream:
            if _stopped(stop):
                return 0
            if not changed:
                continue
            names = ", ".join(shown(c) for c in changed[:3]) + (" …" if len(changed) > 3 else "")
            rebuilds.build(f"changed {names}")
            builds += 1
            if max_builds is not None and builds >= max_builds:
                rebuilds.wait()  # the last build ends whole
                break
    except KeyboardInterrupt:
        rebuilds.close()
        console.say("stopped.")
        return 0
    finally:
        rebuilds.close()
        restore()
    return 0 if rebuilds.ok else 1


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
