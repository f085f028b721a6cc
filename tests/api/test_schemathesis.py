"""Schemathesis against the schema, in-process through the WSGI app, as two personas.

Every operation gets generated requests (a few examples each, to stay quick) with the path
parameters pointing at the real case of the ``case`` fixture; no response may be a 5xx or
disagree with the schema (status code, content type, headers, body).
"""

from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from familievaerft.wsgi import application

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 8


@pytest.fixture
def api_schema(db, personas, make_token):
    # Django closes the database connection at the end of every WSGI request; the test's
    # transaction must survive them (Django's test Client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # The schema is for staff only: read with a member of staff's key.
    reader = {"Authorization": f"Token {make_token(personas.owner, read_only=True)}"}
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=reader)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_operation(operation: Any, headers: dict[str, str], path_parameters: dict[str, str]):
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @given(case=operation.as_strategy())
    def check(case):
        for name in list(case.path_parameters or {}):
            case.path_parameters[name] = path_parameters[name]
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize("persona", ["owner", "family_user"])
def test_schemathesis(
    api_schema, persona, case, plan, letter, followup, decision, personas, make_token, login
):
    if persona == "owner":
        headers = {"Authorization": f"Token {make_token(personas.owner)}"}
    else:
        client = login(personas.family_user)
        headers = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    path_parameters = {
        "case_id": str(case.pk),
        "citizen_id": str(case.citizen_id),
        "letter_id": str(letter.pk),
        "followup_id": str(followup.pk),
        "decision_id": str(decision.pk),
    }
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 21
    for operation in operations:
        run_operation(operation, headers, path_parameters)
