"""Hand-made metrics results and stores for the insights and report tests.

The metrics layer is built in parallel; these builders follow the shape in
DEVELOPERS.md ("Contract: metrics result") so insights and reports can be tested on
exact, known inputs. Chats are generated in code: no real personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fondly.store import Store

PRACTICE_METRICS = {
    "presence": ("followup_questions", "Follow-up questions", "share", "higher"),
    "positivity": ("hostility", "Sharp or hostile turns", "share", "lower"),
    "care": ("gratitude", "Thanks and appreciation", "per_100_turns", "higher"),
    "disclosure": ("disclosure_reciprocity", "Disclosure returned", "share", "higher"),
    "rhythm": ("initiation_share", "Conversations started", "share", "balance"),
    "growth": ("novelty", "Plans proposed", "per_100_turns", "higher"),
    "reminders": ("we_talk", "Reminded me of you", "per_100_turns", "higher"),
    "meaningful": ("substantive_sessions", "Substantive conversations", "share", "higher"),
    "shared": ("laughing_together", "Laughing together", "share", "higher"),
    "cheering": ("active_constructive", "Celebrating good news", "share", "higher"),
}


def side(value: float | None, n: int = 200, *, enough: bool = True, width: float = 0.06) -> Any:
    if value is None:
        return None
    return {
        "value": value,
        "n": n,
        "interval": [value - width / 2, value + width / 2],
        "enough_data": enough,
    }


def months(end: str = "2025-12", count: int = 12) -> list[str]:
    year, mon = int(end[:4]), int(end[5:7])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return out[::-1]


def series(
    before: float | None,
    recent: float | None,
    *,
    who: str = "me",
    n: int = 40,
    end: str = "2025-12",
) -> list[dict[str, Any]]:
    """Twelve months: ``before`` for the first nine, ``recent`` for the last three."""
    rows = []
    for i, month in enumerate(months(end)):
        value = recent if i >= 9 else before
        row: dict[str, Any] = {"month": month, "me": None, "them": None, "pair": None}
        row |= {"n_me": n, "n_them": n, "n_pair": 2 * n}
        row[who] = value
        rows.append(row)
    return rows


def metric(
    metric_id: str,
    practice: str,
    *,
    me: float | None = 0.3,
    them: float | None = 0.3,
    pair: float | None = None,
    n: int = 200,
    enough: bool = True,
    unit: str = "share",
    direction: str = "higher",
    name: str | None = None,
    rows: list[dict[str, Any]] | None = None,
    evidence: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    return {
        "id": metric_id,
        "name": name or metric_id.replace("_", " ").capitalize(),
        "practice": practice,
        "unit": unit,
        "direction": direction,
        "citation": "Test et al. 2020",
        "min_n": 20,
        "description": "a test metric",
        "me": side(me, n, enough=enough),
        "them": side(them, n, enough=enough),
        "pair": side(pair, 2 * n, enough=enough),
        "series": rows or [],
        "evidence": [{"message_id": mid, "who": who} for mid, who in evidence],
    }


def standard_metrics(**overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One metric per practice with even, healthy values; ``overrides`` replace by id."""
    out = {}
    for practice, (mid, name, unit, direction) in PRACTICE_METRICS.items():
        me, them = (0.5, 0.5) if direction == "balance" else (0.3, 0.3)
        if direction == "lower":
            me, them = 0.02, 0.02
        out[mid] = metric(
            mid, practice, me=me, them=them, unit=unit, direction=direction, name=name
        )
    for mid, changes in overrides.items():
        out[mid] = out[mid] | changes
    return out


def relationship(
    person_id: int = 2,
    name: str = "Sam Taylor",
    *,
    n_messages: int = 1200,
    first: str = "2025-01-01T09:00:00",
    last: str = "2025-12-30T21:00:00",
    metrics: dict[str, Any] | None = None,
    missing: dict[str, Any] | None = None,
    conversations: list[int] | None = None,
) -> dict[str, Any]:
    return {
        "person": {"person_id": person_id, "name": name, "platforms": ["whatsapp"]},
        "conversations": conversations or [person_id],
        "n_messages": n_messages,
        "first": first,
        "last": last,
        "metrics": standard_metrics() if metrics is None else metrics,
        "missing_index": missing
        if missing is not None
        else {
            "value": 0.68,
            "interval": [0.58, 0.76],
            "enough_data": True,
            "n_episodes": 9,
            "components": {
                "partner_breaks": {"value": 0.62, "n": 9, "interval": [0.4, 0.8]},
                "explicit_missing": {"value": 0.8, "n": 9, "interval": [0.5, 0.9]},
                "compensation": {"value": 1.6, "n": 9, "interval": [1.1, 2.0]},
                "reentry_warmth": {"value": 0.55, "n": 9, "interval": [0.5, 0.6]},
            },
            "scale": "0..1, 0.5 = neutral",
            "series": [
                {"month": m, "n_episodes": 1, "partner_breaks": i % 2, "me_breaks": 1 - i % 2}
                for i, m in enumerate(months())
            ],
            "evidence": [],
        },
    }


def result(*relationships: dict[str, Any], me: str = "Alex Morgan") -> dict[str, Any]:
    return {
        "schema": "fondly.metrics/1",
        "me": {"person_id": 1, "name": me},
        "relationships": list(relationships) or [relationship()],
    }


@dataclass
class Chat:
    """Messages for one conversation, written straight into a store with known ids."""

    conversation_id: int
    title: str
    me: tuple[int, str] = (1, "Alex Morgan")
    other: tuple[int, str] = (2, "Sam Taylor")
    messages: list[tuple[str, str, datetime, str]] = field(default_factory=list)

    def add(self, who: str, when: datetime, text: str) -> str:
        message_id = f"c{self.conversation_id}m{len(self.messages):05d}"
        self.messages.append((message_id, who, when, text))
        return message_id

    def write(self, store: Store) -> None:
        for pid, name in (self.me, self.other):
            if not store.query("SELECT 1 FROM people WHERE person_id = ?", [pid]):
                store.execute("INSERT INTO people VALUES (?, ?, ?)", [pid, name, pid == self.me[0]])
                store.execute(
                    "INSERT INTO handles VALUES (?, 'whatsapp', ?, ?, NULL, NULL, ?, ?)",
                    [pid, name, name, pid, pid],
                )
        store.execute(
            "INSERT INTO conversations VALUES (?, 'whatsapp', ?, ?, FALSE, 1)",
            [self.conversation_id, f"k{self.conversation_id}", self.title],
        )
        for pid in (self.me[0], self.other[0]):
            store.execute(
                "INSERT INTO conversation_members VALUES (?, ?)", [self.conversation_id, pid]
            )
        import pyarrow as pa

        rows = {
            "message_id": [m[0] for m in self.messages],
            "handle_id": [self.me[0] if m[1] == "me" else self.other[0] for m in self.messages],
            "ts_ms": [
                int((m[2] - datetime(1970, 1, 1)).total_seconds() * 1000) for m in self.messages
            ],
            "ts_local": [m[2] for m in self.messages],
            "seq": list(range(len(self.messages))),
            "text": [m[3] for m in self.messages],
        }
        store.register("new_messages", pa.table(rows))
        store.execute(
            "INSERT INTO messages (message_id, conversation_id, handle_id, ts_ms, ts_local, "
            "tz_offset_min, seq, kind, text, import_id) SELECT message_id, ?, handle_id, ts_ms, "
            "ts_local, 0, seq, 'text', text, 1 FROM new_messages",
            [self.conversation_id],
        )
        store.unregister("new_messages")


XSS_SCRIPT = "<script>alert(1)</script> haha you're the best"
XSS_IMG = "<img src=x onerror=alert(1)> so proud of you!!"


def year_of_chat(conversation_id: int = 2, other: tuple[int, str] = (2, "Sam Taylor")) -> Chat:
    """A year of daily chat with greetings, laughter, plans and a couple of hostile inputs."""
    chat = Chat(conversation_id, other[1], other=other)
    start = datetime(2025, 1, 1, 8, 30)
    lines_me = [
        "good morning ☀️ how did the interview go?",
        "haha that is so you, call me at +44 7700 900123",
        "thanks for yesterday, coffee friday again?",
        "I feel a bit nervous about the move to Lisbon honestly",
        "congrats!! so proud of you, tell me everything",
    ]
    lines_them = [
        "good morning ☀️ it went well, they asked about my thesis",
        "haha coffee friday yes! mail me at sam.t@example.com",
        "thinking of you, saw this and thought of you https://example.org/x",
        "I got the job!! starting in March",
        "night night 🌙 talk tomorrow",
    ]
    for day in range(360):
        when = start + timedelta(days=day)
        chat.add("me", when, lines_me[day % len(lines_me)])
        chat.add("them", when + timedelta(minutes=7), lines_them[day % len(lines_them)])
        if day % 3 == 0:
            chat.add("me", when + timedelta(hours=13), "night night 🌙 coffee friday?")
    chat.add("them", start + timedelta(days=361, hours=2), XSS_SCRIPT)
    chat.add("me", start + timedelta(days=361, hours=3), XSS_IMG)
    return chat


def seeded(store: Store) -> tuple[dict[str, Any], Chat]:
    """A store with one year of chat and a matching metrics result whose evidence points into it."""
    chat = year_of_chat()
    chat.write(store)
    ids = [m[0] for m in chat.messages]
    rel = relationship(n_messages=len(ids), first="2025-01-01T08:30:00", last="2025-12-28T11:30:00")
    rel["metrics"]["laughing_together"]["evidence"] = [
        {"message_id": ids[-2], "who": "them"},
        {"message_id": ids[3], "who": "them"},
    ]
    rel["metrics"]["active_constructive"]["evidence"] = [{"message_id": ids[-1], "who": "me"}]
    rel["metrics"]["gratitude"]["evidence"] = [{"message_id": ids[4], "who": "me"}]
    # Both people's monthly series, as compute() gives them: the HTML draws its
    # "who starts" and "reply time" charts from these, not from a recount.
    rel["metrics"].setdefault(
        "reply_latency", metric("reply_latency", "presence", unit="minutes", direction="lower")
    )
    for mid, me, them in (("initiation_share", 0.6, 0.4), ("reply_latency", 12.0, 30.0)):
        rel["metrics"][mid]["series"] = [
            {
                "month": m,
                "me": me,
                "them": them,
                "pair": None,
                "n_me": 20,
                "n_them": 20,
                "n_pair": 0,
            }
            for m in months("2025-12")
        ]
    return result(rel), chat


def test_fixture_builders_follow_the_contract() -> None:
    data = result(relationship())
    rel = data["relationships"][0]
    assert data["schema"] == "fondly.metrics/1"
    assert set(rel) >= {"person", "conversations", "n_messages", "first", "last", "metrics"}
    assert {m["practice"] for m in rel["metrics"].values()} == set(PRACTICE_METRICS)
