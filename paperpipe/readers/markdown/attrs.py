"""Attributes in braces: ``{#id .class key=value}`` after a heading, a
figure or a caption."""
from __future__ import annotations

import re

_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")


def parse_attrs(text: str) -> dict[str, str]:
    """``#id .class key=value key="value"`` into a dict ("id", "class", keys)."""
    attrs: dict[str, str] = {}
    for token in re.findall(r'[^\s"=]+="[^"]*"|[^\s"=]+=\S+|\S+', text):
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


def split_trailing_attrs(text: str) -> tuple[str, dict[str, str]]:
    match = _ATTRS_AT_END.search(text)
    if not match:
        return text, {}
    return text[: match.start()], parse_attrs(match.group(1))
