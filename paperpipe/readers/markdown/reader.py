"""The Markdown reader: one file (or fragment) into document-model blocks.
It holds no reading state of its own: each ``read`` makes a ``ReadState``
and runs the block rules (blocks.BLOCK_RULES) over markdown-it's tree; the
block rules run the inline rules (inlines.INLINE_RULES) for a block's text."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markdown_it import MarkdownIt

from ... import model as m
from ...errors import Problems
from .blocks import BLOCK_RULES
from .inlines import INLINE_RULES
from .state import Grammar, ReadState

GRAMMAR = Grammar(BLOCK_RULES, INLINE_RULES)


@dataclass(frozen=True)
class MarkdownReader:
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
    md: MarkdownIt | None = None  # the paper's parser, with its language's quote marks (syntax.parser); None: the plain one

    def read(self, text: str) -> tuple[m.Block, ...]:
        state = ReadState(self.file, self.problems, GRAMMAR, self.expand, self.resolve_path, self.line_offset, self.depth, self.inside,
                          md=self.md)
        return state.read(text)
