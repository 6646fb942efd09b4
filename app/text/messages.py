"""Message catalogs: gettext ``.po`` files per locale, read with Babel, keyed by message id.

Why gettext with Babel rather than Fluent: Babel is the well-kept standard library for both
halves of the job, catalogs (``.po``, which every translation tool edits: Weblate, Poedit,
Pontoon) *and* CLDR formatting of numbers, dates and lists per locale, which Fluent's Python
runtime would need Babel for anyway. The one thing Fluent adds, grammatical selectors, is the
Korean particle here, and that is a format spec (see ``grammar``).

Every ``msgid`` is a stable id (``reason.missing``), never English source text, so fixing an
English sentence does not orphan its translations. ``msgstr`` is a ``str.format`` template.
A locale that lacks a message falls back to Korean, the default (and its source of truth).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from babel.messages.pofile import read_po

from app.text.grammar import Grammar, grammar_for
from app.text.locales import DEFAULT, LocaleInfo, registry


class MissingMessage(KeyError):
    """A message id that not even the default locale defines: a programming error."""


@cache
def catalog(tag: str) -> Mapping[str, str]:
    """All messages of one locale (every ``*.po`` of its directory), id → template. Fuzzy and
    empty entries are not used, so an unfinished translation falls back to Korean."""
    info = registry()[tag]
    messages: dict[str, str] = {}
    for path in sorted(info.directory.glob("*.po")):
        with path.open("rb") as handle:
            po = read_po(handle, locale=info.babel)
        for message in po:
            if message.id and isinstance(message.id, str) and message.string:
                if message.fuzzy:
                    continue
                if message.id in messages:
                    raise ValueError(f"{path}: message id {message.id!r} is defined twice")
                messages[message.id] = str(message.string)
    return messages


@cache
def grammar(tag: str) -> Grammar:
    return grammar_for(registry()[tag].babel)


def has(tag: str, message_id: str) -> bool:
    return message_id in catalog(tag)


def template(tag: str, message_id: str) -> str:
    found = catalog(tag).get(message_id) if tag in registry() else None
    if found is None:
        found = catalog(DEFAULT).get(message_id)
        if found is None:
            raise MissingMessage(message_id)
    return found


def t(tag: str, message_id: str, /, **args: Any) -> str:
    """The message ``message_id`` in locale ``tag`` (Korean where it is missing), filled in by
    that locale's grammar."""
    found = catalog(tag).get(message_id) if tag in registry() else None
    if found is None:
        return grammar(DEFAULT).format(template(DEFAULT, message_id), args)
    return grammar(tag).format(found, args)


def tn(tag: str, message_id: str, count: int, /, **args: Any) -> str:
    """``t`` for a message about ``count`` things: ``<id>.one`` where the count is 1 and the
    locale has that form (English "1 program"), else ``<id>`` (Korean needs no plural)."""
    if count == 1 and tag in registry() and has(tag, f"{message_id}.one"):
        return t(tag, f"{message_id}.one", n=count, **args)
    return t(tag, message_id, n=count, **args)


def locale_info(tag: str) -> LocaleInfo:
    return registry()[tag]
