"""The page's stylesheet, made from the theme (templates/style.yaml).

Every colour, size, gap and table look comes from the theme; this module
only translates. Sizes are written in ``em`` of the body size, so the page
keeps the PDF's proportions while following the reader's own text size on
screen; the print stylesheet sets the body back to the theme's point size
and the page to its paper size and margins, so a printout looks like the PDF.
"""
from __future__ import annotations

from ...theme import TextStyle, Theme

GENERIC_FONTS = {"serif", "sans-serif", "monospace", "system-ui"}  # CSS's own families, never quoted
TABLE_MIN_EM = 34        # the least width of a table, in em of its text, before its region scrolls
PAGE_PADDING_EM = 1.25   # the page's side padding
PHONE_EM = 40            # a window this wide or narrower is a phone's
PHONE_PADDING_EM = 1.0   # the page's side padding on a phone
FACE = {"regular": ("normal", "normal"), "bold": ("bold", "normal"), "italic": ("normal", "italic"), "bold_italic": ("bold", "italic")}


def _fill(colour: str) -> str:
    """A box's background, but none for white: the page's own."""
    return "" if colour.upper() == "#FFFFFF" else f"background: {colour}; "


def font_stack(theme: Theme) -> str:
    """A CSS font-family list: the theme's family, its Word name, then its web fallbacks."""
    names: list[str] = []
    for name in (theme.fonts.family, theme.fonts.word_family, *theme.web_fonts):
        if name and name not in names:
            names.append(name)
    return ", ".join(n if n in GENERIC_FONTS else '"' + css_string(n) + '"' for n in names)


def css_string(text: str) -> str:
    """Text for a double-quoted CSS string (no way out of the quotes or the style element)."""
    return "".join(ch if ch.isalnum() or ch in " -_.,()" else f"\\{ord(ch):x} " for ch in text)


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


class _Units:
    def __init__(self, body: float):
        self.body = body

    def em(self, points: float, font: float | None = None) -> str:
        """A length in points as em of the text it stands in (the body's by default)."""
        value = points / (font or self.body)
        return _num(value) + "em" if value else "0"


def text_rules(ts: TextStyle, u: _Units, parent: float | None = None, margins: bool = True) -> str:
    """The declarations of a text style, sized relative to ``parent`` points."""
    weight, slant = FACE.get(ts.face, FACE["regular"])
    size = ts.size / (parent or u.body)
    out = [f"font-size: {_num(size)}em", f"line-height: {_num(ts.leading / ts.size)}", f"font-weight: {weight}",
           f"font-style: {slant}", f"color: {ts.colour}"]
    if ts.align != "left":
        out.append(f"text-align: {ts.align}")
    if ts.hyphenate is not None:
        out.append(hyphens(ts).rstrip(";"))
    if margins:
        out.append(f"margin: {u.em(ts.before, ts.size)} 0 {u.em(ts.after, ts.size)}")
    return "; ".join(out)


def hyphens(ts: TextStyle) -> str:
    """When the house style hyphenates, whether the browser hyphenates this
    text style's words (in the page's language, <html lang>); else nothing."""
    return "" if ts.hyphenate is None else ("hyphens: auto;" if ts.hyphenate else "hyphens: manual;")


def stylesheet(theme: Theme, table_styles: tuple[str, ...], header: tuple[str, ...] = (), scroll_hint: str = "",
               figure_widths: tuple[int, ...] = (), asides: tuple[str, ...] = ()) -> str:
    """The page's CSS; ``header`` is the running header's lines, printed at
    the top right of every printed page after the cover, as in the PDF;
    ``scroll_hint`` the words over a region on the windows where it scrolls
    sideways; ``figure_widths`` the least widths (px) the page's figures keep."""
    t = theme.text
    body = t["body"].size
    u = _Units(body)
    links, lists, side, cover, page = theme.links, theme.lists, theme.sidebars, theme.cover, theme.page
    white = t["cover_title"].colour
    rules = [
        ":root { color-scheme: light; }",
        "html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }",
        f"body {{ margin: 0; background: #FFFFFF; font-family: {font_stack(theme)}; overflow-wrap: break-word; {text_rules(t['body'], u, margins=False)}; font-size: 1rem; }}",
        f".page {{ max-width: {u.em(page.text_width)}; margin: 0 auto; padding: 0 {_num(PAGE_PADDING_EM)}em; }}",
        f"p {{ margin: 0 0 {u.em(t['body'].after)}; }}",
        f"a {{ color: {links.colour}; text-decoration: {'underline' if links.underline else 'none'}; text-underline-offset: 0.15em; }}",
        f"a:focus-visible, .table-scroll:focus-visible {{ outline: 2px solid {links.colour}; outline-offset: 2px; }}",
        'a.external::after { content: "\\2197" / ""; margin-left: 0.15em; font-size: 0.85em; }',
        ".visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; "
        "clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }",
        f".skip-link {{ position: absolute; left: 0.5em; top: -3em; background: {cover.band_colour}; color: {white}; padding: 0.4em 0.8em; z-index: 2; }}",
        ".skip-link:focus { top: 0.5em; }",
        ".nobr { white-space: nowrap; }",  # a hyphenated name kept whole (the theme's typography)
        'code { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: 0.92em; }',
        # the cover
        f".cover {{ margin: 0 0 {u.em(t['heading1'].before)}; }}",
        f".cover .band {{ background: {cover.band_colour}; border-bottom: {u.em(cover.accent_height)} solid {cover.accent_colour}; padding: {u.em(cover.inset * 0.6)} 0; }}",
        f".cover h1 {{ {text_rules(t['cover_title'], u, margins=False)}; margin: 0 0 {u.em(cover.title_gap, t['cover_title'].size)}; }}",
        f".cover .line {{ {text_rules(t['cover_line'], u, margins=False)}; margin: 0 0 {u.em(cover.line_gap, t['cover_line'].size)}; }}",
        f".cover .kind {{ {text_rules(t['cover_kind'], u, margins=False)}; margin: {u.em(cover.inset * 0.5, t['cover_kind'].size)} 0 0; }}",
        f".cover .initiative {{ display: flex; flex-wrap: wrap; align-items: center; gap: {u.em(cover.logo_gap, t['cover_footer'].size)}; "
        f"{text_rules(t['cover_footer'], u, margins=False)}; margin: {u.em(t['body'].after)} 0 0; }}",
        ".cover .logo { flex: none; display: block; }",
        # headings and the lists' titles
        "h1, h2, h3 { break-after: avoid; page-break-after: avoid; }",
        *(f"main h{lv} {{ {text_rules(theme.heading(lv), u)}; }}" for lv in (1, 2, 3)),
        f"main > section {{ margin-top: {u.em(t['heading1'].before)}; }}",
        f"nav h2 {{ {text_rules(t['list_title'], u)}; margin-top: {u.em(t['heading1'].before, t['list_title'].size)}; }}",
        # contents and lists of figures and tables
        f"nav ol {{ list-style: none; margin: 0 0 {u.em(theme.contents.after)}; padding: 0; }}",
        "nav ol ol { margin: 0; }",
        # each level's number under the title of the level above, as in the PDF
        *(f"nav .toc {' > li > ol' * (lv - 1)} {{ padding-left: {u.em(theme.contents.indent(lv) - theme.contents.indent(lv - 1), theme.contents_line(lv - 1).size)}; }}"
          for lv in (2, 3) if theme.contents.step_in),
        *(f"nav .toc {' > li > ol' * (lv - 1)} > li {{ {text_rules(theme.contents_line(lv), u, parent=theme.contents_line(lv - 1).size if lv > 1 else None)}; }}"
          for lv in (1, 2, 3)),
        f"nav .list > li {{ {text_rules(t['list_entry'], u)}; }}",
        f"nav a {{ display: inline-flex; color: {t['contents2'].colour}; text-decoration: none; }}",
        "nav a:hover span, nav a:focus span { text-decoration: underline; }",
        "nav .number { flex: none; }",
        *(f"nav .toc {' > li > ol' * (lv - 1)} > li > a > .number {{ min-width: {u.em(theme.contents.number_width(lv), theme.contents_line(lv).size)}; }}"
          for lv in (1, 2, 3)),
        # running text lists
        f"ul, ol {{ margin: 0 0 {u.em(t['body'].after)}; padding-left: {u.em(lists.indent)}; }}",
        # each level its bullet (a list in an item of a bulleted or numbered list is a level down), the last for deeper ones too
        *(f'{"li " * level}ul {{ list-style-type: "{css_string(lists.bullet(level))}\\a0 "; }}' for level in range(len(lists.bullets))),
        # numbered lists: the theme's number format ("{number}." → "1.", "({number})" → "(1)")
        f'@counter-style paper-numbers {{ system: extends decimal; prefix: "{css_string(lists.around()[0])}"; suffix: "{css_string(lists.around()[1])} "; }}',
        "ol { list-style-type: paper-numbers; }",
        f"li {{ margin: 0 0 {u.em(t['list_item'].after)}; }}",
        "li > p { margin: 0; }",
        f"li::marker {{ color: {lists.bullet_colour}; }}",
        f"li > ul, li > ol {{ margin: {u.em(t['list_item'].after)} 0 0; }}",
        # figures and captions
        f"figure {{ margin: {u.em(theme.figures.before)} 0 {u.em(theme.figures.after)}; }}",
        f"figcaption, caption {{ {text_rules(t[theme.captions.style], u)}; text-align: left; }}",
        "figure .picture { display: block; height: auto; max-width: 100%; margin: 0 auto; }",
        # boxes
        f"aside.sidebar {{ background: {side.fill}; border-left: {_num(side.rule_width)}pt solid {side.rule_colour}; "
        f"padding: {u.em(side.padding, t['sidebar'].size)}; margin: 0 0 {u.em(side.after)}; {text_rules(t['sidebar'], u, margins=False)}; }}",
        f"aside.sidebar p, aside.sidebar li {{ margin: 0 0 {u.em(t['sidebar'].after, t['sidebar'].size)}; }}",
        "aside.sidebar > :last-child { margin-bottom: 0; }",
        f"aside.sidebar .title {{ {text_rules(t['sidebar_title'], u, parent=t['sidebar'].size)}; margin-top: 0; }}",
        f"aside.sidebar ul, aside.sidebar ol {{ padding-left: {u.em(lists.inner_indent, t['sidebar'].size)}; margin: 0; }}",
        # quotations: the sidebar's rule on the page's white, the words in italics
        f"figure.quote {{ {_fill(theme.quotes.fill)}border-left: {_num(side.rule_width)}pt solid {side.rule_colour}; "
        f"padding: {u.em(side.padding, t['sidebar'].size)}; margin: 0 0 {u.em(side.after)}; {text_rules(t['sidebar'], u, margins=False)}; }}",
        f"figure.quote blockquote {{ margin: 0; font-style: {'italic' if theme.quotes.italic else 'normal'}; }}",
        f"figure.quote p {{ margin: 0 0 {u.em(t['sidebar'].after, t['sidebar'].size)}; }}",
        f"figure.quote figcaption {{ {text_rules(t['sidebar'], u, parent=t['sidebar'].size, margins=False)}; font-style: normal; }}",
        # tables
        # regions that scroll sideways on a narrow window (wide tables, figures
        # that keep a readable width) show it: a shadow on the side that has
        # more, and a line saying so on the windows where they scroll
        ".table-scroll, .figure-scroll { overflow-x: auto; "
        "background: linear-gradient(to right, #FFFFFF 30%, rgba(255,255,255,0)) left center / 2em 100% no-repeat local, "
        "linear-gradient(to left, #FFFFFF 30%, rgba(255,255,255,0)) right center / 2em 100% no-repeat local, "
        "radial-gradient(farthest-side at 0 50%, rgba(0,0,0,0.3), rgba(0,0,0,0)) left center / 0.8em 100% no-repeat scroll, "
        "radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,0.3), rgba(0,0,0,0)) right center / 0.8em 100% no-repeat scroll; }",
        f'.table-scroll::before, .figure-scroll::before {{ content: "{css_string(scroll_hint)} \\2194" / ""; display: none; position: sticky; left: 0; '
        f"width: max-content; {text_rules(t[theme.captions.style], u, margins=False)}; font-style: italic; margin: 0 0 0.3em; }}",
        ".figure-scroll > svg { display: block; }",
        f".table-scroll > table {{ min-width: {TABLE_MIN_EM}em; }}",
        "table { border-collapse: collapse; width: 100%; }",
        "th, td { vertical-align: top; text-align: left; }",
        ".align-left { text-align: left; } .align-center { text-align: center; } .align-right { text-align: right; }",
    ]
    for name in table_styles:
        rules.extend(_table_rules(theme, name, u))
    for kind in asides:  # the notes and warnings the page holds
        rules.extend(_aside_rules(theme, kind, u))
    rules += _scroll_hints(theme, table_styles, figure_widths)
    rules += [
        # phones
        f"@media (max-width: {PHONE_EM}em) {{",
        f"  .page {{ padding: 0 {_num(PHONE_PADDING_EM)}em; }}",
        f"  .cover h1 {{ font-size: {_num(t['cover_title'].size * 0.75 / body)}em; }}",
        "}",
        # print: the PDF's page and sizes
        f"@page {{ size: {page.width:.2f}pt {page.height:.2f}pt; margin: {page.margin_top:.2f}pt {page.margin_right:.2f}pt "
        f"{page.margin_bottom:.2f}pt {page.margin_left:.2f}pt;{_running_header(theme, header)}{_page_number(theme)} }}",
        # the cover is unnumbered and the page after it is 1, as in the PDF
        "@page :first { counter-reset: page 0; @top-right { content: none; } @bottom-right { content: none; } }",
        "@media print {",
        f"  html {{ font-size: {_num(body)}pt; }}",
        "  .page { max-width: none; padding: 0; }",
        "  .skip-link { display: none; }",
        "  .cover { break-after: page; page-break-after: always; }",
        "  main { break-before: page; page-break-before: always; }",
        "  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }",
        "  .table-scroll, .figure-scroll { overflow: visible; background: none; }",
        "  .table-scroll::before, .figure-scroll::before { display: none !important; }",
        "  .figure-scroll > svg { min-width: 0 !important; }",
        "  .table-scroll > table { min-width: 0; }",
        "  tr, figure, aside.sidebar { break-inside: avoid; page-break-inside: avoid; }",
        "  tr.split { break-inside: auto; page-break-inside: auto; }",  # a long row the theme lets split (split_rows_from)
        "  caption { break-after: avoid; page-break-after: avoid; }",  # a table's caption prints with its first rows
        '  a.external::after { content: " <" attr(href) ">"; font-size: 0.85em; word-break: break-all; }',
        "}",
    ]
    return "\n".join(rules) + "\n"


def _running_header(theme: Theme, lines: tuple[str, ...]) -> str:
    if not lines:
        return ""
    ts = theme.text["header"]
    content = "\\a ".join(css_string(line) for line in lines)
    return (f' @top-right {{ content: "{content}"; white-space: pre; text-align: right; vertical-align: bottom; '
            f'font-family: {font_stack(theme)}; font-size: {_num(ts.size)}pt; line-height: {_num(ts.leading)}pt; color: {ts.colour}; '
            f'padding-bottom: {_num(theme.header.rule_gap)}pt; }}')


def figure_class(width: int) -> str:
    """The class of a figure's region that keeps ``width`` px."""
    return f"w{width}"


def _scroll_hints(theme: Theme, table_styles: tuple[str, ...], figure_widths: tuple[int, ...]) -> list[str]:
    """Show the scroll hint exactly on the windows where a region scrolls:
    a table below its least width (TABLE_MIN_EM of its own text) plus the
    page's side padding on phones, a figure below the width it keeps."""
    body = theme.text["body"].size
    out = []
    for name in table_styles:
        least = TABLE_MIN_EM * theme.text[theme.table(name).text].size / body + 2 * PHONE_PADDING_EM
        out.append(f"@media (max-width: {_num(least - 0.01)}em) {{ .table-scroll:has(> table.{table_class(name)})::before {{ display: block; }} }}")
    for width in sorted(set(figure_widths)):
        window = width + round(2 * PHONE_PADDING_EM * 16)  # the narrowest window that shows it whole (1em = 16 px)
        if window > PHONE_EM * 16:
            window = width + round(2 * PAGE_PADDING_EM * 16)
        out.append(f"@media (max-width: {window - 1}px) {{ .figure-scroll.{figure_class(width)}::before {{ display: block; }} }}")
    return out


def _page_number(theme: Theme) -> str:
    """The printed page's number at the foot on the right, in the theme's
    footer style, its baseline the theme's distance above the paper's edge."""
    ts, page = theme.text["footer"], theme.page
    top = max(0.0, page.margin_bottom - page.footer_distance - ts.size * 0.8)  # the margin box's top to the baseline
    return (f' @bottom-right {{ content: counter(page); vertical-align: top; text-align: right; padding-top: {_num(top)}pt; '
            f'font-family: {font_stack(theme)}; font-size: {_num(ts.size)}pt; line-height: 1; color: {ts.colour}; }}')


def table_class(name: str) -> str:
    return "t-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def role_class(prefix: str, role: str) -> str:
    return prefix + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in role)


def _table_rules(theme: Theme, name: str, u: _Units) -> list[str]:
    look = theme.table(name)
    cell = theme.text[look.text]
    sel = f"table.{table_class(name)}"
    grid = f"{_num(look.grid_width)}pt solid {look.grid_colour}" if look.grid_width else "0"
    rules = [
        f"{sel} {{ font-size: {_num(cell.size / u.body)}em; line-height: {_num(cell.leading / cell.size)}; color: {cell.colour}; {hyphens(cell) + ' ' if cell.hyphenate is not None else ''}}}",
        f".table-scroll:has(> {sel}) {{ margin: 0 0 {u.em(look.after)}; }}",
        f"figure .table-scroll:has(> {sel}) {{ margin-bottom: 0; }}",
        f"{sel} th, {sel} td {{ border: {grid}; padding: {u.em(look.padding_vertical, cell.size)} {u.em(look.padding_horizontal, cell.size)}; font-weight: normal; }}",
        f"{sel} th p, {sel} td p, {sel} li {{ margin: 0 0 {u.em(cell.after, cell.size)}; }}",
        f"{sel} th > :last-child, {sel} td > :last-child {{ margin-bottom: 0; }}",
        f"{sel} ul, {sel} ol {{ padding-left: {u.em(theme.lists.inner_indent, cell.size)}; margin: 0; }}",
        f"{sel} li {{ margin-bottom: {u.em(theme.lists.inner_item_after, cell.size)}; }}",
    ]
    if look.body_fill:
        rules.append(f"{sel} tbody > tr > * {{ background: {look.body_fill}; }}")
    if look.column_rule_width and look.column_rule_colour:
        rules.append(f"{sel} th + th, {sel} td + td, {sel} th + td, {sel} td + th {{ border-left: {_num(look.column_rule_width)}pt solid {look.column_rule_colour}; }}")
    for role, rl in sorted(look.rows.items()):
        decl = _role_decl(theme, rl, cell.size)
        if decl:
            rules.append(f"{sel} tr.{role_class('r-', role)} > * {{ {decl} }}")
            if rl.text:
                rules.append(f"{sel} tr.{role_class('r-', role)} a {{ color: inherit; }}")
    for role, rl in sorted(look.cells.items()):  # a cell's role over its row's (as specific, and later)
        decl = _role_decl(theme, rl, cell.size)
        if decl:
            rules.append(f"{sel} tr > .{role_class('c-', role)} {{ {decl} }}")
    return rules


def _aside_rules(theme: Theme, kind: str, u) -> list[str]:
    """A note's or a warning's box: the sidebar's, in the kind's fill and rule, its label in its text style."""
    look, side, t = theme.admonitions[kind], theme.sidebars, theme.text
    sel = f"aside.admonition.{role_class('', kind)}"
    return [
        f"{sel} {{ background: {look.fill}; border-left: {_num(side.rule_width)}pt solid {look.rule_colour}; "
        f"padding: {u.em(side.padding, t['sidebar'].size)}; margin: 0 0 {u.em(side.after)}; {text_rules(t['sidebar'], u, margins=False)}; }}",
        f"{sel} p, {sel} li {{ margin: 0 0 {u.em(t['sidebar'].after, t['sidebar'].size)}; }}",
        f"{sel} > :last-child {{ margin-bottom: 0; }}",
        f"{sel} .label {{ {text_rules(t[look.label_style], u, parent=t['sidebar'].size)}; margin-top: 0; }}",
        f"{sel} ul, {sel} ol {{ padding-left: {u.em(theme.lists.inner_indent, t['sidebar'].size)}; margin: 0; }}",
    ]


def _role_decl(theme: Theme, look, cell_size: float) -> str:
    out = []
    if look.fill:
        out.append(f"background: {look.fill};")
    if look.text:
        ts = theme.text[look.text]
        weight, slant = FACE.get(ts.face, FACE["regular"])
        out.append(f"color: {ts.colour}; font-weight: {weight}; font-style: {slant}; font-size: {_num(ts.size / cell_size)}em;")
        if ts.hyphenate is not None:
            out.append(hyphens(ts))
    if look.bold:
        out.append("font-weight: bold;")
    return " ".join(out)
