from __future__ import annotations

import pytest

from journeyscope.analytics.dimensions import check_segments, rollup_for, segment_value
from journeyscope.errors import InvalidInput


@pytest.mark.parametrize(
    ("by", "filters", "rollup"),
    [
        (["stage", "channel"], ["survey"], "metric"),
        (["stage", "segment:tier"], ["touchpoint"], "segment"),
        (["language"], [], "segment"),
        ([], ["device_class"], "segment"),
    ],
)
def test_each_query_goes_to_the_rollup_that_holds_its_dimensions(
    by: list[str], filters: list[str], rollup: str
) -> None:
    assert rollup_for(by, filters) == rollup


@pytest.mark.parametrize(
    ("by", "filters"),
    [
        (["segment:tier", "segment:region"], []),
        (["language"], ["channel"]),
        (["question"], ["segment:a"]),
    ],
)
def test_dimensions_no_single_rollup_holds_are_refused(by: list[str], filters: list[str]) -> None:
    with pytest.raises(InvalidInput):
        rollup_for(by, filters)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("gold", "gold"),
        (3, "3"),
        (2.5, "2.5"),
        (True, "true"),
        (None, None),
        ([1], None),
        ("", None),
    ],
)
def test_segment_values_are_scalars_as_text(value: object, kept: str | None) -> None:
    assert segment_value(value) == kept


def test_segment_names_are_checked_and_deduplicated() -> None:
    assert check_segments(["tier", "region", "tier"]) == ["tier", "region"]
    with pytest.raises(InvalidInput):
        check_segments(["no spaces"])
