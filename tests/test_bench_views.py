"""The benchmark's floor and reference views (bench/views.py), which ``make bench`` and
``make bench-parts`` compare the pages with: the Mine sager floor written with the ORM shows
exactly the rows of the hand-written floor, and the empty page is a page of the app."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from cases.models import Deadline, DeadlineRule
from demo import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("bench.urls"),
]


@pytest.fixture(autouse=True)
def _bench_installed():
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "bench"]):
        yield


def _deadline(case, code, *, days, met=False):
    due_at = timezone.now() + dt.timedelta(days=days)
    return Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code=code),
        due_at=due_at,
        met_at=due_at if met else None,
    )


def test_the_orm_floor_shows_the_rows_of_the_hand_written_floor(personas, org, login):
    owner = personas.owner
    cases = [f.CaseFactory(owner=owner, team=org.team_a, status="assessment") for _ in range(4)]
    _deadline(cases[0], "assessment", days=10)
    _deadline(cases[0], "assessment", days=-3, met=True)
    _deadline(cases[1], "assessment", days=2)
    _deadline(cases[2], "assessment", days=-1)
    f.CaseFactory(owner=owner, team=org.team_a, status="closed")
    f.CaseFactory(owner=personas.colleague, team=org.team_b, status="assessment")
    client = login(owner)

    floor = client.get("/bench/floor/sager/")
    orm_floor = client.get("/bench/floor/sager-orm/")

    assert floor.status_code == orm_floor.status_code == 200
    assert orm_floor.content == floor.content
    shown = orm_floor.content.decode()
    # Overdue first, then the soonest; the case without an open deadline last.
    positions = [shown.index(cases[i].number) for i in (2, 1, 0, 3)]
    assert positions == sorted(positions)
    assert shown.count("/sager/") == 4  # not the closed case, not the colleague's


def test_the_empty_page_is_a_page_on_the_apps_base_template(personas, login):
    response = login(personas.owner).get("/bench/tom/")
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()
    assert [t.name for t in response.templates][:2] == ["bench/empty_page.html", "base.html"]


def test_the_reference_views_need_a_login(client):
    for path in ("/bench/floor/sager-orm/", "/bench/tom/"):
        assert client.get(path).status_code == 302
