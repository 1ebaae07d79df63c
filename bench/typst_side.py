"""The same paper in Typst, for a side-by-side timing: the document model
written out as Typst markup (``TypstWriter``), compiled cold in a fresh
process, again in one process (warm), and after a one-paragraph edit
(incremental, as ``typst watch`` recompiles)."""
from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

from children import ROOT, TEMPLATES, _fail_reason, pdf_pages, run_child


# ----------------------------------------------------------------------------- Typst rendition
def _s(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\t", " ") + '"'


def _colour(value: str) -> str:
    return f'rgb("{value}")'


class TypstWriter:
    """The paper in Typst markup, from the same document model the writers
    render (so template calls, data tables and numbering are the same)."""

    def __init__(self, doc, theme, image_dir: Path):
        self.doc, self.theme, self.image_dir = doc, theme, image_dir
        self.images: dict[Path, str] = {}
        self.edit_after: Path | None = None  # a section file: a mark for the edit of the incremental timing after its blocks

    # inlines ---------------------------------------------------------------
    def inlines(self, nodes) -> str:
        from paperpipe import model as m

        out = []
        for n in nodes:
            if isinstance(n, m.Text):
                out.append("#" + _s(n.text))
            elif isinstance(n, m.Strong):
                out.append("#strong[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Emph):
                out.append("#emph[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Code):
                out.append("#raw(" + _s(n.text) + ")")
            elif isinstance(n, m.LineBreak):
                out.append("#linebreak()")
            elif isinstance(n, m.Link):
                out.append(f"#link({_s(n.url)})[" + self.inlines(n.children) + "]")
            elif isinstance(n, m.Ref):
                target = self.doc.targets.get(n.target)
                if n.children:
                    out.append(f"#link(label({_s(n.target)}))[" + self.inlines(n.children) + "]")
                elif target is not None and target.number:
                    out.append(f"#ref(label({_s(n.target)}))")
                else:
                    out.append(f"#link(label({_s(n.target)}))[#{_s(n.label)}]")
        return "".join(out)

    # blocks ----------------------------------------------------------------
    def blocks(self, blocks) -> str:
        return "\n\n".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        from paperpipe import model as m

        if isinstance(b, m.Heading):
            numbering = '"1.1"' if b.numbered else "none"
            return f"#heading(level: {b.level}, numbering: {numbering})[{self.inlines(b.children)}]" + (f" <{b.id}>" if b.id else "")
        if isinstance(b, m.Paragraph):
            return self.inlines(b.children)
        if isinstance(b, m.BulletList):
            return "#list(" + ", ".join("[" + self.blocks(item) + "]" for item in b.items) + ")"
        if isinstance(b, m.OrderedList):
            return f"#enum(start: {b.start}, " + ", ".join("[" + self.blocks(item) + "]" for item in b.items) + ")"
        if isinstance(b, m.Sidebar):
            title = f"#strong[#{_s(b.title)}]\n\n" if b.title else ""
            box = self.theme.sidebars
            return (f"#block(fill: {_colour(box.fill)}, inset: {box.padding}pt, width: 100%, breakable: true)"
                    f"[#set text(size: {self.theme.text['sidebar'].size}pt)\n{title}{self.blocks(b.blocks)}]")
        if isinstance(b, m.Image):
            return self.image(b)
        if isinstance(b, m.Table):
            body = self.table(b)
            if b.caption and b.number:
                return f"#figure(kind: table, caption: [{self.inlines(b.caption)}], {body})" + (f" <{b.id}>" if b.id else "")
            return "#" + body
        if isinstance(b, m.Figure):
            if len(b.body) == 1 and isinstance(b.body[0], m.Image):
                body = self.image(b.body[0]).lstrip("#")
            else:
                body = "[" + self.blocks(b.body) + "]"
            return f"#figure(kind: image, supplement: [Figure], caption: [{self.inlines(b.caption)}], {body})" + (f" <{b.id}>" if b.id else "")
        raise TypeError(f"no Typst for {type(b).__name__}")

    def image(self, img) -> str:
        path = Path(img.path)
        if path not in self.images:
            name = f"{len(self.images):03d}-{path.name}"
            shutil.copy2(path, self.image_dir / name)
            self.images[path] = name
        return f'#image("{self.image_dir.name}/{self.images[path]}", width: {img.width * 100:.1f}%, alt: {_s(img.description)})'

    def table(self, t) -> str:
        from paperpipe import model as m

        look = self.theme.table(t.style)  # fills and bold by role: the theme's, as the writers use them
        widths = t.widths or (1.0,) * t.columns
        cols = "(" + ", ".join(f"{w:g}fr" for w in widths) + ("," if len(widths) == 1 else "") + ")"

        def cell(cl: m.Cell, row: m.Row, header: bool) -> str:
            args = []
            if cl.colspan > 1:
                args.append(f"colspan: {cl.colspan}")
            if cl.rowspan > 1:
                args.append(f"rowspan: {cl.rowspan}")
            row_look, cell_look = look.row_look(row.role or ("header" if header else "")), look.cell_look(cl.role)
            text = self.theme.text[cell_look.text or row_look.text or look.text]
            bold = text.face.startswith("bold") or row_look.bold or cell_look.bold
            body = f"#set text(fill: {_colour(text.colour)}, weight: \"{'bold' if bold else 'regular'}\")\n{self.blocks(cl.blocks)}"
            fill = cell_look.fill or row_look.fill
            if fill:
                args.append(f"fill: {_colour(fill)}")
            if cl.align in ("left", "center", "right"):
                args.append(f"align: {cl.align}")
            return f"table.cell({', '.join(args)})[{body}]"

        head, rest = [], []
        for i, row in enumerate(t.rows):
            target = head if i < t.header_rows else rest
            target.extend(cell(cl, row, i < t.header_rows) for cl in row.cells)
        stroke = f"{look.grid_width}pt + {_colour(look.grid_colour)}" if look.grid_width else "none"
        parts = [f"columns: {cols}", f"stroke: {stroke}", f"inset: (x: {look.padding_horizontal}pt, y: {look.padding_vertical}pt)"]
        if head:
            parts.append("table.header(repeat: true, " + ", ".join(head) + ")")
        parts.extend(rest)
        return "table(" + ",\n  ".join(parts) + ")"

    # document --------------------------------------------------------------
    def document(self) -> str:
        doc, th = self.doc, self.theme
        meta, page, text = doc.meta, th.page, th.text
        body_style = text["body"]
        labels = meta.labels
        cover = meta.cover or {}
        header = " #h(1fr) ".join("#" + _s(line) for line in meta.header)
        margin = (f"(top: {page.margin_top:.2f}pt, bottom: {page.margin_bottom:.2f}pt, "
                  f"left: {page.margin_left:.2f}pt, right: {page.margin_right:.2f}pt)")
        paper = "a4" if abs(page.width - 595.28) < 1 else "us-letter"
        lines = "\n\n".join("#" + _s(str(x)) for x in cover.get("lines", []))
        parts = [self.block(b) for b in doc.blocks]
        if self.edit_after is not None:  # where the incremental timing adds its paragraph: after the edited section
            last = max((i for i, b in enumerate(doc.blocks) if Path(b.source.file).resolve() == self.edit_after), default=len(parts) - 1)
            parts.insert(last + 1, EDIT_MARK)
        body = "\n\n".join(parts)
        # Typst's leading is the gap from one line's baseline to the next line's cap height
        gap = body_style.leading - 0.65 * body_style.size
        h = {level: th.heading(level) for level in (1, 2, 3)}
        return f"""// Generated by bench/bench.py: the paper as Typst markup, for a side-by-side timing.
#set document(title: {_s(meta.title)}, author: {_s(meta.author)})
#set text(font: {_s(th.fonts.family)}, size: {body_style.size}pt, lang: {_s(meta.language[:2])}, fill: {_colour(body_style.colour)})
#set par(justify: true, leading: {gap:.2f}pt, spacing: {gap + body_style.after:.2f}pt)
#set heading(numbering: "1.1")
#show heading.where(level: 1): set text(size: {h[1].size}pt, fill: {_colour(h[1].colour)})
#show heading.where(level: 2): set text(size: {h[2].size}pt, fill: {_colour(h[2].colour)})
#show heading.where(level: 3): set text(size: {h[3].size}pt, fill: {_colour(h[3].colour)})
#show table: set text(size: {text['cell'].size}pt)
#show figure.caption: set text(size: {text[th.captions.style].size}pt)
#show figure: set block(breakable: true)
#show link: set text(fill: {_colour(th.links.colour)})
#set page(paper: {_s(paper)}, margin: {margin})

#page(header: none, footer: none)[
  #v(30%)
  #text(size: {text['cover_title'].size}pt, weight: "bold", fill: {_colour(th.cover.band_colour)})[#{_s(str(cover.get('title', meta.title)))}]

  #text(size: {text['cover_line'].size}pt)[{lines}]

  #v(1fr)
  #{_s(str(cover.get('kind', '')))}

  #{_s(str(cover.get('footer', '')))}
]

#set page(
  header: [#set text(size: {text['header'].size}pt, fill: {_colour(text['header'].colour)}); {header}],
  footer: context [#set text(size: {text['footer'].size}pt, fill: {_colour(text['footer'].colour)}); #h(1fr) #counter(page).display() #h(1fr)],
)
#counter(page).update(1)
#outline(title: [#{_s(labels['contents'])}], depth: 3)
#outline(title: [#{_s(labels['figures'])}], target: figure.where(kind: image))
#outline(title: [#{_s(labels['tables'])}], target: figure.where(kind: table))
#pagebreak()

{body}
"""


EDIT_MARK = "// paperpipe bench: the edited paragraph goes here"


def make_typst(content: Path, dest: Path, edit_after: Path | None = None) -> Path:
    """dest/paper.typ (+ dest/img/) for the paper in ``content``; with
    ``edit_after`` (a section file), EDIT_MARK stands after its blocks."""
    sys.path.insert(0, str(ROOT))
    from paperpipe.pipeline import load

    loaded = load(content, TEMPLATES)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "img").mkdir(exist_ok=True)
    writer = TypstWriter(loaded.doc, loaded.theme, dest / "img")
    writer.edit_after = Path(edit_after).resolve() if edit_after is not None else None
    text = writer.document()
    path = dest / "paper.typ"
    path.write_text(text, encoding="utf-8")
    return path


TYPST_CODE = r"""
import sys, time
t = time.perf_counter()
import typst
typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3], font_paths=[sys.argv[4]])
print(time.perf_counter() - t)
"""


def typst_version() -> str | None:
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    try:
        from importlib.metadata import version

        return version("typst")
    except Exception:
        return "?"


def typst_build(typ: Path, runs: int) -> dict:
    times, inner, peaks, cpus = [], [], [], []
    out = typ.with_suffix(".pdf")
    for _ in range(runs):
        result = run_child([sys.executable, "-c", TYPST_CODE, str(typ), str(out), str(typ.parent), str(TEMPLATES / "fonts")])
        if result["rc"] != 0:
            return {"ok": False, "error": _fail_reason(result)}
        times.append(result["seconds"])
        inner.append(float(result["stdout"].strip().splitlines()[-1]))
        cpus.append(result["cpu_s"])
        peaks.append(result["peak_mb"])
    return {"ok": True, "median_s": statistics.median(times), "runs": times, "compile_s": statistics.median(inner), "cpu_s": statistics.median(cpus),
            "peak_mb": max(peaks), "pages": pdf_pages(out)}


TYPST_WARM_CODE = r"""
import json, statistics, sys, time
import typst
c = typst.Compiler(sys.argv[1], root=sys.argv[2], font_paths=[sys.argv[3]])
c.compile(); times = []
for _ in range(int(sys.argv[4])):
    t = time.perf_counter(); c.compile(); times.append(time.perf_counter() - t)
print(json.dumps({"median_s": statistics.median(times)}))
"""


def typst_warm(typ: Path, runs: int) -> dict:
    result = run_child([sys.executable, "-c", TYPST_WARM_CODE, str(typ), str(typ.parent), str(TEMPLATES / "fonts"), str(runs)])
    if result["rc"] != 0:
        return {"ok": False, "error": _fail_reason(result)}
    return {"ok": True, **json.loads(result["stdout"].strip().splitlines()[-1])}


TYPST_EDIT_CODE = r"""
import json, statistics, sys, time
from pathlib import Path
import typst
typ, mark, runs = Path(sys.argv[1]), sys.argv[4], int(sys.argv[5])
c = typst.Compiler(str(typ), root=sys.argv[2], font_paths=[sys.argv[3]])
before = c.compile(); times = []
for n in range(runs):
    text = typ.read_text(encoding="utf-8")
    typ.write_text(text.replace(mark, f"A sentence saved for run {n} of the benchmark, as an editor adds one.\n\n" + mark, 1), encoding="utf-8")
    t = time.perf_counter(); after = c.compile(); times.append(time.perf_counter() - t)
    assert after != before; before = after
print(json.dumps({"median_s": statistics.median(times), "runs": times}))
"""


def typst_incremental(typ: Path, runs: int) -> dict:
    """Typst's recompile in one process after a one-paragraph edit (what ``typst watch`` does on a save)."""
    result = run_child([sys.executable, "-c", TYPST_EDIT_CODE, str(typ), str(typ.parent), str(TEMPLATES / "fonts"), EDIT_MARK, str(runs)])
    if result["rc"] != 0:
        return {"ok": False, "error": _fail_reason(result)}
    return {"ok": True, **json.loads(result["stdout"].strip().splitlines()[-1])}
