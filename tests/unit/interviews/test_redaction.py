from journeyscope.interviews import Role, detect_roles, parse_transcript, redact_transcript

TEXT = """\
Maya Chen: Thanks for joining, Sam. How did you pay for the Breeze blender?
Sam Ortiz: With my card, 4111 1111 1111 1111. The receipt went to sam.ortiz@example.com.
Maya Chen: Did anyone call you about the delivery?
Sam Ortiz: Yes, they called (415) 555-2671 twice. Ask Maya, she saw it.
"""


def test_utterance_texts_are_redacted() -> None:
    transcript = redact_transcript(parse_transcript(TEXT), names=["Sam Ortiz"])

    assert [u.text for u in transcript.utterances] == [
        "Thanks for joining, [NAME]. How did you pay for the Breeze blender?",
        "With my card, [CARD]. The receipt went to [EMAIL].",
        "Did anyone call you about the delivery?",
        "Yes, they called [PHONE] twice. Ask Maya, she saw it.",
    ]


def test_named_speakers_are_renamed_after_their_role() -> None:
    transcript = detect_roles(parse_transcript(TEXT))

    redacted = redact_transcript(transcript, names=["Sam Ortiz", "Maya Chen"])

    assert redacted.speakers == ["Interviewer", "Participant"]
    assert [u.role for u in redacted.utterances] == [u.role for u in transcript.utterances]
    assert redacted.utterances[3].text.endswith("Ask [NAME], she saw it.")


def test_speakers_not_named_keep_their_labels() -> None:
    redacted = redact_transcript(parse_transcript(TEXT), names=["Sam Ortiz"])

    assert redacted.speakers == ["Maya Chen", "Speaker"]


def test_several_speakers_of_one_role_are_numbered() -> None:
    text = TEXT + "Ana Ortiz: I was there too.\nAna Ortiz: It was loud.\n"
    transcript = detect_roles(
        parse_transcript(text), overrides={"Sam Ortiz": Role.CUSTOMER, "Ana Ortiz": "customer"}
    )

    redacted = redact_transcript(transcript, names=["Sam Ortiz", "Ana Ortiz"])

    assert redacted.speakers == ["Maya Chen", "Participant 1", "Participant 2"]


def test_times_and_source_offsets_still_point_at_the_original() -> None:
    transcript = parse_transcript(TEXT)

    redacted = redact_transcript(transcript, names=["Sam Ortiz"])

    for before, after in zip(transcript.utterances, redacted.utterances, strict=True):
        assert (after.source_start, after.source_end) == (before.source_start, before.source_end)
        assert (after.start, after.end) == (before.start, before.end)
    second = redacted.utterances[1]
    assert "4111 1111 1111 1111" in TEXT[second.source_start : second.source_end]
