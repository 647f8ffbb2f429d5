"""The :class:`Settings` of the groups, read from the flat variables of the environment and .env."""

from __future__ import annotations

import functools
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import URL, make_url

from journeyscope.errors import ConfigurationError
from journeyscope.settings.fields import ENV_PREFIX, Variable, setting, shown
from journeyscope.settings.groups import (
    DatabaseSettings,
    LimitSettings,
    MailSettings,
    SecuritySettings,
    SettingsGroup,
    SmsSettings,
    WebSettings,
    WorkerSettings,
)

log = logging.getLogger(__name__)

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything an operator can configure; each field names its variable."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="forbid", validate_default=True
    )

    data_dir: Path = setting(
        Path("journeyscope-data"),
        env="JOURNEYSCOPE_DATA_DIR",
        description="Folder for the embedded SQLite database and the generated secret key.",
        example="/var/lib/journeyscope",
    )
    log_level: LogLevel = setting(
        "INFO", env="JOURNEYSCOPE_LOG_LEVEL", description="Logging level.", example="INFO"
    )
    workspace: str | None = setting(
        None,
        env="JOURNEYSCOPE_WORKSPACE",
        description="Workspace slug the CLI works on; may be left unset when only one exists.",
        example="acme",
    )
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    web: WebSettings = Field(default_factory=WebSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then ``.env``: each read by the flat names."""
        found = [
            _Variables(settings_cls, source.env_vars)
            for source in (env_settings, dotenv_settings)
            if isinstance(source, EnvSettingsSource)  # the .env source is one too
        ]
        return (init_settings, *found)

    def sqlalchemy_url(self) -> URL:
        """The database URL with the psycopg 3 driver filled in for PostgreSQL."""
        if self.database.url is None:
            return URL.create("sqlite", database=str(self.data_dir / "journeyscope.db"))
        url = make_url(self.database.url.get_secret_value())
        if url.drivername in ("postgresql", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
        return url

    def masked(self) -> dict[str, str]:
        """Every variable's effective value for display, secrets masked by their type.

        A :class:`SecretUrl` shows with its password as ``***``, any other secret as ``***``.
        """
        unset = {v.name: v.unset.format(data_dir=self.data_dir) for v in variables()}
        return {v.name: shown(v.read(self), unset[v.name]) for v in variables()}

    def updated(self, **groups: Mapping[str, Any]) -> Settings:
        """A copy with fields of the named groups replaced and checked again.

        ``settings.updated(mail={"smtp_port": 2525})``. The fields set before and the replaced
        ones count as set, the others keep their defaults (``base_url`` relies on the difference).
        """
        changes = {name: _with(getattr(self, name), values) for name, values in groups.items()}
        return self.model_copy(update=changes)


def _with(group: SettingsGroup, values: Mapping[str, Any]) -> SettingsGroup:
    given = {name: getattr(group, name) for name in group.model_fields_set}
    return type(group).model_validate({**given, **values})


@functools.cache
def variables() -> tuple[Variable, ...]:
    """Every setting's variable, in the order of the fields."""
    found = []
    for name, info in Settings.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, SettingsGroup):
            found += [_variable(name, key, sub) for key, sub in kind.model_fields.items()]
        else:
            found.append(_variable(None, name, info))
    return tuple(found)


def _variable(group: str | None, field: str, info: FieldInfo) -> Variable:
    extra = info.json_schema_extra
    if not isinstance(extra, dict) or not str(extra.get("env", "")).startswith(ENV_PREFIX):
        raise TypeError(f"setting {group}.{field} names no {ENV_PREFIX}* variable; use setting()")
    return Variable(str(extra["env"]), group, field, info)


class _Variables(PydanticBaseSettingsSource):
    """The values of the variables found in ``env_vars``, placed in their groups."""

    def __init__(self, settings_cls: type[BaseSettings], env_vars: Mapping[str, str | None]):
        super().__init__(settings_cls)
        self._env_vars = env_vars  # names lower-cased, as pydantic-settings reads them

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Unused: :meth:`__call__` reads every variable at once."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        """``{"mail": {"smtp_host": ...}, "data_dir": ...}`` for the variables that are set."""
        values: dict[str, Any] = {}
        for variable in variables():
            value = self._env_vars.get(variable.name.lower())
            if value is not None:
                place = values if variable.group is None else values.setdefault(variable.group, {})
                place[variable.field] = value
        return values


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, turning validation errors into one clear error.

    The error names the variable and what is wrong with it; its hint gives an example.
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        found = _by_place().get(tuple(str(p) for p in first["loc"]))
        name = found.name if found else ".".join(str(p) for p in first["loc"])
        said = str(first["msg"]).removeprefix("Value error, ")
        example = f"e.g. {found.example}; " if found else ""
        raise ConfigurationError(
            f"{name}: {said}", hint=f"{example}fix the variable (or .env file) and start again"
        ) from None


@functools.cache
def _by_place() -> dict[tuple[str, ...], Variable]:
    return {(v.field,) if v.group is None else (v.group, v.field): v for v in variables()}


def ensure_secret_key(settings: Settings) -> SecretStr:
    """Return the configured secret key, or the one generated earlier in the data directory.

    A key generated here is written with mode 0600 and a warning is logged, because losing the
    data directory invalidates every token signed with it.
    """
    if settings.security.secret_key is not None:
        return settings.security.secret_key
    path = settings.data_dir / SECRET_KEY_FILE
    if path.exists():
        return SecretStr(path.read_text(encoding="utf-8").strip())
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the key's and the data's
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.warning(
        "%sSECRET_KEY is not set: generated one in %s. Back it up with the data, or set the "
        "variable; tokens signed with it stop working if it is lost.",
        ENV_PREFIX,
        path,
    )
    return SecretStr(key)
