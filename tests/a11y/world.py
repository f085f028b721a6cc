"""One small world in which every page of the app has something to show.

The personas of tests/conftest.py (plus a psychologist and an administrator) around one case
in the measure stage, with a plan, a network, a follow-up, sessions, closing letters in every
state, a reminder and an invitation. Built with the same services and factories as the
persona matrices; ``kwargs`` gives every URL keyword a real value (a ``name:kwarg`` key wins
over a plain ``kwarg`` key for that one URL name).
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from access.rules import case_share_grant
from accounts.models import OrganisationUnit, Role
from cases import deadlines as deadline_services
from cases import decisions, portal_rights
from cases.models import (
    Assessment,
    Complaint,
    Deadline,
    DeadlineRule,
    Decision,
    FamilyMember,
    FamilyRelation,
    PortalConsent,
)
from demo import factories as f
from file_access import services as file_access_services
from followups import sessions as services_session
from followups.models import Reminder
from letters import services as services_letters
from plans import services as plan_services
from plans.models import Area
from plans.services import RatingInput


def build_world() -> SimpleNamespace:
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team_a = f.TeamFactory(unit=authority, name="Team Nord")
    team_b = f.TeamFactory(unit=authority, name="Team Syd")
    house = f.TeamFactory(unit=provider, name="Familiehusets team")

    owner = f.UserFactory(username="owner", role=Role.CASEWORKER, first_name="Mette")
    colleague = f.UserFactory(username="colleague", role=Role.CASEWORKER)
    team_lead = f.UserFactory(username="lead", role=Role.TEAM_LEAD)
    therapist = f.UserFactory(username="therapist", role=Role.THERAPIST)
    psychologist = f.UserFactory(username="psychologist", role=Role.PSYCHOLOGIST)
    admin = f.UserFactory(
        username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True, first_name="Kim"
    )
    family_user = f.UserFactory(username="parent", role=Role.FAMILY, first_name="Katrine")
    f.add_member(team_a, owner)
    f.add_member(team_a, team_lead, lead=True)
    f.add_member(team_b, colleague)
    f.add_member(house, therapist)
    f.add_member(house, psychologist)

    case = f.CaseFactory(owner=owner, team=team_a, status="measure")
    notification = f.NotificationFactory(
        case=case, received_at=timezone.now() - dt.timedelta(hours=1)
    )
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    note = f.JournalNoteFactory(case=case)
    f.family_with_child(case.citizen, family_user)
    parent = FamilyMember.objects.get(user=family_user)

    assessment = Assessment.objects.create(
        case=case,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=timezone.localdate() - dt.timedelta(days=10),
        started_by=owner,
    )
    deadline = deadline_services.deadline_schedule(
        case=case,
        rule_code="acute_judgement",
        start=notification.received_at,
        notification=notification,
    )
    after_18 = Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code="after_18"),
        due_at=timezone.now() + dt.timedelta(days=30),
    )
    reminder = Reminder.objects.create(
        recipient=owner,
        case=case,
        item=f"deadline:{after_18.pk}",
        level=Reminder.Level.COMING_DUE,
        title="Afgørelse om støtte efter det fyldte 18. år",
        due_at=after_18.due_at,
    )

    # The plan: a goal with a responsibility, the safety map, a worry, a rating round, a version.
    plan = plan_services.plan_create(case=case, user=owner)
    goal = plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag")
    responsibility = plan_services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Fredag"
    )
    entry = plan_services.plan_safety_entry_add(plan=plan, column="harm", text="Råb om natten")
    worry = plan_services.plan_worry_add(
        plan=plan, who_is_worried="Skolen", about="Fravær", if_nothing_changes="Mister klassen"
    )
    rating_round = plan_services.plan_rating_round_record(
        plan=plan,
        user=owner,
        held_on=timezone.localdate() - dt.timedelta(days=7),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=4)],
    )
    version = plan_services.plan_version_freeze(plan=plan, user=owner, reason="Planmøde")

    # The network: two members, a version, a meeting with a decision.
    network = f.network_with_meeting(case, owner)

    # Follow-up and sessions: one logged session and the therapist's draft.
    followup = f.FollowUpFactory(measure=measure, number=1, due_on=timezone.localdate())
    f.logged_session(case, therapist, measure, internal_note="Intern note")
    draft = services_session.session_start(case=case, user=therapist, measure=measure)

    # Closing letters: a draft, one in the family's review, one approved and sent.
    second = f.MeasureFactory(case=case, provider_team=house)
    f.assign(second, therapist)
    in_review = f.letter_in_review(second, therapist, family_user)
    third = f.MeasureFactory(case=case, provider_team=house)
    f.assign(third, therapist)
    sent = f.letter_in_review(third, therapist, family_user)
    services_letters.letter_approve(letter=sent, user=family_user)
    sent.refresh_from_db()
    services_letters.letter_deliver(rendering=f.rendering_done(sent.approved_version.rendering))
    fourth = f.MeasureFactory(case=case, provider_team=house)
    f.assign(fourth, therapist)
    letter_draft = f.letter_draft(fourth, therapist)
    fifth = f.MeasureFactory(case=case, provider_team=house)  # no letter yet
    f.assign(fifth, therapist)

    # The other parent, without a portal login yet, is invited.
    invited = FamilyMember.objects.create(
        family=parent.family, first_name="Anders", last_name="Holm", is_child=False
    )
    FamilyRelation.objects.create(
        member=invited,
        child=FamilyMember.objects.get(citizen=case.citizen),
        kind=FamilyRelation.Kind.PARENT_CUSTODY,
    )
    _invitation, token = f.invitation_with_token(
        case=case, member=invited, user=owner, email="foraelder@example.dk"
    )

    # Holiday cover: the case shared with a colleague outside the personas.
    share = case_share_grant(
        case=case,
        user=f.UserFactory(role=Role.CASEWORKER, username="afloeser"),
        valid_until=timezone.localdate() + dt.timedelta(days=14),
        reason="Ferieafløsning",
        granted_by=owner,
    )

    # Who of the family sees the case: a step-parent granted access until next month, and a
    # consent (recorded directly: the child is under 18, so it counts for nothing yet).
    step_parent = FamilyMember.objects.create(
        family=parent.family, first_name="Ole", last_name="Holm", is_child=False
    )
    grant = portal_rights.portal_grant(
        case=case,
        member=step_parent,
        reason="Deltager i planen efter aftale med mor",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        granted_by=owner,
    )
    consent = PortalConsent.objects.create(
        young_person=case.citizen,
        member=invited,
        given_on=timezone.localdate(),
        recorded_by=owner,
    )

    # A decision in a party hearing, and a complaint of it (made directly: the pages need
    # the objects, not the rules).
    decision = decisions.decision_draft_create(
        case=case,
        user=owner,
        kind=Decision.Kind.APPLICATION_GRANT,
        reasons="Barnet har behov for støtte i hverdagen.",
        conversation_not_held_reason="Barnet er for lille til en samtale.",
    )
    hearing = decisions.hearing_send(
        decision=decision,
        user=owner,
        respond_by=timezone.localdate() + dt.timedelta(days=decisions.HEARING_MIN_DAYS),
        parties="Mor",
    )
    complaint = Complaint.objects.create(
        decision=decision,
        received_on=timezone.localdate(),
        complainant="Mor",
        text="Vi er uenige i afgørelsen.",
        reconsider_by=timezone.localdate() + dt.timedelta(days=28),
        registered_by=owner,
    )

    # A request for access to the files (aktindsigt), with one journal note exempt.
    file_request = file_access_services.request_register(
        case=case,
        user=owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alle sagens dokumenter.",
    )
    exemption = file_access_services.exemption_add(
        request=file_request,
        user=owner,
        document=f"journal_note:{note.pk}",
        reason="Internt arbejdsdokument.",
        legal_basis="Forvaltningsloven § 12",
    )

    kwargs: dict[str, object] = {
        "case_id": case.pk,
        "request_id": file_request.pk,
        "exemption_id": exemption.pk,
        "cases:decision_detail:decision_id": decision.pk,
        "cases:hearing_send:decision_id": decision.pk,
        "cases:hearing_answer_record:decision_id": decision.pk,
        "cases:decision_make:decision_id": decision.pk,
        "cases:complaint_register:decision_id": decision.pk,
        "cases:complaint_reconsider:decision_id": decision.pk,
        "cases:complaint_ankestyrelsen_result:decision_id": decision.pk,
        "hearing_id": hearing.pk,
        "complaint_id": complaint.pk,
        "grant_id": grant.pk,
        "consent_id": consent.pk,
        "share_id": share.pk,
        "citizen_id": case.citizen.pk,
        "notification_id": notification.pk,
        "assessment_id": assessment.pk,
        "measure_id": measure.pk,
        "closing_letter_start:measure_id": fifth.pk,
        "note_id": note.pk,
        "deadline_id": deadline.pk,
        "letter_id": letter_draft.pk,
        "closing_letter_detail:letter_id": in_review.pk,
        "closing_letter_compare:letter_id": in_review.pk,
        "closing_letter_pdf:letter_id": sent.pk,
        "family:letter_detail:letter_id": in_review.pk,
        "family:letter_comment:letter_id": in_review.pk,
        "family:letter_approve:letter_id": in_review.pk,
        "family:letter_preview_pdf:letter_id": in_review.pk,
        "family:letter_pdf:letter_id": sent.pk,
        "followup_id": followup.pk,
        "session_id": draft.pk,
        "section": "formaal",
        "goal_id": goal.pk,
        "responsibility_id": responsibility.pk,
        "entry_id": entry.pk,
        "worry_id": worry.pk,
        "round_id": rating_round.pk,
        "number": version.number,
        "member_id": network.member.pk,
        "snapshot_id": network.snapshot.pk,
        "meeting_id": network.meeting.pk,
        "decision_id": network.decision.pk,
        "pk": reminder.pk,
        "token": token,
        "object_id": owner.pk,
        "id": owner.pk,
    }
    return SimpleNamespace(
        case=case,
        kwargs=kwargs,
        users={
            "caseworker": owner,
            "colleague": colleague,
            "team_lead": team_lead,
            "therapist": therapist,
            "psychologist": psychologist,
            "admin": admin,
            "family": family_user,
        },
    )
