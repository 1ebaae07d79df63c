"""paperpipe review on a PDF proof marked up as Acrobat marks it up:
highlights, underlines, squiggles, strike-outs, a replace (strike-out and
caret grouped by /IRT /RT /Group), an insert caret, sticky notes, a
typewriter note, a reply and a review state, some saved with the whole
file and some in an incremental update appended to it. Each mark's place
is found on the page by pdfium from the words it covers; each expected
file:line by searching the content files."""
from __future__ import annotations

import re

import pikepdf
import pypdfium2 as pdfium
import pytest

from test_review import finding, review, where

AUTHOR = "Anna Acrobat"
DATE = "D:20261130101500+01'00'"


def page_text(page) -> str:
    textpage = page.get_textpage()
    return textpage.get_text_range(0, textpage.count_chars()).replace("\r", " ").replace("\n", " ")


def locate_phrase(path, phrase: str, nth: int = 0):
    """(page index, [quad per line], rect) of the nth time ``phrase`` is printed (-1: the last)."""
    pdf = pdfium.PdfDocument(str(path))
    hits = []
    for number in range(len(pdf)):
        text = page_text(pdf[number])
        pattern = r"\s+".join(re.escape(word) for word in phrase.split(" "))
        hits += [(number, found.start(), found.end()) for found in re.finditer(pattern, text)]
    number, at, end = hits[nth]
    textpage = pdf[number].get_textpage()
    lines: dict[int, list] = {}
    for i in range(at, end):
        box = textpage.get_charbox(i)
        if box[2] > box[0]:
            lines.setdefault(round(box[1]), []).append(box)
    quads, rect = [], [1e9, 1e9, -1e9, -1e9]
    for boxes in lines.values():
        x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
        y0, y1 = min(b[1] for b in boxes) - 1, max(b[3] for b in boxes) + 1
        quads += [x0, y1, x1, y1, x0, y0, x1, y0]  # upper left, upper right, lower left, lower right
        rect = [min(rect[0], x0), min(rect[1], y0), max(rect[2], x1), max(rect[3], y1)]
    return number, quads, rect


def text_string(value: str) -> str:
    """A PDF text string as Acrobat writes one: UTF-16BE with its byte order mark."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def annot(subtype: str, rect, contents: str = "", **extra) -> str:
    """An annotation dictionary as Acrobat writes it (less its appearance stream)."""
    entries = {"/Type": "/Annot", "/Subtype": f"/{subtype}", "/Rect": "[" + " ".join(f"{v:.2f}" for v in rect) + "]",
               "/T": text_string(extra.pop("author", AUTHOR)), "/M": f"({DATE})", "/CreationDate": f"({DATE})",
               "/F": "4", "/C": "[1 0.8 0]", "/NM": text_string(f"nm-{abs(hash((subtype, tuple(rect), contents)))}")}
    if contents:
        entries["/Contents"] = text_string(contents)
    for key, value in extra.items():
        entries["/" + key] = value
    return "<< " + " ".join(f"{k} {v}" for k, v in entries.items()) + " >>"


def quads_of(quads) -> str:
    return "[" + " ".join(f"{v:.2f}" for v in quads) + "]"


class Proof:
    """The paper's PDF with annotations: ``add`` collects them (each may name
    others by their place in the list as {N}); ``save_whole`` writes them
    with pikepdf; ``append`` writes more as an incremental update."""

    def __init__(self, source):
        self.source = source
        self.pending: list[tuple[int, str]] = []

    def add(self, page: int, text: str) -> int:
        self.pending.append((page, text))
        return len(self.pending) - 1

    def _numbers(self, first: int) -> dict[str, str]:
        return {str(i): f"{first + i} 0 R" for i in range(len(self.pending))}

    def save_whole(self, target):
        with pikepdf.open(self.source) as pdf:
            made = []
            for page, text in self.pending:
                made.append(pdf.make_indirect(pikepdf.Dictionary()))
            for (page, text), obj in zip(self.pending, made):
                # /IRT names an annotation made here: set below, once pikepdf has numbered them
                parsed = pikepdf.Object.parse(re.sub(r"/IRT \{\d+\}", "", text).encode())
                for key, value in parsed.items():
                    obj[key] = value
                obj.P = pdf.pages[page].obj
                pdf.pages[page].obj.Annots = pdf.make_indirect(pikepdf.Array(list(pdf.pages[page].obj.get("/Annots", [])) + [obj]))
            for (page, text), obj in zip(self.pending, made):
                for key in ("/IRT",):
                    target_ref = re.search(r"/IRT \{(\d+)\}", text)
                    if target_ref:
                        obj[key] = made[int(target_ref.group(1))]
            pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True)
        self.pending = []

    def append(self, target):
        """An incremental update: new objects, the pages that list them, a new xref and trailer after the old ones."""
        data = target.read_bytes()
        with pikepdf.open(target) as pdf:
            size = int(pdf.trailer.Size)
            root = pdf.Root.objgen
            refs = self._numbers(size)
            pages = {}
            for i, (page, text) in enumerate(self.pending):
                pages.setdefault(page, []).append(size + i)
            page_dicts = {}
            for page, numbers in pages.items():
                obj = pdf.pages[page].obj
                old = [a.objgen for a in obj.get("/Annots", [])]
                annots = " ".join(f"{n} {g} R" for n, g in old) + " " + " ".join(f"{n} 0 R" for n in numbers)
                body = obj.unparse(resolved=True).decode("latin-1")
                body = re.sub(r"/Annots (\[[^\]]*\]|\d+ \d+ R)", "", body)
                page_dicts[obj.objgen] = body[:-2] + f" /Annots [ {annots} ] >>"
            page_numbers = {page: pdf.pages[page].obj.objgen for page in pages}
        prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
        out = bytearray(data if data.endswith(b"\n") else data + b"\n")
        offsets = {}
        for i, (page, text) in enumerate(self.pending):
            offsets[(size + i, 0)] = len(out)
            number, gen = page_numbers[page]
            body = re.sub(r"\{(\d+)\}", lambda m: refs[m.group(1)], text)[:-2] + f" /P {number} {gen} R >>"
            out += f"{size + i} 0 obj\n{body}\nendobj\n".encode("latin-1")
        for objgen, body in page_dicts.items():
            offsets[objgen] = len(out)
            out += f"{objgen[0]} {objgen[1]} obj\n{body}\nendobj\n".encode("latin-1")
        xref = len(out)
        out += b"xref\n"
        for (number, gen), offset in sorted(offsets.items()):
            out += f"{number} 1\n{offset:010d} {gen:05d} n \n".encode()
        out += f"trailer\n<< /Size {size + len(self.pending)} /Root {root[0]} {root[1]} R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n".encode()
        target.write_bytes(bytes(out))
        self.pending = []


def page_break_paragraph(path):
    """A paragraph the PDF breaks over two pages: its last words on one page and first on the next."""
    pdf = pdfium.PdfDocument(str(path))
    texts = [pdfium_lines(pdf[n]) for n in range(len(pdf))]
    from conftest import CONTENT

    content = [line for p in CONTENT.rglob("*.md") for line in p.read_text(encoding="utf-8").splitlines()]
    for n in range(len(texts) - 1):
        body, following = [l for l in texts[n] if len(l.split()) > 6], [l for l in texts[n + 1][2:] if l.strip()]
        if not body or not following:
            continue
        end, start = " ".join(body[-1].split()[-4:]), " ".join(following[0].split()[:4])
        if sum(f"{end} {start}" in line for line in content) == 1:
            return n, end, start
    pytest.skip("no paragraph of the paper runs over a page break")


def pdfium_lines(page) -> list[str]:
    textpage = page.get_textpage()
    return textpage.get_text_range(0, textpage.count_chars()).split("\r\n")


@pytest.fixture(scope="session")
def proof(paper_out, tmp_path_factory):
    source = next(paper_out.glob("*.pdf"))
    target = tmp_path_factory.mktemp("proof") / "proof-with-notes.pdf"
    marks = Proof(source)
    page, quads, rect = locate_phrase(source, "hybrid set-up")
    first = marks.add(page, annot("Highlight", rect, "Which platform?", QuadPoints=quads_of(quads)))
    marks.add(page, annot("Text", [rect[0], rect[3], rect[0] + 20, rect[3] + 20], "Teams and Zoom.", author="Bob Reply", IRT=f"{{{first}}}", RT="/R"))
    marks.add(page, annot("Text", [rect[0], rect[3], rect[0] + 20, rect[3] + 20], "Accepted set by Bob Reply", author="Bob Reply",
                          IRT=f"{{{first}}}", State="(Accepted)", StateModel="(Review)"))
    page, quads, rect = locate_phrase(source, " physical and")
    marks.add(page, annot("StrikeOut", rect, QuadPoints=quads_of(quads)))
    page, quads, rect = locate_phrase(source, "welcomed")
    strike = marks.add(page, annot("StrikeOut", rect, QuadPoints=quads_of(quads), IT="/StrikeOutTextEdit"))
    marks.add(page, annot("Caret", [rect[2] - 3, rect[1], rect[2] + 3, rect[1] + 8], "greeted", IRT=f"{{{strike}}}", RT="/Group", IT="/Replace", Sy="/P"))
    page, quads, rect = locate_phrase(source, "structured around two")
    marks.add(page, annot("Caret", [rect[2] - 3, rect[1], rect[2] + 3, rect[1] + 8], " main", Sy="/None"))
    page, quads, rect = locate_phrase(source, "Policy Toolkit Database", -1)
    marks.add(page, annot("Text", [rect[0] + 60, rect[1] - 80, rect[0] + 80, rect[1] - 60], "Is this figure up to date?", Name="/Comment"))
    page, quads, rect = locate_phrase(source, "Welcome from the Île-de-France Region")
    marks.add(page, annot("Underline", rect, "Greetings?", QuadPoints=quads_of(quads)))
    page, quads, rect = locate_phrase(source, "Lauréline Renault")
    marks.add(page, annot("Squiggly", rect, "Spelling of her name?", QuadPoints=quads_of(quads)))
    page, quads, rect = locate_phrase(source, "Capacity-building sessions", -1)
    marks.add(page, annot("FreeText", [rect[2] + 10, rect[1], rect[2] + 150, rect[3]], "workshops, not sessions",
                          IT="/FreeTextTypeWriter", DA="(/Helv 10 Tf 0 g)"))
    n, end, start = page_break_paragraph(source)
    pdf = pdfium.PdfDocument(str(source))
    for number, words, last in ((n, end, True), (n + 1, start, False)):
        # every time the words are printed, page by page: the paragraph's end is the last time on its
        # page (the same words may stand higher up, in a table), its start the first time on the next
        pattern = r"\s+".join(re.escape(word) for word in words.split(" "))
        hits = [i for i in range(len(pdf)) for _ in re.finditer(pattern, page_text(pdf[i]))]
        on_page = [k for k, i in enumerate(hits) if i == number] or [0]
        which = on_page[-1] if last else on_page[0]
        page, quads, rect = locate_phrase(source, words, which)
        marks.add(page, annot("Highlight", rect, "Over the page: shorten?", QuadPoints=quads_of(quads)))
    marks.save_whole(target)
    # a second round of notes, saved as Acrobat saves by default: appended to the file
    later = Proof(target)
    for phrase, note in (("key challenge around green transition", "main?"), ("shared value initiatives", "hyphen?"),
                         ("Regional Council of the Île-de-France Region", "full name?")):
        page, quads, rect = locate_phrase(target, phrase)
        later.add(page, annot("Highlight", rect, note, QuadPoints=quads_of(quads), author="Carl Later"))
    page, quads, rect = locate_phrase(target, "Saint-Ouen, France", 3)  # in a running header
    later.add(page, annot("Highlight", rect, "add Paris?", QuadPoints=quads_of(quads), author="Carl Later"))
    later.append(target)
    return {"file": target, "break": (end, start)}


def test_pdf_annotations_at_their_lines(proof, capsys, monkeypatch):
    code, lines, err = review(capsys, monkeypatch, str(proof["file"]))
    assert code == 0, err
    assert b"%%EOF" in proof["file"].read_bytes()[:-10] and proof["file"].read_bytes().count(b"startxref") >= 2  # incremental
    expected = [
        ("It took place in a hybrid set-up", "comment", "Anna Acrobat", "“Which platform?”", "on “hybrid set-up”"),
        ("The audience was welcomed to the event", "deletion", "“physical and”"),
        ("The audience was welcomed to the event", "replacement", "“welcomed” → “greeted”"),
        ("The panel was structured around two questions", "insertion", "“ main”", "after “"),
        ("![Policy Toolkit Database]", "comment", "“Is this figure up to date?”"),
        ("title: Welcome from the Île-de-France Region", "comment", "“Greetings?”"),
        ("name: Lauréline Renault", "comment", "“Spelling of her name?”"),
        ("## Capacity-building sessions", "comment", "“workshops, not sessions”"),
        ("what is the key challenge around green", "comment", "Carl Later", "“main?”"),
        ("implement shared value initiatives", "comment", "“hyphen?”"),
        ("Regional Council of the Île-de-France Region", "comment", "“full name?”"),
        ("place: Saint-Ouen", "comment", "“add Paris?”"),
        (f"{proof['break'][0]} {proof['break'][1]}", "comment", "“Over the page: shorten?”"),
    ]
    for literal, kind, *words in expected:
        finding(lines, where(literal), kind, *words)
    at = where("It took place in a hybrid set-up")
    reply = lines.index(finding(lines, at, "comment", "“Which platform?”")) + 1
    assert lines[reply] == f"{at}: comment: reply by Bob Reply (2026-11-30): “Teams and Zoom.”"
    assert not any("Accepted" in line for line in lines)  # a review state is not a finding
    assert len(lines) == len(expected) + 1, "\n".join(lines)


def test_odd_annotations_replies_in_a_ring_and_entries_of_the_wrong_type(paper_out, tmp_path, capsys, monkeypatch):
    """Two notes answering each other were both dropped unsaid; a number as author or an array as text
    printed pikepdf's own notation ("pikepdf.Array([ 1 ])"); month 99 printed as a date."""
    source = next(paper_out.glob("*.pdf"))
    target = tmp_path / "odd.pdf"
    marks = Proof(source)
    page, quads, rect = locate_phrase(source, "hybrid set-up")
    first = marks.add(page, annot("Highlight", rect, "Ring one", QuadPoints=quads_of(quads)))
    second = marks.add(page, annot("Text", rect, "Ring two", IRT=f"{{{first}}}", RT="/R"))
    marks.add(page, annot("Text", rect, "Ring three", IRT=f"{{{second}}}", RT="/R"))
    marks.save_whole(target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        annots = list(pdf.pages[page].obj.Annots)
        ring = [a for a in annots if str(a.get("/Contents", "")).startswith("Ring")]
        ring[0].IRT = ring[2]  # one answers three: the three answer each other round
        ring[1].T = pikepdf.Array([1])
        ring[1].M = pikepdf.String("D:20269999")
        ring[2].Contents = pikepdf.Dictionary(A=1)
        pdf.save(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 0, err
    text = "\n".join(lines)
    at = where("It took place in a hybrid set-up")
    assert text.count(f"{at}: comment: ") == 3, text
    assert "“Ring one”" in text and "reply by no author: “Ring two”" in text, text
    assert "pikepdf" not in text and "9999" not in text, text


def test_marks_over_too_many_pieces_of_text_are_refused(paper_out, tmp_path, capsys, monkeypatch):
    """QuadPoints of a million numbers took a minute a mark, and ended in 'internal error: std::bad_cast'."""
    source = next(paper_out.glob("*.pdf"))
    target = tmp_path / "quads.pdf"
    marks = Proof(source)
    page, quads, rect = locate_phrase(source, "hybrid set-up")
    marks.add(page, annot("Highlight", rect, "everything", QuadPoints=quads_of(quads * 1001)))
    marks.save_whole(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 1 and lines == [], err
    assert "quads.pdf: a mark on page" in err and "covers more than 1,000 pieces of text" in err, err


def test_a_note_not_found_in_the_papers_own_pdf_does_not_call_it_stale(paper_out, tmp_path, capsys, monkeypatch):
    """A PDF's running headers and page numbers keep its share of the paper's words near 80%: a note that
    could not be placed made review say the file 'was made from other content than the paper's now'."""
    source = next(paper_out.glob("*.pdf"))
    target = tmp_path / "footer.pdf"
    marks = Proof(source)
    marks.add(2, annot("Text", [0, 0, 20, 20], "Page number font?"))
    marks.save_whole(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 0, err
    assert len(lines) == 1 and "not found in the content" in lines[0] and "“Page number font?”" in lines[0], lines
    assert "made from other content" not in err, err


def test_a_page_with_too_much_text_is_refused(tmp_path, capsys, monkeypatch):
    """A 36 kB PDF whose 200 pages share one content stream of 940,000 characters ran past a minute
    (pdfium read every page); a page with more text than a paper's page stops the reading."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    stream = pdf.make_stream(b"BT /F1 2 Tf 2 TL 10 800 Td " + b"(the green and digital transition of clusters ) Tj T* " * 2500 + b" ET")
    for _ in range(3):
        pdf.add_blank_page(page_size=(600, 850))
        pdf.pages[-1].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        pdf.pages[-1].obj.Contents = stream
    path = tmp_path / "dense.pdf"
    pdf.save(path)
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == [], err
    assert "dense.pdf: this PDF is not a paper made here: page 1 holds 117,4" in err and "characters, more than the 100,000 a page" in err, err


def test_notes_written_in_the_page_list_are_not_replies_to_each_other(paper_out, tmp_path, capsys, monkeypatch):
    """Annotations written directly in /Annots all have the object number (0, 0), and so has a dictionary
    written in /IRT: a note whose /IRT was such a copy became a reply to the direct annotation."""
    source = next(paper_out.glob("*.pdf"))
    page, quads, rect = locate_phrase(source, "hybrid set-up")
    target = tmp_path / "direct.pdf"
    with pikepdf.open(source) as pdf:
        notes = [pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Highlight, Rect=rect, QuadPoints=quads,
                                    Contents=pikepdf.String(text), T=pikepdf.String(who)) for text, who in (("First", "Ann"), ("Second", "Ben"))]
        notes[0].IRT = pikepdf.Dictionary(Subtype=pikepdf.Name.Text)  # a copy, not a reference: answers no one
        pdf.pages[page].obj.Annots = pikepdf.Array([pdf.make_indirect(notes[0]), notes[1]])
        pdf.save(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 0, err
    at = where("It took place in a hybrid set-up")
    assert sorted(lines) == sorted([f"{at}: comment: Ann: “First” on “hybrid set-up”", f"{at}: comment: Ben: “Second” on “hybrid set-up”"]), lines


def test_control_characters_in_a_note_are_shown_not_sent_to_the_terminal(paper_out, tmp_path, capsys, monkeypatch):
    """A note's text went to the terminal as it stood: ANSI escapes cleared the screen or retitled the window,
    and a right-to-left override reordered the line as shown."""
    source = next(paper_out.glob("*.pdf"))
    page, quads, rect = locate_phrase(source, "hybrid set-up")
    target = tmp_path / "escapes.pdf"
    with pikepdf.open(source) as pdf:
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Highlight, Rect=rect, QuadPoints=quads,
                                  Contents=pikepdf.String("\x1b[2J\x1b]0;owned\x07 ok \u202eevil"), T=pikepdf.String("Eve\x1b[8m"))
        pdf.pages[page].obj.Annots = pikepdf.Array([pdf.make_indirect(note)])
        pdf.save(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 0, err
    at = where("It took place in a hybrid set-up")
    assert lines == [f"{at}: comment: Eve<U+001B>[8m: “<U+001B>[2J<U+001B>]0;owned<U+0007> ok <U+202E>evil” on “hybrid set-up”"], lines


def test_a_list_of_links_shared_by_every_page_is_refused(paper_out, tmp_path, capsys, monkeypatch):
    """One /Annots array of 200,000 links given to every page: 17 pages took 10 s, 2,000 pages would take
    half an hour (links were skipped without being counted). Here with the limit lowered to 1,000."""
    from paperpipe.review import pdf as reader

    monkeypatch.setattr(reader, "MAX_ENTRIES", 1_000)
    source = next(paper_out.glob("*.pdf"))
    target = tmp_path / "links.pdf"
    with pikepdf.open(source) as pdf:
        link = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 1, 1]))
        shared = pdf.make_indirect(pikepdf.Array([link] * 600))
        for page in pdf.pages:
            page.obj.Annots = shared
        pdf.save(target)
    code, lines, err = review(capsys, monkeypatch, str(target))
    assert code == 1 and lines == [], err
    assert "links.pdf: the PDF's pages list more than 1,000 annotations and links by page 2" in err, err


def test_only_a_ring_of_replies_is_cut_and_each_reply_is_walked_up_once():
    """A reply leading into a ring (C answers A, A and B answer each other,
    C first in the file) was cut from A as if it were the ring's; each note
    walked its whole chain up again, n²/2 steps for a chain of n replies."""
    from paperpipe.review.pdf import _Annot, _cut_rings

    steps = []

    class Note(_Annot):
        def __getattribute__(self, name):  # each step up a chain reads a note's irt
            if name == "irt":
                steps.append(1)
            return object.__getattribute__(self, name)

    def note(key, irt):
        return Note((key, 0), 1, "/Text", key, "", "", (irt, 0) if irt else None, "", "", [], (0, 0, 0, 0))

    c, a, b = note("C", "A"), note("A", "B"), note("B", "A")
    _cut_rings([c, a, b])
    assert (c.irt, a.irt, b.irt) == (("A", 0), None, ("A", 0))  # A, the ring's first in the file, starts it

    chain = [note(f"n{i}", f"n{i - 1}" if i else None) for i in range(20_000)]
    steps.clear()
    by_key = _cut_rings(list(reversed(chain)))  # the last reply first: its walk climbs the whole chain
    assert len(steps) < 3 * len(chain), len(steps)
    assert len(by_key) == 20_000 and all(n.irt == ((f"n{i - 1}", 0) if i else None) for i, n in enumerate(chain))
