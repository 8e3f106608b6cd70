"""The house decorator for compiled kernels.

Every kernel is ``numba.njit`` with an on-disk cache and the GIL released.  When
the package directory is read-only, numba falls back to its user-wide cache
directory; set ``NUMBA_CACHE_DIR`` to choose another place.
"""

from __future__ import annotations

from typing import Any, Callable

import numba


def kernel(fn: Callable[..., Any]) -> Any:
    """Compile ``fn`` with ``numba.njit(cache=True, nogil=True)``."""
    return numba.njit(cache=True, nogil=True)(fn)


def inline_kernel(fn: Callable[..., Any]) -> Any:
    """Like :func:`kernel`, and inlined into its callers at numba-IR level (small hot helpers)."""
    return numba.njit(cache=True, nogil=True, inline="always")(fn)
