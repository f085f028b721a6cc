"""What is written in the demo's plans, in the family's words: goals by area and age band (with
a professional wording and a revised wording for some), who does what, the plan's purpose,
the child's voice and the parents' view, De Tre Huse, internal notes, the Signs of Safety map,
worry statements, and the notes of the rating rounds and versions.

Plain tables only; ``demo.builders.plans`` picks from them by the child's age band and fills in
the placeholders. Every text is invented.
"""

from dataclasses import dataclass

from plans.models import Area, SafetyMapEntry

Column = SafetyMapEntry.Column

# Age bands: baby (0–1), small (2–5: daycare), school (6–13), teen (14–17).
BABY, SMALL, SCHOOL, TEEN = "baby", "small", "school", "teen"
ALL = frozenset({BABY, SMALL, SCHOOL, TEEN})
NOT_BABY = frozenset({SMALL, SCHOOL, TEEN})
LITTLE = frozenset({BABY, SMALL})
YOUNG = frozenset({SMALL, SCHOOL})
OLDER = frozenset({SCHOOL, TEEN})
# Texts that name the daycare or school; a baby at home with the health visitor has none.
INSTITUTION = "institution}"  # matches {institution} and {at_institution}

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
    "Nabo Lis",
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
