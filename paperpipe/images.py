"""Figure files: validation for the reader, loading for the writers.

SVG figures stay vector in the PDF (svglib turns them into reportlab
drawings); the DOCX gets a PNG rendered at print resolution from the very
same drawing, so both outputs show identical pictures.  PNG and JPEG files
are used as they are.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from .errors import Problems

SUPPORTED = {".svg", ".png", ".jpg", ".jpeg"}


def check_image(path: Path, shown: str, problems: Problems, file, line: int) -> bool:
    """Record a problem if the figure file is missing, unsupported or corrupt."""
    if path.suffix.lower() not in SUPPORTED:
        problems.error(file, line, f"the image '{shown}' has an unsupported type '{path.suffix}'", "use SVG (best: stays sharp), PNG or JPEG")
        return False
    if path.is_dir():
        problems.error(file, line, f"the image '{shown}' is a folder, not a file", "point to the picture file inside it")
        return False
    if path.exists() and not path.is_file():
        problems.error(file, line, f"the image '{shown}' is not a regular file", "copy the picture itself into the content folder")
        return False
    if not path.is_file():
        problems.error(file, line, f"the image '{shown}' was not found", "check the file name and that it is in the content folder")
        return False
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(file, line, f"the image '{shown}' cannot be read ({exc.strerror})", "check the file's permissions")
        return False
    if path.suffix.lower() == ".svg":
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            problems.error(file, line, f"the image '{shown}' is not valid SVG ({exc})", "export it again from your drawing program")
            return False
        if not root.tag.endswith("svg"):
            problems.error(file, line, f"the image '{shown}' is not an SVG drawing", "export it again as SVG")
            return False
        # Well-formed XML is not enough: the writers need a drawing, so make
        # it now (cached by mtime, the build reuses it) and report a failure.
        try:
            drawing = svg_drawing(path)
        except Exception as exc:  # noqa: BLE001 - svglib raises many kinds
            drawing, why = None, str(exc) or type(exc).__name__
        else:
            why = "no drawing could be made from it"
        if drawing is None or not (drawing.width > 0 and drawing.height > 0):
            if drawing is not None:
                why = "it has no width or height"
            problems.error(file, line, f"the image '{shown}' cannot be drawn ({why})", "export it again as plain SVG from your drawing program")
            return False
        return True
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # verify() does not decode the pixels; truncated files fail only here
    except UnidentifiedImageError:
        problems.error(file, line, f"the image '{shown}' is damaged or not a picture", "export it again as PNG or JPEG")
        return False
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        problems.error(file, line, f"the image '{shown}' is damaged ({exc})", "export it again as PNG or JPEG")
        return False
    if kind not in ("PNG", "JPEG"):
        problems.error(file, line, f"the image '{shown}' is a {kind} picture named like {path.suffix}", "export it again as PNG or JPEG")
        return False
    return True


# ----------------------------------------------------------------------------- cache
# Converting an SVG (svglib) and rendering it to a 300 dpi PNG (for the DOCX)
# are the slowest steps of a build. Their results are kept in memory while a
# file is unchanged (--watch), and on disk in the output folder's .cache/,
# keyed by the file's content, as Sphinx keeps its doctrees: a rebuild after
# editing text does not convert the figures again. Delete the folder at will.
CACHE_FORMAT = "1"
_cache_dir: Path | None = None


def use_cache(folder: Path | None) -> None:
    """Keep converted figures in ``folder`` (None: in memory only)."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def _cache_key(path: str, *extra) -> str | None:
    if _cache_dir is None:
        return None
    from reportlab import Version

    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update(repr((CACHE_FORMAT, Version, extra)).encode())
    return digest.hexdigest()[:32]


def _cache_read(key: str | None, suffix: str) -> bytes | None:
    if key is None:
        return None
    try:
        return (_cache_dir / f"{key}{suffix}").read_bytes()
    except OSError:
        return None


def _cache_write(key: str | None, suffix: str, data: bytes) -> None:
    if key is None:
        return
    try:
        _cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=_cache_dir, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, _cache_dir / f"{key}{suffix}")
    except OSError:
        pass  # a cache that cannot be written only costs time


@lru_cache(maxsize=64)
def _svg_drawing(path: str, mtime: float):
    key = _cache_key(path)
    cached = _cache_read(key, ".drawing")
    if cached is not None:
        try:
            return pickle.loads(cached)  # noqa: S301 - written by this module, in the output folder
        except Exception:  # noqa: BLE001 - a stale or damaged entry is converted again
            pass
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(path)
    if drawing is not None:
        _cache_write(key, ".drawing", pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL))
    return drawing


def svg_drawing(path: Path):
    """A reportlab Drawing of an SVG file (cached while the file is unchanged)."""
    return _svg_drawing(str(path), path.stat().st_mtime)


def image_size_pt(path: Path) -> tuple[float, float]:
    """Natural size in points."""
    if path.suffix.lower() == ".svg":
        d = svg_drawing(path)
        return float(d.width), float(d.height)
    from PIL import Image

    with Image.open(path) as img:
        dpi = img.info.get("dpi", (96, 96))[0] or 96
        return img.width * 72.0 / dpi, img.height * 72.0 / dpi


@lru_cache(maxsize=64)
def _png(path: str, mtime: float, dpi: int) -> bytes:
    key = _cache_key(path, "png", dpi)
    cached = _cache_read(key, ".png")
    if cached is not None:
        return cached
    data = _render_png(path, mtime, dpi)
    _cache_write(key, ".png", data)
    return data


def _render_png(path: str, mtime: float, dpi: int) -> bytes:
    import pypdfium2
    from reportlab.graphics import renderPDF

    pdf = renderPDF.drawToString(_svg_drawing(path, mtime))
    doc = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=dpi / 72.0)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        doc.close()


def raster_bytes(path: Path, dpi: int = 300) -> tuple[bytes, str]:
    """The figure as bitmap bytes for formats without SVG (PNG for SVG sources)."""
    if path.suffix.lower() == ".svg":
        return _png(str(path), path.stat().st_mtime, dpi), "png"
    return path.read_bytes(), path.suffix.lower().lstrip(".").replace("jpg", "jpeg")
