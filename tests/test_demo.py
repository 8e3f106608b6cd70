"""The ``python -m dynalgo demo`` command runs, exits 0 and its answers match the references."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dynalgo.demo import main


def test_demo_runs_and_answers_match(tmp_path: Path) -> None:
    out = tmp_path / "demo.json"
    code = main(["demo", "--quiet", "--window", "1h", "--json", str(out)])
    assert code == 0
    res = json.loads(out.read_text())
    assert res["dataset"] == "CollegeMsg" and res["updates"] > 60_000 and res["window_seconds"] == 3600
    assert res["hdt_answers_equal_offline"]
    names = [r["predictions"] for r in res["rows"]]
    assert "no predictions" in names and "exact sequence (oracle)" in names
    for r in res["rows"]:
        assert r["answers_equal_offline"], r["predictions"]
    realistic = res["rows"][0]
    assert realistic["predictions"].startswith("time-keyed") and realistic["answers_compared"] > 1000
    assert realistic["retriggers"] == 0 and realistic["base_work"] > 0
    exact = next(r for r in res["rows"] if r["predictions"] == "exact sequence (oracle)")
    none = next(r for r in res["rows"] if r["predictions"] == "no predictions")
    assert exact["l1_error"] == 0 and exact["retriggers"] == 0
    assert none["l1_error"] > exact["l1_error"] and none["work"] > exact["work"]


def test_cli_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "dynalgo", "demo", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--dataset" in proc.stdout and "``" not in proc.stdout


def test_submodular_demo(tmp_path: Path) -> None:
    out = tmp_path / "sub.json"
    code = main(["demo", "--quiet", "--problem", "submodular", "--items", "900", "--window", "300", "--k", "5",
                 "--json", str(out)])
    assert code == 0
    res = json.loads(out.read_text())
    assert res["problem"] == "submodular" and res["updates"] == 900 + 600
    rows = {r["predictions"]: r for r in res["rows"]}
    exact = rows["exact window (oracle), lifted alone"]
    assert exact["l1_per_update"] == 0.0
    assert exact["oracle_calls_per_update"] < rows["backstop alone (leveled)"]["oracle_calls_per_update"]
    for r in res["rows"]:
        assert r["half_approx_held"] and r["value_vs_greedy_min"] >= 0.4, r["predictions"]


def test_apsp_demo(tmp_path: Path) -> None:
    out = tmp_path / "apsp.json"
    code = main(["demo", "--quiet", "--problem", "apsp", "--users", "60", "--window", "90d", "--json", str(out)])
    assert code == 0
    res = json.loads(out.read_text())
    assert res["problem"] == "apsp" and res["users"] == 60 and res["updates"] > 1000
    assert 2 <= res["vertices"] <= 60 and res["window_seconds"] == 90 * 86_400
    for r in res["rows"]:
        assert r["answers_equal_offline"], r["predictions"]
    oracle = res["rows"][0]
    assert oracle["l1_per_update"] == 0.0 and oracle["retriggers"] == 0
