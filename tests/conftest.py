"""Shared test configuration: hypothesis profiles.

Profiles: ``default`` (60 examples), ``thorough`` (1000) and ``boundscheck`` (a
few examples: the bounds-checked rerun of tests/test_boundscheck.py, where every
kernel is compiled again with bounds checks).  Select one with the environment
variable ``HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The first call of each kernel compiles it, so no per-example deadline.
settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "boundscheck",
    deadline=None,
    max_examples=8,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
