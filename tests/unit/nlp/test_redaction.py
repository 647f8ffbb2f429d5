import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyscope.nlp import Redacted, RedactedSpan, redact
from journeyscope.nlp.redaction import luhn_valid


def kinds(result: Redacted) -> list[str]:
    return [span.kind for span in result.spans]


def test_emails_are_replaced() -> None:
    result = redact("Send the receipt to sam.ortiz+shop@example.co.uk please.")

    assert result.text == "Send the receipt to [EMAIL] please."
    assert kinds(result) == ["email"]


@pytest.mark.parametrize(
    "number",
    [
        "(415) 555-2671",
        "415.555.2671",
        "+1 415-555-2671",
        "0161 496 0000",
        "+44 161 496 0000",
        "+49 30 1234567",
        "+33 1 42 68 53 00",
    ],
)
def test_phone_numbers_are_replaced(number: str) -> None:
    result = redact(f"Call me on {number} after six.")

    assert result.text == "Call me on [PHONE] after six."


def test_national_numbers_of_other_regions_need_the_region() -> None:
    text = "Ruf mich an: 030 1234567."

    assert redact(text).text == text
    assert redact(text, phone_regions=["DE"]).text == "Ruf mich an: [PHONE]."


def test_dates_prices_times_and_years_are_not_phone_numbers() -> None:
    text = "It cost 1299 on 2023-03-05 at 10:30, zip 94103, 12,500 reviews."

    assert redact(text).text == text


@pytest.mark.parametrize(
    "card", ["4111 1111 1111 1111", "5555-5555-5555-4444", "3782 822463 10005", "4012888888881881"]
)
def test_luhn_valid_card_numbers_are_replaced(card: str) -> None:
    assert redact(f"I paid with {card} yesterday.").text == "I paid with [CARD] yesterday."


def test_a_random_16_digit_order_number_is_kept() -> None:
    text = "My order number is 4929 1234 5678 9013, and the tracking code 1234567890123456."

    assert not luhn_valid("4929123456789013")
    assert redact(text).text == text


def test_names_are_replaced_as_whole_words_in_any_case() -> None:
    result = redact("Sam Ortiz said SAM liked it; Samantha did not.", names=["Sam Ortiz"])

    assert result.text == "[NAME] said [NAME] liked it; Samantha did not."


def test_a_full_name_also_redacts_its_parts_but_not_particles() -> None:
    text = "Ana de Souza came with Ana; Souza's brother waited de facto outside."

    result = redact(text, names=["Ana de Souza"])

    assert result.text == "[NAME] came with [NAME]; [NAME]'s brother waited de facto outside."


def test_spans_point_into_the_original_text() -> None:
    text = "Sam (sam@example.com, 415.555.2671) paid with 4111 1111 1111 1111."

    result = redact(text, names=["Sam"])

    assert [(span.kind, text[span.start : span.end]) for span in result.spans] == [
        ("name", "Sam"),
        ("email", "sam@example.com"),
        ("phone", "415.555.2671"),
        ("card", "4111 1111 1111 1111"),
    ]
    assert result.spans[0] == RedactedSpan(0, 3, "name")
    assert result.spans[0].placeholder == "[NAME]"


def test_text_without_pii_is_unchanged() -> None:
    text = "The blender was loud, but it's fine."

    assert redact(text, names=["Sam"]) == Redacted(text, ())


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=12), max_size=3))
def test_spans_are_ordered_and_do_not_overlap(text: str, names: list[str]) -> None:
    result = redact(text, names=names)

    ends = [0]
    for span in result.spans:
        assert ends[-1] <= span.start < span.end <= len(text)
        ends.append(span.end)


def test_without_regions_only_international_numbers_are_found() -> None:
    text = "Call +44 161 496 0000 or (415) 555-2671."

    assert redact(text, phone_regions=()).text == "Call [PHONE] or (415) 555-2671."


def test_the_facade_exports_the_public_names() -> None:
    import journeyscope.nlp as nlp

    assert set(nlp.__all__) >= {"Redacted", "RedactedSpan", "redact"}
    assert all(hasattr(nlp, name) for name in nlp.__all__)
