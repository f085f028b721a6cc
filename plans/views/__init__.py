"""The caseworker's plan pages, all under /sager/<uuid:case_id>/plan/ (see plans/urls.py)."""
