"""What every setting carries: its variable, an example, and how it is shown (secrets masked).

Imports nothing of the rest of Journeyscope (``Settings`` only for type hints).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from pydantic import Field, SecretStr
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo

if TYPE_CHECKING:
    from journeyscope.settings.environment import Settings

ENV_PREFIX = "JOURNEYSCOPE_"
MASK = "***"


class SecretUrl(SecretStr):
    """A URL that may carry a password: hidden like any secret, shown with only that masked."""

    def masked(self) -> str:
        """The URL with its password as ``***``, or ``***`` alone when it cannot be parsed."""
        return mask_url_password(self.get_secret_value())


def setting(
    default: Any,
    *,
    env: str,
    description: str,
    example: str,
    unset: str = "(not set)",
    **rules: Any,
) -> Any:
    """A field read from the variable ``env``; ``example`` goes in error hints.

    ``unset`` is what :meth:`Settings.masked` shows while the value is ``None`` (``{data_dir}``
    is filled in).
    """
    extra: JsonDict = {"env": env, "example": example, "unset": unset}
    return Field(default, description=description, json_schema_extra=extra, **rules)


@dataclass(frozen=True, slots=True)
class Variable:
    """One ``JOURNEYSCOPE_*`` variable and the field it fills (``group`` is None at the top)."""

    name: str
    group: str | None
    field: str
    info: FieldInfo

    @property
    def is_secret(self) -> bool:
        """Whether the field is typed as a secret (its value is never shown whole)."""
        kind = self.info.annotation
        return any(_is_secret_type(t) for t in (kind, *get_args(kind)))

    @property
    def example(self) -> str:
        """An example value, for error hints."""
        return str(self._extra("example"))

    @property
    def unset(self) -> str:
        """What the value shows while it is ``None``."""
        return str(self._extra("unset"))

    def read(self, settings: Settings) -> object:
        """This variable's value in ``settings``."""
        holder = settings if self.group is None else getattr(settings, self.group)
        return getattr(holder, self.field)

    def _extra(self, key: str) -> object:
        extra = self.info.json_schema_extra
        return extra[key] if isinstance(extra, dict) else None


def _is_secret_type(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, SecretStr)


def shown(value: object, unset: str) -> str:
    """``value`` for display: ``unset`` for None, a secret masked by its type."""
    if value is None:
        return unset
    if isinstance(value, SecretUrl):
        return value.masked()
    if isinstance(value, SecretStr):
        return MASK
    return str(value) or "(none)"


def mask_url_password(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part as ``***``.

    A URL that cannot be read shows as ``***``: better nothing than a password.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return MASK
    userinfo, at, host = rest.rpartition("@")  # the last @: a password may hold / or @
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:{MASK}@{host}"
