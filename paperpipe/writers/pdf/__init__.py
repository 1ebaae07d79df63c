"""The PDF writer (reportlab): lays the numbered document out once; its
``Layout`` (anchor -> printed page, page count) goes to the other writers."""
from __future__ import annotations

from ... import model as m
from ...theme import Theme
from .. import Job, Rendered
from .document import render_pdf
from .impossible import impossible


def render(doc: m.Document, theme: Theme, job: Job) -> Rendered:
    from reportlab.platypus.doctemplate import LayoutError

    try:
        data, layout = render_pdf(doc, theme, job.epoch, job.context)
    except LayoutError as exc:  # one not raised by a block (those carry their source)
        raise impossible(exc) from exc
    return Rendered(data, layout)


__all__ = ["render", "render_pdf"]
