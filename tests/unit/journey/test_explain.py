import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from journeyscope.errors import Problem, dotted_path
from journeyscope.journey.explain import (
    FORMAT_DOCS,
    Loc,
    add_lines,
    explain_errors,
    find_raw_duplicate_keys,
    parse_path,
)
from journeyscope.journey.models import JourneySpec


def errors_of(data: dict[Any, Any]) -> list[ErrorDetails]:
    try:
        JourneySpec.model_validate(data)
    except ValidationError as error:
        return error.errors(include_url=False)
    raise AssertionError("the data is a valid journey")


def journey(**fields: Any) -> dict[Any, Any]:
    stage = {
        "key": "buy",
        "name": "Buy",
        "touchpoints": [{"key": "t", "name": "T", "channel": "email"}],
    }
    return {"key": "shop", "name": "Shop", "stages": [stage], **fields}


def with_channel(channel: object) -> dict[Any, Any]:
    data = journey()
    data["stages"][0]["touchpoints"][0]["channel"] = channel
    return data


def test_explain_errors_words_a_json_mistake_like_a_file_one() -> None:
    [problem] = explain_errors(errors_of(with_channel("phone")))

    assert problem == Problem(
        "stages[0].touchpoints[0].channel",
        "Unknown channel `phone`.",
        "Did you mean `call_center`? Channels are: onsite, email, call_center, in_app, website, "
        "sms, other.",
    )


def test_explain_errors_leaves_out_the_line_without_a_line_finder() -> None:
    problems = explain_errors(errors_of(journey(key="Shop Journey", name=7)))

    assert [p.line for p in problems] == [None, None]


def test_explain_errors_asks_the_line_finder_for_each_location() -> None:
    asked: list[Loc] = []

    def line_of(loc: Loc) -> int:
        asked.append(loc)
        return len(asked) + 10

    problems = explain_errors(errors_of(journey(key="Shop Journey", name=7)), line_of=line_of)

    assert asked == [("key",), ("name",)]
    assert [p.line for p in problems] == [11, 12]


def test_explain_errors_quotes_a_scalar_as_written_in_the_source() -> None:
    [problem] = explain_errors(errors_of(journey(name=7)), written_of=lambda loc: "007")

    assert problem.problem == "`name` should be text, but `007` reads as a number."
    assert problem.fix == 'Put the value in quotes, e.g. "007", so it stays text.'


def test_explain_errors_quotes_a_scalar_as_python_has_it_without_the_source() -> None:
    [problem] = explain_errors(errors_of(journey(name=7)))

    assert problem.problem == "`name` should be text, but `7` reads as a number."


def test_explain_errors_does_not_ask_for_the_written_form_of_text() -> None:
    asked: list[Loc] = []

    def written_of(loc: Loc) -> str:
        asked.append(loc)
        return "never used"

    [problem] = explain_errors(errors_of(with_channel("kiosk")), written_of=written_of)

    assert asked == []
    assert problem.problem == "Unknown channel `kiosk`."


def test_explain_errors_names_a_key_that_is_not_text_by_the_key_itself() -> None:
    [problem] = explain_errors(errors_of({**journey(), 1: "x"}))

    assert problem.field == "1"
    assert problem.problem == "Field names must be text, but `1` reads as a number."


def test_explain_errors_says_what_a_missing_field_is_for() -> None:
    data = journey()
    del data["stages"][0]["touchpoints"][0]["name"]

    [problem] = explain_errors(errors_of(data))

    assert problem.problem == "The touchpoint has no `name`."
    assert problem.fix == "Add `name:`, the human-readable name shown on the journey map."


def test_explain_errors_uses_pydantics_words_for_an_unusual_error() -> None:
    error = ErrorDetails(type="uuid_type", loc=("stages", 0, "name"), msg="UUID input", input=1)

    [problem] = explain_errors([error])

    assert problem.problem == "`name`: UUID input."
    assert problem.fix == f"See {FORMAT_DOCS} for what this field accepts."


def test_explain_errors_returns_nothing_for_no_errors() -> None:
    assert explain_errors([]) == []


def test_add_lines_fills_in_only_problems_with_a_field_and_no_line() -> None:
    problems = [
        Problem("stages[1].key", "a", "fix a"),
        Problem("stages[0].name", "b", "fix b", 3),
        Problem(None, "c", "fix c"),
    ]

    located = add_lines(problems, line_of=lambda loc: 40 + len(loc))

    assert located == [
        Problem("stages[1].key", "a", "fix a", 43),
        Problem("stages[0].name", "b", "fix b", 3),
        Problem(None, "c", "fix c"),
    ]


def test_find_raw_duplicate_keys_checks_a_journey_that_failed_validation() -> None:
    data = journey(stages=[{"key": "buy", "channel": 3}, {"key": " buy ", "name": None}])

    [problem] = find_raw_duplicate_keys(data, where=lambda path: f"{path} (here)")

    assert problem.field == "stages[1].key"
    assert "stages[0] (here) already has it" in problem.problem


def test_find_raw_duplicate_keys_checks_touchpoints_across_stages() -> None:
    stages = [
        {"key": "a", "touchpoints": [{"key": "mail"}, "not a mapping"]},
        {"key": "b", "touchpoints": [{"key": "mail", "channel": "?"}]},
    ]

    [problem] = find_raw_duplicate_keys(journey(stages=stages))

    assert problem.field == "stages[1].touchpoints[0].key"


def test_find_raw_duplicate_keys_skips_stages_that_are_not_a_list() -> None:
    assert find_raw_duplicate_keys(journey(stages="buy, buy")) == []
    assert find_raw_duplicate_keys(["not", "a", "mapping"]) == []


def test_dotted_path_renders_names_and_positions() -> None:
    assert dotted_path(("stages", 2, "touchpoints", 0, "channel")) == (
        "stages[2].touchpoints[0].channel"
    )
    assert dotted_path(()) == ""


names = st.text(string.ascii_lowercase + string.digits + "_-", min_size=1, max_size=12)


@given(st.lists(st.one_of(names, st.integers(0, 999))))
def test_parse_path_reverses_dotted_path(loc: list[str | int]) -> None:
    assert parse_path(dotted_path(tuple(loc))) == tuple(loc)
