"""The weighted disclosure and support scores: weights file, examples, fallback, purity."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fondly.features import _scored, annotate, compute
from fondly.features import detectors as d
from fondly.features._text import count_tokens, prepare, split_sentences


def one(text: str) -> dict[str, object]:
    return annotate([text])[0]


def test_parse_models_reads_sections_and_drops_zero_weights() -> None:
    models = _scored.parse_models(
        "# comment\n[a]\nbias -1.5\nthreshold 0.25  # why\ni 2.0\nyou 0.0\n\n[b]\nqmark -1\n"
    )
    assert models["a"] == _scored.Model(-1.5, 0.25, {"i": 2.0})
    assert models["b"] == _scored.Model(0.0, 0.0, {"qmark": -1.0})


def test_parse_models_reads_the_length_term() -> None:
    models = _scored.parse_models("[a]\nbias 1\nlength 0.5\ni 2\n")
    assert models["a"] == _scored.Model(1.0, 0.0, {"i": 2.0}, 0.5)


def test_parse_models_reads_whole_text_columns() -> None:
    models = _scored.parse_models("[a]\nbias 1\nby_sentence 0\ni 2\n[b]\nlength 0.5\n")
    assert models["a"] == _scored.Model(1.0, 0.0, {"i": 2.0}, 0.0, by_sentence=False)
    assert models["b"].by_sentence


def test_support_is_read_whole_and_disclosure_by_sentence() -> None:
    shipped = _scored.models()
    assert not shipped["support"].by_sentence
    assert shipped["disclosure_emotional"].by_sentence and shipped["disclosure_info"].by_sentence


def test_parse_models_rejects_a_weight_outside_a_section() -> None:
    with pytest.raises(ValueError):
        _scored.parse_models("i 2.0\n")


def test_parse_words_reads_columns_and_weights() -> None:
    columns, words, table = _scored.parse_words(
        "# Licence: x\n[columns]\na b\n[words]\nsister 0.5 -1\ni've 0 2.25\n"
    )
    assert columns == ("a", "b")
    assert words.to_pylist() == ["sister", "i've"]
    assert table.tolist() == [[0.5, -1.0], [0.0, 2.25]]


def test_parse_words_rejects_a_short_line() -> None:
    with pytest.raises(ValueError):
        _scored.parse_words("[columns]\na b\n[words]\nsister 0.5\n")


def _cues(texts: pa.Array) -> dict[str, np.ndarray]:
    prep = prepare(texts)
    cols: dict[str, pa.Array] = {}
    cols.update(d.sentiment(prep, cols, originals=texts))
    cols.update(d.pronouns(prep, cols))
    flags = {f"list_{n}": d.lexicon_flag(prep, n) for n in d.SCORE_LISTS}
    return _scored.cues(prep, cols, flags)


def test_one_lookup_counts_each_part_like_count_tokens() -> None:
    texts = pa.array(
        ["I feel so sad, my boss fired me", "thanks for sharing, you got this", "", "ok ok ok"]
    )
    prep = prepare(texts)
    cues = _cues(texts)
    lex = _scored.lx.load("disclosure_cues")
    rows = np.arange(len(texts))
    for part in _scored.CUE_PARTS:
        expected = np.log1p(count_tokens(prep, rows, lex.terms(f"en.{part}")))
        assert np.allclose(cues[part], expected), part


def test_self_past_counts_a_subject_right_before_a_past_verb() -> None:
    texts = pa.array(["I went home and we moved", "i am here", "I", "worked i", "I walked"])
    assert np.expm1(_cues(texts)["self_past"]).round().tolist() == [2, 0, 0, 0, 1]


def test_vocab_cue_sums_the_word_weights() -> None:
    columns, words, table = _scored.word_table()
    word = words[0].as_py()
    cues = _cues(pa.array([f"{word} {word}", "zzzqqq"]))
    for j, column in enumerate(columns):
        assert cues[f"vocab_{column}"].tolist() == pytest.approx([2 * table[0, j], 0.0])


def test_shipped_weights_cover_the_three_columns_with_known_cues() -> None:
    models = _scored.models()
    assert set(models) == {"disclosure_emotional", "disclosure_info", "support"}
    texts = pa.array(["I love my sister", "you should try this?"])
    prep = prepare(texts)
    cols: dict[str, pa.Array] = {}
    cols.update(d.sentiment(prep, cols, originals=texts))
    cols.update(d.pronouns(prep, cols))
    flags = {f"list_{n}": d.lexicon_flag(prep, n) for n in d.SCORE_LISTS}
    cues = _scored.cues(prep, cols, flags)
    for model in models.values():
        assert set(model.weights) <= set(cues)
        assert np.isfinite(_scored.score(model, cues, 2)).all()


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("I'm 65 years old and I live with my husband in Philly", "disclosure_info", True),
        ("My mum told me that she was abused as a kid", "disclosure_info", True),
        ("She posted a screenshot of his porn history (gross)", "disclosure_info", True),
        ("It's a terrible day for rain.", "disclosure_info", False),
        pytest.param(
            "Have you tried family therapy?",
            "disclosure_info",
            False,
            # The label definitions' own "no", scored -0.04: below the balanced threshold
            # (0) of v4, above v5's best-F1 one (-0.38), which in exchange reads the
            # screenshot line above as the "yes" the definitions call it. Strict, so a
            # refit that gets both right says so.
            marks=pytest.mark.xfail(strict=True, reason="known miss at the F1 threshold"),
        ),
        ("My only concern was for my son.", "disclosure_emotional", True),
        ("My heart melted reading this, I'm crying", "disclosure_emotional", True),
        ("I'm so jealous and honestly a bit sad", "disclosure_emotional", True),
        ("It's a book by Hemingway", "disclosure_emotional", False),
        ("It's a book by Hemingway", "disclosure_info", False),
        ("You should talk to a therapist, you deserve better", "support", True),
        ("I'm so sorry, that must be really hard for you", "support", True),
        ("I went to the store with my brother yesterday", "support", False),
    ],
)
def test_scored_examples(text: str, column: str, expected: bool) -> None:
    assert one(text)[column] is expected


def test_other_languages_keep_the_phrase_list_rules() -> None:
    row = one("Ich bin so traurig heute, mein Hund ist krank")
    assert row["lang"] == "de"
    assert row["disclosure_emotional"] is True
    assert row["disclosure_info"] is True
    assert one("Das tut mir leid, ich bin für dich da")["support"] is True


def test_unsupported_language_stays_null() -> None:
    row = one("Я очень грустный сегодня, мой друг")
    assert row["disclosure_emotional"] is None
    assert row["support"] is None


def test_columns_do_not_depend_on_what_else_is_computed() -> None:
    texts = pa.array(["I miss my dad so much", "good luck, you got this", "ok", None])
    together = compute(texts)
    for column, name in (("support", "support"), ("disclosure_info", "disclosure")):
        alone = compute(texts, [name])
        assert alone[column].to_pylist() == together[column].to_pylist()


def test_split_sentences_cuts_at_end_punctuation_and_line_breaks() -> None:
    texts = pa.array(
        [
            "Hi there. I went home!! you? ok",
            "no end",
            'Mr. Smith said "hi." Then left...  bye\nnew line',
            None,
            "",
            "3.5 is fine, e.g. this",
            "  one.  ",
        ]
    )
    pieces, parent = split_sentences(texts)
    got: dict[int, list[str]] = {}
    for row, piece in zip(parent.tolist(), pieces.to_pylist(), strict=True):
        got.setdefault(row, []).append(piece)
    assert got == {
        0: ["Hi there.", "I went home!!", "you?", "ok"],
        1: ["no end"],
        2: ['Mr Smith said "hi."', "Then left...", "bye", "new line"],
        5: ["3.5 is fine, e.g this"],
        6: ["one."],
    }
    assert parent.tolist() == sorted(parent.tolist())


_CHAT_TEXT = st.lists(
    st.sampled_from([*"abcXYZ 019.,!?…'\")\n\t", "Mr", "e.g", "é", "😂", "。"]), max_size=30
).map("".join)


def _letters(text: str) -> str:
    """What cutting must keep: everything but whitespace and full stops (an abbreviation's
    full stop is dropped so that it ends no sentence)."""
    return "".join(c for c in text if not c.isspace() and c != ".")


@given(st.lists(st.one_of(st.none(), _CHAT_TEXT), max_size=8))
def test_split_sentences_loses_nothing_but_whitespace(texts: list[str | None]) -> None:
    pieces, parent = split_sentences(pa.array(texts, pa.string()))
    assert parent.tolist() == sorted(parent.tolist())
    rebuilt = [""] * len(texts)
    for row, piece in zip(parent.tolist(), pieces.to_pylist(), strict=True):
        assert piece and piece == piece.strip(), piece
        rebuilt[row] += piece
    assert [_letters(t) for t in rebuilt] == [_letters(t or "") for t in texts]


def test_best_sentence_adds_the_length_term_to_the_best_sentence() -> None:
    whole = np.array([1.0, -2.0, 0.5])
    each = np.array([-1.0, 0.25, -3.0, -0.5])
    parent = np.array([1, 1, 2, 2])
    out = _scored.best_sentence(whole, each, parent, 0.5)
    assert out.tolist() == pytest.approx([1.0, 0.25 + 0.5 * np.log(2), -0.5 + 0.5 * np.log(2)])


def test_a_message_of_several_sentences_is_read_sentence_by_sentence() -> None:
    hemingway = "It's a book by Hemingway."
    facts = "I'm 65 years old and I live with my husband in Philly."
    advice = "You should talk to a therapist, you deserve better."
    assert one(f"{hemingway} {facts}")["disclosure_info"] is True
    assert one(f"{facts} {hemingway} {hemingway}")["disclosure_info"] is True
    assert one(f"{hemingway}\n{advice}")["support"] is True
    assert one(f"{hemingway} {hemingway}")["disclosure_info"] is False


def test_a_text_scores_at_least_its_best_sentence() -> None:
    texts = pa.array(["I lost my job. My sister helps. It's a book.", "ok. thanks! see you"])
    prep = prepare(texts)
    cols: dict[str, pa.Array] = {}
    cols.update(d.sentiment(prep, cols))
    cols.update(d.pronouns(prep, cols))
    sentences = d.sentence_cues(prep, np.arange(len(texts)))
    assert sentences is not None
    assert sentences.parent.tolist() == [0, 0, 0, 1, 1, 1]
    assert sentences.prep.lang.to_pylist()[0] == prep.lang[0].as_py()  # read in its message's
    whole = d.scored_cues(prep, cols)
    for column, model in _scored.models().items():
        assert model.length >= 0, column
        scores = _scored.text_scores(model, whole, sentences, len(texts))
        if not model.by_sentence:
            assert scores.tolist() == _scored.score(model, whole, len(texts)).tolist(), column
            continue
        each = _scored.score(model, sentences.cues, len(sentences.prep))[sentences.index]
        assert scores[0] >= each[:3].max() - 1e-12
        assert scores[1] >= each[3:].max() - 1e-12


def test_sentences_are_read_the_same_whatever_else_is_in_the_batch() -> None:
    texts = [
        "I miss my dad so much. He died last year.",
        "ok. I miss my dad so much.",
        "Good luck! You got this. Call me",
        "I miss my dad so much.",
    ]
    together = compute(pa.array(texts), ["disclosure", "support"])
    for i, text in enumerate(texts):
        alone = compute(pa.array([text]), ["disclosure", "support"])
        for column in ("disclosure_emotional", "disclosure_info", "support"):
            assert alone[column].to_pylist() == [together[column][i].as_py()], (text, column)
