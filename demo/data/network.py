"""Who is in the demo's network maps and what their meetings say: invented names, the relations
and roles of friends, leisure, school and professional people, the snapshot reasons, and the
purpose, minutes and decisions of the network meetings.

Plain tables only; ``demo.builders.network`` builds each case's map and meetings from them.
All names are invented.
"""

# First names by the gender a relation implies ("mormor", "farbror"); others take either.
FEMALE_FIRST = ("Ida", "Karen", "Sofie", "Lene", "Yasmin", "Hanne", "Mette", "Birgit")
MALE_FIRST = ("Bent", "Jonas", "Mads", "Ahmed", "Ole", "Lars", "Henrik", "Jesper")
FIRST = FEMALE_FIRST + MALE_FIRST
FEMALE_RELATIONS = frozenset(
    {"mormor", "farmor", "moster", "faster", "kusine", "veninde", "sundhedsplejerske"}
)
MALE_RELATIONS = frozenset({"morfar", "farfar", "morbror", "farbror", "fætter"})
LAST = ("Holm", "Lund", "Krogh", "Bech", "Dahl", "Juhl", "Vinther", "Kaya", "Storm", "Friis")
FRIENDS = ("bedste ven", "veninde", "klassekammerat", "nabo")
LEISURE = (
    ("fodboldtræner", "Kører til kamp om lørdagen"),
    ("spejderleder", "Holder øje med trivslen på turene"),
    ("svømmetræner", "Tager med i svømmehallen"),
)
SCHOOL_STAFF = (
    ("klasselærer", "Giver besked, hvis det er en svær dag"),
    ("pædagog", "Tager imod om morgenen"),
    ("AKT-lærer", "Samtaler en gang om ugen"),
)
PROFESSIONALS = (
    ("sundhedsplejerske", "Vejleder om søvn og mad"),
    ("PPR-psykolog", "Samtaler om angst"),
    ("læge", ""),
)

# The family's own people on the first map.
PARENT = ("forælder", "Er der hver dag")  # (relation, role)
SIBLING = "søskende"
RELATIVE_ROLE = "Kan passe en eftermiddag om ugen"
DEFAULT_RELATIVE = "mormor"
FAR_RELATIVES = ("moster", "farbror", "faster")
LATER_RELATIVES = ("morfar", "farmor", "kusine")
# The staff on the map, and what the therapist does.
CASEWORKER_RELATION = "sagsbehandler"
THERAPIST = ("familiebehandler", "Kommer hjemme hver uge")  # (relation, role)

FIRST_SNAPSHOT_REASON = "Første netværkskort"
SECOND_SNAPSHOT_REASON = "Netværksmøde"

# The held network meeting at the first version of the map.
MEETING_PLACES = ("Familiehuset", "Hjemme hos familien", "Skolen")
MEETING_PURPOSE = "Hvem kan hjælpe {child} og familien i hverdagen?"
MEETING_MINUTES = (
    "Vi tegnede netværkskortet sammen. Alle fortalte, hvad de kan hjælpe med. "
    "{relative} tilbød at hjælpe om eftermiddagen."
)
RELATIVE_DECISION = "Henter fra skole/institution om onsdagen"
PARENTS_DECISION = ("Forældrene", "Laver en fast aftenrutine")  # (who, what)

# The meeting to come while the measure runs.
NEXT_MEETING_PLACES = ("Familiehuset", "Hjemme hos familien")
NEXT_MEETING_HOURS = (9, 13, 15)
NEXT_MEETING_PURPOSE = "Hvordan går det med aftalerne fra sidste møde, og hvem kan hjælpe mere?"
