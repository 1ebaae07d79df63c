"""Where blocks are written (the body, a table cell, a header cell, a
sidebar) and the Word styles they take there."""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn


@dataclass(frozen=True)
class Ctx:
    """Where blocks are written, and the styles they take there."""

    para: str  # paragraph style
    place: str  # body | cell | box: where lists take their numbering (numbering.PLACES)
    bold: bool = False
    align: str = ""


BODY = Ctx("Normal", "body")
CELL = Ctx("Table Text", "cell")
SIDEBAR = Ctx("Sidebar", "box")
QUOTE = Ctx("Quote", "box")


def separated(state, nodes: list) -> list:
    """Word joins two tables that follow each other: a paragraph stays between them."""
    out: list = []
    for node in nodes:
        if out and node.tag == qn("w:tbl") and out[-1].tag == qn("w:tbl"):
            out.append(state.para(None))
        out.append(node)
    return out


