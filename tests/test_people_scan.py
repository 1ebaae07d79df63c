"""Issue 15: the scan for people's names typed out in the text is linear.

It was one regular expression of every name, tried at every character: text
× people (36 s with 2,000 people, 172 s with 3,000), and it also read a
section already refused for its size. Now each line is split into words
once and a name is looked up only where its first word stands, and only at
the lengths names starting with that word have. The work is counted here,
not timed: the look-ups are the same for 30 people and for 3,000."""
from __future__ import annotations

import shutil
from pathlib import Path

from paperpipe import cli
from paperpipe.errors import Problems
from paperpipe.people import NameIndex, People, literal_names
from paperpipe.readers.markdown.limits import MAX_TEXT

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


class CountingNames(dict):
    """The names, counting how often the scan asks for one."""

    asked = 0

    def __contains__(self, key) -> bool:
        CountingNames.asked += 1
        return super().__contains__(key)


def _people(count: int) -> dict[str, str]:
    return {f"Person{i} Surname{i % 97}": f"p{i}" for i in range(count)} | {"Jean-Luc O'Neil Jr.": "jl"}


TEXT = "\n".join(f"The cluster met Person5 Surname5 and Person{i} Surname{i % 97}, Jean-Luc O'Neil Jr., and Person12 Surnamed."
                 for i in range(2000))


def test_the_scan_asks_as_often_for_30_people_as_for_3000():
    asked = {}
    found = {}
    for count in (30, 3000):
        index = NameIndex(CountingNames(_people(count)))
        CountingNames.asked = 0
        found[count] = [hit for line in TEXT.splitlines() for hit in index.find(line)]
        asked[count] = CountingNames.asked
    words = len(TEXT.split())
    assert asked[3000] <= 2 * words and asked[30] <= asked[3000] <= asked[30] + 4 * 2000, asked
    assert ("Jean-Luc O'Neil Jr.") in [name for _, name in found[3000]]
    assert len(found[3000]) == 2000 * 3  # Person5, Person{i} (each in the file) and Jean-Luc; 'Person12 Surnamed' is not a name
    assert len(found[30]) == 2000 * 2 + 30


def test_longest_name_first_and_whole_words_only():
    index = NameIndex({"Anna Berg": "a", "Anna Berg-Holm": "b", "Berg": "c"})
    assert list(index.find("Anna Berg-Holm met Anna Bergström and Anna Berg.")) == [(0, "Anna Berg-Holm"), (38, "Anna Berg")]


def test_comments_are_not_text_even_unclosed():
    people = People({"ann": {"name": "Ann Example"}}, "people.yaml", lambda s: s)
    problems = Problems(ROOT)
    literal_names(people, "<!-- Ann Example -->\nAnn Example\n" + "<!-- " * 100_000 + "Ann Example", Path("x.md"), problems, "p.yaml")
    assert [w.line for w in problems.warnings] == [2, 3]


def test_a_section_refused_for_its_size_is_not_scanned(tmp_path, monkeypatch, capsys):
    shutil.copytree(MINI, tmp_path / "paper")
    (tmp_path / "paper" / "data").mkdir()
    (tmp_path / "paper" / "data" / "people.yaml").write_text("ann:\n  name: Ann Example\n", encoding="utf-8")
    with (tmp_path / "paper" / "paper.yaml").open("a", encoding="utf-8") as handle:
        handle.write("data:\n  people: data/people.yaml\n")
    section = tmp_path / "paper" / "sections" / "02-results.md"
    section.write_text(section.read_text(encoding="utf-8") + ("Ann Example wrote.\n\n" * (MAX_TEXT // 18)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "--content", "paper", "--templates", str(ROOT / "templates")], project=ROOT)
    err = capsys.readouterr().err
    assert code == 1 and f"the text is longer than {MAX_TEXT:,} characters" in err, err
    assert "typed here" not in err, err
