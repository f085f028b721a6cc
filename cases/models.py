"""Citizens, families and their one case: notifications, assessments, measures (with their legal
bases, therapists and hours), the journal, invitations to the family portal, and the statutory
deadlines (the rules as data and each case's deadlines, Barnets Lov; docs/domain.md). Ages and
birthdays follow one rule, ``birthday``: a person born on 29 February attains an age on 1 March
in a year that is not a leap year."""

import calendar
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from access import rules
from cases.links import case_url
from core.cpr import format_cpr, mask_cpr, validate_cpr
from core.locale import data_label


def birthday(birth_date: dt.date, age: int) -> dt.date:
    """The day on which someone born on ``birth_date`` attains ``age``: the one birthday rule
    of the project, for a citizen's age (``age_on``, ``Citizen.age``) and for the deadlines
    that come with an age (cases/deadlines.py: the ungeplan at 16, Barnets Lov § 108; support
    after 18, § 111; the end of young-adult support at 23, §§ 114–121).

    A person born on 29 February attains the age on 1 March in a year that is not a leap year
    (the Danish legal convention), never on 28 February.
    """
    year = birth_date.year + age
    if (birth_date.month, birth_date.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return birth_date.replace(year=year)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``, by the birthday rule of ``birthday``."""
    age = day.year - birth_date.year
    return age - 1 if birthday(birth_date, age) > day else age


class Citizen(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True, validators=[validate_cpr])
    birth_date = models.DateField(_("fødselsdato"))
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    school_or_daycare = models.CharField(_("skole eller dagtilbud"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="citizen_name"),
            # The sweep finds the children whose birthday deadlines come within its window by
            # a range of birth dates per age (cases.deadlines.deadlines_schedule_birthdays).
            models.Index(fields=["birth_date"], name="citizen_birth_date"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def cpr_display(self) -> str:
        return format_cpr(self.cpr)

    @property
    def cpr_masked(self) -> str:
        return mask_cpr(self.cpr)

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def is_party(self) -> bool:
        """A child of 10 or older is a party to its own case."""
        return self.age >= 10


class Family(models.Model):
    """A household. Siblings share a family; each child has its own case."""

    name = models.CharField(_("navn"), max_length=200, help_text=_("Fx 'Familien Jensen'"))
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("familie")
        verbose_name_plural = _("familier")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FamilyMember(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="members", verbose_name=_("familie")
    )
    citizen = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_memberships",
        verbose_name=_("borger"),
    )
    # Adults are often known only by name; a child always has a citizen (and so a CPR number).
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    is_child = models.BooleanField(_("barn"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_memberships",
        verbose_name=_("login til familieportalen"),
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("familiemedlem")
        verbose_name_plural = _("familiemedlemmer")
        ordering = ["-is_child", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "citizen"],
                condition=Q(citizen__isnull=False),
                name="familymember_citizen_once",
            ),
            models.CheckConstraint(
                condition=Q(is_child=False) | Q(citizen__isnull=False),
                name="familymember_child_is_citizen",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.citizen is not None and not self.first_name:
            return self.citizen.full_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_too_young_for_the_portal(self) -> bool:
        """A child gets a portal login from 10 years, the age at which it is a party to its
        own case; a younger child is never invited."""
        return self.is_child and (self.citizen is None or not self.citizen.is_party)


class FamilyRelation(models.Model):
    """How one member of the household relates to one of its children."""

    class Kind(models.TextChoices):
        PARENT_CUSTODY = "parent_custody", _("Forælder med forældremyndighed")
        PARENT_NO_CUSTODY = "parent_no_custody", _("Forælder uden forældremyndighed")
        STEP_PARENT = "step_parent", _("Stedforælder")
        SIBLING = "sibling", _("Søskende")
        OTHER_ADULT = "other_adult", _("Anden voksen")

    member = models.ForeignKey(
        FamilyMember, on_delete=models.CASCADE, related_name="relations", verbose_name=_("medlem")
    )
    child = models.ForeignKey(
        FamilyMember,
        on_delete=models.CASCADE,
        related_name="relations_to_child",
        verbose_name=_("barn"),
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("relation til barn")
        verbose_name_plural = _("relationer til børn")
        constraints = [
            models.UniqueConstraint(fields=["member", "child"], name="familyrelation_unique"),
            models.CheckConstraint(
                condition=~Q(member=models.F("child")), name="familyrelation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.child}: {self.get_kind_display()}"


class PortalConsent(models.Model):
    """A young person's consent, from 18, that an adult of the family sees their case in the
    family portal (``access.rules``). Recorded by the caseworker, revocable, and shown to the
    young person."""

    young_person = models.ForeignKey(
        Citizen,
        on_delete=models.CASCADE,
        related_name="portal_consents",
        verbose_name=_("den unge"),
    )
    member = models.ForeignKey(
        FamilyMember,
        on_delete=models.CASCADE,
        related_name="portal_consents",
        verbose_name=_("voksen med samtykke"),
    )
    given_on = models.DateField(_("samtykke givet"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtykke til familieportalen")
        verbose_name_plural = _("samtykker til familieportalen")
        constraints = [
            models.UniqueConstraint(
                fields=["young_person", "member"],
                condition=Q(revoked_at__isnull=True),
                name="portalconsent_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.young_person} → {self.member}"


class PortalGrant(models.Model):
    """The caseworker's time-limited grant that an adult of the family without a right of
    their own (a parent without custody, a step-parent, another adult) sees one child's case in
    the family portal: with a reason and a last day, revocable, and written to the case's access
    log when granted, revoked and ended (``access.rules``). Only for a child under 18: from 18
    the young person decides alone (``PortalConsent``)."""

    child = models.ForeignKey(
        Citizen,
        on_delete=models.CASCADE,
        related_name="portal_grants",
        verbose_name=_("barn"),
    )
    member = models.ForeignKey(
        FamilyMember,
        on_delete=models.CASCADE,
        related_name="portal_grants",
        verbose_name=_("voksen med adgang"),
    )
    reason = models.TextField(_("begrundelse"))
    valid_until = models.DateField(_("adgang til og med"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("givet af"),
    )
    granted_at = models.DateTimeField(_("givet"), default=timezone.now)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    expiry_logged_at = models.DateTimeField(_("udløb logget"), null=True, blank=True)

    class Meta:
        verbose_name = _("tidsbegrænset adgang til familieportalen")
        verbose_name_plural = _("tidsbegrænsede adgange til familieportalen")
        ordering = ["valid_until", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "member"],
                condition=Q(revoked_at__isnull=True),
                name="portalgrant_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.child} ({self.valid_until:%d.%m.%Y})"


class CaseStatus(models.TextChoices):
    NOTIFICATION = "notification", _("Underretning")
    ASSESSMENT = "assessment", _("Undersøgelse")
    MEASURE = "measure", _("Indsats")
    CLOSING = "closing", _("Afslutning")
    CLOSED = "closed", _("Lukket")


class CaseQuerySet(models.QuerySet["Case"]):
    """Cases as a user may see them: the rules are ``access.rules``; every page, list and
    API read of cases starts from one of these."""

    def visible_to(self, user: Any) -> "CaseQuerySet":
        """The cases ``user`` may see as staff (owner, team lead, assigned, shared)."""
        return self.filter(rules.case_visibility(user))

    def visible_to_family(self, user: Any) -> "CaseQuerySet":
        """The cases a family user may see in the portal."""
        return self.filter(rules.family_case_visibility(user)).distinct()


class Case(models.Model):
    """One citizen – one case. At most one open case per citizen, enforced by the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("sagsnummer"), max_length=20, unique=True)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="cases", verbose_name=_("barn/ung")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("sagsbehandler"),
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOTIFICATION
    )
    opened_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    closing_reason = models.TextField(_("begrundelse for lukning"), blank=True)
    reopened_at = models.DateTimeField(_("genåbnet"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senest ændret"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=~Q(status="closed"),
                name="case_one_open_per_citizen",
                violation_error_message=_("Barnet har allerede en åben sag."),
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["team", "status"], name="case_team_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.citizen.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", kwargs={"case_id": self.id})

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseNumberSequence(models.Model):
    """Per-year counter behind human case numbers such as 2026-00042."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sagsnummertæller")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class LegalBasis(models.Model):
    """A paragraph a measure may be decided under. Data, not code: see the data migration."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    law = models.CharField(_("lov"), max_length=50, default="Barnets Lov")
    paragraph = models.CharField(_("bestemmelse"), max_length=60)
    title = models.CharField(_("betegnelse"), max_length=200)
    former_reference = models.CharField(_("tidligere hjemmel"), max_length=80, blank=True)
    is_preventive = models.BooleanField(_("forebyggende"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("lovgrundlag")
        verbose_name_plural = _("lovgrundlag")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.reference} – {data_label(self.title)}"

    @property
    def reference(self) -> str:
        return f"{self.law} {self.paragraph}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("Underretning")
        APPLICATION = "application", _("Ansøgning")

    class ReporterKind(models.TextChoices):
        PROFESSIONAL = "professional", _("Fagperson")
        PRIVATE = "private", _("Privatperson")
        ANONYMOUS = "anonymous", _("Anonym")

    class AcuteOutcome(models.TextChoices):
        NO_ACUTE_NEED = "none", _("Intet akut behov")
        ACUTE_ACTION = "action", _("Akut indsats iværksat")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("sag")
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.NOTIFICATION
    )
    received_at = models.DateTimeField(_("modtaget"))
    reporter_kind = models.CharField(_("underretter"), max_length=20, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("underretters navn"), max_length=200, blank=True)
    reporter_organisation = models.CharField(
        _("underretters organisation"), max_length=200, blank=True
    )
    reporter_email = models.EmailField(_("underretters e-mail"), blank=True)
    # The reporter asked not to be known by the family: who reported is then shown only to the
    # case's owner and team lead ("Fortrolig underretter" elsewhere; access.rules.CaseAccess).
    reporter_confidential = models.BooleanField(_("fortrolig underretter"), default=False)
    concern = models.TextField(_("bekymring"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    registered_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    acute_judged_at = models.DateTimeField(_("akut vurdering foretaget"), null=True, blank=True)
    acute_judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vurderet af"),
    )
    acute_outcome = models.CharField(
        _("akut vurdering"), max_length=10, choices=AcuteOutcome.choices, blank=True
    )
    acute_note = models.TextField(_("begrundelse"), blank=True)
    receipt_sent_at = models.DateTimeField(_("kvittering sendt"), null=True, blank=True)
    receipt_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kvittering sendt af"),
    )

    class Meta:
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_notifications", kwargs={"case_id": self.case_id}) + (
            f"#underretning-{self.pk}"
        )

    @property
    def needs_receipt(self) -> bool:
        return self.reporter_kind == self.ReporterKind.PROFESSIONAL


class Assessment(models.Model):
    class Kind(models.TextChoices):
        CLARIFICATION = "clarification", _("Afdækning (Barnets Lov § 19)")
        CHILD_ASSESSMENT = "child_assessment", _("Børnefaglig undersøgelse (Barnets Lov § 20)")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("sag")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("påbegyndt"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finished_on = models.DateField(_("afsluttet"), null=True, blank=True)
    conclusion = models.TextField(_("konklusion"), blank=True)
    parents_view = models.TextField(_("forældrenes synspunkter"), blank=True)
    child_view = models.TextField(_("barnets/den unges synspunkter"), blank=True)
    # The conversation with the child (Barnets Lov § 5), or why it was not held.
    conversation_on = models.DateField(_("samtale med barnet afholdt"), null=True, blank=True)
    conversation_place = models.CharField(_("samtalens sted"), max_length=200, blank=True)
    conversation_not_held_reason = models.TextField(
        _("begrundelse for, at samtalen ikke er afholdt"), blank=True
    )
    # When the 4-month deadline (§ 20, stk. 3) cannot be met: a preliminary assessment and the
    # day the assessment is expected to be finished.
    preliminary_assessment = models.TextField(_("foreløbig vurdering"), blank=True)
    preliminary_on = models.DateField(_("foreløbig vurdering givet"), null=True, blank=True)
    expected_finish_on = models.DateField(_("forventes afsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("undersøgelse")
        verbose_name_plural = _("undersøgelser")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(finished_on__isnull=True),
                name="assessment_one_running_per_case",
                violation_error_message=_("Der er allerede en igangværende undersøgelse."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_assessment", kwargs={"case_id": self.case_id})

    @property
    def is_finished(self) -> bool:
        return self.finished_on is not None


class AssessmentArea(models.Model):
    """One area of the child's life a børnefaglig undersøgelse describes, with its resources
    as well as its challenges (Barnets Lov § 22, stk. 1: "udfordringer og ressourcer")."""

    class Area(models.TextChoices):
        DEVELOPMENT = "development", _("Udvikling og adfærd")
        FAMILY = "family", _("Familieforhold")
        SCHOOL = "school", _("Skoleforhold og læring")
        HEALTH = "health", _("Sundhedsforhold")
        LEISURE = "leisure", _("Fritidsforhold og venskaber")
        OTHER = "other", _("Andre relevante forhold")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="areas", verbose_name=_("undersøgelse")
    )
    area = models.CharField(_("område"), max_length=20, choices=Area.choices)
    resources = models.TextField(_("ressourcer"), blank=True)
    concerns = models.TextField(_("udfordringer"), blank=True)

    class Meta:
        verbose_name = _("undersøgelsesområde")
        verbose_name_plural = _("undersøgelsesområder")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="assessment_area_once"),
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class Measure(models.Model):
    """An ordered support measure (indsats), carried out by a provider team's therapists."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="measures", verbose_name=_("sag")
    )
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("lovgrundlag")
    )
    purpose = models.TextField(_("formål"))
    expected_duration_months = models.PositiveSmallIntegerField(
        _("forventet varighed (måneder)"),
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    start_date = models.DateField(_("startdato"))
    planned_end_date = models.DateField(_("planlagt slutdato"), null=True, blank=True)
    ended_on = models.DateField(_("afsluttet"), null=True, blank=True)
    provider_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("udførende team"),
    )
    therapists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MeasureAssignment",
        related_name="assigned_measures",
        verbose_name=_("familiebehandlere"),
        blank=True,
    )
    consent_given_on = models.DateField(
        _("forældremyndighedens samtykke givet"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("besluttet af"),
    )
    decided_at = models.DateTimeField(_("besluttet"), default=timezone.now)

    class Meta:
        verbose_name = _("indsats")
        verbose_name_plural = _("indsatser")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True)
                | Q(planned_end_date__gte=models.F("start_date")),
                name="measure_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis.reference} fra {self.start_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return case_url("cases:case_measures", self.case_id) + f"#indsats-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MeasureAssignment(models.Model):
    """A therapist assigned to a measure: the relation that lets them see the case."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measure_assignments"
    )
    assigned_at = models.DateTimeField(_("tilknyttet"), default=timezone.now)

    class Meta:
        verbose_name = _("tilknytning af behandler")
        verbose_name_plural = _("tilknytninger af behandlere")
        constraints = [
            models.UniqueConstraint(fields=["measure", "user"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["user", "measure"], name="assignment_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.measure_id}"


class HoursStep(models.Model):
    """One step of a measure's planned weekly hours, reduced over time (6 → 4 → 2 h/week)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="hours_steps")
    position = models.PositiveSmallIntegerField(_("trin"))
    weeks = models.PositiveSmallIntegerField(
        _("antal uger"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Tomt: resten af forløbet"),
    )
    hours_per_week = models.DecimalField(
        _("timer pr. uge"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("40"))],
    )

    class Meta:
        verbose_name = _("timetrin")
        verbose_name_plural = _("timetrin")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="hoursstep_unique"),
        ]

    def __str__(self) -> str:
        weeks = f"{self.weeks} uger" if self.weeks else "resten af forløbet"
        return f"{self.hours_per_week} t/uge i {weeks}"


class JournalNote(models.Model):
    """A journal entry. Notes are never edited: a correction is a new note that points back."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("sag")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)
    text = models.TextField(_("notat"))
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("retter notat"),
    )

    class Meta:
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="note_case_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.author}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_journal", kwargs={"case_id": self.case_id}) + (
            f"#notat-{self.pk}"
        )


class FamilyInvitation(models.Model):
    """A single-use, expiring link that lets a family member set a password for the portal.

    Only a hash of the token is stored; the link is shown (and e-mailed) once.
    """

    member = models.ForeignKey(
        FamilyMember,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("familiemedlem"),
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    used_at = models.DateTimeField(_("brugt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation til familieportalen")
        verbose_name_plural = _("invitationer til familieportalen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} {self.created_at:%d.%m.%Y}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


# --- statutory deadlines ---------------------------------------------------------------------


class DeadlineRule(models.Model):
    """One statutory deadline of Barnets Lov (the table: docs/domain.md). Loaded by a data
    migration; edited as data, never in code."""

    class Trigger(models.TextChoices):
        NOTIFICATION_RECEIVED = "notification_received", _("Underretning modtaget")
        PROFESSIONAL_NOTIFICATION = (
            "professional_notification",
            _("Underretning fra fagperson modtaget"),
        )
        CONCERN_AWARE = "concern_aware", _("Kommunen bliver bekendt med bekymringen")
        MEASURE_DECIDED = "measure_decided", _("Afgørelse om indsats truffet")
        MEASURE_STARTED = "measure_started", _("Indsats påbegyndt")
        FIRST_FOLLOWUP = "first_followup", _("Første opfølgning")
        BIRTHDAY_16 = "birthday_16", _("16-års fødselsdag")
        BIRTHDAY_18 = "birthday_18", _("18-års fødselsdag")
        BIRTHDAY_23 = "birthday_23", _("23-års fødselsdag (ungestøtte besluttet)")
        MEASURE_EXPECTED_END = "measure_expected_end", _("Indsatsens forventede varighed udløber")
        COMPLAINT_RECEIVED = "complaint_received", _("Klage modtaget")

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
        return data_label(self.title)


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
    complaint = models.ForeignKey(
        "cases.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
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
            models.UniqueConstraint(
                fields=["rule", "complaint"],
                condition=Q(complaint__isnull=False),
                name="deadline_once_per_complaint",
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
        return f"{data_label(self.rule.title)} {timezone.localtime(self.due_at):%d.%m.%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.handled_otherwise_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def was_late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due_at


# --- decisions (afgørelser): the authority's acts, the party hearing and complaints ----------
# The rules are cases/decisions.py's; these models only hold what was decided and how.


class Decision(models.Model):
    """One decision (afgørelse) on a case: what was decided, on which legal basis, the facts
    and the reasons (Forvaltningsloven §§ 22–24), the child's view and the conversation with
    the child or why it was not held, the consents given, and who decided and when. Made in
    ``cases.decisions``; a draft may be sent to the parties for a hearing (``PartyHearing``) and
    a decision made may be complained of (``Complaint``)."""

    class Kind(models.TextChoices):
        APPLICATION_GRANT = "application_grant", _("Bevilling af ansøgning")
        APPLICATION_REFUSAL = "application_refusal", _("Afslag på ansøgning")
        MEASURE_ORDER = "measure_order", _("Iværksættelse af indsats")
        MEASURE_CHANGE = "measure_change", _("Ændring af indsats")
        MEASURE_END = "measure_end", _("Ophør af indsats")
        PLAN = "plan", _("Handleplan/ungeplan")
        AFTER_18 = "after_18", _("Støtte efter 18 år")
        YOUNG_ADULT = "young_adult", _("Efterværn/ung-voksen-støtte (Barnets Lov §§ 114–121)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Udkast")
        IN_HEARING = "in_hearing", _("I partshøring")
        DECIDED = "decided", _("Afgjort")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("sag")
    )
    kind = models.CharField(_("afgørelsens art"), max_length=30, choices=Kind.choices)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("indsats"),
    )
    legal_basis = models.ForeignKey(
        LegalBasis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lovgrundlag"),
    )
    facts = models.TextField(_("sagens faktiske omstændigheder"), blank=True)
    reasons = models.TextField(_("begrundelse"), blank=True)
    child_view = models.TextField(_("barnets/den unges synspunkter"), blank=True)
    conversation_on = models.DateField(_("børnesamtale afholdt"), null=True, blank=True)
    conversation_place = models.CharField(_("børnesamtalens sted"), max_length=200, blank=True)
    conversation_present = models.TextField(_("til stede ved børnesamtalen"), blank=True)
    bisidder_offered = models.BooleanField(_("bisidder tilbudt"), default=False)
    bisidder_name = models.CharField(_("bisidder"), max_length=200, blank=True)
    conversation_not_held_reason = models.TextField(
        _("begrundelse for, at børnesamtalen ikke er afholdt"), blank=True
    )
    consents = models.TextField(
        _("samtykker givet"),
        blank=True,
        help_text=_("Hvilken forældremyndighedsindehaver (fra 18 år den unge), hvornår og hvordan"),
    )
    acting_first_ground = models.TextField(
        _("hjemmel for at handle før undersøgelsen er afsluttet"), blank=True
    )
    # The measure's terms. Ordering: all of them (purpose and expected duration, Barnets Lov § 32,
    # stk. 3); changing: only those that change, from ``changes_from``; ending: ``ends_on``.
    # Applied to the measure when the decision is made (cases.decisions.decision_make).
    purpose = models.TextField(_("formål"), blank=True)
    expected_duration_months = models.PositiveSmallIntegerField(
        _("forventet varighed (måneder)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    start_date = models.DateField(_("startdato"), null=True, blank=True)
    planned_end_date = models.DateField(_("planlagt slutdato"), null=True, blank=True)
    provider_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("udførende team"),
    )
    therapists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("familiebehandlere"),
    )
    consent_given_on = models.DateField(
        _("forældremyndighedens samtykke givet"), null=True, blank=True
    )
    hours_steps = models.JSONField(
        _("timer pr. uge"),
        default=list,
        blank=True,
        help_text=_("Trin som [antal uger eller tomt, timer pr. uge]"),
    )
    changes_from = models.DateField(_("ændringen gælder fra"), null=True, blank=True)
    ends_on = models.DateField(_("indsatsen ophører"), null=True, blank=True)
    hearing_waived_reason = models.TextField(
        _("begrundelse for at træffe afgørelse uden afsluttet partshøring"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("truffet af"),
    )
    decided_at = models.DateTimeField(_("truffet"), null=True, blank=True)

    class Meta:
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="decided")
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="decision_decided_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "cases:decision_detail", kwargs={"case_id": self.case_id, "decision_id": self.pk}
        )

    @property
    def is_decided(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def applicable_legal_basis(self) -> "LegalBasis | None":
        """The rule the decision is made under: its own legal basis or, for a change or an end
        of a measure, the measure's (Forvaltningsloven § 24: the reasons name the rules)."""
        if self.legal_basis_id is not None:
            return self.legal_basis
        return self.measure.legal_basis if self.measure is not None else None

    @property
    def hours_step_pairs(self) -> list[tuple[int | None, Decimal]]:
        """``hours_steps`` as (weeks or None for the rest, hours per week)."""
        return [(weeks, Decimal(str(hours))) for weeks, hours in self.hours_steps or ()]

    @property
    def is_on_a_measure(self) -> bool:
        """Whether the decision orders, changes or ends a measure (and so carries its terms)."""
        return self.kind in (
            self.Kind.MEASURE_ORDER,
            self.Kind.YOUNG_ADULT,
            self.Kind.MEASURE_CHANGE,
            self.Kind.MEASURE_END,
        )

    @property
    def letter_ready(self) -> bool:
        """Whether the decision letter's PDF is stored (``letters.DecisionLetter``, reached by
        its reverse relation ``letter``: cases does not import letters)."""
        letter = getattr(self, "letter", None)
        return letter is not None and letter.status == "done"


class PartyHearing(models.Model):
    """A draft decision sent to the parties for a hearing (Forvaltningsloven § 19), with the
    last day to answer. The parties are one per line."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("afgørelse")
    )
    sent_on = models.DateField(_("sendt i høring"))
    respond_by = models.DateField(_("svarfrist"))
    parties = models.TextField(_("parter"), help_text=_("Én part pr. linje"))
    note = models.TextField(_("bemærkning"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sendt af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("partshøring")
        verbose_name_plural = _("partshøringer")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} – {self.sent_on:%d.%m.%Y}"

    @property
    def party_names(self) -> list[str]:
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class HearingAnswer(models.Model):
    """A party's answer to a hearing."""

    hearing = models.ForeignKey(
        PartyHearing, on_delete=models.PROTECT, related_name="answers", verbose_name=_("høring")
    )
    party = models.CharField(_("part"), max_length=200)
    received_on = models.DateField(_("modtaget"))
    text = models.TextField(_("svar"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("høringssvar")
        verbose_name_plural = pgettext_lazy("plural", "høringssvar")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.party} {self.received_on:%d.%m.%Y}"


class Complaint(models.Model):
    """A complaint of a decision, lodged with the municipality: reconsidered (genvurdering)
    within 4 weeks; upheld, it is sent on to Ankestyrelsen, whose result is recorded."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Fastholdt – sendt til Ankestyrelsen")
        CHANGED = "changed", _("Ændret – ny afgørelse")

    class AnkestyrelsenResult(models.TextChoices):
        UPHELD = "stadfaestet", _("Stadfæstet")
        CHANGED = "aendret", _("Ændret")
        SENT_BACK = "hjemvist", _("Hjemvist")

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("afgørelse")
    )
    received_on = models.DateField(_("klage modtaget"))
    complainant = models.CharField(_("klager"), max_length=200)
    text = models.TextField(_("klagen"))
    reconsider_by = models.DateField(_("genvurderes senest"))
    late = models.BooleanField(_("modtaget efter klagefristen"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    outcome = models.CharField(
        _("genvurdering"), max_length=20, choices=Outcome.choices, blank=True
    )
    reconsidered_on = models.DateField(_("genvurderet"), null=True, blank=True)
    reconsidered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("genvurderet af"),
    )
    sent_to_ankestyrelsen_on = models.DateField(_("sendt til Ankestyrelsen"), null=True, blank=True)
    new_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes_after_complaint",
        verbose_name=_("ny afgørelse"),
    )
    ankestyrelsen_result = models.CharField(
        _("Ankestyrelsens afgørelse"),
        max_length=20,
        choices=AnkestyrelsenResult.choices,
        blank=True,
    )
    ankestyrelsen_result_on = models.DateField(
        _("Ankestyrelsens afgørelse modtaget"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("klage")
        verbose_name_plural = pgettext_lazy("complaints, plural of klage", "klager")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.complainant} {self.received_on:%d.%m.%Y}"
