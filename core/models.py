"""The outbox: everything that leaves the system (e-mails, Digital Post messages) is a row here,
written in the same transaction as the change that causes it, and sent by the worker
(``core.outbox``, ``core.tasks``).

An e-mail's recipient is its address. A Digital Post message's recipient is a reference to the
row that knows whom it is for (``letters.LetterDelivery``, "letterdelivery:<id>"), never a CPR
number: the CPR exists only inside the MeMo message built at the moment of sending.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        DIGITAL_POST = "digital_post", _("Digital Post")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")

    kind = models.CharField(_("art"), max_length=20, choices=Kind.choices)
    recipient = models.CharField(
        _("modtager"),
        max_length=254,
        help_text=_("E-mailadressen; for Digital Post en henvisning til forsendelsen."),
    )
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    # A body with a secret in it (an invitation's single-use link) is emptied once the message
    # is sent or given up on: the secret is in the database only while the mail waits.
    body_is_secret = models.BooleanField(_("teksten slettes efter afsendelse"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    reason = models.TextField(_("årsag til fejl"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    claimed_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("udgående besked")
        verbose_name_plural = _("udgående beskeder")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The requeue job's and the sender's claim: the unsent rows by their next attempt.
            models.Index(
                fields=["next_attempt_at"],
                condition=~Q(status="sent"),
                name="outbox_unsent_next",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} – {self.get_status_display()}"
