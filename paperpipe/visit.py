"""The one walk over the document model: what each node type holds, and a
visitor that dispatches on it.

Every stage that looks into a document goes through this module: the
passes and the realize stage rebuild trees with ``map_blocks`` /
``map_inlines`` / ``rebuild``, the glyph check and the writers' helpers
read them with ``walk`` / ``inlines_of``, and the writers and
``native.dump`` subclass ``Visitor`` with one ``visit_<name>`` method per
node type. A node type missing from ``SHAPES``, or a visitor without a
method for it, raises ``UnknownNode`` — no walker ever skips a node
silently. Adding a node type = one row here and one method per visitor.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

from . import model as m


class UnknownNode(TypeError):
    """A node this walker has no rule for: a new node type reached a stage
    that was not taught it (a programming mistake, never the editor's)."""


@dataclass(frozen=True)
class Shape:
    """What a node type holds: its visitor name, the fields holding inline
    nodes, the fields holding blocks, and whether it holds list items (a
    tuple of block tuples) or table rows (rows of cells of blocks)."""

    name: str
    inlines: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    items: bool = False
    rows: bool = False


SHAPES: dict[type, Shape] = {
    # inlines
    m.Text: Shape("text"),
    m.Strong: Shape("strong", inlines=("children",)),
    m.Emph: Shape("emph", inlines=("children",)),
    m.Code: Shape("code"),
    m.LineBreak: Shape("line_break"),
    m.WordBreak: Shape("word_break"),
    m.Link: Shape("link", inlines=("children",)),
    m.Ref: Shape("ref", inlines=("children",)),
    # blocks
    m.Heading: Shape("heading", inlines=("children",)),
    m.Paragraph: Shape("paragraph", inlines=("children",)),
    m.BulletList: Shape("bullet_list", items=True),
    m.OrderedList: Shape("ordered_list", items=True),
    m.Table: Shape("table", inlines=("caption",), rows=True),
    m.Image: Shape("image"),
    m.Figure: Shape("figure", inlines=("caption",), blocks=("body",)),
    m.Sidebar: Shape("sidebar", blocks=("blocks",)),
    m.Quote: Shape("quote", inlines=("attribution",), blocks=("blocks",)),
    m.Admonition: Shape("admonition", blocks=("blocks",)),
}


def shape(node) -> Shape:
    """The shape of a node's exact type (a subclass is a type of its own)."""
    found = SHAPES.get(type(node))
    if found is None:
        raise UnknownNode(f"no walking rule for {type(node).__name__} nodes (add it to paperpipe/visit.py SHAPES)")
    return found


class Visitor:
    """Dispatches ``visit(node, ...)`` to ``visit_<name>(node, ...)`` by the
    node's exact type; a type without a method raises UnknownNode."""

    def visit(self, node, *args, **kwargs):
        name = shape(node).name
        method = getattr(self, "visit_" + name, None)
        if method is None:
            raise UnknownNode(f"{type(self).__name__} has no visit_{name} for {type(node).__name__} nodes")
        return method(node, *args, **kwargs)


# ----------------------------------------------------------------------------- reading
def block_children(block) -> Iterator[tuple]:
    """The block tuples a block holds, in reading order."""
    s = shape(block)
    if s.items:
        yield from block.items
    elif s.rows:
        for row in block.rows:
            for cell in row.cells:
                yield cell.blocks
    for name in s.blocks:
        yield getattr(block, name)


def inlines_of(node) -> Iterator[tuple]:
    """The inline tuples a node holds itself (not those of its child blocks)."""
    for name in shape(node).inlines:
        yield getattr(node, name)


def walk(blocks) -> Iterator:
    """Every block, depth first, in reading order (lists, cells, figures, boxes)."""
    for block in blocks:
        yield block
        for child in block_children(block):
            yield from walk(child)


def walk_inlines(inlines) -> Iterator:
    """Every inline node, depth first."""
    for node in inlines:
        yield node
        for child in inlines_of(node):
            yield from walk_inlines(child)


def all_inlines(blocks) -> Iterator:
    """Every inline node of every block, in reading order."""
    for block in walk(blocks):
        for inlines in inlines_of(block):
            yield from walk_inlines(inlines)


# ----------------------------------------------------------------------------- rebuilding
# A node whose parts all come back as the very same nodes is kept as it is,
# not copied: the model is immutable, so a copy would be equal and only cost
# (most steps of a pass change a few nodes of thousands).
def _same(new: tuple, old) -> bool:
    """Whether ``new`` holds the very nodes of the tuple ``old``."""
    return type(old) is tuple and len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _kept(old, new: tuple):
    """``old`` when ``new`` holds its very nodes, else ``new``."""
    return old if _same(new, old) else new


def _changed(node, **parts):
    """``node`` with ``parts`` (name -> new tuple), or ``node`` itself when none of them changed."""
    changes = {name: new for name, new in parts.items() if not _same(new, getattr(node, name))}
    return replace(node, **changes) if changes else node


def rebuild(block, fn: Callable[[tuple], tuple]):
    """The block with each of its block tuples replaced by ``fn(tuple)``."""
    s = shape(block)
    if s.items:
        block = _changed(block, items=tuple(_kept(item, fn(item)) for item in block.items))
    elif s.rows:
        block = _changed(block, rows=tuple(
            _changed(row, cells=tuple(_changed(c, blocks=fn(c.blocks)) for c in row.cells)) for row in block.rows))
    if s.blocks:
        block = _changed(block, **{name: fn(getattr(block, name)) for name in s.blocks})
    return block


def map_blocks(blocks, fn: Callable) -> tuple:
    """``fn`` applied to every block, depth first (a container after its
    contents), rebuilding the containers."""
    return tuple(fn(rebuild(block, lambda inner: map_blocks(inner, fn))) for block in blocks)


def map_inlines(inlines, fn: Callable) -> tuple:
    """``fn`` applied to every inline node, depth first, rebuilding the containers."""
    return tuple(fn(map_own_inlines(node, lambda inner: map_inlines(inner, fn))) for node in inlines)


def map_own_inlines(node, fn: Callable[[tuple], tuple]):
    """The node with each inline tuple it holds itself replaced by ``fn(tuple)``."""
    s = shape(node)
    return _changed(node, **{name: fn(getattr(node, name)) for name in s.inlines}) if s.inlines else node


def map_all_inlines(blocks, fn: Callable) -> tuple:
    """``fn`` applied to every inline node of every block."""
    return map_blocks(blocks, lambda block: map_own_inlines(block, lambda inlines: map_inlines(inlines, fn)))


# ----------------------------------------------------------------------------- plain text
class _PlainText(Visitor):
    """Inline nodes as text without formatting (outlines, alt text, lists)."""

    def __call__(self, inlines) -> str:
        return "".join(self.visit(node) for node in inlines)

    def visit_text(self, node) -> str:
        return node.text

    visit_code = visit_text

    def visit_line_break(self, node) -> str:
        return " "

    def visit_word_break(self, node) -> str:
        return ""

    def visit_ref(self, node) -> str:
        return self(node.children) if node.children else node.label

    def visit_strong(self, node) -> str:
        return self(node.children)

    visit_emph = visit_link = visit_strong


plain_text = _PlainText()
