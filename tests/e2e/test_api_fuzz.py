"""Schemathesis fuzzes every operation against our own OpenAPI schema, as an authenticated
client: no 5xx, and every response must match the schema (status, content type, body).

The schema is loaded from an app built at import (the schema does not depend on data); each
test points that app at the test's database.

By default (and in CI) the run is derandomized: every run generates the same cases, so a
failure is reproducible and a green run is not luck. ``JOURNEYSCOPE_FUZZ=random`` explores
instead: fresh random cases, more of them, with Hypothesis's example database to replay what
failed (see CONTRIBUTING.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from schemathesis.checks import positive_data_acceptance

from factories import Tenant
from journeyscope.settings import Settings
from journeyscope.store import Database
from journeyscope.web.app import create_app

APP = create_app(
    Settings(
        data_dir=Path("unused"), database={"url": "sqlite://"}, security={"secret_key": "fuzz"}
    )
)
# Bodies that are a whole survey definition (a recursive schema of conditions) take
# schemathesis over two minutes per operation to generate, whatever max_examples says; they
# are covered by tests/integration/surveys (bad bodies) and tests/unit/surveys (hypothesis).
schema = (
    schemathesis.openapi.from_asgi("/v1/openapi.json", APP)
    .exclude(path="/v1/surveys", method="POST")
    .exclude(path="/v1/surveys/{survey_key}/draft", method="PUT")
)


FUZZ_MODES = ("pinned", "random")


def fuzz_settings(env: Mapping[str, str]) -> settings:
    """Hypothesis settings for ``JOURNEYSCOPE_FUZZ`` (``pinned``, the default, or ``random``)."""
    mode = env.get("JOURNEYSCOPE_FUZZ") or "pinned"
    if mode not in FUZZ_MODES:
        raise ValueError(f"JOURNEYSCOPE_FUZZ={mode!r}: use 'random', or leave it unset (pinned)")
    common = settings(
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    if mode == "random":
        # Named explicitly: on a CI machine Hypothesis's own "ci" profile has no database.
        replay = DirectoryBasedExampleDatabase(".hypothesis/examples")
        return settings(
            common, max_examples=200, derandomize=False, print_blob=True, database=replay
        )
    return settings(common, max_examples=25, derandomize=True, database=None)


@pytest.fixture
def fuzzed_app(db: Database) -> None:
    APP.state.db = db


@schema.parametrize()
@fuzz_settings(os.environ)
def test_api_conforms_to_its_schema(case, tenant: Tenant, fuzzed_app: None) -> None:  # type: ignore[no-untyped-def]
    # Our domain validates beyond what JSON Schema can say (unique keys inside a journey, IANA
    # time zones, email deliverability syntax), answering 422 with the field named; so
    # "schema-valid input must be accepted" cannot hold and is the one check left out.
    # Cases that carry a well-formed Authorization header get a real key; cases generated
    # without one (schemathesis checking that auth is enforced) are sent without one.
    # A malformed header (schemathesis checking the header's own format) is left as it is.
    given = (case.headers or {}).get("Authorization", "")
    if re.fullmatch(r"Bearer \S+", given):
        case.headers["Authorization"] = tenant.headers["Authorization"]
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_the_fuzzing_is_pinned_unless_random_is_asked_for() -> None:
    pinned = fuzz_settings({})
    assert (pinned.derandomize, pinned.database, pinned.max_examples) == (True, None, 25)
    explored = fuzz_settings({"JOURNEYSCOPE_FUZZ": "random"})
    assert (explored.derandomize, explored.max_examples) == (False, 200)
    assert explored.database is not None


def test_an_unknown_fuzz_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="JOURNEYSCOPE_FUZZ='often'"):
        fuzz_settings({"JOURNEYSCOPE_FUZZ": "often"})
