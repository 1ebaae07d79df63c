#!/usr/bin/env python3
"""Build the output paper: python build.py --format pdf|docx|all (see --help)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paperpipe.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
