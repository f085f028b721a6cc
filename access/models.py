"""The append-only access log (every read, search, change, export or refused attempt on a
case's data) and the explicit shares of a case with a colleague (``CaseShare``). Both refer to
cases and citizens by name ("cases.Case"), not by import: the access layer sits below the case
app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase


class AccessLogEntry(models.Model):
    """One read, search, change, export or refused attempt on a case's data.

    Append-only: triggers installed by the migration refuse UPDATE and DELETE, so not even
    a bug (or an administrator with a shell) can rewrite who read what.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Visning")
        SEARCH = "search", _("Søgning")
        CHANGE = "change", _("Ændring")
        EXPORT = "export", _("Udtræk")
        DENIED = "denied", _("Afvist adgang")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("bruger"),
    )
    username = models.CharField(_("brugernavn"), max_length=150)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("sag"),
        # accesslog_case_at starts with case_id and serves the foreign key's lookups: a
        # second index on the column alone only made every INSERT slower (``make bench``).
        db_index=False,
    )
    citizen = models.ForeignKey(
        "cases.Citizen",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("borger"),
        db_index=False,  # accesslog_citizen_at serves it, as for case above
    )
    action = models.CharField(_("handling"), max_length=10, choices=Action.choices)
    # What was looked at: a URL path (ids only, never a CPR number) or a short description.
    target = models.CharField(_("hvad"), max_length=300, blank=True)
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="accesslog_case_at"),
            models.Index(fields=["citizen", "-at"], name="accesslog_citizen_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username} {self.action}"


class CaseShare(UserObjectPermissionBase):
    """An explicit share of one case with one colleague (e.g. holiday cover), with an end date.

    django-guardian's object permission for ``cases.view_case`` (a direct foreign key, so a
    share is one indexed row). Rows are written only by ``access.rules.case_share_grant``; a
    share counts until and including ``valid_until`` and never without it.
    """

    content_object = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="shares"
    )
    # Null until case_share_grant sets it in the same transaction; null never grants access.
    valid_until = models.DateField(_("gælder til og med"), null=True)
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("delt af"),
    )
    granted_at = models.DateTimeField(_("delt"), default=timezone.now)
    # When the share's end was written to the access log (``access.rules.log_expired_shares``).
    expiry_logged_at = models.DateTimeField(_("udløb logget"), null=True, blank=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("deling af sag")
        verbose_name_plural = _("delinger af sager")
        indexes = [models.Index(fields=["user", "valid_until"], name="caseshare_user_until")]
