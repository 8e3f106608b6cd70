"""The lifting engine's public driver, for lifting a structure of your own.

A new problem needs three things (``docs/pages/extending.md`` walks through
them with [`dynalgo.DynamicBipartiteness`][dynalgo.DynamicBipartiteness]):

1. base kernels (numba) ``insert(state, pay_i, pay_f, i) -> work``,
   ``mark(state) -> int``, ``undo_to(state, mark) -> work`` and
   ``query(state, x, y)``, over a state that is a tuple of arrays;
2. two cached wrappers binding them into ``structures.engine.run_days``
   and ``structures.engine.reset_path`` (as ``structures.lifted_parity``);
3. a [`LiftingEngine`][dynalgo.engine.LiftingEngine] built with ``BaseKernels(run_days, reset_path)``
   and the state, driven by validated events.
"""

from __future__ import annotations

from ._engine import BaseKernels, EngineStats, LiftingEngine, RaceStats

__all__ = ["BaseKernels", "EngineStats", "LiftingEngine", "RaceStats"]
