"""Reviewers' work comes home: ``paperpipe review FILE``.

A DOCX that came back from Word or LibreOffice (tracked changes, comments)
or a PDF marked up in Acrobat or Reader (highlights, notes, carets,
strike-outs) is read as untrusted input (``untrusted.py``), its marks are
placed on its text (``docx.py``, ``pdf.py``, ``marks.py``), that text is
aligned with a fresh build of the content made in memory (``sources.py``,
``align.py``) and each mark is found where its words were typed, in a
section file, a data file, the people file or paper.yaml (``locate.py``).
``report.py`` prints the findings; ``apply.py`` brings the changes into
the content files. Nothing is written unless ``--apply`` is given.
"""
