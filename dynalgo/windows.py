"""Sliding windows over edge streams: answers after every slide.

A window of *range* ``R`` sliding by ``S`` over a time-ordered stream of edges
``(u, v, t)``: after the slide that ends at time ``b`` the window holds the edges
with ``b - R < t <= b``.  Every edge is inserted into a time-keyed structure
([`TimedConnectivity`][dynalgo.TimedConnectivity], [`TimedBipartiteness`][dynalgo.TimedBipartiteness]) with
expiry ``t + R``; that is all the structure is told, and it is exact.  The stream
may come in chunks (an iterable of ``(u, v, t)`` arrays), so it never has to be in
memory at once; memory follows the edges in the window.

Slides end at ``start + S, start + 2S, ...`` (``start`` defaults to the first
edge's time minus one, so the first window ends ``S`` after it), up to the first
slide end at or after the last edge.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import vertex_count
from .errors import InvalidInputError, TimelineError
from .timeline import TimedBipartiteness, TimedConnectivity, _time_array, _vertex_array

__all__ = ["window_connectivity", "window_bipartiteness", "iter_windows"]

Stream = Union[tuple[ArrayLike, ArrayLike, ArrayLike], Iterable[tuple[ArrayLike, ArrayLike, ArrayLike]]]


def _positive(x: Any, what: str) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise TimelineError(f"{what} must be a positive integer time span, got {x!r} of type {type(x).__name__}")
    if int(x) <= 0 or int(x) > (1 << 61):
        raise TimelineError(f"{what} must be a positive integer time span (at most 2**61), got {int(x)}")
    return int(x)


def _chunks(stream: Stream) -> Iterator[tuple[Any, Any, Any]]:
    if isinstance(stream, tuple) and len(stream) == 3 and not isinstance(stream[0], tuple):
        yield stream  # one chunk
        return
    for c in stream:
        if not isinstance(c, tuple) or len(c) != 3:
            raise InvalidInputError("a stream chunk is a tuple (u, v, t) of arrays")
        yield c


def iter_windows(
    structure: TimedConnectivity | TimedBipartiteness,
    stream: Stream,
    *,
    range: int,
    slide: int,
    pairs: ArrayLike | None = None,
    start: int | None = None,
) -> Iterator[tuple[int, NDArray[np.bool_]]]:
    """Feed ``stream`` into ``structure`` as a sliding window; yield ``(end, answers)`` per slide.

    Parameters
    ----------
    structure : TimedConnectivity or TimedBipartiteness
        An empty time-keyed structure (its ``n`` bounds the vertex ids).
    stream : (u, v, t) arrays, or an iterable of such chunks
        Edges in non-decreasing time order (chunks follow each other in time).
    range, slide : int
        The window's range ``R`` and slide ``S`` (``0 < S <= R``), in the stream's time unit.
    pairs : array_like of int, shape (q, 2), optional
        For [`TimedConnectivity`][dynalgo.TimedConnectivity]: the vertex pairs to ask after every slide.
    start : int, optional
        Slides end at ``start + k * S``; default: the first edge's time minus one.

    Yields
    ------
    (int, ndarray of bool)
        The slide's end time and, for connectivity, ``connected(x, y)`` for each pair
        (shape ``(q,)``); for bipartiteness, shape ``(1,)``: whether the window's
        graph is bipartite.
    """
    R = _positive(range, "range")
    S = _positive(slide, "slide")
    if S > R:
        raise TimelineError(f"slide {S} must not exceed range {R}: edges between windows would never be seen")
    if structure.time is not None or structure.num_edges:
        raise InvalidInputError("iter_windows needs a fresh structure")
    conn = isinstance(structure, TimedConnectivity)
    if conn:
        if pairs is None:
            raise InvalidInputError("pairs (q, 2) are required for connectivity windows")
        pa = np.asarray(pairs)
        if pa.ndim != 2 or pa.shape[1] != 2:
            raise InvalidInputError(f"pairs must have shape (q, 2), got {pa.shape}")
        px = _vertex_array(pa[:, 0], structure.n, "pairs")
        py = _vertex_array(pa[:, 1], structure.n, "pairs")
    elif not isinstance(structure, TimedBipartiteness):
        raise InvalidInputError("structure must be a TimedConnectivity or a TimedBipartiteness")
    next_end: int | None = None if start is None else int(_time_array(np.array([start]), "start")[0]) + S
    last_t: int | None = None

    def ask(end: int) -> NDArray[np.bool_]:
        if conn:
            q = np.stack([np.full(px.shape[0], end, dtype=np.int64), px, py], axis=1)
            return structure.extend([], [], [], None, q)
        return structure.extend([], [], [], None, [end])

    for u, v, t in _chunks(stream):
        tt = _time_array(t, "t")
        uu = _vertex_array(u, structure.n, "u")
        vv = _vertex_array(v, structure.n, "v")
        if uu.shape != tt.shape or vv.shape != tt.shape:
            raise InvalidInputError(f"u, v and t must have one length, got {uu.shape}, {vv.shape}, {tt.shape}")
        if tt.size == 0:
            continue
        if (last_t is not None and int(tt[0]) < last_t) or (tt.size > 1 and int(np.diff(tt).min()) < 0):
            raise TimelineError("edge times must not decrease along the stream")
        if next_end is None:
            next_end = int(tt[0]) - 1 + S
        elif int(tt[0]) <= next_end - S:
            raise TimelineError(
                f"edge time {int(tt[0])} is at or before {next_end - S}, the end of a window already answered (or start)"
            )
        # insert up to each slide end and answer; a slide that ends after this chunk's
        # last edge waits for the next chunk (it may still bring edges at or before its end)
        lo = 0
        while True:
            hi = int(np.searchsorted(tt, next_end, side="right"))
            if hi > lo:
                structure.extend(uu[lo:hi], vv[lo:hi], tt[lo:hi], tt[lo:hi] + R)
            if hi == tt.size:
                break
            yield next_end, ask(next_end)
            next_end += S
            lo = hi
        last_t = int(tt[-1])
    if next_end is not None and last_t is not None:
        # the stream is over: answer every slide up to the first one ending at or after the last edge
        while True:
            yield next_end, ask(next_end)
            if next_end >= last_t:
                break
            next_end += S


def window_connectivity(
    n: int, stream: Stream, *, range: int, slide: int, pairs: ArrayLike, start: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Connectivity of fixed vertex pairs in a sliding window, after every slide.

    Returns ``(ends, answers)``: the slide end times (shape ``(w,)``) and
    ``answers[k, i] = connected(pairs[i])`` in the window ending at ``ends[k]``
    (shape ``(w, q)``).  See ``iter_windows`` for the parameters.

    Examples
    --------
    Edges at times 1, 2, 5 and 6; a window of range 3 sliding by 2:

    >>> ends, ans = window_connectivity(
    ...     4, ([0, 1, 2, 0], [1, 2, 3, 3], [1, 2, 5, 6]), range=3, slide=2, pairs=[[0, 2], [0, 3]])
    >>> ends.tolist()                  # windows (-1, 2], (1, 4], (3, 6]
    [2, 4, 6]
    >>> ans.tolist()
    [[True, False], [False, False], [True, True]]
    """
    g = TimedConnectivity(vertex_count(n))
    ends, rows = [], []
    for end, a in iter_windows(g, stream, range=range, slide=slide, pairs=pairs, start=start):
        ends.append(end)
        rows.append(a)
    q = np.asarray(pairs).shape[0]
    return np.array(ends, dtype=np.int64), (np.stack(rows) if rows else np.zeros((0, q), dtype=np.bool_))


def window_bipartiteness(
    n: int, stream: Stream, *, range: int, slide: int, start: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Whether the graph of a sliding window is bipartite, after every slide.

    Returns ``(ends, answers)`` with ``answers[k]`` for the window ending at ``ends[k]``.

    Examples
    --------
    >>> ends, ans = window_bipartiteness(3, ([0, 1, 0], [1, 2, 2], [1, 2, 3]), range=2, slide=1)
    >>> ends.tolist(), ans.tolist()
    ([1, 2, 3], [True, True, True])
    >>> window_bipartiteness(3, ([0, 1, 0], [1, 2, 2], [1, 2, 3]), range=3, slide=1)[1].tolist()
    [True, True, False]
    """
    g = TimedBipartiteness(vertex_count(n))
    ends, rows = [], []
    for end, a in iter_windows(g, stream, range=range, slide=slide, start=start):
        ends.append(end)
        rows.append(bool(a[0]))
    return np.array(ends, dtype=np.int64), np.array(rows, dtype=np.bool_)
