"""Figures: an image alone in its paragraph (read by the block rule
``paragraph``), and a ``::: figure`` box (the rule ``figure_box``)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...visit import plain_text
from .attrs import picture_attrs, split_trailing_attrs
from .inlines import inline_markdown, plain, read_inlines
from .state import ReadState


def image_figure(st: ReadState, node: SyntaxTreeNode, extra: dict | None, src: m.Source) -> m.Figure:
    attrs = picture_attrs(node.attrs, node.meta.get("attrs_text", ""), extra)
    if attrs.get("title"):
        st.error(src, f"the picture's title \"{attrs['title']}\" is not printed",
                 "remove the quoted title after the file name; write its words in the caption, or in alt=\"…\"")
    st.unknown_attrs(attrs, ("id", "class", "width", "alt", "place", "src", "title"), "a figure", src)
    place = st.place(attrs.get("place"), "a figure", src)
    caption = st.long_caption(read_inlines(st, node.children, src), src)
    ident = st.ident(attrs.get("id"), src)
    width = _width(str(attrs.get("width", "")), st, src)
    caption_text = plain_text(caption)
    description = _alt(st, str(attrs.get("alt", "")), caption_text, src)
    # markdown-it percent-encodes the address (a space is %20, é is %C3%A9): the file has the name as typed
    relative = unquote(str(attrs.get("src", "")))
    path = _path(st, relative, src)
    image = m.Image(path or Path(relative), description, width, src)
    if not caption:
        st.error(src, "a figure needs a caption", "write it between the brackets: ![Caption](file){#fig-id}")
    return m.Figure((image,), caption, ident, "", description, src, place=place)


def _alt(st: ReadState, alt: str, caption: str, src: m.Source) -> str:
    """A figure's alt text: required, and not a copy of its caption (readers of
    the tagged PDF hear both)."""
    text = plain(st, alt, src).strip()
    if not text:
        st.error(src, "the figure has no alt text",
                 'add alt="…" to its attributes, e.g. {#fig-id alt="Bar chart of …"}: describe what the picture shows for readers who cannot see it')
    elif " ".join(text.lower().split()) == " ".join(caption.lower().split()):
        st.error(src, "the figure's alt text repeats its caption", "describe what the picture shows instead: the caption is read out as well")
    return text


def _path(st: ReadState, relative: str, src: m.Source) -> Path | None:
    if st.resolve_path is None:
        return Path(relative)
    return st.resolve_path(relative, src)


def figure_box(st: ReadState, node: SyntaxTreeNode, src: m.Source) -> m.Figure:
    info = node.info.strip()[len("figure"):].strip()
    caption_text, attrs = split_trailing_attrs(info)
    st.unknown_attrs(attrs, ("id", "class", "alt", "place"), "a figure box", src)
    place = st.place(attrs.get("place"), "a figure box", src)
    caption = st.long_caption(inline_markdown(st, caption_text, src), src)
    if not caption:
        st.error(src, "a figure needs a caption", "write it after '::: figure', e.g. '::: figure My caption {#fig-id}'")
    body = st.filled("figure", node.children, src,  # it printed a numbered, listed caption over nothing
                     "the figure box holds nothing: it would be numbered and listed with only its caption",
                     "write what it shows between the '::: figure' line and ':::' (a table, a list, a template call), or delete the box")
    # a panel's content is read as it is; its alt text, if any, summarises it
    description = plain(st, attrs.get("alt", ""), src) or plain_text(caption)
    return m.Figure(body, caption, st.ident(attrs.get("id"), src), "", description, src, place=place)


def _width(text: str, st: ReadState, src: m.Source) -> float:
    if not text:
        return 1.0
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1
    if not 0 < value <= 1:
        st.error(src, f"width '{text}' is not understood", "give a percentage of the text width, e.g. width=\"80%\"")
        return 1.0
    return value
