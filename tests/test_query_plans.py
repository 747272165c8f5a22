"""No report query makes rows out of pairs of rows: every operator stays linear in messages.

A join whose condition DuckDB cannot hash on (``r.turn_no = d.turn_no + s.k`` with ``s`` a
cross-joined step table) was run by DuckDB 1.5.5 as a join on ``other_id`` alone plus a
filter: harmless across many small relationships, quadratic inside one long one (a
1M-message report took 22 minutes). The bench saw it only at full size; DuckDB's own
profile counts every operator's rows, which shows the blow-up on a few thousand messages
without timing anything.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest

from fondly.metrics import compute, keep_units
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

MESSAGES = 4000
ROWS_PER_MESSAGE = 10
"""The most rows any one operator may produce per message. The largest here is ~1.1 (a
median's cells); the quadratic join reached 640."""

_LINES = [
    "i feel so tired after work today",  # emotional disclosure
    "i got the tickets for saturday",  # informational disclosure
    "haha that is the best thing",  # laughter
    "how was your day",
    "on my way home",
    "love you",
]


def _one_long_relationship() -> Chat:
    """One pair, many disclosures and laughs in a row: what made the joins quadratic."""
    rng = random.Random(5)
    t = datetime(2024, 1, 1, 8)
    rows = []
    for i in range(MESSAGES):
        t += timedelta(minutes=rng.choice([1, 2, 5, 90, 600]))
        rows.append((t, "Alex" if i % 2 else "Robin", rng.choice(_LINES)))
    return Chat("robin", ["Alex", "Robin"], rows)


def _biggest_operator(plan: dict[str, Any]) -> int:
    here = int(plan.get("operator_cardinality", 0))
    return max([here, *(_biggest_operator(child) for child in plan.get("children", []))])


@pytest.mark.parametrize("use_kept", [True, False], ids=["kept units", "rebuilt units"])
def test_every_report_query_stays_linear_in_one_long_relationship(
    use_kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, str]] = []
    lock = threading.Lock()  # the fetches run on a worker thread; one profile at a time

    def profiled(run: Any) -> Any:
        def wrapper(self: Store, sql: str, *args: Any, **kwargs: Any) -> Any:
            with lock:
                result = run(self, sql, *args, **kwargs)
                plan = json.loads(self.con.get_profiling_information(format="json"))
                seen.append((_biggest_operator(plan), " ".join(sql.split())[:120]))
            return result

        return wrapper

    with Store(":memory:") as store:
        write_chats(store, [_one_long_relationship()], me="Alex")
        fill_simple_features(store)
        store.con.execute("PRAGMA enable_profiling = 'no_output'")
        for method in ("execute", "query", "arrow"):
            monkeypatch.setattr(Store, method, profiled(getattr(Store, method)))
        if use_kept:
            keep_units(store)  # the units' own SQL, saved as every report reads them
        result = compute(store, use_kept=use_kept)
    assert result["relationships"], "the chat was not read"
    assert len(seen) > 20, "the profile saw too few queries"
    too_big = [(rows, sql) for rows, sql in seen if rows > ROWS_PER_MESSAGE * MESSAGES]
    assert not too_big, f"operators past {ROWS_PER_MESSAGE} rows a message: {too_big}"
