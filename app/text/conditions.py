"""Conditions as a caseworker says them: one short sentence per deciding condition, naming the
person, the number that matters and, where it can, what would change it.

The engine hands over structured results (``ConditionResult``: fact, operator, value,
threshold, parameter, truth); every word comes from the message catalogs (``reason.*``,
``cond.*``, ``subject.*``), so no sentence here depends on a language. ``deciding`` picks which
results a verdict rests on: the branch of an ``any`` that made it true, never its siblings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.matching import (
    FACTS,
    TRUE,
    UNKNOWN,
    ConditionResult,
    CountRule,
    FactSpec,
    ParameterSet,
    Truth,
    fact_spec,
)
from app.text import formats
from app.text.criteria import member_text
from app.text.facts import fact_label
from app.text.messages import has, t
from app.text.values import ORDERED, format_value, is_age, param_name, threshold_text

_MEMBER = re.compile(r"^members\[(\d+)\]\.(.+)$")


# --- who a condition is about --------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """The fact a sentence is about, and whose it is."""

    label: str  # 나이, 소득인정액
    text: str  # 어머니(72세)의 나이, your age
    spec: FactSpec | None
    member: str | None = None  # 어머니(72세)
    is_self: bool = False  # the member named is the applicant ("본인(45세)", English "you")


def subject(ref: str, locale: str, member: str | None = None) -> Subject:
    """``members[1].age`` with member label ``어머니(72세)`` → ``어머니(72세)의 나이``."""
    found = _MEMBER.match(ref)
    spec = FACTS.get(f"person.{found.group(2)}") if found else _spec(ref)
    label = fact_label(spec.id, locale) if spec is not None else ref
    if found is not None or (member is not None and ref.startswith("applicant.")):
        who = member or t(locale, "member.numbered", n=int(found.group(1)) + 2 if found else 1)
        is_self = found is None
        key = "subject.self" if is_self else "subject.member"
        return Subject(label, t(locale, key, member=who, label=label), spec, who, is_self)
    if ref.startswith("spouse."):
        return Subject(label, t(locale, "subject.spouse", label=label), spec)
    if ref.startswith("applicant."):
        return Subject(label, t(locale, "subject.applicant", label=label), spec)
    return Subject(label, t(locale, "subject.household", label=label), spec)


def _spec(ref: str) -> FactSpec | None:
    try:
        return fact_spec(ref)
    except KeyError:
        return None


# --- sentences ------------------------------------------------------------------------------


def render_condition(
    result: ConditionResult,
    locale: str,
    parameters: ParameterSet | None = None,
    member: str | None = None,
    count: CountRule | None = None,
    as_of: date | None = None,
) -> str:
    """One trace entry as one sentence in ``locale``. ``member`` names the person a member fact
    is about (``어머니(72세)``); ``count`` is the rule a ``count`` entry counts with."""
    if result.path == "effective":
        return _not_in_effect(result, locale)
    if result.fact == "count":
        return _count_sentence(result, locale, parameters, count, as_of)
    who = subject(result.fact, locale, member)
    if result.value is None:
        return _missing(who, locale)
    if result.param is not None and result.threshold is None:
        name = param_name(result.param, locale, parameters)
        return t(locale, "reason.no_parameter", name=name)
    op, truth = result.op, result.truth
    if op in ("is_true", "is_false"):
        return _statement(who, (truth is TRUE) == (op == "is_true"), truth, locale)
    value = format_value(result.value, who.spec, locale)
    target = _target(result, who.spec, locale, parameters)
    if is_age(who.spec) and op in ORDERED and truth is not UNKNOWN:
        return _age_sentence(who, value, target, op, truth, locale)
    if truth is UNKNOWN:
        condition = t(locale, f"cond.{op}", target=target)
        return t(locale, "reason.unknown", subject=who.text, value=value, condition=condition)
    outcome = "true" if truth is TRUE else "false"
    return t(locale, f"reason.{op}.{outcome}", subject=who.text, value=value, target=target)


def _not_in_effect(result: ConditionResult, locale: str) -> str:
    start, end = result.threshold if isinstance(result.threshold, tuple) else (None, None)
    return t(
        locale,
        "reason.not_in_effect",
        day=format_value(result.value, None, locale),
        start=format_value(start, None, locale) if start else "",
        end=format_value(end, None, locale) if end else "",
    )


def _statement(who: Subject, holds: bool, truth: Truth, locale: str) -> str:
    """A yes/no fact as a statement: ``아버지(78세)는 참전유공자에 해당하지 않아요``."""
    if truth is UNKNOWN:
        return _missing(who, locale)
    key = "bool.yes" if holds else "bool.no"
    if who.member is not None:
        key = _self(locale, f"{key}.member", who)
        return t(locale, key, member=who.member, label=who.label)
    return t(locale, key, label=who.label, subject=who.text)


def _age_sentence(who: Subject, value: str, target: str, op: str, truth: Truth, locale: str) -> str:
    """``아버지(78세)는 65세 이상이에요`` / ``만 64세로 65세에 못 미쳐요``: an age said once."""
    said = (
        t(locale, _self(locale, "age.subject.member", who), member=who.member)
        if who.member is not None
        else t(locale, "age.subject.applicant", value=value)
    )
    outcome = "true" if truth is TRUE else "false"
    return t(locale, f"reason.age.{op}.{outcome}", subject=said, target=target)


def _self(locale: str, message_id: str, who: Subject) -> str:
    """The ``.self`` form of a message about a member where the member is the applicant and the
    language says it differently ("you are", not "you is")."""
    return f"{message_id}.self" if who.is_self and has(locale, f"{message_id}.self") else message_id


def _missing(who: Subject, locale: str) -> str:
    """What to tell us so that we can decide, about whom."""
    if who.spec is not None and who.spec.type == "bool":
        if who.member is not None:
            key = _self(locale, "reason.missing_bool.member", who)
            return t(locale, key, member=who.member, label=who.label)
        return t(locale, "reason.missing_bool", label=who.label)
    return t(locale, "reason.missing", subject=who.text, label=who.label)


def _target(
    result: ConditionResult, spec: FactSpec | None, locale: str, parameters: ParameterSet | None
) -> str:
    threshold = result.threshold
    if result.op == "between" and isinstance(threshold, tuple) and len(threshold) == 2:
        low, high = (format_value(x, spec, locale, short=True) for x in threshold)
        return t(locale, "format.between", low=low, high=high)
    if isinstance(threshold, frozenset | tuple):
        style = "or" if result.op in ("in", "not_in") else "standard"
        items = sorted(threshold, key=str)
        return formats.join([format_value(x, spec, locale) for x in items], locale, style)
    if is_age(spec) and spec is not None and spec.unit == "months" and _whole_years(threshold):
        # "216개월" is how the rule counts; "만 18세" is how a caseworker says it
        return formats.unit(int(str(threshold)) // 12, "age", locale)
    return threshold_text(threshold, spec, result.param, result.percent, locale, parameters)


def _whole_years(months: object) -> bool:
    return (
        isinstance(months, int)
        and not isinstance(months, bool)
        and months >= 36
        and not months % 12
    )


def _count_sentence(
    result: ConditionResult,
    locale: str,
    parameters: ParameterSet | None,
    rule: CountRule | None,
    as_of: date | None,
) -> str:
    """``24개월 미만 아이가 있어요``: a count speaks of people, not of a number compared."""
    who = (
        t(locale, "count.who", conditions=member_text(rule.count.member, locale, parameters, as_of))
        if rule is not None
        else t(locale, "count.who_plain")
    )
    need = result.threshold if isinstance(result.threshold, int) else None
    value = result.value
    if result.truth is UNKNOWN or value is None:
        return t(locale, "count.unknown", who=who)
    n = formats.unit(value, "persons", locale) if isinstance(value, int | float) else str(value)
    one = (need == 1 and result.op == "ge") or (need == 0 and result.op == "gt")
    none = (need == 0 and result.op == "eq") or (need == 1 and result.op == "lt")
    holds = result.truth is TRUE
    if one or none:
        exists = holds if one else not holds
        return t(locale, "count.some" if exists else "count.none", who=who, n=n)
    outcome = "true" if holds else "false"
    target = formats.unit(need, "persons", locale) if need is not None else ""
    return t(locale, f"count.{result.op}.{outcome}", who=who, n=n, target=target)
