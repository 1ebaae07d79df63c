"""An editor's first session, scripted and timed: 'new', then the facts, the
people, a one-day agenda and four sections typed as an editor would (with the
three mistakes a first session made: a misspelt fact, an unquoted comma in a
YAML mapping, a slot without its id), 'check' after each fix, then the PDF.

    python bench/editor_session.py [WORK_FOLDER]

Prints each command's time and output; the editor's own time (reading,
typing) is not measured here."""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

BUILD = str(pathlib.Path(__file__).resolve().parent.parent / "build.py")
work = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="editor-session-"))
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
times = []
def run(*args, cwd=work):
    t = time.perf_counter(); r = subprocess.run([sys.executable, BUILD, *args], cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t; times.append((" ".join(args[:2]), dt, r.returncode)); print(f"{dt:5.2f} s  rc={r.returncode}  {' '.join(args)}\n{r.stdout}{r.stderr}")
    return r
run("new", "skills", "--title", "Skills for the Twin Transition", "--date", "2025-06-13", "--deliverable", "D4.05b02",
    "--place", "Vienna, Austria", "--when", "12/13 June 2025")
p = work / "skills"
y = (p / "paper.yaml").read_text()
y = y.replace('    - "Event organised by the European Cluster Collaboration Platform"', '    - "Event co-organised by the European Cluster Collaboration Platform and the City of Vienna"')
y = y.replace("  - sections/01-the-event.md\n  - sections/02-programme.md\n  - sections/03-results.md",
              "  - sections/01-the-event.md\n  - sections/02-programme.md\n  - sections/03-discussions.md\n  - sections/04-conclusions.md")
(p / "paper.yaml").write_text(y)
for f in ("sections/03-results.md",): (p / f).unlink()
(p / "data/people.yaml").write_text("""eva-gruber: {name: Eva Gruber, role: Head of Economic Affairs, organisation: City of Vienna}
lukas-novak: {name: Lukáš Novák, role: Cluster Manager, organisation: Moravian Mechatronics Cluster}
sofia-martins: {name: Sofia Martins, organisation: European Commission, DG GROW}
ines-ferreira: {name: Inês Ferreira, role: Director, organisation: Portuguese Textile Cluster}
""")
(p / "data/agenda.yaml").write_text("""caption: Agenda of the event
id: tab-agenda
title: "“{{ paper.title }}”"
days:
  - day: Day 1
    date: Thursday 12 June 2025
    slots:
      - {time: "09:00 – 09:30", kind: break, title: Registration and coffee}
      - time: "09:30 – 10:00"
        kind: plenary
        title: Opening
        talks:
          - {title: Welcome from the City of Vienna, speaker: eva-gruber}
          - {title: Skills in EU cluster policy, speaker: sofia-martins}
      - time: "10:00 – 11:30"
        kind: plenary
        id: panel
        title: Panel discussion
        topic: Reskilling workers in manufacturing clusters
        moderators: [sofia-martins]
        panellists:
          - {topic: Mechatronics skills academies, person: lukas-novak}
          - {topic: Green skills in textiles, person: ines-ferreira}
      - {time: "11:30 – 12:30", kind: breakout, title: Workshops, points: [Skills needs of SMEs, Joint training offers]}
""")
(p / "sections/01-the-event.md").write_text("""# The event {#sec-event}

The event “{{ paper.title }}” took place in {{ paper.place }} on {{ paper.when }}. Around 80 cluster managers, trainers and policymakers discussed how clusters help companies find and train the people they need for the green and digital transition. [](#tab-agenda) gives the programme.

[@eva-gruber], {{ person("eva-gruber").role }} of the {{ person("eva-gruber").organisation }}, opened the event and recalled that two out of three companies in the region report a shortage of technicians.

## Aims of the event {#sec-aims}

- to map the skills that manufacturing SMEs lack most;
- to share training offers that clusters run together;
- to agree on joint actions for {{ paper.deliverable }}'s follow-up.

![How the day was organised](figures/the-day.svg){#fig-day width="80%" alt="Three boxes from left to right: opening, panel discussion, workshops; an arrow leads to the conclusions."}
""")
(p / "sections/02-programme.md").write_text("""# Programme {#sec-programme}

{{ agenda_table(data.agenda) }}

The speakers of the opening were:

{{ speakers(data.agenda, "opening") }}
""")
(p / "sections/03-discussions.md").write_text("""# Discussions {#sec-discussions}

## Panel discussion {#sec-panel}

::: sidebar Moderator
{{ moderators(data.agenda) }}
:::

The panel discussed how clusters reskill workers. The panellists were:

{{ panellists(data.agenda, "panel") }}

> A cluster is the only place where a small company can share a trainer with its competitor.
>
> — [@lukas-novak], {{ person("lukas-novak").organisation }}

| Proposal | Votes |
|---|--:|
| A shared mechatronics training centre | 21 |
| A green-skills passport for workers | 17 |
| A joint apprenticeship pool | 12 |

Table: Votes on the proposals of [](#sec-panel) {#tab-votes}

## Workshops {#sec-workshops}

In the workshops, participants listed the skills their members lack most: automation, data analysis, repair and recycling of textiles. They agreed that [](#tab-votes) shows where to start, as {{ paper.titel }} suggests.
""")
(p / "sections/04-conclusions.md").write_text("""# Conclusions {#sec-conclusions}

[@sofia-martins] closed the event. The next steps are:

1. Prepare the shared training centre with the volunteers.
2. Draft the green-skills passport with [@ines-ferreira].
3. Report back at the next event of {{ paper.author }}.
""")
r = run("--check", "--content", str(p))   # the typo {{ paper.titel }} is reported with its line
t = (p / "sections/03-discussions.md").read_text().replace(", as {{ paper.titel }} suggests", "")
(p / "data/people.yaml").write_text((p / "data/people.yaml").read_text().replace("organisation: European Commission, DG GROW}", 'organisation: "European Commission, DG GROW"}'))
(p / "sections/03-discussions.md").write_text(t)
run("--check", "--content", str(p))   # now the next mistake shows: the opening slot has no id
(p / "data/agenda.yaml").write_text((p / "data/agenda.yaml").read_text().replace("        title: Opening\n", "        id: opening\n        title: Opening\n"))
run("--check", "--content", str(p))
run("--format", "pdf", "--content", str(p), "--output", str(p / "output"))
print("total command time: %.2f s" % sum(t for _, t, _ in times))
