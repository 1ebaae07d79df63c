"""What the rules of the Markdown reader share, all of it declared here: the
reading state of one text (``ReadState``, passed to every rule) and the two
walks, over sibling blocks and over the inline nodes of one block."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...errors import Problems
from ...visit import plain_text
from .limits import MAX_CAPTION, MAX_NESTING, MAX_PARAGRAPH, MAX_TEXT
from .ruler import Ruler, UnknownToken
from .syntax import _CLOSING, _ID, _MD


LINE_ENDS = re.compile(r"\r\n|\r|\n")  # the line breaks markdown-it counts (not U+2028, U+0085, a form feed: str.splitlines() does)
_OWN_NUMBER = re.compile(r"(?:Figure|Fig\.|Table|Tab\.)[ \t\u00a0]*\d+(?:\.\d+)*[ \t]*[:.–—-][ \t]*", re.I)  # "Figure 2: " typed in a caption


@dataclass(frozen=True)
class Grammar:
    """The reader's two rule tables (blocks.BLOCK_RULES, inlines.INLINE_RULES)."""

    blocks: Ruler
    inlines: Ruler


@dataclass
class BlockWalk:
    """The walk over sibling blocks: a rule may look at the node after its
    own and take it too (a caption and the table under it)."""

    nodes: list[SyntaxTreeNode]
    i: int = 0
    out: list[m.Block] = field(default_factory=list)

    def following(self) -> SyntaxTreeNode | None:
        return self.nodes[self.i + 1] if self.i + 1 < len(self.nodes) else None

    def take_following(self) -> None:
        self.i += 1


@dataclass
class InlineWalk:
    """The walk over the inline nodes of one block: ``line`` follows the line
    breaks, so that a reference or a problem on the third line of a
    paragraph is reported on that line."""

    src: m.Source  # the block's file and first line (0: a text without lines)
    line: int

    def here(self) -> m.Source:
        return m.Source(self.src.file, self.line)

    def advance(self, lines: int) -> None:
        if self.src.line:
            self.line += lines


@dataclass
class ReadState:
    """One Markdown text (a file, a template call's output, a table cell)
    being read, and the problems found.

    ``expand`` renders a ``{{ ... }}`` template call to Markdown text (or
    returns None after recording a problem); ``resolve_path`` turns a
    relative image path into an absolute one inside the content folder (or
    None after recording a problem).
    """

    file: Path
    problems: Problems
    grammar: Grammar
    expand: Callable[[str, m.Source], str | None] | None = None
    resolve_path: Callable[[str, m.Source], Path | None] | None = None
    line_offset: int = 0  # lines before this text in its file (a template call's or a cell's line)
    depth: int = 0  # template calls and table cells this text is inside
    inside: tuple[str, ...] = ()  # what encloses the block being read: "list", "sidebar", "figure", "cell"
    lines: list[str] = field(default_factory=list)  # the text's lines (a box's closing ::: line is looked up)
    box_error: bool = False  # a box inside a box was reported: its ':::' is not reported again as closing nothing
    too_deep: bool = False  # the nesting limit was reported (once per text)
    md: MarkdownIt | None = None  # the paper's parser (its language's quote marks), or None for the plain one

    # ------------------------------------------------------------------ reading
    def read(self, text: str) -> tuple[m.Block, ...]:
        if len(text) > MAX_TEXT:
            self.error(m.Source(self.problems.rel(self.file), self.line_offset or 1),
                       f"the text is longer than {MAX_TEXT:,} characters", "split it into several section files")
            return ()
        self.lines = LINE_ENDS.split(text)  # as markdown-it counts lines: '\r\n', '\r' (an old Mac's) or '\n'
        return self.blocks(SyntaxTreeNode((self.md or _MD).parse(text)).children)

    def blocks(self, nodes) -> tuple[m.Block, ...]:
        """Sibling block nodes, each read by the first block rule that takes it."""
        walk = BlockWalk(list(nodes))
        while walk.i < len(walk.nodes):
            node = walk.nodes[walk.i]
            src = self.src(node)
            try:
                self.grammar.blocks.apply(node.type, self, node, src, walk)
            except UnknownToken:
                self.error(src, f"unsupported Markdown block '{node.type}'", "see content/README.md for what can be used")
            walk.i += 1
        return tuple(walk.out)

    def inlines(self, nodes, walk: InlineWalk) -> list[m.Inline]:
        """Inline nodes, each read by the first inline rule that takes it."""
        out: list[m.Inline] = []
        for node in nodes:
            try:
                self.grammar.inlines.apply(node.type, self, node, walk, out)
            except UnknownToken:
                self.error(walk.here(), f"unsupported inline Markdown '{node.type}'", "see content/README.md")
        return out

    def sub(self, line_offset: int, depth: int, inside: tuple[str, ...] | None = None) -> "ReadState":
        """The state of a Markdown text inside this one (a template call's output, a table cell)."""
        return ReadState(self.file, self.problems, self.grammar, self.expand, self.resolve_path, line_offset, depth,
                         self.inside if inside is None else inside, md=self.md)

    def filled(self, kind: str, nodes, src: m.Source, message: str, advice: str) -> tuple[m.Block, ...]:
        """``nested``, with the error ``message`` at ``src`` when it holds
        nothing and nothing else was said about it (an empty box printed)."""
        errors = len(self.problems.errors)
        body = self.nested(kind, nodes, src)
        if not body and len(self.problems.errors) == errors:
            self.error(src, message, advice)
        return body

    def nested(self, kind: str, nodes, src: m.Source) -> tuple[m.Block, ...]:
        """The blocks of a list item or a box, one level deeper."""
        if len(self.inside) >= MAX_NESTING:
            if not self.too_deep:
                self.too_deep = True
                self.error(src, f"lists and boxes are nested more than {MAX_NESTING} levels deep here",
                           "flatten the list or split the box: deeper levels cannot be printed")
            return ()
        outer = self.inside
        self.inside = (*outer, kind)
        try:
            return self.blocks(nodes)
        finally:
            self.inside = outer

    def closed(self, node: SyntaxTreeNode) -> bool:
        """Whether a ::: box has its closing ::: line (markdown-it closes an
        unclosed one silently at the end of the file)."""
        end = node.map[1] if node.map else -1
        return node.map is not None and node.map[0] < end < len(self.lines) and bool(_CLOSING.match(self.lines[end]))

    # ------------------------------------------------------------------ where and what
    def src(self, node: SyntaxTreeNode) -> m.Source:
        line = (node.map[0] + 1 + self.line_offset) if node.map else self.line_offset
        return m.Source(self.problems.rel(self.file), line)

    def error(self, src: m.Source, message: str, advice: str = "") -> None:
        self.problems.error(self.file, src.line, message, advice)

    def too_many(self, src: m.Source, count: int, limit: int, what: str, advice: str) -> bool:
        if count > limit:
            kind = "list" if what == "items" else "table"
            self.error(src, f"the {kind} has {count:,} {what}, more than the {limit:,} one {kind} may have", advice)
        return count > limit

    def long_paragraph(self, paragraph: m.Paragraph) -> m.Paragraph:
        size = len(plain_text(paragraph.children))
        if size > MAX_PARAGRAPH:
            self.error(paragraph.source, f"the paragraph is {size:,} characters long, more than the {MAX_PARAGRAPH:,} one paragraph may have",
                       "split it into paragraphs (an empty line between them)")
        return paragraph

    def long_caption(self, caption: tuple, src: m.Source) -> tuple:
        """A caption, checked: not longer than a line of the list of figures or
        tables holds, and not starting with a number typed by hand."""
        text = plain_text(caption)
        numbered = _OWN_NUMBER.match(text)
        if numbered:
            self.error(src, f"the caption starts with a number of its own, '{numbered.group(0).strip()}', which would be printed "
                            "after the number paperpipe gives",
                       f"remove '{numbered.group(0).strip()}' from the caption: figures and tables are numbered by themselves")
        if len(text) > MAX_CAPTION:
            self.error(src, f"the caption is {len(text):,} characters long, more than the {MAX_CAPTION} a line of the list of figures or tables can hold",
                       "shorten it, and say the rest in the text")
        return caption

    def unknown_attrs(self, attrs: dict, known: tuple[str, ...], what: str, src: m.Source) -> None:
        """An attribute the reader does not use would vanish, and of one typed
        twice only one would be used: both are errors."""
        for key, values in getattr(attrs, "repeated", ()):
            typed = " and ".join(f"#{v}" if key == "id" else f"{key}={v}" for v in values)
            if key == "id":
                self.error(src, f"{what} has one id, and its braces give {len(values)} ({typed}): only one would be used",
                           "keep the id that cross-references use ([](#…)) and delete the other")
            else:
                self.error(src, f"'{key}' is given {'twice' if len(values) == 2 else f'{len(values)} times'} in the braces of {what} ({typed}): only one would be used",
                           f"keep the {key}=… you mean and delete the other")
        for key in attrs:
            if key not in known:
                shown = " ".join("#id" if k == "id" else ".class" if k == "class" else f"{k}=…" for k in known if k not in ("src", "title", "unnumbered"))
                self.error(src, f"'{key}' is not an attribute of {what}, and would not be printed",
                           f"the braces take only {{{shown}}}; write any words in the text")

    def ident(self, value, src: m.Source) -> str:
        """An id given with {#id} (or 'id:' in a ```table block), checked: one
        a cross-reference could not name is an error here."""
        text = "" if value is None else str(value)
        if text and not _ID.match(text):
            self.error(src, f"'{text}' is not a valid id", "start with a letter; use letters, digits, '-' and '_'")
        return text

    def place(self, value, what: str, src: m.Source) -> str:
        """A figure's or table's ``place=``: "" when not given (the theme's
        rule), else one of model.PLACES; any other value is an error here."""
        text = "" if value is None else str(value).strip()
        if text and text not in m.PLACES:
            self.error(src, f"place=\"{text}\" of {what} is not understood",
                       "write place=here (it stays where it is written) or place=next-page-top (it may float to the top of "
                       "the next page when it does not fit), or leave place out for the house style's rule")
            return ""
        return text


__all__ = ["BlockWalk", "Grammar", "InlineWalk", "ReadState"]
