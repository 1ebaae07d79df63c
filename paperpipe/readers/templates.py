"""Jinja2 template calls inside Markdown, rendered in a sandbox.

A paragraph that is only ``{{ macro(...) }}`` is replaced by the Markdown the
macro writes.  Macros live in ``templates/*.md.j2`` and see ``data`` (every
data file named in paper.yaml), ``meta`` and ``paper`` (the facts of
paper.yaml: ``{{ paper.title }}`` …).  Undefined names are errors, and
template problems are reported with the template's own file and line.
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import model as m
from ..errors import Problems, nearest


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


class TemplateCalls:
    """Renders ``{{ ... }}`` calls with the macros found in the templates folder."""

    MACRO_SUFFIX = ".md.j2"

    def __init__(self, templates: Path, context: dict, problems: Problems):
        self.templates = templates
        self.problems = problems
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters["md"] = escape_markdown
        self.env.globals.update(context)
        self.ok = True
        for path in sorted(templates.glob("*" + self.MACRO_SUFFIX)):
            try:
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

    def _report(self, exc: Exception, default_file: Path | str, default_line: int, via: str = "") -> None:
        where = _template_line(exc, self.templates)
        file, line = (where if where and where[0] != "<template>" else (default_file, default_line))
        via = f" (called from {via})" if via else ""
        if isinstance(exc, jinja2.UndefinedError):
            message, advice = self._undefined(exc.message or "")
            self.problems.error(file, line, message + via, advice)
        elif isinstance(exc, jinja2.TemplateSyntaxError):
            self.problems.error(file, exc.lineno or line, f"template syntax error: {exc.message}{via}", "check the {{ … }} and {% … %} syntax")
        elif isinstance(exc, jinja2.exceptions.SecurityError):
            self.problems.error(file, line, f"not allowed in a template: {exc}{via}", "templates may only read data, not call Python")
        else:
            self.problems.error(file, line, f"template error: {type(exc).__name__}: {exc}{via}", "check the template call and the data it reads")

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
            problems, self.problems = self.problems, Problems(self.problems.root)
            try:
                return self.expand(call, src, file, context)
            finally:
                self.problems = problems
        try:
            template = self.env.from_string(call)
            return template.render(**(context or {}))
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(file, src.line, f"template call syntax error: {exc.message}", "write a call as {{ macro_name(arguments) }}")
        except Exception as exc:  # noqa: BLE001
            where = _template_line(exc, self.templates)
            if where and where[0] != "<template>":
                self._report(exc, where[0], where[1], via=f"{self.problems.rel(file)}:{src.line}")
            else:
                self._report(exc, file, src.line)
        return None


class Facts(dict):
    """paper.yaml's facts, {{ paper.title }} …: a mapping whose missing
    names are reported as facts (see ``TemplateCalls._undefined``)."""


def escape_markdown(value) -> str:
    """Data text placed in Markdown prints literally (no accidental *emphasis*)."""
    text = str(value)
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text

