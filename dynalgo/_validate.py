"""Input checks shared by the public structures.

Every check raises one of the library's errors ([`dynalgo.errors`][dynalgo.errors]), never a bare
numpy or Python exception: a wrong *type* raises ``InvalidTypeError`` (for the
arguments whose documented error is ``InvalidInputError``) or the argument's own
error (``VertexError``, ``PredictionError``, ``QueryError``).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import CapacityError, InvalidInputError, InvalidTypeError, PredictionError, VertexError

INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)
#: union-find parents are int32
MAX_DSU_N = (1 << 31) - 1


def _type_error(err: type[Exception]) -> type[Exception]:
    """The error for a wrong type where ``err`` is the error for a wrong value."""
    return InvalidTypeError if err is InvalidInputError else err


def short(x: Any, limit: int = 60) -> str:
    """``repr(x)``, shortened to about ``limit`` characters for error messages."""
    r = repr(x)
    return r if len(r) <= limit else r[: limit - 15] + "..." + r[-12:]


def is_integer(x: Any) -> bool:
    """Whether ``x`` is a Python or numpy integer (bools are not integers here)."""
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def integer(x: Any, what: str, lo: int, hi: int | None = None, err: type[Exception] = InvalidInputError) -> int:
    """``x`` as an int in ``lo..hi`` (``hi=None``: no upper bound)."""
    if not is_integer(x):
        raise _type_error(err)(f"{what} must be an integer, got {short(x)} of type {type(x).__name__}")
    xi = int(x)
    if xi < lo or (hi is not None and xi > hi):
        rng = f">= {lo}" if hi is None else f"in {lo}..{hi}"
        raise err(f"{what} must be an integer {rng}, got {xi}")
    return xi


def real(x: Any, what: str, lo: float, hi: float) -> float:
    """``x`` as a finite float in ``[lo, hi]``."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise InvalidTypeError(f"{what} must be a number, got {x!r} of type {type(x).__name__}")
    try:
        f = float(x)
    except (OverflowError, ValueError):
        f = math.inf
    if not (math.isfinite(f) and lo <= f <= hi):
        raise InvalidInputError(f"{what} must be a finite number in [{lo:g}, {hi:g}], got {short(x)}")
    return f


def flag(x: Any, what: str) -> bool:
    """``x`` as a bool; only ``True`` / ``False`` (or numpy bools) are accepted."""
    if not isinstance(x, (bool, np.bool_)):
        raise InvalidTypeError(f"{what} must be True or False, got {x!r} of type {type(x).__name__}")
    return bool(x)


def choice(x: Any, what: str, options: Sequence[Any]) -> Any:
    """``x`` if it is one of ``options`` (strings or None)."""
    if x is not None and not isinstance(x, str):
        raise InvalidTypeError(f"{what} must be one of {', '.join(map(repr, options))}, got {x!r} of type {type(x).__name__}")
    if x not in options:
        raise InvalidInputError(f"{what} must be one of {', '.join(map(repr, options))}, got {x!r}")
    return str(x) if x is not None else None


def seed(x: Any, what: str = "seed") -> int:
    """A seed: any Python or numpy integer (the structures use it modulo ``2**62``)."""
    if not is_integer(x):
        raise InvalidTypeError(f"{what} must be an integer, got {x!r} of type {type(x).__name__}")
    return int(x)


def _where(shape: tuple[int, ...], flat_index: int) -> str:
    idx = np.unravel_index(flat_index, shape)
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def int_array(
    x: Any,
    what: str,
    err: type[Exception] = InvalidInputError,
    *,
    floats: bool = False,
    clip_hi: int | None = None,
) -> NDArray[np.int64]:
    """``x`` (any array-like of integers) as a C-contiguous int64 array of the same shape.

    Rejects bools (also hidden among the integers of a list), strings and other
    objects, and values outside the int64 range, quoting the offending value as
    given (never a wrapped one).  ``floats=True`` also accepts floats with integral
    values.  ``clip_hi``: values above it become ``clip_hi`` instead of an error.
    Shapes are the caller's business.
    """
    terr = _type_error(err)
    if isinstance(x, (str, bytes)):
        raise terr(f"{what} must be an array of integers, got {type(x).__name__} {x!r}")
    if isinstance(x, np.ndarray):
        a = x
    else:
        try:
            a = np.asarray(x)
        except (ValueError, TypeError, OverflowError) as exc:
            raise err(f"{what} must be a rectangular array of integers ({exc})") from None
        if a.size and a.dtype.kind in "iuf" and not isinstance(x, np.generic):
            # a list may hide bools among numbers: np.asarray([True, 2]) is an int array
            # (and ints mixed with numpy uint64 become floats): check every entry
            a = np.asarray(x, dtype=object)
    if a.size == 0:
        return np.zeros(a.shape, dtype=np.int64)
    kind = a.dtype.kind
    if kind == "i":
        return np.ascontiguousarray(a, dtype=np.int64)
    if kind == "u":
        top = int(a.max())
        if top > INT64_MAX:
            if clip_hi is None:
                k = int(np.argmax(a > INT64_MAX))
                raise err(f"{what}{_where(a.shape, k)} = {int(a.flat[k])} is beyond the int64 range")
            a = np.minimum(a, np.uint64(clip_hi))
        out = np.ascontiguousarray(a, dtype=np.int64)
        return out if clip_hi is None else np.minimum(out, clip_hi)
    if kind == "f" and floats:
        with np.errstate(over="ignore", invalid="ignore"):  # 2**63 is inf in float16
            bad = ~np.isfinite(a)
            bad |= a != np.round(a)
            bad |= a < -(2.0 ** 63)
            if clip_hi is None:
                bad |= a >= 2.0 ** 63
        if np.any(bad):
            k = int(np.argmax(bad))
            raise err(f"{what}{_where(a.shape, k)} = {a.flat[k]!r} is not an integer in the int64 range")
        if clip_hi is None:
            return np.ascontiguousarray(a, dtype=np.int64)
        big = a >= float(clip_hi)  # float(clip_hi) may round up beyond int64: clip after the cast
        out = np.ascontiguousarray(np.where(big, 0, a), dtype=np.int64)
        out[big] = clip_hi
        return out
    if kind == "O":
        return _objects_to_int64(a, what, err, terr, floats, clip_hi)
    if kind == "b":
        raise terr(f"{what} must hold integers, got booleans (dtype {a.dtype})")
    raise terr(f"{what} must hold integers, got dtype {a.dtype}")


def _objects_to_int64(
    a: NDArray[Any], what: str, err: type[Exception], terr: type[Exception], floats: bool, clip_hi: int | None
) -> NDArray[np.int64]:
    flat = a.ravel().tolist()
    vals: list[int] = []
    for k, e in enumerate(flat):
        if isinstance(e, (bool, np.bool_)):
            raise terr(f"{what}{_where(a.shape, k)} is {e!r}, a bool, not an integer")
        if isinstance(e, numbers.Integral):
            vals.append(int(e))
        elif floats and isinstance(e, numbers.Real):
            f = float(e) if math.isfinite(float(e)) else math.nan
            if not (math.isfinite(f) and f == math.floor(f)):
                raise err(f"{what}{_where(a.shape, k)} = {e!r} is not an integer")
            vals.append(int(f))
        else:
            raise terr(f"{what}{_where(a.shape, k)} is {e!r} of type {type(e).__name__}, not an integer")
    lo, hi = min(vals), max(vals)
    if lo < INT64_MIN or (hi > INT64_MAX and clip_hi is None):
        k = next(i for i, y in enumerate(vals) if y < INT64_MIN or y > INT64_MAX)
        raise err(f"{what}{_where(a.shape, k)} = {vals[k]} is beyond the int64 range")
    if clip_hi is not None and hi > clip_hi:
        vals = [min(y, clip_hi) for y in vals]
    return np.array(vals, dtype=np.int64).reshape(a.shape)


def vertex(x: Any, n: int, what: str = "vertex") -> int:
    """Return ``x`` as an int in ``0..n-1`` or raise ``VertexError``."""
    if not is_integer(x):
        raise VertexError(f"{what} must be an integer in 0..{n - 1}, got {x!r} of type {type(x).__name__}")
    xi = int(x)
    if not 0 <= xi < n:
        raise VertexError(f"{what} {xi} is out of range: vertices are 0..{n - 1}")
    return xi


def vertex_count(n: Any, max_n: int | None = None) -> int:
    """The number of vertices: an integer in ``1..max_n``."""
    if not is_integer(n):
        raise InvalidTypeError(f"n must be a positive integer (number of vertices), got {n!r}")
    if int(n) < 1:
        raise InvalidInputError(f"n must be a positive integer (number of vertices), got {n!r}")
    if max_n is not None and int(n) > max_n:
        raise InvalidInputError(f"n must be at most {max_n}, got {int(n)}")
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
    if not is_integer(x) or int(x) < 1:
        raise PredictionError(f"{what} must be a positive integer day, got {x!r}")
    return min(int(x), NEVER)


def day_array(x: Any, length: int, what: str) -> NDArray[np.int64]:
    """An integer array of ``length`` days >= 0 (0: no prediction), clipped at ``NEVER``."""
    try:
        shape: tuple[int, ...] | None = None if isinstance(x, (str, bytes)) else np.shape(x)
    except (ValueError, TypeError):
        shape = None
    if shape != (length,):
        raise PredictionError(f"{what} must be an integer array of shape ({length},), got {_describe(x)}")
    a = int_array(x, what, PredictionError, clip_hi=NEVER)
    if length and int(a.min()) < 0:
        raise PredictionError(f"{what} must be >= 0 (0 means no prediction), got {int(a.min())}")
    return a


def _describe(x: Any) -> str:
    try:
        a = np.asarray(x)
    except (ValueError, TypeError, OverflowError):
        return f"a ragged {type(x).__name__}"
    return f"dtype {a.dtype} and shape {a.shape}"


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
    """Raise ``CapacityError`` before allocating ``nbytes`` if the machine cannot hold them.

    The limit is the physical memory of the machine; the message names what would be
    allocated and how much it would need.
    """
    limit = physical_memory()
    if limit and nbytes > limit:
        raise CapacityError(
            f"{what} would need {_human(nbytes)}, more than this machine's {_human(limit)} of memory"
        )
