"""How a command-line process of paperpipe sets Python's cyclic garbage
collector.

A build makes a great many small objects that live until its end (the
document model, reportlab's flowables and frames, the structure tree) and
few reference cycles. Python's default collector looks for cycles among the
young objects every 700 new ones, and among all the older ones every 100
such passes: it spent about 5% of a cold build's CPU (0.08 s) and 9% of the
30× paper's (1.5 s) going over objects that were not garbage. So a
command-line build:

* looks at the young objects every ``YOUNG`` new ones (cycles are still
  collected, memory stays bounded: the 30× paper's peak, all three
  formats, went from 191 to 221 MB);
* once its modules are loaded, freezes them out of the collector's view
  (``gc.freeze``): they live as long as the process anyway.

A watch, which runs for hours, keeps Python's own settings (``for_watch``);
and a program that calls the library keeps its own: only the entry points
(``build.py``, the ``paperpipe`` command) call ``one_shot`` and ``loaded``.
"""
from __future__ import annotations

import gc

YOUNG = 10_000                  # new objects between two looks at the young ones (Python's: 700)
THRESHOLDS = (YOUNG, 50, 1000)  # and passes between looks at the older generations
PYTHON = gc.get_threshold()     # the process's settings before any change


def one_shot() -> None:
    """Before the modules are loaded: the settings of a build that ends."""
    gc.set_threshold(*THRESHOLDS)


def loaded() -> None:
    """Once the modules are loaded: they are left out of every later pass."""
    gc.freeze()


def for_watch() -> None:
    """A process that rebuilds for hours: Python's own settings again."""
    gc.set_threshold(*PYTHON)
