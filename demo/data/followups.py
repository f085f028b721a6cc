"""What the demo's therapist sessions and follow-ups say and where they happen: places and the
methods that go with them, the therapist's internal notes and the summaries for the family,
the decisions at follow-ups and their reasons.

Plain tables only; ``demo.builders.followups`` draws from them (placeholders ``{child}``,
``{parent}``, ``{relative}``, ``{institution}``). Every text is invented.
"""

from followups.models import FollowUp, GoalEvaluation, Session

Location = Session.Location
Method = Session.Method

# Where sessions happen (seed 002): mostly at home.
LOCATIONS: tuple[tuple[str, int], ...] = (
    (Location.HOME, 60),
    (Location.FAMILY_HOUSE, 15),
    (Location.SCHOOL, 10),
    (Location.LEISURE, 7),
    (Location.SHOPPING, 5),
    (Location.OTHER, 3),
)
OTHER_PLACES = ("Legepladsen ved Fjordparken", "Biblioteket", "Lægehuset", "Svømmehallen")
# Which methods go with which place.
METHODS_AT: dict[str, tuple[str, ...]] = {
    Location.HOME: (
        Method.FAMILY_CONVERSATION,
        Method.GUIDANCE,
        Method.STRUCTURE,
        Method.UPBRINGING,
        Method.FAMILY_ACTIVITY,
        Method.VIDEO_FEEDBACK,
        Method.SELECTED_MEMBERS,
    ),
    Location.FAMILY_HOUSE: (
        Method.FAMILY_CONVERSATION,
        Method.SELECTED_MEMBERS,
        Method.NETWORK_MEETING,
        Method.VIDEO_FEEDBACK,
    ),
    Location.SCHOOL: (Method.SCHOOL_CONTACT, Method.GUIDANCE, Method.NETWORK_MEETING),
    Location.LEISURE: (Method.FAMILY_ACTIVITY, Method.GUIDANCE),
    Location.SHOPPING: (Method.STRUCTURE, Method.GUIDANCE, Method.FAMILY_ACTIVITY),
    Location.OTHER: (Method.FAMILY_ACTIVITY, Method.SELECTED_MEMBERS),
}
INTERNAL_NOTES = (
    "Morgenrutinen blev gennemgået trin for trin med {parent}. {child} kom af sted til tiden "
    "tre af fem dage i sidste uge. Vi aftalte et fast ur ved døren.",
    "{parent} virkede træt og fortalte om dårlig søvn. Vi talte om, hvem i netværket der kan "
    "hjælpe med aftenerne. {relative} er villig til at tage {child} om onsdagen.",
    "Observation af aftensmaden: rolig stemning, {child} blev ved bordet hele måltidet. "
    "{parent} roste undervejs, som vi har øvet.",
    "Konflikt om skærmtid opstod under besøget. {parent} holdt fast i aftalen uden at hæve "
    "stemmen. Gennemgået bagefter: hvad virkede, hvad kan gøres anderledes.",
    "Samtale alene med {child} om skolen. {child} siger, at frikvartererne er blevet bedre, "
    "men at matematik stadig er svært. Aftalt at tage det med til mødet med {institution}.",
    "Videooptagelse af legestund. Ved gennemsynet så {parent} selv, hvordan {child} søgte "
    "øjenkontakt, når der blev ventet lidt. Fokus næste gang: at følge barnets initiativ.",
    "Ugeskemaet hænger nu på køleskabet. {parent} har selv lavet billeder til {child}. "
    "Strukturen holder på hverdage, weekenderne er stadig svære.",
    "Familien aflyste sidste besøg. Kontakt genoptaget i dag; {parent} fortæller om en hård "
    "uge med sygdom. Vi justerer tempoet og holder fast i de to vigtigste aftaler.",
    "Fælles indkøb efter indkøbslisten, vi lavede sidst. {child} hjalp med at finde varerne. "
    "Budgettet holdt, og {parent} planlagde selv ugens aftensmad.",
    "Kort møde med {institution} sammen med {parent}. Lærerne oplever et roligere barn. "
    "Næste skolesamtale er aftalt, {parent} deltager selv.",
    "Vi arbejdede med sikkerhedsplanen: hvem ringer {parent} til, når det bliver for meget? "
    "Planen er skrevet ned og hænger i køkkenet.",
    "Gennemgang af skaleringen siden sidst: {parent} placerer sig selv højere end for en "
    "måned siden og kan sætte ord på hvorfor. Det er tid til at trappe timerne ned.",
)
FAMILY_SUMMARIES = (
    "Vi talte om morgenerne. I har fået et godt ur ved døren, og {child} kom af sted til tiden "
    "flere dage. Næste gang ser vi på aftenerne.",
    "Tak for en god aftensmad sammen. Det var tydeligt, at roserne virker. Prøv at holde fast "
    "i dem resten af ugen.",
    "I dag så vi videoen sammen. I så selv, hvor godt {child} reagerer, når I venter lidt. "
    "Øv det, når I leger.",
    "Vi aftalte, at {relative} henter {child} om onsdagen. Skriv det gerne ind i ugeskemaet.",
    "Godt møde på skolen. Næste samtale er aftalt, og I tager den selv.",
    "Sikkerhedsplanen hænger nu i køkkenet. Ring til de personer, der står på den, hvis det "
    "bliver for meget.",
    "I har selv lavet ugens madplan. Vi ses igen om en uge.",
)
DECISION_REASONS = {
    FollowUp.Decision.CONTINUE: (
        "Indsatsen virker: skaleringen er steget, og målene er nået eller på vej. Den "
        "fortsætter som planlagt med den planlagte nedtrapning af timerne.",
        "Familien og behandleren er enige om, at det går i den rigtige retning. Indsatsen "
        "fortsætter uændret.",
    ),
    FollowUp.Decision.ADJUST: (
        "Morgenerne er på plads, men aftenerne er stadig svære. Indsatsen justeres, så "
        "besøgene lægges om eftermiddagen og aftenen.",
        "Skolen er kommet godt med. Timerne i hjemmet trappes hurtigere ned, og der bruges "
        "mere tid på netværket.",
    ),
    FollowUp.Decision.END: (
        "Målene er nået, og netværket har overtaget de faste aftaler. Indsatsen afsluttes.",
    ),
}
SCHEDULE_REASONS = (
    "Vi følger op igen om to måneder, mens timerne trappes ned, og derefter med længere "
    "mellemrum, når familien klarer mere selv.",
    "Næste opfølgning ligger tæt på, fordi indsatsen er justeret. Går det godt, bliver der "
    "længere mellem de følgende.",
)
EVALUATION_NOTES = {
    GoalEvaluation.Verdict.REACHED: "Nået, og det har holdt i flere uger.",
    GoalEvaluation.Verdict.ON_TRACK: "Godt på vej; der mangler stadig lidt stabilitet.",
    GoalEvaluation.Verdict.NOT_ON_TRACK: "Ikke på vej endnu; vi prøver en anden tilgang.",
}
# Who was at a follow-up meeting.
PARTICIPANTS = "{parents}, {child}, {therapist} (familiebehandler), {caseworker} (rådgiver)"
# A measure that ended before its first follow-up: why the follow-up deadline was not met.
ENDED_BEFORE_FIRST_FOLLOWUP = (
    "Indsatsen blev afsluttet, før første opfølgning skulle holdes; afslutningen er vurderet "
    "i den afsluttende statusskrivelse."
)
