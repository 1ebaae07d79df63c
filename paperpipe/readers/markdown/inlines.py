"""Inline Markdown: text, emphasis, links, cross-references and ``{{ … }}``
expressions inside a line."""
from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...visit import plain_text
from .syntax import _COMMENT, _EXTERNAL, _MD, _NO_SLASHES


class Inlines:
    """The inline methods of MarkdownReader."""

    def _inline_markdown(self, text: str, src: m.Source) -> tuple[m.Inline, ...]:
        if not text.strip():
            return ()
        tokens = _MD.parseInline(text.strip())
        tree = SyntaxTreeNode(tokens)
        inline = tree.children[0] if tree.children else None
        # SyntaxTreeNode wraps the inline token; descend to its children
        while inline is not None and inline.type != "inline" and inline.children:
            inline = inline.children[0]
        return _trim(self._inlines(inline.children if inline is not None else [], src))

    def _inlines(self, nodes, src: m.Source, at: list[int] | None = None) -> tuple[m.Inline, ...]:
        # ``at`` follows the line breaks, so that a reference or a problem on
        # the third line of a paragraph is reported on that line
        at = at if at is not None else [src.line]

        def here() -> m.Source:
            return m.Source(src.file, at[0])

        out: list[m.Inline] = []
        for node in nodes:
            kind = node.type
            if kind == "text":
                if node.content:
                    out.append(m.Text(node.content))
            elif kind == "softbreak":
                out.append(m.Text(" "))
                at[0] += 1 if src.line else 0
            elif kind == "hardbreak":
                out.append(m.LineBreak())
                at[0] += 1 if src.line else 0
            elif kind == "strong":
                out.append(m.Strong(self._inlines(node.children, src, at)))
            elif kind == "em":
                out.append(m.Emph(self._inlines(node.children, src, at)))
            elif kind == "code_inline":
                out.append(m.Code(node.content))
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                start = here()
                children = self._inlines(node.children, src, at)
                if node.attrs.get("title"):
                    self._error(start, f"the link's title \"{node.attrs['title']}\" is not printed",
                                "remove the quoted title after the address, or write its words in the text")
                if href.startswith("#"):
                    out.append(m.Ref(href[1:], children, "", start))
                elif _EXTERNAL.match(href) and not plain_text(children).strip():
                    self._error(start, f"the link to '{href}' has no text, so the PDF and the Word file would print nothing",
                                f"write the words to click between the brackets, or the address itself: <{href}>")
                elif _EXTERNAL.match(href):
                    out.append(m.Link(href, children))
                elif _NO_SLASHES.match(href):
                    scheme = _NO_SLASHES.match(href).group(1)
                    self._error(start, f"the web address '{href}' has no '//' after '{scheme}:'",
                                f"write it in full: {scheme}://{href[len(scheme) + 1:].lstrip('/')}")
                    out.extend(children)
                else:
                    self._error(start, f"the link target '{href}' is neither a web address nor '#id'", "write https://… for a web page or #id for a section, figure or table")
                    out.extend(children)
            elif kind == "image":
                self._error(here(), "an image must stand alone in its own paragraph to become a figure", "put a blank line before and after ![Caption](file)")
            elif kind == "template":
                out.extend(self._inline_expression(node.content, here()))
                at[0] += node.content.count("\n") if src.line else 0
            elif kind == "person_ref":
                out.extend(self._inline_expression(f'{{{{ person("{node.content}") }}}}', here()))
            elif kind == "template_bad":
                if node.content == "{%":
                    self._error(here(), "'{%' statements cannot be used in the text", "use an expression {{ … }}, e.g. {{ paper.title }}; to print '{%' literally write '\\{%'")
                else:
                    self._error(here(), "'{{' is not closed by '}}'", "close the expression with }}, e.g. {{ paper.title }}; to print '{{' literally write '\\{{'")
            elif kind == "html_inline" and _COMMENT.fullmatch(node.content):
                at[0] += node.content.count("\n") if src.line else 0
            elif kind in ("html_inline",):
                self._error(here(), f"raw HTML '{node.content}' is not supported", "use Markdown: **bold**, *italic*, [text](https://…)")
                at[0] += node.content.count("\n") if src.line else 0
            else:
                self._error(here(), f"unsupported inline Markdown '{kind}'", "see content/README.md")
        return _merge_text(out)


    def _plain(self, text: str, src: m.Source) -> str:
        """A plain-text attribute (a box title, alt text) with its {{ … }} expanded."""
        if "{{" not in text and "{%" not in text:
            return text
        return plain_text(self._inline_markdown(text, src))

    def _inline_expression(self, call: str, src: m.Source) -> tuple[m.Inline, ...]:
        """An expression inside a line: its text, read as inline Markdown."""
        if self.expand is None or self.depth > 3:
            self._error(src, "expressions ({{ … }}) cannot be used here", "move it into a section file")
            return ()
        text = self.expand(call.strip(), src)
        if text is None:
            return ()
        if "\n" in text.strip():
            self._error(src, f"'{call.strip()}' writes several lines (a list, a table or paragraphs), which cannot stand inside a line",
                        "put the call alone in its own paragraph, with an empty line before and after it")
            return ()
        if "{{" in text or "{%" in text:
            self._error(src, f"'{call.strip()}' writes another template expression", "data and macros must write text, not {{ … }}")
            return ()
        sub = self._sub(self.line_offset, self.depth + 1)
        return sub._inline_markdown(text, src) if text.strip() else ()


def _merge_text(nodes: list[m.Inline]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _trim(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    nodes = list(nodes)
    if nodes and isinstance(nodes[0], m.Text):
        nodes[0] = m.Text(nodes[0].text.lstrip())
        if not nodes[0].text:
            nodes.pop(0)
    if nodes and isinstance(nodes[-1], m.Text):
        nodes[-1] = m.Text(nodes[-1].text.rstrip())
        if not nodes[-1].text:
            nodes.pop()
    return tuple(nodes)
