"""The styles of an SVG figure, read as CSS: ``style`` attributes,
``<style>`` sheets and presentation attributes (``fill="url(#g)"``).

Figures are untrusted, and a browser fetches whatever a style names. So a
style is parsed with a real CSS tokenizer (tinycss2), never matched with
patterns: escapes are decoded (``u\\72l(`` is ``url(``), comments are
comments, and a value that leaves anything open (a function, a bracket, a
string, a comment, a lone backslash at its end) is refused, as a browser
would close it for us. What is left is judged by allowlist:

- the only reference is a same-figure one, ``url(#id)`` (or ``src("#id")``);
- only plain functions of colours, lengths, transforms, filters and
  gradients may be called (no ``image()``, ``image-set()``, ``var()``,
  ``expression()``, ...);
- the only at-rules are ``@media`` and ``@supports`` (no ``@import``,
  ``@font-face``, ``@namespace``).

The figure check (``rules.py``) reports the first problem of each value at
the figure's line; the page's sanitiser (``writers/html/svg.py``) writes a
value out again only from the tokens read here, references renamed.
"""
from __future__ import annotations

import re
from typing import Callable

import tinycss2
from tinycss2.serializer import serialize_string_value

# appended to every text read: it is the last thing at the top level only
# when the text closed everything it opened
_END = "paperpipe-end-of-style"

FUNCTIONS = frozenset({
    # colours
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix", "device-cmyk",
    # numbers
    "calc", "min", "max", "clamp",
    # transforms (attributes and the transform property)
    "matrix", "matrix3d", "translate", "translatex", "translatey", "translatez", "translate3d", "scale", "scalex",
    "scaley", "scalez", "scale3d", "rotate", "rotatex", "rotatey", "rotatez", "rotate3d", "skew", "skewx", "skewy",
    "perspective",
    # filters, gradients, timing (none takes an address)
    "blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia",
    "linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient", "repeating-radial-gradient",
    "repeating-conic-gradient", "cubic-bezier", "steps",
    # shapes of clip-path
    "inset", "circle", "ellipse", "polygon",
})
_SURROGATE = re.compile("[\ud800-\udfff]")
REFERENCES = frozenset({"url", "src"})  # functions that name an address: only "#id" is allowed
AT_RULES = frozenset({"media", "supports"})

ADVICE = "only references inside the figure (url(#id)) and plain colours, sizes and transforms are allowed in its styles"


class StyleRefused(ValueError):
    """Why a figure's style cannot be used, in an editor's words."""


def _read(text: str, sheet: bool = False) -> list:
    """The tokens of ``text`` (comments dropped), or StyleRefused when it
    leaves something open."""
    if sheet:
        nodes = tinycss2.parse_stylesheet(text + "\n" + _END + "{}", skip_comments=True, skip_whitespace=True)
        last = nodes[-1] if nodes else None
        closed = (last is not None and last.type == "qualified-rule" and not last.content
                  and [t.type for t in last.prelude if t.type != "whitespace"] == ["ident"]
                  and last.prelude[0].value == _END)
        if not closed:
            raise StyleRefused("leaves a bracket, a string or a comment open")
        return nodes[:-1]
    nodes = tinycss2.parse_component_value_list(text + " " + _END, skip_comments=True)
    while nodes and nodes[-1].type == "whitespace":
        nodes.pop()
    if not nodes or nodes[-1].type != "ident" or nodes[-1].value != _END:
        if "\\" in text:
            raise StyleRefused("leaves a bracket, a string, a comment or an escape (\\) open")
        raise StyleRefused("leaves a bracket, a string or a comment open")
    nodes.pop()
    return nodes


def _walk(nodes, on_reference: Callable | None = None) -> None:
    """Check every token, nested ones too; ``on_reference(node, target)`` is
    called for each reference (a url token or a url/src function)."""
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "error":
            raise StyleRefused(f"cannot be read as CSS ({node.message})")
        if kind == "literal" and node.value == "\\":
            raise StyleRefused("has a backslash that escapes nothing")
        for part in (getattr(node, "value", None), getattr(node, "name", None), getattr(node, "unit", None)):
            if isinstance(part, str) and _SURROGATE.search(part):  # tinycss2 decodes \d800 as it stands
                raise StyleRefused("has an escape that stands for no character (\\d800 to \\dfff)")
        if kind == "at-keyword" and node.lower_value == "import" or kind == "at-rule" and node.lower_at_keyword == "import":
            raise StyleRefused("imports a style sheet (@import)")
        if kind == "at-keyword":
            if node.lower_value not in AT_RULES:
                raise StyleRefused(f"uses '@{node.value}', which is not allowed in a figure")
        elif kind == "at-rule":
            if node.lower_at_keyword not in AT_RULES:
                raise StyleRefused(f"uses '@{node.at_keyword}', which is not allowed in a figure")
            stack.extend(reversed(list(node.prelude) + list(node.content or ())))
        elif kind == "qualified-rule":
            stack.extend(reversed(list(node.prelude) + list(node.content)))
        elif kind == "declaration":
            stack.extend(reversed(node.value))
        elif kind == "url":
            _reference(node, node.value, on_reference)
        elif kind == "function":
            name = node.lower_name
            if name in REFERENCES:
                args = [a for a in node.arguments if a.type not in ("whitespace", "comment")]
                if len(args) != 1 or args[0].type != "string":
                    raise StyleRefused(f"has '{node.name}(…)' with something other than one address in quotes")
                _reference(node, args[0].value, on_reference)
            elif name not in FUNCTIONS:
                raise StyleRefused(f"calls '{node.name}(…)', which is not allowed in a figure's styles")
            else:
                stack.extend(reversed(node.arguments))
        elif kind in ("() block", "[] block", "{} block"):
            stack.extend(reversed(node.content))


def _reference(node, target: str, on_reference) -> None:
    if not target.startswith("#") or len(target) < 2:
        raise StyleRefused(f"refers to '{target}'" + (" (the figure's own file)" if not target else ""))
    if on_reference is not None:
        on_reference(node, target[1:])


def problem(text: str, sheet: bool = False) -> str | None:
    """Why a style (a value or a style attribute; ``sheet``: a whole
    ``<style>`` element) cannot be used in a figure, or None."""
    try:
        _walk(_read(text, sheet))
    except StyleRefused as exc:
        return str(exc)
    return None


def url(target: str) -> str:
    """``url(#target)`` as CSS (quoted when the id needs it)."""
    if re.fullmatch(r"[A-Za-z0-9_.:-]+", target):
        return f"url(#{target})"
    return f'url("#{serialize_string_value(target)}")'


def clean(text: str, rename: Callable[[str], str | None]) -> str | None:
    """A presentation value written out again from its tokens, each
    ``url(#id)`` as ``url(#<rename(id)>)``; None when the value is refused or
    names an id that ``rename`` does not know."""
    try:
        nodes = _read(text)
    except StyleRefused:
        return None
    swaps: dict[int, str] = {}

    def swap(node, target: str) -> None:
        new = rename(target)
        if new is None:
            raise StyleRefused(f"refers to '#{target}', which is not in the figure")
        swaps[id(node)] = url(new)

    try:
        _walk(nodes, swap)
    except StyleRefused:
        return None
    _put(nodes, swaps)
    return _written(nodes)


def _written(nodes: list) -> str:
    """Tokens as CSS text, without the spaces around them (dropped as
    tokens: trimming the text could cut an escaped space in two)."""
    start, end = 0, len(nodes)
    while start < end and nodes[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and nodes[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tinycss2.serialize(nodes[start:end])


def _put(nodes: list, swaps: dict[int, str]) -> None:
    """Put the renamed references in place of the old ones (in the lists
    tinycss2 made, nested ones too), so that tinycss2 writes the whole value
    out with its own care for tokens that would run together."""
    for i, node in enumerate(nodes):
        if id(node) in swaps:
            nodes[i] = tinycss2.parse_one_component_value(swaps[id(node)])
        elif node.type == "function":
            _put(node.arguments, swaps)
        elif node.type in ("() block", "[] block", "{} block"):
            _put(node.content, swaps)


def declarations(text: str):
    """(lower-case name, value text, important) of each declaration of a
    ``style`` attribute; StyleRefused when the attribute leaves something
    open or holds an at-rule or anything that is not a declaration."""
    _read(text)  # closed, or refused
    out = []
    for item in tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True):
        if item.type == "error" and item.kind == "empty":
            continue
        if item.type != "declaration":
            raise StyleRefused("holds something that is not a property: value; pair")
        out.append((item.lower_name, _written(list(item.value)), item.important))
    return out
