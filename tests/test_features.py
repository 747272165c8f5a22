"""Detectors on example texts in each supported language, negation, NULL for unsupported text."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly.features import FEATURES, annotate, compute
from fondly.features import _lexicon as lx
from fondly.features.registry import columns


def one(text: str) -> dict[str, object]:
    return annotate([text])[0]


# (column, text, expected): positives and negatives per language.
CASES = [
    ("gratitude", "Thanks so much for yesterday!", True),
    ("gratitude", "thank u", True),
    ("gratitude", "no thanks", False),
    ("gratitude", "I think so", False),
    ("gratitude", "Vielen Dank für alles, ich habe mich sehr gefreut", True),
    ("gratitude", "Muchas gracias por todo, eres muy amable", True),
    ("gratitude", "Merci beaucoup pour le cadeau, c'est trop gentil", True),
    ("gratitude", "Grazie mille per la cena di ieri sera", True),
    ("gratitude", "Muito obrigada pela ajuda de hoje", True),
    ("apology", "sorry I'm late", True),
    ("apology", "I'm not sorry at all", False),
    ("apology", "Es tut mir leid, dass ich nicht da war", True),
    ("apology", "Perdón, no lo sabía", True),
    ("apology", "Désolé pour hier soir, je suis rentré tard", True),
    ("apology", "Scusa se non ti ho risposto prima", True),
    ("apology", "Desculpa a demora, estava no trabalho", True),
    ("affection", "love you ❤️", True),
    ("affection", "the meeting is at noon", False),
    ("affection", "Ich hab dich so lieb, mein Schatz", True),
    ("affection", "Te quiero mucho, mi amor", True),
    ("affection", "Je t'aime fort, mon cœur", True),
    ("affection", "Ti voglio bene, tesoro", True),
    ("affection", "Te amo muito, meu amor", True),
    ("missing", "I miss you so much", True),
    ("missing", "I missed the bus", False),
    ("missing", "Ich vermisse dich so sehr", True),
    ("missing", "Te echo de menos cada día", True),
    ("missing", "Tu me manques tellement", True),
    ("missing", "Mi manchi da morire", True),
    ("missing", "Estou com saudade de você", True),
    ("reminder", "this song reminded me of you", True),
    ("reminder", "remind me to buy milk", False),
    ("reminder", "Das erinnert mich an dich", True),
    ("laughter", "hahaha", True),
    ("laughter", "jajajaja qué risa", True),
    ("laughter", "mdr t'es trop drôle", True),
    ("laughter", "kkkkkk que isso", True),
    ("laughter", "55555", True),
    ("laughter", "哈哈哈", True),
    ("laughter", "😂😂", True),
    ("laughter", "the hat is red", False),
    ("support", "that must be so hard, I'm here for you", True),
    ("support", "the train leaves at six", False),
    ("support", "Das tut mir leid, ich bin für dich da", True),
    ("encouragement", "good luck tomorrow, you got this 💪", True),
    ("encouragement", "In bocca al lupo per l'esame!", True),
    ("encouragement", "Boa sorte na entrevista, você consegue", True),
    ("encouragement", "the luck of the draw", False),
    ("disclosure_emotional", "I'm so nervous about tomorrow", True),
    ("disclosure_emotional", "the bus is late again", False),
    ("distress", "I'm so stressed and exhausted, I can't do this anymore", True),
    ("distress", "lunch was fine", False),
    ("good_news", "I got the job!!", True),
    ("good_news", "the job is boring", False),
    ("enthusiasm", "congrats!! that's amazing 🎉", True),
    ("enthusiasm", "Félicitations, c'est génial !", True),
    ("enthusiasm", "the weather is grey", False),
    ("passive_ack", "ok", True),
    ("passive_ack", "👍", True),
    ("passive_ack", "ok but what about the tickets", False),
    ("plan", "let's get coffee tomorrow", True),
    ("plan", "Lass uns morgen ins Kino gehen", True),
    ("plan", "coffee is nice", False),
    ("reminiscence", "remember when we got lost in Lisbon?", True),
    ("reminiscence", "Te acuerdas de aquella vez en la playa?", True),
    ("reminiscence", "I will be there", False),
    ("novelty", "first time trying sushi!", True),
    ("novelty", "same as always", False),
    ("hostility", "you always do this 🙄", True),
    ("hostility", "you look lovely today", False),
    ("future_talk", "can't wait for next summer", True),
]


@pytest.mark.parametrize(("column", "text", "expected"), CASES)
def test_detector_examples(column: str, text: str, expected: bool) -> None:
    assert one(text)[column] is expected


@pytest.mark.parametrize(
    ("text", "is_question", "kind"),
    [
        ("what are you doing tonight?", True, "wh"),
        ("how was the interview", True, "wh"),
        ("are you coming", True, "yesno"),
        ("tomorrow?", True, "yesno"),
        ("it's nice, right?", True, "tag"),
        ("Kommst du morgen mit, oder?", True, "tag"),
        ("¿Dónde estás?", True, "wh"),
        ("Tu viens ce soir ?", True, "yesno"),
        ("Cosa fai stasera?", True, "wh"),
        ("Você vem amanhã?", True, "yesno"),
        ("I'm at home", False, None),
        ("what a day!", False, None),
        ("when I get home I'll call", False, None),
    ],
)
def test_questions(text: str, is_question: bool, kind: str | None) -> None:
    row = one(text)
    assert row["is_question"] is is_question
    assert row["question_kind"] == kind


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I am going to the gym after work today", "en"),
        ("Ich bin heute Abend nicht zu Hause", "de"),
        ("Mañana vamos a la playa con mis amigos", "es"),
        ("Je suis très fatigué ce soir, on se voit demain", "fr"),
        ("Stasera non posso, ho troppo lavoro da fare", "it"),
        ("Amanhã eu vou para o trabalho cedo", "pt"),
        ("ok", "und"),
        ("Привет, как у тебя дела сегодня?", "ru"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert one(text)["lang"] == lang


def test_sentiment_reads_the_six_languages_and_is_null_for_the_rest() -> None:
    rows = annotate(
        ["Ich bin heute so traurig und müde", "Привет, как у тебя дела?", "I am so happy today!"]
    )
    assert rows[0]["sentiment"] is not None and rows[0]["sentiment"] < -0.3  # valence list
    assert rows[1]["sentiment"] is None
    assert rows[2]["sentiment"] is not None and rows[2]["sentiment"] > 0.5


def test_sentiment_reads_emoji_and_short_text() -> None:
    assert one("❤️")["sentiment"] > 0  # type: ignore[operator]
    assert one("see you at 6")["sentiment"] == 0.0


def test_unsupported_language_gets_null_lexicon_features_but_laughter() -> None:
    row = one("Привет, я тебя люблю хахаха")
    assert row["affection"] is None and row["gratitude"] is None and row["we_words"] is None
    assert row["laughter"] is True


def test_pronoun_and_function_word_counts() -> None:
    row = one("We love you and you love us, don't you?")
    assert row["we_words"] == 2
    assert row["you_words"] == 3
    assert row["fw_conj"] == 1
    assert row["fw_negate"] == 1
    assert one("Wir sehen uns morgen")["we_words"] == 2


def test_annotate_gives_every_contract_column() -> None:
    row = one("hello")
    assert list(row) == list(columns())
    assert row["is_followup"] is None


def test_every_lexicon_has_a_licence_header() -> None:
    from importlib import resources

    folder = resources.files("fondly.features").joinpath("data")
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            head = entry.read_text("utf-8")[:800]
            assert "Licence:" in head, entry.name
            lx.parse(entry.name, entry.read_text("utf-8"))


def test_registry_is_in_dependency_order() -> None:
    seen: set[str] = set()
    for f in FEATURES:
        assert set(f.depends) <= seen, f.name
        seen.add(f.name)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=60)), max_size=30))
def test_detectors_never_crash_and_keep_length(texts: list[str | None]) -> None:
    cols = compute(pa.array(texts, pa.string()))
    assert set(cols) == set(columns())
    for name, arr in cols.items():
        assert len(arr) == len(texts), name
