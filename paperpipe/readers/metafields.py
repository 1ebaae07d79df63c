"""paper.yaml's printed fields (subject, output, header, cover) in their
final form: ``{{ paper.* }}`` filled in, ``[@id]`` written as the person's
name, and then checked as the build will use them (the output name in
bytes, as the file system counts it).

These fields are plain text, not Markdown: what a template writes into them
must be text, not a list or another ``{{ … }}`` (which would reach the PDF's
subject and the page's description as typed)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..errors import Problems
from ..people import People
from .markdown.syntax import PERSON as REFERENCE
from .yamlfile import LineDict, LineList

MAX_OUTPUT_BYTES = 200  # an output file's name without its extension, in UTF-8 bytes (the file system's 255, less the
                        # extension and the temporary names written beside it while the files are put in place)
MAX_PROPERTY = 255      # characters the PDF and DOCX file properties hold (subject, title …)


def check_output_name(name: str, paper: Path, line: int, problems: Problems) -> bool:
    """The name of the files written into output/: never a path out of it,
    and short enough for the file system, counted in bytes."""
    if name != name.strip() or name.strip(".") == "" or any(ch in name for ch in '/\\:*?"<>|') or any(ord(ch) < 32 for ch in name):
        problems.error(paper, line, f"'output: {name}' is not a plain file name",
                       "write a name without folders or the characters / \\ : * ? \" < > |, e.g. 'output: T1.01-output-paper'")
        return False
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > MAX_OUTPUT_BYTES:
        problems.error(paper, line, f"the output name is {size} bytes long once written as a file name (UTF-8), "
                                    f"more than the {MAX_OUTPUT_BYTES} a file name may have here",
                       "shorten it (an accented letter counts two bytes, many other characters three)")
        return False
    return True


def expand_meta(meta: m.Meta, raw, calls, paper: Path, problems: Problems, plain: dict, people: People,
                quote=lambda text: text) -> m.Meta:
    """subject, output, header and cover with their {{ paper.* }} filled in
    and their [@id] written as names (plain text: these are not Markdown),
    each checked in its final form; the printed ones (all but the output
    name) with their quotes set by ``quote`` (the language's marks)."""

    def quoted(value):
        if isinstance(value, str):
            return quote(value)
        if isinstance(value, dict):
            return {k: quoted(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [quoted(v) for v in value]
        return value

    source = lambda at: m.Source(problems.rel(paper), at)  # noqa: E731

    def expand(value, line: int):
        if isinstance(value, str):
            text = value
            if "{{" in value or "{%" in value:
                text = calls.expand(value, source(line), paper, {"paper": plain})
                if text is None:
                    return value  # reported
                if "{{" in text or "{%" in text:
                    problems.error(paper, line, "the text still holds {{ … }} once its {{ … }} are filled in",
                                   "a fact or a template must give text here, not another {{ … }}")
                    return value
            return _names(text, line)
        if isinstance(value, LineDict):
            return {k: expand(v, value.line(k)) for k, v in value.items()}
        if isinstance(value, LineList):
            return [expand(v, value.line(i)) for i, v in enumerate(value)]
        return value

    def _names(text: str, line: int) -> str:
        """[@id] as the person's name, as the text prints it; an unknown id is an error at the line."""
        def name(match) -> str:
            found = people.by_id.get(match.group(1))
            if found is None:
                error = people.unknown(match.group(1))
                if not people.broken:
                    problems.error(paper, line, error.message, error.advice)
                return match.group(0)
            return _unescape(found.name)
        return REFERENCE.sub(name, text) if "[@" in text else text

    line = raw.line
    subject = expand(meta.subject, line("subject"))
    if subject != meta.subject and len(subject) > MAX_PROPERTY:  # the limit of the files' properties, also once filled in
        problems.error(paper, line("subject"), f"'subject' is {len(subject)} characters long once its {{{{ … }}}} are filled in, "
                                               f"more than the {MAX_PROPERTY} the file properties hold", "shorten it")
    output = expand(meta.output_name, line("output"))
    if output != meta.output_name and not check_output_name(output, paper, line("output"), problems):
        output = meta.output_name
    header = tuple(expand(raw["header"], line("header"))) if isinstance(raw.get("header"), LineList) else meta.header
    cover = expand(raw["cover"], line("cover")) if isinstance(raw.get("cover"), LineDict) else meta.cover
    return replace(meta, title=quote(meta.title), subject=quote(subject), output_name=output,
                   header=tuple(quote(x) for x in header if isinstance(x, str)), cover=quoted(cover),
                   sources=_printed_lines(raw, source))


def _unescape(text: str) -> str:
    """A person's name as the people file has it (templates get it Markdown-escaped)."""
    import re

    return re.sub(r"\\(.)", r"\1", text)


def _printed_lines(raw, source) -> dict[str, m.Source]:
    """The line of each text of paper.yaml that the cover or the running
    header prints (Meta.sources), so that one that does not fit the page is
    reported at its line."""
    out = {"title": source(raw.line("title"))} if "title" in raw else {}
    if "language" in raw:  # a language the theme cannot hyphenate is reported here
        out["language"] = source(raw.line("language"))
    header = raw.get("header")
    if isinstance(header, LineList):
        lines = [header.line(i) for i, x in enumerate(header) if isinstance(x, str)]
        out.update({f"header.{i}": source(at) for i, at in enumerate(lines)})
    cover = raw.get("cover")
    if isinstance(cover, LineDict):
        out.update({f"cover.{key}": source(cover.line(key)) for key in ("title", "kind", "footer") if key in cover})
        if isinstance(cover.get("lines"), LineList):
            out.update({f"cover.lines.{i}": source(cover["lines"].line(i)) for i in range(len(cover["lines"]))})
        if isinstance(cover.get("logos"), LineList):  # the paper's own logos, after the house style's
            out.update({f"cover.logos.{i}": source(cover["logos"].line(i)) for i in range(len(cover["logos"]))})
    return out
