"""Text runs: emphasis, line breaks, links and cross-references."""
from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ... import model as m
from .wml import clone, el, external_link, field, internal_link, rpr, text_run


def inlines(state, nodes, bold=False, italic=False, link=False) -> list:
    """The runs of inline nodes; bold and italic are the only direct formatting."""
    out: list = []
    for node in nodes:
        props = rpr(bold=bold, italic=italic, style_id=state.sid("Hyperlink") if link else None)
        if isinstance(node, (m.Text, m.Code)):
            out.append(text_run(node.text, props))
        elif isinstance(node, m.Strong):
            out.extend(inlines(state, node.children, True, italic, link))
        elif isinstance(node, m.Emph):
            out.extend(inlines(state, node.children, bold, True, link))
        elif isinstance(node, m.LineBreak):
            out.append(el("w:r", None, clone(props), el("w:br")))
        elif isinstance(node, m.Link):
            rel = state.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
            out.append(external_link(rel, inlines(state, node.children, bold, italic, True)))
        elif isinstance(node, m.Ref):
            out.extend(reference(state, node, bold, italic))
    return out


def reference(state, node: m.Ref, bold: bool, italic: bool) -> list:
    """A cross-reference as Word's cross-reference dialog writes one: a REF
    field to the target's bookmark.  A section is "Section " and its heading's
    number (REF \\w, which Word takes from the heading's list number); a figure
    or table the bookmarked "Figure 1".  The editor's own link text stays
    text, linked to the target."""
    anchor = state.anchors.get(node.target)
    props = rpr(bold=bold, italic=italic)
    if anchor is None:
        return [text_run(node.label, props)]
    if node.children:
        return [internal_link(anchor.toc, inlines(state, node.children, bold, italic))]
    target = state.doc.targets.get(node.target)
    if target is not None and target.kind == "section" and target.number and node.label.endswith(target.number):
        prefix = node.label[: -len(target.number)]
        return [text_run(prefix, props), *field(f"REF {anchor.ref} \\w \\h", target.number, props)]
    return field(f"REF {anchor.ref} \\h", node.label, props)
