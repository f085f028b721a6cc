"""When things happened in each demo case: its ``Story``, drawn for a stage and a variant.

Every situation a caseworker meets is in the demo: variants cycle per stage
(``STAGE_VARIANTS``), and the day ranges are the tables of ``demo.data.families``. All times
lie in the past; ``demo.builders.cases`` then plays a story through the services.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from cases.models import Assessment, Notification
from cases.working_days import add_working_days
from demo.builders.clock import Clock, workday_back, workday_forward
from demo.data.families import (
    ACUTE_HOURS_AGO,
    ASSESSMENT,
    CLOSED,
    CLOSING,
    CLOSING_MEASURE_ENDED_DAYS_AGO,
    MEASURE,
    NOTIFICATION,
    REOPENED_PRIOR_DAYS_AGO,
    STAGE_VARIANTS,
    STORY_DAYS_AGO,
    FamilyPlan,
)


@dataclass
class Story:
    """When things happened in one child's case. Times are all in the past."""

    stage: str
    variant: str
    received_at: dt.datetime
    acute_judged_at: dt.datetime | None = None
    acute_outcome: str = Notification.AcuteOutcome.NO_ACUTE_NEED
    receipt_sent_at: dt.datetime | None = None
    needs_professional: bool = False
    assessment_kind: str | None = None
    assessment_started: dt.date | None = None
    assessment_finished: dt.date | None = None
    measure_start: dt.date | None = None
    measure_end: dt.date | None = None
    closed_at: dt.datetime | None = None
    prior: "Story | None" = None  # an earlier course, closed: this notification reopens it

    @property
    def earliest(self) -> dt.datetime:
        return self.prior.earliest if self.prior is not None else self.received_at


class StoryTeller:
    """Draws stories from the demo's clock, taking the variants of each stage in turn."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.rng = clock.rng
        self.now = clock.now
        self.today = clock.today
        self.variant_counters: Counter[str] = Counter()

    def family_stories(self, plan: FamilyPlan) -> list[Story]:
        """Siblings in the same stage share the notification and its dates."""
        by_stage: dict[str, Story] = {}
        stories = []
        for stage in plan.stages:
            if stage not in by_stage:
                by_stage[stage] = self.story(stage, plan.variant)
                if plan.reopened:
                    by_stage[stage].prior = self.screened_out(
                        self.clock.days_ago(*REOPENED_PRIOR_DAYS_AGO)
                    )
            story = by_stage[stage]
            stories.append(replace(story))
        return stories

    def story(self, stage: str, variant: str | None = None) -> Story:
        variants = STAGE_VARIANTS[stage]
        in_turn = variants[self.variant_counters[stage] % len(variants)]
        self.variant_counters[stage] += 1
        variant = variant if variant in variants else in_turn
        return getattr(self, f"_story_{stage}")(variant)

    def _received(self, day: dt.date, receipt_working_days: int | None) -> Story:
        received = self.clock.office_time(day)
        story = Story(stage="", variant="", received_at=received)
        story.acute_judged_at = min(
            received + dt.timedelta(minutes=self.rng.randint(45, 300)),
            self.now - dt.timedelta(minutes=2),
        )
        if receipt_working_days is not None:
            story.receipt_sent_at = self.clock.at(
                add_working_days(day, receipt_working_days), self.rng.randint(9, 15)
            )
        return story

    def _story_notification(self, variant: str) -> Story:
        if variant in ACUTE_HOURS_AGO:  # not judged yet
            hours = self.rng.uniform(*ACUTE_HOURS_AGO[variant])
            return Story(NOTIFICATION, variant, self.now - dt.timedelta(hours=hours))
        day = self.clock.days_ago(*STORY_DAYS_AGO[variant])
        if variant == "receipt_sent":
            story = self._received(day, receipt_working_days=1)
        else:  # receipt_overdue: judged, but more than 6 working days without a receipt
            story = self._received(day, receipt_working_days=None)
        story.stage, story.variant, story.needs_professional = NOTIFICATION, variant, True
        return story

    def _story_assessment(self, variant: str) -> Story:
        day = self.clock.days_ago(*STORY_DAYS_AGO[variant])
        late_receipt = variant == "overdue"
        story = self._received(day, self.rng.randint(8, 10) if late_receipt else 1)
        story.stage, story.variant = ASSESSMENT, variant
        story.needs_professional = late_receipt
        story.assessment_kind = (
            Assessment.Kind.CLARIFICATION
            if variant == "early" and self.rng.random() < 0.5
            else Assessment.Kind.CHILD_ASSESSMENT
        )
        story.assessment_started = min(
            workday_forward(day + dt.timedelta(days=self.rng.randint(5, 12))),
            self.today - dt.timedelta(days=1),
        )
        return story

    def _assessed_then_measure(self, start: dt.date, *, long_assessment: bool = False) -> Story:
        finished = workday_back(start - dt.timedelta(days=self.rng.randint(6, 14)))
        length = self.rng.randint(105, 125) if long_assessment else self.rng.randint(35, 95)
        started = workday_back(finished - dt.timedelta(days=length))
        received_day = workday_back(started - dt.timedelta(days=self.rng.randint(4, 10)))
        story = self._received(received_day, self.rng.randint(1, 4))
        story.assessment_kind = Assessment.Kind.CHILD_ASSESSMENT
        story.assessment_started = started
        story.assessment_finished = finished
        story.measure_start = start
        return story

    def _story_measure(self, variant: str) -> Story:
        story = self._assessed_then_measure(
            self.clock.days_ago(*STORY_DAYS_AGO[variant]),
            long_assessment=variant == "followup_due",
        )
        story.stage, story.variant = MEASURE, variant
        return story

    def _story_closing(self, variant: str) -> Story:
        story = self._assessed_then_measure(self.clock.days_ago(*STORY_DAYS_AGO[variant]))
        story.stage, story.variant = CLOSING, variant
        story.measure_end = self.clock.days_ago(*CLOSING_MEASURE_ENDED_DAYS_AGO)
        return story

    def _story_closed(self, variant: str) -> Story:
        rng, clock = self.rng, self.clock
        if variant == "screened_out":
            return self.screened_out(clock.days_ago(*STORY_DAYS_AGO[variant]))
        if variant == "after_clarification":
            day = clock.days_ago(*STORY_DAYS_AGO[variant])
            story = self._received(day, rng.randint(1, 3))
            story.assessment_kind = Assessment.Kind.CLARIFICATION
            story.assessment_started = workday_forward(day + dt.timedelta(days=rng.randint(6, 10)))
            story.assessment_finished = workday_forward(
                story.assessment_started + dt.timedelta(days=rng.randint(25, 45))
            )
            closed = story.assessment_finished + dt.timedelta(days=rng.randint(3, 7))
            story.closed_at = clock.at(workday_forward(closed), 15)
        else:  # after_measure, moved: a whole course
            received_day = clock.days_ago(*STORY_DAYS_AGO[variant])
            started = workday_forward(received_day + dt.timedelta(days=rng.randint(5, 10)))
            finished = workday_forward(started + dt.timedelta(days=rng.randint(40, 90)))
            measure_start = workday_forward(finished + dt.timedelta(days=rng.randint(7, 14)))
            length = rng.randint(100, 200) if variant == "after_measure" else 60
            measure_end = min(
                measure_start + dt.timedelta(days=length),
                self.today - dt.timedelta(days=rng.randint(12, 30)),
            )
            story = self._received(received_day, rng.randint(1, 4))
            story.assessment_kind = Assessment.Kind.CHILD_ASSESSMENT
            story.assessment_started, story.assessment_finished = started, finished
            story.measure_start = measure_start
            story.measure_end = workday_back(measure_end)
            closed = story.measure_end + dt.timedelta(days=rng.randint(2, 10))
            story.closed_at = clock.at(workday_forward(closed), 14)
        story.stage, story.variant = CLOSED, variant
        return story

    def screened_out(self, day: dt.date) -> Story:
        """A notification screened out within days: closed without an assessment."""
        story = self._received(day, 1)
        story.stage, story.variant = CLOSED, "screened_out"
        closed = workday_forward(day + dt.timedelta(days=self.rng.randint(4, 10)))
        story.closed_at = self.clock.at(closed, 14)
        return story
