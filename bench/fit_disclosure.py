"""Fit the disclosure and support weights on CL-Aff's training split (never the test split).

Writes ``src/fondly/features/data/disclosure_weights.txt`` (per column: a bias, one
weight per cue of :mod:`fondly.features._scored`, the threshold) and
``data/disclosure_words.txt`` (per word: one weight per column). The model is a
logistic regression over the cues (L2 ``CUE_L2``) plus the counts of every word found
in at least ``MIN_DF`` training sentences (L2 ``WORD_L2``: the words only correct what
the cues miss), solved by truncated Newton in numpy (no extra dependency).

The fit is class-balanced: each class carries half of the total weight, so the score is
a log-odds that does not lean on the training prior. The threshold (disclosure v5,
support v6) is the one with the best F1 over the training sentences' out-of-fold scores,
each scored as the detector scores a message (:func:`f1_threshold`): F1 beside
always-yes is the yardstick the detectors are judged by. Earlier versions used the
balanced probability 0.5 (score 0), which leans on no prior and gives the better MCC
(out of fold, informational disclosure: MCC 0.339 against 0.303), but says no to texts
that the label definitions call disclosure: routine facts of one's day ("long. a dentist
appointment and then prep for the deadline"), which is much of what chat discloses. Out
of fold the F1 threshold gains F1 (0.593 to 0.607) and flags 55% of the training
sentences instead of 39%. It inherits the training prior (31-38% positive); CL-Aff's
test split is 53-61% positive and chat has a base rate of its own, so a yes is a weaker
statement than a probability of 0.5, which the metrics respect by comparing the two
people of one chat.

Every choice here (cue lists, MIN_DF, the L2 strengths, the text rule) was made
by 5-fold cross-validation on the training split, folds grouped by Reddit thread so
that sentences of one thread never sit on both sides; ``--cv`` prints those figures.
Run this after changing ``data/disclosure_cues.txt``, then bump the detectors' versions.

Texts of several sentences. The training rows are sentences; chat messages may hold
several. ``--cv`` also rebuilds the training split's
comments (:func:`comments`: 10,786, of which 1,564 have 2-10 sentences; a comment is
yes if any sentence is) and compares rules for scoring a text (:data:`RULES`) on
them, out of fold. The rule chosen, "max+len", scores a text of several sentences
(as ``_text.split_sentences`` cuts it) as its best sentence plus ``length * ln(n)``,
``length`` fit on comments (one number per column, one-sentence texts unchanged).
It and "max+cal" are the two rules that beat scoring the whole text on comments in
AUC, F1 and MCC for all three columns (point estimates; thread-bootstrap intervals
are printed beside each rule). "max+len" gains more F1 (the issue's test is F1 beside always-yes),
"max+cal" more MCC, but it refits scale and bias and so moves one-sentence texts,
most of chat, toward "no" (sentence F1 -0.01). The best sentence alone helps support
(advice in one sentence of a story) but not disclosure; the length term adds what
more sentences add, more chances to disclose. Fitting on comments, or taking the
mean, ranks worse. The ``--cv`` tables judge rules at the balanced threshold and at a
best-F1 threshold picked on each split's training folds.

Usage::

    .venv/bin/python bench/fit_disclosure.py          # fit, print, write
    .venv/bin/python bench/fit_disclosure.py --dry    # fit and print only
    .venv/bin/python bench/fit_disclosure.py --cv     # also cross-validate on training
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
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
    cols.update(d.sentiment(prep, cols))
    cols.update(d.pronouns(prep, cols))
    cue = d.scored_cues(prep, cols)
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


def f1_threshold(s: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 over every cut of these scores (exact, not a grid).

    Cutting below the k highest scores gives tp = positives among them and F1 = 2 tp /
    (k + positives); the threshold returned lies halfway between the k-th score and the
    next, so it does not sit on one training sentence's score.
    """
    order = np.argsort(-s, kind="stable")
    ranked, hits = s[order], y[order]
    tp = np.cumsum(hits)
    k = np.arange(1, len(s) + 1)
    f1 = 2 * tp / (k + hits.sum())
    distinct = np.append(ranked[1:] < ranked[:-1], True)  # cut only between distinct scores
    f1 = np.where(distinct, f1, -1.0)
    best = int(np.argmax(f1))
    below = ranked[best + 1] if best + 1 < len(s) else ranked[best] - 1.0
    return float((ranked[best] + below) / 2)


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
            t = f1_threshold(xt.times(w) + b, y[train])
            plain[~train] = xv.times(w) + b >= t
        print(f"  {column}: AUC {auc(scores, y):.3f}")
        for rule, pred in (("balanced, 0.5", scores >= 0), ("best-F1 threshold", plain)):
            f = figures(pred, y)
            print(
                f"    {rule:<17} F1 {f['f1']:.3f} (always-yes {f['yes']:.3f}) "
                f"MCC {f['mcc']:.3f} BA {f['ba']:.3f} yes-rate {f['rate']:.2f}"
            )


def comments(records: list[Record]) -> list[np.ndarray]:
    """The training rows of each Reddit comment, in sentence order.

    CL-Aff's training rows are sentences; those of one comment share the thread ``id``,
    the ``author``, ``created_utc`` and ``nchar`` (the comment's length), and
    ``sentenceid`` orders them. label_descriptions.txt defines the labels per comment
    ("This comment contains ..."), so a comment is labelled yes if any of its sentences
    is. The split holds only some sentences of most comments (their text is a median
    20% of ``nchar``), so a pseudo-comment is an excerpt, its sentences joined by a space.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, r in enumerate(records):
        key = (r["id"], r["author"], r["created_utc"], r["nchar"])
        groups.setdefault(key, []).append(i)
    return [
        np.array(sorted(rows, key=lambda i: float(records[i]["sentenceid"])))
        for rows in groups.values()
    ]


@dataclass
class Texts:
    """Texts with their cues, whole and sentence by sentence, as the detectors cut them."""

    names: list[str]
    x: np.ndarray
    prep: Prepared
    sentences: _scored.Sentences | None
    sx: np.ndarray

    @classmethod
    def of(cls, texts: list[str]) -> Texts:
        names, x, prep = cue_matrix(texts)
        sentences = d.sentence_cues(prep, np.arange(len(texts)))
        assert sentences is not None
        sx = np.column_stack([sentences.cues[n] for n in names])
        return cls(names, x, prep, sentences, sx)

    def __len__(self) -> int:
        return len(self.x)

    def n_sentences(self) -> np.ndarray:
        """Sentences per text (1 for a text the splitter leaves whole)."""
        parent = self.sentences.parent if self.sentences else np.zeros(0, np.int64)
        return np.maximum(np.bincount(parent, minlength=len(self)), 1)

    def scores(self, vocab: list[str], w: np.ndarray, b: float) -> dict[str, np.ndarray]:
        """Per text: the whole text's score, its best sentence's and its sentences' mean."""
        whole = design(self.x, self.prep, vocab).times(w) + b
        if self.sentences is None:
            return {"whole": whole, "max": whole, "mean": whole}
        s = self.sentences
        each = (design(self.sx, s.prep, vocab).times(w) + b)[s.index]
        best = _scored.best_sentence(whole, each, s.parent, 0.0)
        n = self.n_sentences()
        mean = whole.copy()
        cut = np.unique(s.parent)
        mean[cut] = np.bincount(s.parent, each, minlength=len(self))[cut] / n[cut]
        return {"whole": whole, "max": best, "mean": mean}


RULES = {
    "whole": "the whole text scored at once (v3)",
    "max": "its best sentence",
    "mean": "the mean of its sentences",
    "comment fit": "the whole text, weights fit on comments instead of sentences",
    "whole+cal": "whole, recalibrated on comments: a * score + beta * log(sentences) + c",
    "max+cal": "best sentence, recalibrated likewise",
    "whole+len": "whole + beta * log(sentences): one-sentence texts as they were",
    "max+len": "best sentence + beta * log(sentences) (the rule chosen, v4)",
}
"""Comment-level rules compared by ``--cv``; every beta, a, c is fit on training folds."""


def length_term(best: np.ndarray, n: np.ndarray, y: np.ndarray) -> float:
    """beta maximising the balanced likelihood of sigmoid(best + beta * log n) (1-D Newton).

    Only texts of two sentences or more move it (log 1 = 0); the class weights are
    those of all texts, as in the sentence fit.
    """
    weight, log_n, beta = balanced(y), np.log(n), 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(best + beta * log_n)))
        step = float(np.sum(weight * (p - y) * log_n)) / float(
            np.sum(weight * p * (1 - p) * log_n**2) + 1e-9
        )
        beta -= step
        if abs(step) < 1e-9:
            break
    return beta


def recalibrate(s: np.ndarray, n: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Balanced logistic fit of y on (score, log sentences): the ``*+cal`` rules."""
    x = Design(np.column_stack([s, np.log(n)]), np.zeros(0, np.int64), np.zeros(0, np.int64), 0)
    return fit(x, y.astype(float), balanced(y))


Scores = dict[str, np.ndarray]


def _model(texts: Texts, mask: np.ndarray, y: np.ndarray) -> tuple[list[str], np.ndarray, float]:
    """A balanced fit on the texts where ``mask`` holds (vocabulary from those alone)."""
    vocab = vocabulary(texts.prep, np.flatnonzero(mask))
    x = design(texts.x, texts.prep, vocab).take(mask)
    w, b = fit(x, y[mask].astype(float), balanced(y[mask]))
    return vocab, w, b


def _base(
    rows: Texts,
    coms: Texts,
    fit_rows: np.ndarray,
    fit_coms: np.ndarray,
    y: np.ndarray,
    yc: np.ndarray,
) -> tuple[Scores, Scores]:
    """Every row's and comment's scores under the untuned rules, from one fit of each model."""
    vocab, w, b = _model(rows, fit_rows, y)
    r, c = rows.scores(vocab, w, b), coms.scores(vocab, w, b)
    vocab, w, b = _model(coms, fit_coms, yc)
    r["comment fit"] = design(rows.x, rows.prep, vocab).times(w) + b
    c["comment fit"] = design(coms.x, coms.prep, vocab).times(w) + b
    return r, c


@dataclass
class Split:
    """Rows and comments with their folds and labels (one column)."""

    rows: Texts
    coms: Texts
    row_fold: np.ndarray
    com_fold: np.ndarray
    y: np.ndarray
    yc: np.ndarray


def out_of_fold(sp: Split, exclude: int | None = None) -> tuple[Scores, Scores]:
    """Out-of-fold untuned scores of every row and comment outside fold ``exclude``."""
    rows_out = {rule: np.zeros(len(sp.rows)) for rule in ("whole", "max", "mean", "comment fit")}
    coms_out = {rule: np.zeros(len(sp.coms)) for rule in rows_out}
    for j in range(FOLDS):
        if j == exclude:
            continue
        keep_r = (sp.row_fold != j) & (sp.row_fold != exclude)
        keep_c = (sp.com_fold != j) & (sp.com_fold != exclude)
        r, c = _base(sp.rows, sp.coms, keep_r, keep_c, sp.y, sp.yc)
        for rule in rows_out:
            rows_out[rule][sp.row_fold == j] = r[rule][sp.row_fold == j]
            coms_out[rule][sp.com_fold == j] = c[rule][sp.com_fold == j]
    return rows_out, coms_out


def _outer_fold(sp: Split, k: int) -> tuple[Scores, Scores, Scores, Scores]:
    """Fold ``k``'s held-out scores per rule, and per rule the best-F1 thresholds.

    Whatever a rule tunes (a length term, a recalibration, the best-F1 threshold) is
    tuned on inner out-of-fold scores of the four training folds, never on fold ``k``.
    """
    train_r, train_c = sp.row_fold != k, sp.com_fold != k
    held_r, held_c = _base(sp.rows, sp.coms, train_r, train_c, sp.y, sp.yc)
    inner_r, inner_c = out_of_fold(sp, exclude=k)
    n_r, n_c = sp.rows.n_sentences(), sp.coms.n_sentences()
    yt = sp.yc[train_c]
    for base in ("whole", "max"):
        w, b = recalibrate(inner_c[base][train_c], n_c[train_c], yt)
        beta = length_term(inner_c[base][train_c], n_c[train_c], yt)
        for scores, n in ((held_r, n_r), (held_c, n_c), (inner_r, n_r), (inner_c, n_c)):
            scores[f"{base}+cal"] = w[0] * scores[base] + w[1] * np.log(n) + b
            scores[f"{base}+len"] = scores[base] + beta * np.log(n)
    thr_r = {rule: f1_threshold(inner_r[rule][train_r], sp.y[train_r]) for rule in RULES}
    thr_c = {rule: f1_threshold(inner_c[rule][train_c], yt) for rule in RULES}
    held_r = {rule: held_r[rule][~train_r] for rule in RULES}
    held_c = {rule: held_c[rule][~train_c] for rule in RULES}
    return held_r, held_c, thr_r, thr_c


BOOTSTRAP = 200


def comment_level(
    records: list[Record], rows: Texts, coms: Texts, groups: list[np.ndarray]
) -> None:
    """Print out-of-fold figures for sentence rows and comments, rule by rule (see RULES).

    Beside each comment-level rule: a 90% interval of its difference from "whole" in
    AUC, F1 and MCC, resampling threads (the same resamples for every rule).
    """
    row_fold = folds(records)
    com_fold = np.array([row_fold[g[0]] for g in groups])
    sizes = np.array([len(g) for g in groups])
    print(
        f"Comment level: {len(groups):,} comments from {len(records):,} sentences "
        f"({int((sizes == 1).sum()):,} of one sentence, {int((sizes > 1).sum()):,} of 2-"
        f"{int(sizes.max())}); fondly cuts them into {int(coms.n_sentences().sum()):,} sentences"
    )
    for rule, meaning in RULES.items():
        print(f"  {rule:<12} {meaning}")
    thread = np.unique([records[g[0]]["id"] for g in groups], return_inverse=True)[1]
    members = [np.flatnonzero(thread == t) for t in range(thread.max() + 1)]
    rng = np.random.default_rng(0)
    resamples = [
        np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
        for _ in range(BOOTSTRAP)
    ]
    multi = sizes > 1
    for column, gold in TARGETS.items():
        y = np.array([gold(r) for r in records])
        yc = np.array([bool(y[g].any()) for g in groups])
        sp = Split(rows, coms, row_fold, com_fold, y, yc)
        oof = {
            (unit, rule): np.zeros(len(t))
            for unit, t in (("rows", rows), ("coms", coms))
            for rule in RULES
        }
        thr = {key: np.zeros(len(v)) for key, v in oof.items()}
        for k in range(FOLDS):
            held_r, held_c, thr_r, thr_c = _outer_fold(sp, k)
            for rule in RULES:
                oof[("rows", rule)][row_fold == k] = held_r[rule]
                oof[("coms", rule)][com_fold == k] = held_c[rule]
                thr[("rows", rule)][row_fold == k] = thr_r[rule]
                thr[("coms", rule)][com_fold == k] = thr_c[rule]
        levels = (
            ("sentences", "rows", y, slice(None)),
            ("comments", "coms", yc, slice(None)),
            ("multi-sentence", "coms", yc, multi),
        )
        yes = ", ".join(f"{name} {figures(g[m], g[m])['yes']:.3f}" for name, _, g, m in levels)
        print(f"  {column} (always-yes F1: {yes})")
        print(
            f"    {'rule':<12} {'level':<15} {'AUC':>5} | balanced 0.5: F1   MCC rate "
            "| best-F1 (train folds): F1   MCC rate | comments - whole, 90%: AUC, F1, MCC"
        )
        base = oof[("coms", "whole")]
        for rule in RULES:
            for name, unit, g, m in levels:
                s = oof[(unit, rule)][m]
                a = figures(s >= 0, g[m])
                t = figures(s >= thr[(unit, rule)][m], g[m])
                line = (
                    f"    {rule:<12} {name:<15} {auc(s, g[m]):.3f} | {a['f1']:17.3f} "
                    f"{a['mcc']:.3f} {a['rate']:.2f} | {t['f1']:24.3f} {t['mcc']:.3f} "
                    f"{t['rate']:.2f}"
                )
                if name == "comments" and rule != "whole":
                    line += " | " + _interval(oof[("coms", rule)], base, yc, resamples)
                print(line)


def _interval(s: np.ndarray, base: np.ndarray, y: np.ndarray, resamples: list[np.ndarray]) -> str:
    """90% bootstrap intervals of the differences in AUC, F1 and MCC (rule - whole)."""
    diffs = []
    for idx in resamples:
        g, a, b = y[idx], figures(s[idx] >= 0, y[idx]), figures(base[idx] >= 0, y[idx])
        diffs.append((auc(s[idx], g) - auc(base[idx], g), a["f1"] - b["f1"], a["mcc"] - b["mcc"]))
    lo, hi = np.percentile(np.array(diffs), [5, 95], axis=0)
    return ", ".join(f"[{lo[i]:+.3f}, {hi[i]:+.3f}]" for i in range(3))


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
# score = bias + sum(weight * cue); the column is true where score >= threshold. A text of
# several sentences scores its best sentence plus length * ln(number of sentences); length is
# fit on the training split's comments (their sentences joined), from out-of-fold scores.
# A column with "by_sentence 0" scores every text whole (support: see fit_disclosure.py).
# The threshold is the one with the best F1 on the training sentences' out-of-fold scores
# (each scored as a message is); F1 beside always-yes is how the detectors are judged. It
# carries the training split's prior (31-38% positive; CL-Aff test 53-61%, chat its own).
# Cues are defined in fondly/features/_scored.py and data/disclosure_cues.txt."""

WORDS_HEADER = """\
# fondly per-word weights for the disclosure and support scores (see disclosure_weights.txt).
# Licence: CC BY 4.0, as the data they are derived from: CL-Aff "Get it #OffMyChest" (Jaidka et
# al. 2020, AffCon@AAAI-20, CEUR-WS Vol-2614). The words found in at least {min_df}
# sentences of its training split, with weights fit by bench/fit_disclosure.py (L2 {l2:g}: they
# only correct what the cues miss). No sentence of the data set is stored.
# Format: [columns] names the columns; each line of [words] is a case-folded token and its
# weight for each column, in that order."""


WHOLE_TEXT = frozenset({"support"})
"""Columns scored on the whole text, not sentence by sentence.

Support's two tuning sets disagree about the sentence rule: CL-Aff training comments
gain within noise (AUC +0.010, MCC +0.007; the comments are 86% one sentence), while
GoEmotions dev "caring", whose texts hold several sentences far more often, loses
(F1 0.159 -> 0.140, MCC 0.190 -> 0.175; printed below). The set that has the
multi-sentence texts decides, so support keeps whole-text scoring.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry", action="store_true", help="print, do not write")
    parser.add_argument("--cv", action="store_true", help="cross-validate on training first")
    args = parser.parse_args()
    records = claff_records("train")
    rows = Texts.of([r["full_text"] for r in records])
    groups = comments(records)
    coms = Texts.of([" ".join(records[i]["full_text"] for i in g) for g in groups])
    names, x, prep = rows.names, rows.x, rows.prep
    if args.cv:
        cross_validate(records, x, prep)
        comment_level(records, rows, coms, groups)
    vocab = vocabulary(prep, np.arange(len(records)))
    full = design(x, prep, vocab)
    lines = HEADER.splitlines()
    word_weights = []
    g_texts, g_gold = goemotions_caring()
    caring = Texts.of(g_texts)
    assert caring.names == names
    row_fold = folds(records)
    com_fold = np.array([row_fold[g[0]] for g in groups])
    for column, gold in TARGETS.items():
        y = np.array([gold(r) for r in records])
        yc = np.array([bool(y[g].any()) for g in groups])
        w, b = fit(full, y.astype(float), balanced(y))
        f = figures(full.times(w) + b >= 0, y)
        print(
            f"{column}: train F1 {f['f1']:.3f} (always-yes {f['yes']:.3f}) MCC {f['mcc']:.3f} "
            f"BA {f['ba']:.3f} (in-sample)"
        )
        # The length term is fit on out-of-fold best-sentence scores of the comments:
        # in-sample scores would be surer of themselves than new text's.
        best = np.zeros(len(coms))
        held_rows = {"whole": np.zeros(len(rows)), "max": np.zeros(len(rows))}
        for j in range(FOLDS):
            v, wj, bj = _model(rows, row_fold != j, y)
            best[com_fold == j] = coms.scores(v, wj, bj)["max"][com_fold == j]
            scored, held = rows.scores(v, wj, bj), row_fold == j
            for rule, out in held_rows.items():
                out[held] = scored[rule][held]
        length = length_term(best, coms.n_sentences(), yc)
        print(f"  length term {length:.4f} per log(sentences)")
        # The threshold: the best F1 on the training sentences' out-of-fold scores, each
        # scored as the detector scores a message (best sentence plus the length term, or
        # the whole text). Out of fold, because in-sample scores are surer than new text's.
        if column in WHOLE_TEXT:
            oof = held_rows["whole"]
        else:
            oof = held_rows["max"] + length * np.log(rows.n_sentences())
        threshold = f1_threshold(oof, y)
        f = figures(oof >= threshold, y)
        z = figures(oof >= 0, y)
        print(
            f"  threshold {threshold:.4f}: out-of-fold F1 {f['f1']:.3f} MCC {f['mcc']:.3f} "
            f"yes-rate {f['rate']:.2f} (at 0: F1 {z['f1']:.3f} MCC {z['mcc']:.3f} "
            f"yes-rate {z['rate']:.2f})"
        )
        if column == "support":
            # GoEmotions comments often hold several sentences (43% of test texts).
            g = caring.scores(vocab, w, b)
            chosen = g["max"] + length * np.log(caring.n_sentences())
            for rule, score in (
                ("whole texts (v3)", g["whole"]),
                ("best sentence + length", chosen),
            ):
                f = figures(score >= 0, g_gold)
                print(f"  GoEmotions dev caring, {rule}: F1 {f['f1']:.3f} MCC {f['mcc']:.3f}")
        k = len(names)
        lines += ["", f"[{column}]", f"bias {b:.4f}", f"threshold {threshold:.4f}"]
        lines.append("by_sentence 0" if column in WHOLE_TEXT else f"length {length:.4f}")
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
