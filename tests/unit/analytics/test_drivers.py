"""Relative importance: LMG is the Shapley value of R², Johnson's weights sum to R²."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyscope.analytics import relative_importance
from journeyscope.errors import InvalidInput


def _r_squared(data: dict[str, np.ndarray], target: str, drivers: list[str]) -> float:
    if not drivers:
        return 0.0
    x = np.column_stack([np.ones(len(data[target]))] + [data[d] for d in drivers])
    y = data[target]
    residuals = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    return float(1 - residuals @ residuals / ((y - y.mean()) @ (y - y.mean())))


def _random_frame(seed: int, p: int, n: int = 60) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(p, p))
    x = rng.normal(size=(n, p)) @ mixing  # correlated drivers
    y = x @ rng.normal(size=p) + rng.normal(scale=2.0, size=n)
    frame = {f"x{i}": x[:, i] for i in range(p)}
    frame["y"] = y
    return frame


def _shapley_by_orderings(frame: dict[str, np.ndarray], drivers: list[str]) -> dict[str, float]:
    """Average R² increment over every ordering, counted one ordering at a time."""
    totals = dict.fromkeys(drivers, 0.0)
    orderings = list(itertools.permutations(drivers))
    for order in orderings:
        for k, driver in enumerate(order):
            before = _r_squared(frame, "y", list(order[:k]))
            totals[driver] += _r_squared(frame, "y", list(order[: k + 1])) - before
    return {d: t / len(orderings) for d, t in totals.items()}


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_lmg_equals_shapley_by_brute_force(seed: int, p: int) -> None:
    frame = _random_frame(seed, p)
    drivers = [f"x{i}" for i in range(p)]
    result = relative_importance(frame, target="y", drivers=drivers)
    expected = _shapley_by_orderings(frame, drivers)
    for d in drivers:
        assert result.importance[d] == pytest.approx(expected[d], abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8), st.sampled_from(["lmg", "johnson"]))
def test_shares_sum_to_r_squared(seed: int, p: int, method: str) -> None:
    frame = _random_frame(seed, p)
    drivers = [f"x{i}" for i in range(p)]
    result = relative_importance(frame, target="y", drivers=drivers, method=method)  # type: ignore[arg-type]
    r2 = _r_squared(frame, "y", drivers)
    assert result.r_squared == pytest.approx(r2, abs=1e-9)
    assert sum(result.importance.values()) == pytest.approx(r2, abs=1e-9)
    assert all(v >= -1e-12 for v in result.importance.values())
    assert sum(result.shares.values()) == pytest.approx(1.0)


def test_uncorrelated_drivers_get_their_own_r_squared() -> None:
    x1 = np.array([1, -1, 1, -1, 1, -1, 1, -1], dtype=float)
    x2 = np.array([1, 1, -1, -1, 1, 1, -1, -1], dtype=float)  # orthogonal to x1
    y = 2 * x1 + x2 + np.array([0.1, -0.2, 0.3, 0.0, -0.1, 0.2, -0.3, 0.0])
    frame = {"y": y, "x1": x1, "x2": x2}
    for method in ("lmg", "johnson"):
        result = relative_importance(frame, target="y", drivers=["x1", "x2"], method=method)  # type: ignore[arg-type]
        assert result.importance["x1"] == pytest.approx(np.corrcoef(y, x1)[0, 1] ** 2)
        assert result.importance["x2"] == pytest.approx(np.corrcoef(y, x2)[0, 1] ** 2)


def test_rows_with_missing_values_are_dropped() -> None:
    frame = _random_frame(3, 2)
    with_gap = {k: [*v.tolist(), math.nan] for k, v in frame.items()}
    with_gap["x0"][-1] = 1.0
    assert relative_importance(with_gap, target="y", drivers=["x0", "x1"]).n == 60


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    frame = _random_frame(7, 3, n=120)
    drivers = ["x0", "x1", "x2"]
    first = relative_importance(frame, target="y", drivers=drivers, bootstrap=60, seed=4)
    again = relative_importance(frame, target="y", drivers=drivers, bootstrap=60, seed=4)
    assert first.intervals is not None and first.intervals == again.intervals
    for d in drivers:
        interval = first.intervals[d]
        assert interval.low <= first.importance[d] <= interval.high


def test_too_many_drivers_for_exact_lmg_are_refused() -> None:
    frame = _random_frame(1, 13, n=40)
    drivers = [f"x{i}" for i in range(13)]
    with pytest.raises(InvalidInput, match="at most 12"):
        relative_importance(frame, target="y", drivers=drivers)
    assert relative_importance(frame, target="y", drivers=drivers, method="johnson").n == 40


@pytest.mark.parametrize(
    ("frame", "drivers", "message"),
    [
        ({"y": [1, 2, 3, 4], "x": [1, 1, 1, 1]}, ["x"], "same value"),
        ({"y": [1, 2, 3, 4], "x": [1, 2, 4, 3]}, ["z"], "no column"),
        ({"y": [1, 2, 3, 4], "x": [1, 2, 4, 3]}, ["y"], "other than the target"),
        ({"y": [1, 2, 3], "x": [1, 2, 4], "w": [3, 1, 2]}, ["x", "w"], "too few"),
        ({"y": [1, 2, 3, 4], "x": ["a", "b", "c", "d"]}, ["x"], "not numeric"),
    ],
)
def test_bad_frames_are_refused(
    frame: dict[str, list[object]], drivers: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        relative_importance(frame, target="y", drivers=drivers)


def test_result_is_frozen() -> None:
    result = relative_importance(_random_frame(2, 2), target="y", drivers=["x0", "x1"])
    with pytest.raises(TypeError):
        result.importance["x0"] = 0.0  # type: ignore[index]


class _Column:
    """Stands in for a pandas or polars Series: only ``__array__``, like theirs."""

    def __init__(self, values: np.ndarray) -> None:
        self._values = values

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return self._values if dtype is None else self._values.astype(dtype)


class _Frame:
    """Stands in for a DataFrame: columns are read with ``frame[name]``, nothing else."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self._columns = columns

    def __getitem__(self, key: str) -> _Column:
        return _Column(self._columns[key])


def test_dataframe_like_inputs_give_the_same_result_as_a_mapping() -> None:
    frame = _random_frame(5, 3)
    drivers = ["x0", "x1", "x2"]
    assert relative_importance(_Frame(frame), target="y", drivers=drivers) == (
        relative_importance(frame, target="y", drivers=drivers)
    )
