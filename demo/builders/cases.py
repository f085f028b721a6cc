"""Each demo case's course, played through ``cases.services`` as a caseworker would: the
notification and its acute judgement and receipt, the assessment with its journal notes, the
measure with the therapist's notes, and closing; then the plan, sessions, follow-ups and
network of a case with a measure (``demo.builders.plans``, ``followups``, ``network``).

The services stamp bookkeeping times with "now"; the demo's history lies in the past, so such
stamps are moved to the story's dates. Deadlines are computed by the deadline engine exactly as
for real cases and are not touched. The texts are ``demo.data.cases``.
"""

import datetime as dt
import random
from typing import Any

from dateutil.relativedelta import relativedelta

from accounts.models import Team, User
from cases import services
from cases.models import (
    Case,
    Deadline,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
    age_on,
)
from demo.builders.clock import Clock, workday_back, workday_forward
from demo.builders.decisions import end_measure
from demo.builders.families import ChildPlan, draw_concern
from demo.builders.followups import demo_followups_for_plan
from demo.builders.network import demo_network_for_plan
from demo.builders.plans import PlanSubject, demo_plan_fill, parents_at_home
from demo.builders.stories import Story
from demo.data.cases import (
    ACUTE_ACTION_NOTE,
    ACUTE_NONE_NOTES,
    ASSESSMENT_AREAS,
    BASES,
    BASES_IN_TURN,
    BASIS_FROM_13,
    CHILD_VIEWS,
    CHILD_VIEWS_SMALL,
    CLARIFICATION_NO_NEED,
    CLOSING_REASONS,
    CONCLUSIONS,
    CONVERSATION_DAYS_BEFORE_FINISH,
    CONVERSATION_PLACE,
    DURATION_MONTHS,
    HOURS_TAPER,
    NOTE_CHILD_CONVERSATION,
    NOTE_CHILD_OBSERVATION,
    NOTE_DECISION,
    NOTE_FOLLOW_UP_CALL,
    NOTE_HANDOVER,
    NOTE_HEARING,
    NOTE_NETWORK_CORRECTION,
    NOTE_NETWORK_MEETING,
    NOTE_SAFETY_PLAN,
    NOTE_SCALING,
    NOTE_SCREENING,
    NOTE_STATUS_LETTER_DRAFT,
    NOTE_STATUS_LETTER_RECEIVED,
    PARENTS_VIEWS,
    PREVENTIVE_BASIS,
    PURPOSES,
    THERAPIST_NOTE_OLDER_CHILD,
    THERAPIST_NOTE_TAPER,
    THERAPIST_NOTES,
    Concern,
)
from demo.data.people import (
    HEALTH_VISITORS,
    PSYCHOLOGIST,
    RELATIVES,
    TEAM_HOUSE,
    THERAPISTS_IN_TURN,
)
from demo.data.plans import RELATIVE_NAMES

Reporter = Notification.ReporterKind


class CaseBuilder:
    def __init__(
        self, clock: Clock, *, users: dict[str, User], teams: dict[str, Team], seed: Any
    ) -> None:
        self.clock = clock
        self.rng = clock.rng
        self.now = clock.now
        self.today = clock.today
        self.users = users
        self.teams = teams
        self.seed = seed  # the plans, follow-ups and network maps seed their own generators
        self.bases = {b.code: b for b in LegalBasis.objects.filter(code__in=PURPOSES)}
        self.therapist_turn = 0

    def case(self, child: ChildPlan) -> Case:
        if child.story.prior is not None:
            self.course(
                child, child.story.prior, draw_concern(self.rng, "family", professional=False)
            )
        return self.course(child, child.story, child.concern)

    def words(self, child: ChildPlan) -> dict[str, str]:
        return {
            "child": child.citizen.first_name,
            "parent": child.parent.first_name,
            "parent_full": child.parent.name,
            "institution": child.institution,
            "relative": child.relative,
        }

    def note(
        self, case: Case, author: User, text: str, at: dt.datetime, words: dict[str, str]
    ) -> JournalNote | None:
        if at > self.now:
            return None
        note = services.journal_note_add(case=case, author=author, text=text.format(**words))
        # The services stamp bookkeeping times with "now"; the demo's history lies in the past,
        # so such stamps are moved to the story's dates. Deadlines are not touched.
        JournalNote.objects.filter(pk=note.pk).update(created_at=at)
        return note

    def course(self, child: ChildPlan, story: Story, concern: Concern) -> Case:
        rng, owner, words = self.rng, child.owner, self.words(child)
        notification = services.notification_register(
            user=owner,
            citizen=child.citizen,
            received_at=story.received_at,
            kind=concern.kind,
            reporter_kind=concern.reporter_kind,
            reporter_name=concern.reporter_name.format(**words),
            reporter_organisation=concern.organisation.format(**words),
            concern=concern.text.format(**words),
        )
        case = notification.case
        registered = min(story.received_at + dt.timedelta(minutes=rng.randint(10, 40)), self.now)
        Notification.objects.filter(pk=notification.pk).update(registered_at=registered)
        if case.reopened_at is not None:
            Case.objects.filter(pk=case.pk).update(reopened_at=registered)
        elif case.notifications.count() == 1:
            Case.objects.filter(pk=case.pk).update(opened_at=registered)

        if story.acute_judged_at is not None:
            acute = story.acute_outcome
            if (
                concern.band == "family"
                and concern.reporter_kind == Reporter.PROFESSIONAL
                and rng.random() < 0.15
            ):
                acute = Notification.AcuteOutcome.ACUTE_ACTION
            text = (
                ACUTE_ACTION_NOTE
                if acute == Notification.AcuteOutcome.ACUTE_ACTION
                else rng.choice(ACUTE_NONE_NOTES)
            )
            services.notification_judge_acute(
                notification=notification,
                user=owner,
                outcome=acute,
                note=text.format(**words),
                judged_at=story.acute_judged_at,
            )
            self.note(
                case,
                owner,
                rng.choice(NOTE_SCREENING),
                story.acute_judged_at + dt.timedelta(minutes=20),
                words,
            )
        if notification.needs_receipt and story.receipt_sent_at is not None:
            services.notification_send_receipt(
                notification=notification, user=owner, sent_at=story.receipt_sent_at
            )

        if story.assessment_started is not None:
            self.assessment(case, child, story, words)
        if story.measure_start is not None:
            measure, therapist = self.measure(case, child, story, words)
            # Written while the case was open; a closed case keeps its last plan.
            self.plan(case, child, story, measure, therapist)
        if story.closed_at is not None:
            variant = story.variant if story.variant in CLOSING_REASONS else "screened_out"
            if story.measure_start is not None:
                self.note(
                    case,
                    owner,
                    NOTE_STATUS_LETTER_RECEIVED,
                    story.closed_at - dt.timedelta(hours=2),
                    words,
                )
            services.case_close(
                case=case, user=owner, reason=CLOSING_REASONS[variant].format(**words)
            )
            Case.objects.filter(pk=case.pk).update(closed_at=story.closed_at)
            Deadline.objects.filter(case=case, handled_otherwise_at__gt=story.closed_at).update(
                handled_otherwise_at=story.closed_at
            )
        return case

    def assessment(self, case: Case, child: ChildPlan, story: Story, words: dict[str, str]) -> None:
        rng, owner = self.rng, child.owner
        assert story.assessment_started is not None and story.assessment_kind is not None
        started = story.assessment_started
        assessment = services.assessment_start(
            case=case, user=owner, kind=story.assessment_kind, started_on=started
        )
        small = child.citizen.birth_date > started - relativedelta(years=4)
        self.note(
            case,
            owner,
            NOTE_CHILD_OBSERVATION if small else NOTE_CHILD_CONVERSATION,
            self.clock.at(workday_forward(started + dt.timedelta(days=rng.randint(3, 10))), 15),
            words,
        )
        meeting = self.clock.at(
            workday_forward(started + dt.timedelta(days=rng.randint(14, 28))), 10
        )
        # Now and then the first note names the wrong relative and is corrected the next day.
        if rng.random() < 0.25:
            wrong = rng.choice([r for r in RELATIVES if r != child.relative])
            original = self.note(
                case, owner, NOTE_NETWORK_MEETING, meeting, {**words, "relative": wrong}
            )
            fixed_at = meeting + dt.timedelta(days=1)
            if original is not None and fixed_at <= self.now:
                correction = services.journal_note_correct(
                    note=original,
                    author=owner,
                    text=NOTE_NETWORK_CORRECTION.format(**words, wrong_relative=wrong),
                )
                JournalNote.objects.filter(pk=correction.pk).update(created_at=fixed_at)
        else:
            self.note(case, owner, NOTE_NETWORK_MEETING, meeting, words)
        self.note(case, owner, NOTE_SCALING, meeting + dt.timedelta(hours=1), words)
        if story.assessment_finished is None:
            return
        finished = story.assessment_finished
        self.note(
            case, owner, NOTE_HEARING, self.clock.at(finished - dt.timedelta(days=14), 13), words
        )
        if story.measure_start is None:
            conclusion = CLARIFICATION_NO_NEED
        else:
            conclusion = CONCLUSIONS[self.basis_index(child, story) % len(CONCLUSIONS)]
        services.assessment_finish(
            assessment=assessment,
            user=owner,
            finished_on=finished,
            conclusion=conclusion.format(**words),
            parents_view=rng.choice(PARENTS_VIEWS).format(**words),
            child_view=rng.choice(CHILD_VIEWS_SMALL if small else CHILD_VIEWS).format(**words),
            conversation_on=max(
                assessment.started_on,
                finished - dt.timedelta(days=CONVERSATION_DAYS_BEFORE_FINISH),
            ),
            conversation_place=CONVERSATION_PLACE,
            areas={
                area: (resources.format(**words), concerns.format(**words))
                for area, (resources, concerns) in ASSESSMENT_AREAS.items()
            },
        )

    def basis_index(self, child: ChildPlan, story: Story) -> int:
        return BASES.index(self.basis_code(child, story))

    def basis_code(self, child: ChildPlan, story: Story) -> str:
        assert story.measure_start is not None
        age = age_on(child.citizen.birth_date, story.measure_start)
        if age >= 13:
            return BASIS_FROM_13
        return BASES_IN_TURN[(child.family_index + child.position) % len(BASES_IN_TURN)]

    def measure(
        self, case: Case, child: ChildPlan, story: Story, words: dict[str, str]
    ) -> tuple[Measure, User]:
        rng, owner = self.rng, child.owner
        assert story.measure_start is not None
        start = story.measure_start
        code = self.basis_code(child, story)
        if story.measure_end is not None:
            months = max(1, round((story.measure_end - start).days / 30))
        else:
            months = rng.randint(*DURATION_MONTHS[code])
        therapist_name = child.therapist
        if therapist_name is None:
            therapist_name = THERAPISTS_IN_TURN[self.therapist_turn % len(THERAPISTS_IN_TURN)]
            self.therapist_turn += 1
        therapists = [self.users[therapist_name]]
        if code == PREVENTIVE_BASIS:  # a psychologist is attached to every preventive measure
            therapists.append(self.users[PSYCHOLOGIST])
        consent = workday_back(start - dt.timedelta(days=rng.randint(1, 5)))
        decided = self.clock.at(consent, 11)
        measure = services.measure_order(
            case=case,
            user=owner,
            legal_basis=self.bases[code],
            purpose=rng.choice(PURPOSES[code]).format(**words),
            expected_duration_months=months,
            start_date=start,
            planned_end_date=start + relativedelta(months=months),
            provider_team=self.teams[TEAM_HOUSE],
            consent_given_on=consent,
            therapists=therapists,
            hours_steps=HOURS_TAPER[code],
            decided_at=decided,
        )
        MeasureAssignment.objects.filter(measure=measure).update(
            assigned_at=decided + dt.timedelta(days=1)
        )
        self.note(case, owner, NOTE_DECISION, decided + dt.timedelta(hours=2), words)

        last = story.measure_end or self.today
        therapist = therapists[0]
        pool = list(THERAPIST_NOTES)
        if age_on(child.citizen.birth_date, start) >= 7:
            pool.append(THERAPIST_NOTE_OLDER_CHILD)
        rng.shuffle(pool)
        pool.append(THERAPIST_NOTE_TAPER)  # the hours are reduced toward the end
        # Frequent visits at first, sparser toward the end.
        for offset, text in zip((3, 10, 21, 38, 60, 90), pool, strict=False):
            day = start + dt.timedelta(days=offset)
            if day > last:
                break
            self.note(
                case,
                therapist,
                text,
                self.clock.at(workday_forward(day), rng.randint(9, 16)),
                words,
            )
        if (last - start).days > 30:
            extra = rng.choice((NOTE_SAFETY_PLAN, NOTE_FOLLOW_UP_CALL))
            self.note(
                case,
                owner,
                extra,
                self.clock.at(workday_forward(start + dt.timedelta(days=28)), 12),
                words,
            )
        if story.measure_end is not None:
            end = story.measure_end
            self.note(
                case, therapist, NOTE_HANDOVER, self.clock.at(end - dt.timedelta(days=3), 10), words
            )
            self.note(case, therapist, NOTE_STATUS_LETTER_DRAFT, self.clock.at(end, 13), words)
            end_measure(measure, ended_on=end, today=self.today)
        return measure, therapist

    def plan(
        self, case: Case, child: ChildPlan, story: Story, measure: Measure, therapist: User
    ) -> None:
        """The plan the first measure created, written with the family; then the measure's
        sessions and follow-ups and the case's network map and meetings."""
        assert story.measure_start is not None
        decided = Measure.objects.values_list("decided_at", flat=True).get(pk=measure.pk)
        subject = PlanSubject(
            case=case,
            child=child.member,
            parents=parents_at_home(child.member) or [child.parent],
            owner=child.owner,
            therapist=therapist,
            institution=child.institution,
            has_institution=child.institution != HEALTH_VISITORS,
            relative=child.relative,
            relative_first_name=random.Random(f"{self.seed}:relative:{case.number}").choice(
                RELATIVE_NAMES[child.relative]
            ),
            measure_start=story.measure_start,
            measure_end=story.measure_end,
            planned_end=measure.planned_end_date,
            decided_at=decided,
            min_rounds=3 if child.has_login else 2,
        )
        # Each plan draws from its own generator: the rest of the demo stays as it was.
        rng = random.Random(f"{self.seed}:plan:{case.number}")
        demo_plan_fill(subject=subject, rng=rng, today=self.today, at=self.clock.at)
        # Sessions and follow-ups on the measure, from a generator of their own too.
        demo_followups_for_plan(
            subject=subject,
            measure=measure,
            seed=f"{self.seed}:followups:{case.number}",
            today=self.today,
            at=self.clock.at,
        )
        demo_network_for_plan(
            subject=subject,
            seed=f"{self.seed}:network:{case.number}",
            today=self.today,
            at=self.clock.at,
        )
