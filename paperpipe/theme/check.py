"""The content's use of the theme: every table style a table names must be
defined in style.yaml, and every row and cell role in that table style
(otherwise the role would change nothing, silently); every kind of note or
warning box must have its look under 'admonitions:'."""
from __future__ import annotations

from .. import model as m
from ..visit import walk
from ..errors import Problems
from .types import Theme

HEADER = "header"  # the role of a table's header rows when they name none


def check_document(doc: m.Document, theme: Theme, problems: Problems, source_path) -> None:
    """Report tables whose style or roles the theme does not define, on the
    table's line, and a language the theme cannot hyphenate, on its line."""
    if theme.typography.hyphenate:
        from ..realize.hyphenation import dictionary

        if not dictionary(doc.meta.language):
            where = doc.meta.sources.get("language")
            problems.error(source_path(doc, where.file if where else doc.root / "paper.yaml"), where.line if where else 0,
                           f"words cannot be hyphenated in the language '{doc.meta.language}': there is no hyphenation dictionary for it",
                           "write the paper's language as a tag with a dictionary (en-GB, fr, de, nl, …), "
                           "or set 'hyphenate: false' under 'typography:' in the templates' style.yaml")
    for block in walk(doc.blocks):
        if isinstance(block, m.Admonition) and block.kind not in theme.admonitions:
            problems.error(source_path(doc, block.source.file), block.source.line,
                           f"the house style gives no look to a '{block.kind}' box",
                           f"define '{block.kind}:' under 'admonitions:' in the templates' style.yaml (label, label_style, fill, rule_colour)")
        if not isinstance(block, m.Table):
            continue
        file, line = source_path(doc, block.source.file), block.source.line
        look = theme.tables.get(block.style)
        if look is None:
            problems.error(file, line, f"the table style '{block.style}' is not defined in the templates' style.yaml",
                           "use one of: " + ", ".join(theme.tables) + " (or define it under 'tables:' in style.yaml)")
            continue
        rows = {row.role for row in block.rows if row.role} - set(look.rows) - {HEADER}
        cells = {cell.role for row in block.rows for cell in row.cells if cell.role} - set(look.cells)
        for kind, unknown, known in (("row", rows, look.rows), ("cell", cells, look.cells)):
            for role in sorted(unknown):
                where = f"tables: {block.style}: {kind}s:"
                problems.warning(file, line, f"the {kind} role '{role}' has no look in the table style '{block.style}', so it changes nothing",
                                 f"use one of: {', '.join(known) or 'none defined'}, or define it under '{where}' in style.yaml")
