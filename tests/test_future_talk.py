"""Future talk in German and Spanish: the greeting and the love are not plans (issue 17c).

"morgen" is also "good morning" and "this morning", "quiero" also "te quiero" (I love
you); data/future_talk.txt reads them as future talk only in a tomorrow or a wanting context.
"""

from __future__ import annotations

import pytest

from fondly.features import annotate

CASES = [
    # German: tomorrow
    ("morgen gehen wir ins Kino", True),
    ("wir gehen morgen ins Kino", True),
    ("hast du morgen Zeit?", True),
    ("bis morgen!", True),
    ("ab morgen hab ich Urlaub", True),
    ("morgen früh fahr ich los", True),
    ("Morgen um 8?", True),
    ("ok, morgen dann", True),
    ("Ehrlich gesagt bin ich nervös wegen morgen.", True),
    ("übermorgen geht's los", True),
    # German: the greeting and the morning
    ("Morgen!", False),
    ("Guten Morgen!", False),
    ("Morgen, wie geht's?", False),
    ("Morgen Schatz", False),
    ("heute morgen war ich beim Arzt", False),
    ("gestern Morgen hat es geregnet", False),
    ("heute morgen um 7 aufgestanden", False),
    ("jeden Morgen dasselbe", False),
    # Spanish: wanting to do something
    ("quiero ir al cine mañana", True),
    ("quiero verte pronto", True),
    ("quiero que vengas", True),
    ("quiero conocer Japón", True),
    ("vamos a cenar el viernes", True),
    # Spanish: love, and wanting a thing now
    ("te quiero ❤", False),
    ("te quiero mucho", False),
    ("¡te quiero!", False),
    ("te quiero, mi amor", False),
    ("los quiero", False),
    ("quiero un café", False),
    # English, unchanged
    ("can't wait for next summer", True),
    ("love you ❤", False),
]


@pytest.mark.parametrize(("text", "future"), CASES)
def test_future_talk(text: str, future: bool) -> None:
    assert annotate([text])[0]["future_talk"] is future


def test_the_scenario_lines_read_no_future_in_love() -> None:
    """The Spanish scenario's "te quiero ❤" (an affection line) is not future talk."""
    from tests.scenarios.phrases import PHRASES

    for lang in ("de", "es"):
        lines = PHRASES[lang]["affection"] + PHRASES[lang]["open"]
        assert not any(row["future_talk"] for row in annotate(lines)), lang
