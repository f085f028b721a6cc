"""The persona matrix for every operation of the API, generated from the OpenAPI schema.

Every path × method in the schema is called by every persona, with its path parameters filled
from real objects of the ``case`` fixture. A new operation fails
``test_every_operation_is_in_the_matrix`` until someone decides who may use it.
"""

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from access.models import AccessLogEntry
from tests.api.conftest import session_body

PERSONAS = [
    "owner",
    "colleague",
    "team_lead",
    "therapist",
    "other_therapist",
    "family_user",
    "anonymous",
    # A caseworker the case is shared with until next week (holiday cover), and one whose
    # share ended yesterday (their tables are derived below, after OPERATIONS).
    "shared",
    "share_ended",
]

# A case's data: seen by whoever sees the case; others 404; families 403; anonymous 401.
READ = {
    "owner": 200,
    "colleague": 404,
    "team_lead": 200,
    "therapist": 200,
    "other_therapist": 404,
    "family_user": 403,
    "anonymous": 401,
}
# Lists filter instead of refusing: every staff member gets 200 (with only what they see).
LIST = {**dict.fromkeys(PERSONAS, 200), "family_user": 403, "anonymous": 401}
# Authority actions: the owner and the team lead; the assigned therapist sees but may not.
AUTHORITY = {**READ, "owner": 201, "team_lead": 201, "therapist": 403}
# The plan's goals and ratings: the assigned therapist too (access.rules.CaseAccess.can_work_goals).
GOAL_WORK = {**READ, "owner": 201, "team_lead": 201, "therapist": 201}

# The authority's own file (notifications, assessments): a provider's therapist gets 404.
AUTHORITY_FILE = {**READ, "therapist": 404}

EXPECTED: dict[str, dict[str, int]] = {
    "cases_list": LIST,
    "cases_retrieve": READ,
    "case_notifications_list": AUTHORITY_FILE,
    "case_notifications_create": {**AUTHORITY, "therapist": 404},
    "case_assessments_list": AUTHORITY_FILE,
    "case_measures_list": READ,
    "case_plan_retrieve": READ,
    "case_plan_goals_create": GOAL_WORK,
    "case_plan_rating_rounds_create": GOAL_WORK,
    "citizens_list": LIST,
    "citizens_retrieve": READ,
    "citizens_search": LIST,
}
# Logging a session: the therapists assigned to the case's measures.
SESSION_WORK = {**READ, "therapist": 201, "owner": 403, "team_lead": 403}

EXPECTED.update(
    {
        "case_followups_list": READ,
        "case_sessions_list": READ,
        "case_sessions_create": SESSION_WORK,
        "case_network_members_list": READ,
        "case_network_meetings_list": READ,
        "case_letters_list": READ,
        "case_letters_pdf": READ,
        "reminders_list": LIST,
        # Completing a follow-up answers 200 (the follow-up exists already), not 201.
        "case_followups_complete": {**AUTHORITY, "owner": 200, "team_lead": 200},
        # Decisions, party hearings and complaints: read-only, the authority's own file.
        "decisions_list": LIST,
        "case_decisions_list": AUTHORITY_FILE,
        "case_decisions_retrieve": AUTHORITY_FILE,
        "case_hearings_list": AUTHORITY_FILE,
        "case_complaints_list": AUTHORITY_FILE,
    }
)
# Calls that read or write one case's data: a 2xx is logged against the case, a 404 as denied.
CASE_SCOPED = {op for op, table in EXPECTED.items() if table["colleague"] == 404}


def operations() -> list[tuple[str, str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((operation["operationId"], method, path))
    return sorted(found)


OPERATIONS = operations()

# A share lets a colleague read the case as its team lead does, and do nothing with it; after
# its last day the colleague is an outsider again.
_METHODS = {operation_id: method for operation_id, method, _path in OPERATIONS}
for _operation_id, _table in EXPECTED.items():
    _table["share_ended"] = _table["colleague"]
    if _table["colleague"] == 200:  # a list: filtered, never refused
        _table["shared"] = 200
    elif _METHODS.get(_operation_id) == "get":
        _table["shared"] = _table["team_lead"]
    else:
        _table["shared"] = 403
# ... except that any of the authority's caseworkers registers a notification about a child
# whose case they see (as on the web's "Ny underretning").
EXPECTED["case_notifications_create"]["shared"] = 201


def bodies(case: Any, plan: Any, org: Any, personas: Any) -> dict[str, dict[str, Any]]:
    today = timezone.localdate()
    return {
        "case_notifications_create": {
            "received_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "reporter_kind": "professional",
            "reporter_organisation": "Nordskolen",
            "concern": "Barnet er ofte sultent.",
        },
        "case_plan_goals_create": {"area": "health", "family_wording": "Sove nok"},
        "case_plan_rating_rounds_create": {
            "held_on": today.isoformat(),
            "ratings": [
                {
                    "goal": plan.goals.first().pk,
                    "rater_kind": "child",
                    "rater_name": "Emma",
                    "value": 6,
                }
            ],
        },
        "citizens_search": {"cpr": case.citizen.cpr},
        "case_followups_complete": {
            "held_on": today.isoformat(),
            "participants": "Mor, Emma og familiebehandleren",
            "decision": "continue",
            "decision_reasons": "Indsatsen virker.",
            "evaluations": [{"goal": plan.goals.first().pk, "verdict": "on_track"}],
            "next_dates": [(today + dt.timedelta(days=60)).isoformat()],
            "schedule_reasons": "Tæt på i starten.",
        },
        "case_sessions_create": session_body(case),
    }


def test_every_operation_is_in_the_matrix():
    in_schema = {operation_id for operation_id, _m, _p in OPERATIONS}
    assert in_schema == set(EXPECTED), (
        f"add new API operations to EXPECTED in {__file__}: {in_schema ^ set(EXPECTED)}"
    )
    assert len(in_schema) == len(OPERATIONS), "operationIds must be unique"


def test_every_table_names_every_persona():
    for operation_id, table in EXPECTED.items():
        assert set(table) == set(PERSONAS), operation_id


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("operation_id", "method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_matrix(
    operation_id,
    method,
    path,
    persona,
    case,
    plan,
    letter,
    followup,
    decision,
    org,
    personas,
    login,
):
    if persona in ("shared", "share_ended"):
        from access import rules
        from access.models import CaseShare
        from accounts.models import Role
        from demo import factories as f

        colleague = f.UserFactory(username=persona, role=Role.CASEWORKER)
        share = rules.case_share_grant(
            case=case,
            user=colleague,
            valid_until=timezone.localdate() + dt.timedelta(days=7),
            reason="Ferieafløsning",
            granted_by=personas.owner,
        )
        if persona == "share_ended":
            CaseShare.objects.filter(pk=share.pk).update(
                valid_until=timezone.localdate() - dt.timedelta(days=1)
            )
        setattr(personas, persona, colleague)
    client = Client() if persona == "anonymous" else login(getattr(personas, persona))
    url = (
        path.replace("{case_id}", str(case.pk))
        .replace("{citizen_id}", str(case.citizen_id))
        .replace("{letter_id}", str(letter.pk))
        .replace("{followup_id}", str(followup.pk))
        .replace("{decision_id}", str(decision.pk))
    )
    assert "{" not in url, f"no object for a path parameter in {path}: add it here"
    body = bodies(case, plan, org, personas).get(operation_id)
    before = AccessLogEntry.objects.filter(Q(case=case) | Q(citizen=case.citizen)).count()
    response = getattr(client, method)(url, data=body, content_type="application/json")
    expected = EXPECTED[operation_id][persona]
    assert response.status_code == expected, (
        f"{persona} {method.upper()} {url}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if operation_id == "case_letters_pdf" and expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response["Content-Type"].startswith("application/json")
    if operation_id in CASE_SCOPED and persona != "anonymous":
        logged = AccessLogEntry.objects.filter(Q(case=case) | Q(citizen=case.citizen))
        assert logged.count() > before, f"{operation_id} as {persona} left no access-log row"
        if expected == 404:
            assert logged.latest("id").action == AccessLogEntry.Action.DENIED
