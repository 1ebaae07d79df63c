"""The layout's lengths, in points, computed once from templates/style.yaml
and read by both writers, so that the PDF and the DOCX can never disagree on
a line height, a gap or an indent."""
from __future__ import annotations

from .style import Style


def metrics(style: Style) -> dict:
    """Line heights, spacing before/after and indents of every kind of
    paragraph, as (line height, space before, space after) where it applies."""
    s = style
    width, height = s.page_size
    size = {k: s.pt("sizes", k) for k in s.sizes}
    sp = {k: s.pt("spacing", k) for k in s.spacing}
    lay = {k: s.pt("layout", k) for k in s.layout}
    pad = sp["table_padding"]
    toc_line = size["toc"] * lay["toc_line"]
    return {
        "page_width": width,
        "page_height": height,
        "text_width": s.text_width,
        "margin_top": s.pt("page", "margin_top"),
        "margin_bottom": s.pt("page", "margin_bottom"),
        "margin_left": s.pt("page", "margin_left"),
        "margin_right": s.pt("page", "margin_right"),
        "header_distance": s.pt("page", "header_distance"),
        "footer_distance": s.pt("page", "footer_distance"),
        "size": size,
        "space": sp,
        "layout": lay,
        # paragraph kinds: (line height, space before, space after)
        "body": (size["leading"], 0.0, sp["paragraph_after"]),
        "list_item": (size["leading"], 0.0, sp["list_item_after"]),
        "heading": {lv: (size[f"h{lv}"] * lay["heading_line"], sp[f"heading{lv}_before"], sp[f"heading{lv}_after"]) for lv in (1, 2, 3)},
        "front_title": (size["h1"] * lay["heading_line"], 0.0, sp["heading1_after"]),
        "caption": (size["caption"] * lay["caption_line"], sp["caption_before"], sp["caption_before"] + lay["caption_gap"]),
        "cell": (size["table_leading"], 0.0, lay["cell_after"]),
        "sidebar": (size["sidebar"] * lay["sidebar_line"], 0.0, lay["sidebar_after"]),
        "sidebar_title": (size["sidebar"] * lay["sidebar_line"], 0.0, lay["sidebar_title_after"]),
        "toc": {1: (toc_line, lay["toc1_before"], lay["toc_after"]), 2: (toc_line, lay["toc_before"], lay["toc_after"]),
                3: (toc_line, lay["toc_before"], lay["toc_after"])},
        "figure_list": (toc_line, lay["toc_before"], lay["toc_after"]),
        "header_leading": size["header"] * lay["header_line"],
        "footer_leading": size["footer"] * lay["header_line"],
        "cover_title_leading": size["cover_title"] * lay["cover_title_line"],
        "cover_subtitle_leading": size["cover_subtitle"] * lay["cover_subtitle_line"],
        "toc_number": {1: lay["toc_number_1"], 2: lay["toc_number_2"], 3: lay["toc_number_3"]},
        "toc_page_box": lay["toc_page_box"],
        "after_lists": lay["after_lists"],
        "list_indent": sp["list_indent"],
        "inner_list_indent": lay["inner_list_indent"],
        "inner_list_item_after": lay["inner_list_item_after"],
        "cell_padding": (pad, pad + lay["cell_padding_extra"]),  # top/bottom, left/right
        "grid_line": lay["grid_line"],
        "sidebar_padding": sp["sidebar_padding"],
        "sidebar_rule": lay["sidebar_rule"],
        "sidebar_gap": sp["paragraph_after"] + lay["sidebar_gap_extra"],  # below a box that is kept in one piece
        "sidebar_keep_limit": int(lay["sidebar_keep_limit"]),
        "table_gap": sp["caption_after"],
        "figure_gap": (sp["figure_before"], sp["caption_after"]),
        "keep_table_rows": int(lay["keep_table_rows"]),
        "recommendations_rule": lay["recommendations_rule"],
        "cover": {k: s.pt("cover", k) for k in s.cover},
    }
