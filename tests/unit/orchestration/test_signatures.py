"""Provider webhook signatures: Twilio's published example, our own HMAC, and tampering."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from journeyscope.orchestration.channels.signatures import (
    compute_signature,
    is_valid_signature,
    public_url,
)

# The example of Twilio's "Webhooks security" page and its helper libraries' snippets.
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675310"),
    ("Digits", "1234"),
    ("From", "+14158675310"),
    ("To", "+18005551212"),
]
EXPECTED = "GvWf1cFY/Q7PnoempGyD5oXAezc="


def independent(token: str, url: str, params: dict[str, str]) -> str:
    """The documented algorithm written out again, without the code under test."""
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def test_compute_signature_matches_twilios_published_example() -> None:
    assert compute_signature(TOKEN, URL, PARAMS) == EXPECTED


def test_compute_signature_ignores_the_order_params_arrive_in() -> None:
    assert compute_signature(TOKEN, URL, list(reversed(PARAMS))) == EXPECTED


def test_compute_signature_matches_the_algorithm_with_unicode_values() -> None:
    params = {"Digits": "9", "SpeechResult": "très bien ✓", "AccountSid": "AC1"}
    url = "https://feedback.example.com/ivr/tok/answer/nps?attempt=1&lang=fr"
    assert compute_signature("secret", url, params.items()) == independent("secret", url, params)


def test_is_valid_signature_accepts_the_published_example() -> None:
    assert is_valid_signature(TOKEN, URL, PARAMS, EXPECTED)


@pytest.mark.parametrize(
    ("url", "params", "token"),
    [
        (URL, [*PARAMS[:2], ("Digits", "9999"), *PARAMS[3:]], TOKEN),  # a changed value
        (URL, [*PARAMS, ("Extra", "1")], TOKEN),  # an added parameter
        (URL, PARAMS[1:], TOKEN),  # a removed parameter
        ("https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS, TOKEN),  # another query
        ("https://evil.example/myapp.php?foo=1&bar=2", PARAMS, TOKEN),  # another host
        (URL, PARAMS, "54321"),  # another account's token
    ],
)
def test_is_valid_signature_refuses_tampering(
    url: str, params: list[tuple[str, str]], token: str
) -> None:
    assert not is_valid_signature(token, url, params, EXPECTED)


@pytest.mark.parametrize("signature", [None, "", "not base64", EXPECTED[:-2]])
def test_is_valid_signature_refuses_missing_or_malformed_signatures(
    signature: str | None,
) -> None:
    assert not is_valid_signature(TOKEN, URL, PARAMS, signature)


def test_is_valid_signature_refuses_everything_without_an_auth_token() -> None:
    assert not is_valid_signature("", URL, PARAMS, compute_signature("", URL, PARAMS))


def test_is_valid_signature_accepts_the_url_signed_with_the_default_port() -> None:
    signed = compute_signature(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)
    assert is_valid_signature(TOKEN, URL, PARAMS, signed)


def test_is_valid_signature_accepts_the_url_signed_without_the_port() -> None:
    signed = compute_signature(TOKEN, URL, PARAMS)
    assert is_valid_signature(
        TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, signed
    )


def test_repeated_parameters_are_signed_in_value_order() -> None:
    params = [("Tag", "b"), ("Tag", "a")]
    data = "https://x.example/" + "Taga" + "Tagb"
    expected = base64.b64encode(hmac.new(b"t", data.encode(), hashlib.sha1).digest()).decode()
    assert compute_signature("t", "https://x.example/", params) == expected


def test_public_url_rebuilds_what_the_provider_called_behind_a_proxy() -> None:
    assert (
        public_url("https://feedback.example.com", "/ivr/t/start", "lang=fr")
        == "https://feedback.example.com/ivr/t/start?lang=fr"
    )
    assert public_url("https://x.example/fb/", "/ivr/t/start") == "https://x.example/fb/ivr/t/start"
