"""Reading, checking and writing a paper: the steps behind the command line.

``load`` reads the content and the style and runs the passes; ``build``
renders the asked formats in memory and only then moves each finished file
into place, so a failed build never leaves a partial file and never
destroys the previous good output.
"""
from __future__ import annotations

import os
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import dates
from . import model as m
from .visit import inlines_of, plain_text, walk
from .downsample import downsample
from .errors import BuildError, Problem, Problems
from .images import flush_cache, use_cache
from .passes import run_passes
from .readers.content import read_paper
from .theme import Theme, load_theme
from .theme.check import check_document
from .writers import LAYOUT_FORMAT, WRITERS, Job, LayoutImpossible, writer

FORMATS = tuple(WRITERS)
CACHE_FOLDER = ".cache"  # converted figures, kept beside the outputs
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass
class Loaded:
    doc: m.Document
    theme: Theme
    problems: Problems


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

    def summary(self) -> str:
        where = ", ".join(_shown(f) for f in self.files)
        return (f"built {where}: {self.pages} pages, {self.figures} figures, {self.tables} tables, "
                f"{len(self.warnings)} warnings, in {self.seconds:.2f} s")


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load(content: Path, templates: Path) -> Loaded:
    """Read, validate and number the paper; raise BuildError listing every problem."""
    content, templates = Path(content), Path(templates)
    problems = Problems(content)
    why = dates.epoch_problem()
    if why:
        problems.error("SOURCE_DATE_EPOCH", 0, why,
                       "set it to the seconds since 1970 of the date to write into the files (e.g. 1637625600), or unset it")
    theme = load_theme(templates, problems)
    doc, problems = read_paper(content, templates, problems)
    if doc is not None:
        doc = run_passes(doc, problems)
    if doc is not None and theme is not None:
        check_document(doc, theme, problems, lambda _doc, file: problems.path(file))
        theme = theme.with_logos(doc.meta.logos)
        check_glyphs(doc, theme, problems)
    if problems.errors or doc is None or theme is None:
        raise BuildError(problems.items)
    return Loaded(doc, theme, problems)


def check_glyphs(doc: m.Document, theme: Theme, problems: Problems) -> None:
    """Every character must be drawable by the embedded fonts: name each one
    that is not, with the line it stands on. Invisible control characters
    (a stray BEL or ESC pasted from elsewhere) are refused too: neither
    output can hold them (XML forbids them). In YAML files the reader has
    already reported them, on the line of their key."""
    from .theme.glyphs import missing_glyphs

    paper = doc.root / "paper.yaml"
    meta = doc.meta

    def texts():
        """(file, line, text, drawn): drawn text must be in the font; all text free of control characters."""
        yield paper, 0, " ".join([meta.title, *meta.header, *meta.labels.values(), *(str(v) for v in _flatten(meta.cover))]), True
        for block in walk(doc.blocks):
            if isinstance(block, m.Sidebar):
                yield block.source.file, block.source.line, block.title, True
            for inlines in inlines_of(block):
                if inlines:
                    yield block.source.file, block.source.line, plain_text(inlines), True
            if isinstance(block, (m.Figure, m.Image)):
                yield block.source.file, block.source.line, block.description, False

    def bad(text: str, drawn: bool) -> set[str]:
        found = {ch for ch in set(text) if _is_control(ch)}
        return found | missing_glyphs(theme.fonts, text) if drawn else found

    def meta_bad(text: str, drawn: bool) -> set[str]:
        return {ch for ch in bad(text, drawn) if not _is_control(ch)}  # the YAML reader reported those

    everything = list(texts())
    if not bad("".join(t for _, _, t, drawn in everything if drawn), True) and not bad("".join(t for *_, t, _ in everything), False):
        return  # the usual case: one look-up for the whole paper instead of one per block (~35 ms a build)

    for file, line, text, drawn in everything:
        for ch in sorted((meta_bad if file == paper else bad)(text, drawn)):
            path = problems.path(file)
            if _is_control(ch):
                problems.error(path, _line_of(path, line, ch), f"an invisible control character (U+{ord(ch):04X}) is in the text",
                               "delete it: retype the words around it (it often comes with text pasted from elsewhere)")
                continue
            name = unicodedata.name(ch, "")
            problems.error(
                path, _line_of(path, line, ch),
                f"the character '{ch}' (U+{ord(ch):04X}{' ' + name if name else ''}) cannot be drawn by the font {theme.fonts.family}",
                "replace it with a character the font has, or choose a font that covers it in templates/style.yaml",
            )


def _is_control(ch: str) -> bool:
    """Characters XML (so DOCX) cannot hold and no font draws; tab and line ends are fine."""
    return (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r") or ch in "\ufffe\uffff"


def _line_of(path: Path, start: int, ch: str) -> int:
    """The line that holds ``ch``: a block's source line is where the block
    starts, the character may stand further down in the same paragraph
    (``start`` 0: anywhere in the file)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return start
    for number in range(max(start, 1), len(lines) + 1):
        text = lines[number - 1]
        if ch in text:
            return number
        if start and not text.strip() and number > start:
            break  # end of the block's paragraph: the character came from elsewhere (a template call)
    return start or 1


def _flatten(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten(v)
    elif value is not None:
        yield value


def source_epoch(doc: m.Document) -> float:
    """The time written into the files: SOURCE_DATE_EPOCH, else the paper's date."""
    return dates.source_epoch(doc.meta.date)


def write_atomic(files: dict[Path, bytes]) -> None:
    """All or nothing: write every file under a temporary name beside it,
    and only when all are whole move them into place, keeping a link to each
    previous file until the last is in place. If any step fails (a file open
    in another program, a folder that cannot be written), every output is
    put back as it was, and folders this call made are removed: never a
    partial file, never a new PDF beside an old DOCX."""
    made: list[Path] = []      # folders created here, innermost last
    staged: list[tuple[str, Path]] = []
    saved: dict[Path, str | None] = {}  # target -> link to its previous content (None: there was none)
    path = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".part", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; give it a normal file's mode
        for tmp, path in staged:
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(21, "a folder has the output file's name", str(path))
            saved[path] = _keep(path) if os.path.lexists(path) else None
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as exc:
        _undo(staged, saved, made)
        if isinstance(exc, OSError):
            raise OutputError(path, exc) from exc
        raise
    for link in saved.values():
        if link is not None and os.path.lexists(link):
            os.unlink(link)


def _keep(path: Path) -> str:
    """A second name for the file at ``path`` (a hard link; a copy where links are not possible)."""
    fd, keep = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".previous", dir=path.parent)
    os.close(fd)
    os.unlink(keep)
    try:
        os.link(path, keep, follow_symlinks=False)
    except OSError:
        import shutil

        shutil.copy2(path, keep, follow_symlinks=False)
    return keep


def _undo(staged: list[tuple[str, Path]], saved: dict[Path, str | None], made: list[Path]) -> None:
    """Put every output back as it was before ``write_atomic``."""
    for tmp, path in staged:
        try:
            moved = not os.path.lexists(tmp)  # the new file reached its place
            link = saved.get(path)
            if moved and link is not None:
                os.replace(link, path)  # the previous file back
            elif moved and path in saved and not path.is_dir():
                os.unlink(path)  # the place was empty before
            for name in (tmp, link):
                if name is not None and os.path.lexists(name):
                    os.unlink(name)
        except BaseException:  # noqa: BLE001 - undo as much as possible, then report the first failure
            pass
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


class OutputError(OSError):
    """An output file that could not be written, with the file's name."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.path = path


def render(loaded: Loaded, formats: tuple[str, ...], templates: Path, step=None, times: dict | None = None) -> tuple[dict[str, bytes], int]:
    """The asked formats as bytes (nothing written yet) and the page count.

    The writers run in their registered order; the layout writer always runs
    (its Layout gives the page count, and the page numbers the others print).
    ``step(what)`` is told each writer as it starts; ``times`` gets each
    format's seconds."""
    step = step or (lambda what: None)
    times = times if times is not None else {}
    job = Job(source_epoch(loaded.doc), Path(templates))
    out: dict[str, bytes] = {}
    for fmt in WRITERS:
        if fmt in formats or fmt == LAYOUT_FORMAT:
            step(f"layout ({fmt})" if fmt == LAYOUT_FORMAT else f"writing {fmt}")
            started = time.perf_counter()
            try:
                rendered = writer(fmt).render(loaded.doc, loaded.theme, job)
            except LayoutImpossible as exc:
                raise BuildError([*loaded.problems.warnings, layout_problem(exc, loaded.doc)]) from exc
            times[fmt] = time.perf_counter() - started
            if fmt in formats:
                out[fmt] = rendered.data
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


def check(content: Path, templates: Path, progress=None) -> Loaded:
    """Everything a build does but writing: read and validate, then lay out
    and render every format in memory, so that --check finds every problem a
    build would (a table row taller than a page, a picture Word cannot take)."""
    step = progress or (lambda what: None)
    use_cache(None)  # nothing written, not even the figure cache
    step("reading")
    loaded = load(content, templates)
    render(loaded, FORMATS, templates, step)
    return loaded


def build(content: Path, templates: Path, output: Path, formats: tuple[str, ...], progress=None) -> Report:
    """Read, lay out, render and write; ``progress(what)`` (if given) is told
    each step as it starts: reading, layout, each output, writing."""
    start = time.perf_counter()
    steps: list[tuple[str, float]] = []

    def step(what: str) -> None:
        now = time.perf_counter()
        steps.append((what, now))
        if progress is not None:
            progress(what)

    use_cache(Path(output) / CACHE_FOLDER)
    step("reading")
    loaded = load(content, templates)
    # pictures far sharper than print needs go into the outputs smaller (the files stay as they are)
    doc, notes = downsample(loaded.doc, loaded.theme.page.text_width, Path(output) / CACHE_FOLDER, _shown)
    loaded = Loaded(doc, loaded.theme, loaded.problems)
    times: dict[str, float] = {}
    data, pages = render(loaded, formats, templates, step, times)
    report = Report(pages=pages, figures=len(loaded.doc.figures), tables=len(loaded.doc.tables), warnings=loaded.problems.warnings, notes=notes)
    files = {Path(output) / f"{loaded.doc.meta.output_name}.{fmt}": data[fmt] for fmt in formats}
    step("writing files")
    report.outputs = [Output(path, pages if fmt != "html" else 0, len(data[fmt]), times.get(fmt, 0.0))
                      for (path, fmt) in zip(files, formats)]
    try:
        write_atomic(files)
    except OutputError as exc:
        problem = Problem(_shown(exc.path), 0, f"cannot write the file ({exc.strerror or exc})",
                          "check that the output folder can be written, and close the file if another program has it open")
        raise BuildError([*loaded.problems.warnings, problem]) from exc
    flush_cache()
    report.files.extend(files)
    report.seconds = time.perf_counter() - start
    ends = [t for _, t in steps[1:]] + [start + report.seconds]
    report.steps = [(what, end - began) for (what, began), end in zip(steps, ends)]
    return report
