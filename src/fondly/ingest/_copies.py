"""Copies of one chat under two keys: a staged chat joins the stored one holding its messages.

A Messenger thread exported into its thread folder (``inbox/robinpark_1234567/``) is
keyed by that folder; the same thread's ``message_1.json`` saved on its own (a newer
download kept in Downloads) carries no thread id, so the importer keys it by its
participants and title (``fondly.importers.meta``). Message ids hash the chat's key,
so without this step the two copies would be two chats, every message stored twice.

The rule: a staged chat whose importer says its key may differ between copies
(``ParsedConversation.joins_by_messages``) goes into the stored chat of the same
platform and title that shares most of its messages: the same
sender, instant, kind and text. Sharing a few by chance is not enough: among the
staged messages that fall within the stored chat's first and last message, at least
half must be found there. A newer export of a thread holds every stored message
(all found), an older one is wholly inside it (all found), a thread's newest part
alone overlaps its stored end; two threads that share only a name and people (two
groups called "Family") share no message at all, so they stay apart.

The staged chat then takes the stored chat's id and key, so its messages get the
stored chat's message ids: those already stored are not inserted again, new ones are.
The chat its own key names counts among the candidates and wins a tie; it is left
only for a chat that shares more (two loose files of different "Family" threads have
one key, so a loose copy's key may name the other thread's chat). A chat that shares
nothing with any stays under its own key, as before.
"""

from __future__ import annotations

from fondly.store import Store

# Staged chats that may belong to another chat: those with a stored chat of the same
# platform and title beside the one their own key names.
_CANDIDATES = """
    SELECT sc.conv, sc.conversation_id, other.conversation_id
    FROM stage_convs sc
    JOIN conversations mine ON mine.conversation_id = sc.conversation_id
    JOIN conversations other
      ON other.platform = mine.platform AND other.title = mine.title
     AND other.conversation_id <> mine.conversation_id
    WHERE sc.conv IN ({convs})
    ORDER BY sc.conv, other.conversation_id
"""

# For one staged chat and its candidates: how many of its messages each candidate
# holds, and how many of its messages fall within the candidate's span.
_SHARED = """
    WITH staged AS (
        SELECT DISTINCT sender, ts_ms, kind, coalesce(text, '') AS text
        FROM {stage} WHERE conv = $1 AND sender IS NOT NULL AND ts_ms IS NOT NULL
    ),
    stored AS (
        SELECT DISTINCT m.conversation_id, h.handle AS sender, m.ts_ms, m.kind,
               coalesce(m.text, '') AS text
        FROM messages m JOIN handles h USING (handle_id)
        WHERE list_contains($2, m.conversation_id)
    ),
    span AS (
        SELECT conversation_id, min(ts_ms) AS lo, max(ts_ms) AS hi
        FROM messages WHERE list_contains($2, conversation_id) GROUP BY conversation_id
    ),
    inside AS (
        SELECT s.conversation_id, count(*) AS n
        FROM span s JOIN staged st ON st.ts_ms BETWEEN s.lo AND s.hi
        GROUP BY s.conversation_id
    ),
    shared AS (
        SELECT d.conversation_id, count(*) AS n
        FROM staged st JOIN stored d
          ON d.sender = st.sender AND d.ts_ms = st.ts_ms AND d.kind = st.kind
         AND d.text = st.text
        GROUP BY d.conversation_id
    )
    SELECT sh.conversation_id
    FROM shared sh JOIN inside i USING (conversation_id)
    WHERE 2 * sh.n >= i.n
    ORDER BY sh.n DESC, sh.conversation_id = $3 DESC, sh.conversation_id
    LIMIT 1
"""


def join_copies(store: Store, stage: str, convs: list[int]) -> int:
    """Point each staged chat in ``convs`` that is a copy of a stored chat at that chat.

    ``stage`` is the relation holding the staged messages (``_StageWriter.source``);
    ``convs`` the staged chats whose importer set ``joins_by_messages``. Runs before
    the merge, inside the unit's transaction. Returns how many chats were joined.
    """
    if not convs:
        return 0
    listed = ", ".join(str(int(c)) for c in convs)
    pairs = store.query(_CANDIDATES.replace("{convs}", listed))
    others: dict[tuple[int, int], list[int]] = {}
    for conv, mine, other in pairs:
        others.setdefault((conv, mine), []).append(other)
    joined = 0
    for (conv, mine), candidates in others.items():
        found = store.query(_SHARED.replace("{stage}", stage), [conv, [mine, *candidates], mine])
        if found and found[0][0] != mine:
            _move(store, conv, mine, found[0][0])
            joined += 1
    return joined


def _move(store: Store, conv: int, mine: int, target: int) -> None:
    """Stage ``conv`` into chat ``target``; the chat made for it goes if it holds nothing."""
    store.execute(
        "UPDATE stage_convs SET conversation_id = ?, "
        "conv_key = (SELECT conv_key FROM conversations WHERE conversation_id = ?) "
        "WHERE conv = ?",
        [target, target, conv],
    )
    store.execute(
        "INSERT INTO conversation_members SELECT ?, handle_id FROM conversation_members "
        "WHERE conversation_id = ? ON CONFLICT DO NOTHING",
        [target, mine],
    )
    # A copy that knows the chat is a group (a newer export's thread type) says so.
    store.execute(
        "UPDATE conversations SET is_group = TRUE WHERE conversation_id = ? "
        "AND (SELECT is_group FROM conversations WHERE conversation_id = ?)",
        [target, mine],
    )
    if store.query("SELECT 1 FROM messages WHERE conversation_id = ? LIMIT 1", [mine]):
        return  # a chat of its own already (another thread under the same loose key)
    store.execute("DELETE FROM conversation_members WHERE conversation_id = ?", [mine])
    store.execute("DELETE FROM conversations WHERE conversation_id = ?", [mine])
