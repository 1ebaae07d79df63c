"""The DOCX writer (python-docx and WordprocessingML): a Word document built
from the numbered document and the house style, independent of the PDF."""
from __future__ import annotations

from .writer import anchors_for, render_docx


def render(doc, theme, job):
    """The writer registry's entry point: the theme gives every look, the
    layout writer's Layout (anchor -> printed page, plain data) the page
    numbers of the contents."""
    from .. import Rendered

    pages = dict(job.layout.pages) if job.layout is not None else {}
    return Rendered(render_docx(doc, theme, job.templates, pages, job.epoch, job.context))


__all__ = ["anchors_for", "render", "render_docx"]
