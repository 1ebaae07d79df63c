"""The watch's engine, in this process: the OS tells of changes (and polling
stands in without it), the memo hands back only what did not change, the
page is written before the other formats, a newer save supersedes a build
still going on behind, and the outputs are those of a plain build."""
from __future__ import annotations

import io
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import MINI, ROOT, copy_templates

sys.path.insert(0, str(ROOT))

from paperpipe.console import Console  # noqa: E402
from paperpipe.errors import BuildError  # noqa: E402
from paperpipe.pipeline import build, load  # noqa: E402
from paperpipe.readers.memo import ReadMemo  # noqa: E402
from paperpipe.rebuild import Rebuilds  # noqa: E402
from paperpipe.watch import os_changes, polled_changes  # noqa: E402

NAME = "T1.01-maritime-clusters"
TEMPLATES = ROOT / "templates"


@pytest.fixture()
def paper(tmp_path) -> Path:
    shutil.copytree(MINI, tmp_path / "paper")
    return tmp_path / "paper"


def sections(paper: Path) -> list[Path]:
    return sorted((paper / "sections").glob("*.md"))


# ----------------------------------------------------------------------------- the memo
def test_the_memo_reads_again_only_what_changed(paper):
    memo = ReadMemo()
    first = load(paper, TEMPLATES, memo=memo)
    count = len(sections(paper))
    assert memo.reused == 0
    again = load(paper, TEMPLATES, memo=memo)
    assert memo.reused == count and again.doc == first.doc

    edited = sections(paper)[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence saved just now.\n", encoding="utf-8")
    after = load(paper, TEMPLATES, memo=memo)
    assert memo.reused == count - 1
    assert after.doc == load(paper, TEMPLATES).doc  # the same document as a read without a memo
    assert after.doc != first.doc and "A sentence saved just now." in repr(after.doc.blocks)

    # what every section depends on: paper.yaml, a data file, the templates
    templates = copy_templates(paper.parent / "templates")
    load(paper, templates, memo=memo)
    for shared in (paper / "paper.yaml", *sorted((paper / "data").glob("*.yaml")), templates / "style.yaml"):
        shared.write_text(shared.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        load(paper, templates, memo=memo)
        assert memo.reused == 0, shared
        load(paper, templates, memo=memo)
        assert memo.reused == count, shared


def test_a_changed_figure_reads_its_section_again(paper):
    memo = ReadMemo()
    load(paper, TEMPLATES, memo=memo)
    figure = paper / "figures" / "map.svg"
    figure.write_text(figure.read_text(encoding="utf-8").replace("</svg>", "<!-- moved --></svg>"), encoding="utf-8")
    load(paper, TEMPLATES, memo=memo)
    assert memo.reused == len(sections(paper)) - 1


def test_the_memo_gives_back_each_problem_once_where_a_fresh_read_gives_it(paper):
    memo = ReadMemo()
    edited = sections(paper)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n<div>oops</div>\n\n[](#nowhere)\n", encoding="utf-8")
    with pytest.raises(BuildError) as fresh:
        load(paper, TEMPLATES)
    for _ in range(2):
        with pytest.raises(BuildError) as kept:
            load(paper, TEMPLATES, memo=memo)
        assert [str(p) for p in kept.value.problems] == [str(p) for p in fresh.value.problems]
    assert memo.reused == len(sections(paper))


def test_the_memo_forgets_sections_no_longer_in_the_paper(paper):
    memo = ReadMemo()
    load(paper, TEMPLATES, memo=memo)
    held = len(memo._sections)
    yaml = paper / "paper.yaml"
    text = yaml.read_text(encoding="utf-8")
    last = sections(paper)[-1].name
    yaml.write_text(text.replace(f"  - sections/{last}\n", ""), encoding="utf-8")
    sections(paper)[-1].unlink()
    with pytest.raises(BuildError):  # its cross-references now lead nowhere
        load(paper, TEMPLATES, memo=memo)
    assert len(memo._sections) == held - 1


# ----------------------------------------------------------------------------- page first, then the rest
class Recorder(Console):
    """A console that notes what it was told, and what the output folder held then."""

    def __post_init__(self):
        super().__post_init__()
        self.events: list[tuple[str, object]] = []
        self.done = threading.Event()

    def page(self, report):
        pdf = report.files[0].with_suffix(".pdf")
        self.events.append(("page", (report.files[0].read_bytes(), pdf.read_bytes() if pdf.exists() else b"")))
        super().page(report)

    def summary(self, report):
        self.events.append(("summary", [f.name for f in report.files]))
        super().summary(report)
        self.done.set()

    def problems(self, exc, written=()):
        self.events.append(("problems", [str(p) for p in exc.problems]))
        super().problems(exc, written)
        self.done.set()


def test_the_page_is_written_and_told_before_the_pdf_and_the_outputs_are_a_plain_builds(paper, tmp_path):
    out = tmp_path / "out"
    console = Recorder(io.StringIO(), io.StringIO())
    rebuilds = Rebuilds(paper, TEMPLATES, out, ("pdf", "docx", "html"), console)
    rebuilds.build("start")
    rebuilds.wait()
    first_pdf = (out / f"{NAME}.pdf").read_bytes()
    edited = sections(paper)[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence saved just now.\n", encoding="utf-8")
    console.events.clear()
    rebuilds.build("changed")
    rebuilds.wait()
    kinds = [kind for kind, _ in console.events]
    assert kinds == ["page", "summary"], console.events
    page, pdf_then = console.events[0][1]
    assert b"A sentence saved just now." in page and pdf_then == first_pdf  # the page came first
    assert console.events[1][1] == [f"{NAME}.html", f"{NAME}.pdf", f"{NAME}.docx"]
    plain = build(paper, TEMPLATES, tmp_path / "plain", ("pdf", "docx", "html"))
    for file in plain.files:
        assert (out / file.name).read_bytes() == file.read_bytes(), file.name  # byte-identical to a build without the memo
    assert rebuilds.ok


def test_a_newer_save_supersedes_the_build_behind(paper, tmp_path):
    out = tmp_path / "out"
    console = Recorder(io.StringIO(), io.StringIO())
    rebuilds = Rebuilds(paper, TEMPLATES, out, ("pdf", "docx", "html"), console)
    rebuilds.build("start")
    rebuilds.wait()
    from paperpipe.pipeline import prepare

    loaded, _notes = prepare(paper, TEMPLATES, out)
    (out / f"{NAME}.pdf").unlink()
    rebuilds._generation += 1  # a newer save came
    rebuilds._rest(rebuilds._generation - 1, loaded, ("pdf", "docx"), None, 0.0)
    assert not (out / f"{NAME}.pdf").exists()  # the superseded build wrote nothing
    assert not [p for p in out.iterdir() if p.name.endswith((".part", ".previous"))]


def test_a_pdf_that_cannot_be_laid_out_shows_after_the_page(paper, tmp_path):
    out = tmp_path / "out"
    console = Recorder(io.StringIO(), io.StringIO())
    rebuilds = Rebuilds(paper, TEMPLATES, out, ("pdf", "html"), console)
    rebuilds.build("start")
    rebuilds.wait()
    edited = sections(paper)[-1]
    # a table cell taller than a page: the reader takes it, the PDF's layout cannot
    tall = "\n```table\nrows:\n  - cells: [a, b]\n  - cells:\n      - |\n" + "".join(f"        line {i} \\\n" for i in range(150)) + "      - x\n```\n"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n" + tall, encoding="utf-8")
    console.events.clear()
    rebuilds.build("changed")
    rebuilds.wait()
    kinds = [kind for kind, _ in console.events]
    assert kinds == ["page", "problems"], console.events
    assert any(re.search(rf"{edited.name}:\d+: this cannot be laid out", p) for p in console.events[1][1]), console.events[1][1]
    assert "was written, the other outputs are kept" in console.err.getvalue()
    assert not rebuilds.ok


# ----------------------------------------------------------------------------- changes
def _first_change(stream, wanted: Path, tries: int = 100) -> list[str]:
    for _ in range(tries):  # each step ends after at most a short timeout
        changed = next(stream)
        if str(wanted) in changed:
            return changed
    raise AssertionError(f"{wanted} was never reported")


def test_the_system_tells_of_a_save_and_hidden_files_and_the_output_are_left_out(paper, tmp_path):
    out = paper / "out"
    out.mkdir()
    stop = threading.Event()
    stream = os_changes([paper], [out], stop)
    next(stream)  # watching
    (out / "x.pdf").write_text("output", encoding="utf-8")
    (paper / "sections" / ".x.md.swp").write_text("swap", encoding="utf-8")
    edited = sections(paper)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSaved.\n", encoding="utf-8")
    changed = _first_change(stream, edited)
    assert not any("/out/" in c or ".swp" in c for c in changed), changed
    stop.set()


def test_polling_stands_in_where_the_system_cannot_tell(paper):
    stream = polled_changes([paper], [], None, 0.01)
    next(stream)
    edited = sections(paper)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSaved, and grown.\n", encoding="utf-8")
    assert str(edited) in _first_change(stream, edited)



def test_a_paper_inside_a_hidden_folder_is_watched(tmp_path):
    from paperpipe.watch import ignored, snapshot

    paper = tmp_path / ".papers" / "paper"
    shutil.copytree(MINI, paper)
    (paper / ".cache").mkdir()
    (paper / ".cache" / "x").write_text("x", encoding="utf-8")
    (paper / "sections" / "notes.md~").write_text("x", encoding="utf-8")
    seen = snapshot([paper], [])
    assert str(paper / "paper.yaml") in seen and str(paper / "sections" / "01-intro.md") in seen
    assert not any(".cache" in k or k.endswith("~") for k in seen), seen
    root = [paper.resolve()]
    assert not ignored(str(paper / "paper.yaml"), root, [])
    assert ignored(str(paper / "out" / "x.pdf"), root, [(paper / "out").resolve()])
