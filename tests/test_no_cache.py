"""dynalgo works, uncached and with one warning, when numba has no writable cache location."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# numba raises "no locator available" at decoration time when none of its cache
# locators accepts the file (read-only install directory and no usable user cache
# directory).  Emptying the list of locators reproduces that without changing
# permissions (which root ignores).
SCRIPT = r"""
import warnings
import numba.core.caching as caching
caching.CacheImpl._locator_classes = []
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import dynalgo
    g = dynalgo.TimedConnectivity(3)
    g.insert(0, 1, time=0, expiry=5)
    assert g.connected(0, 1, time=1) and not g.connected(0, 1, time=5)
msgs = [str(x.message) for x in w if issubclass(x.category, RuntimeWarning) and "numba's cache" in str(x.message)]
assert len(msgs) == 1, msgs
print("ok")
"""


def test_import_and_use_without_a_writable_cache() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("ok")
