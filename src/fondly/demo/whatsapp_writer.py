"""Write a :class:`~fondly.demo.model.DemoChat` as a WhatsApp export, in any header variant.

The demo generator uses it to produce realistic sample exports, and the
format-matrix tests render one chat in every variant and check that each
parses back to the same messages. Each variant copies what the phone writes:
Android puts system lines without an author and ``<Media omitted>``; iOS wraps
the header in brackets, always writes seconds, attributes system lines to the
chat's name and marks system text and placeholders with U+200E.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fondly.demo.model import DemoChat, DemoMessage

LRM = "\u200e"


@dataclass(frozen=True)
class Language:
    """What WhatsApp writes in one language (only what the writer needs)."""

    file_title: str  # Android file name, "{title}" filled in
    e2e: str
    created_group: str  # "{who}" and "{title}"
    added: str  # "{who}" and "{whom}"
    you: str
    media_android: str
    media_ios: dict[str, str]
    deleted_other: str
    deleted_me: str
    edited: str


ENGLISH = Language(
    file_title="WhatsApp Chat with {title}",
    e2e="Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more.",
    created_group='{who} created group "{title}"',
    added="{who} added {whom}",
    you="You",
    media_android="<Media omitted>",
    media_ios={"media": "image omitted", "sticker": "sticker omitted", "voice": "audio omitted"},
    deleted_other="This message was deleted",
    deleted_me="You deleted this message",
    edited="<This message was edited>",
)
GERMAN = Language(
    file_title="WhatsApp Chat mit {title}",
    e2e="Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats, "
    "nicht einmal WhatsApp, kann sie lesen oder anhören. Tippe, um mehr zu erfahren.",
    created_group="{who} hat die Gruppe „{title}“ erstellt",
    added="{who} hat {whom} hinzugefügt",
    you="Du",
    media_android="<Medien ausgeschlossen>",
    media_ios={
        "media": "Bild weggelassen",
        "sticker": "Sticker weggelassen",
        "voice": "Audio weggelassen",
    },
    deleted_other="Diese Nachricht wurde gelöscht",
    deleted_me="Du hast diese Nachricht gelöscht",
    edited="<Diese Nachricht wurde bearbeitet>",
)
SPANISH = Language(
    file_title="Chat de WhatsApp con {title}",
    e2e="Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este "
    "chat, ni siquiera WhatsApp, puede leerlos ni escucharlos. Toca para obtener más información.",
    created_group="{who} creó el grupo «{title}»",
    added="{who} añadió a {whom}",
    you="Tú",
    media_android="<Multimedia omitido>",
    media_ios={"media": "imagen omitida", "sticker": "sticker omitido", "voice": "audio omitido"},
    deleted_other="Se eliminó este mensaje.",
    deleted_me="Eliminaste este mensaje.",
    edited="<Se editó este mensaje.>",
)


@dataclass(frozen=True)
class Variant:
    """One header shape.

    Attributes:
        platform: ``android`` or ``ios``.
        date: a strftime-like pattern using ``{d} {m} {y} {yy} {dd} {mm}``.
        clock: ``24`` or ``12``.
        ampm: the AM/PM words for 12-hour clocks, e.g. ``("a. m.", "p. m.")``.
        space: the character before AM/PM (space, NBSP or U+202F).
        dash: the separator after an Android header.
        comma: whether a comma follows the date.
        bom / crlf: a byte-order mark at the start, CRLF line ends.
    """

    platform: str
    date: str
    clock: int = 24
    ampm: tuple[str, str] = ("AM", "PM")
    space: str = " "
    dash: str = "-"
    comma: bool = True
    language: Language = ENGLISH
    bom: bool = False
    crlf: bool = False
    pad_hour: bool = True


VARIANTS: dict[str, Variant] = {
    "android_24h_dmy": Variant("android", "{dd}/{mm}/{y}"),
    "android_12h_mdy": Variant("android", "{m}/{d}/{yy}", clock=12, pad_hour=False),
    "android_12h_mdy_u202f": Variant(
        "android", "{m}/{d}/{yy}", clock=12, space="\u202f", pad_hour=False
    ),
    "android_es_ampm": Variant(
        "android",
        "{d}/{m}/{yy}",
        clock=12,
        ampm=("a. m.", "p. m."),
        space="\u00a0",
        language=SPANISH,
        pad_hour=False,
    ),
    "android_en_dash": Variant("android", "{dd}/{mm}/{y}", dash="–"),
    "android_dashed_dmy": Variant("android", "{dd}-{mm}-{yy}"),
    "german_dotted": Variant("android", "{dd}.{mm}.{yy}", language=GERMAN),
    "ymd": Variant("android", "{y}-{mm}-{dd}", comma=False),
    "crlf_bom": Variant("android", "{dd}/{mm}/{y}", bom=True, crlf=True),
    "ios_24h_dmy": Variant("ios", "{dd}/{mm}/{y}"),
    "ios_12h_mdy_u202f": Variant("ios", "{m}/{d}/{yy}", clock=12, space="\u202f", pad_hour=False),
    "ios_german_dotted": Variant("ios", "{dd}.{mm}.{yy}", language=GERMAN),
    "ios_12h_mdy_nbsp": Variant("ios", "{mm}/{dd}/{y}", clock=12, space="\u00a0"),
}


def _header(variant: Variant, ts: datetime) -> str:
    date = variant.date.format(
        d=ts.day,
        m=ts.month,
        y=f"{ts.year:04d}",
        yy=f"{ts.year % 100:02d}",
        dd=f"{ts.day:02d}",
        mm=f"{ts.month:02d}",
    )
    if variant.clock == 12:
        hour = ts.hour % 12 or 12
        clock = f"{hour:02d}" if variant.pad_hour else str(hour)
        time = f"{clock}:{ts.minute:02d}"
        if variant.platform == "ios":
            time += f":{ts.second:02d}"
        time += variant.space + variant.ampm[ts.hour >= 12]
    else:
        time = f"{ts.hour:02d}:{ts.minute:02d}"
        if variant.platform == "ios":
            time += f":{ts.second:02d}"
    stamp = f"{date}{',' if variant.comma else ''} {time}"
    return f"[{stamp}] " if variant.platform == "ios" else f"{stamp} {variant.dash} "


def _body(variant: Variant, chat: DemoChat, m: DemoMessage) -> tuple[str, bool]:
    """The text WhatsApp writes for a message, and whether iOS marks it with U+200E."""
    lang = variant.language
    ios = variant.platform == "ios"
    if m.kind in ("media", "sticker", "voice"):
        text = lang.media_ios.get(m.kind, lang.media_ios["media"]) if ios else lang.media_android
        return text, True
    if m.kind == "deleted":
        text = lang.deleted_me if m.sender == chat.me else lang.deleted_other
        return (text + "." if ios and not text.endswith(".") else text), True
    text = m.text
    if m.edited:
        text = f"{text} {lang.edited}"
    return text, m.kind != "text"


def _system_lines(variant: Variant, chat: DemoChat, start: datetime) -> list[tuple[datetime, str]]:
    lang = variant.language
    lines = [(start, lang.e2e)]
    if chat.is_group:
        lines.append((start, lang.created_group.format(who=lang.you, title=chat.title)))
        for other in chat.others:
            lines.append((start, lang.added.format(who=lang.you, whom=other)))
    return lines


def render(chat: DemoChat, variant: str) -> str:
    """The export file's text for ``chat`` in header ``variant`` (a key of VARIANTS)."""
    v = VARIANTS[variant]
    ios = v.platform == "ios"
    out: list[str] = []
    first = chat.messages[0].ts_local if chat.messages else datetime(2024, 1, 1)
    for ts, text in _system_lines(v, chat, first):
        if ios:
            out.append(f"{LRM}{_header(v, ts)}{chat.title}: {LRM}{text}")
        else:
            out.append(f"{_header(v, ts)}{text}")
    for m in chat.messages:
        header = _header(v, m.ts_local)
        if m.sender is None:
            out.append(f"{LRM}{header}{chat.title}: {LRM}{m.text}" if ios else f"{header}{m.text}")
            continue
        body, marked = _body(v, chat, m)
        if ios and marked:
            out.append(f"{LRM}{header}{m.sender}: {LRM}{body}")
        else:
            out.append(f"{header}{m.sender}: {body}")
    newline = "\r\n" if v.crlf else "\n"
    text = newline.join(line.replace("\n", newline) for line in out) + newline
    return ("\ufeff" + text) if v.bom else text


def export_name(chat: DemoChat, variant: str, *, zip: bool = False) -> str:
    """The file name the phone gives the export (the zip's name when ``zip``)."""
    v = VARIANTS[variant]
    if v.platform == "ios":
        return f"WhatsApp Chat - {chat.title}" + (".zip" if zip else ".txt")
    return v.language.file_title.format(title=chat.title) + (".zip" if zip else ".txt")


def write_export(chat: DemoChat, folder: Path, variant: str, zip: bool = False) -> Path:
    """Write the export into ``folder`` under the phone's file name; return its path.

    An iOS zip holds ``_chat.txt`` (and, on a phone, the media); an Android zip
    holds the ``.txt`` under the same name as the zip.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = render(chat, variant).encode("utf-8")
    path = folder / export_name(chat, variant, zip=zip)
    if not zip:
        path.write_bytes(data)
        return path
    inner = "_chat.txt" if VARIANTS[variant].platform == "ios" else path.with_suffix(".txt").name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(inner, data)
    return path
