"""The network page reads in a fixed number of queries however many people are on the map."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network import services


def fill(case, user, start, count):
    sectors = ["family", "relatives", "friends", "school", "professionals"]
    for i in range(start, start + count):
        services.network_member_add(
            case=case, user=user, name=f"Person {i}", sector=sectors[i % 5], circle=1 + i % 3
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_network_page_queries_do_not_grow_with_members(case, personas, login):
    client = login(personas.therapist)
    url = reverse("network:network_detail", args=[case.pk])
    fill(case, personas.owner, 0, 5)
    small = count_queries(client, url)
    fill(case, personas.owner, 5, 25)
    large = count_queries(client, url)
    assert large == small


def test_family_page_queries_do_not_grow_with_members(case, personas, login):
    client = login(personas.family_user)
    url = reverse("family:network", args=[case.pk])
    fill(case, personas.owner, 0, 5)
    small = count_queries(client, url)
    fill(case, personas.owner, 5, 25)
    assert count_queries(client, url) == small
