"""The locale registry: which languages Hanaro speaks, discovered from files.

A locale is a directory under ``app/text/locales/`` (or under a directory named in
``HANARO_LOCALE_PATH``, several separated by ``os.pathsep``) named by its BCP 47 tag (``ko``,
``en``, ``vi``, ``zh-Hans``) and holding gettext catalogs (``*.po``, one per domain). Adding a
language is adding such a directory: nothing in the code names a locale except the default,
Korean, which every other locale falls back to.

Negotiation follows RFC 9110 §12.5.4 (``Accept-Language`` with q-values) with RFC 4647 lookup,
and compares language *and script* through CLDR's likely subtags, so that ``zh-CN`` and ``zh``
reach ``zh-Hans`` while ``zh-TW`` (Traditional) does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.core import Locale as BabelLocale
from babel.core import get_global

DEFAULT = "ko"
BUILTIN_DIR = Path(__file__).with_name("locales")
ENV_PATH = "HANARO_LOCALE_PATH"


@dataclass(frozen=True)
class LocaleInfo:
    tag: str  # BCP 47, as served in Content-Language: ``zh-Hans``
    directory: Path
    babel: BabelLocale

    @property
    def language(self) -> str:
        return self.babel.language

    @property
    def native_name(self) -> str:
        return str(self.babel.get_display_name(self.babel))


def _directories() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
    return [BUILTIN_DIR, *extra]


def babel_locale(tag: str) -> BabelLocale:
    return BabelLocale.parse(tag.replace("-", "_"))


@cache
def registry() -> dict[str, LocaleInfo]:
    """Every locale with at least one catalog, default first, then by tag."""
    found: dict[str, LocaleInfo] = {}
    for base in _directories():
        if not base.is_dir():
            continue
        for directory in sorted(base.iterdir()):
            if directory.is_dir() and any(directory.glob("*.po")):
                tag = directory.name
                found.setdefault(tag, LocaleInfo(tag, directory, babel_locale(tag)))
    if DEFAULT not in found:
        raise RuntimeError(f"the default locale {DEFAULT!r} has no message catalogs")
    return {DEFAULT: found.pop(DEFAULT), **dict(sorted(found.items()))}


def supported() -> tuple[str, ...]:
    return tuple(registry())


def is_supported(tag: str) -> bool:
    return tag in registry()


def _maximize(tag: str) -> tuple[str, str, str]:
    """(language, script, region) by CLDR likely subtags: ``zh-CN`` → (zh, Hans, CN)."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p.upper() for p in parts[1:] if len(p) in (2, 3) and p.isalnum()), "")
    likely = get_global("likely_subtags")
    for key in (f"{language}_{script}_{region}", f"{language}_{region}", f"{language}_{script}",
                language):  # fmt: skip
        found = likely.get(key.replace("__", "_").strip("_"))
        if found:
            guess = found.split("_")
            guessed_script = next((p for p in guess[1:] if len(p) == 4), "")
            guessed_region = next((p for p in guess[1:] if len(p) in (2, 3)), "")
            return language, script or guessed_script, region or guessed_region
    return language, script, region


@cache
def _match(language_range: str) -> str | None:
    """The supported locale one language range reaches, if any."""
    wanted = language_range.lower()
    for tag in registry():
        if tag.lower() == wanted:
            return tag
    language, script, _ = _maximize(language_range)
    for tag in registry():
        tag_language, tag_script, _ = _maximize(tag)
        if tag_language == language and tag_script == script:
            return tag
    return None


def negotiate(accept_language: str | None, default: str = DEFAULT) -> str:
    """The best supported locale for an ``Accept-Language`` header (RFC 9110 §12.5.4): the
    highest q-value wins, earlier ranges win ties, ``q=0`` means "not this one", ``*`` is the
    default; anything unparsable is ignored."""
    if not accept_language:
        return default
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        if not tag or len(tag) > 35:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            ranges.append((-quality, position, tag))
    refused = {_match(tag) for tag in _refused(accept_language)}
    for _, _, tag in sorted(ranges):
        if tag == "*":
            return default if default not in refused else _first_not(refused, default)
        found = _match(tag)
        if found is not None and found not in refused:
            return found
    return default


def _refused(accept_language: str) -> list[str]:
    out = []
    for part in accept_language.split(","):
        pieces = part.strip().split(";")
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q" and value.strip() in ("0", "0.0", "0.00", "0.000"):
                out.append(pieces[0].strip())
    return [tag for tag in out if tag and tag != "*"]


def _first_not(refused: set[str | None], default: str) -> str:
    return next((tag for tag in registry() if tag not in refused), default)
