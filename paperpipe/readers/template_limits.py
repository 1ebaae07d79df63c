"""The limits on the templates' work, and the counting that enforces them:
the steps and CPU time of a build's templates (``budget``, ``tick``), the
size of what they make, estimated before it is made (``made``,
``text_size``, ``check_format``), and how deep their calls may go
(``one_call_deeper``). The sandbox (``sandbox.py``) calls these before each
piece of work; the limits are listed in content/README.md.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager

import jinja2
from jinja2.exceptions import SecurityError

from ..people import ContentError

MAX_TEMPLATE_SECONDS = 5.0     # CPU seconds: all template calls of one build together (and, apart, the loading of the macros)
MAX_TEMPLATE_STEPS = 1_000_000  # steps of work of all template calls of one build (and, apart, of loading the macros)
CHARS_PER_STEP = 50            # characters (or list items) made that count as one step
MAX_TEXT = 1_000_000           # characters one call may write, and one text (or list) a template may make
MAX_NUMBER_BITS = 4096         # the size of a number a ** may make (2**4096 has 1234 digits)
MAX_REPEAT = 100_000           # characters or items a * repetition may make; also a width in a format
MAX_RANGE = 10_000             # items of one range()
MAX_CALL_DEPTH = 64            # calls inside calls (a macro calling a macro …): far below Python's own limit


class TemplateLimit(SecurityError):
    """A template asked for more work than the limits allow."""


class TemplateDepth(TemplateLimit):
    """Macros called each other deeper than MAX_CALL_DEPTH."""


@contextmanager
def one_call_deeper():
    """Around a call a template makes: past MAX_CALL_DEPTH calls inside one
    another (a macro calling itself without end), TemplateDepth."""
    if _STATE.depth >= MAX_CALL_DEPTH:
        raise TemplateDepth(f"the macros call each other more than {MAX_CALL_DEPTH} deep")
    _STATE.depth += 1
    try:
        yield
    finally:
        _STATE.depth -= 1


# ----------------------------------------------------------------------------- the budget
class _State(threading.local):
    end: float | None = None   # time.process_time() past which the templates stop
    steps: int = 0             # steps left
    depth: int = 0             # calls now running inside one another


_STATE = _State()


def tick(steps: int = 1) -> None:
    """Spend ``steps`` of the build's template work; past the budget (in
    steps or in time), TemplateLimit."""
    _STATE.steps -= steps
    if _STATE.steps < 0:
        _STATE.steps = 0
        raise TemplateLimit(f"the templates did more than {MAX_TEMPLATE_STEPS:,} steps of work")
    end = _STATE.end
    if end is not None and time.process_time() > end:
        _STATE.end = None  # spent: the alarm, due about now, must not raise again while this unwinds
        raise TemplateLimit(f"the templates took more than {MAX_TEMPLATE_SECONDS:g} s")


def made(size: int, what: str) -> None:
    """Before making a text (or list) of ``size`` characters (items): refuse
    it past MAX_TEXT, else count it."""
    if size > MAX_TEXT:
        raise TemplateLimit(f"{what} makes more than {MAX_TEXT:,} characters")
    tick(1 + size // CHARS_PER_STEP)


@contextmanager
def budget(seconds: float, steps: int):
    """Run the block with ``seconds`` and ``steps`` of template work; yields
    a callable that tells the steps left."""
    end = time.process_time() + seconds
    _STATE.end, _STATE.steps, _STATE.depth = end, steps, 0
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")
    previous = None
    if alarm:
        def on_alarm(signum, frame):
            if _STATE.end is None:
                return  # tick() stopped the template already (a second error would lose the template's line)
            raise TemplateLimit(f"the templates took more than {MAX_TEMPLATE_SECONDS:g} s")
        previous = signal.signal(signal.SIGPROF, on_alarm)
        signal.setitimer(signal.ITIMER_PROF, max(end - time.process_time(), 0.001))  # CPU time of the process
    try:
        yield lambda: _STATE.steps
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
        _STATE.end = None


# ----------------------------------------------------------------------------- sizes, estimated before the work
def text_size(value, limit: int = MAX_TEXT) -> int:
    """About how many characters ``str(value)`` writes, in time linear in
    the data (a value shared by YAML aliases is counted from its first
    count); stops counting past ``limit``."""
    memo: dict[int, int] = {}

    def size(node) -> int:
        if isinstance(node, str):
            return len(node)
        if isinstance(node, (list, tuple, dict)):
            key = id(node)
            if key in memo:
                return memo[key]
            memo[key] = limit + 1  # a value inside itself (a template's list appended to itself)
            total = 2
            for item in (node.items() if isinstance(node, dict) else node):
                total += size(item) + 2
                if total > limit:
                    break
            memo[key] = total
            return total
        if isinstance(node, int) and not isinstance(node, bool):
            return int(node.bit_length() * 0.302) + 2
        if node is None or isinstance(node, (float, bool, jinja2.Undefined)):
            return 24
        raise ContentError(f"{kind_of(node)} cannot be written as text", "call it with its arguments, e.g. person(\"id\").name, or print a text of it")

    return size(value)


def kind_of(value) -> str:
    """What a value is, in the words of the templates."""
    if isinstance(value, jinja2.runtime.Macro):
        return f"the macro '{value.name}'"
    if callable(value):
        return f"the function '{getattr(value, '__name__', '')}'".replace(" ''", "")
    return "a value of the template language"


def format_size(fmt: str, values) -> int:
    """About the size of ``fmt`` filled in with ``values`` ('{}' or '%s' may
    repeat one value as often as they stand there)."""
    fields = fmt.count("{") + fmt.count("%")
    largest = max((text_size(v) for v in values), default=0)
    return len(fmt) + fields * largest


def format_args(args, kwargs) -> list:
    values = list(args) + list(kwargs.values())
    return [x for v in values for x in (v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else [v])]


_PERCENT_WIDE = re.compile(r"%[-+ #0]*(\d{6,}|\*)|%[-+ #0\d]*\.(\d{6,}|\*)")  # "%999999999d", "%*d", "%.999999999f"
_BRACE_WIDE = re.compile(r"\{[^{}]*(\d{6,}|\{)")  # "{:>999999999}", or a width given as an argument: "{:{}}"


def check_format(fmt: str, values, what: str, percent: bool = False) -> None:
    """Before a text is formatted: no width of a million, and no more than MAX_TEXT made."""
    wide = (_PERCENT_WIDE if percent else _BRACE_WIDE).search(fmt)
    if wide and (wide.group(1) not in ("*", "{") or any(isinstance(v, int) and abs(v) > MAX_REPEAT for v in values)):
        raise TemplateLimit("a width in the format is too large")
    made(format_size(fmt, values), what)
