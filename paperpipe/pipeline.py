"""The library's steps behind the command line, by name.

``load`` reads the content and the style, runs the passes and checks the
glyphs; ``render`` lays out and renders the asked formats in memory;
``check`` does both and writes nothing; ``build`` does both and only then
moves each finished file into place (``atomic.write_atomic``), so a failed
build never leaves a partial file and never destroys the previous good
output.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import dates
from . import model as m
from .downsample import downsample, upright
from .atomic import OutputError, write_atomic
from .errors import BuildError, Problem, Problems
from .glyphcheck import check_glyphs
from .context import Context, Memory
from .figures.cache import flush as flush_cache
from .passes import run_passes
from .realize import realize
from .readers.content import read_paper
from .theme import Theme, load_theme
from .theme.check import check_document
from .writers import LAYOUT_FORMAT, WITHOUT_LAYOUT, WRITERS, Job, LayoutImpossible, writer

FORMATS = tuple(WRITERS)
CACHE_FOLDER = ".cache"  # converted figures, kept beside the outputs


@dataclass
class Loaded:
    doc: m.Document
    theme: Theme
    problems: Problems
    context: Context  # the build's world: folders, figures, caches


@dataclass
class Output:
    """One file a build wrote: what the summary shows of it."""

    path: Path
    pages: int = 0
    size: int = 0
    seconds: float = 0.0  # rendering this format (the layout counts for the PDF)


@dataclass
class Report:
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    figures: int = 0
    tables: int = 0
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    outputs: list[Output] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds), in order
    notes: list[str] = field(default_factory=list)  # things done for the editor, e.g. a picture downsampled

    def joined(self, later: "Report") -> "Report":
        """This report (the page, written first) and a later one of the same build (the other formats)."""
        return replace(later, files=[*self.files, *later.files], outputs=[*self.outputs, *later.outputs],
                       notes=[*self.notes, *later.notes], steps=[*self.steps, *later.steps])

    def summary(self) -> str:
        where = ", ".join(shown(f) for f in self.files)
        return (f"built {where}: {self.pages} pages, {self.figures} figures, {self.tables} tables, "
                f"{len(self.warnings)} warnings, in {self.seconds:.2f} s")


def shown(path: Path) -> str:
    """A path relative to the current folder when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load(content: Path, templates: Path, memo=None, context: Context | None = None) -> Loaded:
    """Read, validate and number the paper; raise BuildError listing every
    problem. ``memo``: see ``prepare``. What the reading finds in the
    figures goes into ``context`` (a new one when none is given); when its
    build draws figures at once (``context.draw``), each SVG is drawn here,
    once, so that one that cannot be drawn is reported with the rest."""
    content, templates = Path(content), Path(templates)
    context = context if context is not None else Context(content, templates)
    problems = Problems(content)
    why = dates.epoch_problem()
    if why:
        problems.error("SOURCE_DATE_EPOCH", 0, why,
                       "set it to the seconds since 1970 of the date to write into the files (e.g. 1637625600), or unset it")
    if memo is None:
        theme = load_theme(templates, problems, context)
    else:  # the watch: the same templates folder, the same theme
        memo.start(context)
        theme = memo.kept("theme", memo.setting([], [templates], str(problems.base)), problems, lambda: load_theme(templates, problems, context))
    context.fonts = theme.fonts if theme is not None else None  # the figures' text is drawn with them
    doc, problems = read_paper(content, templates, problems, memo=memo, context=context,
                                typography=theme.typography if theme is not None else None)
    if context.draw:
        draw_figures(context, problems)
    if doc is not None:
        doc = run_passes(doc, problems)
        upright(doc, context)  # photos turned as their EXIF orientation says, in every output alike
    if doc is not None and theme is not None:
        check_document(doc, theme, problems, lambda _doc, file: problems.path(file))
        theme = theme.with_logos(doc.meta.logos)
        check_glyphs(doc, theme, problems)
    if problems.errors or doc is None or theme is None:
        raise BuildError(problems.items)
    return Loaded(realize(doc, theme), theme, problems, context)


def draw_figures(context: Context, problems: Problems) -> None:
    """Each SVG the reading checked drawn once (the writers use these), one
    that cannot be drawn recorded at the line that uses it."""
    from .figures.drawing import draw_all

    draw_all(context, problems)
    context.drawn = True


def source_epoch(doc: m.Document) -> float:
    """The time written into the files: SOURCE_DATE_EPOCH, else the paper's date."""
    return dates.source_epoch(doc.meta.date)


def render(loaded: Loaded, formats: tuple[str, ...], templates: Path, step=None, times: dict | None = None,
           layout: bool = True, each=None, checking: bool = False) -> tuple[dict[str, bytes], int]:
    """The asked formats as bytes (nothing written yet) and the page count.

    The writers run in their registered order; the layout writer runs
    whenever a format that prints page numbers is asked (its Layout gives
    the page count, and the page numbers the others print), not for a page
    alone, and not when ``layout`` is false (then nothing that needs it may
    be asked). Figures not drawn yet are drawn before the layout.
    ``step(what)`` is told each writer as it starts; ``times`` gets each
    format's seconds; ``each(fmt, data)``, each asked format as it is done.
    ``checking``: the bytes are made only to find problems (Job.checking)."""
    step = step or (lambda what: None)
    times = times if times is not None else {}
    context = loaded.context
    layout = layout and needs_layout(formats)
    if layout and not context.drawn:
        draw_figures(context, loaded.problems)
        if loaded.problems.errors:
            raise BuildError(loaded.problems.items)
    job = Job(source_epoch(loaded.doc), Path(templates), context=context, checking=checking)
    out: dict[str, bytes] = {}
    for fmt in WRITERS:
        if fmt in formats or (layout and fmt == LAYOUT_FORMAT):
            step(f"laying out {fmt}" if fmt == LAYOUT_FORMAT else f"rendering {fmt}")
            started = time.perf_counter()
            try:
                rendered = writer(fmt).render(loaded.doc, loaded.theme, job)
            except LayoutImpossible as exc:
                raise BuildError([*loaded.problems.warnings, layout_problem(exc, loaded.doc)]) from exc
            times[fmt] = time.perf_counter() - started
            if fmt in formats:
                out[fmt] = rendered.data
                if each is not None:
                    each(fmt, rendered.data)
            if rendered.layout is not None:
                job = replace(job, layout=rendered.layout)
    return out, job.layout.page_count if job.layout else 0


def layout_problem(exc: LayoutImpossible, doc: m.Document) -> Problem:
    """Content that cannot be laid out (a table row taller than a page …),
    reported at the line of the block it comes from, in the writer's words."""
    source = exc.source
    # the file as every other problem shows it (relative to the folder the command ran in)
    file = str(source.file) if source is not None else Problems(doc.root).rel(doc.root / "paper.yaml")
    return Problem(file, source.line if source is not None else 0, str(exc), exc.advice)


def needs_layout(formats) -> bool:
    """Whether a build of ``formats`` lays the paper out (and draws its figures)."""
    return any(fmt not in WITHOUT_LAYOUT for fmt in formats)


def check(content: Path, templates: Path, progress=None, memory: Memory | None = None) -> Loaded:
    """Everything a build does but writing: read and validate, then lay out
    and render every format in memory, so that --check finds every problem a
    build would (a table row taller than a page, a picture Word cannot take)."""
    step = progress or (lambda what: None)
    context = Context(content, templates, cache=None, memory=memory)  # nothing written, not even the figure cache
    step("reading")
    loaded = load(content, templates, context=context)
    render(loaded, FORMATS, templates, step, checking=True)
    return loaded


def build(content: Path, templates: Path, output: Path, formats: tuple[str, ...], progress=None,
          memory: Memory | None = None) -> Report:
    """Read, lay out, render and write; ``progress(what)`` (if given) is told
    each step as it starts: reading, layout, each output, writing. A process
    that builds again and again passes the same ``memory``: what it keeps is
    bounded; everything else is this build's."""
    start = time.perf_counter()
    steps: list[tuple[str, float]] = []

    def step(what: str) -> None:
        steps.append((what, time.perf_counter()))
        if progress is not None:
            progress(what)

    loaded, notes = prepare(content, templates, output, step, memory=memory, draw=needs_layout(formats))
    report = emit(loaded, formats, templates, output, step, notes, started=start)
    ends = [t for _, t in steps[1:]] + [start + report.seconds]
    report.steps = [(what, end - began) for (what, began), end in zip(steps, ends)]
    return report


def prepare(content: Path, templates: Path, output: Path, step=None, memo=None, memory: Memory | None = None,
            draw: bool = True) -> tuple[Loaded, list[str]]:
    """The paper read and checked, with its pictures as the outputs take
    them, and the notes for the editor. ``memo`` (the watch's) keeps what
    was read of files that have not changed since, ``memory`` what was made
    of them (drawings, renderings); ``draw=False`` leaves the figures'
    drawing to the first layout (the page alone needs none)."""
    (step or (lambda what: None))("reading")
    context = Context(content, templates, cache=Path(output) / CACHE_FOLDER, memory=memory, draw=draw)
    loaded = load(content, templates, memo=memo, context=context)
    # pictures far sharper than print needs go into the outputs smaller (the files stay as they are)
    notes = downsample(loaded.doc, loaded.theme.page.text_width, context, shown)
    return loaded, notes


def emit(loaded: Loaded, formats: tuple[str, ...], templates: Path, output: Path, step=None, notes=(), *,
         started: float | None = None, layout: bool = True, before_write=None, written: list | None = None) -> Report:
    """Render ``formats`` of a prepared paper and write them, all or nothing.
    ``layout=False``: no layout when no asked format needs one (the page
    alone, for the watch); ``before_write()`` is called last before writing
    (the watch's way to drop a build a newer save has superseded). With
    ``written`` (a list), each format is written, all or nothing, as soon as
    it is rendered, and its file added to the list (the watch's PDF comes
    before its DOCX)."""
    step = step or (lambda what: None)
    start = started if started is not None else time.perf_counter()
    times: dict[str, float] = {}

    def path_of(fmt: str) -> Path:
        return Path(output) / f"{loaded.doc.meta.output_name}.{fmt}"

    def write(files: dict[Path, bytes]) -> None:
        if before_write is not None:
            before_write()
        try:
            write_atomic(files)
        except OutputError as exc:
            problem = Problem(shown(exc.path), 0, f"cannot write the file ({exc.strerror or exc})",
                              "check that the output folder can be written, and close the file if another program has it open")
            raise BuildError([*loaded.problems.warnings, problem]) from exc
        if written is not None:
            written.extend(files)

    alone = (lambda fmt, data: write({path_of(fmt): data})) if written is not None else None
    data, pages = render(loaded, formats, templates, step, times, layout=layout, each=alone)
    report = Report(pages=pages, figures=len(loaded.doc.figures), tables=len(loaded.doc.tables), warnings=loaded.problems.warnings, notes=list(notes))
    files = {path_of(fmt): data[fmt] for fmt in formats}
    step("writing files")
    report.outputs = [Output(path, pages if fmt != "html" else 0, len(data[fmt]), times.get(fmt, 0.0))
                      for (path, fmt) in zip(files, formats)]
    if written is None:
        write(files)
    flush_cache(loaded.context)
    report.files.extend(files)
    report.seconds = time.perf_counter() - start
    return report
