"""Insights: turn the metrics result into something a person can read and act on.

Input is the dict from ``fondly.metrics.compute`` (DEVELOPERS.md, "Contract: metrics
result"); output is plain JSON-ready data that the terminal and HTML reports draw. Per
relationship: a scorecard of the ten practices (reading, trend, certainty, evidence),
the missing index with its parts, and ranked suggestions from the research table.
Message text is read only for evidence excerpts, and passes through the redactor first
when ``redact=True``. Insights hold no SQL: what they read beyond the metrics result
(quoted messages, each relationship's days, chart data, moments) comes through
``fondly.metrics.reader.ChatReader``, which :func:`build_insights` makes from the store.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from fondly.insights import _activity as activity
from fondly.insights import _language
from fondly.insights import _now as now
from fondly.insights._across import add_comparisons
from fondly.insights._evidence import evidence_items, excerpt, fetch_messages
from fondly.insights._moments import moments_for, quoter
from fondly.insights._reading import (
    MIN_MISSING_EPISODES,
    MISSING_COMPONENTS,
    PRACTICES,
    certainty_of,
    fmt_value,
    has_enough,
    headline_trend,
    is_share,
    reading_of,
    short_reading_of,
    trend_of,
    value_of,
)
from fondly.insights._redact import (
    Redactor,
    describe_messages,
    hide_phrases,
    months_only,
    store_names,
)
from fondly.insights._rows import rows as row_definitions
from fondly.insights._suggest import (
    BANNED_PHRASES,
    MIN_MESSAGES_FOR_ADVICE,
    banned_in,
    signals,
)
from fondly.insights._suggest import suggest as make_suggestions
from fondly.metrics.reader import ChatReader, reader_of

SCHEMA = "fondly.insights/1"

__all__ = [
    "BANNED_PHRASES",
    "MIN_MESSAGES_FOR_ADVICE",
    "PRACTICES",
    "SCHEMA",
    "Redactor",
    "activity",
    "banned_in",
    "build_insights",
    "excerpt",
    "make_redactor",
    "redact_metrics",
    "signals",
]


def make_redactor(store: Any, *, enabled: bool) -> Redactor:
    """A redactor that knows every name in the store (or a no-op one).

    ``store``: the open store, a :class:`~fondly.metrics.reader.ChatReader` on it, or None.
    """
    if not enabled:
        return Redactor(enabled=False)
    return Redactor(store_names(reader_of(store)), enabled=True)


def _headline(practice: str, metrics: list[dict[str, Any]]) -> dict[str, Any]:
    """The metric that leads a practice's row: declared by exact id in ``data/rows.tsv``.

    When the store has no value for it (a store computed by an older fondly), the row
    falls back to the practice's metric with the most data, so the row is never empty.
    """
    declared = row_definitions().get(practice)
    for metric in metrics:
        if declared is not None and metric["id"] == declared.metric:
            return metric

    def rank(metric: dict[str, Any]) -> tuple[int, int, str]:
        enough = sum(has_enough(metric, s) for s in ("me", "them", "pair"))
        both = int(metric.get("me") is not None and metric.get("them") is not None)
        return (-min(enough, 2), -both, str(metric["id"]))

    return sorted(metrics, key=rank)[0]


def _metric_row(metric: dict[str, Any], evidence: list[dict[str, Any]]) -> dict[str, Any]:
    sides = tuple(s for s in ("me", "them") if metric.get(s) is not None) or ("pair",)
    certainty = certainty_of(metric, sides)
    trend = now.trend_now(metric) if metric.get("now") else headline_trend(metric)
    enough = certainty.level != "not enough data"
    return {
        "metric_id": metric["id"],
        "name": metric.get("name") or metric["id"],
        "unit": metric.get("unit"),
        "direction": metric.get("direction"),
        "citation": metric.get("citation"),
        "me": value_of(metric, "me"),
        "them": value_of(metric, "them"),
        "pair": value_of(metric, "pair"),
        "me_text": fmt_value(value_of(metric, "me"), metric),
        "them_text": fmt_value(value_of(metric, "them"), metric),
        "pair_text": fmt_value(value_of(metric, "pair"), metric),
        "trend": trend if enough else {"label": "unknown", "arrow": "·", "side": trend["side"]},
        "now": metric.get("now"),
        "certainty": certainty.as_dict(),
        "reading": reading_of(metric, certainty, trend),
        "short": short_reading_of(metric, certainty, trend),
        "evidence": evidence if enough else [],
    }


def _missing(
    missing: dict[str, Any] | None, texts: dict[str, Any], redact: Redactor
) -> dict[str, Any]:
    """The missing index, read with its four parts and its caveat (section 10)."""
    if not missing:
        return {
            "value": None,
            "certainty": {
                "level": "not enough data",
                "why": "no silences measured yet",
                "words": "too few events",
            },
            "reading": "Not enough data yet: no silences to learn from.",
            "components": [],
            "trend": {"label": "unknown", "arrow": "·", "side": "value"},
            "evidence": [],
            "series": [],
        }
    n_episodes = int(missing.get("n_episodes") or 0)
    value = missing.get("value")
    enough = bool(missing.get("enough_data")) and value is not None
    components: list[dict[str, Any]] = []
    for key, label in MISSING_COMPONENTS.items():
        raw = (missing.get("components") or {}).get(key)
        if isinstance(raw, dict):
            raw = raw.get("value")
        value_c = None if raw is None else float(raw)
        # Compensation is a ratio of words (1 = as usual); the others are already 0..1
        # with 0.5 neutral. ``scaled`` puts all four on the index's own scale.
        scaled: float | None
        if key == "compensation" and value_c is not None:
            scaled, text = value_c / (1 + value_c), f"{value_c:.1f}×"
        else:
            scaled, text = value_c, "–" if value_c is None else f"{value_c:.2f}"
        components.append(
            {
                "id": key,
                "label": label,
                "value": None if value_c is None else round(value_c, 3),
                "scaled": None if scaled is None else round(scaled, 3),
                "text": text,
            }
        )
    pseudo = {"id": "missing_index", "min_n": 2, "direction": "higher", "unit": "share"}
    trend = trend_of(_missing_series(missing.get("series") or []), pseudo, "value")
    if not enough:
        reading = (
            f"Not enough data yet: {n_episodes} silence"
            f"{'' if n_episodes == 1 else 's'} so far; fondly needs {MIN_MISSING_EPISODES}."
        )
        certainty = {
            "level": "not enough data",
            "why": f"{n_episodes} silences",
            "words": "too few events",
        }
    else:
        v = float(value)  # type: ignore[arg-type]  # enough implies a value
        value_text = f"{v:.2f}"  # the one rounding the heading and the sentence both show
        # The index is on 0..1 with 0.5 neutral (metrics.missing); a tenth either side is
        # within what four to ten silences can tell apart.
        level = "run high" if v > 0.6 else "run low" if v < 0.4 else "are about neutral"
        strongest = max(
            (c for c in components if c["scaled"] is not None),
            key=lambda c: c["scaled"],
            default=None,
        )
        reading = f"Signs that they miss you {level} ({value_text}; 0.5 is neutral)"
        if strongest and strongest["scaled"] > 0.55 and level != "run low":
            reading += f", mostly because {strongest['label']}"
        reading += (
            ". Missing also rises with worry and dependence, so a high value is not simply "
            "more love (Le et al. 2008)."
        )
        certainty = certainty_of(
            {
                "me": {
                    "value": v,
                    "n": n_episodes,
                    "interval": missing.get("interval"),
                    "enough_data": True,
                },
                "min_n": MIN_MISSING_EPISODES,
                "unit": "share",
            },
            ("me",),
        ).as_dict()
    return {
        "value": None if value is None else round(float(value), 3),
        "value_text": None if value is None else f"{float(value):.2f}",
        "interval": missing.get("interval"),
        "n_episodes": n_episodes,
        "certainty": certainty,
        "reading": reading,
        "components": components,
        "trend": trend if enough else {"label": "unknown", "arrow": "·", "side": "value"},
        "evidence": evidence_items(missing.get("evidence"), texts, "missing", redact)
        if enough
        else [],
        "series": missing.get("series") or [],
    }


def _missing_series(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Monthly share of silences they broke, weighted by silences, for the index's trend."""
    out = []
    for row in rows:
        if row.get("value") is not None:
            out.append(row)
        elif row.get("n_episodes"):
            n = int(row["n_episodes"])
            share = float(row.get("partner_breaks") or 0) / n
            out.append({"month": row.get("month"), "value": share, "n_value": n})
    return out


def _last_messages(
    reader: ChatReader | None, relationship: dict[str, Any], limit: int = 2
) -> list[dict[str, Any]]:
    conversations = [int(c) for c in relationship.get("conversations") or []]
    if reader is None or not conversations:
        return []
    return [{"message_id": m, "who": None} for m in reader.last_messages(conversations, limit)]


def _evidence_ids(relationship: dict[str, Any]) -> list[str]:
    """The messages a relationship's insights may quote: its metrics' and missing index's."""
    metrics = (relationship.get("metrics") or {}).values()
    ids = [ref["message_id"] for m in metrics for ref in (m.get("evidence") or [])[:20]]
    missing = (relationship.get("missing_index") or {}).get("evidence") or []
    return ids + [r["message_id"] for r in missing]


def _display_name(person: dict[str, Any], redact: Redactor) -> str:
    if redact.enabled:
        return f"Person {person.get('person_id')}"
    return str(person.get("name") or f"Person {person.get('person_id')}")


def _as_of(metrics_result: dict[str, Any], reader: ChatReader | None) -> str | None:
    """The end of the data: silences are measured up to here, not up to today."""
    if reader is not None:
        last = reader.last_local_time()
        if last is not None:
            return str(last)
    lasts = [str(r.get("last")) for r in metrics_result.get("relationships") or [] if r.get("last")]
    return max(lasts) if lasts else None


def relationship_insights(
    relationship: dict[str, Any],
    reader: ChatReader | None,
    redact: Redactor,
    as_of: Any,
    me_id: Any = None,
    texts: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Scorecard, missing index and suggestions for one relationship.

    ``texts``: evidence texts fetched for several relationships at once
    (:func:`build_insights`); read through ``reader`` when some are not there.
    """
    # Every reading below is of the recent period (``_now.recent_view``), measured up to
    # this relationship's own last message; the whole history stays under ``all_time``.
    timeline = now.read_timeline(reader, relationship, me_id)
    end_month = _end_month(timeline, relationship)
    metrics = {
        key: now.recent_view(m | {"id": m.get("id") or key}, end_month)
        for key, m in (relationship.get("metrics") or {}).items()
    }
    last_refs = _last_messages(reader, relationship)
    wanted = _evidence_ids(relationship) + [r["message_id"] for r in last_refs]
    if texts is None or any(str(m) not in texts for m in wanted):
        texts = fetch_messages(reader, wanted)
    if redact.enabled:  # no word of a message past --redact: only what kind it is
        texts = describe_messages(reader, texts)

    by_practice: dict[str, list[dict[str, Any]]] = {p: [] for p in PRACTICES}
    for metric in metrics.values():
        by_practice.setdefault(str(metric.get("practice") or "other"), []).append(metric)
    scorecard: list[dict[str, Any]] = []
    for practice, found in by_practice.items():
        if practice == "missing":
            continue
        label, covers = PRACTICES.get(practice, (practice.title(), ""))
        if not found:
            scorecard.append(
                {
                    "practice": practice,
                    "label": label,
                    "covers": covers,
                    "headline": None,
                    "metrics": [],
                    "reading": "Not measured yet.",
                    "short": "not measured yet",
                    "certainty": {
                        "level": "not enough data",
                        "why": "not measured",
                        "words": "too few events",
                    },
                    "trend": {"label": "unknown", "arrow": "·", "side": "pair"},
                    "evidence": [],
                }
            )
            continue
        rows = [
            _metric_row(m, evidence_items(m.get("evidence"), texts, practice, redact))
            for m in sorted(found, key=lambda m: str(m["id"]))
        ]
        head = _headline(practice, found)
        head_row = next(r for r in rows if r["metric_id"] == head["id"])
        declared = row_definitions().get(practice)
        plain = declared if declared is not None and declared.metric == head["id"] else None
        scorecard.append(
            {
                "practice": practice,
                "label": label,
                "covers": covers,
                # what the row measures, in a reader's words (data/rows.tsv)
                "measures": plain.label if plain else head_row["name"],
                "unit_words": plain.unit if plain else head_row["unit"],
                "good": plain.good if plain else None,
                "good_citation": plain.citation if plain else head_row["citation"],
                "headline": head_row,
                "metrics": rows,
                "reading": head_row["reading"],
                "short": head_row["short"],
                "certainty": head_row["certainty"],
                "trend": head_row["trend"],
                "evidence": head_row["evidence"],
            }
        )

    def evidence_for(
        metric: dict[str, Any] | None, practice: str, prefer: str | None = None
    ) -> list[dict[str, Any]]:
        if metric is None:
            return evidence_items(last_refs, texts, practice, redact, limit=1)
        refs = list(metric.get("evidence") or [])
        if prefer:
            refs.sort(key=lambda r: r.get("who") != prefer)
        return evidence_items(refs, texts, practice, redact)

    suggestions, note = make_suggestions(relationship | {"metrics": metrics}, as_of, evidence_for)
    person = relationship.get("person") or {}
    name = _display_name(person, redact)

    # Now against before: everything below is measured on this relationship's own data,
    # up to its own last message (never another chat's end).
    seen = now.contact(timeline)
    found_alerts = now.alerts(timeline, metrics, seen, name) if note is None else []
    alert_texts = fetch_messages(reader, [i for a in found_alerts for i in a["evidence_ids"]])
    if redact.enabled:  # alerts quote too: described, never quoted, past --redact
        alert_texts = describe_messages(reader, alert_texts)
    for alert in found_alerts:
        refs = [{"message_id": i, "who": alert.get("last_from")} for i in alert.pop("evidence_ids")]
        alert["evidence"] = evidence_items(refs, alert_texts, "rhythm", redact, limit=4)
        alert["evidence_caption"] = _ALERT_CAPTION[alert["signal"]]
    missing_index = relationship.get("missing_index")
    changes = now.your_changes(metrics, missing_index, name) if note is None else []
    missing_block = _missing(missing_index, texts, redact)
    missing_block["now"] = now.missing_now(missing_index, end_month)
    missing_block["now_reading"] = now.missing_now_reading(missing_block["now"])
    _lead_with_recent(missing_block)
    for sug in suggestions:
        _attach_moments(sug, reader, relationship, me_id, redact)
    suggestions = _dedupe_quotes(_with_alerts(found_alerts, suggestions))
    change = now.change_label(timeline, seen, found_alerts)
    result: dict[str, Any] = {
        "person_id": person.get("person_id"),
        "name": name,
        "platforms": person.get("platforms") or [],
        "n_messages": relationship.get("n_messages"),
        "first": _iso(relationship.get("first")),
        "last": _iso(relationship.get("last")),
        "enough_data": note is None,
        "note": note,
        "headline": _headline_sentence(name, found_alerts, changes, change, seen, note),
        "change": change,
        "contact": seen,
        "alerts": found_alerts,
        "changes": changes,
        "scorecard": scorecard,
        "missing": missing_block,
        "suggestions": suggestions,
    }
    return _language.apply(result, relationship)  # unread languages said, not scored


def _lead_with_recent(block: dict[str, Any]) -> None:
    """Read the missing index of the last six months first, when it has enough silences.

    The whole-chat index stays (``value``), but a partner who broke 14 of the last 15
    silences should not be read from years that are over (docs/insights.md).
    """
    recent = block["now"]["recent"]
    if recent.get("index") is None or recent["n_episodes"] < MIN_MISSING_EPISODES:
        block["recent_text"] = None
        return
    v = float(recent["index"])
    block["recent_text"] = f"{v:.2f}"
    level = "run high" if v > 0.6 else "run low" if v < 0.4 else "are about neutral"
    before = block["now"]["baseline"].get("index")
    text = f"In the last six months, signs that they miss you {level} ({v:.2f}"
    if before is not None:
        text += f"; the year before {float(before):.2f}"
    text += "; 0.5 is neutral)"
    if block.get("value_text"):
        text += f"; over the whole chat {block['value_text']}"
    block["reading"] = (
        text + ". Missing also rises with worry and dependence, so a high value is not "
        "simply more love (Le et al. 2008)."
    )


def _attach_moments(
    sug: dict[str, Any],
    reader: ChatReader | None,
    relationship: dict[str, Any],
    me_id: Any,
    redact: Redactor,
) -> None:
    """Replace a suggestion's evidence with the moments that show its claim (``_moments``).

    Where the chat holds no such moment the evidence is left empty: no quote is better
    than one that shows something else.
    """
    found = moments_for(
        sug["signal"], reader, relationship, me_id, quoter(reader, redact, sug["practice"])
    )
    if found is None:
        if reader is not None:
            sug["evidence"], sug["evidence_caption"] = [], ""
        return
    sug["moments"] = found["moments"]
    sug["moments_caption"] = found["caption"] if found["moments"] else ""
    sug["done_well"] = found["done_well"]
    sug["done_well_caption"] = found["done_caption"] if found["done_well"] else ""
    sug["evidence"] = [item for group in found["moments"] for item in group]
    sug["evidence_caption"] = sug["moments_caption"]


def _dedupe_quotes(suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No message is quoted twice on one page: a later suggestion drops a repeated moment."""
    seen: set[str] = set()
    for sug in suggestions:
        for key in ("moments", "done_well"):
            if key not in sug:
                continue
            kept = []
            for group in sug[key]:
                ids = {item["message_id"] for item in group}
                texts = {item["excerpt"] for item in group}
                if ids & seen or texts & seen:
                    continue
                seen |= ids | texts
                kept.append(group)
            sug[key] = kept
        if "moments" in sug:
            sug["evidence"] = [item for group in sug["moments"] for item in group]
        else:
            fresh = [e for e in sug.get("evidence") or [] if e["message_id"] not in seen]
            seen |= {e["message_id"] for e in fresh} | {e["excerpt"] for e in fresh}
            sug["evidence"] = fresh
    return suggestions


_ALERT_CAPTION = {
    "unanswered": "Your messages since their last reply:",
    "they_stopped_starting": "",
    "fading": "The last message:",
}


def _end_month(timeline: Any, relationship: dict[str, Any]) -> str:
    if timeline is not None:
        return str(timeline.last.strftime("%Y-%m"))
    return str(relationship.get("last") or "0000-01")[:7]


def _with_alerts(
    found_alerts: list[dict[str, Any]], suggestions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Alerts first, as suggestions: unanswered and fading contact outrank everything else.

    A contact alert makes a "give them room" or "check in" suggestion from the metrics
    redundant, so those are dropped rather than repeated below it.
    """
    # Contact volume is judged per day by the fading alert; the monthly decay signal
    # would let a partial last month decide, so it never leads.
    suggestions = [s for s in suggestions if s["signal"] != "contact_decay"]
    if not found_alerts:
        return suggestions
    first = [
        {
            "signal": a["signal"],
            "label": a["label"],
            "practice": "rhythm",
            "suggestion": a["suggestion"],
            "citation": a["citation"],
            "metric_id": None,
            "metric_name": None,
            "why": a["why"],
            "gap": 1.0,
            "strength": a["strength"],
            "score": round(10 + a["strength"], 3),
            "alert": True,
            "evidence": a["evidence"],
            "evidence_caption": a["evidence_caption"],
        }
        for a in found_alerts
    ]
    rest = [s for s in suggestions if s["signal"] not in {"many_in_a_row"}]
    return first + rest


def _headline_sentence(
    name: str,
    found_alerts: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    change: dict[str, Any],
    seen: dict[str, Any],
    note: str | None,
) -> str:
    """One sentence that tells the story now: an alert, else your change, else the contact."""
    if note is not None:
        return note
    if found_alerts:
        why = found_alerts[0]["why"]
        return why[0].upper() + why[1:] + "."
    if changes:
        return str(changes[0]["sentence"])
    label = change.get("label")
    words = {
        "new": f"You and {name} are new: there is no earlier baseline yet",
        "reconnected": f"You and {name} are back in touch ({change.get('why')})",
        "silent": f"You and {name} are silent: {change.get('why')}",
        "closer": f"You and {name} are in touch more than before",
        "drifting": f"You and {name} are in touch much less than before",
        "steady": f"You and {name} are in touch about as much as before",
    }.get(str(label), f"Not enough history to compare with {name} yet")
    if label == "steady" and change.get("quieter_lately"):
        words = f"You and {name} have written much less in the last 30 days, not yet a trend"
    if label in {"closer", "drifting", "steady"}:
        words += f" ({change.get('why')})"
    return words + "."


def _starts_from_metrics(rel: dict[str, Any]) -> list[dict[str, Any]]:
    """Conversations each person opened per month, from the initiation-share metric.

    Read from the metric (share x sessions) rather than recounted, so the chart and
    the scorecard can never disagree about who starts conversations.
    """
    metric = (rel.get("metrics") or {}).get("initiation_share") or {}
    rows = []
    for point in metric.get("series") or []:
        for who in ("me", "them"):
            share, n = point.get(who), point.get(f"n_{who}")
            if share is not None and n:
                rows.append({"month": point["month"], "who": who, "starts": round(share * n)})
    return rows


def _latency_from_metrics(rel: dict[str, Any]) -> list[dict[str, Any]]:
    """Median reply minutes per month each way, from the (sleep-adjusted) latency metric."""
    metric = (rel.get("metrics") or {}).get("reply_latency") or {}
    return [
        {"month": point["month"], "who": who, "minutes": point[who]}
        for point in metric.get("series") or []
        for who in ("me", "them")
        if point.get(who) is not None
    ]


def _months_from_metrics(rel: dict[str, Any]) -> list[dict[str, Any]]:
    """Monthly message counts from the ``messages`` metric, when there is no store to ask."""
    rows = ((rel.get("metrics") or {}).get("messages") or {}).get("series") or []
    return [
        {"month": r["month"], "me": int(r.get("me") or 0), "them": int(r.get("them") or 0)}
        for r in rows
        if r.get("month")
    ]


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _closeness(rel: dict[str, Any], top_rate: float) -> dict[str, Any]:
    """A rough closeness score (0-100) and the change label, for ranking only.

    Built from the recent period only (docs/insights.md): contact in the last 90 days
    (log-scaled against your busiest relationship: Roberts & Dunbar 2015 tie closeness to
    contact), how even the exchange is (Ohadi et al. 2018: similar habits, not volume),
    and the missing index when it has enough data. A relationship whose messages go
    unanswered, or that is silent, is not close whatever its history: its score is cut to
    a third. It orders the overview; it is never shown as a verdict.
    """
    seen = rel.get("contact") or {}
    rate = float(seen.get("recent_per_week") or 0.0)
    them = float(seen.get("them_recent_per_week") or 0.0)
    volume = math.log1p(rate) / math.log1p(top_rate) if top_rate > 0 else 0.0
    balance = 1 - abs((rate - them) / rate - 0.5) * 2 if rate > 0 else 0.0
    missing = rel["missing"]
    if missing["certainty"]["level"] != "not enough data" and missing["value"] is not None:
        pull = float(missing["value"])
        score = 0.6 * volume + 0.2 * balance + 0.2 * pull
    else:
        score = 0.7 * volume + 0.3 * balance
    label = rel["change"]["label"]
    if label in {"unanswered", "silent"}:
        score /= 3
    return {
        "closeness": round(100 * score),
        "change": label,
        "change_why": rel["change"].get("why"),
        "per_week_recent": seen.get("recent_per_week"),
        "per_week_before": seen.get("baseline_per_week"),
    }


def build_insights(
    metrics_result: dict[str, Any],
    store: Any = None,
    *,
    redact: bool = False,
    charts: bool = False,
) -> dict[str, Any]:
    """Insights for every relationship in a metrics result, plus a ranked overview.

    Args:
        metrics_result: the dict from ``fondly.metrics.compute``.
        store: the open store, for evidence text and chart data (None: numbers only); a
            :class:`~fondly.metrics.reader.ChatReader` on it does as well. Only the reader
            made from it is passed on: insights never query the store themselves.
        redact: replace names, phone numbers, e-mail addresses, URLs and places.
        charts: also read the chart data the HTML report draws (slower on big chats).
    """
    reader = reader_of(store)
    redactor = make_redactor(reader, enabled=redact)
    as_of = _as_of(metrics_result, reader)
    me_id = (metrics_result.get("me") or {}).get("person_id")
    relationships = []
    rels = metrics_result.get("relationships") or []
    # one read of every quoted message, not one per relationship (each is a scan)
    last = [r["message_id"] for rel in rels for r in _last_messages(reader, rel)]
    texts = fetch_messages(reader, [m for rel in rels for m in _evidence_ids(rel)] + last)
    for rel in rels:
        found = relationship_insights(rel, reader, redactor, as_of, me_id, texts)
        months = activity.monthly_counts(reader, rel, me_id) or _months_from_metrics(rel)
        found["activity"] = {"months": months}
        if charts:
            found["activity"] |= {
                "starts": _starts_from_metrics(rel),
                "latency": _latency_from_metrics(rel),
                "heatmap": activity.hour_heatmap(reader, rel, me_id),
                "phrases": activity.shared_phrases(reader, rel, me_id, redactor),
            }
        relationships.append(found)
    add_comparisons(relationships)
    top_rate = max(
        (float((r.get("contact") or {}).get("recent_per_week") or 0.0) for r in relationships),
        default=0.0,
    )
    overview = []
    for rel in relationships:
        rel["overview"] = _closeness(rel, top_rate)
        top = rel["suggestions"][0]["suggestion"] if rel["suggestions"] else None
        overview.append(
            {
                "person_id": rel["person_id"],
                "name": rel["name"],
                "n_messages": rel["n_messages"],
                "last": rel["last"],
                "missing": rel["missing"]["value"]
                if rel["missing"]["certainty"]["level"] != "not enough data"
                else None,
                # the same rounding as the person page's heading and sentence
                "missing_text": rel["missing"]["value_text"]
                if rel["missing"]["certainty"]["level"] != "not enough data"
                else None,
                "top_suggestion": top,
                "headline": rel["headline"],
                **rel["overview"],
            }
        )
    overview.sort(key=lambda r: (-r["closeness"], str(r["name"])))
    result = {
        "schema": SCHEMA,
        "as_of": _iso(as_of),
        "redacted": redact,
        "relationships": relationships,
        "overview": overview,
    }
    if redact:
        for rel in relationships:
            if "phrases" in rel["activity"]:
                rel["activity"]["phrases"] = hide_phrases(rel["activity"]["phrases"])
        result = months_only(result)
    return result


def redact_metrics(metrics_result: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """A copy of the metrics result with people's names replaced, for ``--json --redact``."""
    if not redactor.enabled:
        return metrics_result
    out = dict(metrics_result)
    me = dict(out.get("me") or {})
    if me:
        me["name"] = "[ME]"
        out["me"] = me
    rels = []
    for rel in out.get("relationships") or []:
        rel = dict(rel)
        person = dict(rel.get("person") or {})
        person["name"] = f"Person {person.get('person_id')}"
        rel["person"] = person
        # Metric items (the inside-jokes list) hold words from the chat: redact them too.
        metrics = {}
        for key, metric in (rel.get("metrics") or {}).items():
            if isinstance(metric, dict) and isinstance(metric.get("items"), list):
                metric = metric | {"items": hide_phrases(metric["items"])}
            metrics[key] = metric
        rel["metrics"] = metrics
        rels.append(rel)
    out["relationships"] = rels
    return dict(months_only(out))


def is_share_metric(metric: dict[str, Any]) -> bool:
    """Whether a metric's values are shares (0-1), for charts that format axes."""
    return is_share(metric)
