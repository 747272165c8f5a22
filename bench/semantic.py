"""Calibrate and time the semantic reading (``fondly[semantic]``): thresholds and texts/s.

No public labelled set of follow-up vs switch questions exists (psychology.md A3), so
the pairs below are written for fondly: a message from one person, then a question
from the other that either picks it up (a follow-up, Huang et al. 2017, mostly
sharing no word with it so the lexical rule would miss them) or changes the subject
(a switch). The same pairs calibrate topic novelty: a switch opens a new topic, a
follow-up does not. Each threshold is the one with the best balanced accuracy on a
grid (ties go to the stricter value) and, beside it, how the value in data/semantic.txt
does: that one puts precision first (see the file's header). The figures it prints are
the ones quoted in ``src/fondly/features/data/semantic.txt`` and docs/features.md.

Then the speed: distinct chat-like texts (bench/features.py's generator) embedded
per second on this machine, model load apart.

Needs the extra, in its own venv (never the project's .venv)::

    .venv-semantic/bin/python bench/semantic.py
    .venv-semantic/bin/python bench/semantic.py -n 5000
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from features import message
from fondly._errors import MissingExtra
from fondly.features._semantic_pass import pair_similarity, thresholds
from fondly.features.semantic import embed_distinct, load_embedder

FOLLOWUPS = [
    ("I have my driving exam tomorrow, so nervous", "what time do you have to be there?"),
    ("my boss yelled at me in front of everyone today", "omg are you ok? what did he say?"),
    ("we finally adopted a puppy!!", "what breed? does she have a name yet?"),
    ("I think I'm getting sick, my throat hurts", "have you taken anything for it?"),
    ("just got back from Lisbon", "how was the food there?"),
    ("my sister is getting married in June", "are you a bridesmaid?"),
    ("I started learning the guitar", "acoustic or electric?"),
    ("the interview went really well I think", "when will they let you know?"),
    ("my landlord wants to raise the rent again", "by how much this time?"),
    ("I ran my first 10k this morning", "what was your time?"),
    (
        "mum is in hospital, they're keeping her overnight",
        "is she alright? what did the doctors say?",
    ),
    ("I can't sleep, too much on my mind", "want to talk about what's bothering you?"),
    ("we broke up last night", "oh no, who ended it?"),
    ("I got the job!!!", "when do you start?"),
    ("our flight got cancelled", "are they putting you on another one?"),
    ("I burned the lasagne again", "did you manage to save any of it?"),
    ("I'm thinking of quitting my job", "do you have something else lined up?"),
    ("the car made a weird noise on the motorway", "did you get it checked at a garage?"),
    ("we went to that new ramen place", "was it worth the queue?"),
    ("I finished the book you lent me", "did you like the ending?"),
    ("my knee is killing me after football", "did you twist it?"),
    ("I'm moving to Berlin in the autumn", "have you found a flat yet?"),
    ("the baby kept us up all night", "is she teething?"),
    ("I failed my statistics exam", "can you resit it?"),
    ("Jamie didn't show up to dinner again", "did he at least text you?"),
    ("I painted the living room yellow", "how does it look?"),
    ("my grandad turned 90 today", "did you have a party for him?"),
    ("I'm so stressed about the presentation", "when is it?"),
]

SWITCHES = [
    ("I have my driving exam tomorrow, so nervous", "did you watch the match last night?"),
    ("my boss yelled at me in front of everyone today", "what should we cook on sunday?"),
    ("we finally adopted a puppy!!", "have you paid the electricity bill?"),
    ("I think I'm getting sick, my throat hurts", "do you know any good podcasts?"),
    ("just got back from Lisbon", "can you send me Tom's number?"),
    ("my sister is getting married in June", "what time does the gym open?"),
    ("I started learning the guitar", "are you free for lunch on thursday?"),
    ("the interview went really well I think", "did you see what Kim posted?"),
    ("my landlord wants to raise the rent again", "want to watch a film tonight?"),
    ("I ran my first 10k this morning", "where did you put the spare keys?"),
    ("mum is in hospital, they're keeping her overnight", "have you tried the new coffee place?"),
    ("I can't sleep, too much on my mind", "what's the wifi password again?"),
    ("we broke up last night", "did you order the pizza?"),
    ("I got the job!!!", "have you seen my blue jumper?"),
    ("our flight got cancelled", "what are you getting Sam for his birthday?"),
    ("I burned the lasagne again", "is it raining where you are?"),
    ("I'm thinking of quitting my job", "did you finish that series?"),
    ("the car made a weird noise on the motorway", "do you want to come to the concert?"),
    ("we went to that new ramen place", "did you call your dad back?"),
    ("I finished the book you lent me", "are we still going hiking?"),
    ("my knee is killing me after football", "what's for dinner?"),
    ("I'm moving to Berlin in the autumn", "did the parcel arrive?"),
    ("the baby kept us up all night", "which colour should I get, red or green?"),
    ("I failed my statistics exam", "have you booked the dentist?"),
    ("Jamie didn't show up to dinner again", "how's the new phone?"),
    ("I painted the living room yellow", "are you going to the wedding?"),
    ("my grandad turned 90 today", "can you pick up milk on the way home?"),
    ("I'm so stressed about the presentation", "did you feed the cat?"),
]


def best_threshold(pos: np.ndarray, neg: np.ndarray, above: bool) -> tuple[float, float]:
    """The grid value with the best balanced accuracy; ties go to the stricter one.

    ``above``: the positive class is the one at or above the threshold.
    """
    best = (-1.0, 0.0)
    for t in np.round(np.arange(0.10, 0.80, 0.05), 2):
        if above:
            acc = ((pos >= t).mean() + (neg < t).mean()) / 2
        else:
            acc = ((pos < t).mean() + (neg >= t).mean()) / 2
        stricter = acc == best[0] and ((t > best[1]) if above else (t < best[1]))
        if acc > best[0] or stricter:
            best = (float(acc), float(t))
    return best[1], best[0]


def chat_texts(n: int, seed: int, min_words: int = 1) -> list[str]:
    """``n`` distinct chat-like texts from bench/features.py's generator."""
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < n:
        text = message(rng)
        if text not in seen and len(text.split()) >= min_words:
            seen.add(text)
            texts.append(text)
    return texts


def calibrate() -> None:
    embedder = load_embedder()
    t = thresholds()
    first = [p for p, _ in FOLLOWUPS + SWITCHES]
    second = [q for _, q in FOLLOWUPS + SWITCHES]
    sims = pair_similarity(first, second, embedder)
    fol, sw = sims[: len(FOLLOWUPS)], sims[len(FOLLOWUPS) :]
    print(f"pairs: {len(FOLLOWUPS)} follow-ups, {len(SWITCHES)} switches")
    print(f"cosine follow-ups: median {np.median(fol):.2f}, range {fol.min():.2f}-{fol.max():.2f}")
    print(f"cosine switches:   median {np.median(sw):.2f}, range {sw.min():.2f}-{sw.max():.2f}")
    for cut in np.round(np.arange(0.15, 0.45, 0.05), 2):
        passed = f"follow-ups {(fol >= cut).mean():.2f}, switches {(sw >= cut).mean():.2f}"
        print(f"  >= {cut:.2f}: {passed}")
    best, acc = best_threshold(fol, sw, above=True)
    print(f"best balanced accuracy: {acc:.3f} at {best:.2f}")
    print(
        f"data/semantic.txt follow-up {t.followup:.2f}: follow-ups {(fol >= t.followup).mean():.2f}"
        f", switches {(sw >= t.followup).mean():.2f}"
    )
    # Novelty: the question against a window of the statement plus window_messages - 1
    # generated chat texts of min_words or more, as the store compares it.
    background = chat_texts(t.window_messages - 1, seed=11, min_words=t.min_words)
    vectors, _ = embed_distinct(background, embedder)
    questions, index = embed_distinct(second, embedder)
    window_best = np.maximum(sims, (questions[index] @ vectors.T).max(axis=1))
    fol_w, sw_w = window_best[: len(FOLLOWUPS)], window_best[len(FOLLOWUPS) :]
    print(
        f"novelty {t.novelty:.2f}, window of {t.window_messages}: switches novel "
        f"{(sw_w < t.novelty).mean():.2f}, follow-ups novel {(fol_w < t.novelty).mean():.2f}; "
        f"against the statement alone: {(sw < t.novelty).mean():.2f} and "
        f"{(fol < t.novelty).mean():.2f}"
    )


def speed(n: int) -> None:
    texts = chat_texts(n, seed=7)
    embedder = load_embedder()
    loaded = time.perf_counter()
    embed_distinct(texts, embedder)
    done = time.perf_counter()
    words = sum(len(t.split()) for t in texts) / n
    print(
        f"{n:,} distinct chat-like texts ({words:.1f} words on average): "
        f"{done - loaded:.1f} s, {n / (done - loaded):,.0f} texts/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="distinct texts to time")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        load_embedder()
    except MissingExtra as exc:
        print(f"{exc}; run this with .venv-semantic/bin/python (see the docstring)")
        return
    print(f"first model load (imports included): {time.perf_counter() - started:.1f} s")
    calibrate()
    speed(args.n)


if __name__ == "__main__":
    main()
