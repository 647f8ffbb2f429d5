"""Score interview insight on our own annotated interview corpus, beside trivial baselines.

The corpus (``eval/corpus/``, see its README) is 50 customer-research interviews written and
labelled for this project. Each customer turn is labelled with its feeling, whether a concern
was played down (with the concern and dismissal spans), its journey stage and touchpoint; each
interviewer question with its form (open / closed) and the leading, double-barrelled and
hypothetical flags. The split into train / dev / test is by interview and fixed
(``eval/corpus/split.json``, seed 14).

What is scored, on one split (default ``dev``; ``--split test`` only for the final report):

- **today's product**, through the public APIs: ``journeyscope.interviews.analyze_transcript``
  (with the interview's journey stages) gives, per customer turn, the played-down flag
  (``annotation.minimized``) and the feeling (``annotation.sentiment``), both from the trained
  heads of ``journeyscope.nlp.turn_heads`` reading the turn with its question and previous
  answer, and the stage tag; per
  interviewer turn, ``journeyscope.nlp.classify_question`` gives the kind, and
  ``journeyscope.nlp.questions.question_form`` the form it starts from;
- **rules only (before)**: the product before the trained heads (the ``minimization`` rules and
  the emotion model's valence), for comparison;
- **trivial baselines**, defined here and not tuned on any split: a hedge-word list for played
  down (:data:`HEDGES`), VADER for feeling (compound ≥ 0.05 positive, ≤ -0.05 negative), and word
  overlap with the stage names, descriptions and touchpoint names for stage (:func:`overlap_stage`).

``--validate`` only checks the corpus (the unit test does the same). Usage::

    .venv/bin/python eval/interview_corpus.py            # dev split, ~30 s on 2 cores
    .venv/bin/python eval/interview_corpus.py --split train
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).parent / "corpus"
CORPUS = CORPUS_DIR / "interviews.jsonl"
SPLIT = CORPUS_DIR / "split.json"
SECOND_PASS = CORPUS_DIR / "second_pass.jsonl"
SEED = 14
FEELINGS = ("negative", "neutral", "positive")
FORMS = ("open", "closed")
FLAGS = ("leading", "double_barrelled", "hypothetical")
MINIMUMS = {"interviews": 40, "industries": 8, "customer_turns": 600, "questions": 300}

# Played-down baseline: a turn is flagged when it holds any of these hedges or dismissals.
# Written from general knowledge of hedging (Lakoff 1973; Quirk et al.'s downtoners) and common
# dismissals, before looking at any corpus split; never tuned.
HEDGES = (
    "a bit",
    "a little",
    "kind of",
    "sort of",
    "kinda",
    "sorta",
    "slightly",
    "somewhat",
    "i guess",
    "i suppose",
    "it's fine",
    "it is fine",
    "that's fine",
    "whatever",
    "anyway",
    "no big deal",
    "not a big deal",
    "not a big problem",
    "no worries",
    "never mind",
    "doesn't matter",
    "could have been worse",
    "could've been worse",
    "can't complain",
    "oh well",
    "it is what it is",
    "my fault",
    "my own fault",
    "my mistake",
    "probably",
    "maybe",
    "only",
    "just",
)
_HEDGE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_STOP_WORDS = (
    "a an the and or of to in on at for with by from is are was were be been it its this that "
    "you your i me my we our they their he she his her as so but if not no do does did have has "
    "had what when how who which about up out over into than then there here all any some"
)
_STOP = frozenset(_STOP_WORDS.split(" "))


# ---------------------------------------------------------------------------------------------
# Loading and validating


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    """The interviews of the corpus, one dict per JSONL line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_split(path: Path = SPLIT) -> dict[str, list[str]]:
    """Interview ids per split: ``{"train": [...], "dev": [...], "test": [...]}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: list(data[name]) for name in ("train", "dev", "test")}


def make_split(interviews: Sequence[dict[str, Any]], seed: int = SEED) -> dict[str, list[str]]:
    """60/20/20 by interview, stratified by industry: shuffled within each industry, then dealt
    round the pattern train, train, train, dev, test over the industries in turn."""
    rng = random.Random(seed)
    by_industry: dict[str, list[str]] = defaultdict(list)
    for interview in interviews:
        by_industry[interview["industry"]].append(interview["id"])
    ordered: list[str] = []
    for industry in sorted(by_industry):
        ids = sorted(by_industry[industry])
        rng.shuffle(ids)
        ordered += ids
    pattern = ("train", "train", "train", "dev", "test")
    split: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for i, interview_id in enumerate(ordered):
        split[pattern[i % len(pattern)]].append(interview_id)
    return {name: sorted(ids) for name, ids in split.items()}


def validate(interviews: Sequence[dict[str, Any]], split: dict[str, list[str]]) -> list[str]:
    """Every problem found in the corpus and its split (empty when it is sound)."""
    problems: list[str] = []
    ids = [iv["id"] for iv in interviews]
    if len(ids) != len(set(ids)):
        problems.append("duplicate interview ids")
    for iv in interviews:
        problems += _validate_interview(iv)
    customers = [t for iv in interviews for t in iv["turns"] if t["role"] == "customer"]
    questions = [t for iv in interviews for t in iv["turns"] if _is_question(t)]
    sizes = {
        "interviews": len(interviews),
        "industries": len({iv["industry"] for iv in interviews}),
        "customer_turns": len(customers),
        "questions": len(questions),
    }
    for name, minimum in MINIMUMS.items():
        if sizes[name] < minimum:
            problems.append(f"only {sizes[name]} {name}, at least {minimum} wanted")
    stages = {t["stage"] for t in customers}
    if not {"discover", "choose", "start", "use", "support", "renew"} <= stages:
        problems.append(f"not every journey stage is covered: {sorted(stages)}")
    seen: dict[str, str] = {}
    for name, members in split.items():
        for interview_id in members:
            if interview_id in seen:
                problems.append(f"{interview_id} is in both {seen[interview_id]} and {name}")
            seen[interview_id] = name
    if set(seen) != set(ids):
        problems.append(f"split and corpus differ: {sorted(set(seen) ^ set(ids))}")
    return problems


def _validate_interview(iv: dict[str, Any]) -> list[str]:
    where = iv.get("id", "?")
    problems = [
        f"{where}: no {k}" for k in ("id", "industry", "register", "stages") if not iv.get(k)
    ]
    stage_keys = {s["key"] for s in iv.get("stages", [])}
    touchpoints = {t["key"] for s in iv.get("stages", []) for t in s["touchpoints"]}
    for n, turn in enumerate(iv["turns"]):
        at = f"{where} turn {n}"
        if turn.get("position") != n:
            problems.append(f"{at}: position {turn.get('position')} should be {n}")
        if not turn.get("text", "").strip():
            problems.append(f"{at}: empty text")
        if turn.get("stage") not in stage_keys:
            problems.append(f"{at}: stage {turn.get('stage')!r} is not one of {sorted(stage_keys)}")
        if turn["role"] == "customer":
            problems += _validate_customer(turn, at, touchpoints)
        elif turn["role"] == "interviewer":
            problems += _validate_question(turn.get("question"), at)
        else:
            problems.append(f"{at}: role {turn['role']!r}")
    return problems


def _validate_customer(turn: dict[str, Any], at: str, touchpoints: set[str]) -> list[str]:
    problems = []
    if turn.get("feeling") not in FEELINGS:
        problems.append(f"{at}: feeling {turn.get('feeling')!r}")
    if not isinstance(turn.get("played_down"), bool):
        problems.append(f"{at}: played_down must be true or false")
    if turn.get("touchpoint") is not None and turn["touchpoint"] not in touchpoints:
        problems.append(f"{at}: touchpoint {turn['touchpoint']!r} is not in the journey")
    if not isinstance(turn.get("stage_from_question"), bool):
        problems.append(f"{at}: stage_from_question must be true or false")
    spans = [turn.get("concern"), turn.get("dismissal")]
    if turn.get("played_down"):
        if turn["feeling"] != "negative":
            problems.append(f"{at}: a played-down turn's feeling is negative")
        for name, span in zip(("concern", "dismissal"), spans, strict=True):
            if not span:
                problems.append(f"{at}: played down without a {name} span")
            elif turn["text"][span["start"] : span["end"]] != span["text"]:
                problems.append(f"{at}: {name} {span['text']!r} is not at {span['start']}")
    elif any(spans):
        problems.append(f"{at}: spans on a turn that is not played down")
    return problems


def _validate_question(question: dict[str, Any] | None, at: str) -> list[str]:
    if question is None:
        return []
    problems = []
    if question.get("form") not in FORMS:
        problems.append(f"{at}: form {question.get('form')!r}")
    problems += [
        f"{at}: {f} must be true or false" for f in FLAGS if not isinstance(question.get(f), bool)
    ]
    return problems


def _is_question(turn: dict[str, Any]) -> bool:
    return turn["role"] == "interviewer" and turn.get("question") is not None


# ---------------------------------------------------------------------------------------------
# Predictions


@dataclass
class Predictions:
    """One system's labels for the turns of a split, keyed by (interview id, position)."""

    played_down: dict[tuple[str, int], bool] = field(default_factory=dict)
    feeling: dict[tuple[str, int], str] = field(default_factory=dict)
    stage: dict[tuple[str, int], str | None] = field(default_factory=dict)
    touchpoint: dict[tuple[str, int], str | None] = field(default_factory=dict)
    form: dict[tuple[str, int], str] = field(default_factory=dict)
    flags: dict[tuple[str, int], set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Touchpoint:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class _Stage:
    key: str
    name: str
    description: str
    customer_actions: tuple[str, ...]
    touchpoints: tuple[_Touchpoint, ...]


@dataclass(frozen=True)
class _Journey:
    stages: tuple[_Stage, ...]


def journey_of(interview: dict[str, Any]) -> _Journey:
    """The interview's journey stages in the shape ``analyze_transcript`` reads."""
    return _Journey(
        tuple(
            _Stage(
                s["key"],
                s["name"],
                s["description"],
                tuple(s["customer_actions"]),
                tuple(_Touchpoint(t["key"], t["name"], t["description"]) for t in s["touchpoints"]),
            )
            for s in interview["stages"]
        )
    )


def product(interviews: Iterable[dict[str, Any]]) -> Predictions:
    """What today's product says, through its public APIs."""
    from journeyscope.interviews import Format, Role, Transcript, Utterance, analyze_transcript
    from journeyscope.nlp import QuestionKind, classify_question
    from journeyscope.nlp.questions import question_form

    flag_kinds = {
        QuestionKind.LEADING: "leading",
        QuestionKind.DOUBLE_BARRELLED: "double_barrelled",
        QuestionKind.HYPOTHETICAL: "hypothetical",
    }
    out = Predictions()
    for iv in interviews:
        utterances = tuple(
            Utterance(
                speaker="Interviewer" if t["role"] == "interviewer" else "Customer",
                text=t["text"],
                role=Role.INTERVIEWER if t["role"] == "interviewer" else Role.CUSTOMER,
            )
            for t in iv["turns"]
        )
        analysis = analyze_transcript(Transcript(Format.PLAIN, utterances), journey=journey_of(iv))
        for turn, result in zip(iv["turns"], analysis.utterances, strict=True):
            key = (iv["id"], turn["position"])
            if turn["role"] == "customer":
                assert result.annotation is not None
                out.played_down[key] = result.annotation.minimized
                out.feeling[key] = str(result.annotation.sentiment)
                out.stage[key] = result.stage.stage if result.stage else None
                out.touchpoint[key] = result.stage.touchpoint if result.stage else None
            elif _is_question(turn):
                kind = classify_question(turn["text"]).kind
                form = question_form(turn["text"])
                out.form[key] = str(form) if str(form) in FORMS else "not_a_question"
                out.flags[key] = {flag_kinds[kind]} if kind in flag_kinds else set()
    return out


def rules_only(interviews: Iterable[dict[str, Any]]) -> Predictions:
    """The product before the trained heads (kept for comparison): played down by the rules of
    ``nlp.minimization`` (with the emotion model's negative score as the hint) and feeling from
    the emotion model's valence (negative when played down)."""
    from journeyscope.nlp import find_minimization, shared_encoder
    from journeyscope.nlp.emotions import negative_probability, sentiment_of, valence

    model = shared_encoder()
    out = Predictions()
    for iv in interviews:
        customers = [t for t in iv["turns"] if t["role"] == "customer"]
        rows = model.run([t["text"] for t in customers]).probabilities
        for turn, row in zip(customers, rows, strict=True):
            key = (iv["id"], turn["position"])
            found = find_minimization(
                turn["text"], negative_hint=negative_probability(row, model.labels)
            )
            out.played_down[key] = found is not None
            value = valence(row, model.labels)
            out.feeling[key] = "negative" if found else str(sentiment_of(value))
    return out


def baselines(interviews: Iterable[dict[str, Any]]) -> Predictions:
    """Hedge list, VADER and word overlap: the trivial baselines."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    out = Predictions()
    for iv in interviews:
        previous: str | None = None
        question = ""
        for turn in iv["turns"]:
            if turn["role"] == "interviewer":
                question = turn["text"]
                continue
            key = (iv["id"], turn["position"])
            out.played_down[key] = bool(_HEDGE.search(turn["text"]))
            compound = vader.polarity_scores(turn["text"])["compound"]
            out.feeling[key] = (
                "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
            )
            previous = overlap_stage(iv["stages"], question + " " + turn["text"], previous)
            out.stage[key] = previous
    return out


def overlap_stage(stages: Sequence[dict[str, Any]], text: str, previous: str | None) -> str:
    """The stage sharing most content words with the text (the question before + the turn),
    comparing with each stage's name, description and touchpoint names; on a tie at zero, the
    previous turn's stage (the first stage at the start)."""
    words = _content(text)
    best, best_score = previous or stages[0]["key"], 0
    for stage in stages:
        profile = " ".join(
            [stage["name"], stage["description"]] + [t["name"] for t in stage["touchpoints"]]
        )
        score = len(words & _content(profile))
        if score > best_score:
            best, best_score = stage["key"], score
    return best


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# ---------------------------------------------------------------------------------------------
# Metrics


def prf(gold: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class (0 where undefined)."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro_f1(gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]) -> float:
    """Mean F1 over the labels."""
    scores = [prf([g == x for g in gold], [p == x for p in predicted])[2] for x in labels]
    return sum(scores) / len(scores)


def accuracy(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Share of items predicted exactly (0 for no items)."""
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def cohen_kappa(first: Sequence[Any], second: Sequence[Any]) -> float:
    """Cohen's kappa between two labellings of the same items."""
    n = len(first)
    observed = accuracy(first, second)
    a, b = Counter(first), Counter(second)
    expected = sum(a[x] * b[x] for x in set(a) | set(b)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(
    interviews: Sequence[dict[str, Any]], path: Path = SECOND_PASS
) -> dict[str, tuple[int, float, float]]:
    """Per label: items, raw agreement and Cohen's kappa between the corpus and the second pass.

    Interviewer turns count for ``form`` with a third value, ``not_a_question``; the flags count
    on turns both passes call a question."""
    turns = {(iv["id"], t["position"]): t for iv in interviews for t in iv["turns"]}
    pairs: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            second = json.loads(line)
            first = turns[(second["interview"], second["position"])]
            if second["role"] == "customer":
                for label in ("feeling", "played_down", "stage", "stage_from_question"):
                    pairs[label].append((first[label], second[label]))
                continue
            question = first.get("question")
            pairs["form"].append(
                (question["form"] if question else "not_a_question", second["form"])
            )
            if question and second["form"] != "not_a_question":
                for flag in FLAGS:
                    pairs[flag].append((question[flag], second[flag]))
    out = {}
    for label, items in pairs.items():
        a, b = zip(*items, strict=True)
        out[label] = (len(items), accuracy(a, b), cohen_kappa(a, b))
    return out


def report(
    interviews: Sequence[dict[str, Any]],
    systems: dict[str, Predictions],
    say: Callable[[str], None],
) -> None:
    """Print every metric for every system beside each other."""
    customers = [(iv["id"], t) for iv in interviews for t in iv["turns"] if t["role"] == "customer"]
    questions = [(iv["id"], t) for iv in interviews for t in iv["turns"] if _is_question(t)]
    keys = [(i, t["position"]) for i, t in customers]
    sizes = f"{len(customers)} customer turns, {len(questions)} questions"
    say(f"{len(interviews)} interviews, {sizes}\n")

    gold_pd = [t["played_down"] for _, t in customers]
    say(f"Played down ({sum(gold_pd)} of {len(gold_pd)} turns): precision / recall / F1")
    for name, p in systems.items():
        if p.played_down:
            pr, rc, f1 = prf(gold_pd, [p.played_down[k] for k in keys])
            say(f"  {name:<22} {pr:.3f} / {rc:.3f} / {f1:.3f}")

    gold_feel = [t["feeling"] for _, t in customers]
    say(f"\nFeeling {dict(Counter(gold_feel))}: macro-F1, accuracy, F1 per class (neg / neu / pos)")
    for name, p in systems.items():
        if p.feeling:
            pred = [p.feeling[k] for k in keys]
            per = [prf([g == x for g in gold_feel], [q == x for q in pred])[2] for x in FEELINGS]
            say(
                f"  {name:<22} {macro_f1(gold_feel, pred, FEELINGS):.3f}"
                f"   {accuracy(gold_feel, pred):.3f}"
                f"   {per[0]:.3f} / {per[1]:.3f} / {per[2]:.3f}"
            )
    pd_keys = [k for k, (_, t) in zip(keys, customers, strict=True) if t["played_down"]]
    for name, p in systems.items():
        if p.feeling and pd_keys:
            neg = sum(p.feeling[k] == "negative" for k in pd_keys)
            say(f"  {name:<22} played-down turns read as negative: {neg} / {len(pd_keys)}")

    _report_stages(customers, systems, say)
    _report_questions(questions, systems, say)


def _report_stages(
    customers: list[tuple[str, dict[str, Any]]],
    systems: dict[str, Predictions],
    say: Callable[[str], None],
) -> None:
    keys = [(i, t["position"]) for i, t in customers]
    gold_stage = [t["stage"] for _, t in customers]
    ctx = [t["stage_from_question"] for _, t in customers]
    say("\nStage: accuracy (untagged counts as wrong), coverage, accuracy on short answers")
    for name, p in systems.items():
        if p.stage:
            pred_stage = [p.stage[k] for k in keys]
            tagged = sum(s is not None for s in pred_stage)
            short_g = [g for g, c in zip(gold_stage, ctx, strict=True) if c]
            short_p = [s for s, c in zip(pred_stage, ctx, strict=True) if c]
            say(
                f"  {name:<22} {accuracy(gold_stage, pred_stage):.3f}   {tagged / len(keys):.3f}"
                f"   {accuracy(short_g, short_p):.3f} ({len(short_g)} short)"
            )
    named = [
        (k, t["touchpoint"]) for k, (_, t) in zip(keys, customers, strict=True) if t["touchpoint"]
    ]
    for name, p in systems.items():
        if p.touchpoint:
            found = sum(p.touchpoint[k] == tp for k, tp in named)
            extra = sum(
                p.touchpoint[k] is not None
                for k, (_, t) in zip(keys, customers, strict=True)
                if not t["touchpoint"]
            )
            say(
                f"  {name:<22} touchpoint recall {found} / {len(named)}, tagged where none: {extra}"
            )


def _report_questions(
    questions: list[tuple[str, dict[str, Any]]],
    systems: dict[str, Predictions],
    say: Callable[[str], None],
) -> None:
    qkeys = [(i, t["position"]) for i, t in questions]
    gold_form = [t["question"]["form"] for _, t in questions]
    say(f"\nQuestions {dict(Counter(gold_form))}: form accuracy; per flag precision / recall (n)")
    for name, p in systems.items():
        if not p.form:
            continue
        say(f"  {name:<22} form {accuracy(gold_form, [p.form[k] for k in qkeys]):.3f}")
        for flag in FLAGS:
            gold = [t["question"][flag] for _, t in questions]
            pr, rc, _ = prf(gold, [flag in p.flags[k] for k in qkeys])
            say(f"  {'':<22} {flag:<17} {pr:.3f} / {rc:.3f} ({sum(gold)})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=("train", "dev", "test", "all"), default="dev")
    parser.add_argument("--validate", action="store_true", help="only check the corpus")
    parser.add_argument("--agreement", action="store_true", help="kappa against the second pass")
    parser.add_argument("--make-split", action="store_true", help="write split.json (once)")
    args = parser.parse_args(argv)
    interviews = load()
    if args.make_split:
        if SPLIT.exists():
            print(f"{SPLIT} exists: the split is made once and never redrawn", file=sys.stderr)
            return 1
        split = make_split(interviews)
        SPLIT.write_text(json.dumps({"seed": SEED, **split}, indent=2) + "\n", encoding="utf-8")
        print({k: len(v) for k, v in split.items()})
        return 0
    split = load_split()
    problems = validate(interviews, split)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or args.validate:
        return 1 if problems else 0
    if args.agreement:
        for label, (n, agree, kappa) in agreement(interviews).items():
            print(f"{label:<20} n={n:<4} agreement {agree:.3f}  kappa {kappa:.3f}")
        return 0
    chosen = set(chain(*split.values())) if args.split == "all" else set(split[args.split])
    subset = [iv for iv in interviews if iv["id"] in chosen]
    print(f"Split: {args.split}")
    systems = {
        "product": product(subset),
        "rules only (before)": rules_only(subset),
        "baseline": baselines(subset),
    }
    report(subset, systems, print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
