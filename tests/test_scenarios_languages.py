"""The scenario chats in English, German and Spanish, read by the real features layer (issue 17).

tests/test_scenarios.py checks the verdict logic fast, on keyword stand-in features. Here
each language's chats (the same times and kinds of line, phrased per language in
tests/scenarios/phrases.py) go through ``fondly.features.update_store``, the code
``fondly import`` runs, then metrics and insights; every language must reach the verdicts
the scenario's truth names: the alert, the change label, "since you changed", the missing
index now against before, the top suggestion, and quotes that are lines of the right kind
in the chat's own language. One scenario also travels the whole way from a German and a
Spanish WhatsApp export file to the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fondly import Fondly
from fondly.demo.model import DemoChat, DemoMessage
from fondly.demo.whatsapp_writer import write_export
from fondly.features import annotate, update_store
from fondly.insights import build_insights
from fondly.metrics import compute
from fondly.store import Store
from tests.scenarios.chats import (
    ME,
    SCENARIOS,
    Scenario,
    all_scenarios,
    chaser_who_changes,
    write_scenarios,
)
from tests.scenarios.phrases import PHRASES

LANGS = ("en", "de", "es")
READ = {"en", "de", "es", "fr", "it", "pt"}

UNSCRIPTED = {"one_sided_disclosure"}
"""Signals no scenario scripts, left out of the top-suggestion comparison. Who opens up is
not part of any story, and the scenario lines are read differently per language: English
disclosure is a score fitted on CL-Aff (it reads "lol yes", "thank you so much" and "morning!
what are you up to?" as disclosure), German and Spanish read phrase lists (which read
"ja, bei mir auch" or "¡buenos días! ¿qué haces?" as disclosure). So the disclosure balance of a
chat depends on its language here; see test_lines_read_as_their_kind for what must agree."""

KNOWN_GAPS: dict[tuple[str, str], tuple[str, str]] = {}
"""(scenario, language) -> the top suggestion a detector gap gives today instead of the
truth, and why. Asserted as it is, so the rest of the case is still checked and a fix of
the gap fails here until the entry is removed. Empty: the last one (VADER reading "miss you!
been a while" as negative, so Lee's warm return read as rising negativity in English) is
fixed in features/_sentiment.py and pinned by test_a_warm_return_is_not_read_as_negativity."""


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    """Each language's store, built once for the module and only when a test asks for it."""

    class Built(dict[str, dict[str, Any]]):
        def __missing__(self, lang: str) -> dict[str, Any]:
            self[lang] = _build(lang)
            return self[lang]

    return Built()


def _build(lang: str) -> dict[str, Any]:
    scenarios = all_scenarios(lang)
    with Store(":memory:") as store:
        write_scenarios(store, scenarios)
        update_store(store)  # the real features layer, as `fondly import` runs it
        metrics = compute(store)
        insights = build_insights(metrics, store)
        texts = dict(store.query("SELECT message_id, text FROM messages"))
        langs = {row[0] for row in store.query("SELECT DISTINCT lang FROM message_features")}
        flags = {
            row[0]: {"is_followup": row[1], "gratitude": row[2]}
            for row in store.query(
                "SELECT message_id, is_followup, gratitude FROM message_features"
            )
        }
    return {
        "metrics": metrics,
        "insights": insights,
        "texts": texts,
        "langs": langs,
        "flags": flags,
    }


def _rel(report: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    rels = report["insights"]["relationships"]
    return next(r for r in rels if r["name"] == scenario.other)


def _kinds(lang: str, text: str) -> set[str]:
    return {kind for kind, lines in PHRASES[lang].items() if text in lines}


def _quotes(rel: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(signal, part, quote) for every message an alert or a suggestion quotes."""
    for alert in rel["alerts"]:
        for quote in alert["evidence"]:
            yield alert["signal"], "evidence", quote
    for sug in rel["suggestions"]:
        for quote in sug.get("evidence") or []:
            yield sug["signal"], "evidence", quote
        for part in ("moments", "done_well"):
            for moment in sug.get(part) or []:
                for quote in moment:
                    yield sug["signal"], part, quote


QUOTED_KINDS = {
    ("unanswered", "evidence"): {"question", "ping", "open"},
    ("little_affection", "done_well"): {"affection"},
}
"""What a quote must be for the claim it illustrates (signal, part) -> kinds of line."""


CASES = [
    pytest.param(make().name, lang, id=f"{make.__name__}-{lang}")
    for make in SCENARIOS
    for lang in LANGS
]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_same_verdicts_in_every_language(
    reports: dict[str, dict[str, Any]], name: str, lang: str
) -> None:
    scenario = next(s for s in all_scenarios(lang) if s.name == name)
    truth = scenario.truth
    report = reports[lang]
    rel = _rel(report, scenario)
    assert rel["language"]["not_read"] is None

    alerts = [a["signal"] for a in rel["alerts"]]
    assert alerts == ([truth["alert"]] if truth["alert"] else []), alerts
    assert rel["change"]["label"] in truth["change"], rel["change"]

    expected = truth["since_you_changed"]
    if expected is None:
        assert rel["changes"] == []
    else:
        metric_id, direction, since = expected
        change = next(c for c in rel["changes"] if c["metric_id"] == metric_id)
        assert (change["direction"], change["since"]) == (direction, since)
        for key, way in (truth.get("them_after") or {}).items():
            after = next(f for f in change["them_after"] if f["metric_id"] == key)
            assert (after["after"] > after["before"]) == (way == "up"), after

    missing = rel["missing"]["now"]["direction"]
    if "missing" in truth:
        assert missing == truth["missing"]
    if lang != "en":
        english = _rel(reports["en"], scenario)["missing"]["now"]["direction"]
        assert missing == english

    signals = [s["signal"] for s in rel["suggestions"]]
    top = next((s for s in signals if s not in UNSCRIPTED), None)
    if (name, lang) in KNOWN_GAPS:
        wrong, why = KNOWN_GAPS[(name, lang)]
        assert top == wrong, f"fixed? remove from KNOWN_GAPS: {why}"
    else:
        assert top == truth["top"], signals
    if truth.get("not_signal"):
        assert truth["not_signal"] not in signals

    for signal, part, quote in _quotes(rel):
        text = report["texts"][quote["message_id"]]
        kinds = _kinds(lang, text)
        assert kinds, (signal, part, text)  # a line of this chat, in this chat's language
        assert quote["excerpt"] == text
        allowed = QUOTED_KINDS.get((signal, part))
        if allowed is not None:
            assert kinds & allowed, (signal, part, text)


@pytest.mark.parametrize("lang", LANGS)
def test_their_news_and_your_flat_reply_are_quoted_as_pairs(
    reports: dict[str, dict[str, Any]], lang: str
) -> None:
    """ "Your replies to their good news are brief": each moment is their news, then your "ok".

    A congratulation ("so proud of you 🎉") is not its writer's own news, so every quoted
    pair starts with a line of good news and ends with a flat reply. Known gap, asserted as
    it is (LINE_GAPS): in Spanish "qué orgullo me das 🎉" still reads as Mika's own news.
    """
    scenario = next(s for s in all_scenarios(lang) if s.other == "Mika")
    rel = _rel(reports[lang], scenario)
    flat = next(s for s in rel["suggestions"] if s["signal"] == "passive_good_news")
    texts = reports[lang]["texts"]
    right = 0
    for theirs, yours in flat["moments"]:
        assert (theirs["who"], yours["who"]) == ("them", "me")
        said = texts[theirs["message_id"]]
        if (lang, "cheer", said) in LINE_GAPS:
            continue
        assert "good_news" in _kinds(lang, said)
        assert _kinds(lang, texts[yours["message_id"]]) == {"flat"}
        right += 1
    assert right >= 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_warm_return_is_not_read_as_negativity(
    reports: dict[str, dict[str, Any]], lang: str
) -> None:
    """Lee's "miss you! been a while" is the outcome fondly tracks, not hostility: none of
    Lee's longing lines scores negative, and the reconnection gets no negativity verdict."""
    scenario = next(s for s in all_scenarios(lang) if s.other == "Lee")
    rows = annotate(PHRASES[lang]["miss"])
    assert all(isinstance(r["sentiment"], float) and r["sentiment"] >= 0 for r in rows), rows
    rel = _rel(reports[lang], scenario)
    assert "rising_negativity" not in [s["signal"] for s in rel["suggestions"]]


FOLLOWUP_GAPS = {
    ("de", "und, wie ist es gelaufen?"),
    ("de", "und was ist dann passiert?"),
}
"""Follow-ups the contextual pass misses today: the German cue list (data/followup_cues.txt,
issue 17, owner of follow-ups) has "wie lief's" and "was ist passiert" but not these
spellings, and after "ich hab den Job bekommen!!" they share no content word."""


@pytest.mark.parametrize("lang", LANGS)
def test_a_cheer_goes_on_with_a_follow_up_and_thanks(
    reports: dict[str, dict[str, Any]], lang: str
) -> None:
    """Mika cheers Alex's news, asks about it and is thanked: in every language the
    follow-up is read as one (in its conversation, by the contextual pass) and the thanks
    as gratitude, apart from the follow-ups named in FOLLOWUP_GAPS."""
    report = reports[lang]
    followups, thanks = set(PHRASES[lang]["followup"]), set(PHRASES[lang]["thanks"])
    asked, thanked, missed = 0, 0, set()
    for message_id, text in report["texts"].items():
        flags = report["flags"][message_id]
        if text in followups:
            asked += 1
            if not flags["is_followup"]:
                missed.add((lang, text))
        if text in thanks:
            assert flags["gratitude"] is True, text
            thanked += 1
    assert asked >= 20 and thanked >= 20, (asked, thanked)
    assert missed == {gap for gap in FOLLOWUP_GAPS if gap[0] == lang}, "fixed? update the gaps"


AGREE = ("question_share", "affection", "hostility", "negative_share", "laughing_together")
"""Metrics read from words that every language must read as English does (within 0.05).

Not here: ``positive_share``, where VADER counts "yeah same", "pretty quiet today" and "lunch
was fine" as positive and the German and Spanish lists mostly do not (German reads 0.15-0.20
lower on these chats), and the disclosure metrics (see UNSCRIPTED)."""


def _apart(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > 0.05


@pytest.mark.parametrize("lang", LANGS[1:])
def test_word_read_metrics_agree_with_english(
    reports: dict[str, dict[str, Any]], lang: str
) -> None:
    def values(lang: str) -> dict[tuple[str, str, str], float | None]:
        out: dict[tuple[str, str, str], float | None] = {}
        for rel in reports[lang]["metrics"]["relationships"]:
            name = rel["person"]["name"]
            out[(name, "missing_index", "pair")] = rel["missing_index"]["value"]
            for metric_id in AGREE:
                for who in ("me", "them"):
                    cell = rel["metrics"][metric_id][who]
                    out[(name, metric_id, who)] = None if cell is None else cell["value"]
        return out

    english, ours = values("en"), values(lang)
    assert english.keys() == ours.keys()
    far = {key: (english[key], ours[key]) for key in english if _apart(english[key], ours[key])}
    assert not far, far
    assert sum(v is not None and v > 0 for v in ours.values()) >= 20  # not all zeros


def test_quotes_of_the_scripted_claims_are_there(reports: dict[str, dict[str, Any]]) -> None:
    """The evidence the verdict test checks exists in every language (not vacuously true)."""
    for lang in LANGS:
        quiet = _rel(reports[lang], next(s for s in all_scenarios(lang) if s.other == "Sam"))
        assert len(quiet["alerts"][0]["evidence"]) == 4
        robin = _rel(reports[lang], chaser_who_changes(lang))
        cheer = next(s for s in robin["suggestions"] if s["signal"] == "little_affection")
        assert cheer["done_well"], lang


def test_chats_are_read_in_their_own_language(reports: dict[str, dict[str, Any]]) -> None:
    for lang in LANGS:
        assert lang in reports[lang]["langs"]
        assert not (reports[lang]["langs"] & READ) - {lang}, reports[lang]["langs"]


def test_phrase_tables_match_the_english_one() -> None:
    """Same kinds and the same number of phrasings: each language's chat then has the same
    times and kinds of line as the English one (the generator draws the same numbers)."""
    for lang, table in PHRASES.items():
        assert table.keys() == PHRASES["en"].keys(), lang
        for kind, lines in table.items():
            assert len(lines) == len(PHRASES["en"][kind]), (lang, kind)
            assert len(set(lines)) == len(lines), (lang, kind)
    for lang in LANGS[1:]:
        ours = [(t, w, _kinds(lang, x)) for t, w, x in chaser_who_changes(lang).chat.messages]
        english = [(t, w, _kinds("en", x)) for t, w, x in chaser_who_changes().chat.messages]
        assert ours == english


DEFINING = {
    "question": "is_question",
    "followup": "is_question",
    "ping": "is_question",
    "flat": "passive_ack",
    "good_news": "good_news",
    "cheer": "enthusiasm",
    "miss": "missing",
    "affection": "affection",
    "laugh": "laughter",
    "thanks": "gratitude",
    "sharp": "hostility",
    "sorry": "apology",
}
"""The detector that must read each kind of line, in every language."""

LINE_GAPS = {("es", "cheer", "qué orgullo me das 🎉")}
"""Lines a detector misses today: the Spanish cheer carries "me" and 🎉, which the good-news
detector reads as its writer's own news (a first person beside a celebration emoji), and
enthusiasm then drops it as the writer's news."""


def test_lines_read_as_their_kind() -> None:
    missed = set()
    for lang in LANGS:
        for kind, column in DEFINING.items():
            lines = PHRASES[lang][kind]
            for text, row in zip(lines, annotate(lines), strict=True):
                if not row[column]:
                    missed.add((lang, kind, text))
    assert missed == LINE_GAPS


@pytest.mark.parametrize(
    ("lang", "variant", "tz", "name"),
    [
        ("de", "german_dotted", "Europe/Berlin", "WhatsApp Chat mit Robin.txt"),
        ("es", "android_es_ampm", "Europe/Madrid", "Chat de WhatsApp con Robin.txt"),
    ],
)
def test_a_whatsapp_export_reaches_the_same_verdict(
    tmp_path: Path, lang: str, variant: str, tz: str, name: str
) -> None:
    """File -> import -> features -> report, as a German or Spanish phone writes the export:
    the chaser's story holds and the quotes are the chat's own lines."""
    scenario = chaser_who_changes(lang)
    chat = DemoChat(
        title=scenario.other,
        me=ME,
        others=[scenario.other],
        messages=[DemoMessage(t, who, text) for t, who, text in scenario.chat.messages],
    )
    path = write_export(chat, tmp_path / "export", variant)
    assert path.name == name
    fondly = Fondly(tmp_path / "fondly.duckdb")
    imported = fondly.import_(path, me=ME, tz=tz)
    assert imported.added == len(scenario.chat.messages) + 1  # and the encryption notice
    rel = fondly.report(scenario.other).insights["relationships"][0]
    assert rel["language"]["not_read"] is None
    assert not rel["alerts"]
    assert rel["change"]["label"] in scenario.truth["change"]
    change = next(c for c in rel["changes"] if c["metric_id"] == "initiation_share")
    assert (change["direction"], change["since"]) == ("down", "2024-05")
    assert rel["missing"]["now"]["direction"] == "up"
    signals = [s["signal"] for s in rel["suggestions"]]
    assert next(s for s in signals if s not in UNSCRIPTED) == "little_affection"
    done = next(s for s in rel["suggestions"] if s["signal"] == "little_affection")["done_well"]
    assert done and all(_kinds(lang, q["excerpt"]) == {"affection"} for m in done for q in m)
