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

from .looks import Looks, TableLook
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
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if colour:
        parts.append(f'<w:color w:val="{colour}"/>')
    if size:
        parts.append(f'<w:sz w:val="{half_points(size)}"/><w:szCs w:val="{half_points(size)}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    if lang:
        parts.append(f'<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def para_style(style_id, name, ppr="", rpr="", based="Normal", next_=None, default=False, ui=None, qformat=True) -> str:
    out = f'<w:style w:type="paragraph" w:styleId="{style_id}"' + (' w:default="1"' if default else "") + f'><w:name w:val="{name}"/>'
    if based:
        out += f'<w:basedOn w:val="{based}"/>'
    if next_:
        out += f'<w:next w:val="{next_}"/>'
    if ui is not None:
        out += f'<w:uiPriority w:val="{ui}"/>'
    if qformat:
        out += "<w:qFormat/>"
    return out + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + rpr + "</w:style>"


def border(side: str, width: float, colour: str, space: float = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths(width)}" w:space="{int(round(min(space, MAX_BORDER_SPACE)))}" w:color="{colour}"/>'


def box(fill: str, left: tuple[float, str], pad: float, bottom: tuple[float, str] | None = None) -> str:
    """Borders and shading that make consecutive paragraphs one box: a rule
    on the left, the other sides in the fill's colour so that the padding is
    shaded too (Word and LibreOffice join paragraphs whose borders are equal)."""
    bottom = bottom or (0.5, fill)
    return ("<w:pBdr>" + border("top", 0.5, fill, pad) + border("left", left[0], left[1], pad)
            + border("bottom", bottom[0], bottom[1], pad) + border("right", 0.5, fill, pad) + "</w:pBdr>"
            + f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')


def tabs(*stops: tuple[str, float, str]) -> str:
    out = []
    for kind, pos, leader in stops:
        lead = "" if leader == "none" else f' w:leader="{leader}"'
        out.append(f'<w:tab w:val="{kind}"{lead} w:pos="{twips(pos)}"/>')
    return "<w:tabs>" + "".join(out) + "</w:tabs>"


def styles_xml(lk: Looks, language: str) -> str:
    sz, sp, c, ln = lk.size, lk.space, lk.colours, lk.line
    s: list[str] = []
    defaults = ("<w:docDefaults><w:rPrDefault>" + run_props(lk.font, sz["body"], lang=language)
                + "</w:rPrDefault><w:pPrDefault><w:pPr>" + spacing() + "</w:pPr></w:pPrDefault></w:docDefaults>")
    s.append(para_style("Normal", "Normal", default=True, based=None,
                        ppr="<w:widowControl/>" + spacing(0, sp["paragraph_after"], sz["leading"]),
                        rpr=run_props(lk.font, sz["body"], colour=c["text"], lang=language)))
    s.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
             '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    s.append('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>'
             '<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
             '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    s.append('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/>'
             '<w:semiHidden/><w:unhideWhenUsed/></w:style>')
    s += _cover_styles(lk)
    s += _heading_styles(lk)
    s += _contents_styles(lk)
    # captions above their figure or table, kept with it
    s.append(para_style("Caption", "caption", next_="Normal", ui=35,
                        ppr="<w:keepNext/><w:keepLines/>" + spacing(sp["caption_before"], sp["caption_before"] + sp["caption_gap"],
                                                                   sz["caption"] * ln["caption_line"]),
                        rpr=run_props(size=sz["caption"], bold=True, colour=c["primary"])))
    s.append(para_style("Figure", "Figure", next_="Normal", ui=36,
                        ppr=spacing(0, sp["caption_after"]) + '<w:jc w:val="center"/>'))
    s.append(para_style("TableText", "Table Text", ui=37, ppr=spacing(0, sp["cell_after"], sz["table_leading"]),
                        rpr=run_props(size=sz["table"])))
    s.append(para_style("TableHeading", "Table Heading", based="TableText", ui=37, ppr="<w:keepNext/>",
                        rpr=run_props(bold=True, colour=lk.tables["default"].header_text)))
    # the space below a table: Word has no spacing after a table, so an empty
    # paragraph in this style stands there (an editor deletes it with the table)
    s.append(para_style("TableEnd", "Table End", ui=37, ppr=spacing(0, 0, sp["caption_after"], rule="exact"),
                        rpr=run_props(size=1)))
    s += _sidebar_styles(lk)
    s += _list_styles(lk)
    s.append(para_style("Header", "header", ui=99, qformat=False,
                        ppr=spacing(0, 0, sz["header"] * ln["header_line"]) + '<w:jc w:val="right"/>',
                        rpr=run_props(size=sz["header"], colour=c["muted"])))
    s.append(para_style("Footer", "footer", ui=99, qformat=False,
                        ppr=spacing(0, 0, sz["footer"] * ln["header_line"]) + '<w:jc w:val="right"/>',
                        rpr=run_props(size=sz["footer"], colour=c["muted"])))
    s.append('<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>'
             '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>' + run_props(colour=c["secondary"], underline=True) + "</w:style>")
    for look in lk.tables.values():
        s.append(table_style(lk, look))
    return HEAD + f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + defaults + "".join(s) + "</w:styles>"


def _cover_styles(lk: Looks) -> list[str]:
    """The cover's title and event lines stand in a band of the cover colour
    with a rule under it; the kind of paper below; the logo line at the foot."""
    sz, cv, ln, page = lk.size, lk.cover, lk.line, lk.page
    pad = min(cv["inset"] / 2, MAX_BORDER_SPACE)
    band = box(cv["band"], (0.5, cv["band"]), pad, bottom=(cv["accent_height"], cv["rule"]))
    top = page["page_height"] * cv["band_top"] - page["margin_top"]
    return [
        para_style("Title", "Title", next_="Subtitle", ui=10,
                   ppr="<w:keepNext/><w:keepLines/>" + band + spacing(top, cv["title_gap"], sz["cover_title"] * ln["cover_title_line"]),
                   rpr=run_props(size=sz["cover_title"], bold=True, colour=cv["on_band"])),
        para_style("Subtitle", "Subtitle", ui=11, ppr="<w:keepNext/>" + band + spacing(0, cv["line_gap"], sz["cover_subtitle"] * ln["cover_subtitle_line"]),
                   rpr=run_props(size=sz["cover_subtitle"], colour=cv["on_band"])),
        para_style("CoverText", "Cover Text", ui=12, ppr=spacing(cv["inset"], 0, sz["cover_subtitle"] * ln["cover_subtitle_line"]),
                   rpr=run_props(size=sz["cover_subtitle"], bold=True, colour=cv["kind"])),
        # the logos and their line; the writer holds it at the foot of the page in a frame
        para_style("CoverFooter", "Cover Footer", ui=12,
                   ppr=tabs(("left", cv["emblem_width"] + cv["emblem_gap"], "none")) + spacing(0, 0),
                   rpr=run_props(size=cv["footer_size"], bold=True, colour=cv["kind"])),
    ]


def _heading_styles(lk: Looks) -> list[str]:
    sz, sp, ln = lk.size, lk.space, lk.line
    out = []
    for level in (1, 2, 3):
        ppr = ("<w:keepNext/><w:keepLines/>"
               + f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{HEADINGS}"/></w:numPr>'
               + spacing(sp[f"heading{level}_before"], sp[f"heading{level}_after"], sz[f"h{level}"] * ln["heading_line"])
               + f'<w:outlineLvl w:val="{level - 1}"/>')
        out.append(para_style(f"Heading{level}", f"heading {level}", ppr=ppr, next_="Normal", ui=9,
                              rpr=run_props(size=sz[f"h{level}"], bold=True, colour=lk.heading_colours[level])))
    out.append(para_style("TOCHeading", "TOC Heading", next_="Normal", ui=39,
                          ppr="<w:keepNext/><w:keepLines/>" + spacing(sp["after_lists"], sp["heading1_after"], sz["h1"] * ln["heading_line"]),
                          rpr=run_props(size=sz["h1"], bold=True, colour=lk.heading_colours[1])))
    return out


def _contents_styles(lk: Looks) -> list[str]:
    """Contents lines: the number in its column, the title, dot leaders and the
    page number at the right margin; long titles wrap before the page column."""
    sz, sp, ln, tw = lk.size, lk.space, lk.line, lk.text_width
    line = sz["toc"] * ln["toc_line"]
    out = []
    for level in (1, 2, 3):
        number = lk.number_width[level]
        before = sp["toc1_before"] if level == 1 else sp["toc_before"]
        ppr = (tabs(("left", number, "none"), ("right", tw, "dot")) + spacing(before, sp["toc_after"], line)
               + f'<w:ind w:left="{twips(number)}" w:hanging="{twips(number)}"/>')
        out.append(para_style(f"TOC{level}", f"toc {level}", ppr=ppr, next_="Normal", ui=39, rpr=run_props(size=sz["toc"], bold=level == 1)))
    out.append(para_style("TableofFigures", "table of figures", next_="Normal", ui=99,
                          ppr=tabs(("right", tw, "dot")) + spacing(sp["toc_before"], sp["toc_after"], line),
                          rpr=run_props(size=sz["toc"])))
    return out


def _sidebar_styles(lk: Looks) -> list[str]:
    sz, sp, ln, sb = lk.size, lk.space, lk.line, lk.sidebar
    frame = box(sb["fill"], (sb["rule"], sb["rule_colour"]), sb["padding"])
    line = sz["sidebar"] * ln["sidebar_line"]
    return [
        para_style("Sidebar", "Sidebar", ui=38, ppr="<w:keepLines/>" + frame + spacing(0, sp["sidebar_after"], line)
                   + f'<w:ind w:left="{twips(sb["padding"] + sb["rule"])}" w:right="{twips(sb["padding"])}"/>',
                   rpr=run_props(size=sz["sidebar"])),
        para_style("SidebarTitle", "Sidebar Title", based="Sidebar", next_="Sidebar", ui=38,
                   ppr="<w:keepNext/>" + spacing(0, sp["sidebar_title_after"], line), rpr=run_props(bold=True, colour=sb["title_colour"])),
    ]


def _list_styles(lk: Looks) -> list[str]:
    sp, sz = lk.space, lk.size
    item = spacing(0, sp["list_item_after"], sz["leading"])
    return [
        para_style("ListParagraph", "List Paragraph", ui=34, ppr=item + f'<w:ind w:left="{twips(lk.list_indent)}"/>'),
        para_style("ListBullet", "List Bullet", ui=34, ppr=f'<w:numPr><w:numId w:val="{BULLETS}"/></w:numPr>' + item),
        para_style("ListNumber", "List Number", ui=34, ppr=f'<w:numPr><w:numId w:val="{NUMBERS}"/></w:numPr>' + item),
    ]


def table_style(lk: Looks, look: TableLook) -> str:
    """A Word table style: grid or column rules, cell padding, the header row
    (bold, filled, repeated on every page) and any fill of the body cells."""
    pad_tb, pad_lr = lk.cell_padding
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if look.grid:
        borders = "".join(border(side, look.grid, look.grid_colour) for side in sides)
    else:
        borders = "".join(f'<w:{side} w:val="nil"/>' for side in sides[:5])
        if look.column_rule:
            borders += border("insideV", look.column_rule, look.column_rule_colour)
    style_id = "".join(ch for ch in look.name if ch.isalnum())
    body = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{look.body_fill}"/></w:tcPr>' if look.body_fill else ""
    return (
        f'<w:style w:type="table" w:styleId="{style_id}"><w:name w:val={quoteattr(look.name)}/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr>{spacing(0, lk.space["cell_after"], lk.size["table_leading"])}</w:pPr>{run_props(size=lk.size["table"])}'
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{twips(pad_tb)}" w:type="dxa"/><w:left w:w="{twips(pad_lr)}" w:type="dxa"/>'
        f'<w:bottom w:w="{twips(pad_tb)}" w:type="dxa"/><w:right w:w="{twips(pad_lr)}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"{body}"
        f'<w:tblStylePr w:type="firstRow">{run_props(bold=True, colour=look.header_text)}<w:tblPr/><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{look.header_fill}"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )


def style_id(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())
