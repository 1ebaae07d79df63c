"""The figure cache: renderings named by a hash of every input, kept in
memory while the inputs are unchanged and on disk in the output folder's
``.cache/``, checked whenever read back."""
from __future__ import annotations

import os
import struct
import tempfile
import zlib
from pathlib import Path


MAX_RASTER_SIDE = 4000          # pixels of the longer side of an SVG rendered for the DOCX


# ----------------------------------------------------------------------------- cache
# Converting an SVG (svglib) and rendering it to a 300 dpi PNG (for the DOCX)
# are the slowest steps of a build. Drawings are kept in memory while their
# inputs are unchanged (--watch); the PNGs also on disk in the output folder's
# .cache/, as Sphinx keeps its doctrees, so that the next build does not
# render them again. Nothing read back from there is ever executed: an entry
# is PNG bytes, named by a hash of every input (the SVG, each picture it
# refers to, the versions of the converters, the resolution), and checked as
# a PNG when read; a damaged or foreign entry is ignored and rendered again.
_cache_dir: Path | None = None
_pending: dict[str, bytes] = {}  # new entries, written by flush_cache() once the build's outputs are in place
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def use_cache(folder: Path | None) -> None:
    """Keep rendered figures in ``folder`` (None: in memory only)."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None
    _pending.clear()


def flush_cache() -> None:
    """Write the entries this build made (a failed build leaves no folder behind, not even .cache)."""
    while _pending:
        name, data = _pending.popitem()
        _cache_write(name, data)


def _valid_png(data: bytes | None) -> bool:
    """Whether a cache entry read back from disk is a whole PNG of at most
    MAX_RASTER_SIDE² pixels: the signature, an IHDR first, every chunk
    complete with its CRC right, image data, and IEND last with nothing after.
    The CRCs catch any damage (a cut, a changed byte, garbage) without
    decoding the picture (which took ~30-50 ms a figure on every build). A
    forged entry with right CRCs could pass, as a forged PNG of another
    picture would pass any check: the cache is as trusted as the output
    folder that holds it; nothing read from it is decoded or run here."""
    if not data or not data.startswith(_PNG_SIGNATURE):
        return False
    view, pos, size, has_data = memoryview(data), len(_PNG_SIGNATURE), len(data), False
    while pos + 12 <= size:
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > size or zlib.crc32(view[pos + 4:end - 4]) != struct.unpack_from(">I", data, end - 4)[0]:
            return False
        if pos == len(_PNG_SIGNATURE):
            if kind != b"IHDR" or length != 13:
                return False
            width, height = struct.unpack_from(">II", data, pos + 8)
            if not 0 < width * height <= MAX_RASTER_SIDE * MAX_RASTER_SIDE:
                return False
        has_data = has_data or kind == b"IDAT"
        if kind == b"IEND":
            return has_data and end == size
        pos = end
    return False


def cached_png(name: str, make) -> bytes:
    """The entry ``name`` read back when it is a whole PNG, else ``make()``
    (written to the folder by flush_cache() once the build is in place)."""
    if _cache_dir is not None:
        try:
            cached = (_cache_dir / name).read_bytes()
        except OSError:
            cached = None
        if _valid_png(cached):
            return cached
    data = make()
    if _cache_dir is not None:
        _pending[name] = data
    return data


def _cache_write(name: str, data: bytes) -> None:
    try:
        _cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=_cache_dir, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, _cache_dir / name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # a cache that cannot be written only costs time
