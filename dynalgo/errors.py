"""The exception hierarchy of dynalgo.

Every error raised on purpose by the library derives from [`DynalgoError`][dynalgo.errors.DynalgoError].
Subclasses also derive from the matching built-in exception so that callers
who catch ``ValueError`` / ``KeyError`` / ``IndexError`` keep working.

A rejected update or query never changes the structure it was sent to.
"""

from __future__ import annotations

__all__ = [
    "DynalgoError",
    "InvalidInputError",
    "InvalidTypeError",
    "VertexError",
    "ItemError",
    "DuplicateElementError",
    "MissingElementError",
    "PredictionError",
    "QueryError",
    "NegativeCycleError",
    "CapacityError",
    "TimelineError",
]


class DynalgoError(Exception):
    """Base class of every error raised by dynalgo."""


class InvalidInputError(DynalgoError, ValueError):
    """An argument has the wrong type, dtype, shape or value."""


class InvalidTypeError(InvalidInputError, TypeError):
    """An argument has the wrong type (a string where a number is expected, a float or a
    bool where an integer is expected, an object that is not an ``UpdateBatch``...).

    It is an [`InvalidInputError`][dynalgo.errors.InvalidInputError] (so also a ``ValueError``) and a ``TypeError``.
    """


class VertexError(DynalgoError, IndexError):
    """A vertex id is not an integer in ``0..n-1``."""


class ItemError(DynalgoError, IndexError):
    """An item id is not an integer in ``0..n-1`` (the ground set of a submodular objective)."""


class DuplicateElementError(DynalgoError, KeyError):
    """An element is inserted while it is already present."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingElementError(DynalgoError, KeyError):
    """An element is deleted (or queried) while it is absent."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PredictionError(DynalgoError, ValueError):
    """Predictions are malformed (bad day, unknown vertex, wrong shape)."""


class QueryError(DynalgoError, ValueError):
    """A query array is malformed (shape, dtype, unsorted or out-of-range days)."""


class NegativeCycleError(DynalgoError, ValueError):
    """An update would create a cycle of negative total weight."""


class CapacityError(DynalgoError, MemoryError):
    """A structure would need more memory than this machine has; raised before allocating."""


class TimelineError(DynalgoError, ValueError):
    """A time is invalid: not an integer, going backwards, an expiry not after its insertion,
    a query in the past, or time-keyed and update-indexed calls mixed on one object."""
