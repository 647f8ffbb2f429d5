"""Shared helpers of the emotion eval scripts: run the shipped model, score like the papers."""

from __future__ import annotations

import csv
import platform
import time
from pathlib import Path

import numpy as np

from journeyscope.nlp.encoder import Encoder, Outputs


def run_model(texts: list[str]) -> tuple[Outputs, Encoder]:
    """The shipped int8 model's outputs for the texts, with the rate printed."""
    encoder = Encoder()
    started = time.perf_counter()
    outputs = encoder.run(texts)
    elapsed = time.perf_counter() - started
    print(
        f"model: {len(texts)} texts in {elapsed:.1f}s ({len(texts) / elapsed:.0f}/s) on "
        f"{platform.processor() or platform.machine()}"
    )
    return outputs, encoder


def multilabel_f1(gold: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Per-label F1 for 0/1 matrices (GoEmotions is multi-label; the paper macro-averages)."""
    tp = (gold * pred).sum(0)
    precision = tp / np.maximum(pred.sum(0), 1)
    recall = tp / np.maximum(gold.sum(0), 1)
    denominator = np.maximum(precision + recall, 1e-12)
    return np.where(precision + recall > 0, 2 * precision * recall / denominator, 0.0)


def at_thresholds(probs: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """Labels over their (dev-tuned) thresholds; an empty row takes its most probable label."""
    pred = (probs >= np.asarray(thresholds)).astype(float)
    empty = pred.sum(1) == 0
    pred[empty, probs[empty].argmax(1)] = 1.0
    return pred


def read_goemotions(data: Path, taxonomy: str, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and the 0/1 label matrix of a GoEmotions split."""
    folder = data / "goemotions" / taxonomy
    size = len((folder / "labels.txt").read_text(encoding="utf-8").split("\n"))
    texts, rows = [], []
    for line in (folder / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, _ = line.split("\t")
        row = np.zeros(size)
        row[[int(i) for i in ids.split(",")]] = 1
        texts.append(text)
        rows.append(row)
    return texts, np.stack(rows)


def read_meld(data: Path, split: str) -> list[dict[str, str]]:
    """Rows of a MELD split (GPL-3: read here for evaluation, never copied)."""
    path = data / "meld" / f"{split}_sent_emo.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
