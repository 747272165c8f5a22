"""The vectorised WhatsApp scan (ingest's path) must give exactly the scanner's rows.

Every fixture, every header variant and random chats are parsed both ways:
as ParsedMessage objects (the per-message scanner) and as Arrow batches (the
block-at-a-time scan ingest uses), with large and tiny blocks so that
messages spanning blocks are covered; errors must match too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.demo.model import DemoChat, DemoMessage
from fondly.demo.whatsapp_writer import VARIANTS, render, write_export
from fondly.importers import ImportOptions, Tree, detect, whatsapp_scan
from tests.test_whatsapp_matrix import chats, sample_chat

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
EXPORTS = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json"))


def _parse(path: Path, columnar: bool, order: str | None = None) -> list[tuple[Any, ...]]:
    tree = Tree(path)
    try:
        units = detect(tree)
        conv = next(units[0].importer.parse(tree, units[0], ImportOptions(date_order=order)))
        if columnar:
            table = pa.Table.from_batches(list(conv.messages.arrow_batches()))  # type: ignore[union-attr]
            cols = ["sender", "ts_local", "kind", "media_type", "text", "edited"]
            rows = list(zip(*(table.column(c).to_pylist() for c in cols), strict=True))
        else:
            rows = [
                (m.sender, m.ts_local, str(m.kind), m.media_type, m.text, bool(m.edited))
                for m in conv.messages
            ]
        return [*rows, ("is_group", conv.is_group, tuple(p.handle for p in conv.participants))]
    finally:
        tree.close()


def _outcome(path: Path, columnar: bool, order: str | None) -> object:
    try:
        return _parse(path, columnar, order)
    except ParseError as exc:
        return str(exc)


def _same(path: Path, order: str | None = None) -> None:
    assert _outcome(path, True, order) == _outcome(path, False, order)


@pytest.fixture(params=[1 << 19, 64], ids=["big-blocks", "tiny-blocks"])
def block(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(whatsapp_scan, "_BLOCK", request.param)
    return int(request.param)


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name)
def test_fixtures_scan_the_same(export: Path, block: int) -> None:
    _same(export)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("group", [False, True], ids=["pair", "group"])
def test_variants_scan_the_same(tmp_path: Path, variant: str, group: bool, block: int) -> None:
    _same(write_export(sample_chat(group), tmp_path, variant, zip=False))


def test_pasted_headers_and_odd_lines_scan_the_same(tmp_path: Path, block: int) -> None:
    t = datetime(2024, 3, 14, 21, 4)
    msgs = [
        DemoMessage(t, "Alex", "<Media omitted>"),
        DemoMessage(t, "Sam Okafor", "a (b)"),
        DemoMessage(t + timedelta(days=5), "Alex", "01/01/2001, 10:00 - Alex: pasted\n\nmore"),
        DemoMessage(t + timedelta(days=5), "Alex", "Note: x\n02/02/2002, 10:00 - Sam: also"),
        DemoMessage(t + timedelta(days=6), "Newcomer", "hi"),
        DemoMessage(t + timedelta(days=6), "Newcomer", "hi again"),
        DemoMessage(t + timedelta(days=7), "Alex", "bye 👋\n"),
    ]
    chat = DemoChat("Sam Okafor", "Alex", ["Sam Okafor", "Newcomer"], msgs)
    _same(write_export(chat, tmp_path, sorted(VARIANTS)[0], zip=False))


def test_errors_are_the_same(tmp_path: Path) -> None:
    lead = tmp_path / "WhatsApp Chat with A.txt"
    lead.write_text("stray line\n14/03/2024, 21:04 - A: hi\n14/03/2024, 21:05 - B: yo\n")
    nul = tmp_path / "WhatsApp Chat with B.txt"
    nul.write_bytes(b"14/03/2024, 21:04 - A: hi\n14/03/2024, 21:05 - B: y\x00o\n")
    bad = tmp_path / "WhatsApp Chat with C.txt"  # day-first dates read month-first
    bad.write_text("13/03/2024, 21:04 - A: hi\n14/03/2024, 21:05 - B: yo\n")
    for path, order in ((lead, None), (nul, None), (bad, "mdy")):
        errors = []
        for columnar in (False, True):
            with pytest.raises(ParseError) as info:
                _parse(path, columnar, order)
            errors.append(str(info.value))
        assert errors[0] == errors[1]


def test_a_date_no_order_can_read_is_text_even_with_a_given_order(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with D.txt"
    path.write_text("14/03/2024, 21:04 - A: hi\n31/02/2024, 21:05 - B: yo\n")
    for columnar in (False, True):
        rows = _parse(path, columnar, "dmy")
        assert [r[4] for r in rows[:-1]] == ["hi\n31/02/2024, 21:05 - B: yo"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chat=chats(), variant=st.sampled_from(sorted(VARIANTS)), tiny=st.booleans())
def test_random_chats_scan_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chat: DemoChat, variant: str, tiny: bool
) -> None:
    monkeypatch.setattr(whatsapp_scan, "_BLOCK", 64 if tiny else 1 << 19)
    path = tmp_path / f"case-{variant}" / "WhatsApp Chat with Round Trip.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(render(chat, variant).encode("utf-8"))
    order = "ymd" if variant == "ymd" else ("mdy" if "mdy" in variant else "dmy")
    _same(path, order)
