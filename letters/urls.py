"""The closing status letters of a case, and its decision letters' PDF, under
/sager/<uuid:case_id>/statusskrivelser/
(names in the ``letters`` namespace; included from familievaerft/urls.py).

Every view loads the case through ``cases.pages.case_page`` (as ``letters.views.letter_page``)
and the letter through the case; tests/letters/test_letters_access.py requests every pattern
here as every persona.
"""

from django.urls import path

from letters import decision_views
from letters import views as case_letters

app_name = "letters"

urlpatterns = [
    path(
        "indsats/<int:measure_id>/skriv/",
        case_letters.closing_letter_start,
        name="closing_letter_start",
    ),
    path("<int:letter_id>/", case_letters.closing_letter_detail, name="closing_letter_detail"),
    path(
        "<int:letter_id>/pdf-status/",
        case_letters.closing_letter_rendering,
        name="closing_letter_rendering",
    ),
    path("<int:letter_id>/pdf/", case_letters.closing_letter_pdf, name="closing_letter_pdf"),
    path("<int:letter_id>/rediger/", case_letters.closing_letter_edit, name="closing_letter_edit"),
    # htmx, as the therapist types: the draft saved on the server (like a session's draft).
    path(
        "<int:letter_id>/kladde/",
        case_letters.closing_letter_autosave,
        name="closing_letter_autosave",
    ),
    path(
        "<int:letter_id>/til-gennemsyn/",
        case_letters.closing_letter_review,
        name="closing_letter_review",
    ),
    path(
        "<int:letter_id>/ny-version/",
        case_letters.closing_letter_revise,
        name="closing_letter_revise",
    ),
    path(
        "<int:letter_id>/send-uden-godkendelse/",
        case_letters.closing_letter_send_without_approval,
        name="closing_letter_send_without_approval",
    ),
    path(
        "<int:letter_id>/sammenlign/",
        case_letters.closing_letter_compare,
        name="closing_letter_compare",
    ),
    # The decision letter (afgørelsesbrev), linked from the decision's page.
    path(
        "afgoerelser/<int:decision_id>/pdf/",
        decision_views.decision_letter_pdf,
        name="decision_letter_pdf",
    ),
]
