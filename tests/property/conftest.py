"""Hypothesis settings for the property-based tests.

Two profiles: ``ci`` (chosen when the CI environment variable is set) is derandomised, so a
run is repeatable and a red build can be re-run to the same example; ``dev`` (otherwise) draws
new examples every run and keeps failures in Hypothesis' example database, so running the
tests locally keeps exploring. ``HYPOTHESIS_PROFILE`` overrides the choice. Neither profile
sets the number of examples: each test states its own, small enough for the suite's budget.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
