"""The Word template (``templates/reference.docx``) generated from the style.

Like pandoc's ``--reference-doc``, the DOCX writer takes its styles from a
template document: an organisation can replace the file with its own house
style as long as the style names stay.  This module writes that template
from ``templates/style.yaml`` so that the shipped one matches the PDF (same
page, fonts, sizes, spacing and colours); ``tools/make_reference_docx.py``
saves it.  The package is written part by part, with no clock and a fixed
zip order, so regenerating it gives the same bytes.

Styles (Word's built-in names, so that the navigation pane, the captions
dialog and the tables of contents recognise them): Normal, Title, Subtitle,
Heading 1-3, TOC Heading, TOC 1-3, Table of Figures, Caption, List Bullet,
List Number (with numbering definitions), Header, Footer, Hyperlink, plus the
paper's own: Table Text, Table Heading, Sidebar, Sidebar Title, Figure,
Cover Text, Cover Footer and the table style Paper Table.
"""
from __future__ import annotations

import io
import zipfile

from ...metrics import metrics
from ...style import Style
from .fields import eighths, half_points, twips

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- XML bits
def _colour(style: Style, key: str) -> str:
    return style.colour(key).lstrip("#").upper()


def _spacing(before=0.0, after=0.0, line=None, rule="exact") -> str:
    attrs = f'w:before="{twips(before)}" w:after="{twips(after)}"'
    if line is not None:
        attrs += f' w:line="{twips(line)}" w:lineRule="{rule}"'
    else:
        attrs += ' w:line="240" w:lineRule="auto"'
    return f"<w:spacing {attrs}/>"


def _rpr(font=None, size=None, bold=False, italic=False, colour=None, lang=None, extra="") -> str:
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
    parts.append(extra)  # e.g. an underline, which comes after the size
    if lang:
        parts.append(f'<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def _pstyle(style_id, name, ppr="", rpr="", based="Normal", next_=None, default=False,
            ui=None, qformat=True, link=None) -> str:
    attrs = f'w:type="paragraph" w:styleId="{style_id}"'
    if default:
        attrs += ' w:default="1"'
    out = f'<w:style {attrs}><w:name w:val="{name}"/>'
    if based:
        out += f'<w:basedOn w:val="{based}"/>'
    if next_:
        out += f'<w:next w:val="{next_}"/>'
    if link:
        out += f'<w:link w:val="{link}"/>'
    if ui is not None:
        out += f'<w:uiPriority w:val="{ui}"/>'
    if qformat:
        out += "<w:qFormat/>"
    if ppr:
        out += f"<w:pPr>{ppr}</w:pPr>"
    if rpr:
        out += rpr
    return out + "</w:style>"


def _cstyle(style_id, name, rpr, ui=None, based="DefaultParagraphFont") -> str:
    out = f'<w:style w:type="character" w:styleId="{style_id}"><w:name w:val="{name}"/>'
    if based:
        out += f'<w:basedOn w:val="{based}"/>'
    if ui is not None:
        out += f'<w:uiPriority w:val="{ui}"/>'
    out += "<w:unhideWhenUsed/>"
    return out + rpr + "</w:style>"


def _border(side: str, size_pt: float, colour: str, space: float = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths(size_pt)}" w:space="{int(round(space))}" w:color="{colour}"/>'


def _tabs(*stops: tuple[str, float, str]) -> str:
    out = []
    for kind, pos, leader in stops:
        lead = "" if leader == "none" else f' w:leader="{leader}"'
        out.append(f'<w:tab w:val="{kind}"{lead} w:pos="{twips(pos)}"/>')
    return "<w:tabs>" + "".join(out) + "</w:tabs>"


# ----------------------------------------------------------------------------- parts
def styles_xml(style: Style, language: str = "en-GB") -> str:
    m = metrics(style)
    sz = m["size"]
    font = style.fonts.get("word_family", "Calibri")
    text = _colour(style, "text")
    primary = _colour(style, "primary")
    secondary = _colour(style, "secondary")
    muted = _colour(style, "muted")
    accent = _colour(style, "accent")
    light = _colour(style, "light")
    rule = _colour(style, "rule")
    white = _colour(style, "table_header_text")
    tw = m["text_width"]
    pad_tb, pad_lr = m["cell_padding"]

    def spacing(kind) -> str:
        line, before, after = kind
        return _spacing(before, after, line)

    s = []
    # -- defaults: the font, size and language every style starts from
    defaults = (
        "<w:docDefaults><w:rPrDefault>"
        + _rpr(font, sz["body"], lang=language)
        + "</w:rPrDefault><w:pPrDefault><w:pPr>"
        + _spacing(0, 0)
        + "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    s.append(_pstyle(
        "Normal", "Normal", default=True, based=None,
        ppr="<w:widowControl/>" + spacing(m["body"]),
        rpr=_rpr(font, sz["body"], colour=text, lang=language),
    ))
    s.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    s.append(
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    s.append('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')

    # -- cover: the title and lines (white on the cover's navy band), the kind below it
    s.append(_pstyle(
        "Title", "Title", next_="Subtitle", ui=10,
        ppr="<w:keepNext/><w:keepLines/>" + _spacing(0, m["cover"]["title_gap"], m["cover_title_leading"]),
        rpr=_rpr(size=sz["cover_title"], bold=True, colour=primary),
    ))
    s.append(_pstyle(
        "Subtitle", "Subtitle", ui=11,
        ppr=_spacing(0, m["cover"]["line_gap"], m["cover_subtitle_leading"]),
        rpr=_rpr(size=sz["cover_subtitle"], colour=secondary),
    ))
    s.append(_pstyle(
        "CoverText", "Cover Text", ui=12,
        ppr=_spacing(0, 0, m["cover_subtitle_leading"]),
        rpr=_rpr(size=sz["cover_subtitle"], bold=True, colour=primary),
    ))
    s.append(_pstyle(
        "CoverFooter", "Cover Footer", ui=12,
        ppr=_spacing(0, 0),
        rpr=_rpr(size=11, bold=True, colour=primary),
    ))

    # -- headings: the pipeline writes the number, a tab and the title
    for level, colour in ((1, primary), (2, secondary), (3, primary)):
        ppr = "<w:keepNext/><w:keepLines/>" + spacing(m["heading"][level]) + f'<w:outlineLvl w:val="{level - 1}"/>'
        s.append(_pstyle(f"Heading{level}", f"heading {level}", ppr=ppr, next_="Normal", ui=9,
                         rpr=_rpr(size=sz[f"h{level}"], bold=True, colour=colour)))
    s.append(_pstyle(
        "TOCHeading", "TOC Heading", next_="Normal", ui=39,
        ppr="<w:keepNext/><w:keepLines/>" + spacing(m["front_title"]),
        rpr=_rpr(size=sz["h1"], bold=True, colour=primary),
    ))
    # -- contents and lists of figures/tables: number column, dot leaders, page at the right
    for level in (1, 2, 3):
        number = m["toc_number"][level]
        ppr = (
            _tabs(("left", number, "none"), ("right", tw, "dot"))
            + spacing(m["toc"][level])
            + f'<w:ind w:left="{twips(number)}" w:hanging="{twips(number)}"/>'
        )
        s.append(_pstyle(f"TOC{level}", f"toc {level}", ppr=ppr, next_="Normal", ui=39,
                         rpr=_rpr(size=sz["toc"], bold=level == 1)))
    s.append(_pstyle(
        "TableofFigures", "table of figures", next_="Normal", ui=99,
        ppr=_tabs(("right", tw, "dot")) + spacing(m["figure_list"]),
        rpr=_rpr(size=sz["toc"]),
    ))

    # -- captions, figures, tables, sidebars
    s.append(_pstyle(
        "Caption", "caption", next_="Normal", ui=35,
        ppr="<w:keepNext/>" + spacing(m["caption"]),
        rpr=_rpr(size=sz["caption"], bold=True, colour=primary),
    ))
    s.append(_pstyle(
        "Figure", "Figure", next_="Normal", ui=36,
        ppr=_spacing(0, 0) + '<w:jc w:val="center"/>',
    ))
    s.append(_pstyle(
        "TableText", "Table Text", ui=37,
        ppr=spacing(m["cell"]),
        rpr=_rpr(size=sz["table"]),
    ))
    s.append(_pstyle(
        "TableHeading", "Table Heading", based="TableText", ui=37,
        rpr=_rpr(bold=True, colour=white),
    ))
    s.append(_pstyle(
        "Sidebar", "Sidebar", ui=38,
        ppr=f'<w:shd w:val="clear" w:color="auto" w:fill="{light}"/>' + spacing(m["sidebar"]),
        rpr=_rpr(size=sz["sidebar"]),
    ))
    s.append(_pstyle(
        "SidebarTitle", "Sidebar Title", based="Sidebar", next_="Sidebar", ui=38,
        ppr="<w:keepNext/>" + spacing(m["sidebar_title"]),
        rpr=_rpr(bold=True, colour=accent),
    ))

    # -- lists (numbering definitions 1 = bullets, 2 = numbers)
    indent = m["list_indent"]
    s.append(_pstyle("ListParagraph", "List Paragraph", ui=34,
                     ppr=spacing(m["list_item"]) + f'<w:ind w:left="{twips(indent)}"/>'))
    s.append(_pstyle(
        "ListBullet", "List Bullet", ui=34,
        ppr='<w:numPr><w:numId w:val="1"/></w:numPr>' + spacing(m["list_item"])
        + f'<w:ind w:left="{twips(indent)}" w:hanging="{twips(indent * 0.8)}"/>',
    ))
    s.append(_pstyle(
        "ListNumber", "List Number", ui=34,
        ppr='<w:numPr><w:numId w:val="2"/></w:numPr>' + spacing(m["list_item"])
        + f'<w:ind w:left="{twips(indent)}" w:hanging="{twips(indent)}"/>',
    ))

    # -- running header and footer
    s.append(_pstyle(
        "Header", "header", ui=99, qformat=False,
        ppr=_spacing(0, 0, m["header_leading"]) + '<w:jc w:val="right"/>',
        rpr=_rpr(size=sz["header"], colour=muted),
    ))
    s.append(_pstyle(
        "Footer", "footer", ui=99, qformat=False,
        ppr=_spacing(0, 0, m["footer_leading"]) + '<w:jc w:val="right"/>',
        rpr=_rpr(size=sz["footer"], colour=muted),
    ))

    # -- character styles
    s.append(_cstyle("Hyperlink", "Hyperlink", _rpr(colour=secondary, extra='<w:u w:val="single"/>'), ui=99))

    # -- table styles: the paper's grid, and the sidebar box
    grid = m["grid_line"]
    s.append(
        '<w:style w:type="table" w:styleId="PaperTable"><w:name w:val="Paper Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr>{spacing(m["cell"])}</w:pPr>'
        f'{_rpr(size=sz["table"])}'
        "<w:tblPr><w:tblBorders>"
        + "".join(_border(side, grid, rule) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{twips(pad_tb - grid / 2)}" w:type="dxa"/><w:left w:w="{twips(pad_lr)}" w:type="dxa"/>'
        f'<w:bottom w:w="{twips(pad_tb - grid / 2)}" w:type="dxa"/><w:right w:w="{twips(pad_lr)}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{white}"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{primary}"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )
    box = m["sidebar_padding"]
    s.append(
        '<w:style w:type="table" w:styleId="SidebarBox"><w:name w:val="Sidebar Box"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="60"/>'
        "<w:tblPr><w:tblBorders>"
        + _border("left", m["sidebar_rule"], accent)
        + "</w:tblBorders>"
        f'<w:tblCellMar><w:top w:w="{twips(box)}" w:type="dxa"/><w:left w:w="{twips(box + m["sidebar_rule"])}" w:type="dxa"/>'
        f'<w:bottom w:w="{twips(box)}" w:type="dxa"/><w:right w:w="{twips(box)}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{light}"/></w:tcPr>'
        "</w:style>"
    )
    return (
        HEAD + f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + defaults + "".join(s) + "</w:styles>"
    )


def numbering_xml(style: Style) -> str:
    """Bullets ("•", as the PDF) and numbers ("1.", decimal at every level),
    coloured like the PDF's list markers; the writer sets each item's indent."""
    m = metrics(style)
    indent = m["list_indent"]
    colour = _colour(style, "secondary")

    def lvl(i, fmt, text, hanging):
        left = indent * (i + 1)
        return (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{twips(left)}" w:hanging="{twips(hanging)}"/></w:pPr>'
            f'<w:rPr><w:color w:val="{colour}"/></w:rPr></w:lvl>'
        )

    bullets = "".join(lvl(i, "bullet", "\u2022", indent * 0.8) for i in range(9))
    numbers = "".join(lvl(i, "decimal", f"%{i + 1}.", indent) for i in range(9))
    return (
        HEAD + f'<w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>{bullets}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>{numbers}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    )


def settings_xml(language: str = "en-GB") -> str:
    return (
        HEAD + f'<w:settings xmlns:w="{W_NS}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{language}"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def font_table_xml(style: Style) -> str:
    font = style.fonts.get("word_family", "Calibri")
    return (
        HEAD + f'<w:fonts xmlns:w="{W_NS}">'
        f'<w:font w:name="{font}"><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        "</w:fonts>"
    )


def document_xml(style: Style) -> str:
    m = metrics(style)
    return (
        HEAD + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        "<w:p/>"
        "<w:sectPr>"
        f'<w:pgSz w:w="{twips(m["page_width"])}" w:h="{twips(m["page_height"])}"/>'
        f'<w:pgMar w:top="{twips(m["margin_top"])}" w:right="{twips(m["margin_right"])}" w:bottom="{twips(m["margin_bottom"])}" '
        f'w:left="{twips(m["margin_left"])}" w:header="{twips(m["header_distance"])}" w:footer="{twips(m["footer_distance"])}" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    )


def core_xml() -> str:
    return (
        HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Reference document</dc:title><dc:creator>paperpipe</dc:creator><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>paperpipe</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    )


CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)


def reference_docx(style: Style, language: str = "en-GB") -> bytes:
    """The template as bytes (the same bytes every time for the same style)."""
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", core_xml()),
        ("docProps/app.xml", app_xml()),
        ("word/document.xml", document_xml(style)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", styles_xml(style, language)),
        ("word/settings.xml", settings_xml(language)),
        ("word/numbering.xml", numbering_xml(style)),
        ("word/fontTable.xml", font_table_xml(style)),
    ]
    return zip_parts((name, data.encode("utf-8")) for name, data in parts)


def zip_parts(parts, date_time=FIXED_TIME) -> bytes:
    """A zip of (name, bytes) in the given order with fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return out.getvalue()


__all__ = ["reference_docx", "zip_parts"]
