"""dynalgo: fully dynamic algorithms that run at offline speed when future updates are predicted.

Answers are always exact; predictions of future updates only change running
time.  See ``docs/`` for the model (Liu & Srinivas, COLT 2024).
"""

from __future__ import annotations

import predictors

from . import datasets, workloads
from ._engine import EngineStats, RaceStats
from .apsp import DynamicAPSP
from .connectivity import DynamicConnectivity
from .datasets import TemporalEdges, bitcoin_alpha, college_msg
from .hdt import HDTConnectivity, HDTStats
from .offline import offline_connectivity
from .offline_apsp import offline_apsp
from .errors import (
    DuplicateElementError,
    DynalgoError,
    InvalidInputError,
    MissingElementError,
    NegativeCycleError,
    PredictionError,
    QueryError,
    VertexError,
)
from .updates import Delete, Insert, Op, Predictions, Update, UpdateBatch
from .workloads import SlidingWindow, sliding_window

__version__ = "0.1.0"

__all__ = [
    "DynamicConnectivity",
    "HDTConnectivity",
    "HDTStats",
    "offline_connectivity",
    "DynamicAPSP",
    "offline_apsp",
    "EngineStats",
    "RaceStats",
    "datasets",
    "workloads",
    "TemporalEdges",
    "college_msg",
    "bitcoin_alpha",
    "SlidingWindow",
    "sliding_window",
    "UpdateBatch",
    "Predictions",
    "Insert",
    "Delete",
    "Update",
    "Op",
    "predictors",
    "DynalgoError",
    "InvalidInputError",
    "VertexError",
    "DuplicateElementError",
    "MissingElementError",
    "PredictionError",
    "QueryError",
    "NegativeCycleError",
]
