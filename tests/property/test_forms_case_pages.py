"""Every POST form of a case's pages (cases/urls_case.py), fuzzed as the owner (forms.py)."""

import pytest

from tests.cases.test_case_access import (
    PATTERNS,
    POSTABLE,
    PRECONDITIONS,
    objects,  # noqa: F401 - the fixture, for the test below
    post_data,
    url_for,
)
from tests.property.forms import Target, fuzz


@pytest.fixture
def target(request, case, objects, personas, org, login):  # noqa: F811
    name = request.param
    if name in PRECONDITIONS:
        PRECONDITIONS[name](case, personas.owner)
    pattern = next(p for p in PATTERNS if p.name == name)
    return Target(
        url=url_for(pattern, case, objects),
        client=login(personas.owner),
        data=post_data(case, personas, org),
        reveals=name == "case_cpr",
    )


@pytest.mark.parametrize("target", sorted(POSTABLE), indirect=True)
def test_any_input_saves_or_explains_in_danish(target, request):
    fuzz(target, request.node.callspec.id)
