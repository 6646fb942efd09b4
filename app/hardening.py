"""Request hardening: one parse and one walk of every JSON body, plus URL checks.

``Hardening`` (pure ASGI, inside ``RequestContext`` so the body cap and request id apply) refuses,
with a 422 problem naming the place (JSON pointer, query parameter or ``path``) in the request's
language and never the value:

- JSON nested deeper than ``settings.max_json_depth``;
- ``NaN``/``Infinity``, integers over 15 digits and numbers whose magnitude exceeds 1e15;
- NUL characters and lone surrogates in any string or key;
- an object with a key given twice (also twice only after NFC normalization): Python's parser
  would keep the last value silently, hiding the first from every check;
- a JSON body that is not UTF-8 (RFC 8259 §8.1 requires it; Python's parser would also decode
  UTF-16 and UTF-32), or that has a second BOM.
- anything shaped like a 주민등록번호 (resident registration number: 6 digits, optional ``-`` or
  space, then 7 digits starting 1-8) in any string, 13-digit integer, query string or path.

A UTF-8 byte order mark at the start of a JSON body is accepted and stripped, on purpose: RFC 8259
lets a parser ignore it and common Windows tools write one, and it carries no meaning. Stripping it
here means nothing after this middleware (FastAPI, a route reading ``request.body()``) ever sees it.
Strings are normalized to NFC. The parsed body is left in the request state and ``HardenedRoute``
hands it to FastAPI, so the body is parsed once; routes that do not use ``HardenedRoute`` still get
the checks (and an NFC body) but parse twice. When a path carries a resident number the path is
redacted before the access log sees it.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Coroutine, Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import (
    BodyTimeout,
    HanaroError,
    PayloadTooLarge,
    ResidentNumberRejected,
    UnsafeInput,
    problem_of,
    problem_response,
    request_id_of,
    scope_locale,
    text,
)
from app.locale import Locale
from app.text.locales import DEFAULT

RESIDENT_NUMBER = re.compile(r"(?<!\d)\d{6}[- ]?[1-8]\d{6}(?!\d)")
_FORBIDDEN_CHARS = re.compile("[\x00\ud800-\udfff]")
MAX_DIGITS = 15
MAX_MAGNITUDE = 1e15
PARSED_KEY = "hanaro.json"
UTF8_BOM = b"\xef\xbb\xbf"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# why a request was refused → its message (``errors.unsafe_input.<reason>``, filled with
# ``depth`` and ``digits``); a resident number has its own problem type and title
_REASONS = frozenset(
    {"depth", "non_finite", "oversized", "characters", "duplicate_key", "encoding"}
)


class Rejected(Exception):
    """Why and where a request was refused (``where`` is ``("pointer", "/a/0")`` or similar)."""

    def __init__(self, reason: str, where: tuple[str, str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.where = where


class _Bad:
    """Placeholder left by the parser for a number it refuses; the walk reports its pointer."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


_NON_FINITE, _OVERSIZED, _RESIDENT = _Bad("non_finite"), _Bad("oversized"), _Bad("resident_number")


def _parse_int(text: str) -> int | _Bad:
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        return _OVERSIZED
    if digits == 13 and RESIDENT_NUMBER.fullmatch(text.lstrip("-")):
        return _RESIDENT
    return int(text)


def _parse_float(text: str) -> float | _Bad:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return _OVERSIZED
    return value


def _parse_constant(_text: str) -> _Bad:
    return _NON_FINITE


class _Duplicated:
    """Left by the parser for an object with a repeated key; the walk checks every value (a
    resident number in the first of two is still reported as one), then refuses the key."""

    def __init__(self, pairs: list[tuple[str, Any]], key: str) -> None:
        self.pairs = pairs
        self.key = key


def _parse_object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Duplicated:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    seen: set[str] = set()
    for key, _item in pairs:
        if key in seen:
            return _Duplicated(pairs, key)
        seen.add(key)
    raise AssertionError("unreachable: a shorter dict has a repeated key")


# Built once: ``json.loads`` with hooks builds a decoder per call. It holds no state.
_DECODER = json.JSONDecoder(
    object_pairs_hook=_parse_object,
    parse_int=_parse_int,
    parse_float=_parse_float,
    parse_constant=_parse_constant,
)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class JsonWalker:
    """Checks and NFC-normalizes a parsed JSON value in place; ``changed`` if any string was."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.changed = False

    def text(self, value: str, pointer: str) -> str:
        if not value.isascii():
            if _FORBIDDEN_CHARS.search(value):
                raise Rejected("characters", ("pointer", pointer))
            if not unicodedata.is_normalized("NFC", value):
                value = unicodedata.normalize("NFC", value)
                self.changed = True
        elif "\x00" in value:
            raise Rejected("characters", ("pointer", pointer))
        if len(value) >= 13 and RESIDENT_NUMBER.search(value):
            raise Rejected("resident_number", ("pointer", pointer))
        return value

    def walk(self, value: Any, pointer: str = "", depth: int = 0) -> Any:
        if isinstance(value, str):
            return self.text(value, pointer)
        if isinstance(value, dict):
            self._deeper(depth, pointer)
            return self._object(value, pointer, depth + 1)
        if isinstance(value, list):
            self._deeper(depth, pointer)
            for index, item in enumerate(value):
                value[index] = self.walk(item, f"{pointer}/{index}", depth + 1)
            return value
        if isinstance(value, _Bad):
            raise Rejected(value.reason, ("pointer", pointer))
        if isinstance(value, _Duplicated):
            self._deeper(depth, pointer)
            for key, item in value.pairs:
                self.walk(item, f"{pointer}/{_escape(self.text(key, pointer or '/'))}", depth + 1)
            raise Rejected("duplicate_key", ("pointer", f"{pointer}/{_escape(value.key)}"))
        return value

    def _deeper(self, depth: int, pointer: str) -> None:
        if depth >= self.max_depth:
            raise Rejected("depth", ("pointer", pointer))

    def _object(self, value: dict[str, Any], pointer: str, depth: int) -> dict[str, Any]:
        renamed = False
        for key in list(value):
            clean = self.text(key, pointer or "/")
            child = f"{pointer}/{_escape(clean)}"
            item = self.walk(value[key], child, depth)
            if clean != key:
                renamed = True
            value[key] = item
        if renamed:
            normalized = {unicodedata.normalize("NFC", k): v for k, v in value.items()}
            if len(normalized) < len(value):
                seen: set[str] = set()
                for key in value:
                    clean = unicodedata.normalize("NFC", key)
                    if clean in seen:
                        raise Rejected("duplicate_key", ("pointer", f"{pointer}/{_escape(clean)}"))
                    seen.add(clean)
            return normalized
        return value


def parse_body(body: bytes, max_depth: int) -> tuple[Any, bool]:
    """Parse and check a JSON body (UTF-8, a leading BOM already stripped): ``(value, changed)``.
    ``ValueError`` if it is not JSON; ``Rejected`` if it is unsafe or not UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("encoding", ("pointer", "")) from None
    if "\x00" in text or text.startswith("\ufeff"):
        # JSON never holds a raw NUL: these are UTF-16/32 bodies (or a second BOM), which
        # FastAPI's own parse of the bytes would quietly decode after ours failed
        raise Rejected("encoding", ("pointer", ""))
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise Rejected("depth", ("pointer", "")) from None
    walker = JsonWalker(max_depth)
    value = walker.walk(value)
    return value, walker.changed


def check_url(scope: Scope) -> None:
    """Refuse resident numbers in the path or the query string."""
    if RESIDENT_NUMBER.search(scope.get("path", "")):
        raise Rejected("resident_number", ("parameter", "path"))
    query = scope.get("query_string", b"").decode("latin-1")
    if not query:
        return
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8"):
        if RESIDENT_NUMBER.search(name):
            raise Rejected("resident_number", ("parameter", "query"))
        if RESIDENT_NUMBER.search(value) or _FORBIDDEN_CHARS.search(value):
            reason = "resident_number" if RESIDENT_NUMBER.search(value) else "characters"
            raise Rejected(reason, ("parameter", name))


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return True  # FastAPI reads a body without a content type as JSON


class Hardening:
    """Pure ASGI middleware applying the checks above; see the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_json_depth: int,
        default_locale: Locale = DEFAULT,
        streamed_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.max_depth = max_json_depth
        self.default_locale = default_locale
        self.streamed_paths = streamed_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_url(scope)
            if scope.get("method") in _BODY_METHODS and not self._is_streamed(scope):
                receive = await self._checked_body(scope, receive)
        except Rejected as rejected:
            if rejected.where == ("parameter", "path"):
                scope["path"] = scope["raw_path"] = "/[redacted]"
            await self._refuse(scope, receive, send, rejected)
            return
        except HTTPException as exc:  # the body cap in RequestContext.receive
            await self._send(scope, receive, send, PayloadTooLarge(), exc.headers)
            return
        except BodyTimeout as exc:  # the body deadline in RequestContext.receive
            await self._send(scope, receive, send, exc, exc.headers)
            return
        await self.app(scope, receive, send)

    def _is_streamed(self, scope: Scope) -> bool:
        """A multipart upload to one of ``streamed_paths`` is not read here: its route streams
        it to disk and searches it for resident numbers itself (``app.screening.uploads``)."""
        if scope.get("path", "") not in self.streamed_paths:
            return False
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                return bytes(value).lower().startswith(b"multipart/form-data")
        return False

    async def _checked_body(self, scope: Scope, receive: Receive) -> Receive:
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return receive
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body:
            body = self._check(scope, body)
        return _replay(body, receive)

    def _check(self, scope: Scope, body: bytes) -> bytes:
        if _is_json(scope):
            body = body.removeprefix(UTF8_BOM)  # deliberate: see the module docstring
            try:
                value, changed = parse_body(body, self.max_depth)
            except ValueError:
                pass  # not JSON: FastAPI reports it; still look for resident numbers below
            else:
                scope.setdefault("state", {})[PARSED_KEY] = value
                return json.dumps(value, ensure_ascii=False).encode() if changed else body
        if RESIDENT_NUMBER.search(body.decode("utf-8", errors="replace")):
            raise Rejected("resident_number", ("pointer", ""))
        return body

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, why: Rejected) -> None:
        error: HanaroError
        key, where = why.where
        if why.reason == "resident_number":
            message = text("errors.resident_number.detail")
            error = ResidentNumberRejected(message, errors=[{key: where, "detail": message}])
        else:
            assert why.reason in _REASONS, why.reason
            message = text(
                f"errors.unsafe_input.{why.reason}", depth=self.max_depth, digits=MAX_DIGITS
            )
            error = UnsafeInput(message, errors=[{key: where, "detail": message}])
        await self._send(scope, receive, send, error)

    async def _send(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        error: HanaroError,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        locale = scope_locale(scope, self.default_locale)
        body = problem_of(error, locale, request_id_of(scope))
        await problem_response(body, locale, headers)(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class HardenedRoute(APIRoute):
    """The documented "custom Request and APIRoute class" hook: hand FastAPI the body that
    ``Hardening`` already parsed and checked, so it is not parsed a second time."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def hardened(request: Request) -> Response:
            state = request.scope.get("state") or {}
            if PARSED_KEY in state:
                request._json = state[PARSED_KEY]
            return await handler(request)

        return hardened
