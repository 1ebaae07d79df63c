"""Issue 15, "close the sandbox": templates see plain data only, reach no
file, and every kind of work they ask for is counted before it is done.

Each class has a case of its own: the live ``Path`` of a cover logo (which
let a template read and write files anywhere, and let ``--check`` write
one), the allowlist of everything a template can reach in the real paper,
the mini and house papers and the starter of ``paperpipe new``, nothing
written outside the output folder, and the limits (constant folding at
compile time, text multiplied by replace/join/format/+, a step count that
holds where the time alarm cannot fire)."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import jinja2
import pytest

from conftest import copy_fonts, mini_paper_in
from paperpipe import cli
from paperpipe.errors import Problems
from paperpipe.readers import sandbox, templates as jinja
from paperpipe.readers.content import read_paper
from paperpipe.readers.template_data import Facts

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
HOUSE = ROOT / "tests" / "fixtures" / "house"
RESULTS = "paper/sections/01-results.md"

# ----------------------------------------------------------------------------- the allowlist
PLAIN = (str, int, float, bool, type(None), list, tuple, dict)


def _facts_add_nothing() -> bool:
    return set(vars(Facts)) <= {"__module__", "__doc__", "__dict__", "__weakref__", "__qualname__", "__firstlineno__", "__static_attributes__"}


def reachable(value, path: str, found: list, seen: set) -> None:
    """Every value inside ``value``; anything that is not plain data is
    added to ``found`` with where it was reached."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, jinja2.Undefined):
        return  # what a filter gives for nothing (StrictUndefined: an error when used)
    if type(value) is Facts:
        assert _facts_add_nothing()
    elif type(value) not in PLAIN:
        found.append(f"{path}: {type(value).__module__}.{type(value).__qualname__}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            reachable(key, f"{path} key", found, seen)
            reachable(item, f"{path}.{key}", found, seen)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            reachable(item, f"{path}[{index}]", found, seen)


def _template_calls(monkeypatch) -> list:
    made = []
    init = jinja.TemplateCalls.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(jinja.TemplateCalls, "__init__", recording)
    return made


def _starter(tmp_path) -> tuple[Path, Path]:
    assert cli.main(["new", str(tmp_path / "starter"), "--title", "A starter"], project=ROOT) == 0
    return tmp_path / "starter", ROOT / "paperpipe" / "templates" if (ROOT / "paperpipe" / "templates").is_dir() else ROOT / "templates"


def _house(tmp_path) -> tuple[Path, Path]:
    shutil.copytree(HOUSE / "templates", tmp_path / "house-templates")
    copy_fonts(tmp_path / "house-templates" / "fonts")
    return HOUSE / "paper", tmp_path / "house-templates"


PAPERS = {
    "real": lambda tmp: (ROOT / "content", ROOT / "templates"),
    "mini": lambda tmp: (MINI, ROOT / "templates"),
    "house": _house,
    "starter": _starter,
}

# Jinja's own objects of the template language (the sandbox's rules hold for them), and ours made for templates
TEMPLATE_LANGUAGE = (jinja2.runtime.Macro, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner)


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_everything_a_template_can_reach_is_plain_data(tmp_path, monkeypatch, paper):
    content, templates = PAPERS[paper](tmp_path)
    calls = _template_calls(monkeypatch)
    doc, problems = read_paper(content, templates, Problems(content))
    assert doc is not None and not problems.errors, [str(p) for p in problems.items]
    env = calls[-1].env
    found: list[str] = []
    seen: set[int] = set()
    functions = {}
    for name, value in env.globals.items():
        if isinstance(value, type) and value in (dict, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner):
            continue  # jinja's constructors of template-language values
        if callable(value) and not isinstance(value, (dict, list)):
            assert isinstance(value, TEMPLATE_LANGUAGE) or getattr(value, "__module__", "") in (
                "paperpipe.readers.templates", "paperpipe.readers.sandbox"), f"{name}: {value!r}"
            functions[name] = value
            continue
        reachable(value, name, found, seen)
    assert "lipsum" not in env.globals  # it makes as much text as asked for
    # what the functions made for templates give
    people = env.globals["data"].get("people") or {}
    for ident in people:
        reachable(functions["person"](ident), f"person({ident!r})", found, seen)
    reachable(functions["range"](3), "range(3)", found, seen)
    # what every filter gives for every kind of value a template reaches
    samples = [v for name in ("data", "meta", "paper") for v in _values(env.globals[name])][:400]
    with sandbox.budget(60, 10**9):
        for name, function in env.filters.items():
            if name == sandbox.LOOP_FILTER:
                continue  # no template can name it: a loop's items, counted
            for value in samples:
                try:
                    result = function(env, value) if getattr(function, "jinja_pass_arg", None) else function(value)
                except Exception:  # noqa: BLE001 - a filter that does not take this kind of value
                    continue
                reachable(result, f"{value!r:.30}|{name}", found, seen)
    assert not found, "\n".join(found)
    if paper in ("house", "real"):
        meta = env.globals["meta"]
        assert meta["logos"] or paper == "real"
        for logo in meta["logos"]:
            assert type(logo["file"]) is str and not os.path.isabs(logo["file"]), logo


def _values(value):
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if not callable(v) or isinstance(v, (dict, list)))
        elif isinstance(item, (list, tuple)):
            yield item
            stack.extend(item)
        else:
            yield item


# ----------------------------------------------------------------------------- the logo's Path, files outside
@pytest.fixture
def house(tmp_path, monkeypatch) -> Path:
    """tmp_path/work holding paper/ (the house paper, with its own cover logo) and templates/; the cwd."""
    work = tmp_path / "work"
    shutil.copytree(HOUSE / "paper", work / "paper")
    shutil.copytree(HOUSE / "templates", work / "templates")
    copy_fonts(work / "templates" / "fonts")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-WORDS", encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def _add(folder: Path, text: str, file: str = "sections/01-results.md") -> int:
    path = folder / "paper" / file
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["--content", "paper", "--templates", "templates", "--output", "out", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return code, captured.err


def _tree(folder: Path) -> dict:
    """Every file and folder below ``folder`` (output/ aside): its size and time of change."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if "out" in path.relative_to(folder).parts[:1] or "work/out" in path.relative_to(folder).as_posix():
            continue
        stat = path.lstat()
        # a folder by its listing (making out/ changes its folder's time), a file by its size and time
        out[path.relative_to(folder).as_posix()] = "folder" if path.is_dir() else (stat.st_size, stat.st_mtime_ns)
    return out


LIVE = [
    '{{ meta.logos[0].path.parent.parent.joinpath("PWNED").write_text("x") }}',
    '{{ meta.logos[0].path.read_text() }}',
    "{{ meta.logos[0].file.__class__ }}",
    '{{ person.__globals__ }}',
    '{{ problem.__globals__["__builtins__"] }}',
    '{{ range.__globals__ }}',
    "{{ data.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__ }}",
    "{{ paper.__class__.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    '{{ meta.update({"title": "x"}) }}',
    '{{ data.scores.clear() }}',
]


@pytest.mark.parametrize("call", LIVE)
def test_a_template_reaches_no_file_and_no_object(capsys, house, tmp_path, call):
    """Was: a cover logo put a pathlib.Path within reach (meta.logos[…].path):
    any {{ … }} could read a file anywhere into the outputs, and --check
    wrote one outside the content folder."""
    line = _add(house, f"\nText {call}\n")
    before = _tree(tmp_path)
    code, err = _run(capsys, "--check")
    assert code == 1, err
    assert f"{RESULTS}:{line + 1}:" in err, err
    assert "TOP-SECRET" not in err and "PWNED" not in err.replace(call, "")
    assert _tree(tmp_path) == before
    assert not (tmp_path / "PWNED").exists() and not (house / "PWNED").exists()


def test_a_template_sees_the_logo_as_the_editor_wrote_it(capsys, house):
    _add(house, "\nThe logo is {{ meta.logos[0].file }} ({{ meta.logos[0].alt }}), {{ meta.logos[0].width }} wide.\n")
    code, err = _run(capsys, "--format", "html")
    assert code == 0, err
    page = next((house / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "The logo is figures/partner.png (Logo of the Example Port Authority), 60" in page


def test_check_and_build_write_nothing_outside_the_output_folder(capsys, house, tmp_path):
    """A snapshot of the whole folder above the paper (names, sizes, times)
    before and after: --check writes nothing at all, a build only output/."""
    _add(house, "\n{{ meta.logos[0].path }} and {{ person('x') }}\n")
    before = _tree(tmp_path)
    assert _run(capsys, "--check")[0] == 1
    assert _tree(tmp_path) == before and not (house / "out").exists()
    (house / "paper" / "sections" / "01-results.md").write_text((HOUSE / "paper" / "sections" / "01-results.md").read_text(encoding="utf-8"),
                                                                encoding="utf-8")
    before = _tree(tmp_path)
    assert _run(capsys, "--check")[0] == 0
    assert _tree(tmp_path) == before and not (house / "out").exists()
    code, err = _run(capsys, "--format", "all")
    assert code == 0, err
    assert _tree(tmp_path) == before  # everything but out/ as it was
    assert sorted(p.suffix for p in (house / "out").iterdir() if p.is_file()) == [".docx", ".html", ".pdf"]


def test_data_handed_to_templates_cannot_be_changed_by_them(capsys, house):
    """Each call sees the same data: a template may change the lists it
    makes itself, not the data (nor the metadata) it is given."""
    (house / "templates" / "t.md.j2").write_text("{%- macro t() -%}{% set mine = [] %}{% set _ = mine.append(1) %}"
                                                 "{% set _ = meta.header.append('x') %}{%- endmacro -%}\n", encoding="utf-8")
    line = _add(house, "\n{{ t() }}\n")
    code, err = _run(capsys, "--check")
    assert code == 1 and f"templates/t.md.j2:1: not allowed in a template" in err and f"called from {RESULTS}:{line + 1}" in err, err
    assert "mine" not in err and "append" in err


def test_a_person_prints_as_their_name(capsys, folder_with_people):
    folder = folder_with_people
    _add(folder, "\nBy {{ person('ann') }}, {{ person('ann').role }}.\n", "sections/02-results.md")
    code, err = _run(capsys, "--format", "html")
    assert code == 0, err
    assert "By Ann Example, Chair." in next((folder / "out").glob("*.html")).read_text(encoding="utf-8")


@pytest.fixture
def folder_with_people(tmp_path, monkeypatch) -> Path:
    mini_paper_in(tmp_path)
    (tmp_path / "paper" / "data").mkdir()
    (tmp_path / "paper" / "data" / "people.yaml").write_text("ann:\n  name: Ann Example\n  role: Chair\n", encoding="utf-8")
    _add(tmp_path, "data:\n  people: data/people.yaml\n", "paper.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ----------------------------------------------------------------------------- limits counted before the work
FOLD = '"xxxxxxxxxx"' + '|replace("x", "xxxxxxxxxx")' * 9  # 10**10 characters, once worked out while compiling


@pytest.mark.parametrize("call, phrase", [
    # Jinja folded these while compiling, outside every limit (33 s and 2 GB, then "content OK")
    ("{{ " + FOLD + " }}", "'replace' makes more than 1,000,000 characters"),
    ("{{ (" + FOLD + ")|length }}", "'replace' makes more than 1,000,000 characters"),
    ('{{ ("ab" ~ "cd")|replace("", "' + "y" * 999 + '")|replace("y", "' + "z" * 999 + '")|length }}', "'replace' makes more than"),
    # text multiplied without the cap that * has
    ('{{ (["' + "x" * 99_000 + '"] * 100)|join("") }}', "'join' makes more than 1,000,000 characters"),
    ('{{ ("x" * 99_000)|replace("x", "yy" * 50) }}', "'replace' makes more than 1,000,000 characters"),
    ('{{ ("x" * 99_000).replace("x", "yy" * 50) }}', "'replace' makes more than 1,000,000 characters"),
    ('{{ "-".join(["' + "x" * 99_000 + '"] * 100) }}', "'join' makes more than 1,000,000 characters"),
    ('{{ ("{0}" * 1000).format("x" * 99_000) }}', "'format' makes more than 1,000,000 characters"),
    ('{{ ("%s" * 1000)|format("x" * 99_000) }}', "'format' makes more than 1,000,000 characters"),
    ('{{ "{:{}}".format(1, 999999999) }}', "a width in the format is too large"),
    ('{{ "%*d" % (999999999, 1) }}', "a width in the format is too large"),
    ('{% set ns = namespace(s="xx") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}',
     "joining with '+' makes more than 1,000,000 characters"),
    ('{{ ("x\\n" * 50_000)|indent(99) }}', "the filter 'indent' makes more than"),
    ('{{ ("a " * 50_000)|wordwrap(1, true, "' + "w" * 99 + '") }}', "the filter 'wordwrap' makes more than"),
    ("{{ [1]|batch(999999999, 'x')|list }}", "the number 999,999,999 given to 'batch' is too large"),
    ("{{ [1]|slice(999999999)|list }}", "the number 999,999,999 given to 'slice' is too large"),
    ("{{ ([[1] * 1000] * 1000)|sum(start=[])|length }}", "'sum' adds numbers only"),
    ('{{ ["x"]|tojson(indent=999999999) }}', "the indent given to 'tojson' is too large"),
    ("{{ ('\t' * 99_999).expandtabs(99_999) }}", "'expandtabs' makes more than"),
])
def test_text_is_counted_before_it_is_made(capsys, house, call, phrase):
    """In a macro (compiled when the macros are loaded) and, where the text
    can hold it, in a section's own {{ … }}."""
    (house / "templates" / "t.md.j2").write_text("{%- macro t() -%}" + call + "{%- endmacro -%}\n", encoding="utf-8")
    line = _add(house, "\n{{ t() }}\n")
    code, err = _run(capsys, "--check")
    assert code == 1, err
    errors = [e for e in err.splitlines() if " — " in e and not e.startswith("warning:")]
    assert len(errors) == 1 and errors[0].startswith("templates/t.md.j2:1:") and phrase in errors[0], err
    assert f"(called from {RESULTS}:{line + 1})" in errors[0]
    if "{%" in call or "}}" in call[2:-2]:
        return
    (house / "templates" / "t.md.j2").unlink()
    (house / "paper" / "sections" / "01-results.md").write_text((HOUSE / "paper" / "sections" / "01-results.md").read_text(encoding="utf-8"),
                                                                encoding="utf-8")
    line = _add(house, f"\nText {call}\n")
    code, err = _run(capsys, "--check")
    errors = [e for e in err.splitlines() if " — " in e and not e.startswith("warning:")]
    assert len(errors) == 1 and errors[0].startswith(f"{RESULTS}:{line + 1}:") and phrase in errors[0], err


def test_nothing_is_worked_out_while_compiling():
    """The compiled code of an expression holds the expression, not its
    value: only literal constants are written in at compile time."""
    env = sandbox.Sandbox()
    source = env.compile('{{ "ab"|replace("a", "c") }}{{ 1 + 2 }}{{ "x" }}', raw=True)
    assert "'cb'" not in source and "'3'" not in source and "replace" in source
    assert "'x'" in source


def test_the_step_count_stops_a_template_where_the_alarm_cannot_fire(monkeypatch):
    """In a thread (no signal timer there, as on Windows) with an hour of time,
    an endless loop still stops: the steps are counted as they are done."""
    monkeypatch.setattr(sandbox, "MAX_TEMPLATE_SECONDS", 3600.0)
    problems = Problems(ROOT)
    calls = jinja.TemplateCalls(ROOT / "templates", {"data": {}}, problems)
    outcome = {}
    spin = "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}"

    def run():
        from paperpipe import model as m
        outcome["text"] = calls.expand(spin, m.Source("x.md", 3), ROOT / "x.md")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(600)
    assert not thread.is_alive()
    assert outcome["text"] is None
    [problem] = problems.errors
    assert f"more than {sandbox.MAX_TEMPLATE_STEPS:,} steps of work" in problem.message and problem.line == 3


def test_loops_count_their_steps_before_the_work():
    """Each step of a loop (also of a recursive loop's deeper levels) is counted."""
    env = sandbox.Sandbox()
    with sandbox.budget(60, 1_000_000) as left:
        env.from_string("{% for i in range(1000) %}{% endfor %}").render()
        used = 1_000_000 - left()
    assert 1000 <= used < 1100
    with pytest.raises(sandbox.TemplateLimit), sandbox.budget(60, 500):
        env.from_string("{% for x in [[1, 2, 3]] * 300 recursive %}{{ loop(x) if x is iterable else '' }}{% endfor %}").render()


def test_printing_a_large_shared_value_is_refused_before_it_is_written():
    """A value YAML aliases share many times prints as it is written out."""
    env = sandbox.Sandbox()
    shared = ["x" * 1000] * 100
    data = {"a": [shared] * 100}
    for template, phrase in (("{{ data.a|string }}", "the filter 'string' makes more than"), ("{{ 'x' ~ data.a }}", "joining text with '~' makes more than"),
                             ("{{ data.a|tojson }}", "the filter 'tojson' makes more than")):
        with pytest.raises(sandbox.TemplateLimit, match=phrase), sandbox.budget(60, 10**9):
            env.from_string(template).render(data=data)


@pytest.mark.parametrize("call, phrase", [
    # found by the bug hunt (tests/test_template_properties.py): Python's text of a function in the paper
    ("{{ person }}", "the {{ … }} gives the function 'person', which cannot be printed as text"),
    ("{{ person|format }}", "the filter 'format' cannot take the function 'person'"),
    ("{{ 'x' ~ scores_table }}", "the macro 'scores_table' cannot be written as text"),
    # found by the bug hunt: the class dict handed out its own attributes (dict['x'] is a types.GenericAlias)
    ("{{ dict['scores'] }}", "has no key 'scores'"),
])
def test_functions_and_classes_are_not_printed_as_python(capsys, house, call, phrase):
    line = _add(house, f"\nText {call}\n")
    code, err = _run(capsys, "--check")
    errors = [e for e in err.splitlines() if " — " in e and not e.startswith("warning:")]
    assert code == 1 and len(errors) == 1 and errors[0].startswith(f"{RESULTS}:{line + 1}:"), err
    assert phrase in errors[0], err


@pytest.mark.parametrize("template", [
    "{% for i in range(100) %}{% if 'y' in s %}{% endif %}{% endfor %}",  # was: 13.6 s of CPU within the step budget
    "{% for i in range(100) %}{% if s == s %}{% endif %}{% endfor %}",
    "{% for i in range(100) %}{{ (s|list)|max }}{% endfor %}",
    "{% for i in range(100) %}{{ s.count('y') }}{% endfor %}",
])
def test_scans_are_counted_by_what_they_read(template):
    """A comparison, a filter and a method read their whole value: counted
    by its length before the scan, not as one step."""
    env = sandbox.Sandbox()
    # 100 scans of a million characters are 2,000,000 steps: a budget of 200,000 stops
    # them by the tenth (a scan counted as one step would never reach it); the limit
    # itself is the same whatever the budget, and a smaller one spends less CPU reaching it
    with pytest.raises(sandbox.TemplateLimit, match="steps of work"), sandbox.budget(3600, 200_000):
        env.from_string(template).render(s="x" * 1_000_000)
    with sandbox.budget(3600, 1_000_000) as left:
        env.from_string(template.replace("100", "2")).render(s="x" * 1_000_000)
        assert 1_000_000 - left() >= 2 * 1_000_000 // sandbox.CHARS_PER_STEP
