"""``python -m dynalgo``: the command line (``python -m dynalgo demo --help`` lists the options)."""

from __future__ import annotations

import sys

from ._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
