"""The demo's story: a seeded, realistic year of WhatsApp chats for ``fondly demo`` and the tests.

The user, Alex Morgan, talks to three people whose relationships change over the
year, so that every metric has something to find:

* **Sam**, a partner: warm and balanced, a good-morning ritual, then a rough
  patch around mid-year (slower replies, friction, Alex asks fewer questions and
  supports less) that is talked through and recovers.
* **Jordan**, an old friend who drifts: Alex opens most conversations and
  double-texts, Jordan replies late and briefly, their Sunday call fades, then a
  silence of weeks, after which Jordan reaches out with "I miss you".
* **Priya**, a newer friend who gets closer: disclosure grows on both sides,
  plans are made and kept, a weekly climbing ritual and an inside joke appear.

Plus a small group chat (Alex, Sam, Priya and Theo) for realism. The machinery
(arcs, episodes, timeline) is in :mod:`fondly.demo.engine`; this module is the
cast and the script. Each chat draws from its own ``random.Random`` seeded with
``"{seed}:{name}"``, so chats are independent and a seed always gives the same year.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from fondly.demo import phrases as P
from fondly.demo.engine import ME, Arc, ChatBuilder, Episode, Line, Mood, Slots, Temper, at, dip
from fondly.demo.model import DemoChat

SAM = "Sam Rivera"
JORDAN = "Jordan Blake"
PRIYA = "Priya Nair"
THEO = "Theo Baker"
GROUP = "Brunch Club 🥞"

ROUGH = (0.42, 0.60)
"""Sam and Alex's rough patch, as year fractions (about June to early August)."""

JORDAN_SILENCE = (0.52, 0.73)
"""The weeks in which Jordan and Alex do not write at all (about July to September)."""

PRIYA_START = 0.04
"""Alex meets Priya at a climbing class in mid-January."""

GROUP_START = 0.2
"""Alex introduces Priya to Sam and Theo, and the group chat begins."""


def _rough(base: float, low: float) -> list[tuple[float, float]]:
    return list(dip(base, low, *ROUGH))


SAM_ARC = Arc(
    other=SAM,
    start=0.0,
    sessions_per_day=_rough(2.3, 1.1),
    alex_opens=_rough(0.5, 0.38),
    alex=Temper(
        warmth=_rough(0.92, 0.45),
        curiosity=_rough(0.7, 0.1),
        negativity=_rough(0.02, 0.4),
        latency_min=_rough(5, 45),
        affection=_rough(0.65, 0.15),
        laughter=_rough(0.55, 0.2),
        disclosure=_rough(0.35, 0.1),
    ),
    them=Temper(
        warmth=_rough(0.9, 0.5),
        curiosity=_rough(0.65, 0.3),
        negativity=_rough(0.02, 0.45),
        latency_min=_rough(7, 70),
        affection=_rough(0.7, 0.2),
        laughter=_rough(0.5, 0.25),
        disclosure=_rough(0.35, 0.12),
    ),
    pet="bean",
    inside_jokes=[
        ("the haunted toaster strikes again 👻🍞", "NOT the toaster. I'm calling a priest"),
        ("bean update: I am tired", "poor bean. nap immediately"),
        ("the toaster behaved today, bean", "miracles happen 🍞"),
        ("toaster status?", "possessed, as usual 👻"),
    ],
    weights={"plan": [(0.0, 1.5)], "multiline": [(0.0, 0.4)], "reminisce": [(0.0, 0.7)]},
)

JORDAN_ARC = Arc(
    other=JORDAN,
    start=0.0,
    silences=[JORDAN_SILENCE],
    sessions_per_day=[(0, 1.4), (0.25, 1.4), (0.32, 0.9), (0.52, 0.8), (0.73, 1.2), (1, 1.0)],
    alex_opens=[
        (0, 0.85),
        (0.25, 0.88),
        (0.32, 0.95),
        (0.52, 0.95),
        (0.73, 0.5),
        (0.8, 0.68),
        (1, 0.72),
    ],
    ignore=[(0, 0.04), (0.25, 0.05), (0.32, 0.35), (0.52, 0.45), (0.73, 0.04)],
    alex=Temper(
        warmth=[(0, 0.88)],
        curiosity=[(0, 0.6)],
        negativity=[(0, 0.01)],
        latency_min=[(0, 12)],
        affection=[(0, 0.3), (0.73, 0.45)],
        laughter=[(0, 0.6)],
        disclosure=[(0, 0.2), (0.3, 0.12), (0.73, 0.3)],
    ),
    them=Temper(
        warmth=[(0, 0.8), (0.25, 0.75), (0.32, 0.35), (0.52, 0.3), (0.73, 0.85)],
        curiosity=[(0, 0.5), (0.25, 0.45), (0.32, 0.12), (0.52, 0.1), (0.73, 0.6)],
        negativity=[(0, 0.01)],
        latency_min=[(0, 15), (0.25, 20), (0.32, 45), (0.52, 50), (0.73, 20), (1, 16)],
        affection=[(0, 0.3), (0.32, 0.05), (0.52, 0.05), (0.73, 0.5)],
        laughter=[(0, 0.6), (0.32, 0.2), (0.52, 0.2), (0.73, 0.6)],
        disclosure=[(0, 0.2), (0.32, 0.05), (0.52, 0.05), (0.73, 0.3)],
    ),
    pet="mate",
    inside_jokes=[
        ("captain biscuit would be ashamed of you", "captain biscuit is ashamed of ALL of us 🫡"),
        ("llama count today: 0. disappointing", "one day we'll find another llama in a car park"),
        ("this has big year 9 field trip energy", "NEVER speak of the field trip 😂"),
    ],
    weights={"catchup": [(0, 0.0), (0.72, 0.0), (0.73, 1.5), (1, 0.6)]},
)

PRIYA_ARC = Arc(
    other=PRIYA,
    start=PRIYA_START,
    sessions_per_day=[(PRIYA_START, 0.6), (0.3, 1.2), (0.6, 1.8), (1, 2.2)],
    alex_opens=[(0, 0.6), (0.5, 0.5), (1, 0.48)],
    alex=Temper(
        warmth=[(0, 0.8), (1, 0.95)],
        curiosity=[(0, 0.55), (1, 0.8)],
        negativity=[(0, 0.01)],
        latency_min=[(0, 20), (1, 8)],
        affection=[(0, 0.05), (0.5, 0.3), (1, 0.45)],
        laughter=[(0, 0.4), (1, 0.75)],
        disclosure=[(0, 0.05), (0.3, 0.15), (0.6, 0.4), (1, 0.55)],
    ),
    them=Temper(
        warmth=[(0, 0.75), (1, 0.95)],
        curiosity=[(0, 0.5), (1, 0.85)],
        negativity=[(0, 0.01)],
        latency_min=[(0, 30), (1, 7)],
        affection=[(0, 0.05), (0.5, 0.3), (1, 0.5)],
        laughter=[(0, 0.4), (1, 0.75)],
        disclosure=[(0, 0.04), (0.3, 0.2), (0.6, 0.45), (1, 0.6)],
    ),
    pet="goose",
    inside_jokes=[
        ("goose mode activated 🪿", "HONK. see you at 7"),
        ("saw a goose and had flashbacks", "we do not speak of the goose incident 😂"),
        ("the goose would want us to go climbing", "the goose is our leader now 🪿"),
        ("HONK", "honk honk 🪿"),
    ],
    jokes_from=0.35,
    weights={
        "plan": [(0, 1.0), (1, 1.8)],
        "novelty": [(0, 0.5), (1, 0.9)],
        "reminisce": [(0, 0.0), (0.3, 0.2), (1, 0.8)],
        "miss": [(0, 0.0), (0.4, 0.0), (1, 0.5)],
    },
)


# ---------------------------------------------------------------- rituals and one-off scenes
def _scene(
    b: ChatBuilder,
    arc: Arc,
    t: float,
    at_time: datetime,
    script: list[tuple[int, str]],
    slots: dict[str, str] | None = None,
) -> None:
    """Emit fixed lines (0 = Alex, 1 = the other person), filling slots once for the scene."""
    filled = Slots(b.rng, {"pet": arc.pet, **(slots or {})})
    lines = [Line(who, text.format_map(filled)) for who, text in script]
    b.emit(lines, (ME, arc.other), (arc.alex.mood(t), arc.them.mood(t)), at_time)


def _pick(b: ChatBuilder, bank: list[str]) -> str:
    return b.rng.choice(bank)


def good_morning(b: ChatBuilder, arc: Arc, day: date, t: float) -> None:
    """Sam and Alex say good morning on most weekdays (less often in the rough patch)."""
    if day.weekday() >= 5 or b.rng.random() > at(_rough(0.85, 0.35), t):
        return
    first = 0 if b.rng.random() < 0.55 else 1
    when = datetime.combine(day, time(7, b.rng.randrange(60)))
    _scene(
        b,
        arc,
        t,
        when,
        [(first, _pick(b, P.GOOD_MORNING)), (1 - first, _pick(b, P.GOOD_MORNING_REPLY))],
    )


def sunday_call(b: ChatBuilder, arc: Arc, day: date, t: float) -> None:
    """Alex and Jordan's Sunday call: a fixture early on, then asked for and dodged."""
    if day.weekday() != 6 or t >= JORDAN_SILENCE[0]:
        return
    when = datetime.combine(day, time(b.rng.randrange(11, 16), b.rng.randrange(60)))
    if t < 0.3 and b.rng.random() < 0.85:
        _scene(b, arc, t, when, [(0, _pick(b, P.SUNDAY_CALL)), (1, _pick(b, P.SUNDAY_CALL_REPLY))])
    elif t >= 0.3 and b.rng.random() < 0.5:
        dodge = _pick(b, ["can't today sorry", "next week?", "ah I'm out, sorry!"])
        _scene(b, arc, t, when, [(0, _pick(b, P.SUNDAY_CALL)), (1, dodge), (0, "no worries")])


def jordan_turning_points(b: ChatBuilder, arc: Arc, day: date, t: float) -> None:
    """The last unanswered messages before the silence, and Jordan's return after it."""
    step = 1 / b.days
    if arc.silent(t + step) and not arc.silent(t):
        when = datetime.combine(day, time(18, b.rng.randrange(60)))
        _scene(b, arc, t, when, [(0, "hope you're ok, no pressure to reply ❤️")])
    elif arc.silent(t - step) and not arc.silent(t) and t > step:
        when = datetime.combine(day, time(20, b.rng.randrange(60)))
        script = [
            (1, P.REENTRY[0]),
            (0, P.REENTRY_REPLY[0]),
            (1, _pick(b, P.REENTRY_MORE)),
            (0, "honestly same, I missed our chats so much. been thinking of you"),
            (1, "tell me about the new job? did you take it?"),
            (0, "I did! it's good, scary but good. I'll tell you properly in person"),
            (1, "yes. dinner {weekday} at {clock}? my treat"),
            (0, "deal ❤️"),
        ]
        slots = {"weekday": P.VOCAB["weekday"][(day.weekday() + 3) % 7], "clock": "8"}
        _scene(b, arc, t, when, script, slots)
        b.schedule(day, slots)


def priya_first_contact(b: ChatBuilder, arc: Arc, day: date, t: float) -> None:
    """How the friendship starts: a number swapped at a climbing class."""
    if arc.silent(t - 1 / b.days) and not arc.silent(t):
        when = datetime.combine(day, time(21, 10))
        script = [
            (1, "hey it's Priya from climbing! 🧗 this is my number"),
            (0, "hey Priya! so good to meet you. same time next week?"),
            (1, "definitely! my arms are already sore 😂"),
        ]
        _scene(b, arc, t, when, script)


def thursday_climbing(b: ChatBuilder, arc: Arc, day: date, t: float) -> None:
    """Priya and Alex's weekly climb, which becomes a fixture in spring."""
    if day.weekday() != 3 or t < 0.25 or b.rng.random() > 0.75:
        return
    ask = "climbing tonight at 7? 🪿" if t >= arc.jokes_from else "climbing tonight at 7? 🧗"
    first = b.rng.randrange(2)
    when = datetime.combine(day, time(b.rng.randrange(12, 17), b.rng.randrange(60)))
    _scene(
        b, arc, t, when, [(first, ask), (1 - first, _pick(b, ["yes!!", "always", "see you there"]))]
    )
    if b.rng.random() < 0.5:
        later = datetime.combine(day, time(21, b.rng.randrange(30, 60)))
        after = [(first, "my arms are destroyed 😂"), (1 - first, "same. worth it though")]
        _scene(b, arc, t, later, after)


# ---------------------------------------------------------------- the group chat
_GROUP = (ME, SAM, PRIYA, THEO)
_GROUP_MOOD = Mood(0.8, 0.4, 0.02, 25, 0.2, 0.7, 0.05)


def group_chat(rng: random.Random, start: date, days: int) -> DemoChat:
    """A lively four-person chat: brunch plans, banter, photo dumps, laughter."""
    chat = DemoChat(GROUP, ME, [SAM, PRIYA, THEO])
    b = ChatBuilder(rng, chat, start, days)
    moods = [_GROUP_MOOD] * len(_GROUP)
    first_day = start + timedelta(days=int(GROUP_START * days))
    b.emit(
        [Line(0, f"You created group “{GROUP}”", kind="system")],
        (None,),
        moods,
        datetime.combine(first_day, time(19, 2)),
    )
    b.emit(
        [
            Line(0, "made us a group so we can stop losing brunch plans in 3 chats 🥞"),
            Line(3, "finally"),
            Line(2, "love this 🙌"),
            Line(1, "about time"),
        ],
        _GROUP,
        moods,
        datetime.combine(first_day, time(19, 3)),
    )
    for offset in range(int(GROUP_START * days) + 1, days):
        day = start + timedelta(days=offset)
        for when in sorted(b.session_start(day) for _ in range(_poisson_like(rng, 0.6))):
            b.emit(_group_session(rng), _GROUP, moods, when)
    return chat


def _poisson_like(rng: random.Random, rate: float) -> int:
    return sum(rng.random() < rate / 2 for _ in range(2))


def _group_session(rng: random.Random) -> list[Line]:
    opener = rng.randrange(len(_GROUP))
    others = [i for i in range(len(_GROUP)) if i != opener]
    rng.shuffle(others)
    e = Episode(rng, Slots(rng, {}), _GROUP_MOOD, _GROUP_MOOD, SAM_ARC, 0.0)
    kind = rng.choices(["plan", "banter", "photos", "funny"], [3, 3, 2, 2])[0]
    if kind == "plan":
        e.say(opener, P.GROUP_PLAN)
        for who in others[: rng.randrange(2, 4)]:
            e.say(who, P.GROUP_YES if rng.random() < 0.75 else P.GROUP_MAYBE)
        e.say(opener, ["great!", "yay 🙌", "booked", "perfect, see you all there"])
    elif kind == "banter":
        e.say(opener, P.GROUP_BANTER)
        for who in others[: rng.randrange(1, 4)]:
            e.say(who, P.GROUP_REPLY)
    elif kind == "photos":
        for _ in range(rng.randrange(2, 5)):
            e.say(opener, ["image"], "same", kind="media")
        for who in others[: rng.randrange(1, 3)]:
            e.say(who, ["love these", "aww", "the third one 😂", "frame it"])
    else:
        e.say(opener, P.FUNNY)
        for who in others[: rng.randrange(1, 4)]:
            e.say(who, P.LAUGH)
    return e.lines


# ---------------------------------------------------------------- the public entry point
CAST = [
    (SAM_ARC, (good_morning,)),
    (JORDAN_ARC, (sunday_call, jordan_turning_points)),
    (PRIYA_ARC, (priya_first_contact, thursday_climbing)),
]


def generate(seed: int = 7, *, start: date = date(2025, 1, 1), days: int = 365) -> list[DemoChat]:
    """The demo's chats: Sam, Jordan, Priya (1:1, in that order) and the group chat.

    Args:
        seed: any integer; the same seed always gives the same chats.
        start: the first day of the story.
        days: how long the story runs; the arcs stretch to fit (a year is the designed length).

    Returns:
        One :class:`DemoChat` per chat, messages in time order, wall-clock times in the
        user's zone (the exports carry no zone, like WhatsApp's).
    """
    chats: list[DemoChat] = []
    for arc, rituals in CAST:
        rng = random.Random(f"{seed}:{arc.other}")
        builder = ChatBuilder(rng, DemoChat(arc.other, ME, [arc.other]), start, days)
        chats.append(builder.one_to_one(arc, rituals))
    chats.append(group_chat(random.Random(f"{seed}:{GROUP}"), start, days))
    return chats
