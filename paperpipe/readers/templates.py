"""Jinja2 template calls inside Markdown, rendered in a sandbox.

A paragraph that is only ``{{ macro(...) }}`` is replaced by the Markdown the
macro writes.  Macros live in ``templates/*.md.j2`` and see ``data`` (every
data file named in paper.yaml), ``meta`` and ``paper`` (the facts of
paper.yaml: ``{{ paper.title }}`` …).  Undefined names are errors, and
template problems are reported with the template's own file and line.
"""
from __future__ import annotations

import re
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import jinja2

from .. import model as m
from ..context import Bounded, real_path
from ..errors import Problems, nearest
from ..filesize import TooLarge, read_bytes
from ..people import ContentError, HeldBack
from . import sandbox
from .sandbox import MAX_TEXT as MAX_CALL_OUTPUT, Sandbox, TemplateDepth, TemplateLimit, bounded_range, made
from .template_data import containers, plain
from .template_imports import describe, import_circle
from .yamlfile import not_utf8


def _template_line(exc: BaseException, templates: Path) -> tuple[str, int] | None:
    """The innermost template frame of an exception's traceback, at the
    template's line: a frame of the compiled code (which jinja rewrites for
    most errors, but not for all: a RecursionError kept them) is on the
    line of the compiled Python, which jinja maps back to the template's."""
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith(".j2") or name == "<template>":
            template = frame.f_globals.get("__jinja_template__")
            found = (name, template.get_corresponding_lineno(line) if template is not None else line)
    return found


EXPRESSIONS_KEPT = 256  # compiled texts with {{ … }} a build (or a watch's Memory) keeps


MACRO_FILES_KEPT = 16  # compiled macro files a build (or a watch's Memory) keeps


class _KeptBytecode(jinja2.BytecodeCache):
    """Compiled macro files kept in a bounded store the caller owns (a
    watch's ``Memory.macros``, else this build's), so that a rebuild does not
    compile the macros again; jinja checks each against its source's
    checksum. In memory only: nothing compiled is ever read from disk."""

    def __init__(self, store: Bounded):
        self.store = store

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store.put(bucket.key, bucket.bytecode_to_string())


class _MacrosLoader(jinja2.BaseLoader):
    """Only the project's own macros: files ``*.md.j2`` directly in the
    templates folder, never a path out of it (nor a link pointing out)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path(self, name: str) -> Path | None:
        """The macro file ``name`` of the folder, or None: not a file of it
        (a link that leads out of it or back to itself, a folder, a pipe)."""
        path = self.folder / name
        if not re.fullmatch(r"[\w.-]+\.md\.j2", name) or not path.is_file():
            return None
        return path if real_path(path).is_relative_to(real_path(self.folder)) else None

    def get_source(self, environment, template):
        name = str(template)
        path = self.path(name)
        if path is None:
            raise jinja2.TemplateNotFound(name)
        try:
            data = read_bytes(path, "template")
            text = data.decode("utf-8")
        except TooLarge as exc:
            raise jinja2.TemplateSyntaxError(f"{exc.message}; {exc.advice}", 0, name, str(path)) from None
        except UnicodeDecodeError as exc:
            line, message, advice = not_utf8(data, exc)
            raise jinja2.TemplateSyntaxError(f"{message}; {advice}", line, name, str(path)) from None
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


class TemplateCalls:
    """Renders ``{{ ... }}`` calls with the macros found in the templates folder."""

    MACRO_SUFFIX = ".md.j2"

    def __init__(self, templates: Path, context: dict, problems: Problems, compiled=None, macros=None):
        self.templates = templates
        self.problems = problems
        # each text's compiled code (``Memory.expressions`` in a watch; else this
        # build's): a text used twice, or again after a save, is compiled once
        self.compiled = compiled if compiled is not None else Bounded(EXPRESSIONS_KEPT)
        self.env = Sandbox(
            loader=_MacrosLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            bytecode_cache=_KeptBytecode(macros if macros is not None else Bounded(MACRO_FILES_KEPT)),
        )
        self.env.filters["md"] = sandbox.counted_filter(escape_markdown, "md")
        self.env.globals["range"] = bounded_range
        for name, value in context.items():
            self.give(name, value)
        self.used = 0.0  # CPU seconds of template work so far (the budget is MAX_TEMPLATE_SECONDS)
        self.steps = sandbox.MAX_TEMPLATE_STEPS  # steps of template work left in this build
        self.ok = True
        load_steps, loading = sandbox.MAX_TEMPLATE_STEPS, 0.0
        in_circles: set[str] = set()  # macro files of an import circle reported
        self.macro_files: dict[str, str] = {}  # each macro's file
        for path in sorted(templates.glob("*" + self.MACRO_SUFFIX)):
            if self.env.loader.path(path.name) is None:  # nothing of it is read
                problems.error(path, 0, "the macro file cannot be read: it is not a file of the templates folder "
                                        "(a link that leads out of the folder or back to itself, or a folder)",
                               "put the macro file itself in the templates folder")
                self.ok = False
                continue
            try:
                data = read_bytes(path, "template")
                data.decode("utf-8")
            except TooLarge as exc:
                problems.error(path, 0, exc.message, exc.advice)
                self.ok = False
                continue
            except UnicodeDecodeError as exc:
                problems.error(path, *not_utf8(data, exc))
                self.ok = False
                continue
            except OSError:
                pass  # the loader reports it
            circle = import_circle(self.env, path.name)
            if circle:  # loading the file would never end: it is not loaded, and the circle is reported once
                if not in_circles & {name for name, *_ in circle}:
                    in_circles.update(name for name, *_ in circle)
                    problems.error(templates / circle[0][0], circle[0][1], describe(circle) + ", and would be loaded again without end",
                                   "remove that line: a file's own macros need no import, and macros two files share "
                                   "belong in a third that imports neither")
                self.ok = False
                continue
            try:
                # loading has its own budget, shared by all macro files: their top-level work is no call's doing
                with sandbox.budget(sandbox.MAX_TEMPLATE_SECONDS - loading, load_steps) as left:
                    started = time.process_time()
                    try:
                        module = self.env.get_template(path.name).module
                    finally:
                        load_steps, loading = left(), loading + time.process_time() - started
            except jinja2.TemplateSyntaxError as exc:
                # one in a file it imports (which cannot be read or compiled) is reported at
                # that file's own line, where the folder's loop reaches it: one mistake, one message
                if exc.name in (None, path.name):
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
                    self.macro_files[name] = path.name

    def give(self, name: str, value) -> None:
        """Make ``value`` readable by templates as ``name``: data as a plain
        copy that they cannot change; a function made for them as one whose
        results are such copies."""
        self.env.globals[name] = self._given(value) if not callable(value) else self._giving(value, name)

    def _given(self, value):
        value = plain(value)
        self.env.given |= containers(value)
        self.env.kept.append(value)  # alive as long as the environment: an id in ``given`` is never another value's
        return value

    @staticmethod
    def _giving(function, name: str):
        def call(*args, **kwargs):
            return plain(function(*args, **kwargs))  # a fresh copy each time: theirs to change
        call.__name__ = call.__qualname__ = name
        return call

    @contextmanager
    def _budget(self):
        """Template work, counted against the build's MAX_TEMPLATE_SECONDS and MAX_TEMPLATE_STEPS."""
        start = time.process_time()
        left = lambda: self.steps  # noqa: E731
        try:
            with sandbox.budget(sandbox.MAX_TEMPLATE_SECONDS - self.used, self.steps) as left:
                yield
        finally:
            self.used += time.process_time() - start
            self.steps = left()

    def _report(self, exc: Exception, default_file: Path | str, default_line: int, via: str = "") -> None:
        where = _template_line(exc, self.templates)
        file, line = (where if where and where[0] != "<template>" else (default_file, default_line))
        via = f" (called from {via})" if via else ""
        if isinstance(exc, TemplateDepth):
            self.problems.error(file, line, f"{exc}: a macro calls itself without end?{via}",
                                "check the macros that call each other: a macro that calls itself needs a condition that stops it")
        elif isinstance(exc, TemplateLimit):
            self.problems.error(file, line, f"the template asks for too much work: {exc}{via}",
                                "simplify the template or the data (the limits are listed in content/README.md)")
        elif isinstance(exc, ContentError):
            self.problems.error(file, line, plain_words(exc.message) + via, plain_words(exc.advice))
        elif isinstance(exc, jinja2.UndefinedError):
            message, advice = self._undefined(exc.message or "", Path(str(file)).name)
            self.problems.error(file, line, plain_words(message) + via, advice)
        elif isinstance(exc, jinja2.TemplateSyntaxError):
            self.problems.error(file, exc.lineno or line, f"template syntax error: {exc.message}{via}", "check the {{ … }} and {% … %} syntax")
        elif isinstance(exc, jinja2.exceptions.SecurityError):
            self.problems.error(file, line, f"not allowed in a template: {plain_words(str(exc))}{via}", "templates may only read data, not call Python")
        elif isinstance(exc, (RecursionError, SyntaxError)):
            # macros calling macros stop at MAX_CALL_DEPTH first: what is left is a text nested too deep to read,
            # or (Python's SyntaxError: jinja's are not one) too deep for the Python it is compiled into,
            # whose message named a line of that Python ('too many statically nested blocks (m.md.j2, line 84)')
            self.problems.error(file, line, f"the template nests too deep (brackets, calls or blocks inside one another){via}",
                                "write it with fewer levels inside one another")
        elif isinstance(exc, MemoryError):
            self.problems.error(file, line, f"the template asks for more memory than there is{via}", "simplify the template or the data")
        else:
            self.problems.error(file, line, f"template error: {plain_words(str(exc))}{via}", "check the template call and the data it reads")

    def _undefined(self, message: str, where: str = "") -> tuple[str, str]:
        """The message and advice for an undefined name: 'paper has no fact
        'titel' — did you mean paper.title?' for a misspelt fact; a macro of
        another macro file, which a macro file loaded before it cannot see
        without importing it ('did you mean bb?' named the very name)."""
        match = re.search(r"has no attribute '([^']*)'|^'([^']*)' is undefined", message)
        name = (match.group(1) or match.group(2)) if match else ""
        if name in ("place", "when") and "Facts object" in message:  # content.OPTIONAL_FACTS, left out of paper.yaml
            return (f"paper.yaml gives no '{name}', so {{{{ paper.{name} }}}} would print nothing",
                    f"add '{name}: …' to paper.yaml, or remove {{{{ paper.{name} }}}} here")
        if name and "Facts object" in message:
            facts = self.env.globals.get("paper") or {}
            close = nearest(name, facts)
            known = ", ".join("paper." + k for k in facts)
            return (f"paper.yaml has no fact '{name}'",
                    (f"did you mean paper.{close}? " if close else "") + f"(the facts are: {known})")
        if name and "is undefined" in message and where.endswith(self.MACRO_SUFFIX) and self.macro_files.get(name, where) != where:
            return (f"the macro '{name}' of {self.macro_files[name]} is not known in {where}",
                    f"import it at the top of {where}: {{% from \"{self.macro_files[name]}\" import {name} %}}")
        if name and "is undefined" in message:
            close = nearest(name, [k for k in self.env.globals if not k.startswith("_") and k != name])
            if close:
                return f"undefined template variable: {message}", f"did you mean {close}? If not, check the name in the template and in the data file it reads"
        return f"undefined template variable: {message}", "check the name in the template and in the data file it reads"

    def _template(self, text: str):
        """``text`` as a template of this build's sandbox (its code compiled
        once per process while kept: it depends on the text and on the
        sandbox's class alone, never on the data or the macros)."""
        key = (type(self.env).__qualname__, text)
        code = self.compiled.get(key)
        if code is None:
            code = self.env.compile(text)
            self.compiled.put(key, code)
        return self.env.template_class.from_code(self.env, code, self.env.make_globals(None), None)

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
                template = self._template(call)
                out, size = [], 0
                for piece in template.generate(**{k: plain(v) for k, v in (context or {}).items()}):
                    size += len(piece)
                    if size > MAX_CALL_OUTPUT:
                        raise TemplateLimit(f"the call writes more than {MAX_CALL_OUTPUT:,} characters")
                    made(len(piece), "the call")
                    out.append(piece)
                return "".join(out)
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(file, src.line, f"template call syntax error: {exc.message}", "write a call as {{ macro_name(arguments) }}")
        except HeldBack:  # follows from a mistake reported elsewhere: one mistake, one message
            pass
        except ContentError as exc:  # a mistake in the content a template found: reported at the call
            self.problems.error(file, src.line, plain_words(exc.message), plain_words(exc.advice))
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

    # Python's text of an object ("<jinja2.utils.Joiner object at 0x7f…>", "<function person at 0x…>") in the words of the templates
    message = re.sub(r"<function (\w+)[^>]*>", lambda g: f"the function '{g[1]}'", message)
    message = re.sub(r"<Macro '?(\w+)'?[^>]*>", lambda g: f"the macro '{g[1]}'", message)
    message = re.sub(r"<[^<>]* at 0x[0-9a-fA-F]+>", "a value of the template language", message)

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


def escape_markdown(value) -> str:
    """Data text placed in Markdown prints literally (no accidental *emphasis*)."""
    text = str(value)
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text

