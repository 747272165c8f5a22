"""Longing for the reader is warmth, not negativity (issue 17c, features/_sentiment.py).

VADER weighs "miss" and "no" as negative, so "miss you! been a while" scored -0.22 and a
warm return read as rising negativity. A negative score that comes only from a longing
phrase the ``missing`` detector reads is lifted; other negativity stays.
"""

from __future__ import annotations

import pytest

from fondly.features import annotate


def score(text: str) -> float:
    value = annotate([text])[0]["sentiment"]
    assert isinstance(value, float), text
    return value


@pytest.mark.parametrize(
    "text",
    [
        "miss you! been a while",
        "long time no see, miss you",
        "MISS YOU!!",
        "I miss you",
        "missing you like crazy",
        "thinking of you today",
    ],
)
def test_longing_for_the_reader_is_not_negative(text: str) -> None:
    row = annotate([text])[0]
    assert row["missing"] is True
    assert score(text) >= 0


@pytest.mark.parametrize(
    ("text", "below"),
    [
        ("I miss you so much, I hate this", -0.5),  # the hate is still read
        ("I miss Tom Glavine.", -0.1),  # missing someone else: sadness VADER reads rightly
    ],
)
def test_other_negativity_is_kept(text: str, below: float) -> None:
    assert score(text) < below


@pytest.mark.parametrize(
    "text",
    [
        "te extraño mucho",
        "cuánto tiempo sin vernos, te extraño",
        "tu me manques trop",
        "mi manchi tanto",
        "sinto sua falta",
        "vermisse dich! ist echt lange her",
    ],
)
def test_longing_in_the_listed_languages_is_not_negative(text: str) -> None:
    """The valence lists give "extraño", "manques", "manchi" a negative score;
    in a longing phrase for the reader that weight is set aside."""
    assert annotate([text])[0]["missing"] is True
    assert score(text) >= 0


@pytest.mark.parametrize(
    "text",
    [
        "te extraño, estoy muy triste",  # the sadness is still read
        "tu me manques tellement, ça fait mal",
        "qué extraño",  # "strange", no longing
    ],
)
def test_the_same_words_outside_longing_keep_their_weight(text: str) -> None:
    assert score(text) < 0


def test_a_score_is_never_lowered() -> None:
    """A positive message with longing keeps VADER's own score."""
    assert score("miss you so much ❤") > 0.3
    assert annotate(["i don't miss you"])[0]["missing"] is False
