"""A plan to take home: the request in a URL *fragment*, and a QR code of that URL.

The fragment (after ``#``) never leaves the phone's browser: the reopened page reads it and posts
the request for a plan, so no server, proxy or access log ever sees the citizen's answers in a
URL, and nothing is stored to be looked up later. The request is compact JSON, compressed with
raw DEFLATE (the browser's ``DecompressionStream("deflate-raw")`` undoes it) and base64url
encoded, so the QR code stays small enough for a phone camera.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import segno

from app.schemas.plans import PlanRequest

PREFIX = "p1."  # the fragment's format version


def shared_request(request: PlanRequest) -> dict[str, Any]:
    """What the phone needs to rebuild the plan: profile, needs, locale (not ``as_of``: the
    phone's plan is for the day it is opened)."""
    data = request.model_dump(
        mode="json", exclude_none=True, include={"profile", "needs", "locale"}
    )
    data["profile"] = {key: _prune(item) for key, item in data["profile"].items()}
    data["profile"] = {key: item for key, item in data["profile"].items() if item not in ({}, [])}
    if not data.get("needs"):
        data.pop("needs", None)
    return data


def _prune(value: Any) -> Any:
    """Empty objects dropped (``"applicant": {}`` says nothing); an empty list stays where it is
    an answer (``"receives": []`` is "nothing", not "unknown"). Only the profile's top level
    drops an empty ``members`` list, the default."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item != {}}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def encode_fragment(data: dict[str, Any]) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return PREFIX + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_fragment(fragment: str) -> dict[str, Any]:
    """The inverse of ``encode_fragment`` (for tests; the phone decodes in the browser)."""
    body = fragment.removeprefix("#").removeprefix(PREFIX)
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    value: dict[str, Any] = json.loads(zlib.decompress(packed, -15))
    return value


def share_url(base_url: str, request: PlanRequest) -> str:
    """``<base>/plan#p1.<request>``: the page that reopens the plan, the request in the fragment."""
    return f"{base_url.rstrip('/')}/plan#{encode_fragment(shared_request(request))}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (error correction M, dark on white)."""
    code = segno.make(url, error="m", micro=False)
    svg: str = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=True)
    return svg
