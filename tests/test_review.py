"""paperpipe review: a reviewer's DOCX (LibreOffice with Track Changes,
or Word's own markup) or PDF (annotations as Acrobat writes them) back at
the content file and line of each change and comment.

The reviewed files are made the way the real programs make them: the
LibreOffice ones by LibreOffice itself through its UNO bridge (one soffice
for the whole run, ``tests/review_uno.py`` run by conftest's ``libreoffice``). Every expected file:line
is found by searching the content files for the words, never from
paperpipe's own model.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, uno_ready
from paperpipe.cli import main


def where(literal: str, content: Path = CONTENT, base: Path = ROOT) -> str:
    """The one content file:line where ``literal`` is written."""
    hits = []
    for path in sorted(content.rglob("*")):
        if path.suffix in (".md", ".yaml") and path.name != "README.md":
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if literal in line:
                    hits.append(f"{path.relative_to(base)}:{number}")
    assert len(hits) == 1, f"{literal!r} must stand once in the content, found at {hits}"
    return hits[0]


def review(capsys, monkeypatch, *args: str) -> tuple[int, list[str], str]:
    """The command as an editor runs it in the project folder: exit status, stdout lines, stderr."""
    monkeypatch.chdir(ROOT)
    code = main(["review", *args], project=ROOT)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def finding(lines: list[str], at: str, kind: str, *words: str) -> str:
    """The one line reported at ``at`` of ``kind`` that holds every one of ``words``."""
    hits = [line for line in lines if line.startswith(f"{at}: {kind}: ") and all(w in line for w in words)]
    assert len(hits) == 1, f"no single {kind} at {at} with {words} in:\n" + "\n".join(lines)
    return hits[0]


# --------------------------------------------------------------------------- LibreOffice
needs_uno = pytest.mark.skipif(not uno_ready(), reason="LibreOffice with python3-uno is not installed")

# (edit for LibreOffice, where the words stand in the content, kind, words the line must hold)
TRACKED = [
    ({"op": "replace", "find": "welcomed to the event", "with": "greeted at the event"},
     "The audience was welcomed to the event", "replacement", "“welcomed to the event” → “greeted at the event”"),
    ({"op": "delete", "find": " physical and"},  # the same line as the one above
     "The audience was welcomed to the event", "deletion", "“ physical and”"),
    ({"op": "insert", "after": "The panel was structured around two", "text": " main"},
     "The panel was structured around two questions", "insertion", "“ main”"),
    ({"op": "replace", "find": "Capacity-building sessions", "with": "Capacity-building workshops", "nth": -1},
     "## Capacity-building sessions", "replacement", "→ “Capacity-building workshops”"),
    ({"op": "replace", "find": "Priority definition", "with": "Definition of priorities"},
     "- Priority definition", "replacement", "“Priority definition”"),
    ({"op": "replace", "find": "that support transition pathways", "with": "that serve transition pathways", "nth": -1},
     "caption: Building cluster business models", "replacement", "“that serve transition pathways”"),
    ({"op": "replace", "find": "key challenge around", "with": "main challenge around"},
     "what is the key challenge around green", "replacement", "“main challenge around”"),
    ({"op": "replace", "find": "Welcome from the Île-de-France", "with": "Greetings from the Île-de-France"},
     "title: Welcome from the Île-de-France Region", "replacement", "“Greetings from the Île-de-France”"),
    ({"op": "replace", "find": "shared value initiatives", "with": "shared-value initiatives"},
     "implement shared value initiatives", "replacement", "“shared-value initiatives”"),
    ({"op": "replace", "find": "Lauréline Renault", "with": "Laureline Renault"},
     "name: Lauréline Renault", "replacement", "“Laureline Renault”"),
    ({"op": "replace", "find": "Saint-Ouen", "with": "Saint-Ouen (Paris)"},
     "place: Saint-Ouen", "replacement", "“Saint-Ouen (Paris)”"),
    ({"op": "comment", "find": "Regional Council of the Île-de-France Region", "text": "Full name of the region?"},
     "Regional Council of the Île-de-France Region", "comment", "“Full name of the region?”"),
    ({"op": "comment", "find": "This output paper provides", "to": "gives an overview", "text": "Merge these two paragraphs?"},
     "This output paper provides", "comment", "“Merge these two paragraphs?”", "on “This output paper provides"),
    ({"op": "comment", "find": "Upcoming ECCP activities", "nth": -1, "text": "Is this figure up to date?"},
     "![Upcoming ECCP activities]", "comment", "“Is this figure up to date?”"),
]

UNTRACKED = [
    ({"op": "replace", "find": "hybrid set-up", "with": "hybrid format", "plain": True},
     "It took place in a hybrid set-up", "replacement", "“set-up” → “format”", "no author"),
]


@pytest.fixture(scope="session")
def reviewed(libreoffice) -> dict[str, Path]:
    """The paper's DOCX reviewed in LibreOffice (conftest's one soffice of
    the run): once with Track Changes and comments (TRACKED), once edited
    without Track Changes (UNTRACKED)."""
    return {"tracked": libreoffice["tracked.docx"], "untracked": libreoffice["untracked.docx"]}


@needs_uno
def test_libreoffice_tracked_changes_and_comments_at_their_lines(reviewed, capsys, monkeypatch):
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]))
    assert code == 0, err
    for _edit, literal, kind, *words in TRACKED:
        line = finding(lines, where(literal), kind, *words)
        assert "Rita Reviewer" in line
    assert len(lines) == len(TRACKED), "\n".join(lines)
    assert f"{len(TRACKED)} findings" in err and "Traceback" not in err


@needs_uno
def test_review_writes_nothing(reviewed, capsys, monkeypatch, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content))
    assert code == 0, err
    assert lines and all(line.startswith(str(content)) or line.startswith("/tmp") or "content" in line for line in lines)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert not list(content.rglob("output"))


@needs_uno
def test_libreoffice_edits_without_track_changes_found_by_a_fresh_build(reviewed, capsys, monkeypatch):
    code, lines, err = review(capsys, monkeypatch, str(reviewed["untracked"]))
    assert code == 0, err
    for _edit, literal, kind, *words in UNTRACKED:
        finding(lines, where(literal), kind, *words)
    assert len(lines) == len(UNTRACKED), "\n".join(lines)
    assert "no tracked changes" in err


def _copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@needs_uno
def test_apply_writes_every_change_and_the_paper_shows_them(reviewed, capsys, monkeypatch, tmp_path):
    from paperpipe.pipeline import load
    from paperpipe.review.sources import built_text

    content = _copy_content(tmp_path)
    before = _files(content)
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content), "--apply", "--dry-run")
    assert code == 0, err
    assert _files(content) == before  # a dry run writes nothing
    assert any(line.startswith("+The audience was greeted at the event") for line in lines), "\n".join(lines)
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content), "--apply")
    assert code == 0, err + "\n".join(lines)
    changes = [e for e in TRACKED if e[2] != "comment"]
    assert sum(": applied: " in line for line in lines) == len(changes), "\n".join(lines)
    assert not any("not applied" in line for line in lines)
    assert "comments are not applied" in err or "comment is not applied" in err
    text, _ = built_text(load(content, ROOT / "templates").doc)
    for edit, *_ in changes:
        if edit["op"] == "replace":
            assert edit["with"] in text and edit["find"] not in text.replace(edit["with"], ""), edit
        elif edit["op"] == "insert":
            assert edit["after"] + edit["text"] in text
        else:
            assert edit["find"] not in text
    assert "Full name of the region?" not in "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))


@needs_uno
def test_apply_all_or_none_when_the_content_moved_on(reviewed, capsys, monkeypatch, tmp_path):
    content = _copy_content(tmp_path)
    moved = content / "sections" / "03-1-opening-session.md"
    moved.write_text(moved.read_text(encoding="utf-8").replace("welcomed to the event", "welcomed at the event"), encoding="utf-8")
    before = _files(content)
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content), "--apply")
    assert code == 1
    assert _files(content) == before, "a change that cannot be placed: nothing is written"
    stuck = [line for line in lines if "not applied" in line]
    assert len(stuck) == 1 and "welcomed to the event" in stuck[0] and "edit it by hand" in stuck[0], "\n".join(lines)
    assert "--force" in err
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content), "--apply", "--force")
    assert code == 0, err
    assert "greeted at the event" not in moved.read_text(encoding="utf-8")
    assert "Laureline Renault" in (content / "data" / "people.yaml").read_text(encoding="utf-8")


@needs_uno
def test_an_old_build_is_matched_as_far_as_it_can_be_never_at_a_wrong_line(reviewed, capsys, monkeypatch, tmp_path):
    content = _copy_content(tmp_path)
    moved = content / "sections" / "03-1-opening-session.md"
    text = moved.read_text(encoding="utf-8")
    moved.write_text(text.replace("welcomed to the event", "welcomed at the event").replace(" physical and online", " online"), encoding="utf-8")
    code, lines, err = review(capsys, monkeypatch, str(reviewed["tracked"]), "--content", str(content))
    assert code == 0, err
    lost = [line for line in lines if line.startswith(str(reviewed["tracked"]))]
    assert len(lost) == 2 and all("not found in the content as it is now" in line for line in lost), "\n".join(lines)
    assert {"“welcomed to the event”" in lost[0] or "“welcomed to the event”" in lost[1], "“ physical and”" in "".join(lost)} == {True}
    assert len(lines) == len(TRACKED)  # the others are still placed
    finding(lines, f"{tmp_path}/{where('name: Lauréline Renault', content, tmp_path)}", "replacement", "“Laureline Renault”")
    assert "2 not found" in err
