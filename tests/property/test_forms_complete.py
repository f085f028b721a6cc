"""Every URL of the app is either fuzzed by a test in this directory or known not to take
form input, so a new POST form cannot slip past tests/property unnoticed."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.cases import test_case_access as case_access
from tests.file_access import test_file_access_pages as file_access_pages
from tests.followups import test_followup_access as followup_access
from tests.followups import test_overview_access as overview_access
from tests.followups import test_session_access as session_access
from tests.letters import test_letters_access as letters_access
from tests.network import test_network_access as network_access
from tests.plans import test_plan_access as plan_access
from tests.portal import test_letters_access as family_letters_access
from tests.property import test_api_writes

FUZZED = {
    *(f"cases:{n}" for n in case_access.POSTABLE),
    *(f"letters:{n}" for n in letters_access.POSTABLE),
    *(f"file_access:{n}" for n in file_access_pages.ACT),
    "cases:notification_register",
    "cases:citizen_lookup",
    "cases:search",
    *(f"plans:{n}" for n in plan_access.POSTABLE),
    *(f"network:{n}" for n in network_access.WORK),
    "followups:followup_complete",
    *(f"followups:{n}" for n in session_access.POSTABLE),
    *(f"followups:{n}" for n in overview_access.POST_ONLY | overview_access.AUTHORITY),
    "family:letter_comment",
    "family:letter_approve",
    "family:invitation",
    "profile",
    *(
        f"api:{n}"
        for n in [
            "case_notifications",
            "plan_goals",
            "plan_rating_rounds",
            "case_followup_complete",
            "case_sessions",
            "citizen_search",
        ]
    ),
}

# Pages the persona matrices show answer a POST with 405 (read pages, exports, pictures).
READ_ONLY = {
    *(f"cases:{n}" for n in set(case_access.NAMES) - case_access.POSTABLE),
    *(f"letters:{n}" for n in set(letters_access.NAMES) - letters_access.POSTABLE),
    *(f"family:{n}" for n in family_letters_access.LETTER_PAGES - {"letter_approve"}),
    *(f"plans:{n}" for n in set(plan_access.NAMES) - plan_access.POSTABLE),
    *(f"network:{n}" for n in set(network_access.NAMES) - network_access.WORK),
    *(f"followups:{n}" for n in followup_access.READ_PAGES),
    *(f"followups:{n}" for n in session_access.READ_PAGES),
    *(f"followups:{n}" for n in overview_access.STAFF_PAGES | overview_access.LEAD_PAGES),
    "cases:my_cases",
    "followups:therapist_home",
    "family:home",
    "family:plan",
    "family:network",
    # The print queue and the outbox (a status filter on the outbox: tests/letters).
    "post:print_queue",
    "post:outbox_list",
    "family:decision_pdf",
    # The e-mailed link only lands (GET) and moves its token into the session.
    "family:invitation_accept",
    # Password reset: the pages after the form (its form and the new password's are ELSEWHERE).
    "password_reset_done",
    "password_reset_complete",
    "home",
    "healthz",
    "api:schema",
    "api:docs",
    "api:case_list",
    *(f"file_access:{n}" for n in file_access_pages.READ),
    # Read-only since measures follow decisions (tests/api: a POST is 405).
    "api:case_measures",
    # Decisions, hearings and complaints: read-only (tests/api/test_decisions.py).
    "api:decision_list",
    "api:case_decisions",
    "api:case_decision_detail",
    "api:case_hearings",
    "api:case_complaints",
    "api:case_detail",
    "api:case_assessments",
    "api:case_plan",
    "api:case_followups",
    "api:case_network_members",
    "api:case_network_meetings",
    "api:case_letters",
    "api:case_letter_pdf",
    "api:reminders",
    "api:citizen_list",
    "api:citizen_detail",
}

# Forms that are not the app's own services, with where they are tested instead.
ELSEWHERE = {
    "login": "Django's LoginView with lock-out (tests/accounts)",
    "logout": "Django's LogoutView: no input",
    "set_language": "Django's set_language: an unknown language is ignored",
    "two_factor_verify": "the second login step (tests/accounts)",
    "two_factor_setup": "the second login step (tests/accounts)",
    "recovery_codes_renew": "a button without fields (tests/accounts)",
    "post:print_mark": "a button without fields (tests/letters/test_digital_post.py)",
    "oidc_staff_login": "single sign-on: a redirect to the provider (tests/accounts/test_oidc.py)",
    "oidc_staff_callback": "single sign-on: the provider's answer (tests/accounts/test_oidc.py)",
    "oidc_citizen_login": "MitID: a redirect to the provider (tests/accounts/test_oidc.py)",
    "oidc_citizen_callback": "MitID: the provider's answer (tests/accounts/test_oidc.py)",
    "password_reset": "Django's PasswordResetView (tests/accounts/test_password_reset.py)",
    "password_reset_confirm": "Django's PasswordResetConfirmView (tests/accounts)",
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver(), "")
    return {name for name in names if not name.startswith("admin:")}  # Django's admin


def test_every_url_is_fuzzed_or_takes_no_form_input():
    unclassified = url_names() - FUZZED - READ_ONLY - set(ELSEWHERE)
    assert not unclassified, (
        f"fuzz these POST forms in tests/property (or classify them there): {unclassified}"
    )
    assert not FUZZED & READ_ONLY


def test_every_api_endpoint_fuzzed_is_in_the_api_test():
    assert len(test_api_writes.ENDPOINTS) == len({n for n in FUZZED if n.startswith("api:")})
