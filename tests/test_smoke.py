"""Quick checks across the whole app: who sees a case, what every page links to, and that the
factories' data stay clear of what the sweep acts on."""

import datetime as dt

from cases.models import Case


def test_visibility_by_relation(case, personas):
    visible = {
        name: Case.objects.visible_to(getattr(personas, name)).filter(id=case.id).exists()
        for name in vars(personas)
    }
    assert visible == {
        "owner": True,
        "colleague": False,
        "team_lead": True,
        "therapist": True,
        "other_therapist": False,
        "family_user": False,
        "other_family_user": False,
    }


def test_every_page_links_only_its_own_files_and_has_an_icon(case, personas, login):
    """base.html: the icon, styles and scripts are the app's own static files (no CDN), each
    served, so no page asks for a /favicon.ico that answers 404."""
    import re

    from django.test import Client

    for client, path in ((Client(), "/login/"), (login(personas.owner), case.get_absolute_url())):
        body = client.get(path).content.decode()
        links = re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"', body)
        assert any(link.endswith("favicon.svg") for link in links)
        for link in links:
            assert link.startswith("/static/"), link
            assert client.get(link).status_code == 200, link


def test_factory_children_are_far_from_the_birthdays_the_sweep_acts_on():
    """Tests count reminders and deadlines on factory cases; the sweep schedules deadlines of
    its own near the 16th and 18th birthday, so a default child is 2 to 14 years old."""
    from cases.models import age_on
    from demo import factories as f

    ages = {age_on(f.CitizenFactory.build().birth_date, dt.date.today()) for _ in range(300)}
    assert min(ages) >= 2 and max(ages) <= 14, sorted(ages)
