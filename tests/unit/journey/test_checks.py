from journeyscope.journey.checks import check_journey, find_duplicate_keys
from journeyscope.journey.models import JourneySpec


def journey(*stages: tuple[str, list[str]]) -> JourneySpec:
    """A journey with the given stage keys, each with touchpoints of the given keys."""
    return JourneySpec.model_validate(
        {
            "key": "j",
            "name": "J",
            "stages": [
                {
                    "key": key,
                    "name": key.title(),
                    "touchpoints": [{"key": tp, "name": tp, "channel": "email"} for tp in tps],
                }
                for key, tps in stages
            ],
        }
    )


def test_check_journey_returns_nothing_when_keys_are_unique() -> None:
    spec = journey(("awareness", ["ad", "site"]), ("purchase", ["receipt"]))

    assert check_journey(spec) == []


def test_check_journey_allows_stage_and_touchpoint_to_share_a_key() -> None:
    spec = journey(("purchase", ["purchase"]))

    assert check_journey(spec) == []


def test_check_journey_reports_duplicate_stage_key_with_its_first_use() -> None:
    spec = journey(("awareness", []), ("purchase", []), ("use", []), ("purchase", []))

    [problem] = check_journey(spec)

    assert problem.field == "stages[3].key"
    assert "`purchase`" in problem.problem
    assert "stages[1]" in problem.problem
    assert "`purchase-2`" in problem.fix


def test_check_journey_reports_touchpoint_key_reused_in_another_stage() -> None:
    spec = journey(("purchase", ["receipt"]), ("support", ["faq", "receipt"]))

    [problem] = check_journey(spec)

    assert problem.field == "stages[1].touchpoints[1].key"
    assert "`receipt`" in problem.problem
    assert "stages[0].touchpoints[0]" in problem.problem
    assert "whole journey" in problem.problem
    assert "`support-receipt`" in problem.fix


def test_check_journey_reports_touchpoint_key_reused_in_the_same_stage() -> None:
    spec = journey(("purchase", ["receipt", "receipt"]))

    [problem] = check_journey(spec)

    assert problem.field == "stages[0].touchpoints[1].key"
    assert "stages[0].touchpoints[0]" in problem.problem


def test_check_journey_points_every_repeat_at_the_first_use() -> None:
    spec = journey(("a", []), ("a", []), ("a", []))

    problems = check_journey(spec)

    assert [p.field for p in problems] == ["stages[1].key", "stages[2].key"]
    assert all("stages[0] already has it" in p.problem for p in problems)


def test_check_journey_suggests_a_key_that_is_not_taken() -> None:
    spec = journey(("purchase", []), ("purchase-2", []), ("purchase", []))

    [problem] = check_journey(spec)

    assert "`purchase-3`" in problem.fix


def test_check_journey_keeps_suggested_key_within_63_characters() -> None:
    long_key = "s" * 63
    spec = journey((long_key, []), (long_key, []))

    [problem] = check_journey(spec)

    suggestion = problem.fix.split("`")[1]
    assert len(suggestion) == 63
    assert suggestion.endswith("-2")


def test_check_journey_renders_first_use_with_where() -> None:
    spec = journey(("a", []), ("a", []))

    [problem] = check_journey(spec, where=lambda path: f"{path} (line 9)")

    assert "stages[0] (line 9) already has it" in problem.problem


def test_find_duplicate_keys_skips_missing_keys() -> None:
    problems = find_duplicate_keys([(None, [None, "x"]), (None, [None, "x"])])

    assert [p.field for p in problems] == ["stages[1].touchpoints[1].key"]
    assert "`x-2`" in problems[0].fix
