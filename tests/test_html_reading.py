"""The web page read on any screen: the house font travels inside the page
(a WOFF2 subset of what the page shows), figures keep their text readable
on a phone and the regions that scroll sideways say so."""
from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import pytest
from fontTools.ttLib import TTFont

from conftest import needs_browser, real_paper

MAX_PAGE = 300_000  # bytes: the page with its fonts and figures
MIN_TEXT_PX = 9     # the smallest figure text at 360 px (issue: no figure text under 9 CSS px)
FACE = re.compile(r'@font-face \{ font-family: "([^"]*)"; font-weight: (\w+); font-style: (\w+);[^}]*?'
                  r'url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\); \}')


class _Text(HTMLParser):
    """The characters a reader sees: text outside <style> (figures' text included)."""

    def __init__(self):
        super().__init__()
        self.chars: set[str] = set()
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.chars |= set(data)


@pytest.fixture(scope="module")
def paper():
    return real_paper()


@pytest.fixture(scope="module")
def page_file(paper_out, paper):
    return paper_out / f"{paper.doc.meta.output_name}.html"


def test_the_page_embeds_each_face_of_the_house_font_cut_to_its_characters(page_file, paper):
    data = page_file.read_bytes()
    assert len(data) < MAX_PAGE, f"the page is {len(data)} bytes"
    faces = FACE.findall(data.decode("utf-8"))
    fonts = paper.theme.fonts
    assert {(w, s) for _, w, s, _ in faces} == {("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic")}
    assert {family for family, *_ in faces} == {fonts.family}
    reader = _Text()
    reader.feed(data.decode("utf-8"))
    shown = {ord(c) for c in reader.chars if not c.isspace()}
    by_face = {("normal", "normal"): "regular", ("bold", "normal"): "bold", ("normal", "italic"): "italic", ("bold", "italic"): "bold_italic"}
    for _, weight, style, encoded in faces:
        subset = TTFont(io.BytesIO(base64.b64decode(encoded)))
        assert subset.flavor == "woff2"
        original = TTFont(fonts.files[by_face[weight, style]])
        has = set(original.getBestCmap())
        cut = set(subset.getBestCmap())
        assert (shown & has) <= cut, f"{weight} {style}: missing {sorted(map(chr, (shown & has) - cut))[:10]}"
        assert len(subset.getGlyphOrder()) < len(original.getGlyphOrder()) / 5, "the face is not cut down"
        assert "GSUB" not in subset and "fpgm" not in subset  # no layout tables or hinting: the PDF sets none either


@needs_browser
def test_figures_stay_readable_on_a_phone_and_regions_show_that_they_scroll(browser, page_file, tmp_path):
    report = browser.check(page_file, (360, 1280), axe=False, figures=True, figure_shots=tmp_path)["figures"]
    phone, desk = report["360"], report["1280"]
    assert len(phone["figures"]) == 5
    for figure in phone["figures"]:
        assert figure["smallest_text_px"] >= MIN_TEXT_PX, figure["label"][:40]
        assert figure["scrolls"] and figure["focusable"] and figure["shadow"], figure["label"][:40]
        assert figure["hint"] and "Scroll sideways" in figure["hint"], figure["label"][:40]
    for figure in desk["figures"]:
        assert not figure["scrolls"] and figure["hint"] is None and figure["smallest_text_px"] >= MIN_TEXT_PX
    # every region that scrolls on the phone says so, and none does on the desk
    assert any(r["kind"] == "table-scroll" and r["scrolls"] for r in phone["regions"])
    assert all(bool(r["hint"]) == r["scrolls"] and r["focusable"] for r in phone["regions"] + desk["regions"])
    assert not any(r["scrolls"] for r in desk["regions"])
