"""The plan pages: creating the plan, the quick forms of a meeting (plain POST and htmx),
errors that keep what was typed, versions and their comparison, the print view, and the
plan page's query count as the plan grows."""

import datetime as dt
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import CaseStatus, FamilyMember
from demo import factories as f
from plans import services
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

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(case, personas) -> Plan:
    return services.plan_create(case=case, user=personas.owner)


@pytest.fixture
def goal(plan) -> Goal:
    return services.plan_goal_add(
        plan=plan,
        area=Area.SCHOOL,
        family_wording="Emma kommer i skole hver dag.",
        professional_wording="Stabilt fremmøde",
    )


@pytest.fixture
def owner(personas, login):
    return login(personas.owner)


def url(name: str, case, *args) -> str:
    return reverse(f"plans:{name}", args=[case.pk, *args])


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def triggers(response) -> dict:
    return json.loads(response["HX-Trigger-After-Settle"])


def html(response) -> str:
    return response.content.decode()


def assert_fragment(response, section_id: str) -> str:
    """An htmx answer: 200, the section's partial (not a whole page)."""
    assert response.status_code == 200
    body = html(response)
    assert f'id="{section_id}"' in body
    assert "<html" not in body and "case-header" not in body
    return body


# --- creating the plan -----------------------------------------------------------------------


def test_a_case_without_a_plan_offers_to_create_one(case, owner):
    case.citizen.birth_date = dt.date(timezone.localdate().year - 8, 1, 1)
    case.citizen.save(update_fields=["birth_date"])
    response = owner.get(url("plan_detail", case))
    body = html(response)
    assert response.status_code == 200
    assert "Der er endnu ikke oprettet en plan for sagen." in body
    assert "Opret plan" in body
    assert re.search(r'value="childs_plan"[^>]*checked', body)  # by age: barnets plan
    assert "som udgangspunkt som barnets plan" in body


def test_creating_the_plan_defaults_its_kind_by_age(case, owner):
    case.citizen.birth_date = dt.date(timezone.localdate().year - 17, 1, 1)
    case.citizen.save(update_fields=["birth_date"])
    page = html(owner.get(url("plan_detail", case)))
    assert "som udgangspunkt som ungeplan" in page

    response = owner.post(url("plan_create", case), {"kind": Plan.Kind.YOUTH_PLAN})

    plan = Plan.objects.get(case=case)
    assert plan.kind == Plan.Kind.YOUTH_PLAN
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    page = html(owner.get(url("plan_detail", case)))
    assert '<h2 id="tab-heading">Ungeplan</h2>' in page


def test_the_plan_page_is_a_tab_of_the_case(plan, case, owner):
    page = html(owner.get(url("plan_detail", case)))
    assert 'id="tab-plan"' in page
    assert 'aria-current="page">Plan</a>' in page
    journal = html(owner.get(reverse("cases:case_journal", args=[case.pk])))
    assert 'id="tab-plan"' in journal
    assert 'aria-current="page">Plan' not in journal


# --- quick forms: a goal ---------------------------------------------------------------------

GOAL = {
    "area": Area.FAMILY,
    "family_wording": "Vi spiser aftensmad sammen fire dage om ugen.",
    "professional_wording": "Fælles måltider",
    "formulated_by": "Mor og Emma",
    "target_date": "2027-02-01",
}


def test_adding_a_goal_without_javascript_redirects_back_to_it(plan, case, owner):
    response = owner.post(url("plan_goal_add", case), GOAL)

    goal = Goal.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == f"{url('plan_detail', case)}#maal-{goal.pk}"
    assert goal.family_wording == GOAL["family_wording"]
    assert goal.target_date == dt.date(2027, 2, 1)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Målet er tilføjet."]


def test_adding_a_goal_with_htmx_answers_with_the_goals_section(plan, case, owner):
    response = owner.post(url("plan_goal_add", case), GOAL, **HX)

    body = assert_fragment(response, "plan-goals")
    goal = Goal.objects.get(plan=plan)
    assert GOAL["family_wording"] in body
    assert f'id="maal-{goal.pk}"' in body
    # The form is blank again, the focus goes back to its first field, and it is announced.
    assert triggers(response) == {
        "plan:focus": {"selector": "#nyt-maal-area"},
        "plan:announce": {"message": "Målet er tilføjet."},
    }
    assert 'id="nyt-maal-family_wording"' in body
    assert ">\nVi spiser aftensmad" not in body.split('id="nyt-maal-family_wording"')[1][:200]
    # The round form and the worry form list the goals: they come along out of band.
    assert 'id="plan-scaling" aria-labelledby="scaling-heading" hx-swap-oob="true"' in body
    assert 'id="plan-worries" aria-labelledby="worries-heading" hx-swap-oob="true"' in body


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_goal_without_the_familys_words_is_refused_and_the_typing_kept(htmx, plan, case, owner):
    data = {**GOAL, "family_wording": "   "}
    response = owner.post(url("plan_goal_add", case), data, **(HX if htmx else {}))

    assert response.status_code == 200
    body = html(response)
    assert "Skriv målet med familiens egne ord." in body
    assert "Fælles måltider" in body  # what was typed is still there
    assert 'value="Mor og Emma"' in body
    assert not Goal.objects.filter(plan=plan).exists()
    if htmx:
        assert_fragment(response, "plan-goals")
        assert triggers(response)["plan:focus"] == {"selector": "#nyt-maal-errors"}
        assert 'id="nyt-maal-errors"' in body
    else:
        assert 'class="case-header"' in body  # the form's own page
        assert "data-error-summary" in body


def test_editing_a_goal_in_place(goal, case, owner):
    edit = url("plan_goal_edit", case, goal.pk)
    form = owner.get(edit, **HX)
    assert f'id="maal-{goal.pk}"' in html(form)
    assert "data-inline-edit" in html(form)
    assert triggers(form) == {"plan:focus": {"selector": f"#maal-{goal.pk}-ret-area"}}

    cancel = owner.get(f"{edit}?vis=1", **HX)
    assert "Emma kommer i skole hver dag." in html(cancel)
    assert "data-inline-edit" not in html(cancel)

    data = {**GOAL, "area": Area.SCHOOL, "family_wording": "Emma cykler selv i skole."}
    response = owner.post(edit, data, **HX)

    assert_fragment(response, "plan-goals")
    assert response["HX-Retarget"] == "#plan-goals"
    goal.refresh_from_db()
    assert goal.family_wording == "Emma cykler selv i skole."
    assert triggers(response)["plan:focus"] == {"selector": f"#maal-{goal.pk}-rediger"}


def test_an_invalid_goal_edit_stays_in_place_with_its_errors(goal, case, owner):
    response = owner.post(
        url("plan_goal_edit", case, goal.pk), {**GOAL, "family_wording": ""}, **HX
    )
    body = html(response)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert f'id="maal-{goal.pk}-ret-errors"' in body
    assert "Fælles måltider" in body
    goal.refresh_from_db()
    assert goal.family_wording == "Emma kommer i skole hver dag."


def test_dropping_a_goal_needs_a_reason(goal, case, owner):
    status = url("plan_goal_status", case, goal.pk)
    response = owner.post(status, {"status": Goal.Status.DROPPED, "reason": ""}, **HX)
    assert "Skriv hvorfor målet opgives." in html(response)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN

    response = owner.post(
        status, {"status": Goal.Status.DROPPED, "reason": "Emma er flyttet skole."}, **HX
    )
    body = assert_fragment(response, "plan-goals")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.DROPPED
    assert "Emma er flyttet skole." in body
    assert "Opgivet" in body


# --- who does what ---------------------------------------------------------------------------


def test_adding_who_does_what_from_the_family(goal, case, owner):
    parent = FamilyMember.objects.get(family__members__citizen=case.citizen, is_child=False)
    data = {"who": f"member:{parent.pk}", "task": "Vækker Emma kl. 7", "when": "Hver morgen"}

    response = owner.post(url("plan_responsibility_add", case, goal.pk), data, **HX)

    body = assert_fragment(response, "plan-goals")
    responsibility = Responsibility.objects.get(goal=goal)
    assert responsibility.family_member == parent
    assert responsibility.assignee_kind == Responsibility.AssigneeKind.FAMILY_MEMBER
    assert "Vækker Emma kl. 7" in body
    assert triggers(response)["plan:focus"] == {"selector": f"#ansvar-{goal.pk}-who"}
    # The goal's "who does what" form stays open for the next one.
    assert '<details class="quick-add" open>' in body


def test_adding_who_does_what_for_a_network_person_needs_a_name(goal, case, owner):
    data = {"who": "network", "assignee_name": "", "task": "Henter Emma", "when": "Fredag"}
    response = owner.post(url("plan_responsibility_add", case, goal.pk), data, **HX)

    body = html(response)
    assert "Angiv præcis én ansvarlig" in body
    assert "Henter Emma" in body
    assert not Responsibility.objects.exists()

    data["assignee_name"] = "Mormor"
    response = owner.post(url("plan_responsibility_add", case, goal.pk), data)
    assert response.status_code == 302
    assert Responsibility.objects.get().assignee == "Mormor"


def test_a_goal_of_another_cases_plan_is_404_and_nothing_is_saved(goal, case, org, personas, owner):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_goal = services.plan_goal_add(
        plan=services.plan_create(case=other, user=personas.owner),
        area=Area.HEALTH,
        family_wording="Sove",
    )
    data = {"who": "network", "assignee_name": "Mormor", "task": "Kører", "when": "Fredag"}

    response = owner.post(url("plan_responsibility_add", case, other_goal.pk), data, **HX)

    assert response.status_code == 404
    assert not Responsibility.objects.exists()


def test_removing_who_does_what(goal, case, owner):
    responsibility = services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Fredag"
    )
    remove = url("plan_responsibility_remove", case, responsibility.pk)
    assert "Vil du fjerne dette ansvar" in html(owner.get(remove))

    response = owner.post(remove, **HX)

    assert_fragment(response, "plan-goals")
    assert not Responsibility.objects.exists()
    assert triggers(response)["plan:announce"] == {"message": "Ansvaret er fjernet."}


# --- Signs of Safety -------------------------------------------------------------------------


def test_adding_and_removing_an_entry_on_the_map(plan, case, owner):
    data = {"column": SafetyMapEntry.Column.WORKING_WELL, "text": "Mormor hjælper hver fredag."}
    response = owner.post(url("plan_safety_add", case), data, **HX)

    body = assert_fragment(response, "plan-safety")
    entry = SafetyMapEntry.objects.get(plan=plan)
    assert "Mormor hjælper hver fredag." in body
    assert triggers(response)["plan:focus"] == {"selector": "#nyt-punkt-column"}

    response = owner.post(url("plan_safety_remove", case, entry.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#plan-safety")
    assert not SafetyMapEntry.objects.exists()


def test_an_empty_map_entry_is_refused(plan, case, owner):
    response = owner.post(url("plan_safety_add", case), {"column": "harm", "text": ""}, **HX)
    assert "Skriv punktet." in html(response)
    assert not SafetyMapEntry.objects.exists()


def test_adding_a_worry_linked_to_a_goal(goal, plan, case, owner):
    data = {
        "who_is_worried": "Skolen",
        "about": "at Emma ofte kommer for sent",
        "if_nothing_changes": "Emma mister kontakten til klassen",
        "wellbeing_goal": "Emma kommer til tiden",
        "for_how_long": "i tre måneder",
        "goal": str(goal.pk),
    }
    response = owner.post(url("plan_worry_add", case), data, **HX)

    body = assert_fragment(response, "plan-worries")
    worry = WorryStatement.objects.get(plan=plan)
    assert worry.goal == goal
    assert "at Emma ofte kommer for sent" in body
    assert f'href="#maal-{goal.pk}"' in body


def test_a_worry_cannot_link_to_another_plans_goal(plan, case, org, personas, owner):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_goal = services.plan_goal_add(
        plan=services.plan_create(case=other, user=personas.owner),
        area=Area.HEALTH,
        family_wording="Sove",
    )
    data = {
        "who_is_worried": "Skolen",
        "about": "Fravær",
        "if_nothing_changes": "Mister klassen",
        "goal": str(other_goal.pk),
    }
    response = owner.post(url("plan_worry_add", case), data, **HX)
    assert response.status_code == 200
    assert "Fravær" in html(response)
    assert not WorryStatement.objects.exists()


@pytest.fixture
def worry(plan, goal) -> WorryStatement:
    return services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen",
        about="Fravær",
        if_nothing_changes="Mister klassen",
        goal=goal,
    )


def test_editing_a_worry_on_its_own_page(worry, goal, case, owner):
    edit = url("plan_worry_edit", case, worry.pk)
    page = owner.get(reverse("plans:plan_detail", args=[case.pk]))
    assert f'href="{edit}"' in html(page)
    assert f'href="{url("plan_worry_remove", case, worry.pk)}"' in html(page)

    form = html(owner.get(edit))
    assert "Fravær" in form and "Mister klassen" in form
    assert f'<option value="{goal.pk}" selected' in form

    data = {
        "who_is_worried": "Skolen og mor",
        "about": "at Emma ofte kommer for sent",
        "if_nothing_changes": "Mister klassen",
        "wellbeing_goal": "Emma kommer til tiden",
        "for_how_long": "",
        "goal": "",
    }
    response = owner.post(edit, data)

    assert response.status_code == 302
    assert response["Location"].endswith("#plan-worries")
    worry.refresh_from_db()
    assert (worry.who_is_worried, worry.about, worry.goal) == (
        "Skolen og mor",
        "at Emma ofte kommer for sent",
        None,
    )


def test_a_worry_edit_with_errors_keeps_what_was_typed_and_saves_nothing(worry, case, owner):
    data = {
        "who_is_worried": "Skolen og mor",
        "about": "",
        "if_nothing_changes": "Mister klassen",
        "goal": "",
    }
    response = owner.post(url("plan_worry_edit", case, worry.pk), data)

    assert response.status_code == 200
    assert "Skriv hvad bekymringen handler om." in html(response)
    assert 'value="Skolen og mor"' in html(response)
    worry.refresh_from_db()
    assert (worry.who_is_worried, worry.about) == ("Skolen", "Fravær")


def test_removing_a_worry_asks_first(worry, case, owner):
    remove = url("plan_worry_remove", case, worry.pk)
    response = owner.get(remove)
    assert response.status_code == 200
    assert "Vil du fjerne dette bekymringsudsagn?" in html(response)
    assert "Skolen: Fravær" in html(response)
    assert WorryStatement.objects.exists()

    response = owner.post(remove)
    assert response.status_code == 302
    assert response["Location"].endswith("#plan-worries")
    assert not WorryStatement.objects.exists()


def test_a_worry_of_another_cases_plan_is_404(worry, case, org, personas, owner):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    foreign = services.plan_worry_add(
        plan=services.plan_create(case=other, user=personas.owner),
        who_is_worried="Naboen",
        about="Larm",
        if_nothing_changes="Politiet kommer",
    )
    data = {"who_is_worried": "X", "about": "Y", "if_nothing_changes": "Z", "goal": ""}
    for name in ("plan_worry_edit", "plan_worry_remove"):
        assert owner.get(url(name, case, foreign.pk)).status_code == 404
        assert owner.post(url(name, case, foreign.pk), data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.about == "Larm"
    assert AccessLogEntry.objects.filter(
        case=case, action="denied", target=url("plan_worry_remove", case, foreign.pk)
    ).exists()


# --- the plan's own texts --------------------------------------------------------------------


def test_editing_a_text_in_place_and_cancelling(plan, case, owner):
    edit = url("plan_section_edit", case, "barnets-stemme")
    form = owner.get(edit, **HX)
    assert 'id="afsnit-barnets-stemme"' in html(form)
    assert "<textarea" in html(form)
    cancel = owner.get(f"{edit}?vis=1", **HX)
    assert "<textarea" not in html(cancel)

    response = owner.post(edit, {"text": "Emma siger, at morgenerne er svære."}, **HX)

    plan.refresh_from_db()
    assert plan.child_voice == "Emma siger, at morgenerne er svære."
    assert "Emma siger, at morgenerne er svære." in html(response)
    assert triggers(response) == {
        "plan:focus": {"selector": "#afsnit-barnets-stemme-rediger"},
        "plan:announce": {"message": "Barnets stemme er gemt."},
    }


def test_editing_a_text_without_javascript(plan, case, owner):
    edit = url("plan_section_edit", case, "formaal")
    assert "Overordnet formål" in html(owner.get(edit))
    response = owner.post(edit, {"text": "Struktur i hverdagen."})
    assert response["Location"].endswith("#afsnit-formaal")
    plan.refresh_from_db()
    assert plan.purpose == "Struktur i hverdagen."


def test_an_unknown_text_section_is_404(plan, case, owner):
    assert owner.get(url("plan_section_edit", case, "noget-andet")).status_code == 404


def test_the_internal_note_is_marked_for_professionals_only(plan, case, owner):
    services.plan_update(plan=plan, internal_note="Mor har tidligere trukket samtykke.")
    page = html(owner.get(url("plan_detail", case)))
    assert "Mor har tidligere trukket samtykke." in page
    assert "Kun for fagpersoner" in page


# --- scaling 0–10 ----------------------------------------------------------------------------


def round_data(goal, **extra) -> dict:
    return {
        "held_on": days_ago(1).isoformat(),
        "note": "Opfølgningsmøde",
        "p0_kind": "child",
        "p0_name": "Emma",
        "p0_overall": "6",
        f"p0_goal{goal.pk}": "5",
        "p1_kind": "parent",
        "p1_name": "Mor",
        f"p1_goal{goal.pk}": "4",
        "p2_kind": "parent",
        "p2_name": "Far",  # no answers: not saved
        **extra,
    }


def test_a_rating_round_is_saved_whole_and_drawn(goal, plan, case, owner):
    response = owner.post(url("plan_rating_round", case), round_data(goal), **HX)

    body = assert_fragment(response, "plan-scaling")
    rating_round = RatingRound.objects.get(plan=plan)
    assert rating_round.held_on == days_ago(1)
    assert set(Rating.objects.values_list("rater_name", "goal_id", "value")) == {
        ("Emma", None, 6),
        ("Emma", goal.pk, 5),
        ("Mor", goal.pk, 4),
    }
    assert "<svg" in body  # the overall chart
    assert 'id="plan-goals" aria-labelledby="goals-heading" hx-swap-oob="true"' in body
    assert 'id="chart-goal-' in body  # the goal's chart comes along out of band
    assert triggers(response)["plan:announce"] == {"message": "Skaleringsrunden er gemt."}


def test_a_rating_of_11_is_refused_and_nothing_of_the_round_is_saved(goal, plan, case, owner):
    data = round_data(goal, **{f"p1_goal{goal.pk}": "11"})

    response = owner.post(url("plan_rating_round", case), data, **HX)

    assert response.status_code == 200
    body = html(response)
    assert "En vurdering er et helt tal fra 0 til 10." in body
    assert 'value="11"' in body and 'value="Emma"' in body
    assert not RatingRound.objects.exists()
    assert not Rating.objects.exists()


def test_a_second_round_on_the_same_day_gets_the_services_message_on_the_date(
    goal, plan, case, personas, owner
):
    services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=days_ago(1),
        ratings=[RatingInput(goal=None, rater_kind="parent", rater_name="Mor", value=3)],
    )
    response = owner.post(url("plan_rating_round", case), round_data(goal))
    body = html(response)
    assert response.status_code == 200
    assert "Der er allerede en skaleringsrunde den dag" in body
    assert 'href="#runde-held_on"' in body
    assert RatingRound.objects.count() == 1
    assert Rating.objects.count() == 1


def test_a_round_without_any_answer_is_refused(goal, plan, case, owner):
    response = owner.post(
        url("plan_rating_round", case), {"held_on": days_ago(1).isoformat(), "p0_name": "Emma"}
    )
    assert "Runden skal have mindst én vurdering." in html(response)
    assert not RatingRound.objects.exists()


def test_an_answer_without_a_name_is_refused(goal, plan, case, owner):
    data = {"held_on": days_ago(1).isoformat(), "p0_kind": "parent", "p0_overall": "5"}
    response = owner.post(url("plan_rating_round", case), data, **HX)
    assert "Skriv navnet på den, der har givet vurderingen." in html(response)
    assert not RatingRound.objects.exists()


def test_one_more_rating_in_a_round(goal, plan, case, personas, owner):
    rating_round = services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=days_ago(3),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=3)],
    )
    add = url("plan_rating_add", case, rating_round.pk)
    data = {"scale": str(goal.pk), "rater_kind": "child", "rater_name": "Emma", "value": "7"}

    response = owner.post(add, data, **HX)

    assert_fragment(response, "plan-scaling")
    assert rating_round.ratings.filter(rater_name="Emma", goal=goal, value=7).exists()

    # The same person twice: the service's message, nothing saved.
    response = owner.post(add, {**data, "value": "8"}, **HX)
    assert "Emma har allerede vurderet dette mål i denne runde." in html(response)
    assert rating_round.ratings.count() == 2

    response = owner.post(add, {**data, "rater_name": "Far", "value": "11"})
    assert "En vurdering er et helt tal fra 0 til 10." in html(response)
    assert rating_round.ratings.count() == 2


def test_a_round_of_another_plan_is_404(plan, case, org, personas, owner):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_round = services.plan_rating_round_record(
        plan=services.plan_create(case=other, user=personas.owner),
        user=personas.owner,
        held_on=days_ago(2),
        ratings=[RatingInput(goal=None, rater_kind="parent", rater_name="Mor", value=3)],
    )
    data = {"scale": "overall", "rater_kind": "child", "rater_name": "Emma", "value": "7"}
    response = owner.post(url("plan_rating_add", case, other_round.pk), data)
    assert response.status_code == 404
    assert other_round.ratings.count() == 1


# --- versions --------------------------------------------------------------------------------


def test_a_plan_without_goals_cannot_be_saved_as_a_version(plan, case, owner):
    response = owner.post(url("plan_version_freeze", case), {"reason": "Planmøde"})
    assert response.status_code == 200
    assert "Planen skal have mindst ét mål" in html(response)
    assert not PlanVersion.objects.exists()


def test_freezing_and_comparing_shows_a_changed_goal(goal, plan, case, owner):
    services.plan_update(plan=plan, internal_note="Intern v1")
    response = owner.post(url("plan_version_freeze", case), {"reason": "Planmøde"})
    assert response.status_code == 302
    services.plan_goal_update(goal=goal, family_wording="Emma cykler selv i skole.")
    services.plan_update(plan=plan, internal_note="Intern v2")
    owner.post(url("plan_version_freeze", case), {"reason": "Opfølgningsmøde"})
    assert list(PlanVersion.objects.values_list("number", "reason")) == [
        (1, "Planmøde"),
        (2, "Opfølgningsmøde"),
    ]

    versions = html(owner.get(url("plan_versions", case)))
    assert "Opfølgningsmøde" in versions and "Version 2" in versions

    response = owner.get(url("plan_compare", case) + "?fra=1&til=2")
    body = html(response)
    assert response.status_code == 200
    assert "<del>Emma kommer i skole hver dag.</del>" in body
    assert "<ins>Emma cykler selv i skole.</ins>" in body
    assert "Mål: Emma cykler selv i skole." in body  # grouped by goal
    assert "Intern note – kun for fagpersoner" in body
    frozen = html(owner.get(url("plan_version", case, 1)))
    assert "Emma kommer i skole hver dag." in frozen
    assert "Emma cykler selv i skole." not in frozen


def test_comparing_with_the_plan_as_it_is_now(goal, plan, case, personas, owner):
    services.plan_version_freeze(plan=plan, user=personas.owner)
    services.plan_safety_entry_add(plan=plan, column="working_well", text="Mormor hjælper.")
    body = html(owner.get(url("plan_compare", case) + "?fra=1&til=nu"))
    assert "Tilføjet" in body and "Mormor hjælper." in body


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("", 200, "Der er ingen ændringer."),
        ("?fra=abc&til=nu", 200, "Vælg to versioner at sammenligne."),
        # A digit to str.isdigit() that int() refuses: no 500.
        ("?fra=²&til=nu", 200, "Vælg to versioner at sammenligne."),
        ("?fra=1&til=²", 200, "Vælg to versioner at sammenligne."),
        ("?fra=1&til=", 200, "Vælg to versioner at sammenligne."),
        ("?fra=99&til=nu", 404, ""),
        ("?fra=1&til=7", 404, ""),
    ],
)
def test_comparing_with_bad_parameters_is_a_message_or_404(
    query, status, text, goal, plan, case, personas, owner
):
    services.plan_version_freeze(plan=plan, user=personas.owner)
    response = owner.get(url("plan_compare", case) + query)
    assert response.status_code == status
    if text:
        assert text in html(response)


def test_comparing_a_plan_without_versions_says_so(plan, case, owner):
    response = owner.get(url("plan_compare", case) + "?fra=1&til=nu")
    assert response.status_code == 200
    assert "Planen har endnu ingen gemte versioner" in html(response)


def test_a_version_that_does_not_exist_is_404(plan, case, owner):
    assert owner.get(url("plan_version", case, 3)).status_code == 404


# --- the print view --------------------------------------------------------------------------


def test_the_print_view_has_no_internal_note_and_no_navigation(goal, plan, case, personas, owner):
    services.plan_update(
        plan=plan, purpose="Struktur i hverdagen.", internal_note="Hemmelig bekymring om far."
    )
    services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=days_ago(5),
        ratings=[RatingInput(goal=goal, rater_kind="child", rater_name="Emma", value=4)],
    )

    response = owner.get(url("plan_print", case))

    body = html(response)
    assert response.status_code == 200
    assert "Hemmelig bekymring om far." not in body
    assert "Intern note" not in body
    assert "Struktur i hverdagen." in body
    assert "Emma kommer i skole hver dag." in body
    assert case.number in body
    assert "<svg" in body and "print-goal-" in body
    assert "Mine sager" not in body and "case-tabs" not in body
    assert "data-print" in body and "plan-print.css" in body
    assert "<script>" not in body  # window.print lives in static/js/plan.js


# --- a closed case ---------------------------------------------------------------------------


def test_a_closed_case_shows_the_plan_without_forms_and_refuses_changes(goal, plan, case, owner):
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])

    page = html(owner.get(url("plan_detail", case)))
    assert "Emma kommer i skole hver dag." in page
    assert "Tilføj mål" not in page and "Redigér" not in page

    response = owner.post(url("plan_goal_add", case), GOAL)
    assert response.status_code == 200
    assert "Sagen er lukket" in html(response)
    assert Goal.objects.count() == 1


# --- the plan page's query count -------------------------------------------------------------


def grown_plan(case, personas, *, goals: int, rounds: int) -> Plan:
    """A plan with ``goals`` goals (each with responsibilities of every kind), ``rounds``
    rounds of ratings, a safety map and worries linked to goals."""
    plan = services.plan_create(case=case, user=personas.owner)
    member = FamilyMember.objects.filter(family__members__citizen=case.citizen).first()
    made = []
    for n in range(goals):
        goal = services.plan_goal_add(
            plan=plan, area=list(Area.values)[n % 6], family_wording=f"Mål nummer {n}"
        )
        services.plan_responsibility_add(
            goal=goal, assignee_kind="family_member", family_member=member, task="A", when="B"
        )
        services.plan_responsibility_add(
            goal=goal, assignee_kind="professional", professional=personas.therapist, task="C",
            when="D",
        )  # fmt: skip
        services.plan_responsibility_add(
            goal=goal, assignee_kind="network", assignee_name="Mormor", task="E", when="F"
        )
        services.plan_worry_add(
            plan=plan, who_is_worried="Skolen", about="x", if_nothing_changes="y", goal=goal
        )
        services.plan_safety_entry_add(plan=plan, column="danger", text=f"Punkt {n}")
        made.append(goal)
    for r in range(rounds):
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=days_ago(100 - r),
            ratings=[
                RatingInput(goal=g, rater_kind="parent", rater_name=name, value=(r + i) % 11)
                for i, g in enumerate([None, *made])
                for name in ("Mor", "Emma")
            ],
        )
    services.plan_version_freeze(plan=plan, user=personas.owner)
    return plan


def test_the_plan_page_takes_the_same_queries_as_the_plan_grows(
    case, org, personas, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    big_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    f.family_with_child(big_case.citizen)
    measure = f.MeasureFactory(case=big_case, provider_team=org.family_house)
    f.assign(measure, personas.therapist)
    grown_plan(case, personas, goals=2, rounds=2)
    grown_plan(big_case, personas, goals=12, rounds=12)
    client = login(personas.therapist)  # not the owner: the rights are looked up too
    client.get(url("plan_detail", case))  # warm the session

    with CaptureQueriesContext(connection) as small:
        response = client.get(url("plan_detail", case))
    assert response.status_code == 200
    assert html(response).count('class="goal goal--') == 2

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("plan_detail", big_case))
    assert response.status_code == 200
    assert html(response).count('class="goal goal--') == 12
    assert html(response).count("<svg") == 2 * 13  # wide and narrow, per goal and overall


# --- every quick form, both ways -------------------------------------------------------------


def quick_forms(case, goal, rating_round, responsibility, entry):
    """(name, url, data, section id, anchor, text the answer shows, announcement)."""
    return [
        (
            "goal",
            url("plan_goal_add", case),
            GOAL,
            "plan-goals",
            "#maal-",
            GOAL["family_wording"],
            "Målet er tilføjet.",
        ),
        (
            "goal_edit",
            url("plan_goal_edit", case, goal.pk),
            {**GOAL, "family_wording": "Emma cykler i skole."},
            "plan-goals",
            f"#maal-{goal.pk}",
            "Emma cykler i skole.",
            "Målet er ændret.",
        ),
        (
            "goal_status",
            url("plan_goal_status", case, goal.pk),
            {"status": "reached", "reason": ""},
            "plan-goals",
            f"#maal-{goal.pk}",
            "✓ Nået",
            "Målets status er ændret.",
        ),
        (
            "responsibility",
            url("plan_responsibility_add", case, goal.pk),
            {"who": "network", "assignee_name": "Farmor", "task": "Læser op", "when": "Søndag"},
            "plan-goals",
            f"#maal-{goal.pk}",
            "Læser op",
            "Ansvaret er tilføjet.",
        ),
        (
            "responsibility_remove",
            url("plan_responsibility_remove", case, responsibility.pk),
            {},
            "plan-goals",
            f"#maal-{goal.pk}",
            "Ingen har fået ansvar for målet endnu.",
            "Ansvaret er fjernet.",
        ),
        (
            "safety",
            url("plan_safety_add", case),
            {"column": "needs_to_happen", "text": "Faste sengetider."},
            "plan-safety",
            "#plan-safety",
            "Faste sengetider.",
            "Punktet er tilføjet på vurderingskortet.",
        ),
        (
            "safety_remove",
            url("plan_safety_remove", case, entry.pk),
            {},
            "plan-safety",
            "#plan-safety",
            "Intet skrevet endnu.",
            "Punktet er fjernet fra vurderingskortet.",
        ),
        (
            "worry",
            url("plan_worry_add", case),
            {"who_is_worried": "Mor", "about": "nætterne", "if_nothing_changes": "træthed"},
            "plan-worries",
            "#plan-worries",
            "nætterne",
            "Bekymringsudsagnet er tilføjet.",
        ),
        (
            "round",
            url("plan_rating_round", case),
            round_data(goal),
            "plan-scaling",
            "#plan-scaling",
            "Opfølgningsmøde",
            "Skaleringsrunden er gemt.",
        ),
        (
            "rating",
            url("plan_rating_add", case, rating_round.pk),
            {"scale": "overall", "rater_kind": "child", "rater_name": "Emma", "value": "9"},
            "plan-scaling",
            "#plan-scaling",
            "Samlet vurdering",
            "Vurderingen er tilføjet til runden den "
            + rating_round.held_on.strftime("%d.%m.%Y")
            + ".",
        ),
        (
            "text",
            url("plan_section_edit", case, "droemmenes-hus"),
            {"text": "At tage i Legoland."},
            "afsnit-droemmenes-hus",
            "#afsnit-droemmenes-hus",
            "At tage i Legoland.",
            "Drømmenes hus er gemt.",
        ),
    ]


QUICK_NAMES = [
    "goal",
    "goal_edit",
    "goal_status",
    "responsibility",
    "responsibility_remove",
    "safety",
    "safety_remove",
    "worry",
    "round",
    "rating",
    "text",
]


@pytest.fixture
def quick(goal, plan, case, personas):
    rating_round = services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=days_ago(10),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=3)],
    )
    responsibility = services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Fredag"
    )
    entry = services.plan_safety_entry_add(plan=plan, column="harm", text="Råb om natten")
    forms = quick_forms(case, goal, rating_round, responsibility, entry)
    return {form[0]: form[1:] for form in forms}


def plan_state(plan) -> tuple:
    plan.refresh_from_db()
    return (
        services.plan_snapshot(plan=plan),
        list(Rating.objects.filter(round__plan=plan).values_list("id", "value")),
    )


@pytest.mark.parametrize("name", QUICK_NAMES)
def test_every_quick_form_without_javascript_saves_and_comes_back_to_its_place(
    name, quick, plan, case, owner
):
    action, data, _section, anchor, _text, message = quick[name]
    before = plan_state(plan)

    response = owner.post(action, data)

    assert response.status_code == 302
    assert response["Location"].startswith(url("plan_detail", case) + anchor)
    assert plan_state(plan) != before
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]


@pytest.mark.parametrize("name", QUICK_NAMES)
def test_every_quick_form_with_htmx_answers_with_its_updated_section(
    name, quick, plan, case, owner
):
    action, data, section, _anchor, text, message = quick[name]
    before = plan_state(plan)

    response = owner.post(action, data, **HX)

    body = assert_fragment(response, section)
    assert text in body
    assert plan_state(plan) != before
    assert triggers(response)["plan:announce"] == {"message": message}
    assert triggers(response)["plan:focus"]["selector"].startswith("#")
    assert not list(get_messages(response.wsgi_request))  # nothing left for the next page


def test_a_child_of_two_households_is_offered_once_as_responsible(goal, case, owner):
    other_household = f.family_with_child(case.citizen, name="Fars husstand")
    assert FamilyMember.objects.filter(citizen=case.citizen).count() == 2
    page = html(owner.get(url("plan_detail", case)))
    form = page.split(f'id="ansvar-{goal.pk}-who"')[1].split("</select>")[0]
    assert form.count(case.citizen.full_name) == 1
    assert other_household.name  # its parent is offered too
    assert form.count("Forælder") == 2


@pytest.mark.parametrize("name", ["plan_goal_edit", "plan_goal_status"])
def test_without_javascript_a_goal_is_edited_on_its_own_page(name, goal, case, owner):
    action = url(name, case, goal.pk)
    page = html(owner.get(action))
    form = re.search(r'<form class="quick-form"[^>]*>', page)
    assert form is not None
    assert f'action="{action}"' in form.group(0)
    assert "hx-post" not in form.group(0)
    assert f'href="{url("plan_detail", case)}#maal-{goal.pk}">Annullér' in page


def test_every_form_page_without_javascript_posts_to_a_real_address(quick, goal, case, owner):
    """Each form of the plan on its own page (what a browser without JavaScript gets) posts to
    its own URL, with no htmx attributes pointing at a page that is not there."""
    from django.urls import URLPattern

    from plans import urls

    round_id = RatingRound.objects.get().pk
    kwargs = {
        "section": "formaal",
        "goal_id": goal.pk,
        "responsibility_id": Responsibility.objects.get().pk,
        "entry_id": SafetyMapEntry.objects.get().pk,
        "round_id": round_id,
        "worry_id": services.plan_worry_add(
            plan=goal.plan, who_is_worried="Mor", about="nætterne", if_nothing_changes="træthed"
        ).pk,
    }
    checked = 0
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.callback.case_need == "read":  # type: ignore[attr-defined]
            continue
        if pattern.name == "plan_create":  # the case has its plan: nothing to create
            assert "Sagen har allerede en plan" in html(owner.get(url("plan_create", case)))
            continue
        names = [n for n in pattern.pattern.converters if n != "case_id"]  # type: ignore[attr-defined]
        action = reverse(
            f"plans:{pattern.name}", kwargs={"case_id": case.pk, **{n: kwargs[n] for n in names}}
        )
        page = html(owner.get(action))
        forms = [
            tag
            for tag in re.findall(r"<form[^>]*>", page)
            if "header-search" not in tag and "/logout/" not in tag and "/cpr/" not in tag
            and "set_language" not in tag and "/i18n/" not in tag
        ]  # fmt: skip
        assert forms, pattern.name
        for tag in forms:
            assert 'action=""' not in tag, pattern.name
            assert "hx-" not in tag, pattern.name
        checked += 1
    assert checked == 14
