"""Every POST form of the closing letters (letters/urls.py), fuzzed as the assigned
therapist, who writes the letter and may send it without approval (forms.py)."""

import pytest

from tests.letters.test_letters_access import (
    PATTERNS,
    POSTABLE,
    _media,  # noqa: F401 - fixtures, for the test below
    objects,  # noqa: F401
    post_data,
    prepare,
    rendered,  # noqa: F401
    url_for,
)
from tests.property.forms import Target, fuzz


@pytest.fixture
def target(request, case, objects, personas, login):  # noqa: F811
    name = request.param
    prepare(name, case, personas)
    pattern = next(p for p in PATTERNS if p.name == name)
    return Target(
        url=url_for(pattern, case, objects),
        client=login(personas.therapist),
        data=post_data(case),
    )


@pytest.mark.parametrize("target", sorted(POSTABLE), indirect=True)
def test_any_input_saves_or_explains_in_danish(target, request):
    fuzz(target, request.node.callspec.id)
