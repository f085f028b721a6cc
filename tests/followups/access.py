"""Shared pieces of the follow-up persona matrices (test_*_access.py in this folder).

Each matrix is generated from one URL conf: its patterns are requested by every persona with
their ids filled from real objects, and a pattern nobody classified fails the test run.
"""

from collections.abc import Iterable, Sequence
from types import ModuleType

from django.http import HttpResponse
from django.urls import URLPattern, reverse

from access.models import AccessLogEntry
from accounts.models import User
from cases.models import Case

PERSONAS = [
    "owner",
    "colleague",
    "team_lead",
    "therapist",
    "other_therapist",
    "family_user",
    "other_family_user",
]
# Personas who may not see the conftest `case` at all.
OUTSIDERS = ["colleague", "other_therapist", "family_user", "other_family_user"]
FORBIDDEN_TEXT = "Du kan ikke udføre denne handling"


def patterns_of(urlconf: ModuleType) -> tuple[list[URLPattern], list[str]]:
    patterns = [p for p in urlconf.urlpatterns if isinstance(p, URLPattern)]
    return patterns, [str(p.name) for p in patterns]


def category(name: str, categories: Sequence[Iterable[str]], where: str) -> int:
    """The index of the one category that lists `name`."""
    for index, names in enumerate(categories):
        if name in names:
            return index
    raise AssertionError(f"URL {name!r} is not classified in {where}")


def url_for(pattern: URLPattern, case: Case, objects: dict[str, object]) -> str:
    """The pattern's URL with `case_id` from `case` and every other id from `objects`."""
    kwargs: dict[str, object] = {}
    for name in pattern.pattern.converters:  # type: ignore[attr-defined]
        if name == "case_id":
            kwargs[name] = case.pk
        else:
            assert name in objects, f"no object for {name!r}: add it to the objects fixture"
            kwargs[name] = objects[name]
    return reverse(f"followups:{pattern.name}", kwargs=kwargs)


def assert_case_page_answer(
    response: HttpResponse, expected: int, *, case: Case, user: User, url: str, label: str
) -> None:
    """Status as expected; a 200 is logged as a view of the case, anything else as a refusal."""
    assert response.status_code == expected, label
    log = AccessLogEntry.objects.filter(case=case, user=user, target=url)
    if expected == 200:
        assert log.filter(action="view").exists()
        assert not log.filter(action="denied").exists()
    else:
        assert log.filter(action="denied").exists()
    if expected == 403:
        assert FORBIDDEN_TEXT in response.content.decode()
