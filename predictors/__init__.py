"""Prediction generators and error measures for the predicted-updates model.

This package is independent of ``dynalgo`` (imports point one way:
``dynalgo -> predictors``).  Functions take duck-typed update sequences (objects
with integer arrays ``op``, ``u``, ``v``) and return [`PredictionArrays`][predictors.PredictionArrays]
named tuples ``(op, u, v, day)``, which every dynalgo structure accepts as
predictions.

Examples
--------
>>> from types import SimpleNamespace
>>> from predictors import exact, l1_error
>>> b = SimpleNamespace(op=[1, 0], u=[0, 0], v=[1, 1])
>>> l1_error(exact(b), b)
0
"""

from __future__ import annotations

#: marks this package as dynalgo's own (checked when ``dynalgo`` is imported)
__dynalgo_package__ = "predictors"

from .basic import (
    EventSequence,
    PredictionArrays,
    exact,
    garbage,
    l1_error,
    l1_error_arrays,
    perturbed,
    repeat_last_period,
)
from .learned import (
    DeletionPredictor,
    LifetimePredictor,
    P2Quantile,
    RepeatPeriodPredictor,
    SlidingWindowPredictor,
    UpdateRate,
    deletion_predictions,
    exact_time_to_day,
    predict_deletions,
)

__all__ = [
    "EventSequence",
    "PredictionArrays",
    "exact",
    "perturbed",
    "repeat_last_period",
    "garbage",
    "l1_error",
    "l1_error_arrays",
    "DeletionPredictor",
    "predict_deletions",
    "deletion_predictions",
    "exact_time_to_day",
    "UpdateRate",
    "P2Quantile",
    "SlidingWindowPredictor",
    "LifetimePredictor",
    "RepeatPeriodPredictor",
]
