"""The HTML writer: the numbered document as one self-contained, accessible web page."""
from __future__ import annotations

from ... import model as m
from ...theme import Theme
from .. import Job, Rendered
from .document import render_html


def render(doc: m.Document, theme: Theme, job: Job) -> Rendered:
    return Rendered(render_html(doc, theme, job.context, embed_fonts=not job.checking))


__all__ = ["render", "render_html"]
