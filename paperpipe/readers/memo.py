"""What a watch keeps of what it read, so that a save reads again only what changed.

The theme is kept while the templates folder is the same. A section's
reading (Markdown, template calls, figure checks, the people
scan) depends on its own text and on a *setting*: paper.yaml, the data
files, the templates folder, the files shown relative to the same folder,
and which data files have problems. The memo keeps, per section file, the
blocks it gave and the problems it recorded (errors, warnings, failed
calls), with the files it looked at (figures and what they refer to). Next
time, when the text, the setting and every such file are the same, those
are handed back as they were (the model is immutable) instead of read
again; anything else reads the section afresh.

Files are compared by content (SHA-256), looked at again only when their
size, modification time or inode changed. The memo holds one entry per
section file of the last build (entries of files no longer listed are
dropped), so it does not grow with the number of builds.

Nothing is kept on disk; ``build`` and ``check`` on the command line use no memo.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..errors import Problems

Stamp = tuple[int, int, int]  # (size, mtime_ns, inode); (-1, 0, 0): missing


def _stamp(path: Path) -> Stamp:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (-1, 0, 0)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True)
class _Section:
    key: str                          # the section's text and the setting it was read in
    blocks: tuple
    problems: tuple                   # what it recorded, in order
    failed_calls: tuple
    used: frozenset[Path]             # figures it used (and what they refer to)
    looked_at: tuple[tuple[Path, Stamp, str], ...]  # files it depends on, as they were
    figures: tuple = ()               # (path, SvgFacts) its figure checks put into the build's context


class ReadMemo:
    """Sections read in earlier builds of one watch (see the module's text)."""

    def __init__(self):
        self._sections: dict[Path, _Section] = {}
        self._digests: dict[Path, tuple[Stamp, str]] = {}
        self._looking: list[Path] | None = None
        self._touched: set[Path] = set()  # files whose digest this build asked for
        self._kept: dict[str, tuple] = {}  # name -> (key, value, problems, figures)
        self._context = None  # the build's context (paperpipe.context): what a reading put there is handed back with it
        self.reused = 0  # sections handed back in the last build (for tests and the bench)

    # ------------------------------------------------------------ files by content
    def digest(self, path: Path) -> str:
        """SHA-256 of the file's bytes ('' when it cannot be read), read again only when its stat changed."""
        path = Path(path)
        self._touched.add(path)
        stamp = _stamp(path)
        known = self._digests.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            value = hashlib.sha256(path.read_bytes()).hexdigest()
        except (OSError, ValueError):
            value = ""
        self._digests[path] = (stamp, value)
        return value

    def setting(self, files, folders, *values) -> str:
        """A fingerprint of what every section's reading depends on: ``files``
        by content, every file under ``folders`` by content, and ``values``."""
        h = hashlib.sha256()
        for path in sorted({Path(p) for p in files}):
            h.update(f"{path}\0{self.digest(path)}\0".encode("utf-8", "surrogatepass"))
        for folder in folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    h.update(f"{path}\0{self.digest(path)}\0".encode("utf-8", "surrogatepass"))
        for value in values:
            h.update(repr(value).encode("utf-8", "surrogatepass") + b"\0")
        return h.hexdigest()

    # ------------------------------------------------------------ sections
    def looked_at(self, *paths: Path) -> None:
        """The section being read depends on these files (a figure and what it refers to)."""
        if self._looking is not None:
            self._looking.extend(Path(p) for p in paths)

    def section(self, path: Path, text: str, setting: str, problems: Problems, used: set, read: Callable[[], list]) -> list:
        """The blocks of the section at ``path`` (text ``text``): handed back
        when nothing it depends on changed, else ``read()`` and kept."""
        key = hashlib.sha256(f"{setting}\0{path}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
        entry = self._sections.get(path)
        if entry is not None and entry.key == key and all(
                _stamp(p) == stamp or self.digest(p) == digest for p, stamp, digest in entry.looked_at):
            problems.items.extend(entry.problems)
            problems.failed_calls.extend(entry.failed_calls)
            used.update(entry.used)
            self._hand_back(entry.figures)
            self.reused += 1
            return list(entry.blocks)
        items, calls = len(problems.items), len(problems.failed_calls)
        self._looking = []
        known = self._figures_known()
        try:
            blocks = read()
            looking = self._looking
        finally:
            self._looking = None
        self._sections[path] = _Section(key, tuple(blocks), tuple(problems.items[items:]), tuple(problems.failed_calls[calls:]),
                                        frozenset(looking), tuple((p, _stamp(p), self.digest(p)) for p in dict.fromkeys(looking)),
                                        self._figures_since(known))
        return blocks

    def kept(self, name: str, key: str, problems: Problems, make: Callable):
        """``make()`` (pure in what ``key`` fingerprints), or what it gave and
        recorded last time when the key is the same (the theme, from the templates folder)."""
        entry = self._kept.get(name)
        if entry is not None and entry[0] == key:
            problems.items.extend(entry[2])
            self._hand_back(entry[3])
            return entry[1]
        items = len(problems.items)
        known = self._figures_known()
        value = make()
        self._kept[name] = (key, value, tuple(problems.items[items:]), self._figures_since(known))
        return value

    # ------------------------------------------------------------ the figures' facts
    def _figures_known(self) -> set:
        return set(self._context.svgs) if self._context is not None else set()

    def _figures_since(self, known: set) -> tuple:
        """What the figure checks of a reading put into the context (without the parsed trees)."""
        if self._context is None:
            return ()
        return tuple((p, replace(f, tree=None)) for p, f in self._context.svgs.items() if p not in known)

    def _hand_back(self, figures: tuple) -> None:
        """A reading handed back: its figures' facts go into this build's context, as its checks put them."""
        if self._context is not None:
            for path, found in figures:
                if self._context.svg(path) is None:
                    self._context.record_svg(path, replace(found))

    def start(self, context=None) -> None:
        """A build begins (``context``: its build context)."""
        self.reused = 0
        self._touched = set()
        self._context = context

    def keep_only(self, sections) -> None:
        """The build's reading ended: forget sections no longer in the paper,
        and the digests of files this build did not look at."""
        keep = {Path(p) for p in sections}
        self._sections = {p: e for p, e in self._sections.items() if p in keep}
        named = self._touched | {p for e in self._sections.values() for p, _s, _d in e.looked_at}
        self._digests = {p: d for p, d in self._digests.items() if p in named}
