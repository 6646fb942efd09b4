"""ORM models: the catalog (programs, versions, parameters, documents), partners and keys, audit,
screening jobs.

Every catalog change is a new row in a ``*_version`` table; nothing is overwritten.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base


class Partner(Base):
    """An organization that calls the API or owns programs (a city, a province, an agency)."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_national: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), doc="May edit national programs"
    )
    kind: Mapped[str] = mapped_column(
        String(16), default="public", server_default="public", doc="public or private agency"
    )
    agency_type: Mapped[str | None] = mapped_column(
        String(40), doc="e.g. hope_welfare_support_team, community_welfare_center (case work)"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    keys: Mapped[list[ApiKey]] = relationship(back_populates="partner", lazy="raise")


class ApiKey(Base):
    """An API key, stored as a hash. The clear key is shown once, at creation."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    partner: Mapped[Partner] = relationship(back_populates="keys", lazy="raise")


class Program(Base):
    """A program's identity. Its content lives in ``program_version`` rows."""

    __tablename__ = "program"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    domain: Mapped[str] = mapped_column(String(32), index=True)
    owner_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner.id", ondelete="RESTRICT"), index=True
    )
    current_version: Mapped[int] = mapped_column(Integer)
    is_retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    versions: Mapped[list[ProgramVersion]] = relationship(
        back_populates="program", lazy="raise", order_by="ProgramVersion.version"
    )


class ProgramVersion(Base):
    """One immutable version of a program: the full spec (rules as JSON) and who made it, why."""

    __tablename__ = "program_version"
    __table_args__ = (UniqueConstraint("program_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[str] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    spec_hash: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))
    change_reason: Mapped[str] = mapped_column(Text)
    retires: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), doc="This version retired the program"
    )

    program: Mapped[Program] = relationship(back_populates="versions", lazy="raise")


class Parameter(Base):
    """A dated parameter (e.g. 기준 중위소득). Its values live in ``parameter_version`` rows."""

    __tablename__ = "parameter"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ParameterVersion(Base):
    __tablename__ = "parameter_version"
    __table_args__ = (UniqueConstraint("parameter_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parameter_id: Mapped[str] = mapped_column(
        ForeignKey("parameter.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    spec_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120))
    change_reason: Mapped[str] = mapped_column(Text)


class Document(Base):
    """The shared document dictionary, so a plan can merge checklists across programs."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)


class CatalogState(Base):
    """A single row whose ``revision`` changes on every catalog write; workers poll it."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Append-only audit log: who did what to which target, when and from where.

    Never profile values.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(160))
    partner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(160))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set on entries that went through the local audit spool (app.services.audit_spool) while
    # the database was away: unique, so that draining the spool twice inserts nothing twice.
    entry_uid: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)


class RateLimitCounter(Base):
    """Requests charged to one bucket (``key:<prefix>`` or ``addr:<ip>``) in one fixed window.

    The default shared store of ``app.ratelimit``: every worker increments the same row with an
    atomic upsert. Rows of past windows are swept; nothing here is personal beyond the address.
    """

    __tablename__ = "rate_limit_counter"

    bucket: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, doc="Unix seconds"
    )
    hits: Mapped[int] = mapped_column(Integer)


class IdempotencyRecord(Base):
    """A caller's ``Idempotency-Key`` on a create and the answer to replay to its retries.

    Kept until ``expires_at`` (``HANARO_IDEMPOTENCY_KEY_TTL_HOURS``), then purged. ``owner`` is the
    caller (``key:<prefix>``): keys of different callers never collide.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(160))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64), doc="sha256 of the canonical request")
    status: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OutboxEvent(Base):
    """An event for a partner agency's webhook, written in the same transaction as the change it
    reports (a transactional outbox): it exists exactly when the change committed.

    A dispatcher (``app.webhooks``) delivers it at least once: ``attempts`` counts tries,
    ``next_attempt_at`` is when the next one is due (backoff), ``delivered_at`` is set on a 2xx,
    and ``given_up_at`` once retries are spent (it can still be replayed). The payload holds
    references and statuses only, never profile values or contact details. Settled events
    (delivered, given up, skipped) are deleted with their delivery log once older than
    ``webhook_retention_days`` (``hanaro webhooks purge``); unsettled ones never are.
    """

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), unique=True, doc="sent as webhook-id")
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True, doc="the receiving agency"
    )
    event_type: Mapped[str] = mapped_column(String(64), doc="e.g. referral.sent")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    given_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(String(300))
    claim_token: Mapped[str | None] = mapped_column(
        String(32), doc="the dispatcher holding it until next_attempt_at (its lease)"
    )
    skipped_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True),
        index=True,
        doc="not sent: the endpoint's event filter leaves it out",
    )
    replays: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="times the agency asked to send it again"
    )


class WebhookEndpoint(Base):
    """Where an agency (a partner holding ``referrals:receive``) takes its webhooks: one per
    partner. The signing secret is stored encrypted (``app.crypto``) and shown once."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    event_types: Mapped[list[str] | None] = mapped_column(JSON, doc="None: every event type")
    secret_encrypted: Mapped[str] = mapped_column(String(500), doc="Fernet token of whsec_...")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    secret_rotated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), doc="set by DELETE: events wait until it is registered again"
    )


class WebhookDelivery(Base):
    """One try at delivering an outbox event (the delivery log): written as ``sending`` when the
    event is claimed, completed with the answer. A try whose dispatcher died stays ``sending``
    until the event is claimed again, which marks it ``interrupted``. Never the payload, the
    secret or the response body."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_event.id", ondelete="CASCADE"), index=True
    )
    replay: Mapped[int] = mapped_column(Integer, doc="0 for the first round, n for the nth replay")
    attempt: Mapped[int] = mapped_column(Integer, doc="1, 2, ... within the round")
    outcome: Mapped[str] = mapped_column(
        String(16), doc="sending | delivered | failed | interrupted"
    )
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(64), doc="e.g. ConnectError, ReadTimeout")
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScreeningJob(Base):
    """A partner's outreach screening (#14) run in the background by a worker
    (``app.screening.jobs``): its options, progress, outcome and result files.

    ``status``: queued → running → succeeded | failed | cancelled, and purged once its files are
    deleted after ``expires_at`` (the row stays as the record). A worker claims a queued job by
    a conditional update and keeps ``heartbeat_at`` fresh while it runs; a running job whose
    heartbeat went stale (its worker died) is queued again or failed, never left running.
    Errors name codes, stages, tables and columns, never profile values.
    """

    __tablename__ = "screening_job"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True, doc="the owner"
    )
    created_by: Mapped[str] = mapped_column(String(160), doc="key:<prefix>")
    status: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(16), doc="upload | tables")
    engine: Mapped[str] = mapped_column(String(16), doc="duckdb | postgres")
    as_of: Mapped[date] = mapped_column(Date)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, doc="format, min_cell, tables")
    stage: Mapped[str | None] = mapped_column(String(200))
    stage_index: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stage_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worker: Mapped[str | None] = mapped_column(String(120), doc="host:pid of the runner")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(500))
    problems: Mapped[list[Any] | None] = mapped_column(
        JSON, doc="refused input: columns, counts (InputProblem.record; English lines before)"
    )
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON)
    results_path: Mapped[str | None] = mapped_column(String(300), doc="under data_dir")
    aggregate_path: Mapped[str | None] = mapped_column(String(300), doc="under data_dir")


# Case management (통합사례관리) tables live in their own module; imported here so that every
# table is on the metadata whenever the models are.
from app.db import case_models as _case_models  # noqa: E402, F401
