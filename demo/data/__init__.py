"""The demo's data tables, apart from the code that builds the demo world from them.

One module per part of the world: ``people`` (the municipality, staff, names and places),
``families`` (the families and their cases' stages), ``personas`` (the family-portal logins
that show who sees a child's case), ``cases`` (notifications, assessments, measures, journal
notes), ``plans``, ``followups``, ``network`` and ``letters`` (the texts of each). Only plain
Python tables belong here (constants, tuples, dicts and the frozen dataclasses that are their
rows): no queries, no random draws, no building; that is ``demo.builders``. Everything in them
is invented.
"""
