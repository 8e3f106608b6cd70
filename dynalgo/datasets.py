"""Real temporal graphs bundled with dynalgo.

Two public temporal networks from the Stanford Large Network Dataset Collection
(SNAP) ship with the package, gzip-compressed but otherwise byte-for-byte as
SNAP distributes them (see ``dynalgo/data/README.md``):

* [`college_msg`][dynalgo.datasets.college_msg] -- 59,835 private messages between 1,899 users of an
  online student community at UC Irvine (Panzarasa, Opsahl and Carley, 2009);
* [`bitcoin_alpha`][dynalgo.datasets.bitcoin_alpha] -- 24,186 trust ratings in ``-10..10`` between 3,783
  users of the Bitcoin Alpha platform (Kumar et al., 2016 and 2018).

Both load into a [`TemporalEdges`][dynalgo.TemporalEdges]: parallel arrays of timestamped
(directed) events with vertex ids renumbered densely.  Turn them into update
sequences with ``dynalgo.workloads``.  Please cite the data as the
``citation`` field says whenever you use it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.resources
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import InvalidInputError

__all__ = ["TemporalEdges", "college_msg", "bitcoin_alpha"]

_SNAP = (
    "Jure Leskovec and Andrej Krevl. SNAP Datasets: Stanford Large Network "
    "Dataset Collection, 2014. https://snap.stanford.edu/data"
)

_COLLEGE_CITATION = (
    "Pietro Panzarasa, Tore Opsahl, and Kathleen M. Carley. \"Patterns and dynamics "
    "of users' behavior and interaction: Network analysis of an online community.\" "
    "Journal of the American Society for Information Science and Technology 60(5), 2009. "
    "Via: " + _SNAP
)

_BITCOIN_CITATION = (
    "S. Kumar, F. Spezzano, V.S. Subrahmanian, C. Faloutsos. \"Edge Weight Prediction "
    "in Weighted Signed Networks.\" IEEE ICDM 2016. "
    "S. Kumar, B. Hooi, D. Makhija, M. Kumar, V.S. Subrahmanian, C. Faloutsos. "
    "\"REV2: Fraudulent User Prediction in Rating Platforms.\" ACM WSDM 2018. "
    "Via: " + _SNAP
)

#: SHA-256 of the *decompressed* bundled files (as SNAP distributes them).
_SHA256 = {
    "CollegeMsg.txt": "61c48411d84b3907f0ccc7468d47241a5e2a46a7234739e4379274a190293fe6",
    "soc-sign-bitcoinalpha.csv": "7af11340d137e7320d180ac49debc9ff4cd182d12c540632ac838bd57c1d91ac",
}


def _readonly(a: NDArray[np.generic]) -> None:
    a.flags.writeable = False


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TemporalEdges:
    """Timestamped directed events ``(src, dst, time[, weight])`` on dense vertex ids.

    Row ``i`` is an event (a message, a rating) from ``src[i]`` to ``dst[i]`` at
    unix time ``time[i]``.  Rows are sorted by time, non-decreasing; events with
    equal times keep their order in the source file.  The same pair may occur
    many times.  Use [`from_arrays`][dynalgo.TemporalEdges.from_arrays] to build one from raw ids; the default
    constructor only checks its arguments.

    Attributes
    ----------
    src, dst : ndarray of int64, shape (m,)
        Endpoints, dense vertex ids in ``0..n-1``.
    time : ndarray of int64, shape (m,)
        Unix seconds, non-decreasing.
    weight : ndarray of float64, shape (m,), or None
        Per-event weight (bitcoin-alpha: the rating), or None if unweighted.
    n : int
        Number of vertices.
    labels : ndarray of int64, shape (n,)
        ``labels[i]`` is the original id of dense vertex ``i``.  The bundled
        loaders and [`from_arrays`][dynalgo.TemporalEdges.from_arrays] number vertices in increasing order of
        their original id, so ``labels`` is strictly increasing.
    name : str
        Short name of the data set.
    citation : str
        How to cite the data (empty for user data).

    Examples
    --------
    >>> e = TemporalEdges.from_arrays([30, 10, 30], [10, 20, 20], [5, 3, 3])
    >>> e
    TemporalEdges('', m=3, n=3, unweighted)
    >>> e.labels.tolist(), e.time.tolist()
    ([10, 20, 30], [3, 3, 5])
    >>> e.src.tolist(), e.dst.tolist()
    ([0, 2, 2], [1, 1, 0])
    """

    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    time: NDArray[np.int64]
    weight: NDArray[np.float64] | None
    n: int
    labels: NDArray[np.int64]
    name: str = ""
    citation: str = ""

    def __post_init__(self) -> None:
        for field in ("src", "dst", "time", "labels"):
            a = getattr(self, field)
            if not isinstance(a, np.ndarray) or a.dtype != np.int64 or a.ndim != 1:
                raise InvalidInputError(f"TemporalEdges.{field} must be a 1-d int64 array")
        m = self.src.size
        if self.dst.size != m or self.time.size != m:
            raise InvalidInputError(
                f"src, dst, time must have equal lengths, got {m}, {self.dst.size}, {self.time.size}"
            )
        if self.weight is not None:
            w = self.weight
            if not isinstance(w, np.ndarray) or w.dtype != np.float64 or w.shape != (m,):
                raise InvalidInputError(f"TemporalEdges.weight must be None or a float64 array of length {m}")
        if isinstance(self.n, bool) or not isinstance(self.n, (int, np.integer)) or self.n < 0:
            raise InvalidInputError(f"TemporalEdges.n must be a non-negative int, got {self.n!r}")
        if self.labels.size != self.n:
            raise InvalidInputError(f"labels must have length n = {self.n}, got {self.labels.size}")
        if m:
            lo = min(int(self.src.min()), int(self.dst.min()))
            hi = max(int(self.src.max()), int(self.dst.max()))
            if lo < 0 or hi >= self.n:
                raise InvalidInputError(f"vertex ids must lie in 0..{self.n - 1}, got range [{lo}, {hi}]")
            if np.any(self.time[1:] < self.time[:-1]):
                raise InvalidInputError("TemporalEdges.time must be sorted non-decreasing")

    @classmethod
    def from_arrays(
        cls,
        src: ArrayLike,
        dst: ArrayLike,
        time: ArrayLike,
        weight: ArrayLike | None = None,
        *,
        name: str = "",
        citation: str = "",
    ) -> "TemporalEdges":
        """Build from raw events: sort stably by time and renumber vertex ids.

        Vertices are the ids occurring in ``src`` or ``dst``; dense id ``i`` is
        the ``i``-th smallest original id.  The returned arrays are read-only.

        Parameters
        ----------
        src, dst, time : array_like of int, shape (m,)
            Endpoints (any integers) and times (any order).
        weight : array_like of float, shape (m,), optional
            Per-event weights.
        name, citation : str
            Stored as given.

        Returns
        -------
        TemporalEdges

        Raises
        ------
        InvalidInputError
            If the arrays are not one-dimensional integer arrays of equal length.

        Examples
        --------
        >>> e = TemporalEdges.from_arrays([7, 9], [9, 7], [20, 10], weight=[1.5, -2.0])
        >>> e.src.tolist(), e.dst.tolist(), e.weight.tolist(), e.labels.tolist()
        ([1, 0], [0, 1], [-2.0, 1.5], [7, 9])
        """
        s = _ints(src, "src")
        d = _ints(dst, "dst")
        t = _ints(time, "time")
        if not (s.size == d.size == t.size):
            raise InvalidInputError(f"src, dst, time must have equal lengths, got {s.size}, {d.size}, {t.size}")
        w: NDArray[np.float64] | None = None
        if weight is not None:
            w = np.asarray(weight, dtype=np.float64)
            if w.shape != s.shape:
                raise InvalidInputError(f"weight must have length {s.size}, got shape {w.shape}")
        order = np.argsort(t, kind="stable")
        labels, inv = np.unique(np.concatenate([s, d]), return_inverse=True)
        inv = inv.reshape(-1).astype(np.int64, copy=False)
        m = s.size
        src_d = np.ascontiguousarray(inv[:m][order])
        dst_d = np.ascontiguousarray(inv[m:][order])
        t_s = np.ascontiguousarray(t[order])
        labels = labels.astype(np.int64, copy=True)
        arrays: list[NDArray[np.generic]] = [src_d, dst_d, t_s, labels]
        if w is not None:
            w = np.ascontiguousarray(w[order])
            arrays.append(w)
        for a in arrays:
            _readonly(a)
        return cls(src_d, dst_d, t_s, w, int(labels.size), labels, name, citation)

    @property
    def m(self) -> int:
        """Number of events."""
        return int(self.src.size)

    def __len__(self) -> int:
        return self.m

    def __repr__(self) -> str:
        kind = "weighted" if self.weight is not None else "unweighted"
        return f"TemporalEdges({self.name!r}, m={self.m}, n={self.n}, {kind})"


def _ints(x: ArrayLike, name: str) -> NDArray[np.int64]:
    a = np.asarray(x)
    if a.ndim != 1:
        raise InvalidInputError(f"{name} must be one-dimensional, got shape {a.shape}")
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer):
        raise InvalidInputError(f"{name} must hold integers, got dtype {a.dtype}")
    return a.astype(np.int64)


def _read_verified(filename: str) -> bytes:
    """Decompress ``dynalgo/data/<filename>.gz`` and check its SHA-256."""
    resource = importlib.resources.files("dynalgo").joinpath("data").joinpath(filename + ".gz")
    try:
        packed = resource.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError(f"bundled data file dynalgo/data/{filename}.gz is missing") from None
    try:
        raw = gzip.decompress(packed)
    except (OSError, EOFError) as exc:
        raise InvalidInputError(f"bundled data file dynalgo/data/{filename}.gz is corrupt: {exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != _SHA256[filename]:
        raise InvalidInputError(
            f"checksum mismatch for bundled data file {filename}: sha256 is {digest}, "
            f"expected {_SHA256[filename]}; the package data is corrupt, reinstall dynalgo"
        )
    return raw


def _parse(raw: bytes, filename: str, header: bytes, delimiter: str | None, columns: int) -> NDArray[np.int64]:
    first, _, body = raw.partition(b"\n")
    if first.strip() != header:
        raise InvalidInputError(f"{filename}: expected header {header!r}, got {first.strip()!r}")
    table = np.loadtxt(io.BytesIO(body), dtype=np.int64, delimiter=delimiter, ndmin=2)
    if table.shape[1] != columns:
        raise InvalidInputError(f"{filename}: expected {columns} columns, got {table.shape[1]}")
    return table


@functools.lru_cache(maxsize=None)
def college_msg() -> TemporalEdges:
    """The CollegeMsg temporal network (SNAP): messages between students.

    59,835 private messages ``src -> dst`` at unix times between April and
    October 2004, among 1,899 users of an online community at the University
    of California, Irvine.  Unweighted.  Vertex ``i`` is original user id
    ``labels[i]`` (here simply ``i + 1``).  The result is cached and its
    arrays are read-only.

    Returns
    -------
    TemporalEdges

    Raises
    ------
    InvalidInputError
        If the bundled file fails its SHA-256 check.

    Notes
    -----
    Cite: P. Panzarasa, T. Opsahl and K. M. Carley, "Patterns and dynamics of
    users' behavior and interaction: Network analysis of an online community",
    JASIST 60(5), 2009; and J. Leskovec and A. Krevl, SNAP Datasets, 2014.

    Examples
    --------
    >>> e = college_msg()
    >>> e
    TemporalEdges('CollegeMsg', m=59835, n=1899, unweighted)
    >>> int(e.labels[0]), int(e.time[0])
    (1, 1082040961)
    """
    name = "CollegeMsg.txt"
    table = _parse(_read_verified(name), name, b"src dst time", None, 3)
    return TemporalEdges.from_arrays(
        table[:, 0], table[:, 1], table[:, 2], name="CollegeMsg", citation=_COLLEGE_CITATION
    )


@functools.lru_cache(maxsize=None)
def bitcoin_alpha() -> TemporalEdges:
    """The soc-sign-bitcoinalpha trust network (SNAP): ratings between traders.

    24,186 ratings ``source -> target`` among 3,783 users of the Bitcoin Alpha
    platform; ``weight`` is the rating, an integer from -10 (total distrust)
    to 10 (total trust), never 0.  The file is not in time order; rows are
    sorted stably by time (time stamps are whole days, midnight US Eastern
    time, so many rows share one).  The result is cached and its arrays are read-only.

    Returns
    -------
    TemporalEdges

    Raises
    ------
    InvalidInputError
        If the bundled file fails its SHA-256 check.

    Notes
    -----
    Cite: S. Kumar, F. Spezzano, V. S. Subrahmanian and C. Faloutsos, "Edge
    Weight Prediction in Weighted Signed Networks", ICDM 2016; S. Kumar,
    B. Hooi, D. Makhija, M. Kumar, V. S. Subrahmanian and C. Faloutsos, "REV2:
    Fraudulent User Prediction in Rating Platforms", WSDM 2018; and
    J. Leskovec and A. Krevl, SNAP Datasets, 2014.

    Examples
    --------
    >>> e = bitcoin_alpha()
    >>> e
    TemporalEdges('soc-sign-bitcoinalpha', m=24186, n=3783, weighted)
    >>> float(e.weight.min()), float(e.weight.max())
    (-10.0, 10.0)
    """
    name = "soc-sign-bitcoinalpha.csv"
    table = _parse(_read_verified(name), name, b"source,target,weight,timestamp", ",", 4)
    return TemporalEdges.from_arrays(
        table[:, 0],
        table[:, 1],
        table[:, 3],
        weight=table[:, 2].astype(np.float64),
        name="soc-sign-bitcoinalpha",
        citation=_BITCOIN_CITATION,
    )
