"""The persona matrix for every Aktindsigt page, generated from file_access/urls.py, and the
forms as the caseworker uses them.

Every URL pattern is requested by every persona (families included: staff pages are 404 to
them), with its ids filled from real objects of the case. A new pattern fails
``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case, JournalNote
from demo import factories as f
from file_access import services
from file_access import urls as urls_file_access
from file_access.models import FileAccessBundle, FileAccessRequest
from tests.file_access.conftest import bundle_done

# The authority's file: read by its staff who see the case; a provider gets a 404.
READ = {"case_file_access", "request_detail", "bundle_pdf"}
# The case's owner or team lead.
ACT = {"request_create", "notice_record", "exemption_add", "exemption_remove", "bundle_prepare"}
ACT |= {"hand_out"}
POST_ONLY = {"exemption_remove", "bundle_prepare"}
NEEDS = {**dict.fromkeys(READ, Need.AUTHORITY_FILE), **dict.fromkeys(ACT, Need.AUTHORITY)}

# persona -> (read, act)
EXPECTED = {
    "owner": (200, 200),
    "colleague": (404, 404),
    "team_lead": (200, 200),
    "therapist": (404, 403),
    "other_therapist": (404, 404),
    "family_user": (404, 404),
    "other_family_user": (404, 404),
}

PATTERNS: list[URLPattern] = [p for p in urls_file_access.urlpatterns if isinstance(p, URLPattern)]
NAMES = [p.name for p in PATTERNS]


@pytest.fixture
def objects(file_request, case, personas):
    note = JournalNote.objects.get(case=case)
    exemption = services.exemption_add(
        request=file_request,
        user=personas.owner,
        document=f"journal_note:{note.pk}",
        reason="Internt arbejdsdokument.",
        legal_basis="Forvaltningsloven § 12",
    )
    return {"request_id": file_request.pk, "exemption_id": exemption.pk}


def url_for(name: str, case: Case, objects: dict[str, int]) -> str:
    pattern = next(p for p in PATTERNS if p.name == name)
    kwargs: dict[str, object] = {"case_id": case.pk}
    for key in pattern.pattern.converters:  # type: ignore[attr-defined]
        kwargs[key] = objects[key]
    return reverse(f"file_access:{name}", kwargs=kwargs)


def test_every_pattern_is_classified():
    assert set(NAMES) == READ | ACT and not READ & ACT
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_and_checks_its_need(pattern):
    assert pattern.callback.case_need == NEEDS[pattern.name]


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("name", NAMES)
def test_get_matrix(name, persona, case, objects, personas, login, file_request):
    bundle_done(file_request, personas.owner)
    user = getattr(personas, persona)
    url = url_for(name, case, objects)
    response = login(user).get(url)
    if name in POST_ONLY:
        assert response.status_code == 405
        return
    expected = EXPECTED[persona][0 if name in READ else 1]
    assert response.status_code == expected, f"{persona} GET {name}"
    log = AccessLogEntry.objects.filter(case=case, user=user, target=url)
    if expected == 200:
        assert log.filter(action="view").exists()
        assert not log.filter(action="denied").exists()
    else:
        assert log.filter(action="denied").exists()
    if expected == 404:
        assert "Alle sagens dokumenter." not in response.content.decode()
    if name == "bundle_pdf" and expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("name", sorted(ACT))
def test_post_matrix(name, persona, case, objects, personas, login, file_request, queued):
    if name == "hand_out":
        bundle_done(file_request, personas.owner)
    user = getattr(personas, persona)
    url = url_for(name, case, objects)
    before = (
        FileAccessRequest.objects.filter(status="handed_out").count(),
        FileAccessRequest.objects.count(),
        FileAccessBundle.objects.count(),
        file_request.exemptions.count(),
    )
    response = login(user).post(url, data={})
    expected = EXPECTED[persona][1]
    if expected == 200:
        # An empty form is shown again with its errors; a button does its work and redirects.
        assert response.status_code in (200, 302), f"{persona} POST {name}"
    else:
        assert response.status_code == expected, f"{persona} POST {name}"
        after = (
            FileAccessRequest.objects.filter(status="handed_out").count(),
            FileAccessRequest.objects.count(),
            FileAccessBundle.objects.count(),
            file_request.exemptions.count(),
        )
        assert after == before
        assert AccessLogEntry.objects.filter(
            case=case, user=user, target=url, action="denied"
        ).exists()


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(name, case, objects, client):
    url = url_for(name, case, objects)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_request_of_another_case_is_a_logged_404(case, personas, login, org):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    f.family_with_child(other.citizen)
    parent = other.citizen.family_memberships.get().family.members.get(is_child=False)
    foreign = services.request_register(
        case=other,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alt.",
    )
    url = reverse("file_access:request_detail", args=[case.pk, foreign.pk])
    assert login(personas.owner).get(url).status_code == 404
    assert AccessLogEntry.objects.filter(case=case, action="denied", target=url).exists()
    missing = reverse("file_access:case_file_access", args=[uuid.uuid4()])
    assert login(personas.owner).get(missing).status_code == 404


def test_the_tab_is_there_for_the_authority_only(case, personas, login):
    url = reverse("cases:case_detail", args=[case.pk])
    tab = reverse("file_access:case_file_access", args=[case.pk])
    assert f'href="{tab}"' in login(personas.owner).get(url).content.decode()
    assert f'href="{tab}"' not in login(personas.therapist).get(url).content.decode()


def test_the_caseworker_registers_exempts_makes_and_hands_out(
    case, personas, login, parent, monkeypatch, django_capture_on_commit_callbacks
):
    client = login(personas.owner)
    create = reverse("file_access:request_create", args=[case.pk])
    page = client.get(create).content.decode()
    assert parent.name in page and "Forælder med forældremyndighed" in page

    response = client.post(
        create,
        data={
            "request-requester": parent.pk,
            "request-received_on": timezone.localdate().isoformat(),
            "request-asked_for": "Alle sagens dokumenter.",
        },
    )
    request = FileAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    detail = client.get(request.get_absolute_url()).content.decode()
    assert f"{request.due_on:%d.%m.%Y}" in detail and "Forvaltningsloven § 16, stk. 2" in detail

    note = JournalNote.objects.get(case=case)
    response = client.post(
        reverse("file_access:exemption_add", args=[case.pk, request.pk]),
        data={
            "exemption-document": f"journal_note:{note.pk}",
            "exemption-reason": "Internt arbejdsdokument.",
            "exemption-legal_basis": "Forvaltningsloven § 12",
        },
    )
    assert response.status_code == 302 and request.exemptions.count() == 1

    # The worker's task, run in-process when the page's transaction commits.
    from file_access import tasks

    monkeypatch.setattr(tasks.render_file_access_bundle, "delay", tasks.bundle_render_once)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("file_access:bundle_prepare", args=[case.pk, request.pk]))
    assert response.status_code == 302
    bundle = FileAccessBundle.objects.get()
    assert bundle.status == "done" and len(bundle.sha256) == 64

    hand_out = reverse("file_access:hand_out", args=[case.pk, request.pk])
    confirm = client.get(hand_out).content.decode()
    assert "Ja, udlevér" in confirm and "kan ikke fortrydes" in confirm
    assert "1 ting er undtaget." in confirm
    assert not FileAccessRequest.objects.filter(status="handed_out").exists()
    response = client.post(hand_out)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_handed_out
    assert AccessLogEntry.objects.filter(case=case, action="export").count() == 1
    done = client.get(request.get_absolute_url()).content.decode()
    assert "Udleveret" in done


def test_bad_input_is_shown_again_in_danish(case, personas, login, parent):
    client = login(personas.owner)
    response = client.post(
        reverse("file_access:request_create", args=[case.pk]),
        data={
            "request-requester": parent.pk,
            "request-received_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "request-asked_for": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Formularen kunne ikke gemmes" in page
    assert "Skriv, hvad parten beder om at se." in page
    assert not FileAccessRequest.objects.exists()

    response = client.post(
        reverse("file_access:request_create", args=[case.pk]),
        data={
            "request-requester": "999999",
            "request-received_on": "32.13.2026",
            "request-asked_for": "Alt.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vælg en af sagens parter." in page and "Skriv datoen som dd.mm.åååå." in page
    assert not FileAccessRequest.objects.exists()


def test_a_confidential_reporters_exemption_cannot_be_removed_from_the_page(
    case, personas, login, parent
):
    case.notifications.update(reporter_confidential=True)
    request = services.request_register(
        case=case,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alt.",
    )
    exemption = request.exemptions.get()
    client = login(personas.owner)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Fortrolig underretter" in page
    remove = reverse("file_access:exemption_remove", args=[case.pk, request.pk, exemption.pk])
    assert remove not in page
    response = client.post(remove, follow=True)
    assert "Undtagelsen kan ikke fjernes" in response.content.decode()
    assert request.exemptions.count() == 1


def test_the_deadline_is_on_the_case_overview(case, personas, login, file_request):
    page = login(personas.owner).get(reverse("cases:case_detail", args=[case.pk])).content
    text = page.decode()
    assert "Svar på anmodning om aktindsigt" in text
    assert f"{file_request.due_on:%d.%m.%Y}" in text


def test_the_hand_out_confirmation_says_when_nothing_is_exempted(
    case, personas, login, file_request
):
    bundle_done(file_request, personas.owner)
    page = (
        login(personas.owner)
        .get(reverse("file_access:hand_out", args=[case.pk, file_request.pk]))
        .content.decode()
    )
    assert "Intet er undtaget." in page and "0 ting" not in page
