"""An agency's webhook endpoint: register (or change) it, rotate its secret, read it, disable it.

One endpoint per partner. The signing secret is made here, stored encrypted (``app.crypto``) and
returned only in the answer that made it. Disabling keeps the row: the agency's events wait in the
outbox (``pending``) and go out once it registers again, which makes a new secret.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app.crypto import DataCipher
from app.db import models
from app.db.repositories.webhooks import WebhookRepository
from app.db.session import write_transaction
from app.errors import InvalidRequest, NotFound, text
from app.schemas.webhooks import WebhookEndpointOut, WebhookEndpointWithSecret
from app.services.audit import AuditContext, record
from app.settings import Settings
from app.webhooks.addresses import host_allowed, is_localhost
from app.webhooks.events import EVENT_TYPES
from app.webhooks.signing import new_secret


def check_url(url: str, settings: Settings) -> str:
    """``url`` if the dispatcher may POST to it: https, or http where allowed (see Settings);
    in production not to a private, loopback or reserved address (``addresses``)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise _bad_url("errors.webhooks.url_invalid") from None
    if parts.scheme not in ("http", "https") or not host:
        raise _bad_url("errors.webhooks.url_invalid" if not host else "errors.webhooks.url_scheme")
    if parts.username is not None or parts.password is not None:
        raise _bad_url("errors.webhooks.url_credentials")
    if parts.scheme == "http" and not _http_allowed(host, settings):
        raise _bad_url("errors.webhooks.url_scheme")
    if not host_allowed(host, settings):
        raise _bad_url("errors.webhooks.url_private")
    return parts._replace(fragment="").geturl()


def _http_allowed(host: str, settings: Settings) -> bool:
    if settings.environment == "production":
        return False
    return settings.webhook_allow_http or _is_loopback(host)


def _is_loopback(host: str) -> bool:
    if is_localhost(host):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bad_url(message_id: str) -> InvalidRequest:
    return InvalidRequest(errors=[{"pointer": "/url", "detail": text(message_id)}])


def register_endpoint(
    session: Session,
    cipher: DataCipher,
    settings: Settings,
    ctx: AuditContext,
    *,
    url: str,
    event_types: Sequence[str] | None,
) -> tuple[WebhookEndpointWithSecret, bool]:
    """Register or change the caller's endpoint; ``True`` when it was new (201). A new or
    re-enabled endpoint gets a new secret, returned once; a change keeps the secret."""
    partner_id = _partner_of(ctx)
    checked = check_url(url, settings)
    chosen: list[str] | None = None
    if event_types is not None:  # in the registry's order, once each
        chosen = [t for t in EVENT_TYPES if t in set(event_types)]
    now = datetime.now(UTC)
    secret: str | None = None
    with write_transaction(session):
        repo = WebhookRepository(session)
        endpoint = repo.endpoint_of(partner_id)
        created = endpoint is None
        if endpoint is None:
            secret = new_secret()
            endpoint = models.WebhookEndpoint(
                partner_id=partner_id,
                url=checked,
                event_types=chosen,
                secret_encrypted=cipher.encrypt(secret),
                created_at=now,
                updated_at=now,
                secret_rotated_at=now,
            )
            repo.add_endpoint(endpoint)
        else:
            if endpoint.disabled_at is not None:
                secret = new_secret()
                _set_secret(endpoint, cipher, secret, now)
            endpoint.url, endpoint.event_types = checked, chosen
            endpoint.updated_at, endpoint.disabled_at = now, None
        where = urlsplit(checked)._replace(query="").geturl()  # a query may carry a token
        detail = {"url": where, "event_types": chosen, "new_secret": secret is not None}
        record(session, ctx, "webhook.endpoint.register", f"partner:{partner_id}", detail)
        return _with_secret(endpoint, secret), created


def rotate_secret(
    session: Session, cipher: DataCipher, ctx: AuditContext
) -> WebhookEndpointWithSecret:
    """A new secret, at once: the old one no longer signs anything sent from now on."""
    partner_id = _partner_of(ctx)
    secret = new_secret()
    with write_transaction(session):
        endpoint = _existing(WebhookRepository(session), partner_id)
        _set_secret(endpoint, cipher, secret, datetime.now(UTC))
        record(session, ctx, "webhook.endpoint.rotate_secret", f"partner:{partner_id}")
        return _with_secret(endpoint, secret)


def read_endpoint(session: Session, ctx: AuditContext) -> WebhookEndpointOut:
    with session.begin():
        endpoint = _existing(WebhookRepository(session), _partner_of(ctx))
        return _out(endpoint)


def disable_endpoint(session: Session, ctx: AuditContext) -> None:
    partner_id = _partner_of(ctx)
    with write_transaction(session):
        endpoint = _existing(WebhookRepository(session), partner_id)
        if endpoint.disabled_at is None:
            endpoint.disabled_at = endpoint.updated_at = datetime.now(UTC)
            record(session, ctx, "webhook.endpoint.disable", f"partner:{partner_id}")


def _partner_of(ctx: AuditContext) -> int:
    partner_id = ctx.principal.partner_id
    if partner_id is None:  # the scope check lets keyed callers only; every key has a partner
        raise NotFound(text("errors.webhooks.endpoint_not_found"))
    return partner_id


def _existing(repo: WebhookRepository, partner_id: int) -> models.WebhookEndpoint:
    endpoint = repo.endpoint_of(partner_id)
    if endpoint is None:
        raise NotFound(text("errors.webhooks.endpoint_not_found"))
    return endpoint


def _set_secret(
    endpoint: models.WebhookEndpoint, cipher: DataCipher, secret: str, now: datetime
) -> None:
    endpoint.secret_encrypted = cipher.encrypt(secret)
    endpoint.secret_rotated_at = endpoint.updated_at = now


def _out(endpoint: models.WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut(
        url=endpoint.url,
        event_types=endpoint.event_types,  # checked on the way in
        enabled=endpoint.disabled_at is None,
        created_at=endpoint.created_at,
        updated_at=endpoint.updated_at,
        secret_rotated_at=endpoint.secret_rotated_at,
    )


def _with_secret(endpoint: models.WebhookEndpoint, secret: str | None) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret(**_out(endpoint).model_dump(), secret=secret)
