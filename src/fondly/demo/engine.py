"""The machinery behind the demo story: arcs, episodes and a timeline.

A per-relationship :class:`Arc` gives each person's behaviour as curves over the
year fraction ``t`` (how warm, curious, fast, affectionate, negative); a session
strings together *episodes* (a question and its follow-up, good news and its
reply, a plan and its confirmation); and :class:`ChatBuilder` gives every line a
time from reply latencies, typing bursts, sleep and silences. The cast and their
story live in :mod:`fondly.demo.story`; this module knows nobody by name except
the user. Only the ``random.Random`` handed in is used, so a seed always gives
the same chats.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from fondly.demo import phrases as P
from fondly.demo.model import DemoChat, DemoMessage

ME = "Alex Morgan"
LOWERCASE_WRITERS = {"Jordan Blake"}
"""People who never capitalise the first letter of a message (a texting habit)."""

Curve = Sequence[tuple[float, float]]


def at(curve: Curve, t: float) -> float:
    """Piecewise-linear value of ``curve`` at year fraction ``t`` (flat beyond its ends)."""
    if t <= curve[0][0]:
        return curve[0][1]
    for (t0, v0), (t1, v1) in itertools.pairwise(curve):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0) if t1 > t0 else v1
    return curve[-1][1]


def dip(base: float, low: float, start: float, end: float, ramp: float = 0.05) -> Curve:
    """A curve at ``base`` that eases to ``low`` between ``start`` and ``end`` (a rough patch)."""
    return [(0.0, base), (start, base), (start + ramp, low), (end, low), (end + ramp, base)]


@dataclass(frozen=True)
class Mood:
    """How one person behaves in one relationship at one moment of the year.

    Probabilities in 0..1, except ``latency_min``: the median minutes before a reply.
    """

    warmth: float
    curiosity: float
    negativity: float
    latency_min: float
    affection: float
    laughter: float
    disclosure: float


@dataclass(frozen=True)
class Temper:
    """The curves a :class:`Mood` is read from."""

    warmth: Curve
    curiosity: Curve
    negativity: Curve
    latency_min: Curve
    affection: Curve
    laughter: Curve
    disclosure: Curve

    def mood(self, t: float) -> Mood:
        return Mood(
            at(self.warmth, t),
            at(self.curiosity, t),
            at(self.negativity, t),
            at(self.latency_min, t),
            at(self.affection, t),
            at(self.laughter, t),
            at(self.disclosure, t),
        )


@dataclass(frozen=True)
class Arc:
    """One relationship's story, as curves over the year fraction ``t``.

    ``silences`` are spans of ``t`` with no messages at all; ``ignore`` is the
    chance that the other person leaves Alex's opener unanswered for hours (which
    makes Alex double-text); ``inside_jokes`` start at ``jokes_from``.
    """

    other: str
    start: float
    sessions_per_day: Curve
    alex_opens: Curve
    alex: Temper
    them: Temper
    pet: str
    inside_jokes: Sequence[tuple[str, str]]
    jokes_from: float = 0.0
    silences: Sequence[tuple[float, float]] = ()
    ignore: Curve = ((0.0, 0.03),)
    weights: dict[str, Curve] = field(default_factory=dict)

    def silent(self, t: float) -> bool:
        return t < self.start or any(a <= t < b for a, b in self.silences)


@dataclass(frozen=True)
class Line:
    """One message of an episode before it has a time.

    ``who`` is 0 for the episode's opener and 1 for the other person. ``gap``
    says what comes before it: ``reply`` (the other's reply latency), ``same``
    (the same person's next bubble, seconds later), ``soon`` (a nudged reply,
    minutes after a double text) or ``later`` (hours later).
    """

    who: int
    text: str
    gap: str = "reply"
    kind: str = "text"


class Slots(dict[str, str]):
    """Slot values for one episode: drawn on first use, then reused by every later line."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key == "n":
            value = str(self.rng.randrange(1000, 9999))
        else:
            value = self.rng.choice(P.MEMORY if key == "memory" else P.VOCAB[key])
        self[key] = value
        return value


@dataclass
class Episode:
    """What an episode function needs: randomness, slots and both people's moods."""

    rng: random.Random
    slots: Slots
    opener: Mood
    other: Mood
    arc: Arc
    t: float
    lines: list[Line] = field(default_factory=list)
    plan: dict[str, str] | None = None
    name: str = ""

    def say(self, who: int, bank: Sequence[str], gap: str = "reply", kind: str = "text") -> None:
        text = self.rng.choice(bank).format_map(self.slots)
        self.lines.append(Line(who, text, gap if self.lines else "reply", kind))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


# ---------------------------------------------------------------- episodes
def _checkin(e: Episode) -> None:
    if e.chance(0.3):
        e.say(0, P.GREETING)
        e.say(0, P.ASK_DAY, "same")
    else:
        e.say(0, P.ASK_DAY)
    if e.other.warmth < 0.5 and e.chance(0.6):
        e.say(1, P.SHORT_ANSWER)
        if e.chance(0.5):
            e.say(0, P.ACK)
        return
    topic = e.rng.choice(list(P.ANSWER_DAY))
    e.say(1, P.ANSWER_DAY[topic])
    if e.chance(e.opener.curiosity):
        e.say(0, P.FOLLOWUP_DAY[topic])
        e.say(1, P.ANSWER_FOLLOWUP[topic])
    else:
        e.say(0, P.ACK)
    if e.chance(e.other.curiosity):
        e.say(1, P.MIRROR, "same")
        for slot in ("day_detail", "activity", "work_thing"):
            e.slots.pop(slot, None)
        e.say(0, P.ANSWER_DAY[e.rng.choice(list(P.ANSWER_DAY))])
        e.say(1, P.ACK)


def _news(e: Episode) -> None:
    e.say(0, P.GOOD_NEWS)
    if e.chance(e.other.warmth):
        e.say(1, P.ACTIVE_CONSTRUCTIVE)
        e.say(0, P.ELABORATE_NEWS)
        e.say(0, P.NEWS_THANKS, "same")
    else:
        e.say(1, P.PASSIVE)
        if e.chance(0.4):
            e.say(0, ["yeah", "anyway", "ok"])


def _disclose(e: Episode) -> None:
    e.say(0, P.DISCLOSURE_LONG if e.chance(0.12) else P.DISCLOSURE)
    if e.chance(e.other.warmth):
        e.say(1, P.SUPPORT)
        e.say(0, P.DISCLOSURE_THANKS)
        if e.chance(e.other.affection):
            e.say(1, P.AFFECTION)
        elif e.chance(e.other.disclosure):
            e.say(1, P.DISCLOSURE)
            e.say(0, P.SUPPORT)
    else:
        e.say(1, P.DISMISSIVE)
        e.say(0, P.DISMISSED_REPLY)


def _good_feeling(e: Episode) -> None:
    e.say(0, P.POSITIVE_DISCLOSURE)
    e.say(1, P.AFFECTION_REPLY if e.chance(e.other.affection) else P.ACK)


def _pair(opening: Sequence[str], reply: Sequence[str]) -> Callable[[Episode], None]:
    def episode(e: Episode) -> None:
        e.say(0, opening)
        e.say(1, reply)

    return episode


def _affection(e: Episode) -> None:
    e.say(0, P.AFFECTION)
    e.say(1, P.AFFECTION_REPLY if e.chance(e.other.affection + 0.2) else P.PASSIVE)


def _reminder(e: Episode) -> None:
    if e.chance(0.5):
        e.say(0, ["image"], kind="media")
        e.say(0, P.REMINDER, "same")
    else:
        e.say(0, P.REMINDER)
    e.say(1, P.REMINDER_REPLY)


def _funny(e: Episode) -> None:
    e.say(0, P.FUNNY)
    if e.chance(e.other.laughter + 0.2):
        e.say(1, P.LAUGH)
        if e.chance(e.other.curiosity):
            e.say(1, P.LAUGH_MORE, "same")
            e.say(
                0, ["it was honestly surreal", "no photo, I was too shocked", "I'll tell you later"]
            )
    else:
        e.say(1, P.PASSIVE)


def _reminisce(e: Episode) -> None:
    e.say(0, P.REMINISCE)
    e.say(1, P.REMINISCE_REPLY)
    if e.chance(e.opener.laughter):
        e.say(0, P.LAUGH)


def _plan(e: Episode) -> None:
    e.say(0, P.PLAN)
    if e.chance(0.25 + 0.7 * e.other.warmth):
        e.say(1, P.PLAN_YES)
        e.say(0, P.PLAN_CONFIRM)
        e.plan = dict(e.slots)
    else:
        e.say(1, P.PLAN_DECLINE)
        e.say(0, ["no worries!", "ah ok, another time", "sure, let me know"])


def _novelty(e: Episode) -> None:
    e.say(0, P.NOVELTY)
    e.say(1, P.NOVELTY_REPLY if e.chance(e.other.warmth) else P.PASSIVE)


def _goal(e: Episode) -> None:
    e.say(0, P.GOAL if e.chance(0.6) else P.BIG_DAY)
    if e.chance(e.other.warmth):
        e.say(1, P.ENCOURAGE)
        if e.chance(e.other.curiosity):
            e.say(
                1,
                [
                    "when does it start?",
                    "are you nervous?",
                    "what made you go for it?",
                ],
                "same",
            )
            e.say(0, ["next month!", "nervous but excited", "it felt like now or never"])
    else:
        e.say(1, P.PASSIVE)


def _media(e: Episode) -> None:
    kind, text = e.rng.choice(
        [
            ("media", "image"),
            ("media", "video"),
            ("sticker", "sticker"),
            ("media", "gif"),
            ("voice", "audio"),
        ]
    )
    e.say(0, [text], kind=kind)
    if e.chance(0.3):
        e.say(0, [text], "same", kind=kind)
    e.say(1, P.LAUGH if e.chance(e.other.laughter) else ["aww", "love it", "ha", "👀", "omg"])


def _link(e: Episode) -> None:
    e.say(0, P.LINK_COMMENT)
    e.say(0, P.LINK, "same")
    e.say(1, P.LAUGH if e.chance(e.other.laughter) else P.PASSIVE)


def _multiline(e: Episode) -> None:
    e.say(0, P.MULTILINE)
    e.say(1, P.ACK)


def _conflict(e: Episode) -> None:
    e.say(0, P.COMPLAINT)
    e.say(1, P.DEFENSIVE)
    if e.chance(0.5):
        e.say(0, P.DEFENSIVE)


def _repair(e: Episode) -> None:
    e.say(0, P.REPAIR)
    e.say(1, P.REPAIR_REPLY)


def _inside_joke(e: Episode) -> None:
    opening, reply = e.rng.choice(e.arc.inside_jokes)
    e.say(0, [opening])
    e.say(1, [reply])


def _catchup(e: Episode) -> None:
    e.say(0, P.CATCHUP)
    e.say(
        1, ["honestly good! busy but good. you?", "ahh yes. let's fix that", "same!! this weekend?"]
    )


EPISODES: dict[str, Callable[[Episode], None]] = {
    "checkin": _checkin,
    "news": _news,
    "disclose": _disclose,
    "good_feeling": _good_feeling,
    "gratitude": _pair(P.GRATITUDE, P.GRATITUDE_REPLY),
    "affection": _affection,
    "miss": _pair(P.MISS_YOU, P.MISS_YOU_REPLY),
    "reminder": _reminder,
    "funny": _funny,
    "reminisce": _reminisce,
    "plan": _plan,
    "novelty": _novelty,
    "goal": _goal,
    "media": _media,
    "link": _link,
    "multiline": _multiline,
    "conflict": _conflict,
    "repair": _repair,
    "inside_joke": _inside_joke,
    "catchup": _catchup,
}

BASE_WEIGHTS = {
    "checkin": 6.0,
    "news": 0.8,
    "disclose": 1.0,
    "good_feeling": 0.5,
    "gratitude": 0.8,
    "affection": 1.0,
    "miss": 0.6,
    "reminder": 0.6,
    "funny": 1.5,
    "reminisce": 0.5,
    "plan": 1.2,
    "novelty": 0.4,
    "goal": 0.6,
    "media": 1.5,
    "link": 0.6,
    "multiline": 0.25,
    "conflict": 1.0,
    "repair": 0.0,
    "inside_joke": 0.8,
    "catchup": 0.0,
}


def _weights(arc: Arc, opener: Mood, t: float) -> tuple[list[str], list[float]]:
    """Episode weights for this opener: moods scale the moves they drive."""
    w = {**BASE_WEIGHTS, **{name: at(curve, t) for name, curve in arc.weights.items()}}
    w["disclose"] *= 6 * opener.disclosure
    w["good_feeling"] *= 2 * opener.disclosure
    w["affection"] *= 2 * opener.affection
    w["miss"] *= 2 * opener.affection
    w["conflict"] *= 4 * opener.negativity
    w["checkin"] *= 0.3 + opener.curiosity
    w["plan"] *= 0.2 + opener.warmth
    w["novelty"] *= 0.2 + opener.warmth
    for name in ("funny", "reminisce", "inside_joke"):
        w[name] *= 2 * opener.laughter
    if t < arc.jokes_from or not arc.inside_jokes:
        w["inside_joke"] = 0.0
    names = list(w)
    return names, [w[n] for n in names]


# ---------------------------------------------------------------- the timeline
_WEEKDAY_HOURS = {8: 1, 9: 1, 12: 3, 13: 2, 17: 2, 18: 3, 19: 3, 20: 4, 21: 4, 22: 3, 23: 1}
_WEEKEND_HOURS = {
    9: 1,
    10: 2,
    11: 3,
    12: 3,
    13: 2,
    14: 2,
    15: 2,
    16: 2,
    17: 2,
    18: 2,
    19: 3,
    20: 3,
    21: 3,
    22: 2,
    23: 1,
}
_CLOCK_HOURS = {"7": 19, "7:30": 19, "8": 20, "6:30": 18, "12:30": 12, "1": 13, "6": 18, "8:30": 20}


Ritual = Callable[["ChatBuilder", Arc, date, float], None]
"""A daily hook: a good-morning habit, a weekly call, a one-off event on its day."""


class ChatBuilder:
    """Turns an :class:`Arc` into timed messages, one day at a time."""

    def __init__(self, rng: random.Random, chat: DemoChat, start: date, days: int) -> None:
        self.rng = rng
        self.chat = chat
        self.start = start
        self.days = days
        self.clock = datetime.combine(start, time(0, 0))
        self.pending: list[tuple[datetime, dict[str, str]]] = []

    # -- timing
    def latency(self, mood: Mood, engaged: bool) -> timedelta:
        """A reply latency, log-normal around the person's median.

        The first reply of a conversation waits until the person picks up their
        phone (the mood's median, with occasional busy spells eight times longer);
        once both are in the conversation, replies come within a few minutes, still
        slower for a slow replier. Without that split, every slow reply would look
        like a new conversation started by the slow person.
        """
        if engaged:
            minutes = max(0.5, mood.latency_min / 6) * math.exp(self.rng.gauss(0.0, 0.7))
        else:
            minutes = mood.latency_min * math.exp(self.rng.gauss(0.0, 1.0))
            if self.rng.random() < 0.07:
                minutes *= 8
        return timedelta(minutes=min(max(minutes, 0.3), 14 * 60))

    def awake(self, ts: datetime) -> datetime:
        """Nobody texts between 1 and 7 am: a reply due then waits for the morning."""
        if 1 <= ts.hour < 7:
            return ts.replace(
                hour=7, minute=self.rng.randrange(0, 60), second=self.rng.randrange(60)
            )
        return ts

    def emit(
        self,
        lines: Sequence[Line],
        names: Sequence[str | None],
        moods: Sequence[Mood],
        start: datetime,
    ) -> None:
        """Give ``lines`` times from ``start`` on and append them to the chat.

        ``line.who`` indexes ``names`` and ``moods`` (two people in a 1:1 chat, more in a group).
        """
        ts = max(start, self.clock + timedelta(minutes=1))
        prev: int | None = None
        replied: set[int] = {lines[0].who} if lines else set()
        for i, line in enumerate(lines):
            if i:
                if line.gap == "later":
                    ts += timedelta(minutes=self.rng.uniform(3 * 60, 16 * 60))
                    replied = {line.who}
                elif line.gap == "soon":
                    ts += timedelta(minutes=self.rng.uniform(5, 90))
                    replied.add(line.who)
                elif line.gap == "same" or line.who == prev:
                    ts += timedelta(seconds=self.rng.uniform(5, 80))
                else:
                    ts += self.latency(moods[line.who], line.who in replied)
                    replied.add(line.who)
                ts = self.awake(ts)
            self.chat.messages.append(self._message(ts, names[line.who], line))
            prev = line.who
        self.clock = ts

    def _message(self, ts: datetime, sender: str | None, line: Line) -> DemoMessage:
        text, kind, edited = line.text, line.kind, False
        roll = self.rng.random()
        if kind == "text" and roll < 0.004:
            text, kind = P.DELETED, "deleted"
        elif kind == "text" and roll < 0.015 and len(text) > 12:
            edited = True
        if sender in LOWERCASE_WRITERS and kind == "text":
            text = text[:1].lower() + text[1:]
        return DemoMessage(ts.replace(microsecond=0), sender, text, kind, edited)

    def session_start(self, day: date) -> datetime:
        hours = _WEEKEND_HOURS if day.weekday() >= 5 else _WEEKDAY_HOURS
        hour = self.rng.choices(list(hours), list(hours.values()))[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))

    # -- the story
    def episode(
        self, arc: Arc, name: str | None, opener: Mood, other: Mood, t: float, fixed: dict[str, str]
    ) -> Episode:
        e = Episode(self.rng, Slots(self.rng, fixed), opener, other, arc, t)
        if name is None:
            names, weights = _weights(arc, opener, t)
            name = self.rng.choices(names, weights)[0]
        e.name = name
        EPISODES[name](e)
        return e

    def one_to_one(self, arc: Arc, rituals: Sequence[Ritual] = ()) -> DemoChat:
        """The whole year of one 1:1 chat; ``rituals`` run every active day before the sessions."""
        repair_due = False
        for offset in range(self.days):
            day = self.start + timedelta(days=offset)
            t = offset / self.days
            if arc.silent(t):
                continue
            if self.pending and self.pending[0][0].date() == day:
                self.meetup(arc, t)
            for ritual in rituals:
                ritual(self, arc, day, t)
            n = _poisson(self.rng, at(arc.sessions_per_day, t))
            for start in sorted(self.session_start(day) for _ in range(n)):
                repair_due = self.session(arc, start, t, repair_due)
        return self.chat

    def session(self, arc: Arc, start: datetime, t: float, repair_due: bool) -> bool:
        """One conversation: 1..n episodes, openers alternating by the arc's share."""
        alex, them = arc.alex.mood(t), arc.them.mood(t)
        alex_opens = self.rng.random() < at(arc.alex_opens, t)
        lines: list[Line] = []
        fixed = {"pet": arc.pet}
        n_episodes = 1 + min(_geometric(self.rng, 0.45), 4)
        for k in range(n_episodes):
            by_alex = alex_opens if k == 0 else self.rng.random() < 0.5
            opener, other = (alex, them) if by_alex else (them, alex)
            name = "repair" if repair_due and k == 0 else None
            e = self.episode(arc, name, opener, other, t, fixed)
            if name == "repair":
                repair_due = False
            if e.name == "conflict":
                repair_due = True
            if e.plan is not None:
                self.schedule(start.date(), e.plan)
            lines.extend(
                Line(
                    line.who if by_alex else 1 - line.who,
                    line.text,
                    line.gap if lines or k == 0 else "reply",
                    line.kind,
                )
                for line in e.lines
            )
        if alex_opens and self.rng.random() < at(arc.ignore, t):
            lines = self.chased(lines)
        elif start.hour >= 21 and self.rng.random() < 0.4:
            e = Episode(self.rng, Slots(self.rng, fixed), alex, them, arc, t)
            e.say(0, P.SIGN_OFF)
            e.say(1, P.SIGN_OFF_REPLY)
            lines.extend(e.lines)
        self.emit(lines, (ME, arc.other), (alex, them), start)
        return repair_due

    def chased(self, lines: list[Line]) -> list[Line]:
        """Alex's opener goes unanswered for hours, so Alex double-texts; the reply is late."""
        opener = [line for line in lines[:2] if line.who == 0][:1] or lines[:1]
        chase = Line(0, self.rng.choice(P.CHASE), "later")
        if self.rng.random() < 0.25:
            return [*opener, chase]
        reply = Line(
            1,
            self.rng.choice(
                [
                    "sorry, mad week",
                    "hey sorry just seeing this",
                    "yeah all good",
                    "sorry!! been so busy",
                ]
            ),
            "soon",
        )
        rest = [Line(0, self.rng.choice(P.ACK)), Line(1, self.rng.choice(P.SHORT_ANSWER))]
        return [*opener, chase, reply, *rest[: self.rng.randrange(0, 3)]]

    def schedule(self, today: date, plan: dict[str, str]) -> None:
        """A plan made today happens on the next day named in it."""
        wanted = P.VOCAB["weekday"].index(plan.get("weekday", "saturday"))
        ahead = (wanted - today.weekday()) % 7 or 7
        hour = _CLOCK_HOURS.get(plan.get("clock", "7"), 19)
        minute = 30 if plan.get("clock", "").endswith(":30") else 0
        when = datetime.combine(today + timedelta(days=ahead), time(hour, minute))
        self.pending.append((when, plan))
        self.pending.sort(key=lambda p: p[0])

    def meetup(self, arc: Arc, t: float) -> None:
        """A kept plan: 'on my way' before it, 'that was lovely' after it."""
        when, plan = self.pending.pop(0)
        while self.pending and self.pending[0][0].date() == when.date():
            self.pending.pop(0)
        alex, them = arc.alex.mood(t), arc.them.mood(t)
        before = Episode(self.rng, Slots(self.rng, plan), alex, them, arc, t)
        before.say(self.rng.randrange(2), P.ON_THE_WAY)
        before.say(1 - before.lines[0].who, P.ON_THE_WAY_REPLY)
        self.emit(before.lines, (ME, arc.other), (alex, them), when - timedelta(minutes=35))
        after = Episode(self.rng, Slots(self.rng, plan), alex, them, arc, t)
        after.say(0, P.AFTER_PLAN)
        after.say(1, P.AFTER_PLAN_REPLY)
        who = self.rng.randrange(2)
        lines = [Line(line.who ^ who, line.text, line.gap, line.kind) for line in after.lines]
        self.emit(lines, (ME, arc.other), (alex, them), when + timedelta(hours=3, minutes=10))


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's Poisson draw: small rates only, which is all the demo needs."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _geometric(rng: random.Random, p: float) -> int:
    k = 0
    while rng.random() < p:
        k += 1
    return k
