"""What the kiosk and the plan call each fact: its label, its question, its options' labels.

The only way into fact wording: the engine's fact registry (``app.matching.facts``) knows ids,
types, bounds and option values; the words are messages of the ``facts`` catalogs
(``app/text/locales/<locale>/facts.po``):

- ``fact.<id>.label`` and ``fact.<id>.question`` for every registry fact
  (``fact.person.age.label``);
- ``fact.<id>.option.<value>`` for the options of an enum or set fact;
- ``region.sido.<code>`` and ``region.sigungu.<code>`` name the 시도 and 시군구 options of
  ``household.region`` and ``household.sigungu`` (a 시군구 option reads with its 시도,
  ``region.sigungu.in_sido``);
- ``fact.count.label`` names what a count rule counts (not a registry fact).
"""

from __future__ import annotations

from app.catalog.regions import sigungu
from app.matching import (
    fact_spec,
)
from app.text.messages import t

COUNT = "count"  # the subject of a count rule: labelled like a fact, not in the registry
# facts whose options are another fact's: one message per option, not one per fact
_SAME_OPTIONS = {"household.receives": "person.receives"}


def _fact_id(fact_id: str) -> str:
    """The registry id (``applicant.age`` → ``person.age``); ``UnknownFact`` if there is none."""
    return COUNT if fact_id == COUNT else fact_spec(fact_id).id


def fact_label(fact_id: str, locale: str) -> str:
    """``나이`` / ``age`` for ``person.age`` (or any fact id the registry resolves)."""
    return t(locale, f"fact.{_fact_id(fact_id)}.label")


def fact_question(fact_id: str, locale: str) -> str:
    """The question a kiosk asks for ``fact_id`` (``person.age`` or ``applicant.age``)."""
    return t(locale, f"fact.{fact_spec(fact_id).id}.question")


def option_label(fact_id: str, value: str, locale: str) -> str:
    """The label of an enum or set option; the raw value if it is not an option."""
    spec = fact_spec(fact_id)
    if value not in spec.option_values:
        return value
    if spec.id == "household.region":
        return sido_name(value, locale)
    if spec.id == "household.sigungu":
        return sigungu_label(value, locale)
    return t(locale, f"fact.{_SAME_OPTIONS.get(spec.id, spec.id)}.option.{value}")


def options(fact_id: str, locale: str) -> list[tuple[str, str]]:
    """Every option of an enum or set fact as (value, label), in the registry's order."""
    return [(value, option_label(fact_id, value, locale)) for value in fact_spec(fact_id).options]


def sido_name(code: str, locale: str) -> str:
    """``서울특별시`` / ``Seoul`` for the 시도 code ``11``."""
    return t(locale, f"region.sido.{code}")


def sigungu_label(code: str, locale: str) -> str:
    """A 시군구 with its 시도: ``서울특별시 종로구`` / ``Jongno-gu, Seoul`` for ``11110``; a 시군구
    named like its 시도 (세종특별자치시) is named once."""
    name = t(locale, f"region.sigungu.{code}")
    sido = sido_name(sigungu(code).sido, locale)
    if name == sido:
        return name
    return t(locale, "region.sigungu.in_sido", sido=sido, name=name)
