"""Every endpoint of the API, for every member of the fixed cast, answers as its schema says.

What this module guarantees, for each operation (path and method) of the OpenAPI document served at
/api/v1/schema/, called with an API token of each cast member in turn (one test per member), on
requests schemathesis generates from the schema, both valid ones and invalid ones:

- every check schemathesis has passes (``CHECKS``): no server error; every status code, content type,
  header and body is documented and matches its schema; invalid data is refused
  (``negative_data_rejection``: a 4xx, never a success) and valid data is not refused as malformed
  (``positive_data_acceptance``; a write may still meet a rule of the domain, a 400); a required
  header left out is refused; a method the path does not take is a 405 with ``Allow``; and the
  credentials are enforced (``ignored_auth``: the same request with no token, and with a wrong
  one, is a 401);
- the member's token is accepted throughout (never a 401) and some answers are successes, so the
  checks above are not passed on refusals alone.

Invalid data goes only to operations that take input. An invalid path parameter (``/people/-1/``)
matches no URL, and the API's JSON 404 answers it (mash/common/views.py).

Endpoints added later are covered without editing this module: the operations come from the served
schema. The requests go to the WSGI application in this process, inside the test's transaction, on
a database with something in it (``api_content``). Each operation is a subtest, so one report lists
every operation that fails.
"""

import os
import re

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.result import Ok
from schemathesis.specs.openapi import checks as openapi_checks

from tests.api.conftest import ROLES

SCHEMA_URL = "/api/v1/schema/?format=json"

load_all_checks()


def positive_data_acceptance(ctx, response, case):
    """schemathesis's check, except that a write well formed by the schema may still be refused by
    a rule of the domain (a person's details missing, a time in the past, a state that does not
    allow the move): a 400 naming the rule. A read's valid parameters are always accepted."""
    if case.method.upper() != "GET" and response.status_code == 400:
        return None
    return openapi_checks.positive_data_acceptance(ctx, response, case)


def negative_data_rejection(ctx, response, case):
    """schemathesis's check, except for one reading DRF makes on purpose: a JSON number sent for a
    text field is read as its digits (``CharField``), like a form's value."""
    try:
        return openapi_checks.negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData as failure:
        mutations = re.findall(r"\(was (\w+), became (\w+)\)", str(failure))
        if mutations and all(pair in NUMBER_AS_TEXT for pair in mutations):
            return None
        raise


NUMBER_AS_TEXT = {("string", "number"), ("string", "integer")}
REPLACED = {
    openapi_checks.positive_data_acceptance: positive_data_acceptance,
    openapi_checks.negative_data_rejection: negative_data_rejection,
}

# Every check schemathesis has, ignored_auth and negative_data_rejection included. The stateful
# ones (use_after_free, ensure_resource_availability, object_level_authorization) need the
# links of a stateful run and pass here without a word.
CHECKS = [REPLACED.get(check, check) for check in REGISTRY.get_all()]

# Examples per operation, per kind of data, per member: enough to reach the documented branches of
# a small operation while the whole module stays around a minute. API_SMOKE_EXAMPLES=200 digs
# deeper locally. Failing examples are not kept between runs (database=None), so each run draws afresh;
# a failure prints its seed and a curl command to reproduce it.
EXAMPLES = hypothesis.settings(
    max_examples=int(os.environ.get("API_SMOKE_EXAMPLES", "10")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def load_schema(app, credentials, known_ids):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app, headers=credentials)

    # Random integers almost never name a record that exists; mix in the ids of records this test
    # made, so detail endpoints also answer with real records, shown or refused.
    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        names = [name for name, value in (path_parameters or {}).items() if type(value) is int]
        if not names:
            return st.just(path_parameters)
        known = st.fixed_dictionaries({name: st.sampled_from(known_ids) for name in names})
        return st.one_of(st.just(path_parameters), known.map(lambda ids: {**path_parameters, **ids}))

    return schema


def exercise(operation, mode: GenerationMode, credentials, statuses: list[int]) -> None:
    @EXAMPLES
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        response = case.call(headers=credentials)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=credentials)

    call()


@pytest.fixture
def unthrottled(settings):
    """The throttles are tested on their own (tests/test_api_throttles.py); here they would only
    count the run's requests, and ignored_auth's wrong tokens, against the member."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": None, "failed_auth": None},
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_as_documented_to(
    role, cast, api_content, wsgi_app, token_header, subtests, unthrottled
):
    credentials = token_header(getattr(cast, role))
    schema = load_schema(wsgi_app, credentials, known_ids=sorted({obj.pk for obj in api_content}))
    statuses: list[int] = []

    results = list(schema.get_all_operations())
    assert results, "the schema lists no operation"
    for result in results:
        if not isinstance(result, Ok):
            with subtests.test(msg="schema"):
                raise result.err()
            continue
        operation = result.ok()
        # Invalid data needs something to be invalid in: an operation without input gets none.
        takes_input = bool(operation.path_parameters or operation.query or operation.body)
        for mode in GenerationMode if takes_input else [GenerationMode.POSITIVE]:
            with subtests.test(msg=f"{operation.label} ({mode.value} data)"):
                exercise(operation, mode, credentials, statuses)

    # A harness whose token were refused would see only documented 401s and pass: make sure the
    # member was signed in throughout, and was answered, not only refused.
    assert 401 not in statuses, f"{role}'s token was refused"
    assert any(200 <= status < 300 for status in statuses), f"{role} never got a successful answer"
