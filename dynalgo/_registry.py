"""Element registry: maps an element key (an int64) to a dense element id."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from structures import hashmap as _hm


class Registry:
    """Dense ids for int64 keys, with bulk assignment that can be taken back."""

    def __init__(self, capacity: int = 16) -> None:
        self._keys, self._vals = _hm.make(capacity)
        self._ekey = np.zeros(16, dtype=np.int64)
        self.size = 0
        self._added = np.zeros(16, dtype=np.int64)
        self._n_added = 0

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if 2 * need > self._keys.shape[0]:
            keys, vals = _hm.make(need)
            _hm.rehash(self._keys, self._vals, keys, vals)
            self._keys, self._vals = keys, vals
        if self._ekey.shape[0] < need:
            grown = np.zeros(max(need, 2 * self._ekey.shape[0]), dtype=np.int64)
            grown[: self.size] = self._ekey[: self.size]
            self._ekey = grown
        if self._added.shape[0] < extra:
            self._added = np.zeros(max(extra, 2 * self._added.shape[0]), dtype=np.int64)

    def assign(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        """Ids of ``keys``; unknown keys get fresh ids.  ``rollback`` takes this call back."""
        self._reserve(keys.shape[0])
        ids, n_added = _hm.assign(self._keys, self._vals, keys, self.size, self._added)
        n_added = int(n_added)
        new = ids >= self.size
        self._ekey[ids[new]] = keys[new]
        self._n_added = n_added
        self.size += n_added
        return np.asarray(ids)

    def rollback(self) -> None:
        """Forget the keys added by the last ``assign``."""
        _hm.remove_last(self._keys, self._added, self._n_added)
        self.size -= self._n_added
        self._n_added = 0

    def get(self, key: int) -> int:
        """Id of ``key`` or -1."""
        return int(_hm.get(self._keys, self._vals, key))

    @property
    def keys(self) -> NDArray[np.int64]:
        """Key of each id ``0..size-1`` (a view)."""
        return self._ekey[: self.size]

    def check(self) -> None:
        _hm.check(self._keys, self._vals, self.size)
        ids = np.array([self.get(int(k)) for k in self.keys[:1000]], dtype=np.int64)
        assert np.array_equal(ids, np.arange(ids.shape[0])), "registry ids do not round-trip"
