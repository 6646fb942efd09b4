"""Optimistic concurrency for admin edits (RFC 9110 §8.8.3, §13.1; RFC 6585 §3).

Every admin-editable resource (a program, a parameter) has a strong entity tag made from its id and
current version (``"basic-pension.v3"``). Reads and admin responses send it as ``ETag``; an edit
must send it back in ``If-Match`` and is refused with 412 when the resource moved on meanwhile
(someone else's edit won), or with 428 when it sent no precondition at all. A parameter, which a
PUT may create, may instead send ``If-None-Match: *`` ("only if it does not exist yet").
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PreconditionFailed, PreconditionRequired, text


def entity_tag(resource_id: str, version: int) -> str:
    """The strong ETag of ``resource_id`` at ``version``, quotes included."""
    return f'"{resource_id}.v{version}"'


def _tags(header: str | None, *, weak_too: bool) -> frozenset[str] | None:
    if header is None:
        return None
    tags = set()
    for token in header.split(","):
        tag = token.strip()
        if tag.startswith("W/"):
            if not weak_too:  # If-Match compares strongly: a weak tag never matches
                continue
            tag = tag[2:]
        if tag:
            tags.add(tag)
    return frozenset(tags)


def _matches(tags: frozenset[str], current: str | None) -> bool:
    return current is not None and ("*" in tags or current in tags)


@dataclass(frozen=True)
class Precondition:
    """The ``If-Match`` / ``If-None-Match`` tags a write came with (``None``: header absent)."""

    if_match: frozenset[str] | None = None
    if_none_match: frozenset[str] | None = None

    @classmethod
    def from_headers(cls, if_match: str | None, if_none_match: str | None) -> Precondition:
        return cls(_tags(if_match, weak_too=False), _tags(if_none_match, weak_too=True))

    def check(self, current: str | None, *, may_create: bool = False) -> None:
        """Raise unless the write may go ahead on the resource whose tag is ``current`` (``None``
        when it does not exist). Call it inside the write transaction, after locking the row."""
        # Only ``If-None-Match: *`` stands in for If-Match (a create); any other tag in it would
        # let an unconditional overwrite through.
        creating = may_create and self.if_none_match is not None and "*" in self.if_none_match
        if self.if_match is None and not creating:
            raise PreconditionRequired(_REQUIRED)
        moved = {"ETag": current} if current else {}
        if self.if_match is not None and not _matches(self.if_match, current):
            raise PreconditionFailed(_FAILED, headers=moved)
        if self.if_none_match is not None and _matches(self.if_none_match, current):
            raise PreconditionFailed(_EXISTS, headers=moved)


def created_meanwhile() -> PreconditionFailed:
    """For a create that lost the race to another (``If-None-Match: *`` no longer holds)."""
    return PreconditionFailed(_EXISTS)


_REQUIRED = text("errors.precondition_required.detail")
_FAILED = text("errors.precondition_failed.changed")
_EXISTS = text("errors.precondition_failed.exists")
