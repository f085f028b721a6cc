"""The therapist's session log: drafts, logging and its rules, atomicity, who may write, and
the pages (autosave fragment, errors per field, the list, query counts)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import FamilyMember, HoursStep, Measure
from demo import factories as f
from followups import sessions as services
from followups.models import Session
from followups.sessions import SessionData
from plans import services as plan_services
from plans.models import Area, Goal

TODAY = dt.date(2026, 3, 18)


@pytest.fixture(autouse=True)
def _frozen_time():
    # 14:30 local time on a Wednesday; the measure starts on TODAY (see ``measure``).
    with time_machine.travel(dt.datetime(2026, 3, 18, 14, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def measure(case) -> Measure:
    measure = case.measures.get()
    measure.start_date = TODAY - dt.timedelta(days=60)
    measure.save()
    return measure


@pytest.fixture
def goal(case, personas) -> Goal:
    plan = plan_services.plan_create(case=case, user=personas.owner)
    return plan_services.plan_goal_add(
        plan=plan, area=Area.FAMILY, family_wording="Vi spiser aftensmad sammen"
    )


@pytest.fixture
def parent(case) -> FamilyMember:
    return FamilyMember.objects.get(
        family__members__citizen=case.citizen, is_child=False, user__isnull=False
    )


@pytest.fixture
def draft(case, measure, personas) -> Session:
    return services.session_start(case=case, user=personas.therapist, measure=measure)


def complete(goal: Goal | None = None, parent: FamilyMember | None = None, **kw) -> SessionData:
    values = {
        "date": TODAY - dt.timedelta(days=1),
        "start_time": dt.time(10, 0),
        "duration_minutes": 60,
        "location": Session.Location.HOME,
        "methods": [Session.Method.FAMILY_CONVERSATION],
        "goals": [goal] if goal else [],
        "family_participants": [parent] if parent else [],
        "internal_note": "Mor var træt, men deltog.",
        "family_summary": "Vi talte om aftenerne.",
    }
    values.update(kw)
    return SessionData(**values)


# --- drafts ------------------------------------------------------------------------------------


def test_a_new_draft_has_today_and_the_current_minute(draft, personas, measure):
    assert draft.status == Session.Status.DRAFT
    assert draft.therapist == personas.therapist
    assert draft.measure == measure
    assert draft.date == TODAY
    assert draft.start_time == dt.time(15, 30)  # 14:30 UTC is 15:30 in Copenhagen in March


def test_a_draft_takes_partial_data_and_keeps_the_rest(case, draft, personas):
    services.session_draft_save(
        case=case, user=personas.therapist, session=draft, data=SessionData(internal_note="Mor")
    )
    services.session_draft_save(
        case=case,
        user=personas.therapist,
        session=draft,
        data=SessionData(location=Session.Location.SHOPPING, duration_minutes=None),
    )
    draft.refresh_from_db()
    assert draft.internal_note == "Mor"
    assert draft.location == Session.Location.SHOPPING
    assert draft.date == TODAY
    assert draft.is_draft


def test_a_draft_can_be_created_in_one_call(case, measure, personas):
    session = services.session_draft_save(
        case=case, user=personas.therapist, measure=measure, data=SessionData(internal_note="x")
    )
    assert session.is_draft and session.internal_note == "x"


def test_a_draft_keeps_an_over_long_note_that_logging_refuses(case, draft, personas, goal):
    long_note = "a" * (services.INTERNAL_NOTE_MAX + 1)
    services.session_draft_save(
        case=case,
        user=personas.therapist,
        session=draft,
        data=complete(goal, internal_note=long_note),
    )
    draft.refresh_from_db()
    assert draft.internal_note == long_note
    with pytest.raises(ValidationError) as error:
        services.session_log(case=case, user=personas.therapist, session=draft)
    assert set(error.value.message_dict) == {"internal_note"}


def test_methods_are_stored_once_in_list_order(case, draft, personas):
    services.session_draft_save(
        case=case,
        user=personas.therapist,
        session=draft,
        data=SessionData(methods=["video_feedback", "guidance", "video_feedback"]),
    )
    draft.refresh_from_db()
    assert draft.methods == ["guidance", "video_feedback"]


def test_only_the_drafts_own_therapist_may_change_it(case, draft, measure, org):
    second = f.UserFactory(username="second", role=Role.THERAPIST)
    f.assign(measure, second)
    with pytest.raises(PermissionDenied):
        services.session_draft_save(
            case=case, user=second, session=draft, data=SessionData(internal_note="Mit")
        )
    with pytest.raises(PermissionDenied):
        services.session_log(case=case, user=second, session=draft)
    with pytest.raises(PermissionDenied):
        services.session_delete_draft(case=case, user=second, session=draft)
    draft.refresh_from_db()
    assert draft.internal_note == ""


@pytest.mark.parametrize("who", ["owner", "team_lead", "other_therapist"])
def test_only_assigned_therapists_start_sessions(case, measure, personas, who):
    with pytest.raises(ValidationError) as error:
        services.session_start(case=case, user=getattr(personas, who), measure=measure)
    assert "measure" in error.value.message_dict
    assert not Session.objects.exists()


def test_no_sessions_on_an_ended_measure_or_a_closed_case(case, measure, personas):
    measure.ended_on = TODAY
    measure.save()
    with pytest.raises(ValidationError):
        services.session_start(case=case, user=personas.therapist, measure=measure)
    measure.ended_on = None
    measure.save()
    case.status = "closed"
    case.save()
    with pytest.raises(ValidationError):
        services.session_start(case=case, user=personas.therapist, measure=measure)


def test_a_psychologist_assigned_to_the_measure_may_log(case, measure, goal):
    psychologist = f.UserFactory(username="psych", role=Role.PSYCHOLOGIST)
    f.assign(measure, psychologist)
    session = services.session_start(case=case, user=psychologist, measure=measure)
    services.session_log(case=case, user=psychologist, session=session, data=complete(goal))
    assert Session.objects.get(pk=session.pk).status == Session.Status.LOGGED


def test_the_measure_must_be_one_the_therapist_is_assigned_to(case, draft, personas, org):
    other_measure = f.MeasureFactory(case=case, provider_team=org.family_house)
    with pytest.raises(ValidationError) as error:
        services.session_draft_save(
            case=case,
            user=personas.therapist,
            session=draft,
            data=SessionData(measure=other_measure),
        )
    assert "measure" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.measure_id != other_measure.pk


# --- logging -----------------------------------------------------------------------------------


def test_logging_a_complete_session(case, draft, personas, goal, parent):
    logged = services.session_log(
        case=case, user=personas.therapist, session=draft, data=complete(goal, parent)
    )
    assert logged.status == Session.Status.LOGGED
    assert logged.logged_at == timezone.now()
    assert list(logged.goals.all()) == [goal]
    assert list(logged.family_participants.all()) == [parent]
    with pytest.raises(ValidationError):
        services.session_draft_save(
            case=case, user=personas.therapist, session=draft, data=SessionData(internal_note="y")
        )
    with pytest.raises(ValidationError):
        services.session_delete_draft(case=case, user=personas.therapist, session=draft)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": None}, "date"),
        ({"date": TODAY + dt.timedelta(days=1)}, "date"),
        ({"date": TODAY - dt.timedelta(days=61)}, "date"),  # before the measure started
        ({"start_time": None}, "start_time"),
        ({"date": TODAY, "start_time": dt.time(16, 0)}, "start_time"),  # later than now (15:30)
        ({"duration_minutes": None}, "duration_minutes"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"location": ""}, "location"),
        ({"location": Session.Location.OTHER, "location_other": " "}, "location_other"),
        ({"methods": []}, "methods"),
        ({"family_summary": "b" * (services.FAMILY_SUMMARY_MAX + 1)}, "family_summary"),
    ],
)
def test_logging_checks_every_rule(case, draft, personas, goal, changes, field):
    with pytest.raises(ValidationError) as error:
        services.session_log(
            case=case, user=personas.therapist, session=draft, data=complete(goal, **changes)
        )
    assert set(error.value.message_dict) == {field}
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("boundary", [5, 720])
def test_duration_boundaries_are_allowed(case, draft, personas, boundary):
    services.session_log(
        case=case,
        user=personas.therapist,
        session=draft,
        data=complete(duration_minutes=boundary),
    )
    assert Session.objects.get(pk=draft.pk).duration_minutes == boundary


def test_other_location_with_text_and_the_measure_start_day_are_fine(
    case, draft, personas, measure
):
    services.session_log(
        case=case,
        user=personas.therapist,
        session=draft,
        data=complete(
            date=measure.start_date, location=Session.Location.OTHER, location_other="Stranden"
        ),
    )
    assert Session.objects.get(pk=draft.pk).location_other == "Stranden"


def test_goals_must_belong_to_the_cases_plan(case, draft, personas, org):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    other_plan = plan_services.plan_create(case=other, user=personas.owner)
    foreign = plan_services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="Sove")
    with pytest.raises(ValidationError) as error:
        services.session_log(
            case=case, user=personas.therapist, session=draft, data=complete(foreign)
        )
    assert "goals" in error.value.message_dict
    assert not draft.goals.exists()


def test_family_participants_must_belong_to_the_childs_family(case, draft, personas):
    stranger = FamilyMember.objects.filter(user=personas.other_family_user).get()
    with pytest.raises(ValidationError) as error:
        services.session_log(
            case=case, user=personas.therapist, session=draft, data=complete(parent=stranger)
        )
    assert "family_participants" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.FAMILY, Role.TEAM_LEAD])
def test_the_second_therapist_must_be_a_therapist_or_psychologist(case, draft, personas, role):
    wrong = f.UserFactory(username=f"wrong-{role}", role=role)
    with pytest.raises(ValidationError) as error:
        services.session_log(
            case=case, user=personas.therapist, session=draft, data=complete(second_therapist=wrong)
        )
    assert "second_therapist" in error.value.message_dict


def test_a_second_therapist_is_recorded(case, draft, personas, goal):
    services.session_log(
        case=case,
        user=personas.therapist,
        session=draft,
        data=complete(goal, second_therapist=personas.other_therapist),
    )
    assert Session.objects.get(pk=draft.pk).second_therapist == personas.other_therapist


def test_logging_is_atomic_nothing_is_half_saved(case, draft, personas, goal, parent):
    services.session_draft_save(
        case=case, user=personas.therapist, session=draft, data=SessionData(internal_note="Før")
    )
    with pytest.raises(ValidationError):
        services.session_log(
            case=case,
            user=personas.therapist,
            session=draft,
            data=complete(goal, parent, internal_note="Efter", methods=[]),
        )
    draft.refresh_from_db()
    assert draft.internal_note == "Før"
    assert not draft.goals.exists()
    assert not draft.family_participants.exists()
    assert draft.is_draft and draft.logged_at is None


def test_logging_after_being_taken_off_the_measure_is_refused(case, draft, personas, goal):
    services.session_draft_save(
        case=case, user=personas.therapist, session=draft, data=complete(goal)
    )
    draft.measure.assignments.filter(user=personas.therapist).delete()
    with pytest.raises(ValidationError) as error:
        services.session_log(case=case, user=personas.therapist, session=draft)
    assert "measure" in error.value.message_dict


def test_deleting_a_draft(case, draft, personas):
    services.session_delete_draft(case=case, user=personas.therapist, session=draft)
    assert not Session.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def edit_url(case, session) -> str:
    return reverse("followups:session_edit", args=[case.pk, session.pk])


def form_post(goal=None, parent=None, **kw) -> dict:
    data = {
        "date": (TODAY - dt.timedelta(days=1)).isoformat(),
        "start_time": "10:00",
        "duration_preset": "45",
        "duration_minutes": "",
        "location": Session.Location.HOME,
        "location_other": "",
        "methods": [Session.Method.FAMILY_CONVERSATION, Session.Method.STRUCTURE],
        "family_participants": [parent.pk] if parent else [],
        "network_participants": "Mormor",
        "second_therapist": "",
        "goals": [goal.pk] if goal else [],
        "internal_note": "Intern iagttagelse",
        "family_summary": "Godt møde",
    }
    data.update(kw)
    return data


def test_new_session_creates_a_draft_and_opens_it(case, measure, personas, login):
    client = login(personas.therapist)
    response = client.post(reverse("followups:session_new", args=[case.pk]))
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(case, session)
    page = client.get(edit_url(case, session)).content.decode()
    assert 'value="2026-03-18"' in page and 'value="15:30"' in page
    assert 'hx-post="' + reverse("followups:session_autosave", args=[case.pk, session.pk]) in page
    assert 'aria-live="polite"' in page
    assert "<script>" not in page and "onclick" not in page


def test_autosave_keeps_the_draft_and_answers_a_status(case, draft, personas, login, goal):
    client = login(personas.therapist)
    url = reverse("followups:session_autosave", args=[case.pk, draft.pk])
    response = client.post(
        url,
        form_post(goal, internal_note="Halvt skrevet", duration_minutes="abc"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kladde gemt 15:30" in body
    assert "Andet antal minutter" in body  # the half-typed minutes are named, not saved
    assert "<html" not in body
    draft.refresh_from_db()
    assert draft.internal_note == "Halvt skrevet"
    assert draft.duration_minutes == 45
    assert list(draft.goals.all()) == [goal]
    # Reopening the draft shows everything.
    page = client.get(edit_url(case, draft)).content.decode()
    assert "Halvt skrevet" in page and "Mormor" in page
    assert re.search(rf'<input type="checkbox" name="goals" value="{goal.pk}"[^>]* checked', page)
    assert re.search(r'<input type="radio" name="duration_preset" value="45"[^>]* checked', page)


def test_a_custom_duration_is_taken_from_the_number_with_other(case, draft, personas, login):
    client = login(personas.therapist)
    url = reverse("followups:session_autosave", args=[case.pk, draft.pk])
    client.post(url, form_post(duration_preset="other", duration_minutes="75"))
    draft.refresh_from_db()
    assert draft.duration_minutes == 75


def test_logging_with_errors_shows_them_per_field_in_danish_and_keeps_everything(
    case, draft, personas, login, goal
):
    client = login(personas.therapist)
    data = form_post(goal, methods=[], location="", internal_note="Det skrevne bliver")
    response = client.post(edit_url(case, draft), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vælg mindst én metode." in page
    assert "Vælg, hvor sessionen fandt sted." in page
    assert 'href="#session-methods"' in page
    assert "Det skrevne bliver" in page
    assert 'aria-invalid="true"' in page or "field--error" in page
    draft.refresh_from_db()
    assert draft.is_draft and draft.internal_note == "Det skrevne bliver"


def test_logging_redirects_to_the_list_where_staff_see_it(case, draft, personas, login, goal):
    client = login(personas.therapist)
    response = client.post(edit_url(case, draft), form_post(goal))
    assert response.status_code == 302
    assert Session.objects.get(pk=draft.pk).status == Session.Status.LOGGED
    for who in ("therapist", "owner", "team_lead"):
        page = login(getattr(personas, who)).get(response["Location"]).content.decode()
        assert "17.03.2026" in page and "Intern iagttagelse" in page and "Godt møde" in page
        assert "Struktur og rytme i hverdagen" in page


def test_drafts_are_listed_for_their_therapist_only(case, draft, personas, login):
    url = reverse("followups:case_sessions", args=[case.pk])
    assert "Mine kladder" in login(personas.therapist).get(url).content.decode()
    owner_page = login(personas.owner).get(url).content.decode()
    assert "Mine kladder" not in owner_page
    assert "Ny session" not in owner_page


def test_another_assigned_therapist_cannot_open_my_draft(case, draft, measure, login):
    second = f.UserFactory(username="second", role=Role.THERAPIST)
    f.assign(measure, second)
    client = login(second)
    assert client.get(edit_url(case, draft)).status_code == 403
    autosave = reverse("followups:session_autosave", args=[case.pk, draft.pk])
    assert client.post(autosave, form_post(internal_note="Fremmed")).status_code == 403
    draft.refresh_from_db()
    assert draft.internal_note == ""


def test_a_logged_session_is_not_edited_through_autosave(case, draft, personas, login, goal):
    services.session_log(case=case, user=personas.therapist, session=draft, data=complete(goal))
    client = login(personas.therapist)
    autosave = reverse("followups:session_autosave", args=[case.pk, draft.pk])
    response = client.post(autosave, form_post(internal_note="Ændret bagefter"))
    assert "Sessionen er registreret." in response.content.decode()
    assert Session.objects.get(pk=draft.pk).internal_note == "Mor var træt, men deltog."
    assert client.get(edit_url(case, draft)).status_code == 302


def test_the_list_is_paginated_newest_first(case, measure, personas, login):
    for day in range(settings.PAGE_SIZE + 2):
        make_logged(case, measure, personas.therapist, TODAY - dt.timedelta(days=day + 1))
    url = reverse("followups:case_sessions", args=[case.pk])
    first = login(personas.owner).get(url)
    sessions = list(first.context["page_obj"])
    assert len(sessions) == settings.PAGE_SIZE
    assert sessions[0].date == TODAY - dt.timedelta(days=1)
    assert [s.date for s in sessions] == sorted((s.date for s in sessions), reverse=True)
    second = login(personas.owner).get(url + "?page=2")
    assert len(second.context["page_obj"]) == 2


def make_logged(case, measure, therapist, on, *, goals=(), members=(), minutes=60) -> Session:
    session = Session.objects.create(
        case=case,
        measure=measure,
        therapist=therapist,
        status=Session.Status.LOGGED,
        date=on,
        start_time=dt.time(9, 0),
        duration_minutes=minutes,
        location=Session.Location.HOME,
        methods=[Session.Method.GUIDANCE],
        internal_note="Notat",
        logged_at=timezone.now(),
    )
    session.goals.set(goals)
    session.family_participants.set(members)
    return session


def test_query_count_of_the_sessions_tab_is_constant(case, measure, personas, login, goal, parent):
    HoursStep.objects.create(measure=measure, position=1, weeks=4, hours_per_week=Decimal(6))
    HoursStep.objects.create(measure=measure, position=2, weeks=None, hours_per_week=Decimal(2))
    second = f.UserFactory(username="second", role=Role.THERAPIST)
    url = reverse("followups:case_sessions", args=[case.pk])
    client = login(personas.therapist)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_logged(case, measure, personas.therapist, TODAY - dt.timedelta(days=1), goals=[goal])
    small = count()
    for day in range(2, 30):
        s = make_logged(
            case, measure, personas.therapist, TODAY - dt.timedelta(days=day),
            goals=[goal], members=[parent],
        )  # fmt: skip
        s.second_therapist = second
        s.save()
        services.session_start(case=case, user=personas.therapist, measure=measure)
    large = count()
    assert large == small, f"{small} queries with 1 session, {large} with 29"


def test_the_hours_chart_and_warning_on_the_tab(case, measure, personas, login):
    HoursStep.objects.create(measure=measure, position=1, weeks=None, hours_per_week=Decimal(1))
    # February 2026 (the last full month): planned 4 h, used 10 h.
    for day in (2, 9, 16, 23, 24):
        make_logged(case, measure, personas.therapist, dt.date(2026, 2, day), minutes=120)
    page = login(personas.owner).get(reverse("followups:case_sessions", args=[case.pk]))
    body = page.content.decode()
    assert "Indsatsen trappes ikke ned som planlagt." in body
    assert "februar 2026" in body
    assert body.count('role="img"') == 2  # the wide and the narrow chart
    assert "<table" in body


def test_each_hours_section_has_a_name_of_its_own(case, measure, personas, login):
    """Two measures under the same paragraph from the same day: numbered headings, so the two
    sections (landmarks) can be told apart (axe: landmark-unique)."""
    twin = f.MeasureFactory(
        case=case,
        provider_team=measure.provider_team,
        legal_basis=measure.legal_basis,
        start_date=measure.start_date,
    )
    f.assign(twin, personas.therapist)
    body = login(personas.owner).get(reverse("followups:case_sessions", args=[case.pk]))
    names = re.findall(r'<h3 id="timer-\d+-heading">([^<]+?)</h3>', body.content.decode())
    assert len(names) == 2
    assert len(set(names)) == 2, names
    assert all(name.strip().endswith(("(1)", "(2)")) for name in names)
