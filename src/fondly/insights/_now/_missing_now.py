"""The missing index now against before: the last six months against the year before them."""

from __future__ import annotations

from typing import Any

import numpy as np

from fondly.insights._now._intervals import bootstrap, difference, differs, wilson
from fondly.insights._now._months import _month_add

_MISSING_KEYS = (
    "n_episodes",
    "partner_breaks",
    "missing_said",
    "missing_scored",
    "compensation_sum",
    "compensation_n",
    "warmth_sum",
    "warmth_n",
)


def _missing_index(sums: Any) -> Any:
    """The index's own formula over summed columns (one row, or one per resample).

    The mean of the available parts: the shrunk share of silences they broke
    (k + 2) / (n + 4), the share of re-entries with missing language, compensation
    c / (1 + c) and warmth. NaN where the period has no silence.
    """
    n, k = sums[..., 0], sums[..., 1]
    said, scored = sums[..., 2], sums[..., 3]
    c_sum, c_n, w_sum, w_n = sums[..., 4], sums[..., 5], sums[..., 6], sums[..., 7]
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = c_sum / c_n
        parts = [
            np.where(n > 0, (k + 2.0) / (n + 4.0), np.nan),
            np.where(scored > 0, said / scored, np.nan),
            np.where(c_n > 0, comp / (1 + comp), np.nan),
            np.where(w_n > 0, w_sum / w_n, np.nan),
        ]
        stacked = np.stack(parts)
        count = (~np.isnan(stacked)).sum(axis=0)
        total = np.nansum(stacked, axis=0)
        return np.where((n > 0) & (count > 0), total / np.maximum(count, 1), np.nan)


def _index_interval(picked: list[dict[str, Any]]) -> list[float] | None:
    """The period's index, its months resampled (seeded; docs/insights.md)."""
    table = np.array([[float(r.get(key) or 0) for key in _MISSING_KEYS] for r in picked])
    if table.size == 0:
        return None
    return bootstrap([(0.0, 1.0)] * len(picked), lambda idx: _missing_index(table[idx].sum(axis=1)))


def missing_now(missing: dict[str, Any] | None, end_month: str) -> dict[str, Any]:
    """The missing index and its parts over the last six months against the year before.

    Silences are rare, so the recent period here is six months. Each period pools the
    monthly sums the metrics layer gives (metrics.missing) and applies the index's own
    formula: the mean of the shrunk share of silences they broke, the share of re-entries
    with missing language, compensation c / (1 + c) and warmth.
    """
    rows = (missing or {}).get("series") or []
    recent_from = _month_add(end_month, -5)
    out: dict[str, Any] = {"recent_from": recent_from}
    for period, keep in (
        ("recent", lambda m: m >= recent_from),
        ("baseline", lambda m: _month_add(recent_from, -12) <= m < recent_from),
    ):
        picked = [r for r in rows if keep(str(r.get("month")))]

        def total(key: str, picked: list[dict[str, Any]] = picked) -> float:
            return float(sum(float(r.get(key) or 0) for r in picked))

        n, k = int(total("n_episodes")), int(total("partner_breaks"))
        said, scored = total("missing_said"), total("missing_scored")
        comp = (
            total("compensation_sum") / total("compensation_n") if total("compensation_n") else None
        )
        warm = total("warmth_sum") / total("warmth_n") if total("warmth_n") else None
        parts = [(k + 2.0) / (n + 4.0)] if n else []
        parts += [said / scored] if scored else []
        parts += [comp / (1 + comp)] if comp is not None else []
        parts += [warm] if warm is not None else []
        has_parts = bool(picked) and all("missing_scored" in r for r in picked)
        out[period] = {
            "partner_breaks": k,
            "n_episodes": n,
            "share": round(k / n, 3) if n else None,
            "interval": wilson(k, n),
            "index_interval": _index_interval(picked) if n and has_parts else None,
            "explicit_missing": round(said / scored, 3) if scored else None,
            "reentry_warmth": None if warm is None else round(warm, 3),
            "compensation": None if comp is None else round(comp, 2),
            # a series without the component sums (an older metrics result) gives only
            # the share of silences they broke: no index for the period then
            "index": round(sum(parts) / len(parts), 3)
            if n and parts and all("missing_scored" in r for r in picked)
            else None,
        }
    r, b = out["recent"], out["baseline"]
    if r["n_episodes"] >= 3 and b["n_episodes"] >= 3:
        delta = r["share"] - b["share"]
        gap = difference(r["share"], r["interval"], b["share"], b["interval"])
        out["difference"] = gap
        if differs(gap) and abs(delta) >= 0.25:
            out["direction"] = "up" if delta > 0 else "down"
        else:
            out["direction"] = "steady"
    else:
        out["direction"] = "unknown"
    return out


def missing_now_reading(split: dict[str, Any]) -> str:
    """The silences they broke lately against before, in one sentence."""
    recent, before = split["recent"], split["baseline"]
    if not recent["n_episodes"]:
        return "No silences in the last six months to read."
    text = (
        f"In the last six months they broke {recent['partner_breaks']} of "
        f"{recent['n_episodes']} silences"
    )
    if before["n_episodes"]:
        text += f" (the year before: {before['partner_breaks']} of {before['n_episodes']})"
    if recent.get("explicit_missing"):
        text += f", and said they missed you after {recent['explicit_missing']:.0%} of them"
    return text + "."
