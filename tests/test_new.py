"""``paperpipe new`` and the command line: a starter paper that builds with 0
warnings at once, the options filling in its facts, the editors' guide the
same as content/README.md, subcommands and exit codes, and (one slow test)
the ``paperpipe`` command after ``pip install``."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from paperpipe.pipeline import build
from paperpipe.cli import main

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "paperpipe" / "starter"


def _new(dest: Path, *options: str) -> int:
    return main(["new", str(dest), *options], project=ROOT)


def test_new_then_build_has_no_warnings_and_prints_the_facts_given(tmp_path, capsys):
    dest = tmp_path / "next-paper"
    assert _new(dest, "--title", "Clusters & Skills: “Tomorrow”", "--date", "2025-06-12", "--deliverable", "D4.05",
                "--place", "Vienna, Austria", "--when", "12/13 June 2025", "--author", "Example Network") == 0
    said = capsys.readouterr().out
    assert "created a new paper" in said and "paperpipe build" in said
    paper = yaml.safe_load((dest / "paper.yaml").read_text(encoding="utf-8"))
    assert paper["title"] == "Clusters & Skills: “Tomorrow”" and paper["date"] == "2025-06-12" and paper["deliverable"] == "D4.05"
    assert paper["output"] == "{{ paper.deliverable }}-clusters-skills-tomorrow"

    report = build(dest, ROOT / "templates", tmp_path / "out", ("pdf", "docx"))
    assert report.warnings == []
    assert sorted(p.name for p in report.files) == ["D4.05-clusters-skills-tomorrow.docx", "D4.05-clusters-skills-tomorrow.pdf"]
    assert report.figures >= 1 and report.tables >= 2
    reader = PdfReader(tmp_path / "out" / "D4.05-clusters-skills-tomorrow.pdf")
    cover = reader.pages[0].extract_text()
    assert "“Clusters & Skills: “Tomorrow””" in cover and "Vienna, Austria – 12/13 June 2025" in cover and "Output paper – D4.05" in cover
    body = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "The event “Clusters & Skills: “Tomorrow”” took place in Vienna, Austria on 12/13 June 2025." in body
    assert "Report back at the next event of the Example Network." in body
    assert reader.metadata["/Subject"].startswith("Output paper of the event “Clusters & Skills")


def test_the_starter_shows_every_construct_each_with_a_comment():
    sections = "\n".join(p.read_text(encoding="utf-8") for p in sorted((STARTER / "sections").glob("*.md")))
    for construct in (r"^# .*\{#", r"^## ", r"^### ", r"^- ", r"^1\. ", r"^\|.*\|$", r"^Table: ", r"^!\[.+\]\(figures/.*alt=",
                      r"^::: sidebar", r"\[\]\(#", r"^> ", r"^> — \[@", r"\]\(https://", r"^  - ", r"\{\{ agenda_table\(data\.agenda\) \}\}", r"\{\{ paper\.title \}\}"):
        assert re.search(construct, sections, re.M), construct
    # every block the starter shows has a one-line comment above it
    assert sections.count("<!--") >= 12
    paper = (STARTER / "paper.yaml").read_text(encoding="utf-8")
    for key in ("title", "author", "deliverable", "date", "place", "when", "language", "subject", "keywords", "output",
                "header", "cover", "labels", "data", "sections"):
        line = next(line for line in paper.splitlines() if re.match(rf"^#? ?{key}:", line))
        assert "#" in line.split(":", 1)[1], f"{key} has no comment"


def test_the_editors_guide_is_one_source(tmp_path):
    # the starter's README.md is a link to content/README.md: one file, which 'new' copies as a file
    assert (STARTER / "README.md").is_symlink()
    assert (STARTER / "README.md").resolve() == (ROOT / "content" / "README.md").resolve()
    assert _new(tmp_path / "p") == 0
    readme = tmp_path / "p" / "README.md"
    assert not readme.is_symlink() and readme.read_bytes() == (ROOT / "content" / "README.md").read_bytes()
    guide = readme.read_text(encoding="utf-8")
    for feature in ("paperpipe new", "{{ paper.title }}", "[@", "people.yaml", "moderators(data.agenda)", "speakers(data.agenda"):
        assert feature in guide, feature


def test_new_refuses_a_folder_with_files_and_a_bad_date_with_status_2(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        _new(tmp_path / "full")
    assert exit_.value.code == 2 and "already holds files" in capsys.readouterr().err
    assert (tmp_path / "full" / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(SystemExit) as exit_:
        _new(tmp_path / "x", "--date", "12/06/2025")
    assert exit_.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_commands_help_and_exit_codes(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"], project=ROOT)
    text = capsys.readouterr().out
    assert exit_.value.code == 0
    for command in ("new", "build", "check", "watch"):
        assert re.search(rf"^\s+{command}\s+\S", text, re.M), command
    assert "exit status: 0 done, 1 the content has mistakes, 2 the command was mistyped" in text
    with pytest.raises(SystemExit) as exit_:
        main(["publish"], project=ROOT)
    assert exit_.value.code == 2 and "unknown command 'publish'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "odt"], project=ROOT)
    assert exit_.value.code == 2

    dest = tmp_path / "p"
    assert _new(dest) == 0
    assert main(["check", "--content", str(dest)], project=ROOT) == 0
    assert "content OK" in capsys.readouterr().out
    (dest / "sections" / "03-results.md").write_text("# Results\n\nSee [](#tab-nowhere).\n", encoding="utf-8")
    assert main(["check", "--content", str(dest)], project=ROOT) == 1
    assert "03-results.md:3:" in capsys.readouterr().err


def test_build_py_new_is_paperpipe_new(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", str(tmp_path / "p"), "--title", "Same Thing"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(str(p.relative_to(tmp_path / "p")) for p in (tmp_path / "p").rglob("*") if p.is_file()) == \
        sorted(str(p.relative_to(STARTER)) for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert yaml.safe_load((tmp_path / "p" / "paper.yaml").read_text(encoding="utf-8"))["title"] == "Same Thing"


def _inherited_site_packages() -> list[str]:
    """The folders the running interpreter imports installed packages from
    (in a virtual environment: the environment's own, not its base
    Python's). Only site-packages folders: never the project itself."""
    return [p for p in dict.fromkeys(sys.path) if p and Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]


def test_paperpipe_command_after_pip_install(tmp_path):
    """The one slow test: paperpipe installed with pip from a copy of the
    project into a new virtual environment, then new + build + check from
    inside the new paper's folder, with no templates folder there.

    The new environment sees the dependencies installed where the tests run
    (a .pth file naming those site-packages folders): a venv made with
    --system-site-packages would see the base Python's packages instead, which
    on a fresh machine are none. Nothing is fetched: pip installs only
    paperpipe, built with the setuptools of the test extra."""
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "paperpipe", source / "paperpipe", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "templates", source / "templates", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "content/README.md"):  # the starter's README.md links to content/README.md
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    inherited = _inherited_site_packages()
    assert inherited, sys.path
    (Path(own) / "tests-inherit.pth").write_text("".join(f"{p}\n" for p in inherited), encoding="utf-8")
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--no-build-isolation",
                          "--ignore-installed", str(source)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert pip.returncode == 0, pip.stderr
    # the command's paperpipe is the one pip just installed, not a copy seen elsewhere
    where = subprocess.run([str(python), "-c", "import paperpipe; print(paperpipe.__file__)"], capture_output=True, text=True,
                           check=True, timeout=60, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(own), where
    command = venv / "bin" / "paperpipe"
    work = tmp_path / "work"
    work.mkdir()
    made = subprocess.run([str(command), "new", "our-paper", "--deliverable", "D9.01", "--title", "Our Paper", "--place", "Graz, Austria"],
                          cwd=work, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    built = subprocess.run([str(command), "build", "--format", "all"], cwd=work / "our-paper", capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "0 warnings" in built.stdout
    assert sorted(p.name for p in (work / "our-paper" / "output").glob("D9*")) == ["D9.01-our-paper.docx", "D9.01-our-paper.html", "D9.01-our-paper.pdf"]
    checked = subprocess.run([str(command), "check"], cwd=work / "our-paper", capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "content OK" in checked.stdout


def test_new_with_a_date_prints_that_day_and_check_warns_about_each_placeholder_left(tmp_path):
    """'new --date 2026-06-12' printed "Brussels, Belgium – 1 January 2025" on
    the cover, in the header and in the agenda: the event's day now follows
    the date, and a fact left as the starter's [placeholder] is a warning at
    its line until the editor writes it."""
    dest = tmp_path / "next"
    assert _new(dest, "--date", "2026-06-12", "--title", "Clusters and Skills") == 0
    report = build(dest, ROOT / "templates", tmp_path / "out", ("pdf",))
    text = "\n".join(page.extract_text() for page in PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages)
    assert "12 June 2026" in text and "1 January 2025" not in text and "Brussels" not in text
    lines = (dest / "paper.yaml").read_text(encoding="utf-8").splitlines()
    warned = {(w.line, w.message) for w in report.warnings}
    for key in ("place", "deliverable"):
        line = next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))
        assert any(n == line and f"the {key} is still the placeholder" in message for n, message in warned), (key, warned)
    assert not any("title" in message or "when" in message for _, message in warned)


def _examples(text: str, prog: str) -> list[list[str]]:
    """The command lines of a help text or an sh block that start with ``prog``
    (after 'cd X &&'), without their comments; 'watch' (it never ends) left out."""
    import shlex

    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("cd ") and "&&" in line:
            out.append(["cd", line[3:line.index("&&")].strip()])
            line = line[line.index("&&") + 2:].strip()
        line = re.split(r"\s+(?:#|\()", line, maxsplit=1)[0]
        if line.startswith(prog + " ") and " watch" not in line:
            out.append(shlex.split(line)[len(prog.split()):])
        elif line.startswith("cd ") and "&&" not in line:
            out.append(["cd", line[3:].strip()])
    return out


def _run_examples(examples: list[list[str]], where: Path, monkeypatch, project: Path | None) -> None:
    monkeypatch.chdir(where)
    assert examples and any(e[0] == "new" for e in examples)
    for argv in examples:
        if argv[0] == "cd":
            monkeypatch.chdir(Path.cwd() / argv[1])
            continue
        assert main(argv, project=project if project is None else Path.cwd()) == 0, argv


@pytest.mark.parametrize("prog", ["paperpipe", "python build.py"])
def test_every_example_of_the_help_works_as_written(prog, tmp_path, capsys, monkeypatch):
    """build.py's help said 'cd our-next-paper && python build.py build', and
    a new paper has no build.py: each command's examples now run where it runs."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["--help"], project=None if prog == "paperpipe" else tmp_path)
    help_text = capsys.readouterr().out
    assert "PDF and Word" not in help_text and "web page" in help_text
    _run_examples(_examples(help_text.split("examples:", 1)[1], prog), tmp_path, monkeypatch,
                  None if prog == "paperpipe" else tmp_path)
    assert list((tmp_path / "our-next-paper").glob("output/*.html")) or list(tmp_path.glob("output/*.html"))


def test_the_editors_guide_s_commands_work_as_written(tmp_path, monkeypatch):
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    block = guide.split("## Starting a new paper, building it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    _run_examples(_examples(block, "paperpipe"), tmp_path, monkeypatch, None)
    assert sorted(p.suffix for p in (tmp_path / "our-next-paper" / "output").iterdir() if p.is_file()) == [".docx", ".html", ".pdf"]
