"""The build context: what one build reads and keeps, passed explicitly.

As Typst's World, a ``Context`` holds the paper's folders (the content and
the templates), the settings of the build (where the figure cache lives, or
none), what the reader found in the figures (each SVG's folder, the pictures
it refers to, its parsed tree until it is drawn), the drawings made from
them, pictures downsampled for the outputs, and the cache entries to write
once the outputs are in place. Nothing of it is kept in a module: a build
makes its context, the reader fills it, the writers read it, and it is gone
with the build.

What a long-running process (``watch``, ``serve``) keeps from one build to
the next is a ``Memory``: a few caches bounded by their number of entries,
keyed by a hash of every input, so 200 rebuilds hold no more than one.

Every file read through a context is resolved (links followed) and must
lie inside one of its folders: a link or a ``..`` leading out is refused.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path


class OutsideFolders(ValueError):
    """A file outside the paper's folders (after following links)."""

    def __init__(self, path: Path):
        super().__init__(f"{path} is outside the paper's folders")
        self.path = path


class Bounded:
    """A cache of at most ``limit`` entries; the least recently used goes first."""

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # the watch builds the page and the other formats in two threads

    def get(self, key, default=None):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return default

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key) -> bool:
        return key in self._items


@dataclass
class Memory:
    """Caches a process keeps between builds (each bounded, each keyed by
    the hash of everything its value depends on)."""

    drawings: Bounded = field(default_factory=lambda: Bounded(64))    # SVG inputs' hash -> reportlab Drawing
    rasters: Bounded = field(default_factory=lambda: Bounded(64))     # cache entry name -> PNG bytes
    digests: Bounded = field(default_factory=lambda: Bounded(256))    # (file, mtime, size)… -> hash of their bytes
    smaller: Bounded = field(default_factory=lambda: Bounded(32))     # picture's hash and size -> downsampled bytes
    packages: Bounded = field(default_factory=lambda: Bounded(4))     # house style's hash -> empty styled DOCX
    subsets: Bounded = field(default_factory=lambda: Bounded(16))     # (font's hash, characters) -> WOFF2 subset for the page
    inlined: Bounded = field(default_factory=lambda: Bounded(32))     # (SVG's hash, place) -> the page's sanitised drawing
    expressions: Bounded = field(default_factory=lambda: Bounded(256))  # (sandbox, text with {{ … }}) -> its compiled code
    macros: Bounded = field(default_factory=lambda: Bounded(16))      # a macro file's name and place -> its compiled code

    def sizes(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ("drawings", "rasters", "digests", "smaller", "packages", "subsets", "inlined", "expressions",
                                                             "macros")}


@dataclass
class SvgFacts:
    """What the reader's check found in one SVG figure."""

    root: Path                  # the folder its references must stay in
    refs: tuple[Path, ...]      # the picture files it refers to
    tree: object = None         # its parsed tree (lxml), until it is drawn
    place: tuple = ("", 0, "")  # (file, line, name as written) where the paper refers to it


class Context:
    """One build's world: its folders, settings, figure facts and caches."""

    def __init__(self, content: Path, templates: Path, cache: Path | None = None, memory: Memory | None = None,
                 draw: bool = True):
        self.content = Path(content)
        self.templates = Path(templates)
        self.roots = tuple(real_path(p) for p in (self.content, self.templates))
        self.cache = Path(cache) if cache is not None else None  # the figure cache folder; None: nothing written
        self.memory = memory if memory is not None else Memory()
        self.draw = draw                                         # whether figures are drawn right after reading
        self.fonts = None                                        # the theme's Fonts, once read (the figures' text uses them)
        self.drawn = False                                       # whether they have been
        self.svgs: dict[Path, SvgFacts] = {}
        self.drawings: dict[Path, object] = {}                  # this build's drawings, by figure
        self.smaller: dict[Path, bytes] = {}                    # pictures downsampled for the outputs, by file
        self.pending: dict[str, bytes] = {}                     # new cache entries, written once the outputs are in place

    # ------------------------------------------------------------- files
    def inside(self, path: Path) -> Path:
        """``path`` resolved (links followed); OutsideFolders unless it lies in
        the content or the templates folder."""
        real = real_path(Path(path))
        if not any(real == root or real.is_relative_to(root) for root in self.roots):
            raise OutsideFolders(Path(path))
        return real

    def read_bytes(self, path: Path) -> bytes:
        """A file of the paper (as downsampled for the outputs, if it was)."""
        key = Path(path)
        if key in self.smaller:
            return self.smaller[key]
        return self.inside(key).read_bytes()

    # ------------------------------------------------------------- figures
    def record_svg(self, path: Path, facts: SvgFacts) -> None:
        self.inside(path)
        self.svgs[Path(path)] = facts

    def svg(self, path: Path) -> SvgFacts | None:
        return self.svgs.get(Path(path))


def real_path(path: Path) -> Path:
    """Where ``path`` really is, its links followed; a path that cannot be
    resolved (a loop of links, a name the system refuses) is nowhere."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name the system refuses
        return Path("/nonexistent") / path.name


__all__ = ["Bounded", "Context", "Memory", "OutsideFolders", "SvgFacts", "real_path"]
