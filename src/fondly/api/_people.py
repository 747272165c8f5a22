"""The people verbs: who is who across apps, who "me" is, and joining or parting people.

Setting "me" and merging or splitting people change whose messages each relationship
holds, so each of those ends with the refresh of the units reports start from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fondly.api._core import _Core
from fondly.api._results import Person

if TYPE_CHECKING:
    from fondly.people import MergeSuggestion


class _People(_Core):
    """``people``, ``me``, ``set_me``, ``merge``, ``split`` and ``suggest_merges``."""

    def people(self) -> list[Person]:
        """Every person with their apps, handles and message counts; you first."""
        from fondly.people import list_people

        with self._store() as store:
            rows = list_people(store)
        return [
            Person(
                person_id=int(str(r["person_id"])),
                name=str(r["name"]),
                is_me=bool(r["is_me"]),
                platforms=str(r["platforms"] or ""),
                handles=str(r["handles"] or ""),
                messages=int(str(r["messages"] or 0)),
            )
            for r in rows
        ]

    def me(self) -> Person | None:
        """The person marked as the user, if any."""
        return next((p for p in self.people() if p.is_me), None)

    def set_me(self, name: str) -> str:
        """Mark the person or handle called ``name`` as the user."""
        from fondly.ingest import set_me

        with self._store(write=True) as store:
            found = set_me(store, name)
            self._refresh(store, features=False)
        return found

    def merge(self, keep: int | str, other: int | str) -> str:
        """Join two people (the same person on two apps); returns the kept name."""
        from fondly.people import merge

        with self._store(write=True) as store:
            name = merge(store, str(keep), str(other))
            self._refresh(store, features=False)
        return name

    def split(self, person: int | str) -> list[str]:
        """Undo merges: each of the person's handles goes back to its own person."""
        from fondly.people import split

        with self._store(write=True) as store:
            names = split(store, str(person))
            self._refresh(store, features=False)
        return names

    def suggest_merges(self) -> list[MergeSuggestion]:
        """People on different apps who are probably one person (for :meth:`merge`)."""
        from fondly.people import suggest_merges

        with self._store() as store:
            return suggest_merges(store)
