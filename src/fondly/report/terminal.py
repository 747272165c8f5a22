"""The terminal report: a compact Rich scorecard that fits 100 columns.

It renders only from the insights contract (docs/insights.md): every figure and every
sentence it prints was formatted once, in ``fondly.insights``, so the terminal and the
HTML page can never round the same number two ways.

Every piece of chat text goes into Rich as a ``Text`` object, never as markup, so a
message containing "[bold]" or "[NAME]" prints as itself. Readings wrap inside their
column rather than being cut: a half sentence says less than a long one.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from fondly._display import plain

_CERTAINTY_STYLE = {
    "high": "green",
    "moderate": "yellow",
    "low": "red",
    "not enough data": "dim",
}
_TREND_STYLE = {"better": "green", "worse": "red", "steady": "", "up": "cyan", "down": "cyan"}
_CHANGE_STYLE = {
    "closer": "green",
    "reconnected": "green",
    "drifting": "red",
    "unanswered": "red",
    "silent": "red",
    "steady": "",
    "new": "cyan",
}
_SHORT_CERTAINTY = {
    "high": "firm",
    "moderate": "fair",
    "low": "rough",
    "not enough data": "too few",
}


def _trend_cell(trend: dict[str, Any]) -> Text:
    label = trend.get("label", "unknown")
    if label == "unknown":
        return Text("·", style="dim")
    return Text(f"{trend.get('arrow', '')} {label}", style=_TREND_STYLE.get(label, ""))


def _certainty_cell(certainty: dict[str, Any]) -> Text:
    level = certainty.get("level", "not enough data")
    return Text(_SHORT_CERTAINTY.get(level, level), style=_CERTAINTY_STYLE.get(level, ""))


def _bar(value: float | None, width: int = 10) -> Text:
    """A bar for a 0..1 value around the neutral 0.5: left below it, right above."""
    if value is None:
        return Text("–", style="dim")
    half = width // 2
    off = value - 0.5
    cells = round(min(1.0, abs(off) / 0.5) * half)
    if off >= 0:
        return Text(" " * half + "▕" + "█" * cells + " " * (half - cells), style="green")
    return Text(" " * (half - cells) + "█" * cells + "▏" + " " * half, style="red")


def scorecard_table(rel: dict[str, Any]) -> Table:
    """One row per practice: the last 90 days (you, them), you before, trend, certainty, what.

    "Now" is the recent period of this relationship and "before" the year before it
    (docs/insights.md); the reading names what the figure measures and its unit in words.
    """
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("Practice", no_wrap=True, min_width=15, max_width=16)
    table.add_column("You now", justify="right", no_wrap=True, min_width=7, max_width=9)
    table.add_column("Them now", justify="right", no_wrap=True, min_width=8, max_width=9)
    table.add_column("You before", justify="right", no_wrap=True, min_width=10, max_width=10)
    table.add_column("Trend", no_wrap=True, min_width=8, max_width=8)
    table.add_column("Certainty", no_wrap=True, min_width=9, max_width=9)
    table.add_column("What is measured", ratio=1)  # wraps: a cut-off reading says less
    for row in rel["scorecard"]:
        head = row.get("headline") or {}
        you = head.get("me_text", "–")
        them = head.get("them_text", "–")
        side = "me"
        if you == "–" and them == "–" and head.get("pair_text", "–") != "–":
            you, them, side = head["pair_text"], "(both)", "pair"  # a pair-level figure
        before = (((head.get("now") or {}).get("baseline") or {}).get(side) or {}).get("text")
        measures = row.get("measures")
        reading = f"{measures}, {row['unit_words']}" if measures else row["reading"]
        table.add_row(
            Text(row["label"]),
            Text(you),
            Text(them),
            Text(before or "–"),
            _trend_cell(row["trend"]),
            _certainty_cell(row["certainty"]),
            Text(reading),
        )
    return table


def story_block(rel: dict[str, Any]) -> Group:
    """The headline sentence, the change label and your own changes with what followed."""
    lines: list[Any] = [Text(rel.get("headline") or "", style="bold")]
    change = rel.get("change") or {}
    label = str(change.get("label") or "unknown")
    now = Text("Now: ", style="dim")
    now.append(Text(label, style=_CHANGE_STYLE.get(label, "")))
    why = str(change.get("why") or "")
    if why and why.lower() not in str(rel.get("headline") or "").lower():  # said once only
        now.append(Text(f" ({why})", style="dim"))
    lines.append(now)
    for found in (rel.get("changes") or [])[1 if not rel.get("alerts") else 0 :]:
        lines.append(Text(f"  {found['sentence']}"))
    return Group(*lines)


def missing_block(rel: dict[str, Any]) -> Group:
    missing = rel["missing"]
    head = Text("Are they missing you? ", style="bold")
    value = missing.get("value")
    if missing["certainty"]["level"] == "not enough data" or value is None:
        head.append(Text(missing["reading"], style="dim"))
        if missing.get("now_reading") and (missing.get("now") or {}).get("recent", {}).get(
            "n_episodes"
        ):
            return Group(head, Text(missing["now_reading"]))
        return Group(head)
    if missing.get("recent_text"):
        head.append(
            f"index {missing['recent_text']} lately, {missing['value_text']} over the whole "
            "chat (0.5 = neutral)  "
        )
    else:
        head.append(f"index {missing.get('value_text') or f'{value:.2f}'} (0.5 = neutral)  ")
    head.append(_certainty_cell(missing["certainty"]))
    head.append("  ")
    head.append(_trend_cell(missing["trend"]))
    parts = Table(box=None, pad_edge=False, show_header=False)
    parts.add_column(no_wrap=True, min_width=42)
    parts.add_column(no_wrap=True)
    parts.add_column(justify="right", no_wrap=True)
    for comp in missing["components"]:
        parts.add_row(Text(f"  {comp['label']}"), _bar(comp["scaled"]), Text(comp["text"]))
    lines: list[Any] = [head, parts, Text(missing["reading"], style="italic")]
    if missing.get("now_reading"):
        lines.append(Text(missing["now_reading"]))
    return Group(*lines)


def suggestions_block(rel: dict[str, Any], limit: int = 3) -> Group:
    lines: list[Any] = [Text("What might help", style="bold")]
    if not rel["suggestions"]:
        note = rel.get("note") or "Nothing stands out: keep doing what you are doing."
        lines.append(Text(f"  {note}", style="dim"))
        return Group(*lines)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1)
    for i, sug in enumerate(rel["suggestions"][:limit], start=1):
        body: list[Text] = [Text(sug["suggestion"], style="bold")]
        why = Text("because ", style="dim")
        why.append(Text(f"{sug['label']} ({sug['why']})"))
        why.append(Text(f"; {sug['citation']}", style="dim"))
        body.append(why)
        if "moments" in sug:  # evidence as moments: pairs of their message and your reply
            for key, caption in (
                ("moments", "moments_caption"),
                ("done_well", "done_well_caption"),
            ):
                if sug.get(key) and sug.get(caption):
                    body.append(Text(sug[caption], style="dim"))
                for group in sug.get(key) or []:
                    body.extend(_quote(ev, indent=i > 0) for i, ev in enumerate(group))
        else:
            if sug.get("evidence") and sug.get("evidence_caption"):
                body.append(Text(sug["evidence_caption"], style="dim"))
            body.extend(_quote(ev) for ev in sug.get("evidence") or [])
        grid.add_row(Text(f"{i}.", style="bold"), Group(*body))
    lines.append(grid)
    return Group(*lines)


def _quote(ev: dict[str, Any], *, indent: bool = False) -> Text:
    who = {"me": "you", "them": "them"}.get(ev.get("who") or "", "")
    lead = "  ↳ " if indent else ""
    quote = Text(f"{lead}{ev['date']} {who}: " if who else f"{lead}{ev['date']}: ", style="dim")
    quote.append(Text(f"“{plain(ev['excerpt'])}”"))
    return quote


def as_insights(data: dict[str, Any], store: Any = None, *, redact: bool = False) -> dict[str, Any]:
    """Insights from whatever a caller holds: insights, metrics plus insights, or bare metrics."""
    if data.get("schema") == "fondly.insights/1":
        return data
    if isinstance(data.get("insights"), dict):
        return dict(data["insights"])
    from fondly.insights import build_insights

    return build_insights(data, store, redact=redact)


def printable(data: Any) -> Any:
    """``data`` with every string passed through :func:`fondly._display.plain`.

    The insights put names and quotes into headlines, reasons and captions; cleaning
    the whole contract once, where the terminal starts, covers every sentence that
    holds them, not only the ones someone remembered to wrap.
    """
    if isinstance(data, str):
        return plain(data)
    if isinstance(data, dict):
        return {k: printable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [printable(v) for v in data]
    return data


def render_person(rel: dict[str, Any], console: Console) -> None:
    """The report on one relationship (an item of insights' ``relationships``)."""
    rel = printable(rel)
    title = Text(plain(rel["name"]), style="bold")
    span = f"  {rel.get('n_messages') or 0:,} messages"
    if rel.get("first") and rel.get("last"):
        span += f", {str(rel['first'])[:10]} to {str(rel['last'])[:10]}"
    title.append(Text(span, style="dim"))
    console.print(title)
    if rel.get("note"):
        console.print(Text(rel["note"], style="yellow"))
    else:
        console.print(story_block(rel))
        console.print()
    if (rel.get("language") or {}).get("note"):  # issue 17: a language fondly does not read
        console.print(Text(rel["language"]["note"], style="yellow"))
    console.print(scorecard_table(rel))
    console.print(
        Text(
            "Now: the last 90 days of this chat (longer when too few events); before: the "
            "year before that.",
            style="dim",
        )
    )
    console.print()
    console.print(missing_block(rel))
    console.print()
    console.print(suggestions_block(rel))


def render_overview(
    data: dict[str, Any], console: Console, *, store: Any = None, redact: bool = False
) -> None:
    """Every relationship ranked by closeness, with its direction and top suggestion.

    ``data`` is insights, or a metrics result (insights are then built from it, with
    ``store`` for evidence and activity when given).
    """
    insights = printable(as_insights(data, store, redact=redact))
    rows = insights.get("overview") or []
    if not rows:
        console.print("No relationships to report yet: import a chat with `fondly import`.")
        return
    # Rich hides columns it cannot fit, so widths are planned here: the suggestion
    # takes what is left, and the date goes first on narrow terminals.
    wide = console.width >= 90
    fixed = [("#", 2), ("Person", 16), ("Msgs", 6), ("Close", 5), ("Change", 11), ("Missing", 7)]
    if wide:
        fixed.insert(3, ("Last", 10))
    used = sum(w for _, w in fixed) + 2 * len(fixed)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, width in fixed:
        right = name in {"#", "Msgs", "Close", "Missing"}
        table.add_column(
            name,
            width=width,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if right else "left",
        )
    table.add_column(
        "Top suggestion", width=max(8, console.width - used - 1), no_wrap=True, overflow="ellipsis"
    )
    for i, row in enumerate(rows, start=1):
        missing = row.get("missing")
        cells: list[Any] = [
            str(i),
            Text(plain(row["name"])),
            f"{row.get('n_messages') or 0:,}",
            str(row["closeness"]),
            Text(row["change"], style=_CHANGE_STYLE.get(row["change"], "")),
            "–" if missing is None else str(row.get("missing_text") or f"{missing:.2f}"),
            Text(row.get("top_suggestion") or "–"),
        ]
        if wide:
            cells.insert(3, str(row.get("last") or "")[:10])
        table.add_row(*cells)
    as_of = insights.get("as_of")
    console.print(
        Text(f"Your relationships, closest first (data up to {str(as_of)[:10]})", style="bold")
    )
    console.print(table)
    console.print(
        Text(
            "Close: contact in the last 90 days of each chat, its balance and the missing "
            "index (0-100), cut to a third when your messages go unanswered; a rough guide, "
            "not a verdict. Change: see docs/insights.md.",
            style="dim",
        )
    )
