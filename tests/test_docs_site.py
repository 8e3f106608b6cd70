"""The documentation site builds with ``mkdocs build --strict`` (broken links, missing
pages and unresolved docstring cross-references fail the build), renders no raw Sphinx
roles, and nothing shipped cites a document that does not ship."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: Sphinx roles, which mkdocstrings does not render: docstrings use ``[`Name`][dynalgo.Name]``
RAW_ROLE = re.compile(r":(func|class|meth|mod|data|attr|exc|obj):`")
#: files that ship with the package or its documentation
SHIPPED = [ROOT / "dynalgo", ROOT / "structures", ROOT / "predictors", DOCS, ROOT / "README.md"]
TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".txt", ".toml", ".cfg", ".rst", ".pyi"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="mkdocs is part of the test extras")
    pytest.importorskip("mkdocstrings")
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    res = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(DOCS / "mkdocs.yml"), "-d", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return out


def test_mkdocs_build_strict(site: Path) -> None:
    html = (site / "reference" / "index.html").read_text()
    assert "DynamicConnectivity" in html and "is_bipartite" in html, "API reference not generated from the docstrings"


def test_reference_has_the_engine_and_the_functions(site: Path) -> None:
    html = (site / "reference" / "index.html").read_text()
    assert 'id="dynalgo.engine.LiftingEngine"' in html and 'id="dynalgo.engine.BaseKernels"' in html
    # the offline APSP entry is the function (with its signature), not the module of the same name
    assert 'id="dynalgo.offline_apsp.offline_apsp"' in html
    assert re.search(r"offline_apsp\s*\(", re.sub(r"<[^>]+>", "", html))


def test_design_page(site: Path) -> None:
    html = (site / "design" / "index.html").read_text()
    for topic in ("l1 error", "partition tree", "schedule", "path stack", "retrigger", "horizon",
                  "race", "union-find", "Holm", "Sieve-Streaming", "leveled", "expiry stack", "Srinivas", "COLT 2024"):
        assert topic.lower() in html.lower(), topic
    assert "img/partition_tree.png" in html
    assert 'href="../timeline/#how-it-works"' in html


def test_no_raw_roles_in_the_site(site: Path) -> None:
    found = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for m in RAW_ROLE.finditer(text):
            found.append(f"{page.relative_to(site)}: {text[max(m.start() - 60, 0):m.end() + 40]!r}")
    assert not found, "raw Sphinx roles rendered:\n" + "\n".join(found[:20])


def test_no_raw_roles_in_public_docstrings() -> None:
    """The packages rendered by the reference use the cross-reference syntax the site renders."""
    found = []
    for pkg in ("dynalgo", "predictors"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if RAW_ROLE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not found, "Sphinx roles in docstrings:\n" + "\n".join(found)


def test_nothing_shipped_cites_the_internal_note() -> None:
    needle = "ALGORITHMS" + ".md"  # split so that this file does not match itself
    found = []
    for base in SHIPPED:
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in paths:
            if path.suffix not in TEXT_SUFFIXES or "__pycache__" in path.parts:
                continue
            if needle.lower() in path.read_text(encoding="utf-8", errors="replace").lower():
                found.append(str(path.relative_to(ROOT)))
    assert not found, f"{needle} is cited in: {found}"
