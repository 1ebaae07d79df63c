"""The Word styles (word/styles.xml) of the DOCX, made from the house style.

Word's built-in style names are used wherever Word has one, so that the
navigation pane, the caption and cross-reference dialogs, the tables of
contents and the accessibility checker recognise them: Normal, Title,
Subtitle, Heading 1-3 (numbered by the outline list in ``numbering.py``),
TOC Heading, TOC 1-3, Table of Figures, Caption, List Bullet, List Number,
List Paragraph, Header, Footer, Hyperlink.  The paper's own: Figure, Table
Text, Table Heading, Sidebar, Sidebar Title, Cover Text, Cover Footer, and
one table style per table look.

Everything about pages is in the styles, never on a paragraph: spacing,
keep-with-next, keep-lines, widow control, the number column of headings
and contents lines, header-row repeat.  Editors restyle the whole document
by changing a style in Word.
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ...theme import TextStyle
from .looks import Looks, TableLook, word_colour
from .numbering import BULLETS, HEADINGS, NUMBERS
from .wml import R_NS, W_NS, eighths, half_points, twips

HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
MAX_BORDER_SPACE = 31  # points: Word's limit for the distance between text and border


def spacing(before=0.0, after=0.0, line=None, rule="atLeast") -> str:
    attrs = f'w:before="{twips(before)}" w:after="{twips(after)}"'
    if line is None:
        attrs += ' w:line="240" w:lineRule="auto"'
    else:
        attrs += f' w:line="{twips(line)}" w:lineRule="{rule}"'
    return f"<w:spacing {attrs}/>"


def run_props(font=None, size=None, bold=False, italic=False, colour=None, lang=None, underline=False) -> str:
    parts = []
    if font:
        font = quoteattr(font)  # the theme's family: any text, set as an attribute's value
        parts.append(f'<w:rFonts w:ascii={font} w:hAnsi={font} w:eastAsia={font} w:cs={font}/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if colour:
        parts.append(f'<w:color w:val={quoteattr(colour)}/>')
    if size:
        parts.append(f'<w:sz w:val="{half_points(size)}"/><w:szCs w:val="{half_points(size)}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    if lang:
        parts.append(f'<w:lang w:val={quoteattr(lang)} w:eastAsia={quoteattr(lang)} w:bidi="ar-SA"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def para_style(style_id, name, ppr="", rpr="", based="Normal", next_=None, default=False, ui=None, qformat=True) -> str:
    """A paragraph style; its id and name (a theme's text style may name it) set as attribute values."""
    out = f'<w:style w:type="paragraph" w:styleId={quoteattr(style_id)}' + (' w:default="1"' if default else "") + f'><w:name w:val={quoteattr(name)}/>'
    if based:
        out += f'<w:basedOn w:val={quoteattr(based)}/>'
    if next_:
        out += f'<w:next w:val={quoteattr(next_)}/>'
    if ui is not None:
        out += f'<w:uiPriority w:val="{ui}"/>'
    if qformat:
        out += "<w:qFormat/>"
    return out + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rpr + "</w:style>"


def border(side: str, width: float, colour: str, space: float = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths(width)}" w:space="{int(round(min(space, MAX_BORDER_SPACE)))}" w:color={quoteattr(colour)}/>'


def box(fill: str, left: tuple[float, str], pad: float, bottom: tuple[float, str] | None = None) -> str:
    """Borders and shading that make consecutive paragraphs one box: a rule
    on the left, the other sides in the fill's colour so that the padding is
    shaded too (Word and LibreOffice join paragraphs whose borders are equal)."""
    bottom = bottom or (0.5, fill)
    return ("<w:pBdr>" + border("top", 0.5, fill, pad) + border("left", left[0], left[1], pad)
            + border("bottom", bottom[0], bottom[1], pad) + border("right", 0.5, fill, pad) + "</w:pBdr>"
            + f'<w:shd w:val="clear" w:color="auto" w:fill={quoteattr(fill)}/>')


def tabs(*stops: tuple[str, float, str]) -> str:
    out = []
    for kind, pos, leader in stops:
        lead = "" if leader == "none" else f' w:leader="{leader}"'
        out.append(f'<w:tab w:val="{kind}"{lead} w:pos="{twips(pos)}"/>')
    return "<w:tabs>" + "".join(out) + "</w:tabs>"


def from_text(t: TextStyle, keep_lines: bool = False, extra: str = "", after_extra: str = "") -> tuple[str, str]:
    """The paragraph and run properties of a text style of the theme (pPr in
    schema order: keeps, widow control, ``extra`` (numbering, borders,
    shading, tabs), no hyphenation, spacing, ``after_extra`` (indents),
    alignment)."""
    ppr = ("<w:keepNext/>" if t.keep_with_next else "") + ("<w:keepLines/>" if keep_lines else "")
    ppr += ("<w:widowControl/>" if t.widow_control else '<w:widowControl w:val="0"/>') + extra
    ppr += "<w:suppressAutoHyphens/>" if t.hyphenate is False else ""  # the house style hyphenates, but not this style
    ppr += spacing(t.before, t.after, t.leading) + after_extra
    if t.align in ("center", "right", "justify"):
        ppr += f'<w:jc w:val="{"both" if t.align == "justify" else t.align}"/>'
    rpr = run_props(size=t.size, bold="bold" in t.face, italic="italic" in t.face, colour=word_colour(t.colour))
    return ppr, rpr


def text_style(lk: Looks, role: str, style_id: str, name: str, keep_lines=False, extra="", after_extra="", ppr_first="", **kw) -> str:
    ppr, rpr = from_text(lk.text[role], keep_lines, extra, after_extra)
    return para_style(style_id, name, ppr=ppr_first + ppr, rpr=rpr, **kw)


def styles_xml(lk: Looks, language: str) -> str:
    t = lk.text
    body = t["body"]
    s: list[str] = []
    defaults = ("<w:docDefaults><w:rPrDefault>" + run_props(lk.font, body.size, lang=language)
                + "</w:rPrDefault><w:pPrDefault><w:pPr>" + spacing() + "</w:pPr></w:pPrDefault></w:docDefaults>")
    ppr, _ = from_text(body)
    s.append(para_style("Normal", "Normal", default=True, based=None, ppr=ppr,
                        rpr=run_props(lk.font, body.size, colour=word_colour(body.colour), lang=language)))
    s.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
             '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    s.append('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>'
             '<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
             '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    s.append('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/>'
             '<w:semiHidden/><w:unhideWhenUsed/></w:style>')
    s += _cover_styles(lk)
    for level in (1, 2, 3):
        numbered = f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADINGS}"/></w:numPr>'
        s.append(text_style(lk, f"heading{level}", f"Heading{level}", f"heading {level}", keep_lines=True, extra=numbered,
                            after_extra=f'<w:outlineLvl w:val="{level - 1}"/>', next_="Normal", ui=9))
    # "Contents", "Figures", "Tables": the space above is the space kept after each list
    title = lk.text["list_title"]
    ppr, rpr = from_text(title, True)
    s.append(para_style("TOCHeading", "TOC Heading", next_="Normal", ui=39, rpr=rpr,
                        ppr=ppr.replace(spacing(title.before, title.after, title.leading), spacing(lk.theme.contents.after, title.after, title.leading))))
    s += _contents_styles(lk)
    # captions stand above their figure or table and are kept with it
    s.append(text_style(lk, "caption", "Caption", "caption", keep_lines=True, next_="Normal", ui=35))
    s.append(para_style("Figure", "Figure", next_="Normal", ui=36, ppr=spacing(0, lk.theme.figures.after) + '<w:jc w:val="center"/>'))
    s.append(text_style(lk, "cell", "TableText", "Table Text", ui=37))
    s.append(text_style(lk, "cell_header", "TableHeading", "Table Heading", based="TableText", ui=37))
    # the space below a table: Word has no spacing after a table, so an empty
    # paragraph in this style stands there (an editor deletes it with the table)
    s.append(para_style("TableEnd", "Table End", ui=37, ppr=spacing(0, 0, lk.table("default").after, rule="exact"),
                        rpr=run_props(size=1)))
    s += _sidebar_styles(lk)
    s += _aside_styles(lk)
    s += _list_styles(lk)
    rule_width, rule_colour = lk.theme.header.rule_width, word_colour(lk.theme.header.rule_colour)
    s.append(text_style(lk, "header", "Header", "header", ui=99, qformat=False,
                        extra="<w:pBdr>" + border("bottom", rule_width, rule_colour, 3) + "</w:pBdr>"))
    s.append(text_style(lk, "footer", "Footer", "footer", ui=99, qformat=False))
    s.append('<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>'
             '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>' + run_props(colour=word_colour(lk.theme.links.colour), underline=True) + "</w:style>")
    for look in {look.name: look for look in lk.tables.values()}.values():
        s.append(table_style(lk, look))
    # the theme's own text styles (a table role's text, say) as paragraph styles of their name
    for role in lk.text:
        if role not in WORD_STYLES:
            s.append(text_style(lk, role, style_id(word_style(role)), word_style(role), ui=40))
    return HEAD + f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + defaults + "".join(s) + "</w:styles>"


def _cover_styles(lk: Looks) -> list[str]:
    """The cover's title and event lines stand in a band of the cover colour
    with a rule under it; the kind of paper below; the logo line at the foot."""
    cv, page = lk.theme.cover, lk.theme.page
    # the band itself is a shape from edge to edge of the page (front.cover):
    # the title starts the theme's inset below its top, as in the PDF
    top = page.height * cv.band_top - page.margin_top + cv.inset
    title = lk.text["cover_title"]
    ppr, rpr = from_text(title, True)
    ppr = "<w:keepNext/>" + ppr.replace(spacing(title.before, title.after, title.leading), spacing(top, cv.title_gap, title.leading))
    line = lk.text["cover_line"]
    line_ppr, line_rpr = from_text(line, False)
    line_ppr = "<w:keepNext/>" + line_ppr.replace(spacing(line.before, line.after, line.leading), spacing(0, cv.line_gap, line.leading))
    kind = lk.text["cover_kind"]
    kind_ppr, kind_rpr = from_text(kind)  # the writer frames it under the band (front.cover)
    kind_ppr = kind_ppr.replace(spacing(kind.before, kind.after, kind.leading), spacing(0, kind.after, kind.leading))
    logo = max((lg.width for lg in lk.logos), default=0.0)
    return [
        para_style("Title", "Title", next_="Subtitle", ui=10, ppr=ppr, rpr=rpr),
        para_style("Subtitle", "Subtitle", ui=11, ppr=line_ppr, rpr=line_rpr),
        para_style("CoverText", "Cover Text", ui=12, ppr=kind_ppr, rpr=kind_rpr),
        # the logos and their line; the writer holds it at the foot of the page in a frame
        text_style(lk, "cover_footer", "CoverFooter", "Cover Footer", ui=12,
                   extra=tabs(("left", logo + cv.logo_gap, "none")) if logo else ""),
    ]


def _contents_styles(lk: Looks) -> list[str]:
    """Contents lines: the number in its column, the title, dot leaders and the
    page number at the right margin."""
    tw = lk.text_width
    out = []
    for level in (1, 2, 3):
        number, indent = lk.number_width(level), lk.theme.contents.indent(level)
        out.append(text_style(lk, f"contents{level}", f"TOC{level}", f"toc {level}", next_="Normal", ui=39,
                              extra=tabs(("left", indent + number, "none"), ("right", tw, "dot")),
                              after_extra=f'<w:ind w:left="{twips(indent + number)}" w:hanging="{twips(number)}"/>'))
    out.append(text_style(lk, "list_entry", "TableofFigures", "table of figures", next_="Normal", ui=99,
                          extra=tabs(("right", tw, "dot"))))
    return out


def _sidebar_styles(lk: Looks) -> list[str]:
    sb, quotes = lk.theme.sidebars, lk.theme.quotes
    frame = box(word_colour(sb.fill), (sb.rule_width, word_colour(sb.rule_colour)), sb.padding)
    inset = f'<w:ind w:left="{twips(sb.padding + sb.rule_width)}" w:right="{twips(sb.padding)}"/>'
    # a quotation: the sidebar's rule on the quotes' fill, its words in italics or not (Word's own "Quote" style name)
    quote_frame = box(word_colour(quotes.fill), (sb.rule_width, word_colour(sb.rule_colour)), sb.padding)
    quote_ppr, quote_rpr = from_text(lk.text["sidebar"], True, quote_frame, inset)
    italic_rpr = quote_rpr.replace("<w:rPr>", "<w:rPr><w:i/><w:iCs/>", 1) if "<w:rPr>" in quote_rpr else "<w:i/><w:iCs/>" + quote_rpr
    italic_rpr = italic_rpr if quotes.italic else quote_rpr
    return [
        para_style("Quote", "Quote", ppr=quote_ppr, rpr=italic_rpr, next_="Normal", ui=29),
        para_style("QuoteAttribution", "Quote Attribution", ppr=quote_ppr, rpr=quote_rpr, next_="Normal", ui=29),
        text_style(lk, "sidebar", "Sidebar", "Sidebar", keep_lines=True, extra=frame, after_extra=inset, ui=38),
        text_style(lk, "sidebar_title", "SidebarTitle", "Sidebar Title", keep_lines=True, extra=frame, after_extra=inset,
                   ppr_first="" if lk.text["sidebar_title"].keep_with_next else "<w:keepNext/>", next_="Sidebar", ui=38),
    ]


def _aside_styles(lk: Looks) -> list[str]:
    """A note's or a warning's paragraphs ("Note", "Warning"): the sidebar's
    box in the kind's fill and rule; its label ("Note Label") above, kept with them."""
    sb, out = lk.theme.sidebars, []
    inset = f'<w:ind w:left="{twips(sb.padding + sb.rule_width)}" w:right="{twips(sb.padding)}"/>'
    for name, label_style, fill, rule_colour in lk.asides:
        frame = box(fill, (sb.rule_width, rule_colour), sb.padding)
        out.append(text_style(lk, "sidebar", style_id(name), name, keep_lines=True, extra=frame, after_extra=inset, ui=38))
        out.append(text_style(lk, label_style, style_id(name + " Label"), name + " Label", keep_lines=True, extra=frame, after_extra=inset,
                              ppr_first="" if lk.text[label_style].keep_with_next else "<w:keepNext/>", next_=name, ui=38))
    return out


LIST_STYLES = ("List Paragraph", "List Bullet", "List Number")


def _list_styles(lk: Looks) -> list[str]:
    """The list styles, and for each a "… Last" style for a list's last
    paragraph: the same, with a paragraph's space after it (Word spaces
    paragraphs by style, and has no rule for the space after a list)."""
    last = f'<w:spacing w:after="{twips(lk.text["body"].after)}"/>'
    return [
        text_style(lk, "list_item", "ListParagraph", "List Paragraph", ui=34, after_extra=f'<w:ind w:left="{twips(lk.theme.lists.indent)}"/>'),
        text_style(lk, "list_item", "ListBullet", "List Bullet", ui=34, extra=f'<w:numPr><w:numId w:val="{BULLETS}"/></w:numPr>'),
        text_style(lk, "list_item", "ListNumber", "List Number", ui=34, extra=f'<w:numPr><w:numId w:val="{NUMBERS}"/></w:numPr>'),
        *(para_style(style_id(name + " Last"), name + " Last", ppr=last, based=style_id(name), ui=34) for name in LIST_STYLES),
    ]


def table_style(lk: Looks, look: TableLook) -> str:
    """A Word table style: grid or column rules, cell padding, the header row
    (bold, filled, repeated on every page) and any fill of the body cells."""
    pad_tb, pad_lr = look.padding
    cell, head = lk.text["cell"], lk.text["cell_header"]
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if look.grid:
        borders = "".join(border(side, look.grid, look.grid_colour) for side in sides)
    else:
        borders = "".join(f'<w:{side} w:val="nil"/>' for side in sides[:5])
        if look.column_rule:
            borders += border("insideV", look.column_rule, look.column_rule_colour)
    body = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill={quoteattr(look.body_fill)}/></w:tcPr>' if look.body_fill else ""
    return (
        f'<w:style w:type="table" w:styleId={quoteattr(style_id(look.name))}><w:name w:val={quoteattr(look.name)}/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr>{spacing(0, cell.after, cell.leading)}</w:pPr>{run_props(size=cell.size)}'
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{twips(pad_tb)}" w:type="dxa"/><w:left w:w="{twips(pad_lr)}" w:type="dxa"/>'
        f'<w:bottom w:w="{twips(pad_tb)}" w:type="dxa"/><w:right w:w="{twips(pad_lr)}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"{body}"
        f'<w:tblStylePr w:type="firstRow">{run_props(bold="bold" in head.face, colour=word_colour(head.colour))}<w:tblPr/><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill={quoteattr(look.header_fill)}/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )


# the theme's text styles that have a Word style of their own (the others keep their name)
WORD_STYLES = {
    "body": "Normal", "list_item": "List Paragraph", "heading1": "heading 1", "heading2": "heading 2", "heading3": "heading 3",
    "list_title": "TOC Heading", "caption": "caption", "cell": "Table Text", "cell_header": "Table Heading", "sidebar": "Sidebar",
    "sidebar_title": "Sidebar Title", "contents1": "toc 1", "contents2": "toc 2", "contents3": "toc 3", "list_entry": "table of figures",
    "header": "header", "footer": "footer", "cover_title": "Title", "cover_line": "Subtitle", "cover_kind": "Cover Text",
    "cover_footer": "Cover Footer",
}


def word_style(role: str) -> str:
    """The Word style name of a text style of the theme."""
    return WORD_STYLES.get(role) or role.replace("_", " ").title()


def style_id(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())
