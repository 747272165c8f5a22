"""Cross-check fondly's valence lists against published lexicons, word by word.

fondly's German, Spanish, French, Italian and Portuguese sentiment reads an author-written
valence list (``src/fondly/features/data/valence.txt``). No labelled chat data in these
languages was reachable, so besides the author-written check sets (bench/validate.py) this
compares the lists' signs with lexicons that others built and published: Pattern's
(De Smedt & Daelemans 2012) for German, French and Italian, ML-SentiCon (Cruz et al. 2014)
for Spanish and an AFINN translation for Portuguese, as the npm package ``natural`` ships
them. They are read here, in the bench, and never copied into fondly: their licences do not
clearly allow shipping them. A word counts where both lists give it a non-zero score.

Usage::

    .venv/bin/python bench/valence_crosscheck.py                 # fetches natural with npm
    .venv/bin/python bench/valence_crosscheck.py --natural DIR   # an unpacked natural package
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from fondly.features import _lexicon as lx

NATURAL = "natural@8.1.1"
REFERENCES = {  # language -> (file inside lib/natural/sentiment, how to read a score)
    "de": ("German/pattern-sentiment-de.json", "polarity"),
    "es": ("Spanish/senticon_es.json", "pol"),
    "fr": ("French/pattern-sentiment-fr.json", "polarity"),
    "it": ("Italian/pattern-sentiment-it.json", "polarity"),
    "pt": ("Portuguese/afinnShortSortedPortuguese.json", None),
}


def fetch(folder: Path) -> Path | None:
    """``npm pack`` the natural package into ``folder`` and unpack it; None without npm."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    done = subprocess.run(
        [npm, "pack", NATURAL, "--silent"], cwd=folder, capture_output=True, text=True
    )
    if done.returncode != 0:
        return None
    archive = folder / done.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def reference(root: Path, lang: str) -> dict[str, float]:
    name, field = REFERENCES[lang]
    data = json.loads((root / "lib" / "natural" / "sentiment" / name).read_text("utf-8"))
    out: dict[str, float] = {}
    for word, value in data.items():
        score = float(value if field is None else value.get(field, 0) or 0)
        if score:
            out.setdefault(word.lower(), score)
    return out


def ours(lang: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for entry in lx.load("valence").terms(lang):
        for item in entry.split("|"):
            word, _, value = item.strip().rpartition(" ")
            table[word] = float(value)
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--natural", type=Path, help="an unpacked natural npm package")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.natural or fetch(Path(tmp))
        if root is None:
            print("npm or the registry is not reachable: nothing to cross-check")
            return 0
        for lang in REFERENCES:
            mine, theirs = ours(lang), reference(root, lang)
            shared = [w for w in mine if w in theirs]
            agree = [w for w in shared if (mine[w] > 0) == (theirs[w] > 0)]
            differ = sorted(set(shared) - set(agree))
            share = len(agree) / len(shared) if shared else float("nan")
            print(
                f"{lang}: {len(mine)} words in fondly's list, {len(shared)} also scored by "
                f"{REFERENCES[lang][0].split('/')[1]}; same sign {len(agree)} ({share:.0%})"
                + (f"; differ: {', '.join(differ[:12])}" if differ else "")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
