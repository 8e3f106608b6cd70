"""dynalgo: fully dynamic algorithms that run at offline speed when future updates are predicted.

Answers are always exact; predictions of future updates only change running
time.  See ``docs/`` for the model (Liu & Srinivas, COLT 2024).
"""

from __future__ import annotations

import predictors

from . import datasets, engine, workloads
from ._engine import EngineStats, RaceStats
from .bipartite import DynamicBipartiteness
from .apsp import DynamicAPSP
from .connectivity import DynamicConnectivity
from .contingency import ContingencyReport, screen_contingencies
from .datasets import TemporalEdges, bitcoin_alpha, college_msg
from .hdt import HDTConnectivity, HDTStats
from .offline import offline_connectivity
from .objectives import Coverage, CustomObjective, FacilityLocation, FeatureBased, Objective
from .submodular import DynamicSubmodular, LazyGreedy, LeveledSubmodular, SieveRerun, SieveStreaming, SubmodularStats
from .offline_apsp import offline_apsp
from .timeline import TimedConnectivity
from .errors import (
    CapacityError,
    DuplicateElementError,
    DynalgoError,
    InvalidInputError,
    InvalidTypeError,
    ItemError,
    MissingElementError,
    NegativeCycleError,
    PredictionError,
    QueryError,
    TimelineError,
    VertexError,
)
from .updates import Delete, Insert, Op, Predictions, Update, UpdateBatch
from .workloads import SlidingWindow, sliding_window

__version__ = "0.1.0"

__all__ = [
    "DynamicConnectivity",
    "DynamicBipartiteness",
    "HDTConnectivity",
    "TimedConnectivity",
    "HDTStats",
    "offline_connectivity",
    "screen_contingencies",
    "ContingencyReport",
    "DynamicSubmodular",
    "LeveledSubmodular",
    "LazyGreedy",
    "SieveRerun",
    "SieveStreaming",
    "SubmodularStats",
    "Objective",
    "Coverage",
    "FacilityLocation",
    "FeatureBased",
    "CustomObjective",
    "DynamicAPSP",
    "offline_apsp",
    "EngineStats",
    "RaceStats",
    "datasets",
    "engine",
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
