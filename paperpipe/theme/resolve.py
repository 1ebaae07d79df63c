"""templates/style.yaml (and the files it names) into one ``Theme``.

The file's shape is checked first against its schema
(``paperpipe/schemas/style.schema.json``: unknown keys, missing keys and
values of the wrong kind are reported on their line). Then every value is
converted once here: lengths to points, colour names to "#RRGGBB", table
styles' ``based_on`` merged, names of text styles and files checked. Each
problem is reported on its line with what to write instead, and a build with
any problem stops before a writer runs.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import Problems
from ..figures.check import check_image
from ..readers.yamlfile import LineDict, load_yaml_file
from ..schema import builtin, validate
from .types import (
    FACES, AsideLook, Captions, Contents, Cover, Figures, Floats, Fonts, Header, Headings, Links, Lists, Logo, Page, Quotes, RoleLook, Sidebars,
    TableStyle, TextStyle, Theme, Typography, frozen_map,
)

STYLE_FILE = "style.yaml"
PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0)}
LOGO_SUFFIXES = (".svg", ".png")
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)?\s*$")
_UNIT = {None: 1.0, "pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


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


# the fonts a browser may take when a style names none (fonts: web_fallbacks:)
WEB_FALLBACKS = ("Carlito", "Calibri", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif")


class _Resolver:
    """Converts the (schema-checked) values, reporting what a schema cannot
    know on its line: colour names, text style names, files, placeholders."""

    def __init__(self, path: Path, problems: Problems, raw: LineDict, context=None):
        self.path, self.problems, self.raw = path, problems, raw
        self.context = context  # the build's context: what the logos' checks find goes there
        self.ok = True
        self.palette = {str(k): v.upper() for k, v in raw["colours"].items()}
        self.texts: dict[str, TextStyle] = {}
        self.roles: dict[int, RoleLook] = {}

    def error(self, where: LineDict, key, message: str, advice: str) -> None:
        self.problems.error(self.path, where.line(key) if isinstance(where, LineDict) else 0, message, advice)
        self.ok = False

    def colour(self, d: LineDict, key: str, default: str = "#000000") -> str:
        value = d.get(key)
        if value is None:
            return default
        if _HEX.fullmatch(value):
            return value.upper()
        if value in self.palette:
            return self.palette[value]
        self.error(d, key, f"'{key}: {value}' is neither #RRGGBB nor a colour of 'colours:'",
                   "write \"#RRGGBB\" (with the quotes) or one of: " + ", ".join(self.palette))
        return default

    def text_name(self, d: LineDict, key: str) -> str:
        name = d.get(key)
        if name not in self.texts:
            self.error(d, key, f"'{key}: {name}' is not a text style", "name one of the styles under 'text:': " + ", ".join(self.texts))
            return "body"
        return name

    def format(self, d: LineDict, key: str, fields: tuple[str, ...]) -> str:
        value = d[key]
        for name in re.findall(r"\{([^{}]*)\}", value):
            if name not in fields:
                self.error(d, key, f"'{key}:' names {{{name}}}, which is not known here",
                           "the names you can use here: " + ", ".join("{" + f + "}" for f in fields))
                return ""
        try:
            value.format(**{f: "" for f in fields})
        except (ValueError, IndexError, KeyError):
            self.error(d, key, f"'{key}: {value}' has a brace that opens or closes nothing",
                       "write {{ or }} for a brace printed as it stands; the names you can use here: "
                       + ", ".join("{" + f + "}" for f in fields))
            return ""
        return value

    def asset(self, d: LineDict, key: str, suffixes: tuple[str, ...], what: str) -> Path | None:
        """A file named in the style: inside the templates folder (links
        followed: the build reads only the paper's folders), of a known kind."""
        folder = self.path.parent
        path = Path(os.path.normpath(folder / d[key]))
        inside = path.is_relative_to(os.path.normpath(folder))
        if not inside or not path.is_file() or path.suffix.lower() not in suffixes:
            self.error(d, key, f"{what} '{d[key]}' is not a {'/'.join(suffixes)} file in the templates folder",
                       "put the file in the templates folder and name it here relative to it")
            return None
        try:
            linked_out = not path.resolve().is_relative_to(folder.resolve())
        except (OSError, RuntimeError):
            linked_out = True
        if linked_out:
            self.error(d, key, f"{what} '{d[key]}' is a link to a file outside the templates folder",
                       "copy the file itself into the templates folder")
            return None
        return path

    # -- sections
    def page(self) -> Page:
        d = self.raw["page"]
        width, height = PAGE_SIZES[d["size"].upper()]
        keys = ("margin_top", "margin_bottom", "margin_left", "margin_right", "header_distance", "footer_distance")
        return Page(width, height, *(length(d[k]) for k in keys))

    def bullets(self, d: LineDict, fonts: Fonts) -> tuple[str, ...]:
        """The bullets by list level; each must be drawable by the theme's font."""
        from .glyphs import missing_glyphs

        bullets = tuple(str(b) for b in d["bullets"])
        if all(f is not None and Path(f).is_file() for f in fonts.files.values()):  # a font in error is reported at its own line
            for ch in sorted(missing_glyphs(fonts, "".join(bullets))):
                self.error(d, "bullets", f"the bullet '{ch}' (U+{ord(ch):04X}) cannot be drawn by the font {fonts.family}",
                           "choose bullets the font has (\\u2022 \\u2013 \\u25E6 are in most fonts), or another font")
        return bullets

    def fonts(self) -> Fonts:
        d = self.raw["fonts"]
        files = {face: self.asset(d, face, (".ttf",), f"the {face} font") for face in FACES}
        return Fonts(d["family"], d.get("word_family", d["family"]), frozen_map(files))

    def text_style(self, name: str, d: LineDict) -> TextStyle:
        if "leading" in d and "line" in d:
            self.error(d, "line", f"the text style '{name}' has both leading and line", "keep one: leading (points) or line (a factor of the size)")
        size = float(d.get("size", 11))
        leading = length(d["leading"]) if "leading" in d else size * float(d.get("line", 1.2))
        return TextStyle(name, d.get("face", "regular"), size, leading, length(d.get("before", 0)), length(d.get("after", 0)),
                         self.colour(d, "colour", self.palette.get("text", "#000000")), d.get("align", "left"),
                         bool(d.get("keep_with_next", False)), bool(d.get("widow_control", False)),
                         bool(d.get("hyphenate", False)) if self.hyphenating() else None)

    def hyphenating(self) -> bool:
        """Whether the house style hyphenates words at all (typography.hyphenate)."""
        typography = self.raw.get("typography")
        return bool(typography.get("hyphenate", False)) if isinstance(typography, dict) else False

    def role(self, d: LineDict) -> RoleLook:
        """A row or cell role's look (resolved once, however many styles inherit it)."""
        if id(d) not in self.roles:
            self.roles[id(d)] = self._role(d)
        return self.roles[id(d)]

    def _role(self, d: LineDict) -> RoleLook:
        return RoleLook(self.colour(d, "fill", None), bool(d.get("bold", False)), self.text_name(d, "text") if "text" in d else None,
                        bool(d.get("heads_row", False)))

    def tables(self) -> dict[str, TableStyle]:
        d = self.raw["tables"]
        merged: dict[str, dict] = {}

        def values(name: str, seen: tuple) -> dict:
            """The style's own (holder, value) pairs over those of the style it is based on."""
            if name in merged:
                return merged[name]
            own = d[name]
            base = own.get("based_on")
            if base is not None and (base not in d or base in seen):
                self.error(own, "based_on", f"'based_on: {base}' is not another table style", "name a style under 'tables:' (not itself)")
                base = None
            out = dict(values(base, seen + (base,))) if base else {}
            for key, value in own.items():
                if key in ("rows", "cells"):
                    out[key] = {**out.get(key, {}), **{role: look for role, look in value.items()}}
                else:
                    out[key] = (own, key)
            merged[name] = out
            return out

        styles = {}
        for name in d:
            v = values(name, (name,))
            missing = [k for k in ("text", "grid_width", "grid_colour", "padding_vertical", "padding_horizontal", "after",
                                   "keep_rows", "start_rows") if k not in v]
            if missing:
                self.error(d, name, f"the table style '{name}' has no {', '.join(missing)}",
                           "add them, or base it on a style that has them ('based_on: default')")
                continue

            def get(key, convert=length):
                holder, k = v[key]
                return convert(holder[k])

            def colour(key):
                return self.colour(*v[key]) if key in v else None

            text_holder, _ = v["text"]
            styles[name] = TableStyle(
                name, self.text_name(text_holder, "text"), get("grid_width"), colour("grid_colour"),
                get("padding_vertical"), get("padding_horizontal"), get("after"), get("keep_rows", int), get("start_rows", int),
                frozen_map((role, self.role(look)) for role, look in v.get("rows", {}).items()),
                frozen_map((role, self.role(look)) for role, look in v.get("cells", {}).items()),
                get("column_rule_width") if "column_rule_width" in v else 0.0, colour("column_rule_colour"), colour("body_fill"),
                get("split_rows_from", int) if "split_rows_from" in v else 0,
            )
        return styles

    def cover(self) -> Cover:
        d = self.raw["cover"]
        logos = []
        for entry in d.get("logos") or []:
            path = self.asset(entry, "file", LOGO_SUFFIXES, "the logo")
            if path is not None and check_image(path, entry["file"], self.problems, self.path, entry.line("file"), context=self.context):
                logos.append(Logo(path, entry["alt"], length(entry["width"]), length(entry["height"])))
            elif path is not None:
                self.ok = False
        return Cover(
            float(d["band_top"]), float(d["band_bottom"]), self.colour(d, "band_colour"), length(d["accent_height"]),
            self.colour(d, "accent_colour"), length(d["inset"]), length(d["title_gap"]), length(d["line_gap"]),
            length(d["logo_gap"]), length(d["footer_baseline"]), tuple(logos),
        )

    def theme(self) -> Theme:
        raw = self.raw
        page, fonts = self.page(), self.fonts()
        self.texts = {str(name): self.text_style(str(name), d) for name, d in raw["text"].items()}
        d = raw["links"]
        links = Links(self.colour(d, "colour"), d["underline"])
        d = raw["headings"]
        headings = Headings(self.format(d, "number_format", ("number",)), float(d["new_page_below"]))
        d = raw["captions"]
        captions = Captions(self.format(d, "format", ("label", "number")), self.text_name(d, "style"))
        d = raw["lists"]
        lists = Lists(length(d["indent"]), length(d["inner_indent"]), length(d["inner_item_after"]), self.bullets(d, fonts),
                      self.colour(d, "bullet_colour"), float(d["bullet_dedent"]), self.format(d, "number_format", ("number",)),
                      float(d["number_gap"]))
        d = raw["contents"]
        contents = Contents(tuple(length(w) for w in d["number_widths"]), length(d["page_width"]), self.colour(d, "leader_colour"),
                            self.text_name(d, "page_number_style"), length(d["after"]), d["leader"], length(d["title_gap"]),
                            length(d["leader_gap"]), length(d["page_gap"]), bool(d.get("step_in", False)))
        d = raw["header"]
        header = Header(self.colour(d, "rule_colour"), length(d["rule_width"]), length(d["rule_gap"]), d["first_numbered_page"])
        d = raw["figures"]
        figures = Figures(length(d["before"]), length(d["after"]))
        d = raw["sidebars"]
        sidebars = Sidebars(self.colour(d, "fill"), self.colour(d, "rule_colour"), length(d["rule_width"]), length(d["padding"]),
                            length(d["after"]), d["keep_whole_below"])
        admonitions = {str(kind): AsideLook(d["label"], self.text_name(d, "label_style"), self.colour(d, "fill"), self.colour(d, "rule_colour"))
                       for kind, d in (raw.get("admonitions") or {}).items()}
        d = raw.get("quotes") or {}
        quotes = Quotes(self.colour(d, "fill", Quotes.fill), d.get("italic", Quotes.italic), d.get("attribution_mark", Quotes.attribution_mark))
        web_fonts = tuple(str(name) for name in raw["fonts"].get("web_fallbacks", WEB_FALLBACKS))
        d = raw.get("typography") or {}
        typography = Typography(bool(d.get("smart_quotes", False)),
                                frozen_map({str(lang): tuple(marks) for lang, marks in (d.get("quotes") or {}).items()}),
                                bool(d.get("dashes_keep_with_word", False)), int(d.get("no_break_hyphens", 0)),
                                bool(d.get("break_after_slash", False)), bool(d.get("hyphenate", False)))
        d = raw.get("floats") or {}
        floats = Floats(str(d.get("figures", Floats.figures)), str(d.get("tables", Floats.tables)))
        return Theme(self.path.parent, page, fonts, frozen_map(self.texts), links, headings, captions,
                     lists, contents, header, figures, sidebars, frozen_map(self.tables()), self.cover(), frozen_map(admonitions),
                     quotes, web_fonts, typography, floats)


def resolve_theme(path: Path, raw, problems: Problems, context=None) -> Theme | None:
    """The theme of a style file's values; None (with the problems reported) when they are wrong."""
    if not isinstance(raw, dict):
        problems.error(path, 1, "style.yaml must be a mapping of sections", "start from the shipped templates/style.yaml")
        return None
    if not validate(raw, builtin("style"), path, problems):
        return None
    resolver = _Resolver(path, problems, raw, context)
    theme = resolver.theme()
    return theme if resolver.ok else None


def load_theme(templates: Path, problems: Problems, context=None) -> Theme | None:
    """The theme of a templates folder; None (with the problems reported) when it is wrong."""
    path = Path(templates) / STYLE_FILE
    raw = load_yaml_file(path, problems)
    if raw is None:
        return None
    return resolve_theme(path, raw, problems, context)
