"""pytest configuration of the benchmark suite (bench/ is not in the default testpaths).

Run with ``python -m pytest bench -p no:cacheprovider --benchmark-only``.

The session uses a private, empty numba cache directory unless ``NUMBA_CACHE_DIR``
is already set, so that the compile-time benchmark measures a cold compile.
Kernels are compiled once per session by the ``warm`` fixture, outside any timing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

if "NUMBA_CACHE_DIR" not in os.environ:
    _dir = tempfile.mkdtemp(prefix="dynalgo-bench-numba-")
    os.environ["NUMBA_CACHE_DIR"] = _dir
    if "numba" in sys.modules:  # imported already (by a plugin): re-read the environment
        from numba.core import config as _config

        _config.reload_config()

    def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
        shutil.rmtree(_dir, ignore_errors=True)
