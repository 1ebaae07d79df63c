"""Property tests of the template sandbox (issue 15): generated expressions
over everything a template can reach (data, meta with its logos, paper,
person, problem, range, the macros, every filter, the methods of text, lists
and mappings, Python's hidden attributes, huge numbers and widths), in a
section's {{ … }} and in a macro.

Whatever the expression, the outcome is text of at most MAX_TEXT characters
or a problem that reads ``file:line: what — what to do``; never an
exception, never a value of any type but plain data and the template
language's own (no Path, no object of ours, no module); never a file
written or read outside the paper; and never more than the step budget.

Each case runs on one reader's templates (the house paper: a data file, a
cover logo, a people file), with a fresh budget of steps, so that a case
costs milliseconds. The default run tries PAPERPIPE_EXAMPLES (15) cases per
test. The bug hunt (issue 15 asks for 20,000 cases) runs on demand:

    PAPERPIPE_EXAMPLES=10000 PAPERPIPE_HUNT_LOG=/tmp/template-hunt.log \\
        nice python -m pytest -q -p no:randomly tests/test_template_properties.py

(two tests: 20,000 cases; the log has one line per case: test, CPU seconds, outcome).
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROPERTY_CASES
from paperpipe import model as m
from paperpipe.errors import Problems
from paperpipe.readers import sandbox, templates as jinja
from paperpipe.readers.content import read_paper
from paperpipe.readers.template_data import Facts

ROOT = Path(__file__).resolve().parent.parent
HOUSE = ROOT / "tests" / "fixtures" / "house"
EXAMPLES = int(os.environ.get("PAPERPIPE_EXAMPLES", "15"))
HUNT_LOG = os.environ.get("PAPERPIPE_HUNT_LOG")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
CASES = PROPERTY_CASES
MAX_CASE_STEPS = 200_000  # each case's budget: a tenth of a build's, so that a case stays short


# ----------------------------------------------------------------------------- one reader's templates, reused
@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """The house paper read once (its TemplateCalls kept), in a folder whose
    parent holds a secret file no template may read."""
    top = tmp_path_factory.mktemp("template-props")
    shutil.copytree(HOUSE / "paper", top / "work" / "paper")
    shutil.copytree(HOUSE / "templates", top / "work" / "templates")
    (top / "work" / "templates" / "fonts").symlink_to(ROOT / "templates" / "fonts", target_is_directory=True)
    (top / "work" / "paper" / "data" / "people.yaml").write_text("ann:\n  name: Ann Example\n  role: Chair\n", encoding="utf-8")
    with (top / "work" / "paper" / "paper.yaml").open("a", encoding="utf-8") as handle:
        handle.write("")
    (top / "secret.txt").write_text("TOP-SECRET-WORDS", encoding="utf-8")
    made = []
    init = jinja.TemplateCalls.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    jinja.TemplateCalls.__init__ = recording
    try:
        doc, problems = read_paper(top / "work" / "paper", top / "work" / "templates", Problems(top / "work" / "paper"))
    finally:
        jinja.TemplateCalls.__init__ = init
    assert doc is not None and not problems.errors, [str(p) for p in problems.items]
    return top, made[-1]


def _listing(top: Path) -> dict:
    return {p.relative_to(top).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in top.rglob("*") if p.is_file()}


# ----------------------------------------------------------------------------- the expressions
NAMES = ["data", "meta", "paper", "person", "problem", "range", "dict", "namespace", "cycler", "joiner", "scores_table",
         "self", "loop", "caller", "varargs", "lipsum", "config", "request", "nosuch"]
ATTRS = ["scores", "title", "logos", "file", "path", "alt", "cover", "lines", "header", "keywords", "labels", "name", "role",
         "affiliation", "items", "keys", "values", "get", "append", "pop", "update", "clear", "copy", "setdefault", "format",
         "format_map", "replace", "join", "center", "ljust", "zfill", "expandtabs", "split", "encode", "upper", "mro",
         "read_text", "write_text", "read_bytes", "open", "parent", "parents", "resolve", "joinpath", "unlink", "mkdir",
         "__class__", "__mro__", "__subclasses__", "__globals__", "__init__", "__dict__", "__builtins__", "__code__",
         "__self__", "__func__", "__wrapped__", "_environment", "_func", "gi_frame", "f_globals", "func_globals",
         "environment", "module", "globals", "arguments", "defaults", "catch_kwargs", "_TemplateReference__context",
         "line", "lines", "start_line", "by_id", "raw"]
STRINGS = st.sampled_from(["", "x", "ab", "x" * 1000, "{}", "{:>999999999}", "{0}{0}{0}{0}", "%s", "%999999999d", "%*d",
                           "{:{}}", "../secret.txt", "/etc/passwd", "\t" * 50, "a\nb\nc", "é", "{{ 1 }}", "{% raw %}",
                           "title", "scores", "__class__", "ann", "nosuch", "figures/partner.png"])
INTS = st.one_of(st.integers(-3, 12), st.sampled_from([99, 1000, 99_999, 100_001, 10**6, 10**9, 2**63, -10**9]))
FILTERS = sorted(set(jinja2.Environment().filters) | {"md"})


def _lit(draw_value) -> str:
    return repr(draw_value)


literal = st.one_of(
    STRINGS.map(repr), INTS.map(str), st.sampled_from(["none", "true", "false", "1.5", "1e308", "[]", "{}", "[1, 2, 3]",
                                                        "['a', 'b']", "{'a': 1}", "(1, 2)"]),
)


def _expression(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(ATTRS)).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(children, st.one_of(literal, children)).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, st.lists(st.one_of(literal, children), max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, st.sampled_from(FILTERS), st.lists(st.one_of(literal, children), max_size=3)).map(
            lambda t: f"({t[0]})|{t[1]}" + (f"({', '.join(t[2])})" if t[2] else "")),
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "~", "==", "<", "in", "and", "or"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(children, st.sampled_from(["defined", "string", "mapping", "iterable", "callable", "sameas(1)", "divisibleby(3)"])).map(
            lambda t: f"({t[0]} is {t[1]})"),
        st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.tuples(st.sampled_from(["a", "b"]), children).map(lambda t: "{" + repr(t[0]) + ": " + t[1] + "}"),
    )


atom = st.one_of(st.sampled_from(NAMES), literal)
expression = st.recursive(atom, _expression, max_leaves=8)

# statements, for a macro: loops, sets, namespaces, macros calling themselves
statement = st.one_of(
    expression.map(lambda e: "{{ " + e + " }}"),
    st.tuples(st.sampled_from(["x", "i"]), expression, expression).map(
        lambda t: f"{{% for {t[0]} in {t[1]} %}}{{{{ {t[2]} }}}}{{% endfor %}}"),
    st.tuples(expression, expression).map(lambda t: f"{{% set ns = namespace(v={t[0]}) %}}{{% set ns.v = {t[1]} %}}{{{{ ns.v }}}}"),
    st.tuples(expression, expression).map(lambda t: f"{{% if {t[0]} %}}{{{{ {t[1]} }}}}{{% endif %}}"),
    st.just("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"),
    st.just("{{ t() }}"),
    st.just("{% set s = namespace(v='xx') %}{% for i in range(40) %}{% set s.v = s.v ~ s.v %}{% endfor %}"),
    st.tuples(expression).map(lambda t: f"{{% for x in [1, 2] recursive %}}{{{{ loop({t[0]}) }}}}{{% endfor %}}"),
)

# ----------------------------------------------------------------------------- what a template may reach
LANGUAGE = (jinja2.runtime.Macro, jinja2.utils.Namespace, jinja2.utils.Cycler, jinja2.utils.Joiner, jinja2.runtime.LoopContext,
            jinja2.Undefined, jinja2.runtime.TemplateReference)
PLAIN = (str, int, float, bool, type(None), list, tuple, dict, Facts, type({}.items()), type({}.keys()), type({}.values()))


def _allowed(value) -> bool:
    if isinstance(value, PLAIN) or isinstance(value, LANGUAGE):
        return type(value) in PLAIN or isinstance(value, LANGUAGE)
    if callable(value):
        owner = getattr(value, "__self__", None)
        module = getattr(value, "__module__", "") or ""
        if type(value).__name__ in ("builtin_function_or_method", "method-wrapper") and (owner is None or type(owner) in PLAIN):
            return True  # a method of a text, list or mapping
        return module.startswith(("paperpipe.readers.templates", "paperpipe.readers.sandbox", "jinja2.")) or value in (dict,)
    return False


def _walk(value, found: list, seen: set, depth: int = 0) -> None:
    if id(value) in seen or depth > 50:
        return
    seen.add(id(value))
    if not _allowed(value):
        found.append(f"{type(value).__module__}.{type(value).__qualname__}")
        return
    if isinstance(value, dict):
        for key, item in list(value.items())[:200]:
            _walk(key, found, seen, depth + 1)
            _walk(item, found, seen, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in list(value)[:200]:
            _walk(item, found, seen, depth + 1)


def _log(name: str, seconds: float, outcome: str) -> None:
    CASES[name] += 1
    CASES["worst seconds"] = max(CASES["worst seconds"], seconds)
    if HUNT_LOG:
        with open(HUNT_LOG, "a", encoding="utf-8") as log:
            log.write(f"{name}\t{seconds:.3f}\t{outcome}\n")


def _expand(calls, source: str, name: str, top: Path) -> str | None:
    """One case: a fresh budget, the call expanded, its problems checked."""
    before = _listing(top)
    problems = Problems(top / "work" / "paper")
    calls.problems = problems
    calls.steps, calls.used = MAX_CASE_STEPS, 0.0
    cpu = time.process_time()
    text = calls.expand(source, m.Source("sections/gen.md", 7), top / "work" / "paper" / "sections" / "gen.md")
    seconds = time.process_time() - cpu
    _log(name, seconds, "text" if text is not None else "refused")
    assert calls.steps >= 0
    if text is None:
        assert problems.errors, source
        for problem in problems.errors:
            shown = str(problem)
            assert problem.message and problem.advice and problem.line >= 0, shown
            assert "Traceback" not in shown and "object at 0x" not in shown and "PosixPath" not in shown, shown
            assert "TOP-SECRET" not in shown, shown
    else:
        assert len(text) <= sandbox.MAX_TEXT
        assert "TOP-SECRET" not in text and "object at 0x" not in text and "PosixPath" not in text, text[:300]
        assert "<function" not in text and "<module" not in text and "<class" not in text, text[:300]
    assert _listing(top) == before, source  # nothing written, anywhere in the paper's parent
    return text


@SETTINGS
@given(expr=expression)
@example(expr="meta.logos[0].path")
@example(expr='meta.logos[0].file.__class__.__mro__[1].__subclasses__()')
@example(expr='"xxxxxxxxxx"' + '|replace("x", "xxxxxxxxxx")' * 9)
@example(expr='(["' + "x" * 99_000 + '"] * 100)|join("")')
@example(expr="person('ann').__class__")
@example(expr="person")  # found by the bug hunt: printed "<function … at 0x…>"
@example(expr="(person)|format")  # found by the bug hunt: the same through a filter
@example(expr="dict.scores")  # found by the bug hunt: the class dict handed out dict['scores'], a types.GenericAlias
@example(expr="problem('')")  # found by the bug hunt: a problem with no message and no advice
@example(expr="problem(person, joiner())")
@example(expr="(({'a': person} if data else []))|indent")  # found by the bug hunt: "<function person at 0x…>" through indent
@example(expr="data[joiner()]")  # found by the bug hunt: "<jinja2.utils.Joiner object at 0x…>" in the message
def test_generated_expressions_reach_only_plain_data(setting, expr):
    top, calls = setting
    _expand(calls, "{{ " + expr + " }}", "template expressions", top)
    # the value itself, as a template would hold it: plain data or the template language's own
    try:
        with sandbox.budget(60, MAX_CASE_STEPS):
            value = calls.env.compile_expression(expr, undefined_to_none=False)()
    except Exception:  # noqa: BLE001 - refused or a mistake: _expand checked how it is reported
        return
    found: list[str] = []
    _walk(value, found, set())
    assert not found, f"{expr}: {found}"


@SETTINGS
@given(body=st.lists(statement, min_size=1, max_size=3).map("".join))
@example(body="{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}")
@example(body="{{ data[joiner()] }}")  # found by the bug hunt: "<jinja2.utils.Joiner object at 0x…>" in the message
def test_generated_macros_stay_within_their_limits(setting, body):
    """A macro file (compiled when loaded: nothing may be worked out then)
    whose macro is called from a section."""
    top, calls = setting
    macro = "{%- macro t() -%}" + body + "{%- endmacro -%}"
    if sum(map(ord, body)) % 10:  # most cases: the macro compiled with the call (a few milliseconds)
        _expand(calls, macro + "{{ t() }}", "template macros", top)
        return
    templates = top / "work" / "templates"  # one in ten: from a macro file, loaded as a build loads it
    (templates / "gen.md.j2").write_text(macro + "\n", encoding="utf-8")
    problems = Problems(top / "work" / "paper")
    cpu = time.process_time()
    fresh = jinja.TemplateCalls(templates, {k: calls.env.globals[k] for k in ("data", "meta", "paper", "problem", "person")}, problems)
    _log("macro loading", time.process_time() - cpu, "loaded" if fresh.ok else "refused")
    for problem in problems.errors:
        assert problem.message and problem.advice and "Traceback" not in str(problem), str(problem)
    if fresh.ok:
        _expand(fresh, "{{ t() }}", "template macros", top)
