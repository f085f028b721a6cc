"""The forms outside a case's pages: registering a notification, the CPR look-up beside it,
the search in the header, and API keys on the profile page, as a caseworker (forms.py)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.api_tokens import api_token_create
from tests.cases.test_views_lists import new_child_data
from tests.property.forms import Target, fuzz


def test_notification_register(personas, login):
    target = Target(
        url=reverse("cases:notification_register"),
        client=login(personas.owner),
        data=new_child_data(),
    )
    fuzz(target, "notification_register")


@pytest.mark.parametrize(
    ("name", "data"), [("citizen_lookup", {"cpr": "170516-4123"}), ("search", {"q": "Ida"})]
)
def test_look_ups_change_nothing(name, data, case, personas, login):
    target = Target(
        url=reverse(f"cases:{name}"), client=login(personas.owner), data=data, reveals=True
    )
    fuzz(target, name)


def test_api_key_create(personas, login):
    expires = timezone.localdate() + dt.timedelta(days=30)
    target = Target(
        url=reverse("profile"),
        client=login(personas.owner),
        data={
            "token-name": "ESDH",
            "token-expires_on": expires.isoformat(),
            "token-read_only": "on",
        },
        before_each=cache.clear,  # the rate limit on new keys counts every try
    )
    fuzz(target, "api_key_create")


def test_api_key_revoke(personas, login):
    token, _secret = api_token_create(
        user=personas.owner,
        name="ESDH",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        read_only=False,
    )
    target = Target(
        url=reverse("profile"),
        client=login(personas.owner),
        data={"action": "revoke", "token": str(token.pk)},
        before_each=cache.clear,  # without "action" it is a new key: rate-limited
    )
    fuzz(target, "api_key_revoke")
