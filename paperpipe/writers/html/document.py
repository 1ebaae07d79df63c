"""The page: one self-contained HTML file (inline stylesheet, figures drawn
inline, no script, nothing loaded from elsewhere) holding the cover as a
header, the contents and the lists of figures and tables as navigation,
and the numbered sections.

Ids the page adds itself start with "_" so they can never meet a content
id (those start with a letter).
"""
from __future__ import annotations

import base64
import html

from ... import model as m
from ...realize import realized
from ...context import Context
from ...theme import Theme
from .blocks import Blocks
from .css import font_stack, stylesheet
from .fonts import font_faces
from .inlines import Inlines, attr, text, whole_names
from .svg import inline_svg

GENERATOR = "paperpipe"


def render_html(doc: m.Document, theme: Theme, context: Context | None = None, embed_fonts: bool = True) -> bytes:
    """The numbered document as the bytes of one HTML page (UTF-8); its
    pictures come through the build's ``context`` (a new one for the
    document's and theme's folders when none is given). Without ``embed_fonts``
    the page does not carry the house font (a check, whose page is not kept)."""
    context = context if context is not None else Context(doc.root, theme.folder)
    doc = realized(doc, theme)
    meta = doc.meta
    labels = meta.labels
    fonts = font_stack(theme)
    inlines = Inlines(labels["external_link"])
    blocks = Blocks(doc, theme, inlines, fonts, context)
    body = blocks.body(doc.blocks)
    keywords = f'\n<meta name="keywords" content="{attr(", ".join(meta.keywords))}">' if meta.keywords else ""
    page = f"""<!DOCTYPE html>
<html lang="{attr(meta.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(meta.title)}</title>
<meta name="description" content="{attr(meta.subject)}">
<meta name="author" content="{attr(meta.author)}">{keywords}
<meta name="generator" content="{GENERATOR}">
<style>
{stylesheet(theme, tuple(theme.tables), meta.header, labels['scrolls'], tuple(blocks.figure_widths), tuple(blocks.asides))}</style>
</head>
<body>
<a class="skip-link" href="#_main">{text(labels["skip_to_text"])}</a>
{cover(doc, theme, fonts, context)}
<div class="page">
{navigation(doc, theme)}
<main id="_main">
{body}
</main>
</div>
</body>
</html>
"""
    # the house font, cut to the characters the page shows (its text, the
    # figures' text and what the stylesheet writes: bullets, the running header)
    # (all content is escaped, so the first "<style>" is the page's own)
    if not embed_fonts:
        return page.encode("utf-8")
    shown = set(html.unescape(page)) | set("".join(theme.lists.bullets)) | set(labels["scrolls"]) | set("0123456789\u2194\u2197")
    at = page.index("<style>\n") + len("<style>\n")
    page = page[:at] + font_faces(theme.fonts.family, theme.fonts.files, shown, context) + page[at:]
    return page.encode("utf-8")


def cover(doc: m.Document, theme: Theme, fonts: str, context: Context) -> str:
    data = doc.cover
    whole = theme.typography.unbroken  # "Île-de-France" never breaks at its hyphens
    lines = "".join(f'<p class="line">{whole_names(line, whole)}</p>' for line in data.lines)
    kind = f'<p class="kind">{text(data.kind)}</p>' if data.kind else ""
    logos = "".join(logo(context, item, n, theme.text["body"].size, fonts) for n, item in enumerate(data.logos, 1))
    footer = f'<span>{text(data.footer)}</span>' if data.footer else ""
    foot = f'<p class="initiative">{logos}{footer}</p>' if logos or footer else ""
    return (f'<header class="cover">\n<div class="band"><div class="page">\n<h1>{whole_names(data.title, whole)}</h1>\n{lines}\n</div></div>\n'
            f'<div class="page">{kind}{foot}</div>\n</header>')


def logo(context: Context, item, n: int, body_size: float, fonts: str) -> str:
    """A cover logo from the templates folder, at the theme's size, named by its alt text."""
    size = f"width: {item.width / body_size:.4f}em; height: {item.height / body_size:.4f}em"
    if item.file.suffix.lower() == ".svg":
        return inline_svg(context.read_bytes(item.file), f"_logo{n}-", item.alt, "logo", size, fonts, context.memory.inlined)
    kind = "jpeg" if item.file.suffix.lower() in (".jpg", ".jpeg") else "png"
    data = base64.b64encode(context.read_bytes(item.file)).decode("ascii")
    return f'<img class="logo" style="{size}; object-fit: contain" src="data:image/{kind};base64,{data}" alt="{attr(item.alt)}">'


def navigation(doc: m.Document, theme: Theme) -> str:
    labels = doc.meta.labels
    out = []
    if doc.contents:
        out.append(f'<nav class="contents" aria-labelledby="_contents"><h2 id="_contents">{text(labels["contents"])}</h2>\n{contents_list(doc.contents)}</nav>')
    for key, entries in (("figures", doc.figures), ("tables", doc.tables)):
        if entries:  # each line as its caption reads (the theme's caption format)
            items = "".join(f'<li><a href="#{attr(e.id)}">{text(e.text)}</a></li>'
                            for e in entries)
            out.append(f'<nav class="{key}" aria-labelledby="_{key}"><h2 id="_{key}">{text(labels[key])}</h2>\n<ol class="list">{items}</ol></nav>')
    return "\n".join(out)


def contents_list(entries) -> str:
    """The contents as nested lists following the headings' levels."""
    out = ['<ol class="toc">']
    depth = 1
    first = True
    for e in entries:
        level = max(1, e.level)
        if first:
            first = False
        elif level > depth:
            while depth < level:
                out.append('<ol>' if out[-1].endswith("</a>") else '<li><ol>')
                depth += 1
        else:
            out.append("</li>")
            while depth > level:
                out.append("</ol></li>")
                depth -= 1
        number = f'<span class="number">{text(e.number)}</span>' if e.number else ""
        out.append(f'<li><a href="#{attr(e.id)}">{number} <span>{text(e.title)}</span></a>')
    out.append("</li>")
    while depth > 1:
        out.append("</ol></li>")
        depth -= 1
    out.append("</ol>")
    return "".join(out)
