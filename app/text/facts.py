"""What the kiosk and the plan call each fact: its label, its question, its options' labels.

The only way into fact wording: the engine's fact registry (``app.matching.facts``) knows ids,
types and bounds; the words live in the message catalogs (domain ``facts``).
"""

from __future__ import annotations

from app.matching.facts import fact_spec


def fact_label(fact_id: str, locale: str) -> str:
    """``나이`` / ``age`` for ``person.age`` (or any fact id the registry resolves)."""
    return fact_spec(fact_id).label.get(locale)


def fact_question(fact_id: str, locale: str) -> str:
    """The question a kiosk asks for ``fact_id`` (``person.age`` or ``applicant.age``)."""
    return fact_spec(fact_id).question.get(locale)


def option_label(fact_id: str, value: str, locale: str) -> str:
    """The label of an enum or set option; the raw value if it is not an option."""
    label = fact_spec(fact_id).option_label(value)
    return value if label is None else label.get(locale)


def options(fact_id: str, locale: str) -> list[tuple[str, str]]:
    """Every option of an enum or set fact as (value, label), in the registry's order."""
    return [(o.value, option_label(fact_id, o.value, locale)) for o in fact_spec(fact_id).options]
