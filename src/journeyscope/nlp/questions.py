"""The interview-question checker: is a question open, closed, leading, double-barrelled…?

Rule-based on purpose (no model, no download): it reads the form of the question the way an
interview-methods textbook does, and every verdict comes with a reason a researcher can check.
Decisions worth knowing:

* **Open**: wh-questions (``how``, ``what``, ``why``), ``what/how about …``, and question-inviting
  imperatives (``tell me``, ``describe``, ``walk/talk/take me through``, ``explain``), also when
  softened (``Could you tell me…``, ``Would you mind describing…``).
* **Closed**: yes/no questions (an auxiliary first: ``Did you…``, ``Is it…``), either/or
  questions, declarative questions (``You liked it?``) and *factual* wh-questions that ask for
  one time, place, name or number (``when``, ``where``, ``who``, ``which``, ``how many/much/
  long/often/old/far``, ``what time/day/year…``), following the usual textbook definition of a
  closed question as one answerable with a word or a short phrase. A factual wh-question about
  an opinion (``Where do you think it's going?``) stays open.
* **Leading** (checked first, as the most damaging): negative questions (``Don't you think…``),
  tag questions (``…, wasn't it?``, ``…, right?``), asking for agreement, loaded words
  (``great``, ``frustrating``, ``love``), and one-ended scales (``How easy was it?``).
* **Double-barrelled**: two questions in one turn (two question marks, or ``… and what did
  you…``), two qualities (``friendly and helpful``) or two topics (``the price and the
  quality``). Balanced scales (``easy or difficult``) are not double.
* **Hypothetical**: ``would you…``, ``will you``, ``if you could``, ``imagine``, ``suppose``,
  ``what if``, ``in the future``, ``how likely``. Polite ``would you say/describe/mind`` is not.
* **Not a question**: statements, instructions that invite no answer, and backchannels
  (``Really?``, ``Is that right?``, ``Did you?``), which show listening but ask for nothing.

In a turn of several sentences (``Thanks. So how did the checkout go?``) only the question
sentences count; discourse markers (``so``, ``and``, ``okay``, ``well``) are skipped. Text in
double quotes (``"Returns desk"``) is read as a label, not parsed. Pure: imports only the
standard library and this package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeyscope.nlp import question_rewrites as rw
from journeyscope.nlp.annotations import QuestionKind

__all__ = ["QuestionCheck", "classify_question", "question_form"]

_WH = rw.word_set(
    "what how why where when who whom whose which what's how's where's who's when's why's "
    "what'd how'd"
)
_FACTUAL_WH = rw.word_set("where when who whom whose which where's who's when's")
_FACTUAL_HOW = rw.word_set("many much long often old far soon big")
_FACTUAL_WHAT = rw.word_set("time day year date age size color colour price number brand")
_OPINION = re.compile(r"\byou (?:think|feel|believe|reckon|like|prefer|enjoy|love)\b")
_INVITATION = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please )?|would you mind |please )?"
    r"(?:tell (?:me|us)|describe|(?:walk|talk|take) (?:me|us) through|explain|share"
    r"|give me an example|say more|help me understand|telling|describing|walking (?:me|us)"
    r"|talking (?:me|us)|explaining|sharing)\b"
    r"|^i(?:'d| would) (?:like|love) to (?:hear|know|understand)\b"
    r"|^(?:i'm|i am) (?:curious|interested)\b|^i wonder (?:how|what|why)\b"
)
_MARKERS = rw.word_set(
    "so and but or okay ok well now alright um uh oh then yeah thanks right hmm hm mhm "
    "uh-huh anyway also actually just great cool , -"
)
_BACKCHANNEL_WORDS = rw.word_set(
    "really right okay ok yeah yes no huh what pardon sorry oh uh um hm hmm true sure "
    "seriously wow correct so see eh gosh excuse me is that it so"
)
_TAG = re.compile(
    r", (?:(?:is|was|are|were|do|does|did|have|has|will|would|can|could)(?:n't)? "
    r"(?:it|you|they|he|she|we|there|that|i)|right|correct|yeah|no|huh|eh|ok|okay|true)$"
)
_AGREE = re.compile(
    r"\b(?:do|would|wouldn't|don't) you agree\b|\byou'd agree\b|\bwouldn't you say\b"
    r"|\bsurely\b|\bobviously\b|\bof course\b|\bclearly\b|\byou must have\b"
)
_HYPOTHETICAL = re.compile(
    r"\bif (?:you|we|i|they|it) (?:could|had|were|would|was)\b|\bimagin(?:e|ing)\b"
    r"|\bsuppos(?:e|ing)\b|\bwhat if\b|\bin the future\b|\bwill you\b|\bhow likely\b"
    r"|\b(?:are|is) (?:you|it) (?:likely|going) to\b|\bcould you see yourself\b"
    r"|\bwould (?:it|that|he|she|they|we|people|anyone)\b"
    r"|\bwould you (?:ever |still |really )?(?:use|buy|pay|recommend|like|want|prefer|choose"
    r"|switch|consider|try|come|go|return|sign|change|do|be|need|enjoy|miss|pick|keep|stay)\b"
)
_CLAUSE_JOIN = re.compile(
    rf"(?<=\S) (?:,)? ?(and|or) (?:(?:{'|'.join(sorted(_WH))}) (?:{'|'.join(sorted(rw.AUX))})"
    rf"|(?:{'|'.join(sorted(rw.AUX))}) (?:you|we|they|it|i|there|the|your))\b"
)
_ADJ_PAIR = re.compile(r"\b([a-z]+) (and|or) ([a-z]+)\b")
_TOPIC_PAIR = re.compile(
    r"\b(?:about|with|of|for|on) (the|your|our) (?:[\w'-]+ ){1,3}(and|or) (?:the|your|our)\b"
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*|[,?.!]")
_FILLERS = rw.word_set("uh um er erm ah")
_REPEAT = re.compile(r"\b([\w'-]+(?: [\w'-]+){0,2})(?: ,)? \1\b")
_BACKCHANNEL_PHRASES = frozenset(
    (
        "you know what i mean",
        "you know what i'm saying",
        "know what i mean",
        "is that right",
        "is that so",
        "is that true",
        "no kidding",
        "i beg your pardon",
        "pardon me",
        "come again",
        "you think so",
        "how about that",
        "you did",
        "they did",
        "it did",
        "it is",
    )
)
_LABEL = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")
_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2014": " - ", "\u2013": " - "})


@dataclass(frozen=True, slots=True)
class QuestionCheck:
    """The checker's verdict on one interviewer question.

    Attributes:
        kind: What kind of question it is (open is the one to aim for).
        rewrite: A neutral, open-ended version keeping the topic words, or ``None`` when the
            question is already open or is not a question. For a double-barrelled question it
            holds the two questions to ask one after the other.
        reason: One line for the researcher, e.g. "Can be answered with yes or no".
    """

    kind: QuestionKind
    rewrite: str | None
    reason: str


def classify_question(text: str) -> QuestionCheck:
    """Say what kind of question ``text`` is and suggest an open rewrite where it helps.

    Args:
        text: One interviewer turn; it may hold several sentences, of which only the
            questions count. Empty or punctuation-only text is ``not_a_question``.

    Returns:
        The verdict with its reason; see the module docstring for the rules.
    """
    masked, labels = _mask_labels(" ".join(text.translate(_TYPOGRAPHIC).split()))
    parts, saw_backchannel = _question_parts(masked)
    if not parts:
        reason = (
            "A backchannel: it shows you are listening but asks for nothing new"
            if saw_backchannel
            else "No question here, and nothing that invites the participant to talk"
        )
        return QuestionCheck(QuestionKind.NOT_A_QUESTION, None, reason)
    check = _two_questions(parts) if len(parts) > 1 else _classify_one(parts[0])
    if check.rewrite is None or not labels:
        return check
    restored = re.sub(r"qlabel(\d+)", lambda m: labels[int(m.group(1))], check.rewrite, flags=re.I)
    return QuestionCheck(check.kind, restored, check.reason)


def question_form(text: str) -> QuestionKind:
    """The grammatical form of a turn alone: ``open``, ``closed`` or ``not_a_question``.

    What :func:`classify_question` starts from, before it looks for leading, double-barrelled
    and hypothetical wording; the form of the first question sentence is the answer. Used to
    compare with corpora that annotate question form only (``eval/swda_questions.py``).
    """
    masked, _ = _mask_labels(" ".join(text.translate(_TYPOGRAPHIC).split()))
    parts, _ = _question_parts(masked)
    return _form(parts[0]).kind if parts else QuestionKind.NOT_A_QUESTION


def _mask_labels(text: str) -> tuple[str, list[str]]:
    labels: list[str] = []

    def keep(match: re.Match[str]) -> str:
        labels.append(match.group(0))
        return f"qlabel{len(labels) - 1}"

    return _LABEL.sub(keep, text), labels


def _words(sentence: str) -> list[str]:
    """Lower-cased words and marks, without fillers (uh, um) or repeats ("do you, do you")."""
    words = [w for w in _TOKEN.findall(sentence.lower()) if w not in _FILLERS]
    joined = _REPEAT.sub(r"\1", " ".join(words)).replace(" , if anything ,", "")
    return _REPEAT.sub(r"\1", joined).split()


def _question_parts(text: str) -> tuple[list[list[str]], bool]:
    """The question sentences of a turn as word lists (markers stripped), and backchannels."""
    parts: list[list[str]] = []
    saw_backchannel = False
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = _strip_markers(_words(sentence))
        if not [w for w in words if w not in ",?.!"]:
            continue
        if _is_backchannel(words):
            saw_backchannel = True
        elif words[-1] == "?" or _starts_question(_question_clause(words)):
            parts.append(words)
    return parts, saw_backchannel


def _question_clause(words: list[str]) -> list[str]:
    """From the clause that asks: "Looking back, what stands out?" → "what stands out?".

    Without a question mark only an invitation counts ("To start, tell me …"): in speech a
    comma clause opening with "what" or "do you" is too often part of a statement.
    """
    if _starts_question(words):
        return words
    for i, word in enumerate(words[:-2]):
        clause = _strip_markers(words[i + 1 :]) if word == "," else []
        is_asking = clause and (words[-1] == "?" or _INVITATION.match(" ".join(clause)))
        if is_asking and _starts_question(clause):
            return clause
    return words


def _strip_markers(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) - 1 and (
        words[start] in _MARKERS or words[start : start + 2] in (["you", "know"], ["i", "see"])
    ):
        start += 2 if words[start] in ("you", "i") else 1
    return words[start:]


def _is_backchannel(words: list[str]) -> bool:
    content = [w for w in words if w not in ",?.!"]
    if " ".join(content) in _BACKCHANNEL_PHRASES:
        return True
    if all(w in _BACKCHANNEL_WORDS for w in content) and len(content) <= 4:
        return True
    return len(content) <= 2 and content[0] in rw.AUX and content[-1] in rw.SUBJECTS


def _starts_question(words: list[str]) -> bool:
    joined = " ".join(words)
    wh = _wh_index(words)
    return bool(
        _INVITATION.match(joined)
        or (wh is not None and _is_wh_question(words, wh))
        or (len(words) > 2 and words[0] in rw.AUX | rw.NEG_AUX and words[1] in rw.SUBJECTS)
        or _TAG.search(" ".join(_bare(words)))
    )


def _is_wh_question(words: list[str], wh: int) -> bool:
    """Whether a sentence opening with a wh-word is a question, not a clause.

    With a question mark it is. Without one, "When I started teaching, …" and "Which is
    great." are not; "what do you think" and "what kind of car do you drive" are: an
    auxiliary follows within three words.
    """
    if words[-1] == "?":
        return True
    if words[wh] == "which":
        return False
    after = words[wh + 1 : wh + 4]
    return any(w in rw.AUX for w in after) or after[:1] == ["about"]


def _bare(words: list[str]) -> list[str]:
    """The words without the final punctuation mark."""
    return words[:-1] if words and words[-1] in "?.!" else words


def _wh_index(words: list[str]) -> int | None:
    """Where the wh-word opening the question is (``in what way``: 1), if it opens one."""
    if words[0] in _WH and words[1:2] == [","]:  # "what, do you paint?"
        return None
    if words[0] in _WH:
        return 0
    if len(words) > 1 and words[0] in ("in", "to", "for", "with", "from") and words[1] in _WH:
        return 1
    return None


def _classify_one(words: list[str]) -> QuestionCheck:
    for rule in (_leading, _double_barrelled, _hypothetical):
        found = rule(words)
        if found is not None:
            return found
    return _form(words)


def _open_version(words: list[str]) -> str:
    """The open form of one question: itself when open, else its rewrite."""
    check = _classify_one(words)
    if check.rewrite is not None:
        return check.rewrite
    return rw.sentence(" ".join(words), "?" if words[-1] == "?" else ".")


def _two_questions(parts: list[list[str]]) -> QuestionCheck:
    rewrite = " ".join(dict.fromkeys(_open_version(p) for p in parts))
    return QuestionCheck(
        QuestionKind.DOUBLE_BARRELLED,
        rewrite,
        "Asks more than one question at once; people answer only one of them",
    )


def _leading(words: list[str]) -> QuestionCheck | None:
    joined = " ".join(w for w in words if w not in "?.!")
    kind = QuestionKind.LEADING
    if words[0] in rw.NEG_AUX and len(words) > 2 and words[1] in rw.SUBJECTS:
        reason = f'A negative question ("{words[0]} {words[1]} …") suggests the expected answer'
        return QuestionCheck(kind, rw.opinion(_after_opinion_verb(words)), reason)
    tag = _TAG.search(joined)
    if tag:
        reason = f'The tag "{tag.group(0)[2:]}?" asks them to confirm your view'
        return QuestionCheck(kind, rw.opinion(joined[: tag.start()].split()), reason)
    agree = _AGREE.search(joined)
    if agree:
        reason = f'"{agree.group(0)}" asks them to agree rather than to describe'
        return QuestionCheck(kind, rw.opinion(_after_opinion_verb(words)), reason)
    loaded = next((w for w in words if w in rw.LOADED), None)
    if loaded:
        reason = f'The loaded word "{loaded}" suggests the answer'
        return QuestionCheck(kind, rw.opinion(words), reason)
    if _one_ended_scale(words):
        reason = f'"How {words[1]}" names one end of the scale and nudges the answer'
        return QuestionCheck(kind, rw.balanced(words), reason)
    return None


def _after_opinion_verb(words: list[str]) -> list[str]:
    """Drop "don't you think (that)" / "wouldn't you agree (that)" before the real topic."""
    for i, word in enumerate(words[:6]):
        if word in ("think", "agree", "say", "feel", "believe"):
            rest = words[i + 1 :]
            return rest[1:] if rest[:1] == ["that"] else rest
    return words


def _one_ended_scale(words: list[str]) -> bool:
    return (
        len(words) > 2
        and words[0] == "how"
        and words[1] in rw.ANTONYMS
        and words[1] != "likely"
        and words[2] != "or"
    )


def _double_barrelled(words: list[str]) -> QuestionCheck | None:
    joined = " ".join(w for w in words if w != "?")
    kind = QuestionKind.DOUBLE_BARRELLED
    clause = _CLAUSE_JOIN.search(joined)
    if clause:
        left, right = joined[: clause.start()], joined[clause.start(1) + len(clause.group(1)) :]
        reason = f'Asks two questions joined by "{clause.group(1)}"; people answer only one'
        return QuestionCheck(kind, _split_rewrite(left, right), reason)
    pair = _quality_pair(joined)
    if pair:
        first, second = pair.group(1), pair.group(3)
        left = joined[: pair.start()] + first + joined[pair.end() :]
        right = joined[: pair.start()] + second + joined[pair.end() :]
        reason = f'Asks about two qualities at once ("{first}" {pair.group(2)} "{second}")'
        return QuestionCheck(kind, _split_rewrite(left, right), reason)
    topics = _TOPIC_PAIR.search(joined)
    if topics:
        reason = "Asks about two topics at once; each deserves its own question"
        return QuestionCheck(kind, _topic_split(joined, topics), reason)
    return None


def _quality_pair(joined: str) -> re.Match[str] | None:
    for pair in _ADJ_PAIR.finditer(joined):
        first, second = pair.group(1), pair.group(3)
        qualities = set(rw.ANTONYMS) | rw.LOADED
        is_scale = rw.ANTONYMS.get(first) == second or rw.ANTONYMS.get(second) == first
        if first in qualities and second in qualities and not is_scale:
            return pair
    return None


def _topic_split(joined: str, topics: re.Match[str]) -> str:
    conj = topics.start(2)
    first = topics.start(1)
    rest = joined[conj + len(topics.group(2)) + 1 :].split()
    second_len = next((i for i, w in enumerate(rest[1:], 1) if w in rw.AUX or w == ","), len(rest))
    left = joined[:conj] + " " + " ".join(rest[second_len:])
    right = joined[:first] + " ".join(rest)
    return _split_rewrite(left, right)


def _split_rewrite(left: str, right: str) -> str:
    questions = [_strip_markers(_words(p)) for p in (left, right)]
    versions = [_open_version([*q, "?"]) for q in questions if q]
    return " ".join(dict.fromkeys(versions))


def _hypothetical(words: list[str]) -> QuestionCheck | None:
    joined = " ".join(words)
    if _INVITATION.match(joined):
        return None
    found = _HYPOTHETICAL.search(joined)
    if found is None:
        return None
    reason = f'"{found.group(0)}" asks them to imagine; ask about what actually happened'
    return QuestionCheck(QuestionKind.HYPOTHETICAL, rw.to_past_experience(words), reason)


def _form(words: list[str]) -> QuestionCheck:
    """Open, closed or not a question, by the form of the sentence."""
    words = _question_clause(words)
    joined = " ".join(words)
    if _INVITATION.match(joined):
        return QuestionCheck(QuestionKind.OPEN, None, "Invites a story in their own words")
    wh = _wh_index(words)
    if wh is not None:
        return _wh_form(words, wh)
    closed = QuestionKind.CLOSED
    if len(words) > 2 and words[0] in rw.AUX | rw.NEG_AUX and words[1] in rw.SUBJECTS:
        if " or " in joined and " or not" not in joined:
            reason = "Offers a choice, so the answer is one of the options"
            return QuestionCheck(closed, rw.open_version(_bare(words)), reason)
        return QuestionCheck(
            closed, rw.open_version(_bare(words)), "Can be answered with yes or no"
        )
    if words[-1] == "?" and any(w in _WH for w in words[-3:]):  # "You went where?"
        return QuestionCheck(QuestionKind.OPEN, None, "Open question, asked as a statement")
    if words[-1] == "?":
        reason = "A statement with a question mark: it invites a yes or no"
        return QuestionCheck(closed, rw.open_version(_bare(words)), reason)
    reason = "No question here, and nothing that invites the participant to talk"
    return QuestionCheck(QuestionKind.NOT_A_QUESTION, None, reason)


def _wh_form(words: list[str], wh: int) -> QuestionCheck:
    word, after = words[wh], words[wh + 1] if wh + 1 < len(words) else ""
    is_factual = (
        word in _FACTUAL_WH
        or (word == "how" and after in _FACTUAL_HOW)
        or (word == "what" and after in _FACTUAL_WHAT)
    )
    if is_factual and not _OPINION.search(" ".join(words)):
        reason = "Asks for a single fact (a time, place, name or number), not a story"
        return QuestionCheck(QuestionKind.CLOSED, rw.open_version(_bare(words)), reason)
    return QuestionCheck(QuestionKind.OPEN, None, "Open question: they answer in their own words")
