"""The lists answer in the same number of queries however much they hold (no N+1)."""

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import factories as f
from followups.models import Reminder
from plans import services as plan_services
from plans.models import Area
from plans.services import RatingInput


def counter(client, url: str) -> Callable[[], int]:
    client.get(url)  # the token's first use records last_used_at

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    return queries


def add_goal(plan, n: int) -> None:
    goal = plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording=f"Mål {n}")
    for who in ("Mor", "Far"):
        plan_services.plan_responsibility_add(
            goal=goal, assignee_kind="network", assignee_name=who, task="Kører", when="Fredag"
        )


def test_the_plan_with_goals_responsibilities_and_ratings(case, plan, personas, token_client):
    queries = counter(token_client(personas.owner), f"/api/v1/cases/{case.pk}/plan/")
    small = queries()
    for n in range(5):
        add_goal(plan, n)
    goals = list(plan.goals.all())
    for days in range(1, 4):
        plan_services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=timezone.localdate() - dt.timedelta(days=days),
            ratings=[
                RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=5)
                for goal in goals
            ],
        )
    assert queries() == small


def test_own_reminders(case, personas, token_client):
    def remind(n: int) -> None:
        Reminder.objects.create(
            recipient=personas.owner,
            case=f.CaseFactory(owner=personas.owner, team=case.team),
            item=f"deadline:{n}",
            level="due",
            title="Frist i dag",
            due_at=timezone.now(),
        )

    queries = counter(token_client(personas.owner), "/api/v1/reminders/")
    remind(0)
    small = queries()
    for n in range(1, 8):
        remind(n)
    assert queries() == small


def test_the_case_measures(case, org, personas, token_client):
    queries = counter(token_client(personas.owner), f"/api/v1/cases/{case.pk}/measures/")
    small = queries()
    for _ in range(4):
        f.assign(f.MeasureFactory(case=case), personas.other_therapist)
    assert queries() == small


def test_the_citizen_list_logs_a_page_in_one_insert(case, personas, org, token_client):
    from access.models import AccessLogEntry

    queries = counter(token_client(personas.owner), "/api/v1/citizens/")
    small = queries()
    for _ in range(6):
        f.CaseFactory(owner=personas.owner, team=org.team_a)
    before = AccessLogEntry.objects.count()

    assert queries() == small
    assert AccessLogEntry.objects.count() - before == 7  # one row per listed citizen
