"""Webhook request and response models (``/v1/webhooks``): an agency's endpoint, its deliveries."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import UtcDatetime
from app.webhooks.events import EVENT_TYPES, DeliveryStatus, EventType, TryOutcome

_URL_EXAMPLE = "https://referrals.example-agency.go.kr/hanaro/webhooks"


class EndpointRegistration(BaseModel):
    """Where to send this agency's events, and which ones."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"url": _URL_EXAMPLE, "event_types": ["referral.sent"]}},
    )

    url: str = Field(
        min_length=1,
        max_length=2048,
        description="An https:// URL that answers POST with a 2xx (outside production, "
        "http:// to a loopback address is accepted too); no user name or password in it. "
        "Redirects are not followed",
        examples=[_URL_EXAMPLE],
    )
    event_types: list[EventType] | None = Field(
        default=None,
        min_length=1,
        max_length=len(EVENT_TYPES),
        description="Only these event types are sent (the others are `skipped`); null or absent: "
        "every type",
        examples=[["referral.sent", "referral.closed"]],
    )


class WebhookEndpointOut(BaseModel):
    """An agency's webhook endpoint, without its secret."""

    url: str = Field(examples=[_URL_EXAMPLE])
    event_types: list[EventType] | None = Field(description="null: every event type")
    enabled: bool = Field(description="false after DELETE: events wait until it is registered")
    created_at: UtcDatetime
    updated_at: UtcDatetime
    secret_rotated_at: UtcDatetime = Field(description="When the current secret was made")


class WebhookEndpointWithSecret(WebhookEndpointOut):
    """The endpoint, with the signing secret when one was just made."""

    secret: str | None = Field(
        description="The signing secret (`whsec_` + base64 of 32 bytes), shown only in the answer "
        "that made it (first registration, registration after DELETE, rotation); null otherwise. "
        "Store it now: it cannot be read again",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw9uL/dDEcJ1Q="],
    )


class DeliveryTry(BaseModel):
    """One try at delivering an event (never its body or the answer's body)."""

    replay: int = Field(description="0 for the first round, n for the nth replay", examples=[0])
    attempt: int = Field(description="1, 2, ... within the round", examples=[1])
    outcome: TryOutcome
    status_code: int | None = Field(description="The endpoint's HTTP status", examples=[503])
    error: str | None = Field(
        description="Why no status came back (`ConnectError`, `ReadTimeout`, ...)",
        examples=["ConnectError"],
    )
    duration_ms: int | None = Field(examples=[41])
    started_at: UtcDatetime
    finished_at: UtcDatetime | None


class EventDelivery(BaseModel):
    """An event for this agency and how its delivery went."""

    event_uid: str = Field(
        description="Sent as `webhook-id`: the same on every try and replay (drop duplicates by "
        "it)",
        examples=["0b9d1f2e-6c1a-4f4e-9d55-2b1a9b3f7c10"],
    )
    event_type: str = Field(examples=["referral.sent"])
    status: DeliveryStatus
    created_at: UtcDatetime
    attempts: int = Field(description="Tries in the current round", examples=[2])
    replays: int = Field(description="Times it was replayed", examples=[0])
    next_attempt_at: UtcDatetime | None = Field(description="When it is due, while pending")
    delivered_at: UtcDatetime | None
    given_up_at: UtcDatetime | None
    skipped_at: UtcDatetime | None
    last_error: str | None = Field(examples=["HTTP 503"])
    tries: list[DeliveryTry] = Field(description="The delivery log, oldest first")


class DeliveryPage(BaseModel):
    items: list[EventDelivery] = Field(description="Newest event first")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next (older) page; null on the last page",
        examples=["41"],
    )
