"""Checking an SVG figure before anything draws it: read by parsers that
fetch nothing (defusedxml: no DTD entities, no external references; lxml
without network or entities), every reference it makes (``<image>``,
``<use>``, XInclude, style-sheet instructions) kept inside the content
folder, its styles read as CSS with only ``url(#id)`` references and its
words drawn alike in every output (``rules.py``), and its size bounded (bytes, elements,
``<use>`` expansions)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problems
from ..filesize import LIMITS
from . import rules
from .bitmap import BITMAPS, bitmap_problem

MAX_SVG_ELEMENTS = 10_000       # elements of one SVG file, <use> expansions counted (svglib: ~0.3 ms each)
MAX_SVG_BYTES = LIMITS["svg"][0]  # size of one SVG file (paperpipe/filesize.py: every kind of file's limit)

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XINCLUDE = "{http://www.w3.org/2001/XInclude}"


def check_svg(path: Path, data: bytes, shown: str, problems: Problems, file, line: int, root: Path,
              trees: dict | None = None) -> tuple[Path, ...] | None:
    """The picture files a safe SVG refers to; None (with a problem recorded)
    when it is too large, not plain SVG, or refers outside ``root``. The
    parsed tree goes into ``trees`` (by path), so that nothing parses it again."""
    from defusedxml import DefusedXmlException
    from lxml import etree

    svg_file = path  # problems inside the figure are reported at the figure's own lines
    if len(data) > MAX_SVG_BYTES:
        problems.error(file, line, f"the image '{shown}' is larger than {MAX_SVG_BYTES // 1_000_000} MB", "simplify the drawing, or export it as PNG")
        return None
    try:
        import defusedxml.ElementTree as safe

        safe.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        what = {"EntitiesForbidden": "declares XML entities", "ExternalReferenceForbidden": "refers to an external document",
                "DTDForbidden": "has a document type declaration"}.get(type(exc).__name__, "is not plain SVG")
        problems.error(file, line, f"the image '{shown}' {what}, which is not allowed in a figure",
                       "export it again as plain SVG (without <!ENTITY …> or external references)")
        return None
    except Exception as exc:  # noqa: BLE001 - expat's ParseError and friends
        problems.error(file, line, f"the image '{shown}' is not valid SVG ({exc})", "export it again from your drawing program")
        return None
    # the same bytes again with line numbers; nothing is fetched or expanded
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problems.error(file, line, f"the image '{shown}' is not valid SVG ({exc})", "export it again from your drawing program")
        return None
    if not isinstance(tree.tag, str) or not tree.tag.endswith("svg"):
        problems.error(file, line, f"the image '{shown}' is not an SVG drawing", "export it again as SVG")
        return None
    bad = len(problems.errors)
    refs = _check_references(tree, path, root, shown, problems, svg_file)
    if len(problems.errors) > bad:
        return None
    if trees is not None:
        trees[path] = tree
    return tuple(refs)


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
    for node, what, advice in rules.problems(tree):  # styles read as CSS, words every output shows, sizes
        refuse(node, what, advice)
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
    if name == "a":  # its words are drawn, the link is not kept
        why = rules.link_problem(href)
        if why:
            refuse(node, why, "link to a web page (https://…) or remove the link; the words stay")
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
    try:
        target = (path.parent / relative).resolve()
    except (RuntimeError, OSError, ValueError):  # a link that leads back to itself
        refuse(node, f"<image> refers to '{href}', a link that leads back to itself", "put the picture itself there instead of the link")
        return None
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
