"""Every POST form of the plan (plans/urls.py), fuzzed as the owner (forms.py)."""

import pytest

from tests.plans.test_plan_access import (
    PATTERNS,
    POSTABLE,
    bare_case,  # noqa: F401 - fixtures, for the test below
    case_for,
    objects,  # noqa: F401
    plan,  # noqa: F401
    post_data,
    url_for,
)
from tests.property.forms import Target, fuzz


@pytest.fixture
def target(request, case, bare_case, objects, personas, login):  # noqa: F811
    name = request.param
    pattern = next(p for p in PATTERNS if p.name == name)
    return Target(
        url=url_for(pattern, case_for(name, case, bare_case), objects),
        client=login(personas.owner),
        data=post_data(),
    )


@pytest.mark.parametrize("target", sorted(POSTABLE), indirect=True)
def test_any_input_saves_or_explains_in_danish(target, request):
    fuzz(target, request.node.callspec.id)
