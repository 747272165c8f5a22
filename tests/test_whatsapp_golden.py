"""Golden files: small hand-written WhatsApp exports and the messages they must parse to.

Each ``tests/fixtures/whatsapp/<export>`` sits beside ``<export>.expected.json``.
The exports are invented (no real people) and each packs one platform's
quirks: system lines without an author, a group subject with ": ", ``~ Name``
and phone-number authors, names with colons, header-shaped text inside a
body, U+200E / U+2068 marks, CRLF, a BOM, U+202F and ``p. m.``.

After a deliberate parser change, rewrite the expectations with
``FONDLY_REGEN_GOLDEN=1 pytest tests/test_whatsapp_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from fondly.importers import ImportOptions, Tree, detect

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
EXPORTS = sorted(
    p for p in FIXTURES.rglob("*.txt") if p.is_file() and not p.name.endswith(".expected.json")
)


def parse_to_json(path: Path) -> dict[str, Any]:
    """Everything the importer says about an export, in a JSON-comparable form."""
    tree = Tree(path)
    try:
        units = detect(tree)
        assert [u.importer.name for u in units] == ["whatsapp"]
        conv = next(units[0].importer.parse(tree, units[0], ImportOptions()))
        messages = [
            {
                "line": m.line,
                "ts_local": m.ts_local.isoformat() if m.ts_local else None,
                "sender": m.sender,
                "kind": str(m.kind),
                "media_type": m.media_type,
                "edited": m.edited,
                "text": m.text,
            }
            for m in conv.messages
        ]
        return {
            "title": conv.title,
            "key": conv.key,
            "is_group": conv.is_group,
            "format": conv.format,
            "me": [h.handle for h in conv.participants if h.is_me],
            "messages": messages,
        }
    finally:
        tree.close()


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name)
def test_export_parses_to_its_golden_file(export: Path) -> None:
    expected_path = export.with_name(export.name + ".expected.json")
    got = parse_to_json(export)
    if os.environ.get("FONDLY_REGEN_GOLDEN"):
        expected_path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert got == expected


def test_every_fixture_has_an_expectation() -> None:
    assert len(EXPORTS) >= 6
    for export in EXPORTS:
        assert export.with_name(export.name + ".expected.json").exists(), export.name
