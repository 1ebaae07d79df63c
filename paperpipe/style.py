"""TRANSITIONAL: the old flat style groups, made from the theme, for the DOCX
writer until it reads ``paperpipe.theme`` itself (issue 9, the `docx` half).
Nothing else may use this module; it goes with ``metrics.py`` when the DOCX
writer has moved to the theme."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problems
from .theme import Theme, length, load_theme

__all__ = ["Style", "legacy_style", "length", "load_style"]


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
    theme: Theme

    @property
    def page_size(self) -> tuple[float, float]:
        return self.theme.page.width, self.theme.page.height

    def pt(self, group: str, key: str) -> float:
        return length(getattr(self, group)[key])

    def colour(self, key: str) -> str:
        return self.colours[key]

    def font_file(self, face: str) -> Path:
        return Path(self.fonts[face])

    @property
    def text_width(self) -> float:
        return self.theme.page.text_width


def legacy_style(theme: Theme) -> Style:
    t, p = theme.text, theme.page
    body, cell, side, toc1, toc2 = t["body"], t["cell"], t["sidebar"], t["contents1"], t["contents2"]
    default = theme.tables["default"]
    panel = next((s for s in theme.tables.values() if s.column_rule_width), default)
    rows = {role: look for s in theme.tables.values() for role, look in s.rows.items()}
    colours = dict(theme.colours)
    colours.setdefault("table_header_text", t["cell_header"].colour)
    for role in ("day", "break"):
        if rows.get(role) and rows[role].fill:
            colours.setdefault(f"{role}_fill", rows[role].fill)
    cover = theme.cover
    logo = cover.logos[0] if cover.logos else None
    return Style(
        theme.folder,
        {"size": "A4", "margin_top": p.margin_top, "margin_bottom": p.margin_bottom, "margin_left": p.margin_left,
         "margin_right": p.margin_right, "header_distance": p.header_distance, "footer_distance": p.footer_distance},
        {"family": theme.fonts.family, "word_family": theme.fonts.word_family, **{f: str(v) for f, v in theme.fonts.files.items()}},
        colours,
        {"body": body.size, "leading": body.leading, "h1": t["heading1"].size, "h2": t["heading2"].size, "h3": t["heading3"].size,
         "caption": t["caption"].size, "table": cell.size, "table_leading": cell.leading, "sidebar": side.size,
         "header": t["header"].size, "footer": t["footer"].size, "toc": toc2.size, "cover_title": t["cover_title"].size,
         "cover_subtitle": t["cover_line"].size},
        {"paragraph_after": body.after, **{f"heading{i}_{k}": getattr(t[f"heading{i}"], k) for i in (1, 2, 3) for k in ("before", "after")},
         "list_indent": theme.lists.indent, "list_item_after": t["list_item"].after, "caption_before": t["caption"].before,
         "caption_after": theme.figures.after, "figure_before": theme.figures.before, "sidebar_padding": theme.sidebars.padding,
         "table_padding": default.padding_vertical},
        {"heading_line": t["heading1"].leading / t["heading1"].size, "caption_line": t["caption"].leading / t["caption"].size,
         "sidebar_line": side.leading / side.size, "toc_line": toc2.leading / toc2.size, "header_line": t["header"].leading / t["header"].size,
         "cover_title_line": t["cover_title"].leading / t["cover_title"].size,
         "cover_subtitle_line": t["cover_line"].leading / t["cover_line"].size, "cell_after": cell.after, "sidebar_after": side.after,
         "sidebar_title_after": t["sidebar_title"].after, "caption_gap": t["caption"].after - t["caption"].before,
         "toc1_before": toc1.before, "toc_before": toc2.before, "toc_after": toc2.after,
         **{f"toc_number_{i}": theme.contents.number_width(i) for i in (1, 2, 3)}, "toc_page_box": theme.contents.page_width,
         "after_lists": theme.contents.after, "inner_list_indent": theme.lists.inner_indent,
         "inner_list_item_after": theme.lists.inner_item_after,
         "cell_padding_extra": default.padding_horizontal - default.padding_vertical, "grid_line": default.grid_width,
         "sidebar_rule": theme.sidebars.rule_width, "sidebar_gap_extra": theme.sidebars.after - body.after,
         "sidebar_keep_limit": theme.sidebars.keep_whole_below, "keep_table_rows": default.keep_rows,
         "recommendations_rule": panel.column_rule_width},
        {"band_top": cover.band_top, "band_bottom": cover.band_bottom, "accent_height": cover.accent_height, "inset": cover.inset,
         "title_gap": cover.title_gap, "line_gap": cover.line_gap, "emblem_width": logo.width if logo else 0,
         "emblem_height": logo.height if logo else 0, "emblem_gap": cover.logo_gap, "footer_size": t["cover_footer"].size},
        theme,
    )


def load_style(templates: Path, problems: Problems) -> Style | None:
    theme = load_theme(templates, problems)
    return legacy_style(theme) if theme is not None else None
