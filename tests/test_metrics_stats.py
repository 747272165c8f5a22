"""Intervals used by the metrics: deterministic and holding their value."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fondly.metrics.stats import (
    beta_quantile,
    bootstrap,
    mean_interval,
    median,
    median_interval,
    ratio_interval,
    wilson,
)


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_holds_the_share(k: int, extra: int) -> None:
    n = k + extra
    lo, hi = wilson(k, n)  # type: ignore[misc]
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_wilson_known_value_and_empty() -> None:
    lo, hi = wilson(5, 10)  # type: ignore[misc]
    assert lo == pytest.approx(0.2366, abs=1e-4)
    assert hi == pytest.approx(0.7634, abs=1e-4)
    assert wilson(0, 0) is None


def test_ratio_interval_shrinks_with_more_sessions() -> None:
    def interval(k: int) -> list[float]:
        nums, dens = [1.0, 3.0] * k, [4.0, 4.0] * k
        return ratio_interval(  # type: ignore[return-value]
            len(nums),
            sum(nums),
            sum(dens),
            sum(x * x for x in nums),
            sum(x * y for x, y in zip(nums, dens, strict=True)),
            sum(y * y for y in dens),
        )

    small, large = interval(3), interval(30)
    assert small[0] < 0.5 < small[1]
    assert large[1] - large[0] < small[1] - small[0]


def test_beta_quantile_matches_the_uniform_and_is_symmetric() -> None:
    assert beta_quantile(0.25, 1, 1) == pytest.approx(0.25, abs=1e-9)
    assert beta_quantile(0.5, 2, 2) == pytest.approx(0.5, abs=1e-9)
    assert beta_quantile(0.025, 3, 5) == pytest.approx(1 - beta_quantile(0.975, 5, 3), abs=1e-9)


@given(st.lists(st.floats(0, 1e6), min_size=3, max_size=200))
def test_median_interval_holds_the_median(values: list[float]) -> None:
    values.sort()
    lo, hi = median_interval(values)  # type: ignore[misc]
    assert lo <= median(values) <= hi  # type: ignore[operator]


def test_bootstrap_is_seeded_and_holds_the_mean() -> None:
    rows = np.array([1.0, 2.0, 5.0, 7.0, 9.0, 12.0])

    def mean(samples: np.ndarray) -> np.ndarray:
        return rows[samples].mean(axis=1)  # type: ignore[no-any-return]

    first = bootstrap(len(rows), mean, seed=3)
    assert first == bootstrap(len(rows), mean, seed=3)
    assert first is not None and first[0] < rows.mean() < first[1]
    assert bootstrap(1, mean, seed=3) is None
    assert mean_interval([1.0]) is None
