"""Dynamic monotone submodular maximization under a cardinality constraint.

[`DynamicSubmodular`][dynalgo.DynamicSubmodular] lifts Sieve-Streaming with undo by the prediction
engine in the predicted-deletion model and races it against a fully dynamic
backstop ([`LeveledSubmodular`][dynalgo.LeveledSubmodular]).  [`LazyGreedy`][dynalgo.LazyGreedy],
[`SieveRerun`][dynalgo.SieveRerun] and [`SieveStreaming`][dynalgo.SieveStreaming] are the yardsticks.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import baselines as _base
from structures import engine as _k
from structures import leveled as _lv
from structures import sieve as _sv

from . import _validate
from ._engine import BaseKernels, EngineStats, LiftingEngine, RaceStats, _grow_rows
from .errors import (DuplicateElementError, InvalidInputError, InvalidTypeError, ItemError, MissingElementError,
                     PredictionError)
from .objectives import Objective
from .updates import UpdateBatch

__all__ = ["DynamicSubmodular", "LeveledSubmodular", "LazyGreedy", "SieveRerun", "SieveStreaming",
           "SubmodularStats"]


class _DeletionPredictor(Protocol):
    def predict(self, day: int, time: int, u: int, v: int) -> int: ...

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None: ...


@dataclass(frozen=True, slots=True)
class SubmodularStats:
    """Counters of a dynamic submodular structure (deterministic, not seconds).

    Attributes
    ----------
    days : int
        Updates handled.
    oracle_calls : int
        Oracle calls of every side (one call = one singleton value or one marginal gain).
    lifted_oracle_calls : int
        Oracle calls of the lifted Sieve-Streaming (0 when there is none).
    backstop_oracle_calls : int
        Oracle calls of the leveled backstop (0 when there is none).
    rebuilds : int
        Level rebuilds of the backstop plus retriggers of the lifting engine.
    answered_by : str
        Which side holds today's answer: ``"lifted"``, ``"backstop"``, or the
        structure's own name for the single-sided ones.
    engine : EngineStats or None
        The lifting engine's counters (``engine.race``: the race's; work units
        are oracle calls plus scanned schedule slots for the lifted side and
        oracle calls for the backstop).
    """

    days: int
    oracle_calls: int
    lifted_oracle_calls: int
    backstop_oracle_calls: int
    rebuilds: int
    answered_by: str
    engine: EngineStats | None = None


#: Largest accepted cardinality bound (the kernels keep ``k`` in an int64).
K_MAX = 1 << 62


def _check_k_eps(k: Any, eps: Any) -> tuple[int, float]:
    k = _validate.integer(k, "k (the cardinality bound)", 1, K_MAX)
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise InvalidTypeError(f"eps must be a number in (0, 1), got {_validate.short(eps)} of type {type(eps).__name__}")
    try:
        e = float(eps)
    except (OverflowError, ValueError, TypeError):
        e = math.nan
    if not (0.0 < e < 1.0):
        raise InvalidInputError(f"eps must be a number in (0, 1), got {_validate.short(eps)}")
    if 1.0 + e == 1.0:
        raise InvalidInputError(f"eps = {eps!r} is too small: 1 + eps rounds to 1 in floating point")
    return int(k), e


def _singletons(objective: Objective) -> NDArray[np.float64]:
    """The objective's singleton values, checked finite and non-negative (a custom ``phi``
    may break that) and small enough that ``2 k f({e})`` stays finite."""
    single = objective.singletons()
    if single.shape[0] and not (np.all(np.isfinite(single)) and float(single.min()) >= 0.0):
        bad = int(np.flatnonzero(~(np.isfinite(single) & (single >= 0)))[0])
        raise InvalidInputError(f"the objective's value of item {bad} alone is {float(single[bad])!r}; "
                                f"it must be finite and non-negative")
    if single.shape[0] and float(single.max()) > 1e300:
        raise InvalidInputError(f"the objective's singleton values must be at most 1e300, got {float(single.max())!r}")
    return single


def _check_objective(objective: Any) -> Objective:
    if not isinstance(objective, Objective):
        raise InvalidInputError(f"objective must be a dynalgo objective (Coverage, FacilityLocation, FeatureBased, "
                                f"CustomObjective), got {type(objective).__name__}")
    return objective


class _ItemSet:
    """Validation of item updates shared by every structure here."""

    def __init__(self, objective: Any, k: Any, eps: Any = 0.1) -> None:
        self.objective = _check_objective(objective)
        self.k, self.eps = _check_k_eps(k, eps)
        self.present = np.zeros(self.objective.n, dtype=np.bool_)
        self.day = 0

    def check_insert(self, item: Any) -> int:
        e = self.objective.item(item)
        if self.present[e]:
            raise DuplicateElementError(f"item {e} is already present; delete it first")
        return e

    def check_prediction(self, predicted_deletion: Any) -> int:
        """A validated absolute day, 0 for ``None`` (no prediction)."""
        return 0 if predicted_deletion is None else _validate.day(predicted_deletion)

    def check_delete(self, item: Any) -> int:
        e = self.objective.item(item)
        if not self.present[e]:
            raise MissingElementError(f"item {e} is not present, so it cannot be deleted")
        return e

    def check_batch(self, batch: Any, ops: ArrayLike | None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(ops, items) of a batch, validated as a whole against the present set."""
        if isinstance(batch, UpdateBatch):
            it = np.asarray(batch.u, dtype=np.int64)
            op = np.asarray(batch.op, dtype=np.int64)
        else:
            it = _validate.int_array(batch, "items")
            if it.ndim != 1:
                raise InvalidInputError(f"items must be a 1-d integer array, got shape {it.shape}")
            if ops is None:
                raise InvalidInputError("ops (1 insert, 0 delete per item) are required with an item array")
            op = _validate.int_array(ops, "ops")
            if op.shape != it.shape or not np.all((op == 0) | (op == 1)):
                raise InvalidInputError(f"ops must be 0/1 (1 insert, 0 delete) with the shape of items {it.shape}, "
                                        f"got shape {op.shape}")
        n = self.objective.n
        bad = (it < 0) | (it >= n)
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ItemError(f"update {i} names item {int(it[i])} but items are 0..{n - 1}")
        pres = self.present.copy()
        for i, (o, e) in enumerate(zip(op.tolist(), it.tolist())):
            if o == 1 and pres[e]:
                raise DuplicateElementError(f"update {i} (batch day {i + 1}) inserts item {e}, which is already present")
            if o == 0 and not pres[e]:
                raise MissingElementError(f"update {i} (batch day {i + 1}) deletes item {e}, which is not present")
            pres[e] = o == 1
        return op, it

    def present_items(self) -> NDArray[np.int64]:
        return np.flatnonzero(self.present).astype(np.int64)


class _Leveled:
    """The leveled backstop's state and its kernels."""

    def __init__(self, objective: Objective, k: int, eps: float, seed: int, sizes: _lv.Plan | None = None) -> None:
        self.objective = objective
        single = _singletons(objective)
        if sizes is None:
            sizes = _lv.plan(objective._od, single, k, eps)
            _validate.check_allocation(sizes.nbytes, f"the leveled structure ({sizes.guesses} guesses of OPT "
                                                     f"for k={k}, eps={eps})")
        self.state = _lv.make(objective._od, single, k, eps, seed, sizes)
        self.tup = tuple(self.state)
        self.day = 0

    def apply(self, op: int, e: int) -> int:
        self.day += 1
        return int(self.objective._bind.leveled_apply(self.tup, np.array([op], dtype=np.int64),
                                                      np.array([e], dtype=np.int64)))

    @property
    def calls(self) -> int:
        return int(self.state.meta[_lv.M_CALLS])

    @property
    def rebuilds(self) -> int:
        return int(self.state.meta[_lv.M_REBUILDS])


class LeveledSubmodular:
    """Fully dynamic ``(1/2 - eps)``-approximate submodular maximization (no predictions).

    The leveled random-promotion algorithm (see ``structures.leveled``): for
    each guess ``tau`` of OPT on a ``(1 + eps)`` grid, levels of candidate sets,
    one item promoted per level uniformly at random; the best guess is
    reported.  It is the backstop of [`DynamicSubmodular`][dynalgo.DynamicSubmodular] and can be used
    alone.

    Parameters
    ----------
    objective : Objective
    k : int
        Cardinality bound.
    eps : float, default 0.1
        Grid ratio of the guesses, in (0, 1).
    seed : int, default 0
        Seed of the random promotions.

    Examples
    --------
    >>> from dynalgo import Coverage, LeveledSubmodular
    >>> s = LeveledSubmodular(Coverage([[0, 1, 2], [2, 3], [3, 4], [5]]), k=2)
    >>> for e in range(4):
    ...     s.insert(e)
    >>> s.value() >= 0.45 * 5
    True
    >>> s.delete(0); sorted(s.solution().tolist())
    [2, 3]

    Notes
    -----
    ``f(A) >= OPT / (2 (1 + eps))`` on every day, whatever the random choices.
    Against an oblivious update sequence the expected amortized number of oracle
    calls per update is polylogarithmic (O(log k) per guess for an insertion
    plus expected rebuild costs).

    References
    ----------
    S. Lattanzi, S. Mitrovic, A. Norouzi-Fard, J. Tarnawski, M. Zadimoghaddam,
    "Fully Dynamic Algorithm for Constrained Submodular Optimization", NeurIPS 2020.
    K. Banihashem, L. Biabani, S. Goudarzi, M. Hajiaghayi, P. Jabbarzade,
    M. Monemizadeh, "Dynamic Constrained Submodular Optimization with
    Polylogarithmic Update Time", ICML 2023.
    """

    def __init__(self, objective: Objective, k: int, *, eps: float = 0.1, seed: int = 0) -> None:
        self._items = _ItemSet(objective, k, eps)
        self._lv = _Leveled(self._items.objective, self._items.k, self._items.eps, _seed(seed))

    def insert(self, item: int, predicted_deletion: int | None = None) -> None:
        """Insert ``item`` (``predicted_deletion`` is accepted and ignored)."""
        e = self._items.check_insert(item)
        self._items.check_prediction(predicted_deletion)
        self._items.present[e] = True
        self._items.day += 1
        self._lv.apply(1, e)

    def delete(self, item: int) -> None:
        """Delete ``item``."""
        e = self._items.check_delete(item)
        self._items.present[e] = False
        self._items.day += 1
        self._lv.apply(0, e)

    def solution(self) -> NDArray[np.int64]:
        """The chosen items (at most ``k``)."""
        return _lv.solution(self._lv.state)[0]

    def value(self) -> float:
        """f of ``solution``."""
        return _lv.solution(self._lv.state)[1]

    @property
    def stats(self) -> SubmodularStats:
        c = self._lv.calls
        return SubmodularStats(self._items.day, c, 0, c, self._lv.rebuilds, "backstop")

    def check(self) -> None:
        """Assert every invariant (replays; small instances)."""
        _lv.check(self._lv.state, self._items.present, self._items.objective._bind.phi,
                  self._items.objective._bind.psi)


def _seed(seed: Any) -> int:
    return _validate.seed(seed) & ((1 << 62) - 1)


class DynamicSubmodular:
    """Fully dynamic monotone submodular maximization, fast when deletions are predicted.

    Items of the objective's ground set are inserted and deleted (each update is
    one day); ``solution`` is at most ``k`` present items whose value is a
    ``(1/2 - eps)``-approximation of the best ``k`` present items, on every day.

    The main structure is Sieve-Streaming with undo lifted by the prediction
    engine in the predicted-deletion model: each insertion carries a predicted
    deletion day, and the answer is exactly Sieve-Streaming's on the present
    items taken in the order of the engine's path.  Correct predictions make
    it cost about ``O(log T)`` insertion-only Sieve-Streaming steps per update;
    wrong ones cost time, never quality.  It is raced against the leveled
    random-promotion backstop ([`LeveledSubmodular`][dynalgo.LeveledSubmodular]) as in [LS] Alg. C.2,
    in oracle-call units: whichever side catches up first answers the day.

    Parameters
    ----------
    objective : Objective
        [`dynalgo.Coverage`][dynalgo.Coverage], [`dynalgo.FacilityLocation`][dynalgo.FacilityLocation],
        [`dynalgo.FeatureBased`][dynalgo.FeatureBased] or [`dynalgo.CustomObjective`][dynalgo.CustomObjective].
    k : int
        Cardinality bound (>= 1).
    eps : float, default 0.1
        Accuracy of both sides' threshold grids, in (0, 1).
    predictor : DeletionPredictor, optional
        Asked for a deletion day when ``insert`` gets none
        (``predict(day, day, item, item)``; e.g. ``predictors.RepeatPeriodPredictor``),
        and told every update.
    backstop : {"leveled", None}, default "leveled"
        Race against the leveled backstop, or run the lifted structure alone.
    backstop_share : float, default 1.0
        Oracle calls granted to the backstop per unit granted to the lifted side.
    seed : int, default 0
        Seed of the partition tree, the schedule and the backstop's promotions.
    race_quantum : int, default 16
        Least budget (units) of one step of the lifted side while the backstop runs.

    Raises
    ------
    InvalidInputError
        ``k`` outside ``1..2**62``, ``eps`` outside (0, 1) (or so small that
        ``1 + eps == 1``), an unknown ``backstop``, a bad share or quantum, an
        objective whose singleton values are negative or not finite;
        ``dynalgo.InvalidTypeError`` when one of them has the wrong type.
    CapacityError
        The thresholds and guesses would need more memory than the machine has
        (very small ``eps``); raised before allocating.  Memory is bounded by
        ``min(k, n)`` items per partial solution and by the thresholds some item
        can make active.

    Examples
    --------
    >>> from dynalgo import Coverage, DynamicSubmodular
    >>> f = Coverage([[0, 1, 2], [2, 3], [3, 4], [5], [0, 5]])
    >>> s = DynamicSubmodular(f, k=2)
    >>> for day, e in enumerate([0, 1, 2, 3], start=1):
    ...     s.insert(e, predicted_deletion=day + 3)   # a window of three items
    >>> s.value()
    5.0
    >>> s.delete(0)
    >>> s.value(), sorted(s.solution().tolist())
    (3.0, [2, 3])

    Notes
    -----
    With deletion predictions of total l1 error ``L`` over ``T`` days the lifted
    side makes ``O((T + L) log T)`` Sieve-Streaming insertions in expectation,
    each ``O(log(k) / eps)`` oracle calls ([LS] Thm 1.1, Lemma 17, Obs. 18); an
    unpredicted deletion of a present item costs a recomputation of the whole
    path.  The race bounds the total by ``(1 + r)`` times the lifted side's and
    ``(1 + 1/r)`` times the backstop's work, plus one step per day ([LS] Thm C.1).

    References
    ----------
    .. [LS] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model",
       COLT 2024 (arXiv:2307.08890).
    .. [BMKK] A. Badanidiyuru, B. Mirzasoleiman, A. Karbasi, A. Krause,
       "Streaming submodular maximization: massive data summarization on the
       fly", KDD 2014, Algorithm 3 and Theorem 5.
    """

    _items: _ItemSet
    _predictor: _DeletionPredictor | None
    _bind: Any
    _sieve: _sv.SieveState
    _engine: LiftingEngine
    _lv: _Leveled | None
    _share: float
    _quantum: int
    _ev: NDArray[np.int64]
    _evw: NDArray[np.float64]
    _winner: int
    _clock: list[float]
    _rc: NDArray[np.int64]

    def __init__(self, objective: Objective, k: int, *, eps: float = 0.1, predictor: _DeletionPredictor | None = None,
                 backstop: str | None = "leveled", backstop_share: float = 1.0, seed: int = 0,
                 race_quantum: int = 16) -> None:
        self._items = _ItemSet(objective, k, eps)
        if backstop not in ("leveled", None):
            raise InvalidInputError(f"backstop must be 'leveled' or None, got {backstop!r}")
        try:
            share = float(backstop_share) if isinstance(backstop_share, numbers.Real) else -1.0
        except (OverflowError, ValueError, TypeError):
            share = -1.0
        if isinstance(backstop_share, (bool, np.bool_)) or not (0.0 < share < math.inf):
            raise InvalidInputError(f"backstop_share must be a positive finite number, got {_validate.short(backstop_share)}")
        if isinstance(race_quantum, (bool, np.bool_)) or not isinstance(race_quantum, numbers.Integral) \
                or not 1 <= int(race_quantum) <= (1 << 40):
            raise InvalidInputError(f"race_quantum must be an integer in 1..2**40, got {_validate.short(race_quantum)}")
        if predictor is not None and not (callable(getattr(predictor, "predict", None))
                                          and callable(getattr(predictor, "observe", None))):
            raise InvalidInputError(f"predictor must have predict() and observe() methods, got {predictor!r}")
        s = _seed(seed)
        obj = self._items.objective
        self._predictor = predictor
        self._bind = obj._bind
        k, eps = self._items.k, self._items.eps
        single = _singletons(obj)
        sp = _sv.plan(obj._od, single, k, eps)
        lp = _lv.plan(obj._od, single, k, eps) if backstop == "leveled" else None
        _validate.check_allocation(
            sp.nbytes + (lp.nbytes if lp is not None else 0),
            f"DynamicSubmodular(k={k}, eps={eps}) ({sp.slots} Sieve-Streaming thresholds"
            + (f", {lp.guesses} backstop guesses of OPT)" if lp is not None else ")"))
        self._sieve = _sv.make(obj._od, single, k, eps, sp)
        z = np.zeros(0, dtype=np.int64)
        self._engine = LiftingEngine(BaseKernels(self._bind.run_days, self._bind.reset_path), tuple(self._sieve),
                                     obj.n, z, z, z, seed=s)
        self._engine.reserve(obj.n)
        self._lv = _Leveled(obj, k, eps, s, lp) if lp is not None else None
        self._share = share
        self._quantum = int(race_quantum)
        # event log read by both sides (day d is row d - 1)
        self._ev = np.zeros((6, 64), dtype=np.int64)
        self._evw = np.ones(64, dtype=np.float64)
        self._winner = 0  # 0 lifted, 1 backstop: the side that answered the last day
        self._clock = [0.0, 0.0]
        self._rc = np.zeros(8, dtype=np.int64)  # work L, work B, won L, won B, max backlog L, B, steps L

    # ------------------------------------------------------------------------------------
    @property
    def k(self) -> int:
        return self._items.k

    @property
    def day(self) -> int:
        """Updates handled so far."""
        return self._items.day

    @property
    def objective(self) -> Objective:
        return self._items.objective

    def __contains__(self, item: object) -> bool:
        return isinstance(item, numbers.Integral) and 0 <= int(item) < self._items.present.shape[0] \
            and bool(self._items.present[int(item)])

    def insert(self, item: int, predicted_deletion: int | None = None) -> None:
        """Insert ``item`` (one day).

        Parameters
        ----------
        item : int
            An item id in ``0..n-1`` of the objective.
        predicted_deletion : int, optional
            Predicted (absolute) day of its deletion.  Without it, the
            predictor's guess, or none (the deletion is then unpredicted).

        Raises
        ------
        ItemError
            If ``item`` is not an item id.
        DuplicateElementError
            If it is already present.
        PredictionError
            If ``predicted_deletion`` is not a positive integer.
        """
        e = self._items.check_insert(item)
        if predicted_deletion is not None:
            pdel = _validate.day(predicted_deletion)
        elif self._predictor is not None:
            pdel = _validate.day(self._predictor.predict(self.day + 1, self.day + 1, e, e),
                                 "the predictor's deletion day")
        else:
            pdel = 0
        self._apply(1, e, pdel)

    def _apply(self, op: int, e: int, pdel: int) -> None:
        """One validated update: the present set, the day, the predictor, both sides."""
        self._items.present[e] = op == 1
        self._items.day += 1
        if self._predictor is not None:
            self._predictor.observe(self.day, self.day, op, e, e)
        self._step(op, e, pdel)

    def delete(self, item: int) -> None:
        """Delete ``item`` (one day).

        Raises
        ------
        ItemError
            If ``item`` is not an item id.
        MissingElementError
            If it is not present.
        """
        e = self._items.check_delete(item)
        self._apply(0, e, 0)

    def run(self, batch: UpdateBatch | ArrayLike, ops: ArrayLike | None = None, *,
            predicted_deletions: ArrayLike | None = None) -> NDArray[np.float64]:
        """Apply a batch of updates; return ``value`` after each of them.

        Parameters
        ----------
        batch : UpdateBatch or array_like of int
            An [`dynalgo.UpdateBatch`][dynalgo.UpdateBatch] whose ``u`` column holds the items,
            or an array of items with ``ops`` (1 insert, 0 delete).
        predicted_deletions : array_like of int, optional
            Per update, the predicted *batch* day (1-based) of the deletion of
            the item it inserts (0: no prediction; ignored on deletions).

        Raises
        ------
        ItemError, DuplicateElementError, MissingElementError, PredictionError, InvalidInputError
            Before any update is applied (the structure is unchanged).  With a
            ``predictor``, its deletion days for the insertions without one are
            checked first on a copy of it (``copy.deepcopy``) that is told the
            batch's updates in order; then the predictor itself is asked and told
            as usual.  A predictor that cannot be copied is asked and told during
            the check, before anything is applied.
        """
        op, it = self._items.check_batch(batch, ops)
        T = op.shape[0]
        if predicted_deletions is None:
            pdel = np.zeros(T, dtype=np.int64)
        else:
            pd = _validate.day_array(predicted_deletions, T, "predicted_deletions")
            pdel = np.where(pd > 0, np.minimum(pd + self.day, _validate.NEVER), 0)
        out = np.zeros(T, dtype=np.float64)
        if self._predictor is not None and T > 0:
            return self._run_predicted(op, it, pdel, out)
        if self._lv is None and T > 0:
            # the lifted structure alone: one compiled call for the whole batch, with the
            # value (the best partial solution's f) read after every day
            self._engine.reserve(self._items.objective.n, T)
            for i in range(T):
                self._items.present[it[i]] = op[i] == 1
                self._items.day += 1
                self._log(int(op[i]), int(it[i]), int(pdel[i]))
            zeros = np.zeros(T, dtype=np.int64)
            queries = np.stack([np.arange(1, T + 1, dtype=np.int64), zeros, zeros], axis=1)
            self._engine.run(it, op, it, zeros, np.ones(T, dtype=np.float64), pdel, queries, out)
            self._winner = 0
            return out
        for i in range(T):
            self._apply(int(op[i]), int(it[i]), int(pdel[i]) if op[i] == 1 else 0)
            out[i] = self.value()
        return out

    def _run_predicted(self, op: NDArray[np.int64], it: NDArray[np.int64], pdel: NDArray[np.int64],
                       out: NDArray[np.float64]) -> NDArray[np.float64]:
        """[`run`][dynalgo.DynamicSubmodular.run] with a predictor: every prediction is checked before any update is applied."""
        T = op.shape[0]
        ask = (op == 1) & (pdel == 0)
        p = self._predictor
        assert p is not None
        try:
            trial = copy.deepcopy(p)
        except Exception:  # not copyable: ask the predictor itself now, and not again below
            trial = None
        probe = p if trial is None else trial
        got = pdel.copy()
        for i in range(T):
            d = self.day + i + 1
            e = int(it[i])
            if ask[i]:
                got[i] = _validate.day(probe.predict(d, d, e, e),
                                       f"the predictor's deletion day for update {i} (batch day {i + 1})")
            probe.observe(d, d, int(op[i]), e, e)
        for i in range(T):
            e = int(it[i])
            if trial is None:
                # the predictor has been asked and told already
                self._items.present[e] = op[i] == 1
                self._items.day += 1
                self._step(int(op[i]), e, int(got[i]) if op[i] == 1 else 0)
            else:
                d = self.day + 1
                if ask[i]:
                    try:  # the predictor itself, as insert() asks it; its copy's day if it now disagrees badly
                        got[i] = _validate.day(p.predict(d, d, e, e))
                    except PredictionError:
                        pass
                self._apply(int(op[i]), e, int(got[i]) if op[i] == 1 else 0)
            out[i] = self.value()
        return out

    # ------------------------------------------------------------------------------------
    def _log(self, op: int, e: int, pdel: int) -> None:
        d = self.day
        if d > self._ev.shape[1]:
            grown = np.zeros((6, 2 * self._ev.shape[1]), dtype=np.int64)
            grown[:, : self._ev.shape[1]] = self._ev
            self._ev = grown
            self._evw = np.ones(grown.shape[1], dtype=np.float64)
        self._ev[:, d - 1] = (e, op, e, 0, 1, pdel)

    def _lifted_step(self, budget: int) -> tuple[int, int]:
        """Step the lifted side towards today for about ``budget`` units; returns (units, status)."""
        eng = self._engine
        ev = self._ev
        used_total = 0
        while True:
            used, st = self._bind.lifted_step(
                eng.days, eng.spay_i, eng.spay_f, eng.cand, eng.inst, eng.elem, eng.stack, eng.meta, eng.bstate,
                ev[0], ev[1], ev[2], ev[3], self._evw[: ev.shape[1]], ev[5], 0, self.day, budget,
            )
            used_total += int(used)
            if st == 2:
                eng._grow_horizon()
            elif st == 3:
                eng.inst = _grow_rows(eng.inst, int(eng.meta[_k.M_NINST]) + 1, 0)
            else:
                return used_total, int(st)

    def _step(self, op: int, e: int, pdel: int) -> None:
        self._log(op, e, pdel)
        t = self.day
        if self._lv is None:
            self._lifted_step(1 << 62)
            self._winner = 0
            return
        # the race of [LS] Alg. C.2 with virtual clocks (see structures/race_dsu_hdt.py)
        lv = self._lv
        clock = self._clock
        rc = self._rc
        winner = -1
        while winner < 0:
            b_done = lv.day >= t
            if b_done and clock[1] <= clock[0]:
                winner = 1
            elif b_done or clock[0] <= clock[1]:
                gap = clock[1] - clock[0]
                budget = max(int(math.ceil(gap)), 1 if b_done else self._quantum)
                used, st = self._lifted_step(budget)
                clock[0] += used
                rc[0] += used
                if used > 0:
                    rc[6] += 1
                if st == 0:
                    winner = 0
            else:
                d = lv.day + 1
                w = lv.apply(int(self._ev[1, d - 1]), int(self._ev[0, d - 1]))
                clock[1] += w / self._share
                rc[1] += w
        self._winner = winner
        rc[2 + winner] += 1
        rc[4] = max(rc[4], t - self._engine.day + (0 if _k.path_done(self._engine.stack, self._engine.meta) else 1))
        rc[5] = max(rc[5], t - lv.day)
        end = clock[winner]
        clock[0] = max(clock[0] - end, 0.0)
        clock[1] = max(clock[1] - end, 0.0)

    def _lifted_caught_up(self) -> bool:
        return self._engine.day == self.day and bool(_k.path_done(self._engine.stack, self._engine.meta))

    # ------------------------------------------------------------------------------------
    @property
    def answered_by(self) -> str:
        """``"lifted"`` or ``"backstop"``: the side whose answer ``solution`` returns today."""
        return "backstop" if self._winner == 1 else "lifted"

    def solution(self) -> NDArray[np.int64]:
        """At most ``k`` present items: today's answer."""
        if self._winner == 1:
            assert self._lv is not None
            return _lv.solution(self._lv.state)[0]
        return _sv.solution(self._sieve)[0]

    def value(self) -> float:
        """f of ``solution``."""
        if self._winner == 1:
            assert self._lv is not None
            return _lv.solution(self._lv.state)[1]
        return _sv.solution(self._sieve)[1]

    @property
    def stats(self) -> SubmodularStats:
        """Oracle calls per side, rebuilds, which side answered, the engine's counters."""
        es = self._engine.stats()
        if self._lv is not None:
            rc = self._rc
            lag_l = self.day - self._engine.day + (0 if _k.path_done(self._engine.stack, self._engine.meta) else 1)
            es = dataclasses.replace(es, days=self.day, race=RaceStats(self._share, int(rc[0]), int(rc[1]), int(rc[2]), int(rc[3]), lag_l,
                                            self.day - self._lv.day, int(rc[4]), int(rc[5]), int(rc[6])))
        lc = int(self._sieve.meta[_sv.M_CALLS])
        bc = self._lv.calls if self._lv is not None else 0
        rb = (self._lv.rebuilds if self._lv is not None else 0) + es.retriggers
        return SubmodularStats(self.day, lc + bc, lc, bc, rb, self.answered_by, es)

    def check(self) -> None:
        """Assert every invariant: engine, sieve, backstop, and that the answering side is
        caught up and holds exactly the present items (replays: small instances only)."""
        phi, psi = self._bind.phi, self._bind.psi
        lifted_now = self._lifted_caught_up()
        self._engine.check(require_path=lifted_now)
        _sv.check(self._sieve, phi, psi)
        n = self._items.objective.n
        eng_present = self._engine.elem[:n, _k.E_PRESENT] >= 0
        if self._engine.day == self.day:
            assert np.array_equal(eng_present, self._items.present), "engine and present items disagree"
        if lifted_now:
            seq = self._sieve.seq[: int(self._sieve.meta[_sv.M_NSEQ])]
            assert np.array_equal(np.sort(seq), self._items.present_items()), "sieve stream != present items"
        if self._winner == 0:
            assert lifted_now, "the lifted side answers but lags"
        else:
            assert self._lv is not None and self._lv.day == self.day, "the backstop answers but lags"
        if self._lv is not None:
            assert self._lv.day <= self.day
            if self._lv.day == self.day:
                _lv.check(self._lv.state, self._items.present, phi, psi)
        sol = self.solution()
        assert sol.shape[0] <= self.k and np.all(self._items.present[sol]), "solution holds absent items"

    def path_order(self) -> NDArray[np.int64]:
        """The present items in the order the lifted Sieve-Streaming took them (when caught up)."""
        return self._sieve.seq[: int(self._sieve.meta[_sv.M_NSEQ])].copy()

    def __repr__(self) -> str:
        return (f"DynamicSubmodular({self._items.objective!r}, k={self.k}, eps={self._items.eps}, "
                f"items={int(self._items.present.sum())}, day={self.day})")


class LazyGreedy:
    """Baseline: lazy greedy recomputed from scratch after every update.

    ``(1 - 1/e)``-approximate; costs about one oracle call per present item
    (their singleton values) plus the lazy re-evaluations, per update.

    Examples
    --------
    >>> from dynalgo import Coverage, LazyGreedy
    >>> g = LazyGreedy(Coverage([[0, 1, 2], [2, 3], [3, 4]]), k=2)
    >>> for e in range(3):
    ...     g.insert(e)
    >>> sorted(g.solution().tolist()), g.value()
    ([0, 2], 5.0)

    Notes
    -----
    Each update costs one recompute: ``n`` singleton values plus the lazy
    re-evaluations (at most ``n k``), and ``O(n log n)`` heap steps.

    References
    ----------
    M. Minoux, "Accelerated greedy algorithms for maximizing submodular set
    functions", Optimization Techniques, 1978.
    """

    def __init__(self, objective: Objective, k: int) -> None:
        self._items = _ItemSet(objective, k)
        obj = self._items.objective
        _singletons(obj)
        _validate.check_allocation(_base.scratch_nbytes(obj._od, self._items.k), f"LazyGreedy(k={self._items.k})")
        self._scr = _base.make_scratch(obj._od, self._items.k)
        self._sol = np.zeros(0, dtype=np.int64)
        self._val = 0.0
        self._calls = 0

    def _recompute(self) -> None:
        obj = self._items.objective
        c, f, calls = obj._bind.lazy_greedy(tuple(obj._od), obj.singletons(), self._items.present_items(),
                                            self._items.k, self._scr)
        self._sol = self._scr.out[: int(c)].copy()
        self._val = float(f)
        self._calls += int(calls)

    def insert(self, item: int, predicted_deletion: int | None = None) -> None:
        """Insert ``item`` and recompute (``predicted_deletion`` is checked and ignored)."""
        e = self._items.check_insert(item)
        self._items.check_prediction(predicted_deletion)
        self._items.present[e] = True
        self._items.day += 1
        self._recompute()

    def delete(self, item: int) -> None:
        """Delete ``item`` and recompute."""
        e = self._items.check_delete(item)
        self._items.present[e] = False
        self._items.day += 1
        self._recompute()

    def solution(self) -> NDArray[np.int64]:
        return self._sol.copy()

    def value(self) -> float:
        return self._val

    @property
    def stats(self) -> SubmodularStats:
        return SubmodularStats(self._items.day, self._calls, 0, 0, self._items.day, "lazy greedy")

    def check(self) -> None:
        """The solution is the lazy greedy's on the present items, with its value."""
        obj = self._items.objective
        assert np.all(self._items.present[self._sol]) and self._sol.shape[0] <= self._items.k
        assert obj.value(self._sol.tolist()) == self._val


class SieveStreaming:
    """Insertion-only Sieve-Streaming (deletions are ignored by the sieve: a yardstick).

    ``delete`` only marks the item absent; the answer may then hold
    deleted items.  Use [`SieveRerun`][dynalgo.SieveRerun] for a correct dynamic baseline.

    Examples
    --------
    >>> from dynalgo import Coverage, SieveStreaming
    >>> s = SieveStreaming(Coverage([[0, 1, 2], [2, 3], [3, 4]]), k=2)
    >>> for e in range(3):
    ...     s.insert(e)
    >>> sorted(s.solution().tolist()), s.value()
    ([0, 2], 5.0)

    Notes
    -----
    One oracle call for the singleton value plus one per threshold whose
    partial solution is not full: ``O(log(k) / eps)`` per insertion.

    References
    ----------
    A. Badanidiyuru, B. Mirzasoleiman, A. Karbasi, A. Krause, "Streaming
    submodular maximization: massive data summarization on the fly", KDD 2014.
    """

    def __init__(self, objective: Objective, k: int, *, eps: float = 0.1) -> None:
        self._items = _ItemSet(objective, k, eps)
        obj = self._items.objective
        single = _singletons(obj)
        k, eps = self._items.k, self._items.eps
        sizes = _sv.plan(obj._od, single, k, eps)
        _validate.check_allocation(sizes.nbytes, f"{type(self).__name__}(k={k}, eps={eps}) "
                                                 f"({sizes.slots} Sieve-Streaming thresholds)")
        self._sieve = _sv.make(obj._od, single, k, eps, sizes)
        self._tup = tuple(self._sieve)
        self._reruns = 0
        self._seen = np.zeros(obj.n, dtype=np.bool_)  # the items of the sieve's stream

    def _offer(self, e: int) -> None:
        self._items.objective._bind.sieve_run(self._tup, np.array([e], dtype=np.int64))
        self._seen[e] = True

    def insert(self, item: int, predicted_deletion: int | None = None) -> None:
        """Insert ``item`` (``predicted_deletion`` is checked and ignored).  An item that
        comes back after a deletion is still in the sieve, which never saw it go: the
        sieve is not offered it again."""
        e = self._items.check_insert(item)
        self._items.check_prediction(predicted_deletion)
        self._items.present[e] = True
        self._items.day += 1
        if not self._seen[e]:
            self._offer(e)

    def delete(self, item: int) -> None:
        e = self._items.check_delete(item)
        self._items.present[e] = False
        self._items.day += 1

    def solution(self) -> NDArray[np.int64]:
        return _sv.solution(self._sieve)[0]

    def value(self) -> float:
        return _sv.solution(self._sieve)[1]

    @property
    def stats(self) -> SubmodularStats:
        c = int(self._sieve.meta[_sv.M_CALLS])
        return SubmodularStats(self._items.day, c, 0, 0, self._reruns, "sieve")

    def check(self) -> None:
        _sv.check(self._sieve, self._items.objective._bind.phi, self._items.objective._bind.psi)
        seq = self._sieve.seq[: int(self._sieve.meta[_sv.M_NSEQ])]
        assert np.array_equal(np.sort(seq), np.flatnonzero(self._seen)), "stream and seen items disagree"


class SieveRerun(SieveStreaming):
    """Baseline: Sieve-Streaming, rerun on the surviving items (in arrival order) whenever a
    deleted item is in one of its partial solutions.

    A deleted item outside every partial solution stays in the sieve's stream; if it is
    inserted again before the next rerun, the sieve is rerun then (the stream holds each
    item once).

    Examples
    --------
    >>> from dynalgo import Coverage, SieveRerun
    >>> s = SieveRerun(Coverage([[0, 1, 2], [2, 3], [3, 4]]), k=2)
    >>> for e in range(3):
    ...     s.insert(e)
    >>> s.delete(0); sorted(s.solution().tolist())
    [1, 2]
    """

    def __init__(self, objective: Objective, k: int, *, eps: float = 0.1) -> None:
        super().__init__(objective, k, eps=eps)
        self._order = np.full(self._items.objective.n, -1, dtype=np.int64)  # arrival day of present items

    def insert(self, item: int, predicted_deletion: int | None = None) -> None:
        """Insert ``item`` (``predicted_deletion`` is checked and ignored)."""
        e = self._items.check_insert(item)
        self._items.check_prediction(predicted_deletion)
        self._items.present[e] = True
        self._items.day += 1
        self._order[e] = self._items.day
        if self._seen[e]:
            self._rerun()
        else:
            self._offer(e)

    def delete(self, item: int) -> None:
        """Delete ``item``; rerun if it is in a partial solution."""
        e = self._items.check_delete(item)
        self._items.present[e] = False
        self._items.day += 1
        self._order[e] = -1
        if _sv.contains(self._tup, e):
            self._rerun()

    def _rerun(self) -> None:
        """Sieve-Streaming from scratch over the present items in arrival order."""
        self._reruns += 1
        _sv.reset(self._tup)
        alive = np.flatnonzero(self._order >= 0)
        alive = alive[np.argsort(self._order[alive], kind="stable")].astype(np.int64)
        self._items.objective._bind.sieve_run(self._tup, alive)
        self._seen[:] = False
        self._seen[alive] = True

    def check(self) -> None:
        super().check()
        seq = self._sieve.seq[: int(self._sieve.meta[_sv.M_NSEQ])]
        sol = self.solution()
        assert np.all(self._items.present[sol]), "the answer holds a deleted item"
        assert set(seq.tolist()) >= set(self._items.present_items().tolist())

