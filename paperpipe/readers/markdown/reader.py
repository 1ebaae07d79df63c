"""The Markdown reader: one file (or fragment) into document-model blocks;
what it reads is in its parts (blocks, inlines, tables, figures)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...visit import plain_text
from ...errors import Problems
from .blocks import Blocks
from .figures import Figures
from .inlines import Inlines
from .limits import MAX_CAPTION, MAX_NESTING, MAX_PARAGRAPH, MAX_TEXT
from .syntax import _CLOSING, _MD
from .tables import Tables


@dataclass
class MarkdownReader(Blocks, Inlines, Tables, Figures):
    """Reads one Markdown file (or fragment) into blocks, recording problems.

    ``expand`` renders a ``{{ ... }}`` template call to Markdown text (or
    returns None after recording a problem); ``resolve_path`` turns a
    relative image path into an absolute one inside the content folder (or
    None after recording a problem).
    """

    file: Path
    problems: Problems
    expand: Callable[[str, m.Source], str | None] | None = None
    resolve_path: Callable[[str, m.Source], Path | None] | None = None
    line_offset: int = 0
    depth: int = 0
    inside: tuple[str, ...] = ()  # what encloses this text: "list", "sidebar", "figure", "cell"

    # ------------------------------------------------------------------ entry
    def read(self, text: str) -> tuple[m.Block, ...]:
        if len(text) > MAX_TEXT:
            self._error(m.Source(self.problems.rel(self.file), self.line_offset or 1),
                        f"the text is longer than {MAX_TEXT:,} characters", "split it into several section files")
            return ()
        self._lines = text.split("\n")
        tree = SyntaxTreeNode(_MD.parse(text))
        return self._blocks(tree.children)

    def _sub(self, line_offset: int, depth: int, inside: tuple[str, ...] | None = None) -> "MarkdownReader":
        """A reader for Markdown inside this one (a template call's output, a table cell)."""
        return MarkdownReader(self.file, self.problems, self.expand, self.resolve_path, line_offset, depth,
                              self.inside if inside is None else inside)

    def _nested(self, kind: str, nodes, src: m.Source) -> tuple[m.Block, ...]:
        """The blocks of a list item or a box, one level deeper."""
        if len(self.inside) >= MAX_NESTING:
            if not getattr(self, "_too_deep", False):
                self._too_deep = True
                self._error(src, f"lists and boxes are nested more than {MAX_NESTING} levels deep here",
                            "flatten the list or split the box: deeper levels cannot be printed")
            return ()
        self.inside = (*self.inside, kind)
        try:
            return self._blocks(nodes)
        finally:
            self.inside = self.inside[:-1]

    def _closed(self, node: SyntaxTreeNode) -> bool:
        """Whether a ::: box has its closing ::: line (markdown-it closes an
        unclosed one silently at the end of the file)."""
        end = node.map[1] if node.map else -1
        lines = getattr(self, "_lines", [])
        return node.map is not None and node.map[0] < end < len(lines) and bool(_CLOSING.match(lines[end]))

    def _src(self, node: SyntaxTreeNode) -> m.Source:
        line = (node.map[0] + 1 + self.line_offset) if node.map else self.line_offset
        return m.Source(self.problems.rel(self.file), line)

    def _error(self, src: m.Source, message: str, advice: str = "") -> None:
        self.problems.error(self.file, src.line, message, advice)

    def _too_many(self, src: m.Source, count: int, limit: int, what: str, advice: str) -> bool:
        if count > limit:
            kind = "list" if what == "items" else "table"
            self._error(src, f"the {kind} has {count:,} {what}, more than the {limit:,} one {kind} may have", advice)
        return count > limit

    def _long_paragraph(self, paragraph: m.Paragraph) -> m.Paragraph:
        size = len(plain_text(paragraph.children))
        if size > MAX_PARAGRAPH:
            self._error(paragraph.source, f"the paragraph is {size:,} characters long, more than the {MAX_PARAGRAPH:,} one paragraph may have",
                        "split it into paragraphs (an empty line between them)")
        return paragraph

    def _unknown_attrs(self, attrs: dict, known: tuple[str, ...], what: str, src: m.Source) -> None:
        """An attribute the reader does not use would vanish: it is an error."""
        for key in attrs:
            if key not in known:
                shown = " ".join("#id" if k == "id" else ".class" if k == "class" else f"{k}=…" for k in known if k not in ("src", "title", "unnumbered"))
                self._error(src, f"'{key}' is not an attribute of {what}, and would not be printed",
                            f"the braces take only {{{shown}}}; write any words in the text")

    def _long_caption(self, caption: tuple, src: m.Source) -> tuple:
        text = plain_text(caption)
        if len(text) > MAX_CAPTION:
            self._error(src, f"the caption is {len(text):,} characters long, more than the {MAX_CAPTION} a line of the list of figures or tables can hold",
                        "shorten it, and say the rest in the text")
        return caption
