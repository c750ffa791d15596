"""One settings class: every option comes from an `ARNA_`-prefixed environment variable.

docs/configuration.md documents each field; tests/core/test_settings.py keeps the two in step.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Locale = Literal["kk", "ru", "en"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARNA_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("var"),
        description="Directory for the embedded database and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the transactional store: sqlite:///path.db or "
            "postgresql+psycopg://user@host/db. Default: a SQLite file arna.db in data_dir."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `arna serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `arna serve` listens on.")
    locale: Locale = Field(
        default="kk", description="Default language of pages and messages: kk, ru or en."
    )
    calendar_file: Path | None = Field(
        default=None,
        description="An operator's working-day calendar (TOML) replacing the bundled one.",
    )

    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for notifications; unset: e-mails wait in the outbox.",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP port.")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection to TLS.")
    smtp_username: str | None = Field(default=None, description="SMTP login, if required.")
    smtp_password: str | None = Field(default=None, description="SMTP password, if required.")
    mail_from: str = Field(
        default="Arna <no-reply@arna.local>", description="Sender of notification e-mails."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address of this Arna as citizens reach it, used in links in e-mails.",
    )
    reminder_days: int = Field(
        default=2,
        ge=0,
        le=15,
        description="Remind a body this many working days before a due date.",
    )
    worker_interval: float = Field(
        default=60.0, gt=0, description="Seconds between sweeps of `arna worker` in loop mode."
    )
    public_figures_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description=(
            "Seconds a server process keeps the home page's figures (counts, trends, "
            "rankings) before reading them again; 0 reads them on every request."
        ),
    )
    text_readers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description=(
            "Processes that read new appeals' texts beside each server process, so the server's "
            "own core serves requests. Default: 1 when the machine has more cores than server "
            "processes (`arna serve --workers`), else 0 (texts are read in the server process)."
        ),
    )
    secret_key: SecretStr | None = Field(
        default=None,
        min_length=32,
        description=(
            "Key that seals short-lived secrets (an access code waiting in the outbox or kept "
            "for an idempotent retry) and keys digests of personal data in the audit log. "
            "Default: a random key made on first use in data_dir/secret.key (mode 0600). Every "
            "process of one installation needs the same key; keep it out of database backups."
        ),
    )
    min_cell: int = Field(
        default=10,
        ge=1,
        description=(
            "Listening: a cell of public figures (a day or week, region, institution, language) "
            "is shown only when at least this many different authors wrote in it. Oversight's "
            "open data: a group is exported only with at least this many appeals (solved "
            "problems for the escalation depth)."
        ),
    )
    listen_feeds: str = Field(
        default="",
        max_length=10_000,
        description=(
            "Listening: RSS or Atom feeds (http or https URLs, comma-separated) that "
            "`arna listen fetch` reads; Arna fetches nothing else."
        ),
    )
    retention_years: int = Field(
        default=5,
        ge=1,
        le=100,
        description=(
            "Years after an appeal's last change, once it is answered or closed, when the "
            "applicant's personal data (name, e-mail, phone, IIN, point, their name in the "
            "texts) is erased by `arna worker` or `arna appeals retention`; counts, figures "
            "and the audit chain stay."
        ),
    )
    log_format: Literal["json", "plain"] = Field(
        default="json",
        description=(
            "Logs of `arna serve`: one JSON object a line (with request ids) or plain text."
        ),
    )
    max_request_bytes: int = Field(
        default=262_144, ge=1024, description="Largest request body accepted (bytes)."
    )
    intake_timeout: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description=(
            "Seconds a submitted appeal may wait to be read and written before it is answered "
            "503 with Retry-After (and certainly not stored)."
        ),
    )

    signature_limits: str = Field(
        default="20/minute;200/hour",
        description=(
            "Petitions: signatures one client address may send (`limits` notation, "
            "semicolon-separated); beyond them 429 with Retry-After."
        ),
    )
    signature_network_limits: str = Field(
        default="300/minute;3000/hour",
        description="Petitions: signatures one network (IPv4 /24, IPv6 /48) may send.",
    )

    @field_validator("signature_limits", "signature_network_limits")
    @classmethod
    def _limits(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate limit such as 20/minute;200/hour") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError(
                "ARNA_DATABASE_URL must start with sqlite:, postgresql: or postgresql+psycopg:"
            )
        return value

    @cached_property
    def effective_database_url(self) -> str:
        if self.database_url is None:
            return f"sqlite:///{self.data_dir / 'arna.db'}"
        if self.database_url.startswith("postgresql:"):
            return "postgresql+psycopg:" + self.database_url.removeprefix("postgresql:")
        return self.database_url
