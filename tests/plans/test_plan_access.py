"""The persona matrix for every page of the plan, generated from plans/urls.py.

Every URL pattern of the plan is requested by every persona, with its ids filled from real
objects of the case's plan. A new pattern is covered the moment it is added, and it fails
``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case, CaseStatus
from demo import factories as f
from plans import services, urls
from plans.models import (
    Area,
    Goal,
    Plan,
    PlanVersion,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
    WorryStatement,
)
from plans.services import RatingInput

# --- classification: who may use which page ---------------------------------------------------

READ_PAGES = {"plan_detail", "plan_print", "plan_versions", "plan_version", "plan_compare"}
# The caseworker's, and the assigned therapist's too: they work on the goals with the family.
GOAL_WORK = {
    "plan_goal_add",
    "plan_goal_edit",
    "plan_goal_status",
    "plan_responsibility_add",
    "plan_responsibility_remove",
    "plan_rating_round",
    "plan_rating_add",
}
# The owner or the team lead.
AUTHORITY = {
    "plan_create",
    "plan_section_edit",
    "plan_safety_add",
    "plan_safety_remove",
    "plan_worry_add",
    "plan_worry_edit",
    "plan_worry_remove",
    "plan_version_freeze",
}
CATEGORIES = (READ_PAGES, GOAL_WORK, AUTHORITY)
ACCESS = {0: Need.READ, 1: Need.GOALS, 2: Need.AUTHORITY}
POSTABLE = GOAL_WORK | AUTHORITY

# persona -> (read page, goal work, authority)
EXPECTED = {
    "owner": (200, 200, 200),
    "colleague": (404, 404, 404),
    "team_lead": (200, 200, 200),
    "therapist": (200, 200, 403),
    "other_therapist": (404, 404, 404),
    "family_user": (404, 404, 404),
    "other_family_user": (404, 404, 404),
}
OUTSIDERS = ["colleague", "other_therapist", "family_user", "other_family_user"]

PATTERNS: list[URLPattern] = [p for p in urls.urlpatterns if isinstance(p, URLPattern)]
NAMES = [p.name for p in PATTERNS]


def category(name: str) -> int:
    for index, names in enumerate(CATEGORIES):
        if name in names:
            return index
    raise AssertionError(f"URL {name!r} is not classified in tests/plans/test_plan_access.py")


# --- the objects a URL's kwargs point to ------------------------------------------------------


@pytest.fixture
def plan(case, personas) -> Plan:
    plan = services.plan_create(case=case, user=personas.owner)
    goal = services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag")
    services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Fredag"
    )
    services.plan_safety_entry_add(plan=plan, column="harm", text="Råb om natten")
    services.plan_worry_add(
        plan=plan, who_is_worried="Skolen", about="Fravær", if_nothing_changes="Mister klassen"
    )
    services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=timezone.localdate() - dt.timedelta(days=7),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=4)],
    )
    services.plan_version_freeze(plan=plan, user=personas.owner, reason="Planmøde")
    return plan


@pytest.fixture
def objects(plan) -> dict[str, object]:
    """Real objects of the case's plan for every kwarg in plans/urls.py."""
    return {
        "section": "formaal",
        "goal_id": Goal.objects.get(plan=plan).pk,
        "responsibility_id": Responsibility.objects.get(goal__plan=plan).pk,
        "entry_id": SafetyMapEntry.objects.get(plan=plan).pk,
        "worry_id": WorryStatement.objects.get(plan=plan).pk,
        "round_id": RatingRound.objects.get(plan=plan).pk,
        "number": PlanVersion.objects.get(plan=plan).number,
    }


def url_for(pattern: URLPattern, case: Case, objects: dict[str, object]) -> str:
    kwargs: dict[str, object] = {"case_id": case.pk}
    for name in pattern.pattern.converters:  # type: ignore[attr-defined]
        if name != "case_id":
            assert name in objects, f"no object for {name!r}: add it to the objects fixture"
            kwargs[name] = objects[name]
    return reverse(f"plans:{pattern.name}", kwargs=kwargs)


# --- completeness -----------------------------------------------------------------------------


def test_every_pattern_is_classified():
    classified = READ_PAGES | GOAL_WORK | AUTHORITY
    assert set(NAMES) == classified, (
        f"classify new plan URLs (read / goal work / authority) here: {set(NAMES) ^ classified}"
    )
    assert len(NAMES) == len(set(NAMES))
    assert sum(len(names) for names in CATEGORIES) == len(classified), "classified twice"


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_and_checks_the_right_it_is_classified_with(pattern):
    # cases.pages.case_page marks the views it wraps with their need; an unwrapped view would
    # skip the access log. The right the view checks must be the one this matrix expects.
    assert pattern.callback.case_need == ACCESS[category(pattern.name)], pattern.name


# --- GET: every persona, every pattern --------------------------------------------------------


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, objects, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, objects)
    response = login(user).get(url)

    expected = EXPECTED[persona][category(pattern.name)]
    assert response.status_code == expected, f"{persona} GET {pattern.name}"
    log = AccessLogEntry.objects.filter(case=case, user=user, target=url)
    if expected == 200:
        assert log.filter(action="view").exists()
        assert not log.filter(action="denied").exists()
    else:  # 403 and 404: the refused attempt is logged against the case
        assert log.filter(action="denied").exists()
    if expected == 403:
        assert "Du kan ikke udføre denne handling" in response.content.decode()
    if expected == 404:
        assert "Skole hver dag" not in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, objects, client):
    url = url_for(pattern, case, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_case_is_404_and_logged(personas, login):
    missing = uuid.uuid4()
    response = login(personas.owner).get(reverse("plans:plan_detail", args=[missing]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()


# --- POST: outsiders change nothing -----------------------------------------------------------


def post_data() -> dict[str, object]:
    """One payload that is valid for every form of the plan."""
    return {
        "kind": Plan.Kind.CHILDS_PLAN,
        "text": "Skrevet på mødet.",
        "area": Area.LEISURE,
        "family_wording": "Emma går til fodbold hver onsdag.",
        "professional_wording": "",
        "formulated_by": "Emma",
        "target_date": "",
        "status": Goal.Status.REACHED,
        "reason": "Opfølgningsmøde",
        "who": "network",
        "assignee_name": "Farmor",
        "task": "Følger Emma til træning",
        "when": "Onsdag",
        "column": SafetyMapEntry.Column.WORKING_WELL,
        "who_is_worried": "Skolen",
        "about": "Emma kommer for sent",
        "if_nothing_changes": "Emma mister undervisning",
        "wellbeing_goal": "",
        "for_how_long": "",
        "goal": "",
        "held_on": timezone.localdate().isoformat(),
        "note": "",
        "p0_kind": Rating.RaterKind.PARENT,
        "p0_name": "Far",
        "p0_overall": "6",
        "scale": "overall",
        "rater_kind": Rating.RaterKind.CHILD,
        "rater_name": "Emma",
        "value": "7",
    }


def snapshot(case: Case) -> tuple:
    """Everything a plan form could change, for the case in the URL."""
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        return (None,)
    return (
        services.plan_snapshot(plan=plan),
        plan.version,
        PlanVersion.objects.filter(plan=plan).count(),
        list(RatingRound.objects.filter(plan=plan).values_list("id", "held_on")),
        list(Rating.objects.filter(round__plan=plan).values_list("id", "value")),
        WorryStatement.objects.filter(plan=plan).count(),
    )


@pytest.fixture
def bare_case(case, org, personas) -> Case:
    """Another case of the same owner, with the therapist assigned, and no plan yet (for
    plan_create, which changes nothing on a case that has its plan)."""
    bare = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    measure = f.MeasureFactory(case=bare, provider_team=org.family_house)
    f.assign(measure, personas.therapist)
    return bare


def case_for(name: str, case: Case, bare_case: Case) -> Case:
    return bare_case if name == "plan_create" else case


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(POSTABLE))
def test_post_by_outsider_is_404_and_changes_nothing(
    name, persona, case, bare_case, objects, personas, login
):
    target = case_for(name, case, bare_case)
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, target, objects)
    before = snapshot(target)

    outsider = getattr(personas, persona)
    response = login(outsider).post(url, post_data())

    assert response.status_code == 404
    assert snapshot(target) == before
    assert AccessLogEntry.objects.filter(
        case=target, user=outsider, action="denied", target=url
    ).exists()

    # Control: the same payload from the owner does change the plan.
    response = login(personas.owner).post(url, post_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(target) != before, f"the payload did not work for {name}"


@pytest.mark.parametrize("name", sorted(AUTHORITY))
def test_therapist_post_to_authority_action_is_403_and_changes_nothing(
    name, case, bare_case, objects, personas, login
):
    target = case_for(name, case, bare_case)
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, target, objects)
    before = snapshot(target)

    response = login(personas.therapist).post(url, post_data())

    assert response.status_code == 403
    assert snapshot(target) == before
    assert AccessLogEntry.objects.filter(
        case=target, user=personas.therapist, action="denied", target=url
    ).exists()


@pytest.mark.parametrize("name", sorted(GOAL_WORK))
def test_assigned_therapist_works_on_goals_and_ratings(name, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    before = snapshot(case)
    response = login(personas.therapist).post(url_for(pattern, case, objects), post_data())
    assert response.status_code == 302
    assert snapshot(case) != before


@pytest.mark.parametrize("name", sorted(set(NAMES) - POSTABLE))
def test_post_to_read_only_page_is_refused(name, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    before = snapshot(case)
    response = login(personas.owner).post(url_for(pattern, case, objects), post_data())
    assert response.status_code == 405
    assert snapshot(case) == before


def test_a_colleague_with_a_share_reads_but_cannot_write(case, objects, org, personas, login):
    from access import rules as permissions

    sharer = f.UserFactory(username="cover", role="caseworker")
    f.add_member(org.team_b, sharer)
    permissions.case_share_grant(
        case=case,
        user=sharer,
        valid_until=timezone.localdate() + dt.timedelta(days=14),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    client = login(sharer)
    assert client.get(reverse("plans:plan_detail", args=[case.pk])).status_code == 200
    before = snapshot(case)
    response = client.post(reverse("plans:plan_goal_add", args=[case.pk]), post_data())
    assert response.status_code == 403
    assert snapshot(case) == before


def test_objects_of_another_cases_plan_are_404_and_logged(case, objects, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_plan = services.plan_create(case=other, user=personas.owner)
    other_goal = services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="Sove")
    url = reverse("plans:plan_goal_edit", args=[case.pk, other_goal.pk])

    response = login(personas.owner).post(url, post_data())

    assert response.status_code == 404
    other_goal.refresh_from_db()
    assert other_goal.family_wording == "Sove"
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, action="denied", target=url
    ).exists()
