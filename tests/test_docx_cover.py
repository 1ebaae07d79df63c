"""The DOCX cover as the PDF draws it: the band and its accent rule from edge
to edge of the page (shapes placed by the theme's band_top and band_bottom,
decorative), the kind of paper the inset under the band, and the footer line
raised beside the logos so that nothing of it is cut."""
from __future__ import annotations

import re
import subprocess
import zipfile

from conftest import real_paper

EMU = 12700  # per point


def _document(paper_out) -> str:
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_the_band_and_its_rule_run_from_edge_to_edge(paper_out):
    theme = real_paper().theme
    page, cover = theme.page, theme.cover
    xml = _document(paper_out)
    shapes = re.findall(r"<wp:anchor [^>]*behindDoc=\"1\".*?</wp:anchor>", xml)
    assert len(shapes) == 2
    expected = [(page.height * cover.band_top, page.height * (cover.band_bottom - cover.band_top), cover.band_colour),
                (page.height * cover.band_bottom, cover.accent_height, cover.accent_colour)]
    for shape, (y, height, colour) in zip(shapes, expected):
        assert '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset>' in shape
        assert f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y * EMU)}</wp:posOffset>' in shape
        assert f'<wp:extent cx="{round(page.width * EMU)}" cy="{round(height * EMU)}"/>' in shape
        assert f'<a:srgbClr val="{colour.lstrip("#").upper()}"/>' in shape
        assert 'descr=""' in shape and "decorative" in shape  # a screen reader skips it
    styles = zipfile.ZipFile(next(paper_out.glob("*.docx"))).read("word/styles.xml").decode("utf-8")
    title = re.search(r'<w:style w:type="paragraph" w:styleId="Title">.*?</w:style>', styles).group(0)
    assert "<w:shd" not in title and "<w:pBdr>" not in title  # the band is no paragraph shading inside the margins any more


def test_the_footer_line_stands_raised_beside_the_logos(paper_out):
    theme = real_paper().theme
    xml = _document(paper_out)
    foot = re.search(r'<w:p><w:pPr><w:pStyle w:val="CoverFooter"/>.*?</w:p>', xml).group(0)
    assert f'<w:position w:val="{round(2 * theme.cover.footer_baseline)}"/>' in foot


def test_libreoffice_shows_the_band_to_both_edges_and_the_kind_under_it(in_libreoffice, tmp_path):
    from PIL import Image

    theme = real_paper().theme
    page, cover = theme.page, theme.cover
    pdf = in_libreoffice
    subprocess.run(["pdftoppm", "-png", "-r", "36", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "cover")], check=True, timeout=120)
    image = Image.open(next(tmp_path.glob("cover*.png"))).convert("RGB")
    scale = image.width / page.width
    band = tuple(int(cover.band_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    y = int(page.height * (cover.band_top + 0.02) * scale)  # just inside the band's top, above the title
    for x in (1, image.width - 2):
        assert max(abs(a - b) for a, b in zip(image.getpixel((x, y)), band)) < 24, (x, image.getpixel((x, y)))
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', text)
    kind_first = real_paper().doc.cover.kind.split()[0]
    kind_y = next(float(y) for y, w in words if w == kind_first)
    assert kind_y > page.height * cover.band_bottom + cover.accent_height, "the kind line stands under the band"


def test_short_hyphenated_names_on_the_cover_never_break_at_their_hyphens(paper_out):
    """LibreOffice broke the subtitle as "Île-de-" / "France": by the theme's
    typography.no_break_hyphens, such a name's hyphens are Word's no-break
    hyphens in the DOCX and the name a span that never wraps on the page."""
    theme = real_paper().theme
    assert theme.typography.no_break_hyphens >= len("Île-de-France")
    assert theme.typography.unbroken("the Kick-off of Île-de-France") == [("the Kick-off of ", False), ("Île-de-France", True)]
    xml = _document(paper_out)
    assert "Île</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">de</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">France" in xml
    page = next(paper_out.glob("*.html")).read_text(encoding="utf-8")
    assert '<span class="nobr">Île-de-France</span>' in page and ".nobr { white-space: nowrap; }" in page


def test_libreoffice_keeps_a_short_hyphenated_name_on_one_line(in_libreoffice):
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(in_libreoffice), "-"], capture_output=True, text=True, check=True).stdout
    assert any("Île-de-France" in line for line in cover.splitlines()), cover  # whole on one of the cover's lines
    assert not any(line.rstrip().endswith(("Île-de-", "Île-")) for line in cover.splitlines())
