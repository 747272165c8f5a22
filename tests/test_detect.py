"""Detection by content: a folder (or zip) of mixed exports imports in one go."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.importers import Tree, detect
from fondly.importers._registry import IMPORTER_MODULES, all_importers

FIXTURES = Path(__file__).parent / "fixtures"

# One export per importer, renamed so that only content can tell what it is.
MIXED = {
    "whatsapp": FIXTURES / "whatsapp" / "WhatsApp Chat with Jordan.txt",
    "telegram": FIXTURES / "telegram" / "single_chat.json",
    "discord": FIXTURES / "discord" / "direct_message.json",
    "line": FIXTURES / "line" / "[LINE] Chat history with Sam.txt",
    "imessage": FIXTURES / "imessage" / "+15555550123.txt",
}


def test_every_listed_importer_exists() -> None:
    assert [i.name for i in all_importers()] == [
        "whatsapp",
        "telegram",
        "meta",
        "signal",
        "imessage",
        "discord",
        "line",
        "google",
        "generic",
    ]
    assert len(IMPORTER_MODULES) == len(all_importers())


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    for i, source in enumerate(MIXED.values()):
        shutil.copy(source, folder / f"export-{i}{source.suffix}")
    shutil.copytree(FIXTURES / "signal" / "Sam Doe", folder / "signal-chat")
    (folder / "chat.csv").write_text(
        "chat,sender,timestamp,text\nKim,Kim,2024-06-01T10:00:00,hello\n", encoding="utf-8"
    )
    return folder


def test_folder_of_mixed_exports_is_detected_by_content(mixed_folder: Path) -> None:
    units = detect(Tree(mixed_folder))
    found = sorted(u.importer.name for u in units)
    assert found == sorted([*MIXED, "signal", "generic"])


def test_mixed_folder_and_its_zip_import_the_same(mixed_folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db1, db2 = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    result = runner.invoke(
        cli, ["--db", str(db1), "import", str(mixed_folder), "--tz", "UTC", "--json"]
    )
    assert result.exit_code == 0, result.output
    archive = tmp_path / "exports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(mixed_folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(mixed_folder).as_posix())
    result = runner.invoke(cli, ["--db", str(db2), "import", str(archive), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    from fondly.store import Store

    counts = []
    for db in (db1, db2):
        with Store(db) as store:
            counts.append(
                store.query("SELECT platform, count(*) FROM messages_people GROUP BY 1 ORDER BY 1")
            )
    assert counts[0] == counts[1]
    assert {p for p, _ in counts[0] if p} >= {"whatsapp", "telegram", "discord", "line", "signal"}


def test_unrecognised_file_gets_one_line(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0not really a jpeg")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"fondly: {path}: not a chat export fondly knows (it reads: whatsapp"
    )
