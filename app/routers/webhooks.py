"""Webhooks for agencies receiving referrals (scope ``referrals:receive``): the endpoint, the
delivery log, replay. Each key sees and changes only its own partner's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from app.crypto import DataCipher, data_cipher
from app.deps import AuditContextDep, SessionDep, SettingsDep, require_scope
from app.hardening import HardenedRoute
from app.schemas.common import problem_responses
from app.schemas.webhooks import (
    DeliveryPage,
    EndpointRegistration,
    EventDelivery,
    WebhookEndpointOut,
    WebhookEndpointWithSecret,
)
from app.security import Principal
from app.webhooks import deliveries, endpoints
from app.webhooks.events import DeliveryStatus

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=HardenedRoute)

Receiver = Annotated[Principal, Depends(require_scope("referrals:receive"))]
EventUid = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="The event's `webhook-id`",
        examples=["0b9d1f2e-6c1a-4f4e-9d55-2b1a9b3f7c10"],
    ),
]


async def get_cipher(settings: SettingsDep) -> DataCipher:
    return data_cipher(settings)


CipherDep = Annotated[DataCipher, Depends(get_cipher)]
_REGISTERED: dict[int | str, dict[str, Any]] = {
    201: {"model": WebhookEndpointWithSecret, "description": "Registered (a new secret)"}
}


@router.put(
    "/endpoint",
    summary="Register or change this agency's webhook endpoint (the secret is shown once)",
    responses=_REGISTERED | problem_responses(403),
)
def put_endpoint(
    body: EndpointRegistration, _: Receiver, ctx: AuditContextDep, session: SessionDep,
    cipher: CipherDep, settings: SettingsDep, response: Response,
) -> WebhookEndpointWithSecret:  # fmt: skip
    endpoint, created = endpoints.register_endpoint(
        session, cipher, settings, ctx, url=body.url, event_types=body.event_types
    )
    response.status_code = 201 if created else 200
    return endpoint


@router.get(
    "/endpoint",
    summary="This agency's webhook endpoint (without its secret)",
    responses=problem_responses(403, 404),
)
def get_endpoint(_: Receiver, ctx: AuditContextDep, session: SessionDep) -> WebhookEndpointOut:
    return endpoints.read_endpoint(session, ctx)


@router.delete(
    "/endpoint",
    status_code=204,
    summary="Disable this agency's endpoint: its events wait until it registers again",
    responses=problem_responses(403, 404),
)
def delete_endpoint(_: Receiver, ctx: AuditContextDep, session: SessionDep) -> Response:
    endpoints.disable_endpoint(session, ctx)
    return Response(status_code=204)


@router.post(
    "/endpoint/rotate-secret",
    summary="Make a new signing secret (shown once); the old one stops signing at once",
    responses=problem_responses(403, 404),
)
def rotate_endpoint_secret(
    _: Receiver, ctx: AuditContextDep, session: SessionDep, cipher: CipherDep
) -> WebhookEndpointWithSecret:
    return endpoints.rotate_secret(session, cipher, ctx)


@router.get(
    "/deliveries",
    summary="This agency's events and their delivery log, newest first",
    responses=problem_responses(403),
)
def list_deliveries(
    principal: Receiver,
    session: SessionDep,
    status: Annotated[DeliveryStatus | None, Query(description="Only events in this state")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    cursor: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="`next_cursor` of the previous page")
    ] = None,
) -> DeliveryPage:
    return deliveries.list_deliveries(
        session, principal.partner_id, status=status, limit=limit, cursor=cursor
    )


@router.post(
    "/events/{event_uid}/replay",
    status_code=202,
    summary="Send an event again (a new round of tries, same webhook-id)",
    responses=problem_responses(403, 404),
)
def replay_event(
    event_uid: EventUid, _: Receiver, ctx: AuditContextDep, session: SessionDep
) -> EventDelivery:
    return deliveries.replay_event(session, ctx, event_uid)
