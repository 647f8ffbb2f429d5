"""WebVTT import: parse_webvtt beyond the wpt suite, and to_transcript for real exports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyscope.errors import InvalidInput
from journeyscope.interviews.transcripts import Format, Role, Transcript
from journeyscope.interviews.webvtt import parse_webvtt, to_transcript

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Anna Schmidt: Thanks for joining. Can you tell me about your last booking?

2
00:00:04.500 --> 00:00:07.000
Anna Schmidt: Take your time.

3
00:00:07.500 --> 00:00:12.250
Ben O'Neil: Sure. Well: it started when the app crashed.

4
00:00:12.500 --> 00:00:14.000
Dr. Anna Schmidt: Crashed how?
"""

TEAMS = """WEBVTT

2f1b3c4d-1234-4567-89ab-cdef01234567/12-0
00:00:03.120 --> 00:00:05.480
<v Alice Martin>So tell me about the last time</v>

2f1b3c4d-1234-4567-89ab-cdef01234567/12-1
00:00:05.480 --> 00:00:07.000
<v Alice Martin>you booked a trip.</v>

2f1b3c4d-1234-4567-89ab-cdef01234567/13-0
00:00:07.900 --> 00:00:09.000
<v.loud  Bob   Ng>Last week, &amp; it was painful.</v>

2f1b3c4d-1234-4567-89ab-cdef01234567/14-0
00:00:09.100 --> 00:00:10.000
<v Alice Martin>Why?</v>
"""

YOUTUBE = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000
Welcome back to the channel.

00:00:02.000 --> 00:00:04.500
Today we look at <i>booking</i> flows.
"""

YOUTUBE_AUTO = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.030 align:start position:0%
\x20
so<00:00:00.480><c> the</c><00:00:00.960><c> checkout</c>

00:00:02.030 --> 00:00:02.040 align:start position:0%
so the checkout
\x20

00:00:02.040 --> 00:00:04.110 align:start position:0%
so the checkout
was<00:00:02.600><c> really</c><00:00:02.900><c> slow</c>

00:00:04.110 --> 00:00:04.120 align:start position:0%
was really slow
\x20

00:00:04.120 --> 00:00:06.000 align:start position:0%
was really slow
and<00:00:04.500><c> confusing</c>
"""


def _transcript(text: str) -> Transcript:
    return to_transcript(parse_webvtt(text), text)


def test_zoom_name_prefixes_become_speakers_and_turns_merge() -> None:
    transcript = _transcript(ZOOM)
    assert transcript.format is Format.WEBVTT
    assert [(u.speaker, u.text) for u in transcript.utterances] == [
        (
            "Anna Schmidt",
            "Thanks for joining. Can you tell me about your last booking? Take your time.",
        ),
        ("Ben O'Neil", "Sure. Well: it started when the app crashed."),
        ("Dr. Anna Schmidt", "Crashed how?"),
    ]
    first = transcript.utterances[0]
    assert (first.start, first.end, first.role) == (1.0, 7.0, Role.UNKNOWN)


def test_zoom_prefix_that_reads_as_a_sentence_is_not_a_speaker() -> None:
    text = ZOOM + "\n5\n00:00:15.000 --> 00:00:16.000\nwell, honestly: no idea\n"
    last = _transcript(text).utterances[-1]
    assert (last.speaker, last.text) == (None, "well, honestly: no idea")


def test_colons_in_a_file_without_speakers_do_not_make_speakers() -> None:
    text = YOUTUBE + "\n00:00:05.000 --> 00:00:06.000\nHere is the thing: it broke.\n"
    transcript = _transcript(text)
    assert transcript.speakers == []
    assert transcript.utterances[-1].text == "Here is the thing: it broke."


def test_teams_voice_spans_give_speakers_and_split_cues_merge() -> None:
    transcript = _transcript(TEAMS)
    assert [(u.speaker, u.text, u.start, u.end) for u in transcript.utterances] == [
        ("Alice Martin", "So tell me about the last time you booked a trip.", 3.12, 7.0),
        ("Bob Ng", "Last week, & it was painful.", 7.9, 9.0),
        ("Alice Martin", "Why?", 9.1, 10.0),
    ]
    assert transcript.speakers == ["Alice Martin", "Bob Ng"]
    assert transcript.warnings == ()


def test_two_voices_in_one_cue_become_two_utterances() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\n- <v Esme>Hee!</v>\n- <v Mary>No way!</v>\n"
    transcript = _transcript(text)
    assert [(u.speaker, u.text) for u in transcript.utterances] == [
        ("Esme", "Hee!"),
        ("Mary", "No way!"),
    ]


def test_youtube_captions_without_speakers_stay_one_utterance_per_cue() -> None:
    transcript = _transcript(YOUTUBE)
    assert [(u.speaker, u.text, u.start) for u in transcript.utterances] == [
        (None, "Welcome back to the channel.", 0.0),
        (None, "Today we look at booking flows.", 2.0),
    ]
    assert "No speaker names were found" in transcript.warnings[0]


def test_youtube_rolling_captions_drop_repeated_lines() -> None:
    transcript = _transcript(YOUTUBE_AUTO)
    assert [u.text for u in transcript.utterances] == [
        "so the checkout",
        "was really slow",
        "and confusing",
    ]
    assert any("rolling captions" in warning for warning in transcript.warnings)


def test_a_line_said_twice_in_ordinary_subtitles_is_kept() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nNo.\n\n00:02.000 --> 00:03.000\nNo.\n"
    assert [u.text for u in _transcript(text).utterances] == ["No.", "No."]


def test_tags_are_stripped_and_character_references_decoded() -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n"
        "<c.yellow>Fish &amp; chips</c> &lt;3 &gt; <b>caf&#233;</b> &#x1F600;"
        "&nbsp;<u>&lrm;ok&rlm;</u> <lang de>ja</lang> <ruby>漢<rt>kan</rt></ruby> a < b\n"
    )
    [utterance] = _transcript(text).utterances
    assert utterance.text == (
        "Fish & chips <3 > café \U0001f600\u00a0\u200eok\u200f ja 漢kan a < b"
    )


def test_utterance_offsets_point_at_the_cue_text_in_the_source() -> None:
    source = "\ufeff" + TEAMS.replace("\n", "\r\n")
    transcript = _transcript(source)
    first, second, _ = transcript.utterances
    span = source[first.source_start : first.source_end]
    assert span.startswith("<v Alice Martin>So tell me")
    assert span.endswith("<v Alice Martin>you booked a trip.</v>")
    assert "\r\n2f1b3c4d" in span
    assert source[second.source_start : second.source_end] == (
        "<v.loud  Bob   Ng>Last week, &amp; it was painful.</v>"
    )


def test_cue_offsets_survive_bare_cr_and_nul() -> None:
    source = "WEBVTT\r\r00:01.000 --> 00:02.000\rtwo\x00\rlines\r\r00:03.000 --> 00:04.000\r"
    cues = parse_webvtt(source).cues
    assert [c.text for c in cues] == ["two\ufffd\nlines", ""]
    assert source[cues[0].source_start : cues[0].source_end] == "two\x00\rlines"
    assert cues[1].source_start == cues[1].source_end == len(source)


def test_to_transcript_rejects_a_source_the_file_was_not_parsed_from() -> None:
    with pytest.raises(ValueError, match="parsed from"):
        to_transcript(parse_webvtt(TEAMS), ZOOM)


def test_cues_with_invalid_timings_are_skipped_with_a_warning() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nkept\n\n00:00:1.000 --> 00:00:02.000\nlost\n"
    transcript = _transcript(text)
    assert [u.text for u in transcript.utterances] == ["kept"]
    assert transcript.warnings[0].startswith("Line 6: '00:00:1.000 --> 00:00:02.000'")


def test_a_file_with_only_the_signature_gives_an_empty_transcript() -> None:
    transcript = _transcript("WEBVTT - nothing yet\n")
    assert transcript.utterances == ()
    assert transcript.warnings == ("The file has no cues, so the transcript is empty.",)


@pytest.mark.parametrize(
    ("text", "problem", "fix"),
    [
        ("", "The file is empty.", "Export the transcript again"),
        ("webvtt\n\n00:01.000 --> 00:02.000\nhi\n", "'WEBVTT' in capitals", "capital letters"),
        ("\nWEBVTT\n", "'WEBVTT' in capitals on its very first line", "Remove anything"),
        ("WEBVTT-Zoom\n", "after WEBVTT only a space or tab may follow", "'WEBVTT' alone"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "SubRip (.srt)", "Import it as SRT"),
        ("Speaker 1: hello\n", "must start with the line 'WEBVTT'", "real format"),
    ],
)
def test_missing_signature_raises_invalid_input_saying_what_and_how(
    text: str, problem: str, fix: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_webvtt(text)
    error = raised.value
    assert problem in error.message
    assert error.hint is not None and fix in error.hint
    assert error.code == "invalid-input"
    assert [(p.line, p.problem, p.fix) for p in error.problems] == [(1, error.message, error.hint)]


def test_signature_may_carry_a_title_after_a_space_or_tab() -> None:
    for first_line in ("WEBVTT", "WEBVTT Zoom export", "WEBVTT\tMeet"):
        assert len(parse_webvtt(first_line + "\n\n00:01.000 --> 00:02.000\nhi").cues) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["", "\n", "\r\n", "\r", "-->", " --> ", "00:01.000", "00:00:02.000", "STYLE",
             "REGION", "id:r", "region:r", "line:50%", "<v Ann>", "</v>", "Ann: ", "hi", "&amp;",
             "\x00", "NOTE", ":", "<", "\ufeff"]
        ),
        max_size=40,
    ).map("".join)
)  # fmt: skip
def test_any_body_parses_and_converts_with_offsets_that_match(body: str) -> None:
    source = "WEBVTT\n" + body
    parsed = parse_webvtt(source)
    for cue in parsed.cues:
        raw = source[cue.source_start : cue.source_end]
        assert raw.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n") == cue.text
    transcript = to_transcript(parsed, source)
    assert all(u.text and u.text == u.text.strip() for u in transcript.utterances)


@pytest.mark.parametrize(
    ("text", "texts"),
    [
        ("\ufeffWEBVTT\n\n00:00.000 --> 00:01.000\nbom", ["bom"]),
        ("WEBVTT \n\n00:00.000 --> 00:01.000\nspace", ["space"]),
        ("WEBVTT ", []),
        ("WEBVTT\n00:00.000 --> 00:01.000\nheader timings", ["header timings"]),
        ("WEBVTT\ngarbage\n\n00:00.000 --> 00:01.000\nafter garbage", ["after garbage"]),
        ("WEBVTT\n\n00:60:00.000 --> 01:00:00.000\nx\n\n60:00.000 --> 61:00.000\nx", []),
        ("WEBVTT\n\n00:00:60.000 --> 00:01:00.000\nx\n\n60:00:00.000 --> 61:00:00.000\ny", ["y"]),
        ("WEBVTT\n\n00:00:00.000 --> 00:00:01", []),
        ("WEBVTT\n\nNOTE 00:00.000 --> 00:01.000\n\n00:00.000 --> 00:01.000\nafter", ["after"]),
    ],
)
def test_signature_header_and_timestamp_edge_cases_follow_the_spec(
    text: str, texts: list[str]
) -> None:
    assert [cue.text for cue in parse_webvtt(text).cues] == texts


def test_style_and_region_blocks_are_collected_only_before_the_first_cue() -> None:
    text = (
        "WEBVTT\n\nSTYLE\n::cue { color: lime }\n\nREGION\nid:r width:40% lines:2\n"
        "regionanchor:0%,100% viewportanchor:10%,90% scroll:up\n\n"
        "00:00.000 --> 00:01.000 region:r\nin region\n\nSTYLE\n::cue { color: red }\n"
    )
    parsed = parse_webvtt(text)
    assert parsed.stylesheets == ("::cue { color: lime }",)
    [region] = parsed.regions
    assert (region.id, region.width, region.lines, region.scroll) == ("r", 40.0, 2, "up")
    assert (region.viewport_anchor_x, region.viewport_anchor_y) == (10.0, 90.0)
    assert parsed.cues[0].region is region
