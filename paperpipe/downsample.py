"""Pictures far sharper than print needs are downsampled into the outputs.

A PNG or JPEG whose resolution at its printed size is more than
``LIMIT_FACTOR`` times what print needs (``PRINT_DPI``) makes the files big
for nothing (a 7.8 MB photo made a 9.8 MB PDF). Such a picture is resampled
to ``PRINT_DPI`` at its printed width into a private folder of the
process (kept while it runs, so --watch resamples a picture once), the
document points the writers at that copy, and the build says so in a note.
The editor's file is never changed. The printed width is the largest the
picture can take: its share (``width="80%"``) of the text width.
"""
from __future__ import annotations

import atexit
import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from . import model as m
from .visit import map_blocks

PRINT_DPI = 300       # what print needs
LIMIT_FACTOR = 2.0    # more than this many times PRINT_DPI is downsampled


def downsample(doc: m.Document, text_width_pt: float, cache: Path | None, shown) -> tuple[m.Document, list[str]]:
    """The document with over-sharp pictures replaced by smaller copies, and
    one note per picture. ``shown(path)`` names a file for the editor."""
    notes: list[str] = []
    done: dict[tuple[Path, float], Path] = {}

    def visit(block):
        if not isinstance(block, m.Image) or block.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            return block
        key = (block.path, block.width)
        if key not in done:
            done[key] = _smaller(block.path, text_width_pt * block.width, cache, shown, notes) or block.path
        return block if done[key] == block.path else replace(block, path=done[key])

    blocks = map_blocks(doc.blocks, visit)
    return (doc if blocks == doc.blocks else replace(doc, blocks=blocks)), notes


def _smaller(path: Path, printed_pt: float, cache: Path | None, shown, notes: list[str]) -> Path | None:
    from PIL import Image

    try:
        with Image.open(path) as img:
            width, height = img.size
            dpi = width / (printed_pt / 72.0)
            if dpi <= PRINT_DPI * LIMIT_FACTOR:
                return None
            target = max(1, round(printed_pt / 72.0 * PRINT_DPI))
            new_size = (target, max(1, round(height * target / width)))
            data = path.read_bytes()
            digest = hashlib.sha256(data + repr((new_size, PRINT_DPI)).encode()).hexdigest()[:20]
            suffix = ".jpg" if path.suffix.lower() in (".jpg", ".jpeg") else ".png"
            out = _target(cache) / f"{digest}{suffix}"
            if not out.is_file():
                small = img.convert("RGB") if suffix == ".jpg" and img.mode not in ("RGB", "L") else img.copy()
                small = small.resize(new_size, Image.LANCZOS)
                buffer = io.BytesIO()
                if suffix == ".jpg":
                    small.save(buffer, "JPEG", quality=90, dpi=(PRINT_DPI, PRINT_DPI))
                else:
                    small.save(buffer, "PNG", optimize=True, dpi=(PRINT_DPI, PRINT_DPI))
                _write(out, buffer.getvalue())
    except OSError:
        return None  # the reader has checked the picture; if it cannot be resampled, the original is used
    cm = printed_pt / 72.0 * 2.54
    notes.append(f"{shown(path)}: {width}×{height} px is {dpi:.0f} dpi at its printed width of {cm:.1f} cm; "
                 f"downsampled to {new_size[0]}×{new_size[1]} px ({PRINT_DPI} dpi) in the outputs, the file itself is unchanged")
    return out


_FOLDER: list[Path] = []


def _target(cache: Path | None) -> Path:
    """A private folder of this process (removed at its end): a failed build
    must leave nothing in the output folder, not even a downsampled copy."""
    if not _FOLDER:
        folder = Path(tempfile.mkdtemp(prefix="paperpipe-downsampled-"))
        atexit.register(shutil.rmtree, folder, True)
        _FOLDER.append(folder)
    return _FOLDER[0]


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a temporary file beside it, then renamed."""
    fd, tmp = tempfile.mkstemp(prefix="." + path.name, suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
