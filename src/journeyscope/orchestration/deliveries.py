"""What a channel is handed for one invitation or its reminder: a :class:`Delivery`.

The personal link is signed here. Its expiry counts from the moment the invitation was sent,
so a reminder rebuilds exactly the same link (same nonce, same expiry, same token) from the
row's ``sent_at``: the respondent lands on the same response from either message. A reminder
gets its own ``Message-ID`` (``<id.r1@host>``), so it is not taken for a resend of the first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from journeyscope import collection, surveys
from journeyscope.collection import invitation_url, unsubscribe_url
from journeyscope.errors import NotFound
from journeyscope.journey import Channel
from journeyscope.orchestration.channels.base import Delivery, Outcome, Recipient, Sender
from journeyscope.orchestration.models import ContactDetails, StoredInvitation
from journeyscope.store import Database


@dataclass(frozen=True, slots=True)
class DispatchConfig:
    """What a pass needs besides the database: links, signing key, batch size, lease."""

    base_url: str
    secret_key: str
    batch: int = 200
    lease: dt.timedelta = dt.timedelta(minutes=5)


RECORD_EVERY = 20
"""Outcomes committed together while a batch sends: the most a crash can leave unrecorded."""


LINK_LIFETIME = dt.timedelta(days=30)
"""How long the link of a sent invitation works, counted from its sending."""
REMINDER_SUFFIX = ".r1"
"""Added to the local part of an invitation's ``Message-ID`` for its (one) reminder."""


def link_expires_at(sent_at: dt.datetime) -> dt.datetime:
    """When the link sent at ``sent_at`` stops working (whole seconds, as the token keeps it)."""
    return (sent_at + LINK_LIFETIME).replace(microsecond=0)


def message_id(invitation_id: uuid.UUID, base_url: str, *, is_reminder: bool = False) -> str:
    """``<id@host>`` for the invitation, ``<id.r1@host>`` for its reminder (host of the links)."""
    host = urlsplit(base_url).hostname or "journeyscope.invalid"
    return f"<{invitation_id}{REMINDER_SUFFIX if is_reminder else ''}@{host}>"


def build_delivery(
    row: StoredInvitation,
    contact: ContactDetails,
    survey: surveys.PublishedSurvey,
    *,
    config: DispatchConfig,
    sent_at: dt.datetime,
    now: dt.datetime,
    is_reminder: bool = False,
) -> Delivery:
    """The delivery of ``row`` to ``contact`` at ``now``; ``sent_at``: the invitation's sending.

    A reminder's ``sent_at`` is the first sending (its link is the same); ``now`` dates it.
    """
    invitation = collection.Invitation(
        workspace_id=row.workspace_id,
        survey_id=row.survey_id,
        contact_id=contact.id,
        channel=Channel(row.channel),
        nonce=row.nonce,
        expires_at=link_expires_at(sent_at),
    )
    token = collection.sign_invitation(invitation, config.secret_key)
    wanted = [contact.locale] if contact.locale else []
    return Delivery(
        invitation_id=row.id,
        workspace_id=row.workspace_id,
        channel=row.channel,
        recipient=Recipient(
            contact_id=contact.id,
            external_id=contact.external_id,
            email=contact.email,
            phone=contact.phone,
            name=contact.name,
            locale=contact.locale,
            attributes=dict(contact.attributes or {}),
        ),
        survey=survey,
        lang=surveys.match_language(survey.definition, wanted),
        link=invitation_url(config.base_url, token),
        token=token,
        unsubscribe_url=unsubscribe_url(config.base_url, token),
        message_id=message_id(row.id, config.base_url, is_reminder=is_reminder),
        date=now,
        is_reminder=is_reminder,
    )


def response_id_of(row: StoredInvitation) -> uuid.UUID:
    """The id of the one response the invitation's link fills (it derives from the nonce)."""
    invitation = collection.Invitation(
        workspace_id=row.workspace_id,
        survey_id=row.survey_id,
        contact_id=row.contact_id,
        channel=Channel(row.channel),
        nonce=row.nonce,
        expires_at=row.expires_at,
    )
    return invitation.response_id


def published_surveys(
    db: Database, keys: Iterable[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], surveys.PublishedSurvey | None]:
    """The published survey of each ``(workspace_id, survey_id)``; ``None`` for a closed one."""
    found: dict[tuple[uuid.UUID, uuid.UUID], surveys.PublishedSurvey | None] = {}
    for key in set(keys):
        try:
            found[key] = surveys.published_by_id(db, *key)
        except NotFound:
            found[key] = None
    return found


Recorder = Callable[[Sequence[Outcome]], None]
"""Commits a group of outcomes (a blocking database write; run in a thread)."""


async def send_all(
    senders: Mapping[str, Sender],
    deliveries: Sequence[Delivery],
    record: Recorder,
    *,
    every: int = RECORD_EVERY,
) -> list[Outcome]:
    """Hand each channel its deliveries and commit every outcome through ``record``.

    Outcomes are committed in groups of ``every`` while the batch is still sending, so a
    worker killed mid-batch can only have sent, without recording, the messages of the group
    in flight: those are what a re-claim sends twice. Each outcome is recorded once.
    """
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    stream = _Stream(record, every)
    outcomes: list[Outcome] = []
    try:
        for channel, batch in by_channel.items():
            outcomes += await senders[channel].send(batch, stream.hear)
    finally:
        await stream.drain()
    await stream.write([o for o in outcomes if o.invitation_id not in stream.recorded])
    return outcomes


class _Stream:
    """Outcomes heard during a batch, written in order, one group at a time, off the loop."""

    def __init__(self, record: Recorder, every: int) -> None:
        self.record = record
        self.every = every
        self.pending: list[Outcome] = []
        self.recorded: set[uuid.UUID] = set()
        self.writes: list[asyncio.Task[None]] = []
        self.lock = asyncio.Lock()

    def hear(self, outcome: Outcome) -> None:
        self.pending.append(outcome)
        if len(self.pending) >= self.every:
            group, self.pending = self.pending, []
            self.writes.append(asyncio.create_task(self.write(group)))

    async def write(self, group: Sequence[Outcome]) -> None:
        if not group:
            return
        async with self.lock:  # FIFO: groups are committed in the order they were heard
            await asyncio.to_thread(self.record, group)
        self.recorded.update(outcome.invitation_id for outcome in group)

    async def drain(self) -> None:
        """Wait for the groups being written; write what was heard since the last one."""
        await asyncio.gather(*self.writes)
        group, self.pending = self.pending, []
        await self.write(group)
