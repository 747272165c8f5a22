"""The report verb: metrics, then insights, for everyone or one person; ``annotate`` for lone texts.

The metrics layer computes each relationship's readings from the store; insights turn
that result (and what ``metrics.reader`` reads of the chats) into verdicts, changes and
suggestions. This is the one place that runs the two in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fondly._errors import UsageError
from fondly.api._core import Progress, _Core
from fondly.api._results import Report


class _Reports(_Core):
    """``report``: what the store's chats say about each relationship."""

    def report(
        self,
        person: int | str | Sequence[int] | None = None,
        *,
        redact: bool = False,
        charts: bool = False,
        progress: Progress | None = None,
    ) -> Report:
        """Metrics and insights for every relationship, or one person's (or a chat's).

        Args:
            person: a person id; a name, handle or chat title as
                :func:`fondly.people.find_people` resolves it; several person ids;
                None for everyone.
            redact: replace names, phone numbers, e-mail addresses, links and places.
            charts: also read the data the charts draw (slower on big chats).
            progress: called with 1 as each step of the report is done (its number
                announced first through ``expect`` when the callback has one).
        """
        from fondly.insights import build_insights, make_redactor, redact_metrics
        from fondly.metrics import compute
        from fondly.metrics._compute import steps
        from fondly.people import find_people

        with self._store() as store:
            if not store.query("SELECT 1 FROM people WHERE is_me"):
                raise UsageError("no person is marked as you yet: set who you are first")
            people: list[int] | None = None
            if isinstance(person, int):
                people = [person]
            elif isinstance(person, str):
                people = find_people(store, person)
            elif person is not None:
                people = [int(p) for p in person]
            if progress is not None and hasattr(progress, "expect"):
                progress.expect(steps() + 1)
            if people is not None and len(people) == 1:
                result = compute(store, people[0], gap_minutes=self.gap_minutes, progress=progress)
            else:
                result = compute(store, gap_minutes=self.gap_minutes, progress=progress)
                if people is not None:
                    keep = set(people)
                    result["relationships"] = [
                        r for r in result["relationships"] if r["person"]["person_id"] in keep
                    ]
            insights = build_insights(result, store, redact=redact, charts=charts)
            if progress is not None:
                progress(1)
            if redact:
                result = redact_metrics(result, make_redactor(store, enabled=True))
        return Report(metrics=result, insights=insights)


def annotate(texts: Iterable[str | None]) -> list[dict[str, object]]:
    """The message features of each lone text, in input order (``fondly annotate``).

    Contextual features (``is_followup``) need a conversation, so they are None here.
    """
    from fondly.features import annotate as features_of

    return features_of(texts)
