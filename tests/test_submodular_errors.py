"""Bad input raises a typed error and leaves every submodular structure unchanged."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import dynalgo
from dynalgo import (
    DuplicateElementError,
    InvalidInputError,
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
