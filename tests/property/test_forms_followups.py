"""Every POST form of follow-ups, sessions and the overview pages (followups/urls_*.py),
fuzzed as the persona who may post it (forms.py)."""

import pytest
from django.urls import reverse

from tests.followups import test_overview_access as overview
from tests.followups import test_session_access as sessions
from tests.followups.access import url_for
from tests.followups.test_followup_access import (
    followup,  # noqa: F401 - fixtures, for the tests below
    with_verdict,
)
from tests.followups.test_overview_access import objects as overview_objects  # noqa: F401
from tests.followups.test_session_access import objects as session_objects  # noqa: F401
from tests.property.forms import Target, fuzz


def test_followup_complete(case, followup, personas, login):  # noqa: F811
    target = Target(
        url=reverse("followups:followup_complete", args=[case.pk, followup.pk]),
        client=login(personas.owner),
        data=with_verdict(followup),
    )
    fuzz(target, "followup_complete")


@pytest.fixture
def session_target(request, case, session_objects, personas, login):  # noqa: F811
    pattern = next(p for p in sessions.PATTERNS if p.name == request.param)
    return Target(
        url=url_for(pattern, case, session_objects),
        client=login(personas.therapist),  # the therapist logs sessions, not the owner
        data=sessions.post_data(),
        # "Registrér session" keeps what was typed in the draft even when it cannot log it.
        draft_tables={
            "followups_session",
            "followups_session_family_participants",
            "followups_session_goals",
        },
    )


@pytest.mark.parametrize("session_target", sorted(sessions.POSTABLE), indirect=True)
def test_sessions(session_target, request):
    fuzz(session_target, request.node.callspec.id)


OVERVIEW_POSTABLE = overview.POST_ONLY | overview.AUTHORITY


@pytest.fixture
def overview_target(request, case, overview_objects, personas, login):  # noqa: F811
    pattern = next(p for p in overview.PATTERNS if p.name == request.param)
    return Target(
        url=url_for(pattern, case, overview_objects),
        client=login(personas.owner),  # the reminder's recipient and the case's owner
        data=overview.post_data(),
    )


@pytest.mark.parametrize("overview_target", sorted(OVERVIEW_POSTABLE), indirect=True)
def test_overview(overview_target, request):
    fuzz(overview_target, request.node.callspec.id)
