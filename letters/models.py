"""The closing status letter (afsluttende statusskrivelse) of a measure: its versions, the
family's comments, and its one rendering to PDF; and the letter of a decision (afgørelsesbrev),
rendered once to PDF the same way."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Decision, FamilyMember, Measure


class LetterSection(models.TextChoices):
    """The sections of a closing status letter, in the order they are printed."""

    COURSE = "course", _("Forløbet")
    COLLABORATION = "collaboration", _("Samarbejdet med familien")
    THEMES = "themes", _("Temaer vi har arbejdet med")
    GOALS = "goals", _("Målene og hvor langt de er nået")
    HANDOVER = "handover", _("Hvem tager over")


class ClosingLetter(models.Model):
    """The closing status letter (afsluttende statusskrivelse) of one measure.

    Written by the therapist in versions; the family reads each version sent for review,
    comments per section or approves; the approved version (or, with a recorded reason, the
    last one sent for review) is rendered once to PDF and sent.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        IN_REVIEW = "in_review", _("Til gennemsyn hos familien")
        APPROVED = "approved", _("Godkendt af familien")
        SENT = "sent", _("Sendt")

    measure = models.OneToOneField(
        Measure, on_delete=models.PROTECT, related_name="closing_letter", verbose_name=_("indsats")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="closing_letters", verbose_name=_("sag")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skrevet af"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reviewers = models.ManyToManyField(
        FamilyMember,
        related_name="letters_to_review",
        blank=True,
        verbose_name=_("læses af"),
        help_text=_(
            "Forældre med forældremyndighed; et barn på 10 år eller mere, hvis "
            "sagsbehandleren beslutter det."
        ),
    )
    review_due_on = models.DateField(_("svarfrist for familien"), null=True, blank=True)
    approved_version = models.ForeignKey(
        "ClosingLetterVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt version"),
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt af"),
    )
    sent_without_approval_reason = models.TextField(
        _("begrundelse for at sende uden godkendelse"), blank=True
    )
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("afsluttende statusskrivelse")
        verbose_name_plural = _("afsluttende statusskrivelser")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "status"], name="letter_case_status")]

    def __str__(self) -> str:
        return f"Statusskrivelse – {self.case.number}"


class ClosingLetterVersion(models.Model):
    """One version of the letter's text. Frozen once sent for review; a revision is a new one."""

    letter = models.ForeignKey(
        ClosingLetter, on_delete=models.CASCADE, related_name="versions", verbose_name=_("brev")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    # {section value: text} for every LetterSection.
    sections = models.JSONField(_("afsnit"), default=dict)
    change_note = models.CharField(_("hvad er ændret"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    sent_for_review_at = models.DateTimeField(_("sendt til gennemsyn"), null=True, blank=True)

    class Meta:
        verbose_name = _("version af statusskrivelse")
        verbose_name_plural = _("versioner af statusskrivelse")
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="letterversion_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.sent_for_review_at is not None


class ClosingLetterComment(models.Model):
    """A family member's comment on one section (or the whole) of a version under review."""

    version = models.ForeignKey(
        ClosingLetterVersion,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("version"),
    )
    section = models.CharField(
        _("afsnit"), max_length=20, choices=LetterSection.choices, blank=True
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar til statusskrivelse")
        verbose_name_plural = _("kommentarer til statusskrivelse")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_section_display() or '—'}: {self.text[:40]}"


class LetterRendering(models.Model):
    """The PDF of the version that is sent: rendered once, stored, never changed afterwards."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RENDERING = "rendering", _("Dannes")
        FAILED = "failed", _("Fejlet")
        DONE = "done", _("Færdig")

    version = models.OneToOneField(
        ClosingLetterVersion,
        on_delete=models.PROTECT,
        related_name="rendering",
        verbose_name=_("version"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    error = models.TextField(_("fejl"), blank=True)
    file = models.FileField(_("PDF"), upload_to="letters/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("sat i kø"), default=timezone.now)
    started_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("dannet"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF af statusskrivelse")
        verbose_name_plural = _("PDF'er af statusskrivelser")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")),
                name="rendering_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.get_status_display()}"


class DecisionLetter(models.Model):
    """The letter of a decision made (``cases.Decision``), with its complaint guidance: rendered
    once to PDF by the worker (``letters.tasks.render_decision_letter``, the same claim as a
    closing letter's ``LetterRendering``), stored with its SHA-256, never changed afterwards."""

    Status = LetterRendering.Status

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="letter", verbose_name=_("afgørelse")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    error = models.TextField(_("fejl"), blank=True)
    file = models.FileField(_("PDF"), upload_to="letters/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("sat i kø"), default=timezone.now)
    started_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("dannet"), null=True, blank=True)

    class Meta:
        verbose_name = _("afgørelsesbrev")
        verbose_name_plural = _("afgørelsesbreve")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")),
                name="decisionletter_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Afgørelsesbrev {self.decision_id} – {self.get_status_display()}"
