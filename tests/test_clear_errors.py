"""Issue 15, "clear errors, once": one mistake gives one message at its line
(what follows from it held back); what check validates is what the build
uses, in its final form; `new` checks its options as check would.

Each case on the starter that `paperpipe new` makes, through the command line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from paperpipe import cli
from paperpipe.errors import Problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def starter(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "p", "--title", "A starter", "--deliverable", "D1.01"], project=ROOT) == 0
    return tmp_path / "p"


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = cli.main([*args, "--content", "p"], project=ROOT)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, [line for line in err.splitlines() if " — " in line and not line.startswith("warning:")], err


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the file; the line where it stands."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_one_missing_quote_in_the_people_file_is_one_message_at_its_line(capsys, starter):
    # was: 53 messages (every id the agenda and the text use, as "no person with the id …"), at the file's last line
    line = edit(starter / "data" / "people.yaml", "  name: Anna Berg", '  name: "Anna Berg')
    code, errors, err = run(capsys, "check")
    assert code == 1 and len(errors) == 1, err
    assert errors[0].startswith(f"p/data/people.yaml:{line}: YAML error at column 9: the quoted text that starts here is not closed"), err
    assert 'add the closing "' in errors[0]


def test_a_people_file_that_breaks_its_schema_holds_back_the_ids(capsys, starter):
    line = edit(starter / "data" / "people.yaml", "  name: Anna Berg", "  nam: Anna Berg")
    code, errors, err = run(capsys, "check")
    assert code == 1 and all(e.startswith("p/data/people.yaml:") for e in errors) and errors, err
    assert not any("no person with the id" in e for e in errors), err
    assert any(e.startswith(f"p/data/people.yaml:{line}:") or e.startswith(f"p/data/people.yaml:{line - 1}:") for e in errors), err


def test_the_same_mistake_found_twice_is_said_once():
    problems = Problems(ROOT)
    for _ in range(3):
        problems.error("x.md", 9, "no person with the id 'ann'", "add it")
    problems.error("x.md", 10, "no person with the id 'ann'", "add it")
    assert len(problems.errors) == 2


@pytest.mark.parametrize("subject, phrase", [
    # was: "('A starter', '2025-01-01')" in the PDF's subject and the page's description
    ('"{{ paper.title, paper.date }}"', "the {{ … }} gives a list, which cannot be printed as text"),
    # was: "{{ paper.title }}" as typed in both
    ("\"{{ '{{ paper.title }}' }}\"", "the text still holds {{ … }} once its {{ … }} are filled in"),
    ('"{{ {\'a\': paper.title} }}"', "gives a mapping"),
])
def test_the_subject_is_text_once_filled_in(capsys, starter, subject, phrase):
    paper = starter / "paper.yaml"
    line = edit(paper, re.search(r"^subject:.*$", paper.read_text(encoding="utf-8"), re.M).group(0), f"subject: {subject}")
    code, errors, err = run(capsys, "check")
    assert code == 1 and len(errors) == 1 and errors[0].startswith(f"p/paper.yaml:{line}:") and phrase in errors[0], err


def test_a_list_printed_in_the_text_is_an_error_not_python(capsys, starter):
    line = edit(starter / "sections" / "01-the-event.md", "opened the event.", "opened the event {{ paper.title, 1 }}.")
    code, errors, err = run(capsys, "check")
    assert code == 1 and len(errors) == 1 and errors[0].startswith(f"p/sections/01-the-event.md:{line}:") and "gives a list" in errors[0], err


def test_a_person_is_named_in_box_titles_alt_text_and_the_cover(capsys, starter):
    # was: "[@anna-berg]" printed as typed there
    edit(starter / "sections" / "02-programme.md", "::: sidebar Moderator", "::: sidebar Moderator [@anna-berg]")
    edit(starter / "sections" / "01-the-event.md", 'alt="Three boxes', 'alt="Drawn by [@jonas-meyer]: three boxes')
    paper = starter / "paper.yaml"
    cover_line = re.search(r"^  lines:.*\n    - .*$", paper.read_text(encoding="utf-8"), re.M).group(0)
    edit(paper, cover_line, cover_line + "\n    - \"Opened by [@anna-berg]\"")
    code, errors, err = run(capsys, "build", "--format", "html", "--output", "out")
    assert code == 0, err
    page = next((starter.parent / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Moderator Anna Berg" in page and "Drawn by Jonas Meyer: three boxes" in page and "Opened by Anna Berg" in page
    assert "[@" not in page


def test_an_unknown_person_in_the_cover_or_a_box_title_is_an_error_at_its_line(capsys, starter):
    box = edit(starter / "sections" / "02-programme.md", "::: sidebar Moderator", "::: sidebar Moderator [@anna-burg]")
    paper = starter / "paper.yaml"
    cover_line = re.search(r"^  lines:.*\n    - .*$", paper.read_text(encoding="utf-8"), re.M).group(0)
    line = edit(paper, cover_line, cover_line + "\n    - \"Opened by [@anna-burg]\"") + 2
    code, errors, err = run(capsys, "check")
    assert code == 1 and len(errors) == 2, err
    assert errors[0].startswith(f"p/paper.yaml:{line}: no person with the id 'anna-burg'") and "did you mean 'anna-berg'?" in errors[0], err
    assert errors[1].startswith(f"p/sections/02-programme.md:{box}: no person with the id 'anna-burg'"), err


def test_check_counts_the_output_name_in_bytes_once_filled_in(capsys, starter):
    # was: check passed (the name before its {{ }} were filled in, counted in characters), then the build failed
    # with advice about closing a file
    paper = starter / "paper.yaml"
    text = paper.read_text(encoding="utf-8")
    line = edit(paper, re.search(r"^output:.*$", text, re.M).group(0), 'output: "{{ paper.title }}-paper"')
    edit(paper, re.search(r"^title:.*$", text, re.M).group(0), "title: " + "é" * 120)  # 120 characters, 240 bytes
    code, errors, err = run(capsys, "check")
    assert code == 1 and len(errors) == 1, err
    assert errors[0].startswith(f"p/paper.yaml:{line}: the output name is 246 bytes long") and "more than the 200" in errors[0], err
    code, errors, err = run(capsys, "build", "--output", "out")
    assert code == 1 and "bytes long" in err and not (starter.parent / "out").exists()


@pytest.mark.parametrize("options, phrase", [
    (["--deliverable", "D4/05"], "--deliverable and --title make the output name: 'output: D4/05-x' is not a plain file name"),
    (["--title", "A\x07B"], "--title: an invisible control character (U+0007) is in the text"),
    (["--title", "x" * 300], "--title: 'title' must be at most 255 characters long"),
    (["--deliverable", "é" * 120], "--deliverable and --title make the output name: the output name is 242 bytes long"),
    (["--date", "2025-02-30"], "--date 2025-02-30 is not a date"),
    (["--author", "{{ x }}"], "--author must be plain text on one line"),
])
def test_new_checks_its_options_as_check_would_and_writes_nothing(capsys, tmp_path, monkeypatch, options, phrase):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        cli.main(["new", "p", "--title", "x", *options], project=ROOT)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and phrase in err, err
    assert not (tmp_path / "p").exists()
