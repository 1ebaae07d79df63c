"""The visual style (templates/style.yaml), read once and shared by both writers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems
from .readers.yamlfile import load_yaml_file

STYLE_FILE = "style.yaml"
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in)?\s*$")
_UNIT = {None: 1.0, "pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
PAGE_SIZES = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0)}
_SECTIONS = ("page", "fonts", "colours", "sizes", "spacing", "layout", "cover")


def length(value) -> float:
    """A length in points from a number or a string such as '25mm'."""
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a length")
    return float(match.group(1)) * _UNIT[match.group(2)]


@dataclass(frozen=True)
class Style:
    folder: Path
    page: dict
    fonts: dict
    colours: dict
    sizes: dict
    spacing: dict
    layout: dict
    cover: dict

    @property
    def page_size(self) -> tuple[float, float]:
        return PAGE_SIZES[str(self.page.get("size", "A4")).upper()]

    def pt(self, group: str, key: str) -> float:
        return length(getattr(self, group)[key])

    def colour(self, key: str) -> str:
        return self.colours[key]

    def font_file(self, face: str) -> Path:
        return (self.folder / self.fonts[face]).resolve()

    @property
    def text_width(self) -> float:
        return self.page_size[0] - self.pt("page", "margin_left") - self.pt("page", "margin_right")


def load_style(templates: Path, problems: Problems) -> Style | None:
    path = Path(templates) / STYLE_FILE
    raw = load_yaml_file(path, problems)
    if raw is None:
        return None
    ok = True
    for section in _SECTIONS:
        if not isinstance(raw.get(section), dict):
            problems.error(path, 0, f"the style has no '{section}:' section", f"add '{section}:' (see the shipped templates/style.yaml)")
            ok = False
    if not ok:
        return None
    for section in ("page", "sizes", "spacing", "layout", "cover"):
        for key, value in raw[section].items():
            if section == "page" and key == "size":
                if str(value).upper() not in PAGE_SIZES:
                    problems.error(path, raw[section].line(key), f"unknown page size '{value}'", "use A4 or Letter")
                    ok = False
                continue
            try:
                length(value)
            except ValueError:
                problems.error(path, raw[section].line(key), f"'{key}: {value}' is not a length", "write a number of points or e.g. '25mm'")
                ok = False
    for key, value in raw["colours"].items():
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", str(value)):
            problems.error(path, raw["colours"].line(key), f"colour '{key}: {value}' is not #RRGGBB", "write e.g. \"#0B2A5B\" (with the quotes)")
            ok = False
    for face in ("regular", "bold", "italic", "bold_italic"):
        rel = raw["fonts"].get(face)
        if not rel or not (path.parent / str(rel)).is_file():
            problems.error(path, raw["fonts"].line(face), f"font file for '{face}' not found: {rel}", "point it at a .ttf file in the templates folder")
            ok = False
    if not ok:
        return None
    return Style(Path(templates), *(dict(raw[s]) for s in _SECTIONS))
