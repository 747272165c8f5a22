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

from fondly.metrics.stats import beta_quantile, bootstrap, wilson

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


def _components(episodes: list[dict[str, Any]]) -> dict[str, float | None]:
    """Each component on a 0..1 scale where 0.5 is neutral."""
    n = len(episodes)
    breaks = sum(1 for e in episodes if e["breaker"] == "them")
    scored = [int(e["them_missing"]) for e in episodes if e.get("them_missing") is not None]
    comp = [c for c in (_compensation(e) for e in episodes) if c is not None]
    warm = [w for w in (_warmth(e) for e in episodes) if w is not None]
    mean_comp = fmean(comp) if comp else None
    return {
        "partner_breaks": (breaks + PRIOR) / (n + 2 * PRIOR),
        "explicit_missing": fmean(scored) if scored else None,
        "compensation": None if mean_comp is None else mean_comp / (1 + mean_comp),
        "reentry_warmth": fmean(warm) if warm else None,
    }


def _index(episodes: list[dict[str, Any]]) -> float | None:
    values = [v for v in _components(episodes).values() if v is not None]
    return fmean(values) if values else None


def missing_index(episodes: list[dict[str, Any]], *, seed: int) -> dict[str, Any]:
    """The missing-index block of one relationship (contract: docs/metrics.md)."""
    n = len(episodes)
    breaks = sum(1 for e in episodes if e["breaker"] == "them")
    picked_up = sum(1 for e in episodes if e["breaker"] == "them" and e["last_who"] == "me")
    scored = [int(e["them_missing"]) for e in episodes if e.get("them_missing") is not None]
    comp = [c for c in (_compensation(e) for e in episodes) if c is not None]
    warm = [w for w in (_warmth(e) for e in episodes) if w is not None]
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
            "value": fmean(scored) if scored else None,
            "n": len(scored),
            "interval": wilson(sum(scored), len(scored)),
        },
        "compensation": {
            "value": fmean(comp) if comp else None,
            "n": len(comp),
            "interval": bootstrap(comp, lambda s: fmean(s), seed=seed) if comp else None,  # type: ignore[arg-type]
        },
        "reentry_warmth": {
            "value": fmean(warm) if warm else None,
            "n": len(warm),
            "interval": bootstrap(warm, lambda s: fmean(s), seed=seed) if warm else None,  # type: ignore[arg-type]
        },
    }
    months: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in episodes:
        months[str(e["month"])].append(e)
    series = [
        {
            "month": month,
            "n_episodes": len(group),
            "partner_breaks": sum(1 for e in group if e["breaker"] == "them"),
            "me_breaks": sum(1 for e in group if e["breaker"] == "me"),
        }
        for month, group in sorted(months.items())
    ]
    evidence = [
        {"message_id": e["them_first_id"], "who": "them"}
        for e in reversed(episodes)
        if e["breaker"] == "them" and e.get("them_first_id")
    ][:3]
    return {
        "value": _index(episodes) if episodes else None,
        "interval": bootstrap(episodes, _index, seed=seed) if n >= 2 else None,  # type: ignore[arg-type]
        "enough_data": n >= MIN_EPISODES,
        "n_episodes": n,
        "components": components,
        "scale": "0..1, 0.5 = neutral",
        "series": series,
        "evidence": evidence,
    }
