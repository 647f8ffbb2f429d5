"""The public URLs respondents open; one place, so links, emails and QR codes agree. Pure."""

from __future__ import annotations


def survey_url(base_url: str, public_id: str) -> str:
    """The hosted survey link ``{base_url}/s/{public_id}``; the same for everyone."""
    return f"{base_url.rstrip('/')}/s/{public_id}"


def kiosk_url(base_url: str, touchpoint_public_id: str) -> str:
    """The kiosk page link ``{base_url}/k/{touchpoint_public_id}`` of a touchpoint."""
    return f"{base_url.rstrip('/')}/k/{touchpoint_public_id}"


def invitation_url(base_url: str, token: str) -> str:
    """The personal survey page ``{base_url}/i/{token}`` of a signed invitation."""
    return f"{base_url.rstrip('/')}/i/{token}"


def unsubscribe_url(base_url: str, token: str) -> str:
    """The one-click unsubscribe endpoint ``{base_url}/u/{token}`` (RFC 8058)."""
    return f"{base_url.rstrip('/')}/u/{token}"
