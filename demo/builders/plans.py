"""The plans of the demo cases (``seed_demo``): written with the family, in their words.

Every plan is filled through ``plans.services`` the way a caseworker fills it at a meeting:
purpose, the child's voice and the parents' view, goals across the areas with who does what,
the Signs of Safety map and worry statements, then a round of 0–10 ratings at every meeting
from the first plan meeting until today. Version 1 is frozen at the plan meeting; some plans
are revised (version 2) at a follow-up with a goal reworded, so the comparison shows something.

The services stamp "now" on bookkeeping times (a round's ``recorded_at``, a version's
``frozen_at``, the plan deadline's ``met_at``); those are moved to the story's dates, as the
rest of the demo does. Goals, tasks and every other text are the tables of ``demo.data.plans``.
"""

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from accounts.models import User
from cases.models import Case, Deadline, FamilyMember, FamilyRelation, age_on
from demo.builders.clock import workday_back, workday_forward
from demo.data.plans import (
    ALL,
    AREA_WEIGHTS,
    BABY,
    BABY_TASKS,
    CHILD_VOICES,
    DROPPED_REASONS,
    FORMULATED_BY,
    FORMULATED_BY_TEEN,
    GOALS,
    HOUSES,
    INSTITUTION,
    INTERNAL_NOTES,
    LAST_ROUND_NOTE,
    LEISURE_PEOPLE,
    MAP,
    PARENTS_VIEWS,
    PURPOSES,
    RELATIVE_NAMES,
    ROUND_NOTES,
    SCHOOL,
    SCHOOL_PEOPLE,
    SMALL,
    TASKS,
    TEEN,
    VERSION_1_REASON,
    VERSION_2_REASON,
    WORRIES,
    Column,
    GoalText,
    WorryText,
)
from plans import services as plans
from plans.models import Area, Goal, Plan, PlanVersion, Rating, RatingRound, Responsibility
from plans.services import RatingInput

Rater = Rating.RaterKind


def band_of(age: int) -> str:
    """The age band of the tables in ``demo.data.plans``."""
    return BABY if age <= 1 else SMALL if age <= 5 else SCHOOL if age <= 13 else TEEN


# --- building one plan -----------------------------------------------------------------------


@dataclass
class PlanSubject:
    """The case and the people around the child that a plan is written with."""

    case: Case
    child: FamilyMember
    parents: Sequence[FamilyMember]  # the adults at home, the custodial parent first
    owner: User
    therapist: User
    institution: str  # daycare, school or education; the health visitor for a baby at home
    has_institution: bool
    relative: str  # e.g. "mormor"
    measure_start: dt.date
    measure_end: dt.date | None  # the measure has ended (closing stage)
    planned_end: dt.date | None
    decided_at: dt.datetime
    min_rounds: int = 2
    # The relative's first name ("Karina" of "faster Karina"), drawn by the case builder so the
    # plan and the network map name the same person.
    relative_first_name: str = ""
    # The people outside the family the plan names ("Fodboldtræner Kasper"), with their part
    # of the child's life: the network builder puts each on the map.
    named_people: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class _Person:
    kind: str  # Rating.RaterKind
    name: str
    start: int  # the first answer
    gain: int  # how much better by the last round
    present: float  # the chance of being at a later meeting


@dataclass
class _Story:
    goals: list[Goal] = field(default_factory=list)
    templates: dict[int, GoalText] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)  # reached goals are not rated again


def parents_at_home(child: FamilyMember) -> list[FamilyMember]:
    """The parents and step-parents of ``child`` in its household, custodial parents first."""
    order: dict[str, int] = {
        FamilyRelation.Kind.PARENT_CUSTODY: 0,
        FamilyRelation.Kind.STEP_PARENT: 1,
    }
    relations = (
        FamilyRelation.objects.filter(child=child, kind__in=list(order))
        .select_related("member")
        .order_by("id")
    )
    return [r.member for r in sorted(relations, key=lambda r: order[r.kind])]


class DemoPlanWriter:
    """Fills the (empty) plan that the first measure created, and backdates what needs it."""

    def __init__(
        self,
        *,
        rng: random.Random,
        subject: PlanSubject,
        today: dt.date,
        at: Callable[[dt.date, int], dt.datetime],
    ) -> None:
        self.rng = rng
        self.s = subject
        self.today = today
        self.at = at
        citizen = subject.case.citizen
        self.age = age_on(citizen.birth_date, today)
        self.band = band_of(self.age)
        first_name = subject.relative_first_name or rng.choice(RELATIVE_NAMES[subject.relative])
        relative_name = f"{subject.relative} {first_name}"
        self.relative_person = relative_name[:1].upper() + relative_name[1:]
        parent = subject.parents[0]
        self.words = {
            "child": citizen.first_name,
            "parent": parent.first_name or parent.name,
            "institution": subject.institution,
            "at_institution": f"{_preposition(subject.institution)} {subject.institution}",
            "relative": relative_name,
            "relative_title": self.relative_person,
            "therapist_first": subject.therapist.first_name,
            "caseworker_first": subject.owner.first_name,
        }

    def text(self, template: str) -> str:
        return template.format(**self.words)

    def fits(self, template: str, bands: frozenset[str] = ALL) -> bool:
        return self.band in bands and (self.s.has_institution or INSTITUTION not in template)

    # --- when things happen -----------------------------------------------------------------

    def round_dates(self) -> list[dt.date]:
        """The meetings with a round of ratings, all in the past: the first is the plan
        meeting a few days after the measure started; then frequent at first, sparser later."""
        last = workday_back(min(self.s.measure_end or self.today, self.today - dt.timedelta(1)))
        start = self.s.measure_start
        span = (last - start).days
        first = workday_forward(start + dt.timedelta(days=self.rng.randint(2, max(2, span // 5))))
        if first >= last:
            first = start
        span = (last - first).days
        count = max(self.s.min_rounds, min(6, 2 + span // 21 + self.rng.randint(0, 1)))
        dates = [first]
        for index in range(1, count):
            fraction = (index / (count - 1)) ** 1.3
            day = workday_back(first + dt.timedelta(days=round(fraction * span)))
            if day <= dates[-1]:
                day = workday_forward(dates[-1] + dt.timedelta(days=1))
            if day > last:
                break
            dates.append(day)
        return dates

    # --- the content ------------------------------------------------------------------------

    def goal_pool(self, area: str, used: set[str] | None = None) -> list[GoalText]:
        return [
            t
            for t in GOALS[area]
            if self.fits(t.family, t.bands) and t.family not in (used or set())
        ]

    def choose_goals(self, count: int) -> list[tuple[str, GoalText]]:
        areas = [a for a in AREA_WEIGHTS[self.band] if self.goal_pool(a)]
        # Mostly the first areas, but every plan a little different.
        picked = self.rng.sample(areas[:4], k=min(count, 4, len(areas[:4])))
        return [(area, self.rng.choice(self.goal_pool(area))) for area in picked]

    def fill(self) -> Plan:
        rng, s = self.rng, self.s
        plan = plans.plan_create(case=s.case, user=s.owner)
        dates = self.round_dates()
        plan_meeting = dates[0]
        houses = 4 <= self.age <= 9
        house = rng.choice(HOUSES)
        plans.plan_update(
            plan=plan,
            purpose=self.text(rng.choice(PURPOSES[self.band])),
            child_voice=self.text(rng.choice(CHILD_VOICES[BABY if self.age < 3 else self.band])),
            parents_view=self.text(rng.choice([t for t, b in PARENTS_VIEWS if self.band in b])),
            house_worries=self.text(house[0]) if houses else "",
            house_good_things=self.text(house[1]) if houses else "",
            house_dreams=self.text(house[2]) if houses else "",
            internal_note=self.text(rng.choice(INTERNAL_NOTES)) if rng.random() < 0.5 else "",
        )
        story = _Story()
        count = rng.randint(2, 4)
        if s.min_rounds >= 3:  # the demo logins: a fuller plan to look at
            count = max(count, 3)
        for area, template in self.choose_goals(count):
            self.add_goal(plan, story, area, template)
        self.cover_every_kind(story)
        self.safety_map(plan)
        self.worries(plan, story)

        version = plans.plan_version_freeze(plan=plan, user=s.owner, reason=VERSION_1_REASON)
        frozen_at = self.at(plan_meeting, 12)
        PlanVersion.objects.filter(pk=version.pk).update(frozen_at=frozen_at)
        # The plan was made at the meeting, not when the demo was generated.
        Deadline.objects.filter(case=s.case, rule__code="plan", met_at__isnull=False).update(
            met_at=frozen_at
        )
        Goal.objects.filter(plan=plan).update(created_at=self.at(plan_meeting, 10))

        people = self.raters()
        revise_at = None
        if len(dates) >= 4 and (s.min_rounds >= 3 or rng.random() < 0.6):
            revise_at = len(dates) // 2
        last_change = frozen_at
        for index, held_on in enumerate(dates):
            if index == revise_at:
                last_change = self.revise(plan, story, held_on, dates[index - 1])
            self.rating_round(plan, story, people, dates, index)
        last_change = max(last_change, self.finish_goals(story, dates[-1]))
        Plan.objects.filter(pk=plan.pk).update(created_at=s.decided_at, updated_at=last_change)
        return plan

    def add_goal(self, plan: Plan, story: _Story, area: str, template: GoalText) -> Goal:
        rng = self.rng
        by = FORMULATED_BY_TEEN if self.band == TEEN else FORMULATED_BY
        professional = template.professional if rng.random() < 0.8 else ""
        goal = plans.plan_goal_add(
            plan=plan,
            area=area,
            family_wording=self.text(template.family),
            professional_wording=self.text(professional),
            formulated_by=self.text(rng.choice(by)),
            target_date=self.s.planned_end,
        )
        story.goals.append(goal)
        story.templates[goal.pk] = template
        # A parent always has a part; one or two others too.
        kinds = ["network", "professional"] + (["child"] if self.age >= 4 else [])
        self.responsibility(goal, "parent")
        for kind in rng.sample(kinds, k=rng.randint(1, 2)):
            self.responsibility(goal, kind)
        return goal

    def task(self, area: str, kind: str) -> tuple[str, str]:
        if self.band == BABY and area in BABY_TASKS:
            pool = BABY_TASKS[area][kind]
        elif kind == "child":
            pool = TASKS[area]["child_teen" if self.age >= 13 else "child_young"]
        else:
            pool = TASKS[area][kind]
        task, when = self.rng.choice([t for t in pool if self.fits(t[0])] or pool)
        return self.text(task), when

    def responsibility(self, goal: Goal, kind: str) -> None:
        rng, s = self.rng, self.s
        Kind = Responsibility.AssigneeKind
        task, when = self.task(goal.area, kind)
        member: FamilyMember | None = None
        professional: User | None = None
        name = ""
        if kind == "parent":
            assignee_kind, member = Kind.FAMILY_MEMBER, rng.choice(list(s.parents[:2]))
        elif kind == "child":
            assignee_kind, member = Kind.CHILD, s.child
        elif kind == "network":
            leisure = goal.area == Area.LEISURE and self.band != BABY
            assignee_kind = Kind.NETWORK
            name = rng.choice(LEISURE_PEOPLE) if leisure else self.relative_person
            if leisure:
                s.named_people.add(("friends", name))
        elif goal.area == Area.SCHOOL and s.has_institution and rng.random() < 0.5:
            # The teacher or the pedagogue: a professional outside the system, by name.
            assignee_kind, name = Kind.PROFESSIONAL, rng.choice(SCHOOL_PEOPLE[self.band])
            s.named_people.add(("school", name))
        else:
            assignee_kind, professional = Kind.PROFESSIONAL, s.therapist
        plans.plan_responsibility_add(
            goal=goal,
            assignee_kind=assignee_kind,
            family_member=member,
            professional=professional,
            assignee_name=name,
            task=task,
            when=when,
        )

    def cover_every_kind(self, story: _Story) -> None:
        """Every plan names the network and the therapist (and the child, when old enough)
        somewhere, besides the parents: the demo shows who does what."""
        responsibilities = Responsibility.objects.filter(goal__in=story.goals)
        present = set(responsibilities.values_list("assignee_kind", flat=True))
        wanted = {Responsibility.AssigneeKind.NETWORK: "network"}
        if self.age >= 4:
            wanted[Responsibility.AssigneeKind.CHILD] = "child"
        for code, kind in wanted.items():
            if code not in present:
                self.responsibility(self.rng.choice(story.goals), kind)
        if not responsibilities.filter(professional=self.s.therapist).exists():
            goal = story.goals[0]
            task, when = self.task(goal.area, "professional")
            plans.plan_responsibility_add(
                goal=goal,
                assignee_kind=Responsibility.AssigneeKind.PROFESSIONAL,
                professional=self.s.therapist,
                task=task,
                when=when,
            )

    def safety_map(self, plan: Plan) -> None:
        rng = self.rng

        def entries(column: str, k: int) -> list[str]:
            pool = [text for text, bands in MAP[column] if self.fits(text, bands)]
            return rng.sample(pool, k=min(k, len(pool)))

        columns = [(Column.HARM, 1), (Column.DANGER, 1)]
        if rng.random() < 0.7:
            columns.append((Column.COMPLICATING, 1))
        columns += [(Column.WORKING_WELL, rng.randint(2, 3)), (Column.NEEDS_TO_HAPPEN, 2)]
        if rng.random() < 0.5:
            columns[-1] = (Column.NEEDS_TO_HAPPEN, 3)
        for column, k in columns:
            for text in entries(column, k):
                plans.plan_safety_entry_add(plan=plan, column=column, text=self.text(text))

    def worries(self, plan: Plan, story: _Story) -> None:
        """One or two worry statements, each with its wellbeing goal and the plan goal it
        serves; when no goal's own area has one that fits, a worry about the family."""
        rng = self.rng
        wanted = rng.randint(1, 2)
        used: set[str] = set()

        def fitting(area: str) -> list[WorryText]:
            return [w for w in WORRIES[area] if self.fits(w[0] + w[1], w[5]) and w[1] not in used]

        for goal in rng.sample(story.goals, k=len(story.goals)):
            pool = fitting(goal.area)
            if pool and len(used) < wanted:
                used.add(self.worry(plan, goal, rng.choice(pool)))
        if not used:
            used.add(self.worry(plan, story.goals[0], rng.choice(fitting(Area.FAMILY))))

    def worry(self, plan: Plan, goal: Goal, worry: WorryText) -> str:
        who, about, if_nothing, wellbeing, how_long, _bands = worry
        plans.plan_worry_add(
            plan=plan,
            who_is_worried=self.text(who),
            about=self.text(about),
            if_nothing_changes=self.text(if_nothing),
            wellbeing_goal=self.text(wellbeing),
            for_how_long=how_long,
            goal=goal,
        )
        return about

    # --- ratings over time ------------------------------------------------------------------

    def raters(self) -> list[_Person]:
        rng, s = self.rng, self.s
        weeks = max(1, ((s.measure_end or self.today) - s.measure_start).days // 7)
        scale = min(1.0, (weeks + 3) / 16)  # short courses have had less time to change
        # A course that has ended mostly went well (the closing letter says so).
        low_gain, high_gain = (3.5, 6.0) if s.measure_end is not None else (2.0, 5.5)

        def person(kind: str, name: str, low: int, high: int, present: float) -> _Person:
            gain = max(1, round(rng.uniform(low_gain, high_gain) * scale))
            return _Person(kind, name, rng.randint(low, high), gain, present)

        people = []
        if self.age >= 6:
            people.append(person(Rater.CHILD, s.case.citizen.first_name, 3, 5, 0.85))
        seen: set[str] = set()
        for number, parent in enumerate(s.parents):
            name = parent.first_name or parent.name
            if name.casefold() in seen:
                name = parent.name
            seen.add(name.casefold())
            people.append(person(Rater.PARENT, name, 2, 5, 1.0 if number == 0 else 0.75))
        people.append(person(Rater.CASEWORKER, str(s.owner), 2, 4, 0.9))
        people.append(person(Rater.THERAPIST, str(s.therapist), 2, 5, 1.0))
        return people

    def value(self, person: _Person, offset: int, index: int, count: int) -> int:
        fraction = index / (count - 1) if count > 1 else 0.0
        trend = person.start + offset + person.gain * fraction
        noise = self.rng.choice((-1, 0, 0, 0, 1)) if index else 0
        return max(0, min(10, round(trend + noise)))

    def rating_round(
        self, plan: Plan, story: _Story, people: list[_Person], dates: list[dt.date], index: int
    ) -> None:
        rng = self.rng
        count = len(dates)
        ratings = []
        for position, person in enumerate(people):
            # Everyone is at the plan meeting; later someone is sometimes not there.
            if index and rng.random() > person.present:
                continue
            ratings.append(
                RatingInput(None, person.kind, person.name, self.value(person, 0, index, count))
            )
            for number, goal in enumerate(story.goals):
                if goal.pk in story.closed:
                    continue
                # Some goals are easier than others: a stable offset per goal and person.
                offset = (goal.pk + position + number) % 3 - 1
                value = self.value(person, offset, index, count)
                ratings.append(RatingInput(goal, person.kind, person.name, value))
        if index == 0:
            note = ROUND_NOTES[0]
        elif index == count - 1 and self.s.measure_end is not None:
            note = LAST_ROUND_NOTE
        else:
            note = rng.choice(ROUND_NOTES[1:])
        held_on = dates[index]
        rating_round = plans.plan_rating_round_record(
            plan=plan, user=self.s.owner, held_on=held_on, ratings=ratings, note=note
        )
        RatingRound.objects.filter(pk=rating_round.pk).update(recorded_at=self.at(held_on, 11))

    # --- revising the plan and closing goals --------------------------------------------------

    def revise(self, plan: Plan, story: _Story, held_on: dt.date, previous: dt.date) -> dt.datetime:
        """A follow-up meeting: a goal reworded, one that went well reached, sometimes a new
        one; frozen as version 2, so the comparison of versions shows what changed."""
        rng = self.rng
        revisable = [g for g in story.goals if story.templates[g.pk].revised]
        goal = rng.choice(revisable or story.goals)
        template = story.templates[goal.pk]
        wording = (
            self.text(template.revised)
            if template.revised
            else f"{goal.family_wording} Vi tager det et skridt ad gangen."
        )
        plans.plan_goal_update(goal=goal, family_wording=wording)
        latest = _latest_values(story.goals, previous)
        for other in story.goals:
            values = latest[other.pk]
            if other != goal and _good_enough(values, mean=7.0):
                plans.plan_goal_set_status(goal=other, status=Goal.Status.REACHED)
                story.closed.add(other.pk)
                break
        if rng.random() < 0.5:
            used = {t.family for t in story.templates.values()}
            areas = [a for a in AREA_WEIGHTS[self.band][:4] if self.goal_pool(a, used)]
            if areas:
                area = rng.choice(areas)
                new = self.add_goal(plan, story, area, rng.choice(self.goal_pool(area, used)))
                Goal.objects.filter(pk=new.pk).update(created_at=self.at(held_on, 10))
        version = plans.plan_version_freeze(plan=plan, user=self.s.owner, reason=VERSION_2_REASON)
        frozen_at = self.at(held_on, 12)
        PlanVersion.objects.filter(pk=version.pk).update(frozen_at=frozen_at)
        return frozen_at

    def finish_goals(self, story: _Story, last_meeting: dt.date) -> dt.datetime:
        """At the latest meeting a goal everyone rates high is reached; now and then one is no
        longer a goal."""
        rng = self.rng
        latest = _latest_values(story.goals, last_meeting)
        mean = 6.5 if self.s.measure_end is not None else 7.0
        for goal in story.goals:
            values = latest[goal.pk]
            high = goal.pk not in story.closed and _good_enough(values, mean=mean)
            if high and rng.random() < 0.8:
                plans.plan_goal_set_status(goal=goal, status=Goal.Status.REACHED)
        open_goals = [g for g in story.goals if g.status == Goal.Status.OPEN]
        if len(story.goals) >= 3 and len(open_goals) >= 2 and rng.random() < 0.2:
            plans.plan_goal_set_status(
                goal=rng.choice(open_goals),
                status=Goal.Status.DROPPED,
                reason=self.text(rng.choice(DROPPED_REASONS)),
            )
        return self.at(last_meeting, 12)


def _good_enough(values: Sequence[int], *, mean: float) -> bool:
    """Reached: high on average, and nobody far behind."""
    return bool(values) and min(values) >= 5 and sum(values) / len(values) >= mean


def _latest_values(goals: Sequence[Goal], held_on: dt.date) -> dict[int, list[int]]:
    """Each goal's answers in the round held on ``held_on``."""
    values: dict[int, list[int]] = {goal.pk: [] for goal in goals}
    rows = Rating.objects.filter(goal__in=goals, round__held_on=held_on)
    for goal_id, value in rows.values_list("goal_id", "value"):
        values[goal_id].append(value)
    return values


def _preposition(institution: str) -> str:
    """»på Fjordbyskolen«, »på FGU Fjordby«, but »i Børnehaven Troldehøj«."""
    school = ("skole", "gymnasium", "fgu", "efterskole")
    return "på" if any(word in institution.casefold() for word in school) else "i"


def demo_plan_fill(
    *,
    subject: PlanSubject,
    rng: random.Random,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
) -> Plan:
    """Write the plan of one demo case with its own ``rng``, so that the rest of the demo
    (drawn from ``seed_demo``'s generator) is the same with or without the plans."""
    return DemoPlanWriter(rng=rng, subject=subject, today=today, at=at).fill()
