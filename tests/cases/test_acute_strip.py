"""Issue 16, item 1: "24-hour judgements get lost".

The 24-hour judgements of notifications not yet made stand at the top of Mine sager and the
team overview in a strip of their own, with the time left and a link to the judgement page; a
case's row shows its most urgent deadline; "Næste frister" shows the time of day of a deadline
counted in hours, and lists by time remaining.
"""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases import services
from cases.models import Case, CaseStatus, Deadline, DeadlineRule, Notification
from cases.working_days import end_of_day
from demo import factories as f

MY_CASES = reverse("cases:my_cases")
TEAM = reverse("followups:team_overview")


def html(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def strip_of(page: str) -> str:
    """The strip's markup, or "" when the page has none."""
    match = re.search(r'<section class="acute-strip".*?</section>', page, re.S)
    return match.group(0) if match else ""


def add_deadline(case: Case, code: str, *, due_at: dt.datetime, met: bool = False) -> Deadline:
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code=code),
        due_at=due_at,
        met_at=due_at if met else None,
    )


def acute_for(case: Case, *, due_at: dt.datetime) -> Deadline:
    """A notification on ``case`` with its 24-hour judgement due at ``due_at``."""
    notification = f.NotificationFactory(case=case)
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code="acute_judgement"),
        due_at=due_at,
        notification=notification,
    )


def judgement_url(deadline: Deadline) -> str:
    return reverse(
        "cases:notification_acute",
        kwargs={"case_id": deadline.case_id, "notification_id": deadline.notification_id},
    )


def row_of(response, case: Case) -> dict:
    return next(r for r in response.context["rows"] if r["number"] == case.number)


# --- the finding, reproduced ------------------------------------------------------------------


def test_a_new_notification_on_a_case_with_an_overdue_assessment_is_at_the_top(
    login, org, personas
):
    """The usability test's finding: a child who already has a case with an overdue 4-month
    deadline gets a new notification. Its 24-hour judgement was visible nowhere on Mine sager
    and the row showed the older overdue deadline."""
    now = timezone.now()
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    add_deadline(case, "assessment", due_at=now - dt.timedelta(days=20))
    # Five other overdue deadlines fill "Næste frister" before the judgement.
    for i in range(5):
        other = f.CaseFactory(owner=personas.owner, team=org.team_a)
        add_deadline(other, "assessment", due_at=now - dt.timedelta(days=30 + i))
    notification = services.notification_register(
        user=personas.owner,
        citizen=case.citizen,
        received_at=now - dt.timedelta(hours=1),
        reporter_kind=Notification.ReporterKind.PRIVATE,
        reporter_name="Nabo",
        concern="Barnet var alene hjemme hele natten.",
    )
    assert notification.case_id == case.pk
    deadline = Deadline.objects.get(notification=notification, rule__code="acute_judgement")

    response = login(personas.owner).get(MY_CASES)
    page = html(response)
    strip = strip_of(page)
    assert strip, "no acute strip on Mine sager"
    assert case.citizen.full_name in strip and case.number in strip
    assert f'href="{judgement_url(deadline)}"' in strip
    assert re.search(r"2[23] t \d+ min tilbage", strip)
    # Above the list and the panel "Næste frister".
    assert page.index('class="acute-strip"') < page.index('id="next-deadlines-heading"')
    assert page.index('class="acute-strip"') < page.index('class="responsive case-list"')
    # The row shows the most urgent deadline, the judgement, and still says one more is overdue.
    row = row_of(response, case)
    assert row["deadline_title"] == "Vurdering af behov for akut hjælp"
    assert row["deadline_iso"] == timezone.localtime(deadline.due_at).isoformat()
    assert row["other_overdue"] == "+ 1 anden overskredet frist"


def test_the_row_shows_the_open_judgement_before_an_earlier_deadline_and_then_the_earliest(
    login, org, personas
):
    now = timezone.now()
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    add_deadline(case, "assessment", due_at=now - dt.timedelta(days=3))
    add_deadline(case, "receipt", due_at=now + dt.timedelta(days=2))
    acute = acute_for(case, due_at=now + dt.timedelta(hours=5))
    client = login(personas.owner)
    row = row_of(client.get(MY_CASES), case)
    assert row["deadline_title"] == "Vurdering af behov for akut hjælp"
    assert row["deadline_state"] == "due-soon"
    # Once judged, the earliest open deadline again: the overdue assessment.
    Deadline.objects.filter(pk=acute.pk).update(met_at=now)
    row = row_of(client.get(MY_CASES), case)
    assert row["deadline_title"] == "Børnefaglig undersøgelse afsluttet"
    assert row["deadline_state"] == "overdue"
    assert row["other_overdue"] == ""


# --- what the strip shows, and to whom --------------------------------------------------------


def test_the_strip_lists_overdue_first_then_soonest_with_time_left_in_words(login, org, personas):
    now = timezone.now()
    soon = f.CaseFactory(owner=personas.owner, team=org.team_a)
    late = f.CaseFactory(owner=personas.owner, team=org.team_a)
    acute_for(soon, due_at=now + dt.timedelta(hours=12, minutes=40, seconds=30))
    acute_for(late, due_at=now - dt.timedelta(hours=3, minutes=10))
    strip = strip_of(html(login(personas.owner).get(MY_CASES)))
    assert strip.index(late.number) < strip.index(soon.number)
    assert "Overskredet med 3 t" in strip
    assert "12 t 40 min tilbage" in strip
    # Accessible: a landmark region named by its heading; the time left is text.
    assert 'aria-labelledby="acute-strip-heading"' in strip
    assert '<h2 id="acute-strip-heading">Akutte vurderinger' in strip


def test_no_strip_without_open_judgements(login, org, personas):
    now = timezone.now()
    case = f.CaseFactory(owner=personas.owner, team=org.team_a)
    judged = acute_for(case, due_at=now + dt.timedelta(hours=3))
    Deadline.objects.filter(pk=judged.pk).update(met_at=now)
    handled = acute_for(case, due_at=now + dt.timedelta(hours=4))
    Deadline.objects.filter(pk=handled.pk).update(handled_otherwise_at=now)
    closed = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.CLOSED)
    acute_for(closed, due_at=now + dt.timedelta(hours=5))
    page = html(login(personas.owner).get(MY_CASES))
    assert strip_of(page) == ""
    assert "Akutte vurderinger" not in page


def test_a_caseworker_sees_its_own_and_a_lead_its_teams_judgements(login, org, personas):
    now = timezone.now()
    own = f.CaseFactory(owner=personas.owner, team=org.team_a)
    other_team = f.CaseFactory(owner=personas.colleague, team=org.team_b)
    acute_for(own, due_at=now + dt.timedelta(hours=2))
    acute_for(other_team, due_at=now + dt.timedelta(hours=1))

    owner_strip = strip_of(html(login(personas.owner).get(MY_CASES)))
    assert own.number in owner_strip and other_team.number not in owner_strip

    colleague_strip = strip_of(html(login(personas.colleague).get(MY_CASES)))
    assert other_team.number in colleague_strip and own.number not in colleague_strip

    # The lead of team A: the team's judgements with whose case it is, also when the list
    # below shows only its own cases; never team B's.
    lead = login(personas.team_lead)
    for params in ({}, {"scope": "mine"}):
        strip = strip_of(html(lead.get(MY_CASES, params)))
        assert own.number in strip, params
        assert personas.owner.get_full_name() in strip
        assert other_team.number not in strip


def test_a_colleagues_case_on_my_team_is_not_in_a_caseworkers_strip(login, org, personas):
    mate = f.UserFactory(username="mate", role=personas.owner.role)
    f.add_member(org.team_a, mate)
    theirs = f.CaseFactory(owner=mate, team=org.team_a)
    acute_for(theirs, due_at=timezone.now() + dt.timedelta(hours=2))
    assert strip_of(html(login(personas.owner).get(MY_CASES))) == ""


def test_the_strip_shows_at_most_ten_and_links_to_the_rest(login, org, personas):
    now = timezone.now()
    for i in range(12):
        acute_for(
            f.CaseFactory(owner=personas.owner, team=org.team_a),
            due_at=now + dt.timedelta(hours=i),
        )
    response = login(personas.owner).get(MY_CASES)
    strip = strip_of(html(response))
    assert strip.count('class="acute-strip__item') == 10
    assert "(10+)" in strip
    assert reverse("followups:deadline_list") + "?rule=acute_judgement" in strip


# --- the access log: the strip's cases in the page's one INSERT -------------------------------


def test_every_case_in_the_strip_is_logged_in_the_pages_one_insert(login, org, personas):
    now = timezone.now()
    listed = f.CaseFactory(owner=personas.owner, team=org.team_a)
    acute = f.CaseFactory(owner=personas.owner, team=org.team_a)
    acute_for(acute, due_at=now + dt.timedelta(hours=6))
    client = login(personas.owner)
    # A filter that leaves only the other case on the list: the strip still names its case.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(MY_CASES, {"q": listed.number})
    assert [r["number"] for r in response.context["rows"]] == [listed.number]
    assert acute.number in strip_of(html(response))
    inserts = [q["sql"] for q in captured if "INSERT" in q["sql"] and "access" in q["sql"]]
    assert len(inserts) == 1
    logged = AccessLogEntry.objects.filter(
        user=personas.owner, action=AccessLogEntry.Action.VIEW, target=MY_CASES
    ).values_list("case_id", flat=True)
    assert set(logged) == {listed.pk, acute.pk}


# --- the team overview -------------------------------------------------------------------------


def test_the_team_overview_has_the_strip_and_logs_exactly_its_cases(login, org, personas):
    now = timezone.now()
    team_case = f.CaseFactory(owner=personas.owner, team=org.team_a)
    quiet = f.CaseFactory(owner=personas.owner, team=org.team_a)
    other_team = f.CaseFactory(owner=personas.colleague, team=org.team_b)
    deadline = acute_for(team_case, due_at=now - dt.timedelta(minutes=30))
    acute_for(other_team, due_at=now + dt.timedelta(hours=1))
    page = html(login(personas.team_lead).get(TEAM))
    strip = strip_of(page)
    assert team_case.number in strip and other_team.number not in strip
    assert "Overskredet med 30 min" in strip
    assert f'href="{judgement_url(deadline)}"' in strip
    assert quiet.number not in page
    logged = AccessLogEntry.objects.filter(
        user=personas.team_lead, action=AccessLogEntry.Action.VIEW, target=TEAM
    ).values_list("case_id", "citizen_id")
    assert list(logged) == [(team_case.pk, team_case.citizen_id)]


# --- "Næste frister" ---------------------------------------------------------------------------


def test_next_deadlines_shows_the_time_of_a_deadline_counted_in_hours(login, org, personas):
    now = timezone.now()
    case = f.CaseFactory(owner=personas.owner, team=org.team_a)
    overdue = add_deadline(case, "assessment", due_at=now - dt.timedelta(days=2))
    acute = acute_for(case, due_at=now + dt.timedelta(hours=3))
    # A deadline counted in working days falls due at the end of its day (cases.working_days).
    later = add_deadline(
        case, "receipt", due_at=end_of_day(timezone.localdate(now) + dt.timedelta(days=3))
    )
    response = login(personas.owner).get(MY_CASES)
    assert [row.item_id for row in response.context["next_deadlines"]] == [
        overdue.pk,
        acute.pk,
        later.pk,
    ]
    page = html(response)
    panel = page[page.index('id="next-deadlines-heading"') :]
    panel = panel[: panel.index("</section>")]
    local = timezone.localtime(acute.due_at)
    assert f"{local:%d.%m.%Y} kl. {local:%H:%M}" in panel
    assert f'datetime="{local.isoformat()}"' in panel
    # A deadline counted in days or months has no time of day.
    assert f"{timezone.localtime(later.due_at):%d.%m.%Y} kl." not in panel


# --- the time left, in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (dt.timedelta(hours=12, minutes=40, seconds=59), (False, "12 t 40 min tilbage")),
        (dt.timedelta(hours=23, minutes=59), (False, "23 t 59 min tilbage")),
        (dt.timedelta(minutes=25), (False, "25 min tilbage")),
        (dt.timedelta(seconds=20), (False, "0 min tilbage")),
        (-dt.timedelta(hours=3, minutes=20), (True, "Overskredet med 3 t")),
        (-dt.timedelta(minutes=40), (True, "Overskredet med 40 min")),
        (-dt.timedelta(seconds=5), (True, "Overskredet med 1 min")),
        (-dt.timedelta(days=2, hours=1), (True, "Overskredet med 49 t")),
    ],
)
def test_time_left(delta, expected):
    from cases.selectors.lists import time_left

    now = timezone.now()
    assert time_left(now + delta, now) == expected


@pytest.mark.parametrize("url", [MY_CASES, TEAM])
def test_the_strip_keeps_the_query_count_constant(login, org, personas, url):
    """One SELECT for the strip and its cases in the page's one access-log INSERT, however
    many judgements are open (Mine sager: 9 queries, tests/cases/test_views_lists.py; the team
    overview: 11 with open judgements, 10 without, 9 before the strip)."""
    client = login(personas.team_lead)
    now = timezone.now()

    def add(n: int) -> None:
        for i in range(n):
            acute_for(
                f.CaseFactory(owner=personas.owner, team=org.team_a),
                due_at=now + dt.timedelta(hours=i - 2),
            )

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            html(client.get(url))
        return len(captured.captured_queries)

    add(2)
    small = count()
    add(25)
    assert count() == small == (9 if url == MY_CASES else 11)
