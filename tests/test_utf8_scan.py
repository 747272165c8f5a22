"""Lines with bytes that are not UTF-8 are imported, and the summary names each FILE:LINE."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly.cli import cli
from fondly.importers import _utf8
from fondly.importers._utf8 import bad_lines, is_text
from fondly.store import Store

# Lines built from pieces that are valid alone, broken alone, or break only when a
# character is cut: what a phone or a bad copy leaves in an export.
PIECES = st.sampled_from(
    [b"hello ", "caf\u00e9 ".encode(), "\U0001f600".encode(), b"\xff", b"\xc3(", b"\xe2\x82"]
)
LINES = st.lists(st.lists(PIECES, max_size=6).map(b"".join), min_size=1, max_size=30)


def _expected(lines: list[bytes]) -> list[int]:
    out = []
    for n, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            out.append(n)
    return out


@settings(max_examples=200, deadline=None)
@given(lines=LINES, block=st.integers(1, 9), long_line=st.integers(4, 12))
def test_every_bad_line_is_found_whatever_the_block_size(
    lines: list[bytes], block: int, long_line: int
) -> None:
    """Tiny blocks and a tiny long-line cap cut characters and lines at every position."""
    old = (_utf8.BLOCK, _utf8.LONG_LINE)
    _utf8.BLOCK, _utf8.LONG_LINE = block, long_line
    try:
        found = bad_lines(io.BytesIO(b"\n".join(lines)))
    finally:
        _utf8.BLOCK, _utf8.LONG_LINE = old
    expected = _expected(lines)
    assert found.lines == expected[: _utf8.KEEP]
    assert found.count == len(expected)


def test_binary_and_utf16_entries_are_not_scanned() -> None:
    assert is_text(b"12/05/2024, 10:00 - Sam: hi\n")
    assert not is_text(b"SQLite format 3\x00....")
    assert not is_text("\ufeffhi".encode("utf-16"))
    assert not is_text(b"PK\x03\x04\x00\x00")


@pytest.mark.parametrize("where", ["start", "middle", "last line, no newline"])
def test_import_summary_names_the_lines(runner: CliRunner, tmp_path: Path, where: str) -> None:
    lines = [f"25/05/2024, 10:{m:02d} - {'Sam' if m % 2 else 'Alex'}: line {m}" for m in range(20)]
    raw = [line.encode() for line in lines]
    bad = {"start": 0, "middle": 9, "last line, no newline": 19}[where]
    raw[bad] += b" \xf0\x9f\x98"  # an emoji cut in half
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_bytes(b"\n".join(raw) + (b"" if bad == 19 else b"\n"))
    db = tmp_path / "s.duckdb"
    got = runner.invoke(cli, ["--db", str(db), "import", str(chat), "--tz", "UTC"])
    assert got.exit_code == 0, got.output
    said = "".join(got.output.split())
    assert "1line(s)hadbytesthatarenotUTF-8text" in said, got.output
    assert "".join(f"{chat}:{bad + 1}".split()) in said, got.output
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM messages")[0][0] == 20, "nothing was dropped"
        kept = store.query("SELECT text FROM messages WHERE text LIKE '%\ufffd%'")
    assert [row[0] for row in kept] == [f"line {bad} \ufffd"]


def test_clean_import_says_nothing_about_bytes(runner: CliRunner, tmp_path: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text("25/05/2024, 10:00 - Sam: caf\u00e9 \U0001f600\n25/05/2024, 10:01 - Alex: ok\n")
    got = runner.invoke(
        cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(chat), "--tz", "UTC"]
    )
    assert got.exit_code == 0, got.output
    assert "UTF-8" not in got.output
