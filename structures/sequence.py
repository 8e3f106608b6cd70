"""Kernels over whole update sequences, shared by the structures."""

from __future__ import annotations

from ._jit import kernel


@kernel
def first_invalid(present, ids, op):  # type: ignore[no-untyped-def]
    """Index of the first insert of a present element or delete of an absent one (-1: none).

    ``ids`` are element ids, ``op`` 1 for insert and 0 for delete; ``present`` is a
    scratch copy of the presence flags (it is modified).
    """
    for k in range(ids.shape[0]):
        e = ids[k]
        if op[k] == 1:
            if present[e]:
                return k
            present[e] = True
        else:
            if not present[e]:
                return k
            present[e] = False
    return -1
