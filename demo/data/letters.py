"""What the demo's closing status letters say: the therapist's additions to the prefilled
sections, the family's comments and the revision they led to, how long each family has to
review, and the second, running measure of ``familie``'s younger child (no letter yet).

Plain tables only; ``demo.builders.letters`` writes the letters through ``letters.services``.
"""

COLLABORATION = (
    "Vi har mødt en familie, der hele vejen har taget imod os og været åben om det, der var "
    "svært. I har holdt fast i aftalerne, også i de uger, hvor det gik op og ned."
)
HANDOVER_EXTRA = (
    "Når vi stopper, er det jeres netværk, der bærer videre. Skolen og sundhedsplejen kender "
    "planen, og I ved, hvor I kan henvende jer, hvis I får brug for os igen."
)
# Days the family has to review: familie's waiting letter, the revised one, familie2's.
REVIEW_DAYS_WAITING = 10
REVIEW_DAYS_REVISED = 7
REVIEW_DAYS_SENT = 14

# familie's comments on the revised letter (one on a section, one on the whole letter).
COMMENT_ON_COLLABORATION = (
    "Vi vil gerne have med, at det var svært for os i starten, og at det hjalp, da I kom om "
    "eftermiddagen i stedet for om morgenen."
)
COMMENT_ON_LETTER = "Tak for brevet. Ellers kan vi godt genkende det."
# What the therapist wrote in after the comments.
REVISED_COLLABORATION_START = (
    "I starten var det svært for jer at have os i hjemmet, og det hjalp, da vi flyttede "
    "besøgene til eftermiddagen. "
)
REVISION_NOTE = "Familiens kommentar om starten på forløbet er skrevet ind."

# The second measure: a contact person, two months under way, with four sessions so far.
SECOND_MEASURE_BASIS = "bl-32-1-3"
SECOND_MEASURE_PURPOSE = "En fast kontaktperson, som barnet kan tale med om skole og venner."
SECOND_MEASURE_MONTHS = 6
SECOND_MEASURE_SESSION_DAYS = (7, 21, 35, 49)  # after the start
SECOND_MEASURE_SESSION_NOTE = "Samtale med barnet om skolen og vennerne."
