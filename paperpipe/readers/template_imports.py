"""Macro files that import or include themselves, directly or in a circle
(``a.md.j2`` imports ``b.md.j2``, which imports ``a.md.j2``): found before
the files are run, from the names their ``{% import %}``, ``{% from … import
%}`` and ``{% include %}`` give, and reported at the line of the import.
Run, such a file loads itself again and again until Python's recursion limit
stops it, which read as 'the template nests too deep'. A name made while the
template runs (a variable) is not followed here: the limit on macros calling
macros still stops it."""
from __future__ import annotations

import jinja2
from jinja2 import nodes

_IMPORTS = (nodes.Import, nodes.FromImport, nodes.Include)


def _references(env: jinja2.Environment, name: str) -> list[tuple[str, int, str]]:
    """The files ``name`` imports or includes by a written name, each with
    the line of its import and the verb ("imports", "includes"); none when the file cannot be read or parsed (the
    loader and the parser report that where the file is loaded)."""
    try:
        source, filename, _ = env.loader.get_source(env, name)
        if "import" not in source and "include" not in source:
            return []
        tree = env.parse(source, name, filename)
    except jinja2.TemplateError:
        return []
    out = []
    for node in tree.find_all(_IMPORTS):
        targets = node.template.items if isinstance(node.template, (nodes.List, nodes.Tuple)) else [node.template]
        verb = "includes" if isinstance(node, nodes.Include) else "imports"
        out += [(t.value, node.lineno, verb) for t in targets if isinstance(t, nodes.Const) and isinstance(t.value, str)]
    return out


Step = tuple[str, int, str, str]  # a file, the line of an import in it, "imports"/"includes", the file it loads


def import_circle(env: jinja2.Environment, start: str) -> list[Step] | None:
    """The first circle of imports the macro file ``start`` runs into (it
    may be among the files it imports), as the steps around it, or None.
    Each file is read once: the work is bounded by the number of macro files."""
    done: set[str] = set()
    stack = [(start, iter(_references(env, start)))]  # the files from start to the one being read
    path: list[Step] = []  # path[k]: the import from stack[k] to stack[k + 1]
    while stack:
        name, refs = stack[-1]
        for target, line, verb in refs:
            step = (name, line, verb, target)
            on_path = [file for file, _ in stack]
            if target in on_path:
                return [*path[on_path.index(target):], step]
            if target not in done:
                path.append(step)
                stack.append((target, iter(_references(env, target))))
                break
        else:
            done.add(name)
            stack.pop()
            if path:
                path.pop()
    return None


def describe(circle: list[tuple[str, int, str, str]]) -> str:
    """'… imports itself' or '… imports 'b.md.j2', which imports 'a.md.j2' (b.md.j2:5) …'."""
    first, _, verb, target = circle[0]
    if len(circle) == 1:
        return f"the macro file '{first}' {verb} itself"
    rest = ", ".join(f"which {v} '{t}' ({f}:{line})" for f, line, v, t in circle[1:])
    return f"the macro file '{first}' {verb} '{target}', {rest}: they load each other in a circle"
