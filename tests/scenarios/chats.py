"""The scenario library: eleven relationships whose story is known because it was scripted.

Every scenario ends on its own date, so a report that measured one chat's silence
against another chat's end would show it. ``truth`` holds what a careful reader of the
chat would conclude; tests/test_scenarios.py compares fondly's verdicts with it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fondly.store import Store
from tests.synthetic import Chat, write_chats

from .phrases import PHRASES

ME = "Alex"


@dataclass
class Script:
    """Builds one chat: conversations, chases and news, in the chat's own language."""

    other: str
    seed: int
    lang: str = "en"
    rows: list[tuple[datetime, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.aside = random.Random(f"{self.seed} aside")
        """Picks the phrasing of lines added to a story after it was first written (a
        follow-up, a thanks), so that the story's own draws, and with them its times,
        openers and verdicts, stay as they were."""

    def name(self, who: str) -> str:
        return ME if who == "me" else self.other

    def say(self, t: datetime, who: str, kind: str, rng: random.Random | None = None) -> datetime:
        pick = (rng or self.rng).choice(PHRASES[self.lang][kind])
        self.rows.append((t, self.name(who), pick))
        return t

    def conversation(
        self,
        t: datetime,
        opener: str,
        *,
        turns: int = 6,
        reply_min: float = 5.0,
        pace_min: float = 3.0,
        extra: str | None = None,
    ) -> datetime:
        """An exchange: the opener writes, the other answers after ``reply_min``, turns alternate.

        ``extra`` adds one line of that kind from the opener (laugh, affection, sharp...).
        """
        other = "them" if opener == "me" else "me"
        self.say(t, opener, "open")
        t += timedelta(minutes=reply_min)
        self.say(t, other, "answer")
        who = opener
        kinds = ("chat", "question", "answer", "chat", "followup", "answer")
        for i in range(max(0, turns - 2)):
            t += timedelta(minutes=pace_min + self.rng.random() * 2)
            self.say(t, who, kinds[i % len(kinds)])
            who = other if who == opener else opener
        if extra:
            t += timedelta(minutes=2)
            self.say(t, opener, extra)
        t += timedelta(minutes=2)
        return self.say(t, who, "bye")

    def chase(
        self, t: datetime, who: str, pings: int, every_h: float, answer_after_h: float | None
    ) -> datetime:
        """``who`` writes ``pings`` times, hours apart; the other answers flatly, or never."""
        self.say(t, who, "open")
        for _ in range(pings - 1):
            t += timedelta(hours=every_h)
            self.say(t, who, "ping")
        if answer_after_h is not None:
            t += timedelta(hours=answer_after_h)
            self.say(t, "them" if who == "me" else "me", "flat")
        return t

    def news(self, t: datetime, teller: str, response: str) -> datetime:
        """Good news from ``teller`` and a reply of kind ``response`` (cheer or flat).

        A cheer goes on as active-constructive responding does (Gable et al. 2004): the
        listener asks about it ("how did it go?") and the teller thanks them.
        """
        listener = "them" if teller == "me" else "me"
        self.say(t, teller, "good_news")
        t += timedelta(minutes=4)
        self.say(t, listener, response)
        if response != "cheer":
            return t
        t += timedelta(minutes=1)
        self.say(t, listener, "followup", self.aside)
        t += timedelta(minutes=3)
        return self.say(t, teller, "thanks", self.aside)

    def chat(self) -> Chat:
        return Chat(f"chat with {self.other}", [ME, self.other], sorted(self.rows))


@dataclass
class Scenario:
    name: str
    other: str
    chat: Chat
    truth: dict[str, Any]
    other_tz_min: int = 0
    """The other person's clock, minutes ahead of yours (their ``ts_local``, as an export
    from their phone would hold it)."""

    @property
    def end(self) -> datetime:
        return max(t for t, _, _ in self.chat.messages)


def _days(start: date, end: date, every: float, rng: random.Random) -> list[datetime]:
    """Conversation start times from ``start`` to ``end``, about every ``every`` days, 9-21 h."""
    out, d = [], datetime(start.year, start.month, start.day)
    stop = datetime(end.year, end.month, end.day)
    while d < stop:
        out.append(d + timedelta(hours=9 + rng.random() * 12))
        d += timedelta(days=every * (0.6 + 0.8 * rng.random()))
    return out


def chaser_who_changes(lang: str = "en") -> Scenario:
    """Alex chased Robin for months; from May Alex stops, and Robin starts reaching out."""
    s = Script("Robin", seed=1, lang=lang)
    for t in _days(date(2024, 1, 1), date(2024, 5, 1), 1.6, s.rng):
        if s.rng.random() < 0.85:
            if s.rng.random() < 0.5:
                end = s.chase(t, "me", pings=3, every_h=1.0, answer_after_h=5)
                s.conversation(end + timedelta(minutes=5), "me", turns=4, reply_min=90)
            else:
                s.conversation(t, "me", reply_min=240)
        else:
            s.conversation(t, "them", reply_min=20)
    for t in _days(date(2024, 5, 1), date(2024, 11, 14), 1.6, s.rng):
        opener = "them" if s.rng.random() < 0.8 else "me"
        s.conversation(t, opener, reply_min=8 if opener == "me" else 15, extra="affection")
    truth = {
        "alert": None,
        "top": "little_affection",  # Robin's own openings carry the affection
        "change": {"steady", "closer"},
        "since_you_changed": ("initiation_share", "down", "2024-05"),
        "them_after": {"initiation_share": "up", "first_reply": "down"},
        "missing": "up",
        "not_signal": "many_in_a_row",  # Alex's chasing is months behind them
    }
    return Scenario("a chaser who changes", "Robin", s.chat(), truth)


def partner_goes_quiet(lang: str = "en") -> Scenario:
    """An even chat; then Sam stops answering: Alex's last four messages get no reply."""
    s = Script("Sam", seed=2, lang=lang)
    for t in _days(date(2023, 9, 1), date(2024, 8, 20), 1.5, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=10)
    last = datetime(2024, 8, 21, 19, 0)
    s.say(last, "them", "bye")
    for day in (3, 8, 12, 20):
        s.say(last + timedelta(days=day, hours=-2), "me", "question" if day < 20 else "ping")
    truth = {
        "alert": "unanswered",
        "change": {"unanswered"},
        "since_you_changed": None,
        "top": "unanswered",
    }
    return Scenario("a partner who goes quiet", "Sam", s.chat(), truth)


def mutual_fade(lang: str = "en") -> Scenario:
    """A daily friendship that thins out on both sides to a short chat every week or so."""
    s = Script("Kim", seed=3, lang=lang)
    for t in _days(date(2023, 1, 2), date(2024, 2, 1), 1.0, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=10)
    for t in _days(date(2024, 2, 1), date(2024, 6, 12), 7.0, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", turns=4, reply_min=30)
    truth = {"alert": "fading", "change": {"drifting"}, "since_you_changed": None, "top": "fading"}
    return Scenario("a mutual fade", "Kim", s.chat(), truth)


def rough_patch_and_repair(lang: str = "en") -> Scenario:
    """A good chat, a winter of sharp words, an apology, and good months again."""
    s = Script("Jo", seed=4, lang=lang)
    for t in _days(date(2023, 3, 1), date(2024, 8, 25), 1.4, s.rng):
        rough = date(2023, 12, 1) <= t.date() < date(2024, 2, 15)
        opener = "me" if s.rng.random() < 0.5 else "them"
        s.conversation(t, opener, reply_min=10, extra="sharp" if rough else "laugh")
        if t.date() == date(2024, 2, 15) or (date(2024, 2, 15) <= t.date() < date(2024, 2, 20)):
            s.say(t + timedelta(hours=1), "me", "sorry")
    truth = {
        "alert": None,
        "top": None,
        "change": {"steady"},
        "since_you_changed": None,
        "not_signal": "rising_negativity",
    }
    return Scenario("a rough patch and repair", "Jo", s.chat(), truth)


def reconnection(lang: str = "en") -> Scenario:
    """Close friends, seven months of silence, then Lee writes "miss you" and they reconnect."""
    s = Script("Lee", seed=5, lang=lang)
    for t in _days(date(2022, 5, 1), date(2022, 12, 20), 1.5, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.6 else "them", reply_min=20)
    for i, t in enumerate(_days(date(2023, 8, 1), date(2023, 10, 28), 3.5, s.rng)):
        if i == 0 or s.rng.random() < 0.7:
            s.say(t - timedelta(minutes=1), "them", "miss")
            s.conversation(t, "them", reply_min=6)
        else:
            s.conversation(t, "me", reply_min=6)
    # Lee now opens most conversations, so your share of openings falls: a true change.
    truth = {
        "alert": None,
        "top": None,
        "change": {"reconnected"},
        "since_you_changed": ("initiation_share", "down", "2023-08"),
        "not_signal": "rising_negativity",  # "miss you" is the warmth of a return
    }
    return Scenario("a reconnection after a long silence", "Lee", s.chat(), truth)


def new_relationship(lang: str = "en") -> Scenario:
    """Max and Alex met in July: rare messages at first, daily ones by October."""
    s = Script("Max", seed=6, lang=lang)
    t = datetime(2024, 7, 3, 18, 0)
    while t < datetime(2024, 10, 30):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=12)
        weeks = (t - datetime(2024, 7, 3)).days / 7
        t += timedelta(days=max(1.0, 6 - weeks * 0.4), hours=s.rng.random() * 3 - 1.5)
    truth = {"alert": None, "change": {"new"}, "since_you_changed": None, "top": None}
    return Scenario("a new relationship warming up", "Max", s.chat(), truth)


def two_time_zones(lang: str = "en") -> Scenario:
    """Ana lives nine hours ahead: Alex's evening questions reach her at 5 am.

    On even days Alex asks at 20:00 (Ana's 05:00) and Ana answers when she wakes, three
    hours later in Alex's clock; on odd days Ana writes at her 19:00 (Alex's 10:00) and
    Alex answers in minutes. Each opens half the conversations; a fixed 2 h gap would
    credit Ana with nearly all of them.
    """
    s = Script("Ana", seed=7, lang=lang)
    for i, t in enumerate(_days(date(2023, 10, 1), date(2024, 9, 28), 1.3, s.rng)):
        if i % 2 == 0:
            evening = datetime(t.year, t.month, t.day, 20, 0)
            s.say(evening, "me", "question")
            s.conversation(evening + timedelta(hours=3), "them", turns=4, reply_min=4)
        else:
            s.conversation(datetime(t.year, t.month, t.day, 10, 0), "them", reply_min=5)
    truth = {
        "alert": None,
        "top": None,
        "change": {"steady"},
        "since_you_changed": None,
        "not_top": "many_in_a_row",
        "initiation": (0.4, 0.6),
    }
    return Scenario("two time zones", "Ana", s.chat(), truth, other_tz_min=540)


def couple_with_a_holiday(lang: str = "en") -> Scenario:
    """A couple who text every day, apart from a quiet August away together."""
    s = Script("Chris", seed=8, lang=lang)
    for t in _days(date(2023, 1, 1), date(2024, 10, 20), 0.5, s.rng):
        if t.month == 8 and t.year == 2024 and s.rng.random() < 0.85:
            continue
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=5, extra="affection")
    truth = {"alert": None, "change": {"steady"}, "since_you_changed": None, "top": None}
    return Scenario("a long couple chat with a quiet holiday month", "Chris", s.chat(), truth)


def partner_stopped_reaching_out(lang: str = "en") -> Scenario:
    """Dana used to start half of their conversations; since June only Alex does."""
    s = Script("Dana", seed=9, lang=lang)
    for t in _days(date(2023, 6, 1), date(2024, 6, 1), 1.5, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=10)
    for t in _days(date(2024, 6, 1), date(2024, 9, 15), 1.5, s.rng):
        s.conversation(t, "me", reply_min=10)
    # your share of openings rises because theirs falls: the alert leads, the change follows
    truth = {
        "alert": "they_stopped_starting",
        "top": "they_stopped_starting",
        "change": {"steady"},
        "since_you_changed": ("initiation_share", "up", "2024-06"),
        "them_after": {"initiation_share": "down"},
    }
    return Scenario("a partner who stopped reaching out", "Dana", s.chat(), truth)


def slow_texters(lang: str = "en") -> Scenario:
    """Pat and Alex write one slow thread a day, each answer two to three hours after the last.

    Alex opens about 70% of the threads. A fixed 2 h gap cut every thread into a
    conversation per answer; the pair's own rhythm (three times its median answer, at
    most 8 h) keeps each thread one conversation.
    """
    s = Script("Pat", seed=10, lang=lang)
    threads, days = 0, {d.date() for d in _days(date(2023, 11, 1), date(2024, 9, 25), 1.2, s.rng)}
    for day in sorted(days):
        t = datetime(day.year, day.month, day.day, 8, 0) + timedelta(minutes=s.rng.random() * 60)
        opener = "me" if s.rng.random() < 0.7 else "them"
        s.conversation(t, opener, reply_min=150 + s.rng.random() * 30, pace_min=140)
        threads += 1
    truth = {
        "alert": None,
        "top": None,
        "change": {"steady"},
        "since_you_changed": None,
        "initiation": (0.6, 0.8),
        "conversations": threads,
    }
    return Scenario("slow texters", "Pat", s.chat(), truth)


def news_met_flatly(lang: str = "en") -> Scenario:
    """Mika celebrates Alex's good news; Alex answers Mika's with "ok" or "nice".

    An even, warm chat otherwise: the one thing to change is how Alex answers good news
    (active-constructive responding, Gable et al. 2004).
    """
    s = Script("Mika", seed=12, lang=lang)
    for i, t in enumerate(_days(date(2023, 10, 1), date(2024, 10, 5), 1.4, s.rng)):
        opener = "me" if s.rng.random() < 0.5 else "them"
        end = s.conversation(t, opener, reply_min=10)
        if i % 4 == 0:
            s.news(end + timedelta(minutes=20), "them", "flat")
        elif i % 4 == 2:
            s.news(end + timedelta(minutes=20), "me", "cheer")
    truth = {
        "alert": None,
        "change": {"steady"},
        "since_you_changed": None,
        "top": "passive_good_news",
    }
    return Scenario("good news met flatly", "Mika", s.chat(), truth)


SCENARIOS = (
    chaser_who_changes,
    partner_goes_quiet,
    mutual_fade,
    rough_patch_and_repair,
    reconnection,
    new_relationship,
    two_time_zones,
    couple_with_a_holiday,
    partner_stopped_reaching_out,
    slow_texters,
    news_met_flatly,
)


def all_scenarios(lang: str = "en") -> list[Scenario]:
    """Every scenario, its lines in ``lang`` (the same times and kinds in every language)."""
    return [make(lang) for make in SCENARIOS]


def write_scenarios(store: Store, scenarios: list[Scenario]) -> None:
    """Write the chats (times are your clock), then put each other person on their own clock.

    The instant (``ts_ms``) stays; their wall clock (``ts_local``) and offset move, as in
    a chat between two phones in different zones.
    """
    write_chats(store, [s.chat for s in scenarios], me=ME)
    for scenario in scenarios:
        if not scenario.other_tz_min:
            continue
        store.execute(
            "UPDATE messages SET ts_local = ts_local + to_minutes(CAST(? AS BIGINT)), "
            "tz_offset_min = ? WHERE handle_id IN "
            "(SELECT h.handle_id FROM handles h JOIN people p ON p.person_id = h.person_id "
            "WHERE p.name = ?)",
            [scenario.other_tz_min, scenario.other_tz_min, scenario.other],
        )
