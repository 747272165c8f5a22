"""Now against before: the recent period, the relationship's own baseline, alerts and changes.

Whole-history averages tell a person what their relationship *was*. Here every reading is
split into the recent period (the last 90 days of this relationship's own data) and its
baseline (the year before that), and three kinds of findings are read from the split:

- **alerts**: your messages left unanswered, a partner who stopped starting conversations,
  a steep fall in their contact. They outrank every suggestion (docs/insights.md).
- **the change label** of the overview: new, reconnected, closer, steady, drifting,
  silent or unanswered.
- **your own changes**: a clear change point in something you do (who starts, messages in
  a row, follow-up questions, celebrating their news), with what the other person did
  after it: the "did it work?" that the practices call for.

"Now" is always the relationship's own last message, never another chat's (a chat
exported in March says nothing about a silence in a chat exported in June). Rates are
per day, so a few days of a new month weigh as a few days, never as a month.

One module per job: ``_labels`` (contact and the change label), ``_alerts``,
``_recent`` (the recent view of a metric and its trend), ``_changes`` (your change
points and what followed), ``_missing_now`` (the missing index lately), on
``_intervals`` and ``_months``. This package re-exports their names.
"""

from fondly.insights._now._alerts import (
    ALERT_TEXT,
    FADE_RATIO,
    STOPPED_BEFORE,
    STOPPED_NOW,
    UNANSWERED_HOURS,
    alerts,
)
from fondly.insights._now._changes import (
    CHANGE_METRICS,
    CHANGE_MIN_DELTA,
    CHANGE_MIN_N,
    CHANGE_Z,
    RETURN_PRIOR_ODDS,
    _change_point,
    your_changes,
)
from fondly.insights._now._intervals import (
    BOOT_MIN_UNITS,
    BOOT_RESAMPLES,
    BOOT_SEED,
    bootstrap,
    difference,
    differs,
    period_interval,
    wilson,
)
from fondly.insights._now._labels import (
    BASELINE_DAYS,
    CLOSER_LAST30,
    CLOSER_RATIO,
    DRIFT_LAST30,
    DRIFT_RATIO,
    MIN_BASELINE_DAYS,
    RECENT_DAYS,
    RECONNECT_DAYS,
    RECONNECT_WINDOW_DAYS,
    SILENT_DAYS,
    change_label,
    contact,
    read_timeline,
)
from fondly.insights._now._missing_now import missing_now, missing_now_reading
from fondly.insights._now._recent import EVEN, now_and_before, recent_view, trend_now, windows
from fondly.metrics.reader import Timeline

__all__ = [
    "ALERT_TEXT",
    "BASELINE_DAYS",
    "BOOT_MIN_UNITS",
    "BOOT_RESAMPLES",
    "BOOT_SEED",
    "CHANGE_METRICS",
    "CHANGE_MIN_DELTA",
    "CHANGE_MIN_N",
    "CHANGE_Z",
    "CLOSER_LAST30",
    "CLOSER_RATIO",
    "DRIFT_LAST30",
    "DRIFT_RATIO",
    "EVEN",
    "FADE_RATIO",
    "MIN_BASELINE_DAYS",
    "RECENT_DAYS",
    "RECONNECT_DAYS",
    "RECONNECT_WINDOW_DAYS",
    "RETURN_PRIOR_ODDS",
    "SILENT_DAYS",
    "STOPPED_BEFORE",
    "STOPPED_NOW",
    "UNANSWERED_HOURS",
    "Timeline",
    "_change_point",
    "alerts",
    "bootstrap",
    "change_label",
    "contact",
    "difference",
    "differs",
    "missing_now",
    "missing_now_reading",
    "now_and_before",
    "period_interval",
    "read_timeline",
    "recent_view",
    "trend_now",
    "wilson",
    "windows",
    "your_changes",
]
