"""The therapist's start page, "Min forside" (followups/urls_therapist_home.py): the persona
matrix of its patterns, what it shows (only the therapist's own measures, sessions,
follow-ups and letters waiting for the family), the access log of every case it names, and
a query count that does not grow with the number of measures.
"""

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import Case, CaseStatus, HoursStep, Measure
from demo import factories as f
from followups import sessions as session_services
from followups import therapist_home
from followups import urls_therapist_home as urls
from followups.models import FollowUp, Session
from followups.views.sessions import measure_hours
from letters.models import ClosingLetter, ClosingLetterComment
from letters.therapist_home import letters_awaiting_family
from tests.followups.access import PERSONAS, patterns_of, url_for

HOME = reverse("followups:therapist_home")
MY_CASES = reverse("cases:my_cases")

PATTERNS, NAMES = patterns_of(urls)

# --- the persona matrix ------------------------------------------------------------------------

# The start page of a provider (therapist, psychologist); everybody else is sent to their own
# start page: it has no object in its address and shows nothing but the user's own things,
# so there is nothing to refuse (as Mine sager sends a family user to the family portal).
START_PAGES = {"therapist_home"}
EXPECTED_GET = {
    "owner": (302, MY_CASES),
    "colleague": (302, MY_CASES),
    "team_lead": (302, MY_CASES),
    "therapist": (200, None),
    "other_therapist": (200, None),
    "family_user": (302, reverse("family:home")),
    "other_family_user": (302, reverse("family:home")),
}


def text(response) -> str:
    return unescape(response.content.decode())


def words(response) -> str:
    """The page's text without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def test_every_pattern_is_classified():
    assert set(NAMES) == START_PAGES, f"classify new URLs here: {set(NAMES) ^ START_PAGES}"
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("name", NAMES)
def test_the_page_has_no_case_in_its_address(name):
    pattern = next(p for p in PATTERNS if p.name == name)
    assert not pattern.pattern.converters  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, {})
    response = login(user).get(url)
    status, location = EXPECTED_GET[persona]
    assert response.status_code == status, f"{persona} GET {pattern.name}"
    if location:
        assert response["Location"] == location
        assert not AccessLogEntry.objects.filter(user=user, target=url).exists()
    if status != 200 or persona == "other_therapist":
        assert case.citizen.full_name not in text(response)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_post_matrix(pattern, persona, case, personas, login):
    before = AccessLogEntry.objects.count()
    response = login(getattr(personas, persona)).post(url_for(pattern, case, {}))
    assert response.status_code == 405
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, client):
    url = url_for(pattern, case, {})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- who lands where ---------------------------------------------------------------------------


@pytest.fixture
def psychologist(org):
    user = f.UserFactory(username="psychologist", role=Role.PSYCHOLOGIST)
    f.add_member(org.family_house, user)
    return user


def test_a_therapist_on_mine_sager_is_sent_to_its_start_page(personas, login):
    response = login(personas.therapist).get(MY_CASES)
    assert response.status_code == 302 and response["Location"] == HOME
    # The front page leads there too (through Mine sager), and the page answers.
    response = login(personas.therapist).get("/", follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert response.status_code == 200


def test_a_psychologist_lands_there_too(psychologist, case, login):
    measure = case.measures.get()
    f.assign(measure, psychologist)
    client = login(psychologist)
    assert client.get(MY_CASES)["Location"] == HOME
    response = client.get(HOME)
    assert response.status_code == 200
    assert case.citizen.full_name in text(response)


def test_the_caseworker_keeps_mine_sager_and_the_family_its_portal(case, personas, login):
    assert login(personas.owner).get(MY_CASES).status_code == 200
    assert login(personas.team_lead).get(MY_CASES).status_code == 200
    assert login(personas.family_user).get(MY_CASES)["Location"] == reverse("family:home")


def test_the_navigation_shows_min_forside_to_a_therapist_and_mine_sager_to_others(
    case, personas, login
):
    page = login(personas.therapist).get(HOME).content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert nav is not None
    assert f'href="{HOME}" aria-current="page">Min forside</a>' in nav[0]
    assert "Mine sager" not in nav[0]
    nav = re.search(
        r'<nav class="main-nav".*?</nav>',
        login(personas.owner).get(MY_CASES).content.decode(),
        re.S,
    )
    assert nav is not None
    assert "Mine sager" in nav[0] and "Min forside" not in nav[0]


# --- what the page shows -----------------------------------------------------------------------


@pytest.fixture
def other_case(org, personas):
    """A case whose only measure is the other therapist's."""
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    measure = f.MeasureFactory(
        case=case, provider_team=org.family_house, purpose="Den anden behandlers indsats."
    )
    f.assign(measure, personas.other_therapist)
    return case


def test_lists_its_own_active_measures_and_not_another_therapists(
    case, other_case, personas, login
):
    measure = case.measures.get()
    Measure.objects.filter(pk=measure.pk).update(
        purpose="At forældrene får struktur på hverdagen, så Emma kommer i skole hver dag."
    )
    ended = f.MeasureFactory(
        case=case,
        provider_team=measure.provider_team,
        purpose="En afsluttet indsats.",
        ended_on=timezone.localdate(),
    )
    f.assign(ended, personas.therapist)
    response = login(personas.therapist).get(HOME)
    assert response.status_code == 200
    page = text(response)
    assert [row.measure.pk for row in response.context["page"].measures] == [measure.pk]
    assert case.citizen.full_name in page
    assert "Barnets Lov § 32, stk. 1, nr. 2" in page  # the legal basis of MeasureFactory
    assert "så Emma kommer i skole hver dag." in page
    assert f'href="{measure.get_absolute_url()}"' in page  # the order (Indsatser tab)
    assert reverse("followups:session_new", args=[case.pk]) in page
    assert f'name="measure" value="{measure.pk}"' in page
    assert reverse("followups:session_hours", args=[case.pk, measure.pk]) in page
    assert "En afsluttet indsats." not in page
    assert other_case.citizen.full_name not in page
    assert "Den anden behandlers indsats." not in page


def test_the_other_therapist_sees_only_its_own(case, other_case, personas, login):
    page = text(login(personas.other_therapist).get(HOME))
    assert other_case.citizen.full_name in page
    assert case.citizen.full_name not in page


def test_nothing_from_the_authoritys_file_and_no_cpr_number(case, personas, login):
    note = case.notes.get()
    page = text(login(personas.therapist).get(HOME))
    assert case.citizen.full_name in page
    assert "Barnet kommer ofte sultent i skole." not in page  # the notification's concern
    assert "Lærer Hansen" not in page  # who reported
    assert note.text not in page
    assert case.citizen.cpr not in page and case.citizen.cpr_display not in page


def test_a_therapist_without_measures_sees_the_empty_states(personas, login):
    page = text(login(personas.other_therapist).get(HOME))
    assert "Du er ikke tilknyttet en aktiv indsats lige nu." in page
    assert "Du har ikke registreret sessioner endnu." in page
    assert "Ingen opfølgninger venter på dine indsatser." in page
    assert "Ingen statusskrivelser ligger til gennemsyn hos familien." in page


def log_session(case, therapist, measure, *, on: dt.date, minutes: int = 60) -> Session:
    """A logged session on ``on`` (the service logs today's only)."""
    return Session.objects.create(
        case=case,
        measure=measure,
        therapist=therapist,
        status=Session.Status.LOGGED,
        date=on,
        start_time=dt.time(9, 30),
        duration_minutes=minutes,
        location=Session.Location.HOME,
        methods=[Session.Method.GUIDANCE],
        logged_at=timezone.now(),
    )


def test_shows_its_sessions_drafts_and_the_week(case, other_case, personas, login):
    measure = case.measures.get()
    today = timezone.localdate()
    mine = f.logged_session(case, personas.therapist, measure)
    draft = session_services.session_start(case=case, user=personas.therapist, measure=measure)
    other_measure = other_case.measures.get()
    theirs = f.logged_session(other_case, personas.other_therapist, other_measure)
    response = login(personas.therapist).get(HOME)
    page = text(response)
    home = response.context["page"]
    assert [s.pk for s in home.latest_sessions] == [mine.pk]
    assert [s.pk for s in home.drafts] == [draft.pk]
    assert f"#session-{mine.pk}" in page and f"#session-{theirs.pk}" not in page
    assert reverse("followups:session_edit", args=[case.pk, draft.pk]) in page
    assert f"Fortsæt kladden for {case.citizen.full_name}" in page
    assert today.strftime("%d.%m.%Y") in page
    assert "I dag: 1 session registreret." in page
    assert "Denne uge: 1 session, 1 time i alt." in page


def test_names_the_measures_without_a_session_for_14_days(case, org, personas, login):
    today = timezone.localdate()
    measure = case.measures.get()
    Measure.objects.filter(pk=measure.pk).update(start_date=today - dt.timedelta(days=60))
    log_session(case, personas.therapist, measure, on=today - dt.timedelta(days=20))
    second_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    busy = f.MeasureFactory(
        case=second_case,
        provider_team=org.family_house,
        start_date=today - dt.timedelta(days=60),
    )
    f.assign(busy, personas.therapist)
    log_session(second_case, personas.therapist, busy, on=today - dt.timedelta(days=3))
    response = login(personas.therapist).get(HOME)
    quiet = response.context["page"].quiet_measures
    assert [row.measure.pk for row in quiet] == [measure.pk]
    assert quiet[0].days_quiet == 20
    page = text(response)
    assert "Ingen session i 14 dage eller mere" in page
    on = (today - dt.timedelta(days=20)).strftime("%d.%m.%Y")
    assert f"seneste session {on} (20 dage siden)" in page
    assert "Ingen session i 20 dage." in page


def test_a_measure_never_visited_counts_from_its_start(case, personas, login):
    today = timezone.localdate()
    measure = case.measures.get()
    Measure.objects.filter(pk=measure.pk).update(start_date=today - dt.timedelta(days=15))
    response = login(personas.therapist).get(HOME)
    (row,) = response.context["page"].quiet_measures
    assert row.days_quiet == 15 and row.last_session_on is None
    start = (today - dt.timedelta(days=15)).strftime("%d.%m.%Y")
    assert f"ingen sessioner siden starten {start} (15 dage)" in text(response)


def test_hours_are_those_of_the_session_hours_page(case, personas, login):
    today = timezone.localdate()
    measure = case.measures.get()
    start = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=10)
    Measure.objects.filter(pk=measure.pk).update(start_date=start)
    for position, (weeks, hours) in enumerate(f.HOURS_TAPER, start=1):
        HoursStep.objects.create(
            measure=measure, position=position, weeks=weeks, hours_per_week=hours
        )
    log_session(case, personas.therapist, measure, on=start, minutes=90)
    log_session(case, personas.therapist, measure, on=today, minutes=150)
    response = login(personas.therapist).get(HOME)
    (row,) = response.context["page"].measures
    measure.refresh_from_db()
    expected = measure_hours([Measure.objects.select_related("legal_basis").get(pk=measure.pk)])
    rows = expected[0]["rows"]
    assert row.hours.month == rows[-1]
    assert row.hours.used == sum((r.used for r in rows), Decimal(0)) == Decimal("4.0")
    assert row.hours.planned == sum((r.planned for r in rows), Decimal(0))
    assert row.hours.has_plan
    used, planned = rows[-1].used, rows[-1].planned
    month_text = f"{used:f}".rstrip("0").rstrip(".").replace(".", ",")
    planned_text = f"{planned:f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"{month_text} af {planned_text} planlagte" in text(response)


def test_shows_coming_followups_of_its_measures_only(case, other_case, personas, login):
    today = timezone.localdate()
    measure = case.measures.get()
    coming = f.FollowUpFactory(measure=measure, number=2, due_on=today + dt.timedelta(days=9))
    late = f.FollowUpFactory(measure=measure, number=3, due_on=today - dt.timedelta(days=2))
    f.FollowUpFactory(
        measure=measure,
        number=4,
        due_on=today - dt.timedelta(days=30),
        held_on=today - dt.timedelta(days=30),
        decision=FollowUp.Decision.CONTINUE,
    )
    f.FollowUpFactory(measure=other_case.measures.get(), number=2)
    response = login(personas.therapist).get(HOME)
    rows = response.context["page"].followups
    # The first follow-up the measure got when it was ordered, if any, comes with them.
    ours = [r.followup.pk for r in rows if r.followup.number in (2, 3, 4)]
    assert ours == [late.pk, coming.pk]
    assert all(r.followup.measure_id == measure.pk for r in rows)
    page = text(response)
    assert coming.get_absolute_url() in page and late.get_absolute_url() in page
    assert f"2. opfølgning: {case.citizen.full_name}" in page
    assert f"senest {coming.due_on:%d.%m.%Y}" in words(response)
    assert f"Overskredet: senest {late.due_on:%d.%m.%Y}" in words(response)
    assert other_case.citizen.full_name not in page


def test_letters_awaiting_the_family_for_its_measures_only(case, org, other_case, personas, login):
    measure = case.measures.get()
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    version = letter.versions.get()
    ClosingLetterComment.objects.create(
        version=version, author=personas.family_user, text="Vi er glade for forløbet."
    )
    # Another therapist's letter in review, and a draft of this therapist's: not shown.
    f.closing_letter_version(other_case.measures.get(), personas.other_therapist)
    draft_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    draft_measure = f.MeasureFactory(case=draft_case, provider_team=org.family_house)
    f.assign(draft_measure, personas.therapist)
    f.closing_letter_version(draft_measure, personas.therapist, in_review=False)

    response = login(personas.therapist).get(HOME)
    (panel,) = [p for p in response.context["page"].panels if p.key == "breve"]
    assert [item.case_id for item in panel.items] == [case.pk]
    page = text(response)
    assert "Breve der venter på familien" in page
    url = reverse("letters:closing_letter_detail", args=[case.pk, letter.pk])
    assert f'href="{url}"' in page
    assert f"{letter.review_due_on:%d.%m.%Y}" in page
    assert f"version 1, sendt {timezone.localdate():%d.%m.%Y}" in page
    assert "1 kommentar" in page
    assert other_case.citizen.full_name not in page
    assert "Svarfristen er overskredet" not in page
    ClosingLetter.objects.filter(pk=letter.pk).update(
        review_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert "Svarfristen er overskredet" in text(login(personas.therapist).get(HOME))


def test_the_letters_panel_is_registered_once():
    assert therapist_home.PANEL_SOURCES.count(letters_awaiting_family) == 1
    therapist_home.register_panel(letters_awaiting_family)
    assert therapist_home.PANEL_SOURCES.count(letters_awaiting_family) == 1


def test_the_new_session_button_starts_a_draft_of_that_measure(case, org, personas, login):
    second = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(second, personas.therapist)
    client = login(personas.therapist)
    assert f'name="measure" value="{second.pk}"' in client.get(HOME).content.decode()
    response = client.post(reverse("followups:session_new", args=[case.pk]), {"measure": second.pk})
    draft = Session.objects.get()
    assert draft.measure == second and draft.is_draft
    assert response["Location"] == reverse("followups:session_edit", args=[case.pk, draft.pk])


# --- the access log ----------------------------------------------------------------------------


def viewed(user) -> list[tuple]:
    rows = AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.VIEW, target=HOME)
    return list(rows.order_by("id").values_list("case_id", "citizen_id"))


def test_every_case_named_is_logged_once_in_one_insert(case, org, other_case, personas, login):
    measure = case.measures.get()
    f.logged_session(case, personas.therapist, measure)
    f.FollowUpFactory(measure=measure, number=2)
    f.letter_in_review(measure, personas.therapist, personas.family_user)
    # A case named only by the letters panel (its measure has ended).
    letter_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    ended = f.MeasureFactory(
        case=letter_case, provider_team=org.family_house, ended_on=timezone.localdate()
    )
    f.assign(ended, personas.therapist)
    f.closing_letter_version(ended, personas.therapist)

    with CaptureQueriesContext(connection) as queries:
        response = login(personas.therapist).get(HOME)
    assert response.status_code == 200
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "access_accesslogentry"')]
    assert len(inserts) == 1
    assert sorted(viewed(personas.therapist), key=str) == sorted(
        [(case.pk, case.citizen_id), (letter_case.pk, letter_case.citizen_id)], key=str
    )
    assert not AccessLogEntry.objects.filter(case=other_case).exists()


def test_a_page_that_names_no_case_writes_nothing(personas, login):
    assert login(personas.other_therapist).get(HOME).status_code == 200
    assert viewed(personas.other_therapist) == []


# --- the query count ---------------------------------------------------------------------------


def _measures(org, personas, n: int) -> None:
    """``n`` cases, each with a measure of the therapist's with a taper, two logged sessions,
    a draft, a follow-up ahead and a closing letter with the family."""
    today = timezone.localdate()
    for _ in range(n):
        case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
        f.family_with_child(case.citizen)
        measure = f.MeasureFactory(
            case=case, provider_team=org.family_house, start_date=today - dt.timedelta(days=50)
        )
        f.assign(measure, personas.therapist)
        for position, (weeks, hours) in enumerate(f.HOURS_TAPER, start=1):
            HoursStep.objects.create(
                measure=measure, position=position, weeks=weeks, hours_per_week=hours
            )
        log_session(case, personas.therapist, measure, on=today - dt.timedelta(days=20))
        log_session(case, personas.therapist, measure, on=today)
        session_services.session_start(case=case, user=personas.therapist, measure=measure)
        f.FollowUpFactory(measure=measure, number=2)
        f.closing_letter_version(measure, personas.therapist)


# session, user, the measures, their hours (used, steps), the drafts, the latest sessions, the
# week, the follow-ups, the letters panel, the access log (one INSERT), the reminder badge
HOME_QUERIES = 12


def _count(login, user) -> tuple[int, Any]:
    client = login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries), response


def test_query_count_is_the_same_for_1_and_5_measures(org, personas, login):
    _measures(org, personas, 1)
    one, response = _count(login, personas.therapist)
    assert len(response.context["page"].measures) == 1
    _measures(org, personas, 4)
    five, response = _count(login, personas.therapist)
    assert len(response.context["page"].measures) == 5
    assert len(response.context["page"].panels[0].items) == 5
    assert one == five <= HOME_QUERIES


def test_query_count_is_constant(org, personas, login, django_assert_max_num_queries):
    _measures(org, personas, 5)
    client = login(personas.therapist)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(HOME)
    assert len(response.context["page"].measures) == 5


def test_closed_cases_are_left_out(case, personas, login):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    response = login(personas.therapist).get(HOME)
    assert response.context["page"].measures == []
    assert case.citizen.full_name not in text(response)
