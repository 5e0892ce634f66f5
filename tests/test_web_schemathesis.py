"""The OpenAPI schema checked against the real server by schemathesis (bounded examples).

Every operation of the schema gets generated requests, valid and invalid; schemathesis's
checks (no server error, status codes, content types and bodies as documented, invalid
data rejected) must all pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from web_fixtures import build_store, served

EXAMPLES = 12


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(build_store(tmp_path_factory.mktemp("schema"))) as base:
        yield base


def test_the_api_keeps_its_schema(base_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: Any) -> None:
            case.call_and_validate(base_url=base_url)

        check()
