"""Played-down feedback (the ``minimized`` flag) on MELD, EmoryNLP and Switchboard.

Usage: .venv/bin/python eval/minimization.py /path/to/shared/data

There is **no published baseline** for this task: no corpus labels "a negative feeling played
down in the same breath". So the gold here is a proxy, defined in this file and independent of
the product's lexicon (``journeyscope.nlp.minimization`` is never imported for the gold):

(a) **MELD / EmoryNLP**: an utterance is *played-down negative* when it is labelled with a
    negative emotion (MELD anger/disgust/fear/sadness; EmoryNLP Mad/Scared/Sad — our mapping)
    **and** contains a downtoner or dismissal from ``GOLD_MARKERS`` below (Quirk et al.'s
    compromisers and diminishers plus common dismissals; ``just``/``only`` are left out because
    in speech they are mostly not downtoners). Precision and recall of ``minimized`` against
    it, plus the flag's rate on utterances labelled positive or neutral (where it should be
    rare). The proxy is noisy both ways: "what *kind of* party" is a gold positive the product
    rightly ignores, and a played-down complaint with no marker in the list is a "false
    positive". Read the numbers as agreement with a crude rule, not as accuracy.
(b) **SwDA**: how often utterances tagged ``bd`` (downplayer) and ``h`` (hedge) contain a
    dismissal or a downtoned concern, against the rate on all other utterances. Most ``h``
    items are "I don't know" — epistemic hedges, which are not dismissals by design.

``negative_hint`` comes from the shipped emotion model (its negative-sentiment probability,
as ``annotate`` passes it). A threshold is tuned on MELD train+dev only (best F1 with at most
3% of neutral/positive utterances flagged); test is run once, at the tuned threshold and at the
product's ``HINT_THRESHOLD``. The spread of the hint is printed: a flat hint makes any tuned
threshold meaningless. EmoryNLP shares episodes with MELD train (see its README), so its test
is not fully unseen by that one threshold. VADER (``vaderSentiment``) is shown as the contrast:
how many gold played-down negatives it scores as non-negative (compound > -0.05).
"""

from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from journeyscope.nlp import minimization
from journeyscope.nlp.minimization import find_dismissals, find_minimization

GOLD_MARKERS = re.compile(
    r"\b(?:a\s+(?:little\s+)?bit|a\s+little|slightly|somewhat|kind\s+of|sort\s+of|kinda|sorta"
    r"|a\s+tad|rather|fairly|mildly|partly|more\s+or\s+less|to\s+some\s+extent|not\s+really"
    r"|whatever|never\s*mind|no\s+big\s+deal|not\s+a\s+big\s+deal|no\s+biggie|forget\s+it"
    r"|(?:it|that)['\u2019]?s\s+(?:fine|ok|okay|alright|all\s+right|nothing)"
    r"|doesn['\u2019]?t\s+matter|don['\u2019]?t\s+worry|oh\s+well|i\s+guess|i\s+suppose"
    r"|anyway|it\s+is\s+what\s+it\s+is|could\s+be\s+worse|not\s+that\s+bad)\b",
    re.IGNORECASE,
)
MELD_NEGATIVE = {"anger", "disgust", "fear", "sadness"}
MELD_NON_NEGATIVE = {"neutral", "joy"}  # surprise is split between polarities: left out
EMORY_NEGATIVE = {"Mad", "Scared", "Sad"}
EMORY_NON_NEGATIVE = {"Neutral", "Joyful", "Peaceful", "Powerful"}
GRID = [round(0.05 * i, 2) for i in range(1, 20)]
MAX_CALM_RATE = 0.03  # at most 3% of neutral/positive utterances flagged


@dataclass(frozen=True)
class Item:
    """One utterance with its proxy gold."""

    text: str
    negative: bool  # labelled with a negative emotion
    non_negative: bool  # labelled neutral or positive
    gold: bool  # negative and contains a gold marker


def read_friends(path: Path, negative: set[str], non_negative: set[str]) -> list[Item]:
    """MELD or EmoryNLP utterances with the proxy gold."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Item(
            text=row["Utterance"],
            negative=row["Emotion"] in negative,
            non_negative=row["Emotion"] in non_negative,
            gold=row["Emotion"] in negative and bool(GOLD_MARKERS.search(row["Utterance"])),
        )
        for row in rows
    ]


def negative_hints(items: list[Item]) -> dict[str, float]:
    """The shipped model's negative probability, only for texts holding a dismissal."""
    from journeyscope.nlp.emotions import negative_probability
    from journeyscope.nlp.encoder import Encoder

    texts = sorted({item.text for item in items if find_dismissals(item.text)})
    encoder = Encoder()
    rows = encoder.run(texts).probabilities
    return {t: negative_probability(r, encoder.labels) for t, r in zip(texts, rows, strict=True)}


def flags(items: list[Item], hints: dict[str, float], threshold: float) -> list[bool]:
    """The ``minimized`` flag per item at a given hint threshold."""
    saved = minimization.HINT_THRESHOLD
    minimization.HINT_THRESHOLD = threshold
    try:
        return [
            find_minimization(item.text, negative_hint=hints.get(item.text, 0.0)) is not None
            for item in items
        ]
    finally:
        minimization.HINT_THRESHOLD = saved


def scores(items: list[Item], flagged: list[bool]) -> tuple[float, float, float, float]:
    """Precision, recall, F1 against the proxy gold; flag rate on non-negative utterances."""
    tp = sum(f and i.gold for i, f in zip(items, flagged, strict=True))
    fp = sum(f and not i.gold for i, f in zip(items, flagged, strict=True))
    fn = sum(i.gold and not f for i, f in zip(items, flagged, strict=True))
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    calm = [f for i, f in zip(items, flagged, strict=True) if i.non_negative]
    return precision, recall, f1, sum(calm) / max(len(calm), 1)


def vader_non_negative(texts: Iterable[str]) -> tuple[int, int]:
    """How many texts VADER scores as non-negative (compound > -0.05), of how many."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    values = [analyzer.polarity_scores(text)["compound"] for text in texts]
    return sum(v > -0.05 for v in values), len(values)


def tune(items: list[Item], hints: dict[str, float]) -> float:
    """The grid threshold with the best F1 whose flag rate on calm utterances stays low.

    Ties go to the highest threshold (the most conservative). Without the rate cap F1 alone
    would drift to "flag every dismissal", which the proxy gold rewards.
    """
    results = []
    for t in GRID:
        _, _, f1, calm = scores(items, flags(items, hints, t))
        print(f"  threshold {t:.2f}: F1 {f1:.3f}, flag rate on neutral/positive {calm:.2%}")
        if calm <= MAX_CALM_RATE:
            results.append((f1, t))
    return max(results)[1]


def report(name: str, items: list[Item], hints: dict[str, float], threshold: float) -> None:
    """One row: sizes, P/R/F1 with the hint and lexicon-only, flag rate, VADER contrast."""
    flagged = flags(items, hints, threshold)
    lexicon = flags(items, {}, threshold)
    p, r, f1, calm = scores(items, flagged)
    lp, lr, lf1, _ = scores(items, lexicon)
    gold = [i.text for i in items if i.gold]
    caught = [i.text for i, f in zip(items, flagged, strict=True) if i.gold and f]
    vader_gold, n_gold = vader_non_negative(gold)
    vader_caught, n_caught = vader_non_negative(caught)
    print(
        f"{name:<28} n={len(items):>5} gold={n_gold:>4} flagged={sum(flagged):>4} | "
        f"P {p:.3f} R {r:.3f} F1 {f1:.3f} (lexicon only: P {lp:.3f} R {lr:.3f} F1 {lf1:.3f}) | "
        f"flag rate on neutral/positive {calm:.3%} | VADER non-negative: gold "
        f"{vader_gold}/{n_gold}, of those we flag {vader_caught}/{n_caught}"
    )


def swda_rates(folder: Path, is_hit: Callable[[str], bool]) -> None:
    """Detection rate on ``bd`` and ``h`` utterances against all others, per split."""
    for split in ("train", "val", "test"):
        counts: dict[str, list[int]] = {"bd": [0, 0], "h": [0, 0], "other": [0, 0]}
        for path in sorted((folder / split).glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                _, text, tag = line.split("|")
                bucket = counts[tag if tag in ("bd", "h") else "other"]
                bucket[0] += is_hit(text)
                bucket[1] += 1
        print(
            f"SwDA {split:<5} "
            + " | ".join(
                f"{k}: {hit}/{n} = {hit / max(n, 1):.1%}" for k, (hit, n) in counts.items()
            )
        )


def spread(items: list[Item], hints: dict[str, float]) -> None:
    """Min / median / max of the hint on negative and on calm utterances with a dismissal."""
    for label, keep in (("negative", True), ("neutral/positive", False)):
        values = sorted(
            hints[i.text]
            for i in items
            if i.text in hints and (i.negative if keep else i.non_negative)
        )
        if values:
            print(
                f"  hint on {label} utterances with a dismissal: n={len(values)} min "
                f"{values[0]:.3f} median {values[len(values) // 2]:.3f} max {values[-1]:.3f}"
            )


def main() -> None:
    """Tune on MELD train+dev, then report dev and test of MELD and EmoryNLP, and SwDA."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    data = parser.parse_args().data
    meld = {
        s: read_friends(data / "meld" / f"{s}_sent_emo.csv", MELD_NEGATIVE, MELD_NON_NEGATIVE)
        for s in ("train", "dev", "test")
    }
    emory = {
        s: read_friends(
            data / "emorynlp" / f"emorynlp_{s}_final.csv", EMORY_NEGATIVE, EMORY_NON_NEGATIVE
        )
        for s in ("dev", "test")
    }
    every = [item for split in (*meld.values(), *emory.values()) for item in split]
    hints = negative_hints(every)
    print(
        f"hint threshold, tuned on MELD train+dev (product default {minimization.HINT_THRESHOLD}):"
    )
    threshold = tune(meld["train"] + meld["dev"], hints)
    print(f"chosen: {threshold:.2f}")
    spread(meld["train"] + meld["dev"], hints)
    for name, items in (
        ("MELD dev", meld["dev"]),
        ("MELD test", meld["test"]),
        ("EmoryNLP dev", emory["dev"]),
        ("EmoryNLP test", emory["test"]),
    ):
        for label, value in (("tuned", threshold), ("shipped", minimization.HINT_THRESHOLD)):
            report(f"{name} @{label} {value:.2f}", items, hints, value)
    print("\nSwDA: share of utterances with a dismissal or a downtoned concern")
    swda_rates(
        data / "swda",
        lambda t: bool(find_dismissals(t)) or find_minimization(t) is not None,
    )


if __name__ == "__main__":
    main()
