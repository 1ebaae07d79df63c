"""Inline nodes as HTML. Every piece of text and every attribute is escaped;
only web and mail addresses become links (anything else, such as a
``javascript:`` address, is printed as text)."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from ...links import is_web_link
from ...visit import Visitor

URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def text(value: str) -> str:
    """Text content, escaped (quotes too, so it is also safe in an attribute)."""
    return escape(value, quote=True)


def attr(value: str) -> str:
    return escape(value, quote=True)


def is_safe_url(url: str) -> bool:
    return is_web_link(url)


def whole_names(value: str, unbroken) -> str:
    """Text content with each name ``unbroken`` marks (the theme's
    typography: "Île-de-France") in a span that never breaks."""
    return "".join(f'<span class="nobr">{text(piece)}</span>' if keep else text(piece) for piece, keep in unbroken(value))


class Inlines(Visitor):
    """Renders inline nodes; ``external`` is the hidden words read out after
    an external link (visible readers get an arrow from the stylesheet);
    ``unbroken`` (the theme's rule), when set, keeps hyphenated names whole
    (a heading's text)."""

    def __init__(self, external: str, unbroken=None):
        self.external = external
        self.unbroken = unbroken

    def __call__(self, nodes) -> str:
        return "".join(self.visit(n) for n in nodes)

    def visit_text(self, node) -> str:
        return whole_names(node.text, self.unbroken) if self.unbroken else text(node.text)

    def visit_strong(self, node) -> str:
        return f"<strong>{self(node.children)}</strong>"

    def visit_emph(self, node) -> str:
        return f"<em>{self(node.children)}</em>"

    def visit_code(self, node) -> str:
        return f"<code>{text(node.text)}</code>"

    def visit_line_break(self, node) -> str:
        return "<br>"

    def visit_word_break(self, node) -> str:
        return "<wbr>"

    def visit_link(self, node) -> str:
        inner = self(node.children) or text(node.url)
        if not is_safe_url(node.url):
            return inner
        href = quote(node.url, safe=URL_SAFE)  # spaces, quotes and brackets percent-encoded, as browsers do
        return (f'<a class="external" href="{attr(href)}">{inner}'
                f'<span class="visually-hidden"> ({text(self.external)})</span></a>')

    def visit_ref(self, node) -> str:
        inner = self(node.children) if node.children else text(node.label)
        return f'<a class="xref" href="#{attr(node.target)}">{inner}</a>'
