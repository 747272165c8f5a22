"""The demo's three relationships read as their story says (fondly.demo.story).

Sam: a partner, a rough patch mid-year that recovers. Jordan: an old friend who drifts,
goes silent from July to September, then writes "I miss you". Priya: a newer friend who
gets closer. Read at the end of the year, and read in August, mid-story.
"""

from __future__ import annotations

from typing import Any

import pytest

from fondly.demo.story import JORDAN, PRIYA, SAM, generate
from fondly.insights import build_insights
from fondly.metrics import compute
from fondly.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from fondly.cli.demo_cmd import DEMO_ZONE, write_exports
    from fondly.features import update_store
    from fondly.importers import ImportOptions
    from fondly.ingest import import_paths

    folder = tmp_path_factory.mktemp("demo")
    chats = generate(7)
    paths = write_exports(chats, folder / "exports")
    with Store(folder / "demo.duckdb") as store:
        import_paths(store, paths, ImportOptions(tz=DEMO_ZONE, me=chats[0].me))
        update_store(store)
        end = build_insights(compute(store, use_kept=False), store)
        # the same chats as they stood on 1 August, in the middle of Jordan's silence
        store.execute("DELETE FROM messages WHERE ts_local >= TIMESTAMP '2025-08-01'")
        august = build_insights(compute(store, use_kept=False), store)
    return {"end": _by_name(end), "august": _by_name(august)}


def _by_name(insights: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in insights["relationships"]}


def test_priya_gets_closer(demo: dict[str, Any]) -> None:
    assert demo["end"][PRIYA]["change"]["label"] == "closer"


def test_sam_recovers_from_the_rough_patch(demo: dict[str, Any]) -> None:
    sam = demo["end"][SAM]
    assert sam["change"]["label"] in {"steady", "closer"}
    assert not sam["alerts"]
    assert "rising_negativity" not in [s["signal"] for s in sam["suggestions"]]


def test_jordan_reads_as_drifting_while_drifting(demo: dict[str, Any]) -> None:
    jordan = demo["august"][JORDAN]
    assert jordan["change"]["label"] == "drifting"
    ranks = {r["name"]: r["overview"]["closeness"] for r in demo["august"].values()}
    assert ranks[JORDAN] == min(ranks.values())


def test_jordan_reads_as_reconnected_after_the_silence(demo: dict[str, Any]) -> None:
    jordan = demo["end"][JORDAN]
    assert jordan["change"]["label"] == "reconnected"
    # Alex stopped doing all the reaching out, and Jordan now breaks silences
    change = next(c for c in jordan["changes"] if c["metric_id"] == "initiation_share")
    assert change["direction"] == "down"
    assert "silences" in change["sentence"]


def test_sam_has_no_invented_change_and_the_rough_patch_is_said(demo: dict[str, Any]) -> None:
    """Alex opens about half of Sam's conversations all year: no "you start fewer" finding
    from one odd first month; and in August, inside the rough patch, the headline says
    the quiet month instead of "about as much as before"."""
    assert not [c for c in demo["end"][SAM]["changes"] if c["metric_id"] == "initiation_share"]
    august = demo["august"][SAM]
    assert august["change"]["label"] == "steady" and august["change"]["quieter_lately"]
    assert "much less in the last 30 days" in august["headline"]


def test_jordan_change_is_dated_at_the_return(demo: dict[str, Any]) -> None:
    """Alex opened most conversations before the silence and about half after it."""
    change = next(c for c in demo["end"][JORDAN]["changes"] if c["metric_id"] == "initiation_share")
    assert change["since"] == "2025-09" and change["direction"] == "down"
    assert change["after_interval"][1] < change["before_interval"][0] + 0.05
