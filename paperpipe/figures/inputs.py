"""What each checked SVG depends on: the folder its references must stay in,
the picture files it refers to, and a hash of all of them (the key of its
drawings and renderings)."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

CACHE_FORMAT = "2"

# what the reader found for each SVG: the content folder and the files it refers to
_INPUTS: dict[str, tuple[Path, tuple[Path, ...]]] = {}


def record(path: Path, root: Path, refs: tuple[Path, ...]) -> None:
    _INPUTS[str(path)] = (root, tuple(refs))


def svg_references(path: Path) -> tuple[Path, ...]:
    """The picture files a checked SVG refers to."""
    return _INPUTS.get(str(path), (None, ()))[1]


def inputs(path: Path) -> tuple[Path, tuple[Path, ...]]:
    """The content folder and the files an SVG refers to, as the reader
    checked them (a figure nobody checked is not drawn)."""
    found = _INPUTS.get(str(path))
    if found is None:
        raise ValueError(f"the figure {path} was not checked")
    return found


def _stamp(files) -> tuple:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


@lru_cache(maxsize=256)
def _digest(stamp: tuple) -> str:
    """A hash of every input of a rendering (kept while the files' stamps are unchanged)."""
    import svglib
    from reportlab import Version

    digest = hashlib.sha256(repr((CACHE_FORMAT, Version, getattr(svglib, "__version__", ""))).encode())
    first = Path(stamp[0][0]).parent
    for name, _mtime, _size in stamp:
        digest.update(os.path.relpath(name, first).encode() + b"\0")
        data = Path(name).read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:40]


def inputs_digest(path: Path) -> str:
    """The hash of an SVG and of every picture it refers to."""
    _root, refs = inputs(path)
    return _digest(_stamp((path, *refs)))
