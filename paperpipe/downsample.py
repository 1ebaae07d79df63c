"""Pictures far sharper than print needs are downsampled into the outputs.

A PNG or JPEG whose resolution at its printed size is more than
``LIMIT_FACTOR`` times what print needs (``PRINT_DPI``) makes the files big
for nothing (a 7.8 MB photo made a 9.8 MB PDF). Such a picture is resampled
to ``PRINT_DPI`` at its printed width; the smaller bytes go into the build's
context, which gives them to the writers in place of the file's (the
process's Memory keeps them while the picture is unchanged, so --watch
resamples a picture once), and the build says so in a note. The editor's
file is never changed, and nothing is written anywhere. The printed width is the largest the
picture can take: its share (``width="80%"``) of the text width.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from . import model as m
from .context import Context
from .visit import walk

PRINT_DPI = 300       # what print needs
LIMIT_FACTOR = 2.0    # more than this many times PRINT_DPI is downsampled


def downsample(doc: m.Document, text_width_pt: float, context: Context, shown) -> list[str]:
    """Put smaller copies of over-sharp pictures into ``context`` (read by
    the writers in place of the files) and return one note per picture.
    ``shown(path)`` names a file for the editor."""
    notes: list[str] = []
    widest: dict[Path, float] = {}  # a picture used twice goes in once, sharp enough for its widest use
    for block in walk(doc.blocks):
        if isinstance(block, m.Image) and block.path.suffix.lower() in (".png", ".jpg", ".jpeg"):
            widest[block.path] = max(widest.get(block.path, 0.0), block.width)
    for path, width in widest.items():
        smaller = _smaller(path, text_width_pt * width, context, shown, notes)
        if smaller is not None:
            context.smaller[path] = smaller
    return notes


def _smaller(path: Path, printed_pt: float, context: Context, shown, notes: list[str]) -> bytes | None:
    from PIL import Image

    try:
        data = context.read_bytes(path)
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            dpi = width / (printed_pt / 72.0)
            if dpi <= PRINT_DPI * LIMIT_FACTOR:
                return None
            target = max(1, round(printed_pt / 72.0 * PRINT_DPI))
            new_size = (target, max(1, round(height * target / width)))
            digest = hashlib.sha256(data + repr((new_size, PRINT_DPI)).encode()).hexdigest()
            suffix = ".jpg" if path.suffix.lower() in (".jpg", ".jpeg") else ".png"
            out = context.memory.smaller.get(digest)
            if out is None:
                small = img.convert("RGB") if suffix == ".jpg" and img.mode not in ("RGB", "L") else img.copy()
                small = small.resize(new_size, Image.LANCZOS)
                buffer = io.BytesIO()
                if suffix == ".jpg":
                    small.save(buffer, "JPEG", quality=90, dpi=(PRINT_DPI, PRINT_DPI))
                else:
                    small.save(buffer, "PNG", optimize=True, dpi=(PRINT_DPI, PRINT_DPI))
                out = buffer.getvalue()
                context.memory.smaller.put(digest, out)
    except (OSError, ValueError):
        return None  # the reader has checked the picture; if it cannot be resampled, the original is used
    cm = printed_pt / 72.0 * 2.54
    notes.append(f"{shown(path)}: {width}×{height} px is {dpi:.0f} dpi at its printed width of {cm:.1f} cm; "
                 f"downsampled to {new_size[0]}×{new_size[1]} px ({PRINT_DPI} dpi) in the outputs, the file itself is unchanged")
    return out


EXIF_ORIENTATION = 0x0112  # the EXIF tag that says how a camera's picture is to be turned to stand upright


def upright(doc: m.Document, context: Context) -> None:
    """A photo stored as the camera held it, with an EXIF orientation that
    says how to turn it (most phone photos), goes into the outputs turned
    upright (the editor's file is never changed): a web browser turns it
    by that tag, the PDF and most Word versions do not, so the page showed
    it upright and the PDF on its side."""
    seen: set[Path] = set()
    for block in walk(doc.blocks):
        if isinstance(block, m.Image) and block.path.suffix.lower() in (".png", ".jpg", ".jpeg") and block.path not in seen:
            seen.add(block.path)
            turned = _turned(context, block.path)
            if turned is not None:
                context.smaller[block.path] = turned


def _turned(context: Context, path: Path) -> bytes | None:
    from PIL import Image, ImageOps

    try:
        data = context.read_bytes(path)
        with Image.open(io.BytesIO(data)) as img:
            if img.getexif().get(EXIF_ORIENTATION, 1) not in range(2, 9):
                return None
            digest = hashlib.sha256(data + b"upright").hexdigest()
            out = context.memory.smaller.get(digest)
            if out is None:
                kind, dpi, profile = img.format, img.info.get("dpi"), img.info.get("icc_profile")
                turned = ImageOps.exif_transpose(img)
                buffer = io.BytesIO()
                extra = {"quality": 95} if kind == "JPEG" else {}
                # its colour profile kept (a phone's Display P3): Pillow writes none unless given it
                turned.save(buffer, kind, **extra, **({"dpi": dpi} if dpi else {}), **({"icc_profile": profile} if profile else {}))
                out = buffer.getvalue()
                context.memory.smaller.put(digest, out)
    except (OSError, ValueError):
        return None  # the reader has checked the picture; if it cannot be turned, the original is used
    return out
