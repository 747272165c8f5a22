"""Fit the disclosure and support weights on CL-Aff's training split (never the test split).

Writes ``src/fondly/features/data/disclosure_weights.txt``: for each column a bias,
one weight per cue of :mod:`fondly.features._scored` and the threshold that maximises
F1 on the training split. The model is an L2-regularised logistic regression solved
by Newton's method in numpy (a few dozen weights; no extra dependency). Run it after
changing ``data/disclosure_cues.txt``, then bump the detectors' versions.

Usage::

    .venv/bin/python bench/fit_disclosure.py          # fit, print, write
    .venv/bin/python bench/fit_disclosure.py --dry    # fit and print only
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pyarrow as pa

from fondly.features import _scored
from fondly.features import detectors as d
from fondly.features._text import prepare

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
OUT = Path(__file__).resolve().parent.parent / "src" / "fondly" / "features" / "data"
TARGETS = {  # column -> how its gold label is read from a CL-Aff training record
    "disclosure_emotional": lambda r: r["Emotional_disclosure"] == "1",
    "disclosure_info": lambda r: r["Information_disclosure"] == "1",
    # The test split has no "Support" column; validate.py reads Emo_support or Info_support.
    "support": lambda r: r["Emo_support"] == "1" or r["Info_support"] == "1",
}
L2 = 1.0


def features(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The cue matrix exactly as the detectors compute it."""
    prep = prepare(pa.array(texts, pa.string()))
    cols: dict[str, pa.Array] = {}
    cols.update(d.sentiment(prep, cols, originals=pa.array(texts, pa.string())))
    cols.update(d.pronouns(prep, cols))
    flags = {f"list_{name}": d.lexicon_flag(prep, name) for name in d.SCORE_LISTS}
    cue = _scored.cues(prep, cols, flags)
    names = sorted(cue)
    return names, np.column_stack([cue[n] for n in names])


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights (last entry: bias) by Newton's method."""
    xb = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], L2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def f1_at(s: np.ndarray, y: np.ndarray, t: float) -> float:
    pred = s >= t
    return 2 * float(np.sum(pred & y)) / max(1.0, float(pred.sum() + y.sum()))


def best_threshold(
    s: np.ndarray, y: np.ndarray, extra: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[float, float]:
    """The score threshold with the highest F1 on these rows, and that F1.

    With ``extra`` (scores and gold of a second tuning set) the mean of both F1s counts.
    """
    best = (0.0, -1.0)
    for t in np.quantile(s, np.linspace(0.02, 0.98, 193)):
        f1 = f1_at(s, y, t)
        goal = f1 if extra is None else (f1 + f1_at(extra[0], extra[1], t)) / 2
        if goal > best[1]:
            best = (float(t), goal)
    return best


def goemotions_caring() -> tuple[list[str], np.ndarray]:
    """GoEmotions dev texts and their "caring" label (support's second tuning set)."""
    folder = DATASETS / "goemotions"
    names = (folder / "labels.txt").read_text(encoding="utf-8").split()
    texts, gold = [], []
    with (folder / "dev.tsv").open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[0])
            gold.append("caring" in {names[int(i)] for i in parts[1].split(",")})
    return texts, np.array(gold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry", action="store_true")
    args = parser.parse_args()
    path = DATASETS / "claff-offmychest" / "labeled_training_set.csv"
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        records = list(csv.DictReader(f))
    names, x = features([r["full_text"] for r in records])
    lines = [
        "# fondly scoring weights for disclosure_emotional, disclosure_info and support.",
        "# Licence: MIT, part of fondly. Fit by bench/fit_disclosure.py on CL-Aff's training split",
        "# only (labeled_training_set.csv; L2 logistic regression, threshold = best F1 on that",
        "# split; support's threshold: best mean F1 of that split and GoEmotions dev 'caring').",
        "# score = bias + sum(weight * cue); the column is true where score >= threshold.",
        "# Cues are defined in fondly/features/_scored.py and data/disclosure_cues.txt.",
    ]
    for column, gold in TARGETS.items():
        y = np.array([gold(r) for r in records])
        w = fit(x, y.astype(float))
        s = x @ w[:-1] + w[-1]
        extra = None
        if column == "support":  # its threshold also weighs GoEmotions dev "caring"
            g_texts, g_gold = goemotions_caring()
            g_names, gx = features(g_texts)
            assert g_names == names
            extra = (gx @ w[:-1] + w[-1], g_gold)
            plain = f1_at(*extra, best_threshold(s, y)[0])
            print(f"  caring dev F1 at the F1-best CL-Aff threshold: {plain:.3f}")
        t, f1 = best_threshold(s, y, extra)
        if extra is not None:
            print(f"  caring dev F1 {f1_at(*extra, t):.3f}; CL-Aff train F1 {f1_at(s, y, t):.3f}")
        pred = s >= t
        yes = 2 * y.mean() / (1 + y.mean())
        f1 = f1_at(s, y, t)
        print(f"{column}: train F1 {f1:.3f} (always-yes {yes:.3f}), P {np.mean(y[pred]):.3f}")
        lines += ["", f"[{column}]", f"bias {w[-1]:.4f}", f"threshold {t:.4f}"]
        lines += [f"{n} {v:.4f}" for n, v in zip(names, w[:-1], strict=True)]
    if not args.dry:
        (OUT / "disclosure_weights.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
