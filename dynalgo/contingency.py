"""Contingency screening: which outages split a network into islands.

Grid operators check a known list of outages (every branch, pairs of branches...)
for islanding: take the branches out, see which buses lose their connection to
the rest, put them back, next.  The whole sequence is known in advance, so the
lifting engine gets exact predictions and runs it at offline speed, with a union-
find by size as its base so the island size is one ``find``.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import lifted_size_dsu as _lifted
from structures import size_dsu as _sd

from . import _validate
from ._engine import BaseKernels, EngineStats, LiftingEngine
from .errors import InvalidInputError, InvalidTypeError

__all__ = ["ContingencyReport", "screen_contingencies"]

_BASE = BaseKernels(_lifted.run_days, _lifted.reset_path)


@dataclass(frozen=True)
class ContingencyReport:
    """Result of [`screen_contingencies`][dynalgo.screen_contingencies].

    Attributes
    ----------
    islanded : ndarray of int64, shape (c,)
        Per contingency, the number of vertices not connected to ``reference``
        while its branches are out (those already cut off in the intact network
        included).
    base_islanded : int
        The same count for the intact network.
    reference : int
        The reference vertex (e.g. the slack bus).
    stats : EngineStats
        Work counters of the lifting engine.
    """

    islanded: NDArray[np.int64]
    base_islanded: int
    reference: int
    stats: EngineStats

    @property
    def new_islands(self) -> NDArray[np.int64]:
        """Vertices each contingency cuts off beyond those already cut off when intact."""
        return self.islanded - self.base_islanded

    @property
    def splits(self) -> NDArray[np.bool_]:
        """Whether each contingency cuts off at least one more vertex."""
        return self.new_islands > 0


def _branches(n: int, branches: ArrayLike) -> NDArray[np.int64]:
    try:
        shape: tuple[int, ...] | None = None if isinstance(branches, (str, bytes)) else np.shape(branches)
    except (ValueError, TypeError):
        shape = None  # ragged
    if shape is None:
        raise InvalidInputError(f"branches must be an integer array of shape (m, 2), got a ragged {type(branches).__name__}")
    if int(np.prod(shape)) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if len(shape) != 2 or shape[1] != 2:
        raise InvalidInputError(f"branches must be an integer array of shape (m, 2), got shape {shape}")
    b = _validate.int_array(branches, "branches")
    _validate.vertex_arrays(n, b[:, 0], b[:, 1], "branch")
    return b


def _contingencies(m: int, contingencies: Iterable[Any] | ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR layout (offsets, branch ids) of the outage sets; -1 entries of a padded array are ignored."""
    if isinstance(contingencies, np.ndarray) and contingencies.ndim == 1:
        rows: list[list[Any]] = [[x] for x in contingencies.tolist()]
    elif isinstance(contingencies, np.ndarray):
        rows = [[x for x in r if x != -1] for r in contingencies.tolist()]
    else:
        if isinstance(contingencies, (str, bytes)) or not isinstance(contingencies, Iterable):
            raise InvalidTypeError(f"contingencies must be an iterable of branch sets, got {type(contingencies).__name__}")
        rows = []
        for r in contingencies:
            if isinstance(r, (int, np.integer)):
                rows.append([r])
            elif isinstance(r, Iterable) and not isinstance(r, (str, bytes)):
                rows.append(list(r))
            else:
                raise InvalidTypeError(f"a contingency must be a branch index or a set of them, got {r!r}")
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    ids: list[int] = []
    for j, r in enumerate(rows):
        for x in r:
            if not _validate.is_integer(x):
                raise InvalidTypeError(f"contingency {j} names {x!r}, not a branch index")
            if not 0 <= int(x) < m:
                raise InvalidInputError(f"contingency {j} names branch {int(x)}, but branches are 0..{m - 1}")
        if len(set(int(x) for x in r)) != len(r):
            raise InvalidInputError(f"contingency {j} names a branch twice: {r}")
        ids.extend(int(x) for x in r)
        offsets[j + 1] = len(ids)
    return offsets, np.asarray(ids, dtype=np.int64)


def screen_contingencies(
    n: int,
    branches: ArrayLike,
    contingencies: Iterable[Any] | ArrayLike,
    *,
    reference: int = 0,
    seed: int = 0,
) -> ContingencyReport:
    """Islanded vertex counts of each outage set (N-1, N-2, ... screening).

    Parameters
    ----------
    n : int
        Number of vertices (buses), ``0..n-1``.
    branches : array_like of int, shape (m, 2)
        Endpoints of each branch (line or transformer).  Parallel branches and
        self-loops are allowed; a branch is named by its row index.
    contingencies : iterable
        Outage sets: each an int (one branch) or an iterable of distinct branch
        indices; or an int array of shape (c,) (N-1) or (c, k) padded with -1.
    reference : int, default 0
        The vertex whose component counts as the network (e.g. the slack bus).
    seed : int, default 0
        Seed of the engine's partition tree.

    Returns
    -------
    ContingencyReport

    Raises
    ------
    InvalidInputError
        Malformed branches or contingencies (unknown or repeated branch index);
        wrong types raise its subclass ``InvalidTypeError``.
    CapacityError
        The union-find and the engine's arrays would not fit in memory.
    VertexError
        A branch endpoint or ``reference`` outside ``0..n-1``.

    Notes
    -----
    The update sequence inserts every branch (days ``1..m``) and then, per
    contingency, deletes its branches, asks for the size of ``reference``'s
    component and restores them: ``m + 2 * sum(k)`` days, all predicted
    exactly, so the engine's work is that of the offline divide-and-conquer
    algorithm up to a constant: ``O((m + sum k) log(m + sum k))`` union-find
    operations of O(log n) each.

    Examples
    --------
    A ring 0-1-2-3-0 with a spur 3-4: losing a ring branch islands nothing,
    losing the spur islands bus 4, losing two ring branches islands the far side
    (with branches 1-2 and 3-0 out, buses 2, 3, 4 lose bus 0).

    >>> from dynalgo import screen_contingencies
    >>> lines = [(0, 1), (1, 2), (2, 3), (3, 0), (3, 4)]
    >>> r = screen_contingencies(5, lines, [0, 4, (0, 1), (1, 3)])
    >>> r.islanded.tolist(), r.splits.tolist()
    ([0, 1, 1, 3], [False, True, True, True])
    """
    n = _validate.vertex_count(n, _validate.MAX_DSU_N)
    seed = _validate.seed(seed)
    b = _branches(n, branches)
    reference = _validate.vertex(reference, n, "reference")
    m = b.shape[0]
    offsets, ids = _contingencies(m, contingencies)
    c = offsets.shape[0] - 1
    k_total = int(ids.shape[0])
    T = m + 2 * k_total
    _validate.check_allocation(12 * n + 64 * T + LiftingEngine.upfront_bytes(T, T),
                               f"screen_contingencies(n={n}, {m} branches, {T} days)")
    # the update sequence: element = branch index
    elem = np.empty(T, dtype=np.int64)
    op = np.empty(T, dtype=np.int64)
    elem[:m] = np.arange(m)
    op[:m] = 1
    qday = np.empty(c + 1, dtype=np.int64)
    qday[0] = m
    pos = m
    for j in range(c):
        out_ids = ids[offsets[j] : offsets[j + 1]]
        k = out_ids.shape[0]
        elem[pos : pos + k] = out_ids
        op[pos : pos + k] = 0
        qday[j + 1] = pos + k
        elem[pos + k : pos + 2 * k] = out_ids[::-1]
        op[pos + k : pos + 2 * k] = 1
        pos += 2 * k
    u = b[elem, 0] if T else np.zeros(0, dtype=np.int64)
    v = b[elem, 1] if T else np.zeros(0, dtype=np.int64)
    days = np.arange(1, T + 1, dtype=np.int64)
    state = _sd.make(n)
    eng = LiftingEngine(_BASE, tuple(state), m, elem, op, days, seed=seed)
    eng.reserve(m, T)
    queries = np.zeros((c + 1, 3), dtype=np.int64)
    queries[:, 0] = qday
    queries[:, 1] = reference
    sizes = np.zeros(c + 1, dtype=np.int64)
    eng.run(elem, op, u, v, np.ones(T, dtype=np.float64), np.zeros(T, dtype=np.int64), queries, sizes)
    islanded = n - sizes
    return ContingencyReport(islanded[1:].copy(), int(islanded[0]), reference, eng.stats())
