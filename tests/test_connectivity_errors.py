"""Bad input to DynamicConnectivity raises the documented typed error and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import dynalgo
from dynalgo import (
    CapacityError,
    Delete,
    DuplicateElementError,
    DynalgoError,
    DynamicConnectivity,
    Insert,
    InvalidInputError,
    InvalidTypeError,
    ItemError,
    MissingElementError,
    NegativeCycleError,
    PredictionError,
    Predictions,
    QueryError,
    TimelineError,
    UpdateBatch,
    VertexError,
)
from dynalgo import errors as errors_module

N = 6

# the documented built-in base of each error
BUILTIN: dict[type[DynalgoError], type[Exception]] = {
    InvalidInputError: ValueError,
    VertexError: IndexError,
    ItemError: IndexError,
    DuplicateElementError: KeyError,
    MissingElementError: KeyError,
    PredictionError: ValueError,
    QueryError: ValueError,
    NegativeCycleError: ValueError,
    CapacityError: MemoryError,
    TimelineError: ValueError,
    InvalidTypeError: TypeError,
}


# ---------------------------------------------------------------------------------
# a structure with some history, and an exact snapshot of it
# ---------------------------------------------------------------------------------
def make_graph() -> DynamicConnectivity:
    """Edges {0,1}, {1,2}, {3,3} present; {2,3} and {4,4} known but deleted; predictions in play."""
    preds = Predictions.from_arrays([1, 1, 0, 1, 0, 1], [0, 1, 0, 2, 2, 4], [1, 2, 1, 3, 3, 5], [1, 2, 9, 4, 6, 30])
    g = DynamicConnectivity(N, preds, seed=7)
    g.insert(0, 1)
    g.insert(2, 1, predicted_deletion=40)
    g.insert(2, 3)
    g.insert(3, 3)
    g.insert(4, 4)
    g.delete(3, 2)
    g.delete(4, 4)
    g.run(UpdateBatch.from_updates([Insert(0, 5), Delete(0, 5)]), [[1, 0, 5], [2, 0, 5]])
    g.check()
    return g


@dataclass
class Snapshot:
    edges: list[tuple[int, int]]
    num_edges: int
    num_components: int
    day: int
    stats: dynalgo.EngineStats
    arrays: dict[str, np.ndarray]
    registry: Any
    connected: list[bool]


ENGINE_ARRAYS = ("days", "inst", "elem", "meta", "stack")


def _arrays(g: DynamicConnectivity) -> dict[str, np.ndarray]:
    eng = g._engine
    out: dict[str, np.ndarray] = {}
    for name in ENGINE_ARRAYS:
        out[f"engine.{name}"] = np.array(getattr(eng, name), copy=True)
    for name, val in getattr(eng, "__dict__", {}).items():  # any other array the engine owns
        if isinstance(val, np.ndarray):
            out.setdefault(f"engine.{name}", np.array(val, copy=True))
    for j, a in enumerate(g._dsu):
        out[f"dsu.{j}"] = np.array(a, copy=True)
    for j, a in enumerate(eng.bstate):
        out[f"bstate.{j}"] = np.array(a, copy=True)
    return out


def _registry(g: DynamicConnectivity) -> dict[str, Any]:
    """The structure's other attributes (vertex count, element registry), compared by value.

    A registry object is compared by what it means (its size and its keys in id
    order), not by its private hash-table layout.
    """
    out: dict[str, Any] = {}
    for name, val in vars(g).items():
        if name in ("_engine", "_dsu"):
            continue
        if isinstance(val, np.ndarray):
            out[name] = val.copy()
        elif hasattr(val, "size") and hasattr(val, "keys") and hasattr(val, "get"):
            keys = np.array(val.keys, copy=True)
            out[name] = (int(val.size), keys.tolist(), [int(val.get(int(x))) for x in keys])
        elif isinstance(val, (dict, list, set, tuple)):
            out[name] = type(val)(val)
        elif isinstance(val, (int, float, str, bool, type(None))):
            out[name] = val
    return out


def snapshot(g: DynamicConnectivity) -> Snapshot:
    return Snapshot(
        edges=sorted(map(tuple, g.edges().tolist())),
        num_edges=g.num_edges,
        num_components=g.num_components,
        day=g.day,
        stats=g.stats,
        arrays=_arrays(g),
        registry=_registry(g),
        connected=[g.connected(a, b) for a in range(g.n) for b in range(g.n)],
    )


def assert_unchanged(g: DynamicConnectivity, before: Snapshot) -> None:
    after = snapshot(g)
    assert after.edges == before.edges
    assert after.num_edges == before.num_edges
    assert after.num_components == before.num_components
    assert after.day == before.day
    assert after.stats == before.stats
    assert after.connected == before.connected
    assert after.arrays.keys() == before.arrays.keys()
    for name, a in before.arrays.items():
        b = after.arrays[name]
        assert a.dtype == b.dtype and a.shape == b.shape, f"{name} was reallocated"
        assert np.array_equal(a, b), f"{name} changed"
    assert after.registry.keys() == before.registry.keys()
    for key, val in before.registry.items():
        now = after.registry[key]
        if isinstance(val, np.ndarray):
            assert np.array_equal(val, now), f"{key} changed"
        else:
            assert val == now, f"{key} changed"


def expect(g: DynamicConnectivity, action: Callable[[DynamicConnectivity], object], err: type[DynalgoError]) -> None:
    """``action(g)`` raises ``err`` (also catchable as its built-in base) and leaves ``g`` unchanged,
    and ``g`` keeps working afterwards."""
    before = snapshot(g)
    with pytest.raises(err) as info:
        action(g)
    assert isinstance(info.value, DynalgoError)
    assert isinstance(info.value, BUILTIN[err])
    assert str(info.value)  # a message
    assert_unchanged(g, before)
    g.check()
    # still usable: a valid update and back (the edge set is as before)
    present = g.has_edge(4, 5)
    for _ in range(2):
        g.delete(4, 5) if g.has_edge(4, 5) else g.insert(4, 5)
        g.check()
    assert g.has_edge(4, 5) == present
    assert sorted(map(tuple, g.edges().tolist())) == before.edges


# ---------------------------------------------------------------------------------
# single updates and queries
# ---------------------------------------------------------------------------------
BAD_VERTICES: list[Any] = [N, N + 100, -1, -N, 2**70, 1.0, 2.5, "1", True, False, np.bool_(True), None, np.float64(1.0)]


@pytest.mark.parametrize("x", BAD_VERTICES, ids=repr)
@pytest.mark.parametrize("method", ["insert", "delete", "connected", "has_edge"])
@pytest.mark.parametrize("side", [0, 1])
def test_bad_vertex(x: Any, method: str, side: int) -> None:
    g = make_graph()
    args = (x, 1) if side == 0 else (1, x)
    expect(g, lambda h: getattr(h, method)(*args), VertexError)


@pytest.mark.parametrize("edge", [(0, 1), (1, 0), (1, 2), (2, 1), (3, 3)])
def test_duplicate_insert(edge: tuple[int, int]) -> None:
    g = make_graph()
    expect(g, lambda h: h.insert(*edge), DuplicateElementError)
    expect(g, lambda h: h.insert(*edge, predicted_deletion=100), DuplicateElementError)


@pytest.mark.parametrize("edge", [(2, 3), (3, 2), (4, 4), (0, 5), (0, 2), (2, 2), (5, 4)])
def test_delete_absent(edge: tuple[int, int]) -> None:
    g = make_graph()
    expect(g, lambda h: h.delete(*edge), MissingElementError)


@pytest.mark.parametrize("pdel", [0, -1, -10**20, 2.5, 3.0, True, False, "5", np.float64(4.0), np.bool_(True)], ids=repr)
def test_bad_predicted_deletion(pdel: Any) -> None:
    g = make_graph()
    expect(g, lambda h: h.insert(0, 4, predicted_deletion=pdel), PredictionError)
    expect(g, lambda h: h.insert(2, 3, predicted_deletion=pdel), PredictionError)  # known, absent edge


def test_valid_inputs_of_unusual_types_are_accepted() -> None:
    g = make_graph()
    a: Any = np.int64(0)
    b: Any = np.int32(4)
    g.insert(a, b, predicted_deletion=np.int64(100))  # type: ignore[arg-type]
    c: Any = np.uint8(4)
    assert g.has_edge(4, 0) and g.connected(c, 1)
    g.delete(4, 0)
    # a deletion predicted on or before the insertion's own day is rejected
    expect(g, lambda h: h.insert(2, 3, predicted_deletion=1), PredictionError)
    expect(g, lambda h: h.insert(2, 3, predicted_deletion=h.day + 1), PredictionError)
    g.insert(2, 3, predicted_deletion=g.day + 2)
    g.check()


# ---------------------------------------------------------------------------------
# run(batch, queries, predicted_deletions)
# ---------------------------------------------------------------------------------
def batch(*ups: Any) -> UpdateBatch:
    return UpdateBatch.from_updates(list(ups))


GOOD = batch(Insert(2, 3), Insert(4, 5), Delete(0, 1), Insert(0, 1))

BAD_BATCHES: list[tuple[str, UpdateBatch, type[DynalgoError]]] = [
    ("dup-in-middle", batch(Insert(2, 3), Insert(4, 5), Insert(3, 2), Delete(2, 3)), DuplicateElementError),
    ("dup-of-present", batch(Insert(2, 3), Insert(1, 0), Delete(2, 3)), DuplicateElementError),
    ("dup-self-loop", batch(Insert(4, 4), Delete(4, 4), Insert(4, 4), Insert(4, 4)), DuplicateElementError),
    ("delete-absent", batch(Insert(2, 3), Delete(0, 5)), MissingElementError),
    ("delete-twice", batch(Insert(4, 5), Delete(4, 5), Delete(5, 4)), MissingElementError),
    ("delete-deleted", batch(Delete(0, 1), Insert(2, 3), Delete(1, 0)), MissingElementError),
    ("delete-last", batch(Insert(2, 3), Insert(4, 5), Delete(4, 4)), MissingElementError),
    ("vertex-too-big", batch(Insert(2, 3), Insert(0, N)), VertexError),
    ("vertex-negative", batch(Insert(2, 3), Delete(-1, 0)), VertexError),
    ("vertex-huge", batch(Insert(2, 3), Insert(2**40, 0)), VertexError),
]


@pytest.mark.parametrize("bad,err", [(b, e) for _, b, e in BAD_BATCHES], ids=[i for i, _, _ in BAD_BATCHES])
def test_run_bad_batch_applies_nothing(bad: UpdateBatch, err: type[DynalgoError]) -> None:
    g = make_graph()
    expect(g, lambda h: h.run(bad), err)
    expect(g, lambda h: h.run(bad, [[0, 0, 1], [len(bad), 1, 2]], predicted_deletions=np.ones(len(bad), np.int64)), err)


def test_run_requires_an_update_batch() -> None:
    g = make_graph()
    expect(g, lambda h: h.run([Insert(2, 3)]), InvalidInputError)  # type: ignore[arg-type]
    expect(g, lambda h: h.run(GOOD.data), InvalidInputError)  # type: ignore[arg-type]


BAD_QUERIES: list[tuple[str, Any]] = [
    ("shape-q2", np.array([[0, 1], [1, 2]])),
    ("shape-1d", np.array([0, 1, 2])),
    ("shape-3d", np.zeros((1, 1, 3), dtype=np.int64)),
    ("shape-q4", np.zeros((2, 4), dtype=np.int64)),
    ("float", np.array([[0.0, 1.0, 2.0]])),
    ("float-list", [[0, 1.5, 2]]),
    ("bool", np.array([[False, True, True]])),
    ("str", [["0", "1", "2"]]),
    ("day-past-batch", [[0, 0, 1], [len(GOOD) + 1, 0, 1]]),
    ("day-negative", [[-1, 0, 1], [0, 0, 1]]),
    ("vertex-too-big", [[0, 0, 1], [1, 0, N]]),
    ("vertex-negative", [[0, -1, 1]]),
    ("vertex-second", [[0, 1, N + 3]]),
]


@pytest.mark.parametrize("q", [q for _, q in BAD_QUERIES], ids=[i for i, _ in BAD_QUERIES])
def test_run_bad_queries_apply_nothing(q: Any) -> None:
    g = make_graph()
    expect(g, lambda h: h.run(GOOD, q), QueryError)


BAD_PDEL: list[tuple[str, Any]] = [
    ("short", np.zeros(len(GOOD) - 1, dtype=np.int64)),
    ("long", np.zeros(len(GOOD) + 1, dtype=np.int64)),
    ("empty", np.zeros(0, dtype=np.int64)),
    ("2d", np.zeros((len(GOOD), 1), dtype=np.int64)),
    ("float", np.full(len(GOOD), 3.0)),
    ("negative", np.array([1, 0, -2, 0])),
    ("bool", np.ones(len(GOOD), dtype=np.bool_)),
    ("scalar", 5),
    ("on-insertion-day", np.array([1, 0, 0, 0])),
    ("before-insertion", np.array([0, 1, 0, 0])),
]


@pytest.mark.parametrize("pd", [p for _, p in BAD_PDEL], ids=[i for i, _ in BAD_PDEL])
def test_run_bad_predicted_deletions_apply_nothing(pd: Any) -> None:
    g = make_graph()
    expect(g, lambda h: h.run(GOOD, [[0, 0, 1]], predicted_deletions=pd), PredictionError)


def test_run_good_batch_after_errors() -> None:
    g = make_graph()
    for _, bad, err in BAD_BATCHES:
        with pytest.raises(err):
            g.run(bad)
    out = g.run(GOOD, [[0, 2, 3], [1, 2, 3], [3, 0, 1], [4, 0, 2]], predicted_deletions=[0, 9, 0, 6])
    assert out.tolist() == [False, True, False, True]
    g.check()


# ---------------------------------------------------------------------------------
# construction
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, -1, 2.5, True, False, "3", None, 3.0, np.bool_(True), np.float64(2.0)], ids=repr)
def test_bad_vertex_count(n: Any) -> None:
    with pytest.raises(InvalidInputError) as info:
        DynamicConnectivity(n)
    assert isinstance(info.value, ValueError) and isinstance(info.value, DynalgoError)


@pytest.mark.parametrize(
    "u,v", [([0, 1], [1, N]), ([N, 0], [0, 1]), ([0, -1], [1, 2]), ([0, 1], [1, 2**40])], ids=["v-too-big", "u-too-big", "u-negative", "v-huge"]
)
def test_predictions_with_unknown_vertex(u: list[int], v: list[int]) -> None:
    p = Predictions.from_arrays([1, 1], u, v, [1, 2])
    with pytest.raises(PredictionError) as info:
        DynamicConnectivity(N, p)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "preds",
    [
        pytest.param(lambda: [(1, 0, 1, 1)], id="list"),
        pytest.param(lambda: "predictions", id="str"),
        pytest.param(lambda: Predictions.from_arrays([1], [0], [1], [0]), id="day-0"),
        pytest.param(lambda: Predictions.from_arrays([1], [0], [1], [-3]), id="day-negative"),
        pytest.param(lambda: Predictions.from_arrays([2], [0], [1], [1]), id="op-2"),
        pytest.param(lambda: Predictions.from_arrays([1], [0], [1], [1.5]), id="day-float"),
    ],
)
def test_malformed_predictions(preds: Callable[[], Any]) -> None:
    with pytest.raises(PredictionError):
        DynamicConnectivity(N, preds())


def test_predicted_deletion_beyond_int64_is_not_an_untyped_crash() -> None:
    """BUG: ``insert(u, v, predicted_deletion=2**63)`` raised a bare OverflowError.

    The documented contract is "PredictionError if predicted_deletion is not a
    positive integer"; 2**63 is a positive integer, so it must either be accepted
    (a prediction beyond any horizon, like no prediction) or be rejected with a
    PredictionError that leaves the structure unchanged.
    """
    g = make_graph()
    before = snapshot(g)
    try:
        g.insert(0, 4, predicted_deletion=2**63)
    except PredictionError:
        assert_unchanged(g, before)
    else:
        assert g.has_edge(0, 4) and g.day == before.day + 1
    g.check()


def test_far_future_prediction_does_not_allocate_the_whole_horizon() -> None:
    """BUG: one prediction on day 10**15 made the constructor allocate a horizon-sized
    array (MemoryError / ValueError "array is too big").  A far-future prediction is
    valid input ("predicted days must be >= 1"); it must work or fail with a
    PredictionError, never with an untyped error."""
    p = Predictions.from_arrays([1, 0], [0, 0], [1, 1], [1, 10**15])
    try:
        g = DynamicConnectivity(3, p)
    except PredictionError:
        return
    g.insert(0, 1)
    g.insert(1, 2)
    assert g.connected(0, 2)
    g.delete(0, 1)
    assert not g.connected(0, 2) and g.num_components == 2


# ---------------------------------------------------------------------------------
# the hierarchy
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", list(BUILTIN), ids=lambda c: c.__name__)
def test_error_hierarchy(cls: type[DynalgoError]) -> None:
    assert issubclass(cls, DynalgoError)
    assert issubclass(cls, BUILTIN[cls])
    assert issubclass(cls, Exception)
    err = cls("message text")
    assert str(err) == "message text"  # KeyError subclasses do not quote the message
    with pytest.raises(BUILTIN[cls]):
        raise err
    assert getattr(dynalgo, cls.__name__) is cls


def test_type_errors_are_also_value_errors() -> None:
    """A wrong type is an InvalidInputError (so ``except ValueError`` keeps working)
    and a TypeError."""
    assert issubclass(InvalidTypeError, InvalidInputError)
    assert issubclass(InvalidTypeError, ValueError) and issubclass(InvalidTypeError, TypeError)


def test_every_public_error_is_covered() -> None:
    names = [n for n in errors_module.__all__ if n != "DynalgoError"]
    assert sorted(names) == sorted(c.__name__ for c in BUILTIN)
    for name in errors_module.__all__:
        assert issubclass(getattr(errors_module, name), DynalgoError)
