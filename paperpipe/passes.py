"""Named transforms over the document, run in a fixed order.

Each pass takes a Document (and the Problems collection) and returns a new
Document; none changes its input.  Numbering comes before the numbering
table, the table before reference resolution, and the contents last, as in
docutils/Sphinx.  Writers only read what these passes filled in.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Callable

from . import model as m
from .visit import map_all_inlines, map_blocks, plain_text, rebuild, walk
from .errors import Problems, nearest

Pass = Callable[[m.Document, Problems], m.Document]


# ----------------------------------------------------------------------------- helpers
def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


# ----------------------------------------------------------------------------- passes
def assign_ids(doc: m.Document, problems: Problems) -> m.Document:
    """Give every heading an id (a slug of its title unless the editor gave one);
    report ids used twice."""
    seen: dict[str, m.Source] = {}

    def check(ident: str, src: m.Source) -> None:
        if ident in seen:
            problems.error(src.file, src.line, f"the id '{ident}' is used twice (first at {seen[ident]})", "give each section, figure and table its own id")
        else:
            seen[ident] = src

    for block in walk(doc.blocks):
        if isinstance(block, (m.Heading, m.Figure, m.Table)) and block.id:
            check(block.id, block.source)

    def fn(block: m.Block) -> m.Block:
        if isinstance(block, m.Heading) and not block.id:
            base = slugify(plain_text(block.children))
            ident, n = base, 2
            while ident in seen:
                ident, n = f"{base}-{n}", n + 1
            seen[ident] = block.source
            return replace(block, id=ident)
        return block

    return replace(doc, blocks=map_blocks(doc.blocks, fn))


def number_sections(doc: m.Document, problems: Problems) -> m.Document:
    """1, 1.1, 1.1.1 … for numbered headings; a level may not be skipped,
    neither in the outline (any heading) nor in the numbering."""
    counters = [0, 0, 0]
    previous = 0  # level of the last numbered heading
    last = 0  # level of the last heading, numbered or not

    def fn(block: m.Block) -> m.Block:
        nonlocal previous, last
        if not isinstance(block, m.Heading):
            return block
        level = block.level
        if level > last + 1:
            problems.error(block.source.file, block.source.line, f"a level-{level} heading follows a level-{last} heading", f"use {'#' * (last + 1)} here, or add the missing level above it")
        elif block.numbered and level > previous + 1:
            problems.error(block.source.file, block.source.line, f"a numbered level-{level} heading stands under an unnumbered level-{level - 1} heading",
                           "number the heading above (remove its {-}), or mark this one {-} as well")
        last = level
        if not block.numbered:
            return block
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        previous = level
        return replace(block, number=".".join(str(c) for c in counters[:level]))

    return replace(doc, blocks=map_blocks(doc.blocks, fn))


def number_captions(doc: m.Document, problems: Problems) -> m.Document:
    """Figures and captioned tables are numbered in reading order, each kind on
    its own counter. A table drawn inside a figure is part of the figure."""
    count = {"figure": 0, "table": 0}

    def number(blocks: tuple[m.Block, ...], inside_figure: bool) -> tuple[m.Block, ...]:
        out = []
        for block in blocks:
            inner = inside_figure
            if isinstance(block, m.Figure):
                count["figure"] += 1
                block, inner = replace(block, number=str(count["figure"])), True
            elif isinstance(block, m.Table):
                if block.caption and not inside_figure:
                    count["table"] += 1
                    block = replace(block, number=str(count["table"]))
                elif block.id and not block.caption:
                    problems.error(block.source.file, block.source.line, f"the table '{block.id}' has an id but no caption", "add 'Table: Caption {#id}' under the table")
            out.append(rebuild(block, lambda inside: number(inside, inner)))  # a figure without a caption: the reader said so
        return tuple(out)

    return replace(doc, blocks=number(doc.blocks, False))


def collect_targets(doc: m.Document, problems: Problems) -> m.Document:
    """The one numbering table: id -> kind, number, label and title."""
    labels = doc.meta.labels
    targets: dict[str, m.Target] = {}
    for block in walk(doc.blocks):
        if isinstance(block, m.Heading) and block.id:
            title = plain_text(block.children)
            label = f"{labels['section']} {block.number}" if block.number else title
            targets[block.id] = m.Target(block.id, "section", block.number, label, title)
        elif isinstance(block, m.Figure) and block.id:
            targets[block.id] = m.Target(block.id, "figure", block.number, f"{labels['figure']} {block.number}", plain_text(block.caption))
        elif isinstance(block, m.Table) and block.id and block.number:
            targets[block.id] = m.Target(block.id, "table", block.number, f"{labels['table']} {block.number}", plain_text(block.caption))
    return replace(doc, targets=targets)


def resolve_references(doc: m.Document, problems: Problems) -> m.Document:
    """Every [](#id) gets the label of its target; unknown ids are reported with
    the nearest known id, unless a failed template call may have made them."""

    def fn(node: m.Inline) -> m.Inline:
        if not isinstance(node, m.Ref):
            return node
        target = doc.targets.get(node.target)
        if target is None:
            if problems.failed_call_for(node.target):
                # a template call that failed (its error is reported) would have made it: one mistake, one message
                return replace(node, label=f"??{node.target}")
            guess = nearest(node.target, doc.targets)
            advice = f"did you mean '#{guess}'?" if guess else "give the section, figure or table this id with {#id}"
            problems.error(node.source.file, node.source.line, f"cross-reference to unknown id '#{node.target}'", advice)
            return replace(node, label=f"??{node.target}")
        return replace(node, label=target.label)

    return replace(doc, blocks=map_all_inlines(doc.blocks, fn))


def collect_contents(doc: m.Document, problems: Problems) -> m.Document:
    """The contents, the list of figures and the list of tables (their
    printed text is the realize stage's, from the theme)."""
    contents, figures, tables = [], [], []
    for block in walk(doc.blocks):
        if isinstance(block, m.Heading):
            title = plain_text(block.children)
            contents.append(m.Entry(block.id, block.number, title, block.level))
        elif isinstance(block, m.Figure) and block.number:
            figures.append(m.Entry(block.id, block.number, plain_text(block.caption), 1))
        elif isinstance(block, m.Table) and block.number:
            tables.append(m.Entry(block.id, block.number, plain_text(block.caption), 1))
    return replace(doc, contents=tuple(contents), figures=tuple(figures), tables=tuple(tables))


def check_places(doc: m.Document, problems: Problems) -> m.Document:
    """``place=next-page-top`` where nothing may float (realize/floats.py:
    only a numbered figure or table in the running text does) is an error
    at its line, not a wish silently ignored."""
    running = {id(block) for block in doc.blocks}
    for block in walk(doc.blocks):
        if not isinstance(block, (m.Figure, m.Table)) or block.place != m.NEXT_PAGE_TOP:
            continue
        kind = "figure" if isinstance(block, m.Figure) else "table"
        if id(block) not in running:
            problems.error(block.source.file, block.source.line,
                           f"place=next-page-top cannot move a {kind} inside a list, inside a box or inside another figure: "
                           "it stays with what holds it", "move it out into the running text, or leave place out")
        elif not block.number:
            problems.error(block.source.file, block.source.line,
                           "place=next-page-top cannot move a table without a caption: only a numbered table floats",
                           "give the table a caption, or leave place out")
    return doc


def anchor_captions(doc: m.Document, problems: Problems) -> m.Document:
    """Figures and tables without an id get one, so that lists can link to them."""
    def fn(block: m.Block) -> m.Block:
        if isinstance(block, m.Figure) and not block.id and block.number:
            return replace(block, id=f"figure-{block.number}")
        if isinstance(block, m.Table) and not block.id and block.number:
            return replace(block, id=f"table-{block.number}")
        return block

    return replace(doc, blocks=map_blocks(doc.blocks, fn))


PASSES: list[tuple[str, Pass]] = [
    ("assign_ids", assign_ids),
    ("number_sections", number_sections),
    ("number_captions", number_captions),
    ("check_places", check_places),
    ("anchor_captions", anchor_captions),
    ("collect_targets", collect_targets),
    ("resolve_references", resolve_references),
    ("collect_contents", collect_contents),
]


def run_passes(doc: m.Document, problems: Problems, passes=None) -> m.Document:
    for _name, fn in passes or PASSES:
        doc = fn(doc, problems)
    return doc
