"""Aligning two texts word by word: the returned file's text (every change
rejected) against the text of a fresh build of the content, so that each
word of the one is known in the other whatever ids the file lost."""
from __future__ import annotations

import bisect
from collections import Counter
from difflib import SequenceMatcher
from itertools import accumulate

from .sources import words
from .untrusted import Refused

MIN_SHARE = 0.3          # of the file's words that must be the paper's: below it, another paper
MAX_WORK = 300_000_000   # word comparisons one alignment may make (a paper needs a few million; ~30 s of CPU)
MAX_GROWTH = 3           # a returned file holds at most this many times the paper's words (+ SLACK)
SLACK = 20_000


def not_this_paper(share: float) -> Refused:
    return Refused(f"this file is not a paper made from this content (only {share:.0%} of its words are in it); "
                   "check --content, or that this is the right file")


class Matcher(SequenceMatcher):
    """difflib's matcher (no junk) with its work bounded: a file made of a few
    words repeated makes it compare every word with every other, for hours.

    Before any comparison the file is refused when it is far longer than the
    paper, or when even its words taken in any order could not make
    ``MIN_SHARE`` of it the paper's (``b`` is the returned file's side)."""

    def __init__(self, a: list[str], b: list[str], theirs: str = "b"):
        mine, other = (b, a) if theirs == "b" else (a, b)
        if len(mine) > MAX_GROWTH * len(other) + SLACK:
            raise Refused(f"the file holds {len(mine):,} words, far more than the {len(other):,} of the paper made from this content; "
                          "check --content, or that this is the right file")
        common = Counter(other)
        bound = sum(min(n, common[word]) for word, n in Counter(mine).items()) / max(len(mine), 1)
        if mine and bound < MIN_SHARE:
            raise not_this_paper(bound)
        super().__init__(None, a, b, autojunk=False)
        self._work = list(accumulate((len(self.b2j.get(word, ())) for word in self.a), initial=0))
        self._left = MAX_WORK

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        self._left -= self._work[ahi] - self._work[alo] + 1  # at most this many comparisons in this call
        if self._left < 0:
            raise Refused("the file's text differs from the paper made from this content in too many places to be "
                          f"compared (more than {MAX_WORK:,} word comparisons); check --content, or that this is the right file")
        return super().find_longest_match(alo, ahi, blo, bhi)


class Alignment:
    """``theirs`` (the returned file) against ``ours`` (the build): for a
    word of theirs, the word of ours it stands for, or the nearest one."""

    def __init__(self, theirs: str, ours: str):
        self.theirs = words(theirs)
        self.ours = words(ours)
        matcher = Matcher([w for w, _, _ in self.theirs], [w for w, _, _ in self.ours], theirs="a")
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
