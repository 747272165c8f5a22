"""The statistics the validation bench rests on: the gain interval and the F1 threshold.

``bench/validate.py`` judges "clearly beats always-yes" by a bootstrap interval, and
``bench/fit_disclosure.py`` picks the shipped thresholds by the best F1; both decide
what the features promise, so both are checked here on data whose answer is known.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import fit_disclosure  # noqa: E402
import validate  # noqa: E402


def test_always_yes_gains_nothing_in_every_resample() -> None:
    gold = np.array([True, False] * 50)
    lo, hi = validate.gain_interval(np.ones(100, bool), gold)
    assert abs(lo) < 1e-12 and abs(hi) < 1e-12


def test_a_perfect_detector_gains_what_always_yes_misses() -> None:
    gold = np.array([True, False] * 200)
    lo, hi = validate.gain_interval(gold.copy(), gold)
    # F1 is 1 in every resample; always-yes F1 is 2/3 at a 50% base rate, give or take.
    assert 0.28 < lo < 1 / 3 < hi < 0.39


def test_resampling_threads_widens_the_interval_when_errors_cluster() -> None:
    rng = np.random.default_rng(1)
    gold = rng.random(600) < 0.6
    threads = np.repeat(np.arange(60), 10)
    pred = gold.copy()
    wrong_threads = np.isin(threads, np.arange(0, 60, 4))  # every error sits in 15 threads
    pred[wrong_threads] = ~gold[wrong_threads]
    by_row = validate.gain_interval(pred, gold)
    by_thread = validate.gain_interval(pred, gold, threads)
    assert by_thread[1] - by_thread[0] > 1.5 * (by_row[1] - by_row[0])
    assert validate.gain_interval(pred, gold, threads) == by_thread  # seeded


def test_the_target_is_met_only_when_the_interval_clears_zero() -> None:
    gold = np.array([True] * 60 + [False] * 40)
    barely = np.ones(100, bool)
    barely[-1] = False  # always-yes but for one right "no": a gain too small to be sure of
    assert validate.row("x", "d", barely, gold, validate.BEAT_YES).target.endswith("reaches 0)")
    good = gold.copy()
    assert validate.row("x", "d", good, gold, validate.BEAT_YES).target.endswith(": met")


def _f1(s: np.ndarray, y: np.ndarray, t: float) -> float:
    pred = s >= t
    tp = float(np.sum(pred & y))
    return 2 * tp / max(1.0, float(pred.sum() + y.sum()))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=1, max_size=40).filter(
        lambda rows: any(y for _, y in rows)
    )
)
def test_f1_threshold_finds_the_best_cut(rows: list[tuple[int, bool]]) -> None:
    s = np.array([float(v) for v, _ in rows])
    y = np.array([label for _, label in rows])
    t = fit_disclosure.f1_threshold(s, y)
    best = max(_f1(s, y, c) for c in np.unique(s))
    assert abs(_f1(s, y, t) - best) < 1e-12
    assert t not in set(s.tolist())  # halfway between scores, never on one
