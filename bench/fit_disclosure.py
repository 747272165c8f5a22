"""Fit the disclosure and support weights on CL-Aff's training split (never the test split).

Writes ``src/fondly/features/data/disclosure_weights.txt`` (per column: a bias, one
weight per cue of :mod:`fondly.features._scored`, the threshold) and
``data/disclosure_words.txt`` (per word: one weight per column). The model is a
logistic regression over the cues (L2 ``CUE_L2``) plus the counts of every word found
in at least ``MIN_DF`` training sentences (L2 ``WORD_L2``: the words only correct what
the cues miss), solved by truncated Newton in numpy (no extra dependency).

The fit is class-balanced: each class carries half of the total weight, and the
threshold is the balanced probability 0.5 (score 0). A threshold chosen for the best
F1 depends on how common the label is where it was tuned; CL-Aff's training split is
31-38% positive, its test split 53-61%, and chat has a base rate of its own. The
balanced threshold maximises neither split's F1 but does not lean on either prior
(it sits near the best balanced accuracy, Youden's J).

Every choice here (cue lists, MIN_DF, the L2 strengths, the threshold rule) was made
by 5-fold cross-validation on the training split, folds grouped by Reddit thread so
that sentences of one thread never sit on both sides; ``--cv`` prints those figures.
Run this after changing ``data/disclosure_cues.txt``, then bump the detectors' versions.

Usage::

    .venv/bin/python bench/fit_disclosure.py          # fit, print, write
    .venv/bin/python bench/fit_disclosure.py --dry    # fit and print only
    .venv/bin/python bench/fit_disclosure.py --cv     # also cross-validate on training
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from fondly.features import _scored
from fondly.features import detectors as d
from fondly.features._text import Prepared, prepare
from validate import DATASETS, claff_records

OUT = Path(__file__).resolve().parent.parent / "src" / "fondly" / "features" / "data"
Record = dict[str, str]
TARGETS: dict[str, Callable[[Record], bool]] = {  # column -> its gold label in a training row
    "disclosure_emotional": lambda r: r["Emotional_disclosure"] == "1",
    "disclosure_info": lambda r: r["Information_disclosure"] == "1",
    # The test split has no "Support" column; validate.py reads Emo_support or Info_support.
    "support": lambda r: r["Emo_support"] == "1" or r["Info_support"] == "1",
}
CUE_L2 = 1.0
WORD_L2 = 30.0
MIN_DF = 10
FOLDS = 5


class Design:
    """Dense cue columns beside sparse word counts given as (row, word) pairs."""

    def __init__(self, cues: np.ndarray, rows: np.ndarray, words: np.ndarray, n_words: int):
        self.cues, self.rows, self.words, self.n_words = cues, rows, words, n_words
        self.n = len(cues)
        self.width = cues.shape[1] + n_words

    def times(self, w: np.ndarray) -> np.ndarray:
        """X @ w."""
        k = self.cues.shape[1]
        out = self.cues @ w[:k]
        if self.n_words:
            out += np.bincount(self.rows, w[k + self.words], minlength=self.n)
        return out

    def transposed_times(self, u: np.ndarray) -> np.ndarray:
        """X.T @ u."""
        words = np.bincount(self.words, u[self.rows], minlength=self.n_words)
        return np.concatenate([self.cues.T @ u, words])

    def take(self, mask: np.ndarray) -> Design:
        """The rows where ``mask`` is true."""
        position = np.cumsum(mask) - 1
        keep = mask[self.rows]
        return Design(self.cues[mask], position[self.rows[keep]], self.words[keep], self.n_words)


def cue_matrix(texts: list[str]) -> tuple[list[str], np.ndarray, Prepared]:
    """The cue matrix exactly as the detectors compute it (the word sums left out)."""
    prep = prepare(pa.array(texts, pa.string()))
    cols: dict[str, pa.Array] = {}
    cols.update(d.sentiment(prep, cols, originals=pa.array(texts, pa.string())))
    cols.update(d.pronouns(prep, cols))
    flags = {f"list_{name}": d.lexicon_flag(prep, name) for name in d.SCORE_LISTS}
    cue = _scored.cues(prep, cols, flags)
    names = sorted(n for n in cue if not n.startswith("vocab_"))
    return names, np.column_stack([cue[n] for n in names]), prep


def vocabulary(prep: Prepared, rows: np.ndarray) -> list[str]:
    """Words found in at least MIN_DF of the given texts, sorted."""
    tokens = np.asarray(prep.tokens.to_numpy(zero_copy_only=False), dtype=object)
    mine = np.isin(prep.token_row, rows)
    pairs = set(zip(prep.token_row[mine].tolist(), tokens[mine].tolist(), strict=True))
    df: dict[str, int] = {}
    for _, word in pairs:
        df[word] = df.get(word, 0) + 1
    return sorted(w for w, c in df.items() if c >= MIN_DF)


def design(names_x: np.ndarray, prep: Prepared, vocab: list[str]) -> Design:
    """Cues plus the count of every vocabulary word in each text."""
    index = {w: i for i, w in enumerate(vocab)}
    tokens = prep.tokens.to_pylist()
    words = np.array([index.get(t, -1) for t in tokens], dtype=np.int64)
    known = words >= 0
    return Design(names_x, prep.token_row[known], words[known], len(vocab))


def balanced(y: np.ndarray) -> np.ndarray:
    """Row weights giving each class half of the total (the mean weight stays 1)."""
    share = y.mean()
    return np.where(y, 0.5 / share, 0.5 / (1 - share))


def fit(x: Design, y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by truncated Newton; returns (weights, bias)."""
    k = x.cues.shape[1]
    reg = np.concatenate([np.full(k, CUE_L2), np.full(x.n_words, WORD_L2)])
    w, b = np.zeros(x.width), 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x.times(w) + b)))
        err = weight * (p - y)
        gw, gb = x.transposed_times(err) + reg * w, float(err.sum())
        curve = weight * p * (1 - p)
        # Solve H s = g by conjugate gradients; H v = X.T (curve * X v) + reg v.
        sw, sb = np.zeros(x.width), 0.0
        rw, rb = gw.copy(), gb
        pw, pb = rw.copy(), rb
        rr = float(rw @ rw + rb * rb)
        start = rr
        for _ in range(500):
            u = curve * (x.times(pw) + pb)
            hw, hb = x.transposed_times(u) + reg * pw, float(u.sum())
            alpha = rr / float(pw @ hw + pb * hb)
            sw += alpha * pw
            sb += alpha * pb
            rw -= alpha * hw
            rb -= alpha * hb
            rr_next = float(rw @ rw + rb * rb)
            if rr_next < 1e-14 * start:
                break
            pw, pb = rw + (rr_next / rr) * pw, rb + (rr_next / rr) * pb
            rr = rr_next
        w -= sw
        b -= sb
        if max(float(np.abs(sw).max()), abs(sb)) < 1e-9:
            break
    return w, b


def figures(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """F1, always-yes F1, MCC and balanced accuracy of a yes/no prediction."""
    tp, fp = float(np.sum(pred & y)), float(np.sum(pred & ~y))
    fn, tn = float(np.sum(~pred & y)), float(np.sum(~pred & ~y))
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {
        "f1": 2 * tp / max(1.0, 2 * tp + fp + fn),
        "yes": 2 * y.mean() / (1 + y.mean()),
        "mcc": (tp * tn - fp * fn) / denom if denom else 0.0,
        "ba": (tp / (tp + fn) + tn / (tn + fp)) / 2,
        "rate": float(pred.mean()),
    }


def auc(s: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (ties count half): ranking quality, blind to the prior."""
    order = np.argsort(s, kind="stable")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, ranks)
    ranks = (sums / counts)[inverse]
    pos = float(y.sum())
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos)))


def best_f1_threshold(s: np.ndarray, y: np.ndarray) -> float:
    """The score threshold with the best F1 on these rows (the rule before this one)."""
    grid = np.quantile(s, np.linspace(0.02, 0.98, 193))
    return float(max(grid, key=lambda t: figures(s >= t, y)["f1"]))


def folds(records: list[Record]) -> np.ndarray:
    """Fold number per row: threads (``id``) dealt to FOLDS folds in a seeded random order."""
    threads = sorted({r["id"] for r in records})
    order = np.random.default_rng(0).permutation(len(threads))
    fold = {threads[i]: k % FOLDS for k, i in enumerate(order)}
    return np.array([fold[r["id"]] for r in records])


def cross_validate(records: list[Record], x: np.ndarray, prep: Prepared) -> None:
    """Print out-of-fold figures: the balanced rule beside the best-F1 threshold."""
    fold = folds(records)
    print(f"{FOLDS}-fold CV on CL-Aff train (grouped by thread), out-of-fold figures:")
    for column, gold in TARGETS.items():
        y = np.array([gold(r) for r in records])
        scores = np.zeros(len(y))
        plain = np.zeros(len(y), dtype=bool)
        for k in range(FOLDS):
            train = fold != k
            full = design(x, prep, vocabulary(prep, np.flatnonzero(train)))
            xt, xv = full.take(train), full.take(~train)
            w, b = fit(xt, y[train].astype(float), balanced(y[train]))
            scores[~train] = xv.times(w) + b
            w, b = fit(xt, y[train].astype(float), np.ones(int(train.sum())))
            t = best_f1_threshold(xt.times(w) + b, y[train])
            plain[~train] = xv.times(w) + b >= t
        print(f"  {column}: AUC {auc(scores, y):.3f}")
        for rule, pred in (("balanced, 0.5", scores >= 0), ("best-F1 threshold", plain)):
            f = figures(pred, y)
            print(
                f"    {rule:<17} F1 {f['f1']:.3f} (always-yes {f['yes']:.3f}) "
                f"MCC {f['mcc']:.3f} BA {f['ba']:.3f} yes-rate {f['rate']:.2f}"
            )


def goemotions_caring() -> tuple[list[str], np.ndarray]:
    """GoEmotions dev texts and their "caring" label (support's second check)."""
    folder = DATASETS / "goemotions"
    names = (folder / "labels.txt").read_text(encoding="utf-8").split()
    texts, gold = [], []
    with (folder / "dev.tsv").open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[0])
            gold.append("caring" in {names[int(i)] for i in parts[1].split(",")})
    return texts, np.array(gold)


HEADER = """\
# fondly scoring weights for disclosure_emotional, disclosure_info and support.
# Licence: MIT, part of fondly; the numbers are derived from CL-Aff "Get it #OffMyChest"
# (Jaidka et al. 2020, CC BY 4.0), training split only (labeled_training_set.csv).
# Fit by bench/fit_disclosure.py: class-balanced L2 logistic regression over the cues and the
# per-word weights of data/disclosure_words.txt (whose sum enters as vocab_<column>, weight 1).
# score = bias + sum(weight * cue); the column is true where score >= threshold.
# The threshold is 0, the balanced probability 0.5: it does not lean on a base rate. A
# threshold tuned for the best F1 on one split inherits that split's prior (CL-Aff training
# 31-38% positive, test 53-61%), and disclosure in chat has a base rate of its own.
# Cues are defined in fondly/features/_scored.py and data/disclosure_cues.txt."""

WORDS_HEADER = """\
# fondly per-word weights for the disclosure and support scores (see disclosure_weights.txt).
# Licence: CC BY 4.0, as the data they are derived from: CL-Aff "Get it #OffMyChest" (Jaidka et
# al. 2020, AffCon@AAAI-20, CEUR-WS Vol-2614). The words found in at least {min_df}
# sentences of its training split, with weights fit by bench/fit_disclosure.py (L2 {l2:g}: they
# only correct what the cues miss). No sentence of the data set is stored.
# Format: [columns] names the columns; each line of [words] is a case-folded token and its
# weight for each column, in that order."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry", action="store_true", help="print, do not write")
    parser.add_argument("--cv", action="store_true", help="cross-validate on training first")
    args = parser.parse_args()
    records = claff_records("train")
    names, x, prep = cue_matrix([r["full_text"] for r in records])
    if args.cv:
        cross_validate(records, x, prep)
    vocab = vocabulary(prep, np.arange(len(records)))
    full = design(x, prep, vocab)
    lines = HEADER.splitlines()
    word_weights = []
    g_texts, g_gold = goemotions_caring()
    g_names, gx, g_prep = cue_matrix(g_texts)
    assert g_names == names
    g_full = design(gx, g_prep, vocab)
    for column, gold in TARGETS.items():
        y = np.array([gold(r) for r in records])
        w, b = fit(full, y.astype(float), balanced(y))
        f = figures(full.times(w) + b >= 0, y)
        print(
            f"{column}: train F1 {f['f1']:.3f} (always-yes {f['yes']:.3f}) MCC {f['mcc']:.3f} "
            f"BA {f['ba']:.3f} (in-sample)"
        )
        if column == "support":
            f = figures(g_full.times(w) + b >= 0, g_gold)
            print(f"  GoEmotions dev caring: F1 {f['f1']:.3f} MCC {f['mcc']:.3f}")
        k = len(names)
        lines += ["", f"[{column}]", f"bias {b:.4f}", "threshold 0.0000"]
        lines += [f"{n} {v:.4f}" for n, v in zip(names, w[:k], strict=True)]
        lines.append(f"vocab_{column} 1.0000")
        word_weights.append(w[k:])
    table = np.column_stack(word_weights)
    words = WORDS_HEADER.format(min_df=MIN_DF, l2=WORD_L2).splitlines()
    words += ["", "[columns]", " ".join(TARGETS), "", "[words]"]
    for word, row in zip(vocab, table, strict=True):
        words.append(f"{word} " + " ".join(f"{c:.4f}" for c in row))
    if args.dry:
        print("\n".join(lines))
        return 0
    (OUT / "disclosure_weights.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "disclosure_words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
