"""Placing each mark of a returned file in the content files.

A mark's words are looked up in the content files (``ContentIndex``) with
the words around it as context; where the same words stand in several
places, the block the alignment with a fresh build puts the mark in
decides (its file, then the nearest line). A mark whose words are found
nowhere is reported as not placed, never at a guessed line.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .align import Alignment
from .marks import Mark, Reviewed
from .sources import ContentFile, ContentIndex, Piece

CONTEXT = 6     # words on each side used to tell places apart
MAX_CORE = 8    # words of a long mark looked up (the rest follows them)


@dataclass
class Place:
    file: ContentFile
    first: int       # word range in the file: the mark's own words (first == end: a point between words)
    end: int
    line: int
    core: tuple[int, int]   # the mark's own words in the returned file's text (word indices, end exclusive)
    before: int      # context words matched before it
    after: int       # context words matched after it
    exact: bool      # every one of the mark's words was found in a row


@dataclass
class Finding:
    mark: Mark
    place: Place | None
    anchor: str = ""
    hint: str = ""   # the block the alignment put the mark in, for marks not placed
    replies: list["Finding"] = field(default_factory=list)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    return text.rfind("\n", 0, start) + 1, (text.find("\n", end) if text.find("\n", end) >= 0 else len(text))


class Locator:
    def __init__(self, reviewed: Reviewed, built: str, pieces: list[Piece], index: ContentIndex, generated=frozenset()):
        self.reviewed = reviewed
        self.generated = set(generated)
        self.index = index
        self.alignment = Alignment(reviewed.text, built)
        # the cover and running header come from paper.yaml, named by its full path: named as the index names it
        shown = {str(f.path): f.shown for f in index.files}
        self.pieces = pieces = [Piece(p.start, shown.get(p.file, p.file), p.line) for p in pieces]
        self.piece_starts = [p.start for p in pieces]
        self.block_lines: dict[str, list[int]] = {}
        for p in pieces:
            self.block_lines.setdefault(p.file, []).append(p.line)
        for lines in self.block_lines.values():
            lines.sort()
        self.built_words = self.alignment.ours

    def made(self, found: list[str]) -> bool:
        """Whether these words are ones the paper makes: numbers, labels."""
        return all(word.isdigit() or word in self.generated for word in found)

    def hint(self, word: int) -> Piece | None:
        ours = self.alignment.ours_for(word)
        if ours is None or ours >= len(self.built_words):
            return None
        offset = self.built_words[ours][1]
        at = bisect.bisect_right(self.piece_starts, offset) - 1
        return self.pieces[at] if at >= 0 else None

    def find(self, mark: Mark) -> Finding:
        text = self.reviewed.text
        theirs = self.alignment.theirs
        first = self.alignment.word_at(mark.start)
        last = first
        while last < len(theirs) and theirs[last][1] < mark.end:
            last += 1
        if mark.kind == "insertion" or last == first:
            last = first  # no words of its own: placed between the words around it
        p0, p1 = _paragraph(text, mark.start, mark.end)
        lo = first
        while lo > 0 and first - lo < CONTEXT and theirs[lo - 1][1] >= p0:
            lo -= 1
        hi = last
        while hi < len(theirs) and hi - last < CONTEXT and theirs[hi][2] <= p1:
            hi += 1
        core = [w for w, _, _ in theirs[first:min(last, first + MAX_CORE)]]
        before = [w for w, _, _ in theirs[lo:first]]
        after = [w for w, _, _ in theirs[last:hi]] if last - first <= MAX_CORE else []
        piece = self.hint(first if first < len(theirs) else max(first - 1, 0))
        place = self.search(core, before, after, piece)
        trim = 1
        while place is None and trim < len(core) and (self.made(core[:trim]) or self.made(core[-trim:])):
            # words the paper makes at an edge of the mark ("3.4", "Figure 3:") are in no content file
            if self.made(core[:trim]):
                place = self.search(core[trim:], before + core[:trim], after, piece)
                if place is not None:
                    first += trim
                    break
            if self.made(core[-trim:]):
                place = self.search(core[:-trim], before, core[-trim:] + after, piece)
                if place is not None:
                    last -= trim
                    break
            trim += 1
        if place is not None:
            place.core = (first, last)
            place.exact = place.exact and last - first <= MAX_CORE
        return Finding(mark, place, anchor=self.anchor(mark, first, last), hint=(f"{piece.file}:{piece.line}" if piece.line else piece.file) if piece else "")

    def anchor(self, mark: Mark, first: int, last: int) -> str:
        text = self.reviewed.text
        if mark.end > mark.start and mark.kind != "comment":
            p0, p1 = _paragraph(text, mark.start, mark.end)
            theirs = self.alignment.theirs
            lo = max(p0, theirs[max(first - 3, 0)][1] if first < len(theirs) else p0)
            hi = min(p1, theirs[min(last + 2, len(theirs) - 1)][2] if theirs else p1)
            return "in “" + " ".join(text[min(lo, mark.start):max(hi, mark.end)].split()) + "”"
        if mark.end > mark.start:
            more = f" … {' '.join(text[mark.more[0]:mark.more[1]].split())}" if mark.more else ""
            return " ".join(text[mark.start:mark.end].split()) + more
        theirs = self.alignment.theirs
        p0, p1 = _paragraph(text, mark.start, mark.end)
        prior = [w for w in theirs[max(0, first - 4):first] if w[1] >= p0]
        if prior:
            return "after “" + " ".join(text[prior[0][1]:prior[-1][2]].split()) + "”"
        following = [w for w in theirs[first:first + 4] if w[2] <= p1]
        if following:
            return "before “" + " ".join(text[following[0][1]:following[-1][2]].split()) + "”"
        return ""

    def search(self, core: list[str], before: list[str], after: list[str], piece: Piece | None) -> Place | None:
        index = self.index
        candidates: set[tuple[int, int, int]] = set()
        if core:
            for fi, wi in index.postings.get(core[0], ()):
                found = index.files[fi].words
                if all(wi + k < len(found) and found[wi + k][0] == word for k, word in enumerate(core)):
                    candidates.add((fi, wi, wi + len(core)))
        else:
            if before:
                candidates.update((fi, wi + 1, wi + 1) for fi, wi in index.postings.get(before[-1], ()))
            if after:
                candidates.update((fi, wi, wi) for fi, wi in index.postings.get(after[0], ()))
        scored = []
        for fi, s, e in candidates:
            found = index.files[fi].words
            back = 0
            while back < len(before) and s - 1 - back >= 0 and found[s - 1 - back][0] == before[-1 - back]:
                back += 1
            ahead = 0
            while ahead < len(after) and e + ahead < len(found) and found[e + ahead][0] == after[ahead]:
                ahead += 1
            file = index.files[fi]
            where = found[s][1] if s < len(found) and (core or not back) else found[s - 1][2] if s else 0
            line = file.line(where)
            inside = self.in_block(piece, file.shown, line)
            scored.append(((back + ahead, inside, -abs(line - piece.line) if piece and file.shown == piece.file else 0),
                           Place(file, s, e, line, (0, 0), back, ahead, True), inside))
        if not scored:
            return None
        scored.sort(key=lambda item: item[0], reverse=True)
        key, best, inside = scored[0]
        words = len(core) + best.before + best.after
        if inside:
            return best if words >= min(3, len(core) + len(before) + len(after)) else None
        # outside the block the build puts it in (text from a data file, the people file, paper.yaml):
        # only with enough words agreeing, and in one place only
        strong = min(3 if self.brings_text(piece) else 4, len(core) + len(before) + len(after))
        if words < strong or not (best.before or best.after or len(core) >= 2):
            return None
        rivals = [p for k, p, _ in scored[1:] if k[0] == key[0] and (p.file is not best.file or p.line != best.line)]
        return None if rivals else best

    def brings_text(self, piece: Piece | None) -> bool:
        """Whether the block prints text written elsewhere: a template call,
        a fact ``{{ paper.… }}`` or a person ``[@id]`` (or it is the cover
        or running header, made from paper.yaml)."""
        if piece is None:
            return False
        file = next((f for f in self.index.files if f.shown == piece.file), None)
        if file is None or file.path.suffix != ".md" or not piece.line:
            return True
        lines = self.block_lines.get(piece.file, [])
        at = bisect.bisect_right(lines, piece.line)
        stop = lines[at] if at < len(lines) else len(file.starts) + 1
        begin = file.starts[piece.line - 1] if piece.line - 1 < len(file.starts) else len(file.text)
        end = file.starts[stop - 1] if stop - 1 < len(file.starts) else len(file.text)
        block = file.text[begin:end]
        return "{{" in block or "[@" in block

    def in_block(self, piece: Piece | None, shown: str, line: int) -> bool:
        """Whether ``line`` of ``shown`` lies in the block that ``piece`` starts."""
        if piece is None or shown != piece.file or line < piece.line:
            return False
        lines = self.block_lines.get(shown, [])
        at = bisect.bisect_right(lines, piece.line)
        return at >= len(lines) or line < lines[at]


def locate(reviewed: Reviewed, built: str, pieces: list[Piece], index: ContentIndex, generated=frozenset()) -> tuple[list[Finding], Locator]:
    """Each mark placed; ``generated`` are the words the paper makes itself (labels such as "Figure")."""
    locator = Locator(reviewed, built, pieces, index, generated)
    findings = []
    for mark in reviewed.marks:
        finding = locator.find(mark)
        finding.replies = [Finding(reply, finding.place, finding.anchor, finding.hint) for reply in mark.replies]
        findings.append(finding)
    return findings, locator
