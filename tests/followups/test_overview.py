"""The reminder list, the header's unread count, the deadline list, the team overview and the
decision on support after 18: contents, filters, figures on hand-made data, links, and query
counts that do not grow with the data."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import CaseStatus, Deadline, DeadlineRule, JournalNote
from demo import factories as f
from followups.models import FollowUp, Reminder

REMINDERS = reverse("followups:reminder_list")
DEADLINES = reverse("followups:deadline_list")
TEAM = reverse("followups:team_overview")


def add_deadline(case, code, *, due_at, met_at=None, handled=False, measure=None) -> Deadline:
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code=code),
        due_at=due_at,
        met_at=met_at,
        measure=measure,
        handled_otherwise_at=timezone.now() if handled else None,
        handled_otherwise_reason="Mundtlig aftale." if handled else "",
    )


def add_reminder(user, case, *, n=0, level=Reminder.Level.OVERDUE, read=False, created=None):
    deadline = add_deadline(case, "assessment", due_at=timezone.now() - dt.timedelta(days=n + 1))
    return Reminder.objects.create(
        recipient=user,
        case=case,
        item=f"deadline:{deadline.pk}",
        level=level,
        title=f"Undersøgelse {n}",
        due_at=deadline.due_at,
        created_at=created or timezone.now() - dt.timedelta(minutes=n),
        read_at=timezone.now() if read else None,
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def local(year, month, day, hour=12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


# --- reminders --------------------------------------------------------------------------------


def test_reminder_list_shows_own_reminders_newest_first_with_level_due_and_case(
    case, personas, login
):
    now = timezone.now()
    old = add_reminder(personas.owner, case, n=1, created=now - dt.timedelta(days=2), read=True)
    new = add_reminder(personas.owner, case, n=2, created=now, level=Reminder.Level.ESCALATED)
    add_reminder(personas.team_lead, case, n=3)  # someone else's

    page = html(login(personas.owner).get(REMINDERS))

    assert page.index("Undersøgelse 2") < page.index("Undersøgelse 1")
    assert "Undersøgelse 3" not in page
    assert "Overskredet længe – til teamleder" in page
    assert timezone.localtime(new.due_at).strftime("%d.%m.%Y") in page
    assert f"{case.number} {case.citizen.full_name}" in page
    assert new.get_absolute_url() in page
    # Unread is marked in words, not colour alone; the read one is not.
    assert re.search(rf'id="reminder-{new.pk}" class="reminder reminder--unread"', page)
    assert re.search(rf'id="reminder-{old.pk}" class="reminder"', page)
    assert "Ulæst" in page


def test_reminder_list_filters_unread(case, personas, login):
    add_reminder(personas.owner, case, n=1, read=True)
    add_reminder(personas.owner, case, n=2)
    page = html(login(personas.owner).get(REMINDERS, {"show": "unread"}))
    assert "Undersøgelse 2" in page
    assert "Undersøgelse 1" not in page


def test_reminder_list_logs_each_case_it_names_once(case, org, personas, login):
    """Finding 6 of issue 14 (every list page): a reminder names its case and child."""
    other = f.CaseFactory(owner=personas.owner, team=org.team_a)
    add_reminder(personas.owner, case, n=1)
    add_reminder(personas.owner, case, n=2)
    add_reminder(personas.owner, other, n=3, read=True)
    client = login(personas.owner)
    client.get(REMINDERS, {"show": "unread"})
    assert viewed(personas.owner, REMINDERS) == [(case.pk, case.citizen_id)]
    assert not AccessLogEntry.objects.filter(case=other).exists()


def test_reminder_list_is_paginated(case, personas, login, settings):
    settings.PAGE_SIZE = 5
    for n in range(7):
        add_reminder(personas.owner, case, n=n)
    response = login(personas.owner).get(REMINDERS, {"page": 2})
    assert len(response.context["page_obj"]) == 2


def test_mark_read_without_javascript_redirects_back(case, personas, login):
    reminder = add_reminder(personas.owner, case)
    client = login(personas.owner)
    back = REMINDERS + "?show=unread"
    response = client.post(reverse("followups:reminder_read", args=[reminder.pk]), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    first = reminder.read_at
    client.post(reverse("followups:reminder_read", args=[reminder.pk]))
    reminder.refresh_from_db()
    assert reminder.read_at == first  # read once, the first time is kept


def test_mark_read_refuses_foreign_next(case, personas, login):
    reminder = add_reminder(personas.owner, case)
    response = login(personas.owner).post(
        reverse("followups:reminder_read", args=[reminder.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == REMINDERS


@pytest.mark.parametrize("url_name", ["reminder_read", "reminder_read_all"])
@pytest.mark.parametrize("back", ["2026-02-31", "x", "reminder_list", "javascript:alert(1)"])
def test_mark_read_with_a_next_that_is_not_a_path_goes_to_the_list(
    url_name, back, case, personas, login
):
    # redirect() would take a bare word for a view name and fail (found by tests/property).
    reminder = add_reminder(personas.owner, case)
    args = [reminder.pk] if url_name == "reminder_read" else []
    response = login(personas.owner).post(
        reverse(f"followups:{url_name}", args=args), {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == REMINDERS


def test_mark_read_with_htmx_answers_the_row_and_the_new_header_count(case, personas, login):
    first = add_reminder(personas.owner, case, n=1)
    add_reminder(personas.owner, case, n=2)
    response = login(personas.owner).post(
        reverse("followups:reminder_read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    body = html(response)
    assert f'id="reminder-{first.pk}"' in body
    assert "reminder--unread" not in body
    assert "Markér som læst" not in body
    assert 'id="nav-reminders" hx-swap-oob="true"' in body
    assert "(1<span" in body  # one left unread


def test_another_users_reminder_is_404_logged_and_unchanged(case, personas, login):
    reminder = add_reminder(personas.team_lead, case)
    url = reverse("followups:reminder_read", args=[reminder.pk])
    response = login(personas.owner).post(url)
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", target=url, case=case
    ).exists()


def test_mark_all_read_touches_only_own_unread(case, personas, login):
    mine = [add_reminder(personas.owner, case, n=n) for n in range(3)]
    theirs = add_reminder(personas.team_lead, case, n=9)
    response = login(personas.owner).post(reverse("followups:reminder_read_all"))
    assert response.status_code == 302
    assert all(Reminder.objects.get(pk=r.pk).read_at for r in mine)
    assert Reminder.objects.get(pk=theirs.pk).read_at is None


def test_header_shows_unread_count_with_an_accessible_name(case, personas, login):
    for n in range(3):
        add_reminder(personas.owner, case, n=n)
    add_reminder(personas.owner, case, n=5, read=True)
    page = html(login(personas.owner).get(reverse("cases:my_cases")))
    link = re.search(r'<li id="nav-reminders"><a href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None
    assert link.group(1) == REMINDERS
    name = re.sub(r"<[^>]+>", "", link.group(2))
    assert " ".join(name.split()) == "Påmindelser (3 ulæste)"


def test_header_has_no_count_when_all_read_and_no_badge_for_families(case, personas, login):
    add_reminder(personas.owner, case, read=True)
    page = html(login(personas.owner).get(reverse("cases:my_cases")))
    assert "nav-count" not in page
    assert 'id="nav-reminders"' in page
    family_page = login(personas.family_user).get(reverse("family:home"))
    assert 'id="nav-reminders"' not in family_page.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_header_count_is_one_query_whatever_the_number(case, personas, login, n):
    for i in range(n):
        add_reminder(personas.owner, case, n=i)
    client = login(personas.owner)
    client.get(REMINDERS)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        page = html(client.get(reverse("followups:deadline_list")))
    counts = [q for q in captured.captured_queries if "followups_reminder" in q["sql"]]
    assert len(counts) == 1
    assert f"({n}<span" in page


# --- the deadline list ------------------------------------------------------------------------


@pytest.fixture
def lists(case, org, personas):
    """Open items of every kind on the owner's case and a team colleague's case."""
    now = timezone.now()
    mate = f.UserFactory(username="mate", role=Role.CASEWORKER, first_name="Mette")
    f.add_member(org.team_a, mate)
    mates_case = f.CaseFactory(owner=mate, team=org.team_a, status=CaseStatus.ASSESSMENT)
    measure = case.measures.get()
    return {
        "overdue": add_deadline(case, "assessment", due_at=now - dt.timedelta(days=3)),
        "week": add_deadline(case, "receipt", due_at=now + dt.timedelta(days=2)),
        "later": add_deadline(case, "after_18", due_at=now + dt.timedelta(days=60)),
        "met": add_deadline(case, "acute_judgement", due_at=now, met_at=now),
        "followup": FollowUp.objects.create(
            case=case,
            measure=measure,
            number=2,
            due_on=timezone.localdate() - dt.timedelta(days=1),
        ),
        "mates": add_deadline(mates_case, "acute_judgement", due_at=now - dt.timedelta(hours=5)),
        "mate": mate,
        "mates_case": mates_case,
    }


def rows(response):
    return list(response.context["page_obj"])


def test_deadline_list_shows_open_items_overdue_first_with_legal_reference(
    lists, case, personas, login
):
    response = login(personas.owner).get(DEADLINES)
    page = html(response)
    titles = [r.title for r in rows(response)]
    assert titles == [
        "Børnefaglig undersøgelse afsluttet",
        "2. opfølgning på indsatsen",
        "Kvittering til fagperson, der har underrettet",
        "Afgørelse om støtte efter det fyldte 18. år",
    ]
    assert rows(response)[0].is_overdue and rows(response)[1].is_overdue
    assert not rows(response)[2].is_overdue
    assert "Barnets Lov § 20, stk. 3" in page
    assert "Barnets Lov § 95, stk. 3" in page
    assert reverse("cases:case_detail", args=[case.pk]) in page
    assert f"{case.number} {case.citizen.full_name}" in page
    assert timezone.localtime(lists["overdue"].due_at).strftime("%d.%m.%Y") in page
    # The caseworker starts with only their own cases: the team mate's is left out.
    assert lists["mates_case"].number not in page
    # The after-18 row links to the decision form.
    assert reverse("followups:after_18_decision", args=[case.pk]) in page


def test_first_followup_is_listed_once_as_its_followup(case, personas, login):
    measure = case.measures.get()
    deadline = add_deadline(
        case, "first_followup", due_at=timezone.now() + dt.timedelta(days=5), measure=measure
    )
    FollowUp.objects.create(
        case=case, measure=measure, number=1, due_on=timezone.localdate(), deadline=deadline
    )
    response = login(personas.owner).get(DEADLINES)
    listed = rows(response)
    assert [(r.kind, r.title, r.legal_reference) for r in listed] == [
        ("followup", "Første opfølgning på indsatsen", "Barnets Lov § 95")
    ]


def test_deadline_list_filters(lists, case, personas, login):
    client = login(personas.owner)
    overdue = rows(client.get(DEADLINES, {"state": "overdue"}))
    assert {r.title for r in overdue} == {
        "Børnefaglig undersøgelse afsluttet",
        "2. opfølgning på indsatsen",
    }
    week = rows(client.get(DEADLINES, {"state": "week"}))
    assert [r.title for r in week] == ["Kvittering til fagperson, der har underrettet"]
    by_rule = rows(client.get(DEADLINES, {"rule": "after_18"}))
    assert [r.item_id for r in by_rule] == [lists["later"].pk]
    later = rows(client.get(DEADLINES, {"rule": "followup"}))
    assert [r.item_id for r in later] == [lists["followup"].pk]
    # "All I may see" is still only what the caseworker may see: not the team mate's case.
    everything = rows(client.get(DEADLINES, {"scope": "all"}))
    assert len(everything) == 4
    assert lists["mates"].pk not in {r.item_id for r in everything if r.kind == "deadline"}
    # Unknown values fall back to the defaults rather than failing.
    assert len(rows(client.get(DEADLINES, {"state": "bogus", "rule": "x"}))) == 4


def test_team_lead_sees_the_team_and_filters_by_worker(lists, case, personas, login):
    client = login(personas.team_lead)
    all_rows = rows(client.get(DEADLINES))
    assert {r.case_number for r in all_rows} == {case.number, lists["mates_case"].number}
    mates = rows(client.get(DEADLINES, {"worker": lists["mate"].pk}))
    assert {r.case_number for r in mates} == {lists["mates_case"].number}
    # A worker who is not on the lead's teams is ignored, not obeyed.
    outsider = rows(client.get(DEADLINES, {"worker": personas.colleague.pk}))
    assert len(outsider) == len(all_rows)


def test_caseworker_cannot_filter_by_worker(lists, personas, login):
    response = login(personas.owner).get(DEADLINES, {"worker": lists["mate"].pk})
    assert lists["mates_case"].number not in html(response)


def test_deadline_list_never_shows_invisible_cases(lists, case, personas, login):
    theirs = f.CaseFactory(owner=personas.colleague, status=CaseStatus.ASSESSMENT)
    add_deadline(theirs, "assessment", due_at=timezone.now() - dt.timedelta(days=1))
    for user in (personas.owner, personas.team_lead, personas.therapist):
        page = html(login(user).get(DEADLINES, {"scope": "all"}))
        assert theirs.number not in page
    therapist_rows = rows(login(personas.therapist).get(DEADLINES))
    assert {r.case_number for r in therapist_rows} == {case.number}
    # A therapist sees the rows but may not record the decision.
    assert reverse("followups:after_18_decision", args=[case.pk]) not in html(
        login(personas.therapist).get(DEADLINES)
    )


def test_closed_cases_and_met_deadlines_are_not_open_items(case, personas, login):
    add_deadline(case, "assessment", due_at=timezone.now(), met_at=timezone.now())
    closed = f.CaseFactory(owner=personas.owner, status=CaseStatus.CLOSED)
    add_deadline(closed, "assessment", due_at=timezone.now())
    assert rows(login(personas.owner).get(DEADLINES)) == []


def viewed(user, path: str) -> list[tuple]:
    rows = AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.VIEW, target=path)
    return list(rows.order_by("id").values_list("case_id", "citizen_id"))


def test_deadline_list_logs_one_row_per_case_shown(lists, case, personas, login):
    """Finding 6 of issue 14: the deadline list showed children's names and case numbers and
    wrote nothing to the access log. Four rows of one case: one row in the log."""
    response = login(personas.owner).get(DEADLINES)
    assert {r.case_id for r in rows(response)} == {case.pk}
    assert viewed(personas.owner, DEADLINES) == [(case.pk, case.citizen_id)]
    # The team mate's case is not on the caseworker's list, so it was not read.
    assert not AccessLogEntry.objects.filter(case=lists["mates_case"]).exists()


def test_deadline_list_logs_the_page_shown_and_no_other(lists, case, personas, login):
    client = login(personas.team_lead)
    response = client.get(DEADLINES, {"worker": lists["mate"].pk})
    assert {r.case_id for r in rows(response)} == {lists["mates_case"].pk}
    mates_case = lists["mates_case"]
    assert viewed(personas.team_lead, DEADLINES) == [(mates_case.pk, mates_case.citizen_id)]
    client.get(DEADLINES, {"state": "handled"})  # nothing there: nothing read, nothing logged
    assert len(viewed(personas.team_lead, DEADLINES)) == 1


def test_deadline_list_logs_only_its_current_page(org, personas, login, settings):
    settings.PAGE_SIZE = 2
    now = timezone.now()
    cases = [f.CaseFactory(owner=personas.owner, team=org.team_a) for _ in range(3)]
    for i, c in enumerate(cases):
        add_deadline(c, "assessment", due_at=now + dt.timedelta(days=i + 1))
    client = login(personas.owner)
    client.get(DEADLINES)
    assert viewed(personas.owner, DEADLINES) == [(c.pk, c.citizen_id) for c in cases[:2]]
    client.get(DEADLINES, {"page": 2})
    assert viewed(personas.owner, DEADLINES)[2:] == [(cases[2].pk, cases[2].citizen_id)]


def test_the_team_overview_names_only_the_acute_strips_cases_and_logs_those(
    team_data, personas, login
):
    """The team overview shows figures per caseworker and no other child or case number than
    those of the strip of 24-hour judgements not yet made (issue 16): it logs exactly those
    (the deadlines behind a figure are the deadline list's, logged there)."""
    c1, c2, c3 = team_data["cases"]
    page = html(login(personas.team_lead).get(TEAM))
    # c2's judgement is overdue and c1's due tomorrow: both in the strip; c3 has none.
    for c in (c1, c2):
        assert c.number in page
        assert c.citizen.full_name in page
    assert c3.number not in page
    assert c3.citizen.full_name not in page
    logged = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW)
    assert sorted(map(str, logged.values_list("case_id", flat=True))) == sorted(
        [str(c1.pk), str(c2.pk)]
    )


def test_id_filters_out_of_range_fall_back_to_the_defaults(lists, case, personas, login):
    """Finding 8 of issue 14: a filter value beyond the range of the ids is no 500 (SQLite
    cannot even bind it; tests/demo/test_demo_sqlite.py asks on SQLite)."""
    client = login(personas.team_lead)
    default = rows(client.get(DEADLINES))
    for value in (str(2**63), str(2**64), "-1", "0", "1e400", "1.5", "١"):
        response = client.get(DEADLINES, {"worker": value, "team": value})
        assert len(rows(response)) == len(default), value


def test_my_cases_shows_the_next_five_deadlines(case, personas, login):
    now = timezone.now()
    for days in range(7):
        add_deadline(case, "assessment", due_at=now + dt.timedelta(days=days - 1))
    response = login(personas.owner).get(reverse("cases:my_cases"))
    page = html(response)
    panel = page[page.index('id="next-deadlines-heading"') : page.index("</section>")]
    assert panel.count("<li>") == 5
    assert "Overskredet" in panel
    assert "Barnets Lov § 20, stk. 3" in panel
    assert DEADLINES in panel


# --- the team overview: figures on hand-made data ---------------------------------------------


@pytest.fixture
def team_data(org, personas):
    """Deadlines due in the last 12 months with every outcome, for two workers on team A."""
    now = timezone.now()
    mate = f.UserFactory(username="mate", role=Role.CASEWORKER, first_name="Mette")
    f.add_member(org.team_a, mate)
    owner = personas.owner

    def new_case(user, status=CaseStatus.MEASURE):
        return f.CaseFactory(owner=user, team=org.team_a, status=status)

    c1, c2, c3 = new_case(owner), new_case(owner), new_case(mate)
    new_case(owner, status=CaseStatus.CLOSED)  # not in the caseload
    ago = now - dt.timedelta(days=30)
    # Acute judgements for the owner: 2 on time, 1 late, 1 handled otherwise, 1 missed.
    add_deadline(c1, "acute_judgement", due_at=ago, met_at=ago - dt.timedelta(hours=3))
    add_deadline(c1, "acute_judgement", due_at=ago, met_at=ago)
    add_deadline(c2, "acute_judgement", due_at=ago, met_at=ago + dt.timedelta(hours=1))
    add_deadline(c2, "acute_judgement", due_at=ago, handled=True)
    add_deadline(c2, "acute_judgement", due_at=now - dt.timedelta(days=2))  # missed, overdue
    # Outside the window: not counted.
    add_deadline(c1, "acute_judgement", due_at=now - dt.timedelta(days=400), met_at=now)
    # Due later: not counted in compliance, not overdue.
    add_deadline(c1, "acute_judgement", due_at=now + dt.timedelta(days=1))
    # Receipts for the mate: 1 on time, 1 late.
    add_deadline(c3, "receipt", due_at=ago, met_at=ago - dt.timedelta(days=1))
    add_deadline(c3, "receipt", due_at=ago, met_at=ago + dt.timedelta(days=1))
    # A follow-up not held past its day: overdue for the mate.
    measure = f.MeasureFactory(case=c3, provider_team=org.family_house)
    FollowUp.objects.create(
        case=c3, measure=measure, number=2, due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    # Another team's deadlines never count.
    other = f.CaseFactory(owner=personas.colleague, team=org.team_b, status=CaseStatus.MEASURE)
    add_deadline(other, "acute_judgement", due_at=ago, met_at=ago)
    return {"mate": mate, "cases": (c1, c2, c3)}


def member(response, user):
    table = response.context["tables"][0]
    return next(r for r in table["members"] if r["user"] == user)


def cell(row, code):
    return next(c for c in row["compliance"] if c["code"] == code)


def test_team_overview_figures(team_data, personas, login):
    response = login(personas.team_lead).get(TEAM)
    page = html(response)
    owner = member(response, personas.owner)
    mate = member(response, team_data["mate"])
    lead = member(response, personas.team_lead)
    total = response.context["tables"][0]["total"]

    assert owner["figures"].caseload == 2
    assert mate["figures"].caseload == 1
    assert lead["figures"].caseload == 0
    assert total["figures"].caseload == 3

    assert owner["figures"].overdue == 1  # the missed judgement
    assert mate["figures"].overdue == 1  # the follow-up
    assert total["figures"].overdue == 2

    acute = cell(owner, "acute_judgement")["figure"]
    assert (acute.on_time, acute.late, acute.handled, acute.missed) == (2, 1, 1, 1)
    assert acute.share == 50  # 2 of 4; handled otherwise is counted apart
    receipt = cell(mate, "receipt")["figure"]
    assert (receipt.on_time, receipt.late, receipt.share) == (1, 1, 50)
    assert cell(owner, "receipt")["figure"].share is None
    team_acute = cell(total, "acute_judgement")["figure"]
    assert (team_acute.on_time, team_acute.counted) == (2, 4)

    assert "50 % til tiden" in page
    assert "Ingen frister" in page
    assert "1 håndteret på anden vis" in page
    assert "Team Syd" not in page


def test_team_overview_figures_link_to_the_deadlines_behind_them(team_data, personas, login):
    client = login(personas.team_lead)
    response = client.get(TEAM)
    owner = member(response, personas.owner)
    acute = cell(owner, "acute_judgement")
    expected = {
        "on_time_url": 2,
        "late_url": 1,
        "handled_url": 1,
        "missed_url": 1,
    }
    for key, count in expected.items():
        url = acute[key]
        assert url in html(response).replace("&amp;", "&")
        query = parse_qs(urlparse(url).query)
        assert query["worker"] == [str(personas.owner.pk)]
        assert query["rule"] == ["acute_judgement"]
        listed = rows(client.get(url))
        assert len(listed) == count, key
        assert {r.owner_id for r in listed} == {personas.owner.pk}
    overdue = rows(client.get(owner["overdue_url"]))
    assert len(overdue) == owner["figures"].overdue
    mate = member(response, team_data["mate"])
    assert [r.kind for r in rows(client.get(mate["overdue_url"]))] == ["followup"]
    total = response.context["tables"][0]["total"]
    team_on_time = rows(client.get(cell(total, "acute_judgement")["on_time_url"]))
    assert len(team_on_time) == 2


def test_team_overview_counts_met_exactly_at_the_deadline_as_on_time(org, personas, login):
    c = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    due = timezone.now() - dt.timedelta(days=10)
    add_deadline(c, "assessment", due_at=due, met_at=due)
    add_deadline(c, "first_followup", due_at=due, met_at=due + dt.timedelta(seconds=1))
    response = login(personas.team_lead).get(TEAM)
    owner = member(response, personas.owner)
    assert cell(owner, "assessment")["figure"].share == 100
    assert cell(owner, "first_followup")["figure"].share == 0


def test_team_overview_is_404_and_logged_for_non_leads(personas, login, case):
    for user in (personas.owner, personas.therapist, personas.family_user):
        response = login(user).get(TEAM)
        assert response.status_code == 404
        assert AccessLogEntry.objects.filter(user=user, action="denied", target=TEAM).exists()


# --- the decision on support after 18 ---------------------------------------------------------


def test_after_18_decision_meets_the_deadline_and_writes_the_journal(case, personas, login):
    deadline = add_deadline(case, "after_18", due_at=timezone.now() + dt.timedelta(days=30))
    url = reverse("followups:after_18_decision", args=[case.pk])
    client = login(personas.owner)
    page = html(client.get(url))
    assert "Barnets Lov § 111" in page
    decided = timezone.localdate()
    response = client.post(
        url, {"decided_on": decided.isoformat(), "decision": "Efterværn med kontaktperson."}
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assert JournalNote.objects.filter(case=case, text__contains="kontaktperson").exists()


def test_after_18_decision_errors_are_shown_and_nothing_saved(case, personas, login):
    deadline = add_deadline(case, "after_18", due_at=timezone.now() + dt.timedelta(days=30))
    url = reverse("followups:after_18_decision", args=[case.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = login(personas.owner).post(url, {"decided_on": future, "decision": "Ja"})
    page = html(response)
    assert "Datoen kan ikke ligge i fremtiden." in page
    assert 'aria-invalid="true"' in page
    deadline.refresh_from_db()
    assert deadline.met_at is None
    response = login(personas.owner).post(url, {"decided_on": "", "decision": ""})
    assert "Skriv afgørelsen." in html(response)


# --- query counts do not grow with the data ---------------------------------------------------


def grow(org, personas, n):
    now = timezone.now()
    mate = f.UserFactory(username="mate", role=Role.CASEWORKER)
    f.add_member(org.team_a, mate)
    for i in range(n):
        owner = personas.owner if i % 2 else mate
        c = f.CaseFactory(owner=owner, team=org.team_a, status=CaseStatus.MEASURE)
        add_deadline(c, "acute_judgement", due_at=now - dt.timedelta(days=i + 1), met_at=now)
        add_deadline(c, "receipt", due_at=now - dt.timedelta(days=i + 1))
        add_deadline(c, "assessment", due_at=now + dt.timedelta(days=i), handled=i % 3 == 0)
        measure = f.MeasureFactory(case=c, provider_team=org.family_house)
        FollowUp.objects.create(case=c, measure=measure, number=2, due_on=now.date())
        add_reminder(owner, c, n=i)


def query_count(client, url, **params) -> int:
    client.get(url, params)  # warm the session and anything cached per process
    with CaptureQueriesContext(connection) as captured:
        html(client.get(url, params))
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("user", "url", "params"),
    [
        ("owner", DEADLINES, {}),
        ("team_lead", DEADLINES, {}),
        ("team_lead", DEADLINES, {"state": "on_time", "rule": "acute_judgement"}),
        ("team_lead", TEAM, {}),
        ("owner", REMINDERS, {}),
    ],
)
def test_query_count_is_constant_as_data_grows(org, personas, login, user, url, params):
    client = login(getattr(personas, user))
    grow(org, personas, 3)
    small = query_count(client, url, **params)
    grow_more = 27
    now = timezone.now()
    for i in range(grow_more):
        c = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
        add_deadline(c, "acute_judgement", due_at=now - dt.timedelta(days=i + 1), met_at=now)
        add_deadline(c, "receipt", due_at=now - dt.timedelta(days=i + 1))
        add_reminder(personas.owner, c, n=i)
    large = query_count(client, url, **params)
    assert small == large
    assert small <= 10
