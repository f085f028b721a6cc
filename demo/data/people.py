"""Who and where the demo is: the municipality, its units and teams, the staff (the users
table that ``seed_demo`` prints and the README lists), and the invented names and places the
families are drawn from.

Plain tables only: no queries and no building (that is ``demo.builders``). All names,
addresses and places are invented; the first names and surnames are common Danish ones.
"""

from dataclasses import dataclass

from accounts.models import Role

# Published on purpose: every demo login shares it, and production refuses the command.
DEMO_PASSWORD = "familievaerft-demo"  # noqa: S105
# Every demo user's e-mail address is username@EMAIL_DOMAIN.
EMAIL_DOMAIN = "fjordby.example"
MUNICIPALITY = "Fjordby Kommune"

# --- units, teams and staff ------------------------------------------------------------------

AUTHORITY_UNIT = "Børne- og Ungeafdelingen"
AUTHORITY_ADDRESS = "Rådhustorvet 1, 4991 Fjordby"
PROVIDER_UNIT = "Familiehuset"
PROVIDER_ADDRESS = "Havnegade 12, 4991 Fjordby"
TEAM_NORD = "Team Nord"
TEAM_SYD = "Team Syd"
TEAM_HOUSE = "Familiehuset"
# (unit, team): the authority's two teams and the family house's one.
TEAMS = ((AUTHORITY_UNIT, TEAM_NORD), (AUTHORITY_UNIT, TEAM_SYD), (PROVIDER_UNIT, TEAM_HOUSE))


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

# The therapists who take the measures of families without one of their own, in turn, and the
# psychologist attached to every preventive measure (§ 30).
THERAPISTS_IN_TURN = ("familiebehandler", "familiebehandler2")
PSYCHOLOGIST = "psykolog"

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
# Who the adults of a family are, drawn when the family's row gives none (two parents and
# single mothers twice as often). See ``demo.builders.families``.
FAMILY_STRUCTURES = (
    "two_parents", "two_parents", "single_mother", "single_mother", "stepfamily",
    "single_father", "with_grandmother",
)  # fmt: skip
# Given by a family's row only, never drawn: the mother has sole custody, and the children's
# father, who has moved out, is still listed with the family (without custody).
SOLE_CUSTODY_MOTHER = "sole_custody_mother"
GRANDMOTHERS = ("Inger", "Kirsten", "Hanne", "Birthe")
# The relative the family leans on (named in notes, plans and the network map).
RELATIVES = ("morfar", "mormor", "farmor", "farfar", "moster", "faster")
