"""Bounds-checked run of the kernels.

numba does not check array bounds by default, so an out-of-range index in a kernel
corrupts memory silently.  ``test_marked_tests_pass_with_bounds_checks`` reruns
every test marked ``boundscheck`` (the state machines of each structure and long
insert/delete loops, baselines included) in a subprocess with
``NUMBA_BOUNDSCHECK=1``, where such an index raises ``IndexError`` instead.  The
subprocess compiles the kernels again, with bounds checks, into a cache directory
of its own in the system temp directory (one per checkout, kept between runs, so
only the first run pays the compilation), and uses the small ``boundscheck``
hypothesis profile (tests/conftest.py).  The subprocess starts when this module is
collected and runs alongside the rest of the suite, on the other core.

The long loops below are part of that subset (and of the ordinary run).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

import predictors
from dynalgo import Delete, DynamicBipartiteness, DynamicConnectivity, Insert, UpdateBatch, offline_connectivity

ROOT = Path(__file__).resolve().parents[1]
#: set in the bounds-checked subprocess, so that it does not start another one
INNER = "DYNALGO_BOUNDSCHECK_INNER"


def cache_dir() -> Path:
    """The bounds-checked kernels' cache: one directory per checkout, kept between runs."""
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"dynalgo-numba-boundscheck-{tag}"


def _start() -> subprocess.Popen[str] | None:
    """Start the bounds-checked run when this module is collected, so that it runs on the
    second core while the rest of the suite runs (the test below waits for it)."""
    if os.environ.get(INNER) == "1":
        return None
    env = dict(os.environ)
    env.update(NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(cache_dir()), HYPOTHESIS_PROFILE="boundscheck", **{INNER: "1"})
    cmd = [sys.executable, "-m", "pytest", "-q", "-m", "boundscheck", "-p", "no:cacheprovider", str(ROOT / "tests")]
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a long report never blocks the child
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.log = log  # type: ignore[attr-defined]
    atexit.register(lambda: proc.poll() is None and proc.kill())
    return proc


_STARTED = time.perf_counter()
_PROC = _start()


@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="already inside the bounds-checked run")
def test_marked_tests_pass_with_bounds_checks() -> None:
    assert _PROC is not None
    log = _PROC.log  # type: ignore[attr-defined]
    try:
        _PROC.wait(timeout=1500)
    except subprocess.TimeoutExpired:
        _PROC.kill()
        _PROC.wait()
    log.seek(0)
    out = log.read()
    if _PROC.returncode is None or _PROC.returncode < 0:
        pytest.fail(f"bounds-checked run timed out or was killed:\n{out[-4000:]}")
    took = time.perf_counter() - _STARTED
    print(f"bounds-checked run: {took:.0f} s after collection\n{out[-2000:]}")
    assert _PROC.returncode == 0, f"bounds-checked run failed (exit {_PROC.returncode}, {took:.0f} s):\n{out}"
    assert " passed" in out and "no tests ran" not in out


# ---------------------------------------------------------------------------------
# long insert/delete loops
# ---------------------------------------------------------------------------------
def toggles(n: int, T: int, seed: int) -> UpdateBatch:
    """``T`` updates on ``n`` vertices, each inserting a random pair if absent, deleting it if present."""
    rng = np.random.default_rng(seed)
    present: set[tuple[int, int]] = set()
    ups: list[Insert | Delete] = []
    for a, b in rng.integers(0, n, size=(T, 2)).tolist():
        e = (min(a, b), max(a, b))
        if e in present:
            present.remove(e)
            ups.append(Delete(*e))
        else:
            present.add(e)
            ups.append(Insert(*e))
    return UpdateBatch.from_updates(ups)


def _replay(g: DynamicConnectivity | DynamicBipartiteness, batch: UpdateBatch, pdel: np.ndarray, step_days: int) -> None:
    """The first ``step_days`` updates one at a time, the rest in one ``run``."""
    for k, (op, u, v) in enumerate(zip(batch.op[:step_days].tolist(), batch.u[:step_days].tolist(),
                                        batch.v[:step_days].tolist())):
        if op == 1:
            g.insert(u, v, predicted_deletion=int(pdel[k]) or None)
        else:
            g.delete(u, v)


@pytest.mark.boundscheck
@pytest.mark.parametrize("backstop", [None, "hdt"], ids=["lifted", "raced"])
@pytest.mark.parametrize("quality", ["perturbed", "none"])
def test_long_connectivity_loop(backstop: str | None, quality: str) -> None:
    """2,500 toggles on 30 vertices (past the initial horizon of 1,024 days): 600 single
    steps, then the rest as a batch with a query per day, against the offline answers."""
    n, T, steps = 30, 2500, 600
    batch = toggles(n, T, seed=11)
    preds = predictors.perturbed(batch, 8.0, seed=3, drop=0.1) if quality == "perturbed" else None
    g = DynamicConnectivity(n, preds, backstop=backstop, seed=5)
    _replay(g, batch, np.zeros(T, dtype=np.int64), steps)
    g.check()
    rest = batch[steps:]
    rng = np.random.default_rng(4)
    q = np.stack([np.arange(1, len(rest) + 1), rng.integers(0, n, len(rest)), rng.integers(0, n, len(rest))], axis=1)
    got = g.run(rest, q)
    full_q = q.copy()
    full_q[:, 0] += steps
    assert np.array_equal(got, offline_connectivity(n, batch, full_q))
    assert g.day == T
    if backstop is None and preds is None:
        assert g.stats.horizon_doublings >= 1
    g.check()


@pytest.mark.boundscheck
@pytest.mark.parametrize("quality", ["exact", "window", "none"])
def test_long_bipartiteness_loop(quality: str) -> None:
    """2,500 toggles on 12 vertices: single steps with predicted deletion days, then a
    batch; bipartiteness after every day against a from-scratch 2-colouring."""
    import networkx as nx

    n, T, steps = 12, 2500, 500
    batch = toggles(n, T, seed=21)
    # the true deletion day of each insertion (or a guess 5 days later)
    pdel = np.zeros(T, dtype=np.int64)
    open_at: dict[tuple[int, int], int] = {}
    for k, (op, u, v) in enumerate(zip(batch.op.tolist(), batch.u.tolist(), batch.v.tolist())):
        if op == 1:
            open_at[(u, v)] = k
        else:
            i = open_at.pop((u, v))
            pdel[i] = k + 1 if quality == "exact" else i + 6
    if quality == "none":
        pdel[:] = 0
    g = DynamicBipartiteness(n, seed=9)
    _replay(g, batch, pdel, steps)
    g.check()
    rest = batch[steps:]
    rest_pdel = np.where(pdel[steps:] > steps, pdel[steps:] - steps, 0)
    got = g.run(rest, predicted_deletions=rest_pdel)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    want = []
    for k, (op, u, v) in enumerate(zip(batch.op.tolist(), batch.u.tolist(), batch.v.tolist())):
        graph.add_edge(u, v) if op == 1 else graph.remove_edge(u, v)
        if k >= steps:
            want.append(nx.is_bipartite(graph) and not any(a == b for a, b in graph.edges()))
    assert got.tolist() == want
    g.check()
