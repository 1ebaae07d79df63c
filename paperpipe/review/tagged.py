"""What our own tagged PDF says about a page: which marked content is a
figure, and which is that figure's caption (``Div`` > ``Caption``,
``Figure``, as ``writers/pdf/tags.py`` writes them). A reviewer's mark on a
figure's drawing is reported at the figure (its caption's words), since
the drawing's words are not in the paper's text files. A PDF without
tags simply has no figures here."""
from __future__ import annotations

import ctypes

MAX_ELEMENTS = 100_000  # structure elements walked on one page


def _type(raw, element) -> str:
    size = raw.FPDF_StructElement_GetType(element, None, 0)
    if size <= 2 or size > 256:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


def figures(page) -> tuple[set[int], dict[int, list[int]], tuple]:
    """(MCIDs drawn by figures, figure MCID -> its caption's MCIDs, bounds of each figure)."""
    import pypdfium2.raw as raw

    figure_ids: set[int] = set()
    captions: dict[int, list[int]] = {}
    tree = raw.FPDF_StructTree_GetForPage(page.raw)
    if not tree:
        return figure_ids, captions, ()
    seen = 0

    def ids(element) -> list[int]:
        nonlocal seen
        out = []
        mcid = raw.FPDF_StructElement_GetMarkedContentID(element)
        if mcid >= 0:
            out.append(mcid)
        for k in range(raw.FPDF_StructElement_CountChildren(element)):
            child = raw.FPDF_StructElement_GetChildAtIndex(element, k)
            seen += 1
            if child and seen < MAX_ELEMENTS:
                out.extend(ids(child))
        return out

    def walk(element) -> None:
        nonlocal seen
        children = []
        for k in range(raw.FPDF_StructElement_CountChildren(element)):
            child = raw.FPDF_StructElement_GetChildAtIndex(element, k)
            seen += 1
            if child and seen < MAX_ELEMENTS:
                children.append((child, _type(raw, child)))
        caption = [i for child, kind in children if kind == "Caption" for i in ids(child)]
        for child, kind in children:
            if kind == "Figure":
                drawn = ids(child)
                figure_ids.update(drawn)
                for mcid in drawn:
                    captions[mcid] = caption
            else:
                walk(child)

    try:
        for k in range(raw.FPDF_StructTree_CountChildren(tree)):
            top = raw.FPDF_StructTree_GetChildAtIndex(tree, k)
            if top:
                walk(top)
    finally:
        raw.FPDF_StructTree_Close(tree)
    bounds = []
    for obj in page.get_objects(max_depth=1):
        mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
        if mcid in figure_ids:
            try:
                bounds.append((mcid, *obj.get_bounds()))
            except Exception:  # noqa: BLE001 - an object pdfium cannot measure has no bounds
                continue
    return figure_ids, captions, tuple(bounds)
