"""The three packages are mypy --strict clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict() -> None:
    pytest.importorskip("mypy")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "dynalgo", "structures", "predictors"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPY_CACHE_DIR": str(ROOT / ".mypy_cache")},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
