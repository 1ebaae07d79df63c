"""Which web addresses may become links in an output.

One rule for the three writers: a link goes to a web page (``http://``,
``https://``) or opens a mail (``mailto:``), and holds no space or control
character. Anything else that reaches a writer (``javascript:``, ``file:``,
reportlab's ``pdf:`` that makes a GoToR action, ``ftp:``) is printed as
its text, never made a link.
"""
from __future__ import annotations

import re

_WEB_LINK = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f]+", re.I)


def is_web_link(url: str) -> bool:
    """Whether ``url`` may become a link in the PDF, the DOCX and the page."""
    return isinstance(url, str) and _WEB_LINK.fullmatch(url) is not None
