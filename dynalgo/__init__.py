"""dynalgo: fully dynamic algorithms that run at offline speed when future updates are predicted.

Answers are always exact; predictions of future updates only change running
time.  See ``docs/`` for the model (Liu & Srinivas, COLT 2024).
"""

from __future__ import annotations


class PackageNameClashError(ImportError):
    """A module named ``structures`` or ``predictors`` that is not dynalgo's shadows dynalgo's own.

    dynalgo installs its kernels and its predictors as the top-level packages
    ``structures`` and ``predictors``.  If another module of either name comes first on
    ``sys.path`` (or was imported before dynalgo), importing dynalgo raises this error
    rather than running the wrong code.
    """


def _check_own_package(name: str) -> None:
    """Raise `PackageNameClashError` unless ``name`` resolves to the package installed with dynalgo."""
    import importlib
    import importlib.util
    import os
    import sys

    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    expected = os.path.join(root, name, "__init__.py")
    loaded = sys.modules.get(name)
    if loaded is not None:
        origin = getattr(loaded, "__file__", None)
    else:
        spec = importlib.util.find_spec(name)
        origin = None if spec is None else spec.origin
    same = origin is not None and os.path.normcase(os.path.realpath(origin)) == os.path.normcase(expected)
    if same and getattr(importlib.import_module(name), "__dynalgo_package__", None) == name:
        return
    where = "was not found" if origin is None else f"resolves to {origin}"
    raise PackageNameClashError(
        f"dynalgo installs its own top-level package {name!r}, but {name!r} {where} instead of {expected}: "
        f"a module of the same name earlier on sys.path (often the current directory or the script's "
        f"directory), or imported before dynalgo, shadows dynalgo's. Rename that module or move it off "
        f"sys.path (see the Installation section of the README).",
        name=name, path=origin,
    )


_check_own_package("structures")
_check_own_package("predictors")

import predictors  # noqa: E402

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
from .timeline import TimedBipartiteness, TimedConnectivity
from .timed_submodular import TimedSubmodular
from .windows import iter_windows, window_bipartiteness, window_connectivity
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
    "TimedBipartiteness",
    "TimedSubmodular",
    "window_connectivity",
    "window_bipartiteness",
    "iter_windows",
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
