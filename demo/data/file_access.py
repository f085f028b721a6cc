"""What the demo's request for access to the files (aktindsigt) says: a custody holder on one
of ``sagsbehandler``'s cases asked a few working days ago to see the case's documents; the
identity of the private person who reported the concern is exempt. The request is pending, its
7 working days still running, so the caseworker can make the bundle and hand it out.

Plain tables only; ``demo.builders.file_access`` makes it through ``file_access.services``.
"""

# How many working days ago the request came (the answer is due 7 working days after it).
RECEIVED_WORKING_DAYS_AGO = 2
ASKED_FOR = (
    "Alle sagens dokumenter: underretningerne, undersøgelsen, afgørelserne og journalen. "
    "Mor vil gerne se, hvad der står om familien, før mødet med skolen."
)
EXEMPTION_REASON = (
    "Underretteren er en privatperson fra familiens omgangskreds. Hensynet til underretteren "
    "vejer tungere end forældrenes interesse i at kende navnet; det, underretteren har "
    "fortalt, udleveres."
)
EXEMPTION_BASIS = "Forvaltningsloven § 15 b"
