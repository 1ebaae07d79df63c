"""What a returned file holds, in one shape for every kind of file.

``Reviewed.text`` is the file's text with every change rejected (the text
as it was sent out), paragraphs separated by a line end; each ``Mark`` is a
change or a comment placed on that text by character offsets. Readers
(``docx.py``, ``pdf.py``) make one; ``locate.py`` places its marks in the
content files.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("comment", "insertion", "deletion", "replacement")


@dataclass
class Mark:
    kind: str             # one of KINDS
    start: int            # offsets in Reviewed.text: the old text (an insertion: start == end)
    end: int
    old: str = ""         # the text deleted or replaced (as the file has it)
    new: str = ""         # the text inserted, or that replaces ``old``
    author: str = ""
    date: str = ""        # as the file gives it, YYYY-MM-DD shown
    note: str = ""        # a comment's text; for changes, what kind of change ("moved", "paragraph joined")
    replies: list["Mark"] = field(default_factory=list)
    key: str = ""         # the file's own id (a hint only)
    parent: str = ""      # a reply's comment's key, while reading
    more: tuple[int, int] | None = None  # a second stretch of the same mark (a highlight's part on the next page)


@dataclass
class Reviewed:
    text: str
    marks: list[Mark]
    tracked: bool = True   # False: the file holds no tracked changes (edited without Track Changes)
    notes: list[str] = field(default_factory=list)  # things the reader noticed (review states skipped …)
