"""The therapist's session log of one case (names in ``followups``).

tests/followups/test_session_access.py checks every pattern here for every persona.
"""

from django.urls import path

from followups.views import sessions

P = "sager/<uuid:case_id>/sessioner/"

urlpatterns = [
    path(P, sessions.case_sessions, name="case_sessions"),
    path(f"{P}timer/<int:measure_id>/", sessions.session_hours, name="session_hours"),
    path(f"{P}ny/", sessions.session_new, name="session_new"),
    path(f"{P}<int:session_id>/", sessions.session_edit, name="session_edit"),
    path(f"{P}<int:session_id>/kladde/", sessions.session_autosave, name="session_autosave"),
    path(f"{P}<int:session_id>/slet/", sessions.session_delete, name="session_delete"),
]
