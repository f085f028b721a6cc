"""The persona matrix for every page of one case, generated from cases/urls_case.py.

Every URL pattern of a case is requested by every persona. A new pattern is covered the
moment it is added, and it fails ``test_every_pattern_is_classified`` until someone decides
who may use it.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access import rules as permissions
from access.models import AccessLogEntry, CaseShare
from accounts.models import Role
from cases import deadlines as deadline_services
from cases import decisions, services, urls_case
from cases.models import (
    Assessment,
    AssessmentArea,
    Case,
    Citizen,
    Complaint,
    Deadline,
    Decision,
    FamilyInvitation,
    FamilyMember,
    FamilyRelation,
    HearingAnswer,
    JournalNote,
    Measure,
    Notification,
    PartyHearing,
    PortalConsent,
    PortalGrant,
)
from demo import factories as f

# --- classification: who may use which page ---------------------------------------------------

READ_PAGES = {"case_detail", "case_family", "case_measures"}
# The authority's own file: a provider's therapist gets a 404, as for a case it does not see.
AUTHORITY_FILE = {
    "case_notifications",
    "case_assessment",
    "case_journal",
    "case_access_log",
    "case_cpr",
    "journal_note_correct",
    "case_decisions",
    "decision_detail",
}
AUTHORITY_ACTIONS = {
    "notification_acute",
    "notification_receipt",
    "assessment_start",
    "assessment_finish",
    "assessment_preliminary",
    "case_close",
    "case_reopen",
    "deadline_handle_otherwise",
    "case_share_grant",
    "case_share_revoke",
    "portal_consent_record",
    "portal_consent_revoke",
    "portal_grant",
    "portal_grant_revoke",
    "decision_create",
    "decision_edit",
    "hearing_send",
    "hearing_answer_record",
    "decision_make",
    "complaint_register",
    "complaint_reconsider",
    "complaint_ankestyrelsen_result",
}
# Staff who work on the case with the family: inviting the family to the portal.
JOURNAL_ACTIONS = {"family_invite"}
EXPORTS = {"access_log_export"}
# Pages that accept a POST (the rest answer 405 to a POST from anyone).
POSTABLE = (
    AUTHORITY_ACTIONS | JOURNAL_ACTIONS | {"case_journal", "case_cpr", "journal_note_correct"}
)

# persona -> (read page, authority action, invite, export, the authority's file)
EXPECTED = {
    "owner": (200, 200, 200, 403, 200),
    "colleague": (404, 404, 404, 404, 404),
    "team_lead": (200, 200, 200, 200, 200),
    "therapist": (200, 403, 200, 403, 404),
    "other_therapist": (404, 404, 404, 404, 404),
    "family_user": (404, 404, 404, 404, 404),
    "other_family_user": (404, 404, 404, 404, 404),
}
OUTSIDERS = ["colleague", "other_therapist", "family_user", "other_family_user"]

PATTERNS: list[URLPattern] = [p for p in urls_case.urlpatterns if isinstance(p, URLPattern)]
NAMES = [p.name for p in PATTERNS]


def category(name: str) -> int:
    categories = (READ_PAGES, AUTHORITY_ACTIONS, JOURNAL_ACTIONS, EXPORTS, AUTHORITY_FILE)
    for index, names in enumerate(categories):
        if name in names:
            return index
    raise AssertionError(f"URL {name!r} is not classified in tests/cases/test_case_access.py")


# --- the objects a URL's int kwargs point to --------------------------------------------------


@pytest.fixture
def objects(case, personas):
    """Real objects of ``case`` for every int kwarg in urls_case."""
    Notification.objects.filter(case=case).update(
        received_at=timezone.now() - dt.timedelta(hours=1)
    )
    notification = Notification.objects.get(case=case)
    assessment = Assessment.objects.create(
        case=case,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=timezone.localdate() - dt.timedelta(days=10),
        started_by=personas.owner,
    )
    deadline = deadline_services.deadline_schedule(
        case=case,
        rule_code="acute_judgement",
        start=notification.received_at,
        notification=notification,
    )
    deadline_services.deadline_schedule(
        case=case, rule_code="receipt", start=notification.received_at, notification=notification
    )
    # A share with a colleague outside the personas, so that no persona's view changes.
    share = permissions.case_share_grant(
        case=case,
        user=f.UserFactory(role=Role.CASEWORKER),
        valid_until=timezone.localdate() + dt.timedelta(days=7),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    # A consent and a grant for adults of the child's family outside the personas.
    family = FamilyMember.objects.get(citizen=case.citizen).family
    consent = PortalConsent.objects.create(
        young_person=case.citizen,
        member=FamilyMember.objects.create(family=family, first_name="Anna", last_name="Berg"),
        given_on=timezone.localdate(),
        recorded_by=personas.owner,
    )
    grant = PortalGrant.objects.create(
        child=case.citizen,
        member=FamilyMember.objects.create(family=family, first_name="Bo", last_name="Berg"),
        reason="Deltager i planen",
        valid_until=timezone.localdate() + dt.timedelta(days=7),
        granted_by=personas.owner,
    )
    # A draft decision in a party hearing that runs for another week, and a complaint of it
    # (made directly: the persona matrix only needs the objects to exist).
    decision = decisions.decision_draft_create(
        case=case,
        user=personas.owner,
        kind=Decision.Kind.APPLICATION_GRANT,
        reasons="Barnet har behov for støtte.",
        conversation_not_held_reason="Barnet er 2 år.",
    )
    hearing = decisions.hearing_send(
        decision=decision,
        user=personas.owner,
        respond_by=timezone.localdate() + dt.timedelta(days=decisions.HEARING_MIN_DAYS),
        parties="Mor",
    )
    complaint = Complaint.objects.create(
        decision=decision,
        received_on=timezone.localdate(),
        complainant="Mor",
        text="Uenig.",
        reconsider_by=timezone.localdate() + dt.timedelta(days=28),
        registered_by=personas.owner,
    )
    return {
        "decision_id": decision.pk,
        "hearing_id": hearing.pk,
        "complaint_id": complaint.pk,
        "consent_id": consent.pk,
        "grant_id": grant.pk,
        "share_id": share.pk,
        "notification_id": notification.pk,
        "assessment_id": assessment.pk,
        "measure_id": Measure.objects.get(case=case).pk,
        "note_id": JournalNote.objects.get(case=case).pk,
        "deadline_id": deadline.pk,
    }


def url_for(pattern: URLPattern, case: Case, objects: dict[str, int]) -> str:
    kwargs = {"case_id": case.pk}
    for name in pattern.pattern.converters:  # type: ignore[attr-defined]
        if name != "case_id":
            assert name in objects, f"no object for {name!r}: add it to the objects fixture"
            kwargs[name] = objects[name]
    return reverse(f"cases:{pattern.name}", kwargs=kwargs)


# --- completeness ------------------------------------------------------------------------------


def test_every_pattern_is_classified():
    classified = READ_PAGES | AUTHORITY_ACTIONS | JOURNAL_ACTIONS | EXPORTS | AUTHORITY_FILE
    assert set(NAMES) == classified, (
        "classify new URLs (read page / authority action / invite / export / file) here: "
        f"{set(NAMES) ^ classified}"
    )
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_through_the_permission_helper(pattern):
    # cases.pages.case_page marks the views it wraps; an unwrapped view would skip the access log.
    assert hasattr(pattern.callback, "case_need"), pattern.name


# --- GET: every persona, every pattern ---------------------------------------------------------


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
        action = "export" if pattern.name in EXPORTS else "view"
        assert log.filter(action=action).exists()
        assert not log.filter(action="denied").exists()
    else:  # 403 and 404: the refused attempt is logged against the case
        assert log.filter(action="denied").exists()
    if expected == 403:
        assert "Du kan ikke udføre denne handling" in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, objects, client):
    url = url_for(pattern, case, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_case_is_404_and_logged(personas, login):
    import uuid

    missing = uuid.uuid4()
    response = login(personas.owner).get(reverse("cases:case_detail", args=[missing]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()


# --- POST: outsiders change nothing ------------------------------------------------------------

TODAY = dt.date.today().isoformat()


def post_data(case: Case, personas, org) -> dict[str, object]:
    """One payload that is valid for every form of a case page."""
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    today = timezone.localdate().isoformat()
    # A parent without a portal login: one with a login is told to log in instead.
    family = FamilyMember.objects.filter(citizen=case.citizen).first().family
    parent, _created = FamilyMember.objects.get_or_create(
        family=family, first_name="Uden", last_name="Login", user=None, is_child=False
    )
    FamilyRelation.objects.get_or_create(
        member=parent,
        child=FamilyMember.objects.get(citizen=case.citizen),
        kind=FamilyRelation.Kind.PARENT_CUSTODY,
    )
    # A step-parent without a right of their own: the caseworker may grant access.
    step_parent, _created = FamilyMember.objects.get_or_create(
        family=family, first_name="Ny", last_name="Partner", user=None, is_child=False
    )
    return {
        "member": parent.pk,
        f"invitation-{parent.pk}-email": "foraelder@example.dk",
        "outcome": Notification.AcuteOutcome.NO_ACUTE_NEED,
        "note": "Barnet er trygt hos mormor i weekenden.",
        "judged_at": now,
        "sent_at": now,
        "kind": Assessment.Kind.CHILD_ASSESSMENT,
        "started_on": today,
        "finished_on": today,
        "conclusion": "Behov for støtte i hjemmet.",
        "conversation_on": today,
        "conversation_place": "I hjemmet",
        "parents_view": "Forældrene ønsker hjælp.",
        "child_view": "Barnet vil gerne have ro.",
        **{
            f"{area}_{side}": "Beskrevet."
            for area in AssessmentArea.Area.values
            for side in ("resources", "concerns")
        },
        "expected_finish_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "legal_basis": case.measures.first().legal_basis_id,
        "purpose": "Struktur i hverdagen.",
        "expected_duration_months": "6",
        "start_date": today,
        "provider_team": org.family_house.pk,
        "therapists": [personas.other_therapist.pk],
        "consent_given_on": today,
        "hours_1": "6",
        "weeks_1": "4",
        "ended_on": today,
        "text": "Et journalnotat.",
        "reason": "Afklaret telefonisk med skolen.",
        "share-colleague": f.UserFactory(role=Role.CASEWORKER).pk,
        "share-valid_until": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        "share-reason": "Ferieafløsning",
        "consent-member": parent.pk,
        "consent-given_on": today,
        "grant-member": step_parent.pk,
        "grant-valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "grant-reason": "Far deltager i planen efter aftale med mor.",
        "art": Decision.Kind.APPLICATION_REFUSAL,
        "decision-reasons": "Behovet dækkes af almene tilbud.",
        "decision-conversation_not_held_reason": "Barnet ønskede ikke en samtale.",
        "hearing-parties": "Mor\nFar",
        "hearing-respond_by": (
            timezone.localdate() + dt.timedelta(days=decisions.HEARING_MIN_DAYS)
        ).isoformat(),
        "answer-party": "Mor",
        "answer-received_on": today,
        "answer-text": "Mor er enig.",
        "decide-reasons": "Barnet har behov for støtte i hjemmet.",
        "decide-hearing_waived_reason": "Barnets sikkerhed kræver en afgørelse i dag.",
        "complaint-received_on": today,
        "complaint-complainant": "Far",
        "complaint-text": "Far er uenig i afgørelsen.",
        "reconsider-outcome": Complaint.Outcome.UPHELD,
        "reconsider-reconsidered_on": today,
        "reconsider-sent_to_ankestyrelsen_on": today,
        "result-result": Complaint.AnkestyrelsenResult.UPHELD,
        "result-result_on": today,
    }


# What must hold before the owner's POST can succeed (the control that the payload works).
PRECONDITIONS = {
    "assessment_start": lambda case, owner: services.assessment_finish(
        assessment=case.assessments.get(),
        user=owner,
        finished_on=timezone.localdate(),
        conclusion="Afsluttet.",
        **f.assessment_content(timezone.localdate()),
    ),
    "case_close": lambda case, owner: services.measure_end(
        measure=case.measures.get(), ended_on=timezone.localdate()
    ),
    # A consent is the young person's own, from 18.
    "portal_consent_record": lambda case, owner: Citizen.objects.filter(pk=case.citizen_id).update(
        birth_date=timezone.localdate() - dt.timedelta(days=19 * 366)
    ),
    # A complaint is of a decision made; Ankestyrelsen's result of a complaint sent to it.
    "complaint_register": lambda case, owner: decisions.decision_make(
        decision=case.decisions.get(), user=owner, hearing_waived_reason="Akut."
    ),
    "complaint_ankestyrelsen_result": lambda case, owner: Complaint.objects.filter(
        decision__case=case
    ).update(outcome=Complaint.Outcome.UPHELD, sent_to_ankestyrelsen_on=timezone.localdate()),
    "case_reopen": lambda case, owner: (
        services.measure_end(measure=case.measures.get(), ended_on=timezone.localdate()),
        services.case_close(case=case, user=owner, reason="Afsluttet."),
    ),
}


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.status,
        case.closed_at,
        list(
            Notification.objects.filter(case=case).values_list(
                "id", "acute_judged_at", "receipt_sent_at"
            )
        ),
        list(
            Assessment.objects.filter(case=case).values_list(
                "id", "finished_on", "preliminary_on", "conclusion"
            )
        ),
        list(Measure.objects.filter(case=case).values_list("id", "ended_on")),
        list(
            Deadline.objects.filter(case=case).values_list("id", "met_at", "handled_otherwise_at")
        ),
        JournalNote.objects.filter(case=case).count(),
        AccessLogEntry.objects.filter(case=case, target="CPR vist").count(),
        FamilyInvitation.objects.filter(member__family__members__citizen=case.citizen).count(),
        list(CaseShare.objects.filter(content_object=case).values_list("id", "user_id")),
        list(
            PortalConsent.objects.filter(young_person=case.citizen).values_list("id", "revoked_at")
        ),
        list(PortalGrant.objects.filter(child=case.citizen).values_list("id", "revoked_at")),
        list(
            Decision.objects.filter(case=case).values_list("id", "status", "decided_at", "reasons")
        ),
        list(PartyHearing.objects.filter(decision__case=case).values_list("id", "respond_by")),
        HearingAnswer.objects.filter(hearing__decision__case=case).count(),
        list(
            Complaint.objects.filter(decision__case=case).values_list(
                "id", "outcome", "ankestyrelsen_result"
            )
        ),
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(POSTABLE))
def test_post_by_outsider_is_404_and_changes_nothing(
    name, persona, case, objects, personas, org, login
):
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, case, objects)
    if name in PRECONDITIONS:
        PRECONDITIONS[name](case, personas.owner)
    data = post_data(case, personas, org)
    before = snapshot(case)

    outsider = getattr(personas, persona)
    response = login(outsider).post(url, data)

    assert response.status_code == 404
    assert snapshot(case) == before
    assert AccessLogEntry.objects.filter(
        case=case, user=outsider, action="denied", target=url
    ).exists()

    # Control: the same payload from the owner does change the case.
    response = login(personas.owner).post(url, data)
    assert response.status_code in (200, 302)
    assert snapshot(case) != before, f"the payload did not work for {name}"


@pytest.mark.parametrize("name", sorted(set(NAMES) - POSTABLE))
def test_post_to_read_only_page_is_refused(name, case, objects, personas, org, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    before = snapshot(case)
    response = login(personas.owner).post(url_for(pattern, case, objects), {"x": "1"})
    assert response.status_code == 405
    assert snapshot(case) == before


def test_therapist_post_to_authority_action_is_403_and_changes_nothing(
    case, objects, personas, org, login
):
    data = post_data(case, personas, org)
    for name in sorted(AUTHORITY_ACTIONS):
        pattern = next(p for p in PATTERNS if p.name == name)
        url = url_for(pattern, case, objects)
        before = snapshot(case)
        response = login(personas.therapist).post(url, data)
        assert response.status_code == 403, name
        assert snapshot(case) == before, name
        assert AccessLogEntry.objects.filter(
            case=case, user=personas.therapist, action="denied", target=url
        ).exists()


def test_therapist_on_another_case_of_the_same_provider_is_404(case, objects, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=case.team)
    response = login(personas.therapist).get(reverse("cases:case_detail", args=[other.pk]))
    assert response.status_code == 404
