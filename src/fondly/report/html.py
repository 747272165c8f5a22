"""The HTML report: one self-contained file that works offline and shows every text safely.

Charts are Vega-Lite specs built with Altair and drawn by Vega-Embed, whose JavaScript
(with Vega and Vega-Lite) is inlined once from ``vl_convert.javascript_bundle()``, so
the file opens on a plane and never calls home. Safety comes in three layers:

1. Jinja2 autoescaping for every piece of user text in the page;
2. chart data embedded as JSON in ``<script type="application/json">`` with ``<``, ``>``
   and ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no message can close
   the script element;
3. a Content-Security-Policy that allows only this file's own scripts (by nonce) and no
   network at all, so even a missed escape could neither run nor fetch anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from fondly._private import write_private

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_WHO = {"me": "You", "them": "Them"}
_CONCAT_WIDTH = 760
"""Stacked charts cannot size to their container in Vega-Lite; this fits the page column."""
_COLOURS = {"domain": ["You", "Them"], "range": ["#3b6ea5", "#e07a5f"]}


# -- the JavaScript bundle ----------------------------------------------------------


def _cache_dir() -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "fondly"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fondly"


def chart_script() -> str:
    """The Vega bundle and fondly's chart drawing (``charts.js``), as one script.

    Both faces load this one text, so the report and the app draw charts the same way.
    """
    from importlib.resources import files

    drawing = files("fondly.report").joinpath("charts.js").read_text("utf-8")
    return vega_bundle() + "\n" + drawing


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, safe to inline.

    Building the bundle takes seconds, so it is cached per process and on disk (keyed
    by the vl-convert version, which pins the library versions inside).
    """
    from importlib.metadata import version

    import vl_convert

    cache = _cache_dir() / f"vega-bundle-{version('vl-convert-python')}.js"
    try:
        text = cache.read_text("utf-8")
        if "vegaEmbed" in text:
            return _script_safe(text)
    except OSError:
        pass
    text = vl_convert.javascript_bundle(_GLOBALS)
    with contextlib.suppress(OSError):  # a read-only home only costs speed
        write_private(cache, text)
    return _script_safe(text)


_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
"""The bundle's entry snippet: expose the three libraries to the page's own script."""


def _script_safe(js: str) -> str:
    """Make sure nothing inside the bundle can end the inline script element early."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def json_for_script(data: Any) -> Markup:
    """JSON that is inert inside a <script> element: no "<", ">" or "&" survives raw."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)


# -- charts ---------------------------------------------------------------------------


def _alt() -> Any:
    import altair as alt

    return alt


def _spec(chart: Any) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)  # a URL: harmless, but the file should hold none it needs
    return spec


def chart_starts(starts: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not starts:
        return None
    alt = _alt()
    rows = [{"month": r["month"], "who": _WHO[r["who"]], "starts": r["starts"]} for r in starts]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("starts:Q", title="conversations started"),
            color=alt.Color("who:N", title=None, scale=alt.Scale(**_COLOURS)),
            tooltip=["month:O", "who:N", "starts:Q"],
        )
        .properties(width="container", height=220)
    )
    return _spec(chart)


def chart_latency(rows_in: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not rows_in:
        return None
    alt = _alt()
    rows = [
        {"month": r["month"], "who": _WHO[r["who"]], "minutes": r["minutes"]}
        for r in rows_in
        if r.get("minutes") is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("minutes:Q", title="median minutes to reply", scale=alt.Scale(type="symlog")),
            color=alt.Color("who:N", title="reply from", scale=alt.Scale(**_COLOURS)),
            tooltip=["month:O", "who:N", alt.Tooltip("minutes:Q", format=".1f")],
        )
        .properties(width="container", height=220)
    )
    return _spec(chart)


def chart_months(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not months:
        return None
    alt = _alt()
    rows = [
        {"month": m["month"], "who": label, "messages": m[key]}
        for m in months
        for key, label in _WHO.items()
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_area(opacity=0.8)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("messages:Q", title="messages", stack=True),
            color=alt.Color("who:N", title=None, scale=alt.Scale(**_COLOURS)),
            tooltip=["month:O", "who:N", "messages:Q"],
        )
        .properties(width="container", height=180)
    )
    return _spec(chart)


def chart_missing(missing: dict[str, Any]) -> dict[str, Any] | None:
    """Who broke each month's silences, next to the four parts of the index."""
    alt = _alt()
    series = [r for r in missing.get("series") or [] if r.get("month")]
    layers = []
    if series and "partner_breaks" in series[0]:
        rows = [
            {"month": r["month"], "who": who, "silences": int(r.get(key) or 0)}
            for r in series
            for key, who in (("me_breaks", "You"), ("partner_breaks", "Them"))
        ]
        layers.append(
            alt.Chart(alt.Data(values=rows))
            .mark_bar()
            .encode(
                x=alt.X("month:O", title=None),
                y=alt.Y("silences:Q", title="silences broken"),
                color=alt.Color("who:N", title="broken by", scale=alt.Scale(**_COLOURS)),
                tooltip=["month:O", "who:N", "silences:Q"],
            )
            .properties(width=_CONCAT_WIDTH, height=160)
        )
    parts = [
        {"part": c["label"], "value": c["scaled"], "shown": c["text"]}
        for c in missing.get("components") or []
        if c.get("scaled") is not None
    ]
    if parts:
        bars = (
            alt.Chart(alt.Data(values=parts))
            .mark_bar()
            .encode(
                y=alt.Y("part:N", title=None, sort=None, axis=alt.Axis(labelLimit=280)),
                x=alt.X("value:Q", title="0.5 = neutral", scale=alt.Scale(domain=[0, 1])),
                color=alt.condition(
                    alt.datum.value >= 0.5, alt.value("#81b29a"), alt.value("#e07a5f")
                ),
                tooltip=["part:N", "shown:N"],
            )
        )
        rule = alt.Chart(alt.Data(values=[{"x": 0.5}])).mark_rule(color="#333").encode(x="x:Q")
        layers.append((bars + rule).properties(width=_CONCAT_WIDTH, height=120))
    if not layers:
        return None
    return _spec(alt.vconcat(*layers) if len(layers) > 1 else layers[0])


def chart_heatmap(cells: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not cells:
        return None
    alt = _alt()
    rows = [
        {"day": _WEEKDAYS[c["dow"] - 1], "hour": c["hour"], "messages": c["messages"]}
        for c in cells
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="hour of day (local time)"),
            y=alt.Y("day:O", title=None, sort=_WEEKDAYS),
            color=alt.Color("messages:Q", title="messages", scale=alt.Scale(scheme="blues")),
            tooltip=["day:O", "hour:O", "messages:Q"],
        )
        .properties(width="container", height=200)
    )
    return _spec(chart)


def chart_overview(overview: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not overview:
        return None
    alt = _alt()
    rows = [
        {"name": r["name"], "closeness": r["closeness"], "change": r["change"]} for r in overview
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort="-x"),
            x=alt.X("closeness:Q", title="closeness (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "change:N",
                title="change",
                scale=alt.Scale(
                    # the change labels of the insights contract (docs/insights.md)
                    domain=[
                        "closer",
                        "reconnected",
                        "steady",
                        "new",
                        "drifting",
                        "silent",
                        "unanswered",
                    ],
                    range=[
                        "#81b29a",
                        "#5fa37e",
                        "#9aa5b1",
                        "#3b6ea5",
                        "#e07a5f",
                        "#cccccc",
                        "#c0392b",
                    ],
                ),
            ),
            tooltip=["name:N", "closeness:Q", "change:N"],
        )
        .properties(width="container", height=max(80, 26 * len(rows)))
    )
    return _spec(chart)


def chart_volume(relationships: list[dict[str, Any]], top: int = 8) -> dict[str, Any] | None:
    alt = _alt()
    rows = [
        {"name": rel["name"], "month": m["month"], "messages": m["me"] + m["them"]}
        for rel in relationships[:top]
        for m in (rel.get("activity") or {}).get("months") or []
    ]
    if not rows:
        return None
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("messages:Q", title="messages per month"),
            color=alt.Color("name:N", title=None),
            tooltip=["name:N", "month:O", "messages:Q"],
        )
        .properties(width="container", height=220)
    )
    return _spec(chart)


# -- pages ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("fondly.report", "templates"),
        autoescape=True,  # every template, whatever its name: user text is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = json_for_script
    return env


def _render(template: str, path: Path, **context: Any) -> Path:
    charts = [c for c in context.pop("charts") if c[2] is not None]
    html = (
        _environment()
        .get_template(template)
        .render(
            charts=[
                {"id": f"chart-{i}", "title": t, "note": n, "spec": s}
                for i, (t, n, s) in enumerate(charts)
            ],
            nonce=secrets.token_urlsafe(16),
            vega_js=Markup(chart_script()),
            **context,
        )
    )
    # Owner-only, atomic, and no half-written copy left beside it even after a kill.
    return write_private(path, html)


def person_charts(rel: dict[str, Any]) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """(title, note, Vega-Lite spec or None) of every chart on a person's page.

    One list for the HTML report and ``fondly app``, so that the two never draw
    different charts for the same relationship.
    """
    activity = rel.get("activity") or {}
    return [
        (
            "Who starts conversations",
            "per month; a new conversation starts after 2 quiet hours",
            chart_starts(activity.get("starts") or []),
        ),
        (
            "How fast each of you replies",
            "median minutes per month, sleep-adjusted, replies within a day",
            chart_latency(activity.get("latency") or []),
        ),
        (
            "Are they missing you?",
            "who broke each silence, and the four parts of the index",
            chart_missing(rel["missing"]),
        ),
        (
            "When you talk",
            "messages by weekday and hour, in the sender's local time",
            chart_heatmap(activity.get("heatmap") or []),
        ),
        ("Messages per month", None, chart_months(activity.get("months") or [])),
    ]


def overview_charts(
    insights: dict[str, Any],
) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    """(title, note, spec or None) of the overview's charts, shared with ``fondly app``."""
    return [
        (
            "Closeness",
            "contact in the last 3 months, balance and the missing index",
            chart_overview(insights.get("overview") or []),
        ),
        (
            "Messages per month",
            "your busiest relationships",
            chart_volume(insights.get("relationships") or []),
        ),
    ]


def write_person(
    rel: dict[str, Any], path: Path | str, *, insights: dict[str, Any] | None = None
) -> Path:
    """Write the report on one relationship (an item of insights' ``relationships``)."""
    activity = rel.get("activity") or {}
    return _render(
        "person.html",
        Path(path),
        rel=rel,
        insights=insights or {},
        phrases=activity.get("phrases") or [],
        charts=person_charts(rel),
    )


def write_overview(data: dict[str, Any], path: Path | str, *, store: Any = None) -> Path:
    """Write the overview of every relationship (insights, or a metrics result)."""
    from fondly.report.terminal import as_insights

    insights = as_insights(data, store)
    charts = overview_charts(insights)
    return _render("overview.html", Path(path), insights=insights, charts=charts)
