"""Work a build would otherwise do twice is done once: a text with
``{{ … }}`` is compiled once per build however often the paper uses it,
and not again by a watch's next build (the Memory it keeps); what is read
stays the same."""
from __future__ import annotations

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
