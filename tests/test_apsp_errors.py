"""Bad input to DynamicAPSP / offline_apsp raises the documented typed error and changes nothing."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from dynalgo import (
    Delete,
    DuplicateElementError,
    DynamicAPSP,
    Insert,
    InvalidInputError,
    MissingElementError,
    NegativeCycleError,
    PredictionError,
    Predictions,
    QueryError,
    UpdateBatch,
    VertexError,
    offline_apsp,
)

N = 5


def make_graph(backstop: str | None, directed: bool = True) -> DynamicAPSP:
    """Some history (predicted and not, deletions, a negative arc, a weight change)."""
    preds = Predictions.from_arrays([1, 1, 0, 1], [0, 1, 0, 2], [1, 2, 1, 3], [1, 2, 9, 4])
    g = DynamicAPSP(N, preds, directed=directed, backstop=backstop, seed=3)
    g.insert(0, 1, 4.0)
    g.insert(1, 2, 1.5, predicted_deletion=30)
    g.insert(2, 3, 2.0)
    g.insert(3, 4, 1.0)
    g.delete(2, 3)
    if directed:
        g.insert(2, 0, -3.0)
    g.set_weight(0, 1, 3.0)
    g.run(UpdateBatch.from_updates([Insert(4, 0, 7.0), Delete(4, 0)]), [[1, 4, 1], [2, 4, 1]])
    g.check()
    return g


def snapshot(g: DynamicAPSP) -> list[Any]:
    arrays: list[Any] = [a.copy() for a in g._engine.bstate]
    arrays += [g._engine.meta.copy(), g._engine.inst.copy(), g._engine.elem.copy(), g._engine.days.copy(),
               g._engine.stack.copy(), g._present.copy(), g._w.copy(), g._reg.keys.copy()]
    if g._race is not None:
        arrays += [a.copy() for a in g._race.backstop] + [g._race.rmeta.copy(), g._race.rf.copy()]
    return [g.day, g.num_arcs, g.arcs().copy(), g.distances().copy(), g.stats, arrays]


def assert_same(a: Any, b: Any) -> None:
    if isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    else:
        assert a == b


BAD_CALLS: list[tuple[str, Callable[[DynamicAPSP], Any], type[Exception]]] = [
    ("vertex out of range", lambda g: g.insert(0, N, 1.0), VertexError),
    ("negative vertex", lambda g: g.delete(-1, 0), VertexError),
    ("float vertex", lambda g: g.distance(0.5, 1), VertexError),  # type: ignore[arg-type]
    ("bool vertex", lambda g: g.path(True, 1), VertexError),  # type: ignore[arg-type]
    ("nan weight", lambda g: g.insert(0, 4, float("nan")), InvalidInputError),
    ("inf weight", lambda g: g.insert(0, 4, float("inf")), InvalidInputError),
    ("string weight", lambda g: g.insert(0, 4, "1"), InvalidInputError),  # type: ignore[arg-type]
    ("bool weight", lambda g: g.insert(0, 4, True), InvalidInputError),
    ("duplicate arc", lambda g: g.insert(1, 2, 1.0), DuplicateElementError),
    ("absent delete", lambda g: g.delete(2, 3), MissingElementError),
    ("absent weight", lambda g: g.weight(2, 3), MissingElementError),
    ("absent set_weight", lambda g: g.set_weight(2, 3, 1.0), MissingElementError),
    ("nan set_weight", lambda g: g.set_weight(1, 2, float("nan")), InvalidInputError),
    ("negative self-loop", lambda g: g.insert(3, 3, -0.5), NegativeCycleError),
    ("bad predicted deletion", lambda g: g.insert(0, 4, 1.0, predicted_deletion=0), PredictionError),
    ("batch type", lambda g: g.run([Insert(0, 4)]), InvalidInputError),  # type: ignore[arg-type]
    ("batch vertex", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 9)])), VertexError),
    ("batch nan weight", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4, float("nan"))])), InvalidInputError),
    ("batch duplicate", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4), Insert(0, 4)])), DuplicateElementError),
    ("batch absent delete", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4), Delete(4, 0)])), MissingElementError),
    ("batch queries", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[2, 0, 0]]), QueryError),
    ("batch query vertex", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[1, 0, 9]]), QueryError),
    ("batch predicted deletions", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), predicted_deletions=[-1]),
     PredictionError),
]


@pytest.mark.parametrize("backstop", [None, "dynamic"])
@pytest.mark.parametrize("name,call,err", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_changes_nothing(backstop: str | None, name: str, call: Callable[[DynamicAPSP], Any],
                                   err: type[Exception]) -> None:
    g = make_graph(backstop)
    before = snapshot(g)
    with pytest.raises(err):
        call(g)
    assert_same(before, snapshot(g))
    g.check()
    # still usable afterwards
    g.insert(0, 4, 1.0)
    assert g.distance(0, 4) == 1.0


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_negative_cycles_rejected(backstop: str | None) -> None:
    g = make_graph(backstop)
    # 2 -> 0 is -3, 0 -> 1 is 3, 1 -> 2 is 1.5: the cycle 0 1 2 weighs 1.5
    assert g.distance(1, 0) == -1.5
    before = snapshot(g)
    with pytest.raises(NegativeCycleError, match="cycle of weight -5.0"):
        g.insert(0, 2, -2.0)
    with pytest.raises(NegativeCycleError):
        g.set_weight(1, 2, -0.5)
    with pytest.raises(NegativeCycleError, match="update 3"):
        g.run(UpdateBatch.from_updates([Insert(0, 4, 1.0), Delete(0, 4), Insert(4, 2, 1.0), Insert(0, 4, -5.0)]))
    with pytest.raises(NegativeCycleError, match="update 1"):
        # the cycle 0 1 2 turns negative only when the weight of 1 -> 2 drops inside the batch
        g.run(UpdateBatch.from_updates([Delete(1, 2), Insert(1, 2, -0.4)]))
    assert_same(before, snapshot(g))
    # a negative arc that closes no negative cycle is fine, in a batch too
    g.run(UpdateBatch.from_updates([Insert(1, 4, -1.0)]))
    assert g.distance(1, 4) == -1.0 and g.distance(0, 4) == 2.0
    g.check()


def test_undirected_negative_edge_is_a_cycle() -> None:
    g = make_graph("dynamic", directed=False)
    before = snapshot(g)
    with pytest.raises(NegativeCycleError):
        g.insert(0, 4, -1.0)
    with pytest.raises(NegativeCycleError):
        g.run(UpdateBatch.from_updates([Insert(0, 4, -1.0)]))
    with pytest.raises(DuplicateElementError):
        g.insert(2, 1, 1.0)  # the edge {1, 2} is present
    assert_same(before, snapshot(g))
    assert g.distance(4, 0) == g.distance(0, 4)


def test_constructor_errors() -> None:
    with pytest.raises(InvalidInputError):
        DynamicAPSP(0)
    with pytest.raises(InvalidInputError):
        DynamicAPSP(20_000)
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, backstop="hdt")
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, backstop_share=0.0)
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, race_quantum=0)
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, directed=1)  # type: ignore[arg-type]
    with pytest.raises(PredictionError):
        DynamicAPSP(3, Predictions.from_arrays([1], [0], [3], [1]))


def test_distances_view_is_read_only() -> None:
    g = DynamicAPSP(3)
    g.insert(0, 1, 2.0)
    d = g.distances()
    with pytest.raises(ValueError):
        d[0, 1] = 0.0
    assert d[0, 1] == 2.0 and g.distance(0, 1) == 2.0


def test_offline_apsp_errors_and_cycles() -> None:
    b = UpdateBatch.from_updates([Insert(0, 1, 1.0), Insert(1, 0, -2.0)])
    with pytest.raises(NegativeCycleError, match="day 2"):
        offline_apsp(2, b, [[0, 0, 1]])
    with pytest.raises(DuplicateElementError):
        offline_apsp(2, UpdateBatch.from_updates([Insert(0, 1), Insert(0, 1)]), [[1, 0, 1]])
    with pytest.raises(MissingElementError):
        offline_apsp(2, UpdateBatch.from_updates([Delete(0, 1)]), [[1, 0, 1]])
    with pytest.raises(VertexError):
        offline_apsp(2, UpdateBatch.from_updates([Insert(0, 2)]), [[1, 0, 1]])
    with pytest.raises(InvalidInputError):
        offline_apsp(2, UpdateBatch.from_updates([Insert(0, 1, float("inf"))]), [[1, 0, 1]])
    with pytest.raises(QueryError):
        offline_apsp(2, UpdateBatch.from_updates([Insert(0, 1)]), [[2, 0, 1]])
    # directed: (0, 1) and (1, 0) are different arcs; undirected: the same edge
    both = UpdateBatch.from_updates([Insert(0, 1, 2.0), Insert(1, 0, 3.0)])
    assert offline_apsp(2, both, [[2, 1, 0]]).tolist() == [3.0]
    with pytest.raises(DuplicateElementError):
        offline_apsp(2, both, [[2, 1, 0]], directed=False)
