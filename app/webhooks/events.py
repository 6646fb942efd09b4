"""The event types an agency may receive (and filter on), and an event's delivery status."""

from __future__ import annotations

from typing import Literal, get_args

EventType = Literal[
    "referral.sent",
    "referral.accepted",
    "referral.declined",
    "referral.in_progress",
    "referral.completed",
    "referral.closed",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)

DeliveryStatus = Literal["pending", "delivered", "given_up", "skipped"]
"""``pending``: due or waiting (for a retry, or for the agency to register an endpoint);
``delivered``: a 2xx came back; ``given_up``: every try failed (replay sends it again);
``skipped``: the endpoint's event filter leaves it out (replay sends it anyway)."""

TryOutcome = Literal["sending", "delivered", "failed", "interrupted"]
"""One try in the delivery log; ``interrupted``: its dispatcher stopped before the answer."""
