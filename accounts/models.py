"""Users, their roles, organisation units and teams, API tokens and login sessions."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Sagsbehandler")
    TEAM_LEAD = "team_lead", _("Teamleder")
    THERAPIST = "therapist", _("Familiebehandler")
    PSYCHOLOGIST = "psychologist", _("Psykolog")
    FAMILY = "family", _("Familie")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset(
    {Role.CASEWORKER, Role.TEAM_LEAD, Role.THERAPIST, Role.PSYCHOLOGIST, Role.ADMIN}
)
# Roles that run cases as the municipality's authority (myndighed).
AUTHORITY_ROLES = frozenset({Role.CASEWORKER, Role.TEAM_LEAD})


class User(AbstractUser):
    role = models.CharField(
        _("rolle"), max_length=20, choices=Role.choices, default=Role.CASEWORKER
    )
    title = models.CharField(_("stillingsbetegnelse"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # When the phone is answered, in the user's own words ("man.–fre. kl. 9–12"): shown with the
    # phone number to the family in the portal and in its letters.
    phone_hours = models.CharField(
        _("telefontid"),
        max_length=100,
        blank=True,
        help_text=_("Hvornår du kan træffes på telefonen, fx »Mandag–fredag kl. 9–12«."),
    )
    # Single sign-on (accounts.oidc): the identity provider's stable subject ("sub") of a staff
    # login; set at the first login through the provider, never typed.
    oidc_subject = models.CharField(
        _("OIDC-subjekt"), max_length=255, unique=True, null=True, blank=True, editable=False
    )
    # With staff single sign-on configured, only break-glass accounts may still log in with a
    # password (and two-factor): for when the identity provider is down.
    break_glass = models.BooleanField(
        _("nødadgang"),
        default=False,
        help_text=_(
            "Må logge ind med adgangskode og kode, også når medarbejdere ellers logger ind "
            "via kommunens login (single sign-on)."
        ),
    )

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_family(self) -> bool:
        return self.role == Role.FAMILY

    @property
    def is_authority(self) -> bool:
        return self.role in AUTHORITY_ROLES

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES


class OrganisationUnit(models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Myndighed")
        PROVIDER = "provider", _("Udfører")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    municipality = models.CharField(_("kommune"), max_length=100)
    address = models.CharField(_("adresse"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisatorisk enhed")
        verbose_name_plural = _("organisatoriske enheder")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    unit = models.ForeignKey(
        OrganisationUnit, on_delete=models.PROTECT, related_name="teams", verbose_name=_("enhed")
    )
    name = models.CharField(_("navn"), max_length=200)
    members = models.ManyToManyField(
        User, through="TeamMembership", related_name="teams", verbose_name=_("medlemmer")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    is_lead = models.BooleanField(_("teamleder"), default=False)

    class Meta:
        verbose_name = _("teammedlemskab")
        verbose_name_plural = _("teammedlemskaber")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "is_lead"], name="membership_user_lead")]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"


class ApiToken(models.Model):
    """A personal API token for integrations (``Authorization: Token <secret>``).

    Only a SHA-256 hash of the secret is stored; the secret itself is shown once, when the
    token is made. The prefix is kept so the user can tell their tokens apart.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("bruger")
    )
    name = models.CharField(_("navn"), max_length=100)
    prefix = models.CharField(_("begyndelse"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    last_used_at = models.DateTimeField(_("senest brugt"), null=True, blank=True)
    read_only = models.BooleanField(_("kun læseadgang"), default=False)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def last_valid_day(self) -> dt.date:
        """The last day the token works (it expires at the start of the next)."""
        return timezone.localtime(self.expires_at - dt.timedelta(microseconds=1)).date()


class UserSession(models.Model):
    """Which session belongs to whom, so every session of a user can be ended at once
    (when the user is deactivated). Written at login, removed at logout; the session data
    itself stays in Django's session store."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessioner")

    def __str__(self) -> str:
        return f"{self.user} – {self.created_at:%d.%m.%Y %H:%M}"


class GroupMapping(models.Model):
    """A group of the staff identity provider (its ``groups`` claim) and what it gives in
    Familieværft: a role, and optionally membership of a team (as its lead or not). Every
    staff login through the provider recomputes the user's role and team memberships from
    these rows (accounts.oidc)."""

    group_name = models.CharField(_("gruppe"), max_length=200)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_mappings",
        verbose_name=_("team"),
    )
    is_lead = models.BooleanField(_("teamleder"), default=False)

    class Meta:
        verbose_name = _("gruppetilknytning")
        verbose_name_plural = _("gruppetilknytninger")
        ordering = ["group_name"]
        constraints = [
            models.UniqueConstraint(fields=["group_name", "team"], name="groupmapping_unique_team"),
            models.UniqueConstraint(
                fields=["group_name"],
                condition=models.Q(team__isnull=True),
                name="groupmapping_unique_without_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_name} → {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.FAMILY:
            raise ValidationError({"role": _("Familier logger ind med MitID, ikke via grupper.")})
        if self.is_lead and self.team_id is None:
            raise ValidationError({"is_lead": _("Teamleder kræver et team.")})
