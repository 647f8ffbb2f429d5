"""Themes across interviews: similar quotes cluster, single quotes do not make a theme."""

from journeyscope.interviews.analysis_models import Finding, FindingKind, Quote
from journeyscope.interviews.themes import find_themes
from journeyscope.nlp import embed


def _finding(kind, stage, *texts, start=0):
    quotes = tuple(Quote(position=start + i, text=t) for i, t in enumerate(texts))
    return Finding(kind=kind, summary="s", quotes=quotes, stage=stage)


def test_similar_complaints_from_several_interviews_form_one_theme():
    findings = [
        ("i1", _finding(FindingKind.WEAKNESS, "purchase", "The invoice charged us twice.")),
        (
            "i2",
            _finding(FindingKind.WEAKNESS, "purchase", "We were billed two times for one month."),
        ),
        (
            "i3",
            _finding(FindingKind.WEAKNESS, "purchase", "There was a double charge on my invoice."),
        ),
        (
            "i1",
            _finding(
                FindingKind.STRENGTH, "use-30d", "My dog loves the park near the office.", start=5
            ),
        ),
        (
            "i2",
            _finding(
                FindingKind.OPPORTUNITY, "use-30d", "I wish reports could be scheduled.", start=7
            ),
        ),
        (
            "i3",
            _finding(
                FindingKind.OPPORTUNITY,
                "use-30d",
                "Scheduling the reports automatically would help.",
                start=9,
            ),
        ),
    ]
    themes = find_themes(findings, embed=embed)
    billing = next(
        t for t in themes if any("charge" in q.text or "billed" in q.text for q in t.quotes)
    )
    assert billing.interviews == 3 and billing.size == 3
    assert billing.kinds == {"weakness": 3}
    assert billing.stages == ("purchase",)
    assert all("dog" not in q.text for t in themes for q in t.quotes)
    assert billing.label


def test_fewer_than_two_quotes_give_no_themes():
    single = [("i1", _finding(FindingKind.WEAKNESS, None, "Slow."))]
    assert find_themes(single, embed=embed) == []
    assert find_themes([], embed=embed) == []
