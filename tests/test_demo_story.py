"""The demo story: deterministic, big enough for every metric, and shaped like its script.

The shape checks use the simplest readings of the story (a conversation starts
after a 2-hour gap, the psychology brief's default session gap; disclosure is a
message with "feel" in it, which only the disclosure templates contain), so they
test the generator, not fondly's detectors.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from fondly.demo import phrases
from fondly.demo.model import DemoChat, DemoMessage
from fondly.demo.story import GROUP, JORDAN, ME, PRIYA, SAM, THEO, generate
from fondly.model import Kind

SESSION_GAP = timedelta(hours=2)


@pytest.fixture(scope="module")
def chats() -> dict[str, DemoChat]:
    return {chat.title: chat for chat in generate()}


def _said(chat: DemoChat) -> list[DemoMessage]:
    return [m for m in chat.messages if m.sender is not None]


def _alex_opening_share(chat: DemoChat) -> float:
    said = _said(chat)
    openers = [b for a, b in itertools.pairwise(said) if b.ts_local - a.ts_local >= SESSION_GAP]
    return sum(m.sender == ME for m in openers) / len(openers)


def _longest_gap(chat: DemoChat) -> tuple[timedelta, DemoMessage]:
    said = _said(chat)
    return max(
        ((b.ts_local - a.ts_local, b) for a, b in itertools.pairwise(said)),
        key=lambda pair: pair[0],
    )


def test_same_seed_same_chats() -> None:
    first, again = generate(3, days=60), generate(3, days=60)
    assert [c.title for c in first] == [c.title for c in again]
    for a, b in zip(first, again, strict=True):
        assert a.messages == b.messages


def test_another_seed_other_words() -> None:
    assert generate(1, days=30)[0].messages != generate(2, days=30)[0].messages


def test_cast_and_volume(chats: dict[str, DemoChat]) -> None:
    assert list(chats) == [SAM, JORDAN, PRIYA, GROUP]
    for name in (SAM, JORDAN, PRIYA):
        chat = chats[name]
        assert chat.me == ME and chat.others == [name] and not chat.is_group
        assert len(chat.messages) >= 1500, name
    assert chats[GROUP].is_group and set(chats[GROUP].others) == {SAM, PRIYA, THEO}
    assert len(chats[GROUP].messages) >= 300
    assert sum(len(c.messages) for c in chats.values()) >= 10_000


def test_every_message_is_well_formed(chats: dict[str, DemoChat]) -> None:
    kinds = {k.value for k in Kind}
    for chat in chats.values():
        members = {chat.me, *chat.others}
        previous = None
        for m in chat.messages:
            assert m.text.strip(), chat.title
            assert m.kind in kinds
            assert m.sender in members or (m.sender is None and m.kind == Kind.SYSTEM)
            assert "{" not in m.text and "}" not in m.text, "an unfilled slot"
            assert previous is None or m.ts_local >= previous, "messages out of order"
            previous = m.ts_local


def test_the_year_is_realistic(chats: dict[str, DemoChat]) -> None:
    every = [m for chat in chats.values() for m in chat.messages]
    assert min(m.ts_local for m in every).date() >= date(2025, 1, 1)
    assert max(m.ts_local for m in every).date() <= date(2026, 1, 10)
    night = [m for m in every if 1 <= m.ts_local.hour < 7]
    assert not night, "nobody texts between 1 and 7 am"
    texts = [m.text for m in every]
    assert any("\n" in t for t in texts), "multi-line messages"
    assert any(m.edited for m in every) and any(m.kind == Kind.DELETED for m in every)
    assert any(m.kind == Kind.MEDIA for m in every) and any(m.kind == Kind.STICKER for m in every)
    assert any("?" in t for t in texts) and any("😂" in t or "haha" in t for t in texts)
    assert len(set(texts)) > 1000, "varied sentences, not a handful repeated"


def test_sam_good_morning_ritual_and_pet_name(chats: dict[str, DemoChat]) -> None:
    said = _said(chats[SAM])
    mornings = {m.ts_local.date() for m in said if "morning" in m.text and "☀️" in m.text}
    weekdays = {m.ts_local.date() for m in said if m.ts_local.weekday() < 5}
    assert len(mornings) > 0.5 * len(weekdays)
    for who in (ME, SAM):
        assert any("bean" in m.text for m in said if m.sender == who), "a pet name used by both"


def test_sam_rough_patch_then_recovery(chats: dict[str, DemoChat]) -> None:
    said = _said(chats[SAM])

    def alex_questions(months: set[int]) -> float:
        mine = [m for m in said if m.sender == ME and m.ts_local.month in months]
        return sum("?" in m.text for m in mine) / len(mine)

    def complaints(months: set[int]) -> int:
        return sum(
            1
            for m in said
            if m.ts_local.month in months
            and any(c.split("{")[0] in m.text for c in phrases.COMPLAINT)
        )

    calm, rough, after = {2, 3, 4}, {7}, {10, 11, 12}
    assert complaints(rough) > 2 * max(1, complaints(calm) / len(calm)) * len(rough)
    assert alex_questions(rough) < alex_questions(calm) and alex_questions(rough) < alex_questions(
        after
    )
    assert any(m.text in phrases.REPAIR for m in said)


def test_jordan_drifts_then_misses_alex(chats: dict[str, DemoChat]) -> None:
    chat = chats[JORDAN]
    assert _alex_opening_share(chat) > 0.65
    gap, comeback = _longest_gap(chat)
    assert gap >= timedelta(days=42), "a long silence"
    assert comeback.sender == JORDAN, "Jordan breaks the silence"
    after = [m for m in _said(chat) if m.ts_local >= comeback.ts_local and m.sender == JORDAN]
    assert any("miss" in m.text.lower() for m in after[:3])
    assert sum("miss" in m.text.lower() or "thinking of you" in m.text for m in after) >= 3
    before = [m for m in _said(chat) if m.ts_local < comeback.ts_local - gap]
    assert any(a.sender == b.sender == ME for a, b in itertools.pairwise(before)), (
        "Alex double-texts"
    )


def test_priya_gets_closer(chats: dict[str, DemoChat]) -> None:
    said = _said(chats[PRIYA])
    first, last = said[: len(said) // 2], said[len(said) // 2 :]

    def disclosure(messages: list[DemoMessage], who: str) -> float:
        theirs = [m for m in messages if m.sender == who]
        return sum("feel" in m.text for m in theirs) / len(theirs)

    for who in (ME, PRIYA):
        assert disclosure(last, who) > 1.2 * disclosure(first, who), who
    assert 0.35 < _alex_opening_share(chats[PRIYA]) < 0.65, "reciprocal"
    assert len(last) > len(first) and said[-1].ts_local - said[len(said) // 2].ts_local < timedelta(
        days=200
    )
    for who in (ME, PRIYA):
        assert any("goose" in m.text.lower() or "🪿" in m.text for m in last if m.sender == who)
    assert not any("goose" in m.text.lower() for m in said[:200]), "the inside joke emerges later"
    kept = [m for m in said if m.text in phrases.AFTER_PLAN or "was unreal" in m.text]
    assert len(kept) >= 10, "plans made and kept"
