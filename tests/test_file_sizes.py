"""Issue 15: every kind of input file has a size limit, checked before any
parser sees it, with a message in the editors' words that names the file.

Was: a 70 MB data file took 18 s and 1.5 GB, and the message then blamed
aliases the file did not have."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from paperpipe import cli, filesize

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    shutil.copytree(MINI, tmp_path / "paper")
    (tmp_path / "paper" / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def errors(capsys, *args: str) -> tuple[int, list[str]]:
    code = cli.main(["check", "--content", "paper", "--templates", str(ROOT / "templates"), *args], project=ROOT)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, [line for line in err.splitlines() if " — " in line and not line.startswith("warning:")]


def _with_data(folder: Path, name: str, text: str) -> Path:
    path = folder / "paper" / "data" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with (folder / "paper" / "paper.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"data:\n  {name}: data/{name}.yaml\n")
    return path


def test_a_large_data_file_is_refused_before_it_is_parsed(capsys, folder, monkeypatch):
    _with_data(folder, "people", "".join(f"p{i}:\n  name: Person number {i} of a very long list\n" for i in range(40_000)))
    parsed, load = [], yaml.load
    monkeypatch.setattr(yaml, "load", lambda text, *a, **k: parsed.append(len(text)) or load(text, *a, **k))
    code, found = errors(capsys)
    assert code == 1 and max(parsed) < 100_000, found  # the style and paper.yaml were parsed, not the data
    [error] = found
    assert error.startswith("paper/data/people.yaml") and "larger than the 1 MB a YAML file may be" in error, error
    assert "alias" not in error and "split the data into several files" in error


def test_many_values_without_aliases_do_not_blame_aliases(capsys, folder):
    _with_data(folder, "people", "extra:\n" + "- 1\n" * 200_001)
    code, found = errors(capsys)
    [error] = found
    assert code == 1 and error.startswith("paper/data/people.yaml:1:"), found
    assert "holds more than 200,000 values" in error and "alias" not in error, error


def test_paper_yaml_and_a_section_past_their_limits(capsys, folder):
    paper = folder / "paper" / "paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8") + "# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    code, found = errors(capsys)
    assert code == 1 and len(found) == 1 and found[0].startswith("paper/paper.yaml") and "1 MB a YAML file" in found[0], found
    shutil.copy(MINI / "paper.yaml", paper)
    section = folder / "paper" / "sections" / "02-results.md"
    section.write_text("# Big\n\n" + "é" * 2_000_001 + "\n", encoding="utf-8")  # 4 MB in UTF-8
    code, found = errors(capsys)
    assert code == 1 and len(found) == 1 and found[0].startswith("paper/sections/02-results.md"), found  # no cross-reference into it reported
    assert "larger than the 4 MB a section file may be" in found[0] and "split it into several section files" in found[0]


@pytest.mark.parametrize("kind, name", [("svg", "figures/map.svg"), ("picture", "figures/big.png")])
def test_figures_past_their_limits(capsys, folder, monkeypatch, kind, name):
    # the mechanism with small limits (the real ones are 10 MB and 50 MB)
    limit, what, advice = filesize.LIMITS[kind]
    monkeypatch.setitem(filesize.LIMITS, kind, (2_000, what, advice))
    from PIL import Image

    Image.effect_noise((100, 100), 50).save(folder / "paper" / "figures" / "big.png")
    (folder / "paper" / "figures" / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' + "<!-- padding -->" * 200 + "</svg>", encoding="utf-8")
    if kind == "picture":
        section = folder / "paper" / "sections" / "02-results.md"
        section.write_text(section.read_text(encoding="utf-8") + '\n![Noise](figures/big.png){#fig-noise alt="Grey noise"}\n', encoding="utf-8")
    code, found = errors(capsys)
    found = [e for e in found if e.startswith("paper/")]  # (the house style's own logo is past so small a limit too)
    assert code == 1 and len(found) == 1, found
    assert f"the image '{name}' is too large: the file is larger than the 0.002 MB {what} may be" in found[0], found
    assert found[0].startswith("paper/sections/02-results.md:")


def test_a_template_file_past_its_limit(capsys, folder, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates, symlinks=True)
    (templates / "big.md.j2").write_text("{# " + "x" * 1_000_000 + " #}", encoding="utf-8")
    code = cli.main(["check", "--content", "paper", "--templates", "templates"], project=ROOT)
    err = capsys.readouterr().err
    assert code == 1 and "templates/big.md.j2: the file is larger than the 1 MB a template file may be" in err, err



def test_a_pipe_is_refused_without_being_opened(capsys, folder, monkeypatch):
    """Opening a named pipe waits until something writes to it: a macro file
    that was one made check wait for ever; a data file or a section is one
    that is 'not found'."""
    import os

    templates = folder / "templates"
    shutil.copytree(ROOT / "templates", templates)
    os.mkfifo(templates / "pipe.md.j2")
    os.mkfifo(folder / "pipe.yaml")
    opened, open_file = [], Path.open

    def open_no_pipe(self, *args, **kwargs):  # a pipe opened is recorded, not waited on
        if self.is_fifo():
            opened.append(self.name)
            raise OSError("opened a pipe")
        return open_file(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_no_pipe)
    with pytest.raises(OSError, match="not a file but a pipe"):
        filesize.read_bytes(folder / "pipe.yaml", "yaml")
    code = cli.main(["check", "--content", "paper", "--templates", str(templates)], project=ROOT)
    err = capsys.readouterr().err
    assert code == 1 and "pipe.md.j2: the macro file cannot be read: it is not a file of the templates folder" in err, err
    assert "pipe.yaml" not in opened and "pipe.md.j2" not in opened, opened
