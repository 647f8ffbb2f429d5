"""The shipped emotion-and-embedding model, run with ONNX Runtime on the CPU.

One int8 ONNX graph (``nlp/model/emotions.onnx``, built by ``training/emotions/``; see its
model card) returns, for a batch of texts, the probabilities of the 28 GoEmotions labels, the 7
Ekman groups and the 4 sentiment groups, and the original all-MiniLM-L6-v2 sentence embedding.
No torch at run time and no download: the graph and its tokenizer ship inside the package.

Speed comes from three things, measured in ``bench/interviews.py``: int8 weights, batches of
texts of similar length (little padding), and a bounded cache, since interviews repeat short
turns ("Yeah.", "Okay.") many times.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "model"
MAX_TOKENS = 128  # interview turns are cut here; longer turns are split into sentences first
BATCH = 32
CACHE_SIZE = 20_000


@dataclass(frozen=True, slots=True)
class Outputs:
    """The model's outputs for a list of texts, row by row in the order given."""

    probabilities: np.ndarray  # shape (n, 39): 28 GoEmotions, 7 Ekman, 4 sentiment groups
    embeddings: np.ndarray  # shape (n, 384), L2-normalised


@dataclass(frozen=True, slots=True)
class Labels:
    """Label names and dev-tuned decision thresholds of each head."""

    names: dict[str, list[str]]  # taxonomy → labels, in output order
    thresholds: dict[str, list[float]]

    def columns(self, taxonomy: str) -> slice:
        """Where one taxonomy's probabilities sit in the output row."""
        start = 0
        for name, labels in self.names.items():
            if name == taxonomy:
                return slice(start, start + len(labels))
            start += len(labels)
        raise KeyError(taxonomy)


class Encoder:
    """Runs the ONNX graph over texts; thread-safe; caches results per distinct text."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        path = str(model_dir / "emotions.onnx")
        self._session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # the file pads to 128; we pad per batch instead
        self._tokenizer.enable_truncation(MAX_TOKENS)
        raw = json.loads((model_dir / "labels.json").read_text(encoding="utf-8"))
        self.labels = Labels(names=raw["labels"], thresholds=raw["thresholds"])
        self._cache: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, texts: list[str]) -> Outputs:
        """Probabilities and embeddings for every text (cached texts are not recomputed)."""
        with self._lock:  # read what is cached at once: another thread may evict it later
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        fresh = self._compute(missing) if missing else {}
        with self._lock:
            self._remember(fresh)
        rows = [known.get(t) or fresh[t] for t in texts]
        if not rows:
            return Outputs(np.zeros((0, 39), np.float32), np.zeros((0, 384), np.float32))
        return Outputs(np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows]))

    def _remember(self, fresh: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Keep the newest results, dropping the oldest beyond the cache size."""
        self._cache.update(fresh)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _compute(self, texts: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Run the graph in batches of similar token length."""
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n], mask[row, :n] = encodings[i].ids, 1
            probs, embeddings = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(batch):
                result[texts[i]] = (probs[row], embeddings[row])
        return result


@cache
def shared_encoder() -> Encoder:
    """One encoder per process: loading the graph takes about a second."""
    return Encoder()
