"""The persona matrix for every staff page of a closing letter, generated from
letters/urls.py.

Every URL pattern is requested by every persona (families included: staff pages are 404 to
them), with its ids filled from real objects of the case. A new pattern is covered the moment
it is added, and it fails ``test_every_pattern_is_classified`` until someone decides who may
use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case, CaseStatus, FamilyMember, Measure
from demo import factories as f
from letters import services as letters
from letters import urls as urls_letters
from letters.models import ClosingLetter, ClosingLetterVersion

# --- classification: who may use which page ---------------------------------------------------

READ_PAGES = {
    "closing_letter_detail",
    "closing_letter_rendering",
    "closing_letter_pdf",
    "closing_letter_compare",
}
# The therapists assigned to the letter's measure.
WRITE = {
    "closing_letter_start",
    "closing_letter_edit",
    "closing_letter_autosave",
    "closing_letter_review",
    "closing_letter_revise",
}
# The measure's therapists, or the case's owner.
SEND = {"closing_letter_send_without_approval"}
# The decision letter: the authority's staff who may read the decision's page.
AUTHORITY_READ = {"decision_letter_pdf"}
CATEGORIES = (READ_PAGES, WRITE, SEND, AUTHORITY_READ)
ACCESS = {0: Need.READ, 1: Need.LETTER_WRITE, 2: Need.LETTER_SEND, 3: Need.AUTHORITY_FILE}
POSTABLE = WRITE | SEND
POST_ONLY = {"closing_letter_start", "closing_letter_revise", "closing_letter_autosave"}
# htmx fragments: an allowed POST answers 200 with the fragment, not a redirect.
FRAGMENTS = {"closing_letter_autosave"}

# persona -> (read page, write, send without approval, decision letter)
EXPECTED = {
    "owner": (200, 403, 200, 200),
    "colleague": (404, 404, 404, 404),
    "team_lead": (200, 403, 403, 200),
    "therapist": (200, 200, 200, 404),
    "other_therapist": (404, 404, 404, 404),
    "family_user": (404, 404, 404, 404),
    "other_family_user": (404, 404, 404, 404),
}
OUTSIDERS = ["colleague", "other_therapist", "family_user", "other_family_user"]

PATTERNS: list[URLPattern] = [p for p in urls_letters.urlpatterns if isinstance(p, URLPattern)]
NAMES = [p.name for p in PATTERNS]


def category(name: str) -> int:
    for index, names in enumerate(CATEGORIES):
        if name in names:
            return index
    raise AssertionError(f"URL {name!r} is not classified in tests/letters/test_letters_access.py")


# --- the objects a URL's kwargs point to ------------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def rendered(monkeypatch):
    return f.fake_rendering_task(monkeypatch)


@pytest.fixture
def objects(case, org, personas, rendered) -> dict[str, int]:
    """Real objects of ``case``: a written draft letter on its measure, a sent letter with its
    PDF on a second measure (for the download), a third measure without a letter, and a
    decision made with its letter's PDF."""
    draft = f.letter_draft(Measure.objects.get(case=case), personas.therapist)
    second = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(second, personas.therapist)
    sent = f.letter_in_review(second, personas.therapist, personas.family_user)
    f.rendering_done(letters.letter_approve(letter=sent, user=personas.family_user))
    third = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(third, personas.therapist)
    decision = f.decision_made(case, personas.owner)
    f.decision_letter_done(decision)
    return {
        "letter_id": draft.pk,
        "closing_letter_pdf:letter_id": sent.pk,
        "measure_id": third.pk,
        "decision_id": decision.pk,
    }


def url_for(pattern: URLPattern, case: Case, objects: dict[str, int]) -> str:
    kwargs: dict[str, object] = {"case_id": case.pk}
    for name in pattern.pattern.converters:  # type: ignore[attr-defined]
        key = f"{pattern.name}:{name}"
        assert key in objects or name in objects, f"no object for {name!r}: add it to objects"
        kwargs[name] = objects.get(key, objects.get(name))
    return reverse(f"letters:{pattern.name}", kwargs=kwargs)


# --- completeness -----------------------------------------------------------------------------


def test_every_pattern_is_classified():
    classified = READ_PAGES | WRITE | SEND | AUTHORITY_READ
    assert set(NAMES) == classified, (
        f"classify new letter URLs (read / write / send) here: {set(NAMES) ^ classified}"
    )
    assert len(NAMES) == len(set(NAMES))
    assert sum(len(names) for names in CATEGORIES) == len(classified), "classified twice"
    assert POST_ONLY <= POSTABLE


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_and_checks_the_right_it_is_classified_with(pattern):
    assert pattern.callback.case_need == ACCESS[category(pattern.name)], pattern.name


# --- GET: every persona, every pattern --------------------------------------------------------


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, objects, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, objects)
    response = login(user).get(url)

    if pattern.name in POST_ONLY:
        assert response.status_code == 405
        return
    expected = EXPECTED[persona][category(pattern.name)]
    assert response.status_code == expected, f"{persona} GET {pattern.name}"
    log = AccessLogEntry.objects.filter(case=case, user=user, target=url)
    if expected == 200:
        assert log.filter(action="view").exists()
        assert not log.filter(action="denied").exists()
    else:  # 403 and 404: the refused attempt is logged against the case
        assert log.filter(action="denied").exists()
    if expected == 403:
        assert "Du kan ikke udføre denne handling" in response.content.decode()
    if expected == 404:
        assert f.LETTER_TEXTS["handover"] not in response.content.decode()
    if pattern.name in ("closing_letter_pdf", "decision_letter_pdf") and expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="view", target__contains="PDF hentet"
        ).exists()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, objects, client):
    response = client.get(url_for(pattern, case, objects))
    if pattern.name in POST_ONLY:
        # require_http_methods runs inside login_required: anonymous is still sent to log in.
        assert response.status_code in (302, 405)
        response = client.post(url_for(pattern, case, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_case_is_404_and_logged(personas, login):
    missing = uuid.uuid4()
    url = reverse("letters:closing_letter_detail", args=[missing, 1])
    response = login(personas.owner).get(url)
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()


# --- POST: every persona, every form ----------------------------------------------------------


def post_data(case: Case) -> dict[str, object]:
    """One payload that is valid for every letter form."""
    parent = FamilyMember.objects.get(
        family__members__citizen=case.citizen, user__isnull=False, is_child=False
    )
    return {
        **{key: f"{text}\nRettet." for key, text in f.LETTER_TEXTS.items()},
        "change_note": "Rettet",
        "reviewers": [parent.pk],
        "review_due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "confirm": "on",
        "reason": "Familien har ikke svaret efter påmindelse.",
    }


# What must hold before an allowed POST can change something.
PRECONDITIONS = {
    "closing_letter_revise": "in_review",
    "closing_letter_send_without_approval": "in_review",
}


def prepare(name: str, case: Case, personas) -> None:
    if PRECONDITIONS.get(name) == "in_review":
        letter = ClosingLetter.objects.get(status="draft", case=case)
        letters.letter_send_for_review(
            letter=letter,
            user=personas.therapist,
            reviewers=[FamilyMember.objects.get(user=personas.family_user)],
            review_due_on=timezone.localdate() + dt.timedelta(days=14),
        )


def snapshot(case: Case) -> tuple:
    return (
        list(
            ClosingLetter.objects.filter(case=case)
            .order_by("pk")
            .values_list("pk", "status", "review_due_on", "sent_without_approval_reason")
        ),
        list(
            ClosingLetterVersion.objects.filter(letter__case=case)
            .order_by("pk")
            .values_list("pk", "number", "sections", "change_note", "sent_for_review_at")
        ),
        list(
            ClosingLetter.reviewers.through.objects.filter(closingletter__case=case).values_list(
                "closingletter_id", "familymember_id"
            )
        ),
    )


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("name", sorted(POSTABLE))
def test_post_matrix(name, persona, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, case, objects)
    prepare(name, case, personas)
    before = snapshot(case)
    user = getattr(personas, persona)

    response = login(user).post(url, post_data(case))

    expected = EXPECTED[persona][category(name)]
    if expected == 200:
        assert response.status_code == (200 if name in FRAGMENTS else 302), (
            response.content.decode()[:3000]
        )
        assert snapshot(case) != before, f"the payload did not work for {name}"
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="change", target=url
        ).exists()
    else:
        assert response.status_code == expected, f"{persona} POST {name}"
        assert snapshot(case) == before
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="denied", target=url
        ).exists()


@pytest.mark.parametrize("name", sorted(set(NAMES) - POSTABLE))
def test_post_to_read_only_page_is_refused(name, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    before = snapshot(case)
    response = login(personas.therapist).post(url_for(pattern, case, objects), post_data(case))
    assert response.status_code == 405
    assert snapshot(case) == before


# --- ids of another case ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(NAMES) - {"closing_letter_start"}))
def test_a_letter_of_another_case_is_404_and_logged(name, case, objects, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_measure = f.MeasureFactory(case=other, provider_team=org.family_house)
    f.assign(other_measure, personas.therapist)
    f.family_with_child(other.citizen, f.UserFactory(role="family"))
    other_letter = f.letter_draft(other_measure, personas.therapist)
    url = reverse(f"letters:{name}", args=[case.pk, other_letter.pk])
    before = snapshot(other)

    client = login(personas.therapist)
    response = client.post(url, post_data(case)) if name in POST_ONLY else client.get(url)

    assert response.status_code == 404
    assert snapshot(other) == before
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.therapist, action="denied", target=url
    ).exists()


def test_a_measure_of_another_case_is_404_and_logged(case, objects, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_measure = f.MeasureFactory(case=other, provider_team=org.family_house)
    f.assign(other_measure, personas.therapist)
    url = reverse("letters:closing_letter_start", args=[case.pk, other_measure.pk])
    response = login(personas.therapist).post(url)
    assert response.status_code == 404
    assert not ClosingLetter.objects.filter(measure=other_measure).exists()
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.therapist, action="denied", target=url
    ).exists()


def test_a_therapist_of_another_measure_of_the_case_reads_but_does_not_write(
    case, objects, org, personas, login
):
    """Assigned to the case (another measure) is enough to read, not to write this letter."""
    other_measure = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(other_measure, personas.other_therapist)
    client = login(personas.other_therapist)
    detail = reverse("letters:closing_letter_detail", args=[case.pk, objects["letter_id"]])
    assert client.get(detail).status_code == 200
    before = snapshot(case)
    edit = reverse("letters:closing_letter_edit", args=[case.pk, objects["letter_id"]])
    response = client.post(edit, post_data(case))
    assert response.status_code == 403
    assert snapshot(case) == before
