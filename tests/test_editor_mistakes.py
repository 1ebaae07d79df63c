"""What an editor trips over (content/README.md is their guide): each small
mistake in a section file is reported at its file and line, with what to
do, and never silently dropped or printed wrongly."""
from __future__ import annotations

from pathlib import Path

import pytest

from paperpipe import model as m
from paperpipe.errors import Problems
from paperpipe.native import dump
from paperpipe.readers.markdown import MarkdownReader


def read(text: str, tmp_path: Path):
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    blocks = MarkdownReader(path, problems, resolve_path=lambda rel, src: tmp_path / rel).read(text)
    return blocks, problems


def errors(text: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    _, problems = read(text, tmp_path)
    return [(p.line, p.message, p.advice) for p in problems.items]


# ----------------------------------------------------------------------------- a key typed twice in {…}
FIGURE = '![A map]({}){{{} alt="Regions in colour"}}\n'


@pytest.mark.parametrize("text, line, said", [
    ("Intro\n\n" + FIGURE.format("a.svg", "#fig-a place=here place=next-page-top"), 3,
     "'place' is given twice in the braces of a figure (place=here and place=next-page-top)"),
    ("Intro\n\n" + FIGURE.format("a.svg", "#fig-a #fig-b"), 3, "a figure has one id, and its braces give 2 (#fig-a and #fig-b)"),
    ('![A map](a.svg){#fig-a width="50%" width=80%}\n', 1, "'width' is given twice"),
    ("# Results {#sec-a #sec-b}\n", 1, "a heading has one id, and its braces give 2 (#sec-a and #sec-b)"),
    ("| a |\n|---|\n| b |\n\nTable: Votes {#tab-a place=here place=next-page-top}\n", 5,
     "'place' is given twice in the braces of a table (place=here and place=next-page-top)"),
    ("Table: Votes {#tab-a #tab-b}\n\n| a |\n|---|\n| b |\n", 1, "a table has one id, and its braces give 2"),
    ("Text\n\n::: figure Panel {#fig-p place=here place=here}\nWords.\n:::\n", 3, "'place' is given twice in the braces of a figure box"),
])
def test_a_key_typed_twice_in_braces_is_an_error_at_its_line(text, line, said, tmp_path):
    """One of the two silently won (markdown-it's and the reader's last):
    {place=here place=next-page-top} floated, {#a #b} took #b."""
    found = [e for e in errors(text, tmp_path) if said in e[1]]
    assert found, errors(text, tmp_path)
    assert found[0][0] == line and "only one would be used" in found[0][1]
    assert "delete the other" in found[0][2]
def test_classes_and_words_inside_a_quoted_value_are_not_keys_typed_twice(tmp_path):
    text = '![A map](a.svg){#fig-a .wide .tall class=x alt="a map: x=1 and x=2, #one #two"}\n'
    assert errors(text, tmp_path) == []
    assert "#one #two" in dump(read(text, tmp_path)[0])


# ----------------------------------------------------------------------------- '::: sidebar Title {#id}'
@pytest.mark.parametrize("opener, kind", [
    ("::: sidebar Speakers {#box-speakers}", "sidebar"),
    ("::: note Before you come {#note-come}", "note"),
    ("::: warning {#warn-badge}", "warning"),
    ("::: sidebar Speakers {.wide}", "sidebar"),
])
def test_attributes_after_a_box_title_are_an_error_not_printed_in_the_title(opener, kind, tmp_path):
    """A box has no id or number to refer to: '{#box-speakers}' was printed
    as the end of the box's title, in all three outputs."""
    found = errors(f"Text.\n\n{opener}\nWords.\n:::\n", tmp_path)
    assert [(line, message.split(":")[0]) for line, message, _ in found] == [(3, f"a {kind} box takes no attributes")], found
    assert "would be printed in its title" in found[0][1] and "::: figure" in found[0][2]


def test_braces_of_words_after_a_box_title_are_its_title(tmp_path):
    blocks, problems = read("::: sidebar Budget {in euros}\nWords.\n:::\n\n::: note Open {2026}\nWords.\n:::\n", tmp_path)
    assert problems.items == []
    assert "Sidebar 'Budget {in euros}'" in dump(blocks) and "Admonition note 'Open {2026}'" in dump(blocks)


@pytest.mark.parametrize("opener, said", [
    ("::: sidebar Speakers of **day 1**", "the sidebar box's title is plain text: its '**' would be printed as typed"),
    ("::: note See [](#results)", "the note box's title is plain text: its link would be printed as typed"),
    ("::: warning Bring `the badge`", "the warning box's title is plain text: its backticks would be printed as typed"),
])
def test_markdown_in_a_box_title_is_an_error_not_printed_as_typed(opener, said, tmp_path):
    """'::: sidebar Speakers of **day 1**' printed the stars, in all three
    outputs: a box's title is plain text (smart quotes and [@id] aside)."""
    found = errors(f"Text.\n\n{opener}\nWords.\n:::\n", tmp_path)
    assert [(line, message) for line, message, _ in found] == [(3, said)] and "write the title without Markdown" in found[0][2]
    assert errors("Text.\n\n::: sidebar Q&A, 5 * 3 and \"quotes\"\nWords.\n:::\n", tmp_path) == []


# ----------------------------------------------------------------------------- tables and their captions
TABLE = "| Proposal | Votes |\n|---|---:|\n| Training centre | 12 |\n"


def test_a_caption_line_right_under_the_last_row_is_the_caption(tmp_path):
    """Without the empty line before it, 'Table: …' was read as a last row
    of one cell ('Table: Votes {#tab-votes}' printed in the table)."""
    blocks, problems = read(TABLE + "Table: Votes {#tab-votes}\n\nText.\n", tmp_path)
    assert problems.items == []
    assert dump(blocks) == dump(read(TABLE + "\nTable: Votes {#tab-votes}\n\nText.\n", tmp_path)[0])
    assert "Table #tab-votes : Votes" in dump(blocks) and "Row 2" not in dump(blocks)


@pytest.mark.parametrize("text, line, said", [
    (TABLE + "Our comment on it.\n", 4, "the line 'Our comment on it.' has no '|' and would be printed as a row of the table above"),
    (TABLE + "Our comment on it.\nTable: Votes\n", 4, "has no '|'"),
    ("Table: Votes\n\n" + TABLE + "Table: Votes again\n", 6, "the table has two captions"),
    ("Text.\n\nTable: Votes {#tab-votes}\n\nMore text.\n", 3, "the caption 'Table: …' has no table right under or above it"),
    ("Table: Votes\n\n```table\nrows: [[a]]\n```\n", 1, "has no table right under or above it"),
    (TABLE + "\nTable: Votes\n\nTable: Votes again\n", 7, "the table above already has a caption"),
    ("| Proposal | Votes |\n|---|\n| Training centre | 12 |\n", 1, "the table's header has 2 cells but the line under it has 1"),
    ("Text.\n\nProposal | Votes\n--|--|--\nTraining centre | 12\n", 3, "the table's header has 2 cells but the line under it has 3"),
])
def test_a_table_or_caption_that_would_print_as_text_is_an_error_at_its_line(text, line, said, tmp_path):
    found = [e for e in errors(text, tmp_path) if said in e[1]]
    assert found, errors(text, tmp_path)
    assert found[0][0] == line and found[0][2]
def test_the_advice_for_a_short_dash_line_shows_the_line_to_write(tmp_path):
    (_, _, advice), = errors("| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n", tmp_path)
    assert "'|---|---|---|'" in advice


# ----------------------------------------------------------------------------- '{#id}' after a paragraph
@pytest.mark.parametrize("text, line, where", [
    ("Our first finding.\nIt holds. {#para-finding}\n", 2, "a paragraph"),
    ("- the first step {#step-one}\n- the second\n", 1, "a list item"),
    ("Text. {.small}\n", 1, "a paragraph"),
    ("```table\nrows:\n  - [head]\n  - ['a cell {#cell-a}']\n```\n", 4, "a table cell"),
])
def test_attributes_at_the_end_of_a_paragraph_are_an_error_not_its_last_words(text, line, where, tmp_path):
    """Only headings, figures and tables take {#id}: '{#para-finding}' was
    printed as the paragraph's last words."""
    found = [e for e in errors(text, tmp_path) if "takes no attributes" in e[1]]
    assert [(at, message.split(" takes")[0]) for at, message, _ in found] == [(line, where)], errors(text, tmp_path)
    assert "only headings, figures and tables take {#id}" in found[0][2]


def test_braces_of_words_at_the_end_of_a_paragraph_are_its_words(tmp_path):
    blocks, problems = read("Costs {in euros}\n\nThe score {-}\n", tmp_path)
    assert problems.items == [] and "Para Costs {in euros}" in dump(blocks) and "Para The score {-}" in dump(blocks)


# ----------------------------------------------------------------------------- a link Markdown does not read
@pytest.mark.parametrize("text, shown", [
    ("See [the report](https://example.org/final report.pdf) now.\n", "[the report](https://example.org/final report.pdf)"),
    ("See\n[the **report**] (https://example.org/) now.\n", "[the report] (https://example.org/)"),
    ("As [Section 2] (#sec-two) says.\n", "[Section 2] (#sec-two)"),
])
def test_a_link_typed_so_markdown_does_not_read_it_is_an_error(text, shown, tmp_path):
    """It was printed as typed: '[the report](https://example.org/final report.pdf)'."""
    (line, message, advice), = errors(text, tmp_path)
    assert line == 1 and message == f"'{shown}' is not read as a link, and would be printed as typed"
    assert "nothing between ']' and '('" in advice and "%20" in advice


@pytest.mark.parametrize("text, shown, advice", [
    ('![Map of the ports](figures/port map.svg){#fig-ports alt="Ports"}\n', "![Map of the ports](figures/port map.svg)",
     "between '<' and '>': ![…](<figures/port map.svg>)"),
    ("The map ![Map] (figures/map.svg) shows it.\n", "![Map] (figures/map.svg)", "nothing between ']' and '('"),
])
def test_a_picture_typed_so_markdown_does_not_read_it_is_an_error(text, shown, advice, tmp_path):
    """A file name with a space, not between '<' and '>', made no figure: the
    picture, its caption and its braces were printed as typed in every
    output, and only 'this figure file is not used' was said."""
    (line, message, said), = errors(text, tmp_path)
    assert line == 1 and message == f"'{shown}' is not read as a picture, and would be printed as typed" and advice in said
    assert errors("Escaped \\![Map](figures/port map.svg) and `![a](b c)` stay.\n", tmp_path) == []


def test_brackets_that_are_no_link_and_links_in_code_are_text(tmp_path):
    assert errors("Prices [in EUR] (excl. VAT), `[a](https://example.org)` and [b](https://example.org).\n", tmp_path) == []


# ----------------------------------------------------------------------------- a picture's braces that cannot be read
@pytest.mark.parametrize("braces, why", [
    ("{#fig-a alt='Regions in colour'}", "a value in single quotes"),
    ('{#fig-a alt=“Regions in colour”}', "curly quotes"),
    ('{#fig-a alt = "Regions in colour"}', "a space around '='"),
    ('{#fig-a alt="Regions in colour" wide}', "a word that is not #id, .class or key=value"),
])
def test_braces_after_a_picture_that_cannot_be_read_say_why(braces, why, tmp_path):
    """It said 'an image must stand alone in its own paragraph', which it did."""
    found = errors(f"Text.\n\n![A map](a.svg){braces}\n", tmp_path)
    assert [(line, message.split(" (")[0]) for line, message, _ in found] == \
        [(3, f"the braces after the picture, '{braces}', cannot be read as its attributes")], found
    assert why in found[0][1] and "straight double quotes" in found[0][2]


def test_a_picture_in_a_sentence_is_still_told_to_stand_alone(tmp_path):
    assert [m for _, m, _ in errors("See ![A map](a.svg) here.\n", tmp_path)] == [
        "an image must stand alone in its own paragraph to become a figure"]


# ----------------------------------------------------------------------------- ids a cross-reference cannot name
@pytest.mark.parametrize("text, line", [
    ("Table: Votes {#tab-votes!}\n\n| a |\n|---|\n| b |\n", 1),
    ('![A map](a.svg){#fig/map alt="Regions in colour"}\n', 1),
    ("::: figure Panel {#fig-panel!}\nWords.\n:::\n", 1),
    ("```table\ncaption: Votes\nid: 12-votes\nrows: [[a]]\n```\n", 3),
])
def test_a_figure_or_table_id_a_reference_cannot_name_is_an_error_as_a_heading_s_is(text, line, tmp_path):
    """Only a heading's id was checked: a figure's or a table's
    ('{#tab-votes!}', 'id: 12-votes') was taken as typed, into the HTML
    anchors and the DOCX bookmarks."""
    found = [(at, message) for at, message, _ in errors(text, tmp_path) if "is not a valid id" in message]
    assert [at for at, _ in found] == [line], errors(text, tmp_path)


# ----------------------------------------------------------------------------- a heading or list printed as text
def warnings(text: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    _, problems = read(text, tmp_path)
    return [(p.line, p.message, p.advice) for p in problems.warnings]


@pytest.mark.parametrize("text, line, said, advice", [
    ("#Results\n\nText.\n", 1, "'#Results' is printed as text, not as a heading", "'# Results'"),
    ("Intro.\n##Aims of the event\n", 2, "'##Aims of the event' is printed as text, not as a heading", "'## Aims of the event'"),
    ("The next steps:\n3. Train\n4. Test\n", 2, "'3. Train' is printed as part of the paragraph above, not as a numbered list (and 1 more line like it)",
     "put an empty line before the list"),
    ("Pasted:\n• one\n• two\n• three\n", 2, "'• one' is printed as text: '•' is not a list mark (and 2 more lines like it)", "starting with '- '"),
])
def test_a_line_that_looks_like_a_heading_or_a_list_but_prints_as_text_is_a_warning(text, line, said, advice, tmp_path):
    """Each was printed as words of the paragraph without a word said."""
    assert [(at, message) for at, message, _ in warnings(text, tmp_path)] == [(line, said)]
    assert advice in warnings(text, tmp_path)[0][2]
def test_hashtags_years_and_escaped_marks_are_text_without_a_warning(tmp_path):
    text = "#EUClusters #GreenDeal\n\n\\#1 priority\n\nBy the end of\n2021. Then\n1. a list may interrupt a paragraph from 1\n"
    assert warnings(text, tmp_path) == [] and errors(text, tmp_path) == []


# ----------------------------------------------------------------------------- captions typed nearly right
@pytest.mark.parametrize("line", ["Table 1: Votes", "table: Votes", "Table:Votes", "Caption: Votes", "Table 2.1. Votes"])
def test_a_caption_line_typed_nearly_right_is_an_error_not_a_paragraph(line, tmp_path):
    """It was printed as a paragraph under the table, which had no caption."""
    found = errors(TABLE + "\n" + line + "\n", tmp_path)
    assert [(at, message.endswith("is not read as a table's caption, and the line would be printed as a paragraph"))
            for at, message, _ in found] == [(5, True)], found
    assert "write it as 'Table: Votes'" in found[0][2] or line == "Table 2.1. Votes"


@pytest.mark.parametrize("text, typed", [
    ('![Figure 2: Regions](a.svg){#fig-a alt="A map"}\n', "Figure 2:"),
    (TABLE + "\nTable: Table 1. Votes\n", "Table 1."),
    ("::: figure Fig. 3 – The panel {#fig-p}\nWords.\n:::\n", "Fig. 3 –"),
    ("```table\ncaption: 'Table 4: Votes'\nrows: [[a]]\n```\n", "Table 4:"),
])
def test_a_caption_that_starts_with_a_number_typed_by_hand_is_an_error(text, typed, tmp_path):
    """It printed 'Figure 3: Figure 2: Regions'."""
    found = [message for _, message, _ in errors(text, tmp_path) if "a number of its own" in message]
    assert found == [f"the caption starts with a number of its own, '{typed}', which would be printed after the number paperpipe gives"]
def test_prose_about_a_table_and_captions_that_start_with_a_step_number_are_left_alone(tmp_path):
    text = TABLE + "\nTable: Votes\n\nTable 2 shows the votes. Tables: none.\n\n" + '![Phase 1: planning](a.svg){#fig-a alt="A map"}\n'
    assert errors(text, tmp_path) == []


def test_a_caption_between_two_tables_is_the_one_above_s_unless_it_has_one(tmp_path):
    """It was taken as the caption of the table under it, and the caption
    under that one was printed as a paragraph ('Table: B')."""
    blocks, problems = read(TABLE + "\nTable: A\n\n" + TABLE + "\nTable: B\n", tmp_path)
    assert problems.items == []
    assert [line for line in dump(blocks).splitlines() if line.startswith("Table")] == [
        "Table # : A cols=2 header=1 style=default", "Table # : B cols=2 header=1 style=default"]
    blocks, problems = read("Table: A\n\n" + TABLE + "\nTable: B\n\n" + TABLE, tmp_path)
    assert problems.items == [] and "Table # : A" in dump(blocks) and "Table # : B" in dump(blocks)


# ----------------------------------------------------------------------------- '---' right under a paragraph
def test_a_line_of_dashes_right_under_text_is_a_warning_and_a_heading(tmp_path):
    """'---' meant as a separator right under a paragraph made the paragraph
    a heading ('Heading2 Our findings.' in the contents) without a word. It
    is also Markdown's other way to write a heading ('Results' underlined,
    as pandoc writes it), so it stays a heading, with a warning."""
    blocks, problems = read("Intro.\n\nWe met twice.\nOur findings follow.\n---\n\nMore.\n", tmp_path)
    assert problems.errors == []
    (line, message, advice), = [(p.line, p.message, p.advice) for p in problems.warnings]
    assert line == 5 and message == "the line of '---' right under 'Our findings follow.' makes that text a heading"
    assert "'## Our findings follow.'" in advice and "empty line before the '---'" in advice
    assert "Heading2" in dump(blocks) and "Our findings follow." in dump(blocks)


def test_a_line_of_dashes_after_an_empty_line_is_a_rule_and_equals_make_a_heading(tmp_path):
    blocks, problems = read("Text.\n\n---\n\nTitle\n=====\n", tmp_path)
    assert [p.message for p in problems.items] == ["a horizontal rule (---) is not printed"]
    assert "Heading1 # Title" in dump(blocks)


# ----------------------------------------------------------------------------- a '*' that pairs with nothing
@pytest.mark.parametrize("text, line", [
    ("Our **main finding* holds.\n", 1),
    ("Our ** main finding** holds.\n", 1),
    ("We met **twice**.\nThe **second time was shorter.\n", 2),
])
def test_a_star_markdown_pairs_with_nothing_is_a_warning(text, line, tmp_path):
    """'**main finding*' printed '*' and an italic 'main finding' without a word."""
    assert [(at, message) for at, message, _ in warnings(text, tmp_path)] == [
        (line, "a '*' here is printed as typed: it starts or ends no emphasis")]


def test_paired_escaped_and_coded_stars_are_quiet(tmp_path):
    assert warnings("A **bold** and *italic* word, \\*\\* escaped, `a**b` in code.\n", tmp_path) == []


def test_a_star_with_a_space_on_both_sides_is_a_star_and_quiet(tmp_path):
    """A star between spaces opens and closes nothing, and the editor meant
    a star: '5 * 3' and '* marks' printed as typed with a warning."""
    assert warnings("Prices rose 5 * 3 percent; a ** b is rare.\n", tmp_path) == []
    assert [at for at, *_ in warnings("Rose 5 * 3 and **more.\n", tmp_path)] == [1]


# ----------------------------------------------------------------------------- a quotation's '— Name' without the '>' line before it
@pytest.mark.parametrize("text", [
    "> Clusters know their members.\n> — Anna Berg, Director\n",
    "> Clusters know their members.\n— Anna Berg, Director\n",
    "> Clusters know\n> their members.\n> -- Anna Berg, Director\n",
])
def test_a_name_right_under_the_quoted_words_is_the_attribution(text, tmp_path):
    """Without the empty '>' line before it, '— Anna Berg' was printed as the
    quotation's last words."""
    blocks, problems = read(text, tmp_path)
    assert problems.items == []
    assert dump(blocks).splitlines() == ["Quote", "  Para Clusters know their members.", "  Attribution Anna Berg, Director"]


def test_a_dash_inside_the_quoted_words_stays_there(tmp_path):
    blocks, _ = read("> Clusters — and their members\n> — know each other.\n>\n> — Anna\n", tmp_path)
    assert "Para Clusters — and their members — know each other." in dump(blocks) and "Attribution Anna" in dump(blocks)


def test_a_list_item_without_the_space_after_its_dash_is_a_warning(tmp_path):
    """'-the second' under '- the first' was printed as the first item's last words."""
    assert [(at, message) for at, message, _ in warnings("- the first\n-the second\n- the third\n", tmp_path)] == [
        (2, "'-the second' is printed as part of the line above, not as a list item")]
    assert warnings("- the first\n- the second\n\nA range of -5 to 5\n-5 degrees.\n", tmp_path) == []


# ----------------------------------------------------------------------------- line ends
@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_a_file_with_windows_or_old_mac_line_ends_reads_as_with_unix_ones(end, tmp_path):
    """With '\\r' alone (an old Mac's, some exports') a closed box was 'not
    closed': its ':::' line was looked up in lines split at '\\n' only."""
    text = "# Results {#sec-results}\n\n::: sidebar Speakers\n**Ann**, Org\n:::\n\n> Quoted.\n>\n> — Ann\n\nBad <b>x</b>\n"
    unix = [(p.line, p.message) for p in read(text, tmp_path)[1].items]
    blocks, problems = read(text.replace("\n", end), tmp_path)
    assert [(p.line, p.message) for p in problems.items] == unix == [(11, "raw HTML '<b>' is not supported"), (11, "raw HTML '</b>' is not supported")]
    assert dump(blocks) == dump(read(text, tmp_path)[0])


def test_a_quotation_ending_in_a_hyphen_line_is_told_the_dash_that_names_the_speaker(tmp_path):
    """'> - Anna Berg' made a list of one item inside the quotation, silently."""
    found = warnings("> Clusters know their members.\n>\n> - Anna Berg, Director\n", tmp_path)
    assert [(at, message) for at, message, _ in found] == [(3, "the quotation ends with a list of one item, printed as a list in the quotation")]
    assert "'> — Name, Role'" in found[0][2]
    assert warnings("> Three things:\n>\n> - one\n> - two\n", tmp_path) == []


def test_stars_a_fact_prints_are_the_data_s_and_quiet(tmp_path):
    """'title: Ports *and* Tides' printed by {{ paper.title }} is the data's
    own stars (escaped when printed), not a mistake of the paragraph."""
    path = tmp_path / "x.md"
    text = "The workshop {{ paper.title }} met.\n"
    path.write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    MarkdownReader(path, problems, expand=lambda call, src: "Ports \\*and\\* Tides").read(text)
    assert problems.items == []


def test_a_person_left_open_is_an_error_not_printed_as_typed(tmp_path):
    """'[@anna-berg' was printed as typed, without a word."""
    assert [message for _, message, _ in errors("Opened by [@anna-berg and the team.\n", tmp_path)] == [
        "'[@anna-berg' is not closed by ']', and would be printed as typed instead of the person's name"]
    assert errors("Code `[@x` stays.\n", tmp_path) == []


def test_a_footnote_is_an_error_at_its_line_not_printed_as_typed(tmp_path):
    """'… as agreed.[^1]' and '[^1]: Minutes of 5 March.' (footnotes as other
    Markdown writes them) were printed as typed, brackets and all, in every
    output, without a word."""
    found = errors("The ports agreed.\nAs minuted.[^1]\n\n[^minutes]: Minutes of 5 March.\n", tmp_path)
    assert [(line, message) for line, message, _ in found] == [
        (2, "'[^1]' would be printed as typed: footnotes are not supported"),
        (4, "'[^minutes]' would be printed as typed: footnotes are not supported")]
    assert "in the sentence (in brackets)" in found[0][2] and "\\[^1]" in found[0][2]
    assert errors("Escaped \\[^1] and code `[^2]` stay.\n", tmp_path) == []


def test_a_cross_reference_with_only_spaces_between_its_brackets_prints_the_number(tmp_path):
    """'[ ](#results)' (a space typed between the brackets) printed nothing
    at all where 'Section 2' belonged, in every output, without a word."""
    import shutil

    from paperpipe.pipeline import load
    from paperpipe.visit import inlines_of, walk, walk_inlines

    paper = tmp_path / "paper"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", paper)
    intro = paper / "sections" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("[](#results)", "[ ](#results)").replace("[](#fig-map)", "[\t](#fig-map)"),
                     encoding="utf-8")
    doc = load(paper, Path(__file__).parent.parent / "templates").doc
    refs = [i for b in walk(doc.blocks) for inlines in inlines_of(b) for i in walk_inlines(inlines) if isinstance(i, m.Ref)]
    assert [(r.target, r.children, r.label) for r in refs][:2] == [("results", (), "Section 2"), ("fig-map", (), "Figure 1")]


@pytest.mark.parametrize("figure, advice", [
    ('![](figures/map.svg){#fig-map alt="Three boxes of participants"}', "write it between the brackets"),
    ("::: figure {#fig-map}\nWords.\n:::", "write it after '::: figure'"),
])
def test_a_figure_without_a_caption_is_said_once(figure, advice, tmp_path):
    """It was said twice at the same line, by the reader ('a figure needs a
    caption') and again by the numbering ('a figure has no caption')."""
    import shutil

    from conftest import run_build

    paper = tmp_path / "paper"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", paper)
    results = paper / "sections" / "02-results.md"
    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace(text.split("\n")[2], figure), encoding="utf-8")
    result = run_build("check", "--content", str(paper), cwd=tmp_path)
    said = [line for line in result.stderr.splitlines() if line.startswith("paper/")]
    assert len(said) == 1 and said[0].startswith("paper/sections/02-results.md:3: a figure needs a caption") and advice in said[0], said


@pytest.mark.parametrize("box, said", [
    ("::: figure Votes by country {#fig-votes}\n:::\n", "the figure box holds nothing: it would be numbered and listed with only its caption"),
    ("::: figure Votes by country {#fig-votes}\n<!-- the table comes later -->\n:::\n", "the figure box holds nothing"),
    ("::: sidebar\n:::\n", "the sidebar box holds nothing: an empty box would be printed"),
    ("::: note\n\n:::\n", "the note box holds nothing"),
])
def test_a_box_that_holds_nothing_is_an_error_at_its_line(box, said, tmp_path):
    """An empty figure box was numbered and listed in the list of figures
    with nothing under its caption; an empty sidebar printed an empty box."""
    found = errors("Intro.\n\n" + box, tmp_path)
    assert [line for line, _, _ in found] == [3] and found[0][1].startswith(said) and "or delete the box" in found[0][2]
    assert errors("Intro.\n\n::: sidebar Speakers to come\n:::\n", tmp_path) == []  # a title alone is the editor's choice


# ----------------------------------------------------------------------------- text that only looks like a mistake (review)
@pytest.mark.parametrize("text", [
    "Table 3.2 shows the votes per country.\n",
    "- Table 1.1 lists the speakers.\n",
    "Thanks to [@anna-berg, @tom-lee] for the panel.\n",
    "Follow us at [@EUPorts on X] for news.\n",
    "The two proposals [A and B] (#1 and #2 in the vote) were adopted.\n",
])
def test_sentences_that_only_look_like_a_caption_a_person_or_a_link_are_quiet(text, tmp_path):
    """'Table 3.2 shows' was refused as a caption typed wrong ('Table 3.' and
    its dot), a closed '[@a, @b]' as a person left open, and '[A and B] (#1 …)'
    as a link Markdown does not read."""
    assert errors(text, tmp_path) == []


def test_the_errors_the_lookalikes_were_made_for_still_come(tmp_path):
    assert [m for _, m, _ in errors("Thanks to [@anna-berg for the panel.\n", tmp_path)] == [
        "'[@anna-berg' is not closed by ']', and would be printed as typed instead of the person's name"]
    assert len(errors("See [the section] (#sec-results) below.\n", tmp_path)) == 1
    assert len(errors("Table 3: Votes\n\nText.\n", tmp_path)) == 1


def test_a_quoted_line_that_goes_on_after_a_dash_is_the_quotation_not_its_attribution(tmp_path):
    """'> … not only money' / '> – and they need them now.' printed the
    second line as who said it."""
    blocks, problems = read("> Clusters need skills, not only money\n> – and they need them now.\n", tmp_path)
    assert problems.items == [] and "Para Clusters need skills, not only money – and they need them now." in dump(blocks)
    assert "Attribution" not in dump(blocks)
    assert "Attribution Anna Berg" in dump(read("> Clusters need skills.\n> – Anna Berg\n", tmp_path)[0])


def test_a_tab_pasted_into_a_sentence_is_a_space_in_every_output(tmp_path):
    """'Name:<tab>Anna' (pasted from a word processor) printed a space in the
    PDF and the page, and a tab stop in the DOCX (Word's <w:tab/>): the
    outputs differed; in code too."""
    import shutil
    import zipfile

    from paperpipe.pipeline import build

    paper = tmp_path / "paper"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8") + "\nName:\tAnna Kowalska, code `a\tb`.\n\n| x\ty |\n|---|\n| 1 |\n",
                       encoding="utf-8")
    blocks, _ = read("Name:\tAnna `a\tb`\n", tmp_path)
    assert "\t" not in dump(blocks)
    build(paper, Path(__file__).parent.parent / "templates", tmp_path / "out", ("docx",))
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.docx"))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "<w:t>Name:</w:t><w:tab/>" not in xml and "Name: Anna Kowalska, code " in xml and ">a b<" in xml and ">x y<" in xml
