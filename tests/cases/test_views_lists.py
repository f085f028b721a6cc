"""Mine sager, search, registering a notification and the CPR lookup, seen by every persona."""

import datetime as dt
import logging
import re
from html import unescape
from urllib.parse import quote, quote_plus, urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import Case, CaseStatus, Citizen, Deadline, DeadlineRule, Notification
from core.cpr import format_cpr
from core.redaction import RedactCPRFilter
from demo import factories as f

MY_CASES = reverse("cases:my_cases")
SEARCH = reverse("cases:search")
REGISTER = reverse("cases:notification_register")
LOOKUP = reverse("cases:citizen_lookup")


def add_deadline(case: Case, *, due_at: dt.datetime, code: str = "assessment", met: bool = False):
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code=code),
        due_at=due_at,
        met_at=due_at if met else None,
    )


def listed_numbers(response) -> list[str]:
    return [row["number"] for row in response.context["rows"]]


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def colleague_case(org, personas):
    """A case on team B, owned by the colleague: invisible to the owner, lead and therapists."""
    return f.CaseFactory(owner=personas.colleague, team=org.team_b, status=CaseStatus.ASSESSMENT)


# --- Mine sager: who sees what -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_case", "sees_colleague_case"),
    [
        ("owner", True, False),
        ("colleague", False, True),
        ("team_lead", True, False),
    ],
)
def test_my_cases_lists_exactly_the_visible_cases(
    login, personas, case, colleague_case, persona, sees_case, sees_colleague_case
):
    response = login(getattr(personas, persona)).get(MY_CASES)
    assert response.status_code == 200
    expected = {
        n
        for n, seen in [(case.number, sees_case), (colleague_case.number, sees_colleague_case)]
        if seen
    }
    assert set(listed_numbers(response)) == expected
    html = text(response)
    assert (case.citizen.full_name in html) == sees_case
    assert (colleague_case.citizen.full_name in html) == sees_colleague_case


def test_my_cases_links_to_the_case_page_and_shows_owner_and_team(login, personas, case):
    html = text(login(personas.team_lead).get(MY_CASES))
    assert f'href="{case.get_absolute_url()}"' in html
    assert personas.owner.get_full_name() in html
    assert "Team Nord" in html
    assert 'class="badge badge--measure">Indsats<' in html


def test_family_user_is_sent_to_the_family_portal(login, personas, case):
    response = login(personas.family_user).get(MY_CASES)
    assert response.status_code == 302
    assert response.url == reverse("family:home")


def test_anonymous_user_is_sent_to_login(client, case):
    response = client.get(MY_CASES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_team_lead_can_narrow_to_own_cases(login, org, personas, case):
    own = f.CaseFactory(owner=personas.team_lead, team=org.team_a)
    client = login(personas.team_lead)
    team = client.get(MY_CASES)
    assert set(listed_numbers(team)) == {case.number, own.number}
    assert "Kun mine sager" in text(team)
    mine = client.get(MY_CASES, {"scope": "mine"})
    assert listed_numbers(mine) == [own.number]


def test_caseworker_gets_no_team_scope_choice(login, personas, case):
    response = login(personas.owner).get(MY_CASES, {"scope": "team"})
    assert "Kun mine sager" not in text(response)
    assert listed_numbers(response) == [case.number]


# --- Mine sager: deadlines, summary, sorting, filters, pages -----------------------------------


def test_overdue_deadline_is_marked_with_a_word_and_counted(login, personas, case):
    now = timezone.now()
    add_deadline(case, due_at=now - dt.timedelta(days=2), code="acute_judgement")
    add_deadline(case, due_at=now + dt.timedelta(days=30))
    response = login(personas.owner).get(MY_CASES)
    html = text(response)
    assert re.search(r'class="deadline overdue">Overskredet: ', html)
    assert "Vurdering af behov for akut hjælp" in html
    assert response.context["summary"].open_cases == 1
    assert response.context["summary"].overdue_cases == 1
    assert "1 med overskredet frist" in html


def test_met_deadline_is_not_overdue_and_next_open_one_is_shown(login, personas, case):
    now = timezone.now()
    add_deadline(case, due_at=now - dt.timedelta(days=2), code="acute_judgement", met=True)
    add_deadline(case, due_at=now + dt.timedelta(days=1))
    response = login(personas.owner).get(MY_CASES)
    html = text(response)
    assert "Overskredet" not in html
    assert re.search(r'class="deadline due-soon">Snart: ', html)
    assert "Børnefaglig undersøgelse afsluttet" in html
    assert "Vurdering af behov for akut hjælp" not in html
    assert response.context["summary"].overdue_cases == 0


def test_deadline_handled_otherwise_is_not_the_next_deadline(login, personas, case):
    gone = add_deadline(case, due_at=timezone.now() - dt.timedelta(days=1), code="receipt")
    Deadline.objects.filter(pk=gone.pk).update(handled_otherwise_at=timezone.now())
    html = text(login(personas.owner).get(MY_CASES))
    assert "Overskredet" not in html
    assert "Ingen åbne frister" in html


@pytest.fixture
def three_cases(org, personas):
    now = timezone.now()
    later = f.CaseFactory(
        owner=personas.owner, team=org.team_a, number="2026-00003", citizen__first_name="Anna"
    )
    add_deadline(later, due_at=now + dt.timedelta(days=20))
    sooner = f.CaseFactory(
        owner=personas.owner,
        team=org.team_a,
        number="2026-00001",
        citizen__first_name="Carl",
        status=CaseStatus.ASSESSMENT,
    )
    add_deadline(sooner, due_at=now + dt.timedelta(days=5))
    add_deadline(sooner, due_at=now + dt.timedelta(days=50))
    none = f.CaseFactory(
        owner=personas.owner,
        team=org.team_a,
        number="2026-00002",
        citizen__first_name="Bo",
        status=CaseStatus.MEASURE,
    )
    return later, sooner, none


def test_default_sort_is_most_urgent_deadline_first_and_none_last(login, personas, three_cases):
    later, sooner, none = three_cases
    response = login(personas.owner).get(MY_CASES)
    assert listed_numbers(response) == [sooner.number, later.number, none.number]
    assert re.search(
        r'<th scope="col" aria-sort="ascending">\s*<a href="\?sort=-deadline">', text(response)
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-deadline", ["later", "sooner", "none"]),
        ("number", ["sooner", "none", "later"]),
        ("-number", ["later", "none", "sooner"]),
        ("name", ["later", "none", "sooner"]),
        ("status", ["later", "sooner", "none"]),
        ("-status", ["none", "sooner", "later"]),
    ],
)
def test_sorting(login, personas, three_cases, sort, expected):
    later, sooner, none = three_cases
    by_name = {"later": later, "sooner": sooner, "none": none}
    response = login(personas.owner).get(MY_CASES, {"sort": sort})
    assert listed_numbers(response) == [by_name[n].number for n in expected]
    direction = "descending" if sort.startswith("-") else "ascending"
    assert f'aria-sort="{direction}"' in text(response)


def test_unknown_sort_falls_back_to_the_default(login, personas, three_cases):
    later, sooner, none = three_cases
    response = login(personas.owner).get(MY_CASES, {"sort": "citizen__cpr"})
    assert listed_numbers(response) == [sooner.number, later.number, none.number]


def test_status_filter(login, org, personas, case):
    closed = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.CLOSED)
    assessing = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    client = login(personas.owner)
    assert set(listed_numbers(client.get(MY_CASES))) == {case.number, assessing.number}
    assert listed_numbers(client.get(MY_CASES, {"status": "closed"})) == [closed.number]
    assert listed_numbers(client.get(MY_CASES, {"status": "assessment"})) == [assessing.number]
    everything = client.get(MY_CASES, {"status": "all"})
    assert set(listed_numbers(everything)) == {case.number, assessing.number, closed.number}
    # the summary counts open cases, whatever the filter shows
    assert everything.context["summary"].open_cases == 2


def test_text_filter_on_name_and_case_number(login, org, personas, case):
    other = f.CaseFactory(
        owner=personas.owner,
        team=org.team_a,
        citizen__first_name="Zelma",
        citizen__last_name="Qvist",
    )
    client = login(personas.owner)
    assert listed_numbers(client.get(MY_CASES, {"q": "zelma qv"})) == [other.number]
    assert listed_numbers(client.get(MY_CASES, {"q": "QVIST"})) == [other.number]
    assert listed_numbers(client.get(MY_CASES, {"q": case.number})) == [case.number]
    response = client.get(MY_CASES, {"q": "Ingen-Hedder-Sådan"})
    assert listed_numbers(response) == []
    assert "Ingen sager passer til filteret." in text(response)


def written(cpr: str, typed: str) -> str:
    """A CPR number as typed into a field: plain, with a dash or a space, full-width digits."""
    full_width = cpr.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return {
        "plain": cpr,
        "dashed": format_cpr(cpr),
        "spaced": f"{cpr[:6]} {cpr[6:]}",
        "full_width": f"{full_width[:6]}－{full_width[6:]}",
        "with_name": f"Anna {cpr}",
        "spaced_with_name": f"Anna {cpr[:6]} {cpr[6:]}",
    }[typed]


def assert_not_shown(shown: str, cpr: str) -> None:
    """No form of the number in ``shown``: typed in any way, or URL-encoded in a link."""
    for typed in ("plain", "dashed", "spaced", "full_width"):
        number = written(cpr, typed)
        for form in (number, quote(number), quote_plus(number)):
            assert form not in shown, form


@pytest.mark.parametrize(
    "typed", ["plain", "dashed", "spaced", "full_width", "with_name", "spaced_with_name"]
)
def test_cpr_in_the_text_filter_is_refused_and_not_echoed(login, personas, case, typed):
    cpr = case.citizen.cpr
    q = written(cpr, typed)
    client = login(personas.owner)
    response = client.get(MY_CASES, {"q": q, "status": "all", "sort": "name"})
    # out of the address bar at once, keeping the other filters
    assert response.status_code == 302
    assert response.url == f"{MY_CASES}?status=all&sort=name"
    page = client.get(response.url)
    html = text(page)
    assert "Listen kan ikke filtreres på CPR-nummer" in html
    assert_not_shown(html, cpr)
    assert q not in html
    assert listed_numbers(page) == [case.number]


def test_a_cpr_written_with_a_space_is_refused_not_echoed_and_not_logged(
    login, personas, case, caplog
):
    """Finding 5 of issue 14: "010110 1234" passed the guard of Mine sager's filter, was
    echoed in the filter's search box and links, and logged in the request line."""
    cpr = case.citizen.cpr
    spaced = f"{cpr[:6]} {cpr[6:]}"
    client = login(personas.owner)
    with caplog.at_level(logging.DEBUG):
        response = client.get(MY_CASES, {"q": spaced})
        page = client.get(response.url)
    # refused: out of the address bar at once, the list unfiltered
    assert response.status_code == 302 and response.url == MY_CASES
    assert page.context["filters"].q == ""
    assert listed_numbers(page) == [case.number]
    # not echoed: neither in the search box nor in any link
    assert_not_shown(text(page), cpr)
    # not logged: no log record and no access-log row holds it ...
    for record in caplog.records:
        assert_not_shown(record.getMessage(), cpr)
    for entry in AccessLogEntry.objects.values_list("target", "reason"):
        assert_not_shown(" ".join(entry), cpr)
    # ... and the request line runserver and gunicorn log for it is redacted.
    request_line = f'"GET {MY_CASES}?{urlencode({"q": spaced})} HTTP/1.1" 302 0'
    record = logging.makeLogRecord({"msg": "%s", "args": (request_line,)})
    RedactCPRFilter().filter(record)
    assert record.getMessage() == f'"GET {MY_CASES}?q=[CPR] HTTP/1.1" 302 0'


@pytest.mark.parametrize("persona", ["therapist", "other_therapist"])
def test_a_therapist_is_sent_to_its_own_start_page(login, personas, case, persona):
    """A provider starts from "Min forside" (tests/followups/test_therapist_home.py), not from
    the caseworker's list and its overdue counts."""
    user = getattr(personas, persona)
    response = login(user).get(MY_CASES)
    assert response.status_code == 302
    assert response.url == reverse("followups:therapist_home")
    assert not AccessLogEntry.objects.filter(user=user).exists()


def test_pagination(login, org, personas, settings):
    for _ in range(settings.PAGE_SIZE + 1):
        f.CaseFactory(owner=personas.owner, team=org.team_a)
    client = login(personas.owner)
    first = client.get(MY_CASES, {"sort": "number"})
    assert len(first.context["page_obj"]) == settings.PAGE_SIZE
    assert "Side 1 af 2" in text(first)
    assert 'href="?sort=number&amp;page=2"' in first.content.decode()
    second = client.get(MY_CASES, {"sort": "number", "page": 2})
    assert len(second.context["page_obj"]) == 1
    assert set(listed_numbers(first)).isdisjoint(listed_numbers(second))


# --- Mine sager: the read is logged ----------------------------------------------------------


def viewed(user, path: str = MY_CASES) -> list[tuple]:
    """(case, citizen) of each "view" row the page wrote for ``user``, in order."""
    rows = AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.VIEW, target=path)
    return list(rows.order_by("id").values_list("case_id", "citizen_id"))


def test_my_cases_logs_one_row_per_case_shown(login, personas, case, colleague_case):
    """Finding 6 of issue 14: Mine sager showed children's names and case numbers and wrote
    nothing to the access log."""
    response = login(personas.owner).get(MY_CASES)
    assert listed_numbers(response) == [case.number]
    assert viewed(personas.owner) == [(case.pk, case.citizen_id)]
    assert not AccessLogEntry.objects.filter(case=colleague_case).exists()
    row = AccessLogEntry.objects.get(user=personas.owner)
    assert row.username == personas.owner.username


def test_my_cases_logs_the_cases_of_the_page_shown_and_no_other(login, org, personas, settings):
    for _ in range(settings.PAGE_SIZE + 1):
        f.CaseFactory(owner=personas.owner, team=org.team_a)
    client = login(personas.owner)
    first = client.get(MY_CASES, {"sort": "number"})
    on_first = list(
        Case.objects.filter(number__in=listed_numbers(first))
        .order_by("number")
        .values_list("pk", "citizen_id")
    )
    assert len(on_first) == settings.PAGE_SIZE
    assert viewed(personas.owner) == on_first
    last = Case.objects.order_by("-number").first()
    assert not AccessLogEntry.objects.filter(case=last).exists()  # on page 2, not shown
    client.get(MY_CASES, {"sort": "number", "page": 2})
    assert viewed(personas.owner)[settings.PAGE_SIZE :] == [(last.pk, last.citizen_id)]


def test_my_cases_logs_the_next_deadlines_panel_too_and_each_case_once(login, personas, case):
    add_deadline(case, due_at=timezone.now() + dt.timedelta(days=2))
    client = login(personas.owner)
    # On the list and in the panel "Næste frister": one row.
    response = client.get(MY_CASES)
    assert [row.case_id for row in response.context["next_deadlines"]] == [case.pk]
    assert viewed(personas.owner) == [(case.pk, case.citizen_id)]
    # Filtered out of the list, still named in the panel: still read.
    response = client.get(MY_CASES, {"q": "Ingen-Hedder-Sådan"})
    assert listed_numbers(response) == []
    assert viewed(personas.owner) == [(case.pk, case.citizen_id)] * 2


def test_my_cases_without_cases_writes_nothing(login, org, personas, case):
    lonely = f.UserFactory(username="lonely", role=Role.CASEWORKER)
    f.add_member(org.team_b, lonely)
    response = login(lonely).get(MY_CASES)
    assert response.status_code == 200
    assert listed_numbers(response) == []
    assert viewed(lonely) == []


def _cases_with_deadlines_and_notes(org, personas, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        case = f.CaseFactory(owner=personas.owner, team=org.team_a)
        add_deadline(case, due_at=now - dt.timedelta(days=i + 1), code="acute_judgement")
        add_deadline(case, due_at=now + dt.timedelta(days=i), code="receipt", met=True)
        add_deadline(case, due_at=now + dt.timedelta(days=30 + i))
        f.JournalNoteFactory(case=case)
        f.JournalNoteFactory(case=case)
        f.NotificationFactory(case=case)


# session, user, team-lead check, summary (its open count is the list's count), page, the
# next deadlines, the acute strip (issue 16: the 24-hour judgements not yet made), the access
# log of the cases shown (one INSERT), the unread reminders
MY_CASES_QUERIES = 9


@pytest.mark.parametrize("n", [3, 30])
def test_my_cases_query_count_is_constant(login, org, personas, django_assert_num_queries, n):
    _cases_with_deadlines_and_notes(org, personas, n)
    client = login(personas.owner)
    with django_assert_num_queries(MY_CASES_QUERIES):
        response = client.get(MY_CASES)
    assert response.context["summary"].overdue_cases == n
    assert len(response.context["page_obj"]) == min(n, 25)


@pytest.mark.parametrize("n", [3, 30])
def test_my_cases_query_count_is_constant_for_a_team_lead(
    login, org, personas, django_assert_num_queries, n
):
    _cases_with_deadlines_and_notes(org, personas, n)
    client = login(personas.team_lead)
    with django_assert_num_queries(MY_CASES_QUERIES):
        response = client.get(MY_CASES, {"sort": "-status"})
    assert response.context["page_obj"].paginator.count == n


# --- search ------------------------------------------------------------------------------------


def search_log():
    return AccessLogEntry.objects.filter(action=AccessLogEntry.Action.SEARCH)


@pytest.mark.parametrize(
    ("persona", "finds"),
    [
        ("owner", True),
        ("colleague", False),
        ("team_lead", True),
        ("therapist", True),
        ("other_therapist", False),
    ],
)
def test_search_by_name_finds_only_visible_cases(login, personas, case, persona, finds):
    user = getattr(personas, persona)
    response = login(user).post(SEARCH, {"q": case.citizen.last_name})
    assert response.status_code == 200
    assert (case in response.context["result"].cases) == finds
    assert (case.citizen.full_name in text(response)) == finds
    logged = search_log().filter(user=user, case=case)
    assert logged.exists() == finds
    if finds:
        assert logged.get().target == "navnesøgning"


def test_search_by_full_name_and_by_case_number(login, personas, case):
    client = login(personas.owner)
    full = client.post(SEARCH, {"q": f"  {case.citizen.first_name}   {case.citizen.last_name} "})
    assert list(full.context["result"].cases) == [case]
    # a name query may be echoed
    assert case.citizen.first_name in text(full)
    assert list(client.post(SEARCH, {"q": case.number}).context["result"].cases) == [case]
    assert list(client.post(SEARCH, {"q": case.number[:6]}).context["result"].cases) == [case]


@pytest.mark.parametrize("typed", ["plain", "dashed", "spaced", "full_width"])
def test_search_by_cpr_finds_the_exact_child_and_never_echoes_or_logs_the_number(
    login, personas, case, typed
):
    cpr = case.citizen.cpr
    q = written(cpr, typed)
    response = login(personas.owner).post(SEARCH, {"q": q})
    assert list(response.context["result"].cases) == [case]
    html = text(response)
    assert cpr not in html
    assert format_cpr(cpr) not in html
    assert q not in html
    entry = search_log().get(case=case)
    assert entry.target == "CPR-søgning"
    assert not AccessLogEntry.objects.filter(target__contains=cpr[:6]).exists()


@pytest.mark.parametrize("length", [6, 8, 9])
def test_a_cpr_prefix_finds_nothing(login, personas, case, length):
    response = login(personas.owner).post(SEARCH, {"q": case.citizen.cpr[:length]})
    assert list(response.context["result"].cases) == []
    assert not search_log().exists()


def test_cpr_of_an_invisible_child_looks_like_a_number_that_does_not_exist(login, personas, case):
    client = login(personas.colleague)
    invisible = client.post(SEARCH, {"q": case.citizen.cpr})
    missing = client.post(SEARCH, {"q": f.fictitious_cpr()})
    assert list(invisible.context["result"].cases) == []

    def results_section(response) -> str:
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html[html.index("<main") :]

    assert results_section(invisible) == results_section(missing)
    assert not search_log().exists()


@pytest.mark.parametrize("typed", ["with_name", "spaced_with_name"])
def test_search_for_a_cpr_mixed_with_text_is_refused_and_not_echoed(login, personas, case, typed):
    cpr = case.citizen.cpr
    response = login(personas.owner).post(SEARCH, {"q": written(cpr, typed)})
    assert response.context["result"] is None
    html = text(response)
    assert "Skriv CPR-nummeret alene" in html
    assert_not_shown(html, cpr)


def test_search_results_are_limited(login, org, personas):
    for _ in range(51):
        f.CaseFactory(owner=personas.owner, team=org.team_a, citizen__last_name="Mangeland")
    response = login(personas.owner).post(SEARCH, {"q": "mangeland"})
    result = response.context["result"]
    assert result.truncated
    assert len(result.cases) == 50
    assert "Viser de første 50 sager" in text(response)
    assert search_log().count() == 50


def test_search_get_shows_an_empty_form(login, personas):
    response = login(personas.owner).get(SEARCH)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert 'name="q"' in response.content.decode()


def test_search_is_staff_only(login, client, personas, case):
    assert login(personas.family_user).post(SEARCH, {"q": case.number}).status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.family_user, action=AccessLogEntry.Action.DENIED
    ).exists()
    anonymous = client.post(SEARCH, {"q": case.citizen.cpr})
    assert anonymous.status_code == 302
    assert case.citizen.cpr not in anonymous.url


# --- registering a notification ----------------------------------------------------------------


def received(delta: dt.timedelta = dt.timedelta(hours=-1)) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def new_child_data(**overrides) -> dict[str, str]:
    data = {
        "cpr": format_cpr(f.fictitious_cpr(dt.date(2016, 5, 17))),
        "first_name": "Ida",
        "last_name": "Nyborg",
        "address": "Vestergade 12",
        "postal_code": "7100",
        "city": "Vejle",
        "school_or_daycare": "Kirkebakkeskolen",
        "kind": "notification",
        "received_at": received(),
        "reporter_kind": "professional",
        "reporter_name": "Lærer Hansen",
        "reporter_organisation": "Kirkebakkeskolen",
        "reporter_email": "hansen@skole.example",
        "concern": "Ida kommer ofte sulten i skole og virker træt.",
    }
    data.update(overrides)
    return data


def saved_counts() -> tuple[int, int, int, int]:
    return (
        Citizen.objects.count(),
        Case.objects.count(),
        Notification.objects.count(),
        Deadline.objects.count(),
    )


def test_register_get_shows_the_form_with_the_24_hour_deadline(login, personas):
    response = login(personas.owner).get(REGISTER)
    assert response.status_code == 200
    html = text(response)
    assert "Frist: 24 timer." in html
    assert 'type="datetime-local"' in html
    assert re.search(r'<input type="text" name="cpr"[^>]*autocomplete="off"', html)
    assert f'hx-post="{LOOKUP}"' in html
    assert 'aria-live="polite"' in html


def test_register_a_new_child_creates_citizen_case_and_notification(login, personas):
    data = new_child_data()
    response = login(personas.owner).post(REGISTER, data)
    citizen = Citizen.objects.get(first_name="Ida", last_name="Nyborg")
    case = Case.objects.get(citizen=citizen)
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert citizen.cpr not in response.url
    assert citizen.cpr == data["cpr"].replace("-", "")
    assert case.owner == personas.owner
    notification = case.notifications.get()
    assert notification.concern == data["concern"]
    assert notification.reporter_organisation == "Kirkebakkeskolen"
    acute = case.deadlines.get(rule__code="acute_judgement")
    assert acute.due_at == notification.received_at + dt.timedelta(hours=24)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"sag {case.number}" in message
    assert timezone.localtime(acute.due_at).strftime("%d.%m.%Y %H:%M") in message


def test_register_an_application_has_no_24_hour_deadline(login, personas):
    response = login(personas.owner).post(REGISTER, new_child_data(kind="application"))
    case = Case.objects.get(citizen__last_name="Nyborg")
    assert response.url == case.get_absolute_url()
    assert not case.deadlines.filter(rule__code="acute_judgement").exists()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"Ansøgningen er registreret på sag {case.number}."


def test_register_for_a_known_child_attaches_to_the_existing_open_case(login, personas, case):
    before = case.notifications.count()
    data = new_child_data(
        cpr=format_cpr(case.citizen.cpr),
        first_name="",
        last_name="",
        address="",
        postal_code="",
        city="",
        school_or_daycare="",
    )
    response = login(personas.owner).post(REGISTER, data)
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.notifications.count() == before + 1
    assert Case.objects.filter(citizen=case.citizen).exclude(status=CaseStatus.CLOSED).count() == 1
    assert Citizen.objects.filter(cpr=case.citizen.cpr).count() == 1


def test_register_twice_for_a_new_child_never_makes_a_second_case(login, personas):
    client = login(personas.owner)
    data = new_child_data()
    client.post(REGISTER, data)
    again = client.post(REGISTER, data)  # the second time the child is known
    assert again.status_code == 302
    citizen = Citizen.objects.get(cpr=data["cpr"].replace("-", ""))
    assert Case.objects.filter(citizen=citizen).count() == 1
    assert Notification.objects.filter(case__citizen=citizen).count() == 2


def test_register_for_a_child_whose_case_another_team_runs(login, personas, case):
    """The notification lands on the child's one case; the colleague is not shown that case."""
    data = new_child_data(cpr=case.citizen.cpr, first_name="", last_name="")
    response = login(personas.colleague).post(REGISTER, data)
    assert response.status_code == 302
    assert response.url == MY_CASES
    case.refresh_from_db()
    assert case.owner == personas.owner
    assert case.notifications.filter(registered_by=personas.colleague).count() == 1
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert case.number not in message
    assert case.citizen.first_name not in message


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"cpr": "12345"}, "cpr", "Et CPR-nummer består af 10 cifre"),
        ({"cpr": "3113104123"}, "cpr", "CPR-nummeret indeholder ikke en gyldig fødselsdato"),
        ({"concern": "   "}, "concern", "Beskriv bekymringen."),
        (
            {"received_at": received(dt.timedelta(hours=3))},
            "received_at",
            "kan ikke ligge i fremtiden",
        ),
        ({"received_at": "i går"}, "received_at", "Skriv dato og klokkeslæt"),
        ({"reporter_organisation": ""}, "reporter_organisation", "Angiv fagpersonens organisation"),
        ({"first_name": ""}, "first_name", "Skal udfyldes, når barnet ikke er kendt i forvejen."),
        ({"postal_code": "71OO"}, "postal_code", "Et postnummer består af 4 cifre."),
        ({"reporter_kind": ""}, "reporter_kind", "Vælg hvem der har underrettet."),
    ],
)
def test_register_invalid_input_keeps_what_was_typed_and_saves_nothing(
    login, personas, overrides, field, error
):
    before = saved_counts()
    data = new_child_data(**overrides)
    response = login(personas.owner).post(REGISTER, data)
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    html = text(response)
    assert error in html
    assert "Underretningen kunne ikke gemmes" in html
    assert 'aria-invalid="true"' in html or field == "reporter_kind"
    for kept in ("Vestergade 12", "Kirkebakkeskolen", "Lærer Hansen"):
        assert kept in html
    if field != "concern":
        assert data["concern"] in html
    assert saved_counts() == before


def test_anonymous_private_reporter_needs_no_organisation(login, personas):
    data = new_child_data(reporter_kind="anonymous", reporter_name="", reporter_organisation="")
    response = login(personas.owner).post(REGISTER, data)
    assert response.status_code == 302


def test_what_the_service_refuses_comes_back_on_the_form_and_nothing_is_half_saved(login, org):
    """A caseworker outside any team: the service refuses after validating the form."""
    lonely = f.UserFactory(username="lonely", role=Role.CASEWORKER)
    before = saved_counts()
    data = new_child_data()
    response = login(lonely).post(REGISTER, data)
    assert response.status_code == 200
    assert "Du er ikke medlem af et team" in text(response)
    assert data["concern"] in text(response)
    assert saved_counts() == before  # not even the citizen


@pytest.mark.parametrize("persona", ["therapist", "other_therapist", "family_user"])
def test_only_authority_staff_may_register(login, personas, persona):
    client = login(getattr(personas, persona))
    before = saved_counts()
    assert client.get(REGISTER).status_code == 404
    assert client.post(REGISTER, new_child_data()).status_code == 404
    assert client.post(LOOKUP, {"cpr": f.fictitious_cpr()}).status_code == 404
    assert saved_counts() == before


def test_team_lead_may_register(login, personas):
    assert login(personas.team_lead).get(REGISTER).status_code == 200


def test_register_requires_login(client):
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- the CPR lookup ----------------------------------------------------------------------------


def test_lookup_unknown_child(login, personas):
    response = login(personas.owner).post(LOOKUP, {"cpr": f.fictitious_cpr()})
    assert response.status_code == 200
    assert "Nyt barn" in text(response)
    assert not search_log().exists()


def test_lookup_known_child_on_a_visible_case(login, personas, case):
    response = login(personas.owner).post(LOOKUP, {"cpr": format_cpr(case.citizen.cpr)})
    html = " ".join(re.sub(r"<[^>]+>", "", text(response)).split())
    citizen = case.citizen
    assert (
        f"Kendt barn: {citizen.full_name}, {citizen.age} år – sag {case.number} (Indsats)" in html
    )
    assert "underretningen lægges på den eksisterende sag" in html
    assert citizen.cpr not in html
    entry = search_log().get(user=personas.owner)
    assert entry.case == case
    assert citizen.cpr not in entry.target


def test_lookup_known_child_on_an_invisible_case_leaks_nothing(login, personas, case):
    response = login(personas.colleague).post(LOOKUP, {"cpr": case.citizen.cpr})
    html = text(response)
    assert "Barnet er kendt i systemet – underretningen lægges på barnets sag" in html
    assert case.citizen.first_name not in html
    assert case.citizen.last_name not in html
    assert case.number not in html
    assert search_log().get(user=personas.colleague).case == case


def test_lookup_of_a_closed_case_says_it_is_reopened(login, org, personas):
    closed = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.CLOSED)
    html = text(login(personas.owner).post(LOOKUP, {"cpr": closed.citizen.cpr}))
    assert "sagen genåbnes" in html


def test_lookup_invalid_number_and_get(login, personas):
    client = login(personas.owner)
    assert "Et CPR-nummer består af 10 cifre" in text(client.post(LOOKUP, {"cpr": "1234"}))
    assert client.post(LOOKUP, {"cpr": ""}).content.strip() == b""
    assert client.get(LOOKUP, {"cpr": "0101901234"}).status_code == 405
