"""The PDF writer (reportlab): ``render_pdf`` lays the numbered document out once."""
from .document import PdfResult, render_pdf

__all__ = ["PdfResult", "render_pdf"]
