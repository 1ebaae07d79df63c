#!/usr/bin/env python3
"""Build the output paper: python build.py --format pdf|docx|all (see --help)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paperpipe import collector  # noqa: E402

if __name__ == "__main__":
    collector.one_shot()  # fewer passes of the garbage collector over a build's objects (see paperpipe/collector.py)

from paperpipe.cli import main  # noqa: E402

if __name__ == "__main__":
    collector.loaded()
    sys.exit(main(project=Path(__file__).resolve().parent))
