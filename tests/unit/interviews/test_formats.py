import importlib.util
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docx_support import make_docx, make_docx_bomb, rewrite_parts
from journeyscope.errors import InvalidInput
from journeyscope.interviews import Format, Transcript, parse_transcript
from journeyscope.interviews.formats_docx import MAX_PARAGRAPHS

# An interview about buying a blender: Maya (researcher) asks, Sam (customer) answers.

PLAIN = """\
Maya: Thanks for making time today. How did you first hear about the Breeze blender?
Sam: A friend had one. I saw it at her place and
thought it looked solid.

I kept thinking about it for weeks.
Maya: What made you finally buy it?
Sam: The price dropped in the spring sale. Example: it went from 199 to 149.
"""

OTTER = """\
Maya Chen  0:03
Thanks for making time today. How did you first hear about the Breeze blender?

Sam Ortiz  0:11
A friend had one. I saw it at her place and thought it looked solid.

Maya Chen  0:24
What made you finally buy it?

Sam Ortiz  1:02:05
The price dropped in the spring sale.

Transcribed by https://otter.ai
"""

REV = """\
Breeze customer interview (Completed 03/04/24)
Transcript by Rev.com

Maya Chen (00:03):
Thanks for making time today. How did you first hear about the Breeze blender?

Sam Ortiz (00:11):
A friend had one. I saw it at her place and thought it looked solid.

Maya Chen (00:24):
What made you finally buy it?

Sam Ortiz (01:02:05):
The price dropped in the spring sale.
"""

REV_BARE = """\
Speaker 1 00:03
How did you first hear about the Breeze blender?

Speaker 2 00:11
A friend had one.

Speaker 1 00:24
What made you buy it?

Speaker 2 00:30
The price dropped.
"""

SRT = """\
1
00:00:03,000 --> 00:00:06,500
Maya: Thanks for making time today.

2
00:00:06,500 --> 00:00:10,000
How did you first hear about the <i>Breeze</i> blender?

3
00:00:11,000 --> 00:00:15,200
Sam: A friend had one.

4
00:00:15,200 --> 00:00:18,000
I saw it at her place.

5
00:00:24,000 --> 00:00:26,000
Maya: What made you finally buy it?
"""

WHISPER = {
    "text": " How did you hear about the Breeze? A friend had one. She loved it.",
    "segments": [
        {"id": 0, "start": 0.0, "end": 2.8, "text": " How did you hear about the Breeze?"},
        {"id": 1, "start": 3.1, "end": 4.6, "text": " A friend had one."},
        {"id": 2, "start": 4.6, "end": 5.9, "text": " She loved it."},
    ],
    "language": "en",
}

WHISPERX = {
    "segments": [
        {
            "start": 0.0,
            "end": 2.8,
            "text": " How did you hear about the Breeze?",
            "words": [{"word": "How", "start": 0.0, "end": 0.2, "speaker": "SPEAKER_00"}],
            "speaker": "SPEAKER_00",
        },
        {"start": 3.1, "end": 4.6, "text": " A friend had one.", "speaker": "SPEAKER_01"},
        {"start": 4.6, "end": 5.9, "text": ' She said "it\'s great".', "speaker": "SPEAKER_01"},
    ],
    "word_segments": [],
}

TEAMS_CUES = [
    "0:0:3.45 --> 0:0:6.5",
    "Maya Chen",
    "Thanks for making time today.",
    "",
    "0:0:6.5 --> 0:0:10.0",
    "Maya Chen",
    "How did you first hear about the Breeze blender?",
    "",
    "0:0:11.0 --> 0:0:15.2",
    "Sam Ortiz",
    "A friend had one.",
]

TEAMS_BLOCKS = [
    "Breeze interview-20250304_101500-Meeting Transcript",
    "4 March 2025, 10:15am",
    "32m 10s",
    "Maya Chen started transcription",
    "Maya Chen   0:03",
    "Thanks for making time today.",
    "How did you first hear about the Breeze blender?",
    "Sam Ortiz   0:11",
    "A friend had one.",
    "Maya Chen stopped transcription",
]

MAYA_OPENING = "Thanks for making time today. How did you first hear about the Breeze blender?"
HAS_WEBVTT = importlib.util.find_spec("journeyscope.interviews.webvtt") is not None


def turns(transcript: Transcript) -> list[tuple[str | None, str]]:
    return [(u.speaker, u.text) for u in transcript.utterances]


def invalid(value: str | Path | bytes, format: Format | str | None = None) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_transcript(value, format=format)
    return caught.value


# --- plain text ---------------------------------------------------------------------------------


def test_plain_reads_turns_with_continuation_lines_across_blank_lines() -> None:
    transcript = parse_transcript(PLAIN)

    assert transcript.format is Format.PLAIN
    assert turns(transcript) == [
        ("Maya", "Thanks for making time today. How did you first hear about the Breeze blender?"),
        (
            "Sam",
            "A friend had one. I saw it at her place and thought it looked solid. "
            "I kept thinking about it for weeks.",
        ),
        ("Maya", "What made you finally buy it?"),
        ("Sam", "The price dropped in the spring sale. Example: it went from 199 to 149."),
    ]


def test_plain_does_not_take_a_colon_inside_an_answer_for_a_speaker() -> None:
    text = PLAIN + "\nExample: the lid.\nMaya: And how is it now?\n"

    transcript = parse_transcript(text)

    assert transcript.speakers == ["Maya", "Sam"]
    assert transcript.utterances[3].text.endswith("Example: the lid.")


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("[00:01:02] Sam: A friend had one.", 62.0),
        ("(00:01:02) Sam: A friend had one.", 62.0),
        ("00:01:02 Sam: A friend had one.", 62.0),
        ("00:01:02 - Sam: A friend had one.", 62.0),
        ("Sam (00:01:02): A friend had one.", 62.0),
        ("Sam [1:02]: A friend had one.", 62.0),
        ("[1:02.5] Sam: A friend had one.", 62.5),
    ],
)
def test_plain_reads_timestamp_styles(line: str, start: float) -> None:
    transcript = parse_transcript(f"{line}\nMaya: How?\n")

    first = transcript.utterances[0]
    assert (first.speaker, first.text, first.start) == ("Sam", "A friend had one.", start)


def test_plain_bracketed_timestamp_alone_starts_a_new_turn_of_the_same_speaker() -> None:
    text = "[00:00:10] Sam: It was fine.\n[00:00:40] Then the lid cracked.\n[00:01:00] Maya: Oh?\n"

    transcript = parse_transcript(text)

    assert [(u.speaker, u.start) for u in transcript.utterances] == [
        ("Sam", 10.0),
        ("Sam", 40.0),
        ("Maya", 60.0),
    ]


def test_plain_without_labels_gives_one_utterance_per_paragraph() -> None:
    text = "I bought the blender in May.\nIt was on sale.\n\nThe lid cracked after a week.\n"

    transcript = parse_transcript(text)

    assert turns(transcript) == [
        (None, "I bought the blender in May. It was on sale."),
        (None, "The lid cracked after a week."),
    ]
    assert transcript.warnings


def test_plain_keeps_text_before_the_first_label_and_warns() -> None:
    transcript = parse_transcript("Interview with Sam, 4 March\n\n" + PLAIN)

    assert turns(transcript)[0] == (None, "Interview with Sam, 4 March")
    assert "before the first speaker" in transcript.warnings[0]


def test_plain_offsets_point_at_each_turn_in_the_source() -> None:
    transcript = parse_transcript(PLAIN)

    for utterance in transcript.utterances:
        assert utterance.source_start is not None and utterance.source_end is not None
        written = PLAIN[utterance.source_start : utterance.source_end]
        assert written.startswith(f"{utterance.speaker}:")
        assert " ".join(written.split()).endswith(utterance.text.split()[-1])


def test_plain_offsets_count_windows_line_endings() -> None:
    text = "Maya: How did you pay?\r\nSam: By card.\r\n"

    transcript = parse_transcript(text)

    second = transcript.utterances[1]
    assert text[second.source_start : second.source_end] == "Sam: By card."


# --- Otter and Rev ------------------------------------------------------------------------------


def test_otter_reads_header_blocks_and_skips_the_footer() -> None:
    transcript = parse_transcript(OTTER)

    assert transcript.format is Format.OTTER
    assert [(u.speaker, u.start) for u in transcript.utterances] == [
        ("Maya Chen", 3.0),
        ("Sam Ortiz", 11.0),
        ("Maya Chen", 24.0),
        ("Sam Ortiz", 3725.0),
    ]
    assert transcript.utterances[-1].text == "The price dropped in the spring sale."


def test_otter_offsets_cover_header_and_text() -> None:
    transcript = parse_transcript(OTTER)

    first = transcript.utterances[0]
    assert OTTER[first.source_start : first.source_end].startswith("Maya Chen  0:03\nThanks")


def test_rev_reads_header_blocks_and_skips_rev_lines() -> None:
    transcript = parse_transcript(REV)

    assert transcript.format is Format.REV
    assert [(u.speaker, u.start) for u in transcript.utterances] == [
        ("Maya Chen", 3.0),
        ("Sam Ortiz", 11.0),
        ("Maya Chen", 24.0),
        ("Sam Ortiz", 3725.0),
    ]
    assert transcript.warnings == ()


def test_rev_reads_bare_speaker_time_headers() -> None:
    transcript = parse_transcript(REV_BARE)

    assert transcript.format is Format.REV
    assert turns(transcript)[1] == ("Speaker 2", "A friend had one.")
    assert transcript.utterances[3].start == 30.0


def test_rev_reads_text_on_the_header_line() -> None:
    text = "Maya Chen (00:03): How did you pay?\nSam Ortiz (00:05): By card.\n"

    transcript = parse_transcript(text, format="rev")

    assert turns(transcript) == [("Maya Chen", "How did you pay?"), ("Sam Ortiz", "By card.")]


# --- SRT ----------------------------------------------------------------------------------------


def test_srt_reads_speakers_and_merges_their_cues() -> None:
    transcript = parse_transcript(SRT)

    assert transcript.format is Format.SRT
    assert turns(transcript) == [
        ("Maya", "Thanks for making time today. How did you first hear about the Breeze blender?"),
        ("Sam", "A friend had one. I saw it at her place."),
        ("Maya", "What made you finally buy it?"),
    ]
    first = transcript.utterances[0]
    assert (first.start, first.end) == (3.0, 10.0)


def test_srt_offsets_cover_the_cue_blocks() -> None:
    transcript = parse_transcript(SRT)

    sam = transcript.utterances[1]
    assert SRT[sam.source_start : sam.source_end].startswith("3\n00:00:11,000")
    assert SRT[sam.source_start : sam.source_end].endswith("I saw it at her place.")


def test_srt_reads_bracket_and_dialogue_dash_styles() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n[Maya] How did you pay?\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\n- Sam: By card.\n- Maya: Any trouble?\n"
    )

    transcript = parse_transcript(text)

    assert turns(transcript) == [
        ("Maya", "How did you pay?"),
        ("Sam", "By card."),
        ("Maya", "Any trouble?"),
    ]


def test_srt_sound_descriptions_are_not_speakers() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n[Music]\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\n[laughs] yes\n"
    )

    transcript = parse_transcript(text)

    assert turns(transcript) == [(None, "[Music]"), (None, "[laughs] yes")]


def test_srt_garbage_is_refused_naming_the_line() -> None:
    error = invalid("this is not\n\n1\n00:00:01,000 --> 00:00:03,000\nHi\n", format="srt")

    assert "not a valid SRT file" in error.message
    assert error.problems[0].line == 1


# --- Whisper JSON -------------------------------------------------------------------------------


def test_whisper_segments_without_speakers_are_one_utterance_each() -> None:
    transcript = parse_transcript(json.dumps(WHISPER))

    assert transcript.format is Format.WHISPER
    assert turns(transcript) == [
        (None, "How did you hear about the Breeze?"),
        (None, "A friend had one."),
        (None, "She loved it."),
    ]
    assert (transcript.utterances[1].start, transcript.utterances[1].end) == (3.1, 4.6)
    assert "--diarize" in transcript.warnings[0]


def test_whisperx_speakers_are_read_and_their_segments_merged() -> None:
    transcript = parse_transcript(json.dumps(WHISPERX, indent=2))

    assert turns(transcript) == [
        ("SPEAKER_00", "How did you hear about the Breeze?"),
        ("SPEAKER_01", 'A friend had one. She said "it\'s great".'),
    ]
    assert (transcript.utterances[1].start, transcript.utterances[1].end) == (3.1, 5.9)


def test_whisper_offsets_point_at_the_segment_text_in_the_json() -> None:
    source = json.dumps(WHISPERX, indent=2)

    first = parse_transcript(source).utterances[0]

    assert source[first.source_start : first.source_end] == "How did you hear about the Breeze?"


def test_whisper_reads_a_bare_list_of_segments() -> None:
    transcript = parse_transcript(json.dumps(WHISPERX["segments"]))

    assert transcript.speakers == ["SPEAKER_00", "SPEAKER_01"]


def test_json_that_is_not_whisper_is_refused_saying_what_was_expected() -> None:
    error = invalid(json.dumps({"results": [{"transcript": "hi"}]}))

    assert "not a Whisper transcript" in error.message
    assert '"segments"' in error.message
    assert error.hint is not None and "--output_format json" in error.hint


def test_whisper_segment_without_start_names_the_field() -> None:
    error = invalid(json.dumps({"segments": [{"text": "Hi", "end": 1.0}]}))

    assert error.field == "segments[0].start"


@pytest.mark.parametrize("seconds", ["NaN", "Infinity", "1" + "0" * 400])
def test_whisper_seconds_that_are_no_finite_number_name_the_field(seconds: str) -> None:
    source = f'{{"segments": [{{"text": "Hi", "start": 0, "end": {seconds}}}]}}'

    error = invalid(source, format=Format.WHISPER)

    assert error.field == "segments[0].end"
    assert "finite number of seconds" in error.message


def test_whisper_invalid_json_says_where() -> None:
    error = invalid('{"segments": [', format=Format.WHISPER)

    assert "not valid JSON" in error.message
    assert "line 1" in error.message


# --- Teams DOCX ---------------------------------------------------------------------------------


def test_docx_reads_teams_caption_cues_and_merges_a_speaker() -> None:
    transcript = parse_transcript(make_docx(TEAMS_CUES))

    assert transcript.format is Format.DOCX
    assert turns(transcript) == [
        ("Maya Chen", MAYA_OPENING),
        ("Sam Ortiz", "A friend had one."),
    ]
    assert (transcript.utterances[0].start, transcript.utterances[0].end) == (3.45, 10.0)


def test_docx_reads_teams_header_blocks_and_drops_the_meeting_preamble() -> None:
    transcript = parse_transcript(make_docx(TEAMS_BLOCKS))

    assert turns(transcript) == [
        ("Maya Chen", MAYA_OPENING),
        ("Sam Ortiz", "A friend had one."),
    ]
    assert [u.start for u in transcript.utterances] == [3.0, 11.0]


def test_docx_offsets_point_into_the_paragraphs_joined_by_newlines() -> None:
    text = "\n".join(TEAMS_BLOCKS)

    sam = parse_transcript(make_docx(TEAMS_BLOCKS)).utterances[1]

    assert text[sam.source_start : sam.source_end] == "Sam Ortiz   0:11\nA friend had one."


def test_docx_with_plain_speaker_lines_is_read_as_plain_text() -> None:
    transcript = parse_transcript(make_docx(PLAIN.splitlines()))

    assert transcript.format is Format.DOCX
    assert transcript.speakers == ["Maya", "Sam"]


def test_docx_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "interview.docx"
    path.write_bytes(make_docx(TEAMS_BLOCKS))

    assert parse_transcript(path).speakers == ["Maya Chen", "Sam Ortiz"]


def test_broken_docx_is_refused() -> None:
    error = invalid(b"PK\x03\x04 not really a zip")

    assert "not a readable Word" in error.message


def test_a_docx_that_inflates_to_megabytes_of_xml_is_refused_before_it_is_unpacked() -> None:
    bomb = make_docx_bomb(600_000)  # about 100 KB that inflate to 20 MB of paragraphs

    error = invalid(bomb)

    assert len(bomb) < 150_000
    assert "more than 10 MB of text and markup" in error.message
    assert error.hint is not None and "split the transcript" in error.hint


def test_a_docx_with_more_paragraphs_than_any_transcript_is_refused() -> None:
    error = invalid(make_docx_bomb(MAX_PARAGRAPHS + 1))

    assert f"has {MAX_PARAGRAPHS + 1:,} paragraphs" in error.message
    assert f"up to {MAX_PARAGRAPHS:,} paragraphs" in error.message


def test_a_docx_whose_parts_unpack_past_the_total_limit_is_refused() -> None:
    padded = rewrite_parts(make_docx(TEAMS_BLOCKS), {"word/media/padding.bin": bytes(60 << 20)})

    error = invalid(padded)

    assert "unpacks to more than 50 MB" in error.message


def test_a_docx_with_a_corrupt_part_is_refused_as_unreadable() -> None:
    document = make_docx(TEAMS_BLOCKS)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = bytearray(document)
    broken[start + 10 : start + 20] = bytes(10)  # inside the deflated document

    error = invalid(bytes(broken), format=Format.DOCX)

    assert "not a readable Word" in error.message


def test_docx_format_with_text_is_refused() -> None:
    error = invalid(PLAIN, format="docx")

    assert error.field == "format"


# --- WebVTT (parsed by interviews.webvtt) -------------------------------------------------------

needs_webvtt = pytest.mark.skipif(not HAS_WEBVTT, reason="interviews.webvtt not written yet")


@needs_webvtt
def test_webvtt_voice_spans_name_the_speakers() -> None:
    text = (
        "WEBVTT\n\n00:00:03.000 --> 00:00:06.000\n<v Maya Chen>How did you hear about it?</v>\n\n"
        "00:00:07.000 --> 00:00:09.000\n<v Sam Ortiz>A friend had one.</v>\n"
    )

    transcript = parse_transcript(text)

    assert transcript.format is Format.WEBVTT
    assert turns(transcript) == [
        ("Maya Chen", "How did you hear about it?"),
        ("Sam Ortiz", "A friend had one."),
    ]


@needs_webvtt
def test_webvtt_zoom_name_prefixes_are_speakers_and_their_cues_merge(tmp_path: Path) -> None:
    path = tmp_path / "zoom.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:03.000 --> 00:00:05.000\nMaya Chen: How did you\n\n"
        "2\n00:00:05.000 --> 00:00:06.000\nMaya Chen: hear about it?\n\n"
        "3\n00:00:07.000 --> 00:00:09.000\nSam Ortiz: A friend had one.\n"
    )

    transcript = parse_transcript(path)

    assert turns(transcript) == [
        ("Maya Chen", "How did you hear about it?"),
        ("Sam Ortiz", "A friend had one."),
    ]


# --- format detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n", Format.WEBVTT),
        (SRT, Format.SRT),
        (json.dumps(WHISPER), Format.WHISPER),
        (json.dumps(WHISPERX["segments"]), Format.WHISPER),
        (OTTER, Format.OTTER),
        (REV, Format.REV),
        (REV_BARE, Format.REV),
        (PLAIN, Format.PLAIN),
        ("[00:00:01] Maya: Hi\n[00:00:02] Sam: Hello\n", Format.PLAIN),
        ("Maya (00:01:02): How was it?\nSam (00:01:05): Great.\n", Format.PLAIN),
    ],
)
def test_detect_format_from_the_content(text: str, expected: Format) -> None:
    assert parse_transcript(text).format is expected
    assert parse_transcript(text.encode()).format is expected


def test_detect_format_trusts_a_telling_extension(tmp_path: Path) -> None:
    path = tmp_path / "interview.srt"
    path.write_text(SRT)

    assert parse_transcript(str(path)).format is Format.SRT


def test_detect_format_sniffs_the_content_of_a_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "interview.txt"
    path.write_text(OTTER, encoding="utf-8")

    assert parse_transcript(path).format is Format.OTTER


def test_format_names_and_aliases_are_accepted() -> None:
    assert parse_transcript(PLAIN, format="PLAIN").format is Format.PLAIN
    assert parse_transcript(PLAIN, format="txt").format is Format.PLAIN
    assert parse_transcript(OTTER, format=Format.OTTER).format is Format.OTTER


# --- errors -------------------------------------------------------------------------------------


def test_unknown_format_name_is_refused_listing_the_formats() -> None:
    error = invalid(PLAIN, format="pdf")

    assert error.field == "format"
    assert error.hint is not None and "webvtt" in error.hint


def test_bytes_that_are_not_utf8_are_refused_with_a_fix() -> None:
    error = invalid("Maya: Où avez-vous acheté le mixeur ?\n".encode("latin-1"))

    assert "not UTF-8" in error.message
    assert error.hint is not None and "UTF-8" in error.hint


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    assert parse_transcript(PLAIN.encode("utf-16")).speakers == ["Maya", "Sam"]


def test_utf8_byte_order_mark_is_dropped() -> None:
    assert parse_transcript(b"\xef\xbb\xbf" + OTTER.encode()).format is Format.OTTER


@pytest.mark.parametrize("value", ["", "  \n\n ", b"", b"\n"])
def test_empty_input_is_refused(value: str | bytes) -> None:
    assert "empty" in invalid(value).message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    error = invalid(str(tmp_path / "missing.vtt"))

    assert "no file" in error.message


def test_transcript_with_no_speech_is_refused() -> None:
    error = invalid("1\n00:00:01,000 --> 00:00:02,000\n\n")

    assert "No speech" in error.message


# --- properties ---------------------------------------------------------------------------------

SPEAKERS = st.sampled_from(["Maya", "Sam Ortiz", "Participant 2"])
SENTENCES = st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,8}){0,6}[.?!]", fullmatch=True)


@given(st.lists(st.tuples(SPEAKERS, SENTENCES), min_size=1, max_size=12))
def test_plain_reads_back_what_was_written(written: list[tuple[str, str]]) -> None:
    text = "".join(f"{speaker}: {sentence}\n" for speaker, sentence in written)

    transcript = parse_transcript(text, format="plain")

    assert turns(transcript) == written


@given(st.text(max_size=300))
def test_any_text_gives_a_transcript_or_invalid_input(text: str) -> None:
    try:
        transcript = parse_transcript(text, format="plain")
    except InvalidInput:
        return
    for utterance in transcript.utterances:
        assert utterance.source_start is not None and utterance.source_end is not None
        assert 0 <= utterance.source_start <= utterance.source_end <= len(text)


def test_the_facade_exports_the_public_names() -> None:
    import journeyscope.interviews as interviews

    assert {
        "Format",
        "Role",
        "Transcript",
        "Utterance",
        "detect_roles",
        "parse_transcript",
        "redact_transcript",
        "analyze_transcript",
        "import_interview",
    } <= set(interviews.__all__)
    assert all(hasattr(interviews, name) for name in interviews.__all__)
