from familievaerft import permissions


def test_visibility_by_relation(case, personas):
    visible = {
        name: permissions.visible_cases(getattr(personas, name)).filter(id=case.id).exists()
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
