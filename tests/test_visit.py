"""The one walk over the model (paperpipe/visit.py): every node type has a
shape, every writer's visitor a method for each, and a node nobody was
taught raises in every walker instead of vanishing from an output."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from conftest import ROOT, mini_paper
from paperpipe import model as m
from paperpipe.native import dump
from paperpipe.visit import SHAPES, UnknownNode, Visitor, map_all_inlines, map_blocks, walk
from paperpipe.writers import Job, writer


@dataclass(frozen=True)
class Stray:
    """A node type the model does not know."""

    text: str = "lost words"
    source: m.Source = m.NOWHERE


def _visitors() -> list[type]:
    import paperpipe.native
    import paperpipe.writers.docx.blocks
    import paperpipe.writers.docx.inlines
    import paperpipe.writers.html.blocks
    import paperpipe.writers.html.inlines
    import paperpipe.writers.pdf.document  # noqa: F401

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)
    return [cls for cls in below(Visitor) if cls.__module__.startswith("paperpipe.")]


INLINE_TYPES = {t for t in SHAPES if t in m.Inline.__args__}
BLOCK_TYPES = set(SHAPES) - INLINE_TYPES


def test_every_node_type_of_the_model_has_a_shape():
    assert set(m.Inline.__args__) | set(m.Block.__args__) == set(SHAPES)


@pytest.mark.parametrize("visitor", _visitors(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_each_visitor_handles_every_block_or_every_inline_type(visitor):
    names = {n[len("visit_"):] for n in dir(visitor) if n.startswith("visit_")}
    blocks, inlines = {SHAPES[t].name for t in BLOCK_TYPES}, {SHAPES[t].name for t in INLINE_TYPES}
    assert blocks <= names or inlines <= names, f"{visitor.__name__} misses {sorted(blocks - names)} or {sorted(inlines - names)}"


def test_walkers_raise_on_an_unknown_block_and_an_unknown_inline():
    para = m.Paragraph((m.Text("a"), Stray()))
    with pytest.raises(UnknownNode, match="Stray"):
        list(walk((Stray(),)))
    with pytest.raises(UnknownNode, match="Stray"):
        map_blocks((m.Sidebar((Stray(),)),), lambda b: b)
    with pytest.raises(UnknownNode, match="Stray"):
        map_all_inlines((para,), lambda n: n)
    with pytest.raises(UnknownNode, match="Stray"):
        dump((Stray(),))
    with pytest.raises(UnknownNode, match="Stray"):
        dump((para,))


@pytest.fixture(scope="module")
def mini():
    return mini_paper()  # the worker's one load of the mini paper (conftest): only read here


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("where", ["block", "inline"])
def test_each_writer_raises_on_an_unknown_node_instead_of_dropping_it(mini, fmt, where):
    doc = mini.doc
    if where == "block":
        doc = replace(doc, blocks=doc.blocks + (Stray(),))
    else:
        doc = replace(doc, blocks=doc.blocks + (m.Paragraph((m.Text("kept "), Stray())),))
    with pytest.raises(UnknownNode, match="Stray"):
        writer(fmt).render(doc, mini.theme, Job(0.0, ROOT / "templates"))


def test_the_native_form_shows_a_quotation_and_who_said_it():
    quote = m.Quote((m.Paragraph((m.Text("Words."),)),), attribution=(m.Text("Ann, Org"),))
    assert dump((quote,)) == "Quote\n  Para Words.\n  Attribution Ann, Org"
    assert dump((m.Sidebar((m.Paragraph((m.Text("x"),)),), "T"),)) == "Sidebar 'T'\n  Para x"
