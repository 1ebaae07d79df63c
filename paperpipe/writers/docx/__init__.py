"""The DOCX writer (python-docx and WordprocessingML): a Word document built
from the numbered document and the house style, independent of the PDF."""
from __future__ import annotations

from .writer import anchors_for, render_docx, write_docx


def render(doc, theme, job):
    """The registry's entry point. TRANSITIONAL: the writer still reads the
    old flat style groups, made from the theme (paperpipe/style.py)."""
    from ...style import legacy_style
    from .. import Rendered

    return Rendered(render_docx(doc, legacy_style(theme), job.templates, dict(job.layout.pages) if job.layout else {}, job.epoch))


__all__ = ["anchors_for", "render", "render_docx", "write_docx"]
