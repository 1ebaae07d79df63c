"""Markdown (CommonMark + pipe tables) into document-model blocks.

The syntax editors use, all standard or widespread extensions:

- ``# Heading {#id}`` (levels 1-3); ``{-}`` or ``{.unnumbered}`` leaves it unnumbered.
- ``![Caption](figures/x.svg){#fig-id width="80%" alt="description"}`` alone in
  a paragraph is a numbered figure.
- a pipe table followed (or preceded) by ``Table: Caption {#tab-id}`` is a
  numbered table; a fenced block ```` ```table ```` holds a YAML table with
  merged cells.
- ``::: sidebar Title`` … ``:::`` is a box set apart from the text;
  ``::: figure Caption {#fig-id}`` … ``:::`` is a figure made of any blocks.
- ``> …`` lines are a quotation; a last ``> — Name, Role`` line says who said it.
- ``[@id]`` prints the name of the person ``id`` of the people file.
- ``<!-- … -->`` is a comment: a note for editors, never printed.
- ``[](#id)`` prints the number of a section, figure or table ("Table 1");
  ``[text](#id)`` links the given text to it.
- ``{{ macro(...) }}`` alone in a paragraph is replaced by the blocks the
  template macro writes (see ``templates/macros.md.j2``); anywhere else (in a
  sentence, a list item, a table cell, a heading, a caption) ``{{ … }}`` is
  an inline expression: ``{{ paper.title }}``, ``{{ person("id") }}``; what
  it writes is read as Markdown text of one line.  An expression that cannot
  be expanded is an error on its line, never printed as it stands.

The reader is two tables of small named rules (``blocks.BLOCK_RULES``,
``inlines.INLINE_RULES``, each a ``ruler.Ruler`` as markdown-it's own), run
over markdown-it's tree with the state of one read declared in
``state.ReadState``; tables and figures hold what their rules read.
"""
from __future__ import annotations

from .attrs import parse_attrs, split_trailing_attrs
from .reader import MarkdownReader

__all__ = ["MarkdownReader", "parse_attrs", "split_trailing_attrs"]
