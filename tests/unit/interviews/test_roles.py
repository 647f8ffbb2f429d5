import pytest

from journeyscope.errors import InvalidInput
from journeyscope.interviews import Role, Transcript, detect_roles, parse_transcript
from journeyscope.interviews.roles import is_question, speaker_stats

TWO_SPEAKERS = """\
Maya: Thanks for joining. How did you first hear about the Breeze blender?
Sam: A friend of mine had one and she made smoothies every morning, so I tried one at her
place and honestly it was much smoother than what my old blender did.
Maya: What happened next?
Sam: I looked at the price and it was too much for me at the time, so I waited for a sale
and kept reading reviews for a few weeks before I decided.
Maya: Tell me about the day you bought it.
Sam: It was the spring sale. I ordered it online, delivery took four days, and the box was
damaged but the blender itself was fine.
Maya: Did the damaged box worry you?
Sam: A little, but it's fine, it worked.
"""

THREE_WITH_NOTE_TAKER = """\
Maya: How did you first hear about the Breeze blender?
Sam: A friend had one and made smoothies every morning, so I tried it at her place and liked
how smooth everything came out compared with my old machine.
Leo: Which friend, a colleague?
Sam: A neighbour, actually. We share recipes all the time and she swears by it for soups too.
Maya: What made you decide to buy your own?
Sam: The spring sale. It dropped by fifty and I had been waiting for months for that to happen.
Leo: Was that online?
Sam: Yes, on the website, and delivery took four days which was a bit longer than promised.
"""

THREE_WITH_A_COUPLE = """\
Maya: How did you two decide on the Breeze blender?
Sam: We had been talking about getting a good blender for a long time, mostly for smoothies
in the morning before work.
Ana: I wanted one that was quiet, because our flat is small and the old one woke the baby up
every single time.
Maya: What did you compare it with?
Sam: A couple of cheaper brands from the supermarket and one expensive one a friend has.
Ana: The reviews said the Breeze was the quietest, which settled it for me straight away.
Maya: How has it been since?
Sam: Good, we use it every day and it still looks new after three months of heavy use.
Ana: It is quiet, like they said, although the lid is a bit hard to clean properly.
"""

COIN_TOSS = """\
Ana: Did you see the new blender?
Ben: Yes, did you like it?
Ana: I did. Was it expensive?
Ben: Not really. Would you buy one?
"""


def roles_of(transcript: Transcript) -> dict[str, Role]:
    return {u.speaker: u.role for u in transcript.utterances if u.speaker}


def test_two_speakers_the_one_who_asks_and_talks_less_is_the_interviewer() -> None:
    transcript = detect_roles(parse_transcript(TWO_SPEAKERS))

    assert roles_of(transcript) == {"Maya": Role.INTERVIEWER, "Sam": Role.CUSTOMER}
    assert transcript.warnings == ()


def test_an_interviewer_who_talks_a_lot_is_still_the_interviewer() -> None:
    text = (
        "Maya: Before we start, let me explain how this works: there are no right or wrong "
        "answers, we just want to hear about your own experience with the blender, in your own "
        "words, and you can stop at any time. So, how did you first hear about it?\n"
        "Sam: From a friend.\n"
        "Maya: That's great, friends are often how people find us, and we are always curious "
        "about that moment. What did she tell you about it?\n"
        "Sam: That it is quiet.\n"
        "Maya: Quiet matters to many of our customers, especially in small flats. Did it matter "
        "to you?\n"
        "Sam: Yes.\n"
    )

    assert roles_of(detect_roles(parse_transcript(text))) == {
        "Maya": Role.INTERVIEWER,
        "Sam": Role.CUSTOMER,
    }


def test_three_speakers_a_note_taker_who_asks_is_an_interviewer_too() -> None:
    transcript = detect_roles(parse_transcript(THREE_WITH_NOTE_TAKER))

    assert roles_of(transcript) == {
        "Maya": Role.INTERVIEWER,
        "Sam": Role.CUSTOMER,
        "Leo": Role.INTERVIEWER,
    }


def test_three_speakers_a_couple_interviewed_together_are_both_customers() -> None:
    transcript = detect_roles(parse_transcript(THREE_WITH_A_COUPLE))

    assert roles_of(transcript) == {
        "Maya": Role.INTERVIEWER,
        "Sam": Role.CUSTOMER,
        "Ana": Role.CUSTOMER,
    }


def test_labels_that_name_the_role_decide_it() -> None:
    text = "Interviewer: Hi.\nParticipant 1: Hello.\nInterviewer: Okay.\nParticipant 1: Yes.\n"

    transcript = detect_roles(parse_transcript(text))

    assert roles_of(transcript) == {
        "Interviewer": Role.INTERVIEWER,
        "Participant 1": Role.CUSTOMER,
    }


def test_coin_toss_leaves_roles_unknown_and_warns() -> None:
    transcript = detect_roles(parse_transcript(COIN_TOSS))

    assert roles_of(transcript) == {"Ana": Role.UNKNOWN, "Ben": Role.UNKNOWN}
    assert len(transcript.warnings) == 2
    assert "'Ana'" in transcript.warnings[0]
    assert "too close to call" in transcript.warnings[0]
    assert "interviewer=" in transcript.warnings[0]


def test_explicit_interviewer_wins_and_everyone_else_is_a_customer() -> None:
    transcript = detect_roles(parse_transcript(COIN_TOSS), interviewer="ben")

    assert roles_of(transcript) == {"Ana": Role.CUSTOMER, "Ben": Role.INTERVIEWER}
    assert transcript.warnings == ()


def test_overrides_win_over_the_heuristics() -> None:
    transcript = detect_roles(parse_transcript(TWO_SPEAKERS), overrides={"Maya": Role.CUSTOMER})

    assert roles_of(transcript)["Maya"] is Role.CUSTOMER


def test_overriding_one_of_two_undecided_speakers_sets_the_other() -> None:
    transcript = detect_roles(parse_transcript(COIN_TOSS), overrides={"Ana": "interviewer"})

    assert roles_of(transcript) == {"Ana": Role.INTERVIEWER, "Ben": Role.CUSTOMER}
    assert transcript.warnings == ()


def test_a_speaker_heard_once_is_unknown_and_the_rest_still_decided() -> None:
    text = THREE_WITH_A_COUPLE + "Leo: Sorry, wrong room.\n"

    transcript = detect_roles(parse_transcript(text))

    assert roles_of(transcript)["Leo"] is Role.UNKNOWN
    assert roles_of(transcript)["Maya"] is Role.INTERVIEWER
    assert any("Leo spoke only once" in warning for warning in transcript.warnings)


def test_unknown_interviewer_name_is_refused_listing_the_speakers() -> None:
    with pytest.raises(InvalidInput) as caught:
        detect_roles(parse_transcript(TWO_SPEAKERS), interviewer="Mia")

    assert caught.value.field == "interviewer"
    assert caught.value.hint is not None and "Maya, Sam" in caught.value.hint


def test_override_with_a_role_that_does_not_exist_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        detect_roles(parse_transcript(TWO_SPEAKERS), overrides={"Sam": "boss"})

    assert caught.value.field == "overrides.Sam"


def test_transcript_without_speakers_gets_a_warning() -> None:
    transcript = detect_roles(parse_transcript("I bought it in May.\n\nIt broke in June.\n"))

    assert {u.role for u in transcript.utterances} == {Role.UNKNOWN}
    assert "No speaker labels" in transcript.warnings[-1]


def test_detect_roles_returns_a_copy_and_keeps_import_warnings() -> None:
    original = parse_transcript("Interview notes\n\n" + TWO_SPEAKERS)

    transcript = detect_roles(original)

    assert {u.role for u in original.utterances} == {Role.UNKNOWN}
    assert transcript.warnings[0] == original.warnings[0]


def test_speaker_stats_count_questions_and_word_shares() -> None:
    maya, sam = speaker_stats(parse_transcript(TWO_SPEAKERS))

    assert (maya.turns, maya.questions) == (4, 4)
    assert (sam.turns, sam.questions) == (4, 0)
    assert maya.word_share + sam.word_share == pytest.approx(1.0)
    assert maya.score > sam.score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How did you pay?", True),
        ("So, what happened next", True),
        ("And did that worry you", True),
        ("Tell me about the day you bought it.", True),
        ("Okay. Walk me through the checkout.", True),
        ("It was fine, really.", False),
        ("I waited for the sale.", False),
        ("Great, thanks.", False),
    ],
)
def test_is_question(text: str, expected: bool) -> None:
    assert is_question(text) is expected
