"""Fine-tune the top of all-MiniLM-L6-v2 on GoEmotions (train), pick thresholds on dev.

Usage: python training/emotions/train.py /work/shared/data --out build/emotions

Reproducible: fixed seed, fixed length-sorted batches, single-threaded data order. Never reads the
test split. Writes ``tuned.pt`` (trainable weights only), ``thresholds.json`` and ``dev.json``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
import torch
from common import (
    TAXONOMIES,
    encoder_dir,
    macro_f1,
    predict,
    read_split,
    save_json,
    tune_thresholds,
)
from model import SIZES, EmotionNet
from tokenizers import Tokenizer


def batches(tokenizer: Tokenizer, texts: list[str], size: int, max_len: int) -> list[list[int]]:
    """Indices grouped into batches of similar length (less padding, same batches every run)."""
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
    order = sorted(range(len(texts)), key=lambda i: (min(lengths[i], max_len), i))
    return [order[i : i + size] for i in range(0, len(order), size)]


def encode(tokenizer: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask, padded to the longest text of the batch."""
    encodings = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encodings])
    mask = torch.tensor([e.attention_mask for e in encodings])
    return ids, mask


def load_tokenizer(max_len: int) -> Tokenizer:
    """The encoder's own fast tokenizer, truncating and padding per batch."""
    tokenizer = Tokenizer.from_file(str(encoder_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(max_len)
    tokenizer.enable_padding()
    return tokenizer


def cache_lower(net: EmotionNet, tokenizer: Tokenizer, texts: list[str], plan: list[list[int]]):
    """Frozen-layer states per batch, computed once (the top layers are all that train)."""
    cached = []
    with torch.no_grad():
        for batch in plan:
            ids, mask = encode(tokenizer, [texts[i] for i in batch])
            cached.append((net.lower_states(ids, mask).to(torch.float16), mask))
    return cached


def targets(data: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and the three taxonomies' label matrices side by side."""
    texts, first = read_split(data, TAXONOMIES[0], split)
    others = [read_split(data, t, split)[1] for t in TAXONOMIES[1:]]
    return texts, np.concatenate([first, *others], axis=1)


def probabilities(net: EmotionNet, cached) -> np.ndarray:
    """Sigmoid outputs for cached batches, in batch order."""
    net.eval()
    with torch.no_grad():
        out = [torch.sigmoid(net.emotion_logits(h.float(), m)).numpy() for h, m in cached]
    return np.concatenate(out)


def evaluate(gold: np.ndarray, probs: np.ndarray) -> dict[str, object]:
    """Per-taxonomy thresholds tuned on this split, and the macro-F1 they give."""
    result, start = {}, 0
    for name, size in zip(TAXONOMIES, SIZES, strict=True):
        g, p = gold[:, start : start + size], probs[:, start : start + size]
        thresholds = tune_thresholds(g, p)
        result[name] = {
            "macro_f1_at_0.5": macro_f1(g, predict(p, [0.5] * size))[0],
            "macro_f1_tuned": macro_f1(g, predict(p, thresholds))[0],
            "thresholds": thresholds,
        }
        start += size
    return result


def train(args: argparse.Namespace) -> None:
    """Run the fine-tuning and write the artefacts."""
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    tokenizer = load_tokenizer(args.max_len)
    net = EmotionNet(str(encoder_dir()), args.tuned_layers)
    train_texts, train_gold = targets(args.data, "train")
    dev_texts, dev_gold = targets(args.data, "dev")
    if args.limit:
        train_texts, train_gold = train_texts[: args.limit], train_gold[: args.limit]
    train_plan = batches(tokenizer, train_texts, args.batch, args.max_len)
    dev_plan = batches(tokenizer, dev_texts, 128, args.max_len)
    started = time.perf_counter()
    train_cache = cache_lower(net, tokenizer, train_texts, train_plan)
    dev_cache = cache_lower(net, tokenizer, dev_texts, dev_plan)
    dev_order = [i for b in dev_plan for i in b]
    print(f"cached lower layers in {time.perf_counter() - started:.0f}s", flush=True)
    params = [
        {"params": net.tuned_top.parameters(), "lr": args.lr},
        {"params": net.heads.parameters(), "lr": args.head_lr},
    ]
    optimizer = torch.optim.AdamW(params, weight_decay=0.01)
    steps = args.epochs * len(train_plan)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / max(1, steps // 10)) * max(0.0, 1 - s / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    best, history = -1.0, []
    for epoch in range(args.epochs):
        net.train()
        order = list(range(len(train_plan)))
        random.Random(args.seed + epoch).shuffle(order)
        for step, b in enumerate(order):
            hidden, mask = train_cache[b]
            gold = torch.from_numpy(train_gold[train_plan[b]])
            loss = loss_fn(net.emotion_logits(hidden.float(), mask), gold)
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            if step % 200 == 0:
                elapsed = time.perf_counter() - started
                print(
                    f"epoch {epoch} step {step}/{len(order)} loss {loss.item():.4f} {elapsed:.0f}s",
                    flush=True,
                )
        probs = probabilities(net, dev_cache)
        gold_dev = dev_gold[dev_order]
        scores = evaluate(gold_dev, probs)
        history.append(
            {k: {m: v for m, v in s.items() if m != "thresholds"} for k, s in scores.items()}
        )
        print(f"epoch {epoch} dev {history[-1]}", flush=True)
        if scores["original"]["macro_f1_tuned"] > best:
            best = scores["original"]["macro_f1_tuned"]
            trainable = {
                k: v for k, v in net.state_dict().items() if k.startswith(("tuned_top", "heads"))
            }
            torch.save(trainable, args.out / "tuned.pt")
            save_json(args.out / "thresholds.json", {k: s["thresholds"] for k, s in scores.items()})
    save_json(
        args.out / "dev.json",
        {"args": {k: str(v) for k, v in vars(args).items()}, "epochs": history},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the shared data folder (holds goemotions/)")
    parser.add_argument("--out", type=Path, default=Path("build/emotions"))
    parser.add_argument("--tuned-layers", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--head-lr", type=float, default=2e-3)
    parser.add_argument("--max-len", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--limit", type=int, default=0, help="train on the first N rows (smoke runs)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    train(args)


if __name__ == "__main__":
    main()
