"""paperpipe review on a DOCX carrying Word's own markup, written with lxml
into a copy of the paper's DOCX as Word 2016 and later write it: rsids on
runs, ``w14:paraId`` on paragraphs, a replacement (``w:del`` + ``w:ins``),
a deleted paragraph mark, a move (``w:moveFrom``/``w:moveTo`` with their
range marks), a comment and its reply (``commentsExtended.xml`` with
``w15:paraIdParent``), ``people.xml``. And files that must be refused:
another kind of file, a damaged zip, a zip bomb, a password-protected
(encrypted) file, a paper made from other content."""
from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from test_review import finding, review, where

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
NS = {"w": W, "w14": W14, "w15": W15}
WHO = {f"{{{W}}}author": "Wanda Word", f"{{{W}}}date": "2026-11-29T10:15:00Z"}


def w(tag: str, **attrs) -> etree._Element:
    element = etree.Element(f"{{{W}}}{tag}", nsmap={"w": W, "w14": W14, "w15": W15})
    for key, value in attrs.items():
        element.set(f"{{{W}}}{key}" if ":" not in key else key, value)
    return element


def isolate(body, needle: str, nth: int = 0):
    """The run holding exactly ``needle``, split out of the run it stood in."""
    seen = 0
    for t in body.iter(f"{{{W}}}t"):
        if t.text and needle in t.text:
            if seen < nth:
                seen += 1
                continue
            run = t.getparent()
            text, at = t.text, t.text.find(needle)
            parts = [text[:at], needle, text[at + len(needle):]]
            made = []
            for part in parts:
                if part:
                    piece = copy.deepcopy(run)
                    piece.set(f"{{{W}}}rsidR", "00C4A1F2")
                    piece.find(f"{{{W}}}t").text = part
                    piece.find(f"{{{W}}}t").set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    made.append((part, piece))
            parent, index = run.getparent(), run.getparent().index(run)
            parent.remove(run)
            for offset, (_, piece) in enumerate(made):
                parent.insert(index + offset, piece)
            return next(piece for part, piece in made if part == needle)
    raise AssertionError(f"{needle!r} is not in one run of the DOCX")


def delete(run, tag: str = "del", **attrs):
    """Wrap ``run`` as deleted (or moved away): its w:t becomes w:delText."""
    wrapper = w(tag, id=attrs.pop("id", "901"), **attrs)
    for key, value in WHO.items():
        wrapper.set(key, value)
    run.addprevious(wrapper)
    wrapper.append(run)
    run.set(f"{{{W}}}rsidDel", "00C4A1F2")
    run.find(f"{{{W}}}t").tag = f"{{{W}}}delText"
    return wrapper


def inserted(text: str, tag: str = "ins", ident: str = "902"):
    wrapper = w(tag, id=ident)
    for key, value in WHO.items():
        wrapper.set(key, value)
    run = w("r", rsidR="00C4A1F2")
    t = w("t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    wrapper.append(run)
    return wrapper


def word_review(docx: bytes) -> bytes:
    """The paper's DOCX as it comes back from a reviewer working in Word."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    document = etree.fromstring(source.read("word/document.xml"))
    body = document.find(f"{{{W}}}body")
    for number, paragraph in enumerate(body.iter(f"{{{W}}}p")):  # Word numbers every paragraph
        paragraph.set(f"{{{W14}}}paraId", f"{0x10000000 + number:08X}")
        paragraph.set(f"{{{W14}}}textId", "77777777")
        paragraph.set(f"{{{W}}}rsidR", "00A21B3C")
    # a replacement: deleted, then inserted
    old = isolate(body, "COVID-19 pandemic")
    delete(old).addnext(inserted("pandemic"))
    # a deleted paragraph mark: "It took place …" and "This output paper …" become one paragraph
    paragraph = next(p for p in body.iter(f"{{{W}}}p") if "It took place" in "".join(p.itertext()))
    properties = paragraph.find(f"{{{W}}}pPr")
    marks = properties.find(f"{{{W}}}rPr")
    if marks is None:
        marks = etree.SubElement(properties, f"{{{W}}}rPr")
    gone = etree.SubElement(marks, f"{{{W}}}del", {f"{{{W}}}id": "903", **WHO})
    assert gone is not None
    # a move: a sentence moved to the end of its paragraph
    sentence = " She highlighted the need for its promotion towards policymakers."
    moved = isolate(body, sentence)
    holder = moved.getparent()
    start = w("moveFromRangeStart", id="904", name="move1")
    for key, value in WHO.items():
        start.set(key, value)
    moved.addprevious(start)
    wrapper = delete(moved, "moveFrom", id="905")
    wrapper.addnext(w("moveFromRangeEnd", id="904"))
    holder.append(w("moveToRangeStart", id="906", name="move1"))
    holder.append(inserted(sentence, "moveTo", "907"))
    holder.append(w("moveToRangeEnd", id="906"))
    # a comment with a reply, on two words
    target = isolate(body, "hybrid set-up")
    for ident in ("0", "1"):  # Word anchors a reply on its comment's words too
        target.addprevious(w("commentRangeStart", id=ident))
    after = target
    for ident in ("0", "1"):
        end = w("commentRangeEnd", id=ident)
        after.addnext(end)
        reference = w("r")
        reference.append(w("commentReference", id=ident))
        end.addnext(reference)
        after = reference
    files = {name: source.read(name) for name in source.namelist()}
    files["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    files["word/comments.xml"] = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W}" xmlns:w14="{W14}">
<w:comment w:id="0" w:author="Wanda Word" w:date="2026-11-29T10:20:00Z" w:initials="WW"><w:p w14:paraId="2A000001" w14:textId="2A000001"><w:r><w:annotationRef/></w:r><w:r><w:t>Which platform was used?</w:t></w:r></w:p></w:comment>
<w:comment w:id="1" w:author="Ralf Reply" w:date="2026-11-29T11:00:00Z" w:initials="RR"><w:p w14:paraId="2A000002" w14:textId="2A000002"><w:r><w:annotationRef/></w:r><w:r><w:t>Teams, with a room on site.</w:t></w:r></w:p></w:comment>
</w:comments>""".encode()
    files["word/commentsExtended.xml"] = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="2A000001" w15:done="0"/><w15:commentEx w15:paraId="2A000002" w15:paraIdParent="2A000001" w15:done="0"/></w15:commentsEx>""".encode()
    files["word/people.xml"] = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people xmlns:w15="{W15}"><w15:person w15:author="Wanda Word"><w15:presenceInfo w15:providerId="None" w15:userId="Wanda Word"/></w15:person><w15:person w15:author="Ralf Reply"><w15:presenceInfo w15:providerId="None" w15:userId="Ralf Reply"/></w15:person></w15:people>""".encode()
    types = files["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                          '<Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/>'
                          '<Override PartName="/word/people.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/></Types>')
    files["[Content_Types].xml"] = types.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>'
                        '<Relationship Id="rIdC2" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/>'
                        '<Relationship Id="rIdC3" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/></Relationships>')
    files["word/_rels/document.xml.rels"] = rels.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return out.getvalue()


def parts(docx: bytes) -> dict[str, bytes]:
    """A Word file's parts, by name."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    return {name: source.read(name) for name in source.namelist()}


def zipped(files: dict[str, bytes], path: Path) -> Path:
    """``files`` written as a Word file at ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return path


def inserted_after(docx: bytes, needle: str, text: str, path: Path) -> Path:
    """The Word file with ``text`` inserted, as a tracked change, after the words ``needle``."""
    files = parts(docx)
    document = etree.fromstring(files["word/document.xml"])
    isolate(document.find(f"{{{W}}}body"), needle).addnext(inserted(text))
    files["word/document.xml"] = etree.tostring(document)
    return zipped(files, path)


@pytest.fixture(scope="module")
def paper_docx(paper_out) -> bytes:
    return next(paper_out.glob("*.docx")).read_bytes()


def test_word_markup_changes_moves_comments_and_replies(paper_docx, tmp_path, capsys, monkeypatch):
    returned = tmp_path / "returned from Word.docx"
    returned.write_bytes(word_review(paper_docx))
    code, lines, err = review(capsys, monkeypatch, str(returned))
    assert code == 0, err
    hybrid = where("It took place in a hybrid set-up")
    finding(lines, hybrid, "replacement", "Wanda Word (2026-11-29)", "“COVID-19 pandemic” → “pandemic”")
    finding(lines, hybrid, "deletion", "“ ¶ ”", "paragraphs joined")
    moved = where("She highlighted the need for its promotion")
    finding(lines, moved, "deletion", "moved away", "“ She highlighted the need")
    finding(lines, moved, "insertion", "moved here", "“ She highlighted the need")
    comment = finding(lines, hybrid, "comment", "Wanda Word (2026-11-29)", "“Which platform was used?”", "on “hybrid set-up”")
    reply = lines[lines.index(comment) + 1]
    assert reply == f"{hybrid}: comment: reply by Ralf Reply (2026-11-29): “Teams, with a room on site.”"
    assert len(lines) == 6, "\n".join(lines)


@pytest.mark.parametrize("name, make, says", [
    ("notes.txt", lambda docx: b"just some text\n", "neither a Word .docx nor a PDF"),
    ("cut.docx", lambda docx: docx[: len(docx) // 2], "damaged or cut short"),
    ("bomb.docx", None, "zip bomb"),
    ("locked.docx", lambda docx: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "password-protected"),
    ("broken.pdf", lambda docx: b"%PDF-1.7\n1 0 obj <<\n", "damaged or cut short"),
    ("missing.docx", None, "does not exist"),
])
def test_bad_returned_files_refused_with_a_message(paper_docx, tmp_path, capsys, monkeypatch, name, make, says):
    path = tmp_path / name
    if name == "bomb.docx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
            bomb.writestr("word/document.xml", b"<" + b" " * 50_000_000 + b">")
    elif make is not None:
        path.write_bytes(make(paper_docx))
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == []
    assert says in err and name in err and "Traceback" not in err and "internal error" not in err, err


def test_encrypted_pdf_refused(paper_out, tmp_path, capsys, monkeypatch):
    import pikepdf

    locked = tmp_path / "locked.pdf"
    with pikepdf.open(next(paper_out.glob("*.pdf"))) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))
    code, lines, err = review(capsys, monkeypatch, str(locked))
    assert code == 1 and "password-protected" in err and "locked.pdf" in err


def test_another_papers_docx_refused(mini_out, capsys, monkeypatch):
    # the mini paper's DOCX, as the run built it once (conftest.mini_out)
    code, lines, err = review(capsys, monkeypatch, str(next(mini_out.glob("*.docx"))))
    assert code == 1 and "not a paper made from this content" in err and lines == []


def test_word_changes_applied_paragraph_mark_and_move_included(paper_docx, tmp_path, capsys, monkeypatch):
    import shutil

    from conftest import CONTENT, ROOT
    from paperpipe.pipeline import load

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    returned = tmp_path / "returned.docx"
    returned.write_bytes(word_review(paper_docx))
    code, lines, err = review(capsys, monkeypatch, str(returned), "--content", str(content), "--apply")
    assert code == 0, err + "\n".join(lines)
    assert sum(": applied: " in line for line in lines) == 4 and "not applied" not in "\n".join(lines)
    agenda = (content / "sections" / "01-agenda.md").read_text(encoding="utf-8")
    assert "by the pandemic. This output paper provides" in agenda  # replaced, and two paragraphs joined
    opening = (content / "sections" / "03-1-opening-session.md").read_text(encoding="utf-8")
    assert opening.count("She highlighted the need for its promotion towards policymakers.") == 1
    assert "a reality. She highlighted the need for its promotion towards policymakers." in opening
    load(content, ROOT / "templates")  # the paper still reads (raises on any error)


def test_xml_entities_are_not_expanded_and_build_py_runs_the_command(paper_docx, tmp_path):
    """A DOCX whose XML declares entities (an external file, a 'billion laughs'):
    nothing is fetched or expanded; run as editors run it, python build.py review."""
    import subprocess
    import sys

    from conftest import ROOT

    files = parts(paper_docx)
    document = files["word/document.xml"].decode("utf-8")
    head, body = document.split("?>", 1)
    laughs = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 1 if i else "ha"}{("&l" + str(i - 1) + ";") * 9 if i else ""}">' for i in range(8))
    doctype = f'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">{laughs}]>'
    body = body.replace("It took place in a", "It took place &secret;&l7; in a", 1)
    files["word/document.xml"] = (head + "?>" + doctype + body).encode("utf-8")
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "review", str(hostile)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stderr and "root:" not in result.stdout + result.stderr
    assert "haha" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert result.returncode == 1 and "hostile.docx" in result.stderr and "entities" in result.stderr, result.stderr


def _with_body(docx: bytes, texts: list[str]) -> bytes:
    """The paper's DOCX with its body made of these paragraphs (no tracked changes)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    document = etree.fromstring(source.read("word/document.xml"))
    body = document.find(f"{{{W}}}body")
    for child in [c for c in body if c.tag != f"{{{W}}}sectPr"]:
        body.remove(child)
    for text in texts:
        paragraph = w("p")
        run = etree.SubElement(paragraph, f"{{{W}}}r")
        etree.SubElement(run, f"{{{W}}}t").text = text
        body.insert(0, paragraph)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, etree.tostring(document) if name == "word/document.xml" else source.read(name))
    return out.getvalue()


@pytest.mark.parametrize("name, texts, says", [
    # one word over and over: difflib compared each with each, for hours
    ("the.docx", ["the " * 1000] * 3, "is not a paper made from this content"),
    # the paper's text eight times over: far longer than a paper, refused before it is compared
    ("eight.docx", None, "words, far more than the"),
])
def test_files_that_would_take_hours_to_compare_are_refused_at_once(paper_docx, tmp_path, capsys, monkeypatch, name, texts, says):
    import difflib

    from paperpipe.review.docx import read_docx

    if texts is None:
        texts = read_docx(paper_docx).text.split("\n") * 8
    calls = []
    compare = difflib.SequenceMatcher.find_longest_match

    def counted(self, *args):
        calls.append(1)
        if len(calls) > 200:  # the paper's own file needs some 30
            raise AssertionError("the file was compared word by word at length")
        return compare(self, *args)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counted)
    path = tmp_path / name
    path.write_bytes(_with_body(paper_docx, texts))
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == [] and says in err and name in err, err
    assert "check --content, or that this is the right file" in err


def test_alignment_work_is_bounded(paper_docx, tmp_path, capsys, monkeypatch):
    """Past MAX_WORK comparisons the alignment stops with a message, whatever the file holds."""
    from paperpipe.review import align

    monkeypatch.setattr(align, "MAX_WORK", 10_000)
    path = tmp_path / "returned.docx"
    path.write_bytes(word_review(paper_docx))
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == [], err
    assert "returned.docx: the file's text differs from the paper made from this content in too many places" in err, err


@pytest.mark.parametrize("encoding, lead", [("utf-8", "<!--" + "x" * 70_000 + "-->"), ("utf-16", "")])
def test_entities_declared_late_or_in_utf16_are_refused(paper_docx, tmp_path, capsys, monkeypatch, encoding, lead):
    """A declaration after 64 kB of comment, or in UTF-16, was read and its entity dropped from the text unsaid."""
    source = zipfile.ZipFile(io.BytesIO(paper_docx))
    document = source.read("word/document.xml").decode("utf-8")
    body = document[document.index("<w:document"):].replace("It took place in a", "It took place &lol; in a", 1)
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?>{lead}<!DOCTYPE w:document [<!ENTITY lol "lol">]>{body}'
    path = tmp_path / "late.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, text.encode(encoding) if name == "word/document.xml" else source.read(name))
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == [], err
    assert "late.docx: the part 'word/document.xml' of the Word file declares a document type or entities" in err, err


@pytest.mark.parametrize("mark, says", [("change", "holds 1 tracked change,"), ("comment", "holds 1 comment,")])
def test_changes_and_comments_in_the_running_header_are_told(paper_docx, tmp_path, capsys, monkeypatch, mark, says):
    """A tracked change in header1.xml was dropped without a word; a comment there was placed at the cover's first words."""
    files = parts(paper_docx)
    header = etree.fromstring(files["word/header1.xml"])
    run = header.find(f".//{{{W}}}r")
    if mark == "change":
        delete(run)
    else:
        run.addnext(w("commentRangeStart", id="7"))
        reference = w("r")
        reference.append(w("commentReference", id="7"))
        run.getparent().append(reference)
        files["word/comments.xml"] = (f'<w:comments xmlns:w="{W}"><w:comment w:id="7" w:author="Hed"><w:p><w:r><w:t>Shorter title?'
                                      '</w:t></w:r></w:p></w:comment></w:comments>').encode()
    files["word/header1.xml"] = etree.tostring(header)
    path = zipped(files, tmp_path / "header.docx")
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 0 and lines == [], err + "\n".join(lines)
    assert f"header.docx: note: the page header or footer {says} which review does not list" in err, err
    assert "make the edits in paper.yaml" in err


def test_a_change_on_the_cover_is_placed_in_paper_yaml(paper_docx, tmp_path, capsys, monkeypatch):
    """The cover's block was named by paper.yaml's full path, the index by its shown name: never the same block,
    so an insertion in the title was 'not found', with 'the nearest block is /…/content/paper.yaml:0'."""
    files = parts(paper_docx)
    document = etree.fromstring(files["word/document.xml"])
    title = isolate(document.find(f"{{{W}}}body"), "Clusters Driving the Green and Digital Transition")
    title.addprevious(inserted("New "))
    files["word/document.xml"] = etree.tostring(document)
    path = zipped(files, tmp_path / "cover.docx")
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 0, err
    assert lines == [f"{where('title: Clusters Driving the Green')}: insertion: Wanda Word (2026-11-29): inserted “New ” "
                     "before “Clusters Driving the Green”"], lines


def test_comments_anchored_nowhere_are_told_not_placed_at_the_cover(paper_docx, tmp_path, capsys, monkeypatch):
    """A comment in comments.xml that no range or reference in the text names was put at offset 0:
    reported on the cover's title as if the reviewer had commented on it."""
    files = parts(paper_docx)
    files["word/comments.xml"] = (f'<w:comments xmlns:w="{W}"><w:comment w:id="5" w:author="Lost Soul"><w:p><w:r>'
                                  '<w:t>Where am I?</w:t></w:r></w:p></w:comment></w:comments>').encode()
    path = zipped(files, tmp_path / "loose.docx")
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 0 and lines == [], lines
    assert ("loose.docx: note: 1 comment is not anchored anywhere in the text, so review cannot place it: "
            "Lost Soul: “Where am I?” (read them in Word)") in err, err


def test_applied_words_that_look_like_a_template_print_as_typed(paper_docx, tmp_path, capsys, monkeypatch):
    """An inserted '{{ 7*7 }}' was written into the section as it stands: the next build printed 49."""
    import shutil

    from conftest import CONTENT, ROOT
    from paperpipe.pipeline import load, render

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = inserted_after(paper_docx, "hybrid set-up", " {{ 7*7 }} {% if true %}", tmp_path / "braces.docx")
    code, lines, err = review(capsys, monkeypatch, str(path), "--content", str(content), "--apply")
    assert code == 0 and sum(": applied: " in line for line in lines) == 1, err + "\n".join(lines)
    assert "braces.docx: 1 change written into 1 file; build the paper to see them" in err, err
    html = render(load(content, ROOT / "templates"), ("html",), ROOT / "templates")[0]["html"].decode("utf-8")
    assert "hybrid set-up {{ 7*7 }} {% if true %}" in html and " 49 " not in html


def test_template_braces_are_not_applied_into_a_data_file(paper_docx, tmp_path, capsys, monkeypatch):
    """'{{' written into a YAML value broke the next build (at the section line that prints the value)."""
    import shutil

    from conftest import CONTENT

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = (content / "data" / "people.yaml").read_bytes()
    path = inserted_after(paper_docx, "Lauréline Renault", " {{ 6*7 }}", tmp_path / "braces.docx")
    code, lines, err = review(capsys, monkeypatch, str(path), "--content", str(content), "--apply")
    text = "\n".join(lines)
    assert code == 1 and "not applied: insertion of “ {{ 6*7 }}”" in text and "read as a template call" in text, err + text
    assert (content / "data" / "people.yaml").read_bytes() == before


@pytest.mark.parametrize("name, change, says", [
    ("strict.docx", lambda xml: xml.replace(W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
     "the file is saved as a 'Strict Open XML Document'; save it in Word as 'Word Document (*.docx)'"),
    ("other.docx", lambda xml: b'<?xml version="1.0"?><x/>', "the file's document part is not a Word document"),
])
def test_a_document_part_of_another_kind_is_named(paper_docx, tmp_path, capsys, monkeypatch, name, change, says):
    """Word's 'Strict' format (another namespace) and a part of another kind read as no text at all:
    'this file is not a paper made from this content (only 0% of its words are in it)'."""
    source = zipfile.ZipFile(io.BytesIO(paper_docx))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.namelist():
            data = source.read(part)
            target.writestr(part, change(data) if part == "word/document.xml" else data)
    code, lines, err = review(capsys, monkeypatch, str(path))
    assert code == 1 and lines == [] and f"{name}: {says}" in err.replace(str(tmp_path) + "/", ""), err


def test_a_pipe_or_device_is_refused_before_it_is_opened(tmp_path, capsys, monkeypatch):
    """A named pipe made review wait for ever (open blocks until a writer comes) and /dev/zero filled the
    memory ('internal error: MemoryError'): only a regular file is read."""
    import os
    from pathlib import Path

    pipe = tmp_path / "returned.docx"
    os.mkfifo(pipe)
    opened = []
    real_open = Path.open

    def guarded(self, *args, **kwargs):
        if self == pipe:  # opening the pipe would block this test for ever
            opened.append(self)
            raise AssertionError("the pipe was opened")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    monkeypatch.setattr(Path, "read_bytes", lambda self: guarded(self) and b"")
    for path in (str(pipe), "/dev/zero"):
        code, lines, err = review(capsys, monkeypatch, path)
        assert code == 1 and lines == [], err
        assert f"{path if path == '/dev/zero' else 'returned.docx'}: this is not a file but a device or a pipe" in err, err
    assert not opened


def test_a_mark_s_date_is_printed_only_when_it_is_a_real_day():
    """'2023-02-31' passed as a date (each part was checked on its own); an ISO week date is no day either."""
    from paperpipe.review.docx import day

    assert [day(v) for v in ("2021-11-22T10:05:00Z", "2024-02-29", "2023-02-31", "2021-99-01", "2023-W01-1", "0000-01-01", "")] \
        == ["2021-11-22", "2024-02-29", "", "", "", "", ""]
