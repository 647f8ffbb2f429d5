"""Key drivers: how much of the variance of an outcome (NPS, likelihood) each rating explains.

Both methods split the R² of the ordinary least-squares regression of ``target`` on
``drivers`` into one non-negative share per driver; the shares sum to R².

- ``"lmg"``: the average, over all orderings of the drivers, of the R² a driver adds when it
  enters the model (Lindeman, Merenda & Gold 1980, p. 119ff; the Shapley value of R², Kruskal
  1987; R package ``relaimpo``, Grömping, *J. Stat. Softw.* 17(1), 2006). Computed exactly
  from the R² of all 2^p subsets, weighting each increment by ``|S|! (p-|S|-1)! / p!``; so
  at most :data:`MAX_LMG_DRIVERS` drivers.
- ``"johnson"``: relative weights (J. W. Johnson, "A heuristic method for estimating the
  relative weight of predictor variables in multiple regression", *Multivariate Behavioral
  Research* 35(1), 2000, 1-19): the drivers are replaced by their closest orthogonal
  counterparts ``Z = X (X'X)^(-1/2)``, the outcome is regressed on ``Z`` and each squared
  weight is shared back with the loadings ``Λ = (X'X)^(1/2)`` (correlation metric).

Rows with a missing value in any used column are dropped (listwise). ``frame`` can be a pandas
or polars DataFrame or a plain mapping of column name to values: columns are read with
``frame[name]`` and neither library is imported here. Bootstrap intervals resample rows with
a seeded generator, so the same call always gives the same intervals. Pure: no database.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from journeyscope.analytics.estimates import check_confidence
from journeyscope.errors import InvalidInput

MAX_LMG_DRIVERS: Final = 12
"""LMG is exact over all subsets: 2^12 = 4,096 small regressions; beyond that, refuse."""

ImportanceMethod = Literal["lmg", "johnson"]
Matrix = NDArray[np.float64]


class ColumnFrame(Protocol):
    """Anything whose columns are read as ``frame[name]``: pandas, polars, a dict of lists."""

    def __getitem__(self, key: str, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap percentile interval."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class RelativeImportance:
    """How the R² of ``target`` on ``drivers`` splits over the drivers.

    Attributes:
        importance: Driver → its raw share of R² (the values sum to ``r_squared``).
        r_squared: R² of the full least-squares model.
        method: ``"lmg"`` or ``"johnson"``.
        n: Rows used (after dropping rows with missing values).
        intervals: Driver → bootstrap percentile interval of its share, or ``None`` when no
            bootstrap was asked for.
        confidence: Confidence level of the intervals.
        bootstrap: Number of bootstrap resamples (0 for none).
    """

    importance: Mapping[str, float]
    r_squared: float
    method: str
    n: int
    intervals: Mapping[str, Interval] | None = None
    confidence: float = 0.95
    bootstrap: int = 0

    @property
    def shares(self) -> Mapping[str, float]:
        """Driver → share of R² rescaled to sum to 1 (``relaimpo``'s ``rela = TRUE``)."""
        total = self.r_squared
        return MappingProxyType(
            {k: (v / total if total > 0 else 0.0) for k, v in self.importance.items()}
        )


def read_columns(frame: ColumnFrame, names: Sequence[str]) -> Matrix:
    """The named columns as a float matrix (rows by names), rows with a missing value dropped."""
    columns = []
    for name in names:
        try:
            column = frame[name]
        except (KeyError, IndexError, TypeError) as exc:
            raise InvalidInput(
                f"no column named {name!r}", field=name, hint="check the column names"
            ) from exc
        try:
            columns.append(np.asarray(column, dtype=np.float64).reshape(-1))
        except (TypeError, ValueError) as exc:
            raise InvalidInput(
                f"column {name!r} is not numeric", field=name, hint="pass numeric ratings"
            ) from exc
    if len({len(c) for c in columns}) > 1:
        raise InvalidInput("columns have different lengths", hint="pass one row per response")
    data = np.column_stack(columns)
    return data[~np.isnan(data).any(axis=1)]


def correlations(data: Matrix, names: Sequence[str]) -> Matrix:
    """Pearson correlation matrix; refuses a column without spread."""
    spread = data.std(axis=0)
    for name, s in zip(names, spread, strict=True):
        if s == 0:
            raise InvalidInput(
                f"column {name!r} has the same value in every row",
                field=name,
                hint="leave out drivers (or targets) that do not vary",
            )
    return np.asarray(np.corrcoef(data, rowvar=False), dtype=np.float64)


def subset_r_squared(corr: Matrix, subset: Sequence[int] | range) -> float:
    """R² of the target (index 0) on the drivers in ``subset`` (1-based indices into corr)."""
    if not subset:
        return 0.0
    idx = list(subset)
    rxx, rxy = corr[np.ix_(idx, idx)], corr[0, idx]
    beta = np.linalg.lstsq(rxx, rxy, rcond=None)[0]
    return float(rxy @ beta)


def lmg_weights(corr: Matrix) -> Matrix:
    """Exact LMG (Shapley) shares of R² from a correlation matrix (target first)."""
    p = corr.shape[0] - 1
    r2 = {
        subset: subset_r_squared(corr, [i + 1 for i in subset])
        for k in range(p + 1)
        for subset in itertools.combinations(range(p), k)
    }
    weights = np.zeros(p)
    for subset, value in r2.items():
        size = len(subset)
        for j in set(range(p)) - set(subset):
            grown = tuple(sorted((*subset, j)))
            share = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            weights[j] += share * (r2[grown] - value)
    return weights


def johnson_weights(corr: Matrix) -> Matrix:
    """Johnson's (2000) relative weights from a correlation matrix (target first)."""
    rxx, rxy = corr[1:, 1:], corr[1:, 0]
    eigenvalues, vectors = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(eigenvalues, 0, None))
    loadings = vectors @ np.diag(root) @ vectors.T  # Λ = Rxx^(1/2), symmetric
    beta = np.linalg.lstsq(loadings, rxy, rcond=None)[0]  # target on the orthogonal Z
    return np.asarray((loadings**2) @ (beta**2), dtype=np.float64)


def _weights(data: Matrix, names: Sequence[str], method: ImportanceMethod) -> Matrix:
    corr = correlations(data, names)
    return lmg_weights(corr) if method == "lmg" else johnson_weights(corr)


def _check(target: str, drivers: Sequence[str], method: str, n: int) -> None:
    if method not in ("lmg", "johnson"):
        raise InvalidInput(
            f"unknown relative-importance method {method!r}",
            field="method",
            hint='use "lmg" or "johnson"',
        )
    if not drivers or target in drivers or len(set(drivers)) != len(drivers):
        raise InvalidInput(
            "drivers must be one or more distinct columns other than the target",
            field="drivers",
            hint="list each driver once and leave the target out",
        )
    if method == "lmg" and len(drivers) > MAX_LMG_DRIVERS:
        raise InvalidInput(
            f"LMG is computed exactly over all subsets, so at most {MAX_LMG_DRIVERS} drivers;"
            f" got {len(drivers)}",
            field="drivers",
            hint='group related drivers, or use method="johnson" (no such limit)',
        )
    if n < len(drivers) + 2:
        raise InvalidInput(
            f"{n} complete rows are too few for {len(drivers)} drivers",
            hint="need at least two more complete rows than drivers; far more to trust it",
        )


def relative_importance(
    frame: ColumnFrame,
    *,
    target: str,
    drivers: Sequence[str],
    method: ImportanceMethod = "lmg",
    bootstrap: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
) -> RelativeImportance:
    """Split the R² of ``target`` on ``drivers`` into one share per driver (LMG or Johnson).

    Args:
        frame: pandas or polars DataFrame, or a mapping of column name to values.
        target: The outcome column (e.g. likelihood to recommend, 0-10).
        drivers: The attribute ratings that may explain it.
        method: ``"lmg"`` (Shapley decomposition of R², exact, ≤ 12 drivers) or
            ``"johnson"`` (Johnson's relative weights).
        bootstrap: Number of row resamples for percentile intervals (0: none).
        confidence: Confidence level of the bootstrap intervals.
        seed: Seed of the resampling, so intervals are reproducible.

    Returns:
        The raw shares (summing to R²), R², the rows used and, with ``bootstrap``, intervals.
    """
    names = [target, *drivers]
    check_confidence(confidence)
    if bootstrap < 0:
        raise InvalidInput("bootstrap must be 0 or more", field="bootstrap")
    data = read_columns(frame, names)
    _check(target, drivers, method, len(data))
    weights = _weights(data, names, method)
    intervals = None
    if bootstrap:
        draws = _bootstrap(data, names, method, bootstrap, seed)
        tail = (1 - confidence) / 2 * 100
        low, high = np.nanpercentile(draws, [tail, 100 - tail], axis=0)
        intervals = MappingProxyType(
            {
                d: Interval(float(lo), float(hi))
                for d, lo, hi in zip(drivers, low, high, strict=True)
            }
        )
    return RelativeImportance(
        importance=MappingProxyType({d: float(w) for d, w in zip(drivers, weights, strict=True)}),
        r_squared=subset_r_squared(correlations(data, names), range(1, len(names))),
        method=method,
        n=len(data),
        intervals=intervals,
        confidence=confidence,
        bootstrap=bootstrap,
    )


def _bootstrap(
    data: Matrix, names: Sequence[str], method: ImportanceMethod, count: int, seed: int
) -> Matrix:
    """Weights on ``count`` row resamples; a resample where a column is constant gives NaN."""
    rng = np.random.default_rng(seed)
    draws = np.full((count, len(names) - 1), np.nan)
    for i in range(count):
        sample = data[rng.integers(0, len(data), len(data))]
        if (sample.std(axis=0) > 0).all():
            draws[i] = _weights(sample, names, method)
    return draws
