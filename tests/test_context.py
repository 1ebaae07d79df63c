"""The build context (paperpipe/context.py): files read through it stay in
the paper's folders, what a process keeps between builds is bounded, and
no module keeps a build's state in a global of its own."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from conftest import MINI, ROOT
from paperpipe.context import Bounded, Context, Memory, OutsideFolders
from paperpipe.pipeline import build

PACKAGE = ROOT / "paperpipe"


@pytest.fixture
def paper(tmp_path) -> Path:
    dest = tmp_path / "paper"
    shutil.copytree(MINI, dest)
    return dest


def test_reads_stay_inside_the_content_and_templates_folders(paper, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not the paper's", encoding="utf-8")
    (paper / "figures" / "out.svg").symlink_to(secret)                 # a link leading out
    (paper / "figures" / "in.svg").symlink_to(paper / "figures" / "map.svg")  # a link staying in
    context = Context(paper, ROOT / "templates")
    assert context.read_bytes(paper / "figures" / "map.svg") == (paper / "figures" / "map.svg").read_bytes()
    assert context.read_bytes(paper / "figures" / "in.svg") == (paper / "figures" / "map.svg").read_bytes()
    assert context.read_bytes(ROOT / "templates" / "style.yaml")  # the templates folder is the paper's too
    for outside in (paper / "figures" / "out.svg", paper / ".." / "secret.txt", secret, Path("/etc/hostname")):
        with pytest.raises(OutsideFolders):
            context.read_bytes(outside)


def test_a_figure_linked_out_of_the_paper_is_refused_with_its_line(paper, tmp_path, capsys):
    """A picture that is a link to a file outside the paper's folders is
    refused at the line that uses it, not read."""
    from paperpipe import cli

    elsewhere = tmp_path / "elsewhere.png"
    shutil.copy(next(ROOT.glob("tests/fixtures/**/*.png")), elsewhere)
    (paper / "figures" / "map.svg").unlink()
    (paper / "figures" / "map.svg").symlink_to(elsewhere)
    code = cli.main(["check", "--content", str(paper)], project=ROOT)
    err = capsys.readouterr().err
    assert code == 1
    assert "02-results.md:" in err and ("outside" in err), err


def test_a_font_linked_out_of_the_templates_folder_is_an_error_at_its_line(tmp_path, capsys):
    """The style may name only files inside the templates folder, links
    followed: the same rule as every read of the build, said at its line."""
    from conftest import copy_templates
    from paperpipe import cli

    templates = copy_templates(tmp_path / "templates")
    regular = templates / "fonts" / "Carlito-Regular.ttf"
    regular.unlink()
    regular.symlink_to(ROOT / "templates" / "fonts" / "Carlito-Regular.ttf")
    code = cli.main(["check", "--content", str(MINI), "--templates", str(templates)], project=ROOT)
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate((templates / "style.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if "Carlito-Regular.ttf" in text)
    assert code == 1 and "internal error" not in err
    assert f"style.yaml:{line}: the regular font 'fonts/Carlito-Regular.ttf' is a link to a file outside the templates folder" in err, err


def test_bounded_keeps_the_most_recently_used():
    kept = Bounded(3)
    for n in range(10):
        kept.put(n, str(n))
        kept.get(0)  # used again and again: stays
    assert len(kept) == 3 and 0 in kept and 9 in kept and 8 in kept and 5 not in kept


def test_a_process_memory_stays_bounded_over_many_edits(paper, tmp_path):
    """Each build after an edit of the figure makes new drawings and
    renderings; the Memory a watch keeps holds no more than its bounds."""
    memory = Memory()
    memory.drawings.limit = memory.rasters.limit = 3
    svg = paper / "figures" / "map.svg"
    text = svg.read_text(encoding="utf-8")
    for n in range(6):
        svg.write_text(text.replace("</svg>", f'<rect width="{n + 1}" height="1" fill="#fff"/></svg>'), encoding="utf-8")
        build(paper, ROOT / "templates", tmp_path / "out", ("pdf", "docx"), memory=memory)
    assert memory.sizes()["drawings"] == 3 and memory.sizes()["rasters"] == 3
    assert len(list((tmp_path / "out" / ".cache").iterdir())) == 7  # on disk: one per version, and the logo's


# ----------------------------------------------------------------------------- no module state
# A module-level container that the module's own code changes is state shared
# by every build of the process. These two mirror reportlab's own process-wide
# registries (fonts registered once, one tagging subclass per flowable class),
# bounded by the theme's four faces and by reportlab's classes.
ALLOWED = {("paperpipe/figures/fonts.py", "_registered"), ("paperpipe/writers/pdf/tags.py", "_marked_classes")}
MUTATORS = {"append", "add", "update", "setdefault", "pop", "popitem", "clear", "extend", "insert", "remove", "discard"}


def module_state(path: Path) -> set[str]:
    """Names bound at module level to a container that code in the module
    changes (item assignment, a mutating method, or a ``global`` rebinding)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    containers = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        is_container = isinstance(value, (ast.Dict, ast.List, ast.Set)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("dict", "list", "set", "OrderedDict"))
        containers |= {t.id for t in targets if isinstance(t, ast.Name) and is_container}
    changed, rebound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            rebound.update(node.names)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            for t in getattr(node, "targets", None) or [node.target]:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    changed.add(t.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS \
                and isinstance(node.func.value, ast.Name):
            changed.add(node.func.value.id)
    return (containers & changed) | rebound


def test_no_module_keeps_build_state_in_a_global():
    found = sorted((str(p.relative_to(ROOT)), name) for p in PACKAGE.rglob("*.py") for name in module_state(p))
    assert [f for f in found if f not in ALLOWED] == []


def test_the_state_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("_INPUTS = {}\n_FOLDER: list = []\n_dir = None\nTABLE = {'a': 1}\n"
                   "def record(k, v):\n    _INPUTS[k] = v\n"
                   "def target():\n    _FOLDER.append(1)\n"
                   "def use(f):\n    global _dir\n    _dir = f\n"
                   "def read():\n    return TABLE['a']\n", encoding="utf-8")
    assert module_state(bad) == {"_INPUTS", "_FOLDER", "_dir"}
