"""Identity: the handles and people an import writes, and which person is the user."""

from __future__ import annotations

from fondly.model import ParsedHandle
from fondly.people import matching_handles
from fondly.store import Store


def upsert_handle(store: Store, platform: str, handle: ParsedHandle) -> int:
    """The handle's id, creating it (and a person for it) when first seen."""
    row = store.query(
        "SELECT handle_id FROM handles WHERE platform = ? AND handle = ?", [platform, handle.handle]
    )
    if row:
        handle_id: int = row[0][0]
        store.execute(
            "UPDATE handles SET phone = coalesce(phone, ?), email = coalesce(email, ?) "
            "WHERE handle_id = ?",
            [handle.phone, handle.email, handle_id],
        )
        return handle_id
    person_id = store.query("SELECT nextval('person_ids')")[0][0]
    store.execute(
        "INSERT INTO people VALUES (?, ?, FALSE)", [person_id, handle.display_name or handle.handle]
    )
    handle_id = store.query("SELECT nextval('handle_ids')")[0][0]
    store.execute(
        "INSERT INTO handles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            handle_id,
            platform,
            handle.handle,
            handle.display_name,
            handle.phone,
            handle.email,
            person_id,
            person_id,
        ],
    )
    return handle_id


def mark_me_handle(store: Store, handle_id: int) -> None:
    """Make a handle belong to the user: joined to the existing 'me' person if there is one."""
    me = store.query("SELECT person_id FROM people WHERE is_me")
    person_id = store.query("SELECT person_id FROM handles WHERE handle_id = ?", [handle_id])[0][0]
    if me and me[0][0] != person_id:
        store.execute("UPDATE handles SET person_id = ? WHERE handle_id = ?", [me[0][0], handle_id])
        # As `people merge` does: a person left with no handle goes (`people
        # split` makes it again from the handle's origin), so `fondly people`
        # and `forget` never meet an empty one.
        store.execute(
            "DELETE FROM people p WHERE person_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM handles h WHERE h.person_id = p.person_id)",
            [person_id],
        )
    elif not me:
        store.execute("UPDATE people SET is_me = TRUE WHERE person_id = ?", [person_id])


def resolve_me(store: Store, me_name: str | None) -> str | None:
    """Decide which person is the user, storing it; return their name or ``None``.

    In order: an explicit ``--me`` name; a person already marked; the one person
    present in every conversation when there are at least two.
    """
    if me_name:
        set_me(store, me_name)
    row = store.query("SELECT name FROM people WHERE is_me")
    if row:
        return str(row[0][0])
    n_convs = store.query("SELECT count(*) FROM conversations")[0][0]
    if n_convs >= 2:
        rows = store.query(
            """
            SELECT h.person_id FROM conversation_members cm JOIN handles h USING (handle_id)
            GROUP BY h.person_id HAVING count(DISTINCT cm.conversation_id) = ?
            """,
            [n_convs],
        )
        if len(rows) == 1:
            store.execute("UPDATE people SET is_me = TRUE WHERE person_id = ?", [rows[0][0]])
            return str(store.query("SELECT name FROM people WHERE is_me")[0][0])
    return None


def set_me(store: Store, name: str) -> str:
    """Mark the person (or handle) called ``name`` as the user, joining every match into one."""
    from fondly._errors import UsageError

    rows = matching_handles(store, name)
    if not rows:
        known = ", ".join(
            r[0] for r in store.query("SELECT name FROM people ORDER BY name LIMIT 12")
        )
        raise UsageError(f"no person called {name!r} in the store (known: {known})")
    with store.transaction():
        store.execute("UPDATE people SET is_me = FALSE")
        for handle_id in rows:
            mark_me_handle(store, handle_id)
    return name
