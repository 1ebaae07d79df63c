"""The parts of reportlab that are not its public interface and that the PDF
writer relies on: the row split (writers/pdf/tables.py), the word breaks
(writers/pdf/words.py) and the floats (writers/pdf/floats.py). A reportlab
release may rename or change any of them without notice; then this file
fails, naming what changed and which module needs it, instead of a build
stopping with a traceback or, worse, drawing pages that are silently wrong.
pyproject.toml pins reportlab to the releases this was checked on."""
from __future__ import annotations

import inspect
import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, KeepTogether, PageTemplate, Paragraph as PlainParagraph, Table
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.flowables import Flowable

from paperpipe.writers.pdf.floats import needed
from paperpipe.writers.pdf.tables import RowSplittingTable
from paperpipe.writers.pdf.words import MARK, Paragraph

STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)

# (owner, private method, the parameters our code passes, the module that calls it)
METHODS = [
    (Table, "_splitRows", ("availHeight", "doInRowSplit"), "tables.py"),
    (Table, "_getFirstPossibleSplitRowPosition", ("availHeight", "ignoreSpans"), "tables.py"),
    (Table, "_calc", ("availWidth", "availHeight"), "tables.py"),
    (PlainParagraph, "_setup", ("text", "style", "bulletText", "frags", "cleaner"), "words.py"),
    (Frame, "_getAvailableWidth", (), "floats.py"),
]


@pytest.mark.parametrize("owner, name, params, user", METHODS, ids=[f"{o.__name__}.{n}" for o, n, *_ in METHODS])
def test_the_private_methods_we_call_keep_their_parameters(owner, name, params, user):
    method = getattr(owner, name, None)
    assert method is not None, f"reportlab's {owner.__name__}.{name} is gone: writers/pdf/{user} calls it"
    got = tuple(inspect.signature(method).parameters)[1:]  # less self
    assert got[:len(params)] == params, f"reportlab's {owner.__name__}.{name} now takes {got}: writers/pdf/{user} passes {params}"


def test_a_long_row_splits_with_its_header_repeated_and_each_part_as_tall_as_its_content():
    """RowSplittingTable: _calc, _getFirstPossibleSplitRowPosition, _splitRows
    (in-row split), _cellvalues and _argH as tables.py reads and writes them."""
    long_cell = [PlainParagraph(f"Paragraph {i} of a long session.", STYLE) for i in range(12)]
    rows = [["Time", "Session"], ["09:00", "Opening"], ["10:00", long_cell], ["12:00", "Lunch"]]
    table = RowSplittingTable(rows, colWidths=(60, 200), repeatRows=1, splitByRow=1, may_split=(False, False, True, False))
    table.wrap(260, 1000)
    whole = table._height
    first, rest = table.split(260, 120)
    assert len(first._cellvalues) == 3 and len(rest._cellvalues) == 3  # header, opening, top | header, rest, lunch
    assert rest._cellvalues[0] == ["Time", "Session"]  # the header repeated
    assert first.may_split == (False, False, False) and rest.may_split == (False, True, False)
    top = [p.text for p in first._cellvalues[2][1]]
    bottom = [p.text for p in rest._cellvalues[1][1]]
    assert top and bottom and top + bottom == [p.text for p in long_cell]  # every paragraph once, in order
    assert all(h is None for part in (first, rest) for h in part._argH)  # rows sized by their content again
    assert first.wrap(260, 120)[1] <= 120
    assert rest.wrap(260, 1000)[1] < whole


def test_a_row_the_theme_keeps_whole_goes_whole_to_the_next_part():
    long_cell = [PlainParagraph(f"Paragraph {i} of a long session.", STYLE) for i in range(12)]
    rows = [["Time", "Session"], ["09:00", "Opening"], ["10:00", long_cell]]
    first, rest = RowSplittingTable(rows, colWidths=(60, 200), repeatRows=1, splitByRow=1,
                                    may_split=(False, False, False)).split(260, 120)
    assert len(first._cellvalues) == 2 and [p.text for p in rest._cellvalues[1][1]] == [p.text for p in long_cell]


def test_a_word_reportlab_would_cut_is_counted_where_words_py_reads_it():
    """words.Paragraph lays a paragraph out again only when reportlab counts a
    cut word (_splitLongWordCount); the frags it remakes are cloned (frag.clone)."""
    plain = PlainParagraph("a incomprehensibilities b", STYLE)
    plain.wrap(40, 1000)
    assert plain._splitLongWordCount > 0, "reportlab no longer counts the words it cuts: writers/pdf/words.py reads _splitLongWordCount"
    fits = PlainParagraph("a few words", STYLE)
    fits.wrap(400, 1000)
    assert fits._splitLongWordCount == 0
    assert callable(getattr(plain.frags[0], "clone", None)), "reportlab's frags have no clone(): writers/pdf/words.py makes its breaks with it"
    ours = Paragraph(f"data-driven/{MARK}knowledge-enabled", STYLE)
    ours.wrap(80, 1000)
    lines = ["".join(getattr(w, "text", "") for w in line.words) for line in ours.blPara.lines]
    assert ours._splitLongWordCount == 0 and lines == ["data-driven/", "knowledge-", "enabled"]  # never inside a word


def test_the_template_and_frame_state_the_floats_read():
    """floats.Placer reads the template's frame, page and _hanging (the
    flowables between two pages), the frame's _atTop, _y, _y1p, _aH, and
    measures groups with _listWrapOn and KeepTogether's _content."""
    seen: list = []

    class Probe(Flowable):
        def wrap(self, availWidth, availHeight):
            return 10, 10

        def draw(self):
            pass

    class Template(BaseDocTemplate):
        def handle_flowable(self, flowables):
            frame = getattr(self, "frame", None)
            seen.append((flowables is self._hanging, self.page, frame and (frame._atTop, frame._y, frame._y1p, frame._aH,
                                                                             frame._getAvailableWidth())))
            super().handle_flowable(flowables)

    doc = Template(io.BytesIO(), pagesize=(200, 200))
    doc.addPageTemplates([PageTemplate("p", [Frame(0, 0, 200, 200, id="f")])])
    doc.build([Probe(), Probe()])
    assert any(between for between, *_ in seen), "BaseDocTemplate._hanging is no longer the list between pages: writers/pdf/floats.py"
    at_top, y, y1p, aH, width = next(state for between, page, state in seen if not between and state)
    assert at_top == 1 and y > y1p and aH > 0 and width > 0
    probes = [Probe(), Probe()]
    group = KeepTogether(probes)
    assert group._content == probes, "KeepTogether._content is gone: writers/pdf/floats.py measures groups through it"
    assert needed([group], 100, None) == 20
