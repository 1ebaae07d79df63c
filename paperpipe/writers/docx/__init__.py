"""The DOCX writer (python-docx and WordprocessingML): a Word document built
from the numbered document and the house style, independent of the PDF."""
from .writer import anchors_for, render_docx, write_docx

__all__ = ["anchors_for", "render_docx", "write_docx"]
