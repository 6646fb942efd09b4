"""One grammar per locale behind one protocol: how a message's placeholders are filled.

Messages are ``str.format`` templates with named fields. A field may carry a Korean particle as
its format spec, written as the pair a Korean writer would (``{name:이/가}``, ``{name:을/를}``,
``{name:은/는}``, ``{name:과/와}``, ``{name:으로/로}``, ``{name:이에요/예요}``): the Korean grammar
picks the form that fits the last syllable of the filled-in word (a final consonant takes the
first form; ㄹ takes ``로``); a grammar without particles ignores the spec.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from babel.core import Locale as BabelLocale
from babel.lists import format_list

# how digits and Latin letters are read aloud in Korean: does the reading end in a consonant,
# and is that consonant ㄹ (일, 칠, 팔 → 로; 삼 → 으로)
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ"}
_DIGIT_FINAL |= {"8": "ㄹ", "9": "", "%": "ㅌ"}
_LATIN_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "", "b": "", "c": "", "k": "ㄱ"}
_RIEUL = 8  # the index of ㄹ among Hangul final consonants


class Grammar(Protocol):
    """How one locale fills a template and joins a list."""

    def format(self, template: str, args: Mapping[str, Any]) -> str: ...

    def join(self, items: Sequence[str], style: str = "standard") -> str: ...


class _Formatter(string.Formatter):
    def __init__(self, particles: bool) -> None:
        self.particles = particles

    def format_field(self, value: Any, format_spec: str) -> str:
        if "/" in format_spec:
            text = str(value)
            return text + particle(text, format_spec) if self.particles else text
        return format(value, format_spec)  # what string.Formatter.format_field does


class PlainGrammar:
    """Languages without particles (English, Vietnamese, Chinese …)."""

    particles = False

    def __init__(self, locale: BabelLocale) -> None:
        self.locale = locale
        self._formatter = _Formatter(self.particles)

    def format(self, template: str, args: Mapping[str, Any]) -> str:
        parts = _parsed(template)
        if parts is None:
            text = self._formatter.vformat(template, (), dict(args))
        else:  # what vformat does, without parsing the template again
            field = self._formatter.format_field
            text = "".join(
                [
                    literal if name is None else literal + field(args[name], spec)
                    for literal, name, spec in parts
                ]
            )
        # a sentence that starts with a filled-in phrase ("your age is …") starts with a capital
        if template[:1] == "{" and template.rstrip()[-1:] in ".?!" and text[:1].islower():
            text = text[:1].upper() + text[1:]
        return text

    def join(self, items: Sequence[str], style: str = "standard") -> str:
        return format_list(list(items), style=style, locale=self.locale)  # type: ignore[arg-type]


class KoreanGrammar(PlainGrammar):
    particles = True


@cache
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """A template as (literal, field name, format spec) triples, where every field is a plain
    name (``{name}``, ``{name:이/가}``); None for anything else (``{0}``, ``{a.b}``, ``{a!r}``,
    nested specs), which ``string.Formatter`` fills as usual."""
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None and (not name.isidentifier() or conversion or "{" in (spec or "")):
            return None
        parts.append((literal, name, spec or ""))
    return tuple(parts)


def grammar_for(locale: BabelLocale) -> Grammar:
    return KoreanGrammar(locale) if locale.language == "ko" else PlainGrammar(locale)


def final_consonant(word: str) -> str | None:
    """``ㄹ``, another consonant (``ㅇ`` stands for any), ``""`` for a vowel, ``None`` when the
    word's end cannot be read (then both forms are shown)."""
    stripped = word.rstrip(" '\"’”")
    while stripped.endswith(")") and "(" in stripped:  # 본인(68세) → 본인: the word, not the note
        stripped = stripped[: stripped.rindex("(")].rstrip()
    if not stripped:
        return None
    last = stripped[-1]
    if "가" <= last <= "힣":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else ("ㄹ" if index == _RIEUL else "ㅇ")
    if last in _DIGIT_FINAL:
        return _DIGIT_FINAL[last]
    return _LATIN_FINAL.get(last.lower())


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` (``이/가``) that follows ``word``."""
    with_final, _, without_final = pair.partition("/")
    final = final_consonant(word)
    if final is None:
        return f"{with_final}({without_final})"
    if with_final == "으로":  # ㄹ behaves as a vowel before 로
        return without_final if final in ("", "ㄹ") else with_final
    return with_final if final else without_final
