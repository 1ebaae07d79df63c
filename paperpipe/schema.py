"""YAML checked against a declared JSON Schema, reported in editors' words.

Every YAML file the build reads has a schema: ``paper.yaml`` (in
``paperpipe/schemas/``), ``templates/style.yaml`` and each data file (in the
templates folder, ``templates/schemas/<kind>.schema.json``: the templates that
read a kind of data declare its shape). The validator is ``jsonschema``; this
module only turns its findings into ``file:line: what — what to do`` lines:

- an unknown key, with "did you mean 'x'?" when a known key is close;
- a value of the wrong kind ("must be a list, not text");
- a required key that is missing;
- a value outside the allowed ones, too short, too long, not matching a
  pattern.

Lines come from the ``LineDict``/``LineList`` values that ``readers.yamlfile``
builds. A schema may add, on any of its subschemas, ``"x-advice"``: the "what
to do" shown for a problem there (else a generic one is written), and
``"x-what"``: how the value is called in messages (else its key).
"""
from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path

import jsonschema
from jsonschema.exceptions import ValidationError

from .errors import Problems

SCHEMAS = Path(__file__).resolve().parent / "schemas"

_KIND = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "yes/no (true or false)",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "null": "empty",
}


def kind_of(value) -> str:
    """What an editor wrote, in words: 'text', 'a list', 'a number' …"""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value of another kind"


class SchemaFileError(Exception):
    """A schema file that cannot be used (not JSON, not a valid schema)."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


@lru_cache(maxsize=32)
def _load(path: str, mtime: float, own: bool = False):
    text = Path(path).read_text(encoding="utf-8")
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaFileError(Path(path), exc.lineno, f"the schema is not valid JSON ({exc.msg})") from None
    try:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        if not own:  # paperpipe's own schemas are checked against the meta-schema by a test (tests/test_schema.py), not on every run
            cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise SchemaFileError(Path(path), 0, f"the schema is not a valid JSON Schema ({exc.message})") from None
    return cls(schema)


def load_schema(path: Path):
    """A validator for the JSON Schema file at ``path`` (kept while the file is unchanged)."""
    path = Path(path)
    return _load(str(path.resolve()), path.stat().st_mtime)


def builtin(name: str):
    """A validator for one of paperpipe's own schemas (``paperpipe/schemas/<name>.schema.json``)."""
    path = SCHEMAS / f"{name}.schema.json"
    return _load(str(path), path.stat().st_mtime, True)


def validate(data, validator, file, problems: Problems, line_offset: int = 0) -> bool:
    """Record one problem per schema violation in ``data`` (read from ``file``;
    lines shifted by ``line_offset`` for YAML inside Markdown). True when valid."""
    if not isinstance(validator, jsonschema.protocols.Validator):
        validator = jsonschema.Draft202012Validator(validator)
    found = []
    for error in validator.iter_errors(data):
        found.extend(_explain(error, data, validator.schema))
    seen = set()
    for line, message, advice in sorted(found, key=lambda f: f[0]):
        if (line, message) in seen:
            continue
        seen.add((line, message))
        problems.error(file, line + line_offset if line else line_offset, message, advice)
    return not found


# ----------------------------------------------------------------------------- explanations
def _line(data, path) -> int:
    """The line of the value at ``path`` (its key's line, or its item's line)."""
    node, line = data, getattr(data, "start_line", 0)
    for step in path:
        try:
            at = node.line(step) if hasattr(node, "line") else line
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = at or line
    return line or 1


def _name(path, schema) -> str:
    """How the value at ``path`` is called: 'cover: kind', 'item 2 of header' …"""
    if schema.get("x-what"):
        return schema["x-what"]
    keys = [p for p in path]
    if not keys:
        return "the file"
    last = keys[-1]
    if isinstance(last, int):
        parent = next((k for k in reversed(keys[:-1]) if isinstance(k, str)), None)
        return f"item {last + 1} of '{parent}'" if parent else f"item {last + 1}"
    return f"'{last}'"


def _types(schema) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _wanted(schema) -> str:
    names = [_KIND.get(t, t) for t in _types(schema)]
    if "array" in _types(schema) and isinstance(schema.get("items"), dict):
        item = _types(schema["items"])
        if item == ["string"]:
            names[_types(schema).index("array")] = "a list of text lines"
    return " or ".join(names)


def _advice(schema, default: str) -> str:
    return schema.get("x-advice") or default


def _known_keys(schema) -> list[str]:
    return sorted(k for k in (schema.get("properties") or {}))


# steps into the schema of a value inside this one; a list's advice still
# fits its items, a mapping's does not fit its keys' values
_CHILD_STEPS = {"properties", "additionalProperties", "patternProperties"}


def _hints(root, schema_path) -> dict:
    """``x-advice``/``x-what`` that apply where an error was found: the
    deepest ones on the way through the schema to it, ``$ref`` followed
    (so a property that refers to a shared definition keeps its own advice)."""
    found: dict = {}
    node = root
    steps = list(schema_path)

    def note(here) -> None:
        if isinstance(here, dict):
            found.update({k: here[k] for k in ("x-advice", "x-what") if k in here})

    for index, step in enumerate(steps):
        note(node)
        while isinstance(node, dict) and step not in node and str(node.get("$ref", "")).startswith("#/"):
            target = root
            for part in node["$ref"][2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
            note(node)
        if step in _CHILD_STEPS and (index == 0 or steps[index - 1] not in _CHILD_STEPS | {"properties"}):
            found = {}  # from here on the schema is about a value inside this one
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return found
    note(node)
    return found


def _explain(error: ValidationError, data, root) -> list[tuple[int, str, str]]:
    path = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    schema = {**schema, **_hints(root, list(error.absolute_schema_path)[:-1]), **{k: v for k, v in schema.items() if k.startswith('x-')}}
    line = _line(data, path)
    keyword = error.validator
    if keyword in ("anyOf", "oneOf") and error.context:
        # several shapes are allowed (text, or a mapping …): when the value is
        # of the kind of one of them, explain that shape's problems; else
        # name the kinds that are allowed
        branches: dict[int, list[ValidationError]] = {}
        for inner in error.context:
            branches.setdefault(inner.relative_schema_path[0], []).append(inner)
        fitting = [errs for errs in branches.values()
                   if not any(e.validator == "type" and not e.relative_path for e in errs)]
        if fitting:
            errs = min(fitting, key=len)
            return [found for e in errs for found in _explain(e, data, root)]
        kinds: list[str] = []
        for sub in schema.get(keyword, []):
            kinds.extend(_KIND.get(t, t) for t in _types(sub) if _KIND.get(t, t) not in kinds)
        return [(line, f"{_name(path, schema)} must be {' or '.join(kinds)}, not {kind_of(error.instance)}",
                 _advice(schema, "see the example in content/README.md"))]
    if keyword == "additionalProperties":
        known = _known_keys(schema)
        out = []
        instance = error.instance if isinstance(error.instance, dict) else {}
        extras = [k for k in instance if k not in (schema.get("properties") or {})]
        for key in extras:
            at = instance.line(key) if hasattr(instance, "line") else line
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
            where = f" in {_name(path, schema)}" if path else ""
            if close:
                advice = f"did you mean '{close[0]}'?"
            elif instance.get(key) is None and " " in str(key).strip():
                # "{name: X, organisation: European Commission, DG GROW}": the comma made 'DG GROW' a key
                advice = "a comma inside { … } starts a new key: put text that holds a comma in quotes, e.g. \"European Commission, DG GROW\""
            elif known:
                advice = f"the keys allowed here are: {', '.join(known)}"
            else:
                advice = "remove it"
            out.append((at, f"unknown key '{key}'{where}", advice))
        return out
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        sub = (schema.get("properties") or {}).get(missing, {})
        example = sub.get("examples", [None])[0] if isinstance(sub, dict) else None
        instance = error.instance if isinstance(error.instance, dict) else {}
        extras = [str(k) for k in instance if k not in (schema.get("properties") or {})]
        close = difflib.get_close_matches(missing, extras, n=1, cutoff=0.75)
        if close and schema.get("additionalProperties") is False:
            return []  # one root cause, one message: the misspelt key is reported with "did you mean"
        where = f" in {_name(path, schema)}" if path else ""
        advice = f"add a line '{missing}: {example}'" if example is not None else _advice(sub if isinstance(sub, dict) else {}, f"add a line '{missing}: …'")
        return [(line, f"the required key '{missing}' is missing{where}", advice)]
    if keyword == "type":
        advice = _advice(schema, "see the example at the top of the file or in content/README.md")
        if "string" in _types(schema) and isinstance(error.instance, (bool, int, float)):
            # 'country: NO' is read as no, 'version: 1.10' as 1.1: the editor typed text
            read = ("YAML reads a bare yes, no, on, off, true or false as yes/no: put the word in quotes to keep it as text (\"NO\")"
                    if isinstance(error.instance, bool) else
                    "YAML reads a bare number as a number (1.10 as 1.1): put it in quotes to keep it as typed (\"1.10\")")
            advice = f"{read}; {advice}"
        return [(line, f"{_name(path, schema)} must be {_wanted(schema)}, not {kind_of(error.instance)}", advice)]
    if keyword == "enum":
        choices = ", ".join(str(c) for c in schema.get("enum", []))
        close = difflib.get_close_matches(str(error.instance), [str(c) for c in schema.get("enum", [])], n=1, cutoff=0.75)
        return [(line, f"{_name(path, schema)} is '{error.instance}', which is not one of: {choices}",
                 f"did you mean '{close[0]}'?" if close else _advice(schema, f"write one of: {choices}"))]
    if keyword == "const":
        return [(line, f"{_name(path, schema)} must be '{schema.get('const')}'", _advice(schema, f"write {schema.get('const')}"))]
    if keyword in ("minItems", "maxItems"):
        bound = schema.get(keyword)
        what = "at least" if keyword == "minItems" else "at most"
        return [(line, f"{_name(path, schema)} must have {what} {bound} item{'s' if bound != 1 else ''}",
                 _advice(schema, "add the missing items" if keyword == "minItems" else "remove some items"))]
    if keyword in ("minLength", "maxLength"):
        bound = schema.get(keyword)
        if keyword == "minLength" and bound == 1:
            return [(line, f"{_name(path, schema)} is empty", _advice(schema, "write the text, or remove the line"))]
        what = "at least" if keyword == "minLength" else "at most"
        return [(line, f"{_name(path, schema)} must be {what} {bound} characters long (it has {len(error.instance)})",
                 _advice(schema, "shorten it" if keyword == "maxLength" else "complete it"))]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = schema.get(keyword)
        word = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}[keyword]
        return [(line, f"{_name(path, schema)} is {error.instance}, it must be {word} {bound}", _advice(schema, f"give a number {word} {bound}"))]
    if keyword == "pattern" and schema.get("pattern") == "\\S":  # text that must print something
        if not error.instance:
            return []  # said by minLength: 'is empty'
        return [(line, f"{_name(path, schema)} holds only spaces, so nothing would be printed", _advice(schema, "write the text, or remove the line"))]
    if keyword == "pattern":
        return [(line, f"{_name(path, schema)} '{error.instance}' is not written as expected",
                 _advice(schema, "see the example at the top of the file or in content/README.md"))]
    if keyword == "propertyNames":
        return [(line, f"a key in {_name(path, schema)} is not plain text", _advice(schema, "write keys as words"))]
    if keyword == "uniqueItems":
        return [(line, f"{_name(path, schema)} lists the same item twice", _advice(schema, "list each item once"))]
    return [(line, f"{_name(path, schema)} is not valid here", _advice(schema, "see content/README.md"))]
