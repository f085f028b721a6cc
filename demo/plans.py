"""The plans of the demo cases (``seed_demo``): written with the family, in their words.

Every plan is filled through ``plans.services`` the way a caseworker fills it at a meeting:
purpose, the child's voice and the parents' view, goals across the areas with who does what,
the Signs of Safety map and worry statements, then a round of 0–10 ratings at every meeting
from the first plan meeting until today. Version 1 is frozen at the plan meeting; some plans
are revised (version 2) at a follow-up with a goal reworded, so the comparison shows something.

The services stamp "now" on bookkeeping times (a round's ``recorded_at``, a version's
``frozen_at``, the plan deadline's ``met_at``); those are moved to the story's dates, as the
rest of ``seed_demo`` does. All names are invented.
"""

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from accounts.models import User
from cases.models import Case, Deadline, FamilyMember, FamilyRelation, age_on
from cases.working_days import is_working_day
from plans import services as plans
from plans.models import (
    Area,
    Goal,
    Plan,
    PlanVersion,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
)
from plans.services import RatingInput

Column = SafetyMapEntry.Column
Rater = Rating.RaterKind

# Age bands: baby (0–1), small (2–5: daycare), school (6–13), teen (14–17).
BABY, SMALL, SCHOOL, TEEN = "baby", "small", "school", "teen"
ALL = frozenset({BABY, SMALL, SCHOOL, TEEN})
NOT_BABY = frozenset({SMALL, SCHOOL, TEEN})
LITTLE = frozenset({BABY, SMALL})
YOUNG = frozenset({SMALL, SCHOOL})
OLDER = frozenset({SCHOOL, TEEN})
# Texts that name the daycare or school; a baby at home with the health visitor has none.
INSTITUTION = "institution}"  # matches {institution} and {at_institution}


def band_of(age: int) -> str:
    return BABY if age <= 1 else SMALL if age <= 5 else SCHOOL if age <= 13 else TEEN


# --- goals: the family's words first, a professional wording for some --------------------------


@dataclass(frozen=True)
class GoalText:
    family: str
    professional: str = ""
    bands: frozenset[str] = ALL
    # How the family reworded the goal at a follow-up (version 2), when they did.
    revised: str = ""


def G(  # reads like a row of the table below
    family: str, professional: str = "", bands: frozenset[str] = ALL, revised: str = ""
) -> GoalText:
    return GoalText(family, professional, bands, revised)


GOALS: dict[str, tuple[GoalText, ...]] = {
    Area.DEVELOPMENT: (
        G("Vi vil have rolige morgener, hvor {child} får tøj på og spiser morgenmad uden gråd.",
          "Forudsigelig morgenrutine med visuel struktur; færre konflikter ved overgange.",
          frozenset({SMALL}),
          revised="Vi vil have rolige morgener, hvor {child} selv tager tøj på efter billedskemaet "
          "og spiser morgenmad uden gråd."),
        G("{child} skal kunne falde i søvn i sin egen seng, og vi voksne holder fast i "
          "puttetiden.", "Stabil døgnrytme og fast sengetid.", LITTLE),
        G("Når {child} bliver vred, vil vi hjælpe {child} med at falde til ro i stedet for at "
          "råbe.", "Forældrene støtter barnets følelsesregulering.", YOUNG,
          revised="Når {child} bliver vred, vil vi sætte os ned i øjenhøjde og hjælpe {child} "
          "med at falde til ro. Vi voksne råber ikke."),
        G("{child} skal sige flere ord, og vi læser en bog sammen hver dag.",
          "Sprogstimulering i hverdagen.", frozenset({SMALL})),
        G("Vi vil kunne handle ind med {child}, uden at det ender i en stor konflikt.",
          bands=frozenset({SMALL})),
        G("Vi vil have rolige morgener, hvor {child} når i skole til tiden.",
          "Fremmøde til tiden og struktur om morgenen.", frozenset({SCHOOL}),
          revised="Vi vil have rolige morgener, hvor {child} når i skole til tiden – også "
          "om mandagen efter weekenden."),
        G("{child} skal sige fra med ord i stedet for at slå, når noget er uretfærdigt.",
          "Alternative strategier ved konflikter; færre fysiske konflikter i skolen.",
          frozenset({SCHOOL})),
        G("{child} vil selv kunne mærke, når det bliver for meget, og gå hen til sit rolige "
          "sted.", bands=frozenset({SCHOOL})),
        G("Vi vil have en aftale om skærmtid, som vi alle kan holde, så {child} kommer i seng "
          "før kl. 21.", "Regulering af skærmforbrug og søvn.", frozenset({SCHOOL}),
          revised="Vi vil have en aftale om skærmtid, som vi alle kan holde: skærmen ligger i "
          "køkkenet fra kl. 20, og {child} er i seng før kl. 21."),
        G("{child} skal have det godt med sig selv og tro på, at {child} kan noget.",
          "Styrket selvværd.", frozenset({SCHOOL})),
        G("Jeg vil selv kunne stå op om morgenen, uden at nogen skal råbe.",
          "Selvstændig morgenrutine.", frozenset({TEEN})),
        G("Jeg vil stoppe med at ryge hash og finde andre måder at slappe af på.",
          "Ophør med rusmiddelbrug; alternative mestringsstrategier.", frozenset({TEEN}),
          revised="Jeg vil holde op med at ryge hash. Jeg starter med at holde hverdagene fri."),
        G("Vi vil have aftaler om, hvornår {child} er hjemme om aftenen, og {child} holder dem.",
          "Tydelige rammer og aftaler om udetid.", frozenset({TEEN})),
        G("Jeg vil lære at sige til, når jeg har det skidt, i stedet for at holde det inde.",
          "Kontakt til voksne ved mistrivsel.", frozenset({TEEN})),
        G("{child} skal kunne tage bussen alene til og fra træning.", bands=OLDER),
    ),
    Area.FAMILY: (
        G("Vi vil spise aftensmad sammen mindst fire dage om ugen, uden telefoner ved bordet.",
          revised="Vi vil spise aftensmad sammen fem dage om ugen, uden telefoner ved bordet."),
        G("Vi voksne vil tale pænt til hinanden, også når vi er uenige, så børnene ikke hører "
          "os skændes.", "Nedbragt konfliktniveau mellem de voksne; børnene skånes for "
          "konflikter.",
          revised="Vi voksne vil tale pænt til hinanden, også når vi er uenige. Bliver det "
          "svært, tager vi snakken, når børnene sover."),
        G("{parent} vil have overskud til at lege med {child} en halv time hver dag.",
          "Styrket forældre-barn-samspil gennem daglig positiv kontakt.", YOUNG),
        G("{child} skal have faste dage hos både mor og far, og skiftene skal være rolige.",
          "Forudsigelig samværsordning og rolige overleveringer.", YOUNG),
        G("Vi vil have en madplan og handle ind en gang om ugen, så der er mad i køleskabet "
          "hele måneden.", "Økonomisk overblik og planlægning af husholdningen."),
        G("Vi holder familiemøde hver søndag, hvor alle får lov at sige, hvad der har været "
          "godt og svært.", bands=OLDER),
        G("{parent} vil bede familien om hjælp, når det bliver for meget, i stedet for at klare "
          "alt alene.", "Aktivering af det private netværk som aflastning.",
          revised="{parent} vil ringe til {relative} og bede om hjælp, når det bliver for "
          "meget – senest når det er gået galt to aftener i træk."),
        G("{child} skal ikke passe sine små søskende om aftenen; det er de voksnes opgave.",
          "Barnet aflastes for voksenansvar.", OLDER),
        G("Vi vil sige godnat til hinanden uden skænderier.", bands=YOUNG),
        G("Jeg vil kunne tale med {parent} om det, der er svært, uden at det ender i råb.",
          "Styrket kommunikation mellem den unge og forælderen.", frozenset({TEEN})),
        G("Vi vil have en rolig aftenrutine med bad, bog og sang.", "Struktureret aftenrutine.",
          LITTLE),
        G("{parent} vil passe på sig selv og få hjælp til sit humør, så der er mere overskud "
          "til børnene.", "Forælderen modtager behandling for depression."),
        G("Der skal være en voksen hjemme, når {child} kommer fra skole.",
          bands=frozenset({SCHOOL})),
        G("{child} skal være hos {relative} en weekend om måneden, så vi voksne kan lade op.",
          "Aflastning i netværket.", YOUNG),
        G("Vi vil rose {child} mere, end vi skælder ud.", "Anerkendende kommunikation.", YOUNG,
          revised="Vi vil rose {child} mindst tre gange om dagen og skælde mindre ud."),
    ),
    Area.SCHOOL: (
        G("{child} skal komme i {institution} hver dag og være der senest kl. 9.",
          "Stabilt fremmøde i dagtilbuddet.", frozenset({SMALL}),
          revised="{child} skal komme i {institution} hver dag og være der senest kl. 8.30, så "
          "{child} når morgensamlingen."),
        G("{child} skal have madpakke og skiftetøj med hver dag.",
          "Basale fornødenheder i dagtilbuddet.", frozenset({SMALL})),
        G("{child} skal lege med de andre børn og have en god ven i {institution}.",
          "Deltagelse i børnefællesskabet.", frozenset({SMALL})),
        G("Vi vil snakke med pædagogerne hver fredag om, hvordan ugen er gået.",
          "Fast samarbejde mellem hjem og dagtilbud.", frozenset({SMALL})),
        G("{child} skal være klar til at begynde i skole efter sommerferien.", "Skoleparathed.",
          frozenset({SMALL})),
        G("{child} skal komme i skole hver dag og til tiden.", "Fravær under 5 %.",
          frozenset({SCHOOL}),
          revised="{child} skal komme i skole hver dag og til tiden. Er {child} syg, ringer vi "
          "til skolen inden kl. 8."),
        G("{child} skal have lavet lektier tre gange om ugen, og vi hjælper ved køkkenbordet.",
          bands=frozenset({SCHOOL})),
        G("{child} skal have det godt i frikvartererne og have nogen at være sammen med.",
          "Social trivsel i skolen.", frozenset({SCHOOL})),
        G("Vi vil tale med læreren hver anden uge, så vi ved, hvordan det går.",
          "Tæt skole-hjem-samarbejde.", frozenset({SCHOOL})),
        G("{child} skal kunne blive i klassen hele dagen uden at gå hjem før tid.",
          bands=frozenset({SCHOOL})),
        G("{child} vil blive bedre til at læse, så det er sjovt at læse Harry Potter.",
          "Læsefærdigheder svarende til klassetrinnet.", frozenset({SCHOOL})),
        G("Jeg vil komme i skole hver dag og bestå mine prøver i 9. klasse.",
          "Fastholdelse i skolen og afgangsprøve.", frozenset({TEEN}),
          revised="Jeg vil komme i skole mindst fire dage om ugen og bestå mine prøver i "
          "9. klasse."),
        G("Jeg vil finde ud af, hvilken uddannelse jeg vil søge efter sommerferien.",
          "Afklaring af uddannelsesvalg med UU-vejledningen.", frozenset({TEEN})),
        G("Jeg vil blive på {institution} og ikke droppe ud.",
          "Fastholdelse på ungdomsuddannelsen.", frozenset({TEEN})),
        G("Jeg vil have et fritidsjob, så jeg har mine egne penge.",
          "Tilknytning til arbejdsmarkedet.", frozenset({TEEN})),
    ),
    Area.HEALTH: (
        G("{child} skal sove hele natten i sin egen seng.", bands=LITTLE),
        G("{child} skal tage på og følge sin kurve, og vi giver fem måltider om dagen.",
          "Vægtøgning efter sundhedsplejens anbefaling.", LITTLE),
        G("Vi vil komme til alle tider hos sundhedsplejersken, tandlægen og lægen.",
          "Fremmøde til sundhedsundersøgelser."),
        G("{child} skal ikke have ondt i maven om morgenen, før skole.",
          "Færre psykosomatiske symptomer.", frozenset({SCHOOL})),
        G("{child} skal børste tænder morgen og aften, og vi voksne hjælper.", bands=YOUNG),
        G("{child} skal i seng kl. 20 på hverdage, så {child} er udhvilet.",
          bands=frozenset({SCHOOL}),
          revised="{child} skal i seng kl. 20.15 på hverdage og sove senest kl. 21, så {child} "
          "er udhvilet."),
        G("Jeg vil sove om natten og ikke sidde med telefonen til kl. 3.",
          "Normaliseret døgnrytme.", frozenset({TEEN})),
        G("{child} skal udredes i børne- og ungdomspsykiatrien, så vi forstår {child} bedre.",
          "Gennemført udredning i børne- og ungdomspsykiatrien.", OLDER),
        G("Jeg vil tale med en psykolog om de tanker, der fylder.",
          "Psykologsamtaler om angst.", frozenset({TEEN})),
        G("Vi vil spise mere frugt og grønt og gå en tur sammen hver weekend."),
        G("{child} skal tage sin medicin hver morgen, og vi voksne holder styr på den.",
          bands=frozenset({SCHOOL})),
        G("Vi vil lave sund mad sammen to gange om ugen.", bands=OLDER),
        G("Jeg vil have det bedre med mig selv og vide, hvem jeg kan ringe til, når jeg har "
          "det dårligt.", "Plan for mistrivsel; kendte voksne at kontakte.", frozenset({TEEN})),
        G("{child} skal ud i frisk luft hver dag.", bands=LITTLE),
        G("{parent} vil gå til sin egen læge og få hjælp til at sove bedre.",
          "Forælderens egen behandling."),
    ),
    Area.LEISURE: (
        G("{child} vil gerne gå til fodbold igen og være med hver tirsdag og torsdag.",
          "Deltagelse i organiseret fritidsaktivitet.", frozenset({SCHOOL}),
          revised="{child} vil gerne gå til fodbold igen og være med hver tirsdag – torsdag "
          "kommer, når tirsdag fungerer."),
        G("{child} skal have en ven med hjem mindst en gang om ugen.", bands=YOUNG),
        G("{child} skal begynde til svømning, så {child} kan svømme 25 meter til sommer.",
          bands=YOUNG),
        G("Jeg vil finde en fritidsaktivitet, hvor jeg møder nogle nye venner.",
          "Nye fællesskaber uden for de nuværende kammeratskaber.", frozenset({TEEN})),
        G("Jeg vil være i ungdomsklubben om aftenen i stedet for at hænge ud ved stationen.",
          "Positiv fritidsarena; mindre kontakt til kriminalitetstruede miljøer.",
          frozenset({TEEN})),
        G("Vi vil tage på legeplads eller i skoven hver weekend.", bands=LITTLE),
        G("{child} vil gerne være spejder ligesom sin kusine.", bands=frozenset({SCHOOL})),
        G("{child} skal med til fødselsdage i klassen, og vi hjælper med gave og transport.",
          bands=frozenset({SCHOOL})),
        G("{child} skal gå i SFO og klub i stedet for at være alene hjemme om eftermiddagen.",
          bands=frozenset({SCHOOL})),
        G("Vi vil invitere en familie fra {institution} hjem en gang om måneden.",
          "Udvidelse af familiens netværk.", frozenset({SMALL})),
        G("Jeg vil spille musik sammen med andre og begynde i musikskolen igen.", bands=OLDER),
        G("{child} skal lære at cykle, så {child} selv kan cykle til træning.", bands=YOUNG),
        G("Jeg vil game mindre om natten og være mere sammen med mine venner i virkeligheden.",
          bands=frozenset({TEEN})),
        G("{child} vil gerne gå til dans en gang om ugen.", bands=YOUNG),
        G("Jeg vil have en voksen uden for familien, som jeg kan tale med og lave ting sammen "
          "med.", "Fast kontaktperson som stabil voksenrelation.", frozenset({TEEN})),
    ),
    Area.OTHER: (
        G("Vi vil have styr på regningerne, så vi ikke får flere rykkere.",
          "Økonomisk rådgivning og budget."),
        G("Vi vil finde en større bolig, så {child} kan få sit eget værelse.",
          "Afklaret boligsituation."),
        G("{parent} vil i gang med et job eller en uddannelse.",
          "Forælderens tilknytning til arbejdsmarkedet."),
        G("Jeg vil selv kunne klare MitID og Digital Post, inden jeg fylder 18.",
          "Selvstændighed og digitale færdigheder før 18 år.", frozenset({TEEN})),
        G("Vi vil have en plan for, hvad der skal ske, når støtten stopper, så vi ved, hvem vi "
          "kan ringe til.", "Overgang til netværk og almentilbud."),
        G("Jeg vil lære at lave mad og handle ind selv.",
          "Praktiske færdigheder til en selvstændig tilværelse.", frozenset({TEEN})),
        G("Vi vil søge om friplads, så {child} kan gå i klub.", bands=OLDER),
    ),
}  # fmt: skip

# Which areas a plan's goals come from: the measure's focus first, then others.
AREA_WEIGHTS: dict[str, tuple[str, ...]] = {
    BABY: (Area.FAMILY, Area.HEALTH, Area.DEVELOPMENT, Area.OTHER, Area.LEISURE),
    SMALL: (Area.DEVELOPMENT, Area.FAMILY, Area.SCHOOL, Area.HEALTH, Area.LEISURE, Area.OTHER),
    SCHOOL: (Area.SCHOOL, Area.FAMILY, Area.DEVELOPMENT, Area.LEISURE, Area.HEALTH, Area.OTHER),
    TEEN: (Area.SCHOOL, Area.DEVELOPMENT, Area.LEISURE, Area.FAMILY, Area.HEALTH, Area.OTHER),
}
FORMULATED_BY = (
    "{child} og {parent}",
    "{parent} sammen med {therapist_first} fra Familiehuset",
    "hele familien på planmødet",
    "{parent} og {relative}",
)
FORMULATED_BY_TEEN = ("{child}", "{child} og {parent}", "{child} sammen med {caseworker_first}")

# --- who does what ---------------------------------------------------------------------------

# (task, when) for each kind of person; the child's tasks for young children and for teens.
TASKS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    Area.DEVELOPMENT: {
        "parent": (
            ("Laver billedskemaet færdigt sammen med {child} og hænger det på køleskabet",
             "I denne uge"),
            ("Giver {child} besked fem minutter før, vi skal videre", "Hver morgen"),
            ("Trækker vejret og tæller til fem, før der bliver svaret, når det er svært",
             "Når en konflikt starter"),
            ("Holder fast i de aftaler, vi har lavet, også i weekenden", "Hver dag"),
        ),
        "child_young": (
            ("Kigger på billedskemaet og sætter et kryds, når tøjet er på", "Hver morgen"),
            ("Går hen til sit rolige hjørne, når det bliver for meget", "Når jeg bliver vred"),
        ),
        "child_teen": (
            ("Sætter selv vækkeuret og står op, når det ringer", "Hver skoledag"),
            ("Siger til {parent}, hvor jeg er, og hvornår jeg kommer hjem", "Hver aften"),
            ("Skriver til {therapist_first}, når jeg har brug for at snakke", "Når det er svært"),
        ),
        "network": (
            ("Henter {child} og spiser aftensmad med {child}", "Hver tirsdag"),
            ("Er den, {child} kan ringe til, når det brænder på derhjemme", "Hele tiden"),
        ),
        "professional": (
            ("Kommer hjem om morgenen og giver sparring bagefter", "To morgener om ugen"),
            ("Laver videofeedback på en almindelig hverdag og gennemgår den med jer",
             "Én gang om måneden"),
            ("Taler med {child} alene om, hvad der hjælper, når vreden kommer",
             "Hver anden uge"),
        ),
    },
    Area.FAMILY: {
        "parent": (
            ("Laver madplan søndag og handler ind mandag", "Hver uge"),
            ("Sætter en halv time af til at lege med {child} uden telefon", "Hver dag"),
            ("Tager de svære snakke med den anden voksne, når børnene sover", "Når vi er uenige"),
            ("Ringer til {relative}, når det bliver for meget", "Når det er nødvendigt"),
        ),
        "child_young": (
            ("Fortæller ved aftensmaden, hvad der har været det bedste i dag", "Hver aften"),
            ("Hjælper med at dække bord", "Hver aften"),
        ),
        "child_teen": (
            ("Er med til familiemødet og siger, hvad jeg synes", "Hver søndag"),
            ("Lægger telefonen i kurven, når vi spiser", "Ved aftensmaden"),
        ),
        "network": (
            ("Har {child} på weekend", "En weekend om måneden"),
            ("Kommer forbi og hjælper med aftensmad og puttetid", "Hver onsdag"),
            ("Er med til familiemødet, når det er svært", "Når familien beder om det"),
        ),
        "professional": (
            ("Holder familiesamtaler om, hvordan I kan være uenige uden at råbe",
             "Hver anden uge i Familiehuset"),
            ("Hjælper med at lave madplan og budget", "De første fire uger"),
            ("Er med på netværksmødet og hjælper med at fordele opgaverne",
             "Ved næste netværksmøde"),
        ),
    },
    Area.SCHOOL: {
        "parent": (
            ("Sørger for, at tasken og madpakken er klar aftenen før", "Hver aften"),
            ("Følger {child} hen til {institution}", "Hver morgen de første uger"),
            ("Læser beskeder fra {institution} og svarer", "Hver dag"),
            ("Sidder med ved køkkenbordet, når der laves lektier", "Mandag, onsdag og torsdag"),
        ),
        "child_young": (
            ("Pakker selv sin taske efter listen på døren", "Hver aften"),
            ("Siger til en voksen i skolen, hvis frikvarteret er svært", "Når det sker"),
        ),
        "child_teen": (
            ("Møder op hos UU-vejlederen og har tænkt over, hvad jeg kunne tænke mig",
             "Inden jul"),
            ("Skriver til min lærer, hvis jeg ikke kan komme", "Inden kl. 8"),
            ("Laver mine afleveringer i lektiecaféen", "Hver tirsdag"),
        ),
        "network": (
            ("Kører {child} i skole, når {parent} arbejder tidligt", "Torsdage"),
            ("Hjælper med lektier", "Hver onsdag"),
        ),
        "professional": (
            ("Er med til møderne {at_institution} og hjælper jer med at sige det, I vil",
             "Hver sjette uge"),
            ("Følger op på fraværet sammen med {institution}", "Hver anden uge"),
            ("Tager med på besøg på uddannelsesstederne", "I foråret"),
        ),
    },
    Area.HEALTH: {
        "parent": (
            ("Bestiller tid hos lægen og tager med", "Inden for to uger"),
            ("Sørger for fem måltider om dagen efter skemaet fra sundhedsplejen", "Hver dag"),
            ("Holder fast i sengetiden, også i weekenden", "Hver aften"),
            ("Giver medicinen og krydser af i skemaet", "Hver morgen"),
        ),
        "child_young": (
            ("Børster tænder, mens vi synger tandbørstesangen", "Morgen og aften"),
            ("Lægger sig i sin egen seng, når bogen er læst", "Hver aften"),
        ),
        "child_teen": (
            ("Lægger telefonen til opladning i køkkenet", "Kl. 22"),
            ("Går til samtalerne hos psykologen", "Hver anden uge"),
        ),
        "network": (
            ("Går en tur med {child} i skoven", "Hver søndag"),
            ("Laver mad sammen med {child}", "Hver fredag"),
        ),
        "professional": (
            ("Hjælper med at lave en god aftenrutine og følger op",
             "Hver uge de første to måneder"),
            ("Tager med til den første samtale i børne- og ungdomspsykiatrien", "Når I får tid"),
        ),
    },
    Area.LEISURE: {
        "parent": (
            ("Melder {child} til og køber det udstyr, der skal bruges", "Inden næste sæson"),
            ("Inviterer en ven fra klassen med hjem", "En gang om ugen"),
            ("Kører {child} til træning", "Tirsdag og torsdag"),
        ),
        "child_young": (
            ("Spørger en ven, om de vil lege", "En gang om ugen"),
            ("Pakker selv sin sportstaske", "Før træning"),
        ),
        "child_teen": (
            ("Tager med {therapist_first} ud og prøver klubben", "Næste torsdag"),
            ("Er hjemme kl. 22 på hverdage", "Hver aften"),
        ),
        "network": (
            ("Tager imod {child} til træning og ringer til {parent}, hvis {child} ikke kommer",
             "Hver træning"),
            ("Tager {child} med til spejder", "Hver mandag"),
            ("Henter {child} efter træning", "Torsdage"),
        ),
        "professional": (
            ("Finder sammen med {child} en fritidsaktivitet, der passer", "Inden for en måned"),
            ("Hjælper med at søge om fritidspas", "Inden næste sæson"),
        ),
    },
    Area.OTHER: {
        "parent": (
            ("Samler regningerne i én mappe og tager den med til mødet", "Inden næste møde"),
            ("Skriver sig op til en større bolig", "I denne måned"),
            ("Går til samtale i jobcentret", "Den aftalte dag"),
        ),
        "child_young": (("Hjælper med at rydde op på værelset", "Hver lørdag"),),
        "child_teen": (
            ("Laver mad til familien", "En gang om ugen"),
            ("Logger på Digital Post sammen med {therapist_first}", "Ved næste besøg"),
        ),
        "network": (
            ("Hjælper med at flytte, når den nye bolig er på plads", "Når det bliver aktuelt"),
        ),
        "professional": (
            ("Hjælper med at lave et budget og ringe til kreditorerne", "De næste tre besøg"),
            ("Laver en plan med jer for, hvem I kan ringe til, når støtten stopper",
             "Inden forløbet slutter"),
        ),
    },
}  # fmt: skip

# A baby's plan is mostly about the adults (the area "other" uses the tasks above).
BABY_TASKS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    Area.DEVELOPMENT: {
        "parent": (
            ("Putter {child} på samme tid hver aften efter den faste rutine", "Hver aften"),
        ),
        "network": (("Putter {child}, så {parent} kan få en fri aften", "Hver onsdag"),),
        "professional": (("Kommer på hjemmebesøg og hjælper med døgnrytmen", "Hver uge"),),
    },
    Area.FAMILY: {
        "parent": (
            ("Ringer til {relative}, når jeg har brug for en pause", "Når det er nødvendigt"),
            ("Leger og synger med {child} uden telefonen i hånden", "Hver dag"),
        ),
        "network": (("Passer {child}, så {parent} kan sove", "En eftermiddag om ugen"),),
        "professional": (
            ("Laver videofeedback af et måltid og gennemgår den med jer", "Én gang om måneden"),
        ),
    },
    Area.HEALTH: {
        "parent": (
            ("Giver {child} mad efter skemaet fra sundhedsplejen", "Hver dag"),
            ("Kommer til de aftalte tider hos sundhedsplejersken", "Hver anden uge"),
        ),
        "network": (("Tager med til sundhedsplejersken, når {parent} ikke kan", "Efter aftale"),),
        "professional": (("Kommer på hjemmebesøg og hjælper med døgnrytmen", "Hver uge"),),
    },
    Area.LEISURE: {
        "parent": (("Går en tur med {child} i skoven eller på legepladsen", "Hver weekend"),),
        "network": (("Går en tur med barnevognen", "Hver søndag"),),
        "professional": (("Finder en legestue, I kan gå til", "Inden for en måned"),),
    },
}

# People in the network, by name: the family's relative and someone from leisure time.
RELATIVE_NAMES = {
    "mormor": ("Inge", "Bente", "Kirsten", "Lis"),
    "farmor": ("Hanne", "Birthe", "Grethe", "Ruth"),
    "morfar": ("Bent", "Jørgen", "Ole", "Poul"),
    "farfar": ("Erik", "Arne", "Knud", "Leif"),
    "moster": ("Susanne", "Tina", "Dorthe", "Lene"),
    "faster": ("Malene", "Karina", "Jette", "Anja"),
}
LEISURE_PEOPLE = (
    "Fodboldtræner Kasper",
    "Spejderleder Anne",
    "Svømmetræner Jannik",
    "Naboen Lis",
    "Klubmedarbejder Ahmad",
    "Danselærer Trine",
)
SCHOOL_PEOPLE = {
    BABY: ("Sundhedsplejerske Birgitte Holm",),
    SMALL: ("Pædagog Anja", "Pædagog Jens", "Leder Tove"),
    SCHOOL: ("Klasselærer Anne Kjær", "Klasselærer Morten Brix", "AKT-lærer Bo"),
    TEEN: ("Studievejleder Karen Lyng", "UU-vejleder Jens Høj", "Kontaktlærer Mia"),
}

# --- the plan's own texts --------------------------------------------------------------------

PURPOSES = {
    BABY: (
        "At {child} får en tryg og rolig start på livet, og at {parent} får hjælp og overskud "
        "til at give {child} det.",
    ),
    SMALL: (
        "At {child} får en tryg og rolig hverdag med faste rutiner, og at vi voksne får "
        "overskud og redskaber til at give {child} det.",
        "At {child} trives og udvikler sig som andre børn på sin alder, og at {parent} ved, "
        "hvem der kan hjælpe, når det bliver svært.",
    ),
    SCHOOL: (
        "At {child} trives derhjemme og i skolen, og at vi som familie bliver bedre til at "
        "løse konflikter uden at råbe.",
        "At {child} kommer i skole hver dag, har venner og føler sig tryg derhjemme.",
        "At vi får en hverdag, der hænger sammen, så {child} kan bruge sine kræfter på skole "
        "og venner i stedet for at bekymre sig om os voksne.",
    ),
    TEEN: (
        "At {child} kommer i skole eller uddannelse, har voksne at tale med og får en "
        "hverdag uden hash og ballade.",
        "At {child} får det bedre med sig selv, og at vi kan tale sammen derhjemme uden at "
        "det ender i skænderier.",
    ),
}
CHILD_VOICES = {
    "baby": (
        "{child} er for lille til at sige det med ord. Vi ser, at {child} bliver glad og "
        "rolig, når der er faste tider og en voksen tæt på.",
    ),
    SMALL: (
        "{child} siger: »Jeg kan bedst lide, når {parent} leger med mig. Jeg bliver ked af det, "
        "når I råber.«",
        "{child} fortæller, at det bedste er at bage boller med {relative}, og at det værste "
        "er at skulle skynde sig om morgenen.",
    ),
    SCHOOL: (
        "{child} siger, at det bedste derhjemme er at spille spil med {parent}, og at det "
        "sværeste er morgenerne. {child} ønsker, at der bliver mindre råberi.",
        "{child} vil gerne blive på sin skole og beholde sine venner. {child} siger: »Jeg vil "
        "gerne have, at far og mor ikke skændes, når jeg skal skifte.«",
        "{child} synes, det er godt, at {therapist_first} kommer, »for så er {parent} ikke så "
        "træt«. {child} vil gerne til fodbold igen.",
    ),
    TEEN: (
        "Jeg vil gerne have, at de voksne lytter til mig og ikke bare bestemmer. Jeg vil gerne "
        "i skole, men det er svært at komme op om morgenen.",
        "Jeg ved godt, at jeg har lavet nogle dumme ting. Jeg vil gerne have en uddannelse og "
        "et job, men jeg har brug for, at nogen hjælper mig i gang.",
        "Det er rart at have {therapist_first} at snakke med. Jeg vil ikke have, at alle "
        "voksne ved alt, men jeg vil gerne have, at det bliver bedre derhjemme.",
    ),
}
PARENTS_VIEWS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Vi kan godt se, at hverdagen er svær, og vi vil gerne have hjælp til at få mere ro på. "
     "Vi er glade for, at {relative} gerne vil være der for {child}.", ALL),
    ("{parent} siger: »Det har været en hård tid, og jeg er lettet over at få hjælp. Jeg vil "
     "gerne være den forælder, {child} har brug for.«", ALL),
    ("Vi er ikke enige i alt i bekymringen, men vi vil gerne samarbejde for {child}s skyld. "
     "Det vigtigste for os er, at {child} har det godt.", ALL),
    ("{parent} fortæller, at det er svært at sætte grænser uden at det ender i råb, og vil "
     "gerne lære andre måder. {relative_title} vil gerne hjælpe mere.", NOT_BABY),
    ("Vi er meget trætte, fordi {child} sover dårligt om natten. Vi vil gerne have hjælp til "
     "en god rytme, så vi kan passe godt på {child}.", LITTLE),
    ("Vi vil gerne have, at {child} selv er med til at bestemme, men vi har brug for hjælp "
     "til at holde fast i aftalerne.", frozenset({TEEN})),
)  # fmt: skip
HOUSES = (
    (
        "Når de voksne råber. Når jeg skal sove alene i mørket.",
        "Når vi spiller Uno. {relative_title}. Min kanin.",
        "At vi tager i sommerhus alle sammen, og at ingen er sure.",
    ),
    (
        "Når jeg kommer for sent i skole, og de andre kigger.",
        "Fredagsslik med {parent}. Min ven fra klassen. Fodbold.",
        "At jeg får mit eget værelse og må have en hund.",
    ),
    (
        "Når {parent} er ked af det og ligger i sengen.",
        "Når {relative} henter mig. At bage. Legepladsen.",
        "At {parent} er glad hver dag, og at vi går i Legoland.",
    ),
)
INTERNAL_NOTES = (
    "INTERN: {parent} har fortalt om vold i et tidligere forhold. Drøftes ikke på "
    "familiemøderne, før {parent} selv er klar.",
    "INTERN: Overvej at forlænge indsatsen ved næste opfølgning. Tal med teamleder om bevillingen.",
    "INTERN: Far har tidligere haft et misbrug. Vær opmærksom ved hjemmebesøg; ingen aktuel "
    "bekymring.",
    "INTERN: Mormor har underrettet tidligere. Relationen til {parent} er anstrengt; spørg "
    "{child}, før mormor inviteres.",
)

# Signs of Safety, in the family's words.
MAP: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    Column.HARM: (
        ("Politiet har været her, fordi vi voksne skændtes højt om natten.", ALL),
        ("{child} har været meget væk fra skolen siden sommerferien.", OLDER),
        ("{child} er flere gange kommet sulten {at_institution}.", YOUNG),
        ("{child} har været alene hjemme om aftenen.", OLDER),
        ("{child} har ikke taget nok på i flere måneder.", LITTLE),
        ("{child} er blevet taget for butikstyveri sammen med ældre unge.", frozenset({TEEN})),
    ),
    Column.DANGER: (
        ("Hvis konflikterne fortsætter, kan {child} blive utryg og bange for at være hjemme.",
         ALL),
        ("Hvis {child} ikke kommer i skole, kan {child} miste kontakten til klassen.", OLDER),
        ("Hvis {parent} ikke får hjælp, kan {parent} blive så træt, at der ikke er overskud "
         "til {child}.", ALL),
        ("{child} kan komme ud i mere hash og kriminalitet.", frozenset({TEEN})),
        ("{child}s udvikling kan gå i stå, hvis hverdagen bliver ved med at være uforudsigelig.",
         LITTLE),
    ),
    Column.COMPLICATING: (
        ("Vi har ikke meget familie tæt på.", ALL),
        ("Økonomien er stram, og vi har rykkere.", ALL),
        ("{parent} har det svært med sit humør og sover dårligt.", ALL),
        ("Vi bor trangt, så der er ikke et roligt sted at trække sig.", ALL),
        ("De voksne er uenige om, hvordan samværet skal være.", ALL),
    ),
    Column.WORKING_WELL: (
        ("{child} er glad for {relative} og er der gerne.", ALL),
        ("{parent} vil rigtig gerne have hjælp og kommer til alle møderne.", ALL),
        ("{child} har en god ven {at_institution}.", NOT_BABY),
        ("Vi er gode til at hygge os i weekenderne.", ALL),
        ("{institution} kender {child} godt og giver besked, hvis noget er galt.", ALL),
        ("{child} er sjov, nysgerrig og god til at tegne.", YOUNG),
        ("{child} er god til fodbold og har en træner, der tror på {child}.", OLDER),
        ("{child} siger selv, at {child} gerne vil have, at det bliver bedre.", frozenset({TEEN})),
    ),
    Column.NEEDS_TO_HAPPEN: (
        ("Vi skal have faste rutiner om morgenen og om aftenen.", ALL),
        ("Vi voksne skal finde en måde at være uenige på uden at råbe.", ALL),
        ("{child} skal have en fast voksen at tale med.", OLDER),
        ("Vi skal bede {relative} om hjælp, når det bliver for meget.", ALL),
        ("{institution} og vi skal tale sammen hver anden uge.", ALL),
        ("{parent} skal have hjælp til sit eget humør.", ALL),
    ),
}  # fmt: skip

# Worry statements and their wellbeing goals, by the area of the goal they serve: who is
# worried, about what, what could happen if nothing changes, the wellbeing goal, how long, and
# the age bands it fits.
WorryText = tuple[str, str, str, str, str, frozenset[str]]
WORRIES: dict[str, tuple[WorryText, ...]] = {
    Area.DEVELOPMENT: (
        ("{caseworker_first} fra kommunen og {institution}",
         "at {child} ofte kommer i konflikt og slår, når noget bliver svært",
         "{child} kan blive holdt uden for fællesskabet og få det dårligt med sig selv",
         "{child} siger fra med ord, og de voksne hjælper {child} med at falde til ro",
         "i mindst tre måneder", YOUNG),
        ("{caseworker_first} fra kommunen og {parent}",
         "at {child} er ude sent om aftenen sammen med ældre unge, der ryger hash",
         "{child} kan komme ud i kriminalitet og få en dom",
         "{child} er hjemme til den aftalte tid og fortæller, hvor {child} er",
         "i tre måneder i træk", frozenset({TEEN})),
    ),
    Area.FAMILY: (
        ("{caseworker_first} fra kommunen og {relative}",
         "at {child} hører de voksne skændes højt om aftenen og bliver bange",
         "{child} kan blive utryg derhjemme og få svært ved at sove og lære",
         "de voksne taler roligt sammen, og {child} siger, at det er rart at være hjemme",
         "i mindst et halvt år", ALL),
        ("{institution} og {caseworker_first} fra kommunen",
         "at {parent} er så træt, at der ikke er overskud til {child}",
         "{child} kan komme til at tage sig af de voksne i stedet for at være barn",
         "{parent} har overskud til at lege og spise sammen med {child} hver dag",
         "i mindst tre måneder", ALL),
    ),
    Area.SCHOOL: (
        ("{institution} og {caseworker_first} fra kommunen",
         "at {child} tit ikke kommer {at_institution} eller kommer for sent",
         "{child} kan miste kontakten til de andre børn og få svært ved at lære",
         "{child} kommer hver dag og til tiden",
         "i mindst tre måneder", NOT_BABY),
    ),
    Area.HEALTH: (
        ("Sundhedsplejen og {caseworker_first} fra kommunen",
         "at {child} ikke tager nok på og ofte er træt",
         "{child}s udvikling kan gå i stå",
         "{child} følger sin kurve og får fem måltider om dagen",
         "i mindst tre måneder", LITTLE),
        ("{caseworker_first} fra kommunen og {parent}",
         "at {child} sover for lidt og har ondt i maven om morgenen",
         "{child} kan få det dårligere og holde op med at gå i skole",
         "{child} sover om natten og har det godt om morgenen",
         "i to måneder i træk", OLDER),
    ),
    Area.LEISURE: (
        ("{caseworker_first} fra kommunen og {parent}",
         "at {child} er meget alene og ikke har nogen at være sammen med efter skole",
         "{child} kan blive ensom og trække sig mere",
         "{child} går til en fritidsaktivitet og har en ven at være sammen med",
         "i et halvt år", OLDER),
    ),
    Area.OTHER: (
        ("{caseworker_first} fra kommunen og {parent}",
         "at familien har så mange rykkere, at der ikke er penge til mad sidst på måneden",
         "familien kan miste boligen",
         "der er mad i køleskabet hele måneden, og regningerne er betalt",
         "i et halvt år", ALL),
    ),
}  # fmt: skip

DROPPED_REASONS = (
    "Vi har aftalt, at det ikke er det vigtigste lige nu. Vi tager det op igen senere.",
    "{child} vil hellere noget andet, og det er okay. Målet passer ikke længere.",
    "Det klarer {institution} nu, så vi behøver ikke have det med i planen.",
)
ROUND_NOTES = ("Planmøde med familien", "Opfølgning i hjemmet", "Netværksmøde", "Opfølgningsmøde")
LAST_ROUND_NOTE = "Afsluttende møde"
VERSION_1_REASON = "Planen lavet sammen med familien på planmødet"
VERSION_2_REASON = "Planen gennemgået og justeret med familien på opfølgningsmødet"


# --- building one plan -----------------------------------------------------------------------


@dataclass
class PlanSubject:
    """The case and the people around the child that a plan is written with."""

    case: Case
    child: FamilyMember
    parents: Sequence[FamilyMember]  # the adults at home, the custodial parent first
    owner: User
    therapist: User
    institution: str  # daycare, school or education; the health visitor for a baby at home
    has_institution: bool
    relative: str  # e.g. "mormor"
    measure_start: dt.date
    measure_end: dt.date | None  # the measure has ended (closing stage)
    planned_end: dt.date | None
    decided_at: dt.datetime
    min_rounds: int = 2


@dataclass
class _Person:
    kind: str  # Rating.RaterKind
    name: str
    start: int  # the first answer
    gain: int  # how much better by the last round
    present: float  # the chance of being at a later meeting


@dataclass
class _Story:
    goals: list[Goal] = field(default_factory=list)
    templates: dict[int, GoalText] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)  # reached goals are not rated again


def parents_at_home(child: FamilyMember) -> list[FamilyMember]:
    """The parents and step-parents of ``child`` in its household, custodial parents first."""
    order: dict[str, int] = {
        FamilyRelation.Kind.PARENT_CUSTODY: 0,
        FamilyRelation.Kind.STEP_PARENT: 1,
    }
    relations = (
        FamilyRelation.objects.filter(child=child, kind__in=list(order))
        .select_related("member")
        .order_by("id")
    )
    return [r.member for r in sorted(relations, key=lambda r: order[r.kind])]


class DemoPlanWriter:
    """Fills the (empty) plan that the first measure created, and backdates what needs it."""

    def __init__(
        self,
        *,
        rng: random.Random,
        subject: PlanSubject,
        today: dt.date,
        at: Callable[[dt.date, int], dt.datetime],
    ) -> None:
        self.rng = rng
        self.s = subject
        self.today = today
        self.at = at
        citizen = subject.case.citizen
        self.age = age_on(citizen.birth_date, today)
        self.band = band_of(self.age)
        relative_name = f"{subject.relative} {rng.choice(RELATIVE_NAMES[subject.relative])}"
        self.relative_person = relative_name[:1].upper() + relative_name[1:]
        parent = subject.parents[0]
        self.words = {
            "child": citizen.first_name,
            "parent": parent.first_name or parent.name,
            "institution": subject.institution,
            "at_institution": f"{_preposition(subject.institution)} {subject.institution}",
            "relative": relative_name,
            "relative_title": self.relative_person,
            "therapist_first": subject.therapist.first_name,
            "caseworker_first": subject.owner.first_name,
        }

    def text(self, template: str) -> str:
        return template.format(**self.words)

    def fits(self, template: str, bands: frozenset[str] = ALL) -> bool:
        return self.band in bands and (self.s.has_institution or INSTITUTION not in template)

    # --- when things happen -----------------------------------------------------------------

    def round_dates(self) -> list[dt.date]:
        """The meetings with a round of ratings, all in the past: the first is the plan
        meeting a few days after the measure started; then frequent at first, sparser later."""
        last = _workday_back(min(self.s.measure_end or self.today, self.today - dt.timedelta(1)))
        start = self.s.measure_start
        span = (last - start).days
        first = _workday_forward(start + dt.timedelta(days=self.rng.randint(2, max(2, span // 5))))
        if first >= last:
            first = start
        span = (last - first).days
        count = max(self.s.min_rounds, min(6, 2 + span // 21 + self.rng.randint(0, 1)))
        dates = [first]
        for index in range(1, count):
            fraction = (index / (count - 1)) ** 1.3
            day = _workday_back(first + dt.timedelta(days=round(fraction * span)))
            if day <= dates[-1]:
                day = _workday_forward(dates[-1] + dt.timedelta(days=1))
            if day > last:
                break
            dates.append(day)
        return dates

    # --- the content ------------------------------------------------------------------------

    def goal_pool(self, area: str, used: set[str] | None = None) -> list[GoalText]:
        return [
            t
            for t in GOALS[area]
            if self.fits(t.family, t.bands) and t.family not in (used or set())
        ]

    def choose_goals(self, count: int) -> list[tuple[str, GoalText]]:
        areas = [a for a in AREA_WEIGHTS[self.band] if self.goal_pool(a)]
        # Mostly the first areas, but every plan a little different.
        picked = self.rng.sample(areas[:4], k=min(count, 4, len(areas[:4])))
        return [(area, self.rng.choice(self.goal_pool(area))) for area in picked]

    def fill(self) -> Plan:
        rng, s = self.rng, self.s
        plan = plans.plan_create(case=s.case, user=s.owner)
        dates = self.round_dates()
        plan_meeting = dates[0]
        houses = 4 <= self.age <= 9
        house = rng.choice(HOUSES)
        plans.plan_update(
            plan=plan,
            purpose=self.text(rng.choice(PURPOSES[self.band])),
            child_voice=self.text(rng.choice(CHILD_VOICES[BABY if self.age < 3 else self.band])),
            parents_view=self.text(rng.choice([t for t, b in PARENTS_VIEWS if self.band in b])),
            house_worries=self.text(house[0]) if houses else "",
            house_good_things=self.text(house[1]) if houses else "",
            house_dreams=self.text(house[2]) if houses else "",
            internal_note=self.text(rng.choice(INTERNAL_NOTES)) if rng.random() < 0.5 else "",
        )
        story = _Story()
        count = rng.randint(2, 4)
        if s.min_rounds >= 3:  # the demo logins: a fuller plan to look at
            count = max(count, 3)
        for area, template in self.choose_goals(count):
            self.add_goal(plan, story, area, template)
        self.cover_every_kind(story)
        self.safety_map(plan)
        self.worries(plan, story)

        version = plans.plan_version_freeze(plan=plan, user=s.owner, reason=VERSION_1_REASON)
        frozen_at = self.at(plan_meeting, 12)
        PlanVersion.objects.filter(pk=version.pk).update(frozen_at=frozen_at)
        # The plan was made at the meeting, not when the demo was generated.
        Deadline.objects.filter(case=s.case, rule__code="plan", met_at__isnull=False).update(
            met_at=frozen_at
        )
        Goal.objects.filter(plan=plan).update(created_at=self.at(plan_meeting, 10))

        people = self.raters()
        revise_at = None
        if len(dates) >= 4 and (s.min_rounds >= 3 or rng.random() < 0.6):
            revise_at = len(dates) // 2
        last_change = frozen_at
        for index, held_on in enumerate(dates):
            if index == revise_at:
                last_change = self.revise(plan, story, held_on, dates[index - 1])
            self.rating_round(plan, story, people, dates, index)
        last_change = max(last_change, self.finish_goals(story, dates[-1]))
        Plan.objects.filter(pk=plan.pk).update(created_at=s.decided_at, updated_at=last_change)
        return plan

    def add_goal(self, plan: Plan, story: _Story, area: str, template: GoalText) -> Goal:
        rng = self.rng
        by = FORMULATED_BY_TEEN if self.band == TEEN else FORMULATED_BY
        professional = template.professional if rng.random() < 0.8 else ""
        goal = plans.plan_goal_add(
            plan=plan,
            area=area,
            family_wording=self.text(template.family),
            professional_wording=self.text(professional),
            formulated_by=self.text(rng.choice(by)),
            target_date=self.s.planned_end,
        )
        story.goals.append(goal)
        story.templates[goal.pk] = template
        # A parent always has a part; one or two others too.
        kinds = ["network", "professional"] + (["child"] if self.age >= 4 else [])
        self.responsibility(goal, "parent")
        for kind in rng.sample(kinds, k=rng.randint(1, 2)):
            self.responsibility(goal, kind)
        return goal

    def task(self, area: str, kind: str) -> tuple[str, str]:
        if self.band == BABY and area in BABY_TASKS:
            pool = BABY_TASKS[area][kind]
        elif kind == "child":
            pool = TASKS[area]["child_teen" if self.age >= 13 else "child_young"]
        else:
            pool = TASKS[area][kind]
        task, when = self.rng.choice([t for t in pool if self.fits(t[0])] or pool)
        return self.text(task), when

    def responsibility(self, goal: Goal, kind: str) -> None:
        rng, s = self.rng, self.s
        Kind = Responsibility.AssigneeKind
        task, when = self.task(goal.area, kind)
        member: FamilyMember | None = None
        professional: User | None = None
        name = ""
        if kind == "parent":
            assignee_kind, member = Kind.FAMILY_MEMBER, rng.choice(list(s.parents[:2]))
        elif kind == "child":
            assignee_kind, member = Kind.CHILD, s.child
        elif kind == "network":
            leisure = goal.area == Area.LEISURE and self.band != BABY
            assignee_kind = Kind.NETWORK
            name = rng.choice(LEISURE_PEOPLE) if leisure else self.relative_person
        elif goal.area == Area.SCHOOL and s.has_institution and rng.random() < 0.5:
            # The teacher or the pedagogue: a professional outside the system, by name.
            assignee_kind, name = Kind.PROFESSIONAL, rng.choice(SCHOOL_PEOPLE[self.band])
        else:
            assignee_kind, professional = Kind.PROFESSIONAL, s.therapist
        plans.plan_responsibility_add(
            goal=goal,
            assignee_kind=assignee_kind,
            family_member=member,
            professional=professional,
            assignee_name=name,
            task=task,
            when=when,
        )

    def cover_every_kind(self, story: _Story) -> None:
        """Every plan names the network and the therapist (and the child, when old enough)
        somewhere, besides the parents: the demo shows who does what."""
        responsibilities = Responsibility.objects.filter(goal__in=story.goals)
        present = set(responsibilities.values_list("assignee_kind", flat=True))
        wanted = {Responsibility.AssigneeKind.NETWORK: "network"}
        if self.age >= 4:
            wanted[Responsibility.AssigneeKind.CHILD] = "child"
        for code, kind in wanted.items():
            if code not in present:
                self.responsibility(self.rng.choice(story.goals), kind)
        if not responsibilities.filter(professional=self.s.therapist).exists():
            goal = story.goals[0]
            task, when = self.task(goal.area, "professional")
            plans.plan_responsibility_add(
                goal=goal,
                assignee_kind=Responsibility.AssigneeKind.PROFESSIONAL,
                professional=self.s.therapist,
                task=task,
                when=when,
            )

    def safety_map(self, plan: Plan) -> None:
        rng = self.rng

        def entries(column: str, k: int) -> list[str]:
            pool = [text for text, bands in MAP[column] if self.fits(text, bands)]
            return rng.sample(pool, k=min(k, len(pool)))

        columns = [(Column.HARM, 1), (Column.DANGER, 1)]
        if rng.random() < 0.7:
            columns.append((Column.COMPLICATING, 1))
        columns += [(Column.WORKING_WELL, rng.randint(2, 3)), (Column.NEEDS_TO_HAPPEN, 2)]
        if rng.random() < 0.5:
            columns[-1] = (Column.NEEDS_TO_HAPPEN, 3)
        for column, k in columns:
            for text in entries(column, k):
                plans.plan_safety_entry_add(plan=plan, column=column, text=self.text(text))

    def worries(self, plan: Plan, story: _Story) -> None:
        """One or two worry statements, each with its wellbeing goal and the plan goal it
        serves; when no goal's own area has one that fits, a worry about the family."""
        rng = self.rng
        wanted = rng.randint(1, 2)
        used: set[str] = set()

        def fitting(area: str) -> list[WorryText]:
            return [w for w in WORRIES[area] if self.fits(w[0] + w[1], w[5]) and w[1] not in used]

        for goal in rng.sample(story.goals, k=len(story.goals)):
            pool = fitting(goal.area)
            if pool and len(used) < wanted:
                used.add(self.worry(plan, goal, rng.choice(pool)))
        if not used:
            used.add(self.worry(plan, story.goals[0], rng.choice(fitting(Area.FAMILY))))

    def worry(self, plan: Plan, goal: Goal, worry: WorryText) -> str:
        who, about, if_nothing, wellbeing, how_long, _bands = worry
        plans.plan_worry_add(
            plan=plan,
            who_is_worried=self.text(who),
            about=self.text(about),
            if_nothing_changes=self.text(if_nothing),
            wellbeing_goal=self.text(wellbeing),
            for_how_long=how_long,
            goal=goal,
        )
        return about

    # --- ratings over time ------------------------------------------------------------------

    def raters(self) -> list[_Person]:
        rng, s = self.rng, self.s
        weeks = max(1, ((s.measure_end or self.today) - s.measure_start).days // 7)
        scale = min(1.0, (weeks + 3) / 16)  # short courses have had less time to change
        # A course that has ended mostly went well (the closing letter says so).
        low_gain, high_gain = (3.5, 6.0) if s.measure_end is not None else (2.0, 5.5)

        def person(kind: str, name: str, low: int, high: int, present: float) -> _Person:
            gain = max(1, round(rng.uniform(low_gain, high_gain) * scale))
            return _Person(kind, name, rng.randint(low, high), gain, present)

        people = []
        if self.age >= 6:
            people.append(person(Rater.CHILD, s.case.citizen.first_name, 3, 5, 0.85))
        seen: set[str] = set()
        for number, parent in enumerate(s.parents):
            name = parent.first_name or parent.name
            if name.casefold() in seen:
                name = parent.name
            seen.add(name.casefold())
            people.append(person(Rater.PARENT, name, 2, 5, 1.0 if number == 0 else 0.75))
        people.append(person(Rater.CASEWORKER, str(s.owner), 2, 4, 0.9))
        people.append(person(Rater.THERAPIST, str(s.therapist), 2, 5, 1.0))
        return people

    def value(self, person: _Person, offset: int, index: int, count: int) -> int:
        fraction = index / (count - 1) if count > 1 else 0.0
        trend = person.start + offset + person.gain * fraction
        noise = self.rng.choice((-1, 0, 0, 0, 1)) if index else 0
        return max(0, min(10, round(trend + noise)))

    def rating_round(
        self, plan: Plan, story: _Story, people: list[_Person], dates: list[dt.date], index: int
    ) -> None:
        rng = self.rng
        count = len(dates)
        ratings = []
        for position, person in enumerate(people):
            # Everyone is at the plan meeting; later someone is sometimes not there.
            if index and rng.random() > person.present:
                continue
            ratings.append(
                RatingInput(None, person.kind, person.name, self.value(person, 0, index, count))
            )
            for number, goal in enumerate(story.goals):
                if goal.pk in story.closed:
                    continue
                # Some goals are easier than others: a stable offset per goal and person.
                offset = (goal.pk + position + number) % 3 - 1
                value = self.value(person, offset, index, count)
                ratings.append(RatingInput(goal, person.kind, person.name, value))
        if index == 0:
            note = ROUND_NOTES[0]
        elif index == count - 1 and self.s.measure_end is not None:
            note = LAST_ROUND_NOTE
        else:
            note = rng.choice(ROUND_NOTES[1:])
        held_on = dates[index]
        rating_round = plans.plan_rating_round_record(
            plan=plan, user=self.s.owner, held_on=held_on, ratings=ratings, note=note
        )
        RatingRound.objects.filter(pk=rating_round.pk).update(recorded_at=self.at(held_on, 11))

    # --- revising the plan and closing goals --------------------------------------------------

    def revise(self, plan: Plan, story: _Story, held_on: dt.date, previous: dt.date) -> dt.datetime:
        """A follow-up meeting: a goal reworded, one that went well reached, sometimes a new
        one; frozen as version 2, so the comparison of versions shows what changed."""
        rng = self.rng
        revisable = [g for g in story.goals if story.templates[g.pk].revised]
        goal = rng.choice(revisable or story.goals)
        template = story.templates[goal.pk]
        wording = (
            self.text(template.revised)
            if template.revised
            else f"{goal.family_wording} Vi tager det et skridt ad gangen."
        )
        plans.plan_goal_update(goal=goal, family_wording=wording)
        latest = _latest_values(story.goals, previous)
        for other in story.goals:
            values = latest[other.pk]
            if other != goal and _good_enough(values, mean=7.0):
                plans.plan_goal_set_status(goal=other, status=Goal.Status.REACHED)
                story.closed.add(other.pk)
                break
        if rng.random() < 0.5:
            used = {t.family for t in story.templates.values()}
            areas = [a for a in AREA_WEIGHTS[self.band][:4] if self.goal_pool(a, used)]
            if areas:
                area = rng.choice(areas)
                new = self.add_goal(plan, story, area, rng.choice(self.goal_pool(area, used)))
                Goal.objects.filter(pk=new.pk).update(created_at=self.at(held_on, 10))
        version = plans.plan_version_freeze(plan=plan, user=self.s.owner, reason=VERSION_2_REASON)
        frozen_at = self.at(held_on, 12)
        PlanVersion.objects.filter(pk=version.pk).update(frozen_at=frozen_at)
        return frozen_at

    def finish_goals(self, story: _Story, last_meeting: dt.date) -> dt.datetime:
        """At the latest meeting a goal everyone rates high is reached; now and then one is no
        longer a goal."""
        rng = self.rng
        latest = _latest_values(story.goals, last_meeting)
        mean = 6.5 if self.s.measure_end is not None else 7.0
        for goal in story.goals:
            values = latest[goal.pk]
            high = goal.pk not in story.closed and _good_enough(values, mean=mean)
            if high and rng.random() < 0.8:
                plans.plan_goal_set_status(goal=goal, status=Goal.Status.REACHED)
        open_goals = [g for g in story.goals if g.status == Goal.Status.OPEN]
        if len(story.goals) >= 3 and len(open_goals) >= 2 and rng.random() < 0.2:
            plans.plan_goal_set_status(
                goal=rng.choice(open_goals),
                status=Goal.Status.DROPPED,
                reason=self.text(rng.choice(DROPPED_REASONS)),
            )
        return self.at(last_meeting, 12)


def _good_enough(values: Sequence[int], *, mean: float) -> bool:
    """Reached: high on average, and nobody far behind."""
    return bool(values) and min(values) >= 5 and sum(values) / len(values) >= mean


def _latest_values(goals: Sequence[Goal], held_on: dt.date) -> dict[int, list[int]]:
    """Each goal's answers in the round held on ``held_on``."""
    values: dict[int, list[int]] = {goal.pk: [] for goal in goals}
    rows = Rating.objects.filter(goal__in=goals, round__held_on=held_on)
    for goal_id, value in rows.values_list("goal_id", "value"):
        values[goal_id].append(value)
    return values


def _preposition(institution: str) -> str:
    """»på Fjordbyskolen«, »på FGU Fjordby«, but »i Børnehaven Troldehøj«."""
    school = ("skole", "gymnasium", "fgu", "efterskole")
    return "på" if any(word in institution.casefold() for word in school) else "i"


def _workday_back(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _workday_forward(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def demo_plan_fill(
    *,
    subject: PlanSubject,
    rng: random.Random,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
) -> Plan:
    """Write the plan of one demo case with its own ``rng``, so that the rest of the demo
    (drawn from ``seed_demo``'s generator) is the same with or without the plans."""
    return DemoPlanWriter(rng=rng, subject=subject, today=today, at=at).fill()
