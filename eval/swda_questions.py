"""Question types on the Switchboard Dialog Act Corpus: our checker's form against SWBD-DAMSL.

Usage::

    .venv/bin/python eval/swda_questions.py /work/shared/data            # val and test
    .venv/bin/python eval/swda_questions.py /work/shared/data --split train

The data folder holds ``swda/{train,val,test}/*.txt`` (``Speaker|Utterance|Tag`` per line,
see its README). It is GPL-licensed evaluation data: read it where it lies, never copy it into
the repository. Tune rules on train and val only; the test split is for the final report.

Gold mapping (SWBD-DAMSL tag → our kind):

* closed: ``qy`` (yes/no), ``qy^d`` (declarative yes/no), ``^g`` (tag question), ``qrr``
  (or-clause);
* open: ``qw`` (wh-question), ``qw^d`` (declarative wh), ``qo`` (open question);
* not_a_question: everything else, including ``qh`` (rhetorical question: it asks for no
  answer) and ``bh``/``br`` (backchannels and non-understanding in question form).

Our side is :func:`journeyscope.nlp.questions.question_form`, the open/closed/not-a-question
form that :func:`journeyscope.nlp.classify_question` starts from. Leading, double-barrelled
and hypothetical are judgements about interview practice that SWBD-DAMSL does not annotate;
the script prints how often the checker raises each on the gold questions, for context only.
A known, deliberate mismatch: we call factual wh-questions (``where do you live?``) closed,
SWBD-DAMSL tags them ``qw``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from journeyscope.nlp import classify_question
from journeyscope.nlp.questions import question_form

CLASSES = ("open", "closed", "not_a_question")
GOLD = {
    "qy": "closed",
    "qy^d": "closed",
    "^g": "closed",
    "qrr": "closed",
    "qw": "open",
    "qw^d": "open",
    "qo": "open",
}
PUBLISHED = (
    "Published Switchboard dialog-act results, for context only (a different task: all 42",
    "SWBD-DAMSL acts, accuracy over every utterance, statistical models trained on the corpus):",
    "  Stolcke et al. 2000, Computational Linguistics 26(3):339-373, abstract: 71% accuracy on",
    "    word transcripts (65% on recognised words + prosody), chance 35%, human agreement 84%.",
    "  Raheja & Tetreault 2019 (CASA, NAACL), as listed on the NLP-progress dialogue-act",
    "    leaderboard: 82.9% accuracy.",
    "No published per-class F1 for this 3-way open/closed/not-a-question mapping is known to us,",
    "so there is nothing like-for-like to print beside ours.",
)


def say(line: str = "") -> None:
    """Write one line to standard output (ruff T20 forbids print outside the CLI)."""
    sys.stdout.write(line + "\n")


def read_split(data: Path, split: str) -> list[tuple[str, str]]:
    """(utterance, tag) pairs of one split, in file order."""
    folder = data / "swda" / split
    if not folder.is_dir():
        raise SystemExit(f"{folder} not found: pass the folder that holds swda/")
    pairs = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("|")
            if len(fields) == 3:
                pairs.append((fields[1], fields[2]))
    return pairs


def prf(gold: list[str], pred: list[str], label: str) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and support of one class."""
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    predicted = pred.count(label)
    support = gold.count(label)
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, support


def report(split: str, pairs: list[tuple[str, str]]) -> None:
    """Print per-class and macro scores, a confusion matrix and per-tag question recall."""
    gold = [GOLD.get(tag, "not_a_question") for _, tag in pairs]
    pred = [str(question_form(text)) for text, _ in pairs]
    say(f"== {split}: {len(pairs)} utterances ==")
    say(f"{'class':16} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    f1s = []
    for label in CLASSES:
        p, r, f1, n = prf(gold, pred, label)
        f1s.append(f1)
        say(f"{label:16} {p:6.3f} {r:6.3f} {f1:6.3f} {n:6d}")
    say(f"macro-F1 (3 classes)      {sum(f1s) / 3:.3f}")
    say(f"macro-F1 (open, closed)   {(f1s[0] + f1s[1]) / 2:.3f}")
    is_q = ["q" if g != "not_a_question" else "-" for g in gold]
    said_q = ["q" if p != "not_a_question" else "-" for p in pred]
    p, r, f1, n = prf(is_q, said_q, "q")
    say(f"is-a-question (binary)    P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  n {n}")
    confusion(gold, pred)
    per_tag(pairs, pred)
    flags(pairs)


def confusion(gold: list[str], pred: list[str]) -> None:
    """Rows: gold; columns: ours."""
    counts = Counter(zip(gold, pred, strict=True))
    say("confusion (rows gold, columns ours): " + " | ".join(CLASSES))
    for g in CLASSES:
        say(f"  {g:16}" + "".join(f"{counts[(g, p)]:>8}" for p in CLASSES))


def per_tag(pairs: list[tuple[str, str]], pred: list[str]) -> None:
    """For question-like tags with n >= 10: how our form spreads over them."""
    by_tag: dict[str, Counter[str]] = {}
    for (_, tag), p in zip(pairs, pred, strict=True):
        by_tag.setdefault(tag, Counter())[p] += 1
    say("per tag (n >= 10), ours open / closed / not:")
    for tag in ("qy", "qy^d", "qw", "qo", "qh", "qrr", "^g", "bh", "br"):
        counts = by_tag.get(tag, Counter())
        total = sum(counts.values())
        if total >= 10:
            shares = " / ".join(f"{counts[c] / total:.2f}" for c in CLASSES)
            say(f"  {tag:5} n={total:<5} {shares}")


def flags(pairs: list[tuple[str, str]]) -> None:
    """How often the full checker flags gold questions as leading/double/hypothetical."""
    kinds = Counter(str(classify_question(t).kind) for t, tag in pairs if tag in GOLD)
    total = sum(kinds.values())
    shown = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    say(f"checker kinds on the {total} gold questions (context only): {shown}")


def main(argv: list[str] | None = None) -> None:
    """Run the evaluation on the splits asked for (default: val and test)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder that holds swda/")
    parser.add_argument(
        "--split", action="append", choices=("train", "val", "test"), help="default: val, test"
    )
    args = parser.parse_args(argv)
    for split in args.split or ["val", "test"]:
        report(split, read_split(args.data, split))
        say()
    for line in PUBLISHED:
        say(line)


if __name__ == "__main__":
    main()
