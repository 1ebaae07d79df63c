"""Figure files: validation for the reader, loading for the writers.

SVG figures stay vector in the PDF (svglib turns them into reportlab
drawings); the DOCX gets a PNG rendered at print resolution from the very
same drawing, so both outputs show identical pictures.  PNG and JPEG files
are used as they are (converted for the DOCX when Word cannot take them).

Figures are untrusted input. An SVG is read first by a parser that fetches
nothing (defusedxml: no DTD entities, no external references); every
reference it makes (``<image>``, ``<use>``, CSS ``url()``/``@import``,
XInclude, style-sheet instructions) must stay inside the content folder, or
the figure is refused with the line of the reference. Work is bounded:
elements, ``<use>`` expansions, pixels.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problems

SUPPORTED = {".svg", ".png", ".jpg", ".jpeg"}
BITMAPS = {".png", ".jpg", ".jpeg"}

# ----------------------------------------------------------------------------- limits
MAX_SVG_ELEMENTS = 10_000       # elements of one SVG file, <use> expansions counted (svglib: ~0.3 ms each)
MAX_SVG_BYTES = 10_000_000      # size of one SVG file
MAX_IMAGE_PIXELS = 50_000_000   # pixels of one PNG/JPEG (8000 x 6000 is 48 million)
MAX_RASTER_SIDE = 4000          # pixels of the longer side of an SVG rendered for the DOCX

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XINCLUDE = "{http://www.w3.org/2001/XInclude}"
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)

# what the reader found for each SVG: the content folder and the files it refers to
_INPUTS: dict[str, tuple[Path, tuple[Path, ...]]] = {}


def check_image(path: Path, shown: str, problems: Problems, file, line: int, root: Path | None = None) -> bool:
    """Record a problem if the figure file is missing, unsupported, corrupt,
    too large, or (an SVG) refers to anything outside ``root``."""
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
        return _check_svg(path, data, shown, problems, file, line, Path(root) if root is not None else path.parent)
    why = bitmap_problem(data)
    if why:
        problems.error(file, line, f"the image '{shown}' {why[0]}", why[1])
        return False
    return True


def svg_references(path: Path) -> tuple[Path, ...]:
    """The picture files a checked SVG refers to."""
    return _INPUTS.get(str(path), (None, ()))[1]


def bitmap_problem(data: bytes) -> tuple[str, str] | None:
    """(what is wrong, what to do) with PNG/JPEG bytes, or None when they can be used."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return (f"has {img.width} x {img.height} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed",
                        "scale it down (300 pixels per inch of printed size is enough)")
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # verify() does not decode the pixels; truncated files fail only here
    except UnidentifiedImageError:
        return "is damaged or not a picture", "export it again as PNG or JPEG"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, MemoryError) as exc:
        return f"is damaged ({exc})", "export it again as PNG or JPEG"
    if kind not in ("PNG", "JPEG"):
        return f"is a {kind} picture, not PNG or JPEG", "export it again as PNG or JPEG"
    return None


def _check_svg(path: Path, data: bytes, shown: str, problems: Problems, file, line: int, root: Path) -> bool:
    from defusedxml import DefusedXmlException
    from lxml import etree

    svg_file = path  # problems inside the figure are reported at the figure's own lines
    if len(data) > MAX_SVG_BYTES:
        problems.error(file, line, f"the image '{shown}' is larger than {MAX_SVG_BYTES // 1_000_000} MB", "simplify the drawing, or export it as PNG")
        return False
    try:
        import defusedxml.ElementTree as safe

        safe.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        what = {"EntitiesForbidden": "declares XML entities", "ExternalReferenceForbidden": "refers to an external document",
                "DTDForbidden": "has a document type declaration"}.get(type(exc).__name__, "is not plain SVG")
        problems.error(file, line, f"the image '{shown}' {what}, which is not allowed in a figure",
                       "export it again as plain SVG (without <!ENTITY …> or external references)")
        return False
    except Exception as exc:  # noqa: BLE001 - expat's ParseError and friends
        problems.error(file, line, f"the image '{shown}' is not valid SVG ({exc})", "export it again from your drawing program")
        return False
    # the same bytes again with line numbers; nothing is fetched or expanded
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problems.error(file, line, f"the image '{shown}' is not valid SVG ({exc})", "export it again from your drawing program")
        return False
    if not isinstance(tree.tag, str) or not tree.tag.endswith("svg"):
        problems.error(file, line, f"the image '{shown}' is not an SVG drawing", "export it again as SVG")
        return False
    bad = len(problems.errors)
    refs = _check_references(tree, path, root, shown, problems, svg_file)
    if len(problems.errors) > bad:
        return False
    _INPUTS[str(path)] = (root, tuple(refs))
    # Well-formed XML is not enough: the writers need a drawing, so make
    # it now (cached, the build reuses it) and report a failure.
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


def _check_references(tree, path: Path, root: Path, shown: str, problems: Problems, svg_file: Path) -> list[Path]:
    """Every reference the SVG makes: refused unless it stays inside ``root``
    (``<use>``: inside the file). Returns the files it refers to (bitmaps)."""
    from lxml import etree

    files: list[Path] = []
    ids: dict[str, object] = {}

    def refuse(node, what: str, advice: str) -> None:
        problems.error(svg_file, getattr(node, "sourceline", 0) or 0, what[0].upper() + what[1:] if what.startswith("has") else what, advice)

    for node in tree.iter():
        if isinstance(node, etree._ProcessingInstruction):
            refuse(node, f"the processing instruction '<?{node.target} …?>' is not allowed in a figure", "remove it: figures may not load style sheets")
            continue
        if not isinstance(node.tag, str):
            continue
        if node.tag.startswith(_XINCLUDE):
            refuse(node, "<xi:include> includes another file", "copy what it includes into the figure itself")
            continue
        if node.get("id"):
            ids[node.get("id")] = node
        name = node.tag.rsplit("}", 1)[-1]
        href = node.get(_XLINK_HREF) or node.get("href")
        if href is not None:
            target = _reference(href, node, name, path, root, shown, refuse)
            if target is not None:
                files.append(target)
        css = (node.text or "") if name == "style" else ""
        css += " " + (node.get("style") or "")
        if "@import" in css.lower():
            refuse(node, "<style> imports a style sheet (@import)", "copy the styles into the figure itself")
            continue
        for _q, url in _CSS_URL.findall(css) + [("", u) for a in ("fill", "stroke", "filter", "clip-path", "mask", "marker-start", "marker-mid", "marker-end")
                                                   for _q2, u in _CSS_URL.findall(node.get(a) or "")]:
            if not url.strip().startswith("#"):
                refuse(node, f"<{name}> refers to '{url.strip()}' in its styles", "only references inside the figure (url(#id)) are allowed")
    # <use> elements repeat what they point at: count the elements drawn,
    # in document order, each <use> followed into what it repeats; the count
    # stops at the limit, so a <use> bomb or a <use> of its own ancestor costs
    # no more than MAX_SVG_ELEMENTS steps
    drawn, at = 0, None
    stack = [(tree, None)]
    while stack:
        node, outer = stack.pop()
        drawn += 1
        if drawn > MAX_SVG_ELEMENTS:
            at = outer if outer is not None else node
            break
        if not isinstance(node.tag, str):
            continue
        if node.tag.rsplit("}", 1)[-1] == "use":
            href = (node.get(_XLINK_HREF) or node.get("href") or "").strip()
            if href.startswith("#") and href[1:] in ids:
                stack.append((ids[href[1:]], outer if outer is not None else node))
        stack.extend((child, outer) for child in reversed(node))
    if at is not None:
        problems.error(svg_file, at.sourceline or 0, f"the figure makes more than {MAX_SVG_ELEMENTS:,} drawing elements"
                       f"{' (this <use> repeats others)' if outer is not None else ''}",
                       "simplify the drawing, or export it as PNG")
    return files


def _data_problem(href: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) with a data: address of an <image>, or None."""
    import base64
    import binascii

    head, _, body = href.partition(",")
    if not re.fullmatch(r"data:image/(png|jpeg|jpg);base64", head.strip(), re.I):
        return "is not a base64 PNG or JPEG", "embed a PNG or JPEG (data:image/png;base64,…), or refer to a file beside the figure"
    try:
        data = base64.b64decode(unquote(body), validate=False)
    except (binascii.Error, ValueError):
        return "cannot be decoded", "export the figure again"
    return bitmap_problem(data)


def _reference(href: str, node, name: str, path: Path, root: Path, shown: str, refuse) -> Path | None:
    """The file an href points to (a bitmap inside ``root``), None for a
    reference inside the figure; refused (with a problem) otherwise."""
    href = href.strip()
    if name == "image" and (href.startswith("#") or href == ""):
        refuse(node, f"<image> refers to '{href}', which is not a picture", "refer to a PNG or JPEG file beside the figure")
        return None
    if href.startswith("#") or href == "":
        return None
    if href.lower().startswith("data:"):
        if name != "image":
            refuse(node, f"<{name}> has a data: address", "only <image> may hold embedded picture data")
            return None
        why = _data_problem(href)
        if why:
            refuse(node, f"<image> holds embedded picture data that {why[0]}", why[1])
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        refuse(node, f"<{name}> refers to '{href}', which is not a file in the content folder",
               "copy the picture into the content folder and refer to it by a relative path")
        return None
    if name == "use" or parts.fragment:
        refuse(node, f"<{name}> refers to '{href}' in another file", "copy the element into this figure and refer to it as '#id'")
        return None
    relative = unquote(parts.path)
    if name != "image":
        refuse(node, f"<{name}> refers to the file '{href}'", "only <image> may refer to a picture file")
        return None
    target = (path.parent / relative).resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        refuse(node, f"<image> refers to '{href}', outside the content folder",
               "copy the picture into the content folder and refer to it from there")
        return None
    if target.suffix.lower() not in BITMAPS or not target.is_file():
        refuse(node, f"<image> refers to '{href}', which is {'not a PNG or JPEG file' if target.is_file() else 'not found'}",
               "refer to a PNG or JPEG file beside the figure")
        return None
    why = bitmap_problem(target.read_bytes())
    if why:
        refuse(node, f"<image> refers to '{href}', which {why[0]}", why[1])
        return None
    return target


# ----------------------------------------------------------------------------- cache
# Converting an SVG (svglib) and rendering it to a 300 dpi PNG (for the DOCX)
# are the slowest steps of a build. Drawings are kept in memory while their
# inputs are unchanged (--watch); the PNGs also on disk in the output folder's
# .cache/, as Sphinx keeps its doctrees, so that the next build does not
# render them again. Nothing read back from there is ever executed: an entry
# is PNG bytes, named by a hash of every input (the SVG, each picture it
# refers to, the versions of the converters, the resolution), and checked as
# a PNG when read; a damaged or foreign entry is ignored and rendered again.
CACHE_FORMAT = "2"
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


def _inputs(path: Path) -> tuple[Path, tuple[Path, ...]]:
    """The content folder and the files an SVG refers to, as the reader
    checked them (a figure the reader did not see is checked now, inside its
    own folder)."""
    found = _INPUTS.get(str(path))
    if found is None:
        problems = Problems()
        if not check_image(path, path.name, problems, path, 0) or str(path) not in _INPUTS:
            raise ValueError(f"the figure {path} was not checked: {problems.items[:1]}")
        found = _INPUTS[str(path)]
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
    _root, refs = _inputs(path)
    return _digest(_stamp((path, *refs)))


@lru_cache(maxsize=64)
def _svg_drawing(path: str, digest: str):
    import logging

    from svglib.svglib import svg2rlg

    logging.getLogger("svglib").setLevel(logging.CRITICAL)  # its warnings are not the editors' business: the reader's checks are
    root, _refs = _inputs(Path(path))
    return svg2rlg(path, external_reference_root=str(root))


def svg_drawing(path: Path):
    """A reportlab Drawing of an SVG file (kept while the file and the pictures it refers to are unchanged)."""
    return _svg_drawing(str(path), inputs_digest(path))


FIGURE_MAX_HEIGHT = 0.8  # share of the text height a picture may take (the rest for its caption)


def fit(natural: tuple[float, float], width: float, text_height: float) -> tuple[float, float]:
    """The printed size of a picture ``width`` wide, made smaller (same
    proportions) when it would be taller than FIGURE_MAX_HEIGHT of the page's
    text height: a tall figure is scaled to fit, never a layout failure."""
    w, h = natural
    if w <= 0 or h <= 0:
        return width, width
    height = h * width / w
    limit = text_height * FIGURE_MAX_HEIGHT
    if height > limit:
        width, height = width * limit / height, limit
    return width, height


def _dpi(img) -> float:
    dpi = img.info.get("dpi", (96, 96))
    value = dpi[0] if isinstance(dpi, (tuple, list)) and dpi else dpi
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = 96.0
    return value if 10 <= value <= 2400 else 96.0  # 0 or absurd resolutions: the usual screen one


def image_size_pt(path: Path) -> tuple[float, float]:
    """Natural size in points."""
    if path.suffix.lower() == ".svg":
        d = svg_drawing(path)
        return float(d.width), float(d.height)
    from PIL import Image

    with Image.open(path) as img:
        dpi = _dpi(img)
        return img.width * 72.0 / dpi, img.height * 72.0 / dpi


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


@lru_cache(maxsize=64)
def _png(path: str, digest: str, dpi: int) -> bytes:
    name = f"{digest}-{dpi}.png"
    if _cache_dir is not None:
        try:
            cached = (_cache_dir / name).read_bytes()
        except OSError:
            cached = None
        if _valid_png(cached):
            return cached
    data = _render_png(path, digest, dpi)
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


def _render_png(path: str, digest: str, dpi: int) -> bytes:
    import pypdfium2
    from reportlab.graphics import renderPDF

    drawing = _svg_drawing(path, digest)
    scale = dpi / 72.0
    longest = max(float(drawing.width), float(drawing.height), 1.0)
    scale = min(scale, MAX_RASTER_SIDE / longest)  # a huge drawing is printed scaled down anyway
    pdf = renderPDF.drawToString(drawing)
    doc = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=scale)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        doc.close()


def raster_bytes(path: Path, dpi: int = 300) -> tuple[bytes, str]:
    """The figure as bitmap bytes for formats without SVG (PNG for SVG
    sources; a JPEG Word cannot take, CMYK or without a JFIF/Exif header,
    converted to PNG)."""
    if path.suffix.lower() == ".svg":
        return _png(str(path), inputs_digest(path), dpi), "png"
    return docx_bitmap(path.read_bytes())


def docx_bitmap(data: bytes) -> tuple[bytes, str]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        if img.format == "PNG":
            return data, "png"
        if img.format == "JPEG" and img.mode in ("L", "RGB") and data[6:10] in (b"JFIF", b"Exif"):
            return data, "jpeg"
        converted = img.convert("RGBA" if "A" in img.mode else "RGB")
        dpi = _dpi(img)
    out = io.BytesIO()
    converted.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue(), "png"
