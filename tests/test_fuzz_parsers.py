"""Hypothesis fuzzing of every importer: mutated real-shaped exports never crash an import.

Each importer gets a small valid export (generated here or taken from the fixtures);
Hypothesis truncates it, flips, inserts, deletes and repeats bytes, and the import must
then either succeed or fail with one :class:`~fondly.FondlyError` line that quotes no
message. Anything else (a traceback, a hang past Hypothesis' patience) is a bug.

``make test`` runs a small budget (``FONDLY_FUZZ_EXAMPLES``, 15 per importer);
``make fuzz`` runs thousands.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly._errors import FondlyError
from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.store import Store
from tests import hostile
from tests.fixtures.google import exports as google_exports
from tests.test_imessage import build_chat_db

EXAMPLES = int(os.environ.get("FONDLY_FUZZ_EXAMPLES", "15"))
FIXTURES = Path(__file__).parent / "fixtures"

# importer -> (write a valid export under a folder, returning (path to import, file to mutate))
Seed = Callable[[Path], tuple[Path, Path]]


def _file(rel: str, data: str | bytes) -> Seed:
    def write(root: Path) -> tuple[Path, Path]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path, path

    return write


def _fixture(rel: str) -> Seed:
    def write(root: Path) -> tuple[Path, Path]:
        target = root / Path(rel).name
        shutil.copy(FIXTURES / rel, target)
        return target, target

    return write


def _signal(root: Path) -> tuple[Path, Path]:
    chat = root / "Sam Doe" / "chat.md"
    chat.parent.mkdir(parents=True)
    lines = [
        f"[2024-05-01 18:{m:02d}:09] {'Sam Doe' if m % 2 else 'Me'}: {hostile.SECRET} {m}  \n"
        for m in range(20)
    ]
    chat.write_text("".join(lines), "utf-8")
    return chat.parent, chat


def _meta(root: Path) -> tuple[Path, Path]:
    thread = {
        "participants": [{"name": "Sam"}, {"name": "Alex"}],
        "messages": [
            {
                "sender_name": "Sam" if i % 2 else "Alex",
                "timestamp_ms": 1714590000000 + i * 60000,
                "content": f"{hostile.SECRET} {i}",
            }
            for i in range(20)
        ],
        "title": "Sam",
        "is_still_participant": True,
        "thread_path": "inbox/sam_123",
    }
    path = root / "messages" / "inbox" / "sam_123" / "message_1.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(thread, indent=1), "utf-8")
    return root, path


def _google(root: Path) -> tuple[Path, Path]:
    google_exports.write_chat_sample(root)
    target = next(p for p in sorted(root.rglob("messages.json")))
    return root, target


def _imessage_db(root: Path) -> tuple[Path, Path]:
    path = build_chat_db(root / "chat.db")
    return path, path


SEEDS: dict[str, Seed] = {
    "whatsapp": _file("WhatsApp Chat with Sam.txt", hostile.whatsapp_lines(20)),
    "telegram": _file("result.json", json.dumps(hostile.telegram_chat(12), indent=1)),
    "meta": _meta,
    "signal": _signal,
    "imessage-txt": _fixture("imessage/+15555550123.txt"),
    "imessage-db": _imessage_db,
    "discord-json": _fixture("discord/direct_message.json"),
    "discord-csv": _fixture(
        "discord/Direct Messages - Private - sam.example [500000000000000001].csv"
    ),
    "line": _fixture("line/[LINE] Samとのトーク履歴.txt"),
    "google": _google,
    "generic": _file(
        "chat.csv",
        "chat,sender,timestamp,text,me\n"
        + "".join(
            f"Sam,{'Sam' if i % 2 else 'Alex'},2024-05-01T21:{i:02d}:00,{hostile.SECRET} {i},"
            f"{'' if i % 2 else 'true'}\n"
            for i in range(20)
        ),
    ),
}

OPS = ("truncate", "flip", "insert", "delete", "repeat")
mutations = st.lists(
    st.tuples(st.sampled_from(OPS), st.floats(0, 1), st.floats(0, 1), st.binary(max_size=8)),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops: list[tuple[str, float, float, bytes]]) -> bytes:
    out = bytearray(data)
    for op, where, span, extra in ops:
        at = int(where * len(out))
        end = min(len(out), at + 1 + int(span * 64))
        if op == "truncate":
            del out[at:]
        elif op == "flip" and at < len(out):
            out[at] ^= 1 << int(span * 7.99)
        elif op == "insert":
            out[at:at] = extra or b"\xff"
        elif op == "delete":
            del out[at:end]
        elif op == "repeat":
            out[at:at] = out[at:end] * (1 + int(span * 3))
    return bytes(out)


def check_import(path: Path) -> None:
    """Import into a fresh store: success, or one FondlyError line without message text."""
    store = Store(":memory:")
    try:
        import_paths(store, [path], ImportOptions(tz="UTC"))
    except FondlyError as exc:
        text = str(exc)
        assert "\n" not in text.strip(), text
        assert hostile.SECRET not in text, "an error quoted message text"
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_imports_cleanly(name: str, tmp_path: Path) -> None:
    """The unmutated seed is a valid export: the fuzzing starts from real shapes."""
    path, _ = SEEDS[name](tmp_path)
    store = Store(":memory:")
    try:
        summary = import_paths(store, [path], ImportOptions(tz="UTC"))
    finally:
        store.close()
    assert summary.added > 0, name


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=EXAMPLES <= 50,  # make test is repeatable; make fuzz explores
)
@given(ops=mutations)
def test_mutated_export_never_crashes(
    name: str, ops: list[tuple[str, float, float, bytes]]
) -> None:
    with tempfile.TemporaryDirectory(prefix="fondly-fuzz-") as tmp:
        path, target = SEEDS[name](Path(tmp))
        target.write_bytes(mutate(target.read_bytes(), ops))
        check_import(path)
