"""Every POST form of the network pages (network/urls.py), fuzzed as the owner (forms.py)."""

import pytest

from tests.network.test_network_access import (
    PATTERNS,
    WORK,
    network,  # noqa: F401 - the fixture, for the test below
    post_data,
    prepare,
    url_for,
)
from tests.property.forms import Target, fuzz


@pytest.fixture
def target(request, case, network, personas, login):  # noqa: F811
    name = request.param
    pattern = next(p for p in PATTERNS if p.name == name)
    prepare(name, network)
    return Target(
        url=url_for(pattern, case, network),
        client=login(personas.owner),
        data=post_data(network),
    )


@pytest.mark.parametrize("target", sorted(WORK), indirect=True)
def test_any_input_saves_or_explains_in_danish(target, request):
    fuzz(target, request.node.callspec.id)
