"""GoEmotions test split: our shipped emotion model beside the paper's BERT baseline.

Usage: python eval/emotions_goemotions.py /path/to/shared/data

Scores the model that ships in the package (int8 ONNX, ``journeyscope.nlp``) with the decision
thresholds tuned on the dev split during training; the test split is read here and nowhere
else. Metric as in Demszky et al. (ACL 2020): macro-averaged F1 over labels, multi-label.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _emotion_common import at_thresholds, multilabel_f1, read_goemotions, run_model

PUBLISHED = {  # Demszky et al. 2020, BERT-base, test macro-F1
    "original": ("28 labels (27 + neutral)", 0.46),
    "ekman": ("Ekman 6 + neutral", 0.64),
    "group": ("sentiment groups", 0.69),
}
CX_CRITICAL = (
    "annoyance",
    "anger",
    "disappointment",
    "confusion",
    "nervousness",
    "relief",
    "gratitude",
    "joy",
    "sadness",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the shared data folder (holds goemotions/)")
    args = parser.parse_args()
    texts, _ = read_goemotions(args.data, "original", "test")
    outputs, encoder = run_model(texts)
    print(f"\nGoEmotions test ({len(texts)} comments), macro-F1")
    print(f"{'taxonomy':28} {'ours':>6} {'BERT (paper)':>13}")
    per_label = {}
    for taxonomy, (title, published) in PUBLISHED.items():
        _, gold = read_goemotions(args.data, taxonomy, "test")
        probs = outputs.probabilities[:, encoder.labels.columns(taxonomy)]
        f1 = multilabel_f1(gold, at_thresholds(probs, encoder.labels.thresholds[taxonomy]))
        per_label[taxonomy] = dict(zip(encoder.labels.names[taxonomy], f1, strict=True))
        print(f"{title:28} {f1.mean():6.4f} {published:13.2f}")
    print("\nper-label F1 of labels that matter most in CX:")
    print("  " + ", ".join(f"{k} {per_label['original'][k]:.2f}" for k in CX_CRITICAL))


if __name__ == "__main__":
    main()
