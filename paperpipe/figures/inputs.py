"""What each checked SVG depends on: the folder its references must stay in,
the picture files it refers to, and a hash of all of them (the key of its
drawings and renderings). A figure nobody checked in this build is checked
now, inside its own folder."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..context import Context, SvgFacts
from ..errors import Problems
from .check import check_image

CACHE_FORMAT = "2"


def facts(context: Context, path: Path) -> SvgFacts:
    """The reader's facts of an SVG (checked now if nobody did)."""
    found = context.svg(path)
    if found is None:
        problems = Problems()
        if not check_image(Path(path), Path(path).name, problems, path, 0, context=context) or context.svg(path) is None:
            raise ValueError(f"the figure {path} cannot be used: {problems.items[:1]}")
        found = context.svg(path)
    return found


def svg_references(context: Context, path: Path) -> tuple[Path, ...]:
    """The picture files a checked SVG refers to."""
    found = context.svg(path)
    return found.refs if found is not None else ()


def inputs_digest(context: Context, path: Path) -> str:
    """The hash of an SVG, of every picture it refers to, of the theme's
    font files (its text is measured and drawn with them) and of the
    versions of what converts it (kept while the files' stamps are unchanged)."""
    files = (Path(path), *facts(context, path).refs)
    fonts = _fonts_digest(context)
    stamp = (fonts, *_stamps(files))
    digest = context.memory.digests.get(stamp)
    if digest is None:
        digest = _digest(context, files, fonts)
        context.memory.digests.put(stamp, digest)
    return digest


def _stamps(files) -> tuple:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def _fonts_digest(context: Context) -> str:
    """The hash of the theme's font files, once per build for all its
    figures (kept while the files' stamps are unchanged)."""
    if context.fonts is None:
        return ""
    files = tuple(Path(f) for _, f in sorted(context.fonts.files.items()))
    stamp = ("fonts", *_stamps(files))
    digest = context.memory.digests.get(stamp)
    if digest is None:
        hashed = hashlib.sha256()
        for name in files:
            data = context.read_bytes(name)
            hashed.update(len(data).to_bytes(8, "big") + data)
        digest = hashed.hexdigest()[:40]
        context.memory.digests.put(stamp, digest)
    return digest


def _digest(context: Context, files: tuple[Path, ...], fonts: str) -> str:
    import svglib  # only figures about to be drawn are hashed: the converters are needed anyway
    from reportlab import Version

    digest = hashlib.sha256(repr((CACHE_FORMAT, Version, getattr(svglib, "__version__", ""), fonts)).encode())
    first = files[0].parent
    for name in files:
        digest.update(os.path.relpath(name, first).encode() + b"\0")
        data = context.read_bytes(name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:40]
