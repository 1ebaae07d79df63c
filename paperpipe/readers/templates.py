"""Jinja2 template calls inside Markdown, rendered in a sandbox.

A paragraph that is only ``{{ macro(...) }}`` is replaced by the Markdown the
macro writes.  Macros live in ``templates/*.md.j2`` and see ``data`` (every
data file named in paper.yaml), ``meta`` and ``paper`` (the facts of
paper.yaml: ``{{ paper.title }}`` …).  Undefined names are errors, and
template problems are reported with the template's own file and line.
"""
from __future__ import annotations

import math
import re
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .. import model as m
from ..errors import Problems, nearest
from ..people import ContentError


def _template_line(exc: BaseException, templates: Path) -> tuple[str, int] | None:
    """The innermost template frame of an exception's traceback."""
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith(".j2") or name == "<template>":
            found = (name, line)
    return found


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process (jinja checks each
    against its source's checksum), so --watch rebuilds skip compiling the
    macros again."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _MemoryBytecodeCache()

# ----------------------------------------------------------------------------- limits
# Templates are untrusted input too: every kind of work they can ask for is bounded.
MAX_TEMPLATE_SECONDS = 5.0   # all template calls of one build together (and, apart, the loading of the macros)
MAX_CALL_OUTPUT = 1_000_000  # characters one call may write
MAX_NUMBER_BITS = 4096       # the size of a number a ** may make (2**4096 has 1234 digits)
MAX_REPEAT = 100_000         # characters or items a * repetition may make; also a width in a format
MAX_RANGE = 10_000           # items of one range()


class TemplateLimit(SecurityError):
    """A template asked for more work than the limits allow."""


class _CheckedConcat(jinja2.compiler.CodeGenerator):
    """``a ~ b`` through the environment's ``concat_checked``, so that a
    string doubled in a loop stops at the size limit, not at the memory's."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.concat_checked((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals reachable), with the arithmetic
    that can explode checked before it is done."""

    intercepted_binops = frozenset({"**", "*", "%"})
    code_generator_class = _CheckedConcat

    @staticmethod
    def concat_checked(parts) -> str:
        texts = [str(part) for part in parts]
        if sum(len(t) for t in texts) > MAX_CALL_OUTPUT:
            raise TemplateLimit(f"joining text with '~' makes more than {MAX_CALL_OUTPUT:,} characters")
        _tick()
        return "".join(texts)

    def call_binop(self, context, op, left, right):
        if op == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if isinstance(right, int) and right > 0 and isinstance(left, int) and abs(left) > 1 \
                    and right * math.log2(abs(left)) > MAX_NUMBER_BITS:
                raise TemplateLimit(f"the number {left} ** {right} is too large")
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise TemplateLimit(f"repeating {len(seq)} characters or items {times} times makes more than {MAX_REPEAT:,}")
        if op == "%" and isinstance(left, str) and re.search(r"%[-+ #0]*(\d{6,}|\*)|\.\d{6,}", left):
            raise TemplateLimit("a width in the format is too large")
        return super().call_binop(context, op, left, right)

    def format_string(self, s, args, kwargs, format_func=None):
        if re.search(r"\d{6,}", str(s)):  # "{:>999999999}".format(1)
            raise TemplateLimit("a width in the format is too large")
        return super().format_string(s, args, kwargs, format_func)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja's signature
        _tick()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if isinstance(getattr(method, "__self__", None), str):
            name = getattr(method, "__name__", "")
            if name in ("center", "ljust", "rjust", "zfill", "expandtabs") and any(isinstance(a, int) and a > MAX_REPEAT for a in args):
                raise TemplateLimit(f"the width given to '{name}' is too large")
            if name in ("format", "format_map") and re.search(r"\d{6,}", method.__self__):
                raise TemplateLimit("a width in the format is too large")
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_range(*args):
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(result):,} items (at most {MAX_RANGE:,})")
    return _Counted(result)


class _Counted:
    """An iterable that counts its steps against the time budget."""

    def __init__(self, items):
        self.items = items

    def __iter__(self):
        for item in self.items:
            _tick()
            yield item

    def __len__(self):
        return len(self.items)


_DEADLINE = threading.local()


def _tick() -> None:
    """Stop the template when the build's time for templates is used up
    (checked at every function call and range step; SIGALRM catches the rest)."""
    end = getattr(_DEADLINE, "end", None)
    if end is not None and time.monotonic() > end:
        _DEADLINE.end = None  # spent: the alarm, due about now, must not raise again while this unwinds
        raise TemplateLimit(f"the templates took more than {MAX_TEMPLATE_SECONDS:g} s")


@contextmanager
def _deadline(end: float):
    """Run the block until ``end`` (time.monotonic()); past it, TemplateLimit."""
    _DEADLINE.end = end
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if alarm:
        def on_alarm(signum, frame):
            if getattr(_DEADLINE, "end", None) is None:
                return  # _tick stopped the template already (a second error would lose the template's line)
            raise TemplateLimit(f"the templates took more than {MAX_TEMPLATE_SECONDS:g} s")
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(end - time.monotonic(), 0.001))
    try:
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _DEADLINE.end = None


def _capped(filter_, name):
    def wrapped(value, width=80, *args, **kwargs):
        if isinstance(width, int) and width > MAX_REPEAT:
            raise TemplateLimit(f"the width {width:,} given to '{name}' is too large")
        return filter_(value, width, *args, **kwargs)
    return wrapped


class _MacrosLoader(jinja2.BaseLoader):
    """Only the project's own macros: files ``*.md.j2`` directly in the
    templates folder, never a path out of it (nor a link pointing out)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get_source(self, environment, template):
        name = str(template)
        path = self.folder / name
        if not re.fullmatch(r"[\w.-]+\.md\.j2", name) or not path.is_file():
            raise jinja2.TemplateNotFound(name)
        try:
            path.resolve().relative_to(self.folder.resolve())
        except ValueError:
            raise jinja2.TemplateNotFound(name) from None
        text = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


class TemplateCalls:
    """Renders ``{{ ... }}`` calls with the macros found in the templates folder."""

    MACRO_SUFFIX = ".md.j2"

    def __init__(self, templates: Path, context: dict, problems: Problems):
        self.templates = templates
        self.problems = problems
        self.env = _Sandbox(
            loader=_MacrosLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters["md"] = escape_markdown
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.env.filters[name] = _capped(self.env.filters[name], name)
        self.env.globals["range"] = _bounded_range
        self.env.globals.update(context)
        self.used = 0.0  # seconds of template work so far (the budget is MAX_TEMPLATE_SECONDS)
        self.ok = True
        for path in sorted(templates.glob("*" + self.MACRO_SUFFIX)):
            try:
                with _deadline(time.monotonic() + MAX_TEMPLATE_SECONDS):  # loading has its own budget: compiling is no template's doing
                    module = self.env.get_template(path.name).module
            except jinja2.TemplateSyntaxError as exc:
                problems.error(path, exc.lineno or 0, f"template syntax error: {exc.message}", "fix the template's Jinja2 syntax")
                self.ok = False
                continue
            except Exception as exc:  # noqa: BLE001 - reported, never a traceback
                self._report(exc, path, 0)
                self.ok = False
                continue
            for name in dir(module):
                if not name.startswith("_"):
                    self.env.globals[name] = getattr(module, name)

    @contextmanager
    def _budget(self):
        """Template work, counted against the build's MAX_TEMPLATE_SECONDS."""
        start = time.monotonic()
        try:
            with _deadline(start + MAX_TEMPLATE_SECONDS - self.used):
                yield
        finally:
            self.used += time.monotonic() - start

    def _report(self, exc: Exception, default_file: Path | str, default_line: int, via: str = "") -> None:
        where = _template_line(exc, self.templates)
        file, line = (where if where and where[0] != "<template>" else (default_file, default_line))
        via = f" (called from {via})" if via else ""
        if isinstance(exc, TemplateLimit):
            self.problems.error(file, line, f"the template asks for too much work: {exc}{via}",
                                "simplify the template or the data (the limits are listed in content/README.md)")
        elif isinstance(exc, ContentError):
            self.problems.error(file, line, exc.message + via, exc.advice)
        elif isinstance(exc, jinja2.UndefinedError):
            message, advice = self._undefined(exc.message or "")
            self.problems.error(file, line, plain_words(message) + via, advice)
        elif isinstance(exc, jinja2.TemplateSyntaxError):
            self.problems.error(file, exc.lineno or line, f"template syntax error: {exc.message}{via}", "check the {{ … }} and {% … %} syntax")
        elif isinstance(exc, jinja2.exceptions.SecurityError):
            self.problems.error(file, line, f"not allowed in a template: {exc}{via}", "templates may only read data, not call Python")
        elif isinstance(exc, RecursionError):
            self.problems.error(file, line, f"the template calls itself without end{via}", "check the macros that call each other")
        elif isinstance(exc, MemoryError):
            self.problems.error(file, line, f"the template asks for more memory than there is{via}", "simplify the template or the data")
        else:
            self.problems.error(file, line, f"template error: {plain_words(str(exc))}{via}", "check the template call and the data it reads")

    def _undefined(self, message: str) -> tuple[str, str]:
        """The message and advice for an undefined name: 'paper has no fact
        'titel' — did you mean paper.title?' for a misspelt fact."""
        match = re.search(r"has no attribute '([^']*)'|^'([^']*)' is undefined", message)
        name = (match.group(1) or match.group(2)) if match else ""
        if name and "Facts object" in message:
            facts = self.env.globals.get("paper") or {}
            close = nearest(name, facts)
            known = ", ".join("paper." + k for k in facts)
            return (f"paper.yaml has no fact '{name}'",
                    (f"did you mean paper.{close}? " if close else "") + f"(the facts are: {known})")
        if name and "is undefined" in message:
            close = nearest(name, [k for k in self.env.globals if not k.startswith("_")])
            if close:
                return f"undefined template variable: {message}", f"did you mean {close}? If not, check the name in the template and in the data file it reads"
        return f"undefined template variable: {message}", "check the name in the template and in the data file it reads"

    def expand(self, call: str, src: m.Source, file: Path, context: dict | None = None, quiet: bool = False) -> str | None:
        """The text ``call`` writes (a template call or any text holding
        ``{{ … }}``), or None with a problem recorded (``quiet``: none
        recorded, the cause was reported elsewhere); ``context`` overrides
        names for this call only."""
        if quiet:
            problems, self.problems = self.problems, Problems(self.problems.root, base=self.problems.base)
            try:
                return self.expand(call, src, file, context)
            finally:
                self.problems = problems
        try:
            with self._budget():
                template = self.env.from_string(call)
                out, size = [], 0
                for piece in template.generate(**(context or {})):
                    size += len(piece)
                    if size > MAX_CALL_OUTPUT:
                        raise TemplateLimit(f"the call writes more than {MAX_CALL_OUTPUT:,} characters")
                    out.append(piece)
                return "".join(out)
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(file, src.line, f"template call syntax error: {exc.message}", "write a call as {{ macro_name(arguments) }}")
        except ContentError as exc:  # a mistake in the content a template found: reported at the call
            self.problems.error(file, src.line, exc.message, exc.advice)
        except Exception as exc:  # noqa: BLE001
            where = _template_line(exc, self.templates)
            if where and where[0] != "<template>":
                self._report(exc, where[0], where[1], via=f"{self.problems.rel(file)}:{src.line}")
            else:
                self._report(exc, file, src.line)
        return None


_TYPE_WORDS = {"int": "a number", "float": "a number", "str": "text", "list": "a list", "LineList": "a list",
               "dict": "a mapping", "LineDict": "a mapping", "NoneType": "an empty value", "None": "an empty value",
               "bool": "yes/no", "tuple": "a list", "Facts": "paper"}


def plain_words(message: str) -> str:
    """A Python or Jinja message in the words of the data: "'LineDict
    object' has no attribute 'x'" is "a mapping has no key 'x'"."""
    def kind(name: str) -> str:
        return _TYPE_WORDS.get(name, "a value")

    message = re.sub(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'", lambda g: f"{kind(g[1])} has no key '{g[2]}'", message)
    message = re.sub(r"'None' has no attribute '([^']*)'", lambda g: f"an empty value has no key '{g[1]}'", message)
    message = re.sub(r"'(?:[\w.]+\.)?(\w+) object' has no element (\S+)", lambda g: f"{kind(g[1])} has no item {g[2]}", message)
    message = re.sub(r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'",
                     lambda g: f"cannot use '{g[1].strip()}' on {kind(g[2])} and {kind(g[3])}", message)
    message = re.sub(r"can only concatenate (\w+) \(not \"(\w+)\"\) to (\w+)",
                     lambda g: f"cannot join {kind(g[2])} to {kind(g[1])}", message)
    message = re.sub(r"'(\w+)' object is not (iterable|callable|subscriptable)",
                     lambda g: f"{kind(g[1])} cannot be {dict(iterable='looped over', callable='called', subscriptable='indexed')[g[2]]}", message)
    return message


class Facts(dict):
    """paper.yaml's facts, {{ paper.title }} …: a mapping whose missing
    names are reported as facts (see ``TemplateCalls._undefined``)."""


def escape_markdown(value) -> str:
    """Data text placed in Markdown prints literally (no accidental *emphasis*)."""
    text = str(value)
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text

