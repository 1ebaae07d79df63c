"""Aligning two texts word by word: the returned file's text (every change
rejected) against the text of a fresh build of the content, so that each
word of the one is known in the other whatever ids the file lost."""
from __future__ import annotations

import bisect
from difflib import SequenceMatcher

from .sources import words


class Alignment:
    """``theirs`` (the returned file) against ``ours`` (the build): for a
    word of theirs, the word of ours it stands for, or the nearest one."""

    def __init__(self, theirs: str, ours: str):
        self.theirs = words(theirs)
        self.ours = words(ours)
        matcher = SequenceMatcher(None, [w for w, _, _ in self.theirs], [w for w, _, _ in self.ours], autojunk=False)
        self.blocks = [b for b in matcher.get_matching_blocks() if b.size]
        self.starts = [b.a for b in self.blocks]
        self.offsets = [start for _, start, _ in self.theirs]
        self.matched = sum(b.size for b in self.blocks)

    def word_at(self, offset: int) -> int:
        """The index of the first word of theirs that ends after ``offset``."""
        index = bisect.bisect_right(self.offsets, offset)
        if index and self.theirs[index - 1][2] > offset:
            return index - 1
        return index

    def ours_for(self, word: int) -> int | None:
        """The word of ours that word ``word`` of theirs stands for; a word
        that is not in ours gets the nearest aligned word before it."""
        at = bisect.bisect_right(self.starts, word) - 1
        if at < 0:
            return self.blocks[0].b if self.blocks else None
        block = self.blocks[at]
        return block.b + min(word - block.a, block.size - 1)

    @property
    def share(self) -> float:
        """How much of their text is ours (1.0: the same words)."""
        return self.matched / max(len(self.theirs), 1)
