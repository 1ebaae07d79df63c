"""Attributes in braces: ``{#id .class key=value}`` after a heading, a
figure or a caption.  Braces that hold anything else (``{2024}``, ``{in
euros}``) are text and printed as typed: words never vanish as attributes.
A key given twice (``{place=here place=next-page-top}``, ``{#a #b}``) is
kept as ``Attrs.repeated``, which the reader reports: one of them would
silently win."""
from __future__ import annotations

import re

_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")
_TOKEN = re.compile(r'[^\s"=]+="[^"]*"|[^\s"=]+=\S+|\S+')
_KEY_VALUE = re.compile(r"[A-Za-z][\w:-]*=")
# the keys of a picture's {…} as markdown-it's attribute rule reads them
# (it also takes 'single-quoted' values): #id, key=value; a word inside a
# quoted value is never a key
_KEYS = re.compile(r"""(?:^|(?<=\s))(?:#[^\s{}]+|([A-Za-z\d_:-]+)=(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S*))""")


class Attrs(dict):
    """The attributes of one {…}: key to value, with ``repeated`` the keys
    typed more than once (each with the values typed, in order)."""

    repeated: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _with_repeated(attrs: dict, typed: list[tuple[str, str]]) -> Attrs:
    out = Attrs(attrs)
    values: dict[str, list[str]] = {}
    for key, value in typed:
        values.setdefault(key, []).append(value)
    out.repeated = tuple((key, tuple(given)) for key, given in values.items() if len(given) > 1 and key != "class")
    return out


def picture_attrs(attrs: dict, text: str, extra: Attrs | None = None) -> Attrs:
    """A picture's attributes as markdown-it read them from ``text`` (what
    stood between the braces), with the keys typed twice there; ``extra``:
    those of a {…} its attribute rule did not take (then it took none)."""
    if extra is not None:
        out = Attrs({**attrs, **extra})
        out.repeated = extra.repeated
        return out
    typed = [("id", found.group(0)[1:]) if found.group(0).startswith("#") else (found.group(1), found.group(0).split("=", 1)[1])
             for found in _KEYS.finditer(text)]
    return _with_repeated(attrs, typed)


def attribute_tokens(text: str) -> list[str] | None:
    """The tokens of ``#id .class key=value``, or None when one of them is
    not an attribute (then the braces are text)."""
    tokens = _TOKEN.findall(text)
    ok = all(t == "-" or (t[0] in "#." and len(t) > 1) or _KEY_VALUE.match(t) for t in tokens)
    return tokens if ok else None


def parse_attrs(text: str) -> Attrs:
    """``#id .class key=value key="value"`` into a dict ("id", "class",
    keys), with the keys typed twice (classes add up: never repeated)."""
    attrs: dict[str, str] = {}
    typed: list[tuple[str, str]] = []
    for token in _TOKEN.findall(text):
        if token == "-":
            attrs["unnumbered"] = "1"
        elif token.startswith("#"):
            attrs["id"] = token[1:]
            typed.append(("id", token[1:]))
        elif token.startswith("."):
            attrs.setdefault("class", "")
            attrs["class"] = (attrs["class"] + " " + token[1:]).strip()
            if token == ".unnumbered":
                attrs["unnumbered"] = "1"
        elif "=" in token:
            key, value = token.split("=", 1)
            attrs[key] = value.strip('"')
            typed.append((key, value))
    return _with_repeated(attrs, typed)


def only_attrs(text: str) -> Attrs | None:
    """The attributes of a text that is only ``{…}`` (after a picture that
    markdown-it's attribute rule did not take), or None."""
    match = _ATTRS_AT_END.fullmatch(text)
    return parse_attrs(match.group(1)) if match and attribute_tokens(match.group(1)) is not None else None


def trailing_attrs(text: str) -> re.Match | None:
    """The ``{…}`` at the end of ``text`` if it holds only attributes."""
    match = _ATTRS_AT_END.search(text)
    return match if match and attribute_tokens(match.group(1)) is not None else None


def split_trailing_attrs(text: str) -> tuple[str, Attrs]:
    match = trailing_attrs(text)
    if not match:
        return text, Attrs()
    return text[: match.start()], parse_attrs(match.group(1))
