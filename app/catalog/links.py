"""Links served to citizens: the one check for every apply and source URL of a program.

A plan hands these links to citizens at kiosks and on portals, so each must lead to a public web
page over TLS, or dial a phone:

- ``https://`` to a public host; for a phone channel also ``tel:`` with digits (``tel:129``);
- never ``javascript:``, ``data:``, ``file:``, ``http:`` or any other scheme;
- no user name or password in the URL (``https://gov.kr@evil.example/`` shows one host, opens
  another), no whitespace or control characters (parsers drop some silently);
- the host is a registrable-looking DNS name (at least two labels, letters, digits, hyphens, or
  IDNA), not ``localhost`` and not a special-use name that resolves nowhere public (``.invalid``,
  ``.test``, ``.example``, ``.localhost``, ``.local``, ``.internal``, ``.home.arpa``, ``.onion``);
- an IP literal only when it is globally routable (never private, loopback, link-local, shared,
  reserved, multicast or unspecified); a host whose last label is numeric (``127.1``,
  ``0x7f.1``) is read as an address by browsers, so it must be a plain global IPv4 address.

``link_problem`` judges one URL; ``program_link_problems`` walks a program's ``apply`` and
``sources``. Both the catalog loader (``hanaro catalog validate|load``) and the admin API use them.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from app.matching import (
    ProgramSpec,
)
from app.text.messages import t

FieldPath = tuple[str | int, ...]
REASONS = ("scheme", "characters", "userinfo", "host", "address", "phone")
"""Why a link is refused; each has the message ``errors.link.<reason>`` in every locale."""

_NOT_PUBLIC_SUFFIXES = (
    "localhost",
    "invalid",
    "test",
    "example",
    "local",
    "internal",
    "home.arpa",
    "onion",
)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_PHONE = re.compile(r"^tel:\+?[0-9]+(-[0-9]+)*$")
_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


def reason_id(reason: str) -> str:
    """The message id of a reason returned by ``link_problem``."""
    assert reason in REASONS, reason
    return f"errors.link.{reason}"


def reason_text(reason: str, locale: str) -> str:
    """The sentence for a reason returned by ``link_problem``, in ``locale``."""
    return t(locale, reason_id(reason))


def link_problem(url: str, *, allow_tel: bool = False) -> str | None:
    """Why ``url`` may not be served to a citizen (one of ``REASONS``), or None."""
    if _UNSAFE_CHARS.search(url):
        return "characters"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "tel" and allow_tel:
        return None if _PHONE.match(url) else "phone"
    if scheme != "https":
        return "scheme"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "host"
    if "@" in parts.netloc:
        return "userinfo"
    return _host_problem(parts.hostname or "")


def _host_problem(host: str) -> str | None:
    host = host.rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return None if address.is_global else "address"
    labels = host.split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        return "address"  # browsers read it as an IPv4 address in a form we do not accept
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return "host"
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return "host"
    if any(ascii_host == s or ascii_host.endswith("." + s) for s in _NOT_PUBLIC_SUFFIXES):
        return "host"
    return None


def program_link_problems(spec: ProgramSpec) -> list[tuple[FieldPath, str]]:
    """Each unsafe link of ``spec`` as ``(path, reason)``: ``(("apply", 0, "url"), "scheme")``."""
    found: list[tuple[FieldPath, str]] = []
    for i, channel in enumerate(spec.apply):
        if channel.url is not None:
            reason = link_problem(channel.url, allow_tel=channel.channel == "phone")
            if reason is not None:
                found.append((("apply", i, "url"), reason))
    for i, source in enumerate(spec.sources):
        reason = link_problem(source.url)
        if reason is not None:
            found.append((("sources", i, "url"), reason))
    return found
