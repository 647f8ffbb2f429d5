"""The interview corpus under eval/corpus loads and is sound: a data check, not a model test."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[3] / "eval" / "interview_corpus.py"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("interview_corpus", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["interview_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_the_corpus_and_its_split_validate(corpus: ModuleType) -> None:
    interviews = corpus.load()
    assert corpus.validate(interviews, corpus.load_split()) == []


def test_validation_finds_a_span_that_is_not_in_the_text(corpus: ModuleType) -> None:
    interviews = json.loads(json.dumps(corpus.load()))
    turn = next(t for iv in interviews for t in iv["turns"] if t.get("played_down"))
    turn["concern"]["text"] += "x"
    problems = corpus.validate(interviews, corpus.load_split())
    assert any("concern" in p for p in problems)


def test_validation_finds_an_interview_in_two_splits(corpus: ModuleType) -> None:
    split = corpus.load_split()
    split["test"].append(split["train"][0])
    problems = corpus.validate(corpus.load(), split)
    assert any("in both train and test" in p for p in problems)


def test_validation_finds_labels_out_of_range_and_too_few_turns(corpus: ModuleType) -> None:
    interviews = corpus.load()[:5]
    interviews[0]["turns"][1]["feeling"] = "angry"
    problems = corpus.validate(interviews, corpus.load_split())
    assert any("feeling 'angry'" in p for p in problems)
    assert any("customer_turns" in p for p in problems)


def test_the_recorded_split_is_the_seeded_split(corpus: ModuleType) -> None:
    assert corpus.make_split(corpus.load()) == corpus.load_split()


def test_second_pass_covers_the_sample_sizes(corpus: ModuleType) -> None:
    agreement = corpus.agreement(corpus.load())
    assert agreement["feeling"][0] >= 150
    assert agreement["leading"][0] >= 80


def test_the_report_sets_the_trained_heads_beside_the_rules_and_baselines(
    corpus: ModuleType,
) -> None:
    interviews = corpus.load()
    dev = corpus.load_split()["dev"][0]
    subset = [iv for iv in interviews if iv["id"] == dev]
    lines: list[str] = []
    systems = {
        "product": corpus.product(subset),
        "rules only (before)": corpus.rules_only(subset),
        "baseline": corpus.baselines(subset),
    }
    corpus.report(subset, systems, lines.append)
    text = "\n".join(lines)
    assert "Played down" in text
    for name in systems:
        assert sum(line.strip().startswith(name) for line in lines) >= 3, name
    keys = set(systems["baseline"].played_down)
    assert (
        set(systems["product"].played_down) == keys == set(systems["rules only (before)"].feeling)
    )
