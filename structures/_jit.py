"""The house decorators for compiled kernels.

Every kernel is ``numba.njit`` with an on-disk cache and the GIL released.  When
the package directory is read-only, numba falls back to its user-wide cache
directory; set ``NUMBA_CACHE_DIR`` to choose another place.

Reference counting
------------------
Kernels only read and write arrays their caller owns, and most never allocate,
so ``kernel`` and ``inline_kernel`` compile them without numba's
reference-counting runtime (NRT, the ``_nrt=False`` compiler flag).  With it,
every array passed to a callee -- even one inlined at IR level -- costs an
atomic increment and decrement per call: on the connectivity engine, whose inner
loops call the base structure millions of times, that was 30% of the run time
(1.16 s -> 0.80 s for 1.2 million days).  A kernel that allocates arrays
(``np.empty``, ``np.zeros``, ...) or returns one must use ``alloc_kernel``;
numba refuses to compile an allocation without NRT, so a wrong choice fails
loudly at the first call, never silently.
"""

from __future__ import annotations

from typing import Any, Callable

import warnings

import numba

# numba's compiler option that turns reference counting off; numba's published type
# annotations do not list it, so it is passed as keyword arguments from a dict
_NO_NRT: dict[str, Any] = {"_nrt": False}


_warned = False


def _jit(fn: Callable[..., Any], **options: Any) -> Any:
    """``numba.njit(cache=True, nogil=True, **options)``, or uncached with one warning when no
    cache location is writable (numba then raises ``RuntimeError: no locator available``)."""
    global _warned
    try:
        return numba.njit(cache=True, nogil=True, **options)(fn)
    except RuntimeError as err:
        if "no locator available" not in str(err):
            raise
        if not _warned:
            _warned = True
            warnings.warn(
                "dynalgo: no writable place for numba's cache (the install directory is read-only and "
                "so is the user cache directory); kernels are compiled in every process. Set "
                "NUMBA_CACHE_DIR to a writable directory to keep them.",
                RuntimeWarning,
                stacklevel=3,
            )
        return numba.njit(cache=False, nogil=True, **options)(fn)


def kernel(fn: Callable[..., Any]) -> Any:
    """Compile ``fn`` with ``numba.njit(cache=True, nogil=True)``, without reference counting."""
    return _jit(fn, **_NO_NRT)


def inline_kernel(fn: Callable[..., Any]) -> Any:
    """Like ``kernel``, and inlined into its callers at numba-IR level (small hot helpers)."""
    return _jit(fn, inline="always", **_NO_NRT)


def alloc_kernel(fn: Callable[..., Any]) -> Any:
    """A kernel that allocates or returns arrays: ``numba.njit(cache=True, nogil=True)`` with NRT."""
    return _jit(fn)
