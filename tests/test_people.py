"""The people file: each person written once (id -> name, role,
organisation), named by id from the agenda and by [@id] in the text; a
correction there changes Table 1, the panellist lists and the text; names
typed literally are warned about with file:line; unknown ids are errors on
their line; speakers() and moderators() list people from the agenda."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from paperpipe.pipeline import build, load
from paperpipe.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.fixture
def paper(tmp_path, monkeypatch) -> Path:
    """A copy of content/ at tmp_path/content; the cwd is tmp_path, so its files are shown as content/…"""
    dest = tmp_path / "content"
    shutil.copytree(ROOT / "content", dest)
    monkeypatch.chdir(tmp_path)
    return dest


def test_a_person_renamed_once_changes_table_1_the_panellists_and_the_text(paper, tmp_path, paper_out):
    before = _pdf_text(next(paper_out.glob("*.pdf")))
    # Antonio Novo: Table 1 (two panels) and both panellist lists; Merete Nielsen: Table 1 and the text
    assert before.count("Antonio Novo") >= 4 and before.count("Merete Nielsen") >= 3
    people = paper / "data" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    text = text.replace("name: Antonio Novo", "name: Antonio Novo-Ruiz").replace("name: Merete Nielsen", "name: Merete Nielsen-Holm")
    text = text.replace("organisation: European Cluster Alliance", "organisation: European Cluster Alliance (ECA)")
    people.write_text(text, encoding="utf-8")

    report = build(paper, TEMPLATES, tmp_path / "out", ("pdf", "docx"))
    assert report.warnings == []
    after = _pdf_text(next((tmp_path / "out").glob("*.pdf")))
    assert after.count("Antonio Novo-Ruiz") == before.count("Antonio Novo")
    assert after.count("Merete Nielsen-Holm") == before.count("Merete Nielsen")
    assert after.count("Antonio Novo-Ruiz, European Cluster Alliance (ECA)") == before.count("Antonio Novo, European Cluster Alliance")
    assert "moderated by Ms Merete Nielsen-Holm, CEO" in after  # the text of section 3.3.1
    assert "Clusters as agents of change for the digital transition – Antonio Novo-Ruiz, European Cluster Alliance (ECA)" in after  # panellists
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.docx"))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert "Antonio Novo-Ruiz" in xml and not re.search(r"Antonio Novo(?!-Ruiz)", xml)


def test_a_name_typed_in_the_text_is_a_warning_with_file_and_line(paper):
    section = paper / "sections" / "03-5-site-visits.md"
    lines = section.read_text(encoding="utf-8").splitlines()
    lines[2:2] = ["", "Merete Nielsen visited the sites with **James Wilson**. <!-- Merete Nielsen: a comment is not text -->"]
    section.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings = [str(w) for w in load(paper, TEMPLATES).problems.warnings]
    assert warnings == [
        "warning: content/sections/03-5-site-visits.md:4: 'Merete Nielsen' is typed here, but is in the people file as 'merete-nielsen'"
        " — write [@merete-nielsen] so that a correction in content/data/people.yaml changes it here too",
        "warning: content/sections/03-5-site-visits.md:4: 'James Wilson' is typed here, but is in the people file as 'james-wilson'"
        " — write [@james-wilson] so that a correction in content/data/people.yaml changes it here too",
    ]


def _errors(paper: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load(paper, TEMPLATES)
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def test_unknown_ids_are_errors_on_their_own_line(paper):
    agenda = paper / "data" / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    line = text[: text.index("          - merete-nielsen")].count("\n") + 1
    agenda.write_text(text.replace("          - merete-nielsen", "          - merete-nielson"), encoding="utf-8")
    section = paper / "sections" / "02-event-at-a-glance.md"
    section.write_text(section.read_text(encoding="utf-8").replace("[@ulla-engelmann]", "[@ula-engelmann]"), encoding="utf-8")
    errors = _errors(paper)
    assert f"content/data/agenda.yaml:{line}: no person with the id 'merete-nielson' in the people file (content/data/people.yaml) — did you mean 'merete-nielsen'?" in errors
    assert any(e.startswith("content/sections/02-event-at-a-glance.md:5: no person with the id 'ula-engelmann'")
               and "did you mean 'ulla-engelmann'?" in e for e in errors), errors


def test_the_people_file_is_checked_by_its_schema(paper):
    people = paper / "data" / "people.yaml"
    text = people.read_text(encoding="utf-8").replace("  name: Peter Czaga\n", "  nmae: Peter Czaga\n")
    people.write_text(text, encoding="utf-8")
    line = text[: text.index("nmae")].count("\n") + 1
    errors = _errors(paper)
    assert any(e.startswith(f"content/data/people.yaml:{line}:") and "nmae" in e for e in errors), errors


LISTINGS = """\
# People {#people}

The kick-off speakers:

{{ speakers(data.agenda, "kick-off") }}

The opening speakers:

{{ speakers(data.agenda, "opening") }}

All moderators:

{{ moderators(data.agenda) }}

Inline: [@luisa-prista] is {{ person("luisa-prista").role }} at {{ person("luisa-prista").organisation }}.
"""


def test_speakers_of_a_session_and_all_moderators_are_listed_from_the_agenda(paper, tmp_path):
    (paper / "sections" / "99-people.md").write_text(LISTINGS, encoding="utf-8")
    paper_yaml = paper / "paper.yaml"
    paper_yaml.write_text(paper_yaml.read_text(encoding="utf-8").replace(
        "  - sections/03-6-closing-session.md", "  - sections/03-6-closing-session.md\n  - sections/99-people.md"), encoding="utf-8")
    doc = load(paper, TEMPLATES).doc
    from paperpipe import model as m
    from paperpipe.visit import plain_text

    heading = next(i for i, b in enumerate(doc.blocks) if isinstance(b, m.Heading) and b.id == "people")
    lists = [b for b in doc.blocks[heading:] if isinstance(b, m.BulletList)]
    items = [[plain_text(item[0].children) for item in lst.items] for lst in lists]
    assert items[0] == ["Pierre Hausemer, ECCP", "James Wilson, ECCP"]
    assert items[1] == ["Marek Przeor, European Commission, DG GROW", "Lauréline Renault, Regional Council",
                        "Ulla Engelmann, Acting Director of the Networks and Governance directorate within DG GROW at the European Commission",
                        "Luisa Prista, Head of Department Innovation ecosystems, SMP / Entrepreneurship & Consumers, EISMEA"]
    assert items[2] == ["Peter Czaga, European Commission, DG GROW", "Marek Przeor, European Commission, DG GROW",
                        "Merete Nielsen, Cluster Excellence Denmark", "James Wilson, ECCP", "Pierre Hausemer, ECCP",
                        "Marc Pattinson, Research and Innovation Expert, Interreg Europe Policy Learning Platform",
                        "Tahmina Shafique, ECCP", "Patricia Valdenebro, TCI Network"]
    inline = next(b for b in doc.blocks[heading:] if isinstance(b, m.Paragraph) and plain_text(b.children).startswith("Inline"))
    assert plain_text(inline.children) == "Inline: Luisa Prista is Head of Department Innovation ecosystems, SMP / Entrepreneurship & Consumers at EISMEA."


def test_a_comma_in_an_unquoted_flow_mapping_gets_advice_about_quotes(paper):
    """The first mistake of a scripted editor's session (bench/editor_session.py)."""
    people = paper / "data" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "sofia-martins: {name: Sofia Martins, organisation: European Commission, DG GROW}\n",
                      encoding="utf-8")
    errors = _errors(paper)
    assert any("unknown key 'DG GROW'" in e and "put text that holds a comma in quotes" in e for e in errors), errors


@pytest.mark.parametrize("roles, message", [
    ('roles="thierry-gautreau"', "roles must name each person by id with the role to print"),
    ('roles={"thierry-gautreau": 5}', "the role given for 'thierry-gautreau' is not a text"),
    ('roles={"thierry-gautreau": ""}', "the role given for 'thierry-gautreau' is not a text"),
    ('roles={"nobody-here": "Head of X"}', "roles names 'nobody-here', who is not a panellist of 'panel-digital'"),
])
def test_a_role_for_one_place_that_is_not_a_role_is_one_error_at_its_line(paper, roles, message):
    """panellists(…, roles=…): a string iterated letter by letter, or a number
    dropped for the agenda's role, was no error; each is one now."""
    section = paper / "sections" / "03-3-panel-discussions.md"
    text = section.read_text(encoding="utf-8")
    call = re.search(r'\{\{ panellists\(data\.agenda, "panel-digital", roles=.*\) \}\}', text).group(0)
    line = text[: text.index(call)].count("\n") + 1
    section.write_text(text.replace(call, f'{{{{ panellists(data.agenda, "panel-digital", {roles}) }}}}'), encoding="utf-8")
    errors = _errors(paper)
    assert len(errors) == 1 and errors[0].startswith(f"content/sections/03-3-panel-discussions.md:{line}: {message}"), errors


def test_a_person_in_the_words_of_a_link_is_printed_by_name_in_the_link(paper):
    """'[the talk by [@merete-nielsen]](https://…)' was no link: markdown-it
    took the person, a token starting with '[', for a link inside a link,
    and the check then said the link 'is not read as a link' (brackets and
    address would have been printed)."""
    from paperpipe import model as m
    from paperpipe.visit import inlines_of, plain_text, walk, walk_inlines

    section = paper / "sections" / "03-5-site-visits.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nSee [the talk by [@merete-nielsen]](https://example.eu/talk).\n",
                       encoding="utf-8")
    doc = load(paper, TEMPLATES).doc
    links = [i for b in walk(doc.blocks) for inlines in inlines_of(b) for i in walk_inlines(inlines)
             if isinstance(i, m.Link) and i.url == "https://example.eu/talk"]
    assert [plain_text(link.children) for link in links] == ["the talk by Merete Nielsen"]
