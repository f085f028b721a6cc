"""The closing status letter (afsluttende statusskrivelse) of a measure: its versions, the
family's comments, and its one rendering to PDF; and the letter of a decision (afgørelsesbrev),
rendered once to PDF the same way."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Citizen, Decision, FamilyMember, Measure


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


class RenderedPdf(models.Model):
    """A PDF the worker renders exactly once (the closing letter's rendering, the decision
    letter, the aktindsigt bundle): the file, its SHA-256, and the state of the claim that
    ``letters.render_once`` moves (queued → rendering → done, or failed and retried) with the
    attempts, the reason of the last failure and when it was queued, started and rendered.
    Each model adds what it renders and a constraint that a done row has a file and a hash."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RENDERING = "rendering", _("Dannes")
        FAILED = "failed", _("Fejlet")
        DONE = "done", _("Færdig")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    error = models.TextField(_("fejl"), blank=True)
    # The letters' folder; a model keeping its PDFs elsewhere declares its own ``file``.
    file = models.FileField(_("PDF"), upload_to="letters/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("sat i kø"), default=timezone.now)
    started_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("dannet"), null=True, blank=True)

    class Meta:
        abstract = True


class LetterRendering(RenderedPdf):
    """The PDF of the version that is sent: rendered once, stored, never changed afterwards."""

    version = models.OneToOneField(
        ClosingLetterVersion,
        on_delete=models.PROTECT,
        related_name="rendering",
        verbose_name=_("version"),
    )

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


class DecisionLetter(RenderedPdf):
    """The letter of a decision made (``cases.Decision``), with its complaint guidance: rendered
    once to PDF by the worker (``letters.tasks.render_decision_letter``, the same claim as a
    closing letter's ``LetterRendering``), stored with its SHA-256, never changed afterwards."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="letter", verbose_name=_("afgørelse")
    )

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


class DigitalPostExemption(models.Model):
    """A citizen exempted from Digital Post (fritaget for Digital Post): letters to them go to
    the print queue. Kept on the letters side (cases owns the citizen record)."""

    citizen = models.OneToOneField(
        Citizen,
        on_delete=models.CASCADE,
        related_name="digital_post_exemption",
        verbose_name=_("borger"),
    )
    note = models.CharField(_("bemærkning"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registreret"), default=timezone.now)

    class Meta:
        verbose_name = _("fritagelse for Digital Post")
        verbose_name_plural = _("fritagelser for Digital Post")

    def __str__(self) -> str:
        return f"Fritaget for Digital Post: {self.citizen_id}"


class LetterDelivery(models.Model):
    """One letter (a closing letter or a decision letter) to one recipient: by Digital Post
    through the outbox (``core.outbox``, ``letters.digital_post``), or on paper from the print
    queue when the recipient is exempted or cannot get Digital Post."""

    class Channel(models.TextChoices):
        DIGITAL_POST = "digital_post", _("Digital Post")
        PRINT = "print", _("Print")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")
        RETRIED = "retried", _("Prøves igen")
        PRINT = "print", _("Til print")
        PRINTED = "printed", _("Printet")

    closing_letter = models.ForeignKey(
        ClosingLetter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("statusskrivelse"),
    )
    decision_letter = models.ForeignKey(
        DecisionLetter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("afgørelsesbrev"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="letter_deliveries", verbose_name=_("sag")
    )
    member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("modtager")
    )
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    reason = models.TextField(_("årsag"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    # The MeMo message's messageUUID (and the file backend's file name).
    message_uuid = models.UUIDField(_("besked-id"), default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printet"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printet af"),
    )

    class Meta:
        verbose_name = _("forsendelse af brev")
        verbose_name_plural = _("forsendelser af breve")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closing_letter__isnull=True, decision_letter__isnull=False)
                | Q(closing_letter__isnull=False, decision_letter__isnull=True),
                name="letterdelivery_one_letter",
            ),
            models.UniqueConstraint(
                fields=["closing_letter", "member"],
                condition=Q(closing_letter__isnull=False),
                name="letterdelivery_closing_once",
            ),
            models.UniqueConstraint(
                fields=["decision_letter", "member"],
                condition=Q(decision_letter__isnull=False),
                name="letterdelivery_decision_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="print"), name="letterdelivery_to_print"
            ),
        ]

    def __str__(self) -> str:
        return f"Forsendelse {self.pk} – {self.get_status_display()}"

    @property
    def reference(self) -> str:
        """The outbox's recipient of this delivery's Digital Post message."""
        return f"letterdelivery:{self.pk}"
