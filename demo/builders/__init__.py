"""The code that builds the demo world (``seed_demo``) from the tables in ``demo.data``.

``world`` builds everything in order and is what the command calls; ``staff`` the
organisation and the users, ``stories`` when things happened in each case, ``families`` the
people, ``cases`` each case's course through ``cases.services``, and ``plans``, ``followups``,
``network`` and ``letters`` the rest of a case through those apps' services; ``personas`` the
family-portal personas, beside the drawn families. ``clock`` holds the demo's "now", its
seeded generator and the working-day helpers they share. Texts, names and other tables belong
in ``demo.data``; shared model factories in ``demo.factories``.
"""
