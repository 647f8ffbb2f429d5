"""Neutral, open-ended rewrites of flawed interview questions, and the word lists behind them.

Helpers of :func:`journeyscope.nlp.classify_question`: each function takes one question
(lower-cased words, quoted labels already masked) and returns an open question that keeps the
topic words. The grammar is a small hand-written one (auxiliary, subject, verb, rest) with
just enough English morphology (gerund, past tense) for the common interview verbs; when it
cannot parse a question it falls back to "Tell me about <topic>." Pure: stdlib only.
"""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """The words of ``text``, split on spaces (keeps the long word lists readable)."""
    return frozenset(text.split())


AUX = word_set(
    "do does did is are was were am have has had can could will would should shall may might must"
)
NEG_AUX = word_set(
    "don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't can't couldn't "
    "won't wouldn't shouldn't"
)
SUBJECTS = word_set(
    "you i we they he she it there that this these those ya y'all the a an your my our "
    "their his her its any anyone anybody anything someone somebody something everyone "
    "everything all some most many people"
)
LOADED = word_set(
    "great amazing awesome wonderful fantastic excellent brilliant perfect terrible awful "
    "horrible frustrating annoying disappointing infuriating love loved hate hated useless "
    "painful delightful superb incredible fabulous lovely nightmare ridiculous outrageous"
)
ANTONYMS = {
    "easy": "difficult",
    "difficult": "easy",
    "hard": "easy",
    "helpful": "unhelpful",
    "useful": "not useful",
    "satisfied": "dissatisfied",
    "happy": "unhappy",
    "good": "bad",
    "bad": "good",
    "clear": "unclear",
    "simple": "complicated",
    "fast": "slow",
    "quick": "slow",
    "slow": "fast",
    "friendly": "unfriendly",
    "pleasant": "unpleasant",
    "convenient": "inconvenient",
    "smooth": "bumpy",
    "intuitive": "confusing",
    "confusing": "clear",
    "likely": "unlikely",
    "cheap": "expensive",
    "expensive": "cheap",
}
"""Evaluative adjectives with their other end of the scale ("easy" → "difficult")."""
EVALUATIVE_VERBS = word_set("like enjoy dislike find prefer mind appreciate value")
_IRREGULAR = {  # base: (past, participle)
    "be": ("was", "been"),
    "have": ("had", "had"),
    "do": ("did", "done"),
    "go": ("went", "gone"),
    "get": ("got", "got"),
    "make": ("made", "made"),
    "take": ("took", "taken"),
    "see": ("saw", "seen"),
    "come": ("came", "come"),
    "give": ("gave", "given"),
    "find": ("found", "found"),
    "buy": ("bought", "bought"),
    "pay": ("paid", "paid"),
    "spend": ("spent", "spent"),
    "send": ("sent", "sent"),
    "tell": ("told", "told"),
    "say": ("said", "said"),
    "think": ("thought", "thought"),
    "feel": ("felt", "felt"),
    "leave": ("left", "left"),
    "hear": ("heard", "heard"),
    "keep": ("kept", "kept"),
    "lose": ("lost", "lost"),
    "meet": ("met", "met"),
    "read": ("read", "read"),
    "run": ("ran", "run"),
    "show": ("showed", "shown"),
    "speak": ("spoke", "spoken"),
    "write": ("wrote", "written"),
    "choose": ("chose", "chosen"),
    "know": ("knew", "known"),
    "bring": ("brought", "brought"),
    "sell": ("sold", "sold"),
    "put": ("put", "put"),
    "set": ("set", "set"),
    "understand": ("understood", "understood"),
    "drive": ("drove", "driven"),
    "fly": ("flew", "flown"),
    "eat": ("ate", "eaten"),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "wait": ("waited", "waited"),
}
_BASE_OF = {form: base for base, forms in _IRREGULAR.items() for form in forms}
_E_VERBS = word_set(
    "like use love hate move save share compare receive decide change manage arrive close "
    "note notice complete continue create describe experience face hope improve include "
    "live phone place purchase recognise recognize replace require resolve serve solve "
    "subscribe type update upgrade care confuse excite frustrate ignore queue argue measure "
    "believe promise realise realize organise organize cause amaze please surprise browse "
    "chase rate smile vote waste pause raise hire tire judge charge"
)
_CVC = re.compile(r"^[^aeiou]*[aeiou][bdgkmnprt]$")
_TRAILING_TIME = re.compile(r"\s*\b(again|in the future|next time|one day|someday|ever)\s*$")
_STOP = (
    AUX
    | NEG_AUX
    | LOADED
    | set(ANTONYMS)
    | word_set(
        "that which who to and or but so very really too when if because for in on at with as "
        "by from than about after before during while"
    )
)
_DETERMINERS = word_set("the your our this that these those my their its a an")
_ADJECTIVES = word_set("new old first last main online mobile other same whole")


def gerund(base: str) -> str:
    """The -ing form of a verb: ``use`` → ``using``, ``stop`` → ``stopping``."""
    if base in ("be", "see", "flee", "agree"):
        return base + "ing"
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith("ee"):
        return base[:-1] + "ing"
    if _CVC.match(base):
        return base + base[-1] + "ing"
    return base + "ing"


def past(base: str) -> str:
    """The simple past of a verb: ``buy`` → ``bought``, ``try`` → ``tried``."""
    if base in _IRREGULAR:
        return _IRREGULAR[base][0]
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    if _CVC.match(base):
        return base + base[-1] + "ed"
    return base + "ed"


def base_form(word: str) -> str:
    """The base form of a past tense or participle (``liked`` → ``like``); else ``word``."""
    if word in _BASE_OF:
        return _BASE_OF[word]
    if not word.endswith("ed") or word.endswith("eed") or len(word) < 4:
        return word
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if stem + "e" in _E_VERBS:
        return stem + "e"
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]
    return stem


def sentence(text: str, end: str) -> str:
    """``text`` with a capital first letter, tidy spaces and the given end mark."""
    text = re.sub(r"\s+([,?.!])", r"\1", " ".join(text.split())).strip(" ,?.!")
    return text[:1].upper() + text[1:] + end


def topic(words: list[str]) -> str | None:
    """The first noun phrase led by a determiner (``the new app``), without loaded words."""
    for i, word in enumerate(words):
        if word not in _DETERMINERS or (
            word in ("that", "this")
            and i + 1 < len(words)
            and (words[i + 1] in AUX or words[i + 1] in _STOP or words[i + 1] in _DETERMINERS)
        ):
            continue
        phrase = [word]
        for nxt in words[i + 1 : i + 6]:
            if nxt in _STOP or nxt in ",?.!":
                break
            phrase.append(nxt)
        if len(phrase) > 1:
            return " ".join(phrase)
    return None


def is_past(words: list[str]) -> bool:
    """Whether a question is about the past (its auxiliary or verb is in the past tense)."""
    past_aux = {"did", "was", "were", "had", "didn't", "wasn't", "weren't", "hadn't"}
    return any(w in past_aux or (w.endswith("ed") and base_form(w) != w) for w in words[:4])


def opinion(words: list[str]) -> str:
    """A neutral "What do you think of <topic>?" for a leading question."""
    tense = "did" if is_past(words) else "do"
    found = topic(words)
    if found:
        return sentence(f"what {tense} you think of {found}", "?")
    rest = _infinitive(words)
    if rest:
        return sentence(f"what was it like {rest}", "?")
    return sentence(f"what {tense} you think about it", "?")


def balanced(words: list[str]) -> str:
    """Name both ends of the scale: "How easy was it?" → "How easy or difficult was it?"."""
    adjective = words[1]
    rest = " ".join(words[2:])
    return sentence(f"how {adjective} or {ANTONYMS[adjective]} {rest}", "?")


def to_past_experience(words: list[str]) -> str:
    """A hypothetical question turned into one about a past experience ("Tell me about a time…")."""
    text = " ".join(w for w in words if w not in LOADED).rstrip(" ?.!")
    patterns = (
        (r"\bif you could (\w+) ([^,]*)", "when you wanted to {0} {1}"),
        (
            r"\byou (?:ever |still |really )?(?:like|want|prefer) to (\w+)\s*([^,]*)",
            "when you wanted to {0} {1}",
        ),
        (
            r"\byou (?:ever |still |really )?(?:like|want|prefer|need) ([^,]+)",
            "when you needed {0}",
        ),
        (r"\b(?:likely|going) (?:are you |is it )?to (\w+)\s*([^,]*)", "when you {p0} {1}"),
        (
            r"\b(?:would|will|could|might) you (?:ever |still |really )?(\w+)\s*([^,]*)",
            "when you {p0} {1}",
        ),
    )
    for pattern, template in patterns:
        match = re.search(pattern, text)
        if match:
            groups = [_TRAILING_TIME.sub("", g or "") for g in match.groups()]
            clause = template.format(*groups, p0=past(groups[0]))
            return sentence(f"tell me about a time {clause}", ".")
    found = topic(words)
    return sentence(f"tell me about a recent experience with {found or 'this'}", ".")


def open_version(words: list[str]) -> str:
    """An open question on the same topic as a closed one (yes/no, either/or or factual)."""
    words, noun = _drop_wh(words)
    if noun and len(words) == 3:  # "which store did you visit" → "… visiting the store"
        words = [*words, "the", noun]
    if words and words[0] in AUX and len(words) > 2:
        return _from_inverted(words[0], words[1:])
    if len(words) > 1 and words[0] in SUBJECTS:
        return _from_declarative(words)
    return _tell_me_about(words)


def _drop_wh(words: list[str]) -> tuple[list[str], str | None]:
    """Drop a factual wh-phrase ("how many times", "when") before the auxiliary.

    Returns the rest and, for "which/whose <noun>", the noun to keep as the topic.
    """
    if not words or words[0] in SUBJECTS or words[0] in AUX:
        return words, None
    for i, word in enumerate(words[:4]):
        if word in AUX:
            noun = words[1] if words[0] in ("which", "whose") and i == 2 else None
            return words[i:], noun
    return words, None


def _from_inverted(aux: str, words: list[str]) -> str:
    subject, rest = _split_subject(words, is_be=aux in ("is", "are", "was", "were", "am"))
    tense = "did" if aux in ("did", "was", "were", "had") else "do"
    if aux in ("is", "are", "was", "were", "am"):
        return _from_be(aux, subject, rest)
    verb = base_form(rest[0]) if rest else ""
    return _from_verb(subject, verb, rest[1:], tense)


def _from_declarative(words: list[str]) -> str:
    subject, rest = _split_subject(words)
    if rest and rest[0] in ("is", "are", "was", "were", "am"):
        return _from_be(rest[0], subject, rest[1:])
    verb = base_form(rest[0]) if rest else ""
    tense = "did" if rest and verb != rest[0] else "do"
    return _from_verb(subject, verb, rest[1:], tense)


def _from_be(aux: str, subject: list[str], rest: list[str]) -> str:
    prep = next((i for i, w in enumerate(rest) if w in ("with", "about", "of")), None)
    if subject == ["you"]:
        tense = "did" if aux in ("was", "were") else "do"
        if prep is not None and rest[prep + 1 :]:
            return sentence(f"how {tense} you feel about {' '.join(rest[prep + 1 :])}", "?")
        if rest and all(w in ANTONYMS for w in rest):
            return sentence(f"how {tense} you feel about it", "?")
        return _tell_me_about(["being", *rest])
    if subject in (["it"], ["that"], ["this"]) and "to" in rest:
        return sentence(f"what {aux} it like {' '.join(rest[rest.index('to') :])}", "?")
    if subject == ["there"]:
        return _tell_me_about(["any" if w in ("a", "an") else w for w in rest])
    return sentence(f"how {aux} {' '.join(subject)}", "?")


def _from_verb(subject: list[str], verb: str, rest: list[str], tense: str) -> str:
    if not verb:
        return _tell_me_about(subject)
    while rest and rest[-1] in ANTONYMS:
        rest = rest[:-1]
    if subject == ["you"] and verb in EVALUATIVE_VERBS and rest:
        return sentence(f"how {tense} you find {' '.join(rest)}", "?")
    if verb in ("have", "get", "got") and rest:
        return _tell_me_about(["any" if w in ("a", "an") else w for w in rest])
    who = [] if subject[0] in SUBJECTS and len(subject) == 1 else subject
    opener = "walk me through" if tense == "did" else "tell me about"
    return sentence(" ".join([opener, *who, gerund(verb), *rest]), ".")


def _split_subject(words: list[str], *, is_be: bool = False) -> tuple[list[str], list[str]]:
    """Split "the app crash often" into its subject ("the app") and the rest.

    After a form of *be* the subject runs up to the first adjective or stop word ("the new
    app" | "good"); before a verb it is the determiner, an optional adjective and one noun.
    """
    if words[0] not in _DETERMINERS:
        return words[:1], [w for w in words[1:] if w != "ever"]
    if is_be:
        end = next((i for i, w in enumerate(words[1:], 1) if w in _STOP or w in ","), None)
        end = end if end is not None else max(len(words) - 1, 2)
        return words[:end], words[end:]
    size = 3 if len(words) > 3 and words[1] in _ADJECTIVES else 2
    return words[:size], words[size:]


def _infinitive(words: list[str]) -> str | None:
    if "to" in words[:-1]:
        return " ".join(words[words.index("to") :])
    return None


def _tell_me_about(words: list[str]) -> str:
    found = " ".join(w for w in words if w not in LOADED)
    return sentence(f"tell me about {found}", ".") if found else "Tell me more about that."
