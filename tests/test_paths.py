"""Issue 8, class 7 "paths and names": an error's file is shown as the
editor can open it from the folder the command ran in, relative to it when
the file is below it, else absolute. One folder with a bad section, a bad
data file and a bad template, checked in-process through the command line
from the project folder, from inside the content folder and from an
unrelated folder: every path shown opens the right file from there, at the
right line. And one mistake gives one message: a failed template call is not
followed by "unknown id" for the table it would have made."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_templates
from paperpipe import cli

ROOT = Path(__file__).resolve().parent.parent
SECTION = Path("sections") / "02-event-at-a-glance.md"
AGENDA = Path("data") / "agenda.yaml"

BROKEN_MACRO = """
{%- macro broken() -%}
{{ nothing.here }}
{%- endmacro -%}
"""


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def _copy_project(base: Path, macros_extra: str = "") -> tuple[Path, Path]:
    """base/content (the real paper) and base/templates (the real macros, style and schemas)."""
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    templates = copy_templates(base / "templates", (ROOT / "templates" / "macros.md.j2").read_text(encoding="utf-8") + macros_extra)
    shutil.copytree(ROOT / "templates" / "schemas", templates / "schemas")
    return content, templates


@pytest.fixture
def project(tmp_path) -> tuple[Path, dict]:
    """tmp_path/project with content/ (the real paper) and templates/, broken
    in three files; returns it and {phrase: (file, line)} of each error."""
    base = tmp_path / "project"
    content, templates = _copy_project(base, BROKEN_MACRO)
    section = content / SECTION
    section.write_text(section.read_text(encoding="utf-8")
                       + "\nA paragraph whose second line\nholds a bell \x07 character.\n"
                       + "\n<div>raw</div>\n\n{{ broken() }}\n", encoding="utf-8")
    agenda = content / AGENDA
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("        moderators:", "        moderator:", 1), encoding="utf-8")
    macros = templates / "macros.md.j2"
    return base, {
        "an invisible control character": (section, line_of(section, "holds a bell")),  # the line looked up in the file
        "raw HTML": (section, line_of(section, "<div>")),
        "unknown key 'moderator'": (agenda, line_of(agenda, "        moderator:")),
        "'nothing' is undefined": (macros, line_of(macros, "nothing.here")),
    }


def _errors(capsys, cwd: Path, monkeypatch, *args: str) -> list[str]:
    monkeypatch.chdir(cwd)
    code = cli.main(["--check", *args])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if " — " in line and not line.startswith("warning: ")]


def _where(errors: list[str], phrase: str) -> tuple[str, int, str]:
    [error] = [e for e in errors if phrase in e] or [None]
    assert error, f"no error with {phrase!r} in:\n" + "\n".join(errors)
    match = re.match(r"(.+?):(\d+): ", error)
    return match[1], int(match[2]), error


@pytest.mark.parametrize("where", ["project", "content", "elsewhere"])
def test_shown_paths_open_the_right_file_from_where_the_command_ran(project, where, tmp_path, capsys, monkeypatch):
    base, expected = project
    if where == "project":    # python build.py --check, in the project folder
        cwd, args = base, ("--content", "content", "--templates", "templates")
    elif where == "content":  # cd content && python ../build.py --content . --templates ../templates
        cwd, args = base / "content", ("--content", ".", "--templates", "../templates")
    else:                     # an unrelated folder, folders given absolute
        cwd, args = tmp_path / "elsewhere", ("--content", str(base / "content"), "--templates", str(base / "templates"))
        cwd.mkdir()
    errors = _errors(capsys, cwd, monkeypatch, *args)
    assert not [e for e in errors if "unknown id" in e], errors  # no cascade from the failed call
    for phrase, (file, line) in expected.items():
        shown, number, error = _where(errors, phrase)
        assert Path(cwd, shown).is_file() and Path(cwd, shown).resolve() == file.resolve(), error
        assert number == line, error
        # below the folder the command ran in: relative to it; elsewhere: absolute
        below = file.resolve().is_relative_to(cwd.resolve())
        assert Path(shown).is_absolute() != below, error
        assert ".." not in Path(shown).parts, error
    # the template's error names the call it came from, in the same form
    _, _, error = _where(errors, "'nothing' is undefined")
    called = re.search(r"\(called from (.+?):(\d+)\)", error)
    section = base / "content" / SECTION
    assert called and Path(cwd, called[1]).resolve() == section.resolve(), error
    assert int(called[2]) == line_of(section, "{{ broken() }}"), error
    if where == "project":
        assert {_where(errors, p)[0] for p in expected} == {"content/sections/02-event-at-a-glance.md", "content/data/agenda.yaml",
                                                          "templates/macros.md.j2"}
    if where == "content":
        assert _where(errors, "raw HTML")[0] == "sections/02-event-at-a-glance.md"


def test_python_names_in_template_messages_are_in_the_datas_words():
    # was: "'paperpipe.readers.yamlfile.LineDict object' has no attribute 'nope'" (the class's full name)
    from paperpipe.readers.templates import plain_words

    assert plain_words("'paperpipe.readers.yamlfile.LineDict object' has no attribute 'nope'") == "a mapping has no key 'nope'"
    assert plain_words("'jinja2.runtime.LineList object' has no element 3") == "a list has no item 3"


# ----------------------------------------------------------------------------- one mistake, one message
def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("broken", ["macro", "data"])
def test_a_failed_template_call_is_one_error_not_also_its_tables_cross_reference(broken, tmp_path, capsys, monkeypatch):
    # was: the failed {{ agenda_table(data.agenda) }} and also
    # "sections/01-agenda.md:9: cross-reference to unknown id '#tab-agenda'" for the table it would have made
    content, templates = _copy_project(tmp_path)
    section = content / "sections" / "01-agenda.md"
    assert "[](#tab-agenda)" in section.read_text(encoding="utf-8") and "{{ agenda_table(data.agenda) }}" in section.read_text(encoding="utf-8")
    if broken == "macro":
        macros = templates / "macros.md.j2"
        _edit(macros, "{%- set w = ns.width -%}", "{%- set w = ns.width + agenda.nope -%}")
        expected = f"templates/macros.md.j2:{line_of(macros, 'agenda.nope')}: "
    else:
        agenda = content / "data" / "agenda.yaml"
        _edit(agenda, "\ndays:", "\ndayz:")
        expected = f"content/data/agenda.yaml:{line_of(agenda, 'dayz:')}: unknown key 'dayz'"
    errors = _errors(capsys, tmp_path, monkeypatch, "--content", "content", "--templates", "templates")
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_a_misspelt_cross_reference_is_still_reported_beside_a_failed_call(tmp_path, capsys, monkeypatch):
    """Only ids the failed call may have made (texts of the data it reads) are
    left out; a cross-reference to anything else is still an error."""
    content, templates = _copy_project(tmp_path)
    _edit(templates / "macros.md.j2", "{%- set w = ns.width -%}", "{%- set w = ns.width + agenda.nope -%}")
    section = content / "sections" / "02-event-at-a-glance.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nSee [](#sec-agendaa).\n", encoding="utf-8")
    errors = _errors(capsys, tmp_path, monkeypatch, "--content", "content", "--templates", "templates")
    assert len(errors) == 2, errors
    assert errors[0].startswith("templates/macros.md.j2:") and "has no key 'nope'" in errors[0], errors
    line = line_of(section, "sec-agendaa")
    assert errors[1].startswith(f"content/sections/02-event-at-a-glance.md:{line}: cross-reference to unknown id '#sec-agendaa'"), errors
