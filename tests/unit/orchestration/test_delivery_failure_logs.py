"""A failed delivery is logged by invitation and error type; the recipient only at DEBUG."""

from __future__ import annotations

import logging
import uuid

import aiosmtplib
import pytest

from journeyscope.orchestration.channels.base import log_failure

INVITATION = uuid.UUID(int=7)


def test_the_refused_address_is_kept_to_debug(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("journeyscope.orchestration.channels.email")
    try:
        raise aiosmtplib.SMTPRecipientRefused(
            550, "5.1.1 <ann@example.com>: unknown", "ann@example.com"
        )
    except aiosmtplib.SMTPRecipientRefused as error:
        with caplog.at_level(logging.DEBUG, logger=log.name):
            log_failure(log, "could not send invitation", INVITATION, error)
    above_debug = [r for r in caplog.records if r.levelno > logging.DEBUG]
    assert [r.getMessage() for r in above_debug] == [
        f"could not send invitation {INVITATION} (SMTPRecipientRefused; details at DEBUG)"
    ]
    assert all(r.exc_info is None for r in above_debug)
    [debug] = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert debug.exc_info is not None and "ann@example.com" in caplog.text
