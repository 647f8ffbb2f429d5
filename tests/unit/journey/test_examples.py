import json
import re
from pathlib import Path

import pytest

from journeyscope.errors import InvalidInput
from journeyscope.journey.models import ApplyResult, Channel, JourneySpec
from journeyscope.journey.yaml_format import dump_journey_yaml, load_journey_file, load_journey_yaml

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "journeys"
FILES = sorted(EXAMPLES.glob("*.yaml"))
REQUIRED_AFTER_DISCOVERY = ["purchase", "use-7d", "use-30d", "use-90d", "support"]


@pytest.fixture(params=FILES, ids=[path.stem for path in FILES])
def example(request: pytest.FixtureRequest) -> JourneySpec:
    path: Path = request.param
    return load_journey_file(path)


def test_examples_cover_the_four_businesses() -> None:
    assert {path.stem for path in FILES} == {"retail", "saas-app", "airline", "b2b"}


def test_example_key_matches_its_file_name(example: JourneySpec) -> None:
    assert EXAMPLES / f"{example.key}.yaml" in FILES


def test_example_covers_the_required_stages_in_order(example: JourneySpec) -> None:
    keys = [stage.key for stage in example.stages]

    assert keys[0] in {"awareness", "discovery"}
    assert [key for key in keys if key in REQUIRED_AFTER_DISCOVERY] == REQUIRED_AFTER_DISCOVERY


def test_example_stages_have_descriptions_actions_and_touchpoints(example: JourneySpec) -> None:
    for stage in example.stages:
        assert len(stage.description) > 40, stage.key
        assert 2 <= len(stage.customer_actions) <= 4, stage.key
        assert 1 <= len(stage.touchpoints) <= 4, stage.key


def test_example_round_trips_through_dump(example: JourneySpec) -> None:
    assert load_journey_yaml(dump_journey_yaml(example)) == example


def test_example_files_start_with_a_comment_header() -> None:
    for path in FILES:
        assert path.read_text(encoding="utf-8").startswith("# "), path.name


@pytest.mark.parametrize(
    ("stem", "channels"),
    [
        ("retail", {Channel.ONSITE, Channel.WEBSITE, Channel.EMAIL}),
        ("saas-app", {Channel.IN_APP, Channel.WEBSITE, Channel.EMAIL}),
        ("airline", {Channel.ONSITE, Channel.EMAIL, Channel.IN_APP}),
        ("b2b", {Channel.CALL_CENTER, Channel.EMAIL}),
    ],
)
def test_example_uses_the_channels_of_its_business(stem: str, channels: set[Channel]) -> None:
    spec = load_journey_file(EXAMPLES / f"{stem}.yaml")

    used = {tp.channel for stage in spec.stages for tp in stage.touchpoints}

    assert channels <= used


DOCS = EXAMPLES.parents[1] / "docs" / "journey-yaml.md"


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_docs_complete_example_is_a_valid_journey() -> None:
    complete = next(block for block in doc_blocks("yaml") if "A small B2B journey" in block)

    assert len(load_journey_yaml(complete).stages) == 4


def test_docs_show_the_real_problems_of_the_broken_example() -> None:
    broken = next(block for block in doc_blocks("yaml") if block.startswith("key: Shop Journey"))
    [shown] = doc_blocks("text")

    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml(broken, source="shop.yaml")

    error = caught.value
    printed = [f"error: {error.message}"]
    printed += [f"  - {problem.describe()}" for problem in error.problems]
    printed += [f"  hint: {error.hint}"]
    assert shown.splitlines() == printed


def test_docs_json_example_is_a_valid_journey() -> None:
    body = next(block for block in doc_blocks("json") if '"stages"' in block)

    assert JourneySpec.model_validate(json.loads(body)).key == "retail"


def test_docs_json_example_is_applied_at_the_path_of_its_key() -> None:
    body = next(block for block in doc_blocks("json") if '"stages"' in block)

    assert f"PUT /v1/journeys/{json.loads(body)['key']}" in DOCS.read_text(encoding="utf-8")


def test_docs_apply_report_has_the_shape_the_api_answers() -> None:
    answer = json.loads(next(block for block in doc_blocks("json") if '"changes"' in block))
    report = {key: value for key, value in answer.items() if key != "changed"}

    assert ApplyResult.model_validate(report).model_dump(mode="json") == answer
