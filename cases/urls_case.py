"""The pages of one case, all under /sager/<uuid:case_id>/ (names in the ``cases`` namespace).

Every view here loads the case through ``cases.pages.case_page``;
tests/cases/test_case_access.py checks every pattern in this list for every persona, so a new
URL is covered the moment it is added.
"""

from django.urls import path

from cases.views import (
    case,
    case_access_log,
    case_actions,
    case_decisions,
    case_invitations,
    case_journal,
    case_portal_rights,
    case_shares,
)

urlpatterns = [
    # Tabs
    path("", case.case_detail, name="case_detail"),
    path("familie/", case.case_family, name="case_family"),
    path("familie/inviter/", case_invitations.family_invite, name="family_invite"),
    path(
        "familie/samtykke/",
        case_portal_rights.portal_consent_record,
        name="portal_consent_record",
    ),
    path(
        "familie/samtykke/<int:consent_id>/tilbagekald/",
        case_portal_rights.portal_consent_revoke,
        name="portal_consent_revoke",
    ),
    path("familie/adgang/", case_portal_rights.portal_grant, name="portal_grant"),
    path(
        "familie/adgang/<int:grant_id>/ophaev/",
        case_portal_rights.portal_grant_revoke,
        name="portal_grant_revoke",
    ),
    path("underretninger/", case.case_notifications, name="case_notifications"),
    path("undersoegelse/", case.case_assessment, name="case_assessment"),
    path("indsatser/", case.case_measures, name="case_measures"),
    path("journal/", case_journal.case_journal, name="case_journal"),
    path("adgangslog/", case_access_log.case_access_log, name="case_access_log"),
    path("adgangslog/eksport/", case_access_log.access_log_export, name="access_log_export"),
    path("adgangslog/deling/", case_shares.case_share_grant, name="case_share_grant"),
    path(
        "adgangslog/deling/<int:share_id>/ophaev/",
        case_shares.case_share_revoke,
        name="case_share_revoke",
    ),
    path("cpr/", case.case_cpr, name="case_cpr"),
    # Notifications
    path(
        "underretninger/<int:notification_id>/akut-vurdering/",
        case_actions.notification_acute,
        name="notification_acute",
    ),
    path(
        "underretninger/<int:notification_id>/kvittering/",
        case_actions.notification_receipt,
        name="notification_receipt",
    ),
    # Assessment
    path("undersoegelse/start/", case_actions.assessment_start, name="assessment_start"),
    path(
        "undersoegelse/<int:assessment_id>/afslut/",
        case_actions.assessment_finish,
        name="assessment_finish",
    ),
    path(
        "undersoegelse/<int:assessment_id>/foreloebig-vurdering/",
        case_actions.assessment_preliminary,
        name="assessment_preliminary",
    ),
    # Measures
    # Journal
    path(
        "journal/<int:note_id>/ret/",
        case_journal.journal_note_correct,
        name="journal_note_correct",
    ),
    # Decisions
    path("afgoerelser/", case_decisions.case_decisions, name="case_decisions"),
    path("afgoerelser/ny/", case_decisions.decision_create, name="decision_create"),
    path(
        "afgoerelser/<int:decision_id>/",
        case_decisions.decision_detail,
        name="decision_detail",
    ),
    path(
        "afgoerelser/<int:decision_id>/rediger/",
        case_decisions.decision_edit,
        name="decision_edit",
    ),
    path(
        "afgoerelser/<int:decision_id>/hoering/",
        case_decisions.hearing_send,
        name="hearing_send",
    ),
    path(
        "afgoerelser/<int:decision_id>/hoering/<int:hearing_id>/svar/",
        case_decisions.hearing_answer_record,
        name="hearing_answer_record",
    ),
    path(
        "afgoerelser/<int:decision_id>/traef/",
        case_decisions.decision_make,
        name="decision_make",
    ),
    path(
        "afgoerelser/<int:decision_id>/klage/",
        case_decisions.complaint_register,
        name="complaint_register",
    ),
    path(
        "afgoerelser/<int:decision_id>/klage/<int:complaint_id>/genvurdering/",
        case_decisions.complaint_reconsider,
        name="complaint_reconsider",
    ),
    path(
        "afgoerelser/<int:decision_id>/klage/<int:complaint_id>/ankestyrelsen/",
        case_decisions.complaint_ankestyrelsen_result,
        name="complaint_ankestyrelsen_result",
    ),
    # Closing, reopening, deadlines
    path("luk/", case_actions.case_close, name="case_close"),
    path("genaabn/", case_actions.case_reopen, name="case_reopen"),
    path(
        "frister/<int:deadline_id>/anden-haandtering/",
        case_actions.deadline_handle_otherwise,
        name="deadline_handle_otherwise",
    ),
]
