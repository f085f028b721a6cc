"""The demo app, on top of every other app: the fictitious Fjordby Kommune (``manage.py
seed_demo``) and the model factories it shares with the tests.

- ``data/``: the demo's tables (staff, families, names, every text), plain Python.
- ``builders/``: the code that builds the demo world from those tables through the services.
- ``factories.py``: factory-boy factories and small helpers, used by the tests, the
  accessibility world and the builders.
- ``management/commands/seed_demo.py``: the entry point.
"""
