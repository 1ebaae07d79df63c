"""The DOCX writer (python-docx and WordprocessingML)."""
from .writer import anchors_for, render_docx, write_docx

__all__ = ["anchors_for", "render_docx", "write_docx"]
