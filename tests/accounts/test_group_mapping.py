"""The group mapping of staff single sign-on (accounts.GroupMapping), kept as data in the
admin: a group gives a staff role (never the family's), and a lead needs a team."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import GroupMapping, Role

pytestmark = pytest.mark.django_db


def test_a_group_never_gives_the_family_role(org):
    with pytest.raises(ValidationError) as refused:
        GroupMapping(group_name="borgere", role=Role.FAMILY).full_clean()
    assert "role" in refused.value.message_dict


def test_a_lead_needs_a_team(org):
    with pytest.raises(ValidationError) as refused:
        GroupMapping(group_name="ledere", role=Role.TEAM_LEAD, is_lead=True).full_clean()
    assert "is_lead" in refused.value.message_dict
    GroupMapping(
        group_name="ledere", role=Role.TEAM_LEAD, team=org.team_a, is_lead=True
    ).full_clean()


def test_the_admin_lists_and_adds_mappings(client, org, settings):
    from demo import factories as f

    settings.TWO_FACTOR_REQUIRED = False  # the page itself is under test, not the login

    admin = f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/accounts/groupmapping/").status_code == 200
    response = client.post(
        "/admin/accounts/groupmapping/add/",
        {"group_name": "fv-nord", "role": Role.CASEWORKER, "team": org.team_a.pk},
    )
    assert response.status_code == 302
    assert GroupMapping.objects.get(group_name="fv-nord").team == org.team_a
