"""Web sign-in: checking a password under the throttle, sessions, signing out.

Security model. A session is a 256-bit random token in an HttpOnly cookie; the database
keeps only its SHA-256 (a leaked backup holds no usable session, and 256 random bits need
no slow hash). Every request reads the session, its person and their workspace again, so a
removed person or a changed role takes effect at once. The CSRF token of a session is an
HMAC of a fixed label keyed with the session's token: only the cookie's holder can compute
it, and nothing more is stored.

A refused sign-in says the same for an unknown address and a wrong password, and costs the
same (``passwords.verify_password`` checks a dummy hash for unknown addresses). Failures
are counted per address typed and per client address (``throttle``); over the limit, the
answer is :class:`~journeyscope.errors.TooManyRequests` before any password is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from journeyscope.errors import TooManyRequests, Unauthenticated
from journeyscope.store import Database
from journeyscope.workspaces import people_repo as repo
from journeyscope.workspaces.models import SignedIn, StartedSession
from journeyscope.workspaces.passwords import hash_password, needs_rehash, verify_password
from journeyscope.workspaces.repo import get_workspace, to_workspace
from journeyscope.workspaces.throttle import DEFAULT_LIMITS, ThrottleLimits, retry_after

TOUCH_INTERVAL = dt.timedelta(minutes=1)
_CSRF_LABEL = b"journeyscope csrf v1"


@dataclass(frozen=True, slots=True)
class SessionRules:
    """How long a session lasts at most (``lifetime``) and unused (``idle``)."""

    lifetime: dt.timedelta = dt.timedelta(hours=12)
    idle: dt.timedelta = dt.timedelta(hours=2)


def hash_session_token(token: str) -> str:
    """What is stored for a session token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(session_token: str) -> str:
    """The CSRF token of the session whose cookie holds ``session_token``."""
    return hmac.new(session_token.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


def is_same_token(expected: str, given: str | None) -> bool:
    """Whether ``given`` is ``expected``, compared in constant time."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _subject(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def sign_in(
    db: Database,
    *,
    email: str,
    password: str,
    client: str,
    rules: SessionRules | None = None,
    limits: ThrottleLimits = DEFAULT_LIMITS,
) -> StartedSession:
    """Check the address and password and start a session; or refuse, saying nothing more.

    Raises :class:`TooManyRequests` (with ``retry_after``) once the address or the client
    has failed too often, and :class:`Unauthenticated` for a wrong address or password.
    """
    now = db.clock.now()
    address = email.strip().lower()
    account, ip = _subject("account", address), _subject("ip", client)
    with db.transaction() as session:
        waits = [
            retry_after(
                repo.recent_failures(session, account, now - limits.window),
                limit=limits.per_account,
                window=limits.window,
                now=now,
            ),
            retry_after(
                repo.recent_failures(session, ip, now - limits.window),
                limit=limits.per_ip,
                window=limits.window,
                now=now,
            ),
        ]
        row = repo.get_user_by_email(session, address)
        stored = row.password_hash if row is not None else None
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise TooManyRequests(
            "Too many failed sign-ins. Wait a few minutes, then try again.",
            retry_after=wait,
            hint="ask an owner of your workspace to set a new password if you forgot it",
        )
    if not verify_password(stored, password):  # slow, and as slow for unknown addresses
        with db.transaction() as session:
            repo.add_failures(session, [account, ip], now)
            repo.prune_failures(session, now - limits.window)
        raise Unauthenticated(
            "The email address or the password is not right.",
            hint="check both and try again; an owner of your workspace can set a new password",
        )
    return _start(db, address, password, rules or SessionRules(), account)


def _start(
    db: Database, address: str, password: str, rules: SessionRules, account: str
) -> StartedSession:
    now = db.clock.now()
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        row = repo.get_user_by_email(session, address)
        if row is None:  # removed between the check and now
            raise Unauthenticated("The email address or the password is not right.")
        if row.password_hash and needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        row.last_sign_in_at = now
        repo.forget_failures_of(session, account)
        expires_at = now + rules.lifetime
        session_id = repo.add_session(
            session, user=row, token_hash=hash_session_token(token), expires_at=expires_at, now=now
        )
        signed_in = SignedIn(
            user=repo.to_user(row),
            workspace=to_workspace(get_workspace(session, row.workspace_id)),
            session_id=session_id,
            csrf_token=csrf_token_for(token),
            expires_at=expires_at,
        )
    return StartedSession(token=token, signed_in=signed_in)


def read_session(db: Database, token: str, *, rules: SessionRules | None = None) -> SignedIn | None:
    """The person signed in with ``token``, or ``None`` if it is unknown, expired or idle.

    Records use at most once a minute, so reading pages does not turn into a write each time.
    """
    rules = rules or SessionRules()
    now = db.clock.now()
    token_hash = hash_session_token(token)
    with db.transaction() as session:
        found = repo.get_session(session, token_hash)
        if found is None:
            return None
        if found.expires_at <= now or found.last_seen_at + rules.idle <= now:
            repo.delete_session(session, token_hash=token_hash)
            return None
        if found.last_seen_at + TOUCH_INTERVAL <= now:
            repo.touch_session(session, found.id, now)
    return SignedIn(
        user=found.user,
        workspace=found.workspace,
        session_id=found.id,
        csrf_token=csrf_token_for(token),
        expires_at=found.expires_at,
    )


def sign_out(db: Database, token: str) -> None:
    """End the session of ``token`` (nothing happens if there is none)."""
    with db.transaction() as session:
        repo.delete_session(session, token_hash=hash_session_token(token))
