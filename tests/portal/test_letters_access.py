"""The persona matrix for the family portal's letter pages (generated from portal/urls.py)
and for the staff's invitation action (``cases:family_invite``).

Every letter pattern is requested by every persona with real ids: the family's own reviewer
gets 200, another family and every staff member a logged 404, anonymous the login page. A new
pattern fails ``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import pytest
from django.urls import URLPattern, reverse

from access.models import AccessLogEntry
from cases.models import FamilyInvitation, Measure
from demo import factories as f
from letters.models import ClosingLetter
from portal import urls as urls_family

# Patterns of the portal that are not the letter pages (they have their own tests; the decision
# letter's in tests/letters/test_decision_letter.py and tests/portal/test_family_rights.py).
OTHER_PAGES = {"home", "plan", "network", "invitation", "invitation_accept", "decision_pdf"}
LETTER_PAGES = {"letter_detail", "letter_approve", "letter_preview_pdf", "letter_pdf"}
LETTER_POSTS = {"letter_comment"}
# The stored PDF exists only for a sent letter; the rest are addressed on a letter in review.
ON_SENT_LETTER = {"letter_pdf"}

EXPECTED = {
    "owner": 404,
    "colleague": 404,
    "team_lead": 404,
    "therapist": 404,
    "other_therapist": 404,
    "family_user": 200,
    "other_family_user": 404,
}

PATTERNS: list[URLPattern] = [
    p for p in urls_family.urlpatterns if isinstance(p, URLPattern) and p.name not in OTHER_PAGES
]
NAMES = [p.name for p in PATTERNS]


@pytest.fixture(autouse=True)
def _no_rendering(monkeypatch):
    from portal.views import letters as family_letters

    monkeypatch.setattr(family_letters, "render_letter_preview", lambda v: b"%PDF-preview")
    return f.fake_rendering_task(monkeypatch)


@pytest.fixture
def letters(case, org, personas, settings, tmp_path):
    """A letter in review (family_user is the reviewer) and a sent one, on two measures."""
    from letters import services as services_letters

    settings.MEDIA_ROOT = tmp_path
    in_review = f.letter_in_review(
        Measure.objects.get(case=case), personas.therapist, personas.family_user
    )
    measure = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(measure, personas.therapist)
    sent = f.letter_in_review(measure, personas.therapist, personas.family_user)
    services_letters.letter_approve(letter=sent, user=personas.family_user)
    sent.refresh_from_db()
    services_letters.letter_deliver(rendering=f.rendering_done(sent.approved_version.rendering))
    return {"review": in_review, "sent": sent}


def url_for(name: str, letters: dict[str, ClosingLetter]) -> str:
    letter = letters["sent" if name in ON_SENT_LETTER else "review"]
    return reverse(f"family:{name}", args=[letter.case_id, letter.pk])


def test_every_pattern_is_classified():
    classified = LETTER_PAGES | LETTER_POSTS
    assert set(NAMES) == classified, f"classify new family URLs here: {set(NAMES) ^ classified}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_letter_through_the_family_helper(pattern):
    assert hasattr(pattern.callback, "family_letter_access"), pattern.name


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("name", sorted(LETTER_PAGES))
def test_get_matrix(name, persona, letters, personas, login):
    user = getattr(personas, persona)
    url = url_for(name, letters)
    response = login(user).get(url)
    expected = EXPECTED[persona]
    assert response.status_code == expected, f"{persona} GET {name}"
    case = letters["review"].case
    log = AccessLogEntry.objects.filter(case=case, user=user)
    if expected == 200:
        assert log.filter(action="view", target=url).exists()
        assert not log.filter(action="denied").exists()
    else:
        assert log.filter(action="denied", target=url).exists()
        assert "Vi har fået ro på morgenerne" not in response.content.decode()


@pytest.mark.parametrize("persona", [p for p, code in EXPECTED.items() if code == 404])
def test_post_comment_by_outsider_is_404_and_changes_nothing(persona, letters, personas, login):
    user = getattr(personas, persona)
    url = url_for("letter_comment", letters)
    response = login(user).post(url, {"section": "", "kommentar-hele-text": "Udefra"})
    assert response.status_code == 404
    from letters.models import ClosingLetterComment

    assert not ClosingLetterComment.objects.exists()
    # Control: the reviewer's own POST works.
    response = login(personas.family_user).post(
        url, {"section": "", "kommentar-hele-text": "Indefra"}
    )
    assert response.status_code == 302
    assert ClosingLetterComment.objects.count() == 1


@pytest.mark.parametrize("persona", [p for p, code in EXPECTED.items() if code == 404])
def test_post_approve_by_outsider_is_404_and_changes_nothing(persona, letters, personas, login):
    url = url_for("letter_approve", letters)
    response = login(getattr(personas, persona)).post(url, {"confirm": "on"})
    assert response.status_code == 404
    letters["review"].refresh_from_db()
    assert letters["review"].status == ClosingLetter.Status.IN_REVIEW


@pytest.mark.parametrize("name", sorted(LETTER_PAGES | LETTER_POSTS))
def test_anonymous_is_sent_to_login(name, letters, client):
    response = client.get(url_for(name, letters))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_letter_id_of_another_case_is_404(letters, org, personas, login):
    other_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    url = reverse("family:letter_detail", args=[other_case.pk, letters["review"].pk])
    assert login(personas.family_user).get(url).status_code == 404


def test_letters_of_a_case_at_the_notification_stage_are_never_shown(letters, personas, login):
    case = letters["review"].case
    case.status = "notification"
    case.save(update_fields=["status"])
    for name in sorted(LETTER_PAGES):
        assert login(personas.family_user).get(url_for(name, letters)).status_code == 404, name
    page = login(personas.family_user).get(reverse("family:home")).content.decode()
    assert "statusskrivelse" not in page.lower()


# --- cases:family_invite ---------------------------------------------------------------------

INVITE_EXPECTED = {
    "owner": 200,
    "colleague": 404,
    "team_lead": 200,
    "therapist": 200,
    "other_therapist": 404,
    "family_user": 404,
    "other_family_user": 404,
}


@pytest.mark.parametrize("persona", list(INVITE_EXPECTED))
def test_invite_matrix(persona, case, personas, login):
    user = getattr(personas, persona)
    url = reverse("cases:family_invite", args=[case.pk])
    assert login(user).get(url).status_code == INVITE_EXPECTED[persona]
    from cases.models import FamilyMember, FamilyRelation

    parent = FamilyMember.objects.get(user=personas.family_user)
    member = FamilyMember.objects.create(family=parent.family, first_name="Ny", last_name="Voksen")
    FamilyRelation.objects.create(
        member=member,
        child=FamilyMember.objects.get(citizen=case.citizen),
        kind=FamilyRelation.Kind.PARENT_CUSTODY,
    )
    data = {"member": member.pk, f"invitation-{member.pk}-email": "ny@example.dk"}
    response = login(user).post(url, data)
    assert response.status_code == INVITE_EXPECTED[persona]
    assert FamilyInvitation.objects.exists() == (INVITE_EXPECTED[persona] == 200)
    if INVITE_EXPECTED[persona] == 404:
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="denied", target=url
        ).exists()


def test_a_colleague_with_a_share_sees_the_case_but_may_not_invite(case, org, personas, login):
    import datetime as dt

    from django.utils import timezone

    from access import rules as permissions

    cover = f.UserFactory(username="cover", role="caseworker")
    f.add_member(org.team_b, cover)
    permissions.case_share_grant(
        case=case,
        user=cover,
        valid_until=timezone.localdate() + dt.timedelta(days=7),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    url = reverse("cases:family_invite", args=[case.pk])
    response = login(cover).post(url, {"member": "1"})
    assert response.status_code == 403
    assert not FamilyInvitation.objects.exists()


def test_invite_anonymous_is_sent_to_login(case, client):
    response = client.get(reverse("cases:family_invite", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inviting_a_member_of_another_family_is_404(case, personas, login):
    from cases.models import FamilyMember

    other = FamilyMember.objects.get(user=personas.other_family_user)
    url = reverse("cases:family_invite", args=[case.pk])
    response = login(personas.owner).post(
        url, {"member": other.pk, f"invitation-{other.pk}-email": "x@example.dk"}
    )
    assert response.status_code == 404
    assert not FamilyInvitation.objects.exists()
