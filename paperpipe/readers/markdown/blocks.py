"""Block-level Markdown: headings, paragraphs, lists, boxes, quotations and
whole-paragraph template calls, in the order they stand."""
from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...visit import plain_text
from ...errors import nearest
from .attrs import _ATTRS_AT_END, parse_attrs, split_trailing_attrs, trailing_attrs
from .inlines import _trim
from .limits import MAX_HEADING, MAX_ITEMS
from .syntax import _ATTRIBUTION, _COMMENT, _ID, _TEMPLATE_CALL, _WHERE, ADMONITIONS


class Blocks:
    """The block methods of MarkdownReader."""

    def _blocks(self, nodes) -> tuple[m.Block, ...]:
        out: list[m.Block] = []
        nodes = list(nodes)
        i = 0
        while i < len(nodes):
            node = nodes[i]
            src = self._src(node)
            kind = node.type
            if kind == "heading":
                if self.inside:
                    self._error(src, f"a heading cannot stand inside {_WHERE[self.inside[-1]]}",
                                "end the list or box before the heading (an empty line, or ':::' for a box)")
                out.append(self._heading(node, src))
            elif kind == "paragraph":
                caption = self._caption_text(node)
                if caption is not None and i + 1 < len(nodes) and nodes[i + 1].type == "table":
                    out.append(self._pipe_table(nodes[i + 1], caption, src))
                    i += 2
                    continue
                if caption is not None and out and isinstance(out[-1], m.Table) and not out[-1].caption:
                    out[-1] = self._captioned(out[-1], caption, src)
                else:
                    out.extend(self._paragraph(node, src))
            elif kind in ("bullet_list", "ordered_list") and self._too_many(src, len(node.children), MAX_ITEMS, "items", "split it into several lists"):
                pass
            elif kind == "bullet_list":
                out.append(m.BulletList(tuple(self._nested("list", item.children, self._src(item)) for item in node.children), src))
            elif kind == "ordered_list":
                start = int(node.attrs.get("start", 1) or 1)
                out.append(m.OrderedList(tuple(self._nested("list", item.children, self._src(item)) for item in node.children), start, src))
            elif kind == "table":
                out.append(self._pipe_table(node, None, src))
            elif kind == "container_other" and not node.info.strip():
                if not getattr(self, "_box_error", False):  # else the end of the box reported just before
                    self._error(src, f"a '{node.markup}' line that closes no box", "remove it, or start the box with '::: sidebar Title' or '::: figure Caption'")
            elif kind.startswith("container_") and not self._closed(node):
                self._error(src, f"the box '{node.markup} {node.info.strip()}' is not closed", f"end it with a line '{node.markup}' after its last paragraph")
            elif kind in ("container_sidebar", "container_figure", "container_admonition") and ("sidebar" in self.inside or "figure" in self.inside or "cell" in self.inside):
                outer = next(k for k in reversed(self.inside) if k in ("sidebar", "figure", "cell"))
                self._box_error = True
                self._error(src, f"a {node.info.strip().split()[0]} box cannot stand inside {_WHERE[outer]}",
                            "close the outer box (':::') before this one, or write the text without the inner box")
            elif kind == "container_sidebar":
                title = self._plain(node.info.strip()[len("sidebar"):].strip(), src)
                out.append(m.Sidebar(self._nested("sidebar", node.children, src), title, "sidebar", src))
            elif kind == "container_figure":
                out.append(self._figure_container(node, src))
            elif kind == "container_admonition":  # ::: note [title] / ::: warning [title]
                word, _, title = node.info.strip().partition(" ")
                out.append(m.Admonition(self._nested("sidebar", node.children, src), self._plain(title.strip(), src), word, src))
            elif kind == "container_other":
                word = node.info.strip().split()[0]
                close = nearest(word, ("sidebar", "figure", *ADMONITIONS))
                self._error(src, f"'{node.markup} {word}' is not a kind of box",
                            f"did you mean '{node.markup} {close}'?" if close else "write '::: sidebar Title' or '::: figure Caption'")
            elif kind in ("fence", "code_block"):
                block = self._fence(node, src)
                if block is not None:
                    out.append(block)
            elif kind == "html_block" and _COMMENT.fullmatch(node.content):
                pass  # <!-- a note for editors -->: never printed
            elif kind == "html_block":
                self._error(src, "raw HTML is not supported", "write it in Markdown (lists, tables, **bold**) or remove it")
            elif kind == "hr":
                self.problems.warning(self.file, src.line, "a horizontal rule (---) is not printed", "remove it; sections start on their own")
            elif kind == "definition":
                self._error(src, f"the link definition '[{node.meta.get('label', '')}]: {node.meta.get('url', '')}' is not printed",
                            "write a list of sources as a list ('- [Title](https://…)'), and each link with its address: [text](https://…)")
            elif kind == "blockquote":
                out.append(self._quote(node, src))
            else:
                self._error(src, f"unsupported Markdown block '{kind}'", "see content/README.md for what can be used")
            i += 1
        return tuple(out)

    def _quote(self, node: SyntaxTreeNode, src: m.Source) -> m.Quote:
        """``> text`` lines; a last paragraph starting with "— " (or "-- ")
        names who said it."""
        blocks = list(self._blocks(node.children))
        attribution: tuple[m.Inline, ...] = ()
        last = blocks[-1] if blocks else None
        mark = _ATTRIBUTION.match(last.children[0].text) if isinstance(last, m.Paragraph) and last.children \
            and isinstance(last.children[0], m.Text) else None
        if mark:  # only the mark goes: every word after it is the attribution
            attribution = _trim((m.Text(last.children[0].text[mark.end():]), *last.children[1:]))
            blocks.pop()
            if not plain_text(attribution).strip():
                self._error(last.source, f"the line '{mark.group(0).strip()}' names nobody",
                            "write who said it after the dash, e.g. '> — Name, Role', or remove the line")
        if not blocks:
            self._error(src, "the quotation has no text", "write the quoted words on '> ' lines above the '> — Name' line")
        if any(isinstance(b, (m.Heading, m.Figure, m.Table, m.Sidebar)) for b in blocks):
            self._error(src, "a quotation holds only paragraphs and lists", "end the quotation (a line without '>') before the heading, table, figure or box")
        return m.Quote(tuple(blocks), "", "quote", src, attribution)

    def _heading(self, node: SyntaxTreeNode, src: m.Source) -> m.Heading:
        level = int(node.tag[1])
        inline = node.children[0]
        children = list(self._inlines(inline.children, src))
        attrs: dict[str, str] = {}
        if children and isinstance(children[-1], m.Text):
            text, attrs = split_trailing_attrs(children[-1].text)
            children[-1] = m.Text(text)
            if not text:
                children.pop()
            self._unknown_attrs(attrs, ("id", "class", "unnumbered"), "a heading", src)
        if level > 3:
            self._error(src, f"heading level {level} ('{'#' * level}') is too deep", "use #, ## or ### (three levels)")
            level = 3
        text = plain_text(_trim(tuple(children))).strip()
        if not text:
            self._error(src, "the heading has no text", "write its title after the #, or delete the line")
        elif len(text) > MAX_HEADING:
            self._error(src, f"the heading is {len(text):,} characters long, more than the {MAX_HEADING} a line of the contents can hold",
                        "shorten it, and put the rest in a paragraph under it")
        ident = attrs.get("id", "")
        if ident and not _ID.match(ident):
            self._error(src, f"'{ident}' is not a valid id", "start with a letter; use letters, digits, '-' and '_'")
        return m.Heading(level, _trim(tuple(children)), ident, "", "unnumbered" not in attrs, src)

    def _paragraph(self, node: SyntaxTreeNode, src: m.Source) -> list[m.Block]:
        inline = node.children[0]
        content = inline.content
        if _TEMPLATE_CALL.match(content):
            return list(self._template_call(content, src))
        kids = [k for k in inline.children if not (k.type == "text" and not k.content.strip())]
        if kids and kids[0].type == "image" and "cell" in self.inside:
            self._error(src, "a figure cannot stand inside a table cell",
                        "put the figure before or after the table, and refer to it in the cell with [](#fig-id)")
            return []
        if kids and kids[0].type == "image" and all(k.type == "image" or k.type == "softbreak" for k in kids[:1]):
            if len(kids) == 1:
                return [self._image_figure(kids[0], None, src)]
            braces = _ATTRS_AT_END.fullmatch(kids[1].content) if len(kids) == 2 and kids[1].type == "text" else None
            if braces and trailing_attrs(kids[1].content):
                return [self._image_figure(kids[0], parse_attrs(braces.group(1)), src)]
        return [self._long_paragraph(m.Paragraph(_trim(self._inlines(inline.children, src)), src))]

    def _template_call(self, content: str, src: m.Source) -> tuple[m.Block, ...]:
        if self.expand is None or self.depth > 3:
            self._error(src, "template calls ({{ … }}) cannot be used here", "move the call into a section file")
            return ()
        text = self.expand(content.strip(), src)
        if text is None:
            return ()
        sub = self._sub(src.line - 1, self.depth + 1)
        blocks = sub.read(text)
        # every block generated by a call points at the call's line
        return blocks
