"""The code's layout, checked on the source: small modules, no import
cycle, writers that never import each other, reportlab only where it draws,
nothing of one paper's content in the code; and a writer added by one
registry line."""
from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path


from conftest import MINI, ROOT

PACKAGE = ROOT / "paperpipe"
MAX_LINES = 500  # issue 16: "No module is over 500 lines"
# Names of the first paper's content, which no code may know of.
CONTENT_NAMES = ("recommendations", "agenda", "D4.04b06", "emblem", "European Union", "ECCP")
# Where a word is not this paper's content: the starter paper of `paperpipe new` has an agenda of its own.
ALLOWED = {("paperpipe/cli.py", "agenda"), ("paperpipe/new.py", "agenda")}


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def modules() -> dict[str, Path]:
    return dict(MODULES)


def imports(name: str, path: Path) -> set[str]:
    """The modules ``name`` imports (absolute names; relative ones resolved), anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            submodules = {f"{prefix}.{alias.name}" for alias in node.names} & KNOWN_MODULES
            if node.module is None and submodules:
                found |= submodules  # "from . import blocks": the sibling modules, not the package's __init__
            else:
                found.add(prefix)
                found |= submodules
    return found


MODULES = _modules()
KNOWN_MODULES = set(MODULES)


def internal_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: {i for i in imports(name, path) if i in mods and i != name} for name, path in mods.items()}


def writer_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["paperpipe", "writers"] else None


def long_modules() -> dict[str, int]:
    return {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}


def test_no_module_is_over_500_lines():
    assert long_modules() == {}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles of a module graph (depth-first, one per back edge)."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_import_cycle():
    assert find_cycles(internal_graph()) == []


def test_the_cycle_check_can_fail(tmp_path):
    """The checker is not blind: relative imports resolve, and a ring is found."""
    (tmp_path / "a.py").write_text("from . import model\nfrom .theme import Theme\n")
    assert {"paperpipe.model", "paperpipe.theme"} <= imports("paperpipe.a", tmp_path / "a.py")
    assert find_cycles({"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a"}}) == [["x.a", "x.b", "x.c", "x.a"]]


def test_no_writer_imports_another():
    crossing = {name: sorted(i for i in deps if writer_of(i) and writer_of(i) != writer_of(name))
                for name, deps in internal_graph().items() if writer_of(name)}
    assert {k: v for k, v in crossing.items() if v} == {}


def test_reportlab_only_in_the_pdf_writer_and_figures():
    allowed = ("paperpipe.writers.pdf", "paperpipe.figures")
    users = sorted(name for name, path in modules().items()
                   if any(i == "reportlab" or i.startswith("reportlab.") or i.startswith("svglib") for i in imports(name, path))
                   and not name.startswith(allowed))
    assert users == []


def test_no_name_of_the_papers_content_in_the_code():
    found = []
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: {name}" for name in CONTENT_NAMES if name.lower() in text.lower() and (rel, name) not in ALLOWED]
    assert found == []


def test_a_new_writer_is_one_registry_line(tmp_path, monkeypatch):
    """A third writer (here: plain text) is a module with render() and one
    line in the registry; the build hands it the theme and the PDF's layout."""
    (tmp_path / "plain_writer.py").write_text(textwrap.dedent('''
        from paperpipe.writers import Rendered

        def render(doc, theme, job):
            lines = [doc.meta.title, f"pages: {job.layout.page_count}", f"body font: {theme.fonts.family}"]
            lines += [f"{e.number} {e.title} ... {job.layout.pages[e.id]}" for e in doc.contents]
            return Rendered("\\n".join(lines).encode())
    '''), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from paperpipe import pipeline as build_module
    from paperpipe.writers import WRITERS

    monkeypatch.setitem(WRITERS, "txt", "plain_writer")
    out = tmp_path / "out"
    report = build_module.build(MINI, ROOT / "templates", out, ("txt",))
    text = next(out.glob("*.txt")).read_text(encoding="utf-8")
    assert text.startswith("Maritime Clusters and the Blue Economy\npages: 3\nbody font: Carlito")
    assert "1 Introduction ... 2" in text and report.pages == 3
    assert not list(out.glob("*.pdf"))  # the layout writer ran, but only what was asked is written
    sys.modules.pop("plain_writer", None)
