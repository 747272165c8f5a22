"""The import bar: a total from the files' sizes, bytes counted as parsed, silent off a terminal."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly import Fondly
from fondly.cli import cli
from fondly.importers import Tree
from fondly.ingest_reading import CountedTree
from tests.conftest import write_generic_csv
from tests.test_long_chats import _export


class Recorder:
    """A progress callback with ``expect``, as fondly.progress.Bar is."""

    def __init__(self) -> None:
        self.done: list[int] = []
        self.expected: list[int] = []

    def __call__(self, n: int) -> None:
        self.done.append(n)

    def expect(self, n: int) -> None:
        self.expected.append(n)


def test_the_import_bar_counts_a_whatsapp_export_to_its_size(tmp_path: Path) -> None:
    export = _export(tmp_path / "WhatsApp Chat with Robin.txt", 5000)
    size = export.stat().st_size
    seen = Recorder()
    report = Fondly(tmp_path / "f.duckdb").import_(export, me="Alex", tz="UTC", reading=seen)
    assert report.added == 5001  # the seeded messages and the encryption notice
    # WhatsApp reads the file more than once (a sample, the dates, the scan): the bar
    # counts the furthest point reached, so it ends exactly at the size, moving forward.
    assert seen.expected == [size]
    assert sum(seen.done) == size
    assert all(n > 0 for n in seen.done)
    assert len(seen.done) > 1  # it moved while the file was read, not only at the end
    again = Recorder()
    Fondly(tmp_path / "f.duckdb").import_(export, me="Alex", tz="UTC", reading=again)
    assert again.expected == [] and again.done == []  # already imported: nothing read


def test_the_import_bar_counts_a_zip_by_what_its_members_inflate_to(tmp_path: Path) -> None:
    chat = _export(tmp_path / "_chat.txt", 800)
    archive = tmp_path / "WhatsApp Chat - Robin.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(chat, "_chat.txt")
    seen = Recorder()
    Fondly(tmp_path / "f.duckdb").import_(archive, me="Alex", tz="UTC", reading=seen)
    assert seen.expected == [chat.stat().st_size]
    assert sum(seen.done) == chat.stat().st_size


def test_each_file_of_a_folder_adds_its_size(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    rows = [("Sam", "Sam", f"2024-06-01T10:{i:02d}:00", f"hello {i}") for i in range(40)]
    a = write_generic_csv(folder / "a.csv", rows)
    b = write_generic_csv(folder / "b.csv", [(c.replace("Sam", "Kim"), *r) for c, *r in rows])
    seen = Recorder()
    Fondly(tmp_path / "f.duckdb").import_(folder, tz="UTC", reading=seen)
    assert sorted(seen.expected) == sorted([a.stat().st_size, b.stat().st_size])
    assert sum(seen.done) == sum(seen.expected)


@given(st.binary(max_size=5000), st.lists(st.integers(1, 700), min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_counted_reads_return_the_bytes_and_never_count_past_the_end(
    data: bytes, sizes: list[int]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_bytes(data)
        tree = Tree(path)
        done: list[int] = []
        counted = CountedTree(tree, [tree.entries[0].name], done.append)
        for _ in range(2):  # read twice, in uneven pieces: counted once
            got = b""
            with counted.open(tree.entries[0].name) as fh:
                for n in sizes * 20:
                    piece = fh.read(n)
                    if not piece:
                        break
                    got += piece
                got += fh.read()
            assert got == data
        assert sum(done) == len(data) == counted.total
        counted.finish()
        assert sum(done) == len(data)


def test_the_import_bar_is_silent_off_a_terminal(tmp_path: Path) -> None:
    export = _export(tmp_path / "WhatsApp Chat with Robin.txt", 300)
    got = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "f.duckdb"), "import", str(export), "--me", "Alex", "--tz", "UTC"],
    )
    assert got.exit_code == 0, got.output
    assert "MB" not in got.output and "━" not in got.output


@pytest.mark.parametrize(("unit", "shown"), [("bytes", "12.3/53.0 MB"), ("messages", "700/2000")])
def test_a_step_in_bytes_shows_megabytes_on_a_terminal(unit: str, shown: str) -> None:
    from rich.console import Console

    from fondly.progress import steps

    out = StringIO()
    with steps(Console(file=out, force_terminal=True, width=100)) as step:
        bar = step("importing", unit)
        if unit == "bytes":
            bar.expect(53_000_000)
            bar(12_300_000)
        else:
            bar.expect(2000)
            bar(700)
    assert shown in out.getvalue()
