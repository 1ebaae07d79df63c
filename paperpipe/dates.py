"""The one time written into the outputs: SOURCE_DATE_EPOCH when set, else
the paper's date (``date:`` in paper.yaml, checked by the reader as
YYYY-MM-DD). Never the clock, so two builds give the same files."""
from __future__ import annotations

import datetime as _dt
import os


def parse_day(text: str) -> _dt.date | None:
    """The date of a YYYY-MM-DD text, or None."""
    try:
        return _dt.date.fromisoformat(str(text).strip())
    except ValueError:
        return None


def source_epoch(date_text: str) -> float:
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return float(env)
    day = parse_day(date_text) or _dt.date(2000, 1, 1)  # the reader refuses other dates
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp()
