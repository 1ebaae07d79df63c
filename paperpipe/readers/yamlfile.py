"""Safe YAML loading that remembers on which line each mapping key stands.

Only plain data is built (``yaml.SafeLoader``: no Python objects), and every
mapping comes back as a ``LineDict`` whose ``line(key)`` says where the key is,
so that a validation message can point editors to the right line.
"""
from __future__ import annotations

import re

from pathlib import Path

import yaml

from ..errors import Problems
from ..filesize import TooLarge, read_bytes


class LineDict(dict):
    """A dict that knows the 1-based line of each key (and of itself)."""

    start_line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}

    def line(self, key=None) -> int:
        if key is None:
            return self.start_line
        return self.lines.get(key, self.start_line)


class LineList(list):
    start_line: int = 0
    lines: list

    def line(self, index=None) -> int:
        if index is None or index >= len(getattr(self, "lines", [])):
            return self.start_line
        return self.lines[index]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.start_line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key here is not plain text", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' is given twice", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node, deep=False):
    seq = LineList(loader.construct_object(child, deep=True) for child in node.value)
    seq.start_line = node.start_mark.line + 1
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


def _timestamp_as_text(loader, node):
    # Dates stay text: the document says what the editor wrote, and no
    # datetime objects leak into templates.
    return loader.construct_scalar(node)


# libyaml's parser where PyYAML was built with it (the wheels are): about
# seven times faster, with the same safe constructors. A file it refuses is
# parsed again by the pure-Python loader, whose messages are the clearer.
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _LineLoader),), {})

for _loader in {_LineLoader, _FastLoader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


# Anchors (&name) and aliases (*name) let a few lines stand for an enormous
# tree ("billion laughs": 1 KB for 10^9 values); every later step walks the
# tree as if it were written out. A file may stand for this many values.
MAX_VALUES = 200_000


def expanded_size(value, limit: int = MAX_VALUES) -> int:
    """How many values ``value`` stands for with every alias written out, in
    time linear in what was parsed (an alias is counted from its anchor's
    count); stops counting past ``limit``."""
    memo: dict[int, int] = {}

    def size(node) -> int:
        if not isinstance(node, (list, dict)):
            return 1
        key = id(node)
        if key in memo:
            return memo[key]
        memo[key] = limit + 1  # a node reached again while being counted cannot be (the safe loader makes no cycles, but be sure)
        total = 1
        for item in (node.values() if isinstance(node, dict) else node):
            total += size(item)
            if total > limit:
                break
        memo[key] = total
        return total

    return size(value)


def _written_size(value, limit: int = MAX_VALUES) -> int:
    """How many values were written (each value shared by aliases once); stops counting past ``limit``."""
    seen: set[int] = set()
    stack, total = [value], 0
    while stack and total <= limit:
        node = stack.pop()
        total += 1
        if isinstance(node, (list, dict)) and id(node) not in seen:
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return total


def _too_big(data, limit: int = MAX_VALUES):
    """The (line, key) of the outermost value that alone stands for more
    than ``limit`` values, going down while one child is itself too big."""
    node, line = data, getattr(data, "start_line", 1)
    while isinstance(node, (list, dict)):
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, child in items:
            if expanded_size(child, limit) > limit:
                line = node.line(key) if hasattr(node, "line") else line
                node = child
                break
        else:
            return line
    return line


_DASH_WORD = re.compile(r"\s*-[^\s\-]")  # '-word': a list item without the space after its dash


def _dash_without_space(text: str, exc) -> int | None:
    """The line (from 0) of a '-word' beside an item '- …' of a list, from
    the line of what the parser was reading to the line it stopped at."""
    lines = text.splitlines()
    marks = [m.line for m in (exc.context_mark, exc.problem_mark) if m is not None]
    for line in range(min(marks, default=0), min(max(marks, default=-1), len(lines) - 1) + 1):
        items = [lines[n].lstrip().startswith("- ") for n in (line - 1, line + 1) if 0 <= n < len(lines)]
        if _DASH_WORD.match(lines[line]) and any(items):
            return line
    return None


def parse_yaml(text: str, file: str | Path, problems: Problems, line_offset: int = 0):
    """Parse YAML text; on a syntax error record it (with line and column) and return None."""
    try:
        try:
            data = yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a safe loader
        except (yaml.YAMLError, RecursionError):
            data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        if expanded_size(data) > MAX_VALUES:
            if _written_size(data) > MAX_VALUES:  # as many values as written: no alias to blame
                problems.error(file, _too_big(data) + line_offset, f"the data here holds more than {MAX_VALUES:,} values",
                               "split the data into several files, or keep only what the paper prints")
            else:
                problems.error(file, _too_big(data) + line_offset,
                               f"the data here stands for more than {MAX_VALUES:,} values (anchors '&' and aliases '*' repeat it)",
                               "write the data out without nesting aliases inside aliases")
            return None
        _check_controls(data, file, problems, line_offset, line_offset + 1)
        return data
    except yaml.constructor.ConstructorError as exc:
        # an unknown tag (``!!python/object`` …) or a key given twice: the
        # syntax is fine, the data is not plain text, numbers, lists and mappings
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset
        column = (mark.column + 1) if mark else 0
        what = exc.problem or "invalid YAML"
        if "constructor for the tag" in what:
            tag = what.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
            problems.error(file, line, f"YAML error at column {column}: the tag '{tag}' is not allowed",
                           "remove the '!…' tag: only plain text, numbers, lists and mappings are read")
        elif "twice" in what:
            problems.error(file, line, f"YAML error at column {column}: {what}", "remove or rename one of them")
        else:
            problems.error(file, line, f"YAML error at column {column}: {what}", "write keys as plain text followed by ': '")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset
        column = (mark.column + 1) if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and "quoted scalar" in exc.context and exc.context_mark:
            # a missing closing quote: the parser notices it lines later (at the end of the file); the mistake is where the quote opens
            mark = exc.context_mark
            quote = text.splitlines()[mark.line][mark.column:mark.column + 1] if mark.line < len(text.splitlines()) else '"'
            problems.error(file, mark.line + 1 + line_offset, f"YAML error at column {mark.column + 1}: the quoted text that starts here is not closed",
                           f"add the closing {quote} at the end of the text, or remove the opening one")
            return None
        dash = _dash_without_space(text, exc)
        if dash is not None:
            # '-sections/03.md' under a list of '- …': a key the parser looks for a ':' after, told lines later
            shown = text.splitlines()[dash].strip()
            problems.error(file, dash + 1 + line_offset, f"YAML error: '{shown[:40]}' has no space after its '-', so it is not an item of the list",
                           f"write '- {shown[1:].strip()[:40]}'")
            return None
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1 + line_offset})"
        advice = ("indent with spaces, not tabs" if "'\\t'" in what else
                  "check the indentation and quote text that contains ': ' or starts with a special character")
        problems.error(file, line, f"YAML error at column {column}: {what}", advice)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 + line_offset
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problems.error(file, line, f"YAML error at column {column}: the character U+{exc.character:04X} is not allowed",
                       "delete it (it is an invisible control character) or retype the line")
    except yaml.YAMLError as exc:
        problems.error(file, line_offset, f"YAML error: {exc}", "check the file's syntax")
    except RecursionError:
        problems.error(file, line_offset, "YAML error: the data is nested too deeply", "simplify the lists and mappings")
    return None


def _control(text: str) -> str:
    """The first character no output can hold (XML forbids them; a lone
    surrogate from an escape such as "\\ud800" cannot even be encoded), or ''."""
    for ch in text:
        if (ord(ch) < 32 and ch not in "\t\n\r") or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff":
            return ch
    return ""


def _check_controls(value, file, problems: Problems, line_offset: int, line: int) -> None:
    """Quoted YAML text can hold escapes such as "\\a" or "\\x1b": report the
    control characters they make, on the line of their key or list item."""
    if isinstance(value, str):
        ch = _control(value)
        if ch:
            what = "an invalid character" if 0xD800 <= ord(ch) <= 0xDFFF else "an invisible control character"
            problems.error(file, line, f"{what} (U+{ord(ch):04X}) is in the text",
                           "delete it (in quoted text, an escape such as \\x07 or \\a writes one)")
    elif isinstance(value, LineDict):
        for key, item in value.items():
            at = value.line(key) + line_offset
            _check_controls(key, file, problems, line_offset, at)
            _check_controls(item, file, problems, line_offset, at)
    elif isinstance(value, LineList):
        for index, item in enumerate(value):
            _check_controls(item, file, problems, line_offset, value.line(index) + line_offset)


def read_text(path: Path, problems: Problems, kind: str = "markdown") -> str | None:
    """A file's text as UTF-8, or None with a problem recorded; a file past
    the size limit of its ``kind`` (see paperpipe/filesize.py) is not read."""
    try:
        data = read_bytes(path, kind)
    except TooLarge as exc:
        problems.error(path, 0, exc.message, exc.advice)
        return None
    except FileNotFoundError:
        problems.error(path, 0, "file not found", "create it or correct the name that points to it")
        return None
    except OSError as exc:
        problems.error(path, 0, f"cannot read the file ({exc.strerror})", "check its permissions")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.error(path, *not_utf8(data, exc))
        return None
    if "\0" in text:  # Markdown made each a '�' the font has not, named as such, and the words were lost
        problems.error(path, text[:text.index("\0")].count("\n") + 1, *_nul(text))
        return None
    return text.lstrip("\ufeff")


def _nul(text: str) -> tuple[str, str]:
    """The message and advice for a NUL character (U+0000) in a text file:
    one pasted by mistake, or every other byte of a file saved as UTF-16."""
    if text.count("\0") * 4 > len(text):
        return ("the text is not UTF-8: every other character is an invisible NUL (U+0000), as in a file saved "
                "as UTF-16 ('Unicode')", "save the file with UTF-8 encoding in your editor")
    return ("an invisible control character (U+0000) is in the text",
            "delete it: retype the words around it (it often comes with text pasted from elsewhere)")


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, str, str]:
    """The line, message and advice for a file's bytes that are not UTF-8."""
    return (data[: exc.start].count(b"\n") + 1, f"the text is not UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file with UTF-8 encoding in your editor")


def load_yaml_file(path: Path, problems: Problems):
    text = read_text(path, problems, "yaml")
    if text is None:
        return None
    return parse_yaml(text, path, problems)
