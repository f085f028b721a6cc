"""The family portal's forms (portal/urls.py): a comment on a letter and its approval,
as the reviewing parent, and accepting an invitation, as the invited parent (forms.py)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cases.models import FamilyMember, FamilyRelation
from demo import factories as f
from tests.portal.test_letters_access import (
    _no_rendering,  # noqa: F401 - fixtures, for the tests below
    letters,  # noqa: F401
    url_for,
)
from tests.property.forms import Target, fuzz


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter_comment", {"section": "", "kommentar-hele-text": "Mor er ikke enig."}),
        ("letter_approve", {"confirm": "on"}),
    ],
)
def test_letter_forms(name, data, letters, personas, login):  # noqa: F811
    fuzz(Target(url=url_for(name, letters), client=login(personas.family_user), data=data), name)


def test_invitation_accept(case, personas, client):
    parent = FamilyMember.objects.filter(user__username="parent").get()
    member = FamilyMember.objects.create(
        family=parent.family, first_name="Mette", last_name="Sørensen", email="mette@example.dk"
    )
    # The other custody holder: only a member with a right to see the case is invited.
    FamilyRelation.objects.create(
        member=member,
        child=FamilyMember.objects.get(citizen=case.citizen),
        kind=FamilyRelation.Kind.PARENT_CUSTODY,
    )
    _invitation, token = f.invitation_with_token(
        case=case, member=member, user=personas.owner, email="mette@example.dk"
    )
    password = "Rødgrød med fløde 42"
    client.get(reverse("family:invitation_accept", args=[token]))  # the link lands
    target = Target(
        url=reverse("family:invitation"),
        client=client,
        data={"password1": password, "password2": password},
        before_each=cache.clear,  # the rate limit on guessing links counts every try
    )
    fuzz(target, "invitation_accept")
