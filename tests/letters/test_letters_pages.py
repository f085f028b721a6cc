"""The staff pages of a closing letter: the Indsatser tab, writing, sending for review,
revising, sending without approval, the detail page with its rendering state, the PDF and the
comparison. Forms keep what was typed on errors; the detail page's queries do not grow with
the letter's versions and comments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyMember, Measure
from demo import factories as f
from letters import services as letters
from letters.models import ClosingLetter, LetterRendering


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def rendered(monkeypatch):
    return f.fake_rendering_task(monkeypatch)


@pytest.fixture
def measure(case) -> Measure:
    return Measure.objects.get(case=case)


def url(name: str, letter: ClosingLetter) -> str:
    return reverse(f"letters:{name}", args=[letter.case_id, letter.pk])


# --- the Indsatser tab -----------------------------------------------------------------------


def test_measures_tab_offers_the_assigned_therapist_to_write(case, measure, personas, login):
    tab = reverse("cases:case_measures", args=[case.pk])
    start = reverse("letters:closing_letter_start", args=[case.pk, measure.pk])
    assert start in login(personas.therapist).get(tab).content.decode()
    page = login(personas.owner).get(tab).content.decode()
    assert start not in page
    assert "Ikke skrevet endnu." in page


def test_start_prefills_and_opens_the_editor(case, measure, personas, login):
    client = login(personas.therapist)
    response = client.post(reverse("letters:closing_letter_start", args=[case.pk, measure.pk]))
    letter = ClosingLetter.objects.get(measure=measure)
    assert response.status_code == 302
    assert response["Location"] == url("closing_letter_edit", letter)
    page = client.get(response["Location"]).content.decode()
    assert measure.purpose in page  # the course section is prefilled
    # The draft is saved on the server as the therapist types (htmx), as the session form does.
    assert url("closing_letter_autosave", letter) in page and 'hx-trigger="input delay' in page
    assert "Samarbejdet med familien" in page  # the section labels
    tab = client.get(reverse("cases:case_measures", args=[case.pk])).content.decode()
    assert url("closing_letter_detail", letter) in tab and "Kladde" in tab


# --- writing ---------------------------------------------------------------------------------


def test_edit_saves_the_draft(measure, personas, login):
    letter = letters.letter_start(measure=measure, user=personas.therapist)
    data = {**f.LETTER_TEXTS, "change_note": "Første udkast"}
    response = login(personas.therapist).post(url("closing_letter_edit", letter), data)
    assert response.status_code == 302 and response["Location"] == url(
        "closing_letter_detail", letter
    )
    version = letters.letter_latest_version(letter)
    assert version.sections == f.LETTER_TEXTS and version.change_note == "Første udkast"


def test_save_and_choose_readers_goes_to_the_review_page(measure, personas, login):
    letter = letters.letter_start(measure=measure, user=personas.therapist)
    data = {**f.LETTER_TEXTS, "review": "1"}
    response = login(personas.therapist).post(url("closing_letter_edit", letter), data)
    assert response["Location"] == url("closing_letter_review", letter)


def test_edit_errors_keep_the_input(measure, personas, login):
    letter = letters.letter_start(measure=measure, user=personas.therapist)
    before = letters.letter_latest_version(letter).sections
    data = {
        **f.LETTER_TEXTS,
        "themes": "x" * (letters.SECTION_MAX + 1),
        "collaboration": "Nyt om samarbejdet",
    }
    response = login(personas.therapist).post(url("closing_letter_edit", letter), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Afsnittet må højst være 20000 tegn." in page
    assert "Nyt om samarbejdet" in page  # what was typed is kept
    assert 'aria-invalid="true"' in page
    assert letters.letter_latest_version(letter).sections == before


def test_edit_of_a_letter_in_review_explains_and_changes_nothing(measure, personas, login):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    client = login(personas.therapist)
    page = client.get(url("closing_letter_edit", letter)).content.decode()
    assert "lav en ny version" in page and "<textarea" not in page
    response = client.post(url("closing_letter_edit", letter), {"course": "Nej"})
    assert response.status_code == 302
    assert letters.letter_latest_version(letter).sections == f.LETTER_TEXTS


# --- sending for review ----------------------------------------------------------------------


def test_review_page_lists_the_candidates_and_explains_the_child_rule(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    page = login(personas.therapist).get(url("closing_letter_review", letter)).content.decode()
    assert "har adgang til familieportalen" in page
    assert "fyldt 10 år" in page
    due = timezone.localdate() + dt.timedelta(days=14)
    assert f'value="{due.isoformat()}"' in page
    assert f.LETTER_TEXTS["handover"] in page  # the preview


def test_review_errors_keep_the_input(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    parent = FamilyMember.objects.get(user=personas.family_user)
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = login(personas.therapist).post(
        url("closing_letter_review", letter), {"reviewers": [parent.pk], "review_due_on": due}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bekræft at brevet kan sendes til familien." in page
    assert f'value="{due}"' in page
    assert f'value="{parent.pk}"' in page and "checked" in page
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.DRAFT


def test_review_refusal_from_the_service_lands_on_the_field(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    parent = FamilyMember.objects.get(user=personas.family_user)
    response = login(personas.therapist).post(
        url("closing_letter_review", letter),
        {
            "reviewers": [parent.pk],
            "review_due_on": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "Svarfristen kan højst være 90 dage." in response.content.decode()


def test_review_sends_the_letter(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    parent = FamilyMember.objects.get(user=personas.family_user)
    response = login(personas.therapist).post(
        url("closing_letter_review", letter),
        {
            "reviewers": [parent.pk],
            "review_due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW


# --- revising, sending without approval ------------------------------------------------------


def test_revise_starts_a_new_version(measure, personas, login):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    response = login(personas.therapist).post(url("closing_letter_revise", letter))
    assert response["Location"] == url("closing_letter_edit", letter)
    assert letters.letter_latest_version(letter).number == 2


def test_send_without_approval_needs_reason_and_confirmation(measure, personas, login, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    client = login(personas.owner)
    response = client.post(url("closing_letter_send_without_approval", letter), {"reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv hvorfor brevet sendes uden godkendelse." in page
    assert "Bekræft at brevet skal sendes uden godkendelse." in page
    response = client.post(
        url("closing_letter_send_without_approval", letter), {"reason": "Intet svar"}
    )
    assert "Intet svar" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW

    response = client.post(
        url("closing_letter_send_without_approval", letter),
        {"reason": "Intet svar", "confirm": "on"},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.APPROVED
    page = client.get(url("closing_letter_detail", letter)).content.decode()
    assert "Sendt uden godkendelse" in page and "Intet svar" in page


# --- the detail page -------------------------------------------------------------------------


def test_detail_shows_comments_with_times_and_the_approval(measure, personas, login, rendered):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    letters.letter_comment(
        letter=letter, user=personas.family_user, section="course", text="Vi mødtes i huset."
    )
    letters.letter_approve(letter=letter, user=personas.family_user)
    page = login(personas.owner).get(url("closing_letter_detail", letter)).content.decode()
    assert "Vi mødtes i huset." in page
    assert f"{timezone.localtime():%d.%m.%Y}" in page
    assert "Godkendt" in page
    assert "Hvad sker der nu?" in page


@pytest.mark.parametrize(
    ("status", "polls", "text"),
    [
        ("queued", True, "I kø"),
        ("rendering", True, "Dannes"),
        ("failed", False, "WeasyPrint gik i stå"),
        ("done", False, "SHA-256"),
    ],
)
def test_rendering_state_and_polling(measure, personas, login, rendered, status, polls, text):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    rendering = letters.letter_approve(letter=letter, user=personas.family_user)
    if status == "done":
        f.rendering_done(rendering)
    else:
        LetterRendering.objects.filter(pk=rendering.pk).update(
            status=status, error="WeasyPrint gik i stå" if status == "failed" else ""
        )
    client = login(personas.therapist)
    page = client.get(url("closing_letter_detail", letter)).content.decode()
    fragment = client.get(
        url("closing_letter_rendering", letter), headers={"HX-Request": "true"}
    ).content.decode()
    for html in (page, fragment):
        assert text in html
        assert ('hx-trigger="every 3s"' in html) is polls
    assert "<html" not in fragment
    pdf = client.get(url("closing_letter_pdf", letter))
    if status == "done":
        assert pdf.status_code == 200
        assert pdf["Content-Disposition"].startswith("attachment;")
        rendering.refresh_from_db()
        assert rendering.sha256 in page
    else:
        assert pdf.status_code == 404


def test_pdf_of_a_draft_is_404(measure, personas, login):
    letter = f.letter_draft(measure, personas.therapist)
    assert login(personas.owner).get(url("closing_letter_pdf", letter)).status_code == 404


def _grow(letter: ClosingLetter, personas, rounds: int) -> None:
    for _round in range(rounds):
        letters.letter_revise(letter=letter, user=personas.therapist)
        letters.letter_update_draft(
            letter=letter,
            user=personas.therapist,
            sections={**f.LETTER_TEXTS, "course": f"Runde {_round}"},
        )
        letters.letter_send_for_review(
            letter=letter,
            user=personas.therapist,
            reviewers=[FamilyMember.objects.get(user=personas.family_user)],
            review_due_on=timezone.localdate() + dt.timedelta(days=14),
        )
        for section in ("course", "goals", ""):
            letters.letter_comment(
                letter=letter, user=personas.family_user, section=section, text="Kommentar"
            )


def test_detail_queries_do_not_grow_with_versions_and_comments(case, measure, org, personas, login):
    small = f.letter_in_review(measure, personas.therapist, personas.family_user)
    other = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(other, personas.therapist)
    large = f.letter_in_review(other, personas.therapist, personas.family_user)
    _grow(large, personas, 4)
    client = login(personas.therapist)
    client.get(url("closing_letter_detail", small))  # warm up sessions and caches

    counts = []
    for letter in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("closing_letter_detail", letter))
        assert response.status_code == 200
        counts.append(len(queries))
    assert large.versions.count() == 5
    assert "Runde 3" in response.content.decode()
    assert counts[0] == counts[1], counts


# --- comparing -------------------------------------------------------------------------------


def test_compare_marks_changes_with_text(measure, personas, login):
    letter = f.letter_in_review(measure, personas.therapist, personas.family_user)
    letters.letter_revise(letter=letter, user=personas.therapist)
    letters.letter_update_draft(
        letter=letter,
        user=personas.therapist,
        sections={**f.LETTER_TEXTS, "handover": "Farmor tager over."},
    )
    client = login(personas.owner)
    page = client.get(url("closing_letter_compare", letter) + "?fra=1&til=2").content.decode()
    assert "Fjernet:" in page and f.LETTER_TEXTS["handover"] in page
    assert "Tilføjet:" in page and "Farmor tager over." in page
    assert "<del>" in page and "<ins>" in page
    # The default is the last two versions; a version that does not exist asks again.
    assert (
        "Farmor tager over." in client.get(url("closing_letter_compare", letter)).content.decode()
    )
    page = client.get(url("closing_letter_compare", letter) + "?fra=1&til=9").content.decode()
    assert "Vælg to versioner at sammenligne." in page
    # "²" is a digit to str.isdigit(), but not to int(): asked again, not a 500.
    page = client.get(url("closing_letter_compare", letter) + "?fra=²&til=2").content.decode()
    assert "Vælg to versioner at sammenligne." in page
