"""Hostile inputs for every importer, generated in code (nothing binary in the repo).

Each case is a path a user could hand to ``fondly import``: broken, adversarial or
simply not a chat. ``tests/test_hostile.py`` runs each in a subprocess and holds it
to the contract (one line naming the file, exit 2, store unchanged, no message text,
bounded memory); ``make fuzz`` runs the same cases.

Every generated message carries :data:`SECRET`, so an error that quotes a message
is caught whatever else it says.
"""

from __future__ import annotations

import io
import json
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

SECRET = "qzvleak"
FIXTURES = Path(__file__).parent / "fixtures"

Case = Callable[[Path], Path]


def _text(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def whatsapp_lines(n: int = 40) -> str:
    return "".join(
        f"1/{d % 28 + 1}/24, 9:{d % 60:02d} PM - {'Sam' if d % 2 else 'Alex'}: "
        f"{SECRET} message {d}\n"
        for d in range(n)
    )


def telegram_chat(n: int = 20) -> dict[str, object]:
    return {
        "name": "Sam Example",
        "type": "personal_chat",
        "id": 4242,
        "messages": [
            {
                "id": i + 1,
                "type": "message",
                "date": f"2024-05-01T21:{i % 60:02d}:00",
                "date_unixtime": str(1714590000 + i * 60),
                "from": "Sam Example" if i % 2 else "Alex Demo",
                "from_id": "user2" if i % 2 else "user1",
                "text": f"{SECRET} message {i}",
                "text_entities": [],
            }
            for i in range(n)
        ],
    }


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# -- the cases ------------------------------------------------------------------------


def empty_txt(d: Path) -> Path:
    return _text(d / "WhatsApp Chat with Sam.txt", b"")


def empty_json(d: Path) -> Path:
    return _text(d / "result.json", b"")


def empty_zip(d: Path) -> Path:
    return _text(d / "export.zip", b"")


def random_bytes(d: Path) -> Path:
    return _text(d / "WhatsApp Chat with Sam.txt", random.Random(1).randbytes(200_000))


def random_bytes_json(d: Path) -> Path:
    return _text(d / "result.json", b"{" + random.Random(2).randbytes(100_000))


def random_bytes_zip(d: Path) -> Path:
    return _text(d / "export.zip", b"PK\x03\x04" + random.Random(3).randbytes(100_000))


def invalid_utf8_whatsapp(d: Path) -> Path:
    good = whatsapp_lines(30).encode()
    return _text(d / "WhatsApp Chat with Sam.txt", good + b"\xff\xfe\xc3(" + good)


def invalid_utf8_telegram(d: Path) -> Path:
    raw = json.dumps(telegram_chat(), ensure_ascii=False).encode()
    cut = len(raw) // 2
    return _text(d / "result.json", raw[:cut] + b"\xff\xc3(" + raw[cut:])


def truncated_telegram(d: Path) -> Path:
    raw = json.dumps(telegram_chat(), indent=1).encode()
    return _text(d / "result.json", raw[: len(raw) // 2])


def truncated_meta(d: Path) -> Path:
    thread = {
        "participants": [{"name": "Sam"}, {"name": "Alex"}],
        "messages": [
            {"sender_name": "Sam", "timestamp_ms": 1714590000000 + i, "content": f"{SECRET} {i}"}
            for i in range(20)
        ],
        "title": "Sam",
        "thread_path": "inbox/sam_123",
    }
    raw = json.dumps(thread).encode()
    return _text(d / "messages" / "inbox" / "sam_123" / "message_1.json", raw[: len(raw) // 2])


def truncated_discord(d: Path) -> Path:
    raw = (FIXTURES / "discord" / "direct_message.json").read_bytes()
    return _text(d / "dm.json", raw[: len(raw) // 2])


def wrong_shape_telegram_messages(d: Path) -> Path:
    chat = telegram_chat() | {"messages": {"not": "a list"}}
    return _text(d / "result.json", json.dumps(chat))


def wrong_shape_telegram_items(d: Path) -> Path:
    chat = telegram_chat()
    chat["messages"] = [1, "two", None, [3], {"id": "x", "type": "message", "date": 5}]
    return _text(d / "result.json", json.dumps(chat))


def wrong_shape_json_list(d: Path) -> Path:
    return _text(d / "result.json", json.dumps([telegram_chat()]))


def wrong_shape_meta(d: Path) -> Path:
    thread = {"participants": "Sam", "messages": [{"sender_name": 3, "timestamp_ms": "soon"}]}
    return _text(d / "messages" / "inbox" / "sam_1" / "message_1.json", json.dumps(thread))


def long_line_txt(d: Path) -> Path:
    """A 50 MB file that is one line: no newline for a line reader to stop at."""
    head = b"13/02/2024, 21:05 - Sam: "
    return _text(d / "WhatsApp Chat with Sam.txt", head + b"a" * 50_000_000)


def long_line_json(d: Path) -> Path:
    chat = telegram_chat(2)
    head = json.dumps(chat)[:-2]  # open the messages list again
    body = ', {"id": 99, "type": "message", "date": "2024-05-01T22:00:00", "from": "Sam", '
    body += '"from_id": "user2", "text": "' + "b" * 50_000_000 + '"}]}'
    return _text(d / "result.json", head + body)


def deep_nesting_json(d: Path) -> Path:
    depth = 100_000
    return _text(d / "result.json", '{"messages": ' + "[" * depth + "]" * depth + "}")


def deep_nesting_objects(d: Path) -> Path:
    depth = 100_000
    return _text(
        d / "result.json",
        '{"name": "x", "messages": [' + '{"a":' * depth + "1" + "}" * depth + "]}",
    )


def zip_slip(d: Path) -> Path:
    """Members that climb out of any folder they would be extracted to."""
    members = {
        "../../x": whatsapp_lines().encode(),
        "../../../tmp/fondly-zip-slip.txt": whatsapp_lines().encode(),
        "/etc/fondly-zip-slip": b"absolute",
        "_chat.txt": b"not a chat " + SECRET.encode(),
    }
    return _zip(d / "WhatsApp Chat - Sam.zip", members)


def zip_bomb(d: Path) -> Path:
    """A 0.8 MB zip that expands to 800 MB: refused from its declared size, never inflated."""
    path = d / "WhatsApp Chat - Sam.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = b"\0" * (1 << 24)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("_chat.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(48):
            member.write(chunk)
    return path


def zip_in_zip(d: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("_chat.txt", whatsapp_lines())
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
    return _zip(d / "export.zip", {"middle.zip": middle.getvalue()})


def symlink_loop(d: Path) -> Path:
    folder = d / "exports"
    folder.mkdir(parents=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")
    return folder


def symlink_loop_file(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "a.txt").symlink_to(d / "b.txt")
    (d / "b.txt").symlink_to(d / "a.txt")
    return d / "a.txt"


def unreadable_file(d: Path) -> Path:
    path = _text(d / "WhatsApp Chat with Sam.txt", whatsapp_lines())
    path.chmod(0)
    return path


def unreadable_folder_member(d: Path) -> Path:
    folder = d / "exports"
    _text(folder / "WhatsApp Chat with Sam.txt", whatsapp_lines()).chmod(0)
    return folder


def non_chat_sqlite(d: Path) -> Path:
    path = d / "chat.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE message (x TEXT)")
    con.execute("INSERT INTO message VALUES (?)", [SECRET])
    con.commit()
    con.close()
    return path


def corrupted_sqlite(d: Path) -> Path:
    from tests.test_imessage import build_chat_db

    d.mkdir(parents=True, exist_ok=True)
    path = build_chat_db(d / "chat.db")
    raw = bytearray(path.read_bytes())
    rng = random.Random(4)
    for _ in range(200):  # the data pages only: the schema page still says iMessage
        at = rng.randrange(len(raw) // 2, len(raw))
        raw[at] = rng.randrange(256)
    path.write_bytes(bytes(raw))
    return path


def truncated_sqlite(d: Path) -> Path:
    from tests.test_imessage import build_chat_db

    d.mkdir(parents=True, exist_ok=True)
    path = build_chat_db(d / "chat.db")
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])
    return path


def sqlite_in_zip_corrupted(d: Path) -> Path:
    path = corrupted_sqlite(d / "src")
    return _zip(d / "messages.zip", {"Messages/chat.db": path.read_bytes()})


def generic_csv_garbage(d: Path) -> Path:
    rows = "chat,sender,timestamp,text,me\n" + f"Sam,Sam,not-a-date,{SECRET},\n"
    return _text(d / "chat.csv", rows)


def signal_garbage(d: Path) -> Path:
    return _text(d / "Sam" / "chat.md", f"[2024-13-45 99:99:99] Sam: {SECRET}\n" + "\0" * 100)


def line_garbage(d: Path) -> Path:
    return _text(d / "[LINE] Chat history with Sam.txt", f"\ufeff[LINE] Chat\n{SECRET}\n\0\0\0")


CASES: dict[str, Case] = {
    f.__name__: f
    for f in (
        empty_txt,
        empty_json,
        empty_zip,
        random_bytes,
        random_bytes_json,
        random_bytes_zip,
        invalid_utf8_whatsapp,
        invalid_utf8_telegram,
        truncated_telegram,
        truncated_meta,
        truncated_discord,
        wrong_shape_telegram_messages,
        wrong_shape_telegram_items,
        wrong_shape_json_list,
        wrong_shape_meta,
        long_line_txt,
        long_line_json,
        deep_nesting_json,
        deep_nesting_objects,
        zip_slip,
        zip_bomb,
        zip_in_zip,
        symlink_loop,
        symlink_loop_file,
        unreadable_file,
        unreadable_folder_member,
        non_chat_sqlite,
        corrupted_sqlite,
        truncated_sqlite,
        sqlite_in_zip_corrupted,
        generic_csv_garbage,
        signal_garbage,
        line_garbage,
    )
}


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
