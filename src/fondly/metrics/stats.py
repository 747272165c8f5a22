"""Intervals for metric values, each deterministic so a report never flickers.

- shares (k of n events): Wilson score interval, which behaves at 0, 1 and small n
  where the normal interval does not;
- ratios of sums over sessions (words per session, airtime): the cluster-robust
  (linearised) interval with sessions as clusters, the large-sample equivalent of
  a bootstrap over sessions, computed from five running sums so it costs nothing
  at a million messages;
- medians: the distribution-free order-statistic interval (binomial ranks);
- the missing index: a seeded bootstrap over silence episodes (few rows, and the
  index is not a simple ratio); its mean components use the normal interval.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np

Z95 = 1.959963984540054


def wilson(k: float, n: float, z: float = Z95) -> list[float] | None:
    """95% Wilson score interval for a share of ``k`` in ``n`` (None when n is 0)."""
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At k = 0 or k = n the bound is exactly 0 or 1; rounding must not move it past p.
    lo = 0.0 if k <= 0 else max(0.0, min(p, centre - half))
    hi = 1.0 if k >= n else min(1.0, max(p, centre + half))
    return [lo, hi]


def ratio_interval(
    k: int, num: float, den: float, num2: float, numden: float, den2: float, z: float = Z95
) -> list[float] | None:
    """95% interval for ``sum(num)/sum(den)`` with sessions as independent clusters.

    ``num2``, ``numden`` and ``den2`` are the sums of squares and cross products
    over the ``k`` sessions; the residual sum of squares follows from them.
    """
    if k < 2 or den <= 0:
        return None
    r = num / den
    rss = max(0.0, num2 - 2 * r * numden + r * r * den2)
    se = math.sqrt(k / (k - 1) * rss) / den
    return [r - z * se, r + z * se]


def median(values: Sequence[float]) -> float | None:
    """The median of already sorted values (linear interpolation, like quantile_cont)."""
    n = len(values)
    if n == 0:
        return None
    mid = (n - 1) / 2
    lo, hi = math.floor(mid), math.ceil(mid)
    return values[lo] + (values[hi] - values[lo]) * (mid - lo)


def median_interval(values: Sequence[float], z: float = Z95) -> list[float] | None:
    """Order-statistic 95% interval for the median of sorted values (None below 3)."""
    n = len(values)
    if n < 3:
        return None
    half = z * math.sqrt(n) / 2
    lo = max(0, math.floor(n / 2 - half) - 1)
    hi = min(n - 1, math.ceil(n / 2 + half))
    return [values[lo], values[hi]]


def mean_interval(values: Sequence[float], z: float = Z95) -> list[float] | None:
    """Normal-approximation 95% interval of a mean (None below 2 values)."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = z * math.sqrt(var / n)
    return [mean - half, mean + half]


def _binomial_tail(x: np.ndarray, k: int, n: int) -> np.ndarray:
    """P(Binomial(n, x) >= k) for each x in ``x`` (0 < x < 1), summed in log space."""
    j = np.arange(k, n + 1, dtype=float)
    log_comb = np.array(
        [math.lgamma(n + 1) - math.lgamma(v + 1) - math.lgamma(n - v + 1) for v in j]
    )
    logs = (
        log_comb[None, :]
        + j[None, :] * np.log(x)[:, None]
        + (n - j)[None, :] * np.log1p(-x)[:, None]
    )
    return np.exp(logs).sum(axis=1)


@functools.lru_cache(maxsize=4096)
def beta_quantile(q: float, a: float, b: float) -> float:
    """Quantile of Beta(a, b) for integer-valued a, b.

    For integer parameters the Beta CDF at x is a binomial tail, P(Bin(a+b-1, x) >= a),
    so no special-function library is needed. The CDF is monotone, so the quantile
    is found by refining a grid: each of seven rounds evaluates 64 points at once
    (one numpy expression) and keeps the cell where the CDF crosses ``q``, which
    pins it to 64^-7 (about 2e-13). Bisection took 60 scalar binomial sums with
    big-integer coefficients per call, a visible share of ``compute()``.
    """
    ia, ib = round(a), round(b)
    n = ia + ib - 1
    lo, hi = 0.0, 1.0
    for _ in range(7):
        grid = np.linspace(lo, hi, 65)[1:-1]
        below = _binomial_tail(grid, ia, n) < q
        cut = int(below.sum())  # the CDF rises: the first `cut` points lie below q
        lo, hi = (
            (lo if cut == 0 else float(grid[cut - 1])),
            (hi if cut == len(grid) else float(grid[cut])),
        )
    return (lo + hi) / 2


def bootstrap(
    n_rows: int,
    statistic: Callable[[np.ndarray], np.ndarray],
    *,
    seed: int,
    resamples: int = 400,
) -> list[float] | None:
    """Seeded percentile-bootstrap 95% interval of a statistic over ``n_rows`` rows.

    ``statistic`` takes a matrix of row indices, one resample per row, and returns
    one value per resample (NaN where it is undefined): all resamples are drawn
    and scored in a few numpy operations instead of one Python call each.
    """
    if n_rows < 2:
        return None
    rng = np.random.default_rng(seed)
    values = statistic(rng.integers(0, n_rows, size=(resamples, n_rows)))
    values = np.sort(values[~np.isnan(values)])
    if len(values) < resamples // 2:
        return None
    last = len(values) - 1
    return [float(values[int(0.025 * last)]), float(values[int(0.975 * last)])]
