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
import random
from collections.abc import Callable, Sequence

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


@functools.lru_cache(maxsize=4096)
def beta_quantile(q: float, a: float, b: float) -> float:
    """Quantile of Beta(a, b) for integer-valued a, b, by bisection on the CDF.

    For integer parameters the regularised incomplete beta is a binomial tail,
    so no special-function library is needed. Cached: relationships share the
    same few (a, b) pairs, and 60 bisection steps each were a visible cost.
    """
    ia, ib = round(a), round(b)
    n = ia + ib - 1

    def cdf(x: float) -> float:
        return sum(math.comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(ia, n + 1))

    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if cdf(mid) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def bootstrap(
    rows: Sequence[object],
    statistic: Callable[[Sequence[object]], float | None],
    *,
    seed: int,
    resamples: int = 400,
) -> list[float] | None:
    """Seeded percentile-bootstrap 95% interval of ``statistic`` over ``rows``."""
    if len(rows) < 2:
        return None
    rng = random.Random(seed)
    values = []
    for _ in range(resamples):
        sample = rng.choices(rows, k=len(rows))
        value = statistic(sample)
        if value is not None:
            values.append(value)
    if len(values) < resamples // 2:
        return None
    values.sort()
    return [values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]]
