"""Your own changes: a clear change point in what you do, and what the other person did after.

The "did it work?" that the practices call for: who starts, messages in a row,
follow-up questions and celebrating their news, each with its before and after.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from fondly.insights._now._intervals import _spread, difference, differs, period_interval, wilson
from fondly.insights._now._labels import RECONNECT_DAYS
from fondly.insights._now._months import _mean, _month_name, _months_of, _pool
from fondly.insights._reading import fmt_value

CHANGE_Z, CHANGE_MIN_DELTA, CHANGE_MIN_N = 3.0, 0.2, 12
"""A change point: a two-proportion z of 3 or more, 20 points apart, 12 events each side."""

RETURN_PRIOR_ODDS = 4.0
"""Dating a change: a month that ends a silence of two months or more (a return) is four
times as likely a priori to be where a person changed as any other month."""

CHANGE_METRICS: dict[str, tuple[str, str]] = {
    "initiation_share": ("you start more conversations", "you start fewer conversations"),
    "double_texting": ("you send more messages in a row", "you send fewer messages in a row"),
    "followup_questions": ("you ask more follow-up questions", "you ask fewer follow-up questions"),
    "active_constructive": (
        "you celebrate their good news more often",
        "you celebrate their good news less often",
    ),
}
"""Your behaviours whose change points fondly looks for: metric id -> (up, down) wording."""


def _is_return(before: str, after: str) -> bool:
    """Whether the months ``before`` and ``after`` sit on either side of a long silence."""
    gap = datetime(int(after[:4]), int(after[5:7]), 1) - datetime(
        int(before[:4]), int(before[5:7]), 28
    )
    return gap.days >= RECONNECT_DAYS


def _change_point(rows: list[tuple[str, float, float]]) -> dict[str, Any] | None:
    """Your clear change, dated at the month that most likely starts it.

    Two steps, so that a change found is a change and its date is the likeliest one:

    - **Is there a change?** Some split into before and after (12+ events and two months
      or more on each side: one odd first month is not a "before") has a two-proportion
      z of 3 or more, 20 points apart.
    - **Since when?** Among the splits that show a change of 20 points or more in the same
      direction, the one with the highest posterior: the two-segment binomial likelihood
      (z squared over two, in log odds) plus the log of ``RETURN_PRIOR_ODDS`` for a month
      that ends a silence of 60 days or more. People change when they come back, so a
      return needs a little less evidence to carry the date than any month before it.
    """
    splits: list[dict[str, Any]] = []
    for i in range(2, len(rows) - 1):  # at least two months before and two after
        before, after = rows[:i], rows[i:]
        n_b, n_a = sum(r[2] for r in before), sum(r[2] for r in after)
        if n_b < CHANGE_MIN_N or n_a < CHANGE_MIN_N:
            continue
        p_b = sum(r[1] * r[2] for r in before) / n_b
        p_a = sum(r[1] * r[2] for r in after) / n_a
        p = (p_b * n_b + p_a * n_a) / (n_b + n_a)
        se = math.sqrt(max(p * (1 - p), 1e-9) * (1 / n_b + 1 / n_a))
        z = (p_a - p_b) / se
        prior = math.log(RETURN_PRIOR_ODDS) if _is_return(rows[i - 1][0], rows[i][0]) else 0.0
        split = {"since": rows[i][0], "before": p_b, "after": p_a, "z": z}
        splits.append(split | {"n_before": n_b, "n_after": n_a, "score": z * z / 2 + prior})
    clear = [
        s
        for s in splits
        if abs(s["z"]) >= CHANGE_Z and abs(s["after"] - s["before"]) >= CHANGE_MIN_DELTA
    ]
    if not clear:
        return None
    way = max(clear, key=lambda s: abs(s["z"]))["z"] > 0
    dated = [
        s
        for s in splits
        if (s["z"] > 0) == way and abs(s["after"] - s["before"]) >= CHANGE_MIN_DELTA
    ]
    return max(dated, key=lambda s: s["score"])


def _split(series: list[dict[str, Any]], who: str, since: str, *, share: bool) -> Any:
    before = (_pool if share else _mean)(series, who, lambda m: m < since)
    after = (_pool if share else _mean)(series, who, lambda m: m >= since)
    return before, after


def _followed(
    metrics: dict[str, Any], missing: dict[str, Any] | None, since: str, name: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """What the other person did after ``since``: who starts, silences broken, reply time."""
    found: list[dict[str, Any]] = []
    words: list[str] = []
    starts = (metrics.get("initiation_share") or {}).get("series") or []
    before, after = _split(starts, "them", since, share=True)
    if before and after and before[1] >= 5 and after[1] >= 5:
        b, a = before[0] / before[1], after[0] / after[1]
        found.append(
            {
                "metric_id": "initiation_share",
                "who": "them",
                "before": round(b, 3),
                "after": round(a, 3),
                "before_interval": wilson(*before),
                "after_interval": wilson(*after),
            }
        )
        words.append(f"{name} starts {a:.0%} of your conversations (was {b:.0%})")
    rows = (missing or {}).get("series") or []
    b_n = sum(int(r.get("n_episodes") or 0) for r in rows if str(r.get("month")) < since)
    a_n = sum(int(r.get("n_episodes") or 0) for r in rows if str(r.get("month")) >= since)
    b_k = sum(int(r.get("partner_breaks") or 0) for r in rows if str(r.get("month")) < since)
    a_k = sum(int(r.get("partner_breaks") or 0) for r in rows if str(r.get("month")) >= since)
    if b_n >= 3 and a_n >= 3:
        found.append(
            {
                "metric_id": "missing_index.partner_breaks",
                "who": "them",
                "before": [b_k, b_n],
                "after": [a_k, a_n],
                "before_interval": wilson(b_k, b_n),
                "after_interval": wilson(a_k, a_n),
            }
        )
        words.append(f"breaks {a_k} of {a_n} silences (was {b_k} of {b_n})")
    # How long their answer to your openings takes (a slow reply included); the median of
    # all their replies is the fallback for results computed before first_reply existed.
    metric_id = "first_reply" if metrics.get("first_reply") else "reply_latency"
    latency = metrics.get(metric_id) or {}
    months = _months_of(latency.get("series") or [], "them")
    before, after = _split(latency.get("series") or [], "them", since, share=False)
    spread = _spread(latency.get("them"))
    ci_b = period_interval([(v, w) for m, v, w in months if m < since], spread)
    ci_a = period_interval([(v, w) for m, v, w in months if m >= since], spread)
    moved = bool(before and after and abs(after[0] - before[0]) >= 0.3 * max(after[0], before[0]))
    moved = (
        moved and differs(difference(after[0], ci_a, before[0], ci_b))
        if before and after
        else False
    )
    if before and after and before[1] >= 5 and after[1] >= 5 and moved:
        found.append(
            {
                "metric_id": metric_id,
                "who": "them",
                "before": round(before[0], 1),
                "after": round(after[0], 1),
                "before_interval": ci_b,
                "after_interval": ci_a,
            }
        )
        what = "answers your openings" if metric_id == "first_reply" else "replies"
        words.append(
            f"{what} in a median of {fmt_value(after[0], latency)} "
            f"instead of {fmt_value(before[0], latency)}"
        )
    return found, words


def your_changes(
    metrics: dict[str, Any], missing: dict[str, Any] | None, name: str
) -> list[dict[str, Any]]:
    """Clear changes in what you do, each with the before/after figures and what followed."""
    out = []
    for metric_id, (up, down) in CHANGE_METRICS.items():
        metric = metrics.get(metric_id) or {}
        point = _change_point(_months_of(metric.get("series") or [], "me"))
        if point is None:
            continue
        direction = "up" if point["after"] > point["before"] else "down"
        since = point["since"]
        followed, words = _followed(metrics, missing, since, name)
        what = up if direction == "up" else down
        sentence = (
            f"Since {_month_name(since)} {what} ({point['before']:.0%} to {point['after']:.0%})"
        )
        if words:
            sentence += "; since then " + ", ".join(words[:-1])
            sentence += (" and " if len(words) > 1 else "") + words[-1]
        out.append(
            {
                "metric_id": metric_id,
                "who": "me",
                "direction": direction,
                "since": since,
                "before": round(point["before"], 3),
                "after": round(point["after"], 3),
                "n_before": int(point["n_before"]),
                "n_after": int(point["n_after"]),
                "before_interval": wilson(point["before"] * point["n_before"], point["n_before"]),
                "after_interval": wilson(point["after"] * point["n_after"], point["n_after"]),
                "them_after": followed,
                "sentence": sentence + ".",
            }
        )
    out.sort(key=lambda c: -abs(c["after"] - c["before"]))
    return out
