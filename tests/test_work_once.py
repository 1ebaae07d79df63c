"""Work a build would otherwise do twice is done once: a text with
``{{ … }}`` is compiled once per build however often the paper uses it,
and not again by a watch's next build (the Memory it keeps); what is read
stays the same."""
from __future__ import annotations

import jinja2

from conftest import ROOT
from paperpipe import native
from paperpipe.context import Context, Memory
from paperpipe.errors import Problems
from paperpipe.readers.content import read_paper
from paperpipe.readers.sandbox import Sandbox

CONTENT, TEMPLATES = ROOT / "content", ROOT / "templates"


def read(memory: Memory):
    doc, problems = read_paper(CONTENT, TEMPLATES, Problems(CONTENT), context=Context(CONTENT, TEMPLATES, memory=memory))
    assert doc is not None and not problems.errors, [str(p) for p in problems.items]
    return native.dump(doc.blocks)


def test_a_text_with_expressions_is_compiled_once_per_build_and_per_watch(monkeypatch):
    compiled = []
    compile_text = Sandbox.compile

    def counted(self, source, name=None, *args, **kwargs):
        if name is None:  # a text of the paper (a macros file has its name)
            compiled.append(source)
        return compile_text(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "compile", counted)
    memory = Memory()
    first = read(memory)
    texts = list(compiled)
    assert len(texts) > 5 and len(texts) == len(set(texts))  # the paper's title is used five times: compiled once
    compiled.clear()
    assert read(memory) == first  # a watch's next build: nothing compiled again, the same document
    assert compiled == []
    assert read(Memory()) == first  # a new process compiles them again, with the same result
    assert sorted(compiled) == sorted(texts)


def test_the_glyph_check_reads_the_fonts_characters_without_naming_their_glyphs():
    """The characters a face can draw, read with its glyphs numbered, are
    the ones fontTools' own reading (glyphs named from the character map) finds."""
    from fontTools.ttLib import TTFont

    from paperpipe.theme.glyphs import _cmap

    for face in sorted((TEMPLATES / "fonts").glob("*.ttf")):
        with TTFont(face, lazy=True) as font:
            named = frozenset(font.getBestCmap())
        assert _cmap(str(face), face.stat().st_mtime) == named and ord("é") in named and 0x4E00 not in named, face


def test_a_command_line_build_looks_for_garbage_cycles_less_often(tmp_path):
    """build.py's settings of the garbage collector (paperpipe/collector.py):
    far fewer passes over the build's objects, the same files; a watch gets
    Python's own settings back."""
    import gc

    from conftest import MINI
    from paperpipe import collector
    from paperpipe.pipeline import build

    passes = []

    def count(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    def built(out):
        passes.clear()
        gc.callbacks.append(count)
        try:
            build(MINI, TEMPLATES, out, ("pdf", "html"))
        finally:
            gc.callbacks.remove(count)
        return len(passes), {f.name: f.read_bytes() for f in out.iterdir() if f.is_file()}

    before = gc.get_threshold()
    try:
        gc.set_threshold(*collector.PYTHON)
        python_passes, python_files = built(tmp_path / "python")
        collector.one_shot()
        tuned_passes, tuned_files = built(tmp_path / "tuned")
        assert tuned_files == python_files
        assert tuned_passes * 5 < python_passes, (tuned_passes, python_passes)
        collector.for_watch()
        assert gc.get_threshold() == collector.PYTHON
    finally:
        gc.set_threshold(*before)


def test_a_pass_that_changes_nothing_copies_nothing():
    """The tree maps keep every node whose parts come back unchanged (the
    model is immutable: a copy would be equal and only cost); a changed
    node is copied with its ancestors alone, and the result reads the same."""
    from dataclasses import replace

    from paperpipe import model as m
    from paperpipe.visit import map_all_inlines, map_blocks, walk

    doc, problems = read_paper(CONTENT, TEMPLATES, Problems(CONTENT))
    blocks = doc.blocks
    assert all(a is b for a, b in zip(map_blocks(blocks, lambda block: block), blocks))
    assert all(a is b for a, b in zip(map_all_inlines(blocks, lambda node: node), blocks))
    target = next(t for block in walk(blocks) for t in getattr(block, "children", ()) if isinstance(t, m.Text) and t.text.strip())
    changed = map_all_inlines(blocks, lambda node: replace(node, text=node.text.upper()) if node is target else node)
    kept = [a is b for a, b in zip(changed, blocks)]
    assert kept.count(False) == 1 and len(kept) > 10  # only the section holding the text is new
    assert native.dump(changed) == native.dump(blocks).replace(target.text, target.text.upper(), 1)


def test_a_paragraph_breaks_its_lines_once_per_width_and_lays_out_as_before(monkeypatch):
    """reportlab wraps a paragraph again and again at one width (to measure a
    kept-together group, a float, a table row, then in its frame): its lines
    are broken once per width, and a paragraph broken once lays out as one
    broken each time."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as Plain

    from paperpipe.writers.pdf.words import Paragraph

    broken = []
    plain_break = Plain.breakLines

    def counted(self, width):
        broken.append(max(width) if isinstance(width, (list, tuple)) else width)  # reportlab passes [first line, others]
        return plain_break(self, width)

    monkeypatch.setattr(Plain, "breakLines", counted)
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12)
    text = "Clusters drive the green and digital transition of Europe's industrial ecosystems. " * 6
    para = Paragraph(text, style)
    sizes = [para.wrap(200, 800) for _ in range(4)]
    assert broken == [200] and len(set(sizes)) == 1
    assert para.wrap(300, 800) != sizes[0] and broken == [200, 300]  # another width: broken anew
    para.wrap(200, 800)
    assert broken == [200, 300, 200]  # only the last width is kept
    monkeypatch.setattr(Plain, "breakLines", plain_break)
    fresh = Paragraph(text, style)
    assert fresh.wrap(200, 800) == sizes[0]
    assert repr(fresh.blPara.lines) == repr(para.blPara.lines) and len(para.blPara.lines) > 2


def test_the_macros_compiled_code_is_kept_in_the_builds_memory_not_in_the_process(monkeypatch):
    """The compiled macro files were kept in a module-level cache, shared by
    every build of the process and bounded only by the number of files: they
    are now in the build context's Memory (bounded), as the other caches."""
    from paperpipe.readers import templates as jinja

    assert not any(isinstance(v, jinja2.BytecodeCache) for v in vars(jinja).values())  # no cache of the module's own
    compiled = []
    compile_text = Sandbox.compile

    def counted(self, source, name=None, *args, **kwargs):
        if name is not None:  # a macros file
            compiled.append(name)
        return compile_text(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "compile", counted)
    memory = Memory()
    first = read(memory)
    assert compiled and len(memory.macros) == len(set(compiled)) <= memory.macros.limit
    compiled.clear()
    assert read(memory) == first and compiled == []  # a watch's next build: the macros are not compiled again
    assert read(Memory()) == first and compiled  # another build's memory: compiled again


def test_a_check_lays_out_every_format_but_cuts_no_font_for_the_page(tmp_path):
    """--check renders the page to find its problems (a figure it cannot
    inline, a line it cannot hold) but keeps nothing: cutting the house
    font's four faces for it (a third of a small paper's build) found none,
    the glyph check has read the fonts already. A build cuts them."""
    from conftest import MINI
    from paperpipe.pipeline import build, check

    memory = Memory()
    loaded = check(MINI, TEMPLATES, memory=memory)
    assert not loaded.problems.errors and len(memory.drawings) == 2  # its figure and the cover logo, drawn for the layout
    assert len(memory.subsets) == 0
    build(MINI, TEMPLATES, tmp_path / "out", ("html",), memory=memory)
    page = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert len(memory.subsets) == len(loaded.theme.fonts.files) == 4 and page.count("@font-face") == 4
