"""The documentation site builds with ``mkdocs build --strict`` (broken links, missing
pages and docstring references fail the build)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is part of the test extras")
    pytest.importorskip("mkdocstrings")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(DOCS / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    html = (tmp_path / "site" / "reference" / "index.html").read_text()
    assert "DynamicConnectivity" in html and "is_bipartite" in html, "API reference not generated from the docstrings"
