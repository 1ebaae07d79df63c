"""Text runs: emphasis, line breaks, links and cross-references."""
from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ... import model as m
from ...links import is_web_link
from ...visit import Visitor
from .wml import clone, el, external_link, field, internal_link, rpr, text_run

ZWSP = "\u200b"


def inlines(state, nodes, bold=False, italic=False, link=False) -> list:
    """The runs of inline nodes; bold and italic are the only direct formatting."""
    return [run for node in nodes for run in INLINES.visit(node, state, bold, italic, link)]


class Inlines(Visitor):
    """``visit_<kind>(node, state, bold, italic, link)``: an inline node's runs."""

    def visit_text(self, node, state, bold, italic, link) -> list:
        return [text_run(node.text, _props(state, bold, italic, link))]

    visit_code = visit_text

    def visit_word_break(self, node, state, bold, italic, link) -> list:
        """Word's optional break: a zero-width space, which Word and LibreOffice
        break at and show as nothing."""
        return [text_run(ZWSP, _props(state, bold, italic, link))]

    def visit_strong(self, node, state, bold, italic, link) -> list:
        return inlines(state, node.children, True, italic, link)

    def visit_emph(self, node, state, bold, italic, link) -> list:
        return inlines(state, node.children, bold, True, link)

    def visit_line_break(self, node, state, bold, italic, link) -> list:
        return [el("w:r", None, clone(_props(state, bold, italic, link)), el("w:br"))]

    def visit_link(self, node, state, bold, italic, link) -> list:
        if not is_web_link(node.url):  # not a web or mail address: its text only
            return inlines(state, node.children, bold, italic, link)
        rel = state.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
        return [external_link(rel, inlines(state, node.children, bold, italic, True))]

    def visit_ref(self, node, state, bold, italic, link) -> list:
        return reference(state, node, bold, italic)


INLINES = Inlines()


def _props(state, bold: bool, italic: bool, link: bool):
    return rpr(bold=bold, italic=italic, style_id=state.sid("Hyperlink") if link else None)


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
