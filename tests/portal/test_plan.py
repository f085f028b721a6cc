"""The family's view of the plan: their own child's current plan in plain words, read-only,
never the internal note; every read logged; anyone else gets a logged 404."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import CaseStatus, FamilyMember
from core.cpr import format_cpr
from demo import factories as f
from plans import services
from plans.models import Area, Goal, Plan
from plans.services import RatingInput

INTERNAL_MARKER = "INTERN-7f3a9c: mistanke drøftes ikke med familien"


def chart_count(html: str) -> int:
    """The charts drawn on the page (DKFDS's icons are SVG too: class="icon-svg")."""
    return html.count("<svg ") - html.count('<svg class="icon-svg')


def text(response) -> str:
    return unescape(response.content.decode())


def url(case) -> str:
    return reverse("family:plan", kwargs={"case_id": case.pk})


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def parent_of(case, user) -> FamilyMember:
    return FamilyMember.objects.get(family__members__citizen=case.citizen, user=user)


def add_goal(plan, personas, parent, n: int, area: str = Area.FAMILY) -> Goal:
    goal = services.plan_goal_add(
        plan=plan,
        area=area,
        family_wording=f"Vi vil spise aftensmad sammen {n} dage om ugen",
        professional_wording=f"Faglig formulering {n}",
        formulated_by="Emma og mor",
        target_date=dt.date(2027, 6, 30),
    )
    services.plan_responsibility_add(
        goal=goal,
        assignee_kind="family_member",
        family_member=parent,
        task=f"Laver madplan {n}",
        when="Hver søndag",
    )
    services.plan_responsibility_add(
        goal=goal,
        assignee_kind="professional",
        professional=personas.therapist,
        task=f"Familiesamtale {n}",
        when="Hver anden uge",
    )
    services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor Inge", task="Henter", when="Tirs"
    )
    services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen",
        about=f"at Emma er træt {n}",
        if_nothing_changes="kan Emma miste kontakten til klassen",
        wellbeing_goal="Emma er udhvilet",
        for_how_long="i tre måneder",
        goal=goal,
    )
    return goal


def add_rounds(plan, personas, goals, count: int) -> None:
    for n in range(count):
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=days_ago(7 * (count - n)),
            ratings=[
                RatingInput(None, "parent", "Mor", (n + 2) % 11),
                RatingInput(None, "therapist", "Louise Dam", (n + 3) % 11),
                *[RatingInput(goal, "child", "Emma", (n + 4) % 11) for goal in goals],
            ],
        )


@pytest.fixture
def plan(case, personas) -> Plan:
    """A plan with every section filled, two goals, a safety map and three rating rounds."""
    plan = services.plan_create(case=case, user=personas.owner)
    services.plan_update(
        plan=plan,
        purpose="At Emma trives derhjemme og i skolen",
        child_voice="Emma siger: »Jeg vil gerne have, at der bliver mindre råberi.«",
        parents_view="Vi vil gerne have hjælp til morgenerne.",
        house_worries="Når de voksne råber",
        house_good_things="Min kanin Snøvs",
        house_dreams="Sommerhus med hele familien",
        internal_note=INTERNAL_MARKER,
    )
    parent = parent_of(case, personas.family_user)
    school = services.plan_goal_add(
        plan=plan,
        area=Area.SCHOOL,
        family_wording="Emma skal komme i skole hver dag og til tiden",
        professional_wording="Fravær under 5 %",
        formulated_by="Emma og mor",
        target_date=dt.date(2027, 6, 30),
    )
    services.plan_responsibility_add(
        goal=school,
        assignee_kind="family_member",
        family_member=parent,
        task="Pakker tasken aftenen før",
        when="Hver aften",
    )
    services.plan_responsibility_add(
        goal=school,
        assignee_kind="professional",
        professional=personas.therapist,
        task="Følger op på fraværet med skolen",
        when="Hver anden uge",
    )
    services.plan_responsibility_add(
        goal=school,
        assignee_kind="network",
        assignee_name="Fodboldtræner Kasper",
        task="Ringer, hvis Emma ikke kommer til træning",
        when="Hver træning",
    )
    sleep = services.plan_goal_add(
        plan=plan, area=Area.HEALTH, family_wording="Emma skal sove hele natten"
    )
    services.plan_goal_set_status(goal=sleep, status=Goal.Status.REACHED)
    dropped = services.plan_goal_add(
        plan=plan, area=Area.LEISURE, family_wording="Emma skal gå til spejder"
    )
    services.plan_goal_set_status(
        goal=dropped, status=Goal.Status.DROPPED, reason="Emma vil hellere spille fodbold"
    )
    for column, entry in [
        ("harm", "Politiet har været her om natten"),
        ("danger", "Emma kan blive bange for at være hjemme"),
        ("complicating", "Vi har ikke meget familie tæt på"),
        ("working_well", "Mormor Inge hjælper hver tirsdag"),
        ("needs_to_happen", "Faste rutiner om morgenen"),
    ]:
        services.plan_safety_entry_add(plan=plan, column=column, text=entry)
    services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen og sagsbehandleren",
        about="at Emma ofte kommer for sent",
        if_nothing_changes="kan Emma miste kontakten til klassen",
        wellbeing_goal="Emma kommer hver dag til tiden",
        for_how_long="i mindst tre måneder",
        goal=school,
    )
    for held_on, mor, emma in [(days_ago(60), 3, 4), (days_ago(30), 5, 6), (days_ago(2), 7, 9)]:
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=held_on,
            ratings=[
                RatingInput(None, "parent", "Mor", mor),
                RatingInput(None, "therapist", "Louise Dam", mor + 1),
                RatingInput(school, "child", "Emma", emma),
                RatingInput(school, "parent", "Mor", mor),
            ],
        )
    services.plan_version_freeze(plan=plan, user=personas.owner)
    return plan


def test_the_family_reads_the_current_plan_in_plain_words(login, personas, case, plan):
    # Changed after the version was frozen: the family sees the live plan.
    services.plan_update(plan=plan, purpose="At Emma trives – også i weekenden")

    response = login(personas.family_user).get(url(case))

    assert response.status_code == 200
    html = text(response)
    # The case factory's child may be 16 or 17, whose plan is an ungeplan.
    assert f"{plan.get_kind_display()} for {case.citizen.first_name}" in html
    assert "At Emma trives – også i weekenden" in html
    assert "Jeg vil gerne have, at der bliver mindre råberi." in html
    assert "Vi vil gerne have hjælp til morgenerne." in html
    for house in ("Når de voksne råber", "Min kanin Snøvs", "Sommerhus med hele familien"):
        assert house in html
    # Goals, grouped by area in everyday words, the family's wording before the professional's.
    assert "Dagtilbud, skole, uddannelse og arbejde" in html
    assert html.index("Emma skal komme i skole hver dag") < html.index("Fravær under 5 %")
    assert "Vi vil gerne nå målet senest 30.06.2027." in html
    assert "Formuleret af Emma og mor." in html
    assert "Vi arbejder på det" in html
    assert "Nået" in html
    assert "Ikke længere et mål" in html
    assert "Emma vil hellere spille fodbold" in html


def test_who_does_what(login, personas, case, plan):
    html = text(login(personas.family_user).get(url(case)))
    parent = parent_of(case, personas.family_user)
    for expected in (
        parent.name,
        "Pakker tasken aftenen før",
        "Hver aften",
        personas.therapist.get_full_name(),
        "Følger op på fraværet med skolen",
        "Fodboldtræner Kasper",
        "Ringer, hvis Emma ikke kommer til træning",
    ):
        assert expected in html, expected


def test_signs_of_safety_in_family_words(login, personas, case, plan):
    html = text(login(personas.family_user).get(url(case)))
    for heading in ("Det er vi bekymrede for", "Det går godt", "Det skal der ske"):
        assert heading in html
    for entry in (
        "Politiet har været her om natten",
        "Emma kan blive bange for at være hjemme",
        "Vi har ikke meget familie tæt på",
        "Mormor Inge hjælper hver tirsdag",
        "Faste rutiner om morgenen",
        "Skolen og sagsbehandleren",
        "at Emma ofte kommer for sent",
        "Emma kommer hver dag til tiden",
    ):
        assert entry in html, entry


def test_ratings_over_time_as_charts_and_the_same_figures_as_tables(login, personas, case, plan):
    html = text(login(personas.family_user).get(url(case)))
    # One chart overall and one per rated goal, each drawn wide and narrow, every id unique.
    assert chart_count(html) == 4
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    dates = "".join(f'<th scope="col">{d:%d.%m.%Y}</th>' for d in (days_ago(60), days_ago(30)))
    assert dates in html
    assert '<th scope="row">Mor</th><td>3</td><td>5</td><td>7</td>' in html
    louise = f"Louise Dam ({'familiebehandler'})"
    assert f'<th scope="row">{louise}</th><td>4</td><td>6</td><td>8</td>' in html
    assert '<th scope="row">Emma</th><td>4</td><td>6</td><td>9</td>' in html


def test_the_internal_note_and_case_internals_never_appear(login, personas, case, plan):
    html = text(login(personas.family_user).get(url(case)))
    assert INTERNAL_MARKER not in html
    assert "INTERN-7f3a9c" not in html
    assert "Intern note" not in html
    assert case.citizen.cpr not in html
    assert format_cpr(case.citizen.cpr) not in html
    assert case.number not in html
    assert case.notes.get().text not in html
    assert case.notifications.get().concern not in html
    assert case.notifications.get().reporter_name not in html


def test_another_family_gets_404_and_the_attempt_is_logged(login, personas, case, plan):
    response = login(personas.other_family_user).get(url(case))
    assert response.status_code == 404
    assert "Emma skal komme i skole" not in text(response)
    denied = AccessLogEntry.objects.get(user=personas.other_family_user)
    assert denied.action == AccessLogEntry.Action.DENIED
    assert denied.case == case
    assert not AccessLogEntry.objects.filter(
        user=personas.other_family_user, action=AccessLogEntry.Action.VIEW
    ).exists()


@pytest.mark.parametrize("persona", ["owner", "team_lead", "therapist", "colleague"])
def test_staff_get_404_on_the_family_page(login, personas, case, plan, persona):
    user = getattr(personas, persona)
    response = login(user).get(url(case))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.DENIED).exists()


def test_anonymous_is_sent_to_login(client, case, plan):
    response = client.get(url(case))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_case_is_404(login, personas, case):
    import uuid

    response = login(personas.family_user).get(
        reverse("family:plan", kwargs={"case_id": uuid.uuid4()})
    )
    assert response.status_code == 404


def test_a_case_at_the_notification_stage_does_not_exist_for_the_family(
    login, personas, case, plan
):
    case.status = CaseStatus.NOTIFICATION
    case.save(update_fields=["status"])
    response = login(personas.family_user).get(url(case))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.family_user, case=case, action=AccessLogEntry.Action.DENIED
    ).exists()


def test_no_plan_yet_is_a_friendly_page(login, personas, case):
    response = login(personas.family_user).get(url(case))
    assert response.status_code == 200
    html = text(response)
    assert f"Der er ikke lavet en plan for {case.citizen.first_name} endnu." in html
    assert "Planen skrives sammen med jer" in html


def test_an_empty_plan_says_it_is_not_written_yet(login, personas, case):
    services.plan_create(case=case, user=personas.owner)
    html = text(login(personas.family_user).get(url(case)))
    assert f"Planen for {case.citizen.first_name} er ikke skrevet endnu." in html
    assert "Vores mål" not in html


def test_the_read_is_logged(login, personas, case, plan):
    login(personas.family_user).get(url(case))
    entry = AccessLogEntry.objects.get(user=personas.family_user)
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.case == case
    assert entry.citizen_id == case.citizen_id
    assert entry.target == url(case)


def test_the_page_is_read_only(login, personas, case, plan):
    response = login(personas.family_user).post(url(case), {"purpose": "Hacket"})
    assert response.status_code == 405
    plan.refresh_from_db()
    assert plan.purpose == "At Emma trives derhjemme og i skolen"


def test_the_home_page_links_to_each_childs_plan(login, personas, case, plan):
    family = case.citizen.family_memberships.get().family
    sibling = f.CitizenFactory(first_name="Lillebror")
    FamilyMember.objects.create(family=family, citizen=sibling, is_child=True)
    f.CaseFactory(
        citizen=sibling, owner=personas.owner, team=case.team, status=CaseStatus.ASSESSMENT
    )
    html = text(login(personas.family_user).get(reverse("family:home")))
    assert f'href="{url(case)}"' in html
    assert f"Se planen for {case.citizen.first_name}" in html
    assert "Se planen for Lillebror" not in html  # no plan for the sibling's case


def test_queries_do_not_grow_with_goals_and_rounds(login, org, personas):
    def page_queries(size: int) -> int:
        case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
        f.family_with_child(case.citizen, personas.family_user)
        plan = services.plan_create(case=case, user=personas.owner)
        services.plan_update(plan=plan, purpose="Formål", internal_note=INTERNAL_MARKER)
        parent = parent_of(case, personas.family_user)
        goals = [
            add_goal(plan, personas, parent, n, area=Area.values[n % len(Area.values)])
            for n in range(size)
        ]
        services.plan_safety_entry_add(plan=plan, column="harm", text="Noget er sket")
        add_rounds(plan, personas, goals, size)
        services.plan_version_freeze(plan=plan, user=personas.owner)
        client = login(personas.family_user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(case))
        assert response.status_code == 200
        assert chart_count(text(response)) == 2 * (size + 1)
        return len(captured)

    assert page_queries(2) == page_queries(12)
