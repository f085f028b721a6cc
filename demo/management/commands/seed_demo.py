"""``manage.py seed_demo``: a fictitious municipality to try Familieværft on.

Fjordby Kommune with two authority teams and a family house, about 40 families and 70
children, each child with its one case. Every case is built through ``cases.services`` so
the deadline engine computes its deadlines exactly as for real cases; every case with a
measure gets its plan written with the family through ``plans.services`` (``_demo_plans``).
Runs are deterministic (a seeded ``random.Random``) and idempotent: when the demo users exist
nothing is changed.

All names, addresses and CPR numbers are invented. CPR numbers are never printed.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationUnit, Role, Team, TeamMembership, User
from cases import services
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Citizen,
    Deadline,
    Family,
    FamilyMember,
    FamilyRelation,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
    age_on,
)
from cases.working_days import add_working_days, is_working_day
from core.cpr import birth_date_from_cpr, century_for
from demo.network import demo_network_for_plan
from demo.plans import PlanSubject, demo_plan_fill, parents_at_home

# Published on purpose: every demo login shares it, and production refuses the command.
DEMO_PASSWORD = "familievaerft-demo"  # noqa: S105
SEED = 20240101
# The demo exists when this user does; make setup runs the command every time.
MARKER_USERNAME = "sagsbehandler"
MUNICIPALITY = "Fjordby Kommune"

Kind = FamilyRelation.Kind
Reporter = Notification.ReporterKind

# --- staff -----------------------------------------------------------------------------------

AUTHORITY_UNIT = "Børne- og Ungeafdelingen"
PROVIDER_UNIT = "Familiehuset"
TEAM_NORD = "Team Nord"
TEAM_SYD = "Team Syd"
TEAM_HOUSE = "Familiehuset"


@dataclass(frozen=True)
class Staff:
    username: str
    first_name: str
    last_name: str
    role: str
    title: str
    team: str | None
    is_lead: bool = False


STAFF: tuple[Staff, ...] = (
    Staff("sagsbehandler", "Mette", "Kristensen", Role.CASEWORKER, "Socialrådgiver", TEAM_NORD),
    Staff("sagsbehandler2", "Jonas", "Lindberg", Role.CASEWORKER, "Socialrådgiver", TEAM_SYD),
    Staff("sagsbehandler3", "Peter", "Mikkelsen", Role.CASEWORKER, "Socialrådgiver", TEAM_NORD),
    Staff("sagsbehandler4", "Sanne", "Vestergaard", Role.CASEWORKER, "Socialrådgiver", TEAM_NORD),
    Staff("sagsbehandler5", "Rasmus", "Holst", Role.CASEWORKER, "Socialrådgiver", TEAM_SYD),
    Staff("sagsbehandler6", "Line", "Østergaard", Role.CASEWORKER, "Socialformidler", TEAM_SYD),
    Staff("teamleder", "Hanne", "Bach", Role.TEAM_LEAD, "Teamleder", TEAM_NORD, is_lead=True),
    Staff("teamleder2", "Torben", "Fogh", Role.TEAM_LEAD, "Teamleder", TEAM_SYD, is_lead=True),
    Staff("familiebehandler", "Louise", "Dam", Role.THERAPIST, "Familiebehandler", TEAM_HOUSE),
    Staff("familiebehandler2", "Søren", "Krogh", Role.THERAPIST, "Familiekonsulent", TEAM_HOUSE),
    Staff("psykolog", "Camilla", "Friis", Role.PSYCHOLOGIST, "Autoriseret psykolog", TEAM_HOUSE),
    Staff("admin", "Kim", "Borup", Role.ADMIN, "Systemadministrator", None),
)

# --- names and places (invented; common Danish names) ----------------------------------------

GIRLS = (
    "Emma", "Ida", "Clara", "Freja", "Alma", "Ella", "Sofia", "Anna", "Laura", "Karla", "Agnes",
    "Olivia", "Josefine", "Nora", "Lærke", "Maja", "Liva", "Asta", "Mathilde", "Ellen", "Sofie",
    "Vigga", "Frida", "Isabella", "Caroline", "Signe", "Luna", "Esther", "Merle", "Silje",
)  # fmt: skip
BOYS = (
    "William", "Noah", "Oscar", "Lucas", "Carl", "Victor", "Malthe", "Alfred", "Emil", "Oliver",
    "Valdemar", "Magnus", "Frederik", "Aksel", "Elias", "Mikkel", "Villads", "Anton", "Theo",
    "August", "Johan", "Arthur", "Storm", "Sebastian", "Milas", "Konrad", "Otto", "Bertram",
)  # fmt: skip
WOMEN = (
    "Mette", "Louise", "Camilla", "Maria", "Anne", "Christina", "Sara", "Julie", "Line", "Stine",
    "Katrine", "Marianne", "Heidi", "Pernille", "Tina", "Rikke", "Nanna", "Cecilie", "Helle",
    "Sidsel", "Lene", "Janni", "Trine", "Maiken",
)  # fmt: skip
MEN = (
    "Martin", "Thomas", "Christian", "Jesper", "Mads", "Rasmus", "Michael", "Kasper", "Jacob",
    "Nicolai", "Henrik", "Morten", "Brian", "Anders", "Lars", "Kenneth", "Dennis", "Jonas",
    "Simon", "Tobias", "René", "Claus", "Steffen", "Daniel",
)  # fmt: skip
SURNAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristiansen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm",
    "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Nissen",
    "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Skov", "Brandt", "Bertelsen", "Juhl",
    "Dalgaard", "Lindholm", "Enevoldsen", "Overgaard", "Villadsen", "Bruun", "Damgaard",
    "Kofoed", "Ravn", "Toft", "Winther", "Riis", "Bak", "Mølgaard", "Nørgaard",
)  # fmt: skip
STREETS = (
    "Havnegade", "Strandvejen", "Skolevej", "Kirkebakken", "Mølleløkken", "Engvej", "Birkealle",
    "Fjordparken", "Solsikkevej", "Vestergade", "Nørregade", "Ringvejen", "Lærkevej",
    "Bøgeparken", "Stationsvej", "Kastanjevej",
)  # fmt: skip
# (postal code, town) in the invented municipality.
TOWNS = (("4991", "Fjordby"), ("4991", "Fjordby"), ("4992", "Fjordby Øst"), ("4993", "Sandvig"))
HEALTH_VISITORS = "Sundhedsplejen"
NURSERIES = ("Vuggestuen Solstrålen", "Dagplejen Fjordby Øst")
KINDERGARTENS = ("Børnehuset Mælkebøtten", "Børnehaven Troldehøj")
SCHOOLS = ("Fjordbyskolen", "Nordre Skole", "Egeskovskolen")
YOUTH_EDUCATION = ("Fjordby Gymnasium", "Fjordby Tekniske Skole", "FGU Fjordby")

# --- what the families and their cases look like ---------------------------------------------

NOTIFICATION = CaseStatus.NOTIFICATION.value
ASSESSMENT = CaseStatus.ASSESSMENT.value
MEASURE = CaseStatus.MEASURE.value
CLOSING = CaseStatus.CLOSING.value
CLOSED = CaseStatus.CLOSED.value


@dataclass(frozen=True)
class FamilyPlan:
    owner: str
    stages: tuple[str, ...]  # one per child, oldest first
    login: str | None = None  # family-portal user of the custodial parent
    therapist: str | None = None  # therapist on this family's measures, else round-robin
    structure: str | None = None  # see _adults(); chosen at random when None
    teen: bool = False  # the oldest child is 16 or 17
    reopened: bool = False  # the children had a case closed about a year ago
    # The story variant of the family's cases instead of the next in turn (STAGE_VARIANTS);
    # the turn is still taken, so the other families keep theirs.
    variant: str | None = None


N, A, M, CG, CD = NOTIFICATION, ASSESSMENT, MEASURE, CLOSING, CLOSED
FB, FB2 = "familiebehandler", "familiebehandler2"

FAMILY_PLAN: tuple[FamilyPlan, ...] = (
    # sagsbehandler, Team Nord: 14 children
    # familie: a measure running for a couple of months, so the plan has a history to show.
    FamilyPlan(
        "sagsbehandler",
        (M, M),
        login="familie",
        therapist=FB,
        structure="two_parents",
        variant="established",
    ),
    FamilyPlan("sagsbehandler", (N, N)),  # the acute judgement due within the day
    # An assessment past its four months: Mine sager shows sagsbehandler an overdue deadline.
    FamilyPlan("sagsbehandler", (A, A, A), structure="stepfamily", variant="overdue"),
    FamilyPlan("sagsbehandler", (M, M), therapist=FB),
    FamilyPlan("sagsbehandler", (M,), therapist=FB2, teen=True),
    FamilyPlan("sagsbehandler", (CG,), therapist=FB),
    FamilyPlan("sagsbehandler", (CD, CD)),
    FamilyPlan("sagsbehandler", (CD,), teen=True),
    # sagsbehandler2, Team Syd: 14 children
    FamilyPlan("sagsbehandler2", (M,), login="familie2", therapist=FB2, structure="single_mother"),
    FamilyPlan("sagsbehandler2", (N, N)),
    FamilyPlan("sagsbehandler2", (A,), teen=True),
    FamilyPlan("sagsbehandler2", (A, A)),
    FamilyPlan("sagsbehandler2", (M, M)),
    FamilyPlan("sagsbehandler2", (M, M), structure="stepfamily"),
    FamilyPlan("sagsbehandler2", (CG,)),
    FamilyPlan("sagsbehandler2", (CD,)),
    FamilyPlan("sagsbehandler2", (CD, CD)),
    # sagsbehandler3, Team Nord: 10 children
    FamilyPlan("sagsbehandler3", (N, N), reopened=True),
    FamilyPlan("sagsbehandler3", (A, A)),
    FamilyPlan("sagsbehandler3", (M, M, M), structure="with_grandmother"),
    FamilyPlan("sagsbehandler3", (CG,), teen=True),
    FamilyPlan("sagsbehandler3", (CD, CD)),
    # sagsbehandler4, Team Nord: 11 children
    FamilyPlan("sagsbehandler4", (N,)),
    FamilyPlan("sagsbehandler4", (A, A)),
    FamilyPlan("sagsbehandler4", (M, M)),
    FamilyPlan("sagsbehandler4", (M, M), structure="single_father"),
    FamilyPlan("sagsbehandler4", (CG,)),
    FamilyPlan("sagsbehandler4", (CD,)),
    FamilyPlan("sagsbehandler4", (CD, CD)),
    # sagsbehandler5, Team Syd: 10 children
    FamilyPlan("sagsbehandler5", (N, N)),
    FamilyPlan("sagsbehandler5", (A, A)),
    FamilyPlan("sagsbehandler5", (CD, M)),
    FamilyPlan("sagsbehandler5", (M, M)),
    FamilyPlan("sagsbehandler5", (CG, CG)),
    # sagsbehandler6, Team Syd: 11 children
    FamilyPlan("sagsbehandler6", (N,)),
    FamilyPlan("sagsbehandler6", (A, A)),
    FamilyPlan("sagsbehandler6", (M, M, M), structure="stepfamily"),
    FamilyPlan("sagsbehandler6", (M,), teen=True),
    FamilyPlan("sagsbehandler6", (CG,)),
    FamilyPlan("sagsbehandler6", (CD, CD, CD)),
)

# Variants cycle per stage, so every situation a caseworker meets is in the demo.
STAGE_VARIANTS: dict[str, tuple[str, ...]] = {
    NOTIFICATION: ("acute_pending", "receipt_overdue", "receipt_sent", "acute_overdue"),
    ASSESSMENT: ("early", "near_deadline", "midway", "overdue"),
    MEASURE: ("new", "running", "established", "followup_due"),
    CLOSING: ("closing",),
    CLOSED: ("screened_out", "after_measure", "after_clarification", "moved"),
}

# --- texts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Concern:
    band: str  # family (fits siblings together), small (0–5), school (6–13), teen (14–17)
    reporter_kind: str
    reporter_name: str
    organisation: str
    text: str
    kind: str = Notification.Kind.NOTIFICATION


CONCERNS: tuple[Concern, ...] = (
    Concern(
        "family", Reporter.PROFESSIONAL, "Læge Birgit Aagaard", "Fjordby Lægehus",
        "{parent} har ved flere konsultationer fortalt om tiltagende depression og om ikke at "
        "kunne overskue hverdagen. Lægen er bekymret for, om {parent} i perioden kan tage "
        "vare på {child} og søskende.",
    ),
    Concern(
        "family", Reporter.PROFESSIONAL, "Politiassistent Jens Kirk", "Sydøstjyllands Politi",
        "Politiet blev natten til søndag kaldt til adressen på grund af husspektakel. Børnene "
        "var hjemme og vågne, da patruljen kom. {child} sad i sin seng og græd. Der var ikke "
        "tegn på fysisk vold mod børnene.",
    ),
    Concern(
        "family", Reporter.PROFESSIONAL, "Sagsbehandler Rikke Hald", "Jobcenter Fjordby",
        "{parent} har ved samtaler i jobcentret givet udtryk for, at familien er ved at miste "
        "boligen, og at der ofte ikke er penge til mad sidst på måneden. Jobcentret er "
        "bekymret for børnenes forhold.",
    ),
    Concern(
        "family", Reporter.PRIVATE, "Bente (mormor)", "",
        "Mormor henvender sig, fordi hun er bekymret for {child} og søskende. Efter hendes "
        "opfattelse drikker {parent} for meget i weekenderne, og det ældste barn tager sig "
        "af de mindste.",
    ),
    Concern(
        "family", Reporter.PRIVATE, "Nabo", "",
        "En nabo hører ofte råb og gråd fra lejligheden sent om aftenen. Hun har set {child} "
        "alene på opgangen i nattøj en aften i sidste uge.",
    ),
    Concern(
        "family", Reporter.ANONYMOUS, "", "",
        "En anonym henvendelse fortæller, at børnene ofte er alene hjemme om aftenen, mens "
        "de voksne er ude, og at der er meget fest i lejligheden.",
    ),
    Concern(
        "family", Reporter.PRIVATE, "{parent_full}", "",
        "Jeg søger om hjælp, fordi vi ikke kan få hverdagen til at hænge sammen efter "
        "skilsmissen. Der er konflikter hver morgen og hver aften, og jeg kan mærke, at "
        "{child} og søskende ikke har det godt.",
        Notification.Kind.APPLICATION,
    ),
    Concern(
        "small", Reporter.PROFESSIONAL, "Sundhedsplejerske Birgitte Holm", HEALTH_VISITORS,
        "Ved hjemmebesøg har sundhedsplejen flere gange oplevet, at {child} er uoplagt og "
        "ikke følger sin vægtkurve. {parent} fortæller om at være meget alene og ikke få "
        "sovet. Der var ikke mad i køleskabet ved sidste besøg.",
    ),
    Concern(
        "small", Reporter.PROFESSIONAL, "Pædagog Anja Kjeldsen", "{institution}",
        "{child} kommer ofte sent og uden madpakke og er flere gange blevet hentet af en "
        "voksen, der virkede påvirket. {child} er stille og trækker sig fra legen med de "
        "andre børn.",
    ),
    Concern(
        "small", Reporter.PROFESSIONAL, "Leder Tove Rask", "{institution}",
        "{child} har haft blå mærker på overarmene to gange i denne måned, som forældrene ikke "
        "har kunnet forklare. {child} bliver urolig og klynger sig til personalet, når der "
        "bliver hentet.",
    ),
    Concern(
        "school", Reporter.PROFESSIONAL, "Klasselærer Anne Kjær", "{institution}",
        "{child} har haft ca. 20 % fravær siden sommerferien. Når {child} er i skole, er "
        "barnet træt, glemmer ofte sine ting og har svært ved at koncentrere sig. Forældrene "
        "er svære at få fat på og kom ikke til skole-hjem-samtalen.",
    ),
    Concern(
        "school", Reporter.PROFESSIONAL, "Klasselærer Morten Brix", "{institution}",
        "{child} har fortalt sin lærer, at de voksne derhjemme skændes meget, og at {child} "
        "er bange for at gå hjem efter SFO. {child} har flere gange bedt om at blive længere "
        "på skolen.",
    ),
    Concern(
        "school", Reporter.PROFESSIONAL, "Skolesundhedsplejerske Ulla Friis", "{institution}",
        "{child} har tabt sig og har ondt i maven hver morgen. Skolesundhedsplejersken er "
        "bekymret for {child}s trivsel derhjemme efter forældrenes brud.",
    ),
    Concern(
        "school", Reporter.PROFESSIONAL, "Psykolog Jakob Munk", "PPR Fjordby Kommune",
        "PPR har observeret {child} i klassen. {child} har voldsomme konflikter med "
        "kammeraterne og har flere gange forladt skolen i frikvarteret. Forældrene ønsker "
        "hjælp, men oplever selv at være kørt fast.",
    ),
    Concern(
        "teen", Reporter.PROFESSIONAL, "Politiassistent Jens Kirk", "Sydøstjyllands Politi",
        "{child} blev i weekenden anholdt sammen med ældre unge for butikstyveri og virkede "
        "påvirket af hash. Forældrene oplyste, at de ikke ved, hvor {child} opholder sig om "
        "aftenen.",
    ),
    Concern(
        "teen", Reporter.PROFESSIONAL, "Studievejleder Karen Lyng", "{institution}",
        "{child} har ikke været i skole de seneste tre uger og svarer ikke på beskeder. "
        "Veninder fortæller, at {child} skader sig selv og ikke vil hjem.",
    ),
    Concern(
        "teen", Reporter.PROFESSIONAL, "SSP-konsulent Ole Thygesen", "SSP Fjordby",
        "SSP har flere gange mødt {child} sent om aftenen ved stationen. {child} fortæller om "
        "konflikter med de voksne derhjemme og sover ofte hos venner.",
    ),
)  # fmt: skip

ACUTE_NONE_NOTES = (
    "Vurderet samme dag. Ingen oplysninger om akut fare for barnets sundhed eller udvikling. "
    "Sagen screenes på næste teammøde.",
    "Talt med underretter og med {parent} i telefon. {child} er tryg hjemme i dag; der er ikke "
    "behov for akut hjælp.",
    "Ingen akut risiko: {child} er i dagtilbud eller skole dagligt, og der er et stabilt "
    "netværk omkring familien.",
)
ACUTE_ACTION_NOTE = (
    "{child} bor efter aftale med {parent} midlertidigt hos mormor, mens sagen undersøges. "
    "Politiet er orienteret."
)

CONCLUSIONS = (
    "Undersøgelsen viser, at {child} har brug for mere struktur og forudsigelighed i hverdagen. "
    "Forældrene er motiverede og har ressourcer, men mangler redskaber til at håndtere "
    "konflikterne. Der er behov for praktisk pædagogisk støtte i hjemmet.",
    "Der er en reel bekymring for {child}s skolegang og sociale relationer. Familien har selv "
    "ønsket hjælp. Familiebehandling vurderes at kunne styrke samspillet mellem forældre og "
    "barn.",
    "{parent}s psykiske sårbarhed påvirker {child}s hverdag. Mormor og {institution} er vigtige "
    "ressourcer. En forebyggende indsats med fokus på forældrekompetence og netværk vurderes "
    "at være tilstrækkelig.",
    "{child} har brug for en fast voksen uden for familien, som kan støtte i forhold til skole "
    "og fritid og hjælpe med de konflikter, der er derhjemme.",
)
CLARIFICATION_NO_NEED = (
    "{child} trives i {institution}, og netværket omkring familien er stærkt. Bekymringen er "
    "ikke bekræftet i et omfang, der kræver særlig støtte. Familien er vejledt om den åbne "
    "rådgivning."
)
PARENTS_VIEWS = (
    "Forældrene genkender bekymringen og ønsker hjælp til at få morgener og sengetider til at "
    "fungere.",
    "{parent} er uenig i en del af bekymringen, men vil gerne samarbejde for {child}s skyld.",
    "{parent} fortæller, at det har været en hård tid, og er lettet over at få hjælp.",
)
CHILD_VIEWS_SMALL = (
    "{child} er for lille til at udtale sig. {child} blev observeret i hjemmet, hvor {child} "
    "søgte trøst hos {parent} og hurtigt faldt til ro.",
)
CHILD_VIEWS = (
    "{child} fortæller, at det bedste derhjemme er at spille spil med {parent}, og at det "
    "sværeste er, når de voksne råber.",
    "{child} vil gerne have, at der kommer en voksen og hjælper, »så mor ikke er så træt«.",
    "{child} ønsker mest af alt at blive på sin skole og beholde sine venner.",
)

PURPOSES: dict[str, tuple[str, ...]] = {
    "bl-32-1-2": (
        "At forældrene får redskaber til at skabe struktur og faste rutiner omkring morgen og "
        "sengetid, så {child} kommer afsted hver dag og er udhvilet.",
        "At {parent} bliver i stand til selv at planlægge hverdagen med madplan, indkøb og "
        "faste tider, så {child} oplever ro og forudsigelighed.",
    ),
    "bl-32-1-5": (
        "At styrke samspillet mellem forældrene og {child}, så konflikterne bliver færre, og "
        "{child} oplever at blive mødt og forstået derhjemme.",
        "At familien lærer at tale sammen om det, der er svært, og at {child} igen trives i "
        "{institution}.",
    ),
    "bl-30": (
        "Forebyggende forløb, der skal øge forældrenes forståelse af {child}s behov og styrke "
        "deres forældrekompetence, så mistrivslen ikke udvikler sig.",
    ),
    "bl-32-1-3": (
        "{child} får en fast kontaktperson, der kan støtte i at fastholde skolegang eller "
        "uddannelse og i at finde fællesskaber og fritidsinteresser uden for hjemmet.",
    ),
}
HOURS_TAPER: dict[str, list[tuple[int | None, Decimal]]] = {
    "bl-32-1-2": [(4, Decimal("6")), (8, Decimal("4")), (None, Decimal("2"))],
    "bl-32-1-5": [(4, Decimal("6")), (8, Decimal("4")), (None, Decimal("2"))],
    "bl-30": [(6, Decimal("3")), (None, Decimal("1.5"))],
    "bl-32-1-3": [(None, Decimal("3"))],
}
DURATION_MONTHS: dict[str, tuple[int, int]] = {
    "bl-32-1-2": (4, 9),
    "bl-32-1-5": (6, 12),
    "bl-30": (2, 6),
    "bl-32-1-3": (6, 12),
}

NOTE_SCREENING = (
    "Underretningen er læst og vurderet. Telefonsamtale med {parent}, som er orienteret om "
    "underretningen og om, at vi inviterer familien til en samtale.",
    "Sagen er screenet på teammødet. Vi indhenter oplysninger fra {institution} og tilbyder "
    "familien en samtale.",
)
NOTE_CHILD_CONVERSATION = (
    "Samtale med {child} i hjemmet. {child} viste sit værelse og fortalte om {institution} og "
    "sine venner. Vi brugte De Tre Huse: i drømmehuset bor hele familien, og ingen råber."
)
NOTE_CHILD_OBSERVATION = (
    "Hjemmebesøg. {child} blev observeret sammen med {parent}; {child} søgte trøst hos {parent} "
    "og faldt hurtigt til ro. Hjemmet fremstod ryddeligt."
)
NOTE_NETWORK_MEETING = (
    "Netværksmøde afholdt med forældrene, {institution} og {relative}. Aftalt, at {relative} "
    "henter {child} om tirsdagen, og at {institution} giver besked samme dag ved fravær."
)
NOTE_NETWORK_CORRECTION = (
    "Rettelse: Det var {relative}, ikke {wrong_relative}, der deltog i netværksmødet og "
    "påtog sig at hente {child} om tirsdagen. Resten af notatet står ved magt."
)
NOTE_SCALING = (
    "Skaleringsspørgsmål på mødet (10 = godt nok til at lukke sagen): {parent} 4, "
    "{institution} 3, sagsbehandler 3."
)
NOTE_HEARING = (
    "Udkast til undersøgelsen sendt til partshøring hos forældremyndighedsindehaverne med 14 "
    "dages svarfrist."
)
NOTE_DECISION = (
    "Afgørelse om indsats sendt til forældrene. {parent} har givet samtykke og accepteret, at "
    "Familiehuset kontakter {institution}."
)
NOTE_SAFETY_PLAN = (
    "Sikkerhedsplan aftalt med familien: ved konflikter om aftenen ringer {parent} til sin "
    "søster, og {child} kan overnatte hos hende."
)
NOTE_FOLLOW_UP_CALL = (
    "Telefonsamtale med {institution}: fraværet er faldet, og {child} deltager mere aktivt."
)
THERAPIST_NOTES = (
    "Hjemmebesøg: arbejdet med morgenrutinen. Vi lavede et billedskema sammen med {child}, som "
    "nu hænger på køleskabet.",
    "Familiesamtale i Familiehuset med {parent} og {child}. Fokus på, hvordan de kan tale "
    "sammen, når de er uenige.",
    "Videofeedback: optagelse af aftensmåltidet gennemgået med {parent}, som selv lagde mærke "
    "til, hvor godt {child} reagerede på ros.",
    "Deltog sammen med {parent} i et møde i {institution}. {parent} førte selv ordet og aftalte "
    "en fast ugentlig besked fra personalet.",
)
THERAPIST_NOTE_TAPER = (
    "Timetallet er trappet ned efter planen. Familien klarer nu selv morgenerne fire ud af fem "
    "dage."
)
THERAPIST_NOTE_OLDER_CHILD = (
    "Samtale med {child} alene på vej til fritidsaktiviteten. {child} siger, at det er blevet "
    "bedre derhjemme: »Vi råber ikke så meget mere.«"
)
NOTE_STATUS_LETTER_DRAFT = (
    "Udkast til afsluttende statusskrivelse gennemgået med familien. {parent} ønskede en "
    "tilføjelse om samarbejdet med {institution}, som er indarbejdet."
)
NOTE_HANDOVER = (
    "Afsluttende netværksmøde: {relative} og {institution} overtager de faste aftaler, og "
    "familien ved, hvor de kan henvende sig, hvis det bliver svært igen."
)
NOTE_STATUS_LETTER_RECEIVED = (
    "Afsluttende statusskrivelse modtaget fra Familiehuset og journaliseret. Sagen lukkes efter "
    "aftale med familien."
)
CLOSING_REASONS: dict[str, str] = {
    "screened_out": "Henlagt efter screening: bekymringen er afklaret ved samtale med familien, "
    "og {institution} følger op i almenområdet.",
    "after_clarification": "Afdækningen viste ikke behov for særlig støtte. Familien er vejledt "
    "om den åbne rådgivning.",
    "after_measure": "Indsatsens mål er nået: {child} trives, og forældrene klarer hverdagen "
    "selv. Netværket har overtaget de faste aftaler.",
    "moved": "Familien er fraflyttet kommunen. Sagen er overdraget til den nye bopælskommune.",
}
RELATIVES = ("morfar", "mormor", "farmor", "farfar", "moster", "faster")


# --- the plan of one child's case ------------------------------------------------------------


@dataclass
class Story:
    """When things happened in one child's case. Times are all in the past."""

    stage: str
    variant: str
    received_at: dt.datetime
    acute_judged_at: dt.datetime | None = None
    acute_outcome: str = Notification.AcuteOutcome.NO_ACUTE_NEED
    receipt_sent_at: dt.datetime | None = None
    needs_professional: bool = False
    assessment_kind: str | None = None
    assessment_started: dt.date | None = None
    assessment_finished: dt.date | None = None
    measure_start: dt.date | None = None
    measure_end: dt.date | None = None
    closed_at: dt.datetime | None = None
    prior: "Story | None" = None  # an earlier course, closed: this notification reopens it

    @property
    def earliest(self) -> dt.datetime:
        return self.prior.earliest if self.prior is not None else self.received_at


@dataclass
class ChildPlan:
    citizen: Citizen
    member: FamilyMember
    story: Story
    owner: User
    therapist: str | None
    institution: str
    parent: FamilyMember
    relative: str
    concern: Concern
    family_index: int
    position: int  # 0 for the oldest child of the family
    has_login: bool = False  # the family has a demo login: its plans get a longer history


@dataclass
class Result:
    families: int = 0
    children: int = 0
    case_ids: list[Any] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    existing_users: list[str] = field(default_factory=list)


class DemoBuilder:
    def __init__(self, *, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.used_cprs: set[str] = set(Citizen.objects.values_list("cpr", flat=True))
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.bases = {b.code: b for b in LegalBasis.objects.filter(code__in=PURPOSES)}
        self.variant_counters: Counter[str] = Counter()
        self.therapist_turn = 0
        self.password_hash = ""
        self.result = Result()

    # --- time ------------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A moment on ``day``, never later than a few minutes ago."""
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(moment, self.now - dt.timedelta(minutes=5))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.workday_back(self.today - dt.timedelta(days=self.rng.randint(low, high)))

    @staticmethod
    def workday_back(day: dt.date) -> dt.date:
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    @staticmethod
    def workday_forward(day: dt.date) -> dt.date:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def office_time(self, day: dt.date) -> dt.datetime:
        return self.at(day, self.rng.randint(8, 14), self.rng.choice((0, 10, 25, 40, 55)))

    # --- organisation and staff -------------------------------------------------------------

    def organisation(self) -> None:
        authority, _created = OrganisationUnit.objects.get_or_create(
            name=AUTHORITY_UNIT,
            defaults={
                "kind": OrganisationUnit.Kind.AUTHORITY,
                "municipality": MUNICIPALITY,
                "address": "Rådhustorvet 1, 4991 Fjordby",
            },
        )
        provider, _created = OrganisationUnit.objects.get_or_create(
            name=PROVIDER_UNIT,
            defaults={
                "kind": OrganisationUnit.Kind.PROVIDER,
                "municipality": MUNICIPALITY,
                "address": "Havnegade 12, 4991 Fjordby",
            },
        )
        for unit, name in ((authority, TEAM_NORD), (authority, TEAM_SYD), (provider, TEAM_HOUSE)):
            self.teams[name], _created = Team.objects.get_or_create(unit=unit, name=name)

    def staff(self, password_hash: str) -> None:
        for person in STAFF:
            user = self.user(
                username=person.username,
                password_hash=password_hash,
                first_name=person.first_name,
                last_name=person.last_name,
                role=person.role,
                title=person.title,
                is_admin=person.role == Role.ADMIN,
            )
            if person.team is not None:
                TeamMembership.objects.get_or_create(
                    team=self.teams[person.team],
                    user=user,
                    defaults={"is_lead": person.is_lead},
                )

    def user(
        self,
        *,
        username: str,
        password_hash: str,
        first_name: str,
        last_name: str,
        role: str,
        title: str = "",
        is_admin: bool = False,
    ) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            # Someone made this user by hand (createsuperuser admin, say): leave it alone.
            self.result.existing_users.append(username)
            self.users[username] = existing
            return existing
        user = User.objects.create(
            username=username,
            password=password_hash,
            first_name=first_name,
            last_name=last_name,
            role=role,
            title=title,
            email=f"{username}@fjordby.example",
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        self.users[username] = user
        self.result.users.append(user)
        return user

    # --- stories ----------------------------------------------------------------------------

    def story(self, stage: str, variant: str | None = None) -> Story:
        variants = STAGE_VARIANTS[stage]
        in_turn = variants[self.variant_counters[stage] % len(variants)]
        self.variant_counters[stage] += 1
        variant = variant if variant in variants else in_turn
        return getattr(self, f"_story_{stage}")(variant)

    def _received(self, day: dt.date, receipt_working_days: int | None) -> Story:
        received = self.office_time(day)
        story = Story(stage="", variant="", received_at=received)
        story.acute_judged_at = min(
            received + dt.timedelta(minutes=self.rng.randint(45, 300)),
            self.now - dt.timedelta(minutes=2),
        )
        if receipt_working_days is not None:
            story.receipt_sent_at = self.at(
                add_working_days(day, receipt_working_days), self.rng.randint(9, 15)
            )
        return story

    def _story_notification(self, variant: str) -> Story:
        if variant in ("acute_pending", "acute_overdue"):
            hours = (
                self.rng.uniform(2, 16) if variant == "acute_pending" else self.rng.uniform(30, 60)
            )
            return Story(NOTIFICATION, variant, self.now - dt.timedelta(hours=hours))
        if variant == "receipt_sent":
            story = self._received(self.days_ago(2, 5), receipt_working_days=1)
        else:  # receipt_overdue: judged, but more than 6 working days without a receipt
            story = self._received(self.days_ago(11, 16), receipt_working_days=None)
        story.stage, story.variant, story.needs_professional = NOTIFICATION, variant, True
        return story

    def _story_assessment(self, variant: str) -> Story:
        low, high = {
            "early": (18, 45),
            "midway": (50, 90),
            "near_deadline": (108, 115),
            "overdue": (126, 140),
        }[variant]
        day = self.days_ago(low, high)
        late_receipt = variant == "overdue"
        story = self._received(day, self.rng.randint(8, 10) if late_receipt else 1)
        story.stage, story.variant = ASSESSMENT, variant
        story.needs_professional = late_receipt
        story.assessment_kind = (
            Assessment.Kind.CLARIFICATION
            if variant == "early" and self.rng.random() < 0.5
            else Assessment.Kind.CHILD_ASSESSMENT
        )
        story.assessment_started = min(
            self.workday_forward(day + dt.timedelta(days=self.rng.randint(5, 12))),
            self.today - dt.timedelta(days=1),
        )
        return story

    def _assessed_then_measure(self, start: dt.date, *, long_assessment: bool = False) -> Story:
        finished = self.workday_back(start - dt.timedelta(days=self.rng.randint(6, 14)))
        length = self.rng.randint(105, 125) if long_assessment else self.rng.randint(35, 95)
        started = self.workday_back(finished - dt.timedelta(days=length))
        received_day = self.workday_back(started - dt.timedelta(days=self.rng.randint(4, 10)))
        story = self._received(received_day, self.rng.randint(1, 4))
        story.assessment_kind = Assessment.Kind.CHILD_ASSESSMENT
        story.assessment_started = started
        story.assessment_finished = finished
        story.measure_start = start
        return story

    def _story_measure(self, variant: str) -> Story:
        low, high = {
            "new": (7, 25),
            "running": (30, 55),
            "established": (60, 85),
            "followup_due": (100, 130),
        }[variant]
        story = self._assessed_then_measure(
            self.days_ago(low, high), long_assessment=variant == "followup_due"
        )
        story.stage, story.variant = MEASURE, variant
        return story

    def _story_closing(self, variant: str) -> Story:
        story = self._assessed_then_measure(self.days_ago(65, 88))
        story.stage, story.variant = CLOSING, variant
        story.measure_end = self.days_ago(3, 18)
        return story

    def _story_closed(self, variant: str) -> Story:
        if variant == "screened_out":
            return self._screened_out(self.days_ago(30, 200))
        if variant == "after_clarification":
            day = self.days_ago(90, 260)
            story = self._received(day, self.rng.randint(1, 3))
            story.assessment_kind = Assessment.Kind.CLARIFICATION
            story.assessment_started = self.workday_forward(
                day + dt.timedelta(days=self.rng.randint(6, 10))
            )
            story.assessment_finished = self.workday_forward(
                story.assessment_started + dt.timedelta(days=self.rng.randint(25, 45))
            )
            closed = story.assessment_finished + dt.timedelta(days=self.rng.randint(3, 7))
            story.closed_at = self.at(self.workday_forward(closed), 15)
        else:  # after_measure, moved: a whole course
            received_low, received_high = (280, 420) if variant == "after_measure" else (200, 300)
            received_day = self.days_ago(received_low, received_high)
            started = self.workday_forward(
                received_day + dt.timedelta(days=self.rng.randint(5, 10))
            )
            finished = self.workday_forward(started + dt.timedelta(days=self.rng.randint(40, 90)))
            measure_start = self.workday_forward(
                finished + dt.timedelta(days=self.rng.randint(7, 14))
            )
            length = self.rng.randint(100, 200) if variant == "after_measure" else 60
            measure_end = min(
                measure_start + dt.timedelta(days=length),
                self.today - dt.timedelta(days=self.rng.randint(12, 30)),
            )
            story = self._received(received_day, self.rng.randint(1, 4))
            story.assessment_kind = Assessment.Kind.CHILD_ASSESSMENT
            story.assessment_started, story.assessment_finished = started, finished
            story.measure_start = measure_start
            story.measure_end = self.workday_back(measure_end)
            closed = story.measure_end + dt.timedelta(days=self.rng.randint(2, 10))
            story.closed_at = self.at(self.workday_forward(closed), 14)
        story.stage, story.variant = CLOSED, variant
        return story

    def _screened_out(self, day: dt.date) -> Story:
        story = self._received(day, 1)
        story.stage, story.variant = CLOSED, "screened_out"
        closed = self.workday_forward(day + dt.timedelta(days=self.rng.randint(4, 10)))
        story.closed_at = self.at(closed, 14)
        return story

    # --- families ---------------------------------------------------------------------------

    def cpr(self, born: dt.date, *, female: bool) -> str:
        """A fictitious, unused CPR number: real birth date, century-consistent 7th digit."""
        yy = born.year % 100
        sevenths = [d for d in range(10) if century_for(yy, d) + yy == born.year]
        while True:
            serial = (
                f"{self.rng.choice(sevenths)}{self.rng.randrange(100):02d}"
                f"{self.rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))}"
            )
            cpr = f"{born:%d%m%y}{serial}"
            if cpr not in self.used_cprs:
                self.used_cprs.add(cpr)
                if birth_date_from_cpr(cpr) != born:  # pragma: no cover - a bug in this file
                    raise CommandError("Internal error: generated CPR disagrees with birth date")
                return cpr

    def institution(self, age: int, chosen: dict[str, str]) -> tuple[str, str]:
        """(institution, what is stored on the citizen), shared by siblings of one band."""
        if age < 1:
            return HEALTH_VISITORS, ""
        names: tuple[str, ...]
        if age <= 2:
            band, names = "nursery", NURSERIES
        elif age <= 5:
            band, names = "kindergarten", KINDERGARTENS
        elif age <= 15:
            band, names = "school", SCHOOLS
        else:
            band, names = "youth", YOUTH_EDUCATION
        name = chosen.setdefault(band, self.rng.choice(names))
        if band == "school":
            return name, f"{name}, {age - 6}. klasse"
        return name, name

    def ages_in_days(self, plan: FamilyPlan, minimum: list[int]) -> list[int]:
        """Oldest first, 1–4 years apart, each old enough for its own case history."""
        oldest_cap = 18 * 365 - 40
        if plan.teen:
            oldest = self.rng.randint(16 * 365 + 10, oldest_cap)
        else:
            # Mostly school children; the youngest ones come as younger siblings.
            oldest = self.rng.randint(max(3 * 365, 500 * (len(plan.stages) - 1) + 60), 15 * 365)
        days = [oldest]
        for _sibling in plan.stages[1:]:
            days.append(max(30, days[-1] - self.rng.randint(450, 1500)))
        return [
            min(oldest_cap, max(d, low + self.rng.randint(40, 200)))
            for d, low in zip(days, minimum, strict=True)
        ]

    def family(
        self, index: int, plan: FamilyPlan, surname: str, other_surnames: list[str]
    ) -> list[ChildPlan]:
        rng = self.rng
        owner = self.users[plan.owner]
        structure = plan.structure or rng.choice(
            ("two_parents", "two_parents", "single_mother", "single_mother", "stepfamily",
             "single_father", "with_grandmother")
        )  # fmt: skip
        stories = self.family_stories(plan)
        minimum = [(self.now - s.earliest).days + 45 for s in stories]
        ages = self.ages_in_days(plan, minimum)
        postal_code, town = rng.choice(TOWNS)
        address = f"{rng.choice(STREETS)} {rng.randint(1, 140)}"
        if rng.random() < 0.4:
            address += f", {rng.randint(1, 4)}. {rng.choice(('th', 'tv', 'mf'))}"
        family = Family.objects.create(
            name=f"Familien {surname}", address=f"{address}, {postal_code} {town}"
        )
        mother_first, father_first = rng.choice(WOMEN), rng.choice(MEN)
        stepfather_surname, father_surname = other_surnames[0], other_surnames[1]
        # Children from an earlier relationship carry their father's name; a joint child of a
        # stepfamily (the youngest) carries the stepfather's.
        child_surnames = [surname] * len(plan.stages)
        if structure == "stepfamily":
            child_surnames = [father_surname] * len(plan.stages)
            if len(plan.stages) > 1:
                child_surnames[-1] = stepfather_surname
        institutions: dict[str, str] = {}
        children: list[tuple[Citizen, FamilyMember, str]] = []
        used_first_names: set[str] = set()
        for days, child_surname in zip(ages, child_surnames, strict=True):
            female = rng.random() < 0.5
            first = rng.choice(
                [n for n in (GIRLS if female else BOYS) if n not in used_first_names]
            )
            used_first_names.add(first)
            born = self.today - dt.timedelta(days=days)
            age = age_on(born, self.today)
            institution, school_or_daycare = self.institution(age, institutions)
            citizen = services.citizen_create(
                data=services.CitizenData(
                    first_name=first,
                    last_name=child_surname,
                    cpr=self.cpr(born, female=female),
                    address=address,
                    postal_code=postal_code,
                    city=town,
                    school_or_daycare=school_or_daycare,
                )
            )
            member = FamilyMember.objects.create(family=family, citizen=citizen, is_child=True)
            children.append((citizen, member, institution))
        members = [m for _c, m, _i in children]
        for child in members:
            for sibling in members:
                if sibling != child:
                    FamilyRelation.objects.create(member=sibling, child=child, kind=Kind.SIBLING)

        def adult(first: str, last: str) -> FamilyMember:
            pairs = [rng.randint(20, 99)] + [rng.randint(10, 99) for _pair in range(3)]
            phone = "+45 " + " ".join(str(pair) for pair in pairs)
            return FamilyMember.objects.create(
                family=family, first_name=first, last_name=last, phone=phone
            )

        def relate(
            adult_member: FamilyMember, kind: str, only: Sequence[FamilyMember] | None = None
        ) -> None:
            for child in only if only is not None else members:
                FamilyRelation.objects.create(member=adult_member, child=child, kind=kind)

        if structure == "single_father":
            father = adult(father_first, surname)
            relate(father, Kind.PARENT_CUSTODY)
            relate(adult(mother_first, other_surnames[0]), Kind.PARENT_NO_CUSTODY)
            custodial = father
        else:
            custodial = adult(mother_first, surname)
            relate(custodial, Kind.PARENT_CUSTODY)
            if structure == "two_parents":
                relate(adult(father_first, surname), Kind.PARENT_CUSTODY)
            elif structure == "single_mother":
                relate(
                    adult(father_first, father_surname),
                    rng.choice((Kind.PARENT_CUSTODY, Kind.PARENT_NO_CUSTODY)),
                )
            elif structure == "with_grandmother":
                relate(
                    adult(rng.choice(("Inger", "Kirsten", "Hanne", "Birthe")), surname),
                    Kind.OTHER_ADULT,
                )
            elif structure == "stepfamily":
                stepfather = adult(rng.choice(MEN), stepfather_surname)
                earlier = members[:-1] if len(members) > 1 else members
                relate(stepfather, Kind.STEP_PARENT, earlier)
                if len(members) > 1:
                    relate(stepfather, Kind.PARENT_CUSTODY, members[-1:])
                relate(
                    adult(father_first, father_surname),
                    rng.choice((Kind.PARENT_CUSTODY, Kind.PARENT_NO_CUSTODY)),
                    earlier,
                )
        if plan.login is not None:
            login = self.user(
                username=plan.login,
                password_hash=self.password_hash,
                first_name=custodial.first_name,
                last_name=custodial.last_name,
                role=Role.FAMILY,
            )
            custodial.user = login
            custodial.save(update_fields=["user"])

        relative = rng.choice(RELATIVES)
        # Siblings registered together share one notification text and reporter.
        shared = Counter(s.received_at for s in stories)
        concerns: dict[dt.datetime, Concern] = {}
        plans = []
        for position, ((citizen, member, institution), story) in enumerate(
            zip(children, stories, strict=True)
        ):
            if story.received_at not in concerns:
                band = (
                    "family"
                    if shared[story.received_at] > 1
                    else self.band(citizen, story.received_at)
                )
                concerns[story.received_at] = self.concern(
                    band,
                    professional=story.needs_professional,
                    # Only notifications of concern carry the 24-hour acute judgement.
                    notification_only=story.variant.startswith("acute"),
                )
            plans.append(
                ChildPlan(
                    citizen=citizen,
                    member=member,
                    story=story,
                    owner=owner,
                    therapist=plan.therapist,
                    institution=institution,
                    parent=custodial,
                    relative=relative,
                    concern=concerns[story.received_at],
                    family_index=index,
                    position=position,
                    has_login=plan.login is not None,
                )
            )
        self.result.families += 1
        self.result.children += len(plans)
        return plans

    def family_stories(self, plan: FamilyPlan) -> list[Story]:
        """Siblings in the same stage share the notification and its dates."""
        by_stage: dict[str, Story] = {}
        stories = []
        for stage in plan.stages:
            if stage not in by_stage:
                by_stage[stage] = self.story(stage, plan.variant)
                if plan.reopened:
                    by_stage[stage].prior = self._screened_out(self.days_ago(380, 450))
            story = by_stage[stage]
            stories.append(replace(story))
        return stories

    @staticmethod
    def band(citizen: Citizen, at: dt.datetime) -> str:
        age = age_on(citizen.birth_date, timezone.localdate(at))
        if age < 1:
            return "infant"
        return "small" if age <= 5 else "school" if age <= 13 else "teen"

    def concern(self, band: str, *, professional: bool, notification_only: bool = False) -> Concern:
        if band == "infant":  # not in daycare yet: the health visitor is who sees the baby
            pool = [c for c in CONCERNS if c.organisation == HEALTH_VISITORS]
        else:
            pool = [c for c in CONCERNS if c.band == band]
        if professional:
            pool = [c for c in pool if c.reporter_kind == Reporter.PROFESSIONAL]
        if notification_only:
            pool = [c for c in pool if c.kind == Notification.Kind.NOTIFICATION]
        return self.rng.choice(pool)

    # --- cases, through the services --------------------------------------------------------

    def case(self, child: ChildPlan) -> Case:
        if child.story.prior is not None:
            self.course(child, child.story.prior, self.concern("family", professional=False))
        case = self.course(child, child.story, child.concern)
        self.result.case_ids.append(case.pk)
        return case

    def words(self, child: ChildPlan) -> dict[str, str]:
        return {
            "child": child.citizen.first_name,
            "parent": child.parent.first_name,
            "parent_full": child.parent.name,
            "institution": child.institution,
            "relative": child.relative,
        }

    def note(
        self, case: Case, author: User, text: str, at: dt.datetime, words: dict[str, str]
    ) -> JournalNote | None:
        if at > self.now:
            return None
        note = services.journal_note_add(case=case, author=author, text=text.format(**words))
        # The services stamp bookkeeping times with "now"; the demo's history lies in the past,
        # so such stamps are moved to the story's dates. Deadlines are not touched.
        JournalNote.objects.filter(pk=note.pk).update(created_at=at)
        return note

    def course(self, child: ChildPlan, story: Story, concern: Concern) -> Case:
        rng, owner, words = self.rng, child.owner, self.words(child)
        notification = services.notification_register(
            user=owner,
            citizen=child.citizen,
            received_at=story.received_at,
            kind=concern.kind,
            reporter_kind=concern.reporter_kind,
            reporter_name=concern.reporter_name.format(**words),
            reporter_organisation=concern.organisation.format(**words),
            concern=concern.text.format(**words),
        )
        case = notification.case
        registered = min(story.received_at + dt.timedelta(minutes=rng.randint(10, 40)), self.now)
        Notification.objects.filter(pk=notification.pk).update(registered_at=registered)
        if case.reopened_at is not None:
            Case.objects.filter(pk=case.pk).update(reopened_at=registered)
        elif case.notifications.count() == 1:
            Case.objects.filter(pk=case.pk).update(opened_at=registered)

        if story.acute_judged_at is not None:
            acute = story.acute_outcome
            if (
                concern.band == "family"
                and concern.reporter_kind == Reporter.PROFESSIONAL
                and rng.random() < 0.15
            ):
                acute = Notification.AcuteOutcome.ACUTE_ACTION
            text = (
                ACUTE_ACTION_NOTE
                if acute == Notification.AcuteOutcome.ACUTE_ACTION
                else rng.choice(ACUTE_NONE_NOTES)
            )
            services.notification_judge_acute(
                notification=notification,
                user=owner,
                outcome=acute,
                note=text.format(**words),
                judged_at=story.acute_judged_at,
            )
            self.note(
                case,
                owner,
                rng.choice(NOTE_SCREENING),
                story.acute_judged_at + dt.timedelta(minutes=20),
                words,
            )
        if notification.needs_receipt and story.receipt_sent_at is not None:
            services.notification_send_receipt(
                notification=notification, user=owner, sent_at=story.receipt_sent_at
            )

        if story.assessment_started is not None:
            self.assessment(case, child, story, words)
        if story.measure_start is not None:
            measure, therapist = self.measure(case, child, story, words)
            # Written while the case was open; a closed case keeps its last plan.
            self.plan(case, child, story, measure, therapist)
        if story.closed_at is not None:
            variant = story.variant if story.variant in CLOSING_REASONS else "screened_out"
            if story.measure_start is not None:
                self.note(
                    case,
                    owner,
                    NOTE_STATUS_LETTER_RECEIVED,
                    story.closed_at - dt.timedelta(hours=2),
                    words,
                )
            services.case_close(
                case=case, user=owner, reason=CLOSING_REASONS[variant].format(**words)
            )
            Case.objects.filter(pk=case.pk).update(closed_at=story.closed_at)
            Deadline.objects.filter(case=case, handled_otherwise_at__gt=story.closed_at).update(
                handled_otherwise_at=story.closed_at
            )
        return case

    def assessment(self, case: Case, child: ChildPlan, story: Story, words: dict[str, str]) -> None:
        rng, owner = self.rng, child.owner
        assert story.assessment_started is not None and story.assessment_kind is not None
        started = story.assessment_started
        assessment = services.assessment_start(
            case=case, user=owner, kind=story.assessment_kind, started_on=started
        )
        small = child.citizen.birth_date > started - relativedelta(years=4)
        self.note(
            case,
            owner,
            NOTE_CHILD_OBSERVATION if small else NOTE_CHILD_CONVERSATION,
            self.at(self.workday_forward(started + dt.timedelta(days=rng.randint(3, 10))), 15),
            words,
        )
        meeting = self.at(
            self.workday_forward(started + dt.timedelta(days=rng.randint(14, 28))), 10
        )
        # Now and then the first note names the wrong relative and is corrected the next day.
        if rng.random() < 0.25:
            wrong = rng.choice([r for r in RELATIVES if r != child.relative])
            original = self.note(
                case, owner, NOTE_NETWORK_MEETING, meeting, {**words, "relative": wrong}
            )
            fixed_at = meeting + dt.timedelta(days=1)
            if original is not None and fixed_at <= self.now:
                correction = services.journal_note_correct(
                    note=original,
                    author=owner,
                    text=NOTE_NETWORK_CORRECTION.format(**words, wrong_relative=wrong),
                )
                JournalNote.objects.filter(pk=correction.pk).update(created_at=fixed_at)
        else:
            self.note(case, owner, NOTE_NETWORK_MEETING, meeting, words)
        self.note(case, owner, NOTE_SCALING, meeting + dt.timedelta(hours=1), words)
        if story.assessment_finished is None:
            return
        finished = story.assessment_finished
        self.note(case, owner, NOTE_HEARING, self.at(finished - dt.timedelta(days=14), 13), words)
        if story.measure_start is None:
            conclusion = CLARIFICATION_NO_NEED
        else:
            conclusion = CONCLUSIONS[self.basis_index(child, story) % len(CONCLUSIONS)]
        services.assessment_finish(
            assessment=assessment,
            user=owner,
            finished_on=finished,
            conclusion=conclusion.format(**words),
            parents_view=rng.choice(PARENTS_VIEWS).format(**words),
            child_view=rng.choice(CHILD_VIEWS_SMALL if small else CHILD_VIEWS).format(**words),
        )

    def basis_index(self, child: ChildPlan, story: Story) -> int:
        code = self.basis_code(child, story)
        return ("bl-32-1-2", "bl-32-1-5", "bl-30", "bl-32-1-3").index(code)

    def basis_code(self, child: ChildPlan, story: Story) -> str:
        assert story.measure_start is not None
        age = age_on(child.citizen.birth_date, story.measure_start)
        if age >= 13:
            return "bl-32-1-3"
        return ("bl-32-1-2", "bl-32-1-5", "bl-30")[(child.family_index + child.position) % 3]

    def measure(
        self, case: Case, child: ChildPlan, story: Story, words: dict[str, str]
    ) -> tuple[Measure, User]:
        rng, owner = self.rng, child.owner
        assert story.measure_start is not None
        start = story.measure_start
        code = self.basis_code(child, story)
        if story.measure_end is not None:
            months = max(1, round((story.measure_end - start).days / 30))
        else:
            months = rng.randint(*DURATION_MONTHS[code])
        therapist_name = child.therapist
        if therapist_name is None:
            therapist_name = (FB, FB2)[self.therapist_turn % 2]
            self.therapist_turn += 1
        therapists = [self.users[therapist_name]]
        if code == "bl-30":  # a psychologist is attached to every preventive measure
            therapists.append(self.users["psykolog"])
        consent = self.workday_back(start - dt.timedelta(days=rng.randint(1, 5)))
        measure = services.measure_order(
            case=case,
            user=owner,
            legal_basis=self.bases[code],
            purpose=rng.choice(PURPOSES[code]).format(**words),
            expected_duration_months=months,
            start_date=start,
            planned_end_date=start + relativedelta(months=months),
            provider_team=self.teams[TEAM_HOUSE],
            consent_given_on=consent,
            therapists=therapists,
            hours_steps=HOURS_TAPER[code],
        )
        decided = self.at(consent, 11)
        Measure.objects.filter(pk=measure.pk).update(decided_at=decided)
        MeasureAssignment.objects.filter(measure=measure).update(
            assigned_at=decided + dt.timedelta(days=1)
        )
        self.note(case, owner, NOTE_DECISION, decided + dt.timedelta(hours=2), words)

        last = story.measure_end or self.today
        therapist = therapists[0]
        pool = list(THERAPIST_NOTES)
        if age_on(child.citizen.birth_date, start) >= 7:
            pool.append(THERAPIST_NOTE_OLDER_CHILD)
        rng.shuffle(pool)
        pool.append(THERAPIST_NOTE_TAPER)  # the hours are reduced toward the end
        # Frequent visits at first, sparser toward the end.
        for offset, text in zip((3, 10, 21, 38, 60, 90), pool, strict=False):
            day = start + dt.timedelta(days=offset)
            if day > last:
                break
            self.note(
                case, therapist, text, self.at(self.workday_forward(day), rng.randint(9, 16)), words
            )
        if (last - start).days > 30:
            extra = rng.choice((NOTE_SAFETY_PLAN, NOTE_FOLLOW_UP_CALL))
            self.note(
                case,
                owner,
                extra,
                self.at(self.workday_forward(start + dt.timedelta(days=28)), 12),
                words,
            )
        if story.measure_end is not None:
            end = story.measure_end
            self.note(
                case, therapist, NOTE_HANDOVER, self.at(end - dt.timedelta(days=3), 10), words
            )
            self.note(case, therapist, NOTE_STATUS_LETTER_DRAFT, self.at(end, 13), words)
            services.measure_end(measure=measure, ended_on=end)
        return measure, therapist

    def plan(
        self, case: Case, child: ChildPlan, story: Story, measure: Measure, therapist: User
    ) -> None:
        """The plan the first measure created, written with the family (``_demo_plans``)."""
        assert story.measure_start is not None
        decided = Measure.objects.values_list("decided_at", flat=True).get(pk=measure.pk)
        subject = PlanSubject(
            case=case,
            child=child.member,
            parents=parents_at_home(child.member) or [child.parent],
            owner=child.owner,
            therapist=therapist,
            institution=child.institution,
            has_institution=child.institution != HEALTH_VISITORS,
            relative=child.relative,
            measure_start=story.measure_start,
            measure_end=story.measure_end,
            planned_end=measure.planned_end_date,
            decided_at=decided,
            min_rounds=3 if child.has_login else 2,
        )
        # Each plan draws from its own generator: the rest of the demo stays as it was.
        rng = random.Random(f"{SEED}:plan:{case.number}")
        demo_plan_fill(subject=subject, rng=rng, today=self.today, at=self.at)
        # Sessions and follow-ups on the measure, from a generator of their own too.
        from demo.followups import demo_followups_for_plan

        demo_followups_for_plan(
            subject=subject,
            measure=measure,
            seed=f"{SEED}:followups:{case.number}",
            today=self.today,
            at=self.at,
        )
        demo_network_for_plan(
            subject=subject, seed=f"{SEED}:network:{case.number}", today=self.today, at=self.at
        )

    # --- everything -------------------------------------------------------------------------

    def build(self) -> Result:
        self.password_hash = make_password(DEMO_PASSWORD)
        self.organisation()
        self.staff(self.password_hash)
        surnames = list(SURNAMES)
        self.rng.shuffle(surnames)
        children: list[ChildPlan] = []
        for index, plan in enumerate(FAMILY_PLAN):
            surname = surnames[index % len(surnames)]
            others = self.rng.sample([s for s in surnames if s != surname], 2)
            children.extend(self.family(index, plan, surname, others))
        # Oldest history first, so case numbers follow the order cases were opened.
        for child in sorted(children, key=lambda c: (c.story.earliest, c.family_index)):
            self.case(child)
        # Closing letters for the demo families with a login (waiting, revised, sent).
        from demo.letters import demo_letters

        demo_letters(today=self.today)
        return self.result


class Command(BaseCommand):
    help = _(
        "Opretter demodata for den fiktive Fjordby Kommune: medarbejdere, ca. 40 familier og "
        "70 børn med sager i alle faser. Ændrer intet, hvis demodata allerede findes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "APP_ENV", "development") == "production":
            raise CommandError(
                _(
                    "Demodata må ikke indlæses i produktion (APP_ENV=production). "
                    "(Refusing to load demo data when APP_ENV is production.)"
                )
            )
        if User.objects.filter(username=MARKER_USERNAME).exists():
            self.stdout.write(
                _("Demodata findes allerede (brugeren »%(username)s«); intet er ændret.")
                % {"username": MARKER_USERNAME}
            )
            return
        with transaction.atomic():
            result = DemoBuilder(rng=random.Random(SEED), now=timezone.now()).build()
        self.summary(result)

    def summary(self, result: Result) -> None:
        write = self.stdout.write
        write(
            _("Demodata oprettet for %(municipality)s: %(families)d familier, %(children)d børn.")
            % {
                "municipality": MUNICIPALITY,
                "families": result.families,
                "children": result.children,
            }
        )
        counts = Counter(
            Case.objects.filter(pk__in=result.case_ids).values_list("status", flat=True)
        )
        write(
            _("Sager pr. status: %(counts)s.")
            % {
                "counts": ", ".join(
                    f"{status.label} {counts[status.value]}" for status in CaseStatus
                )
            }
        )
        write(_("Logins (adgangskode for alle: %(password)s):") % {"password": DEMO_PASSWORD})
        for user in result.users:
            write(f"  {user.username:<18} {user.get_role_display():<16} {user.get_full_name()}")
        for username in result.existing_users:
            write(
                _("  %(username)s fandtes i forvejen og er ikke ændret.") % {"username": username}
            )
