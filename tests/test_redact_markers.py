"""``--redact`` proven on a whole import: seeded markers never reach a shared report.

A real-shaped chat (the demo story, written as WhatsApp exports) is renamed so that every
person's name, every message, the chat titles and the export's folder carry markers no
report would print by chance; some messages also carry a phone number, an e-mail address
and a place. Every face of the report is then asked for with ``--redact`` and searched.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.demo import whatsapp_writer
from fondly.demo.engine import ME
from fondly.demo.model import DemoChat
from fondly.demo.story import JORDAN, PRIYA, SAM, generate
from fondly.insights._redact import describe

NAMES = {
    ME: "Qzvalex Vormund",
    SAM: "Qzvsam Quillby",
    JORDAN: "Qzvjordan Plimsoll",
    PRIYA: "Qzvpriya Thrumble",
}
MARKERS = re.compile(
    r"qzv|vormund|quillby|plimsoll|thrumble|zorbly|wumple|lisbon|example\.org"
    r"|(?<!\d)7700(?!\d)|(?<!\d)900123(?!\d)",
    re.IGNORECASE,
)


def _rename(text: str) -> str:
    for real, marked in NAMES.items():
        text = text.replace(real, marked).replace(real.split()[0], marked.split()[0])
    return text


def _marked(chat: DemoChat, counter: list[int]) -> DemoChat:
    messages = []
    for m in chat.messages:
        text = _rename(m.text)
        if m.sender and m.kind == "text":
            counter[0] += 1
            n = counter[0]
            text = f"{text} qzvmsg{n}"
            if n % 7 == 0:  # a phrase both use often: what the inside-jokes list picks up
                text += " zorbly wumple"
            if n % 40 == 0:
                text += " ring me on +44 7700 900123 or qzv@example.org, I'm in Lisbon"
        sender = NAMES.get(m.sender, m.sender) if m.sender else None
        messages.append(replace(m, sender=sender, text=text))
    return DemoChat(
        title=_rename(chat.title) + " Qzvtitle",
        me=NAMES[chat.me],
        others=[NAMES.get(o, o) for o in chat.others],
        messages=messages,
    )


@pytest.fixture(scope="module")
def marked_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    tmp = tmp_path_factory.mktemp("redact")
    counter = [0]
    chats = [_marked(c, counter) for c in generate(5)]
    years = sorted({m.ts_local.year for c in chats for m in c.messages})
    folder = tmp / "Qzvfolder"
    paths = [whatsapp_writer.write_export(c, folder, "android_24h_dmy") for c in chats]
    db = tmp / "marked.duckdb"
    got = CliRunner().invoke(
        cli,
        ["--db", str(db), "import", *map(str, paths), "--tz", "Europe/London", "--me", NAMES[ME]],
    )
    assert got.exit_code == 0, got.output
    return db, years


def _day_dates(years: list[int]) -> re.Pattern[str]:
    return re.compile(r"(?:{})-\d\d-\d\d".format("|".join(str(y) for y in years)))


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--redact"],
        ["report", "Qzvsam", "--redact"],
        ["report", "--json", "--redact"],
        ["report", "Qzvjordan", "--json", "--redact"],
        ["report", "Qzvsam", "--redact", "--html", "{tmp}/person.html"],
        ["report", "--redact", "--html", "{tmp}/overview.html"],
    ],
    ids=["terminal", "terminal-person", "json", "json-person", "html-person", "html-overview"],
)
def test_no_marker_survives_redaction(
    runner: CliRunner, tmp_path: Path, marked_store: tuple[Path, list[int]], args: list[str]
) -> None:
    db, years = marked_store
    args = [a.format(tmp=tmp_path) for a in args]
    got = runner.invoke(cli, ["--db", str(db), *args])
    assert got.exit_code == 0, got.output
    shown = got.output
    if "--html" in args:
        page = Path(args[-1]).read_text("utf-8")
        # The inlined Vega libraries carry their own sample dates; only our data counts.
        shown += re.sub(r"<script[^>]*>(?!\s*(?:const|var|let) )[\s\S]*?</script>", "", page)
        assert "Person" in page
    leaks = sorted({m.group(0) for m in MARKERS.finditer(shown)})
    assert not leaks, f"{args}: {leaks}"
    days = sorted(set(_day_dates(years).findall(shown)))
    assert not days, f"{args}: exact days shown: {days[:5]}"
    assert "message_id" not in shown, "message ids are hashes of the text: confirmable"
    if "--json" in args:
        data = json.loads(got.output)
        assert data["insights"]["redacted"] is True


def test_unredacted_report_does_show_them(
    runner: CliRunner, marked_store: tuple[Path, list[int]]
) -> None:
    """The markers are reachable: without --redact the same report prints them."""
    db, _ = marked_store
    got = runner.invoke(cli, ["--db", str(db), "report", "Qzvsam", "--json"])
    assert got.exit_code == 0, got.output
    assert "qzvmsg" in got.output and "Qzvsam Quillby" in got.output


@pytest.mark.parametrize(
    ("flags", "mine", "n_words", "expected"),
    [
        ({"good_news": True, "is_question": True}, False, 24, "their good news, 24 words"),
        ({"passive_ack": True}, True, 2, "your two-word reply"),
        ({}, None, None, "a message"),
        ({"disclosure_info": True}, True, 30, "your news about your day, 30 words"),
    ],
)
def test_messages_are_described_not_quoted(
    flags: dict[str, bool], mine: bool | None, n_words: int | None, expected: str
) -> None:
    assert describe(flags, mine=mine, n_words=n_words) == expected
