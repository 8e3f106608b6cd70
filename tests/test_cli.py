"""The command line (``python -m dynalgo``) and the top-level package names.

Argument handling is tested in process with the demos replaced by stubs, so these
tests run no algorithm; ``tests/test_demo.py`` runs the demos themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from dynalgo import _cli, demo
from dynalgo._cli import format_duration, parse_duration

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path | None = None, pythonpath: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


# --- durations ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, seconds",
    [("1d", 86_400), ("12h", 43_200), ("90d", 7_776_000), ("30m", 1_800), ("45s", 45), ("2w", 1_209_600),
     ("1d12h", 129_600), ("1d 12h", 129_600), ("3600", 3_600), ("+60", 60), (" 7D ", 604_800)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["-5", "0", "0d", "", "d", "1x", "1.5d", "1d-2h", "h12", "ten days"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "seconds, text",
    [(7_776_000, "90 days"), (86_400, "1 day"), (3_600, "1 hour"), (43_200, "12 hours"),
     (90_061, "1 day 1 hour 1 minute 1 second"), (600, "10 minutes")],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


# --- help --------------------------------------------------------------------------------------------------------

def test_help_is_plain_text_with_defaults() -> None:
    proc = _run("-m", "dynalgo", "demo", "--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "``" not in out and ":mod:" not in out and ":class:" not in out, out
    for opt in ("--problem", "--dataset", "--window", "--users", "--k", "--items", "--seed", "--json", "--quiet"):
        assert opt in out
    demo_parser = _cli.build_parser().demo_parser
    assert demo_parser is not None
    for action in demo_parser._actions:
        assert action.help, f"{action.option_strings} has no help text"
        if action.dest not in ("help", "quiet"):
            assert "(default:" in action.help, f"{action.option_strings} does not show its default"
    assert "1d" in out and "90d" in out


def test_top_level_help() -> None:
    proc = _run("-m", "dynalgo", "--help")
    assert proc.returncode == 0 and "demo" in proc.stdout


# --- bad values: one line, exit status 2 ----------------------------------------------------------------------------

BAD = [
    (["--window", "-5"], "positive"),
    (["--window", "0"], "positive"),
    (["--window", "soon"], "not a duration"),
    (["--problem", "submodular", "--window", "1d"], "number of items"),
    (["--problem", "apsp", "--dataset", "college-msg"], "--dataset college-msg does not apply to --problem apsp"),
    (["--problem", "submodular", "--dataset", "bitcoin-alpha"], "does not apply to --problem submodular"),
    (["--users", "50"], "--users applies to --problem apsp only"),
    (["--k", "5"], "--k applies to --problem submodular only"),
    (["--problem", "apsp", "--items", "5"], "--items applies to --problem submodular only"),
    (["--problem", "apsp", "--users", "1"], "at least 2"),
    (["--problem", "apsp", "--users", "100000"], "at most"),
    (["--problem", "submodular", "--k", "0"], "at least 1"),
    (["--seed", "-1"], "at least 0"),
    (["--seed", "x"], "expected an integer"),
    (["--problem", "graph"], "invalid choice"),
    (["--json", "/no/such/directory/out.json"], "does not exist"),
    (["--frobnicate"], "unrecognized arguments"),
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_arguments_one_line_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*a: Any, **k: Any) -> Any:
        raise AssertionError("the demo ran despite a bad argument")

    for name in ("run_demo", "run_apsp_demo", "run_submodular_demo"):
        monkeypatch.setattr(demo, name, never)
    with pytest.raises(SystemExit) as exc:
        _cli.main(["demo", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("python -m dynalgo") and ": error: " in lines[0] and message in lines[0], err


def test_bad_window_in_a_real_process() -> None:
    proc = _run("-m", "dynalgo", "demo", "--window", "-5")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stdout == ""


def test_missing_command() -> None:
    proc = _run("-m", "dynalgo")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr


# --- options reach the demos ----------------------------------------------------------------------------------------

@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    seen: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def stub(name: str) -> Any:
        def f(*args: Any, **kw: Any) -> dict[str, Any]:
            seen.append((name, args, kw))
            return {"rows": [], "hdt_answers_equal_offline": True}
        return f

    for name in ("run_demo", "run_apsp_demo", "run_submodular_demo"):
        monkeypatch.setattr(demo, name, stub(name))
    for name in ("_print_table", "_print_apsp", "_print_submodular"):
        monkeypatch.setattr(demo, name, lambda res: None)
    return seen


def test_defaults_per_problem(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
    assert _cli.main(["demo"]) == 0
    assert _cli.main(["demo", "--problem", "apsp"]) == 0
    assert _cli.main(["demo", "--problem", "submodular"]) == 0
    (n1, a1, k1), (n2, a2, k2), (n3, a3, k3) = calls
    assert n1 == "run_demo" and a1 == ("college-msg", 86_400) and k1["seed"] == 0
    assert n2 == "run_apsp_demo" and a2 == (7_776_000,) and k2["users"] == 400
    assert n3 == "run_submodular_demo" and a3 == (2_000, 10) and k3["n_items"] == 8_000


def test_options_are_honoured(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
    assert _cli.main(["demo", "--dataset", "bitcoin-alpha", "--window", "12h", "--seed", "3", "--quiet"]) == 0
    assert _cli.main(["demo", "--problem", "apsp", "--dataset", "bitcoin-alpha", "--window", "30d",
                      "--users", "60"]) == 0
    assert _cli.main(["demo", "--problem", "submodular", "--dataset", "college-msg", "--window", "300",
                      "--k", "5", "--items", "900"]) == 0
    (_, a1, k1), (_, a2, k2), (_, a3, k3) = calls
    assert a1 == ("bitcoin-alpha", 43_200) and k1 == {"seed": 3, "progress": False}
    assert a2 == (30 * 86_400,) and k2["users"] == 60
    assert a3 == (300, 5) and k3["n_items"] == 900


# --- what the demos print -------------------------------------------------------------------------------------------

def test_headers_print_durations_and_users(capsys: pytest.CaptureFixture[str]) -> None:
    demo._print_apsp({"dataset": "Bitcoin Alpha", "users": 400, "vertices": 399, "window_seconds": 7_776_000,
                      "updates": 10, "queries": 10, "offline_seconds": 0.1, "warmup_seconds": 0.1, "rows": []})
    demo._print_table({"dataset": "CollegeMsg", "window_seconds": 86_400, "updates": 10, "vertices": 5,
                       "queries": 10, "offline_seconds": 0.1, "warmup_seconds": 0.1, "hdt_seconds": 0.1,
                       "hdt_answers_equal_offline": True, "rows": []})
    out = capsys.readouterr().out
    assert "the 400 most active users (399 of them" in out and "90 days" in out and "7776000" not in out
    assert "W = 1 day" in out and "86400" not in out


# --- top-level package names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["structures", "predictors"])
def test_shadowing_package_fails_loudly(name: str, tmp_path: Path) -> None:
    """A user's own ``structures`` or ``predictors`` first on sys.path must not be imported silently."""
    fake = tmp_path / name
    fake.mkdir()
    (fake / "__init__.py").write_text("IMPORTED_FAKE = True\n")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        sys.path.insert(1, {str(ROOT)!r})
        try:
            import dynalgo
        except ImportError as e:
            mod = sys.modules.get({name!r})
            print(type(e).__name__)
            print(str(e))
            print("fake imported:", getattr(mod, "IMPORTED_FAKE", False))
        else:
            print("no error")
    """)
    proc = _run("-c", script, cwd=tmp_path, pythonpath="")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("PackageNameClashError"), out
    assert f"'{name}'" in out and str(fake) in out and "sys.path" in out, out
    assert "fake imported: False" in out, out


def test_shadowing_module_already_imported(tmp_path: Path) -> None:
    """A same-named module imported before dynalgo is detected too."""
    (tmp_path / "predictors.py").write_text("X = 1\n")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        sys.path.insert(1, {str(ROOT)!r})
        import predictors
        try:
            import dynalgo
        except ImportError as e:
            print(type(e).__name__, e)
    """)
    proc = _run("-c", script, cwd=tmp_path, pythonpath="")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("PackageNameClashError") and "predictors.py" in proc.stdout, proc.stdout


def test_own_packages_import_cleanly(tmp_path: Path) -> None:
    proc = _run("-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); import dynalgo, structures, predictors; "
                      "print(structures.__dynalgo_package__, predictors.__dynalgo_package__)",
                cwd=tmp_path, pythonpath="")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["structures", "predictors"]
