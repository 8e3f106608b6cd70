"""Hostile input to every public entry point: typed errors only, and nothing changes.

For each entry point, hypothesis draws values of the wrong kind (floats, bools, NaN,
huge or negative integers, strings, None, numpy scalars of many dtypes, arrays of the
wrong shape) mixed with valid ones.  A call must either succeed with exactly the
result of the equivalent clean input (the same values as plain Python ints), or raise
a :class:`dynalgo.DynalgoError` -- never a bare ValueError / TypeError /
OverflowError / IndexError from numpy or numba -- and a rejected call must leave
every state array of the structure bit-identical.  (The element registry, a hash
table, is compared by content after a duplicate or missing element: taking back
its new entries leaves scratch cells behind.)

The prediction generators (:mod:`predictors`) do not import dynalgo; they raise
``ValueError`` / ``TypeError`` from their own argument checks.
"""

from __future__ import annotations

import math
import numbers
import traceback
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import predictors
from dynalgo import (
    Delete,
    DuplicateElementError,
    DynalgoError,
    DynamicBipartiteness,
    DynamicConnectivity,
    Insert,
    InvalidInputError,
    InvalidTypeError,
    MissingElementError,
    Predictions,
    UpdateBatch,
    offline_connectivity,
    screen_contingencies,
)
from dynalgo._registry import Registry
from dynalgo.updates import UPDATE_DTYPE

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
N = 6

# ---------------------------------------------------------------------------------
# hostile values
# ---------------------------------------------------------------------------------
NUMPY_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                np.float16, np.float32, np.float64, np.longdouble, np.bool_, np.complex128]


def _np_scalar(dt: Any) -> st.SearchStrategy[Any]:
    return hnp.from_dtype(np.dtype(dt)).map(lambda x: np.array(x, dtype=dt)[()])


small_ints = st.integers(-2, N + 1)


def _cheap_n(x: Any) -> bool:
    """Keep vertex counts whose structures are small, or that are rejected anyway."""
    c = clean_int(x, floats=False)
    return c is None or c <= 64 or c > 2**31
numpy_scalars = st.sampled_from(NUMPY_DTYPES).flatmap(_np_scalar)
small_numpy_ints = st.tuples(st.integers(0, N - 1), st.sampled_from(NUMPY_DTYPES[:8])).map(
    lambda t: np.array(t[0]).astype(t[1])[()])
hostile_scalars = st.one_of(
    small_ints, small_ints, small_numpy_ints,
    st.integers(-2**70, 2**70),
    st.sampled_from([INT64_MAX, INT64_MAX + 1, INT64_MIN, INT64_MIN - 1, 2**64, 2**64 - 1, 2**62]),
    st.floats(), st.sampled_from([0.0, 1.0, 2.0, 1.5, -0.0, math.nan, math.inf, 2.0**63, 1e30]),
    st.booleans(), st.none(), st.text(max_size=2), numpy_scalars,
    st.just([1]), st.just(np.array([1, 2])), st.just(object()),
)


def clean_int(x: Any, *, floats: bool) -> int | None:
    """The plain int a value stands for, or None if it is not an acceptable integer."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, numbers.Integral):
        k = int(x)
    elif floats and isinstance(x, numbers.Real):
        f = float(x)
        if not (math.isfinite(f) and f == math.floor(f)):
            return None
        k = int(f)
    else:
        return None
    return k if INT64_MIN <= k <= INT64_MAX else None


def hostile_column(elements: st.SearchStrategy[Any], max_size: int = 5) -> st.SearchStrategy[Any]:
    """A list of hostile scalars, or a numpy array of a random dtype."""
    arrays = st.sampled_from(NUMPY_DTYPES).flatmap(
        lambda dt: hnp.arrays(dt, st.integers(0, max_size), elements=_small_elements(dt)))
    return st.one_of(st.lists(elements, max_size=max_size), arrays, arrays.map(list))


def _small_elements(dt: Any) -> st.SearchStrategy[Any] | None:
    if np.dtype(dt).kind in "iu":
        info = np.iinfo(dt)
        return st.one_of(st.integers(max(info.min, -1), min(info.max, N)), st.integers(info.min, info.max))
    return None


# ---------------------------------------------------------------------------------
# state snapshots
# ---------------------------------------------------------------------------------
def snapshot(obj: Any) -> dict[str, Any]:
    """Every array (dtype, shape and bytes) and plain value reachable from ``obj``'s attributes."""
    out: dict[str, Any] = {}
    seen: set[int] = set()

    def walk(x: Any, path: str) -> None:
        if isinstance(x, np.ndarray):
            out[path] = (x.dtype.str, x.shape, x.tobytes())
        elif isinstance(x, (int, float, str, bytes, bool, type(None), np.generic)):
            out[path] = (type(x).__name__, repr(x))
        elif isinstance(x, Registry):
            out[path + "#content"] = (x.size, x.keys.tolist(), [x.get(int(k)) for k in x.keys])
            for name, val in vars(x).items():
                walk(val, f"{path}.{name}#registry")
        elif callable(x) or isinstance(x, type):
            return
        elif isinstance(x, (tuple, list)):
            for k, y in enumerate(x):
                walk(y, f"{path}[{k}]")
        elif isinstance(x, dict):
            for k, y in x.items():
                walk(y, f"{path}[{k!r}]")
        elif id(x) not in seen:
            seen.add(id(x))
            names = list(getattr(x, "__dict__", {}))
            for cls in type(x).__mro__:
                names += [s for s in getattr(cls, "__slots__", ()) if isinstance(s, str)]
            for name in names:
                if hasattr(x, name):
                    walk(getattr(x, name), f"{path}.{name}")

    walk(obj, "")
    return out


def assert_same_state(before: dict[str, Any], after: dict[str, Any], *, registry_by_content: bool = False) -> None:
    assert before.keys() == after.keys()
    for key, val in before.items():
        if registry_by_content and "#registry" in key:
            continue
        assert after[key] == val, f"{key} changed"


def attempt(target: Any, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``call``; on a DynalgoError check that ``target`` is bit-identical and return
    (False, error).  Any other exception fails the test."""
    before = snapshot(target) if target is not None else {}
    try:
        return True, call()
    except DynalgoError as exc:
        assert str(exc)
        if target is not None:
            dup = isinstance(exc, (DuplicateElementError, MissingElementError))
            assert_same_state(before, snapshot(target), registry_by_content=dup)
        return False, exc
    except Exception as exc:  # pragma: no cover - the failure we are looking for
        pytest.fail(f"untyped {type(exc).__name__} escaped: {exc}\n{traceback.format_exc()}")


def observable(g: Any) -> tuple[Any, ...]:
    """What a structure shows through its public members (two equal structures built
    separately differ in their scratch memory, so twins are compared by this)."""
    pairs = [(a, b) for a in range(g.n) for b in range(g.n)]
    ask = g.connected if hasattr(g, "connected") else g.same_side
    return (sorted(map(tuple, g.edges().tolist())), g.num_edges, g.num_components, g.day, g.stats,
            [ask(a, b) for a, b in pairs])


def same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    return bool(a == b)


def graph_with_history(cls: type, **kw: Any) -> Any:
    g = cls(N, Predictions.from_arrays([1, 0, 1], [0, 0, 2], [1, 1, 3], [1, 4, 2]), **kw)
    g.run(UpdateBatch.from_updates([Insert(0, 1), Insert(2, 3), Insert(1, 2), Delete(0, 1)]))
    return g


STRUCTURES = [
    pytest.param(lambda: graph_with_history(DynamicConnectivity, seed=3), id="raced"),
    pytest.param(lambda: graph_with_history(DynamicConnectivity, backstop=None), id="lifted"),
    pytest.param(lambda: graph_with_history(DynamicBipartiteness), id="bipartite"),
]


# ---------------------------------------------------------------------------------
# single updates and queries
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make", STRUCTURES)
@given(method=st.sampled_from(["insert", "delete", "has_edge", "connected_or_side"]),
       a=hostile_scalars, b=hostile_scalars,
       pdel=st.one_of(st.none(), hostile_scalars))
def test_single_calls(make: Callable[[], Any], method: str, a: Any, b: Any, pdel: Any) -> None:
    g, twin = make(), make()
    if method == "connected_or_side":
        method = "connected" if hasattr(g, "connected") else "same_side"
    ca, cb = clean_int(a, floats=False), clean_int(b, floats=False)
    kw: dict[str, Any] = {}
    if method == "insert" and pdel is not None:
        kw["predicted_deletion"] = pdel
    ok, res = attempt(g, lambda: getattr(g, method)(a, b, **kw))
    clean_ok = ca is not None and cb is not None and 0 <= ca < N and 0 <= cb < N
    if method == "insert" and pdel is not None:
        # a positive integer day; days beyond int64 mean "never", like no prediction
        cp = int(pdel) if isinstance(pdel, numbers.Integral) and not isinstance(pdel, (bool, np.bool_)) else None
        clean_ok = clean_ok and cp is not None and cp >= 1
        cp = min(cp, 1 << 60) if cp is not None else None
        kw = {"predicted_deletion": cp}
    if not clean_ok:
        assert not ok, f"{method}({a!r}, {b!r}, {kw}) was accepted"
        return
    ok2, res2 = attempt(twin, lambda: getattr(twin, method)(ca, cb, **kw))
    assert ok == ok2 and (type(res) is type(res2) if not ok else same(res, res2))
    assert observable(g) == observable(twin)


# ---------------------------------------------------------------------------------
# UpdateBatch, Insert / Delete, Predictions
# ---------------------------------------------------------------------------------
def _expected_column(col: Any, floats: bool = True) -> list[int] | None:
    a = np.asarray(col, dtype=object) if not isinstance(col, np.ndarray) else col
    if a.ndim != 1:
        return None
    if a.size == 0:
        return []
    vals = [clean_int(x, floats=floats) for x in a.tolist()] if a.dtype != object else \
        [clean_int(x, floats=floats) for x in list(col)]
    if isinstance(col, np.ndarray) and col.dtype.kind in "iu":
        vals = [int(x) if INT64_MIN <= int(x) <= INT64_MAX else None for x in col.tolist()]
    if isinstance(col, np.ndarray) and col.dtype.kind == "b":
        return None
    return None if any(x is None for x in vals) else vals  # type: ignore[misc]


@given(ups=st.lists(st.tuples(st.booleans(), hostile_scalars, hostile_scalars), max_size=4))
def test_from_updates(ups: list[tuple[bool, Any, Any]]) -> None:
    objs = [Insert(u, v) if ins else Delete(u, v) for ins, u, v in ups]
    ok, res = attempt(None, lambda: UpdateBatch.from_updates(objs))
    cleans = [(clean_int(u, floats=True), clean_int(v, floats=True)) for _, u, v in ups]
    if any(c is None for pair in cleans for c in pair):
        assert not ok, f"{objs} was accepted"
        return
    assert ok, res
    assert res.op.tolist() == [1 if ins else 0 for ins, _, _ in ups]
    assert res.u.tolist() == [c[0] for c in cleans] and res.v.tolist() == [c[1] for c in cleans]


@given(op=hostile_column(st.one_of(st.sampled_from([0, 1]), hostile_scalars)),
       u=hostile_column(hostile_scalars), v=hostile_column(hostile_scalars))
def test_from_arrays(op: Any, u: Any, v: Any) -> None:
    ok, res = attempt(None, lambda: UpdateBatch.from_arrays(op, u, v))
    eo, eu, ev = _expected_column(op), _expected_column(u), _expected_column(v)
    good = (eo is not None and eu is not None and ev is not None and len(eo) == len(eu) == len(ev)
            and all(x in (0, 1) for x in eo))
    note(f"expected {eo}, {eu}, {ev}")
    if not good:
        assert not ok, "accepted"
        return
    assert ok, res
    assert (res.op.tolist(), res.u.tolist(), res.v.tolist()) == (eo, eu, ev)
    # the same values through the other constructor give the same batch
    again = UpdateBatch.from_updates(Insert(a, b) if o else Delete(a, b) for o, a, b in zip(eo, eu, ev))  # type: ignore[arg-type]
    assert again.data.tobytes() == res.data.tobytes()


@given(ops=st.lists(st.integers(-128, 127), max_size=5))
def test_raw_update_batch_checks_op(ops: list[int]) -> None:
    raw = np.zeros(len(ops), dtype=UPDATE_DTYPE)
    raw["op"] = ops
    ok, res = attempt(None, lambda: UpdateBatch(raw))
    assert ok == all(x in (0, 1) for x in ops)


@given(op=hostile_column(st.sampled_from([0, 1])), u=hostile_column(small_ints), v=hostile_column(small_ints),
       day=hostile_column(hostile_scalars))
def test_predictions_from_arrays(op: Any, u: Any, v: Any, day: Any) -> None:
    ok, res = attempt(None, lambda: Predictions.from_arrays(op, u, v, day))
    eo, eu, ev = _expected_column(op), _expected_column(u), _expected_column(v)
    ed = None
    if not (isinstance(day, np.ndarray) and day.dtype.kind in "bc" and day.size):
        raw = list(day.tolist() if isinstance(day, np.ndarray) else day)
        if isinstance(day, np.ndarray) and day.dtype.kind in "iu":
            ed = [int(x) for x in raw]
        else:
            ed = [clean_int(x, floats=True) if not (isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_)))
                  else int(x) for x in raw]  # type: ignore[misc]
        if any(x is None for x in ed):  # type: ignore[union-attr]
            ed = None
    good = (None not in (eo, eu, ev, ed) and len(eo) == len(eu) == len(ev) == len(ed)  # type: ignore[arg-type]
            and all(x in (0, 1) for x in eo) and all(x >= 1 for x in ed))  # type: ignore[union-attr]
    if not good:
        assert not ok, "accepted"
        return
    assert ok, res
    assert res.day.tolist() == [min(x, INT64_MAX) for x in ed]  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------
# construction options
# ---------------------------------------------------------------------------------
def _expected_options(kw: dict[str, Any]) -> dict[str, Any] | None:
    """The clean equivalent of constructor options, or None if they must be rejected."""
    out: dict[str, Any] = {}
    for name, x in kw.items():
        if name in ("seed",):
            c = clean_int(x, floats=False) if not isinstance(x, numbers.Integral) or isinstance(x, (bool, np.bool_)) \
                else int(x)
            if c is None:
                return None
            out[name] = c
        elif name == "race_quantum":
            if x is None:
                out[name] = None
                continue
            c = clean_int(x, floats=False)
            if c is None or not 1 <= c <= 2**62:
                return None
            out[name] = c
        elif name == "backstop_share":
            if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
                return None
            try:
                f = float(x)
            except OverflowError:
                return None
            if not (math.isfinite(f) and 1e-6 <= f <= 1e6):
                return None
            out[name] = f
        elif name == "deterministic_schedule":
            if not isinstance(x, (bool, np.bool_)):
                return None
            out[name] = bool(x)
        elif name == "tree":
            if not isinstance(x, str) or x not in ("dyadic", "treap"):
                return None
            out[name] = x
        elif name == "n":
            c = clean_int(x, floats=False)
            if c is None or not 1 <= c <= 2**24:
                return None
            out[name] = c
    return out


def _exercise(g: Any) -> Any:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1), Insert(0, 2)])
    if isinstance(g, DynamicConnectivity):
        return g.run(batch, [[1, 0, 1], [3, 0, 1], [4, 0, 1]]).tolist(), g.stats
    return g.run(batch).tolist(), g.stats


options = st.fixed_dictionaries({}, optional={
    "seed": st.one_of(hostile_scalars, st.integers()),
    "race_quantum": st.one_of(st.none(), hostile_scalars, st.integers(1, 100)),
    "backstop_share": st.one_of(hostile_scalars, st.floats(1e-7, 1e7), st.integers(-3, 10**7)),
    "deterministic_schedule": st.one_of(st.booleans(), hostile_scalars, st.sampled_from([np.True_, "yes", 1, 0])),
    "tree": st.one_of(st.sampled_from(["dyadic", "treap", "DYADIC", "", b"dyadic"]), hostile_scalars),
})


@given(n=st.one_of(st.integers(1, 8), hostile_scalars.filter(_cheap_n)), kw=options, bip=st.booleans())
def test_constructor_options(n: Any, kw: dict[str, Any], bip: bool) -> None:
    cls = DynamicBipartiteness if bip else DynamicConnectivity
    if bip:
        kw.pop("race_quantum", None)
        kw.pop("backstop_share", None)
    ok, res = attempt(None, lambda: cls(n, **kw))
    clean = _expected_options({"n": n, **kw})
    note(f"clean: {clean}")
    if clean is None:
        assert not ok, "accepted"
        return
    assert ok, res
    twin = cls(clean.pop("n"), **clean)
    if int(res.n) >= 3:
        assert same(_exercise(res)[0], _exercise(twin)[0])
    assert observable(res) == observable(twin)
    for a, b in (("_engine", "meta"), ("_race", "rmeta"), ("_race", "rf")):  # seeds, flags, share, quantum
        if hasattr(res, a) and getattr(res, a) is not None:
            assert np.array_equal(getattr(getattr(res, a), b), getattr(getattr(twin, a), b))


# ---------------------------------------------------------------------------------
# run(): queries, days and predicted deletions
# ---------------------------------------------------------------------------------
GOOD = UpdateBatch.from_updates([Insert(4, 5), Insert(0, 4), Delete(1, 2), Insert(1, 5)])


def _clean_matrix(x: Any, cols: int | None) -> list[Any] | None:
    """Integer rows (no floats) as plain ints, or None."""
    if isinstance(x, (str, bytes)) or x is None:
        return None
    try:
        a = np.asarray(x) if isinstance(x, np.ndarray) else np.asarray(x, dtype=object)
    except (ValueError, TypeError):
        return None
    if a.size == 0:
        return []
    if (cols is None and a.ndim != 1) or (cols is not None and (a.ndim != 2 or a.shape[1] != cols)):
        return None
    if a.dtype.kind in "bfc" or a.dtype.kind not in "iuO":
        return None
    flat = [clean_int(e, floats=False) for e in a.ravel().tolist()]
    if any(e is None for e in flat):
        return None
    arr = np.array(flat, dtype=np.int64).reshape(a.shape)
    return arr.tolist()  # type: ignore[no-any-return]


query_rows = st.lists(st.tuples(st.integers(0, 4), small_ints, small_ints).map(list), max_size=4).map(
    lambda rows: sorted(rows, key=lambda r: r[0]))
hostile_queries = st.one_of(
    query_rows,
    query_rows.map(np.array),
    st.tuples(query_rows, st.sampled_from(NUMPY_DTYPES)).map(lambda t: np.array(t[0]).astype(t[1]) if t[0] else np.array(t[0])),
    st.lists(st.lists(hostile_scalars, min_size=3, max_size=3), max_size=3),
    st.lists(st.lists(small_ints, max_size=4), max_size=3),
    hnp.arrays(st.sampled_from(NUMPY_DTYPES), hnp.array_shapes(max_dims=3, max_side=4)),
    hostile_scalars,
)
hostile_pdel = st.one_of(
    st.none(),
    st.lists(st.integers(0, 10), min_size=4, max_size=4),
    st.lists(hostile_scalars, min_size=3, max_size=5),
    st.sampled_from(NUMPY_DTYPES).flatmap(lambda dt: hnp.arrays(dt, st.integers(3, 5))),
    hostile_scalars,
)


@pytest.mark.parametrize("make", STRUCTURES)
@given(q=hostile_queries, pdel=hostile_pdel)
def test_run(make: Callable[[], Any], q: Any, pdel: Any) -> None:
    g, twin = make(), make()
    bip = isinstance(g, DynamicBipartiteness)
    ok, res = attempt(g, lambda: g.run(GOOD, q, predicted_deletions=pdel))
    cq = _clean_matrix(q, None if bip else 3) if q is not None else None
    cp = _clean_matrix(pdel, None) if pdel is not None else None
    clean_ok = (q is None or cq is not None) and (pdel is None or (cp is not None and len(cp) == len(GOOD)))
    if cp is not None:
        cp = [min(x, 1 << 60) for x in cp]
    if not clean_ok:
        assert not ok, "accepted"
        return
    ok2, res2 = attempt(twin, lambda: twin.run(GOOD, None if q is None else np.array(cq, dtype=np.int64),
                                               predicted_deletions=None if pdel is None else np.array(cp, dtype=np.int64)))
    assert ok == ok2, (res, res2)
    assert same(res, res2) if ok else type(res) is type(res2)
    assert observable(g) == observable(twin)


# ---------------------------------------------------------------------------------
# offline connectivity and contingency screening
# ---------------------------------------------------------------------------------
@given(n=st.one_of(st.integers(1, 8), hostile_scalars.filter(_cheap_n)), q=hostile_queries)
def test_offline_connectivity(n: Any, q: Any) -> None:
    ok, res = attempt(None, lambda: offline_connectivity(n, GOOD, q))
    cn = clean_int(n, floats=False)
    cq = _clean_matrix(q, 3) if q is not None else []
    if cn is None or cn < 1 or cq is None:
        assert not ok, "accepted"
        return
    ok2, res2 = attempt(None, lambda: offline_connectivity(cn, GOOD, np.array(cq, dtype=np.int64).reshape(-1, 3)))
    assert ok == ok2 and (same(res, res2) if ok else type(res) is type(res2))


lines = st.lists(st.tuples(small_ints, small_ints).map(list), max_size=5)


@given(branches=st.one_of(lines, lines.map(np.array), st.lists(st.lists(hostile_scalars, min_size=2, max_size=2), max_size=3),
                          hnp.arrays(st.sampled_from(NUMPY_DTYPES), hnp.array_shapes(max_dims=3, max_side=3)), hostile_scalars),
       cont=st.one_of(st.lists(st.one_of(small_ints, st.lists(small_ints, max_size=3), hostile_scalars), max_size=4),
                      hnp.arrays(st.sampled_from(NUMPY_DTYPES), hnp.array_shapes(max_dims=2, max_side=3)), hostile_scalars),
       reference=st.one_of(st.just(0), hostile_scalars), seed=st.one_of(st.just(0), hostile_scalars))
def test_screen_contingencies(branches: Any, cont: Any, reference: Any, seed: Any) -> None:
    ok, res = attempt(None, lambda: screen_contingencies(N, branches, cont, reference=reference, seed=seed))
    cb = _clean_matrix(branches, 2)
    cr, cs = clean_int(reference, floats=False), clean_int(seed, floats=False)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_)):
        cs = int(seed)
    if cb is None or cr is None or cs is None or not 0 <= cr < N or any(not 0 <= x < N for r in cb for x in r):
        assert not ok, "accepted"
        return
    if ok:  # the clean equivalent gives the same report
        rows = cont.tolist() if isinstance(cont, np.ndarray) else cont
        twin = screen_contingencies(N, np.array(cb, dtype=np.int64).reshape(-1, 2), cont if isinstance(cont, np.ndarray) else rows,
                                    reference=cr, seed=cs)
        assert np.array_equal(res.islanded, twin.islanded) and res.stats == twin.stats


# ---------------------------------------------------------------------------------
# prediction generators
# ---------------------------------------------------------------------------------
@given(scale=st.one_of(st.floats(0, 100), hostile_scalars), seed=st.one_of(st.just(0), hostile_scalars),
       drop=st.one_of(st.just(0.0), hostile_scalars), first_day=st.one_of(st.just(1), hostile_scalars),
       which=st.sampled_from(["exact", "perturbed", "garbage", "l1", "repeat"]))
def test_predictor_arguments(scale: Any, seed: Any, drop: Any, first_day: Any, which: str) -> None:
    b = GOOD
    calls: dict[str, Callable[[], Any]] = {
        "exact": lambda: predictors.exact(b, first_day=first_day),
        "perturbed": lambda: predictors.perturbed(b, scale, seed=seed, drop=drop, first_day=first_day),
        "garbage": lambda: predictors.garbage(b, seed=seed, first_day=first_day),
        "l1": lambda: predictors.l1_error(predictors.exact(b), b, first_day=first_day, horizon=seed),
        "repeat": lambda: predictors.repeat_last_period(b, scale, first_day, include_history=drop),  # type: ignore[arg-type]
    }
    try:
        out = calls[which]()
    except (ValueError, TypeError) as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        assert frames[-1].filename.replace("\\", "/").endswith("predictors/basic.py"), \
            f"{type(exc).__name__} from {frames[-1].filename}: {exc}"
        return
    except Exception as exc:  # pragma: no cover
        pytest.fail(f"untyped {type(exc).__name__} escaped: {exc}")
    if which in ("exact", "perturbed", "garbage"):
        assert out.day.dtype == np.int64 and (out.day >= 1).all()
        Predictions.coerce(out)  # always usable as predictions


# ---------------------------------------------------------------------------------
# regressions: the examples of the report
# ---------------------------------------------------------------------------------
def test_from_updates_rejects_floats_and_bools_like_from_arrays() -> None:
    with pytest.raises(InvalidInputError):
        UpdateBatch.from_updates([Insert(1.9, 2.7), Delete(True, 2)])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        UpdateBatch.from_updates([Insert(1, 2), Delete(True, 2)])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        UpdateBatch.from_arrays([1, 0], [1.9, True], [2.7, 2])
    with pytest.raises(InvalidTypeError):
        UpdateBatch.from_arrays([1, 0], [1, True], [2, 2])  # a bool hidden among ints
    g = DynamicConnectivity(4)
    with pytest.raises(DynalgoError):
        g.insert(1.9, 2.7)  # type: ignore[arg-type]
    with pytest.raises(DynalgoError):
        g.insert(True, 2)  # type: ignore[arg-type]
    assert g.num_edges == 0


def test_raw_batch_with_a_bad_op_is_rejected() -> None:
    raw = np.zeros(2, dtype=UPDATE_DTYPE)
    raw["op"], raw["u"], raw["v"] = [1, 5], [0, 0], [1, 1]
    with pytest.raises(InvalidInputError, match="op"):
        UpdateBatch(raw)


@pytest.mark.parametrize("make", STRUCTURES)
def test_bad_op_written_into_a_batch_applies_nothing(make: Callable[[], Any]) -> None:
    g = make()
    b = UpdateBatch.from_updates([Insert(4, 5), Delete(4, 5), Insert(4, 5)])
    b.op[2] = 7  # the columns are writable views
    before = snapshot(g)
    with pytest.raises(InvalidInputError, match="op"):
        g.run(b)
    assert_same_state(before, snapshot(g))
    with pytest.raises(InvalidInputError, match="op"):
        offline_connectivity(N, b, [[3, 4, 5]])


@pytest.mark.parametrize("kw,err", [
    (dict(race_quantum=2**70), InvalidInputError),
    (dict(seed="x"), InvalidTypeError),
    (dict(seed=1.5), InvalidTypeError),
    (dict(deterministic_schedule="yes"), InvalidTypeError),
    (dict(backstop_share=2**2000), InvalidInputError),
    (dict(backstop_share=1e-300), InvalidInputError),
    (dict(tree=3), InvalidTypeError),
    (dict(backstop=0), InvalidTypeError),
], ids=repr)
def test_bad_engine_options(kw: dict[str, Any], err: type[Exception]) -> None:
    with pytest.raises(err):
        DynamicConnectivity(4, **kw)
    if "race_quantum" not in kw and "backstop" not in kw and "backstop_share" not in kw:
        with pytest.raises(err):
            DynamicBipartiteness(4, **kw)


def test_type_errors_are_type_and_value_errors() -> None:
    for call in (lambda: DynamicConnectivity(4, seed="x"), lambda: UpdateBatch.from_updates([Insert("a", 1)])):  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            call()
        with pytest.raises(ValueError):
            call()


def test_ids_beyond_int64_are_rejected_with_their_value() -> None:
    with pytest.raises(InvalidInputError, match="18446744073709551616"):
        UpdateBatch.from_updates([Insert(2**64, 1)])
    with pytest.raises(InvalidInputError, match=str(2**63 + 5)):
        UpdateBatch.from_arrays([1], [2**63 + 5], [1])
    with pytest.raises(InvalidInputError, match=str(2**63 + 5)):
        UpdateBatch.from_arrays([1], np.array([2**63 + 5], dtype=np.uint64), [1])
    with pytest.raises(InvalidInputError):
        UpdateBatch.from_arrays([1], [1e30], [1])
    with pytest.raises(InvalidTypeError):
        UpdateBatch.from_updates([Insert("a", 1)])  # type: ignore[arg-type]


def test_huge_n_fails_before_allocating() -> None:
    from dynalgo import CapacityError, _validate

    mem = _validate.physical_memory()
    if not mem:
        pytest.skip("physical memory unknown")
    from dynalgo.connectivity import hdt_bytes

    if hdt_bytes(1 << 24) > mem:  # about 3 KiB per vertex with the HDT backstop
        with pytest.raises(CapacityError, match="would need"):
            DynamicConnectivity(1 << 24)
    too_big = min(_validate.MAX_DSU_N, mem // 12 + 1)
    if 12 * too_big > mem:
        with pytest.raises(CapacityError, match="would need"):
            DynamicConnectivity(too_big, backstop=None)
    with pytest.raises(InvalidInputError, match="at most"):
        DynamicConnectivity(10**12, backstop=None)
    with pytest.raises(InvalidInputError, match="at most"):
        DynamicBipartiteness(2**40)
    with pytest.raises(InvalidInputError, match="at most"):
        offline_connectivity(2**40, GOOD, [])
