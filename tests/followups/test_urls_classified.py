"""Every page of followups.urls is in exactly one persona matrix.

followups/urls.py is the four URL modules put together; each has its matrix
(test_followup_access, test_session_access, test_overview_access, test_therapist_home) that
fails on an unclassified pattern. This test fails when a pattern reaches followups.urls another
way.
"""

from django.urls import URLPattern

from followups import urls, urls_followups, urls_overview, urls_sessions, urls_therapist_home
from tests.followups import (
    test_followup_access,
    test_overview_access,
    test_session_access,
    test_therapist_home,
)


def _names(patterns) -> list[str]:
    return [p.name for p in patterns if isinstance(p, URLPattern)]


def test_followups_urls_are_exactly_the_four_modules():
    parts = (
        urls_followups.urlpatterns
        + urls_sessions.urlpatterns
        + urls_overview.urlpatterns
        + urls_therapist_home.urlpatterns
    )
    assert urls.urlpatterns == parts


def test_each_module_has_its_matrix_and_names_are_unique():
    assert _names(urls_followups.urlpatterns) == test_followup_access.NAMES
    assert _names(urls_sessions.urlpatterns) == test_session_access.NAMES
    assert _names(urls_overview.urlpatterns) == test_overview_access.NAMES
    assert _names(urls_therapist_home.urlpatterns) == test_therapist_home.NAMES
    everything = _names(urls.urlpatterns)
    assert len(everything) == len(set(everything))
