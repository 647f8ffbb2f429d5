"""Export the trained emotion network to one ONNX graph, quantise it to int8, and check it.

Usage: python training/emotions/export.py /work/shared/data --trained build/emotions \
           --package src/journeyscope/nlp/model

The graph takes ``input_ids`` and ``attention_mask`` and returns ``probabilities`` (28 GoEmotions
labels, 7 Ekman groups, 4 sentiment groups, after the sigmoid) and ``embedding`` (the original
all-MiniLM-L6-v2 sentence embedding, L2-normalised). Dynamic int8 quantisation of the weights
(ONNX Runtime) halves the work per sentence; the dev-split F1 of the int8 graph is printed beside
the fp32 one so the drift is measured, not assumed. Writes ``emotions.onnx``, ``tokenizer.json``
and ``labels.json`` into the package folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from common import (
    TAXONOMIES,
    encoder_dir,
    label_names,
    macro_f1,
    predict,
    read_split,
    tune_thresholds,
)
from model import SIZES, EmotionNet
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from unsigned import unsign_matmul_weights


class Exported(torch.nn.Module):
    """Both outputs from one pass through the shared frozen layers."""

    def __init__(self, net: EmotionNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.net.lower_states(ids, mask)
        probs = torch.sigmoid(self.net.emotion_logits(hidden, mask))
        return probs, self.net.sentence_embedding(hidden, mask)


def export_fp32(trained: Path, target: Path) -> None:
    """Trace the network with dynamic batch and length into an fp32 ONNX file."""
    net = EmotionNet(str(encoder_dir()), tuned_layers=_tuned_layers(trained))
    net.load_state_dict(torch.load(trained / "tuned.pt"), strict=False)
    net.eval()
    ids = torch.ones((2, 12), dtype=torch.int64)
    torch.onnx.export(
        Exported(net),
        (ids, torch.ones_like(ids)),
        str(target),
        input_names=["input_ids", "attention_mask"],
        output_names=["probabilities", "embedding"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask")},
        opset_version=17,
        dynamo=False,
    )


def _tuned_layers(trained: Path) -> int:
    """How many top layers were fine-tuned, read from the saved weights' names."""
    names = torch.load(trained / "tuned.pt").keys()
    return len({n.split(".")[1] for n in names if n.startswith("tuned_top.")})


def _scores(probs: np.ndarray, data: Path, thresholds: dict[str, list[float]]) -> dict[str, float]:
    """Macro-F1 per taxonomy on dev, for dev probabilities at the given thresholds."""
    result, start = {}, 0
    for name, size in zip(TAXONOMIES, SIZES, strict=True):
        gold = read_split(data, name, "dev")[1]
        pred = predict(probs[:, start : start + size], thresholds[name])
        result[name] = round(macro_f1(gold, pred)[0], 4)
        start += size
    return result


def _retuned(probs: np.ndarray, data: Path) -> dict[str, list[float]]:
    """Thresholds tuned on dev for this graph's own outputs (int8 shifts probabilities a bit)."""
    found, start = {}, 0
    for name, size in zip(TAXONOMIES, SIZES, strict=True):
        gold = read_split(data, name, "dev")[1]
        found[name] = tune_thresholds(gold, probs[:, start : start + size])
        start += size
    return found


def _feeds(texts: list[str], batch: int) -> list[dict[str, np.ndarray]]:
    """Graph inputs for the texts, in batches padded to their longest text."""
    tokenizer = Tokenizer.from_file(str(encoder_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(128)
    tokenizer.enable_padding()
    feeds = []
    for i in range(0, len(texts), batch):
        enc = tokenizer.encode_batch(texts[i : i + batch])
        feeds.append(
            {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            }
        )
    return feeds


def _outputs(model: Path, feeds: list[dict[str, np.ndarray]], name: str) -> np.ndarray:
    """One output of the graph over all the batches, stacked."""
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    return np.concatenate([session.run([name], feed)[0] for feed in feeds])


def _embedding_drift(fp32: Path, int8: Path, data: Path) -> str:
    """Cosine between the fp32 and int8 sentence embeddings of 500 dev texts: mean and min."""
    feeds = _feeds(read_split(data, "original", "dev")[0][:500], 500)
    a, b = (_outputs(model, feeds, "embedding") for model in (fp32, int8))
    cosine = (a * b).sum(1)
    return f"mean {cosine.mean():.4f}, min {cosine.min():.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--trained", type=Path, default=Path("build/emotions"))
    parser.add_argument("--package", type=Path, default=Path("src/journeyscope/nlp/model"))
    args = parser.parse_args()
    args.package.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        export_fp32(args.trained, fp32)
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        quantized = onnx.load(str(int8))
        unsign_matmul_weights(quantized)  # exact on every x86 CPU (see unsigned.py)
        onnx.save(quantized, str(int8))
        trained = json.loads((args.trained / "thresholds.json").read_text())
        feeds = _feeds(read_split(args.data, "original", "dev")[0], 64)
        fp32_probs, int8_probs = (_outputs(m, feeds, "probabilities") for m in (fp32, int8))
        thresholds = _retuned(int8_probs, args.data)
        print("dev macro-F1 fp32, training thresholds:", _scores(fp32_probs, args.data, trained))
        print("dev macro-F1 int8, training thresholds:", _scores(int8_probs, args.data, trained))
        print("dev macro-F1 int8, re-tuned on dev:", _scores(int8_probs, args.data, thresholds))
        print("embedding cosine int8 vs fp32 (dev):", _embedding_drift(fp32, int8, args.data))
        shutil.copy(int8, args.package / "emotions.onnx")
    shutil.copy(encoder_dir() / "tokenizer.json", args.package / "tokenizer.json")
    labels = {t: label_names(args.data, t) for t in TAXONOMIES}
    (args.package / "labels.json").write_text(
        json.dumps({"labels": labels, "thresholds": thresholds}, indent=1) + "\n"
    )
    print("wrote", sorted(p.name for p in args.package.iterdir()))


if __name__ == "__main__":
    main()
