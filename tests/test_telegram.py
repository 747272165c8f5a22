"""The Telegram Desktop JSON parser: golden files, round trips, detection and errors."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly._errors import UsageError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers import _jsonstream as jsonstream
from fondly.model import ParsedConversation
from tests.golden import message_record

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
UPDATE_GOLDEN = os.environ.get("FONDLY_UPDATE_GOLDEN") == "1"


def parse(path: Path, options: ImportOptions | None = None) -> list[dict[str, Any]]:
    """Parse a path with whatever importer claims it, as plain data (participants last)."""
    tree = Tree(path)
    try:
        units = detect(tree)
        out = []
        for unit in units:
            for conv in unit.importer.parse(tree, unit, options or ImportOptions()):
                out.append(as_data(conv))
        return out
    finally:
        tree.close()


def as_data(conv: ParsedConversation) -> dict[str, Any]:
    # Messages first: the importer completes members and sorted-key titles as they end.
    # The shared record plus the sender's display name; these goldens predate "line".
    messages = [
        {"sender_name": m.sender_name} | {k: v for k, v in message_record(m).items() if k != "line"}
        for m in conv.messages
    ]
    return {
        "platform": conv.platform,
        "key": conv.key,
        "title": conv.title,
        "is_group": conv.is_group,
        "me_handle": conv.me_handle,
        "participants": [
            {"handle": h.handle, "display_name": h.display_name, "phone": h.phone, "is_me": h.is_me}
            for h in conv.participants
        ],
        "messages": messages,
    }


@pytest.mark.parametrize("name", ["single_chat", "full_account"])
def test_golden(name: str) -> None:
    parsed = parse(FIXTURES / f"{name}.json")
    golden = FIXTURES / f"{name}.golden.json"
    if UPDATE_GOLDEN:
        golden.write_text(json.dumps(parsed, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert parsed == json.loads(golden.read_text("utf-8"))


def test_single_chat_details() -> None:
    [conv] = parse(FIXTURES / "single_chat.json")
    by_id = {m["source_id"]: m for m in conv["messages"]}
    assert conv["key"] == "4242" and conv["is_group"] is False
    assert by_id["1"]["kind"] == "system" and by_id["1"]["sender"] is None
    assert by_id["3"]["text"] == "it went great, details on example.org\nstarting in june"
    assert by_id["3"]["reply_to"] == "2" and by_id["3"]["edited"] is True
    assert by_id["3"]["reactions"] == [["user2", "❤"]]  # the bare 🔥 count names nobody
    assert (by_id["4"]["kind"], by_id["4"]["media_type"]) == ("sticker", "sticker")
    assert (by_id["5"]["kind"], by_id["5"]["media_type"]) == ("media", "image")
    assert by_id["6"]["kind"] == "voice"
    assert by_id["7"]["text"] == "forwarded news"
    assert (by_id["8"]["kind"], by_id["8"]["sender"]) == ("call", "user1")
    assert (by_id["9"]["sender"], by_id["9"]["sender_name"]) == ("user2", None)  # deleted account
    assert by_id["10"]["kind"] == "system" and by_id["10"]["sender"] is None
    # date_unixtime is the instant; date is the exporting machine's wall clock (+2 h here).
    assert by_id["2"]["ts_ms"] == 1714590245000
    assert by_id["2"]["ts_local"] == "2024-05-01T21:04:05"


def test_full_account_reads_every_chat_with_me_and_phones() -> None:
    convs = parse(FIXTURES / "full_account.json")
    # "Empty Channel" has no messages: no conversation, no relationship.
    assert [c["title"] for c in convs] == ["Sam Example", "Book Club", "Old Group"]
    assert [c["is_group"] for c in convs] == [False, True, True]
    sam = convs[0]
    assert sam["me_handle"] == "user1"
    members = {p["handle"]: p for p in sam["participants"]}
    assert members["user1"]["is_me"] and members["user1"]["phone"] == "+491510000001"
    assert members["user2"]["phone"] == "+491510000002"
    book_club = {p["handle"] for p in convs[1]["participants"]}
    assert "user3" not in book_club  # no phone known: ingest adds it from its messages


def test_chat_selection_by_name_is_case_insensitive() -> None:
    convs = parse(FIXTURES / "full_account.json", ImportOptions(chats=["book club", "Old Group"]))
    assert [c["title"] for c in convs] == ["Book Club", "Old Group"]


def test_unknown_chat_name_lists_the_chats() -> None:
    with pytest.raises(UsageError, match="Book Club"):
        parse(FIXTURES / "full_account.json", ImportOptions(chats=["Nobody"]))


def test_small_buffer_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record boundary falls across a buffer refill at some point."""
    expected = parse(FIXTURES / "full_account.json")
    for chunk in (1, 7, 64):
        monkeypatch.setattr(jsonstream, "CHUNK_CHARS", chunk)
        assert parse(FIXTURES / "full_account.json") == expected


def test_never_holds_more_than_a_record_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming, checked by size rather than time: the buffer stays small on a big file."""
    chat = {"name": "Big", "type": "personal_chat", "id": 9, "messages": []}
    text = json.dumps(chat).replace(
        '"messages": []',
        '"messages": ['
        + ", ".join(
            json.dumps({**GOOD, "id": i, "text": "word " * (i % 50)}) for i in range(20_000)
        )
        + "]",
    )
    path = tmp_path / "result.json"
    path.write_text(text, "utf-8")
    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 4096)
    largest = 0
    fill = jsonstream.JsonStream._fill

    def watched(self: jsonstream.JsonStream, at_least: int = 4096) -> bool:
        nonlocal largest
        more = fill(self, at_least)
        largest = max(largest, len(self._buf))
        return more

    monkeypatch.setattr(jsonstream.JsonStream, "_fill", watched)
    [conv] = parse(path)
    assert len(conv["messages"]) == 20_000
    assert len(text) > 2_000_000 and largest < 3 * 4096


def test_zip_and_folder(tmp_path: Path) -> None:
    expected = parse(FIXTURES / "single_chat.json")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURES / "single_chat.json", "ChatExport_2024-05-03/result.json")
        zf.writestr("ChatExport_2024-05-03/photos/readme.txt", "not a chat")
    assert parse(archive) == expected
    folder = tmp_path / "ChatExport"
    folder.mkdir()
    (folder / "result.json").write_bytes((FIXTURES / "single_chat.json").read_bytes())
    assert parse(folder) == expected


def test_sorted_keys_file_still_parses(tmp_path: Path) -> None:
    """``jq -S`` puts name and type after messages; the chat is completed at its end."""
    data = json.loads((FIXTURES / "full_account.json").read_text("utf-8"))
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(data, sort_keys=True), "utf-8")
    # Sorted, "chats" precedes "contacts" and "personal_information": members come from
    # the messages alone, but keys, titles, kinds and messages are the same.
    for conv in (got := parse(path)) + (want := parse(FIXTURES / "full_account.json")):
        conv.update(participants=[], me_handle=None)
    assert got == want


# -- errors -----------------------------------------------------------------------


def chat_file(tmp_path: Path, messages: list[Any] | str) -> Path:
    body = messages if isinstance(messages, str) else json.dumps(messages)
    path = tmp_path / "result.json"
    path.write_text(
        f'{{"name": "Sam", "type": "personal_chat", "id": 1, "messages": {body}}}', "utf-8"
    )
    return path


GOOD = {"id": 1, "type": "message", "date": "2024-05-01T21:04:05", "from": "Sam", "text": "x"}


@pytest.mark.parametrize(
    ("messages", "where", "reason"),
    [
        ([GOOD, {"id": 2, "type": "message", "text": "secret words"}], "messages[1]", "no date"),
        ([GOOD, {**GOOD, "date": "yesterday"}], "messages[1]", "not a Telegram timestamp"),
        ([GOOD, "secret words"], "messages[1]", "not a JSON object"),
        ('[{"id": 1, "text": "secret words", "date": }]', "messages[0]", "malformed JSON"),
        ('[{"id": 1, "text": "secret words" "date": 1}]', "messages[0]", "malformed JSON"),
        (f"[{json.dumps(GOOD)}, ]", "messages[1]", "malformed JSON"),
    ],
)
def test_bad_records_name_the_record_never_the_text(
    tmp_path: Path, messages: list[Any] | str, where: str, reason: str
) -> None:
    path = chat_file(tmp_path, messages)
    with pytest.raises(ParseError) as info:
        parse(path)
    assert info.value.line == where
    assert reason in info.value.reason
    assert "secret" not in str(info.value)


def test_truncated_document_is_a_parse_error(tmp_path: Path) -> None:
    full = (FIXTURES / "full_account.json").read_text("utf-8")
    path = tmp_path / "result.json"
    path.write_text(full[: len(full) // 2], "utf-8")
    with pytest.raises(ParseError, match="damaged or incomplete JSON"):
        parse(path)


def test_detection_by_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "backup-may.json"
    renamed.write_bytes((FIXTURES / "single_chat.json").read_bytes())
    [unit] = detect(Tree(renamed))
    assert unit.importer.name == "telegram"
    other = tmp_path / "other.json"
    other.write_text('{"participants": [], "messages": [{"sender_name": "x"}]}', "utf-8")
    assert all(u.importer.name != "telegram" for u in _claims(other))


def _claims(path: Path) -> list[Any]:
    try:
        return detect(Tree(path))
    except Exception:
        return []


# -- round trip ---------------------------------------------------------------------

EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
SENDERS = [("user1", "Alex Demo"), ("user2", "Sam Example"), ("user3", "Robin")]
KINDS = ["text", "sticker", "voice", "photo", "video_file", "call", "system"]
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@st.composite
def telegram_messages(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Messages as a model: what the parser should give back."""
    n = draw(st.integers(0, 12))
    minutes = sorted(draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)))
    out = []
    for i, minute in enumerate(minutes, 1):
        sender, name = draw(st.sampled_from(SENDERS))
        out.append(
            {
                "id": i,
                "sender": sender,
                "name": name,
                "kind": draw(st.sampled_from(KINDS)),
                "text": draw(texts),
                "split": draw(st.lists(st.integers(0, 40), max_size=3)),
                "when": EPOCH + timedelta(minutes=minute),
                "offset": draw(st.sampled_from([0, 60, -300, 330])),
                "reply_to": draw(st.none() | st.integers(1, i)) if i > 1 else None,
                "edited": draw(st.booleans()),
                "unixtime": draw(st.booleans()),
            }
        )
    return out


def render(model: dict[str, Any]) -> dict[str, Any]:
    """One model message written the way Telegram Desktop writes it."""
    local = (model["when"] + timedelta(minutes=model["offset"])).strftime("%Y-%m-%dT%H:%M:%S")
    record: dict[str, Any] = {"id": model["id"], "type": "message", "date": local}
    if model["unixtime"]:
        record["date_unixtime"] = str(int(model["when"].timestamp()))
    kind = model["kind"]
    if kind in ("call", "system"):
        record.update(type="service", actor=model["name"], actor_id=model["sender"], text="")
        record["action"] = "phone_call" if kind == "call" else "invite_members"
        return record
    record.update({"from": model["name"], "from_id": model["sender"]})
    text = model["text"]
    cuts = sorted({c for c in model["split"] if c <= len(text)})
    if cuts:  # the same text as a list of plain strings and entity objects
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        record["text"] = [p if i % 2 else {"type": "bold", "text": p} for i, p in enumerate(pieces)]
    else:
        record["text"] = text
    if kind == "photo":
        record["photo"] = "(File not included.)"
    elif kind != "text":
        record.update(
            file="(File not included.)", media_type=kind.replace("voice", "voice_message")
        )
    if model["reply_to"] is not None:
        record["reply_to_message_id"] = model["reply_to"]
    if model["edited"]:
        record["edited"] = local
    return record


def expected(model: dict[str, Any]) -> dict[str, Any]:
    kind = model["kind"]
    local = (model["when"] + timedelta(minutes=model["offset"])).replace(tzinfo=None)
    service = kind in ("call", "system")
    return {
        "sender": None if kind == "system" else model["sender"],
        "sender_name": None if kind == "system" else model["name"],
        "text": "" if service else model["text"],
        "kind": {"photo": "media", "video_file": "media"}.get(kind, kind),
        "media_type": {"sticker": "sticker", "voice": "audio", "photo": "image"}.get(
            kind, "video" if kind == "video_file" else None
        ),
        "ts_ms": int(model["when"].timestamp() * 1000) if model["unixtime"] else None,
        "ts_local": local.isoformat(),
        "source_id": str(model["id"]),
        "reply_to": None if service or model["reply_to"] is None else str(model["reply_to"]),
        "edited": bool(model["edited"]) and not service,
        "reactions": [],
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chats=st.lists(telegram_messages(), min_size=1, max_size=3), full=st.booleans())
def test_round_trip(tmp_path: Path, chats: list[list[dict[str, Any]]], full: bool) -> None:
    objects = [
        {
            "name": f"Chat {i}",
            "type": "personal_chat",
            "id": 100 + i,
            "messages": [render(m) for m in c],
        }
        for i, c in enumerate(chats)
    ]
    if full:
        document: dict[str, Any] = {"about": "", "chats": {"about": "", "list": objects}}
    else:
        document, chats = objects[0], chats[:1]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
    convs = parse(path)
    kept = [(i, c) for i, c in enumerate(chats) if c]  # chats without messages are skipped
    assert [c["key"] for c in convs] == [str(100 + i) for i, _ in kept]
    for conv, (_, model) in zip(convs, kept, strict=True):
        assert conv["messages"] == [expected(m) for m in model]
