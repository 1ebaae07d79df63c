"""The content folder into an (unnumbered) Document.

``paper.yaml`` names the metadata, the data files and the order of the
section files; each section file is Markdown (see ``markdown/``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..visit import walk
from ..dates import parse_day
from ..errors import Problems, nearest
from ..context import Context, real_path  # a link that loops is no file, not an internal error
from ..figures.check import check_image
from ..figures.inputs import svg_references
from ..schema import SchemaFileError, builtin, kind_of, load_schema, validate
from ..people import DATA_NAME as PEOPLE, People, check_references, literal_names, problem
from .markdown import MarkdownReader
from .markdown.syntax import parser, smart_plain
from .markdown.limits import MAX_TEXT
from .metafields import check_output_name, expand_meta
from .spelling import spelt_on_disk
from .template_data import Facts, meta_view, person_view
from .templates import TemplateCalls, escape_markdown
from .yamlfile import LineDict, load_yaml_file, read_text

PAPER_FILE = "paper.yaml"

# The facts written once in paper.yaml and printed anywhere as {{ paper.<name> }}
# (in the text, headings, table cells, and in paper.yaml's subject, output,
# header and cover). The facts themselves are plain text.
FACTS = ("title", "author", "deliverable", "date", "place", "when", "language")
OPTIONAL_FACTS = ("place", "when")  # paper.yaml may leave them out
PLACEHOLDER = re.compile(r"^\s*\[[^\[\]]*\]\s*$")  # a fact in square brackets: the starter's "[Place, Country]"

DEFAULT_LABELS = {
    "contents": "Contents",
    "figures": "Figures",
    "tables": "Tables",
    "figure": "Figure",
    "table": "Table",
    "section": "Section",
    "external_link": "external link",  # read out after a link to another site (HTML page)
    "skip_to_text": "Skip to the text",  # the HTML page's first link, for keyboard users
    "scrolls": "Scroll sideways to see it all",  # over a wide table or figure on a narrow screen (HTML page)
}

IGNORED_FILES = {"README.md"}


def confine(root: Path, relative: str, problems: Problems, file: Path | str, line: int, what: str) -> Path | None:
    """``relative`` as an absolute path inside ``root``, or None with a problem recorded."""
    if not isinstance(relative, str):
        problems.error(file, line, f"the {what} path must be text, not {kind_of(relative)}", "give a path relative to the content folder, e.g. data/people.yaml")
        return None
    if not relative.strip():
        problems.error(file, line, f"the {what} path is empty", "give a path relative to the content folder")
        return None
    candidate = Path(relative)
    if candidate.is_absolute():
        problems.error(file, line, f"the {what} path '{relative}' is absolute", "give a path relative to the content folder, e.g. figures/x.svg")
        return None
    try:
        resolved = (root / candidate).resolve()
        resolved.exists()  # a name the file system cannot hold (a lone surrogate from a YAML escape) fails here
    except RuntimeError:  # pathlib's 'Symlink loop'
        problems.error(file, line, f"the {what} path '{relative}' is a link that leads back to itself", "put the file itself there instead of the link")
        return None
    except (UnicodeError, ValueError, OSError):
        problems.error(file, line, f"the {what} path '{relative.encode('utf-8', 'backslashreplace').decode()}' cannot be a file name",
                       "retype it with ordinary characters")
        return None
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        problems.error(file, line, f"the {what} path '{relative}' points outside the content folder", "copy the file into the content folder and refer to it from there")
        return None
    spelt = spelt_on_disk(root, relative)
    if spelt is not None:
        problems.error(file, line, f"the {what} path '{relative}' differs in capitals from the file's name, '{spelt}'",
                       f"write '{spelt}': capitals count on most computers (the paper would build on some and not on others)")
        return None
    return resolved


def check_meta(raw, paper: Path, problems: Problems) -> m.Meta | None:
    """paper.yaml against its schema (paperpipe/schemas/paper.schema.json),
    then what a schema cannot say: a real date, a plain file name."""
    if not isinstance(raw, dict):
        problems.error(paper, 1, "paper.yaml must be a mapping of fields", "start from the example in content/README.md")
        return None
    ok = validate(raw, builtin("paper"), paper, problems)
    for key in FACTS:
        if isinstance(raw.get(key), str) and ("{{" in raw[key] or "{%" in raw[key]):
            problems.error(paper, raw.line(key), f"'{key}' is a fact and cannot use {{{{ … }}}}",
                           f"type the {key} itself here; other fields print it as {{{{ paper.{key} }}}}")
            ok = False
    for key in FACTS:
        value = raw.get(key)
        if isinstance(value, str) and PLACEHOLDER.match(value):
            # a starter's stand-in left in place would print on the cover, in the header and the text
            problems.warning(paper, raw.line(key), f"the {key} is still the placeholder '{value}'",
                             f"write the paper's own {key} here (it prints wherever {{{{ paper.{key} }}}} stands)")
    if isinstance(raw.get("date"), str) and parse_day(raw["date"]) is None:
        # the date written into the files' properties: never a silent stand-in
        problems.error(paper, raw.line("date"), f"'date: {raw['date']}' is not a date written YYYY-MM-DD",
                       "write e.g. 'date: \"2021-11-23\"'")
        ok = False
    if ok and isinstance(raw.get("output"), str) and "{{" not in raw["output"] and not check_output_name(raw["output"], paper, raw.line("output"), problems):
        ok = False
    keywords = raw.get("keywords")
    if isinstance(keywords, list) and len(", ".join(str(k) for k in keywords)) > 255:
        problems.error(paper, raw.line("keywords"), "the keywords together are longer than the 255 characters the file properties hold",
                       "keep the few keywords that matter most")
        ok = False
    if not ok:
        return None
    return _meta(raw)


def facts(raw) -> Facts:
    """The facts of paper.yaml as plain text, for {{ paper.<name> }}."""
    out = Facts()
    for key in FACTS:
        value = raw.get(key) if isinstance(raw, dict) else None
        if value is None and key in OPTIONAL_FACTS:
            continue  # {{ paper.when }} without 'when:' is an error at its line; it printed nothing
        out[key] = str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    return out


def _meta(raw) -> m.Meta:
    """The metadata; fields that are missing or of the wrong kind are left
    empty (after ``check_meta`` reported them), so that the sections can
    still be read and checked in the same run."""

    def text(key: str) -> str:
        value = raw.get(key)
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""

    labels = dict(DEFAULT_LABELS)
    if isinstance(raw.get("labels"), dict):
        labels.update({str(k): str(v) for k, v in raw["labels"].items()})
    return m.Meta(
        title=text("title"),
        author=text("author"),
        subject=text("subject"),
        language=text("language"),
        date=text("date"),
        deliverable=text("deliverable"),
        output_name=text("output"),
        header=tuple(x for x in raw["header"] if isinstance(x, str)) if isinstance(raw.get("header"), list) else (),
        cover=dict(raw["cover"]) if isinstance(raw.get("cover"), dict) else {},
        labels=labels,
        keywords=tuple(str(k) for k in raw["keywords"]) if isinstance(raw.get("keywords"), list) else (),
    )


SCHEMA_FOLDER = "schemas"  # in the templates folder: <kind>.schema.json, the shape of each kind of data


def _load_data(raw, root: Path, templates: Path, paper: Path, problems: Problems, files: dict | None = None,
               memo=None, failed: set | None = None) -> tuple[dict, set[Path]]:
    """The data files named in paper.yaml, each checked against the schema
    that the templates declare for its kind (templates/schemas/<kind>.schema.json;
    the kind is the data's name unless the entry says ``schema: kind``).
    ``failed`` gets the names of the data with a problem reported."""
    data: dict = {}
    used: set[Path] = set()
    entries = raw["data"]
    for name, entry in entries.items():
        before = len(problems.errors)
        try:
            line = entries.line(name)
            rel, kind = (entry.get("file"), entry.get("schema", name)) if isinstance(entry, dict) else (entry, name)
            if not isinstance(rel, str) or not isinstance(kind, str):
                continue  # reported by paper.yaml's schema
            path = confine(root, rel, problems, paper, line, "data file")
            if path is None:
                continue
            used.add(path)
            if not path.is_file():
                problems.error(paper, line, f"data file '{rel}' not found", "check the name, or create the file")
                continue
            schema = _data_schema(templates, str(kind), paper, line, problems)

            def read(path=path, schema=schema):
                value = load_yaml_file(path, problems)
                if value is not None and schema is not None:
                    validate(value, schema, path, problems)
                return value

            if memo is None:
                value = read()
            else:  # the watch: a data file read again only when it or its schema changed (templates see copies of it)
                schema_file = templates / SCHEMA_FOLDER / f"{kind}.schema.json"
                key = f"{memo.digest(path)} {kind} {memo.digest(schema_file)} {schema is None} {problems.base}"
                value = memo.kept(f"data {path}", key, problems, read)
            if value is None:
                continue
            data[name] = value
            if files is not None:
                files[name] = path
        finally:
            if failed is not None and len(problems.errors) > before:
                failed.add(str(name))
    return data, used


def _data_schema(templates: Path, kind: str, paper: Path, line: int, problems: Problems):
    """The validator for one kind of data, or None with a problem recorded."""
    folder = templates / SCHEMA_FOLDER
    if kind == PEOPLE and not (folder / f"{PEOPLE}.schema.json").is_file():
        return builtin(PEOPLE)  # the people file of [@id]: its shape is paperpipe's (unless the templates declare their own)
    if not kind.replace("-", "").replace("_", "").isalnum():
        problems.error(paper, line, f"'{kind}' is not a schema name", "name a schema by one word, e.g. 'schema: people'")
        return None
    path = folder / f"{kind}.schema.json"
    if not path.is_file():
        known = sorted(p.name[: -len(".schema.json")] for p in folder.glob("*.schema.json")) if folder.is_dir() else []
        close = nearest(kind, known) if known else ""
        problems.error(paper, line, f"the templates declare no data of the kind '{kind}' (no {SCHEMA_FOLDER}/{kind}.schema.json in the templates folder)",
                       f"did you mean '{close}'?" if close else
                       (f"kinds the templates read: {', '.join(known)}; name one with '{{file: …, schema: kind}}'" if known else
                        "the template maintainer adds a schema file describing this data"))
        return None
    try:
        return load_schema(path)
    except SchemaFileError as exc:
        problems.error(exc.path, exc.line, exc.message, "fix the schema file (JSON Schema, draft 2020-12)")
        return None


def read_paper(root: Path, templates: Path, problems: Problems | None = None, memo=None,
               context: Context | None = None, typography=None) -> tuple[m.Document | None, Problems]:
    """Read the content folder. Returns (document or None, problems).
    ``memo`` (a ``memo.ReadMemo``, the watch's) hands back sections that did not change;
    ``typography`` (the theme's) sets the language's quote marks for typed straight quotes."""
    root = Path(root)
    context = context if context is not None else Context(root, templates)  # what the figures' checks find
    problems = problems if problems is not None else Problems(root)
    paper = root / PAPER_FILE
    if not paper.is_file():
        problems.error(paper, 0, "paper.yaml not found", f"create {paper} (see content/README.md), or pass --content to the right folder")
        return None, problems
    raw = load_yaml_file(paper, problems)
    if raw is None:
        return None, problems
    meta = check_meta(raw, paper, problems)
    data_files: dict[str, Path] = {}
    failed: set[str] = set()
    data, used = _load_data(raw, root, templates, paper, problems, data_files, memo, failed) if isinstance(raw, dict) and isinstance(raw.get("data"), dict) else ({}, set())
    if meta is None:
        sections = raw.get("sections") if isinstance(raw, dict) else None
        if not isinstance(sections, list) or not all(isinstance(x, str) for x in sections):
            return None, problems
        # go on with what is there, so that one run also reports the sections' problems
        meta = _meta(raw)

    meta = replace(meta, logos=_cover_logos(raw, root, paper, problems, used, context))
    plain = facts(raw)
    people_file = problems.rel(data_files[PEOPLE]) if PEOPLE in data_files else ""
    own_kind = (templates / SCHEMA_FOLDER / f"{PEOPLE}.schema.json").is_file()  # the templates' own 'people' data: not the people file
    # a people file with a mistake (reported on its line): the ids it would have held are not reported again
    people = People(None if own_kind else data.get(PEOPLE), people_file, escape_markdown, broken=PEOPLE in failed and not own_kind)
    check_references(people, data, data_files, problems)
    calls = TemplateCalls(templates, {"data": data, "meta": meta_view(meta, root), "paper": _escaped(plain), "problem": problem,
                                      "person": lambda ref: person_view(people.person(ref))}, problems,
                          compiled=context.memory.expressions, macros=context.memory.macros)
    language = raw.get("language") if isinstance(raw.get("language"), str) else ""
    marks = typography.marks(language) if typography is not None else None
    md = parser(tuple(marks)) if marks else None  # one parser for the paper, with its language's quote marks
    meta = expand_meta(meta, raw, calls, paper, problems, plain, people, quote=lambda text: smart_plain(text, md))
    calls.give("meta", meta_view(meta, root))
    # data files with problems (reported on their own lines): calls that
    # read them are rendered quietly, one root cause gives one message
    broken = {str(name) for name in (raw.get("data") or {})} if isinstance(raw.get("data"), dict) and problems.errors else set()

    def resolve_image(relative: str, src: m.Source) -> Path | None:
        path = confine(root, relative, problems, src.file, src.line, "image")
        if path is not None:
            check_image(path, relative, problems, src.file, src.line, root, context)
            used.add(path)
            references = svg_references(context, path)
            used.update(references)
            if memo is not None:
                memo.looked_at(path, *references)
        return path

    blocks: list[m.Block] = []
    seen: set[Path] = set()
    suggested: set[Path] = set()  # section files named by a 'did you mean'
    setting = None
    for index, rel in enumerate(raw["sections"]):
        line = raw["sections"].line(index)
        path = confine(root, rel, problems, paper, line, "section")
        if path is None:
            if isinstance(rel, str):
                suggested.add(real_path(root / rel))  # said at its line (a link that loops …), not again as a file not used
            continue
        if path in seen:
            problems.error(paper, line, f"'{rel}' is listed twice in sections", "list each section file once")
            continue
        seen.add(path)
        if not path.is_file() and " - " in rel:
            # '  - a.md' then '   - b.md' (one space more): YAML joins the lines into one item, 'a.md - b.md'
            problems.error(paper, line, f"'{rel}' is read as one file name: the '- ' line under '{rel.split(' - ')[0]}' "
                                        "is indented more than it, so the two lines were joined",
                           "start every '- ' line of the list in the same column")
            suggested.update(real_path(root / part.strip()) for part in rel.split(" - ") if part.strip())
            continue
        if not path.is_file():
            close = _nearest_section(root, rel, raw["sections"])
            if close:
                suggested.add(real_path(root / close))
            problems.error(paper, line, f"section file '{rel}' not found",
                           f"did you mean '{close}'?" if close else "check the name under 'sections:' or create the file")
            continue
        text = read_text(path, problems)
        if text is None or len(text) > MAX_TEXT:  # reported (here, or by the Markdown reader below)
            problems.unread(path)
        if text is None:
            continue

        def read_section(path=path, text=text, rel=rel) -> list:
            reader = MarkdownReader(
                path,
                problems,
                md=md,
                expand=lambda call, src, _p=path: _expand(calls, broken, call, src, _p),
                resolve_path=lambda rel_path, src, _p=path: _resolve_for(resolve_image, rel_path, src, _p),
            )
            before = len(problems.errors)
            read = reader.read(text)
            if len(text) <= MAX_TEXT:  # a text refused for its size is not read further
                literal_names(people, text, path, problems, people_file)
            if not read and len(problems.errors) == before:  # else the errors say why
                problems.warning(path, 1, "this section file prints nothing (it is empty, or holds only comments)",
                                 f"write its text, or take '{rel}' out of 'sections:' in paper.yaml")
            return read

        if memo is None:
            blocks.extend(read_section())
        else:
            if setting is None:  # what every section's reading depends on, besides its text
                setting = memo.setting([paper, *used], [templates], sorted(broken), people_file, str(problems.base), str(root))
            blocks.extend(memo.section(path, text, setting, problems, used, read_section))
    if memo is not None:
        memo.keep_only(seen)

    for md in sorted(root.rglob("*.md")):
        if md.name not in IGNORED_FILES and real_path(md) not in seen and real_path(md) not in suggested:  # one mistake, one message
            problems.error(md, 1, "this content file is not used", f"add '{md.relative_to(root)}' under 'sections:' in paper.yaml, or delete it")
    unread = any(call.every for call in problems.failed_calls)  # a section not read may use any figure: no second message
    for folder in ("figures", "images") if not unread else ():
        for img in sorted((root / folder).glob("*")) if (root / folder).is_dir() else ():
            if img.is_file() and real_path(img) not in used and not img.name.startswith("."):
                problems.warning(img, 0, "this figure file is not used", "refer to it from a section, or delete it")

    _count(blocks, problems)
    if not any(isinstance(b, m.Heading) for b in blocks) and not problems.errors:
        problems.error(paper, raw.line("sections"), "the paper has no headings", "start each section file with a '# Heading'")
    return m.Document(meta, tuple(blocks), root), problems


def _cover_logos(raw, root: Path, paper: Path, problems: Problems, used: set[Path], context: Context) -> tuple[m.Logo, ...]:
    """The paper's own cover logos (cover: logos:, shape checked by the
    schema): SVG or PNG files inside the content folder, each with alt text."""
    from ..theme import length

    cover = raw.get("cover") if isinstance(raw, dict) else None
    entries = cover.get("logos") if isinstance(cover, dict) else None
    logos = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, LineDict) or not isinstance(entry.get("file"), str) or not isinstance(entry.get("alt"), str):
            continue  # reported by paper.yaml's schema
        line = entry.line("file")
        path = confine(root, entry["file"], problems, paper, line, "logo")
        if path is None:
            continue
        used.add(path)
        if path.suffix.lower() not in (".svg", ".png"):
            problems.error(paper, line, f"the logo '{entry['file']}' is not an SVG or PNG file", "export the logo as .svg or .png")
        elif check_image(path, entry["file"], problems, paper, line, root, context):
            try:
                logos.append(m.Logo(path, entry["alt"], length(entry.get("width", 0)), length(entry.get("height", 0))))
            except ValueError:
                pass  # reported by paper.yaml's schema
    return tuple(logos)


def _escaped(plain: dict[str, str]) -> dict[str, str]:
    """The facts as they are printed in Markdown text: literally (a '*' in a title is a star)."""
    return Facts({k: escape_markdown(v) for k, v in plain.items()})


MAX_HEADINGS = 1_000  # headings of the whole paper (each is a line of the contents, a bookmark, a tagged element)
MAX_BOXES = 2_000     # sidebars and figures of the whole paper


def _count(blocks, problems: Problems) -> None:
    """The limits on the paper as a whole, reported at the first block past them."""
    counts = {"headings": 0, "boxes": 0}
    for block in walk(blocks):
        kind = "headings" if isinstance(block, m.Heading) else "boxes" if isinstance(block, (m.Sidebar, m.Figure)) else None
        if kind is None:
            continue
        counts[kind] += 1
        limit = MAX_HEADINGS if kind == "headings" else MAX_BOXES
        if counts[kind] == limit + 1:
            what = "headings" if kind == "headings" else "sidebars and figures"
            problems.error(block.source.file and problems.path(block.source.file), block.source.line,
                           f"the paper has more than {limit:,} {what}; this is one too many",
                           "split the paper into several papers")


def _expand(calls: TemplateCalls, broken: set[str], call: str, src: m.Source, file: Path) -> str | None:
    """A template call; one that reads a data file with problems (reported on
    the data file's lines) is still rendered, so that what follows from it
    (a table's id, its cross-references) is there, but its own failure is
    not reported again: one root cause, one message. A call that makes
    nothing is recorded with the ids it may have made (see ``_call_ids``),
    so that a cross-reference to them is not reported as a second error."""
    names = _data_names(call)
    quiet = bool(broken & names)
    text = calls.expand(call, src, file, quiet=quiet)
    if text is None:
        calls.problems.call_failed(file, src.line, _call_ids(call, names, calls.env.globals.get("data") or {}))
    return text


_DATA_NAME = re.compile(r"\bdata\s*(?:\.\s*(\w+)|\[\s*['\"]([^'\"]+)['\"])")


def _data_names(call: str) -> set[str]:
    """The data files a call names: data.NAME, data["NAME"]."""
    return {a or b for a, b in _DATA_NAME.findall(call)}


def _call_ids(call: str, names: set[str], data: dict) -> set[str]:
    """What a failed call may have made an id of: the text it quotes, and
    every text in the data it names (all data when it names none: a macro
    may read data by itself)."""
    found = set(re.findall(r"['\"]([^'\"]*)['\"]", call))
    stack = [data[name] for name in names if name in data] if names else list(data.values())
    seen: set[int] = set()  # YAML aliases may share (or nest) a value: each is walked once
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (dict, list, tuple)) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
    return found


def _nearest_section(root: Path, typed: str, listed: list) -> str:
    """The Markdown file of the content folder, not listed yet, that a section
    name not found was meant for: one of the same name in another folder
    ('03-results.md' for sections/03-results.md), or one spelt nearly so; ""."""
    taken = {real_path(root / name) for name in listed if isinstance(name, str)}
    files = sorted(md.relative_to(root).as_posix() for md in root.rglob("*.md")
                   if md.name not in IGNORED_FILES and real_path(md) not in taken)
    same = [f for f in files if Path(f).name == Path(typed).name]
    return same[0] if len(same) == 1 else nearest(typed, files)


def _resolve_for(resolve, relative: str, src: m.Source, file: Path):
    return resolve(relative, m.Source(str(file), src.line))
