"""Where a line may not break: a dash stays with the word before it, and a
range of numbers or times ("09:00 – 09:30", "22 – 23") stays whole.

A spaced en or em dash at the start of a line reads as a list mark ("–
Cluster Policy"), and a range split after its dash reads as two numbers. The
space before such a dash, and the spaces around a range's dash, become
no-break spaces in the text itself, so that the PDF, the DOCX and the page
all keep them together. Code is never changed. The theme's
``typography.dashes_keep_with_word`` turns this on."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import model as m
from ..theme import Theme
from ..visit import map_all_inlines

NBSP = "\u00a0"
_RANGE = re.compile(r"(?<=\d) ([–—]) (?=\d)")         # 09:00 – 09:30, 2022 – 2023
_BEFORE_DASH = re.compile(r"(?:(?<=\S)|^) ([–—])(?=\s|$)")  # a word – and what follows


def keep_dashes(text: str) -> str:
    """The text with its ranges and the words before its dashes held together."""
    if "–" not in text and "—" not in text:
        return text
    text = _RANGE.sub(lambda found: f"{NBSP}{found.group(1)}{NBSP}", text)
    return _BEFORE_DASH.sub(lambda found: f"{NBSP}{found.group(1)}", text)


def realize_dashes(doc: m.Document, theme: Theme) -> m.Document:
    if not theme.typography.dashes_keep_with_word:
        return doc

    def fn(node):
        if not isinstance(node, m.Text):
            return node
        text = keep_dashes(node.text)
        return node if text == node.text else replace(node, text=text)

    return replace(doc, blocks=map_all_inlines(doc.blocks, fn),
                   contents=tuple(replace(e, title=keep_dashes(e.title)) for e in doc.contents),
                   figures=tuple(replace(e, title=keep_dashes(e.title)) for e in doc.figures),
                   tables=tuple(replace(e, title=keep_dashes(e.title)) for e in doc.tables))
