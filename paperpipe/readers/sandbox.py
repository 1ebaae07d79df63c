"""The Jinja2 sandbox the templates run in, counting their work against
the limits of ``template_limits``.

Templates are untrusted input: they see plain data only (see
``template_data``), Jinja's own sandbox keeps Python's internals out of
reach, and every kind of work they can ask for is counted before it is done:

- steps: each call, attribute, loop step and filter is one step, and every
  50 characters or items made are one more; a build's templates have
  MAX_TEMPLATE_STEPS. This bounds CPU time and memory on any platform, where
  the CPU timer (MAX_TEMPLATE_SECONDS, SIGPROF; not the clock) cannot fire;
- text: what one operation would make (``*``, ``+``, ``~``, ``replace``,
  ``join``, ``format``, ``%``, widths, filters, printing a value) is
  estimated before it is made, and refused past MAX_TEXT;
- nothing is worked out while compiling: Jinja folds constant expressions
  at compile time (``{{ "x"|replace("x", …) }}`` ran there, outside every
  limit), so the optimizer is off and only literal constants are written
  into the compiled code.
"""
from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterator

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from markupsafe import Markup

from ..people import ContentError
from .template_limits import (
    CHARS_PER_STEP, MAX_CALL_DEPTH, MAX_NUMBER_BITS, MAX_RANGE, MAX_REPEAT, MAX_TEMPLATE_SECONDS, MAX_TEMPLATE_STEPS, MAX_TEXT,
    TemplateDepth, TemplateLimit, check_format, format_args, kind_of, budget, made, one_call_deeper, text_size, tick,
)

# ----------------------------------------------------------------------------- the environment
PERSON_KEYS = {"id", "name", "role", "organisation", "affiliation"}  # a person (see template_data.person_view) prints as their name
LOOP_FILTER = "loop steps"  # a name no template can write: the filter that counts a loop's steps


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's compiler, with ``~`` and loops counted, and nothing but
    literal constants worked out at compile time."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.concat_checked((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Compare(self, node, frame) -> None:
        """``a in b``, ``a == b`` … through the environment's ``compare_checked``,
        which counts the scan they make before it is made."""
        self.write("environment.compare_checked(")
        self.visit(node.expr, frame)
        self.write(", (")
        for operand in node.ops:
            self.write(f"({operand.op!r}, ")
            self.visit(operand.expr, frame)
            self.write("), ")
        self.write("))")

    def _output_child_to_const(self, node, frame, finalize):
        if not isinstance(node, (nodes.TemplateData, nodes.Const)):
            raise nodes.Impossible()  # worked out when the template runs, within its limits
        return super()._output_child_to_const(node, frame, finalize)

    def visit_EvalContextModifier(self, node, frame) -> None:
        for keyword in node.options:
            self.writeline(f"context.eval_ctx.{keyword.key} = ")
            self.visit(keyword.value, frame)
            if isinstance(keyword.value, nodes.Const):
                setattr(frame.eval_ctx, keyword.key, keyword.value.value)
            else:
                frame.eval_ctx.volatile = True


def counted_filter(func, name: str, kind: str = "filter"):
    """A filter (or test) that counts a step, checks what it would make
    where it can multiply text, and gives lists instead of generators."""
    check = _FILTER_CHECKS.get(name)

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        values = _value_args(func, args)
        tick(1 + (_size(values[0]) // CHARS_PER_STEP if values else 0))  # a filter reads its whole value (max, sort, unique …)
        if kind == "filter":
            _takes(name, (*_value_args(func, args), *kwargs.values()))
        if name in _TEXT_ONLY:  # jinja's indent adds to its value in place: a list given to it would be changed
            first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
            if len(args) > first and not isinstance(args[first], str):
                args = (*args[:first], str(args[first]), *args[first + 1:])
        if check is not None:
            check(*_value_args(func, args), **kwargs)
        result = func(*args, **kwargs)
        return _settled(result, f"the filter '{name}'")

    return wrapped


_COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "lteq": operator.le, "gt": operator.gt, "gteq": operator.ge,
            "in": lambda a, b: a in b, "notin": lambda a, b: a not in b}


def _size(value) -> int:
    """The items or characters a scan of ``value`` reads (0 for a number)."""
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 0


def _maker(kind, name: str):
    """A function that makes a value of the template language (a class given as it is hands out its own attributes)."""
    def make(*args, **kwargs):
        return kind(*args, **kwargs)
    make.__name__ = make.__qualname__ = name
    return make


def _takes(name: str, values) -> None:
    """A filter takes plain data: a function or macro given to it would be written as Python's text of it."""
    for value in values:
        if isinstance(value, jinja2.Undefined):
            continue  # (callable: calling it reports the undefined name)
        if isinstance(value, (list, tuple, dict)):
            text_size(value)  # (refuses a function or macro inside it: a filter may write the list as text)
        elif callable(value) or not isinstance(value, (str, int, float, bool, type(None))):
            raise ContentError(f"the filter '{name}' cannot take {kind_of(value)}", "give it a text, a number, a list or a mapping")


def _value_args(func, args):
    """The arguments a filter was given, without the environment or context jinja passes first."""
    return args[1:] if getattr(func, "jinja_pass_arg", None) is not None else args




def _settled(result, what: str):
    """A filter's or call's result as plain data: a generator read into a
    list (each item counted), Markup as text; and no text past MAX_TEXT."""
    if isinstance(result, Iterator) and not isinstance(result, (LoopContext, jinja2.utils.Cycler)):
        items = []
        for item in result:
            tick()
            items.append(item)
            if len(items) > MAX_TEXT:
                raise TemplateLimit(f"{what} makes more than {MAX_TEXT:,} items")
        return items
    if isinstance(result, Markup):
        result = str(result)
    if isinstance(result, (str, list, tuple)):
        made(len(result), what)
    return result


def _width(limit_name: str):
    def check(value=None, width=80, *args, **kwargs):
        for w in (width, kwargs.get("width")):
            if isinstance(w, int) and w > MAX_REPEAT:
                raise TemplateLimit(f"the width {w:,} given to '{limit_name}' is too large")
        text = value if isinstance(value, str) else ""
        if limit_name == "wordwrap":  # a line end (wrapstring) at each space, or every `width` characters
            wrap = args[1] if len(args) > 1 else kwargs.get("wrapstring") or "\n"
            breaks = text.count(" ") + text.count("\n") + len(text) // max(width if isinstance(width, int) else 1, 1) + 1
            made(text_size(value) + breaks * len(str(wrap)), "the filter 'wordwrap'")
            return
        lines = text.count("\n") + 1
        extra = width if isinstance(width, str) else " " * (width if isinstance(width, int) and width > 0 else 0)
        made(text_size(value) + lines * len(extra), f"the filter '{limit_name}'")
    return check


def _check_replace(value=None, old="", new="", count=None, **kwargs):
    text, old, new = str(value), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    made(len(text) + times * max(len(new) - len(old), 0), "'replace'")


def _check_join(value=None, d="", attribute=None, **kwargs):
    items = value if isinstance(value, (list, tuple, dict, str)) else []
    made(text_size(list(items)) + len(str(d)) * max(len(items) - 1, 0), "'join'")


def _check_format_filter(value=None, *args, **kwargs):
    check_format(str(value), format_args(args, kwargs), "'format'", percent=True)


def _check_count(name: str, position: int):
    def check(value=None, *args, **kwargs):
        n = args[position] if len(args) > position else kwargs.get("linecount" if name == "batch" else "slices")
        if isinstance(n, int) and n > MAX_REPEAT:
            raise TemplateLimit(f"the number {n:,} given to '{name}' is too large")
        made(text_size(value), f"the filter '{name}'")
    return check


def _check_indent_json(value=None, indent=None, **kwargs):
    indent = kwargs.get("indent", indent)
    if isinstance(indent, int) and indent > 8 or isinstance(indent, str) and len(indent) > 8:
        raise TemplateLimit("the indent given to 'tojson' is too large (at most 8)")
    made(text_size(value) * (1 + (indent if isinstance(indent, int) else len(indent or ""))), "the filter 'tojson'")


def _check_sum(value=None, attribute=None, start=0, **kwargs):
    if not isinstance(kwargs.get("start", start), (int, float)):  # a list or text as the start adds lists or texts, in time of the square
        raise TemplateLimit("'sum' adds numbers only")


def _check_text(name: str):
    def check(value=None, *args, **kwargs):
        made(text_size(value), f"the filter '{name}'")
    return check


_FILTER_CHECKS = {
    "center": _width("center"), "indent": _width("indent"), "wordwrap": _width("wordwrap"), "truncate": _width("truncate"),
    "replace": _check_replace, "join": _check_join, "format": _check_format_filter,
    "batch": _check_count("batch", 0), "slice": _check_count("slice", 0),
    "tojson": _check_indent_json, "sum": _check_sum,
    "string": _check_text("string"), "pprint": _check_text("pprint"), "list": _check_text("list"),
    "urlize": _check_text("urlize"), "xmlattr": _check_text("xmlattr"),
}
_TEXT_ONLY = ("indent",)
_NOT_FOR_TEMPLATES = ("lipsum",)  # makes as much text as asked for


def _str_method_check(name: str, text: str, args, kwargs) -> None:
    """Before a method of a text runs: what it would make."""
    if name in ("center", "ljust", "rjust", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int) and width > MAX_REPEAT:
            raise TemplateLimit(f"the width given to '{name}' is too large")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int) and size > MAX_REPEAT:
            raise TemplateLimit(f"the width given to '{name}' is too large")
        made(len(text) + text.count("\t") * max(size if isinstance(size, int) else 8, 0), "'expandtabs'")
    elif name == "replace":
        _check_replace(text, *args, **kwargs)
    elif name == "join":
        items = args[0] if args else []
        made(text_size(list(items) if isinstance(items, (list, tuple, dict, str)) else []) + len(text) * max(len(items) - 1, 0)
             if isinstance(items, (list, tuple, dict, str)) else 0, "'join'")
    elif name in ("format", "format_map"):
        check_format(text, format_args(args, kwargs), f"'{name}'")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals reachable), with every kind of
    work counted and the operations that multiply text checked before they
    run. Lists and mappings handed to the templates (``given``) cannot be
    changed by them; lists a template makes itself can."""

    intercepted_binops = frozenset({"**", "*", "%", "+"})
    code_generator_class = _CodeGenerator

    def __init__(self, **options):
        super().__init__(optimized=False, finalize=self._printed, **options)
        self.given: set[int] = set()  # ids of the containers handed to the templates
        self.kept: list = []  # what was handed to them, kept alive so that no other value takes one of those ids
        for name in _NOT_FOR_TEMPLATES:
            self.globals.pop(name, None)
        for name in ("dict", "cycler", "joiner", "namespace"):  # classes: their own attributes (dict['x'], namespace.mro()) are no template's
            self.globals[name] = _maker(self.globals[name], name)
        self.filters = {name: counted_filter(func, name) for name, func in self.filters.items()}
        self.tests = {name: counted_filter(func, name, "test") for name, func in self.tests.items()}
        self.filters[LOOP_FILTER] = self.counted

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):  # each loop's items through the counting filter
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == LOOP_FILTER):
                loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def _printed(self, value):
        """Each ``{{ … }}``'s value before it is printed: a person prints
        their name; a value is refused if its text would be too long."""
        if type(value) is dict and set(value) == PERSON_KEYS:
            return value["name"]
        if isinstance(value, (list, tuple, dict)):  # its Python form ("('a', 'b')") would be printed
            kind = "a mapping" if isinstance(value, dict) else "a list"
            raise ContentError(f"the {{{{ … }}}} gives {kind}, which cannot be printed as text",
                               "print one of its items (x[0], x.name) or join them: {{ x|join(', ') }}")
        if not isinstance(value, jinja2.Undefined) and (callable(value) or not isinstance(value, (str, int, float, bool, type(None)))):
            raise ContentError(f"the {{{{ … }}}} gives {kind_of(value)}, which cannot be printed as text",
                               "call it with its arguments, e.g. {{ person(\"id\").name }}")
        if not isinstance(value, str):
            made(text_size(value), "printing the value")
        return value

    @staticmethod
    def counted(items):
        for item in items:
            tick()
            yield item

    @staticmethod
    def compare_checked(left, operands) -> bool:
        """A (chained) comparison, its scans counted first: ``x in text``
        reads the text, ``a == b`` the shorter of the two."""
        for op, right in operands:
            tick(1 + (_size(right) if op in ("in", "notin") else min(_size(left), _size(right))) // CHARS_PER_STEP)
            if not _COMPARE[op](left, right):
                return False
            left = right
        return True

    @staticmethod
    def concat_checked(parts) -> str:
        made(sum(text_size(part) for part in parts), "joining text with '~'")
        return "".join(str(part) for part in parts)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if id(obj) in self.given and modifies_known_mutable(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj, attribute):
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        tick()
        return super().getitem(obj, argument)

    def call_binop(self, context, op, left, right):
        tick()
        if op == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if isinstance(right, int) and right > 0 and isinstance(left, int) and abs(left) > 1 \
                    and right * math.log2(abs(left)) > MAX_NUMBER_BITS:
                raise TemplateLimit(f"the number {left} ** {right} is too large")
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_REPEAT:
                        raise TemplateLimit(f"repeating {len(seq)} characters or items {times} times makes more than {MAX_REPEAT:,}")
                    made(len(seq) * max(times, 0), "repeating with '*'")
        if op == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            made(len(left) + len(right), "joining with '+'")
        if op == "%" and isinstance(left, str):
            check_format(left, format_args([right], {}), "'%'", percent=True)
        return super().call_binop(context, op, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja's signature
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        tick(1 + _size(owner) // CHARS_PER_STEP)  # a method of a text or list reads it (count, find, split, index …)
        if isinstance(owner, str):
            _str_method_check(getattr(method, "__name__", ""), owner, args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (__self.counted(args[0]), *args[1:])
        with one_call_deeper():
            return _settled(super().call(__context, __obj, *args, **kwargs), "the call")


def bounded_range(*args) -> list[int]:
    """range() for templates: a list of at most MAX_RANGE numbers."""
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(result):,} items (at most {MAX_RANGE:,})")
    made(len(result), "range()")
    return list(result)


# the limits, as the build and the tests name them (sandbox.MAX_…)
__all__ = ["CHARS_PER_STEP", "MAX_CALL_DEPTH", "MAX_NUMBER_BITS", "MAX_RANGE", "MAX_REPEAT", "MAX_TEMPLATE_SECONDS", "MAX_TEMPLATE_STEPS",
           "MAX_TEXT", "Sandbox", "TemplateDepth", "TemplateLimit", "bounded_range", "budget", "made", "text_size", "tick"]
