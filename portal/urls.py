"""The family portal, under /familie/ (namespace ``family``).

Every page of a case loads it through ``portal.pages.family_case_page``;
tests/portal/test_letters_access.py requests every pattern here as every persona.
"""

from django.urls import path

from portal.views import decisions as family_decisions
from portal.views import home as family
from portal.views import letters as family_letters
from portal.views import network as network_views
from portal.views import plan as plan_views

app_name = "family"

urlpatterns = [
    path("", family.family_home, name="home"),
    path("sager/<uuid:case_id>/plan/", plan_views.family_plan, name="plan"),
    path(
        "sager/<uuid:case_id>/breve/<int:letter_id>/",
        family_letters.letter_detail,
        name="letter_detail",
    ),
    path(
        "sager/<uuid:case_id>/breve/<int:letter_id>/kommentar/",
        family_letters.letter_comment,
        name="letter_comment",
    ),
    path(
        "sager/<uuid:case_id>/breve/<int:letter_id>/godkend/",
        family_letters.letter_approve,
        name="letter_approve",
    ),
    path(
        "sager/<uuid:case_id>/breve/<int:letter_id>/udkast.pdf",
        family_letters.letter_preview_pdf,
        name="letter_preview_pdf",
    ),
    path(
        "sager/<uuid:case_id>/breve/<int:letter_id>/pdf/",
        family_letters.letter_pdf,
        name="letter_pdf",
    ),
    path(
        "sager/<uuid:case_id>/afgoerelser/<int:decision_id>/pdf/",
        family_decisions.decision_pdf,
        name="decision_pdf",
    ),
    path("sager/<uuid:case_id>/netvaerk/", network_views.family_network, name="network"),
    # The e-mailed link lands on the first and moves its token into the session; the second
    # has no secret in its address (portal/views/home.py).
    path("invitation/", family.invitation_accept, name="invitation"),
    path("invitation/<str:token>/", family.invitation_landing, name="invitation_accept"),
]
