"""Validate fondly's detectors against labelled public data, beside an always-yes baseline.

Reads the data sets from ``../shared/datasets`` (relative to the repository; never
copied into it) and prints one table:

* sentiment vs VADER's tweet ground truth (Hutto & Gilbert 2014; Pearson r, published
  0.88 for VADER itself) over the tweets fondly reads as English or undetermined;
* gratitude, love -> affection, caring -> support, curiosity -> questions and
  amusement -> laughter vs GoEmotions (Demszky et al. 2020);
* emotional and informational disclosure and support vs CL-Aff OffMyChest
  (Jaidka et al. 2020); support is Emo_support or Info_support;
* support, emotional disclosure, good news and enthusiasm in the six languages on
  fondly's author-written chat check sets (``tests/data/replies_*.tsv``; no labelled
  chat data for them in these languages is openly licensed and reachable).

Lexicons were tuned only on GoEmotions dev and CL-Aff training (``--split dev``);
the default report is on the test splits.

"Clearly beating" always-yes is read as a statistical statement: beside each row the
script prints a 95% bootstrap interval of F1 minus always-yes F1 (both computed on the
same resample, so the interval is of the paired difference), and a "beat always-yes"
target is met only when that interval lies above 0. CL-Aff rows are resampled by
Reddit thread (sentences of one thread are not independent), GoEmotions rows one by
one (each is its own comment). None of these sets is chat between close
people: they test the detectors, they set no norms.

Usage::

    .venv/bin/python bench/validate.py              # test splits
    .venv/bin/python bench/validate.py --split dev  # tuning splits
    .venv/bin/python bench/validate.py --errors gratitude   # misses and false hits (dev only)
"""

from __future__ import annotations

import argparse
import csv
import html
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from fondly.features import compute

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"

GOEMOTIONS = {  # GoEmotions label -> (fondly column, target F1 or None)
    "gratitude": ("gratitude", 0.85),
    "love": ("affection", 0.70),
    "caring": ("support", None),
    "curiosity": ("is_question", None),
    "amusement": ("laughter", None),
}
CLAFF = {  # CL-Aff label -> fondly column
    "Emotional_disclosure": "disclosure_emotional",
    "Information_disclosure": "disclosure_info",
    "Support": "support",
}


def decode_escapes(text: str) -> str:
    """Undo CL-Aff's literal ``<U+0092>`` escapes (8% of its training rows) and HTML entities.

    The CSVs spell some characters as ``<U+XXXX>``; those from 0x80 to 0x9F are
    Windows-1252 bytes (0x92 is the apostrophe of "I<U+0092>m"). Left as they are,
    "I'm" tokenises as "i u 0092 m" and every first-person cue misses it; Reddit's
    "&amp;" would count as a word. Real chat has the characters themselves, so
    reading them back is reading the data right.
    """

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        if 0x80 <= code <= 0x9F:
            return bytes([code]).decode("cp1252", errors="ignore")
        surrogate = 0xD800 <= code <= 0xDFFF
        return chr(code) if code <= 0x10FFFF and not surrogate else ""

    return html.unescape(re.sub(r"<U\+([0-9A-Fa-f]{4,6})>", one, text))


def claff_records(split: str) -> list[dict[str, str]]:
    """CL-Aff rows of one split ('train' or 'test'), with ``full_text`` decoded."""
    name = "labeled_test_set.csv" if split == "test" else "labeled_training_set.csv"
    path = DATASETS / "claff-offmychest" / name
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        records = list(csv.DictReader(f))
    for r in records:
        r["full_text"] = decode_escapes(r["full_text"])
    return records


@dataclass
class Row:
    detector: str
    data: str
    n: int
    p: float
    r: float
    f1: float
    base_f1: float
    mcc: float
    gain: tuple[float, float]
    target: str

    def line(self) -> str:
        lo, hi = self.gain
        return (
            f"{self.detector:<22} {self.data:<36} {self.n:>6} {self.p:>6.3f} {self.r:>6.3f} "
            f"{self.f1:>6.3f} {self.base_f1:>8.3f} {f'[{lo:+.3f}, {hi:+.3f}]':>17} "
            f"{self.mcc:>6.3f}  {self.target}"
        )


def scores(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(pred & gold))
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(gold.sum()))
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def flag(cols: dict[str, pa.Array], name: str) -> np.ndarray:
    return np.asarray(cols[name].fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


BEAT_YES = "beat always-yes"
"""The target of detectors without a figure of their own (the issue's point 4)."""

RESAMPLES = 2000
"""Bootstrap resamples behind each interval; seeded, so a run prints the same figures."""


def row(
    name: str,
    data: str,
    pred: np.ndarray,
    gold: np.ndarray,
    target: str,
    groups: np.ndarray | None = None,
) -> Row:
    """One table row; a "beat always-yes" target is judged on the interval of the gain."""
    p, r, f1 = scores(pred, gold)
    prevalence = float(gold.mean())
    base = 2 * prevalence / (1 + prevalence)  # always-yes: precision = prevalence, recall 1
    gain = gain_interval(pred, gold, groups)
    if target == BEAT_YES:
        target += ": met" if gain[0] > 0 else ": NOT met (the interval reaches 0)"
    return Row(name, data, len(gold), p, r, f1, base, mcc(pred, gold), gain, target)


def gain_interval(
    pred: np.ndarray, gold: np.ndarray, groups: np.ndarray | None = None
) -> tuple[float, float]:
    """95% bootstrap interval of F1 minus always-yes F1, resampling ``groups`` (or rows).

    Each resample draws as many groups as there are, with replacement; a group's rows
    count as often as it was drawn. Both F1s come from the same resample, so the
    interval is of their difference, which varies far less than either (a resample
    with more positives raises both).
    """
    if groups is None:
        groups = np.arange(len(gold))
    ids, group = np.unique(groups, return_inverse=True)
    per_group = np.column_stack(
        [
            np.bincount(group, weights=(pred & gold).astype(float), minlength=len(ids)),
            np.bincount(group, weights=(pred & ~gold).astype(float), minlength=len(ids)),
            np.bincount(group, weights=(~pred & gold).astype(float), minlength=len(ids)),
            np.bincount(group, minlength=len(ids)).astype(float),
        ]
    )
    rng = np.random.default_rng(0)
    draws = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=RESAMPLES)
    tp, fp, fn, n = (draws @ per_group).T
    f1 = 2 * tp / np.maximum(1.0, 2 * tp + fp + fn)
    prevalence = (tp + fn) / n
    gain = f1 - 2 * prevalence / (1 + prevalence)
    lo, hi = np.percentile(gain, [2.5, 97.5])
    return float(lo), float(hi)


def mcc(pred: np.ndarray, gold: np.ndarray) -> float:
    """Matthews correlation: 0 for always-yes whatever the prevalence, so a common label
    (CL-Aff test: 53-61% positive) cannot make a useless detector look good."""
    tp = float(np.sum(pred & gold))
    tn = float(np.sum(~pred & ~gold))
    fp = float(np.sum(pred & ~gold))
    fn = float(np.sum(~pred & gold))
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denom if denom else 0.0


def vader_rows() -> list[Row]:
    path = DATASETS / "vader-groundtruth" / "tweets_GroundTruth.txt"
    gold, texts = [], []
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                gold.append(float(parts[1]))
                texts.append("\t".join(parts[2:]))
    cols = compute(pa.array(texts), ["sentiment"])
    ours = cols["sentiment"].to_pylist()
    pairs = [(g, o) for g, o in zip(gold, ours, strict=True) if o is not None]
    g = np.array([p[0] for p in pairs])
    o = np.array([p[1] for p in pairs])
    r = float(np.corrcoef(g, o)[0, 1])
    coverage = len(pairs) / len(gold)
    print(
        f"sentiment vs VADER tweets: Pearson r = {r:.3f} over {len(pairs):,} of {len(gold):,} "
        f"tweets read as English/undetermined ({coverage:.1%}); published VADER r = 0.881; "
        f"target >= 0.85: {'met' if r >= 0.85 else 'NOT met'}"
    )
    return []


def goemotions_rows(split: str, errors: str | None) -> list[Row]:
    folder = DATASETS / "goemotions"
    names = (folder / "labels.txt").read_text(encoding="utf-8").split()
    texts, labels = [], []
    with (folder / f"{split}.tsv").open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[0])
            labels.append({names[int(i)] for i in parts[1].split(",")})
    cols = compute(pa.array(texts))
    out = []
    for label, (column, target) in GOEMOTIONS.items():
        gold = np.array([label in ls for ls in labels])
        pred = flag(cols, column)
        if column == "is_question":
            _, r, _ = scores(pred, gold)
            goal = f"recall >= 0.80: {'met' if r >= 0.8 else 'NOT met'}"
        elif target is not None:
            goal = f"F1 >= {target}: {'met' if scores(pred, gold)[2] >= target else 'NOT met'}"
        else:
            goal = BEAT_YES
        out.append(row(column, f"GoEmotions {split} {label}", pred, gold, goal))
        if errors == column:
            _show_errors(texts, pred, gold)
    return out


def claff_rows(split: str, errors: str | None) -> list[Row]:
    records = claff_records("test" if split == "test" else "train")
    texts = [r["full_text"] for r in records]
    cols = compute(pa.array(texts))
    threads = np.array([r["id"] for r in records])
    out = []
    for label, column in CLAFF.items():
        if label == "Support":
            # Both splits read support as Emo_support or Info_support, the label the weights
            # were fit on (the test split has no "Support" column; training's also counts
            # General_support, quotes and catch phrases).
            gold = np.array([r["Emo_support"] == "1" or r["Info_support"] == "1" for r in records])
        else:
            gold = np.array([r[label] == "1" for r in records])
        pred = flag(cols, column)
        shown = "Emo/Info_support" if label == "Support" else label
        data = f"CL-Aff {'test' if split == 'test' else 'train'} {shown}"
        out.append(row(column, data, pred, gold, BEAT_YES, threads))
        if errors == column:
            _show_errors(texts, pred, gold)
    return out


CHECKS = Path(__file__).resolve().parent.parent / "tests" / "data"
"""Author-written check sets shipped with the tests (not sourced corpora; see their headers)."""


def question_rows() -> list[Row]:
    """The question detector and the bare "?" rule on the author-written punctuated check sets.

    No openly licensed dialogue-act corpus (SwDA, MRDA, NPS Chat, DailyDialog) is reachable
    from the registries this project may use, or its licence is non-commercial: these sets
    stand in, labelled as what they are. English reads all three of its sets together (306
    messages); the other languages their tuning and held-out sets apart.
    """
    out = []
    english = [(r[0], r[1]) for r in _check_lines("questions_en.tsv")]
    sets = {("en", "all sets"): english}
    for name, kind in (
        ("questions_tuning_6lang.tsv", "tuned"),
        ("questions_heldout_6lang.tsv", "held out"),
    ):
        rows = _check_lines(name)
        english += [(r[1], r[2]) for r in rows if r[0] == "en"]
        for lang in LANGS[1:]:
            sets[(lang, kind)] = [(r[1], r[2]) for r in rows if r[0] == lang]
    for (lang, kind), labelled in sets.items():
        texts = [r[1] for r in labelled]
        gold = np.array([r[0] == "1" for r in labelled])
        ours = flag(compute(pa.array(texts), ["question"]), "is_question")
        bare = np.array([bool(re.search("[?¿？]", t)) for t in texts])
        base = scores(bare, gold)[2]
        met = "met" if scores(ours, gold)[2] > base else "NOT met"
        data = f"questions, {kind} ({lang})"
        out.append(row("is_question", data, ours, gold, f"F1 above '?' ({base:.3f}): {met}"))
        out.append(row("'?' rule (baseline)", data, bare, gold, "-"))
    return out


SENTIMENT_SETS = {
    "sentiment_check.tsv": "tuned",
    "sentiment_dev.tsv": "tuned after a first blind run",
    "sentiment_heldout.tsv": "held out",
    "sentiment_chat_tuning.tsv": "chat, tuned after a blind run",
    "sentiment_chat_heldout.tsv": "chat, held out",
}


def macro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    """Mean F1 over the classes the set holds (signs, and 0 where it has neutral texts)."""
    f1s = []
    for s in sorted(set(gold.tolist())):
        tp = float(((pred == s) & (gold == s)).sum())
        f1s.append(2 * tp / max(1.0, float((pred == s).sum() + (gold == s).sum())))
    return float(np.mean(f1s))


def sentiment_language_rows() -> None:
    """Sentiment sign per language on the author-written sets, beside always-positive.

    Macro-F1 over the classes of the set: the two signs, and 0 where the set holds neutral
    messages (logistics the scorer should leave at 0). Always-positive scores 1/3 on a
    balanced two-class set, 0.175 on the chat sets (25 positive, 25 negative, 20 neutral).
    No openly licensed labelled sentiment sentences in these languages ship with a package
    on the registries this project may use: the sets are written by fondly's authors.
    """
    for name, kind in SENTIMENT_SETS.items():
        rows = _check_lines(name)
        scored = compute(pa.array([r[2] for r in rows]), ["sentiment"])["sentiment"]
        sign = np.sign(np.asarray(scored.fill_null(0.0).to_numpy(zero_copy_only=False)))
        for lang in ("de", "es", "fr", "it", "pt"):
            idx = [i for i, r in enumerate(rows) if r[0] == lang]
            gold = np.array([int(rows[i][1]) for i in idx])
            pred = sign[idx]
            baseline = macro_f1(np.ones(len(gold)), gold)
            print(
                f"sentiment sign ({lang}, author-written, {kind}, n={len(idx)}): macro-F1 "
                f"{macro_f1(pred, gold):.3f}, right {int((pred == gold).sum())}, read as 0 "
                f"{int((pred == 0).sum())}; always-positive {baseline:.3f}"
            )


LANGS = ("en", "de", "es", "fr", "it", "pt")
REPLY_LABELS = {"S": "support", "D": "disclosure_emotional", "G": "good_news", "E": "enthusiasm"}


def _check_lines(name: str) -> list[list[str]]:
    text = (CHECKS / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def language_check_rows() -> list[Row]:
    """Support, disclosure, good news, enthusiasm and follow-ups per language.

    On the author-written parallel check sets (the same situations in all six languages).
    ``replies_6lang``, ``replies_dev_6lang`` (after one blind run) and the follow-up
    exchanges were used to find gaps in the lists; ``replies_heldout_6lang`` was written
    afterwards and never used to change them.
    """
    out = []
    for name, kind in (
        ("replies_6lang.tsv", "tuned"),
        ("replies_dev_6lang.tsv", "tuned after a blind run"),
        ("replies_heldout_6lang.tsv", "held out"),
    ):
        rows = _check_lines(name)
        for i, lang in enumerate(LANGS):
            cols = compute(pa.array([r[2 + i] for r in rows]))
            for label, column in REPLY_LABELS.items():
                gold = np.array([label in r[1] for r in rows])
                data = f"replies, {kind} ({lang})"
                out.append(row(column, data, flag(cols, column), gold, "-"))
    for name, kind in FOLLOWUP_SETS.items():
        out.extend(_followup_rows(name, kind))
    return out


REPLY_SETS = {"replies_dev.tsv": "dev, tuned", "replies_heldout.tsv": "held out"}
"""The author-written reply check sets (about 160 chat messages per language each)."""


def reply_rows() -> list[Row]:
    """Support, emotional disclosure, good news and enthusiasm per language, beside always-yes.

    ``replies_dev.tsv`` was run once blind and then used to tune the lists;
    ``replies_heldout.tsv`` was written and committed before any list changed and was
    never used to change one: its rows are the estimates (docs/features.md). Each row of
    a set is ``lang, labels, text``; always-yes (yes-F1) is the trivial baseline, and MCC
    is 0 for it whatever the prevalence.
    """
    out = []
    for name, kind in REPLY_SETS.items():
        rows = _check_lines(name)
        cols = compute(pa.array([r[2] for r in rows]))
        for lang in LANGS:
            mine = np.array([i for i, r in enumerate(rows) if r[0] == lang])
            for label, column in REPLY_LABELS.items():
                gold = np.array([label in rows[i][1] for i in mine])
                pred = flag(cols, column)[mine]
                out.append(row(column, f"replies {kind} ({lang})", pred, gold, "-"))
    return out


FOLLOWUP_SETS = {
    "followups_6lang.tsv": "tuned",
    "followups_tuning_6lang.tsv": "tuning set",
    "followups_heldout_6lang.tsv": "held out",
}


def _followup_rows(name: str, kind: str) -> list[Row]:
    """Follow-ups need the conversation: each exchange goes into a scratch store."""
    import datetime as dt
    import tempfile

    from fondly.features import update_store
    from fondly.store import Store

    rows = _check_lines(name)
    records = []
    base = dt.datetime(2024, 5, 1, 12, 0)
    for i, (_, _, _, theirs, question) in enumerate(rows):
        for j, (handle, text) in enumerate(((2, theirs), (1, question))):
            at = base + dt.timedelta(hours=i, minutes=j)
            records.append(
                {
                    "message_id": f"x{i}-{j}", "conversation_id": i + 1, "handle_id": handle,
                    "ts_ms": int(at.timestamp() * 1000), "ts_local": at, "tz_offset_min": 0,
                    "seq": j, "kind": "text", "media_type": None, "text": text, "edited": False,
                    "reply_to": None, "source_id": None, "import_id": 1,
                }
            )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "check.duckdb")
        try:
            store.register("check_rows", pa.Table.from_pylist(records))
            store.execute("INSERT INTO messages SELECT * FROM check_rows")
            store.unregister("check_rows")
            update_store(store)
            got = dict(store.query("SELECT message_id, is_followup FROM message_features"))
        finally:
            store.close()
    out = []
    for lang in LANGS:
        mine = [i for i, r in enumerate(rows) if r[2] == lang]
        pred = np.array([bool(got[f"x{i}-1"]) for i in mine])
        gold = np.array([rows[i][1] == "1" for i in mine])
        out.append(row("is_followup", f"exchanges, {kind} ({lang})", pred, gold, "-"))
    return out


def _show_errors(texts: list[str], pred: np.ndarray, gold: np.ndarray, k: int = 25) -> None:
    """Print a sample of misses and false hits (tuning splits only; never stored)."""
    for title, mask in (("missed", gold & ~pred), ("false hit", pred & ~gold)):
        idx = np.flatnonzero(mask)[:k]
        print(f"--- {title} ({int(mask.sum())})", file=sys.stderr)
        for i in idx:
            print("   ", texts[i][:140], file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--errors", help="show errors of one column (only with --split dev)")
    args = parser.parse_args()
    if not DATASETS.is_dir():
        print(f"no labelled data at {DATASETS}: nothing to validate (see bench/validate.py)")
        return 0
    errors = args.errors if args.split == "dev" else None
    vader_rows()
    sentiment_language_rows()
    rows = goemotions_rows(args.split, errors) + claff_rows(args.split, errors) + question_rows()
    rows += language_check_rows() + reply_rows()
    print(
        "yes-F1: F1 of always answering yes; gain 95%: bootstrap interval of F1 - yes-F1 "
        "(CL-Aff resampled by thread); MCC: Matthews correlation (always-yes = 0)"
    )
    print(
        f"{'detector':<22} {'data':<36} {'n':>6} {'P':>6} {'R':>6} {'F1':>6} {'yes-F1':>8} "
        f"{'gain 95%':>17} {'MCC':>6}  target"
    )
    for r in rows:
        mark = "" if r.f1 > r.base_f1 else "  (F1 below always-yes)"
        print(r.line() + mark)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
