"""Attributes in braces: ``{#id .class key=value}`` after a heading, a
figure or a caption.  Braces that hold anything else (``{2024}``, ``{in
euros}``) are text and printed as typed: words never vanish as attributes."""
from __future__ import annotations

import re

_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")
_TOKEN = re.compile(r'[^\s"=]+="[^"]*"|[^\s"=]+=\S+|\S+')
_KEY_VALUE = re.compile(r"[A-Za-z][\w:-]*=")


def attribute_tokens(text: str) -> list[str] | None:
    """The tokens of ``#id .class key=value``, or None when one of them is
    not an attribute (then the braces are text)."""
    tokens = _TOKEN.findall(text)
    ok = all(t == "-" or (t[0] in "#." and len(t) > 1) or _KEY_VALUE.match(t) for t in tokens)
    return tokens if ok else None


def parse_attrs(text: str) -> dict[str, str]:
    """``#id .class key=value key="value"`` into a dict ("id", "class", keys)."""
    attrs: dict[str, str] = {}
    for token in _TOKEN.findall(text):
        if token == "-":
            attrs["unnumbered"] = "1"
        elif token.startswith("#"):
            attrs["id"] = token[1:]
        elif token.startswith("."):
            attrs.setdefault("class", "")
            attrs["class"] = (attrs["class"] + " " + token[1:]).strip()
            if token == ".unnumbered":
                attrs["unnumbered"] = "1"
        elif "=" in token:
            key, value = token.split("=", 1)
            attrs[key] = value.strip('"')
    return attrs


def only_attrs(text: str) -> dict[str, str] | None:
    """The attributes of a text that is only ``{…}`` (after a picture that
    markdown-it's attribute rule did not take), or None."""
    match = _ATTRS_AT_END.fullmatch(text)
    return parse_attrs(match.group(1)) if match and attribute_tokens(match.group(1)) is not None else None


def trailing_attrs(text: str) -> re.Match | None:
    """The ``{…}`` at the end of ``text`` if it holds only attributes."""
    match = _ATTRS_AT_END.search(text)
    return match if match and attribute_tokens(match.group(1)) is not None else None


def split_trailing_attrs(text: str) -> tuple[str, dict[str, str]]:
    match = trailing_attrs(text)
    if not match:
        return text, {}
    return text[: match.start()], parse_attrs(match.group(1))
