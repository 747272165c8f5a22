"""Lexicons as data: reading ``data/*.txt`` into RE2 patterns that pyarrow can run.

Phrase lists are psychology, not code, so they live in text files that a reviewer
can read and extend without touching Python (DEVELOPERS.md, "Psychology in data").
Each file has a licence header, optional ``@directives`` and ``[section]`` blocks;
a section is a language code (``en``), a language plus a part (``en.wh``), ``other``
(scripts fondly has no language lists for) or ``symbols`` (emoji and emoticons,
matched anywhere rather than on word boundaries). Each line is an RE2 fragment;
``|`` inside a line separates alternatives, as in a regex.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")
"""The languages fondly has lists for; text in any other language gets NULL."""

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "el": "Greek", "ar": "Arabic", "he": "Hebrew",
    "ko": "Korean", "ja": "Japanese", "zh": "Chinese", "th": "Thai", "hi": "Hindi",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "id": "Indonesian", "sv": "Swedish",
    "da": "Danish", "ro": "Romanian", "cs": "Czech", "hu": "Hungarian", "fi": "Finnish",
}  # fmt: skip
"""English names of the language codes the guesser can give (reports say "not read (Russian)")."""


def language_name(code: str) -> str:
    """The English name of a language code, or the code itself when it has none here."""
    return LANGUAGE_NAMES.get(code, code)


# RE2 (pyarrow's regex engine) has no lookaround and its \b is ASCII-only, so word
# boundaries are spelled out with Unicode classes: "café" must not match "caf".
_LEFT = r"(?:^|[^\pL\pN])"
_RIGHT = r"(?:$|[^\pL\pN])"


@dataclass(frozen=True)
class Lexicon:
    """One data file: its sections and directives.

    Attributes:
        name: the file name without ``.txt``.
        sections: section name -> alternatives (RE2 fragments), in file order.
        directives: ``@word`` lines, e.g. ``negatable`` or ``universal``.
    """

    name: str
    sections: dict[str, list[str]] = field(default_factory=dict)
    directives: frozenset[str] = frozenset()

    @property
    def negatable(self) -> bool:
        """A hit right after a negator ("not sorry") does not count."""
        return "negatable" in self.directives

    @property
    def universal(self) -> bool:
        """The cues read the same in every language (laughter): never NULL."""
        return "universal" in self.directives

    def languages(self) -> set[str]:
        """Languages this lexicon has lists for (sections named ``xx`` or ``xx.part``)."""
        return {s.split(".")[0] for s in self.sections if s.split(".")[0] in LANGUAGES}

    def terms(self, section: str) -> list[str]:
        return self.sections.get(section, [])


@cache
def load(name: str) -> Lexicon:
    """Read ``data/<name>.txt`` once per process."""
    text = resources.files("fondly.features").joinpath(f"data/{name}.txt").read_text("utf-8")
    return parse(name, text)


def parse(name: str, text: str) -> Lexicon:
    """Parse lexicon text (see the module docstring for the format)."""
    sections: dict[str, list[str]] = {}
    directives: set[str] = set()
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            directives.add(line[1:].strip())
        elif line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), [])
        elif current is not None:
            current.append(line)
        else:
            raise ValueError(f"lexicon {name}: entry before the first [section]")
    return Lexicon(name, sections, frozenset(directives))


def alternation(terms: list[str]) -> str:
    """Join fragments into one non-capturing alternation."""
    return "(?:" + "|".join(f"(?:{t})" for t in terms) + ")"


def bounded(terms: list[str]) -> str:
    """A pattern that finds any of ``terms`` as whole words (apostrophes split words)."""
    return _LEFT + alternation(terms) + _RIGHT


def match_pattern(lex: Lexicon, sections: list[str]) -> str | None:
    """The search pattern for the given word sections plus the lexicon's symbols."""
    words = [t for s in sections for t in lex.terms(s)]
    symbols = lex.terms("symbols")
    parts = []
    if words:
        parts.append(bounded(words))
    if symbols:
        parts.append(alternation(symbols))
    if not parts:
        return None
    return "|".join(parts)


def negated_pattern(lex: Lexicon, sections: list[str], negators: list[str]) -> str | None:
    """A pattern for a hit preceded by a negator and at most one other word.

    Punctuation ends a negator's reach: in "keine Sorgen, alles wird gut" the "keine" is
    part of the comfort, and "alles wird gut" after the comma is not negated.
    """
    words = [t for s in sections for t in lex.terms(s)]
    if not words or not negators:
        return None
    return (
        _LEFT
        + alternation(negators)
        + r"[^\pL\pN.,;:!?]+(?:[\pL\pN']+[^\pL\pN.,;:!?]+)?"
        + alternation(words)
        + _RIGHT
    )


def token_pattern(terms: list[str]) -> str:
    """A pattern counting whole tokens in :func:`fondly.features._text.spaced` text.

    Spaced text surrounds every token by its own pair of spaces, so adjacent hits
    ("you you") each find their boundary even though RE2 consumes it. A multi-word
    entry ("a gente") is matched across the doubled space.
    """
    return " " + alternation([t.replace(" ", "  ") for t in terms]) + " "
