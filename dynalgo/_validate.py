"""Input checks shared by the public structures."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import CapacityError, InvalidInputError, PredictionError, VertexError


def vertex(x: Any, n: int, what: str = "vertex") -> int:
    """Return ``x`` as an int in ``0..n-1`` or raise :class:`VertexError`."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise VertexError(f"{what} must be an integer in 0..{n - 1}, got {x!r} of type {type(x).__name__}")
    xi = int(x)
    if not 0 <= xi < n:
        raise VertexError(f"{what} {xi} is out of range: vertices are 0..{n - 1}")
    return xi


def vertex_count(n: Any) -> int:
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or int(n) < 1:
        raise InvalidInputError(f"n must be a positive integer (number of vertices), got {n!r}")
    return int(n)


def vertex_arrays(n: int, u: NDArray[np.int64], v: NDArray[np.int64], what: str, err: type[Exception] = VertexError) -> None:
    """Raise ``err`` naming the first row whose endpoint is outside ``0..n-1``."""
    bad = (u < 0) | (u >= n) | (v < 0) | (v >= n)
    if np.any(bad):
        k = int(np.argmax(bad))
        raise err(f"{what} {k} names vertex pair ({int(u[k])}, {int(v[k])}) but vertices are 0..{n - 1}")


#: Predicted days at or beyond this are treated as "never" (the engine's infinity).
NEVER = 1 << 60


def day(x: Any, what: str = "predicted_deletion") -> int:
    """A positive integer day; days beyond ``NEVER`` mean "never"."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral) or int(x) < 1:
        raise PredictionError(f"{what} must be a positive integer day, got {x!r}")
    return min(int(x), NEVER)


def day_array(x: Any, length: int, what: str) -> NDArray[np.int64]:
    """An integer array of ``length`` days >= 0 (0: no prediction), clipped at ``NEVER``."""
    a = np.asarray(x)
    if a.shape != (length,) or a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer):
        raise PredictionError(f"{what} must be an integer array of shape ({length},), got dtype {a.dtype} and shape {a.shape}")
    if length and np.issubdtype(a.dtype, np.signedinteger) and int(a.min()) < 0:
        raise PredictionError(f"{what} must be >= 0 (0 means no prediction), got {int(a.min())}")
    if a.dtype == np.uint64:
        a = np.minimum(a, np.uint64(NEVER))
    return np.minimum(a.astype(np.int64), NEVER)


def physical_memory() -> int:
    """Bytes of physical memory on this machine (0 if unknown)."""
    try:
        import os

        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0


def _human(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.1f} {unit}" if unit != "B" else f"{int(nbytes)} B"
        nbytes /= 1024
    return f"{nbytes:.1f} PiB"  # pragma: no cover


def check_allocation(nbytes: float, what: str) -> None:
    """Raise :class:`CapacityError` before allocating ``nbytes`` if the machine cannot hold them.

    The limit is the physical memory of the machine; the message names what would be
    allocated and how much it would need.
    """
    limit = physical_memory()
    if limit and nbytes > limit:
        raise CapacityError(
            f"{what} would need {_human(nbytes)}, more than this machine's {_human(limit)} of memory"
        )
