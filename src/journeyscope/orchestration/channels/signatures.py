"""Check that a webhook request really comes from the SMS and voice provider.

Twilio (and compatible providers) sign every webhook with ``X-Twilio-Signature``: the base64
HMAC-SHA1, keyed with the account's auth token, of the full URL it called followed by every POST
parameter, sorted by name, written as name then value with nothing between. Anyone who knows a
call's URL could otherwise post key presses into someone else's response; the signature proves
the provider sent them.

The URL must be the one the provider called, which behind a reverse proxy is not the one our
server sees (``http://10.0.0.5:8000`` for ``https://feedback.example.com``); so it is rebuilt
from ``JOURNEYSCOPE_BASE_URL``. Like Twilio's own libraries, the URL is tried with and without
the scheme's default port, since the provider may sign either. Pure code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

SIGNATURE_HEADER = "X-Twilio-Signature"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def compute_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The signature the provider sends for a POST of ``params`` to ``url``.

    Parameters are sorted by name (code point order), then by value when a name repeats.
    """
    payload = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def is_valid_signature(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], signature: str | None
) -> bool:
    """Whether ``signature`` matches ``url`` and ``params``, compared in constant time.

    A missing or empty signature, or an empty auth token, is never valid.
    """
    if not signature or not auth_token:
        return False
    pairs = list(params)
    given = signature.strip().encode()
    return any(
        hmac.compare_digest(compute_signature(auth_token, candidate, pairs).encode(), given)
        for candidate in _port_variants(url)
    )


def public_url(base_url: str, path: str, query: str = "") -> str:
    """The URL the provider called: our public base URL, the request path and its query."""
    url = base_url.rstrip("/") + path
    return f"{url}?{query}" if query else url


def _port_variants(url: str) -> list[str]:
    """``url`` as given, without its port, and with the scheme's default port spelled out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    variants = [url, urlunsplit(parts._replace(netloc=prefix + host))]
    default = _DEFAULT_PORTS.get(parts.scheme)
    if parts.port is None and default is not None:
        variants.append(urlunsplit(parts._replace(netloc=f"{prefix}{host}:{default}")))
    return list(dict.fromkeys(variants))
