"""The closing status letter in the family portal: the home page's lists, reading, comments
and approval by the chosen reviewers only, what a sent letter says about its approval, and the
logged PDF download."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import FamilyMember, FamilyRelation, Measure
from demo import factories as f
from letters import services as letters
from letters.models import ClosingLetter, ClosingLetterComment


@pytest.fixture(autouse=True)
def _no_rendering(monkeypatch):
    return f.fake_rendering_task(monkeypatch)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def measure(case):
    return Measure.objects.get(case=case)


@pytest.fixture
def letter(measure, personas):
    return f.letter_in_review(measure, personas.therapist, personas.family_user)


@pytest.fixture
def second_parent(case):
    """The other custody holder of the child, with a portal login, not chosen as reviewer."""
    member = FamilyMember.objects.filter(user__username="parent").get()
    user = f.UserFactory(username="parent-b", role=Role.FAMILY)
    far = FamilyMember.objects.create(family=member.family, first_name="Far", user=user)
    child = FamilyMember.objects.get(family=member.family, citizen=case.citizen)
    FamilyRelation.objects.create(member=far, child=child, kind=FamilyRelation.Kind.PARENT_CUSTODY)
    return user


def detail(letter):
    return reverse("family:letter_detail", args=[letter.case_id, letter.pk])


def sent(letter, user, media, *, reason=""):
    if reason:
        letters.letter_send_without_approval(letter=letter, user=user, reason=reason)
    else:
        letters.letter_approve(letter=letter, user=user)
    letter.refresh_from_db()
    rendering = f.rendering_done(letter.approved_version.rendering)
    letters.letter_deliver(rendering=rendering)
    letter.refresh_from_db()
    return letter


# --- the home page ---------------------------------------------------------------------------


def test_home_lists_letters_to_review_with_deadline_and_links(letter, personas, login):
    page = login(personas.family_user).get(reverse("family:home")).content.decode()
    assert "Breve til gennemsyn" in page
    assert f"{letter.review_due_on:%d.%m.%Y}" in page
    assert detail(letter) in page
    assert reverse("family:letter_preview_pdf", args=[letter.case_id, letter.pk]) in page
    assert "Modtagne breve" not in page


def test_home_does_not_list_a_letter_in_review_to_a_family_member_not_chosen(
    letter, second_parent, login
):
    page = login(second_parent).get(reverse("family:home")).content.decode()
    assert "Breve til gennemsyn" not in page
    assert detail(letter) not in page


def test_home_lists_sent_letters_with_their_pdf(letter, personas, second_parent, login, media):
    sent(letter, personas.family_user, media)
    for user in (personas.family_user, second_parent):
        page = login(user).get(reverse("family:home")).content.decode()
        assert "Modtagne breve" in page
        assert detail(letter) in page
        assert reverse("family:letter_pdf", args=[letter.case_id, letter.pk]) in page
        assert "Breve til gennemsyn" not in page


def test_home_shows_nothing_of_another_family(letter, personas, login):
    page = login(personas.other_family_user).get(reverse("family:home")).content.decode()
    assert detail(letter) not in page


def _letters_for_more_children(org, personas, n):
    parent_member = FamilyMember.objects.get(user=personas.family_user)
    for _i in range(n):
        child = f.CitizenFactory()
        other = f.CaseFactory(
            owner=personas.owner, team=org.team_a, status="measure", citizen=child
        )
        member = FamilyMember.objects.create(
            family=parent_member.family, citizen=child, is_child=True
        )
        FamilyRelation.objects.create(
            member=parent_member, child=member, kind=FamilyRelation.Kind.PARENT_CUSTODY
        )
        for _j in range(2):
            m = f.MeasureFactory(case=other, provider_team=org.family_house)
            f.assign(m, personas.therapist)
            f.letter_in_review(m, personas.therapist, personas.family_user)


def test_the_home_page_query_count_does_not_grow_with_letters(
    letter, org, personas, login, django_assert_max_num_queries
):
    client = login(personas.family_user)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("family:home"))
    _letters_for_more_children(org, personas, 3)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("family:home")).content.decode()
    assert page.count("Afsluttende statusskrivelse:") == 7
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


# --- reading, commenting, approving --------------------------------------------------------


def test_reviewer_reads_the_letter_in_sections(letter, personas, login):
    page = login(personas.family_user).get(detail(letter)).content.decode()
    assert "Forløbet" in page and "Samarbejdet med familien" in page
    assert "Vi har fået ro på morgenerne" in page
    assert "Godkend brevet" in page
    assert reverse("family:letter_preview_pdf", args=[letter.case_id, letter.pk]) in page
    assert letter.case.citizen.cpr not in page
    assert letter.case.number not in page


def test_reviewer_comments_on_a_section(letter, personas, login):
    url = reverse("family:letter_comment", args=[letter.case_id, letter.pk])
    response = login(personas.family_user).post(
        url, {"section": "goals", "kommentar-goals-text": "Lektierne går fint nu."}
    )
    assert response.status_code == 302
    comment = ClosingLetterComment.objects.get()
    assert (comment.section, comment.text, comment.author) == (
        "goals",
        "Lektierne går fint nu.",
        personas.family_user,
    )
    page = login(personas.family_user).get(detail(letter)).content.decode()
    assert "Lektierne går fint nu." in page


def test_an_empty_comment_is_refused_on_the_form(letter, personas, login):
    url = reverse("family:letter_comment", args=[letter.case_id, letter.pk])
    response = login(personas.family_user).post(url, {"section": "", "kommentar-hele-text": " "})
    assert response.status_code == 200
    assert "Skriv din kommentar." in response.content.decode()
    assert not ClosingLetterComment.objects.exists()


def test_approve_needs_the_confirmation_and_then_approves(
    letter, personas, login, _no_rendering, django_capture_on_commit_callbacks
):
    client = login(personas.family_user)
    url = reverse("family:letter_approve", args=[letter.case_id, letter.pk])
    assert "kan ikke fortryde" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.APPROVED
    assert letter.approved_by == personas.family_user
    assert len(_no_rendering) == 1


def test_the_family_is_told_the_letter_does_not_end_the_support(letter, personas, login):
    """Approving or sending the letter ends nothing (the measure ends by the caseworker's
    decision, which the family gets on its own), and the pages say so."""
    client = login(personas.family_user)
    approve = reverse("family:letter_approve", args=[letter.case_id, letter.pk])
    for url in (detail(letter), approve):
        page = client.get(url).content.decode()
        assert "Støtten stopper først, når kommunen har truffet afgørelse om det." in page, url
        assert "støtten afsluttes" not in page, url
    letter.measure.refresh_from_db()
    assert letter.measure.ended_on is None


def test_other_family_member_cannot_read_comment_or_approve_a_letter_in_review(
    letter, second_parent, login
):
    client = login(second_parent)
    assert client.get(detail(letter)).status_code == 404
    comment = reverse("family:letter_comment", args=[letter.case_id, letter.pk])
    approve = reverse("family:letter_approve", args=[letter.case_id, letter.pk])
    assert client.post(comment, {"section": "", "kommentar-hele-text": "Hej"}).status_code == 404
    assert client.post(approve, {"confirm": "on"}).status_code == 404
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    assert not ClosingLetterComment.objects.exists()
    assert AccessLogEntry.objects.filter(user=second_parent, action="denied", target=approve)


def test_after_a_revision_the_reviewer_sees_what_changed_and_earlier_comments(
    letter, personas, login
):
    letters.letter_comment(
        letter=letter, user=personas.family_user, section="themes", text="Skolen mangler."
    )
    letters.letter_revise(letter=letter, user=personas.therapist)
    texts = dict(f.LETTER_TEXTS)
    texts["themes"] = "- Struktur og rytme i hverdagen\n- Et godt samarbejde med skolen"
    letters.letter_update_draft(
        letter=letter, user=personas.therapist, sections=texts, change_note="Rettet efter jer"
    )
    # While the therapist revises, the reviewer still reads the version they had.
    page = login(personas.family_user).get(detail(letter)).content.decode()
    assert "Brevet bliver rettet" in page
    letters.letter_send_for_review(
        letter=letter,
        user=personas.therapist,
        reviewers=list(letter.reviewers.all()),
        review_due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    page = login(personas.family_user).get(detail(letter)).content.decode()
    assert "Det er ændret siden" in page
    assert "Tilføjet:" in page and "Et godt samarbejde med skolen" in page
    assert "Fjernet:" in page and "Samarbejde med skolen" in page
    assert "Rettet efter jer" in page
    assert "Dine tidligere kommentarer" in page and "Skolen mangler." in page


# --- sent letters ------------------------------------------------------------------------------


def test_a_sent_letter_says_who_approved_it_and_when(letter, personas, second_parent, login, media):
    sent(letter, personas.family_user, media)
    page = login(second_parent).get(detail(letter)).content.decode()
    assert "Brevet er sendt" in page
    assert "Godkendt af" in page
    assert f"{timezone.localtime(letter.approved_at):%d.%m.%Y}" in page
    assert reverse("family:letter_pdf", args=[letter.case_id, letter.pk]) in page
    assert "Godkend brevet" not in page


def test_a_letter_sent_without_approval_shows_the_reason(letter, personas, login, media):
    sent(letter, personas.therapist, media, reason="Ingen svar trods påmindelse.")
    page = login(personas.family_user).get(detail(letter)).content.decode()
    assert "Sendt uden jeres godkendelse" in page
    assert "Ingen svar trods påmindelse." in page
    assert "Godkendt af" not in page


def test_pdf_download_is_logged(letter, personas, second_parent, login, media):
    sent(letter, personas.family_user, media)
    url = reverse("family:letter_pdf", args=[letter.case_id, letter.pk])
    response = login(second_parent).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessLogEntry.objects.filter(
        user=second_parent,
        action="view",
        case=letter.case,
        target__contains="PDF hentet i familieportalen",
    ).exists()


def test_pdf_is_404_before_the_letter_is_sent(letter, personas, login):
    url = reverse("family:letter_pdf", args=[letter.case_id, letter.pk])
    assert login(personas.family_user).get(url).status_code == 404


def test_preview_pdf_is_made_on_the_fly_and_logged(letter, personas, login, monkeypatch):
    from portal.views import letters as family_letters

    monkeypatch.setattr(family_letters, "render_letter_preview", lambda v: b"%PDF-preview")
    url = reverse("family:letter_preview_pdf", args=[letter.case_id, letter.pk])
    response = login(personas.family_user).get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-preview"
    assert response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(
        user=personas.family_user, target__contains="udkast vist som PDF"
    ).exists()


def test_a_draft_never_sent_for_review_is_not_shown(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    assert login(personas.family_user).get(detail(letter)).status_code == 404
