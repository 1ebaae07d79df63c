"""templates/style.yaml (and the files it names) into one ``Theme``.

Every value is converted once here: lengths to points, palette names to
"#RRGGBB", table styles' ``based_on`` merged, logo files checked. A wrong
value is reported on its line with what to write instead, and a build with
any such problem stops before a writer runs.
"""
from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from ..errors import Problems
from ..readers.yamlfile import LineDict, load_yaml_file
from .types import (
    FACES, REQUIRED_TEXT, Captions, Contents, Cover, Figures, Fonts, Header, Headings, Links, Lists, Logo, Page,
    RoleLook, Sidebars, TableStyle, TextStyle, Theme, frozen_map,
)

STYLE_FILE = "style.yaml"
PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0)}
LOGO_SUFFIXES = (".svg", ".png")
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)?\s*$")
_UNIT = {None: 1.0, "pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_ALIGN = ("left", "center", "right", "justify")
_MISSING = object()


def length(value) -> float:
    """A length in points from a number or a string such as '25mm'."""
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a length")
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a length")
    return float(match.group(1)) * _UNIT[match.group(2)]


class _Reader:
    """Reads values out of the style's mappings, reporting each problem on its line."""

    def __init__(self, path: Path, problems: Problems, palette: dict[str, str]):
        self.path = path
        self.problems = problems
        self.palette = palette
        self.ok = True

    def error(self, where, key, message: str, advice: str) -> None:
        line = where.line(key) if isinstance(where, LineDict) else 0
        self.problems.error(self.path, line, message, advice)
        self.ok = False

    def section(self, raw: LineDict, name: str, allowed: tuple[str, ...], optional: tuple[str, ...] = (),
                named: bool = False) -> LineDict:
        """A mapping of the style: missing keys are errors, and so are unknown
        keys unless the section's keys are names the style chooses (``named``)."""
        value = raw.get(name, _MISSING)
        if not isinstance(value, dict):
            if value is _MISSING:
                self.error(raw, None, f"the style has no '{name}:' section", f"add '{name}:' (see the shipped templates/style.yaml)")
            else:
                self.error(raw, name, f"'{name}:' must be a mapping of keys", "indent its keys under it, one per line")
            return LineDict()
        if not named:
            self.known(value, name, allowed + optional)
        for key in allowed:
            if key not in value:
                self.error(value, None, f"'{name}:' has no '{key}:'", f"add '{key}:' under '{name}:'")
        return value

    def known(self, value: LineDict, where: str, allowed) -> None:
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), [str(a) for a in allowed], n=1)
                hint = f"did you mean '{close[0]}'?" if close else "the keys here are: " + ", ".join(map(str, allowed))
                self.error(value, key, f"unknown key '{key}' in '{where}:'", hint)

    def length(self, d: LineDict, key: str, default=_MISSING) -> float:
        value = d.get(key, default)
        if value is _MISSING:
            return 0.0  # reported by section()
        try:
            return length(value)
        except ValueError:
            self.error(d, key, f"'{key}: {value}' is not a length", "write a number of points or e.g. '25mm'")
            return 0.0

    def number(self, d: LineDict, key: str, default=_MISSING, low: float = 0.0, high: float | None = None) -> float:
        value = d.get(key, default)
        if value is _MISSING:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low or (high is not None and value > high):
            span = f"from {low:g} to {high:g}" if high is not None else f"of at least {low:g}"
            self.error(d, key, f"'{key}: {value}' is not a number {span}", f"write a number {span}")
            return float(low)
        return float(value)

    def count(self, d: LineDict, key: str, default=_MISSING) -> int:
        value = d.get(key, default)
        if value is _MISSING:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(d, key, f"'{key}: {value}' is not a whole number", "write a whole number such as 8")
            return 0
        return value

    def flag(self, d: LineDict, key: str, default=False) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            self.error(d, key, f"'{key}: {value}' is not true or false", "write true or false")
            return False
        return value

    def text(self, d: LineDict, key: str, default=_MISSING, fields: tuple[str, ...] = ()) -> str:
        value = d.get(key, default)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.error(d, key, f"'{key}:' must be text", "write it in quotes")
            return ""
        for name in re.findall(r"\{([^{}]*)\}", value):
            if name not in fields:
                allowed = ", ".join("{" + f + "}" for f in fields) or "none"
                self.error(d, key, f"'{key}:' names {{{name}}}, which is not known here", f"the names you can use here: {allowed}")
                return ""
        return value

    def colour(self, d: LineDict, key: str, default=_MISSING) -> str | None:
        value = d.get(key, default)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, str) and _HEX.fullmatch(value):
            return value.upper()
        if isinstance(value, str) and value in self.palette:
            return self.palette[value]
        self.error(d, key, f"'{key}: {value}' is not a colour", "write \"#RRGGBB\" (with the quotes) or a colour name from 'colours:': "
                   + ", ".join(self.palette))
        return None

    def choice(self, d: LineDict, key: str, choices, default) -> str:
        value = d.get(key, default)
        if value not in choices:
            self.error(d, key, f"'{key}: {value}' is not one of {', '.join(choices)}", f"write one of {', '.join(choices)}")
            return default
        return value


# ----------------------------------------------------------------------------- sections
def _page(r: _Reader, raw) -> Page:
    keys = ("size", "margin_top", "margin_bottom", "margin_left", "margin_right", "header_distance", "footer_distance")
    d = r.section(raw, "page", keys)
    size = str(d.get("size", "A4")).upper()
    if size not in PAGE_SIZES:
        r.error(d, "size", f"unknown page size '{d.get('size')}'", "use A4 or Letter")
        size = "A4"
    width, height = PAGE_SIZES[size]
    return Page(width, height, *(r.length(d, k) for k in keys[1:]))


def _fonts(r: _Reader, raw) -> Fonts:
    d = r.section(raw, "fonts", ("family", *FACES), ("word_family",))
    files = {}
    for face in FACES:
        rel = d.get(face)
        path = _asset(r.path.parent, rel)
        if path is None:
            r.error(d, face, f"font file for '{face}' not found: {rel}", "point it at a .ttf file in the templates folder")
        files[face] = path
    family = r.text(d, "family")
    return Fonts(family, r.text(d, "word_family", family), frozen_map(files))


_TEXT_KEYS = ("face", "size", "leading", "line", "before", "after", "colour", "align", "keep_with_next", "widow_control")


def _text_style(r: _Reader, name: str, d) -> TextStyle:
    if not isinstance(d, dict):
        r.error(None, None, f"text style '{name}' must be a mapping", "write e.g. {size: 11, leading: 14}")
        return TextStyle(name)
    r.known(d, name, _TEXT_KEYS)
    size = r.number(d, "size", 11, low=1)
    if "leading" in d and "line" in d:
        r.error(d, "line", f"text style '{name}' has both leading and line", "keep one: leading (points) or line (a factor of the size)")
    leading = r.length(d, "leading") if "leading" in d else size * r.number(d, "line", 1.2, low=0.5, high=4)
    return TextStyle(
        name, r.choice(d, "face", FACES, "regular"), size, leading, r.length(d, "before", 0), r.length(d, "after", 0),
        r.colour(d, "colour", "text") or "#000000", r.choice(d, "align", _ALIGN, "left"),
        r.flag(d, "keep_with_next"), r.flag(d, "widow_control"),
    )


def _texts(r: _Reader, raw) -> dict[str, TextStyle]:
    d = r.section(raw, "text", REQUIRED_TEXT, named=True)
    return {name: _text_style(r, str(name), value) for name, value in d.items()}


_TABLE_KEYS = ("based_on", "text", "grid_width", "grid_colour", "padding_vertical", "padding_horizontal", "after", "keep_rows",
               "start_rows", "rows", "cells", "column_rule_width", "column_rule_colour", "body_fill")


def _role(r: _Reader, d, texts) -> RoleLook:
    if not isinstance(d, dict):
        r.error(None, None, "a role must be a mapping", "write e.g. {fill: primary, bold: true}, or {} for no change")
        return RoleLook()
    r.known(d, "role", ("fill", "bold", "text"))
    text = d.get("text")
    if text is not None and text not in texts:
        r.error(d, "text", f"'text: {text}' is not a text style", "name one of the styles under 'text:'")
        text = None
    return RoleLook(r.colour(d, "fill"), r.flag(d, "bold"), text)


def _tables(r: _Reader, raw, texts) -> dict[str, TableStyle]:
    d = r.section(raw, "tables", ("default",), named=True)
    merged: dict[str, dict] = {}

    def resolve(name: str, seen: tuple = ()) -> dict:
        if name in merged:
            return merged[name]
        own = d.get(name)
        if not isinstance(own, dict):
            r.error(d, name, f"table style '{name}' must be a mapping", "indent its keys under it")
            own = LineDict()
        r.known(own, name, _TABLE_KEYS)
        base_name = own.get("based_on")
        if base_name is not None and (base_name not in d or base_name in seen + (name,)):
            r.error(own, "based_on", f"'based_on: {base_name}' is not another table style", "name a style under 'tables:' (not itself)")
            base_name = None
        values: dict = dict(resolve(base_name, seen + (name,))) if base_name else {}
        for key, value in own.items():
            if key in ("rows", "cells") and isinstance(value, dict):
                roles = dict(values.get(key, {}))
                roles.update({role: (value, look) for role, look in value.items()})
                values[key] = roles
            else:
                values[key] = (own, value)
        merged[name] = values
        return values

    styles = {}
    for name in d:
        v = resolve(name)
        missing = [k for k in ("text", "grid_width", "grid_colour", "padding_vertical", "padding_horizontal", "after",
                               "keep_rows", "start_rows") if k not in v]
        if missing:
            r.error(d, name, f"table style '{name}' has no {', '.join(missing)}", "add them, or base it on a style that has them (based_on: default)")
            continue

        def get(key, reader, *args):
            holder, value = v[key]
            return reader(LineDict({key: value}) if holder is None else holder, key, *args)

        text = v["text"][1]
        if text not in texts:
            r.error(v["text"][0], "text", f"'text: {text}' is not a text style", "name one of the styles under 'text:'")
        roles = {kind: frozen_map((str(role), _role(r, look, texts)) for role, (_, look) in v.get(kind, {}).items())
                 for kind in ("rows", "cells")}
        styles[str(name)] = TableStyle(
            str(name), text, get("grid_width", r.length), get("grid_colour", r.colour) or "#000000",
            get("padding_vertical", r.length), get("padding_horizontal", r.length), get("after", r.length),
            get("keep_rows", r.count), get("start_rows", r.count), roles["rows"], roles["cells"],
            get("column_rule_width", r.length) if "column_rule_width" in v else 0.0,
            get("column_rule_colour", r.colour) if "column_rule_colour" in v else None,
            get("body_fill", r.colour) if "body_fill" in v else None,
        )
    return styles


def _cover(r: _Reader, raw) -> Cover:
    keys = ("band_top", "band_bottom", "band_colour", "accent_height", "accent_colour", "inset", "title_gap", "line_gap",
            "logo_gap", "footer_baseline")
    d = r.section(raw, "cover", keys, ("logos",))
    logos = []
    listed = d.get("logos") or []
    if not isinstance(listed, list):
        r.error(d, "logos", "'logos:' must be a list", "write one '- file: …' entry per logo, or leave it out")
        listed = []
    for i, entry in enumerate(listed):
        where = LineDict() if not isinstance(entry, dict) else entry
        if not isinstance(entry, dict):
            r.problems.error(r.path, listed.line(i) if hasattr(listed, "line") else 0, "a logo must be a mapping",
                             "write file:, alt:, width: and height: under '- '")
            r.ok = False
            continue
        r.known(entry, "logos", ("file", "alt", "width", "height"))
        rel = entry.get("file")
        path = _asset(r.path.parent, rel)
        if path is None or path.suffix.lower() not in LOGO_SUFFIXES:
            r.error(where, "file", f"logo file not found or not SVG/PNG: {rel}", "put an .svg or .png file in the templates folder and name it here")
            continue
        alt = r.text(entry, "alt", "")
        if not alt.strip():
            r.error(where, "alt" if "alt" in entry else None, f"the logo {rel} has no alt text",
                    "add 'alt:' saying what the logo shows, for readers who cannot see it")
        logos.append(Logo(path, alt, r.length(entry, "width"), r.length(entry, "height")))
    return Cover(
        r.number(d, "band_top", high=1), r.number(d, "band_bottom", high=1), r.colour(d, "band_colour") or "#000000",
        r.length(d, "accent_height"), r.colour(d, "accent_colour") or "#000000", r.length(d, "inset"), r.length(d, "title_gap"),
        r.length(d, "line_gap"), r.length(d, "logo_gap"), r.length(d, "footer_baseline"), tuple(logos),
    )


def _asset(folder: Path, rel) -> Path | None:
    """A file named in the style, inside the templates folder (no '..', no
    absolute path), or None."""
    if not isinstance(rel, str) or not rel.strip():
        return None
    path = Path(os.path.normpath(folder / rel))
    try:
        path.relative_to(os.path.normpath(folder))
    except ValueError:
        return None
    return path if path.is_file() else None


def _palette(r: _Reader, raw) -> dict[str, str]:
    d = r.section(raw, "colours", (), named=True)
    palette = {}
    for key, value in d.items():
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            r.error(d, key, f"colour '{key}: {value}' is not #RRGGBB", "write e.g. \"#0B2A5B\" (with the quotes)")
            continue
        palette[str(key)] = value.upper()
    return palette


_SECTIONS = ("page", "fonts", "colours", "text", "links", "headings", "captions", "lists", "contents", "header",
             "figures", "sidebars", "tables", "cover")


def resolve_theme(path: Path, raw: LineDict, problems: Problems) -> Theme | None:
    r = _Reader(path, problems, {})
    r.known(raw, "style.yaml", _SECTIONS)
    r.palette = _palette(r, raw)
    page, fonts = _page(r, raw), _fonts(r, raw)
    texts = _texts(r, raw)
    d = r.section(raw, "links", ("colour", "underline"))
    links = Links(r.colour(d, "colour") or "#000000", r.flag(d, "underline"))
    d = r.section(raw, "headings", ("number_format", "new_page_below"))
    headings = Headings(r.text(d, "number_format", fields=("number",)), r.number(d, "new_page_below", high=1))
    d = r.section(raw, "captions", ("format", "style"))
    captions = Captions(r.text(d, "format", fields=("label", "number")), _style_name(r, d, "style", texts))
    d = r.section(raw, "lists", ("indent", "inner_indent", "inner_item_after", "bullet", "bullet_colour", "bullet_dedent",
                                 "number_format", "number_gap"))
    lists = Lists(r.length(d, "indent"), r.length(d, "inner_indent"), r.length(d, "inner_item_after"), r.text(d, "bullet"),
                  r.colour(d, "bullet_colour") or "#000000", r.number(d, "bullet_dedent", high=1),
                  r.text(d, "number_format", fields=("number",)), r.number(d, "number_gap", high=5))
    d = r.section(raw, "contents", ("number_widths", "page_width", "leader_colour", "page_number_style", "after"))
    widths = d.get("number_widths")
    if not isinstance(widths, list) or not widths:
        r.error(d, "number_widths", "'number_widths:' must be a list of lengths, one per level", "write e.g. [28, 34, 42]")
        widths = [0]
    contents = Contents(tuple(r.length(LineDict(w=w), "w") for w in widths), r.length(d, "page_width"),
                        r.colour(d, "leader_colour") or "#000000", _style_name(r, d, "page_number_style", texts), r.length(d, "after"))
    d = r.section(raw, "header", ("rule_colour", "rule_width", "rule_gap", "first_numbered_page"))
    header = Header(r.colour(d, "rule_colour") or "#000000", r.length(d, "rule_width"), r.length(d, "rule_gap"),
                    max(1, r.count(d, "first_numbered_page")))
    d = r.section(raw, "figures", ("before", "after"))
    figures = Figures(r.length(d, "before"), r.length(d, "after"))
    d = r.section(raw, "sidebars", ("fill", "rule_colour", "rule_width", "padding", "after", "keep_whole_below"))
    sidebars = Sidebars(r.colour(d, "fill") or "#FFFFFF", r.colour(d, "rule_colour") or "#000000", r.length(d, "rule_width"),
                        r.length(d, "padding"), r.length(d, "after"), r.count(d, "keep_whole_below"))
    tables = _tables(r, raw, texts)
    cover = _cover(r, raw)
    if not r.ok:
        return None
    return Theme(path.parent, page, fonts, frozen_map(r.palette), frozen_map(texts), links, headings, captions, lists, contents,
                 header, figures, sidebars, frozen_map(tables), cover)


def _style_name(r: _Reader, d, key: str, texts) -> str:
    name = d.get(key)
    if name not in texts:
        r.error(d, key, f"'{key}: {name}' is not a text style", "name one of the styles under 'text:'")
    return name


def load_theme(templates: Path, problems: Problems) -> Theme | None:
    """The theme of a templates folder; None (with the problems reported) when it is wrong."""
    path = Path(templates) / STYLE_FILE
    raw = load_yaml_file(path, problems)
    if raw is None:
        return None
    return resolve_theme(path, raw, problems)
