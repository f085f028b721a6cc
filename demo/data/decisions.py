"""What the demo's decisions (afgørelser) say, and how far back each happened.

- ``familie``'s younger child: more hours for the contact person (a change of a measure),
  decided today after a conversation with the child; its letter, with the complaint guidance,
  is rendered and waiting in ``familie``'s portal.
- Other demo cases: an application granted, an application refused, a § 32 measure ordered
  (the decision behind a running measure), a measure ended, the plan decided, support after 18
  for ``ung18``; a draft decision in party hearing (one party has answered); a refusal with a
  complaint under reconsideration; and a refusal whose complaint the municipality upheld and
  sent to Ankestyrelsen.

Plain tables only; ``demo.builders.decisions`` makes them through ``cases.decisions``.
"""

from dataclasses import dataclass
from decimal import Decimal

CONVERSATION_PLACE = "i hjemmet"
CONVERSATION_PRESENT = "Barnet, sagsbehandleren og barnets mor"


@dataclass(frozen=True)
class DecisionText:
    kind: str  # a cases.Decision.Kind value
    facts: str
    reasons: str
    child_view: str
    days_ago: int = 0  # when it was made (0: today)


# familie's younger child: the contact person (demo.data.letters.SECOND_MEASURE_*), more hours.
FAMILIE_CHANGE = DecisionText(
    kind="measure_change",
    facts=(
        "Kontaktpersonen har mødt barnet hver uge i to måneder. Skolen fortæller, at barnet er "
        "kommet mere i skole, men stadig har svært ved frikvartererne."
    ),
    reasons=(
        "Vi udvider kontaktpersonens tid fra 2 til 3 timer om ugen, så kontaktpersonen også kan "
        "være med i skolen én gang om ugen. Vi har lagt vægt på, at barnet selv ønsker det, og "
        "at støtten virker. Indsatsen er stadig den rigtige for barnet (Barnets Lov § 32)."
    ),
    child_view=(
        "Barnet fortalte, at det er rart at have en voksen at tale med, og at det gerne vil have "
        "hjælp til at være med i frikvartererne."
    ),
)

GRANT = DecisionText(
    kind="application_grant",
    facts="Forældrene har søgt om støtte til en fritidsaktivitet, så barnet kan gå til fodbold.",
    reasons=(
        "Vi bevilger ansøgningen. Barnet har brug for at være sammen med jævnaldrende uden for "
        "skolen, og familien kan ikke selv betale kontingent og udstyr lige nu."
    ),
    child_view="Barnet vil gerne spille fodbold med sine venner fra klassen.",
    days_ago=12,
)
REFUSAL = DecisionText(
    kind="application_refusal",
    facts="Forældrene har søgt om aflastning hver anden weekend.",
    reasons=(
        "Vi giver afslag, fordi undersøgelsen viser, at familiens behov bedst mødes af den "
        "støtte i hjemmet, der allerede er i gang. Vi ser på det igen ved næste opfølgning."
    ),
    child_view="Barnet vil helst være hjemme i weekenderne.",
    days_ago=9,
)
# The measure the ORDER decision orders (its terms; Barnets Lov § 32, stk. 3).
ORDER_BASIS = "bl-32-1-5"
ORDER_PURPOSE = (
    "Familien får familiebehandling, så forældrene kan skabe ro og faste rammer om morgenen og "
    "ved sengetid, og barnet kommer i skole hver dag."
)
ORDER_MONTHS = 6
ORDER_HOURS = [(8, Decimal("4")), (None, Decimal("2"))]
# It starts this many days after the decision: next week, so nothing has happened on it yet.
ORDER_STARTS_AFTER_DAYS = 10
ORDER_THERAPIST = "familiebehandler"
# The børnefaglig undersøgelse finished before a measure is ordered.
ASSESSMENT_CONCLUSION = (
    "Undersøgelsen viser, at familien har brug for hjælp til faste rammer i hverdagen, og at "
    "barnet trives bedre, når morgenerne er rolige. Familiebehandling i hjemmet anbefales."
)
ASSESSMENT_PARENTS_VIEW = "Forældrene er enige og vil gerne have hjælp i hjemmet."
# sagsbehandler's case whose assessment is finished and whose decision is not yet made.
READY_ASSESSMENT_DAYS_AGO = 3
# The contact person's hours after the FAMILIE_CHANGE decision (from 2 to 3 a week).
FAMILIE_CHANGE_HOURS = Decimal("3")

ORDER = DecisionText(
    kind="measure_order",
    facts=(
        "Den børnefaglige undersøgelse viser, at familien har brug for hjælp til at skabe ro og "
        "faste rammer i hverdagen."
    ),
    reasons=(
        "Vi iværksætter familiebehandling, fordi undersøgelsen viser, at det er den støtte, der "
        "kan hjælpe barnet og familien. Forældrene har givet samtykke."
    ),
    child_view="Barnet synes, det er en god idé, at der kommer nogen og hjælper.",
    days_ago=6,
)
END = DecisionText(
    kind="measure_end",
    facts="Målene i planen er nået, og familien klarer hverdagen selv.",
    reasons=(
        "Indsatsen ophører, fordi formålet er opfyldt (Barnets Lov § 32). Familien kan altid "
        "kontakte os igen."
    ),
    child_view="Barnet siger, at det går godt nu.",
    days_ago=3,
)
PLAN = DecisionText(
    kind="plan",
    facts="Handleplanen er skrevet sammen med familien på planmødet.",
    reasons="Handleplanen beskriver formålet med støtten, og hvad der skal ske (Barnets Lov § 91).",
    child_view="Barnet har været med til at formulere sine egne mål.",
    days_ago=6,
)
AFTER_18 = DecisionText(
    kind="after_18",
    facts="Den unge er fyldt 18 og ønsker fortsat at have sin kontaktperson.",
    reasons=(
        "Vi bevilger støtte efter det fyldte 18. år, fordi den unge har brug for hjælp til at "
        "gennemføre sin uddannelse og selv ønsker støtten."
    ),
    child_view="Den unge ønsker at fortsætte med sin kontaktperson.",
    days_ago=30,
)
IN_HEARING = DecisionText(
    kind="measure_change",
    facts="Behandleren foreslår at skære ned fra 4 til 2 timer om ugen.",
    reasons="Familien har fået det bedre, og målene er næsten nået.",
    child_view="Barnet vil gerne fortsætte, men har det bedre.",
)
HEARING_PARTIES = "Mor\nFar"
HEARING_ANSWER = "Vi er enige i, at det går bedre, men vil gerne have 3 timer lidt endnu."
HEARING_DAYS = 14  # the last day to answer, from today

# A complaint under reconsideration (received a week ago) …
COMPLAINED = DecisionText(
    kind="application_refusal",
    facts="Forældrene har søgt om en fast kontaktperson til den ældste.",
    reasons="Vi giver afslag, fordi den unge allerede har støtte i skolen.",
    child_view="Den unge vil gerne have en voksen at tale med uden for skolen.",
    days_ago=17,
)
COMPLAINT_TEXT = "Vi er uenige: støtten i skolen hjælper ikke i fritiden."
COMPLAINT_DAYS_AGO = 7
# … and one upheld by the municipality and sent to Ankestyrelsen.
APPEALED = DecisionText(
    kind="application_refusal",
    facts="Forældrene har søgt om aflastning i en plejefamilie hver anden weekend.",
    reasons=(
        "Vi giver afslag, fordi familiebehandlingen i hjemmet er i gang og virker, og fordi "
        "barnet selv ønsker at være hjemme."
    ),
    child_view="Barnet vil helst være hjemme i weekenderne.",
    days_ago=60,
)
APPEAL_TEXT = "Vi har brug for en pause i weekenderne for at kunne klare hverdagen."
APPEAL_RECEIVED_DAYS_AGO = 45
APPEAL_RECONSIDERED_DAYS_AGO = 25
COMPLAINANT = "Mor"
