"""The DOCX package: the empty Word document the writer fills (its styles,
numbering, settings, fonts), and the zip written with fixed times and order.

The styles are made from the house style during every build (``styles.py``,
``numbering.py``) and kept for the process by their content, so a change to
``templates/style.yaml`` reaches the DOCX on the next build with nothing to
run by hand.  The package is written part by part, with no clock and a fixed
zip order, so two builds give the same bytes.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from xml.sax.saxutils import quoteattr

from .looks import Looks
from .numbering import numbering_xml
from .styles import styles_xml
from .wml import ROOT_NAMESPACES, W_NS, twips

HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def settings_xml(language: str = "en-GB", hyphenate: bool = False) -> str:
    """Word's document settings; ``hyphenate``: Word's automatic hyphenation
    (of the text styles that do not suppress it, in the text's language; no
    word in capitals, as the PDF's hyphenator)."""
    return (
        HEAD + f'<w:settings xmlns:w="{W_NS}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        + ('<w:autoHyphenation w:val="true"/><w:doNotHyphenateCaps w:val="true"/>' if hyphenate else "") +
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:updateFields w:val="true"/>'  # Word refreshes the contents, lists and references on opening
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val={quoteattr(language)}/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def font_table_xml(lk: Looks) -> str:
    font = quoteattr(lk.font)  # the theme's family: any text, set as an attribute's value
    return (
        HEAD + f'<w:fonts xmlns:w="{W_NS}">'
        f'<w:font w:name={font}><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        "</w:fonts>"
    )


def document_xml(lk: Looks) -> str:
    """An empty body with the page set-up; every namespace the body uses is
    declared here, on the root."""
    p = lk.theme.page
    names = " ".join(f'xmlns:{k}="{v}"' for k, v in ROOT_NAMESPACES.items())
    return (
        HEAD + f"<w:document {names}><w:body>"
        "<w:sectPr>"
        f'<w:pgSz w:w="{twips(p.width)}" w:h="{twips(p.height)}"/>'
        f'<w:pgMar w:top="{twips(p.margin_top)}" w:right="{twips(p.margin_right)}" w:bottom="{twips(p.margin_bottom)}" '
        f'w:left="{twips(p.margin_left)}" w:header="{twips(p.header_distance)}" w:footer="{twips(p.footer_distance)}" w:gutter="0"/>'
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


def reference_docx(lk: Looks, language: str, kept=None) -> bytes:
    """The empty styled document as bytes; ``kept`` (a bounded cache the
    caller keeps, e.g. a build context's Memory) holds it for each distinct
    house style (the key is the looks' whole content)."""
    key = hashlib.sha256(f"{lk!r}\0{language}".encode("utf-8")).hexdigest()
    data = kept.get(key) if kept is not None else None
    if data is None:
        parts = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("docProps/core.xml", core_xml()),
            ("docProps/app.xml", app_xml()),
            ("word/document.xml", document_xml(lk)),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/styles.xml", styles_xml(lk, language)),
            ("word/settings.xml", settings_xml(language, lk.theme.typography.hyphenate)),
            ("word/numbering.xml", numbering_xml(lk)),
            ("word/fontTable.xml", font_table_xml(lk)),
        ]
        data = zip_parts((name, part.encode("utf-8")) for name, part in parts)
        if kept is not None:
            kept.put(key, data)
    return data


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


__all__ = ["FIXED_TIME", "reference_docx", "zip_parts"]
