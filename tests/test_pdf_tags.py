"""The tagged PDF (PDF/UA-1): structure tree, marked content, document
entries, and what real checkers (poppler, pdfua, outloud) say about the
paper and the mini paper."""
from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import CONTENT, MINI, ROOT, mini_paper, needs, real_paper
from paperpipe import model as m
from paperpipe.visit import plain_text
from paperpipe.pipeline import load

PAPER_PDF = "D4.04b06-clusters-driving-the-green-and-digital-transition.pdf"
MINI_PDF = "T1.01-maritime-clusters.pdf"
PAPERS = [("paper_out", PAPER_PDF, CONTENT), ("mini_out", MINI_PDF, MINI)]

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "BI", "INLINE IMAGE"}


def _pdf(request, fixture: str, name: str) -> Path:
    return request.getfixturevalue(fixture) / name


def _read(content: Path):
    """The paper of ``content`` as the worker read it once (conftest): these tests only read it."""
    return {CONTENT: real_paper, MINI: mini_paper}[content]()


# ----------------------------------------------------------------------------- the structure tree
def _elements(pdf: pikepdf.Pdf):
    """(element, depth) of the whole tree, in order."""
    def kids(el):
        k = el.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def walk(el, depth):
        yield el, depth
        for k in kids(el):
            if isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in (pikepdf.Name.MCR, pikepdf.Name.OBJR) and "/S" in k:
                yield from walk(k, depth + 1)

    root = pdf.Root.StructTreeRoot
    for top in kids(root):
        yield from walk(top, 0)


def _roles(pdf: pikepdf.Pdf) -> collections.Counter:
    return collections.Counter(str(el.S)[1:] for el, _ in _elements(pdf))


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# ----------------------------------------------------------------------------- content walker
def _walk_content(pdf: pikepdf.Pdf):
    """For every painting operator on every page (forms included), yield
    (page index, operator, marked stack) and check marked content nests
    properly.  The stack holds ("Artifact", None) or (tag, mcid)."""
    for index, page in enumerate(pdf.pages):
        stack: list = []

        def walk(stream, resources, depth):
            local = 0
            for operands, op in pikepdf.parse_content_stream(stream):
                op = str(op)
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])[1:]
                    mcid = None
                    if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                        mcid = int(operands[1].MCID)
                    stack.append((tag, mcid))
                    local += 1
                elif op == "EMC":
                    assert local > 0, f"page {index + 1}: EMC without BDC/BMC"
                    stack.pop()
                    local -= 1
                elif op == "Do":
                    xobj = resources.XObject[operands[0]]
                    if xobj.Subtype == pikepdf.Name.Form and depth < 8:
                        yield index, "Do(form)", list(stack)
                        yield from walk(xobj, xobj.get("/Resources", resources), depth + 1)
                    else:
                        yield index, op, list(stack)
                elif op in PAINT:
                    yield index, op, list(stack)
            assert local == 0, f"page {index + 1}: a marked-content sequence is left open"

        yield from walk(page, page.Resources, 0)


@pytest.mark.parametrize("fixture,name,_content", PAPERS)
def test_all_content_is_tagged_or_an_artifact(request, fixture, name, _content):
    """Every painting operator sits in an artifact or in an MCID that the
    parent tree gives to an element; no MCID inside an artifact or in
    another MCID; every MCID of the parent tree is drawn exactly once."""
    with pikepdf.open(_pdf(request, fixture, name)) as pdf:
        parents = _parent_tree(pdf)
        problems, seen = [], collections.Counter()
        painted = 0
        for index, op, stack in _walk_content(pdf):
            painted += 1
            owners = parents[int(pdf.pages[index].StructParents)]
            artifacts = [s for s in stack if s[0] == "Artifact"]
            tagged = [s for s in stack if s[1] is not None]
            if artifacts and tagged or len(tagged) > 1:
                problems.append((index + 1, op, stack, "nested"))
            elif tagged:
                mcid = tagged[0][1]
                if mcid >= len(owners) or not isinstance(owners[mcid], pikepdf.Dictionary):
                    problems.append((index + 1, op, stack, "MCID owned by no element"))
                seen[(index, mcid)] += 1
            elif not artifacts:
                problems.append((index + 1, op, stack, "neither tagged nor artifact"))
        assert painted > 100
        assert not problems, problems[:5]
        for index, page in enumerate(pdf.pages):
            owners = parents[int(page.StructParents)]
            drawn = {mcid for (p, mcid) in seen if p == index}
            assert drawn == set(range(len(owners))), f"page {index + 1}: MCIDs in the parent tree that are not drawn"


def test_structure_tree_of_the_paper(paper_out):
    loaded = real_paper()
    doc = loaded.doc
    with pikepdf.open(paper_out / PAPER_PDF) as pdf:
        roles = _roles(pdf)
        elements = list(_elements(pdf))
        # one H<level> per heading, plus the cover title and the three front-matter titles
        headings = [b for b in _blocks(doc.blocks) if isinstance(b, m.Heading)]
        for level in (1, 2, 3):
            assert roles[f"H{level}"] == sum(1 for h in headings if h.level == level) + (3 if level == 1 else 0)
        assert roles["Title"] == 1 and pdf.Root.StructTreeRoot.RoleMap.Title == pikepdf.Name.H1
        assert roles["Aside"] == sum(isinstance(b, m.Sidebar) for b in _blocks(doc.blocks))
        assert pdf.Root.StructTreeRoot.RoleMap.Aside == pikepdf.Name.Div
        lists = [b for b in _blocks(doc.blocks) if isinstance(b, (m.BulletList, m.OrderedList))]
        assert roles["L"] == len(lists)
        assert roles["LI"] == roles["Lbl"] == roles["LBody"] == sum(len(x.items) for x in lists)
        # a nested list sits inside its item's LBody
        assert any(str(el.S) == "/L" and str(el.P.S) == "/LBody" for el, _ in elements)
        assert roles["Table"] == sum(isinstance(b, m.Table) for b in _blocks(doc.blocks))
        assert roles["TOC"] == 3 and roles["TOCI"] == len(doc.contents) + len(doc.figures) + len(doc.tables)
        # the sections nest like the numbers
        sects = [el for el, _ in elements if str(el.S) == "/Sect"]
        assert len(sects) == len(headings) + 3
        h3 = next(el for el, _ in elements if str(el.S) == "/H3")
        assert str(h3.P.P.S) == "/Sect" and str(h3.P.P.P.S) == "/Sect"
        # header cells have a scope (the header rows' a column, the agenda's times a row), merged agenda cells their spans
        ths = [el for el, _ in elements if str(el.S) == "/TH"]
        scopes = {str(el.A.Scope) for el in ths}
        assert ths and scopes == {"/Column", "/Row"}, scopes
        assert any("/A" in el and "/ColSpan" in el.A for el, _ in elements if str(el.S) in ("/TD", "/TH"))
        # figures: Alt that is not the caption; the caption beside them
        figures = [el for el, _ in elements if str(el.S) == "/Figure"]
        logos = [el for el in figures if str(el.P.S) == "/Document"]  # on the cover, each with its own alt text
        assert len(logos) == len(loaded.theme.cover.logos) and all(str(el.Alt).strip() for el in logos)
        figures = [el for el in figures if el not in logos]
        images = [b for b in _blocks(doc.blocks) if isinstance(b, m.Image)]
        assert len(figures) == len(images)
        for el, image in zip(figures, images):
            assert str(el.Alt) == image.description and len(image.description) > 40
            caption = next(str(k.S) for k in el.P.K if k.get("/S") is not None)
            assert caption == "/Caption"
        # a panel figure's table carries its alt text as the table's summary
        panels = [b for b in _blocks(doc.blocks) if isinstance(b, m.Figure) and any(isinstance(x, m.Table) for x in b.body)]
        summaries = [str(el.A.Summary) for el, _ in elements if str(el.S) == "/Table" and "/A" in el and "/Summary" in el.A]
        assert panels and summaries == [p.description for p in panels]
        # an SVG figure is one element: its inner text is content of the Figure only
        assert all(not any(isinstance(k, pikepdf.Dictionary) and "/S" in k for k in _kids(el)) for el in figures)
        # links: one Link element with an OBJR per annotation, each annotation described
        annots = [a for page in pdf.pages for a in page.get("/Annots", [])]
        objrs = [k for el, _ in elements if str(el.S) == "/Link" for k in _kids(el) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR]
        assert len(annots) == len(objrs) >= 30
        assert {a.objgen for a in annots} == {o.Obj.objgen for o in objrs}
        assert all(str(a.Contents).strip() and int(a.F) & 4 for a in annots)
        parents = _parent_tree(pdf)
        for el, _ in elements:
            for k in _kids(el):
                if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR:
                    assert parents[int(k.Obj.StructParent)].objgen == el.objgen


def _kids(el):
    k = el.get("/K")
    return [] if k is None else (list(k) if isinstance(k, pikepdf.Array) else [k])


def _blocks(blocks):
    for b in blocks:
        yield b
        if isinstance(b, (m.BulletList, m.OrderedList)):
            for item in b.items:
                yield from _blocks(item)
        elif isinstance(b, m.Table):
            for row in b.rows:
                for cell in row.cells:
                    yield from _blocks(cell.blocks)
        elif isinstance(b, m.Figure):
            yield from _blocks(b.body)
        elif isinstance(b, m.Sidebar):
            yield from _blocks(b.blocks)


@pytest.mark.parametrize("fixture,name,content", PAPERS)
def test_document_entries(request, fixture, name, content):
    language = _read(content).doc.meta.language
    with pikepdf.open(_pdf(request, fixture, name)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == language
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.pdf_version >= "1.7"
        xmp = bytes(root.Metadata.read_bytes()).decode("utf-8")
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert str(pdf.docinfo.Title) in xmp.replace("&amp;", "&")
        assert f"<dc:language><rdf:Bag><rdf:li>{language}</rdf:li>" in xmp
        assert all(page.Tabs == pikepdf.Name.S for page in pdf.pages)
        labels = root.PageLabels.Nums
        assert int(labels[2]) == 1 and labels[3].S == pikepdf.Name.D and labels[3].St == 1  # page 2 is printed "1"


@needs("pdffonts")
@pytest.mark.parametrize("fixture,name,_content", PAPERS)
def test_every_font_maps_to_unicode(request, fixture, name, _content):
    out = subprocess.run(["pdffonts", str(_pdf(request, fixture, name))], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(row.split()[-3] == "yes" for row in rows), out  # the "uni" column


# ----------------------------------------------------------------------------- reading order
def _struct_text(path: Path) -> str:
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    return "".join(line[line.index('"') + 1:line.rindex('"')] for line in out.splitlines() if line.count('"') >= 2)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _texts(doc: m.Document):
    """What the paper says, block by block, in reading order."""
    for b in _blocks(doc.blocks):
        if isinstance(b, m.Heading):
            yield (b.number + " " if b.number else "") + plain_text(b.children)
        elif isinstance(b, m.Paragraph):
            yield plain_text(b.children)
        elif isinstance(b, (m.Table, m.Figure)) and b.caption:
            yield plain_text(b.caption)
        elif isinstance(b, m.Sidebar) and b.title:
            yield b.title


@needs("pdfinfo")
@pytest.mark.parametrize("fixture,name,content", PAPERS)
def test_struct_text_is_the_whole_text_in_reading_order(request, fixture, name, content):
    path = _pdf(request, fixture, name)
    doc = _read(content).doc
    tagged = _squash(_struct_text(path))
    at = 0
    for text in _texts(doc):
        found = tagged.find(_squash(text), at)
        assert found >= 0, f"not found after position {at}: {text[:80]!r}"
        at = found + len(_squash(text))
    # every paragraph and heading reads word for word — in lists, sidebars
    # and table cells too: a line break is a word boundary exactly where the
    # text has a space, and a long word broken in a narrow cell stays one word
    spaced = re.sub(r"\s+", " ", _struct_text(path))
    checked = 0
    for block in _blocks(doc.blocks):
        if isinstance(block, (m.Heading, m.Paragraph)):
            text = re.sub(r"\s+", " ", next(_texts(m.Document(doc.meta, (block,), doc.root)))).strip()
            assert text in spaced, text[:80]
            checked += 1
    assert checked > len([b for b in doc.blocks if isinstance(b, (m.Heading, m.Paragraph))])


@needs("pdfinfo")
def test_running_header_and_repeated_table_header_are_not_read(paper_out):
    doc = real_paper().doc
    tagged = _squash(_struct_text(paper_out / PAPER_PDF))
    printed = _squash(subprocess.run(["pdftotext", str(paper_out / PAPER_PDF), "-"], capture_output=True, text=True, check=True).stdout)
    place = _squash(doc.meta.header[-1])
    pages = len(pikepdf.open(paper_out / PAPER_PDF).pages)
    assert printed.count(place) >= pages - 1  # printed in the header of every page but the cover
    assert tagged.count(place) < printed.count(place) - (pages - 3)
    # the agenda's header row is printed on each page it runs over, read once
    assert printed.count("TimingDescription") >= 2
    assert tagged.count("TimingDescription") == 1


# ----------------------------------------------------------------------------- checkers
def _tool(name: str):
    return pytest.mark.skipif(shutil.which(name) is None, reason=f"{name} is not installed")


@_tool("pdfua")
@pytest.mark.parametrize("fixture,name,_content", PAPERS)
def test_pdfua_checker_finds_nothing(request, fixture, name, _content):
    out = subprocess.run(["pdfua", "check", "-f", "json", str(_pdf(request, fixture, name))], capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["summary"]["rules_run"] >= 12
    assert report["findings"] == [] and report["skipped"] == [], report
    assert out.returncode == 0


def _continued_table_pages(path: Path) -> set[int]:
    """1-based pages where a Table element goes on from an earlier page."""
    pages = set()
    with pikepdf.open(path) as pdf:
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        for el, _ in _elements(pdf):
            if str(el.S) != "/Table":
                continue
            start = index[el.Pg.objgen]
            stack = [el]
            while stack:
                e = stack.pop()
                for k in _kids(e):
                    if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                        stack.append(k)
                if "/Pg" in e and index[e.Pg.objgen] != start:
                    pages.add(index[e.Pg.objgen] + 1)
                for k in _kids(e):
                    if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR and index[k.Pg.objgen] != start:
                        pages.add(index[k.Pg.objgen] + 1)
    return pages


@_tool("outloud")
@pytest.mark.parametrize("fixture,name,_content", PAPERS)
def test_outloud_checker_finds_nothing(request, fixture, name, _content):
    """No errors and no warnings, but one known blind spot: outloud looks for
    a Table element by its /Pg only, and an element has one /Pg, so the pages
    a long table runs on to are "a grid no table covers" (TBL-014).  The
    warning is accepted on exactly those pages."""
    path = _pdf(request, fixture, name)
    out = subprocess.run(["outloud", "--json", "-", str(path)], capture_output=True, text=True)
    result = json.loads(out.stdout)["results"][0]
    assert result["error"] is None and result["stats"]["tagged"]
    continued = _continued_table_pages(path)
    unexpected = [f for f in result["findings"] if f["severity"] != "info" and not (f["rule"] == "TBL-014" and f["page"] in continued)]
    assert unexpected == [], unexpected
    assert result["counts"]["error"] == 0


# ----------------------------------------------------------------------------- links own their text
def _struct_tree(path: Path) -> dict:
    """pdfinfo -struct-text as a tree: {"role", "text" (own text lines), "objects", "kids"}."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    root = {"role": "", "text": [], "objects": 0, "kids": [], "order": []}
    stack = [(-1, root)]
    for line in out.splitlines():
        body = line.lstrip(" ")
        depth = len(line) - len(body)
        if not body or body.startswith("/"):  # blank or an attribute
            continue
        while stack[-1][0] >= depth:
            stack.pop()
        node = stack[-1][1]
        if body.startswith('"'):
            node["text"].append(body[1:body.rindex('"')])
            node["order"].append(body[1:body.rindex('"')])
        elif re.fullmatch(r"Object \d+ \d+", body):
            node["objects"] += 1
        else:
            kid = {"role": body.split()[0].rstrip(":"), "text": [], "objects": 0, "kids": [], "order": [], "parent": node}
            node["kids"].append(kid)
            node["order"].append(kid)
            stack.append((depth, kid))
    return root


def _nodes(node):
    yield node
    for k in node["kids"]:
        yield from _nodes(k)


def _all_text(node) -> str:
    return "".join(x if isinstance(x, str) else _all_text(x) for x in node["order"])


def _inline_links(inlines):
    """The text of every link and cross-reference in the inline nodes, in order."""
    for node in inlines:
        if isinstance(node, m.Ref):
            yield plain_text(node.children) if node.children else node.label
        elif isinstance(node, m.Link):
            yield plain_text(node.children)
        elif hasattr(node, "children"):
            yield from _inline_links(node.children)


def _without_links(inlines) -> str:
    return "".join("" if isinstance(node, (m.Ref, m.Link)) else plain_text((node,)) if not hasattr(node, "children")
                   else _without_links(node.children) for node in inlines)


def _model_inlines(doc: m.Document):
    """The inline content of every block that can hold links, in reading order."""
    for b in _blocks(doc.blocks):
        if isinstance(b, (m.Heading, m.Paragraph)):
            yield b.children
        elif isinstance(b, (m.Table, m.Figure)) and b.caption:
            yield b.caption


def _model_links(doc: m.Document):
    for inlines in _model_inlines(doc):
        yield from _inline_links(inlines)


@needs("pdfinfo")
@pytest.mark.parametrize("fixture,name,content", PAPERS)
def test_link_elements_own_their_text(request, fixture, name, content):
    """PDF/UA: a Link element holds the marked content of its text and the
    OBJR of its annotation(s); the paragraph around it does not read the
    link's text a second time, and no Link repeats it as /Alt."""
    path = _pdf(request, fixture, name)
    doc = _read(content).doc
    tree = _struct_tree(path)
    links = [n for n in _nodes(tree) if n["role"] == "Link" and n["parent"]["role"] != "TOCI"]
    expected = list(_model_links(doc))
    assert len(expected) >= (10 if content == CONTENT else 1)
    assert [_squash("".join(n["text"])) for n in links] == [_squash(t) for t in expected]
    blocks = {(_squash(plain_text(inl)), _squash(_without_links(inl))) for inl in _model_inlines(doc)}
    for n in links:
        assert n["objects"] >= 1 and not n["kids"], n["text"]
        # the element around the link reads its text once: its own MCIDs are
        # the block's text without the links' text
        parent = n["parent"]
        full, own = _squash(_all_text(parent)), _squash("".join(parent["text"]))
        assert any(full.endswith(mf) and own.endswith(mo) and len(full) - len(mf) == len(own) - len(mo)
                   for mf, mo in blocks), (full[:80], own[:80])
    # every MCID kid and OBJR kid of the Link elements, by pikepdf
    with pikepdf.open(path) as pdf:
        link_els = [el for el, _ in _elements(pdf) if str(el.S) == "/Link" and str(el.P.S) != "/TOCI"]
        assert len(link_els) == len(links)
        for el in link_els:
            kids = _kids(el)
            assert any(isinstance(k, int) or (isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR) for k in kids)
            assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR for k in kids)
            assert "/Alt" not in el


@needs("pdfinfo")
def test_a_paragraph_that_is_one_link_reads_it_once(tmp_path):
    """A paragraph that is a link from end to end (reportlab draws it as one
    run) holds a Link with the text and the annotation; a link across a line
    break is one Link with one annotation per line."""
    import shutil as sh

    import yaml

    from conftest import copy_templates
    from paperpipe.pipeline import render

    templates = copy_templates(tmp_path / "templates")
    paper = tmp_path / "paper"
    (paper / "sections").mkdir(parents=True)
    sh.copytree(MINI / "figures", paper / "figures")
    meta = dict(yaml.safe_load((MINI / "paper.yaml").read_text(encoding="utf-8")), sections=["sections/one.md"])
    (paper / "paper.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    long = "the link text that runs on over the end of the line and onto the next line of the paragraph"
    (paper / "sections" / "one.md").write_text(
        "# Links {#links}\n\n[The maritime clusters portal](https://example.org/portal)\n\n"
        f"Words before [{long}](https://example.org/long) and after.\n", encoding="utf-8")
    data, _ = render(load(paper, templates), ("pdf",), templates)
    path = tmp_path / "one.pdf"
    path.write_bytes(data["pdf"])
    links = [n for n in _nodes(_struct_tree(path)) if n["role"] == "Link" and n["parent"]["role"] != "TOCI"]
    assert [("".join(n["text"]).strip(), n["objects"]) for n in links] == [
        ("The maritime clusters portal", 1), (long, 2)]
    assert [_squash("".join(n["parent"]["text"])) for n in links] == ["", "Wordsbeforeandafter."]
