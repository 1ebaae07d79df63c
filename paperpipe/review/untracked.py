"""A DOCX edited without Track Changes: its edits are what differs from
the DOCX a fresh build of the content makes (in memory, nothing written).

The result is a ``Reviewed`` whose text is the fresh build's (the text as
it was sent out, if the content has not moved on since) and whose marks
are the differences, without an author; the file's comments are carried
over to the same words.
"""
from __future__ import annotations

import bisect
import re

from .align import MIN_SHARE, Matcher, not_this_paper
from .marks import Mark, Reviewed

TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(found.group(), found.start(), found.end()) for found in TOKEN.finditer(text)]


def compare(theirs: Reviewed, loaded, templates) -> Reviewed:
    from ..pipeline import render
    from .docx import read_docx

    data, _pages = render(loaded, ("docx",), templates)
    ours = read_docx(data["docx"])
    a, b = _tokens(ours.text), _tokens(theirs.text)
    matcher = Matcher([t for t, _, _ in a], [t for t, _, _ in b])
    share = sum(blk.size for blk in matcher.get_matching_blocks()) / max(len(b), 1)
    if share < MIN_SHARE:
        raise not_this_paper(share)
    marks: list[Mark] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        new = theirs.text[b[j1][1]:b[j2 - 1][2]] if j2 > j1 else ""
        if tag == "insert":
            at = a[i1 - 1][2] if i1 else (a[0][1] if a else 0)
            gap = theirs.text[b[j1 - 1][2]:b[j1][1]] if j1 else ""
            marks.append(Mark("insertion", at, at, new=(gap if i1 else "") + new))
            continue
        start, end = a[i1][1], a[i2 - 1][2]
        old = ours.text[start:end]
        if tag == "delete":
            if i1 and ours.text[a[i1 - 1][2]:start].isspace():
                start = a[i1 - 1][2]  # the space before a deleted word goes with it
                old = ours.text[start:end]
            marks.append(Mark("deletion", start, end, old=old))
        else:
            marks.append(Mark("replacement", start, end, old=old, new=new))
    # the file's own comments, moved onto the same words of our text
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    b_starts = [t[1] for t in b]
    block_b = [blk.b for blk in blocks]

    def to_ours(offset: int) -> int:
        word = max(bisect.bisect_right(b_starts, offset) - 1, 0)
        at = bisect.bisect_right(block_b, word) - 1
        if at < 0 or not a:
            return 0
        blk = blocks[at]
        index = blk.a + min(word - blk.b, blk.size - 1)
        return a[index][1] + max(0, min(offset - b[word][1], a[index][2] - a[index][1]))

    for mark in theirs.marks:
        if mark.kind == "comment":
            mark.start, mark.end = to_ours(mark.start), to_ours(mark.end)
            mark.end = max(mark.end, mark.start)
            marks.append(mark)
    marks.sort(key=lambda mark: (mark.start, mark.end))
    return Reviewed(ours.text, marks, tracked=False,
                    notes=theirs.notes + (["the file has no tracked changes: its edits were found by comparing it with a fresh build "
                                           "of the content, so they have no author"] if any(m.kind != "comment" for m in marks) else []))
