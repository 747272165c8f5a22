"""The missing index: is the other person missing the user? (psychology.md section 10)

Computed from silence episodes (unit ``silences``): gaps longer than the pair's
own rhythm. Four components, each read from the other person's side:

- ``partner_breaks``: share of silences they break, shrunk toward 0.5 with a
  Beta(2, 2) prior so three episodes cannot claim certainty; below four
  episodes the index says "not enough data".
- ``explicit_missing``: share of re-entry sessions where they say they missed
  the user or thought of them ("miss you", "reminded me of you").
- ``compensation``: their words in the first session after a silence over their
  median words per session; people write more after longer absences
  (Bhattacharya et al. 2016).
- ``reentry_warmth``: the sentiment and affection of their first turn back.

The index is the mean of the components on a 0..1 scale (0.5 = neutral), with a
seeded bootstrap over episodes for its interval. It is a mirror, not a verdict:
missing also rises with anxious attachment (Le et al. 2008).
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

import numpy as np

from fondly.metrics.stats import beta_quantile, bootstrap, mean_interval, wilson

MIN_EPISODES = 4
PRIOR = 2.0


def episodes_by_pair(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Silence episodes grouped by relationship, in time order."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[int(row["other_id"])].append(row)
    for episodes in grouped.values():
        episodes.sort(key=lambda e: int(e["session_no"]))
    return grouped


def _compensation(e: dict[str, Any]) -> float | None:
    typical = e.get("median_words_them")
    if typical is None or float(typical) <= 0:
        return None
    return float(e.get("words_them") or 0) / float(typical)


def _warmth(e: dict[str, Any]) -> float | None:
    sentiment, affection = e.get("them_first_sentiment"), e.get("them_first_affection")
    if sentiment is None and affection is None:
        return None
    return 0.5 * (float(sentiment or 0.0) + 1) / 2 + 0.5 * float(affection or 0)


Scored = tuple[int, int | None, float | None, float | None]
"""Per episode: (they broke it, missing language 1/0/None, compensation, warmth)."""


def _score(e: dict[str, Any]) -> Scored:
    them_missing = e.get("them_missing")
    return (
        1 if e["breaker"] == "them" else 0,
        None if them_missing is None else int(them_missing),
        _compensation(e),
        _warmth(e),
    )


def _columns(scored: list[Scored]) -> np.ndarray:
    """The scored episodes as a 4 x n float matrix, NaN where a component is unknown."""
    return np.array([[np.nan if v is None else v for v in s] for s in scored], dtype=float).T


def _index_of(columns: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """The index of each resample (row of episode indices), NaN for an empty one.

    The mean of the four components on a 0..1 scale where 0.5 is neutral: the
    shrunk share of silences they break, the share of re-entries with missing
    language, mean compensation mapped by c / (1 + c), and mean warmth. A
    component no episode of the resample informs is left out of the mean. All
    resamples are scored at once (one numpy expression per component).
    """
    n = samples.shape[1]
    if n == 0:
        return np.full(samples.shape[0], np.nan)
    picked = columns[:, samples]  # component x resample x episode
    breaks = picked[0].sum(axis=1)
    parts = [(breaks + PRIOR) / (n + 2 * PRIOR)]
    for component in (1, 2, 3):
        values = picked[component]
        known = ~np.isnan(values)
        count = known.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(known, values, 0.0).sum(axis=1) / count
        if component == 2:
            mean = mean / (1 + mean)
        parts.append(mean)
    stacked = np.vstack(parts)
    present = ~np.isnan(stacked)
    return np.where(present, stacked, 0.0).sum(axis=0) / present.sum(axis=0)


def _index(scored: list[Scored]) -> float | None:
    """The index of the episodes themselves (see :func:`_index_of`)."""
    if not scored:
        return None
    return float(_index_of(_columns(scored), np.arange(len(scored))[None, :])[0])


def _interval(scored: list[Scored], *, seed: int) -> list[float] | None:
    """Seeded bootstrap over episodes: the index is not a simple ratio to linearise."""
    columns = _columns(scored)
    return bootstrap(
        len(scored), lambda samples: _index_of(columns, samples), seed=seed, resamples=200
    )


def _month_row(month: str, group: list[dict[str, Any]]) -> dict[str, Any]:
    """One month's episodes, with each component's sum and count, so that a reader can pool
    any run of months (the insights' recent period against its baseline)."""
    scored = [_score(e) for e in group]
    said = [s[1] for s in scored if s[1] is not None]
    comp = [s[2] for s in scored if s[2] is not None]
    warm = [s[3] for s in scored if s[3] is not None]
    return {
        "month": month,
        "n_episodes": len(group),
        "partner_breaks": sum(1 for e in group if e["breaker"] == "them"),
        "me_breaks": sum(1 for e in group if e["breaker"] == "me"),
        "missing_said": sum(said),
        "missing_scored": len(said),
        "compensation_sum": round(sum(comp), 6),
        "compensation_n": len(comp),
        "warmth_sum": round(sum(warm), 6),
        "warmth_n": len(warm),
    }


def missing_index(episodes: list[dict[str, Any]], *, seed: int) -> dict[str, Any]:
    """The missing-index block of one relationship (contract: docs/metrics.md)."""
    n = len(episodes)
    scored = [_score(e) for e in episodes]
    breaks = sum(s[0] for s in scored)
    picked_up = sum(1 for e in episodes if e["breaker"] == "them" and e["last_who"] == "me")
    said = [s[1] for s in scored if s[1] is not None]
    comp = [s[2] for s in scored if s[2] is not None]
    warm = [s[3] for s in scored if s[3] is not None]
    a, b = breaks + PRIOR, n - breaks + PRIOR
    components = {
        "partner_breaks": {
            "value": a / (a + b),
            "n": n,
            "breaks": breaks,
            "picked_up_thread": picked_up,
            "pursued": breaks - picked_up,
            "interval": [beta_quantile(0.025, a, b), beta_quantile(0.975, a, b)],
        },
        "explicit_missing": {
            "value": fmean(said) if said else None,
            "n": len(said),
            "interval": wilson(sum(said), len(said)),
        },
        "compensation": {
            "value": fmean(comp) if comp else None,
            "n": len(comp),
            "interval": mean_interval(comp),
        },
        "reentry_warmth": {
            "value": fmean(warm) if warm else None,
            "n": len(warm),
            "interval": mean_interval(warm),
        },
    }
    months: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in episodes:
        months[str(e["month"])].append(e)
    series = [_month_row(month, group) for month, group in sorted(months.items())]
    evidence = [
        {"message_id": e["them_first_id"], "who": "them"}
        for e in reversed(episodes)
        if e["breaker"] == "them" and e.get("them_first_id")
    ][:3]
    return {
        "value": _index(scored),
        "interval": _interval(scored, seed=seed),
        "enough_data": n >= MIN_EPISODES,
        "n_episodes": n,
        "components": components,
        "scale": "0..1, 0.5 = neutral",
        "series": series,
        "evidence": evidence,
    }
