"""What the demo generator produces, independent of any export format.

Writers (``whatsapp_writer`` and friends) render a :class:`DemoChat` in a
platform's export format; the same chat rendered in every header variant must
parse back to the same messages (the format-matrix tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DemoMessage:
    """One message: ``sender`` is ``None`` for a system line; ``kind`` as in fondly.model.Kind."""

    ts_local: datetime
    sender: str | None
    text: str
    kind: str = "text"
    edited: bool = False


@dataclass(slots=True)
class DemoChat:
    """One chat between the user (``me``) and others, in time order."""

    title: str
    me: str
    others: list[str]
    messages: list[DemoMessage] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return len(self.others) > 1
