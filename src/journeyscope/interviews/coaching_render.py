"""The coaching report as one HTML page, Markdown or JSON, for ``report ID --format``.

HTML is a single self-contained page (inline CSS, no scripts, nothing fetched from elsewhere)
so it can be mailed or archived as it is; Jinja2 autoescaping escapes every transcript word.
Markdown escapes markup characters so a quote cannot turn into a link or raw HTML. JSON has
fixed keys in a fixed order. Pure: no store, no web.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import jinja2

from journeyscope.errors import InvalidInput
from journeyscope.interviews.coaching import (
    TALK_TIME_AIM,
    CoachingReport,
    MissedProbe,
    TalkTime,
    TalkTimeBasis,
)

ReportFormat = Literal["html", "md", "json"]
FORMATS: tuple[ReportFormat, ...] = ("html", "md", "json")

KIND_LABELS = {
    "open": "Open",
    "closed": "Closed",
    "leading": "Leading",
    "double_barrelled": "Double-barrelled",
    "hypothetical": "Hypothetical",
}

_AIM = f"{round(TALK_TIME_AIM[0] * 100)}\u2013{round(TALK_TIME_AIM[1] * 100)}%"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")


def render_coaching_report(report: CoachingReport, fmt: ReportFormat) -> str:
    """Render ``report`` as ``"html"``, ``"md"`` or ``"json"``.

    Raises:
        InvalidInput: ``fmt`` is none of those.
    """
    data = coaching_report_dict(report)
    talk = _talk_sentence(report.talk_time)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return _markdown(data, talk)
    if fmt == "html":
        return _PAGE.render(report=data, kinds=KIND_LABELS, talk=talk, aim=_AIM, turns="")
    raise InvalidInput(
        f"Unknown report format {fmt!r}.", field="format", hint=f"Use one of {', '.join(FORMATS)}."
    )


def render_coaching_fragment(report: CoachingReport, *, turns: str) -> str:
    """The HTML report's content without its page, for a page of the signed-in web UI.

    The same template as the ``"html"`` page (written once); each turn number links to
    ``{turns}#turn-N``, the transcript's anchor. Escaped by Jinja2's autoescaping, so the
    result may be put into a page as it is.
    """
    data = coaching_report_dict(report)
    talk = _talk_sentence(report.talk_time)
    return _FRAGMENT.render(report=data, kinds=KIND_LABELS, talk=talk, aim=_AIM, turns=turns)


def coaching_report_dict(report: CoachingReport) -> dict[str, Any]:
    """The report as JSON-ready data with fixed keys (shares rounded to 4 places)."""
    return {
        "talk_time": _talk_dict(report.talk_time),
        "questions": [
            {"position": q.position, "kind": q.kind.value, "text": q.text} for q in report.questions
        ],
        "question_mix": [
            {"kind": s.kind.value, "count": s.count, "share": round(s.share, 4)}
            for s in report.question_mix
        ],
        "missed_probes": [_probe_dict(m) for m in report.missed_probes],
        "guide_stages": list(report.guide_stages),
        "uncovered_stages": list(report.uncovered_stages),
        "advice": list(report.advice),
    }


def _talk_dict(talk: TalkTime | None) -> dict[str, Any] | None:
    if talk is None:
        return None
    return {
        "interviewer_share": round(talk.interviewer_share, 4),
        "basis": talk.basis.value,
        "interviewer": talk.interviewer,
        "customer": talk.customer,
    }


def _probe_dict(missed: MissedProbe) -> dict[str, Any]:
    return {
        "position": missed.position,
        "quote": missed.quote,
        "emotion": missed.emotion,
        "intensity": round(missed.intensity, 4),
        "minimized": missed.minimized,
        "dismissal": missed.dismissal,
        "next_position": missed.next_position,
        "next_question": missed.next_question,
        "follow_ups": list(missed.follow_ups),
    }


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _talk_sentence(talk: TalkTime | None) -> str:
    """E.g. "You spoke 20% of the time (25 s of 125 s)."; words when there were no times."""
    if talk is None:
        return "Talk time could not be measured: no speaker has a known role yet."
    total = talk.interviewer + talk.customer
    if talk.basis is TalkTimeBasis.DURATION:
        amounts = f"{talk.interviewer:.0f} s of {total:.0f} s"
        return f"You spoke {_percent(talk.interviewer_share)} of the time ({amounts})."
    amounts = f"{talk.interviewer:.0f} of {total:.0f} words; the transcript has no times"
    return f"You spoke {_percent(talk.interviewer_share)} of the words ({amounts})."


def _why(probe: dict[str, Any]) -> str:
    """Why a moment needed a follow-up, e.g. "played down" or "frustration 0.70"."""
    reasons = []
    if probe["minimized"]:
        reasons.append("played down")
    if probe["emotion"]:
        reasons.append(f"{probe['emotion']} {probe['intensity']:.2f}")
    return ", ".join(reasons)


def _md(text: object) -> str:
    """One line of Markdown-safe text: whitespace collapsed, markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _markdown(data: dict[str, Any], talk: str) -> str:
    lines = ["# Interviewer coaching report", "", "## Advice", ""]
    lines += [f"- {_md(line)}" for line in data["advice"]]
    lines += ["", "## Talk time", "", _md(talk), ""]
    lines += _md_questions(data)
    lines += _md_probes(data["missed_probes"])
    lines += _md_stages(data)
    return "\n".join(lines).rstrip() + "\n"


def _md_questions(data: dict[str, Any]) -> list[str]:
    lines = [f"## Questions ({len(data['questions'])})", "", "| Kind | Count | Share |"]
    lines.append("| --- | ---: | ---: |")
    for share in data["question_mix"]:
        label = KIND_LABELS[share["kind"]]
        lines.append(f"| {label} | {share['count']} | {_percent(share['share'])} |")
    lines.append("")
    for q in data["questions"]:
        lines.append(f"- #{q['position']} *{KIND_LABELS[q['kind']]}*: {_md(q['text'])}")
    return [*lines, ""] if data["questions"] else lines


def _md_probes(probes: list[dict[str, Any]]) -> list[str]:
    lines = [f"## Missed probes ({len(probes)})", ""]
    if not probes:
        return [*lines, "None: every strong or played-down feeling was followed up.", ""]
    for probe in probes:
        lines += [
            f"### #{probe['position']}: {_md(_why(probe))}",
            "",
            f"> {_md(probe['quote'])}",
            "",
        ]
        if probe["dismissal"]:
            lines += [f"Played down with: \u201c{_md(probe['dismissal'])}\u201d", ""]
        lines += [f"You asked next (#{probe['next_position']}): {_md(probe['next_question'])}", ""]
        if probe["follow_ups"]:
            lines += ["Try instead:", "", *(f"- {_md(f)}" for f in probe["follow_ups"]), ""]
    return lines


def _md_stages(data: dict[str, Any]) -> list[str]:
    if not data["guide_stages"]:
        return ["## Guide coverage", "", "No guide stages were given.", ""]
    uncovered = data["uncovered_stages"]
    covered = [s for s in data["guide_stages"] if s not in uncovered]
    return [
        "## Guide coverage",
        "",
        f"- Covered: {_md(', '.join(covered)) or 'none'}",
        f"- Not covered: {_md(', '.join(uncovered)) or 'none'}",
        "",
    ]


_BODY = """\
{% macro turn(n) %}{% if turns %}<a href="{{ turns }}#turn-{{ n }}">#{{ n }}</a>{% else %}#{{ n }}\
{% endif %}{% endmacro %}
<h1>Interviewer coaching report</h1>
<h2>Advice</h2>
<ul class="advice">
{% for line in report.advice %}  <li>{{ line }}</li>
{% endfor %}</ul>
<h2>Talk time</h2>
<p>{{ talk }}{% if report.talk_time %} Aim for {{ aim }}.{% endif %}</p>
<h2>Questions ({{ report.questions | length }})</h2>
<table>
<tr><th scope="col">Kind</th><th scope="col" class="num">Count</th>\
<th scope="col" class="num">Share</th><th scope="col">Mix</th></tr>
{% for s in report.question_mix %}<tr><td>{{ kinds[s.kind] }}</td><td class="num">{{ s.count }}\
</td><td class="num">{{ s.share | percent }}</td><td><meter min="0" max="1" \
value="{{ s.share | round(4) }}" aria-label="{{ kinds[s.kind] }}: {{ s.share | percent }}">\
</meter></td></tr>
{% endfor %}</table>
<ul class="questions">
{% for q in report.questions %}  <li>{{ turn(q.position) }} <span class="kind kind-{{ q.kind }}">\
{{ kinds[q.kind] }}</span> {{ q.text }}</li>
{% endfor %}</ul>
<h2>Missed probes ({{ report.missed_probes | length }})</h2>
{% for p in report.missed_probes %}<div class="probe">
<p class="muted">{{ turn(p.position) }}: {{ p | why }}</p>
<blockquote>{{ p.quote }}</blockquote>
{% if p.dismissal %}<p>Played down with: \u201c{{ p.dismissal }}\u201d</p>
{% endif %}<p>You asked next ({{ turn(p.next_position) }}): {{ p.next_question }}</p>
{% if p.follow_ups %}<p>Try instead:</p>
<ul>
{% for f in p.follow_ups %}  <li>{{ f }}</li>
{% endfor %}</ul>
{% endif %}</div>
{% else %}<p>None: every strong or played-down feeling was followed up.</p>
{% endfor %}<h2>Guide coverage</h2>
{% if report.guide_stages %}<ul>
{% for stage in report.guide_stages %}  <li>{{ stage }}: \
{{ "not covered" if stage in report.uncovered_stages else "covered" }}</li>
{% endfor %}</ul>
{% else %}<p class="muted">No guide stages were given.</p>
{% endif %}
"""
"""The report's content: the whole page below, or a signed-in dashboard page around it."""

_TEMPLATE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Interviewer coaching report</title>
<style>
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
  border-bottom: 1px solid #d9e2ec; padding-bottom: .25rem; }
.advice li { margin: .3rem 0; } .muted { color: #627d98; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e4e7eb; }
td.num { text-align: right; width: 5rem; }
meter { width: 100%; height: .6rem; }
.kind { font-size: .8rem; padding: .05rem .4rem; border-radius: .6rem; background: #e4e7eb; }
.kind-leading, .kind-double_barrelled, .kind-hypothetical { background: #ffe3c2; }
.kind-open { background: #d3f0db; }
blockquote { margin: .5rem 0; padding: .5rem 1rem; border-left: 4px solid #e0b040;
  background: #fffbea; }
.probe { margin-bottom: 1.5rem; }
</style>
</head>
<body>
{% include "body" %}
</body>
</html>
"""

_ENV = jinja2.Environment(
    loader=jinja2.DictLoader({"body": _BODY, "page": _TEMPLATE}),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["percent"] = _percent
_ENV.filters["why"] = _why
_PAGE = _ENV.get_template("page")
_FRAGMENT = _ENV.get_template("body")
