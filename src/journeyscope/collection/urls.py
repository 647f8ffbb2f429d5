"""The public URLs respondents open; one place, so links, emails and QR codes agree. Pure."""

from __future__ import annotations


def survey_url(base_url: str, public_id: str) -> str:
    """The hosted survey link ``{base_url}/s/{public_id}``; the same for everyone."""
    return f"{base_url.rstrip('/')}/s/{public_id}"


def kiosk_url(base_url: str, touchpoint_public_id: str) -> str:
    """The kiosk page link ``{base_url}/k/{touchpoint_public_id}`` of a touchpoint."""
    return f"{base_url.rstrip('/')}/k/{touchpoint_public_id}"
