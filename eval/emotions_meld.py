"""MELD test (Friends dialogue, 7 emotions): our shipped model beside the paper's text baselines.

Usage: python eval/emotions_meld.py /path/to/shared/data

MELD's seven labels are exactly the Ekman groups our model has a head for, so the shipped model
is scored **as is** (zero-shot: it never saw MELD) by the most probable Ekman group. Two more
rows show what adapting to the domain gives, without ever shipping anything learnt from MELD
(GPL-3, evaluation only):

- *dev-calibrated*: one weight per class on the Ekman probabilities, tuned on MELD **dev**;
- *in-domain head*: a logistic regression on our model's embedding and probabilities, trained
  on MELD **train** — an upper reference, not a shipped model.

Metric as in the MELD paper (Poria et al., ACL 2019): weighted-average F1 over the 7 emotions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _emotion_common import read_meld, run_model
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

PUBLISHED = (
    "about 55-56 (MELD paper, text-only models; figure from shared/NLP-NOTES.md, the paper's "
    "table could not be re-read offline here: check it before quoting)"
)


def ekman(split: str, data: Path) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Ekman probabilities, embeddings, gold labels and the model's Ekman names for a split."""
    rows = read_meld(data, split)
    texts = [r["Utterance"].replace("\u2019", "'") for r in rows]
    outputs, encoder = run_model(texts)
    probs = outputs.probabilities[:, encoder.labels.columns("ekman")]
    names = encoder.labels.names["ekman"]
    gold = np.array([names.index(r["Emotion"]) for r in rows])
    return probs, outputs.embeddings, names, gold


def calibrate(probs: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Per-class weights maximising weighted F1 on the given (dev) split, coordinate ascent."""
    weights = np.ones(probs.shape[1])
    grid = np.exp(np.linspace(-2.5, 2.5, 41))
    for _ in range(3):
        for j in range(len(weights)):
            scores = []
            for w in grid:
                trial = weights.copy()
                trial[j] = w
                scores.append(f1_score(gold, (probs * trial).argmax(1), average="weighted"))
            weights[j] = grid[int(np.argmax(scores))]
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the shared data folder (holds meld/)")
    args = parser.parse_args()
    train_p, train_e, names, train_gold = ekman("train", args.data)
    dev_p, _, _, dev_gold = ekman("dev", args.data)
    test_p, test_e, _, test_gold = ekman("test", args.data)
    weights = calibrate(dev_p, dev_gold)
    head = LogisticRegression(max_iter=2000, C=1.0, class_weight=None)
    head.fit(np.hstack([train_e, train_p]), train_gold)
    rows = {
        "shipped model, zero-shot": test_p.argmax(1),
        "shipped model, dev-calibrated": (test_p * weights).argmax(1),
        "in-domain head (eval only)": head.predict(np.hstack([test_e, test_p])),
    }
    print(f"\nMELD test ({len(test_gold)} utterances), 7 emotions")
    print(f"{'model':34} {'weighted F1':>11} {'macro F1':>9}")
    for name, pred in rows.items():
        weighted = f1_score(test_gold, pred, average="weighted")
        macro = f1_score(test_gold, pred, average="macro")
        print(f"{name:34} {100 * weighted:11.2f} {100 * macro:9.2f}")
    print(f"published text-only baselines (weighted F1): {PUBLISHED}")
    print(
        "class weights from dev:",
        {n: round(float(w), 2) for n, w in zip(names, weights, strict=True)},
    )


if __name__ == "__main__":
    main()
