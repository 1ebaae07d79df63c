"""The house font inside the page: one WOFF2 subset per face (fontTools).

A reader's browser rarely has the theme's font, and a fallback face sets
the text with other widths than the PDF. The page therefore carries the
theme's TrueType faces itself, cut down to the characters the page shows
(a few kilobytes each) and compressed as WOFF2, as ``data:`` URLs in
``@font-face`` rules: still one self-contained file that asks no host.

The subset keeps outlines, metrics and the character map only: no hinting
(browsers do not need it) and no OpenType layout tables (the PDF's text is
not kerned either, so the page sets the same widths). Subsets are kept in
the build context's Memory (bounded), so that a watching process re-cuts a
face only when the page shows a character it has not shown before.
"""
from __future__ import annotations

import base64
import hashlib
import io
import logging
from pathlib import Path
from typing import Iterable, Mapping

from ...context import Context
from .css import FACE, css_string

# Tables a web subset does without: layout (the PDF sets no kerning or
# ligatures either), device metrics and signatures. Dropped before
# subsetting so that fontTools never decompiles them.
DROP = ("GSUB", "GPOS", "GDEF", "kern", "DSIG", "hdmx", "LTSH", "VDMX", "PCLT", "JSTF", "BASE", "MATH")


def woff2_subset(font: bytes, chars: Iterable[str], kept=None) -> bytes:
    """The TrueType font ``font`` cut down to ``chars``, as WOFF2 bytes
    (``kept``: a bounded cache the caller keeps, e.g. a context's Memory)."""
    from fontTools import subset  # noqa: PLC0415 -- only pages load fontTools' subsetter
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    codepoints = sorted({ord(c) for c in chars if c.isprintable() or c == "\u00a0"})
    key = (hashlib.sha256(font).hexdigest(), "".join(map(chr, codepoints)))
    found = kept.get(key) if kept is not None else None
    if found is not None:
        return found
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its notes on old timestamps are not ours
    face = TTFont(io.BytesIO(font), lazy=True, recalcTimestamp=False)
    for tag in DROP:
        if tag in face:
            del face[tag]
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.recalc_timestamp = False
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=codepoints)
    cutter.subset(face)
    face.flavor = "woff2"
    out = io.BytesIO()
    face.save(out, reorderTables=False)
    data = out.getvalue()
    if kept is not None:
        kept.put(key, data)
    return data


def font_faces(family: str, files: Mapping[str, Path], chars: Iterable[str], context: Context) -> str:
    """``@font-face`` rules embedding each face of ``family`` cut to ``chars``."""
    chars = set(chars)
    rules = []
    for name, path in sorted(files.items()):
        weight, style = FACE.get(name, FACE["regular"])
        data = base64.b64encode(woff2_subset(context.read_bytes(path), chars, context.memory.subsets)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{css_string(family)}"; font-weight: {weight}; font-style: {style}; '
                     f'font-display: swap; src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules) + "\n" if rules else ""

