import string
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyscope.errors import InvalidInput, Problem
from journeyscope.journey.models import Channel, JourneySpec, StageSpec, TouchpointSpec
from journeyscope.journey.yaml_format import dump_journey_yaml, load_journey_file, load_journey_yaml

VALID = """\
key: retail
name: Retail
stages:
  - key: purchase
    name: Purchase
    customer_actions:
      - Pays at the till
    touchpoints:
      - key: receipt
        name: Email receipt
        channel: email
"""


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml(dedent(text), source="j.yaml")
    return list(caught.value.problems)


def only_problem(text: str) -> Problem:
    [problem] = problems_in(text)
    return problem


# --- loading valid files --------------------------------------------------------------------------


def test_load_returns_the_journey_when_the_file_is_valid() -> None:
    spec = load_journey_yaml(VALID)

    assert spec.key == "retail"
    assert spec.stages[0].customer_actions == ["Pays at the till"]
    assert spec.stages[0].touchpoints[0].channel is Channel.EMAIL


def test_load_keeps_block_text_without_its_final_newline() -> None:
    spec = load_journey_yaml(
        VALID.replace("name: Retail\n", "name: Retail\ndescription: |\n  a\n  b\n")
    )

    assert spec.description == "a\nb"


def test_load_accepts_an_alias_of_a_single_value() -> None:
    text = VALID.replace("name: Retail\n", "name: &n Retail\n").replace(
        "name: Purchase", "name: *n"
    )

    assert load_journey_yaml(text).stages[0].name == "Retail"


# --- YAML-level problems --------------------------------------------------------------------------


def test_load_reports_syntax_error_at_the_marker_line() -> None:
    problem = only_problem("""\
        key: retail
        name: [Retail
        stages: []
        """)

    assert problem.line == 3
    assert problem.field is None
    assert problem.problem.startswith("YAML syntax error")


def test_load_suggests_spaces_when_a_line_is_indented_with_a_tab() -> None:
    problem = only_problem("key: retail\nname: Retail\nstages:\n\t- key: a\n")

    assert problem.line == 4
    assert "spaces, not tabs" in problem.fix


def test_load_suggests_quotes_when_a_value_contains_colon_space() -> None:
    problem = only_problem("key: retail\nname: Retail: the store\n")

    assert problem.line == 2
    assert "quotes" in problem.fix


def test_load_reports_control_characters_with_their_line() -> None:
    problem = only_problem("key: retail\nname: Re\x07tail\n")

    assert problem.line == 2
    assert "U+0007" in problem.problem


def test_load_reports_each_duplicated_yaml_key_at_the_second_use() -> None:
    problems = problems_in("""\
        key: retail
        name: Retail
        key: shop
        stages:
          - key: purchase
            name: Purchase
            name: Buying
        """)

    assert [(p.line, p.field) for p in problems] == [(3, "key"), (7, "stages[0].name")]
    assert "first on line 1" in problems[0].problem
    assert "delete the other" in problems[0].fix


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n"])
def test_load_reports_an_empty_file_at_line_1(text: str) -> None:
    problem = only_problem(text)

    assert problem.line == 1
    assert "empty" in problem.problem
    assert "`stages:`" in problem.fix


def test_load_reports_a_list_document_as_not_a_mapping() -> None:
    problem = only_problem("# journeys\n- key: retail\n")

    assert problem.line == 2
    assert "a list" in problem.problem
    assert "mapping" in problem.problem


def test_load_reports_a_second_document_at_its_separator() -> None:
    problem = only_problem(VALID + "---\nkey: other\n")

    assert problem.line == 12
    assert "more than one YAML document" in problem.problem
    assert "its own file" in problem.fix


def test_load_refuses_an_anchored_stage() -> None:
    problem = only_problem("""\
        key: retail
        name: Retail
        stages:
          - &stage {key: a, name: A}
          - *stage
        """)

    assert problem.line == 4
    assert problem.field == "stages[0]"
    assert "`&stage`" in problem.problem


def test_load_reports_nesting_deeper_than_a_journey() -> None:
    problem = only_problem("key: " + "[" * 40 + "\n")

    assert problem.line == 1
    assert "nests deeper" in problem.problem


@pytest.mark.parametrize(
    "value", ["!!python/object/apply:os.system [ls]", "!!int abc", "!!bool maybe", "!custom x"]
)
def test_load_refuses_explicit_tags_before_building_values(value: str) -> None:
    problem = only_problem(VALID.replace("name: Retail", f"name: {value}"))

    assert problem.line == 2
    assert problem.field == "name"
    assert f"`{value.split()[0]}` is not supported" in problem.problem


def test_load_reports_a_malformed_merge_key_instead_of_crashing() -> None:
    problem = only_problem(VALID.replace("name: Retail\n", "name: Retail\n<<: 5\n"))

    assert problem.line == 3
    assert "merging" in problem.problem


# --- field problems -------------------------------------------------------------------------------


def test_load_suggests_the_closest_field_when_a_field_is_unknown() -> None:
    problem = only_problem(VALID.replace("customer_actions:", "custmer_actions:"))

    assert problem.line == 6
    assert problem.field == "stages[0].custmer_actions"
    assert "did you mean `customer_actions`?" in problem.fix.lower()


@pytest.mark.parametrize(("written", "meant"), [("title", "name"), ("steps", "stages")])
def test_load_suggests_the_field_meant_by_a_common_synonym(written: str, meant: str) -> None:
    text = "key: j\nname: J\nstages:\n  - key: a\n    name: A\n" + f"{written}: x\n"

    assert f"`{meant}`" in only_problem(text).fix


def test_load_suggests_a_synonym_only_where_that_field_exists() -> None:
    problem = only_problem(
        VALID.replace("    name: Purchase\n", "    name: Purchase\n    steps: []\n")
    )

    assert "stages" not in problem.fix
    assert problem.fix.startswith("Remove it.")


def test_load_lists_the_allowed_fields_when_nothing_is_close() -> None:
    problem = only_problem(
        VALID.replace("        channel: email", "        channel: email\n        colour: red")
    )

    assert problem.line == 12
    assert problem.fix.startswith("Remove it.")
    assert "key, name, channel, description" in problem.fix


def test_load_reports_a_field_name_that_is_not_text() -> None:
    problem = only_problem(VALID.replace("name: Retail\n", "name: Retail\n1: one\n"))

    assert problem.line == 3
    assert problem.field == "1"
    assert "Field names must be text" in problem.problem
    assert "key, name, description, stages" in problem.fix


def test_load_reports_a_missing_name_at_the_line_of_its_stage() -> None:
    problem = only_problem(VALID.replace("    name: Purchase\n", ""))

    assert problem.line == 4
    assert problem.field == "stages[0].name"
    assert "has no `name`" in problem.problem
    assert "shown on the journey map" in problem.fix


def test_load_reports_a_missing_channel_and_lists_the_channels() -> None:
    problem = only_problem(VALID.replace("        channel: email\n", ""))

    assert problem.line == 9
    assert problem.field == "stages[0].touchpoints[0].channel"
    assert "call_center" in problem.fix


@pytest.mark.parametrize(
    ("stages", "line"),
    [("", 1), ("stages:\n", 3), ("stages: []\n", 3)],
    ids=["missing", "empty", "empty-list"],
)
def test_load_reports_a_journey_without_stages(stages: str, line: int) -> None:
    problem = only_problem("key: retail\nname: Retail\n" + stages)

    assert problem.line == line
    assert problem.field == "stages"
    assert problem.problem == "The journey has no stages."
    assert "at least one stage" in problem.fix


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("call-center", "call_center"),
        ("app", "in_app"),
        ("Email", "email"),
        ("phone", "call_center"),
        ("kiosk", "onsite"),
        ("web", "website"),
        ("SMS", "sms"),
    ],
)
def test_load_suggests_the_closest_channel(written: str, meant: str) -> None:
    problem = only_problem(VALID.replace("channel: email", f"channel: {written}"))

    assert problem.line == 11
    assert problem.field == "stages[0].touchpoints[0].channel"
    assert f"Unknown channel `{written}`" in problem.problem
    assert f"Did you mean `{meant}`?" in problem.fix
    assert "onsite, email, call_center, in_app, website, sms, other" in problem.fix


def test_load_lists_the_channels_when_nothing_is_close() -> None:
    problem = only_problem(VALID.replace("channel: email", "channel: carrier pigeon"))

    assert "Did you mean" not in problem.fix
    assert "Channels are: onsite, email" in problem.fix


def test_load_explains_the_slug_rule_when_a_key_is_invalid() -> None:
    problem = only_problem(VALID.replace("- key: purchase", "- key: Purchase Stage"))

    assert problem.line == 4
    assert problem.field == "stages[0].key"
    assert "lowercase" in problem.fix
    assert "`purchase-stage`" in problem.fix


def test_load_shows_a_number_as_written_and_suggests_quotes() -> None:
    problem = only_problem(VALID.replace("key: retail", "key: 007"))

    assert problem.line == 1
    assert "`007` reads as a number" in problem.problem
    assert '"007"' in problem.fix


def test_load_shows_the_written_value_after_an_unusual_line_separator() -> None:
    text = VALID.replace("name: Retail", "name: Re\u2028tail").replace(
        "- key: purchase", "- key: 0x1F"
    )

    problem = only_problem(text)

    assert problem.line == 4
    assert "`0x1F` reads as a number" in problem.problem


def test_load_explains_a_date_where_text_was_expected() -> None:
    problem = only_problem(VALID.replace("name: Retail", "name: 2024-05-01  # launch"))

    assert problem.line == 2
    assert "`2024-05-01` reads as a date" in problem.problem


def test_load_explains_an_empty_value() -> None:
    problem = only_problem(VALID.replace("name: Retail\n", "name: Retail\ndescription:\n"))

    assert problem.line == 3
    assert "it is empty" in problem.problem
    assert "remove the line" in problem.fix


def test_load_explains_a_list_expected_where_text_was_given() -> None:
    problem = only_problem(
        VALID.replace(
            "    customer_actions:\n      - Pays at the till\n",
            "    customer_actions: Pays at the till\n",
        )
    )

    assert problem.line == 6
    assert "should be a list" in problem.problem
    assert "`- `" in problem.fix


def test_load_explains_that_a_stage_must_be_a_mapping() -> None:
    problem = only_problem(VALID + "  - support\n")

    assert problem.line == 12
    assert problem.field == "stages[1]"
    assert "Each stage must be a mapping" in problem.problem


def test_load_reports_an_empty_customer_action() -> None:
    problem = only_problem(
        VALID.replace("      - Pays at the till\n", "      - Pays\n      - ''\n")
    )

    assert problem.line == 8
    assert problem.field == "stages[0].customer_actions[1]"
    assert "delete the empty" in problem.fix


def test_load_reports_text_longer_than_allowed() -> None:
    problem = only_problem(VALID.replace("name: Retail", "name: " + "x" * 201))

    assert problem.line == 2
    assert "201 characters" in problem.problem
    assert "at most 200" in problem.problem


def test_load_reports_a_nul_character_that_no_database_can_store() -> None:
    problem = only_problem(VALID.replace("name: Retail", 'name: "Re\\0tail"'))

    assert problem.line == 2
    assert problem.field == "name"
    assert "NUL" in problem.problem
    assert problem.fix == "Remove it."


def test_load_reports_a_duplicate_stage_key_with_both_lines() -> None:
    problem = only_problem(VALID + "  - key: purchase\n    name: Again\n")

    assert problem.line == 12
    assert problem.field == "stages[1].key"
    assert "`purchase`" in problem.problem
    assert "stages[0] (line 4)" in problem.problem


def test_load_reports_a_touchpoint_key_reused_in_another_stage() -> None:
    extra = (
        "  - key: support\n"
        "    name: Support\n"
        "    touchpoints:\n"
        "      - key: receipt\n"
        "        name: Receipt again\n"
        "        channel: email\n"
    )
    problem = only_problem(VALID + extra)

    assert problem.line == 15
    assert problem.field == "stages[1].touchpoints[0].key"
    assert "stages[0].touchpoints[0] (line 9)" in problem.problem
    assert "`support-receipt`" in problem.fix


def test_load_collects_every_problem_in_line_order() -> None:
    text = """\
        key: Retail
        name: Retail
        stages:
          - key: a
            name: A
            touchpoints:
              - key: t
                name: T
                channel: phone
          - key: a
            nam: A
        """

    problems = problems_in(text)

    assert [p.line for p in problems] == [1, 9, 10, 10, 11]
    assert [p.field for p in problems] == [
        "key",
        "stages[0].touchpoints[0].channel",
        "stages[1].name",
        "stages[1].key",
        "stages[1].nam",
    ]


def test_load_message_names_the_source_and_counts_problems() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml("key: A\nname: ''\nstages: []\n", source="shop.yaml")

    assert caught.value.message == "shop.yaml: 3 problems in the journey file"
    assert "docs/journey-yaml.md" in (caught.value.hint or "")


def test_load_message_counts_a_single_problem_in_the_singular() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_journey_yaml("")

    assert caught.value.message == "<string>: 1 problem in the journey file"


# --- files ----------------------------------------------------------------------------------------


def test_load_file_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_bytes("\ufeff".encode() + VALID.replace("Retail", "Café").encode())

    assert load_journey_file(path).name == "Café"


def test_load_file_names_the_path_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("key: retail\n", encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        load_journey_file(path)

    assert caught.value.message.startswith(f"{path}: ")


def test_load_file_reports_a_missing_file_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_journey_file(tmp_path / "nope.yaml")

    [problem] = caught.value.problems
    assert "Cannot read" in problem.problem
    assert "Check the path" in problem.fix


def test_load_file_reports_a_folder_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_journey_file(tmp_path)

    assert "Cannot read" in caught.value.problems[0].problem


def test_load_file_reports_the_line_of_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("Retail", "Caf\xe9").encode("latin-1"))

    with pytest.raises(InvalidInput) as caught:
        load_journey_file(path)

    [problem] = caught.value.problems
    assert problem.line == 2
    assert "0xe9" in problem.problem
    assert "UTF-8" in problem.fix


# --- dumping --------------------------------------------------------------------------------------


def full_journey() -> JourneySpec:
    return JourneySpec(
        key="retail",
        name="Retail",
        description="First line.\nSecond line: with a colon # and a hash",
        stages=[
            StageSpec(
                key="purchase",
                name="yes",
                customer_actions=["007", "Pays: by card"],
                touchpoints=[
                    TouchpointSpec(key="receipt", name="Receipt", channel=Channel.EMAIL),
                ],
            ),
            StageSpec(key="support", name="Support"),
        ],
    )


def test_dump_writes_fields_in_a_fixed_order_and_leaves_out_empty_ones() -> None:
    text = dump_journey_yaml(full_journey())

    assert text == dedent("""\
        key: retail
        name: Retail
        description: |-
          First line.
          Second line: with a colon # and a hash
        stages:
          - key: purchase
            name: 'yes'
            customer_actions:
              - '007'
              - 'Pays: by card'
            touchpoints:
              - key: receipt
                name: Receipt
                channel: email

          - key: support
            name: Support
        """)


def test_dump_quotes_strings_that_yaml_11_reads_as_other_types() -> None:
    spec = full_journey().model_copy(update={"name": "on"})

    assert "name: 'on'\n" in dump_journey_yaml(spec)


def test_dump_escapes_characters_that_readers_take_as_line_breaks() -> None:
    spec = full_journey().model_copy(update={"name": "a\u2028b\x85c"})

    text = dump_journey_yaml(spec)

    assert 'name: "a\\Lb\\Nc"' in text
    assert load_journey_yaml(text) == spec


# --- round trip -----------------------------------------------------------------------------------

YAML_TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "True",
    "null",
    "~",
    "007",
    "0x1F",
    "1e3",
    "1_000",
    "1:30",
    ".inf",
    "-.5",
    "2024-01-01",
    "- item",
    "key: value",
    "# hash",
    "a #b",
    "'quoted'",
    '"dq"',
    "it's",
    "*alias",
    "&anchor",
    "!tag",
    "%YAML",
    "@at",
    "`tick",
    "|",
    ">",
    "[x]",
    "{y: 1}",
    "...",
    "---",
    "? q",
    "<<",
    "\\n",
    "é ✓ 中文 🚀",
    "a\tb",
    "\x01",
    "x\x85y",
    "a\u2028b",
    "a\r\nb",
    "a  \n  b",
    "x\n\n\ny",
    "first\n  indented",
    "trailing \nspace",
    "\ufeffbom",
]
FIRST = string.ascii_lowercase + string.digits
keys = st.builds(str.__add__, st.sampled_from(FIRST), st.text(FIRST + "-_", max_size=62))
text_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")  # storable text
lines = st.text(text_chars, max_size=40) | st.sampled_from(YAML_TRICKY)
texts = lines | st.lists(lines, min_size=2, max_size=4).map("\n".join)
names = texts.filter(lambda s: s.strip()).map(lambda s: s[:200])
descriptions = st.just("") | texts


@st.composite
def journeys(draw: st.DrawFn) -> JourneySpec:
    """Valid journeys: unique stage keys, touchpoint keys unique across the whole journey."""
    counts = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    stage_keys = draw(st.lists(keys, min_size=len(counts), max_size=len(counts), unique=True))
    tp_keys = iter(draw(st.lists(keys, min_size=sum(counts), max_size=sum(counts), unique=True)))
    stages = [
        StageSpec(
            key=key,
            name=draw(names),
            description=draw(descriptions),
            customer_actions=draw(st.lists(names, max_size=3)),
            touchpoints=[
                TouchpointSpec(
                    key=next(tp_keys),
                    name=draw(names),
                    channel=draw(st.sampled_from(Channel)),
                    description=draw(descriptions),
                )
                for _ in range(count)
            ],
        )
        for key, count in zip(stage_keys, counts, strict=True)
    ]
    return JourneySpec(
        key=draw(keys), name=draw(names), description=draw(descriptions), stages=stages
    )


@settings(max_examples=100, deadline=None)
@given(journeys())
def test_dump_then_load_returns_the_same_journey(spec: JourneySpec) -> None:
    assert load_journey_yaml(dump_journey_yaml(spec)) == spec
