"""Every YAML file the build reads is checked against a declared schema
(paperpipe/schema.py): paper.yaml against paperpipe's own, each data file
against the one its templates declare (templates/schemas/<kind>.schema.json).
Real bad folders, run in-process through the command line's main()."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from conftest import copy_fonts
from paperpipe import cli
from paperpipe.errors import Problems
from paperpipe.readers.yamlfile import parse_yaml
from paperpipe.schema import validate

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

PEOPLE_SCHEMA = """{
  "type": "object", "required": ["speakers"], "additionalProperties": false,
  "properties": {"speakers": {"type": "array", "items": {"type": "string"}, "x-advice": "list the names: '- Ann'"}}
}"""
MACROS = """{%- macro speakers() -%}
Speakers: {{ data.people.speakers|join(", ") }}
{%- endmacro -%}
"""


def check(capsys, content: Path, templates: Path) -> tuple[int, list[str]]:
    with contextlib.chdir(content.parent):  # the files are shown as content/…, from the folder the command ran in
        code = cli.main(["--check", "--content", str(content), "--templates", str(templates)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, [line for line in err.splitlines() if " — " in line]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


@pytest.fixture
def real(tmp_path) -> tuple[Path, Path]:
    """The real paper and a copy of the real templates (with their schemas)."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates", ignore=shutil.ignore_patterns("fonts"))
    copy_fonts(tmp_path / "templates" / "fonts")
    return tmp_path / "content", tmp_path / "templates"


@pytest.fixture
def second(tmp_path) -> tuple[Path, Path]:
    """A second paper with its own data kind, macros and schema."""
    from conftest import copy_templates

    content = tmp_path / "paper"
    shutil.copytree(MINI, content)
    templates = copy_templates(tmp_path / "templates", MACROS)
    (templates / "schemas").mkdir()
    (templates / "schemas" / "people.schema.json").write_text(PEOPLE_SCHEMA, encoding="utf-8")
    (content / "data").mkdir()
    (content / "data" / "people.yaml").write_text("speakers:\n  - Ann Example\n  - Bo Sample\n", encoding="utf-8")
    with (content / "paper.yaml").open("a", encoding="utf-8") as handle:
        handle.write("data:\n  people: data/people.yaml\n")
    with (content / "sections" / "02-results.md").open("a", encoding="utf-8") as handle:
        handle.write("\n{{ speakers() }}\n")
    return content, templates


def test_real_paper_and_data_are_valid(paper_out):
    """Reading the real paper validates paper.yaml and every data file: no
    problem, not even a warning. (That every format then renders and is
    written is the session's build of it, paper_out, which exits 0; a
    --check here laid the whole paper out once more for the same answer.)"""
    from conftest import real_paper

    assert [str(p) for p in real_paper().problems.items] == []


def test_misspelt_key_in_agenda_is_an_error_with_did_you_mean(capsys, real):
    # was: 'moderator:' for 'moderators:' made the moderators vanish from Table 1
    content, templates = real
    agenda = content / "data" / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    at = text.index("        moderators:")
    agenda.write_text(text[:at] + "        moderator:" + text[at + len("        moderators:"):], encoding="utf-8")
    code, problems = check(capsys, content, templates)
    line = line_of(agenda, "        moderator:")
    assert code == 1
    assert problems == [f"{agenda.relative_to(content.parent)}:{line}: unknown key 'moderator' in item "
                        f"{problems[0].split('item ')[1].split(' of')[0]} of 'slots' — did you mean 'moderators'?"], problems


def test_wrong_kind_of_value_in_agenda(capsys, real):
    content, templates = real
    agenda = content / "data" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace('time: "09:00 – 09:30"', "time: 9", 1), encoding="utf-8")
    code, problems = check(capsys, content, templates)
    assert code == 1 and len(problems) == 1, problems
    assert problems[0].startswith(f"content/data/agenda.yaml:{line_of(agenda, 'time: 9')}: 'time' must be text, not a whole number")


def test_second_papers_own_data_kind_is_validated(capsys, second):
    content, templates = second
    code, problems = check(capsys, content, templates)
    assert code == 0 and problems == [], problems
    people = content / "data" / "people.yaml"
    people.write_text("speakers:\n  - Ann Example\n  - [Bo, Sample]\nspeaker: Cy\n", encoding="utf-8")
    code, problems = check(capsys, content, templates)
    # two problems of the data file, and no cascade from the template call that reads it
    assert code == 1 and problems == [
        "paper/data/people.yaml:3: item 2 of 'speakers' must be text, not a list — list the names: '- Ann'",
        "paper/data/people.yaml:4: unknown key 'speaker' — did you mean 'speakers'?",
    ], problems


def test_data_kind_without_a_schema_is_an_error(capsys, second):
    content, templates = second
    # (the kind 'people' itself has paperpipe's own schema, the people file's: see test_people.py)
    (templates / "schemas" / "people.schema.json").rename(templates / "schemas" / "persons.schema.json")
    paper = content / "paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("people: data/people.yaml", "people: {file: data/people.yaml, schema: staff}"), encoding="utf-8")
    code, problems = check(capsys, content, templates)
    assert code == 1 and len(problems) == 1, problems
    assert "paper/paper.yaml" in problems[0] and "declare no data of the kind 'staff'" in problems[0]


def test_data_entry_names_its_schema(capsys, second):
    content, templates = second
    (templates / "schemas" / "people.schema.json").rename(templates / "schemas" / "persons.schema.json")
    paper = content / "paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("people: data/people.yaml",
                                                               "people: {file: data/people.yaml, schema: persons}"), encoding="utf-8")
    code, problems = check(capsys, content, templates)
    assert code == 0 and problems == [], problems


@pytest.mark.parametrize("text, expected", [
    ("title: x\nsize: 1\n", ["x:2: unknown key 'size' — the keys allowed here are: title"]),
    ("title: [1]\n", ["x:1: 'title' must be text, not a list — see the example at the top of the file or in content/README.md"]),
    ("{}\n", ["x:1: the required key 'title' is missing — add a line 'title: …'"]),
    ("titel: x\n", ["x:1: unknown key 'titel' — did you mean 'title'?"]),
    ("- 1\n", ["x:1: the file must be a mapping (key: value lines), not a list — see the example at the top of the file or in content/README.md"]),
])
def test_messages_are_in_editors_words(text, expected):
    problems = Problems()
    schema = {"type": "object", "required": ["title"], "additionalProperties": False, "properties": {"title": {"type": "string"}}}
    validate(parse_yaml(text, "x", problems), schema, "x", problems)
    assert [str(p) for p in problems.items] == expected


def test_paperpipes_own_schemas_are_valid_json_schemas():
    """paperpipe's own schemas are not checked against the meta-schema on
    every build (that took a third of a second): this test does it once,
    and shows that the check would catch a broken one."""
    import json

    import jsonschema

    from paperpipe.schema import SCHEMAS

    paths = sorted(SCHEMAS.glob("*.schema.json"))
    assert {p.name for p in paths} >= {"paper.schema.json", "people.schema.json", "style.schema.json", "table.schema.json"}
    for path in paths:
        schema = json.loads(path.read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        assert cls is jsonschema.Draft202012Validator, path.name
        cls.check_schema(schema)
    with pytest.raises(jsonschema.exceptions.SchemaError):
        jsonschema.Draft202012Validator.check_schema({"type": "mapping", "properties": {"x": {"minLength": "three"}}})
