"""A returned DOCX: its text with every change rejected, its tracked
changes (insertions, deletions, deleted and inserted paragraph marks,
moves) and its comments with their ranges, replies, authors and dates.

Read as Word 2016 and later write them (rsids, ``w14:paraId``,
``commentsExtended.xml`` for replies, ``people.xml``) and as LibreOffice
writes them (no paraIds; a reply is a comment of its own). The file's ids
are never trusted to match anything we wrote: the text is what places a
mark (see ``locate.py``).
"""
from __future__ import annotations

from ..console import plural
from ..dates import parse_day
from ..errors import shortened
from .marks import Mark, Reviewed
from .untrusted import Package, Refused

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

MAX_ELEMENTS = 5_000_000  # elements of document.xml walked (a paper has some 50,000)
MAX_COMMENTS = 20_000     # comments and replies of one file

# parts of a paragraph or run that hold properties, field codes or changes of
# formatting: no text of the paper, nothing to report
_SKIP = {f"{{{W}}}{name}" for name in ("pPr", "rPr", "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "instrText",
                                         "delInstrText", "pPrChange", "rPrChange", "sectPrChange", "tblPrChange",
                                         "numPr", "tabs", "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak")}
_SKIP.add(f"{{{MC}}}Fallback")  # Word writes a text box twice: its modern form (Choice) is read


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def day(value: str) -> str:
    """A file's date as YYYY-MM-DD, or '' when it is not a real date."""
    value = (value or "")[:10]
    return value if len(value) == 10 and value[4] == value[7] == "-" and parse_day(value) else ""  # not 2023-02-31


class _Walker:
    def __init__(self):
        self.parts: list[str] = []
        self.pos = 0
        self.atoms: list[list] = []  # [kind, start, end, text, author, date, note]
        self.starts: dict[str, int] = {}
        self.ends: dict[str, int] = {}
        self.refs: dict[str, int] = {}
        self.count = 0

    def text(self, value: str, state) -> None:
        if not value:
            return
        if state is None:
            self.parts.append(value)
            self.pos += len(value)
        elif state[0] == "ins":
            self.atoms.append(["insertion", self.pos, self.pos, value, state[1], state[2], state[3]])
        elif state[0] == "del":
            self.atoms.append(["deletion", self.pos, self.pos + len(value), value, state[1], state[2], state[3]])
            self.parts.append(value)
            self.pos += len(value)
        # state "gone": inserted, then deleted, by reviewers: never in the text sent out

    def walk(self, element, state) -> None:
        for child in element:
            self.count += 1
            if self.count > MAX_ELEMENTS:
                raise Refused(f"the Word file's text has more than {MAX_ELEMENTS:,} parts; it is not a paper made here")
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t") or tag == _w("delText"):
                self.text(child.text or "", state)
            elif tag in (_w("tab"), _w("br"), _w("cr")):
                self.text("\t" if tag == _w("tab") else " ", state)
            elif tag == _w("noBreakHyphen"):
                self.text("-", state)
            elif tag in (_w("ins"), _w("moveTo")):
                moved = "moved here" if tag == _w("moveTo") else ""
                self.walk(child, ("gone",) if state and state[0] == "del" else ("ins", *_who(child), moved))
            elif tag in (_w("del"), _w("moveFrom")):
                moved = "moved away" if tag == _w("moveFrom") else ""
                self.walk(child, ("gone",) if state and state[0] in ("ins", "gone") else ("del", *_who(child), moved))
            elif tag == _w("commentRangeStart"):
                self.starts.setdefault(child.get(_w("id"), ""), self.pos)
            elif tag == _w("commentRangeEnd"):
                self.ends[child.get(_w("id"), "")] = self.pos
            elif tag == _w("commentReference"):
                self.refs[child.get(_w("id"), "")] = self.pos
            elif tag == _w("p"):
                self.walk(child, state)
                self.paragraph_end(child, state)
            else:
                self.walk(child, state)

    def paragraph_end(self, paragraph, state) -> None:
        mark = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
        deleted = mark.find(_w("del")) if mark is not None else None
        inserted = mark.find(_w("ins")) if mark is not None else None
        if state is None and deleted is not None:
            state = ("del", *_who(deleted), "paragraphs joined")
        elif state is None and inserted is not None:
            state = ("ins", *_who(inserted), "paragraph split")
        self.text("\n", state)


def _who(element) -> tuple[str, str]:
    return (element.get(_w("author"), "") or "").strip(), day(element.get(_w("date"), ""))


def _changes(atoms: list[list]) -> list[Mark]:
    """Runs of the same change by the same person merged; a deletion and an
    insertion at the same place by the same person are one replacement."""
    merged: list[list] = []
    for atom in atoms:
        if not atom[3]:
            continue
        last = merged[-1] if merged else None
        if last and last[0] == atom[0] and last[4] == atom[4] and last[6] == atom[6] and (
                (atom[0] == "deletion" and last[2] == atom[1]) or (atom[0] == "insertion" and last[1] == atom[1])):
            last[3] += atom[3]
            last[2] = atom[2]
            continue
        merged.append(list(atom))
    marks: list[Mark] = []
    index = 0
    while index < len(merged):
        kind, start, end, text, author, date, note = merged[index]
        following = merged[index + 1] if index + 1 < len(merged) else None
        if following and following[4] == author and {kind, following[0]} == {"deletion", "insertion"} and not note and not following[6]:
            deletion, insertion = (merged[index], following) if kind == "deletion" else (following, merged[index])
            if insertion[1] in (deletion[1], deletion[2]):
                marks.append(Mark("replacement", deletion[1], deletion[2], old=deletion[3], new=insertion[3], author=author, date=date))
                index += 2
                continue
        if kind == "deletion":
            marks.append(Mark("deletion", start, end, old=text, author=author, date=date, note=note))
        else:
            marks.append(Mark("insertion", start, start, new=text, author=author, date=date, note=note))
        index += 1
    return marks


def _comments(package: Package, walker: _Walker) -> list[Mark]:
    root = package.xml("word/comments.xml")
    if root is None:
        return []
    parents: dict[str, str] = {}
    done: set[str] = set()
    extended = package.xml("word/commentsExtended.xml")
    if extended is not None:
        for entry in extended.iter(f"{{{W15}}}commentEx"):
            para = entry.get(f"{{{W15}}}paraId", "")
            if entry.get(f"{{{W15}}}paraIdParent"):
                parents[para] = entry.get(f"{{{W15}}}paraIdParent")
            if entry.get(f"{{{W15}}}done") in ("1", "true"):
                done.add(para)
    notes: list[Mark] = []
    by_para: dict[str, Mark] = {}
    for comment in root.iter(_w("comment")):
        if len(notes) >= MAX_COMMENTS:
            raise Refused(f"the Word file holds more than {MAX_COMMENTS:,} comments; it is not a reviewed paper (ask for the file again)")
        key = comment.get(_w("id"), "")
        paragraphs = comment.findall(f".//{_w('p')}")
        text = " ".join(" ".join("".join(t.text or "" for t in p.iter(_w("t"))).split()) for p in paragraphs).strip()
        para = paragraphs[-1].get(f"{{{W14}}}paraId", "") if paragraphs else ""
        position = walker.refs.get(key)
        start = walker.starts.get(key, position)
        end = walker.ends.get(key, position if position is not None else start)
        if start is None:
            start = end = 0 if end is None else end
        mark = Mark("comment", start, max(start, end or start), author=(comment.get(_w("author"), "") or "").strip(),
                    date=day(comment.get(_w("date"), "")), note=text + (" (resolved)" if para in done else ""), key=key,
                    parent=parents.get(para, ""))
        if para:
            by_para[para] = mark
        notes.append(mark)
    top: list[Mark] = []
    for mark in notes:
        parent = by_para.get(mark.parent)
        if parent is not None and parent is not mark:
            parent.replies.append(mark)
        else:
            top.append(mark)
    return top


def read_docx(data: bytes) -> Reviewed:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Refused("the file is password-protected, or an old .doc file: remove the password "
                      "(or save it as .docx) in Word and run review again")
    package = Package(data)
    document = package.xml("word/document.xml")
    if document is None:
        raise Refused("the file has no document part; it is not a Word .docx file (save it as .docx and try again)")
    if document.tag == "{http://purl.oclc.org/ooxml/wordprocessingml/main}document":
        raise Refused("the file is saved as a 'Strict Open XML Document'; save it in Word as 'Word Document (*.docx)' "
                      "and run review on that copy")
    if document.tag != _w("document"):
        raise Refused("the file's document part is not a Word document; it is not a Word .docx file (save it as .docx and try again)")
    body = document.find(_w("body"))
    walker = _Walker()
    if body is not None:
        walker.walk(body, None)
    text = "".join(walker.parts)
    changes = _changes(walker.atoms)
    comments = _comments(package, walker)
    notes, elsewhere = _header_and_footer(package, walker)
    anchors = walker.starts.keys() | walker.ends.keys() | walker.refs.keys()
    loose = [mark for mark in comments if mark.key not in anchors and mark.key not in elsewhere]
    if loose:  # in comments.xml, marked nowhere: no place to report them at
        notes.append(f"{len(loose)} comment{'s are' if len(loose) != 1 else ' is'} not anchored anywhere in the text, so "
                     f"review cannot place {'them' if len(loose) != 1 else 'it'}: "
                     + "; ".join(f"{mark.author or 'no author'}: “{shortened(mark.note, 80)}”" for mark in loose[:5])
                     + (" …" if len(loose) > 5 else "") + " (read them in Word)")
    marks = changes + [mark for mark in comments if mark.key in anchors]
    marks.sort(key=lambda mark: (mark.start, mark.end))
    return Reviewed(text, marks, tracked=bool(walker.atoms), notes=notes)


def _header_and_footer(package: Package, walker: _Walker) -> tuple[list[str], set[str]]:
    """What a reviewer changed or commented on in the running header or footer
    (made from paper.yaml, and not placed by review): a note, and the keys of
    those comments."""
    changes, keys = 0, set()
    for name in sorted(package.names):
        if name.startswith(("word/header", "word/footer")) and name.endswith(".xml") and name.count("/") == 1:
            part = package.xml(name)
            for element in part.iter() if part is not None else ():
                if element.tag in (_w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")):
                    changes += 1
                elif element.tag == _w("commentReference") and element.get(_w("id"), "") not in walker.refs:
                    keys.add(element.get(_w("id"), ""))
    if not changes and not keys:
        return [], keys
    what = " and ".join(x for x in (plural(changes, "tracked change") if changes else "",
                                    plural(len(keys), "comment") if keys else "") if x)
    return [f"the page header or footer holds {what}, which review does not list (the running header is made "
            "from paper.yaml: title, place, date; the footer is the page number); read them in Word and make the edits in paper.yaml"], keys
