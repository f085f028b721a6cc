"""Follow-ups on measures (§ 95) and the goals' evaluations at them, the therapist's session
log and the reminders the sweep raises. The statutory deadlines themselves are cases' models
(``cases.DeadlineRule``, ``cases.Deadline``)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FollowUp(models.Model):
    """A follow-up on a measure (Barnets Lov § 95): is it working, go on, adjust or end?

    The first is created with the measure and tied to the statutory first-follow-up deadline;
    at the first follow-up the caseworker decides the later ones, with reasons the family sees.
    """

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Fortsæt som planlagt")
        ADJUST = "adjust", _("Justér indsatsen")
        END = "end", _("Afslut indsatsen")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="followups", verbose_name=_("sag")
    )
    measure = models.ForeignKey(
        "cases.Measure",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("indsats"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    due_on = models.DateField(_("skal holdes senest"))
    deadline = models.OneToOneField(
        "cases.Deadline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup",
        verbose_name=_("lovpligtig frist"),
    )
    held_on = models.DateField(_("holdt"), null=True, blank=True)
    participants = models.TextField(_("deltagere"), blank=True)
    decision = models.CharField(
        _("beslutning"), max_length=10, choices=Decision.choices, blank=True
    )
    decision_reasons = models.TextField(_("begrundelse for beslutningen"), blank=True)
    measure_decision = models.OneToOneField(
        "cases.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup",
        verbose_name=_("afgørelse om ændring eller ophør"),
        help_text=_("Oprettet som udkast, når opfølgningen beslutter at justere eller afslutte."),
    )
    schedule_reasons = models.TextField(
        _("begrundelse for de næste opfølgninger"),
        blank=True,
        help_text=_("Familien kan se begrundelsen."),
    )
    rating_round = models.ForeignKey(
        "plans.RatingRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("skaleringsrunde"),
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("planversion"),
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    completed_at = models.DateTimeField(_("registreret"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("opfølgning")
        verbose_name_plural = _("opfølgninger")
        ordering = ["due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="followup_number_unique"),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | ~Q(decision=""),
                name="followup_held_has_decision",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(held_on__isnull=True), name="followup_open_due"
            ),
            models.Index(fields=["case", "due_on"], name="followup_case_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. opfølgning {self.due_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "followups:followup_detail",
            kwargs={"case_id": self.case_id, "followup_id": self.pk},
        )

    @property
    def is_held(self) -> bool:
        return self.held_on is not None


class GoalEvaluation(models.Model):
    """How far one goal of the plan got, as judged at a follow-up."""

    class Verdict(models.TextChoices):
        REACHED = "reached", _("Nået")
        ON_TRACK = "on_track", _("På vej")
        NOT_ON_TRACK = "not_on_track", _("Ikke på vej")
        NOT_RELEVANT = "not_relevant", _("Ikke længere relevant")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="evaluations")
    goal = models.ForeignKey(
        "plans.Goal", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("mål")
    )
    verdict = models.CharField(_("vurdering"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        verbose_name = _("evaluering af mål")
        verbose_name_plural = _("evalueringer af mål")
        constraints = [
            models.UniqueConstraint(fields=["followup", "goal"], name="evaluation_once_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.get_verdict_display()}"


class Session(models.Model):
    """The therapist's log of one session with the family. Drafts are kept on the server."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        LOGGED = "logged", _("Registreret")

    class Location(models.TextChoices):
        HOME = "home", _("I hjemmet")
        FAMILY_HOUSE = "family_house", _("I familiehuset")
        LEISURE = "leisure", _("Ved en fritidsaktivitet")
        SCHOOL = "school", _("I skole/dagtilbud")
        SHOPPING = "shopping", _("Ved indkøb")
        OTHER = "other", _("Andet sted")

    class Method(models.TextChoices):
        FAMILY_CONVERSATION = "family_conversation", _("Familiesamtale")
        SELECTED_MEMBERS = "selected_members", _("Samtale med udvalgte familiemedlemmer")
        FAMILY_ACTIVITY = "family_activity", _("Familieaktivitet")
        GUIDANCE = "guidance", _("Konkret vejledning ud fra observation")
        STRUCTURE = "structure", _("Struktur og rytme i hverdagen")
        UPBRINGING = "upbringing", _("Råd om opdragelse og samvær med børnene")
        SCHOOL_CONTACT = "school_contact", _("Støtte i kontakten med skole/dagtilbud")
        NETWORK_MEETING = "network_meeting", _("Netværksmøde")
        VIDEO_FEEDBACK = "video_feedback", _("Familieøvelser med videofeedback")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("sag")
    )
    measure = models.ForeignKey(
        "cases.Measure",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("indsats"),
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("familiebehandler"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Null only while a draft: the service requires them when the session is logged.
    date = models.DateField(_("dato"), null=True, blank=True)
    start_time = models.TimeField(_("starttidspunkt"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("varighed (minutter)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
    )
    location = models.CharField(_("sted"), max_length=20, choices=Location.choices, blank=True)
    location_other = models.CharField(_("andet sted"), max_length=200, blank=True)
    family_participants = models.ManyToManyField(
        "cases.FamilyMember", related_name="sessions", blank=True, verbose_name=_("familien")
    )
    network_participants = models.CharField(_("netværkspersoner"), max_length=500, blank=True)
    second_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_sessions",
        verbose_name=_("anden behandler"),
    )
    methods = models.JSONField(_("metoder"), default=list, blank=True)
    goals = models.ManyToManyField(
        "plans.Goal", related_name="sessions", blank=True, verbose_name=_("mål arbejdet med")
    )
    internal_note = models.TextField(
        _("internt notat"), blank=True, help_text=_("Ses kun af fagpersoner.")
    )
    family_summary = models.TextField(
        _("opsummering til familien"), blank=True, help_text=_("Familien kan se opsummeringen.")
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest gemt"), auto_now=True)
    logged_at = models.DateTimeField(_("registreret"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessioner")
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(date__isnull=False, duration_minutes__isnull=False) & ~Q(location=""),
                name="session_logged_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "date"], name="session_measure_date"),
            models.Index(fields=["case", "-date"], name="session_case_date"),
            models.Index(fields=["therapist", "status"], name="session_therapist_status"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}" if self.date else str(_("Kladde"))

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Reminder(models.Model):
    """A reminder raised by the sweep: exactly one per item, level and recipient.

    ``item`` names what it is about ("deadline:42", "followup:7", later "letter:3"); the unique
    constraint is what makes the sweep exactly-once under retries and concurrent sweeps.
    """

    class Level(models.TextChoices):
        COMING_DUE = "coming_due", _("Frist nærmer sig")
        DUE = "due", _("Frist i dag")
        OVERDUE = "overdue", _("Frist overskredet")
        ESCALATED = "escalated", _("Overskredet længe – til teamleder")
        # Not a deadline step: a message in the inbox (e.g. a closing letter has been sent).
        LETTER_SENT = "letter_sent", _("Statusskrivelse modtaget")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("modtager"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("sag")
    )
    item = models.CharField(_("emne"), max_length=40)
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices)
    title = models.CharField(_("titel"), max_length=200)
    due_at = models.DateTimeField(_("frist"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mail sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "recipient"], name="reminder_once_per_item_level"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="reminder_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient"),
            # What deliver_reminders claims, recipient by recipient (see reminders._unsent).
            models.Index(
                fields=["recipient", "created_at", "id"],
                condition=Q(emailed_at__isnull=True),
                name="reminder_unsent_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        """Where the reminder leads: the follow-up, or the case page that lists its deadlines."""
        from django.urls import reverse

        kind, _sep, pk = self.item.partition(":")
        if kind == "followup":
            return reverse(
                "followups:followup_detail", kwargs={"case_id": self.case_id, "followup_id": pk}
            )
        if kind == "letter":
            return reverse(
                "letters:closing_letter_detail", kwargs={"case_id": self.case_id, "letter_id": pk}
            )
        return reverse("cases:case_detail", kwargs={"case_id": self.case_id})
