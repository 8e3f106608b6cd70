"""Bad input raises a typed error and leaves every submodular structure unchanged."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import dynalgo
from dynalgo import (
    DuplicateElementError,
    InvalidInputError,
    InvalidTypeError,
    ItemError,
    MissingElementError,
    PredictionError,
)
from tests.submodular_naive import random_objective, same_snapshot, snapshot


def _filled(cls: Callable[..., Any], **kw: Any) -> Any:
    f = random_objective("facility", 8, 5, np.random.default_rng(0))
    s = cls(f, 2, **kw)
    for e in (0, 3, 5):
        s.insert(e, predicted_deletion=10)
    s.delete(3)
    return s


STRUCTS = [
    ("raced", lambda: _filled(dynalgo.DynamicSubmodular)),
    ("lifted", lambda: _filled(dynalgo.DynamicSubmodular, backstop=None)),
    ("leveled", lambda: _filled(dynalgo.LeveledSubmodular)),
    ("greedy", lambda: _filled(dynalgo.LazyGreedy)),
    ("rerun", lambda: _filled(dynalgo.SieveRerun)),
]

BAD: list[tuple[str, type[Exception], Callable[[Any], None]]] = [
    ("unknown item", ItemError, lambda s: s.insert(8)),
    ("negative item", ItemError, lambda s: s.insert(-1)),
    ("float item", ItemError, lambda s: s.insert(1.0)),
    ("bool item", ItemError, lambda s: s.delete(True)),
    ("duplicate insert", DuplicateElementError, lambda s: s.insert(0)),
    ("absent delete", MissingElementError, lambda s: s.delete(3)),
    ("never inserted delete", MissingElementError, lambda s: s.delete(7)),
]


@pytest.mark.parametrize("name,make", STRUCTS, ids=[n for n, _ in STRUCTS])
@pytest.mark.parametrize("what,err,call", BAD, ids=[b[0] for b in BAD])
def test_bad_update_changes_nothing(name: str, make: Callable[[], Any], what: str, err: type[Exception],
                                    call: Callable[[Any], None]) -> None:
    s = make()
    before = snapshot(s)
    value, sol = s.value(), s.solution().tolist()
    with pytest.raises(err):
        call(s)
    assert same_snapshot(before, snapshot(s)), f"{what} changed the structure"
    assert s.value() == value and s.solution().tolist() == sol
    s.check()
    # still usable
    s.insert(1)
    s.check()


@pytest.mark.parametrize("pd", [0, -3, 2.5, "7", True])
def test_bad_prediction_changes_nothing(pd: Any) -> None:
    s = _filled(dynalgo.DynamicSubmodular)
    before = snapshot(s)
    with pytest.raises(PredictionError):
        s.insert(1, predicted_deletion=pd)
    assert same_snapshot(before, snapshot(s))


def test_batch_with_a_bad_row_changes_nothing() -> None:
    s = _filled(dynalgo.DynamicSubmodular)
    before = snapshot(s)
    with pytest.raises(DuplicateElementError, match="update 2"):
        s.run(np.array([1, 2, 0]), np.array([1, 1, 1]))
    with pytest.raises(MissingElementError):
        s.run(np.array([1, 4]), np.array([1, 0]))
    with pytest.raises(ItemError):
        s.run(np.array([1, 99]), np.array([1, 1]))
    with pytest.raises(InvalidInputError):
        s.run(np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(PredictionError):
        s.run(np.array([1]), np.array([1]), predicted_deletions=np.array([-1]))
    assert same_snapshot(before, snapshot(s))
    vals = s.run(np.array([1, 1]), np.array([1, 0]), predicted_deletions=np.array([2, 0]))
    assert vals.shape == (2,)
    s.check()


@pytest.mark.parametrize(
    "kwargs,err",
    [
        ({"k": 0}, InvalidInputError),
        ({"k": 2.0}, InvalidInputError),
        ({"k": True}, InvalidInputError),
        ({"eps": 0.0}, InvalidInputError),
        ({"eps": 1.0}, InvalidInputError),
        ({"eps": -0.1}, InvalidInputError),
        ({"eps": "0.1"}, InvalidInputError),
        ({"backstop": "hdt"}, InvalidInputError),
        ({"backstop_share": 0.0}, InvalidInputError),
        ({"backstop_share": float("inf")}, InvalidInputError),
        ({"seed": 1.5}, InvalidInputError),
        ({"predictor": object()}, InvalidInputError),
    ],
)
def test_bad_constructor_arguments(kwargs: dict[str, Any], err: type[Exception]) -> None:
    f = dynalgo.Coverage([[0], [1]])
    args = {"k": 1, **kwargs}
    with pytest.raises(err):
        dynalgo.DynamicSubmodular(f, **args)


def test_bad_objectives() -> None:
    with pytest.raises(InvalidInputError, match="non-negative"):
        dynalgo.FacilityLocation(np.array([[1.0, -0.5]]))
    with pytest.raises(InvalidInputError, match="non-negative"):
        dynalgo.FeatureBased(np.array([[1.0, 2.0]]), weights=[1.0, -1.0])
    with pytest.raises(InvalidInputError):
        dynalgo.FacilityLocation(np.array([1.0, 2.0]))
    with pytest.raises(InvalidInputError):
        dynalgo.FacilityLocation(np.array([[np.nan]]))
    with pytest.raises(InvalidInputError):
        dynalgo.Coverage([[0, -1]])
    with pytest.raises(InvalidInputError):
        dynalgo.Coverage([[0, 5]], universe=3)
    with pytest.raises(InvalidInputError):
        dynalgo.CustomObjective(np.ones((2, 2)), lambda *a: 0.0, lambda *a: 0.0)
    with pytest.raises(InvalidInputError):
        dynalgo.DynamicSubmodular("not an objective", 2)  # type: ignore[arg-type]

    class CSR:  # a CSR-like matrix naming a column twice in one row
        indptr = np.array([0, 2])
        indices = np.array([1, 1])
        data = np.array([1.0, 2.0])
        shape = (1, 3)

    with pytest.raises(InvalidInputError, match="twice"):
        dynalgo.FacilityLocation(CSR())


def test_predictor_supplies_deletion_days() -> None:
    class Window:
        def __init__(self) -> None:
            self.seen: list[tuple[int, int]] = []

        def predict(self, day: int, time: int, u: int, v: int) -> int:
            return day + 2

        def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
            self.seen.append((day, op))

    p = Window()
    f = dynalgo.Coverage([[0], [1], [2], [3]])
    s = dynalgo.DynamicSubmodular(f, 2, predictor=p, backstop=None)
    s.insert(0)
    s.insert(1)
    s.delete(0)
    s.delete(1)
    s.insert(2)
    assert p.seen == [(1, 1), (2, 1), (3, 0), (4, 0), (5, 1)]
    assert s.stats.engine is not None and s.stats.engine.retriggers == 0
    s.check()


# ---------------------------------------------------------------------------------------------
# every entry point: non-integer, negative, bool, out-of-range, NaN input raises a typed error


def _stream_filled() -> Any:
    return _filled(dynalgo.SieveStreaming)


ALL_STRUCTS = STRUCTS + [("streaming", _stream_filled)]

BAD_ITEMS: list[Any] = [8, -1, 1.0, 1.5, float("nan"), True, np.bool_(False), "1", None, 2**70, np.float64(2.0), [1]]


@pytest.mark.parametrize("name,make", ALL_STRUCTS, ids=[n for n, _ in ALL_STRUCTS])
@pytest.mark.parametrize("item", BAD_ITEMS, ids=[repr(x) for x in BAD_ITEMS])
@pytest.mark.parametrize("op", ["insert", "delete"])
def test_bad_item_everywhere(name: str, make: Callable[[], Any], item: Any, op: str) -> None:
    s = make()
    before = snapshot(s)
    with pytest.raises(ItemError):
        getattr(s, op)(item)
    assert same_snapshot(before, snapshot(s)), f"{op}({item!r}) changed {name}"


@pytest.mark.parametrize("name,make", ALL_STRUCTS, ids=[n for n, _ in ALL_STRUCTS])
@pytest.mark.parametrize("pd", [0, -1, 1.5, float("nan"), True, "3"])
def test_bad_prediction_everywhere(name: str, make: Callable[[], Any], pd: Any) -> None:
    s = make()
    before = snapshot(s)
    with pytest.raises(PredictionError):
        s.insert(1, predicted_deletion=pd)
    assert same_snapshot(before, snapshot(s))
    s.insert(1, predicted_deletion=np.int64(40))
    s.check()


@pytest.mark.parametrize(
    "kwargs,err",
    [
        ({"k": 10**30}, InvalidInputError),
        ({"k": -1}, InvalidInputError),
        ({"k": np.float64(2.0)}, InvalidTypeError),
        ({"k": "2"}, InvalidTypeError),
        ({"eps": float("nan")}, InvalidInputError),
        ({"eps": float("inf")}, InvalidInputError),
        ({"eps": 10**400}, InvalidInputError),
        ({"eps": 1e-17}, InvalidInputError),
        ({"eps": True}, InvalidTypeError),
        ({"eps": None}, InvalidTypeError),
        ({"seed": "x"}, InvalidTypeError),
        ({"seed": 1.5}, InvalidTypeError),
        ({"seed": True}, InvalidTypeError),
        ({"backstop_share": 10**400}, InvalidInputError),
        ({"backstop_share": float("nan")}, InvalidInputError),
        ({"backstop_share": "1"}, InvalidInputError),
        ({"race_quantum": 10**30}, InvalidInputError),
        ({"race_quantum": 2.0}, InvalidInputError),
    ],
    ids=lambda x: repr(x)[:40],
)
def test_bad_constructor_arguments_typed(kwargs: dict[str, Any], err: type[Exception]) -> None:
    f = dynalgo.Coverage([[0], [1]])
    with pytest.raises(err):
        dynalgo.DynamicSubmodular(f, **{"k": 1, **kwargs})
    if set(kwargs) <= {"k", "eps", "seed"}:
        with pytest.raises(err):
            dynalgo.LeveledSubmodular(f, **{"k": 1, **kwargs})
    if set(kwargs) <= {"k", "eps"}:
        for cls in (dynalgo.SieveRerun, dynalgo.SieveStreaming):
            with pytest.raises(err):
                cls(f, **{"k": 1, **kwargs})
    if set(kwargs) == {"k"}:
        with pytest.raises(err):
            dynalgo.LazyGreedy(f, kwargs["k"])


def _saturated() -> tuple[Any, Any]:
    import numba

    @numba.njit
    def phi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return w * x

    return phi, phi


BAD_OBJECTIVES: list[tuple[str, Callable[[], Any], type[Exception]]] = [
    ("float elements", lambda: dynalgo.Coverage([[0.5], [1.9, 2.2]]), InvalidTypeError),
    ("negative float element", lambda: dynalgo.Coverage([[-0.5]]), InvalidTypeError),
    ("integral float element", lambda: dynalgo.Coverage([[0, 2.0]]), InvalidTypeError),
    ("dict of sets", lambda: dynalgo.Coverage({"a": [0, 1]}), InvalidTypeError),
    ("string sets", lambda: dynalgo.Coverage("01"), InvalidTypeError),
    ("string element", lambda: dynalgo.Coverage([["0"]]), InvalidTypeError),
    ("bool element", lambda: dynalgo.Coverage([[True]]), InvalidTypeError),
    ("bool among ints", lambda: dynalgo.Coverage([[0, True]]), InvalidTypeError),
    ("NaN element", lambda: dynalgo.Coverage([[float("nan")]]), InvalidTypeError),
    ("scalar row", lambda: dynalgo.Coverage([3]), InvalidTypeError),
    ("nested row", lambda: dynalgo.Coverage([[[0, 1]]]), InvalidInputError),
    ("negative element", lambda: dynalgo.Coverage([[0, -1]]), InvalidInputError),
    ("element beyond int64", lambda: dynalgo.Coverage([[2**70]]), InvalidInputError),
    ("element beyond memory", lambda: dynalgo.Coverage([[10**17]]), dynalgo.CapacityError),
    ("universe too small", lambda: dynalgo.Coverage([[0, 5]], universe=3), InvalidInputError),
    ("float universe", lambda: dynalgo.Coverage([[0]], universe=4.0), InvalidTypeError),
    ("bool universe", lambda: dynalgo.Coverage([[0]], universe=np.bool_(True)), InvalidTypeError),
    ("no items", lambda: dynalgo.Coverage([]), InvalidInputError),
    ("non 0/1 matrix", lambda: dynalgo.Coverage(np.array([[0.0, 0.5]])), InvalidInputError),
    ("bool weights", lambda: dynalgo.Coverage([[0, 1]], weights=[True, 1.0]), InvalidTypeError),
    ("NaN weight", lambda: dynalgo.Coverage([[0, 1]], weights=[np.nan, 1.0]), InvalidInputError),
    ("complex weights", lambda: dynalgo.Coverage([[0, 1]], weights=np.array([1j, 1.0])), InvalidTypeError),
    ("weights of wrong shape", lambda: dynalgo.Coverage([[0, 1]], weights=[1.0]), InvalidInputError),
    ("string weights", lambda: dynalgo.Coverage([[0, 1]], weights="ab"), InvalidTypeError),
    ("ragged similarity", lambda: dynalgo.FacilityLocation([[1.0, 2.0], [3.0]]), InvalidInputError),
    ("bool similarity", lambda: dynalgo.FacilityLocation(np.array([[True]])), InvalidTypeError),
    ("complex features", lambda: dynalgo.FeatureBased(np.array([[1 + 1j]])), InvalidTypeError),
    ("string features", lambda: dynalgo.FeatureBased([["a"]]), InvalidTypeError),
    ("infinite features", lambda: dynalgo.FeatureBased([[np.inf]]), InvalidInputError),
    ("negative custom entry", lambda: dynalgo.CustomObjective([[-1.0]], *_saturated()), InvalidInputError),
    ("custom with python functions", lambda: dynalgo.CustomObjective([[1.0]], abs, abs), InvalidInputError),
]


@pytest.mark.parametrize("what,make,err", BAD_OBJECTIVES, ids=[b[0] for b in BAD_OBJECTIVES])
def test_bad_objective_inputs(what: str, make: Callable[[], Any], err: type[Exception]) -> None:
    with pytest.raises(err):
        make()


def test_bad_csr_objects() -> None:
    class CSR:
        def __init__(self, indptr: Any, indices: Any, data: Any, shape: Any) -> None:
            self.indptr, self.indices, self.data, self.shape = indptr, indices, data, shape

    ok = CSR(np.array([0, 1, 2]), np.array([0, 1]), np.array([1.0, 0.5]), (2, 2))
    assert dynalgo.FacilityLocation(ok).n == 2
    for bad, err in [
        (CSR(np.array([0.0, 1.0, 2.0]), np.array([0, 1]), np.array([1.0, 0.5]), (2, 2)), InvalidTypeError),
        (CSR(np.array([0, 1, 2]), np.array([0.0, 1.5]), np.array([1.0, 0.5]), (2, 2)), InvalidTypeError),
        (CSR(np.array([0, 1, 2]), np.array([0, 1]), np.array([1.0, np.nan]), (2, 2)), InvalidInputError),
        (CSR(np.array([0, 1, 2]), np.array([0, 1]), np.array([True, False]), (2, 2)), InvalidTypeError),
        (CSR(np.array([0, 1, 2]), np.array([0, 1]), np.array([1.0, 0.5]), (3, 2)), InvalidInputError),
        (CSR(np.array([0, 1, 2]), np.array([0, 5]), np.array([1.0, 0.5]), (2, 2)), InvalidInputError),
        (CSR(np.array([0, 1, 2]), np.array([0, 1]), np.array([1.0, 0.5]), (2, 2.5)), InvalidInputError),
    ]:
        with pytest.raises(err):
            dynalgo.FacilityLocation(bad)


def test_custom_objective_with_negative_singletons_is_rejected() -> None:
    import numba

    @numba.njit
    def phi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return -x

    @numba.njit
    def psi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return s + x

    f = dynalgo.CustomObjective([[1.0], [2.0]], phi, psi)
    with pytest.raises(InvalidInputError, match="non-negative"):
        dynalgo.LazyGreedy(f, 1)


BAD_BATCHES: list[tuple[str, Callable[[Any], Any], type[Exception]]] = [
    ("float items", lambda s: s.run(np.array([1.0, 2.0]), np.array([1, 1])), InvalidTypeError),
    ("bool items", lambda s: s.run([True], [1]), InvalidTypeError),
    ("bool among items", lambda s: s.run([1, True], [1, 1]), InvalidTypeError),
    ("2-d items", lambda s: s.run(np.array([[1]]), np.array([[1]])), InvalidInputError),
    ("items beyond int64", lambda s: s.run([2**70], [1]), InvalidInputError),
    ("negative item", lambda s: s.run([1, -2], [1, 1]), ItemError),
    ("float ops", lambda s: s.run([1], [1.0]), InvalidTypeError),
    ("bool ops", lambda s: s.run([1], [True]), InvalidTypeError),
    ("op 2", lambda s: s.run([1], [2]), InvalidInputError),
    ("missing ops", lambda s: s.run([1]), InvalidInputError),
    ("ops of another shape", lambda s: s.run([1, 2], [1]), InvalidInputError),
    ("NaN prediction", lambda s: s.run([1], [1], predicted_deletions=np.array([np.nan])), PredictionError),
    ("float prediction", lambda s: s.run([1], [1], predicted_deletions=[2.5]), PredictionError),
    ("bool prediction", lambda s: s.run([1], [1], predicted_deletions=[True]), PredictionError),
    ("negative prediction late in the batch",
     lambda s: s.run([1, 2, 4], [1, 1, 1], predicted_deletions=[0, 5, -1]), PredictionError),
    ("duplicate late in the batch", lambda s: s.run([1, 2, 4, 2], [1, 1, 1, 1]), DuplicateElementError),
]


@pytest.mark.parametrize("backstop", ["leveled", None])
@pytest.mark.parametrize("what,call,err", BAD_BATCHES, ids=[b[0] for b in BAD_BATCHES])
def test_bad_batch_changes_nothing(backstop: str | None, what: str, call: Callable[[Any], Any],
                                   err: type[Exception]) -> None:
    s = _filled(dynalgo.DynamicSubmodular, backstop=backstop)
    before = snapshot(s)
    with pytest.raises(err):
        call(s)
    assert same_snapshot(before, snapshot(s)), f"{what} changed the structure"


class _Scripted:
    """A predictor that returns the given days in turn and records what it is told."""

    def __init__(self, days: list[Any]) -> None:
        self.days = list(days)
        self.asked = 0
        self.seen: list[tuple[int, int, int]] = []

    def predict(self, day: int, time: int, u: int, v: int) -> Any:
        self.asked += 1
        return self.days[(self.asked - 1) % len(self.days)]

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        self.seen.append((day, op, u))


class _Uncopyable(_Scripted):
    def __deepcopy__(self, memo: Any) -> Any:
        raise TypeError("not copyable")


@pytest.mark.parametrize("backstop", ["leveled", None])
@pytest.mark.parametrize("cls", [_Scripted, _Uncopyable])
def test_predictor_day_zero_in_a_batch_changes_nothing(backstop: str | None, cls: type[_Scripted]) -> None:
    """The third insertion's predicted day is 0: nothing of the batch is applied."""
    p = cls([5, 6, 0, 9])
    s = dynalgo.DynamicSubmodular(dynalgo.Coverage([[0], [1], [2], [3]]), 2, predictor=p, backstop=backstop)
    before = snapshot(s)
    with pytest.raises(PredictionError, match="update 2"):
        s.run(np.array([0, 1, 2]), np.array([1, 1, 1]))
    assert same_snapshot(before, snapshot(s))
    assert 0 not in s and 1 not in s and s.day == 0
    if cls is _Scripted:
        assert p.asked == 0 and p.seen == []  # checked on a copy; the predictor was not touched
    q = _Scripted([5])
    t = dynalgo.DynamicSubmodular(dynalgo.Coverage([[0], [1], [2], [3]]), 2, predictor=q, backstop=backstop)
    vals = t.run(np.array([0, 1, 2, 0]), np.array([1, 1, 1, 0]))
    assert vals.tolist() == [1.0, 2.0, 2.0, 2.0]
    assert q.asked == 3 and [x[0] for x in q.seen] == [1, 2, 3, 4]
    t.check()
