"""The child's network map (netværkskort) and the meetings the network is invited to.

Everything here belongs to a case and is reached through it (``cases.pages.case_page``, and
``portal.pages.family_case_page`` for the family); there are no permission rows of its own.
Writes go through ``network.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The parts of the child's life, clockwise from the top of the map."""

    FAMILY = "family", _("Familie")
    RELATIVES = "relatives", _("Slægt")
    FRIENDS = "friends", _("Venner og fritid")
    SCHOOL = "school", _("Skole, dagtilbud og arbejde")
    PROFESSIONALS = "professionals", _("Fagpersoner")


CIRCLE_MIN, CIRCLE_MAX = 1, 3  # 1 is closest to the child


class Circle(models.IntegerChoices):
    CLOSEST = 1, _("Tættest på")
    MIDDLE = 2, _("Tæt på")
    OUTER = 3, _("Længere væk")


class NetworkMember(models.Model):
    """A person in the child's life, placed on the map by sector and circle of closeness."""

    class ChildWish(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nej")
        NOT_ASKED = "not_asked", _("Ikke spurgt")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="network_members",
        verbose_name=_("sag"),
    )
    name = models.CharField(_("navn"), max_length=120)
    relation = models.CharField(_("relation til barnet"), max_length=120, blank=True)
    sector = models.CharField(_("del af livet"), max_length=20, choices=Sector.choices)
    circle = models.PositiveSmallIntegerField(
        _("hvor tæt på"), choices=Circle.choices, default=Circle.MIDDLE
    )
    role = models.TextField(_("hvad kan personen hjælpe med"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    # The family's consent to the municipality contacting this person.
    consent_given_by = models.CharField(_("samtykke givet af"), max_length=120, blank=True)
    consent_given_on = models.DateField(_("samtykke givet den"), null=True, blank=True)
    consent_withdrawn_on = models.DateField(
        _("samtykke trukket tilbage den"), null=True, blank=True
    )
    child_wants_invited = models.CharField(
        _("barnet ønsker personen inviteret"),
        max_length=20,
        choices=ChildWish.choices,
        default=ChildWish.NOT_ASKED,
    )
    # A professional who is a user of the system (caseworker, therapist); outside people are not.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruger i systemet"),
    )
    # Named by the family (the family sees the entry's contact details) or by staff.
    given_by_family = models.BooleanField(_("oplyst af familien"), default=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)
    removed_at = models.DateTimeField(_("fjernet"), null=True, blank=True)

    class Meta:
        verbose_name = _("netværksperson")
        verbose_name_plural = _("netværkspersoner")
        ordering = ["sector", "circle", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__gte=CIRCLE_MIN) & Q(circle__lte=CIRCLE_MAX),
                name="networkmember_circle_1_to_3",
            ),
        ]
        indexes = [
            models.Index(
                fields=["case"], condition=Q(removed_at=None), name="networkmember_case_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def has_consent(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None


class MapSnapshot(models.Model):
    """The map as it was: taken automatically when members change (at most one automatic
    snapshot per case and day, updated in place that day) or by hand, e.g. at a meeting."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="network_snapshots",
        verbose_name=_("sag"),
    )
    taken_at = models.DateTimeField(_("taget"), default=timezone.now)
    taken_on = models.DateField(_("dato"))
    automatic = models.BooleanField(_("automatisk"), default=False)
    reason = models.CharField(_("anledning"), max_length=200, blank=True)
    # [{"id", "name", "relation", "sector", "circle", "role"}, ...]: no contact details.
    members = models.JSONField(_("personer"), default=list)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taget af"),
    )

    class Meta:
        verbose_name = _("version af netværkskortet")
        verbose_name_plural = _("versioner af netværkskortet")
        ordering = ["taken_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "taken_on"],
                condition=Q(automatic=True),
                name="mapsnapshot_one_automatic_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.taken_at:%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """A network meeting, dialogue meeting or network council with the people the child chose."""

    class Kind(models.TextChoices):
        NETWORK_MEETING = "network_meeting", _("Netværksmøde")
        DIALOGUE_MEETING = "dialogue_meeting", _("Dialogmøde")
        NETWORK_COUNCIL = "network_council", _("Netværksråd")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        HELD = "held", _("Afholdt")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="network_meetings",
        verbose_name=_("sag"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("tidspunkt"))
    place = models.CharField(_("sted"), max_length=200)
    purpose = models.TextField(_("formål"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.TextField(_("referat"), blank=True)
    # When the family was sent its invitations (network.invitations).
    family_invited_at = models.DateTimeField(_("familien inviteret"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["case", "starts_at"], name="meeting_case_starts")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse(
            "network:meeting_detail", kwargs={"case_id": self.case_id, "meeting_id": self.pk}
        )

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.PLANNED and self.starts_at >= timezone.now()

    @property
    def has_started(self) -> bool:
        """Minutes and attendance are written only from the meeting's start."""
        return self.starts_at <= timezone.now()


class MeetingInvitee(models.Model):
    """A network person invited to a meeting, with the child's wish and whether they came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitees", verbose_name=_("møde")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("netværksperson"),
    )
    child_wish = models.CharField(
        _("barnets ønske"),
        max_length=20,
        choices=NetworkMember.ChildWish.choices,
        default=NetworkMember.ChildWish.NOT_ASKED,
    )
    attended = models.BooleanField(_("deltog"), null=True, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("inviteret")
        verbose_name_plural = _("inviterede")
        ordering = ["member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meetinginvitee_once"),
        ]

    def __str__(self) -> str:
        return self.member.name


class MeetingDecision(models.Model):
    """An action item from a meeting: who does what by when; may become a plan responsibility."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("møde")
    )
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("netværksperson"),
    )
    who_text = models.CharField(_("hvem (navn)"), max_length=200, blank=True)
    what = models.TextField(_("hvad"))
    due_on = models.DateField(_("senest"), null=True, blank=True)
    responsibility = models.ForeignKey(
        "plans.Responsibility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvar i planen"),
    )
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(who_text=""))
                | (Q(member__isnull=True) & ~Q(who_text="")),
                name="meetingdecision_one_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.who}: {self.what[:60]}"

    @property
    def who(self) -> str:
        return self.member.name if self.member is not None else self.who_text
