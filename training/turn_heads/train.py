"""Train the played-down and feeling heads (``nlp/model/turn_heads.npz``) on our corpus.

Train split only for the weights; the regularisation and the played-down threshold are chosen
on dev (the test split is never read here). Features come from
``journeyscope.nlp.turn_heads.features`` (the shipped ONNX encoder), so what is trained is what
runs. Seeded and deterministic (liblinear / lbfgs on fixed data). Usage::

    .venv/bin/python training/turn_heads/train.py            # prints dev figures, writes the file
    .venv/bin/python training/turn_heads/train.py --dry-run  # prints only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))

import interview_corpus as corpus  # noqa: E402

from journeyscope.nlp.annotations import Span  # noqa: E402
from journeyscope.nlp.encoder import Encoder, shared_encoder  # noqa: E402
from journeyscope.nlp.turn_heads import (  # noqa: E402
    HEADS_FILE,
    TurnContext,
    clause_inputs,
    turn_features,
)

SEED = 14
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLAUSE_C = 0.03
FEELINGS = ("negative", "neutral", "positive")


def turns(
    interviews: list[dict[str, Any]],
) -> tuple[list[str], list[TurnContext], list[dict[str, Any]]]:
    """Customer turns with their context, in corpus order."""
    texts, contexts, gold = [], [], []
    for iv in interviews:
        question, previous = "", ""
        for turn in iv["turns"]:
            if turn["role"] == "interviewer":
                question = turn["text"]
                continue
            texts.append(turn["text"])
            contexts.append(TurnContext(question=question, previous=previous))
            gold.append(turn)
            previous = turn["text"]
    return texts, contexts, gold


def best_threshold(gold: np.ndarray, prob: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 on dev (ties: the higher threshold, for precision)."""
    best = (0.5, -1.0)
    for t in np.arange(0.05, 0.96, 0.01):
        f1 = f1_score(gold, prob >= t, zero_division=0)
        if f1 >= best[1]:
            best = (round(float(t), 2), float(f1))
    return best


def _overlap(span: Span, gold: dict[str, Any] | None) -> bool:
    """Whether most of a clause lies inside a gold span."""
    if not gold:
        return False
    inside = max(0, min(span.end, gold["end"]) - max(span.start, gold["start"]))
    return inside / max(1, span.end - span.start) > 0.5


def _fit(
    x: np.ndarray, y: np.ndarray, c: float
) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    head = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    head.fit((x - mean) / scale, y)
    return head, mean, scale


def _proba(fitted: tuple[LogisticRegression, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    head, mean, scale = fitted
    return np.asarray(head.predict_proba((x - mean) / scale))


class Split:
    """One split's turns, clause rows and labels."""

    def __init__(self, interviews: list[dict[str, Any]], encoder: Encoder) -> None:
        self.texts, self.contexts, gold = turns(interviews)
        self.spans, self.clause_x = clause_inputs(self.texts, encoder)
        self.clause_y = np.array(
            [
                [_overlap(s, t.get("dismissal")), _overlap(s, t.get("concern"))]
                for spans, t in zip(self.spans, gold, strict=True)
                for s in spans
            ]
        )
        owners = [iv["id"] for iv in interviews for t in iv["turns"] if t["role"] == "customer"]
        self.clause_group = np.array(
            [owner for owner, spans in zip(owners, self.spans, strict=True) for _ in spans]
        )
        self.played_down = np.array([t["played_down"] for t in gold])
        self.feeling = np.array([FEELINGS.index(t["feeling"]) for t in gold])
        self.embeddings = encoder.run(self.texts).embeddings

    def per_turn(self, flat: np.ndarray) -> list[np.ndarray]:
        out, at = [], 0
        for spans in self.spans:
            out.append(flat[at : at + len(spans)])
            at += len(spans)
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    interviews = corpus.load()
    split = corpus.load_split()
    by_id = {iv["id"]: iv for iv in interviews}
    encoder = shared_encoder()
    train = Split([by_id[i] for i in split["train"]], encoder)
    dev = Split([by_id[i] for i in split["dev"]], encoder)
    print(
        f"train {len(train.texts)} turns ({train.played_down.sum()} played down), "
        f"dev {len(dev.texts)} ({dev.played_down.sum()})"
    )
    # Clause heads (dismissal, concern): out-of-fold scores on train, so the turn head learns
    # from scores like those it will meet; fitted on all of train for dev and shipping.
    oof = np.zeros((len(train.clause_x), 2))
    for fit_rows, held in GroupKFold(5).split(train.clause_x, groups=train.clause_group):
        for j in range(2):
            fitted = _fit(train.clause_x[fit_rows], train.clause_y[fit_rows, j], CLAUSE_C)
            oof[held, j] = _proba(fitted, train.clause_x[held])[:, 1]
    clause_fits = [_fit(train.clause_x, train.clause_y[:, j], CLAUSE_C) for j in range(2)]
    dev_scores = np.stack([_proba(f, dev.clause_x)[:, 1] for f in clause_fits], axis=1)
    base_train = turn_features(train.texts, train.contexts, encoder, train.per_turn(oof))
    base_dev = turn_features(dev.texts, dev.contexts, encoder, dev.per_turn(dev_scores))

    best_pd: tuple[float, float, float, Any] | None = None
    for c in C_GRID:
        fitted = _fit(base_train, train.played_down, c)
        prob = _proba(fitted, base_dev)[:, 1]
        threshold, f1 = best_threshold(dev.played_down, prob)
        p, r, _, _ = precision_recall_fscore_support(
            dev.played_down, prob >= threshold, average="binary", zero_division=0
        )
        print(f"played down C={c:<6} threshold {threshold:.2f}: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        if best_pd is None or f1 > best_pd[1]:
            best_pd = (c, f1, threshold, fitted)
    assert best_pd is not None
    c_pd, f1_pd, threshold, pd_fit = best_pd
    pd_dev = _proba(pd_fit, base_dev)[:, 1] >= threshold

    feel_train = np.hstack([train.embeddings, base_train])
    feel_dev = np.hstack([dev.embeddings, base_dev])
    best_feel: tuple[float, float, Any] | None = None
    for c in C_GRID:
        fitted = _fit(feel_train, train.feeling, c)
        pred = np.where(pd_dev, 0, _proba(fitted, feel_dev).argmax(axis=1))
        macro = f1_score(dev.feeling, pred, average="macro")
        print(f"feeling C={c:<6} macro-F1 {macro:.3f}")
        if best_feel is None or macro > best_feel[1]:
            best_feel = (c, macro, fitted)
    assert best_feel is not None
    c_feel, macro, feel_fit = best_feel
    print(
        f"chosen: played down C={c_pd} threshold {threshold} dev F1 {f1_pd:.3f}; "
        f"feeling C={c_feel} dev macro-F1 {macro:.3f}"
    )
    if args.dry_run:
        return 0
    arrays: dict[str, np.ndarray] = {"threshold": np.float32(threshold)}
    clause_w = np.vstack([f[0].coef_[0] / f[2] for f in clause_fits])
    clause_b = np.array([f[0].intercept_[0] for f in clause_fits])
    layers = {
        # the two clause heads share one standardisation: fold each one's into its weights
        "clause": (
            np.zeros_like(clause_fits[0][1]),
            np.ones_like(clause_fits[0][2]),
            clause_w,
            clause_b - np.array([w @ f[1] for w, f in zip(clause_w, clause_fits, strict=True)]),
        ),
        "played_down": (pd_fit[1], pd_fit[2], pd_fit[0].coef_, pd_fit[0].intercept_),
        "feeling": (feel_fit[1], feel_fit[2], feel_fit[0].coef_, feel_fit[0].intercept_),
    }
    for name, (mean, scale, w, b) in layers.items():
        arrays.update(
            {
                f"{name}_mean": np.asarray(mean, np.float32),
                f"{name}_scale": np.asarray(scale, np.float32),
                f"{name}_w": np.asarray(w, np.float32),
                f"{name}_b": np.asarray(b, np.float32),
            }
        )
    np.savez_compressed(HEADS_FILE, **arrays)
    print(f"wrote {HEADS_FILE} ({HEADS_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
