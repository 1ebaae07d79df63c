"""Checks on the real PDFs: contents and their pages, lists, outline, fonts,
header and page numbers, metadata, text, and the second paper's numbers."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import needs

PAPER_PDF = "D4.04b06-clusters-driving-the-green-and-digital-transition.pdf"
MINI_PDF = "T1.01-maritime-clusters.pdf"

ORIGINAL_CONTENTS = [
    ("1", "Agenda of the event “Clusters Driving the Green and Digital Transition”"),
    ("2", "The event at a glance"),
    ("3", "Synopsis of the event “Clusters Driving the Green and Digital Transition”"),
    ("3.1", "Opening session"),
    ("3.2", "Kick-off conference: Cluster policies to foster the twin transition"),
    ("3.3", "Panel discussions"),
    ("3.3.1", "Panel 1: Clusters, cities and regions acting for the green transition"),
    ("3.3.2", "Panel 2: Clusters, cities and regions leading the digital transition"),
    ("3.4", "Capacity-building sessions"),
    ("3.4.1", "Session 1: Clusters & circular economy"),
    ("3.4.2", "Session 2: Cluster business models fit for accelerating the twin transition"),
    ("3.4.3", "Session 3: Implementing Industry 4.0. priorities at local level"),
    ("3.4.4", "Session 4: Financing the twin transition for & through clusters"),
    ("3.5", "Site visits"),
    ("3.6", "Closing session"),
]
ORIGINAL_FIGURES = [
    "Figure 1: EISMEA Portfolio",
    "Figure 2: 15 Recommendations of the European Expert Group on Clusters",
    "Figure 3: Policy Toolkit Database",
    "Figure 4: Transition pathways and clusters",
    "Figure 5: Outputs from the session",
    "Figure 6: Upcoming ECCP activities",
]
ORIGINAL_TABLES = [
    "Table 1: Agenda of the event",
    "Table 2: Building cluster business models that support transition pathways",
]
HEADER = ["“Clusters Driving the Green and Digital Transition”", "Saint-Ouen, France – 22/23 November 2021"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Pdf:
    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        self.pages = [norm(p.extract_text() or "") for p in self.reader.pages]
        self.raw_pages = [p.extract_text() or "" for p in self.reader.pages]
        self.body_pages = [norm("".join(t for t, y in self.lines(i) if 60 < y < self.height(i) - 60)) for i in range(len(self.pages))]

    def height(self, index: int) -> float:
        return float(self.reader.pages[index].mediabox.height)

    def lines(self, index: int) -> list[tuple[str, float]]:
        """(text, baseline y) of each piece of text on a page."""
        found: list[tuple[str, float]] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                found.append((text, cm[5] + tm[5] * cm[3]))

        self.reader.pages[index].extract_text(visitor_text=visit)
        return found

    @property
    def body(self) -> str:
        """The text of all pages without running headers and page numbers."""
        return " ".join(self.body_pages)

    @property
    def front(self) -> str:
        """The front matter: the pages between the cover and the first section."""
        return " ".join(self.pages[1:self.first_body_page])

    @property
    def first_body_page(self) -> int:
        for index, raw in enumerate(self.raw_pages[1:], start=1):
            if not re.search(r"(?: ?\.){3}", raw):
                return index
        return len(self.raw_pages)

    def heading_page(self, number: str, title: str) -> int | None:
        """Printed page number (physical index - 1) where the heading itself stands:
        the first page, after the front matter, whose lines start with number + title."""
        start = norm(f"{number} {title}")[:40]
        for index, raw in enumerate(self.raw_pages):
            if index < self.first_body_page:
                continue
            for line in raw.splitlines():
                if norm(line).startswith(start) and not re.search(r"\.\s*\.\s*\.", line):
                    return index  # physical index 0 = cover; printed number = index
        return None

    def toc_page(self, number: str, title: str) -> int | None:
        """The page number the contents print for an entry (number, title, dot leaders, page)."""
        front = self.front
        match = re.search(re.escape(norm(f"{number} {title}")) + r"(?: ?\.)+ (\d+)", front)
        return int(match.group(1)) if match else None


@pytest.fixture(scope="module")
def paper(paper_out) -> Pdf:
    return Pdf(paper_out / PAPER_PDF)


@pytest.fixture(scope="module")
def mini(mini_out) -> Pdf:
    return Pdf(mini_out / MINI_PDF)


def test_contents_lists_every_original_heading_with_its_real_page(paper):
    for number, title in ORIGINAL_CONTENTS:
        printed = paper.toc_page(number, title)
        assert printed is not None, f"contents lacks {number} {title}"
        real = paper.heading_page(number, title)
        assert real is not None, f"heading {number} {title} not found in the body"
        assert printed == real, f"contents says {number} is on page {printed}, it starts on page {real}"


def test_lists_of_figures_and_tables(paper):
    front = paper.front
    positions = [front.find(caption) for caption in ORIGINAL_FIGURES + ORIGINAL_TABLES]
    assert -1 not in positions, [c for c, p in zip(ORIGINAL_FIGURES + ORIGINAL_TABLES, positions) if p < 0]
    assert positions == sorted(positions), "the lists are not in the original's order"
    body = " ".join(paper.pages[paper.first_body_page:])
    for caption in ORIGINAL_FIGURES + ORIGINAL_TABLES:
        assert caption in body, f"caption {caption!r} missing from the body"
    # nothing more is numbered
    assert len(re.findall(r"Figure \d+:", front)) == 6
    assert len(re.findall(r"Table \d+:", front)) == 2


def _outline_tree(reader: PdfReader, items) -> list:
    tree = []
    for item in items:
        if isinstance(item, list):
            tree[-1][1].extend(_outline_tree(reader, item))
        else:
            tree.append((item.title, []))
    return tree


def test_outline_is_nested_like_the_sections(paper):
    tree = _outline_tree(paper.reader, paper.reader.outline)
    assert [t for t, _ in tree] == [f"{n} {t}" for n, t in ORIGINAL_CONTENTS if "." not in n]
    synopsis = tree[2][1]
    assert [t for t, _ in synopsis] == [f"{n} {t}" for n, t in ORIGINAL_CONTENTS if re.fullmatch(r"3\.\d", n)]
    panels = synopsis[2][1]
    assert [t for t, _ in panels] == ["3.3.1 Panel 1: Clusters, cities and regions acting for the green transition",
                                      "3.3.2 Panel 2: Clusters, cities and regions leading the digital transition"]
    sessions = synopsis[3][1]
    assert len(sessions) == 4


def _fonts(reader: PdfReader) -> dict[str, dict]:
    found = {}

    def visit(resources):
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


@pytest.mark.parametrize("which", ["paper", "mini"])
def test_fonts_are_embedded_subset_truetype(which, request):
    pdf = request.getfixturevalue(which)
    fonts = _fonts(pdf.reader)
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_running_header_and_page_numbers_on_every_page_but_the_cover(paper):
    def top_and_bottom(index):
        height = paper.height(index)
        top = norm(" ".join(t for t, y in paper.lines(index) if y > height - 60))
        lines = paper.lines(index)
        bottom = norm(lines[-1][0]) if lines and lines[-1][1] < 60 else ""  # the footer is drawn last
        return top, bottom

    top, bottom = top_and_bottom(0)
    assert top == "" and not re.fullmatch(r"\d+", bottom), "the cover must have no running header or page number"
    for index in range(1, len(paper.pages)):
        top, bottom = top_and_bottom(index)
        assert top == norm(" ".join(HEADER)), f"page {index + 1}: header is {top!r}"
        assert bottom == str(index), f"physical page {index + 1} should print page number {index}, prints {bottom!r}"


def test_cover(paper):
    cover = paper.pages[0]
    for text in ["Clusters Driving the Green and Digital Transition",
                 "Event co-organised by the European Cluster Collaboration Platform and Île-de-France Regional Council",
                 "Saint-Ouen, France – 22/23 November 2021", "Output paper – D4.04b06", "An initiative of the European Union"]:
        assert text in cover, text


def test_metadata(paper):
    info = paper.reader.metadata
    assert info.title == "Clusters Driving the Green and Digital Transition"
    assert info.author == "European Cluster Collaboration Platform"
    assert "Saint-Ouen" in (info.subject or "") or "output paper" in (info.subject or "").lower()
    assert paper.reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert str(info["/CreationDate"]).startswith("D:2021112")


def test_paper_text_is_present(paper):
    body = paper.body
    for sentence in [
        "Almost 40 participants attended the event physically.",
        "Clusters were described as the ideal facilitator because they know their members, speak their language and have their trust.",
        "A poll among the session participants showed indeed that 55% had not heard of the concept Industry 5.0 before the session.",
        "Tour 4: Lizee, a startup that enables brands and retailers to adapt to the shift in consumer behaviour with circular rental models.",
        "Use clusters to identify and implement shared value initiatives to address societal challenges at a community level.",
        "Vidmantas Vaitulevičius",
        "Table 1 gives an overview of the event’s agenda",  # typed event's: the theme's typographic apostrophe
    ]:
        assert norm(sentence) in body, sentence


def test_agenda_table_runs_over_pages_with_its_header_repeated(paper):
    # from its first row to its last (the pages between may hold no coffee break)
    agenda_pages = [i for i, text in enumerate(paper.pages) if "Registration and welcome coffee" in text or "Closing of the event" in text]
    assert agenda_pages, "the agenda table is missing"
    for index in range(min(agenda_pages), max(agenda_pages) + 1):
        assert "Timing" in paper.pages[index] and "Description" in paper.pages[index], f"page {index + 1}: header row not repeated"
    for name in ["Marek Przeor", "Lauréline Renault", "Merete Nielsen", "Marc Pattinson", "Tahmina Shafique", "Patricia Valdenebro",
                 "Bianca Muntean", "Thierry Louvet", "Augustin Becquet"]:
        assert name in " ".join(paper.pages[min(agenda_pages): max(agenda_pages) + 1]), name


def test_links_are_clickable(paper):
    uris, internal = [], 0
    for page in paper.reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action and action.get_object().get("/URI"):
                uris.append(str(action.get_object()["/URI"]))
            elif annot.get("/Dest") or (action and action.get_object().get("/S") == "/GoTo"):
                internal += 1
    assert any(u.startswith("https://") for u in uris)
    assert internal >= len(ORIGINAL_CONTENTS) + 8, "every contents and list line should link to its target"


def test_second_paper_has_its_own_numbers(mini):
    front = mini.front
    for text in ["1 Introduction", "1.1 Why the blue economy", "2 Results", "2.1 Next steps",
                 "Figure 1: Participants by country", "Table 1: Votes on the proposals"]:
        assert text in front, text
    body = mini.body
    assert "Its results are summarised in Section 2" in body
    assert "shown in Figure 1 and the votes in Table 1" in body
    assert "Baltic Cluster & Co. <Gdańsk>" in body  # literal & and < >
    assert "Νίκος Παπαδόπουλος" in body
    for number, title in [("1", "Introduction"), ("1.1", "Why the blue economy"), ("2", "Results"), ("2.1", "Next steps")]:
        assert mini.toc_page(number, title) == mini.heading_page(number, title) == 2


@needs("pdftoppm")
def test_every_page_renders(paper, tmp_path):
    result = subprocess.run(["pdftoppm", "-png", "-r", "20", str(paper.path), str(tmp_path / "p")], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert len(list(tmp_path.glob("p-*.png"))) == len(paper.pages)


def test_fonts_cover_all_eu_alphabets():
    from paperpipe.errors import Problems
    from paperpipe.theme import load_theme
    from paperpipe.theme.glyphs import missing_glyphs

    theme = load_theme(Path(__file__).resolve().parent.parent / "templates", Problems())
    latin = "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆćČčĎďĐđĒēĖėĘęĚěĞğĢģĪīĮįİıĶķĹĺĻļĽľŁłŃńŅņŇňŐőŒœŔŕŘřŚśŞşŠšŢţŤťŪūŮůŰűŲųŸŹźŻżŽžȘșȚțẞ€„“”‚‘’–—…«»"
    greek = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώΆΈΉΊΌΎΏϊϋΐΰ"
    cyrillic = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯабвгдежзийклмнопрстуфхцчшщъьюя"
    assert missing_glyphs(theme.fonts, latin + greek + cyrillic) == set()
    assert missing_glyphs(theme.fonts, "\u4e2d") == {"\u4e2d"}  # the check can fail


def test_no_heading_is_stranded_at_a_page_bottom(paper):
    """Every heading has at least two lines of its section under it on its page."""
    bottom_margin = 25 / 25.4 * 72  # templates/style.yaml margin_bottom
    for number, title in ORIGINAL_CONTENTS:
        index = paper.heading_page(number, title)
        lines = [(norm(t), y) for t, y in paper.lines(index) if norm(t)]
        ys = [y for t, y in lines if t.startswith(norm(f"{number} {title}")[:25])]
        assert ys, f"{number} not found by position on page {index + 1}"
        below = [y for t, y in lines if bottom_margin - 5 < y < ys[0] - 5]
        assert len(below) >= 2, f"heading {number} is stranded at the bottom of page {index + 1}"


def test_a_heading_stays_with_the_list_box_or_table_after_it(tmp_path):
    """reportlab keeps a heading only with a plain paragraph after it: before a
    list, a box or a short captioned table a heading stood alone at the foot
    of a page (the starter showed both).  Headings here fall at every height
    of the page (fillers of 1 to 24 lines); each has text below it on its page."""
    import shutil

    from conftest import MINI, run_build

    content = tmp_path / "paper"
    shutil.copytree(MINI, content)
    parts = []
    for n in range(1, 25):
        filler = " ".join(["Filler words for the line count of this part."] * (n * 2))
        parts.append(f"## Before list {n}\n\n{filler}\n\n### List heading {n}\n\n- first item {n}\n- second item {n}\n")
        parts.append(f"### Table heading {n}\n\n| Proposal | Votes |\n|---|---:|\n| Item {n} | {n} |\n\nTable: Votes {n}\n")
        parts.append(f"### Box heading {n}\n\n::: sidebar Box {n}\nInside box {n}.\n:::\n")
    results = content / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8") + "\n" + "\n".join(parts), encoding="utf-8")
    result = run_build("--format", "pdf", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    pdf = Pdf(next((tmp_path / "out").glob("*.pdf")))
    bottom_margin = 25 / 25.4 * 72
    checked = 0
    for index in range(pdf.first_body_page, len(pdf.pages)):
        lines = [(norm(t), y) for t, y in pdf.lines(index) if norm(t)]
        for text, y in lines:
            if re.match(r"[\d.]+ (List|Table|Box) heading \d+$", text):
                checked += 1
                below = [t for t, yy in lines if bottom_margin - 5 < yy < y - 5]
                assert len(below) >= 2, f"'{text}' stands alone at the foot of page {index + 1}"
    assert checked == 72


def test_a_list_in_the_text_ends_with_a_paragraphs_space(paper):
    """The paragraph after a list stands as far from its last line as the
    list from the paragraph before it (a list's items keep their smaller space)."""
    index = next(i for i, text in enumerate(paper.pages) if "Partnerships co-founded" in text)

    def y(piece: str) -> float:
        return next(yy for t, yy in paper.lines(index) if piece in t)

    before = y("resulted in:") - y("promoted European Strategic")
    after = y("Partnerships co-founded") - y("She also presented two upcoming")
    between_items = y("cluster organisations from over") - y("Partnerships co-founded")
    assert abs(after - before) < 0.5, (before, after)
    assert between_items < after - 3


# ----------------------------------------------------------------------------- a figure inside a sidebar
def _sidebar_pages(tmp_path: Path, paragraphs: int) -> list[str]:
    import shutil

    from paperpipe.pipeline import build

    root = Path(__file__).resolve().parent.parent
    paper = tmp_path / f"paper{paragraphs}"
    shutil.copytree(root / "tests" / "fixtures" / "mini", paper)
    intro = paper / "sections" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace(
        "the map of participants is shown in [](#fig-map) and the votes in [](#tab-votes)", "the rest follows"), encoding="utf-8")
    words = "".join(f"Paragraph {n} of the box.\n\n" for n in range(1, paragraphs + 1))
    (paper / "sections" / "02-results.md").write_text(
        f"# Results {{#results}}\n\nShort.\n\n::: sidebar Box\n{words}"
        '![Small map](figures/map.svg){#fig-map width="40%" alt="Three boxes of participants"}\n\nAfter the map.\n:::\n', encoding="utf-8")
    build(paper, root / "templates", tmp_path / f"out{paragraphs}", ("pdf",))
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(tmp_path / f"out{paragraphs}" / MINI_PDF).pages]


def test_a_figure_in_a_sidebar_keeps_the_box_on_its_page_and_its_caption_with_it(tmp_path):
    """A figure inside a sidebar sent the whole box to a new page (its
    caption and picture, kept together, measured themselves taller than any
    page); where the box runs over a page, the caption and the picture
    stay together."""
    pages = _sidebar_pages(tmp_path, 1)
    assert "Short. Box Paragraph 1 of the box. Figure 1: Small map" in pages[-1]
    split = 0
    for paragraphs in (18, 20, 22):
        pages = _sidebar_pages(tmp_path, paragraphs)
        caption = [n for n, page in enumerate(pages) if "Figure 1: Small map" in page and "Contents" not in page]
        picture = [n for n, page in enumerate(pages) if "Poland: 5" in page]
        assert caption == picture and len(caption) == 1, (paragraphs, pages)
        split += "Paragraph 1 of" in pages[caption[0] - 1]  # the box began on the page before
    assert split, "no case ran the box over a page"
