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


# the times a PDF and a DOCX (a ZIP: 1980 at the earliest) can hold
EARLIEST = 315532800      # 1980-01-01T00:00:00Z
LATEST = 253402300799     # 9999-12-31T23:59:59Z


def epoch_problem() -> str | None:
    """What is wrong with the SOURCE_DATE_EPOCH environment variable, or None."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not env:
        return None
    if not env.isdigit():
        return f"SOURCE_DATE_EPOCH is '{env[:40]}', not a number of seconds"
    if not EARLIEST <= int(env) <= LATEST:
        return f"SOURCE_DATE_EPOCH is {env[:40]}, outside the times the files can hold (1980 to 9999)"
    return None


def source_epoch(date_text: str) -> float:
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit() and EARLIEST <= int(env) <= LATEST:  # the build refuses other values (epoch_problem)
        return float(env)
    day = parse_day(date_text) or _dt.date(2000, 1, 1)  # the reader refuses other dates
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp()
