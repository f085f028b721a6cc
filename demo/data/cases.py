"""What is written on the demo's cases: the notifications of concern and who sent them, the
acute judgements, assessments' conclusions and the views of child and parents, the measures
(purpose, legal basis, hours and duration), the journal notes over a course, and the reasons
a case was closed.

Plain tables only; ``demo.builders.cases`` picks from them and fills in the placeholders
(``{child}``, ``{parent}``, ``{parent_full}``, ``{institution}``, ``{relative}``). Every text
is invented.
"""

from dataclasses import dataclass
from decimal import Decimal

from cases.models import Notification
from demo.data.people import HEALTH_VISITORS

Reporter = Notification.ReporterKind


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
# The areas of a finished børnefaglig undersøgelse (Barnets Lov § 22): resources, challenges.
ASSESSMENT_AREAS: dict[str, tuple[str, str]] = {
    "development": (
        "{child} er nysgerrig og glad for at lege og tegne.",
        "{child} bliver let urolig og har svært ved at falde til ro, når noget ændrer sig.",
    ),
    "family": (
        "{parent} er meget optaget af {child} og vil gerne have hjælp.",
        "Morgener og sengetider er kaotiske, og der er ofte konflikter.",
    ),
    "school": (
        "{child} har en god relation til sin lærer/pædagog.",
        "{child} kommer ofte for sent og mangler ro til lektier.",
    ),
    "health": (
        "{child} er sund og rask og går til de faste undersøgelser.",
        "{child} sover for lidt og er træt i løbet af dagen.",
    ),
    "leisure": (
        "{child} har en god ven i klassen/gruppen.",
        "{child} går ikke til noget i fritiden.",
    ),
}
CONVERSATION_PLACE = "i hjemmet"
CONVERSATION_DAYS_BEFORE_FINISH = 21

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

# The legal bases of the demo's measures (codes of ``LegalBasis``), in the order the conclusions
# above follow: a child under 13 gets one of the first three in turn, an older one a contact
# person (§ 32, stk. 1, nr. 3).
BASES = ("bl-32-1-2", "bl-32-1-5", "bl-30", "bl-32-1-3")
BASES_IN_TURN = ("bl-32-1-2", "bl-32-1-5", "bl-30")
BASIS_FROM_13 = "bl-32-1-3"
PREVENTIVE_BASIS = "bl-30"  # a psychologist is attached to every preventive measure
