"""One person across apps: listing people, suggesting and applying merges.

Most people talk to the same person on two or three apps, and a relationship is
with the person, not the chat. Handles are never merged silently: fondly
suggests pairs (a shared phone number or e-mail, or similar names) and the user
confirms with ``fondly people merge``; ``fondly people split`` undoes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fondly._errors import UsageError
from fondly.store import Store

NAME_SIMILARITY_THRESHOLD = 88


@dataclass(frozen=True)
class MergeSuggestion:
    a: int
    b: int
    a_name: str
    b_name: str
    reason: str
    score: float


def list_people(store: Store) -> list[dict[str, object]]:
    """Every person with their platforms, handles and message counts, busiest first."""
    return store.query_dicts(
        """
        SELECT p.person_id, p.name, p.is_me,
               string_agg(DISTINCT h.platform, ', ' ORDER BY h.platform) AS platforms,
               string_agg(DISTINCT h.platform || ':' || h.handle, ', ') AS handles,
               (SELECT count(*) FROM messages m JOIN handles h2 USING (handle_id)
                 WHERE h2.person_id = p.person_id) AS messages
        FROM people p JOIN handles h ON h.person_id = p.person_id
        GROUP BY p.person_id, p.name, p.is_me
        ORDER BY p.is_me DESC, messages DESC, p.name
        """
    )


_MATCHING_HANDLES = """
    SELECT DISTINCT h.handle_id, p.person_id FROM handles h
    JOIN people p ON p.person_id = h.person_id
    WHERE lower(p.name) = lower(?) OR lower(h.handle) = lower(?)
       OR lower(coalesce(h.display_name, '')) = lower(?)
    ORDER BY h.handle_id
"""
"""The one rule for naming someone: their name, a handle, or a handle's display name,
case-insensitive. ``find_person``, ``matching_handles`` (``fondly me``) and reports use it."""


def matching_handles(store: Store, name: str) -> list[int]:
    """The handles a name names under the one rule (every match, for ``fondly me``)."""
    return [int(r[0]) for r in store.query(_MATCHING_HANDLES, [name, name, name])]


def people_names(store: Store, limit: int = 20) -> list[str]:
    """The names of the people who wrote messages, busiest first: who "me" may be."""
    rows = store.query(
        """
        SELECT p.name FROM people p JOIN handles h ON h.person_id = p.person_id
        JOIN messages m ON m.handle_id = h.handle_id
        GROUP BY p.person_id, p.name ORDER BY count(*) DESC, p.name LIMIT ?
        """,
        [limit],
    )
    return [str(r[0]) for r in rows]


def find_person(store: Store, name_or_id: str) -> int:
    """Resolve a person by id, then the one naming rule (name, handle or display name),
    then a unique case-insensitive prefix of a name."""
    if name_or_id.isdigit():
        row = store.query("SELECT person_id FROM people WHERE person_id = ?", [int(name_or_id)])
        if row:
            return int(row[0][0])
    rows = sorted(
        {(r[1],) for r in store.query(_MATCHING_HANDLES, [name_or_id, name_or_id, name_or_id])}
    )
    if not rows:
        rows = store.query(
            "SELECT person_id FROM people WHERE lower(name) LIKE lower(?) || '%'", [name_or_id]
        )
    if len(rows) == 1:
        return int(rows[0][0])
    if not rows:
        raise UsageError(f"no person matches {name_or_id!r}; see `fondly people`")
    raise UsageError(f"{name_or_id!r} matches {len(rows)} people; use the id from `fondly people`")


def find_people(store: Store, target: str) -> list[int]:
    """The people a report target names: one person (as :func:`find_person`), or the
    others in a chat named by title or id."""
    try:
        return [find_person(store, target)]
    except UsageError as person_error:
        rows = store.query(
            """
            SELECT DISTINCT h.person_id FROM conversations c
            JOIN conversation_members cm USING (conversation_id)
            JOIN handles h ON h.handle_id = cm.handle_id
            JOIN people p ON p.person_id = h.person_id AND NOT p.is_me
            WHERE lower(c.title) = lower(?) OR CAST(c.conversation_id AS TEXT) = ?
            ORDER BY h.person_id
            """,
            [target, target],
        )
        if not rows:
            raise UsageError(
                f"no person or chat matches {target!r}; see `fondly people` and `fondly chats`"
            ) from None
        if "matches" in str(person_error) and "people" in str(person_error) and len(rows) > 1:
            raise person_error from None
        return [int(r[0]) for r in rows]


def merge(store: Store, keep: str, other: str) -> str:
    """Make every handle of ``other`` belong to ``keep``; returns the kept name."""
    a, b = find_person(store, keep), find_person(store, other)
    if a == b:
        raise UsageError("those are already the same person")
    with store.transaction():
        is_me = store.query("SELECT bool_or(is_me) FROM people WHERE person_id IN (?, ?)", [a, b])
        store.execute("UPDATE handles SET person_id = ? WHERE person_id = ?", [a, b])
        store.execute("UPDATE people SET is_me = ? WHERE person_id = ?", [bool(is_me[0][0]), a])
        store.execute("DELETE FROM people WHERE person_id = ?", [b])
    return str(store.query("SELECT name FROM people WHERE person_id = ?", [a])[0][0])


def split(store: Store, who: str) -> list[str]:
    """Undo merges: every handle of the person goes back to the person it was imported as."""
    pid = find_person(store, who)
    names = []
    with store.transaction():
        handles = store.query(
            "SELECT handle_id, origin_person_id, coalesce(display_name, handle) FROM handles "
            "WHERE person_id = ?",
            [pid],
        )
        if len(handles) < 2:
            raise UsageError("that person has only one handle; nothing to split")
        is_me = store.query("SELECT is_me FROM people WHERE person_id = ?", [pid])[0][0]
        for handle_id, origin, name in handles:
            if origin != pid and not store.query(
                "SELECT 1 FROM people WHERE person_id = ?", [origin]
            ):
                store.execute("INSERT INTO people VALUES (?, ?, ?)", [origin, name, False])
            store.execute(
                "UPDATE handles SET person_id = ? WHERE handle_id = ?", [origin, handle_id]
            )
            names.append(name)
        # 'me' stays with the person that keeps the original id
        store.execute("UPDATE people SET is_me = ? WHERE person_id = ?", [is_me, pid])
    return names


def _normalise_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    return digits[-9:] if len(digits) >= 7 else None


def suggest_merges(store: Store) -> list[MergeSuggestion]:
    """Pairs of people that are probably one person: same phone/e-mail, or near-identical names.

    Only people on *different* platforms are paired: two handles on one platform
    are two accounts, which the platform already keeps apart.
    """
    from rapidfuzz import fuzz

    rows = store.query(
        """
        SELECT p.person_id, p.name, p.is_me, list(DISTINCT h.platform), list(h.phone), list(h.email)
        FROM people p JOIN handles h ON h.person_id = p.person_id
        GROUP BY p.person_id, p.name, p.is_me
        """
    )
    suggestions: list[MergeSuggestion] = []
    for i, (pa_id, pa_name, pa_me, pa_plat, pa_phone, pa_mail) in enumerate(rows):
        for pb_id, pb_name, pb_me, pb_plat, pb_phone, pb_mail in rows[i + 1 :]:
            if set(pa_plat) & set(pb_plat) or (pa_me and pb_me):
                continue
            phones_a = {_normalise_phone(x) for x in pa_phone} - {None}
            phones_b = {_normalise_phone(x) for x in pb_phone} - {None}
            mails_a = {x.lower() for x in pa_mail if x}
            mails_b = {x.lower() for x in pb_mail if x}
            if phones_a & phones_b:
                suggestions.append(
                    MergeSuggestion(pa_id, pb_id, pa_name, pb_name, "same phone", 100)
                )
                continue
            if mails_a & mails_b:
                suggestions.append(
                    MergeSuggestion(pa_id, pb_id, pa_name, pb_name, "same e-mail", 100)
                )
                continue
            score = fuzz.token_sort_ratio(pa_name.lower(), pb_name.lower())
            if score >= NAME_SIMILARITY_THRESHOLD:
                suggestions.append(
                    MergeSuggestion(pa_id, pb_id, pa_name, pb_name, "similar names", float(score))
                )
    return sorted(suggestions, key=lambda s: -s.score)


@dataclass(frozen=True)
class MeHint:
    """A person who is probably the user under another handle, and why."""

    person_id: int
    name: str
    platform: str
    reason: str


def me_hints(store: Store) -> list[MeHint]:
    """People who probably are the user under another handle (never merged silently).

    Looked for only among the chats where no handle of "me" takes part (the
    chats that otherwise drop out of every report): on each platform, the one
    person who is in all of at least two such chats, or a person whose name
    shares a word (or its start) with the user's name.
    """
    me = store.query("SELECT person_id, name FROM people WHERE is_me")
    if not me:
        return []
    me_id, me_name = int(me[0][0]), str(me[0][1])
    rows = store.query(
        """
        WITH orphan AS (
            SELECT c.conversation_id, c.platform FROM conversations c
            WHERE NOT EXISTS (
                SELECT 1 FROM conversation_members cm JOIN handles h USING (handle_id)
                WHERE cm.conversation_id = c.conversation_id AND h.person_id = ?)
        )
        SELECT o.platform, h.person_id, p.name, count(DISTINCT o.conversation_id) AS n,
               (SELECT count(*) FROM orphan o2 WHERE o2.platform = o.platform) AS total,
               string_agg(DISTINCT h.handle, ' ') AS handles
        FROM orphan o JOIN conversation_members cm USING (conversation_id)
        JOIN handles h ON h.handle_id = cm.handle_id JOIN people p ON p.person_id = h.person_id
        GROUP BY o.platform, h.person_id, p.name
        ORDER BY o.platform, n DESC, p.name
        """,
        [me_id],
    )
    words = [w for w in re.split(r"[^\w]+", me_name.casefold()) if len(w) >= 3]
    hints: list[MeHint] = []
    seen: set[int] = set()
    for platform, person_id, name, n, total, handles in rows:
        everywhere = total >= 2 and n == total
        said = f"{name} {handles}".casefold()
        alike = any(w in said for w in words)
        if person_id in seen or not (everywhere or alike):
            continue
        if everywhere and sum(1 for r in rows if r[0] == platform and r[3] == total) > 1:
            everywhere = False  # two people in every chat: a couple's shared chats, not "me"
            if not alike:
                continue
        reason = (
            f"in all {total} {platform} chats without you" if everywhere else "a name like yours"
        )
        hints.append(MeHint(int(person_id), str(name), str(platform), reason))
        seen.add(int(person_id))
    return hints
