"""Follow-ups, sessions, reminders, the deadline and team pages and the therapist's start page
(names in ``followups``).

The pages of one case live under /sager/<uuid:case_id>/ and load the case through
``cases.pages.case_page``; each of the four URL modules put together here has its persona
matrix (tests/followups/test_followup_access.py, test_session_access.py,
test_overview_access.py and test_therapist_home.py), which checks every pattern for every
persona.
"""

from followups.urls_followups import urlpatterns as followup_patterns
from followups.urls_overview import urlpatterns as overview_patterns
from followups.urls_sessions import urlpatterns as session_patterns
from followups.urls_therapist_home import urlpatterns as therapist_home_patterns

app_name = "followups"

urlpatterns = [
    *followup_patterns,
    *session_patterns,
    *overview_patterns,
    *therapist_home_patterns,
]
