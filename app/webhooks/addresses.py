"""Where webhooks may go (against server-side request forgery).

A partner agency chooses the URL its events are POSTed to. In production an endpoint must be on
the public internet, or inside a network the operator names in
``HANARO_WEBHOOK_PRIVATE_NETWORKS`` (an agency's receiver on an intranet, ``10.20.0.0/16``):
never, by mistake or by design, the service's own loopback, the cloud metadata address
(169.254.169.254), or another private host. The address is checked twice: an IP literal when
the endpoint is registered, and every address the host name resolves to before each delivery
(a name may point anywhere, and may change). Outside production nothing is refused here:
receivers run on loopback or private development networks.

Left open: the HTTP client resolves the name again when it connects, so a name whose answer
changes between the check and the connection (DNS rebinding) can still slip through once; a
production deployment should also keep the service's egress behind a firewall.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_allowed(address: Address, settings: Settings) -> bool:
    """Whether a webhook may be sent to ``address`` under ``settings``."""
    if settings.environment != "production":
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    networks = [ipaddress.ip_network(n) for n in settings.webhook_private_networks]
    if any(address.version == n.version and address in n for n in networks):
        return True
    return address.is_global


def is_localhost(host: str) -> bool:
    """``localhost`` however it is written (any case, a trailing dot)."""
    return host.lower().rstrip(".") == "localhost"


def host_allowed(host: str, settings: Settings) -> bool:
    """For registration: an IP literal (or ``localhost``) must be allowed; any other name is
    checked when it is resolved, before each delivery."""
    if settings.environment != "production":
        return True
    if is_localhost(host):
        return False
    try:
        return address_allowed(ipaddress.ip_address(host), settings)
    except ValueError:
        return True


def destination_allowed(url: str, settings: Settings) -> bool:
    """Before a delivery: every address the URL's host resolves to is allowed. A name that does
    not resolve is left to the HTTP client, which fails it as a connection error."""
    if settings.environment != "production":
        return True
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host_allowed(host, settings):
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return True
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found}
    return all(address_allowed(a, settings) for a in addresses)
