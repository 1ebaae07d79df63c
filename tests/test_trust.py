"""Issue 8, "every build can be trusted": careless and hostile input, each
class on a real bad folder (a copy of tests/fixtures/mini with one thing
broken) run in-process through the command line's main(): a clear error at
the right file and line, or the whole paper; never a traceback, never
"internal error", never text silently lost."""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_templates
from paperpipe import cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
RESULTS = "paper/sections/02-results.md"


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if " — " in line and not line.startswith("warning: ")]


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """tmp_path holding paper/ (the mini paper) and templates/ (the real ones); the cwd."""
    shutil.copytree(MINI, tmp_path / "paper")
    copy_templates(tmp_path / "templates", (ROOT / "templates" / "macros.md.j2").read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "templates" / "schemas", tmp_path / "templates" / "schemas")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> Run:
    start = time.perf_counter()
    code = cli.main(["--content", "paper", "--templates", "templates", "--output", "out", *args])
    seconds = time.perf_counter() - start
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return Run(code, captured.out, captured.err, seconds)


def add(folder: Path, text: str, file: str = "sections/02-results.md") -> int:
    """Append text to a section file; the line number of its first line."""
    path = folder / "paper" / file
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def only_error(result: Run, where: str, *phrases: str) -> str:
    assert result.code == 1, result.err
    assert len(result.errors) == 1, result.err
    [error] = result.errors
    assert error.startswith(where + ": "), error
    for phrase in phrases:
        assert phrase in error, error
    return error


# ----------------------------------------------------------------------------- 1. silent loss: Markdown
def test_unclosed_box_is_an_error_on_its_opening_line(capsys, folder):
    # was: the rest of the file, headings included, drawn inside the box
    first = add(folder, "\n::: sidebar Speakers\nAnn and Bo\n\n## Later heading\n\nmore text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 1}", "the box '::: sidebar Speakers' is not closed", "':::'")


def test_unknown_box_kind_and_stray_closing_line(capsys, folder):
    first = add(folder, "\n::: sidbar Speakers\nAnn\n:::\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 1}", "'::: sidbar' is not a kind of box", "did you mean '::: sidebar'?")
    (folder / "paper" / "sections" / "02-results.md").write_text((MINI / "sections" / "02-results.md").read_text(encoding="utf-8"))
    first = add(folder, "\ntext\n\n:::\n\nmore text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a ':::' line that closes no box")


def test_list_nested_past_the_limit_is_an_error_not_a_silent_drop(capsys, folder):
    # was: a list ten levels deep made markdown-it drop everything after it
    lines = "".join("  " * i + f"- level {i}\n" for i in range(10))
    first = add(folder, "\n" + lines + "\n## After the list\n\ntail text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 7}", "nested more than 6 levels deep")


def test_boxes_inside_boxes_are_one_error(capsys, folder):
    first = add(folder, "\n::: sidebar A\n::: sidebar B\n::: sidebar C\nx\n:::\n:::\n:::\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 2}", "a sidebar box cannot stand inside a sidebar")


def test_heading_inside_a_list_is_an_error(capsys, folder):
    first = add(folder, "\n- item\n\n  # Heading in a list\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a heading cannot stand inside a list")


def test_figure_and_table_inside_a_table_cell(capsys, folder):
    first = add(folder, "\n```table\nrows:\n  - cells: [a, '![Map](figures/map.svg)']\n```\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a figure cannot stand inside a table cell")


def test_misspelt_key_in_a_table_block(capsys, folder):
    # was: 'colspn: 2' silently gave a one-column cell
    first = add(folder, "\n```table\nrows:\n  - cells: [a, {text: b, colspn: 2}]\n  - cells: [c, d]\n```\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "unknown key 'colspn'", "did you mean 'colspan'?")
