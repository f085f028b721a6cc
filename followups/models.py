"""Statutory deadlines: the rule table (data) and each case's deadlines computed from it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlineRule(models.Model):
    """One row of DOMAIN.md's deadline table. Loaded by a data migration; edited as data."""

    class Trigger(models.TextChoices):
        NOTIFICATION_RECEIVED = "notification_received", _("Underretning modtaget")
        PROFESSIONAL_NOTIFICATION = (
            "professional_notification",
            _("Underretning fra fagperson modtaget"),
        )
        CONCERN_AWARE = "concern_aware", _("Kommunen bliver bekendt med bekymringen")
        MEASURE_STARTED = "measure_started", _("Indsats påbegyndt")
        FIRST_FOLLOWUP = "first_followup", _("Første opfølgning")
        BIRTHDAY_16 = "birthday_16", _("16-års fødselsdag")
        BIRTHDAY_18 = "birthday_18", _("18-års fødselsdag")

    class Unit(models.TextChoices):
        HOURS = "hours", _("timer")
        DAYS = "days", _("dage")
        WORKING_DAYS = "working_days", _("hverdage")
        MONTHS = "months", _("måneder")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("frist"), max_length=200)
    trigger = models.CharField(_("udløses af"), max_length=40, choices=Trigger.choices)
    offset = models.IntegerField(_("frist"), help_text=_("Negativ: før hændelsen"))
    unit = models.CharField(_("enhed"), max_length=20, choices=Unit.choices)
    legal_reference = models.CharField(_("lovhenvisning"), max_length=100)
    met_by = models.CharField(_("opfyldes ved"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("fristregel")
        verbose_name_plural = _("fristregler")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Deadline(models.Model):
    """A legal deadline on a case. Met by the event that fulfils it, never by ticking a box."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("sag")
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("regel")
    )
    due_at = models.DateTimeField(_("frist"))
    notification = models.ForeignKey(
        "cases.Notification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    measure = models.ForeignKey(
        "cases.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    met_at = models.DateTimeField(_("opfyldt"), null=True, blank=True)
    met_by_event = models.CharField(_("opfyldt ved"), max_length=200, blank=True)
    handled_otherwise_at = models.DateTimeField(_("håndteret på anden vis"), null=True, blank=True)
    handled_otherwise_reason = models.TextField(_("begrundelse"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering = ["due_at"]
        constraints = [
            # Each triggering event yields its deadline once, however often a service runs.
            models.UniqueConstraint(
                fields=["rule", "notification"],
                condition=Q(notification__isnull=False),
                name="deadline_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["rule", "measure"],
                condition=Q(measure__isnull=False),
                name="deadline_once_per_measure",
            ),
        ]
        indexes = [
            models.Index(
                fields=["case", "due_at"],
                condition=Q(met_at__isnull=True, handled_otherwise_at__isnull=True),
                name="deadline_open_case_due",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(met_at__isnull=True, handled_otherwise_at__isnull=True),
                name="deadline_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.title} {timezone.localtime(self.due_at):%d.%m.%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.handled_otherwise_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def was_late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due_at
