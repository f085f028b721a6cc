"""A party's request for access to the case's files (aktindsigt, Forvaltningsloven §§ 9 ff.),
what the caseworker exempts from it and why, and the answer: one PDF bundle of the case's
documents, rendered once by the worker and stored with its SHA-256.

The rules are ``file_access.services``'s; these models only hold what was asked, when, what is
exempt and what was handed out.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Deadline, FamilyMember
from letters.models import RenderedPdf


class FileAccessRequest(models.Model):
    """One party's request for access to the files of a case: who asked (a custody holder, or
    the child or young person itself), when it was received, what is asked for, and the day
    the law's 7 working days run out (Forvaltningsloven § 16, stk. 2); if the answer takes
    longer, the notice given to the party (why, and when the answer can be expected)."""

    class Party(models.TextChoices):
        CUSTODY = "custody", _("Forælder med forældremyndighed")
        CHILD = "child", _("Barnet/den unge selv")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Modtaget")
        HANDED_OUT = "handed_out", _("Udleveret")

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="file_access_requests",
        verbose_name=_("sag"),
    )
    requester = models.ForeignKey(
        FamilyMember,
        on_delete=models.PROTECT,
        related_name="file_access_requests",
        verbose_name=_("anmodet af"),
    )
    # The party's name and standing as they were when the request was received.
    requester_name = models.CharField(_("partens navn"), max_length=200)
    party = models.CharField(_("part som"), max_length=20, choices=Party.choices)
    received_on = models.DateField(_("modtaget"))
    asked_for = models.TextField(_("anmodningen omfatter"))
    due_on = models.DateField(_("svarfrist"))
    # The case's deadline row (rule ``file_access``), so the request is on the case's deadlines,
    # the deadline list and the reminder sweep; met by the answer or by the notice.
    deadline = models.OneToOneField(
        Deadline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="file_access_request",
        verbose_name=_("frist"),
    )
    notice_given_on = models.DateField(
        _("underretning om forlænget behandlingstid givet"), null=True, blank=True
    )
    notice_reason = models.TextField(_("grunden til, at svaret tager længere tid"), blank=True)
    expected_on = models.DateField(_("svar forventes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    handed_out_at = models.DateTimeField(_("udleveret"), null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("udleveret af"),
    )

    class Meta:
        verbose_name = _("anmodning om aktindsigt")
        verbose_name_plural = _("anmodninger om aktindsigt")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="handed_out")
                | Q(handed_out_at__isnull=False, handed_out_by__isnull=False),
                name="fileaccess_handed_out_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(notice_given_on__isnull=True)
                | (Q(expected_on__isnull=False) & ~Q(notice_reason="")),
                name="fileaccess_notice_has_reason_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Aktindsigt {self.requester_name} {self.received_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "file_access:request_detail", kwargs={"case_id": self.case_id, "request_id": self.pk}
        )

    @property
    def is_handed_out(self) -> bool:
        return self.status == self.Status.HANDED_OUT

    @property
    def is_overdue(self) -> bool:
        """Not answered, no notice given, and the 7 working days have run out."""
        return (
            not self.is_handed_out
            and self.notice_given_on is None
            and self.due_on < timezone.localdate()
        )


class FileAccessExemption(models.Model):
    """One thing kept out of the bundle, with the reason and the legal basis: a document of the
    case (a journal note, a notification, an assessment, …) or a confidential reporter's
    identity on a notification (the notification itself is handed out without it)."""

    class Kind(models.TextChoices):
        REPORTER = "reporter", _("Underretterens identitet")
        NOTIFICATION = "notification", _("Underretning")
        ASSESSMENT = "assessment", _("Undersøgelse")
        MEASURE = "measure", _("Indsats")
        DECISION = "decision", _("Afgørelse")
        PLAN = "plan", _("Barnets plan")
        JOURNAL_NOTE = "journal_note", _("Journalnotat")
        CLOSING_LETTER = "closing_letter", _("Afsluttende statusskrivelse")

    request = models.ForeignKey(
        FileAccessRequest,
        on_delete=models.CASCADE,
        related_name="exemptions",
        verbose_name=_("anmodning"),
    )
    kind = models.CharField(_("hvad"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("dokument"))
    reason = models.TextField(_("begrundelse"))
    legal_basis = models.CharField(_("hjemmel"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("undtaget af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("undtagelse fra aktindsigt")
        verbose_name_plural = _("undtagelser fra aktindsigt")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "object_id"], name="fileaccess_exempt_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


class FileAccessBundle(RenderedPdf):
    """The answer to a request: the cover letter and the case's documents for the party, as one
    PDF, rendered once by the worker (``file_access.tasks.render_file_access_bundle``, the
    closing letters' claim), stored with its SHA-256 and never changed afterwards."""

    request = models.OneToOneField(
        FileAccessRequest,
        on_delete=models.PROTECT,
        related_name="bundle",
        verbose_name=_("anmodning"),
    )
    file = models.FileField(_("PDF"), upload_to="file_access/%Y/", blank=True)  # not letters/
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dannet af"),
    )

    class Meta:
        verbose_name = _("aktindsigtspakke")
        verbose_name_plural = _("aktindsigtspakker")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")),
                name="fileaccess_bundle_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Aktindsigtspakke {self.request_id} – {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
