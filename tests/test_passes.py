"""Each pass alone, on small documents built in the test, then the whole list."""
from __future__ import annotations

from pathlib import Path

from paperpipe import model as m
from paperpipe import passes
from paperpipe.errors import Problems
from paperpipe.native import dump
from paperpipe.readers.markdown import MarkdownReader

META = m.Meta("T", "A", "S", "en-GB", "2024-01-01", "D1", "out", ("h",),
              labels={"contents": "Contents", "figures": "Figures", "tables": "Tables",
                      "figure": "Figure", "table": "Table", "section": "Section"})


def doc_of(text: str, tmp_path: Path) -> tuple[m.Document, Problems]:
    problems = Problems(tmp_path)
    path = tmp_path / "s.md"
    blocks = MarkdownReader(path, problems, resolve_path=lambda rel, src: tmp_path / rel).read(text)
    return m.Document(META, blocks, tmp_path), problems


def test_pass_order_is_explicit():
    names = [name for name, _ in passes.PASSES]
    assert names == ["assign_ids", "number_sections", "number_captions", "check_places", "anchor_captions",
                     "collect_targets", "resolve_references", "collect_contents"]
    # numbering comes before the table of targets, references and contents after it
    assert names.index("number_sections") < names.index("collect_targets") < names.index("resolve_references") < names.index("collect_contents")


def test_assign_ids_slugs_and_dedupes(tmp_path):
    doc, problems = doc_of("# Île & Co\n\n# Île & Co\n\n# Kept {#mine}\n", tmp_path)
    doc = passes.assign_ids(doc, problems)
    assert [b.id for b in doc.blocks] == ["ile-co", "ile-co-2", "mine"]
    assert not problems.items


def test_duplicate_ids_are_reported(tmp_path):
    doc, problems = doc_of("# A {#x}\n\n# B {#x}\n", tmp_path)
    passes.assign_ids(doc, problems)
    assert any("used twice" in p.message and p.line == 3 for p in problems.items)


def test_number_sections_three_levels_and_unnumbered(tmp_path):
    doc, problems = doc_of("# A\n\n## B\n\n### C\n\n### D\n\n## E\n\n# Annex {-}\n\n# F\n", tmp_path)
    doc = passes.number_sections(doc, problems)
    assert [b.number for b in doc.blocks] == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "", "2"]


def test_skipped_level_is_reported(tmp_path):
    doc, problems = doc_of("# A\n\n### C\n", tmp_path)
    passes.number_sections(doc, problems)
    assert any("level-3 heading follows a level-1" in p.message and p.line == 3 for p in problems.items)


def test_number_captions_counts_kinds_apart_and_not_tables_inside_figures(tmp_path):
    text = (
        "![One](a.svg){#f1 alt=\"A picture\"}\n\n| a |\n|---|\n| 1 |\n\nTable: T one {#t1}\n\n"
        "::: figure Panel {#f2}\n| x |\n|---|\n| y |\n:::\n\n| b |\n|---|\n| 2 |\n\nTable: T two {#t2}\n"
    )
    doc, problems = doc_of(text, tmp_path)
    doc = passes.number_captions(doc, problems)
    numbered = [(type(b).__name__, b.id, b.number) for b in doc.blocks]
    assert numbered == [("Figure", "f1", "1"), ("Table", "t1", "1"), ("Figure", "f2", "2"), ("Table", "t2", "2")]
    assert doc.blocks[2].body[0].number == ""  # the panel's table is part of Figure 2


def test_references_resolve_and_unknown_ids_suggest_the_nearest(tmp_path):
    text = "# Intro {#intro}\n\nSee [](#tab-votes), [](#intro) and [](#tab-vote).\n\n| a |\n|---|\n| 1 |\n\nTable: Votes {#tab-votes}\n"
    doc, problems = doc_of(text, tmp_path)
    doc = passes.run_passes(doc, problems)
    assert "See [|#tab-votes=Table 1], [|#intro=Section 1] and" in dump(doc.blocks)
    [problem] = problems.errors
    assert problem.line == 3 and "unknown id '#tab-vote'" in problem.message and "tab-votes" in problem.advice


def test_reordering_renumbers_everything(tmp_path):
    a = "# Alpha {#a}\n\n![Fig A](a.svg){#fa alt=\"Picture A\"}\n\nSee [](#fb).\n"
    b = "# Beta {#b}\n\n![Fig B](b.svg){#fb alt=\"Picture B\"}\n\nSee [](#fa).\n"
    first, p1 = doc_of(a + "\n" + b, tmp_path)
    second, p2 = doc_of(b + "\n" + a, tmp_path)
    first, second = passes.run_passes(first, p1), passes.run_passes(second, p2)
    assert [(e.number, e.title) for e in first.figures] == [("1", "Fig A"), ("2", "Fig B")]
    assert [(e.number, e.title) for e in second.figures] == [("1", "Fig B"), ("2", "Fig A")]
    assert first.targets["fb"].label == "Figure 2" and second.targets["fb"].label == "Figure 1"
    assert "[|#fb=Figure 2]" in dump(first.blocks) and "[|#fb=Figure 1]" in dump(second.blocks)


def test_collect_contents(tmp_path):
    doc, problems = doc_of("# A\n\n## B\n\n![Cap](a.svg){alt=\"A picture\"}\n\n| a |\n|---|\n| 1 |\n\nTable: T\n", tmp_path)
    doc = passes.run_passes(doc, problems)
    assert [(e.number, e.title, e.level) for e in doc.contents] == [("1", "A", 1), ("1.1", "B", 2)]
    assert [(e.id, e.number, e.title) for e in doc.figures] == [("figure-1", "1", "Cap")]
    assert [(e.id, e.number, e.title) for e in doc.tables] == [("table-1", "1", "T")]


def test_passes_do_not_change_their_input(tmp_path):
    doc, problems = doc_of("# A\n\nSee [](#a).\n", tmp_path)
    before = dump(doc.blocks)
    passes.run_passes(doc, problems)
    assert dump(doc.blocks) == before
