"""Fixtures of the security tests: rate limits start from zero, and staff log in without the
second factor (it has tests of its own)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the default cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # Staff log in with force_login here; the second factor has tests of its own.
    settings.TWO_FACTOR_REQUIRED = False
