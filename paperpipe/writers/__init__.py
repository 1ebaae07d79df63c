"""Writers: the numbered document and the theme into output files.

A writer renders; it never counts and never decides a look. Each is a
package of its own, registered here by one line: format name -> module. The
module has ``render(doc, theme, job) -> Rendered`` and is imported only when
its format is built. Writers never import each other: what one needs from
another (the DOCX's page numbers come from the PDF's layout) is passed as
plain data, a ``Layout``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from ..context import Context

# format name (the output file's suffix) -> the writer's module, in the order
# they run: the first one lays the document out and hands its Layout on.
WRITERS: dict[str, str] = {
    "pdf": "paperpipe.writers.pdf",
    "docx": "paperpipe.writers.docx",
    "html": "paperpipe.writers.html",
}
LAYOUT_FORMAT = "pdf"  # run for every other format: its Layout gives the page count and the page numbers others print
WITHOUT_LAYOUT = frozenset({"html"})  # formats that print no page number: asked alone, nothing is laid out


@dataclass(frozen=True)
class Layout:
    """Where the laid-out document put things: anchor id -> printed page
    number (the contents, figures and tables), and the number of pages."""

    pages: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    page_count: int = 0

    @classmethod
    def of(cls, pages: Mapping[str, int], page_count: int) -> "Layout":
        return cls(MappingProxyType(dict(pages)), page_count)


@dataclass(frozen=True)
class Job:
    """What a writer gets besides the document and the theme."""

    epoch: float                  # the time written into the file (reproducible builds)
    templates: Path               # the templates folder (assets such as a Word template)
    layout: Layout | None = None  # the layout writer's result, for the others
    context: "Context | None" = None  # the build's world: figures, files, caches (paperpipe.context)
    checking: bool = False        # a check: the bytes only show problems and are not kept, so work that
                                  # finds none is left out (the page's font subsets: the glyph check has read the fonts)


class LayoutImpossible(Exception):
    """Content a writer cannot lay out (a table row taller than a page …):
    the message says what, ``source`` is the block's Source (or None),
    ``advice`` what to do. Writers raise it instead of their library's own
    error, in an editor's words, so the build knows no writer's library."""

    def __init__(self, message: str, source=None, advice: str = ""):
        super().__init__(message)
        self.source = source
        self.advice = advice


@dataclass(frozen=True)
class Rendered:
    data: bytes
    layout: Layout | None = None  # set by the layout writer


def writer(fmt: str) -> ModuleType:
    """The writer module of a format (imported on first use)."""
    return importlib.import_module(WRITERS[fmt])


__all__ = ["Job", "LAYOUT_FORMAT", "WITHOUT_LAYOUT", "Layout", "LayoutImpossible", "Rendered", "WRITERS", "writer"]
