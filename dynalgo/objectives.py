"""Monotone submodular objectives for [`dynalgo.DynamicSubmodular`][dynalgo.DynamicSubmodular].

Every objective is *separable*: item ``e`` touches a sparse set of universe
coordinates ``j`` with entries ``x[e, j] >= 0`` (a CSR row); coordinate ``j``
has a weight ``w_j >= 0`` and a state that starts at 0 for the empty set; the
marginal gain of ``e`` is the sum over its row of ``phi(state_j, x, w_j)`` and
adding ``e`` moves each state to ``psi(state_j, x, w_j)``.  The compiled
kernels are in ``structures.objectives``.
"""

from __future__ import annotations

import numbers
import collections.abc as _abc
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import objectives as _obj
from structures import submod_bind as _bind

from . import _validate
from .errors import InvalidInputError, InvalidTypeError, ItemError

__all__ = ["Objective", "Coverage", "FacilityLocation", "FeatureBased", "CustomObjective"]


def _numbers(x: Any, what: str) -> NDArray[Any]:
    """``x`` as a numeric (integer or real) numpy array; bools, complex numbers, strings and
    other objects raise ``InvalidTypeError``, ragged input ``InvalidInputError``."""
    if isinstance(x, (str, bytes)):
        raise InvalidTypeError(f"{what} must be numeric, got {type(x).__name__} {_validate.short(x)}")
    if isinstance(x, np.ndarray):
        a = x
    else:
        try:
            a = np.asarray(x)
        except (ValueError, TypeError, OverflowError) as exc:
            raise InvalidInputError(f"{what} must be a rectangular numeric array ({exc})") from None
        if a.size and a.dtype.kind in "iuf":
            # a list may hide bools among numbers: np.asarray([True, 2.0]) is a float array
            flat = np.asarray(x, dtype=object).ravel().tolist()
            if any(isinstance(v, (bool, np.bool_)) for v in flat):
                raise InvalidTypeError(f"{what} must hold numbers, got a bool")
    if a.size and (a.dtype.kind not in "iuf"):
        raise InvalidTypeError(f"{what} must hold integers or reals, got dtype {a.dtype}")
    return a


def _weights(weights: ArrayLike | None, d: int, what: str) -> NDArray[np.float64]:
    _validate.check_allocation(8.0 * d, f"{what} of {d} coordinates")
    if weights is None:
        return np.ones(d, dtype=np.float64)
    w = _numbers(weights, what)
    if w.shape != (d,):
        raise InvalidInputError(f"{what} must be a numeric array of shape ({d},), got dtype {w.dtype} and shape {w.shape}")
    w = w.astype(np.float64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        bad = int(np.flatnonzero(~(np.isfinite(w) & (w >= 0)))[0])
        raise InvalidInputError(f"{what} must be finite and non-negative, got {float(w[bad])!r} at {bad}")
    return w


def _is_csr(x: Any) -> bool:
    return all(hasattr(x, a) for a in ("indptr", "indices", "data", "shape"))


def _csr(matrix: Any, what: str) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], int]:
    """(indptr, indices, values, number of columns) from a dense 2-d array or a CSR-like object
    (attributes ``indptr``, ``indices``, ``data``, ``shape``, e.g. a scipy.sparse CSR matrix)."""
    if isinstance(matrix, (str, bytes, dict)) or matrix is None:
        raise InvalidTypeError(f"{what} must be a 2-d array or a CSR matrix, got {type(matrix).__name__}")
    if _is_csr(matrix):
        indptr = _validate.int_array(matrix.indptr, f"{what}.indptr")
        indices = _validate.int_array(matrix.indices, f"{what}.indices")
        data = _numbers(matrix.data, f"{what}.data")
        shape = tuple(matrix.shape) if isinstance(matrix.shape, (tuple, list)) else ()
        if len(shape) != 2 or not all(_validate.is_integer(x) and int(x) >= 0 for x in shape):
            raise InvalidInputError(f"{what}: shape must be two non-negative integers, got {matrix.shape!r}")
        d = int(shape[1])
        if indptr.ndim != 1 or indptr.shape[0] != int(shape[0]) + 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0) \
                or int(indptr[-1]) != indices.shape[0] or indices.ndim != 1 or data.shape != indices.shape:
            raise InvalidInputError(f"{what}: malformed CSR arrays (indptr, indices, data) for shape {shape}")
    else:
        a = _numbers(matrix, what)
        if a.ndim != 2:
            raise InvalidInputError(f"{what} must be a 2-d array or a CSR matrix, got shape {a.shape}")
        d = a.shape[1]
        nz = a != 0
        indptr = np.zeros(a.shape[0] + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(nz.sum(axis=1))
        indices = np.nonzero(nz)[1].astype(np.int64)
        data = a[nz]
    values = data.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise InvalidInputError(f"{what} must be finite (no NaN or infinity)")
    if np.any(values < 0):
        raise InvalidInputError(f"{what} must be non-negative, got a value {float(values.min())}")
    if indices.shape[0] and (indices.min() < 0 or indices.max() >= d):
        raise InvalidInputError(f"{what}: column index out of range 0..{d - 1}")
    return _sorted_rows(indptr, indices, values, what) + (d,)


def _sorted_rows(indptr: NDArray[np.int64], indices: NDArray[np.int64], values: NDArray[np.float64],
                 what: str) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Sort each row by column; reject repeated columns within a row."""
    n = indptr.shape[0] - 1
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    order = np.lexsort((indices, row))
    indices, values = indices[order], values[order]
    if indices.shape[0] > 1:
        dup = (row[order][1:] == row[order][:-1]) & (indices[1:] == indices[:-1])
        if np.any(dup):
            r = int(row[order][1:][dup][0])
            raise InvalidInputError(f"{what}: row {r} names column {int(indices[1:][dup][0])} twice")
    return indptr, np.ascontiguousarray(indices), np.ascontiguousarray(values)


class Objective:
    """A separable monotone submodular function over items ``0..n-1`` (see the module docstring).

    Use the subclasses [`Coverage`][dynalgo.Coverage], [`FacilityLocation`][dynalgo.FacilityLocation],
    [`FeatureBased`][dynalgo.FeatureBased], or [`CustomObjective`][dynalgo.CustomObjective] for your own.
    """

    _kind: int = -1
    name: str = "objective"

    def __init__(self, indptr: NDArray[np.int64], indices: NDArray[np.int64], values: NDArray[np.float64],
                 weights: NDArray[np.float64], bindings: _bind.Bindings) -> None:
        self._od = _obj.ObjectiveData(indptr, indices, values, weights, np.array([self._kind], dtype=np.int64))
        self._bind = bindings
        self._single: NDArray[np.float64] | None = None

    @property
    def n(self) -> int:
        """Number of items."""
        return int(self._od.indptr.shape[0] - 1)

    @property
    def dim(self) -> int:
        """Number of universe coordinates."""
        return int(self._od.weights.shape[0])

    def singletons(self) -> NDArray[np.float64]:
        """``f({e})`` for every item (computed once, compiled)."""
        if self._single is None:
            s = np.asarray(self._bind.singletons(tuple(self._od)), dtype=np.float64)
            s.setflags(write=False)
            self._single = s
        return self._single

    def item(self, e: Any) -> int:
        """``e`` as an item id, or ``ItemError``."""
        if isinstance(e, (bool, np.bool_)) or not isinstance(e, numbers.Integral):
            raise ItemError(f"item must be an integer in 0..{self.n - 1}, got {e!r} of type {type(e).__name__}")
        i = int(e)
        if not 0 <= i < self.n:
            raise ItemError(f"item {i} is out of range: items are 0..{self.n - 1}")
        return i

    def value(self, items: Iterable[int]) -> float:
        """``f(items)`` (the gains of the items added in the given order, summed; plain Python).

        Examples
        --------
        >>> Coverage([[0, 1], [1, 2]]).value([0, 1])
        3.0
        """
        its = [self.item(e) for e in items]
        if len(set(its)) != len(its):
            raise InvalidInputError("items must be distinct")
        return _obj.value(self._od, its, self._bind.phi, self._bind.psi)

    def gain(self, items: Iterable[int], e: int) -> float:
        """Marginal gain of ``e`` with respect to ``items`` (plain Python)."""
        its = [self.item(x) for x in items]
        st, _, _ = _obj.replay(self._od, its, self._bind.phi, self._bind.psi)
        e = self.item(e)
        kind = int(self._od.kind[0])
        g = 0.0
        for p in range(int(self._od.indptr[e]), int(self._od.indptr[e + 1])):
            j = int(self._od.indices[p])
            g += float(self._bind.phi(kind, float(st[j]), float(self._od.values[p]), float(self._od.weights[j])))
        return g

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}, dim={self.dim})"


def _row(r: Any, e: int) -> NDArray[np.int64]:
    """The elements of ``sets[e]``: distinct non-negative integers, sorted."""
    what = f"sets[{e}]"
    if isinstance(r, (set, frozenset)):
        r = sorted(r, key=lambda x: (not isinstance(x, numbers.Real), x if isinstance(x, numbers.Real) else 0))
    if isinstance(r, (_abc.Mapping, str, bytes)) or not isinstance(r, _abc.Iterable):
        raise InvalidTypeError(f"{what} must be an iterable of integer elements, got {type(r).__name__} "
                               f"{_validate.short(r)}")
    if not isinstance(r, (np.ndarray, list, tuple)):
        r = list(r)
    a = _validate.int_array(r, what)
    if a.ndim != 1:
        raise InvalidInputError(f"{what} must be a flat collection of elements, got shape {a.shape}")
    if a.shape[0] and int(a.min()) < 0:
        raise InvalidInputError(f"{what} names a negative element {int(a.min())}")
    return np.unique(a)


class Coverage(Objective):
    """Weighted coverage: item ``e`` covers a set of universe elements; ``f(S)`` is the
    total weight of the elements covered by some item of ``S``.

    Parameters
    ----------
    sets : sequence of iterables of int, or a 0/1 matrix (dense or CSR)
        ``sets[e]``: the universe elements item ``e`` covers.
    weights : array_like of float, optional
        Non-negative weight of each universe element (default 1).
    universe : int, optional
        Size of the universe (default: largest element + 1).

    Raises
    ------
    InvalidInputError
        Malformed sets, a negative element or one outside the universe, a matrix
        that is not 0/1, negative or non-finite weights.
    InvalidTypeError
        Elements that are not integers (floats, bools, strings), sets given as a
        dict or a string, a non-integer universe.
    CapacityError
        A universe too large for the machine's memory.

    Examples
    --------
    >>> f = Coverage([[0, 1, 2], [2, 3], [4]])
    >>> f.value([0, 1]), f.gain([0], 1)
    (4.0, 1.0)
    """

    _kind = _obj.COVERAGE
    name = "coverage"

    def __init__(self, sets: Sequence[Iterable[int]] | Any, weights: ArrayLike | None = None, *,
                 universe: int | None = None) -> None:
        if _is_csr(sets) or isinstance(sets, np.ndarray):
            indptr, indices, values, d = _csr(sets, "sets")
            if np.any(values != 1.0):
                raise InvalidInputError(f"sets given as a matrix must hold 0/1 entries, got {float(values[values != 1.0][0])!r}")
        else:
            if isinstance(sets, (str, bytes, _abc.Mapping, set, frozenset)) or not isinstance(sets, _abc.Iterable):
                raise InvalidTypeError(f"sets must be a sequence of sets of elements (or a 0/1 matrix), "
                                       f"got {type(sets).__name__}")
            rows = [_row(r, e) for e, r in enumerate(sets)]
            indptr = np.zeros(len(rows) + 1, dtype=np.int64)
            indptr[1:] = np.cumsum([r.shape[0] for r in rows])
            indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
            d = int(indices.max()) + 1 if indices.shape[0] else 0
            values = np.ones(indices.shape[0], dtype=np.float64)
        if universe is not None:
            d = _validate.integer(universe, "universe (largest element + 1)", d)
        if indptr.shape[0] < 2:
            raise InvalidInputError("an objective needs at least one item")
        super().__init__(indptr, indices, values, _weights(weights, max(d, 1), "weights"), _bind.BUILTIN)


class FacilityLocation(Objective):
    """Facility location (exemplar clustering): ``f(S) = sum_j w_j max_{e in S} sim(e, j)``.

    Parameters
    ----------
    similarity : 2-d array or CSR matrix, shape (n items, m points)
        Non-negative similarities (zero entries are not stored); typically a
        kNN similarity graph, items and points being the same data set.
    weights : array_like of float, optional
        Non-negative weight of each point (default 1).

    Raises
    ------
    InvalidInputError
        Negative, non-finite or malformed similarities, negative weights.
    InvalidTypeError
        Similarities or weights that are not numbers (bools, strings, complex).

    Examples
    --------
    >>> f = FacilityLocation([[1.0, 0.5, 0.0], [0.0, 0.6, 1.0]])
    >>> round(f.value([0]), 2), round(f.value([0, 1]), 2)
    (1.5, 2.6)
    """

    _kind = _obj.FACILITY
    name = "facility location"

    def __init__(self, similarity: Any, weights: ArrayLike | None = None) -> None:
        indptr, indices, values, d = _csr(similarity, "similarity")
        if indptr.shape[0] < 2:
            raise InvalidInputError("an objective needs at least one item")
        super().__init__(indptr, indices, values, _weights(weights, max(d, 1), "weights"), _bind.BUILTIN)


class FeatureBased(Objective):
    """Feature-based function: ``f(S) = sum_j w_j sqrt(sum_{e in S} x[e, j])``.

    Parameters
    ----------
    features : 2-d array or CSR matrix, shape (n items, F features)
        Non-negative feature values.
    weights : array_like of float, optional
        Non-negative weight of each feature (default 1).

    Examples
    --------
    >>> f = FeatureBased([[4.0, 0.0], [5.0, 9.0]])
    >>> f.value([0]), f.value([0, 1])
    (2.0, 6.0)
    """

    _kind = _obj.FEATURE
    name = "feature-based"

    def __init__(self, features: Any, weights: ArrayLike | None = None) -> None:
        indptr, indices, values, d = _csr(features, "features")
        if indptr.shape[0] < 2:
            raise InvalidInputError("an objective needs at least one item")
        super().__init__(indptr, indices, values, _weights(weights, max(d, 1), "weights"), _bind.BUILTIN)


class CustomObjective(Objective):
    """Your own separable objective: two numba functions ``phi`` and ``psi``.

    ``phi(kind, s, x, w) -> float`` is the gain term of a coordinate in state
    ``s`` for an item entry ``x`` on a coordinate of weight ``w``;
    ``psi(kind, s, x, w) -> float`` is the coordinate's state after adding the
    item (``kind`` is passed through; ignore it).  States start at 0.0.  For a
    monotone submodular ``f``, ``phi`` must be >= 0 and must not increase when
    ``s`` moves along ``psi``.  Compiled at first use, once per process for each
    pair of function objects: objectives built later with the same ``phi`` and
    ``psi`` reuse the compiled kernels (numba's disk cache does not keep kernels
    that take functions as arguments across processes); the built-in objectives
    load from the cache.

    Parameters
    ----------
    matrix : 2-d array or CSR matrix, shape (n items, D coordinates)
        The non-negative entries ``x[e, j]``.
    phi, psi : numba functions (``numba.njit``)
    weights : array_like of float, optional
        Per-coordinate weights (default 1).

    Examples
    --------
    A saturated coverage, each coordinate counting at most 1.0:

    >>> import numba
    >>> @numba.njit
    ... def phi(kind, s, x, w):
    ...     return w * (min(s + x, 1.0) - min(s, 1.0))
    >>> @numba.njit
    ... def psi(kind, s, x, w):
    ...     return s + x
    >>> f = CustomObjective([[0.5, 0.5], [0.75, 0.0]], phi, psi)
    >>> f.value([0, 1])
    1.5
    """

    name = "custom"

    def __init__(self, matrix: Any, phi: Callable[..., float], psi: Callable[..., float],
                 weights: ArrayLike | None = None) -> None:
        for fn, what in ((phi, "phi"), (psi, "psi")):
            if not hasattr(fn, "py_func"):
                raise InvalidInputError(f"{what} must be a numba.njit function, got {fn!r}")
        indptr, indices, values, d = _csr(matrix, "matrix")
        if indptr.shape[0] < 2:
            raise InvalidInputError("an objective needs at least one item")
        super().__init__(indptr, indices, values, _weights(weights, max(d, 1), "weights"),
                         _bind.make_bindings(phi, psi))
