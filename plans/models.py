"""One case – one plan: goals in the family's words, who does what, Signs of Safety, scaling.

The plan is edited live; revising it freezes the current content as a numbered
``PlanVersion`` (a JSON snapshot that stays readable and can be compared). Ratings are a time
series (rounds at dates), never versioned away.

The rules (who may be responsible, what a rating may be, what a snapshot holds) live in
``plans/services.py``; the constraints here are the database's last line of defence.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    class Kind(models.TextChoices):
        CHILDS_PLAN = "childs_plan", _("Barnets plan")
        YOUTH_PLAN = "youth_plan", _("Ungeplan")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="plan", verbose_name=_("sag")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("overordnet formål"), blank=True)
    child_voice = models.TextField(_("barnets stemme"), blank=True)
    parents_view = models.TextField(_("forældrenes syn"), blank=True)
    # Three Houses, for younger children.
    house_worries = models.TextField(_("bekymringernes hus"), blank=True)
    house_good_things = models.TextField(_("de gode tings hus"), blank=True)
    house_dreams = models.TextField(_("drømmenes hus"), blank=True)
    internal_note = models.TextField(
        _("intern note"), blank=True, help_text=_("Ses kun af fagpersoner, aldrig af familien.")
    )
    # The number the live (not yet frozen) content will get when it is frozen.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.case.number}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", kwargs={"case_id": self.case_id})


class PlanVersion(models.Model):
    """A frozen version of the plan's content. Never changed after it is written."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("fastfrosset"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fastfrosset af"),
    )
    reason = models.CharField(_("anledning"), max_length=300, blank=True)
    snapshot = models.JSONField(_("indhold"))

    class Meta:
        verbose_name = _("planversion")
        verbose_name_plural = _("planversioner")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "plans:plan_version", kwargs={"case_id": self.plan.case_id, "number": self.number}
        )


class Area(models.TextChoices):
    """The classic areas of a child's plan (Barnets Lov § 91)."""

    DEVELOPMENT = "development", _("Udvikling og adfærd")
    FAMILY = "family", _("Familieforhold")
    SCHOOL = "school", _("Skole, læring, uddannelse og beskæftigelse")
    HEALTH = "health", _("Sundhedsforhold")
    LEISURE = "leisure", _("Fritidsforhold, venskaber og fællesskaber")
    OTHER = "other", _("Andre relevante forhold")


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Åbent")
        REACHED = "reached", _("Nået")
        DROPPED = "dropped", _("Opgivet")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    area = models.CharField(_("område"), max_length=20, choices=Area.choices)
    family_wording = models.TextField(_("målet med familiens egne ord"))
    professional_wording = models.TextField(_("faglig formulering"), blank=True)
    formulated_by = models.CharField(_("formuleret af"), max_length=200, blank=True)
    target_date = models.DateField(_("måldato"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    dropped_reason = models.TextField(_("begrundelse for at opgive målet"), blank=True)
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="goal_dropped_has_reason",
            ),
            models.CheckConstraint(condition=~Q(family_wording=""), name="goal_has_wording"),
        ]

    def __str__(self) -> str:
        return self.family_wording[:60]

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", kwargs={"case_id": self.plan.case_id}) + (
            f"#maal-{self.pk}"
        )


class Responsibility(models.Model):
    """Who does what for a goal."""

    class AssigneeKind(models.TextChoices):
        FAMILY_MEMBER = "family_member", _("Familiemedlem")
        CHILD = "child", _("Barnet/den unge")
        NETWORK = "network", _("Netværksperson")
        PROFESSIONAL = "professional", _("Fagperson")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("mål")
    )
    assignee_kind = models.CharField(_("hvem"), max_length=20, choices=AssigneeKind.choices)
    family_member = models.ForeignKey(
        "cases.FamilyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("familiemedlem"),
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fagperson"),
    )
    # A network person by name until the network map exists; a professional outside the system.
    assignee_name = models.CharField(_("navn"), max_length=200, blank=True)
    task = models.TextField(_("opgave"))
    when = models.CharField(_("hvornår"), max_length=200)
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("ansvar")
        verbose_name_plural = _("ansvar")
        ordering = ["position", "id"]
        constraints = [
            # Exactly one way of naming the person, and one that fits the kind.
            models.CheckConstraint(
                condition=Q(
                    assignee_kind__in=["family_member", "child"],
                    family_member__isnull=False,
                    professional__isnull=True,
                    assignee_name="",
                )
                | Q(
                    assignee_kind="professional",
                    family_member__isnull=True,
                    professional__isnull=False,
                    assignee_name="",
                )
                | (
                    Q(
                        assignee_kind__in=["child", "network", "professional"],
                        family_member__isnull=True,
                        professional__isnull=True,
                    )
                    & ~Q(assignee_name="")
                ),
                name="responsibility_one_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignee} – {self.task[:40]}"

    @property
    def assignee(self) -> str:
        if self.family_member_id and self.family_member is not None:
            return self.family_member.name
        if self.professional_id and self.professional is not None:
            return str(self.professional)
        return self.assignee_name


class SafetyMapEntry(models.Model):
    """One entry in the Signs of Safety assessment map's three columns."""

    class Column(models.TextChoices):
        HARM = "harm", _("Tidligere skade")
        DANGER = "danger", _("Fremtidig fare")
        COMPLICATING = "complicating", _("Komplicerende faktorer")
        WORKING_WELL = "working_well", _("Det, der fungerer godt")
        NEEDS_TO_HAPPEN = "needs_to_happen", _("Det, der skal ske")

    # The first three are the "what are we worried about" column, split in three.
    WORRY_COLUMNS = (Column.HARM, Column.DANGER, Column.COMPLICATING)

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="safety_map", verbose_name=_("plan")
    )
    column = models.CharField(_("kolonne"), max_length=20, choices=Column.choices)
    text = models.TextField(_("tekst"))
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("punkt på vurderingskortet")
        verbose_name_plural = _("vurderingskort")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_column_display()}: {self.text[:40]}"


class WorryStatement(models.Model):
    """A danger/worry statement in plain family language, with its wellbeing goal."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="worries", verbose_name=_("plan")
    )
    who_is_worried = models.CharField(_("hvem er bekymret"), max_length=200)
    about = models.TextField(_("bekymret for hvad"))
    if_nothing_changes = models.TextField(_("hvad kan ske, hvis intet ændrer sig"))
    wellbeing_goal = models.TextField(
        _("trivselsmål"), blank=True, help_text=_("Hvad vil man se, når det er godt nok?")
    )
    for_how_long = models.CharField(_("hvor længe"), max_length=200, blank=True)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worries",
        verbose_name=_("planens mål"),
    )
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("bekymringsudsagn")
        verbose_name_plural = _("bekymringsudsagn")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.who_is_worried}: {self.about[:40]}"


class RatingRound(models.Model):
    """One meeting's round of 0–10 scaling questions."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="rating_rounds", verbose_name=_("plan")
    )
    held_on = models.DateField(_("dato"))
    note = models.CharField(_("anledning"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("skaleringsrunde")
        verbose_name_plural = _("skaleringsrunder")
        ordering = ["held_on", "id"]
        constraints = [
            # The development is a time series: one round per meeting day, so each person has
            # at most one answer per goal per date (what the chart in plans/charts.py draws).
            models.UniqueConstraint(fields=["plan", "held_on"], name="ratinground_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y}"


class Rating(models.Model):
    """One person's answer to the scaling question (10 = good enough to close)."""

    class RaterKind(models.TextChoices):
        CHILD = "child", _("Barnet/den unge")
        PARENT = "parent", _("Forælder")
        CASEWORKER = "caseworker", _("Sagsbehandler")
        THERAPIST = "therapist", _("Familiebehandler")
        NETWORK = "network", _("Netværksperson")
        OTHER = "other", _("Anden")

    round = models.ForeignKey(
        RatingRound,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("skaleringsrunde"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("mål"),
        help_text=_("Tom: den samlede vurdering"),
    )
    rater_kind = models.CharField(_("hvem"), max_length=20, choices=RaterKind.choices)
    rater_name = models.CharField(_("navn"), max_length=200)
    value = models.PositiveSmallIntegerField(
        _("vurdering 0–10"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name = _("skalering")
        verbose_name_plural = _("skaleringer")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=10), name="rating_0_to_10"),
            # Two partial constraints rather than one with nulls_distinct=False, which SQLite
            # does not support: once per person per goal, and once per person overall.
            models.UniqueConstraint(
                fields=["round", "goal", "rater_name"],
                condition=Q(goal__isnull=False),
                name="rating_once_per_round_goal_rater",
            ),
            models.UniqueConstraint(
                fields=["round", "rater_name"],
                condition=Q(goal__isnull=True),
                name="rating_once_per_round_overall_rater",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater_name}: {self.value}"
