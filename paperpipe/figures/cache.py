"""The figure cache: renderings named by a hash of every input, kept in
memory while the inputs are unchanged and on disk in the output folder's
``.cache/``, checked whenever read back."""
from __future__ import annotations

import os
import stat
import struct
import tempfile
import zlib
from pathlib import Path

from ..context import Context


MAX_RASTER_SIDE = 4000          # pixels of the longer side of an SVG rendered for the DOCX
MAX_ENTRY_BYTES = 64_000_000    # a cache entry larger than this is not read


# ----------------------------------------------------------------------------- cache
# Converting an SVG (svglib) and rendering it to a 300 dpi PNG (for the DOCX)
# are the slowest steps of a build. Drawings are kept in the process's
# Memory while their inputs are unchanged (--watch); the PNGs also on disk in
# the output folder's .cache/, as Sphinx keeps its doctrees, so that the next
# build does not render them again. Nothing read back from there is ever
# executed: an entry is PNG bytes, named by a hash of every input (the SVG,
# each picture it refers to, the versions of the converters, the
# resolution), labelled inside with that name, and checked as a PNG when
# read; a damaged, foreign, renamed or linked entry is ignored and rendered
# again (and written anew).
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_NAME_CHUNK = b"ppIn"  # a private ancillary chunk: the entry's name, so that an entry under another name is refused


def cached_png(context: Context, name: str, make) -> bytes:
    """The rendering called ``name`` (a hash of every input): from this
    process's memory, else the cache folder's entry if it is whole and
    made for this name, else ``make()``; an entry not found whole on disk is
    written by flush() once the build's outputs are in place."""
    data = context.memory.rasters.get(name)
    on_disk = False
    if context.cache is not None:
        stored = _read_entry(context.cache, name) if data is None or _is_entry(context.cache / name) else None
        on_disk = stored is not None
        data = data if data is not None else stored
    if data is None:
        data = make()
    context.memory.rasters.put(name, data)
    if context.cache is not None and not on_disk:
        context.pending[name] = data
    return data


def flush(context: Context) -> None:
    """Write the entries this build made (a failed build leaves no folder behind, not even .cache)."""
    while context.pending:
        name, data = context.pending.popitem()
        _cache_write(context.cache, name, data)


def _is_entry(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_entry(folder: Path, name: str) -> bytes | None:
    """The PNG of a cache entry, or None when it is not a regular file in a
    real folder (a link is never followed out), not a whole PNG, or was made
    for another name. Nothing read is decoded or run here."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            data = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_ENTRY_BYTES or not _valid_png(data):
        return None
    return _unlabelled(data, name)


def _labelled(data: bytes, name: str) -> bytes:
    """The PNG with a chunk naming its entry, right after the IHDR."""
    body = _NAME_CHUNK + name.encode("ascii")
    chunk = struct.pack(">I", len(name)) + body + struct.pack(">I", zlib.crc32(body))
    at = len(_PNG_SIGNATURE) + 25  # signature, IHDR (length, type, 13 bytes, CRC)
    return data[:at] + chunk + data[at:]


def _unlabelled(data: bytes, name: str) -> bytes | None:
    """The rendered PNG of an entry labelled for ``name``; None for another label or none."""
    at = len(_PNG_SIGNATURE) + 25
    length, kind = struct.unpack_from(">I4s", data, at) if len(data) >= at + 8 else (0, b"")
    if kind != _NAME_CHUNK or data[at + 8:at + 8 + length] != name.encode("ascii"):
        return None
    return data[:at] + data[at + 12 + length:]


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


def _cache_write(folder: Path, name: str, data: bytes) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return  # a link in place of the folder: nothing is written through it
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_labelled(data, name))
            os.replace(tmp, folder / name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # a cache that cannot be written only costs time
