"""Dynamic all-pairs shortest paths lifted from an undo APSP structure by the prediction engine."""

from __future__ import annotations

import dataclasses
import numbers
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike, NDArray

from predictors import PredictionArrays
from structures import apsp_dense as _dense
from structures import apsp_dynamic as _dyn
from structures import engine as _k
from structures import lifted_apsp as _lifted
from structures import race_apsp as _race_apsp_kernels
from structures import sequence as _sequence

from . import _validate
from ._engine import BaseKernels, EngineStats, LiftingEngine
from ._race_apsp import APSPRace
from ._registry import Registry
from .errors import (
    DynalgoError,
    DuplicateElementError,
    InvalidInputError,
    MissingElementError,
    NegativeCycleError,
    PredictionError,
)
from .updates import Op, Predictions, UpdateBatch, as_queries

__all__ = ["DynamicAPSP", "PathsUnavailableError"]

_BASE = BaseKernels(_lifted.run_days, _lifted.reset_path)
_BASE_LIGHT = BaseKernels(_lifted.run_days_light, _lifted.reset_path_light)


class PathsUnavailableError(DynalgoError, LookupError):
    """A path was asked of a ``DynamicAPSP`` built with ``paths=False`` (it keeps distances only)."""


def _weight(w: Any, what: str = "weight", limit: float = float("inf")) -> float:
    """A finite real weight of magnitude at most ``limit``, or ``InvalidInputError``."""
    if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Real):
        raise InvalidInputError(f"{what} must be a finite real number, got {w!r} of type {type(w).__name__}")
    try:
        x = float(w)
    except (OverflowError, ValueError, TypeError) as exc:
        raise InvalidInputError(f"{what} {w!r} is not representable as a float64 weight") from exc
    if not np.isfinite(x):
        raise InvalidInputError(f"{what} must be finite (NaN and infinity are not arc weights), got {x}")
    if abs(x) > limit:
        raise InvalidInputError(f"{what} {x} is too large: weights are at most {limit:.6g} in magnitude "
                                "(so that sums along paths cannot overflow)")
    return x


def _positive_int(x: Any, what: str, limit: int = 1 << 62) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)) or not 1 <= int(x) <= limit:
        raise InvalidInputError(f"{what} must be a positive integer up to {limit}, got {x!r}")
    return int(x)


class _Plan(NamedTuple):
    """What ``DynamicAPSP._plan`` decided for a batch."""

    exp: int  # grid exponent
    bad: int  # first rejected row (-1: none)
    batch: NDArray[np.float64]  # stored weights of the batch rows (0 on deletions)
    grid: NDArray[np.float64]  # the same rounded to the grid, before the bumps
    present_ids: NDArray[np.int64]  # present elements
    present: NDArray[np.float64] | None  # their stored weights on the new grid (None: the grid is unchanged)


def _depth_bound(horizon: int) -> int:
    """Windows on a root-to-leaf path of the dyadic partition tree over ``horizon`` days, plus slack."""
    return int(np.ceil(np.log2(max(horizon, 2)))) + 3


class DynamicAPSP:
    """Fully dynamic all-pairs shortest paths of a weighted digraph, fast when updates are predicted.

    The graph has vertices ``0..n-1`` and starts with no arcs; at most one arc
    per ordered pair.  Every insertion or deletion of an arc is one *day*.
    Distances are exact for integer weights (``inf`` when unreachable); real
    weights are rounded to a grid on which all arithmetic is exact, and
    distances are within [`error_bound`][dynalgo.DynamicAPSP.error_bound] of the exact ones (the numeric
    contract: see [`quantum`][dynalgo.DynamicAPSP.quantum] and docs/pages/apsp.md).  Predictions of
    future updates only change the running time.  The lifted structure is the
    incremental dense APSP of ``structures.apsp_dense`` (an O(n^2)
    relaxation per arc, with undo) made fully dynamic by the lifting engine;
    it is raced against a fully dynamic backstop (relaxation on insertion,
    Ramalingam-Reps repair of the affected rows on deletion), as
    [`dynalgo.DynamicConnectivity`][dynalgo.DynamicConnectivity] races HDT.

    Parameters
    ----------
    n : int
        Number of vertices.
    predictions : Predictions or PredictionArrays, optional
        Predicted insertions and deletions of arcs ``(u, v)`` with their days
        (absolute: day 1 is this structure's first update).  Weights are not
        predicted; each insertion brings its own.
    directed : bool, default True
        ``False``: every update inserts or deletes both arcs ``u -> v`` and
        ``v -> u`` with one weight (an undirected edge, one day).  A negative
        undirected edge is a negative cycle of two arcs and is rejected.
    backstop : {"auto", "dynamic", None}, default "auto"
        Race the lifted structure against the fully dynamic backstop ([LS]
        Alg. C.2): every day both get the update and are stepped alternately
        with work budgets until one has caught up; that one answers the day's
        queries.  ``None``: the lifted structure alone.  ``"auto"``:
        ``"dynamic"``, or ``None`` in the light mode (``paths=False``), which
        has no backstop.
    backstop_share : float, default 1.0
        ``r``: work units granted to the backstop per unit granted to the lifted side.
    race_quantum : int, default 64
        Least work budget of one step of either side while the other runs.
    race_floor : float, default 1/16
        Share of the backstop, relative to ``backstop_share``, while the
        lifted side leads (its average work per day is clearly below the
        backstop's); it grows back to the full share on a day when the lifted
        side's work exceeds 4 times its average (see docs/pages/apsp.md).
        1 gives the plain race of [LS] Alg. C.2.
    seed : int, default 0
        Seed of the random partition tree and of the randomized schedule.
    deterministic_schedule : bool, default False
        Place conflicting predicted events on the nearest free day.
    paths : bool, default True
        ``False``: the light mode, distances only.  No next-hop matrix, no
        arc-weight matrix and no backstop; ``path()`` raises
        ``PathsUnavailableError``; weights must be non-negative.
    dtype : numpy.float64 or numpy.float32, default float64
        Type of the distances.  float32 (light mode only) halves the distance
        matrix and the undo log, on a grid of 24 significant bits (see
        ``quantum``).

    Raises
    ------
    InvalidInputError
        If ``n`` is not a positive integer up to 16,384, or an option is invalid
        (float32 with ``paths=True``, or a backstop with ``paths=False``).
    CapacityError
        If the dense matrices would not fit in this machine's memory (before allocating).
    PredictionError
        If a prediction names a vertex outside ``0..n-1``.

    Examples
    --------
    >>> from dynalgo import DynamicAPSP
    >>> g = DynamicAPSP(4)
    >>> g.insert(0, 1, 2.0); g.insert(1, 2, 3.0); g.insert(0, 2, 10.0)
    >>> g.distance(0, 2), g.path(0, 2)
    (5.0, [0, 1, 2])
    >>> g.delete(1, 2)
    >>> g.distance(0, 2), g.distance(2, 0)
    (10.0, inf)
    >>> g.insert(2, 0, -4.0)
    >>> g.distance(2, 1)
    -2.0
    >>> g.insert(1, 2, 1.0)
    Traceback (most recent call last):
    ...
    dynalgo.errors.NegativeCycleError: arc (1, 2) of weight 1.0 would close a cycle of weight -1.0 (through the path 2 -> 1 of length -2.0)

    Notes
    -----
    With predictions of l1 error ``L`` over ``T`` days, the total work is
    ``O((T + L) log T)`` insertions into the dense structure in expectation
    ([LS] Thm 1.1 with Lemma 17), each O(n) for a column scan plus one step
    per cell examined: the rows that can change are searched down the
    shortest-path in-tree of ``u``, each trying only the columns its parent
    improved (O(n^2) worst case); undo costs one step per changed cell.  A
    deletion that was never predicted recomputes the whole path: that is what
    the backstop bounds.  Queries cost O(1) (``distance``) and O(path
    length) (``path``).  Memory: dense ``n x n`` matrices (about 28 n^2 bytes
    for the lifted side, 36 n^2 for the backstop) plus the undo log, at most
    ``(log2 T + 3) n^2`` entries of 16 bytes (address space; only the part in
    use is resident).

    References
    ----------
    .. [LS] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model:
       Offline, Incremental, and Decremental to Fully Dynamic Transformations",
       COLT 2024, PMLR 247 (arXiv:2307.08890), Alg. 2.1, Lemmas 17 and 19, Alg. C.2.
    .. [RR] G. Ramalingam and T. Reps, "An incremental algorithm for a
       generalization of the shortest-path problem", J. Algorithms 21 (1996).
    """

    def __init__(
        self,
        n: int,
        predictions: Predictions | PredictionArrays | None = None,
        *,
        directed: bool = True,
        backstop: str | None = "auto",
        backstop_share: float = 1.0,
        race_quantum: int = 64,
        race_floor: float = 1.0 / 16.0,
        seed: int = 0,
        deterministic_schedule: bool = False,
        paths: bool = True,
        dtype: Any = np.float64,
    ) -> None:
        self._n = _validate.vertex_count(n)
        if self._n > _dense.MAX_N:
            raise InvalidInputError(f"DynamicAPSP keeps dense n x n matrices: n must be at most {_dense.MAX_N}, got {n}")
        if not isinstance(directed, (bool, np.bool_)):
            raise InvalidInputError(f"directed must be a bool, got {directed!r}")
        self._directed = bool(directed)
        if not isinstance(paths, (bool, np.bool_)):
            raise InvalidInputError(f"paths must be a bool, got {paths!r}")
        self._paths = bool(paths)
        try:
            dt = np.dtype(dtype)
        except TypeError as exc:
            raise InvalidInputError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}") from exc
        if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise InvalidInputError(f"dtype must be numpy.float64 or numpy.float32, got {dtype!r}")
        if dt == np.float32 and self._paths:
            raise InvalidInputError("float32 distances are offered in the light mode only: pass paths=False")
        self._dtype = dt
        self._mant = _dense.mantissa(dt)
        if backstop == "auto":
            backstop = "dynamic" if self._paths else None
        if backstop not in ("dynamic", None):
            raise InvalidInputError(f"backstop must be 'auto', 'dynamic' or None, got {backstop!r}")
        if backstop is not None and not self._paths:
            raise InvalidInputError("the backstop keeps a predecessor matrix: the light mode (paths=False) runs "
                                    "without it (backstop=None or 'auto')")
        try:
            share = float(backstop_share) if isinstance(backstop_share, (int, float, np.integer, np.floating)) else -1.0
        except OverflowError:
            share = -1.0
        if isinstance(backstop_share, (bool, np.bool_)) or not (0.0 < share < float("inf")):
            raise InvalidInputError(f"backstop_share must be a positive finite number, got {backstop_share!r}")
        race_quantum = _positive_int(race_quantum, "race_quantum")
        if isinstance(race_floor, (bool, np.bool_)) or not isinstance(race_floor, (int, float, np.integer, np.floating)) \
                or not 0.0 < float(race_floor) <= 1.0:
            raise InvalidInputError(f"race_floor must be a number in (0, 1], got {race_floor!r}")
        # lifted side: 28 n^2 bytes of matrices plus the part of the undo log in use (about 4 n^2
        # entries of 16 bytes); the backstop: 36 n^2 bytes.  Light mode: distances and stamps
        # (s + 4 bytes per cell, s = 4 or 8) and about 4 n^2 log entries of s + 4 bytes
        need = self.bytes_per_cell(paths=self._paths, dtype=dt, backstop=backstop) * self._n * self._n
        _validate.check_allocation(need, f"DynamicAPSP(n={self._n}) (dense n x n matrices)")
        self._reg = Registry()
        predictions = Predictions.coerce(predictions)
        _validate.vertex_arrays(self._n, predictions.u, predictions.v, "prediction", PredictionError)
        pe = self._reg.assign(self._keys(predictions.u, predictions.v))
        pred_day = np.minimum(predictions.day, _validate.NEVER).astype(np.int64)
        base = (_dense.make(self._n, 16, not self._directed) if self._paths
                else _dense.make_light(self._n, 16, not self._directed, dt.type))
        self._engine = LiftingEngine(
            _BASE if self._paths else _BASE_LIGHT, tuple(base), self._reg.size, pe,
            predictions.op.astype(np.int64), pred_day, seed=seed, deterministic=deterministic_schedule, tree="dyadic",
        )
        self._race: APSPRace | None = None
        self._ensure_log(0)
        self._present = np.zeros(max(self._reg.size, 16), dtype=np.bool_)
        self._w = np.zeros(max(self._reg.size, 16), dtype=np.float64)
        # the numeric contract: the kernels hold the weights rounded to a grid of spacing
        # quantum(E) (and bumped; see _plan), on which every sum is exact
        self._ws = np.zeros(max(self._reg.size, 16), dtype=np.float64)
        self._exp = _dense.min_exponent(self._mant)
        self._max_bump = 0.0
        self._wmax = _dense.max_weight(self._n, self._mant)
        if backstop == "dynamic":
            self._race = APSPRace(self._engine, self._n, undirected=not self._directed, share=share,
                                  quantum=int(race_quantum), floor=float(race_floor))
            self._race.reserve(self._reg.size)
        self._buf = np.empty(self._n + 1, dtype=np.int64)

    # plumbing -----------------------------------------------------------------------
    @staticmethod
    def bytes_per_cell(*, paths: bool = True, dtype: Any = np.float64, backstop: str | None = "dynamic") -> float:
        """Bytes per vertex pair that the allocation check budgets (times ``n^2``): matrices plus
        about ``4 n^2`` undo-log entries in use.  Default raced structure 128, ``backstop=None``
        92, light mode (``paths=False``) 60 in float64 and 40 in float32."""
        if paths:
            return 28.0 + 64.0 + (36.0 if backstop == "dynamic" else 0.0)
        s = float(np.dtype(dtype).itemsize)
        return (s + 4.0) + 4.0 * (s + 4.0)

    def _dense_state(self) -> Any:
        if self._paths:
            return _dense.DenseState(*self._engine.bstate)
        return _dense.LightState(*self._engine.bstate)

    def _ensure_log(self, days_ahead: int) -> None:
        """Room in the undo log for any path of the partition tree the next ``days_ahead`` days may use."""
        h = int(self._engine.meta[_k.M_H])
        last = self._engine.day + days_ahead + (0 if self._race is None else self._race.day - self._engine.day)
        while h < last:  # the engine doubles its horizon on the first day past it (day H + 1)
            h *= 2
        cap = _dense.log_capacity(self._n, _depth_bound(h))
        st = self._dense_state()
        if st.lcell.shape[0] < cap:
            grow = _dense.grow_log if self._paths else _dense.grow_log_light
            self._engine.bstate = tuple(grow(st, cap))

    def _reserve(self) -> None:
        size = self._reg.size
        if self._present.shape[0] < size:
            cap = max(size, 2 * self._present.shape[0])
            p = np.zeros(cap, dtype=np.bool_)
            p[: self._present.shape[0]] = self._present
            self._present = p
            w = np.zeros(cap, dtype=np.float64)
            w[: self._w.shape[0]] = self._w
            self._w = w
            w = np.zeros(cap, dtype=np.float64)
            w[: self._ws.shape[0]] = self._ws
            self._ws = w
        if self._race is not None:
            self._race.reserve(size)
        else:
            self._engine.reserve(size)

    def _backstop_answers(self) -> bool:
        return self._race is not None and self._race.winner == 1

    def _today(self) -> NDArray[np.float64]:
        """The distance matrix of the side that holds today's state."""
        if self._backstop_answers():
            assert self._race is not None
            return self._race.backstop.d
        return self._dense_state().d  # type: ignore[no-any-return]

    def _key(self, u: int, v: int) -> int:
        if self._directed:
            return u * self._n + v
        return min(u, v) * self._n + max(u, v)

    def _keys(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        if self._directed:
            return u * self._n + v
        return np.minimum(u, v) * self._n + np.maximum(u, v)

    def _name(self, u: int, v: int) -> str:
        return f"arc ({u}, {v})" if self._directed else f"edge ({u}, {v})"

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def directed(self) -> bool:
        """Whether updates are single arcs (``False``: undirected edges, both arcs)."""
        return self._directed

    @property
    def day(self) -> int:
        """Number of updates handled so far (the last day)."""
        return self._engine.day if self._race is None else self._race.day

    @property
    def num_arcs(self) -> int:
        """Number of present arcs (an undirected edge counts as one)."""
        return int(np.count_nonzero(self._present[: self._reg.size]))

    @property
    def paths(self) -> bool:
        """Whether paths are kept (``False``: the light mode, distances only)."""
        return self._paths

    @property
    def dtype(self) -> np.dtype[Any]:
        """The type of the distances (float64, or float32 in the light mode)."""
        out: np.dtype[Any] = np.dtype(self._dtype)
        return out

    @property
    def max_weight(self) -> float:
        """The largest accepted ``|weight|``: ``2^(1022 - L)`` with ``2^L >= 8 n``, so that no sum
        along paths can overflow."""
        return self._wmax

    @property
    def quantum(self) -> float:
        """The spacing ``q`` of today's weight grid (0.0 before the first non-zero weight).

        The numeric contract: each weight is rounded to the nearest multiple of
        ``q = 2^(E + L - 53)`` (``2^(E + L - 24)`` with float32 distances), where every weight seen so far is at most ``2^E``
        in magnitude (``E`` is the exponent of the largest weight plus 4, and
        grows only when a weight beyond ``2^E`` arrives) and ``2^L >= 8 n``; on
        this grid every sum the structure forms is exact in the distance type.  A cycle is
        negative when its grid weight is below ``-(n + 1024) q``; a new arc
        that closes a cycle of grid weight between that and 0 is *bumped*: its
        stored weight is raised just enough to make the cycle weigh 0.
        """
        return 0.0 if self._exp == _dense.min_exponent(self._mant) else _dense.quantum(self._exp, self._n, self._mant)

    @property
    def error_bound(self) -> float:
        """A bound on ``|distance - exact distance|`` over all pairs, where the exact distance
        is computed in exact arithmetic from the weights as given: ``(n - 1) (q / 2 + b)``,
        with ``q`` the [`quantum`][dynalgo.DynamicAPSP.quantum] and ``b`` the largest bump applied so far (usually 0)."""
        return (self._n - 1) * (self.quantum / 2.0 + self._max_bump)

    @property
    def stats(self) -> EngineStats:
        """Work counters of the lifting engine ([`dynalgo.EngineStats`][dynalgo.EngineStats]); with a backstop,
        ``stats.race`` holds the race counters ([`dynalgo.RaceStats`][dynalgo.RaceStats]), whose
        ``backstop_work`` counts the units of the fully dynamic APSP structure (cells
        examined, rows tested, arcs scanned, ``ceil(log2 n)`` per heap operation; see
        ``structures.race_apsp``)."""
        st = self._engine.stats()
        if self._race is not None:
            st = dataclasses.replace(st, days=self._race.day, race=self._race.stats())
        return st

    # single updates -----------------------------------------------------------------
    def has_arc(self, u: int, v: int) -> bool:
        """Whether the arc ``(u, v)`` (the edge ``{u, v}`` when undirected) is present."""
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._reg.get(self._key(u, v))
        return e >= 0 and bool(self._present[e])

    def weight(self, u: int, v: int) -> float:
        """Weight of the present arc ``(u, v)``.

        Raises
        ------
        MissingElementError
            If the arc is absent.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._reg.get(self._key(u, v))
        if e < 0 or not self._present[e]:
            raise MissingElementError(f"{self._name(u, v)} is not present")
        return float(self._w[e])

    def _negative_cycle(self, u: int, v: int, w: float, wq: float) -> str | None:
        """Why inserting ``(u, v)`` of weight ``w`` (``wq`` on today's grid) would close a negative
        cycle (None: it would not).  Exact: every value involved lies on the grid."""
        d = self._today()
        band = _dense.cycle_band(self._exp, self._n, self._mant)
        if u == v and wq < -band:
            return f"self-loop ({u}, {u}) of negative weight {w} is a negative cycle"
        if not self._directed and 2.0 * wq < -band:
            return f"undirected edge ({u}, {v}) of negative weight {w} is a negative cycle u -> v -> u"
        if d[v, u] + wq < -band:
            return (f"{self._name(u, v)} of weight {w} would close a cycle of weight {d[v, u] + wq} "
                    f"(through the path {v} -> {u} of length {d[v, u]})")
        return None

    def insert(self, u: int, v: int, weight: float = 1.0, *, predicted_deletion: int | None = None) -> None:
        """Insert the arc ``u -> v`` of the given weight (one day).

        Parameters
        ----------
        u, v : int
            Endpoints in ``0..n-1``.  A self-loop of non-negative weight is
            allowed (it never shortens a path).
        weight : float, default 1.0
            A finite real of magnitude at most [`max_weight`][dynalgo.DynamicAPSP.max_weight]; negative
            weights are allowed unless they close a negative cycle (in the sense
            of the numeric contract, see [`quantum`][dynalgo.DynamicAPSP.quantum]).
        predicted_deletion : int, optional
            Predicted day of this arc's deletion (absolute day; the predicted-deletion model).

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        InvalidInputError
            If ``weight`` is not a finite real number of magnitude at most [`max_weight`][dynalgo.DynamicAPSP.max_weight].
        DuplicateElementError
            If the arc is already present (use [`set_weight`][dynalgo.DynamicAPSP.set_weight]).
        NegativeCycleError
            If the arc would close a cycle of negative weight.
        PredictionError
            If ``predicted_deletion`` is not a positive integer.

        A rejected insertion leaves the structure unchanged.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        w = self._light_weight(_weight(weight, limit=self._wmax))
        pdel = 0 if predicted_deletion is None else _validate.day(predicted_deletion)
        key = self._key(u, v)
        e = self._reg.get(key)
        if e >= 0 and self._present[e]:
            raise DuplicateElementError(f"{self._name(u, v)} is already present; delete it first or use set_weight")
        exp = self._exponent_for(abs(w))
        if exp != self._exp:
            # the grid grows: plan on a copy, so that a rejection changes nothing
            one = np.ones(1, dtype=np.int64)
            plan = self._plan(exp, one, np.array([u], dtype=np.int64), np.array([v], dtype=np.int64),
                              np.array([w], dtype=np.float64))
            if plan.bad >= 0:
                raise NegativeCycleError(f"{self._name(u, v)} of weight {w} would close a negative cycle")
            self._regrid(plan)
            ws = float(plan.batch[0])
            self._max_bump = max(self._max_bump, ws - float(plan.grid[0]))
        else:
            wq = float(_dense.to_grid(w, self._exp, self._n, self._mant))
            why = self._negative_cycle(u, v, w, wq)
            if why is not None:
                raise NegativeCycleError(why)
            d = self._today()
            ws = max(wq, -float(d[v, u]))
            if not self._directed:
                ws = max(ws, 0.0)
            self._max_bump = max(self._max_bump, ws - wq)
        if e < 0:
            e = int(self._reg.assign(np.array([key], dtype=np.int64))[0])
        self._reserve()
        self._present[e] = True
        self._w[e] = w
        self._ws[e] = ws
        self._step(e, int(Op.INSERT), u, v, ws, pdel)

    def delete(self, u: int, v: int) -> None:
        """Delete the arc ``u -> v`` (one day).

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        MissingElementError
            If the arc is not present.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._reg.get(self._key(u, v))
        if e < 0 or not self._present[e]:
            raise MissingElementError(f"{self._name(u, v)} is not present, so it cannot be deleted")
        self._present[e] = False
        self._step(e, int(Op.DELETE), u, v, 0.0, 0)

    def set_weight(self, u: int, v: int, weight: float) -> None:
        """Change the weight of the present arc ``u -> v``: a deletion and an insertion (two days).

        Validated as a whole first: a rejected change (absent arc, bad weight, a
        negative cycle) leaves the structure unchanged.

        Raises
        ------
        VertexError, MissingElementError, InvalidInputError, NegativeCycleError
            As [`delete`][dynalgo.DynamicAPSP.delete] and [`insert`][dynalgo.DynamicAPSP.insert].
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        w = self._light_weight(_weight(weight, limit=self._wmax))
        e = self._reg.get(self._key(u, v))
        if e < 0 or not self._present[e]:
            raise MissingElementError(f"{self._name(u, v)} is not present, so its weight cannot be set")
        batch = UpdateBatch.from_arrays([0, 1], [u, u], [v, v], [0.0, w])
        self.run(batch)

    def _light_weight(self, w: float) -> float:
        if w < 0.0 and not self._paths:
            raise InvalidInputError(f"weight {w} is negative: the light mode (paths=False) takes non-negative "
                                    "weights only")
        return w

    def _step(self, e: int, op: int, u: int, v: int, w: float, pdel: int) -> None:
        """One validated update: a one-day batch."""
        ev = (np.array([e], dtype=np.int64), np.array([op], dtype=np.int64), np.array([u], dtype=np.int64),
              np.array([v], dtype=np.int64), np.array([w], dtype=np.float64), np.array([pdel], dtype=np.int64))
        self._apply(ev, np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.float64))

    def _apply(self, ev: tuple[NDArray[Any], ...], q: NDArray[np.int64], out: NDArray[np.float64]) -> None:
        self._ensure_log(int(ev[0].shape[0]))
        if self._race is not None:
            self._race.run(ev, q, out)
        else:
            self._engine.reserve(self._reg.size, int(ev[0].shape[0]))
            self._engine.run(ev[0], ev[1], ev[2], ev[3], ev[4], ev[5], q, out)

    # queries ------------------------------------------------------------------------
    def distance(self, u: int, v: int) -> float:
        """Length of a shortest path ``u -> v`` (``inf`` when there is none; O(1))."""
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        return float(self._today()[u, v])

    def path(self, u: int, v: int) -> list[int]:
        """The vertices of a shortest path ``u -> v`` (``[]`` when there is none; ``[u]`` when ``u == v``).

        Raises
        ------
        PathsUnavailableError
            If the structure keeps distances only (``paths=False``).
        """
        if not self._paths:
            raise PathsUnavailableError("this DynamicAPSP was built with paths=False (the light mode keeps "
                                        "distances only); build it with paths=True to ask for paths")
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        if self._backstop_answers():
            assert self._race is not None
            bs = self._race.backstop
            k = int(_dyn.path(bs.pred, bs.d, u, v, self._buf))
        else:
            st = self._dense_state()
            k = int(_dense.path(st.succ, st.d, u, v, self._buf))
        return [int(x) for x in self._buf[:k]]

    def distances(self) -> NDArray[np.float64]:
        """All distances as a read-only ``(n, n)`` view (valid until the next update)."""
        view = self._today().view()
        view.flags.writeable = False
        return view

    # batches ------------------------------------------------------------------------
    def _exponent_for(self, max_abs: float) -> int:
        """The grid exponent after weights up to ``max_abs`` arrive (it only ever grows)."""
        if max_abs <= 2.0 ** self._exp:
            return self._exp
        return max(self._exp, _dense.grid_exponent(max_abs, self._n, mant=self._mant))

    def _plan(self, exp: int, op: NDArray[np.int64], u: NDArray[np.int64], v: NDArray[np.int64],
              w: NDArray[np.float64]) -> "_Plan":
        """The stored weights of a batch on the grid of exponent ``exp`` (and, when the grid
        changes, of the present arcs), and its first rejected row, computed on a copy.

        Each weight is rounded to the grid, then raised by its *bump* (see
        ``structures.apsp_dynamic.apply_batch``): the least increase that makes
        every cycle it closes non-negative.  An insertion whose cycle is below
        ``-cycle_band`` is rejected instead.  Nothing of the structure changes.
        """
        n = self._n
        ins = op == Op.INSERT
        wq = np.where(ins, _dense.to_grid(w, exp, n, self._mant), 0.0)
        batch = wq.copy()
        band = _dense.cycle_band(exp, n, self._mant)
        pres = np.flatnonzero(self._present[: self._reg.size])
        keys = self._reg.keys[pres]
        pu, pv = keys // n, keys % n
        present: NDArray[np.float64] | None = None
        state: _dyn.DynamicState | None = None
        if exp != self._exp:
            present = _dense.to_grid(self._w[pres], exp, n, self._mant)
            if bool(np.any(present < 0.0)) or bool(np.any(wq[ins] < 0.0)):
                state = _dyn.make(n, not self._directed)
                _dyn.apply_batch(state, np.ones(pres.shape[0], dtype=np.int64), pu, pv, present, band, 2)
        elif bool(np.any(wq[ins] < 0.0)) or bool(np.any(self._ws[pres] < 0.0)):
            if self._race is not None:
                state = _dyn.copy(self._race.backstop)
                self._race.backstop_catch_up(state)
            else:
                state = _dyn.make(n, not self._directed)
                _dyn.apply_batch(state, np.ones(pres.shape[0], dtype=np.int64), pu, pv, self._ws[pres].copy(), 0.0, 0)
        bad = -1 if state is None else int(_dyn.apply_batch(state, op, u, v, batch, band, 1))
        return _Plan(exp, bad, batch, wq, pres, present)

    def _regrid(self, plan: "_Plan") -> None:
        """Move to the grid of ``plan`` (which grew): store the present arcs' new weights on both
        sides and rebuild them (the lifted side recomputes today's path, the backstop starts over)."""
        assert plan.present is not None
        pres, ws = plan.present_ids, plan.present
        self._max_bump = max(self._max_bump, float(np.max(ws - _dense.to_grid(self._w[pres], plan.exp, self._n, self._mant),
                                                             initial=0.0)))
        race = self._race
        if race is not None:
            race.catch_up()
        eng = self._engine
        self._exp = plan.exp
        self._ws[pres] = ws
        H = int(eng.meta[_k.M_H])
        for e, x in zip(pres.tolist(), ws.tolist()):
            i = int(eng.elem[e, _k.E_PRESENT])
            eng.spay_f[0, int(eng.inst[i, _k.I_INS])] = x
            dl = int(eng.inst[i, _k.I_DEL])
            if 1 <= dl <= H and int(eng.days[_k.ROW_SLOT_DEL, dl]) == i:
                eng.spay_f[1, dl] = x
        eng.base.reset_path(eng.stack, eng.meta, eng.bstate)
        none_i = np.zeros(0, dtype=np.int64)
        while True:
            step = _race_apsp_kernels.lifted_step if self._paths else _lifted.lifted_step_light
            _, st = step(
                eng.days, eng.spay_i, eng.spay_f, eng.cand, eng.inst, eng.elem, eng.stack, eng.meta, eng.bstate,
                none_i, none_i, none_i, none_i, np.zeros(0, dtype=np.float64), none_i, eng.day, eng.day, 1 << 62)
            if int(st) == 0:
                break
            eng._grow_horizon()  # pragma: no cover  (no event is handled, so never needed)
        if race is not None:
            bs = _dyn.make(self._n, not self._directed)
            keys = self._reg.keys[pres]
            _dyn.apply_batch(bs, np.ones(pres.shape[0], dtype=np.int64), keys // self._n, keys % self._n,
                             ws.copy(), 0.0, 0)
            race.backstop = bs

    def run(
        self,
        batch: UpdateBatch,
        queries: ArrayLike | None = None,
        *,
        predicted_deletions: ArrayLike | None = None,
    ) -> NDArray[np.float64]:
        """Apply a whole batch in compiled code and answer distance queries.

        Parameters
        ----------
        batch : UpdateBatch
            The updates; row ``k`` (0-based) is batch day ``k + 1``.  Insertions
            carry their weight; deletions ignore it.
        queries : array_like of shape (q, 3), optional
            Rows ``(day, u, v)`` with batch days in ``0..len(batch)``, non-decreasing;
            each asks for the distance ``u -> v`` right after that day's update.
        predicted_deletions : array_like of int, optional
            Per update, the predicted batch day of the deletion of the arc that
            update inserts (0: no prediction; ignored on deletions).

        Returns
        -------
        ndarray of float64, shape (q,)
            The distances (``inf`` when unreachable).

        Raises
        ------
        VertexError, InvalidInputError, DuplicateElementError, MissingElementError, NegativeCycleError, QueryError, PredictionError
            On invalid input, before any update is applied (the structure is
            unchanged).  When the batch or the graph holds a negative weight,
            negative cycles are looked for by a dry run on a copy (about the
            cost of the backstop on the batch).
        """
        if not isinstance(batch, UpdateBatch):
            raise InvalidInputError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        T = len(batch)
        u = np.ascontiguousarray(batch.u, dtype=np.int64)
        v = np.ascontiguousarray(batch.v, dtype=np.int64)
        op = np.ascontiguousarray(batch.op, dtype=np.int64)
        w = np.where(op == Op.INSERT, np.ascontiguousarray(batch.weight, dtype=np.float64), 0.0)
        _validate.vertex_arrays(self._n, u, v, "update")
        bad_w = ~(np.abs(w) <= self._wmax)
        if np.any(bad_w):
            k = int(np.argmax(bad_w))
            raise InvalidInputError(f"update {k} (batch day {k + 1}) inserts {self._name(int(u[k]), int(v[k]))} "
                                    f"with weight {w[k]}: weights must be finite and at most {self._wmax:.6g} "
                                    "in magnitude")
        if not self._paths and bool(np.any(w < 0.0)):
            k = int(np.argmax(w < 0.0))
            raise InvalidInputError(f"update {k} (batch day {k + 1}) inserts {self._name(int(u[k]), int(v[k]))} "
                                    f"with weight {w[k]}: the light mode (paths=False) takes non-negative weights only")
        q = as_queries(queries, self._n, 0, T)
        day0 = self.day
        if predicted_deletions is None:
            pdel = np.zeros(T, dtype=np.int64)
        else:
            pd = _validate.day_array(predicted_deletions, T, "predicted_deletions")
            pdel = np.where(pd > 0, np.minimum(pd + day0, _validate.NEVER), 0)
        known = self._reg.size
        ids = self._reg.assign(self._keys(u, v))
        present = np.zeros(self._reg.size, dtype=np.bool_)
        present[:known] = self._present[:known]
        bad = int(_sequence.first_invalid(present, ids, op))
        if bad >= 0:
            self._reg.rollback()
            name = self._name(int(u[bad]), int(v[bad]))
            if op[bad] == Op.INSERT:
                raise DuplicateElementError(f"update {bad} (batch day {bad + 1}) inserts {name}, which is already present")
            raise MissingElementError(f"update {bad} (batch day {bad + 1}) deletes {name}, which is not present")
        ins = op == Op.INSERT
        exp = self._exponent_for(float(np.max(np.abs(w[ins]), initial=0.0)))
        plan = self._plan(exp, op, u, v, w)
        if plan.bad >= 0:
            self._reg.rollback()
            k = plan.bad
            raise NegativeCycleError(f"update {k} (batch day {k + 1}) inserts {self._name(int(u[k]), int(v[k]))} "
                                     f"of weight {w[k]}, which would close a negative cycle")
        if exp != self._exp:
            self._regrid(plan)
        ws = plan.batch
        self._max_bump = max(self._max_bump, float(np.max(ws - plan.grid, initial=0.0)))
        self._reserve()
        self._present[: present.shape[0]] = present
        self._w[ids[ins]] = w[ins]
        self._ws[ids[ins]] = ws[ins]
        out = np.zeros(q.shape[0], dtype=np.float64)
        self._apply((ids, op, u, v, ws, pdel), q, out)
        return out

    # interop ------------------------------------------------------------------------
    def arcs(self) -> NDArray[np.float64]:
        """The present arcs as an ``(m, 3)`` array of rows ``(u, v, weight)``
        (for an undirected structure, one row per edge with ``u <= v``)."""
        ne = self._reg.size
        pres = np.flatnonzero(self._present[:ne])
        keys = self._reg.keys[pres]
        return np.stack([keys // self._n, keys % self._n, self._w[pres]], axis=1).astype(np.float64).reshape(-1, 3)

    def to_networkx(self) -> "nx.DiGraph[int] | nx.Graph[int]":
        """The current graph (a ``networkx.DiGraph``, or ``networkx.Graph`` when
        undirected) on nodes ``0..n-1`` with the ``weight`` attribute."""
        g: nx.DiGraph[int] | nx.Graph[int] = nx.DiGraph() if self._directed else nx.Graph()
        g.add_nodes_from(range(self._n))
        g.add_weighted_edges_from((int(a), int(b), float(c)) for a, b, c in self.arcs().tolist())
        return g

    @classmethod
    def from_networkx(
        cls,
        graph: "nx.Graph[Any]",
        predictions: Predictions | None = None,
        *,
        weight: str = "weight",
        backstop: str | None = "dynamic",
        seed: int = 0,
    ) -> "DynamicAPSP":
        """Build a structure holding the arcs of ``graph`` (one insertion day per arc, or per
        edge of an undirected graph), weighted by the ``weight`` attribute (default 1).

        The nodes of ``graph`` must be the integers ``0..n-1``; use
        ``networkx.convert_node_labels_to_integers`` otherwise.
        """
        if not isinstance(graph, nx.Graph) or graph.is_multigraph():
            raise InvalidInputError(f"from_networkx expects a networkx Graph or DiGraph, got {type(graph).__name__}")
        n = graph.number_of_nodes()
        if n == 0 or set(graph.nodes) != set(range(n)):
            raise InvalidInputError("graph nodes must be exactly the integers 0..n-1 (n >= 1); "
                                    "relabel with networkx.convert_node_labels_to_integers")
        rows = [(a, b, _weight(data.get(weight, 1.0), f"weight of ({a}, {b})")) for a, b, data in graph.edges(data=True)]
        e = np.asarray(rows, dtype=np.float64).reshape(-1, 3)
        g = cls(n, predictions, directed=graph.is_directed(), backstop=backstop, seed=seed)
        g.run(UpdateBatch.from_arrays(np.ones(len(e), dtype=np.int8), e[:, 0].astype(np.int64),
                                      e[:, 1].astype(np.int64), e[:, 2]))
        return g

    # invariants ---------------------------------------------------------------------
    def check(self) -> None:
        """Assert every invariant.

        The engine, the registry, the dense structure (its distances are exactly
        the shortest paths of its arcs: see ``structures.apsp_dense.check``)
        and, with a backstop, the fully dynamic structure; the side that answers
        today holds exactly the present arcs with their weights.  With a
        backstop, on a copy where both sides are driven to today, both hold the
        present arcs and the same distances.
        """
        self._reg.check()
        ne = self._reg.size
        assert not np.any(self._present[ne:]), "presence flag beyond the registry"
        want = self._arc_matrix(stored=True)
        pres = np.flatnonzero(self._present[:ne])
        ws = self._ws[pres]
        assert np.array_equal(_dense.to_grid(ws, self._exp, self._n, self._mant), ws), "a stored weight is off the grid"
        assert np.all(ws >= _dense.to_grid(self._w[pres], self._exp, self._n, self._mant)), \
            "a stored weight below its grid value"
        if not self._paths:
            self._engine.check()
            _dense.check_light(self._dense_state(), want)
            assert np.array_equal(self._engine.elem[:ne, _k.E_PRESENT] >= 0, self._present[:ne]), \
                "engine and presence flags disagree"
            return
        _dense.check(self._dense_state())
        if self._race is None:
            self._engine.check()
            assert np.array_equal(self._engine.elem[:ne, _k.E_PRESENT] >= 0, self._present[:ne]), \
                "engine and presence flags disagree"
            assert np.array_equal(self._dense_state().W, want), "lifted side holds other arcs"
            return
        race = self._race
        lifted_now = race.lifted_caught_up()
        self._engine.check(require_path=lifted_now)
        _dyn.check(race.backstop)
        assert lifted_now or race.backstop_caught_up(), "neither side holds today's state"
        if self._backstop_answers():
            assert race.backstop_caught_up(), "the backstop answers but lags"
            assert np.array_equal(race.backstop.W, want), "backstop holds other arcs"
        else:
            assert lifted_now, "the lifted side answers but lags"
            assert np.array_equal(self._dense_state().W, want), "lifted side holds other arcs"
        twin = race.clone()
        twin.catch_up()
        twin.engine.check()
        dense = _dense.DenseState(*twin.engine.bstate)
        _dense.check(dense)
        _dyn.check(twin.backstop)
        assert np.array_equal(dense.W, want) and np.array_equal(twin.backstop.W, want), "a side (caught up) holds other arcs"
        # both sides compute in exact arithmetic on the same stored weights
        assert np.array_equal(dense.d, twin.backstop.d), "the sides disagree on distances"

    def _arc_matrix(self, stored: bool = False) -> NDArray[np.float64]:
        """The present arcs as a weight matrix (``inf``: absent); ``stored``: the weights the kernels hold."""
        W = np.full((self._n, self._n), np.inf)
        pres = np.flatnonzero(self._present[: self._reg.size])
        keys = self._reg.keys[pres]
        a, b = keys // self._n, keys % self._n
        w = (self._ws if stored else self._w)[pres]
        W[a, b] = w
        if not self._directed:
            W[b, a] = w
        return W

    def __repr__(self) -> str:
        kind = "arcs" if self._directed else "edges"
        return f"DynamicAPSP(n={self._n}, {kind}={self.num_arcs}, day={self.day})"
