"""Names and messages from exports, made safe to print on a terminal.

Everything in a chat export was typed by someone: a sender called
``Jo [/b]`` is Rich markup that crashes a table, ``[link=...]`` would become a
hyperlink, an ANSI escape (``ESC[2J``) would clear the user's screen, and a
right-to-left override (U+202E) turns ``txt.exe`` into ``exe.txt`` on screen.
So every piece of user text goes through :func:`markup` before it reaches a
Rich console with markup on, or :func:`plain` before any other output.
"""

from __future__ import annotations

import re
import unicodedata

# A whole ANSI/VT escape sequence (CSI, OSC up to BEL or ST, or a lone ESC + one char),
# removed as a unit so that no "[31m" residue is left behind.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]"
)
# Bidirectional embeddings, overrides and isolates, and the invisible marks
# around them: they reorder what is shown, never add to what is said.
_BIDI = dict.fromkeys(
    [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
)


def plain(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` without escape sequences, control characters or bidi overrides.

    Newlines and tabs become spaces unless ``keep_newlines`` (a message body
    printed as a block keeps its lines).
    """
    s = "" if text is None else str(text)
    if s.isascii() and s.isprintable():
        return s
    s = _ESCAPES.sub("", s).translate(_BIDI)
    out = []
    for ch in s:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def markup(text: object, *, keep_newlines: bool = False) -> str:
    """:func:`plain`, then escaped so Rich prints it literally (``[bold]`` stays ``[bold]``)."""
    from rich.markup import escape

    return escape(plain(text, keep_newlines=keep_newlines))


__all__ = ["markup", "plain"]
