"""Settings: the one place that reads the environment (prefix ``HANARO_``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.locale import LocaleField as Locale


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as ``HANARO_<FIELD_NAME>``."""

    model_config = SettingsConfigDict(env_prefix="HANARO_", extra="ignore", frozen=True)

    database_url: str = Field(
        default="sqlite:///var/hanaro.db",
        description="SQLAlchemy URL; SQLite file under var/ by default, or postgresql+psycopg://...",
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Local state of this machine's workers (the default SQLite database lives "
        "here too): the audit spool that keeps audit entries while the database is away",
    )
    migration_database_url: str | None = Field(
        default=None,
        description="The owner/migrator role's URL for `hanaro migrate` (PostgreSQL: the service "
        "itself connects as `hanaro_app`, which may not change the schema or the audit log); "
        "None uses database_url",
    )
    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    default_locale: Locale = "ko"
    cors_allow_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    max_json_depth: int = Field(default=32, ge=4)
    body_timeout_seconds: float = Field(
        default=10.0,
        gt=0.0,
        description="A request body must arrive whole within this many seconds (408 after)",
    )
    rate_limit_anonymous_per_minute: int = Field(default=120, ge=1)
    rate_limit_key_per_minute: int = Field(default=3000, ge=1)
    redis_url: str | None = Field(
        default=None,
        description="redis://host:6379/0 to count rate limits in Redis; None counts them in the "
        "database. Either way the limit holds across workers.",
    )
    redis_key_prefix: str = Field(
        default="hanaro",
        min_length=1,
        max_length=64,
        description="Prefix of this deployment's Redis keys (several may share one Redis)",
    )
    catalog_refresh_seconds: float = Field(
        default=2.0, ge=0.0, description="How often a worker checks the catalog version (0 = never)"
    )
    database_busy_timeout_seconds: float = Field(
        # admin writers queue behind each other on SQLite's one write lock (#12: concurrent admin
        # writes all succeed); the paths that must not wait (audit of keyed requests, rate
        # counts) set their own short waits per transaction
        default=30.0,
        gt=0,
        description="SQLite: how long a writer waits for the write lock before giving up",
    )
    database_connect_timeout_seconds: int = Field(
        default=2,
        ge=1,
        description="PostgreSQL: how long opening a connection may take before the request "
        "fails (readiness answers 503) instead of hanging",
    )
    database_statement_timeout_ms: int = Field(
        default=2000,
        ge=1,
        description="PostgreSQL: a request's statement is cancelled after this long (503 with "
        "Retry-After); `hanaro migrate` is not limited",
    )
    database_lock_timeout_ms: int = Field(
        default=2000,
        ge=1,
        description="PostgreSQL: a request gives up waiting for a lock after this long (503 with "
        "Retry-After); `hanaro migrate` is not limited",
    )
    key_cache_seconds: float = Field(
        default=60.0,
        ge=0.0,
        description="How long a worker trusts a key it verified without asking the database "
        "again (0 = always ask). Also how long a revoked key may keep working in a worker that "
        "verified it just before, and how long keyed requests keep working while the database "
        "is away",
    )
    key_cache_size: int = Field(
        default=10_000, ge=1, description="Verified keys a worker remembers (least recent out)"
    )
    audit_spool_drain_seconds: float = Field(
        default=5.0,
        ge=0.0,
        description="How often a worker moves audit entries kept in the local spool (written "
        "while the database was away) into the audit log (0 = only after a successful write)",
    )
    idempotency_key_ttl_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 30,
        description="How long a create's Idempotency-Key answer is kept for replay, then purged",
    )
    saved_plan_retention_days: int = Field(default=30, ge=1, le=365)
    screening_max_upload_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        description="The largest multipart upload of POST /v1/screenings (both files), streamed "
        "to data_dir/screenings/<job id>/ (the other routes keep max_body_bytes)",
    )
    screening_upload_timeout_seconds: float = Field(
        default=600.0, gt=0.0, description="An upload must arrive whole within this long (408)"
    )
    screening_retention_days: int = Field(
        default=7,
        ge=1,
        le=365,
        description="How long a finished screening's result files are kept, then purged (the job "
        "stays as a record)",
    )
    screening_poll_seconds: float = Field(
        default=2.0,
        ge=0.0,
        description="How often an idle worker process looks for a queued screening job; 0 = this "
        "process runs no screening jobs (and no screening purge)",
    )
    screening_heartbeat_seconds: float = Field(
        default=5.0, gt=0.0, description="How often a running screening job's worker says so"
    )
    screening_stale_seconds: float = Field(
        default=60.0,
        gt=0.0,
        description="A running job whose heartbeat is older than this lost its worker: it is "
        "queued again (from its kept input) or, after screening_max_attempts, failed",
    )
    screening_max_attempts: int = Field(default=2, ge=1, le=10)
    screening_purge_seconds: float = Field(
        default=3600.0, gt=0.0, description="How often a worker purges expired screening results"
    )
    screening_source_schemas: list[str] = Field(
        default_factory=lambda: ["screening_input"],
        description="PostgreSQL schemas whose tables a screening job may read as its input "
        "(POST /v1/screenings with a JSON body); tables elsewhere are refused",
    )
    case_jobs_seconds: float = Field(
        default=3600.0,
        ge=0.0,
        description="How often a worker purges cases past their retention period and re-screens "
        "open cases (catalog changed, dated event come); 0 = never (run `hanaro cases purge` "
        "and `hanaro cases rescreen` from cron instead). The first run is one period after start",
    )
    load_catalog_on_startup: bool = Field(
        default=False, description="Load the shipped catalog into an empty database at startup"
    )
    data_keys: list[SecretStr] = Field(
        default_factory=list,
        description="Fernet keys (urlsafe base64, 32 bytes) that encrypt stored secrets and "
        "contact details at rest; the first encrypts, all decrypt (rotation: put the new key "
        "first). Empty outside production: a key is made once in data_dir/data.key (mode 0600). "
        "Production refuses to start without one.",
    )
    webhook_poll_seconds: float = Field(
        default=2.0,
        ge=0.0,
        description="How often each worker's webhook dispatcher looks for due outbox events when "
        "it found none (0 = no dispatcher in the workers: run `hanaro webhooks deliver`)",
    )
    webhook_max_attempts: int = Field(
        default=10, ge=1, le=100, description="Tries per event before it is given up (replayable)"
    )
    webhook_retry_base_seconds: float = Field(
        default=30.0,
        ge=0.0,
        description="Backoff after the first failed try; doubles per try, with jitter",
    )
    webhook_retry_max_seconds: float = Field(
        default=6 * 3600.0, ge=0.0, description="The longest wait between two tries"
    )
    webhook_timeout_seconds: float = Field(
        default=5.0,
        gt=0.0,
        description="Timeout of one delivery request: for connecting, and for each read or write",
    )
    webhook_lease_seconds: float = Field(
        default=60.0,
        gt=0.0,
        description="How long a claimed event is left to the dispatcher that claimed it; after "
        "that (it crashed mid-delivery) another dispatcher sends it again, with the same "
        "webhook-id. Must exceed webhook_timeout_seconds",
    )
    webhook_private_networks: list[str] = Field(
        default_factory=list,
        description="Networks (CIDR, JSON list) outside the public internet where production "
        "may deliver webhooks, e.g. an agency's intranet receiver (10.20.0.0/16). Every other "
        "private, loopback, link-local or reserved address is refused in production (checked "
        "at registration and before each delivery); outside production nothing is refused",
    )
    webhook_allow_http: bool = Field(
        default=False,
        description="Accept http:// endpoints on any host (never in production). Outside "
        "production, http:// to a loopback address is always accepted (local receivers, tests)",
    )
    webhook_retention_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="How long a settled outbox event (delivered, given up or skipped) is kept "
        "with its delivery log, counted from when it settled; `hanaro webhooks purge` deletes it "
        "after. An event still to be sent or retried is never deleted",
    )

    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s#?]+$",
        description="The address citizens' phones reach this service at (the kiosk's QR code "
        "opens <public_url>/plan#...); None uses the address the kiosk itself called",
    )
    kiosk_idle_seconds: int = Field(
        default=120,
        ge=15,
        le=3600,
        description="A kiosk left untouched this long wipes its screen for the next person "
        "(a warning shows 20 seconds before)",
    )

    @field_validator("webhook_private_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network)
            except ValueError:
                raise ValueError(f"not a network in CIDR notation: {network!r}") from None
        return value

    @model_validator(mode="after")
    def _webhook_lease_outlasts_a_request(self) -> Settings:
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError("webhook_lease_seconds must exceed webhook_timeout_seconds")
        return self
