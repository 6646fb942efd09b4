"""Conditions as a caseworker says them: one short sentence per deciding condition, naming the
person, the number that matters and, where it can, what would change it.

The engine hands over structured results (``ConditionResult``: fact, operator, value,
threshold, parameter, truth); every word comes from the message catalogs (``reason.*``,
``cond.*``, ``subject.*``), so no sentence here depends on a language. ``deciding`` picks which
results a verdict rests on: the branch of an ``any`` that made it true, never its siblings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.matching import (
    FACTS,
    FALSE,
    TRUE,
    UNKNOWN,
    AllRule,
    AnyRule,
    Comparison,
    ConditionResult,
    CountRule,
    FactSpec,
    NoParameterValue,
    NotRule,
    OneOf,
    ParameterSet,
    ParamRef,
    Range,
    Rule,
    Truth,
    fact_spec,
    scale_percent,
)
from app.text import formats
from app.text.facts import fact_label, option_label
from app.text.messages import has, t

_MEMBER = re.compile(r"^members\[(\d+)\]\.(.+)$")
_ORDERED = ("ge", "gt", "le", "lt", "between")
_NEGATE = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
_AGE_UNITS = ("years", "months")


# --- values -------------------------------------------------------------------------------


def format_money(amount: int | float, locale: str) -> str:
    return formats.money(amount, locale)


def format_value(value: Any, spec: FactSpec | None, locale: str, short: bool = False) -> str:
    """A fact value as a citizen reads it: money, ages, counts, option labels, ranges."""
    if isinstance(value, Range):
        ends = [v for v in (value.min, value.max) if isinstance(v, int | float)]
        short = short and all(round(v) % 10_000 == 0 for v in ends)  # never 247만원~3,952,000원
        low = None if value.min is None else format_value(value.min, spec, locale, short)
        high = None if value.max is None else format_value(value.max, spec, locale, short)
        if low is not None and high is not None:
            return t(locale, "format.range", low=low, high=high)
        if low is not None:
            return t(locale, "format.at_least", value=low)
        return t(locale, "format.at_most", value=high)
    if isinstance(value, OneOf | frozenset | set | tuple | list):
        items = sorted(value.options if isinstance(value, OneOf) else value, key=str)
        return formats.join([format_value(v, spec, locale, short) for v in items], locale)
    if isinstance(value, bool):
        return t(locale, "format.yes" if value else "format.no")
    if isinstance(value, date):
        return formats.day(value, locale)
    if isinstance(value, str):
        return option_label(spec.id, value, locale) if spec is not None else value
    return _number(value, spec, locale, short)


def _number(value: int | float, spec: FactSpec | None, locale: str, short: bool) -> str:
    if spec is not None and spec.type == "money":
        return formats.money_short(value, locale) if short else formats.money(value, locale)
    unit = spec.unit if spec is not None else None
    if unit == "years" and not _is_age(spec):
        unit = "duration_years"  # 입국 후 5년, not 5세
    if unit in ("years", "months", "persons", "percent", "duration_years"):
        return formats.unit(value, unit, locale)
    return formats.number(value, locale)


def threshold_text(
    threshold: Any,
    spec: FactSpec | None,
    param: str | None,
    percent: float | None,
    locale: str,
    parameters: ParameterSet | None = None,
) -> str:
    """What a value is compared with: ``65세``; ``기준 중위소득 60%(321만원)``. An age or count
    limit is its number alone; a money line keeps its name, because the name is what a citizen
    asks about at the office."""
    amount = None if threshold is None else format_value(threshold, spec, locale, short=True)
    if param is None or (amount is not None and (spec is None or spec.type != "money")):
        return amount or ""
    name = _param_name(param, locale, parameters)
    if percent is not None:
        name = t(locale, "cond.percent_of", name=name, percent=formats.number(percent, locale))
    if amount is None:
        return name
    return t(locale, "cond.named_amount", name=name, amount=amount)


def _param_name(param: str, locale: str, parameters: ParameterSet | None) -> str:
    if parameters is None or param not in parameters:
        return param
    text = re.sub(r"\s*\(100%\)$", "", parameters[param].description.get(locale))
    # "(이 금액 이하)", "（2024·2025年…）": a note, not the name
    text = re.sub(r"\s*[(（][^()（）]*[)）]$", "", text) or text
    return _mid_sentence(text)


def _mid_sentence(text: str) -> str:
    """A capitalized label as it reads inside a sentence ("Standard median income" → "standard
    median income"); a name whose every word is capitalized ("Basic Pension …") keeps its
    capitals, and scripts without case are unchanged."""
    words = text.split()
    proper = len(words) > 1 and words[1][:1].isupper()
    if text[:1].isupper() and text[1:2].islower() and not proper:
        return text[:1].lower() + text[1:]
    return text


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
        name = _param_name(result.param, locale, parameters)
        return t(locale, "reason.no_parameter", name=name)
    op, truth = result.op, result.truth
    if op in ("is_true", "is_false"):
        return _statement(who, (truth is TRUE) == (op == "is_true"), truth, locale)
    value = format_value(result.value, who.spec, locale)
    target = _target(result, who.spec, locale, parameters)
    if _is_age(who.spec) and op in _ORDERED and truth is not UNKNOWN:
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


def _is_age(spec: FactSpec | None) -> bool:
    return spec is not None and spec.unit in _AGE_UNITS and spec.name in ("age", "age_months")


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
    if _is_age(spec) and spec is not None and spec.unit == "months" and _whole_years(threshold):
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


# --- which conditions decided ---------------------------------------------------------------


@dataclass
class _Node:
    kind: str = "leaf"  # all, any, not, leaf
    children: dict[str, _Node] = field(default_factory=dict)
    results: list[ConditionResult] = field(default_factory=list)

    def truth(self) -> Truth:
        if self.kind == "leaf":
            return _kleene_all([r.truth for r in self.results])
        values = [c.truth() for c in self.children.values()]
        if self.kind == "not":
            return _NEGATE[values[0]]
        return _kleene_any(values) if self.kind == "any" else _kleene_all(values)


def _kleene_all(values: Iterable[Truth]) -> Truth:
    found = list(values)
    return FALSE if FALSE in found else UNKNOWN if UNKNOWN in found else TRUE


def _kleene_any(values: Iterable[Truth]) -> Truth:
    found = list(values)
    return TRUE if TRUE in found else UNKNOWN if UNKNOWN in found else FALSE


def _tree(trace: Sequence[ConditionResult]) -> _Node:
    root = _Node("all")
    for result in trace:
        node = root
        parts = result.path.split(".")
        node = node.children.setdefault(parts[0], _Node())
        for part in parts[1:]:
            name, _, _ = part.partition("[")
            if name not in ("all", "any", "not"):
                break
            node.kind = name
            node = node.children.setdefault(part, _Node())
        node.results.append(result)
    return root


def deciding(trace: Sequence[ConditionResult], target: Truth) -> list[ConditionResult]:
    """The conditions a verdict of ``target`` rests on, in rule order: for TRUE every met
    condition of the branch that carried each ``any`` (a sibling branch is never cited); for
    FALSE the failed conditions (all branches of a failed ``any``); for UNKNOWN the open ones."""
    found: list[ConditionResult] = []
    _select(_tree(trace), target, found)
    return found


def _select(node: _Node, target: Truth, out: list[ConditionResult]) -> None:
    if node.kind == "leaf":
        out.extend(r for r in node.results if r.truth is target)
        return
    if node.kind == "not":
        for child in node.children.values():
            _select(child, _NEGATE[target], out)
        return
    children = list(node.children.values())
    if node.kind == "any" and target is TRUE:
        chosen = next((c for c in children if c.truth() is TRUE), None)
        if chosen is not None:
            _select(chosen, TRUE, out)
        return
    for child in children:
        if child.truth() is target:
            _select(child, target, out)


# --- criteria of a program (GET /v1/programs/{id}) -------------------------------------------


def describe_rule(
    rule: Rule,
    locale: str,
    parameters: ParameterSet | None = None,
    as_of: date | None = None,
    indent: int = 0,
) -> str:
    """A program's criteria as indented lines (``- 나이 65세 이상``) for ``GET /v1/programs/{id}``.
    With ``parameters`` and ``as_of``, scalar parameter values are shown in won."""
    pad = "  " * indent
    if isinstance(rule, AllRule | AnyRule | NotRule):
        if isinstance(rule, AllRule):
            head, children = t(locale, "criteria.all"), rule.all
        elif isinstance(rule, AnyRule):
            head, children = t(locale, "criteria.any"), rule.any
        else:
            head, children = t(locale, "criteria.none"), (rule.not_,)
        lines = [f"{pad}- {head}"]
        lines += [describe_rule(c, locale, parameters, as_of, indent + 1) for c in children]
        return "\n".join(lines)
    return f"{pad}- {describe_condition(rule, locale, parameters, as_of)}"


def describe_condition(
    rule: Comparison | CountRule,
    locale: str,
    parameters: ParameterSet | None = None,
    as_of: date | None = None,
) -> str:
    """One condition on one line: ``나이 65세 이상`` / ``age at least 65 years``."""
    if isinstance(rule, CountRule):
        who = t(
            locale,
            "count.who",
            conditions=member_text(rule.count.member, locale, parameters, as_of),
        )
        value = rule.value if isinstance(rule.value, int) else 0
        target = formats.unit(value, "persons", locale)
        return t(locale, f"criteria.count.{rule.op}", who=who, target=target)
    spec = fact_spec(rule.fact)
    label = fact_label(rule.fact, locale)
    if rule.fact.startswith("person."):
        label = t(locale, "criteria.member_fact", label=label)
    elif rule.fact.startswith("spouse."):
        label = t(locale, "subject.spouse", label=label)
    return t(
        locale,
        "criteria.fact",
        label=label,
        condition=_describe_op(rule, spec, locale, parameters, as_of),
    )


def member_text(
    rule: Rule, locale: str, parameters: ParameterSet | None, as_of: date | None
) -> str:
    """Who a count counts, as words: ``24개월 미만``, ``대한민국 국적, 18세 미만``."""
    if isinstance(rule, Comparison):
        spec = fact_spec(rule.fact)
        condition = _describe_op(rule, spec, locale, parameters, as_of)
        if spec.unit in _AGE_UNITS and rule.op in _ORDERED:
            return condition  # "24개월 미만": the unit says it is an age
        return t(locale, "criteria.fact", label=fact_label(rule.fact, locale), condition=condition)
    if isinstance(rule, AllRule | AnyRule):
        parts = [
            member_text(c, locale, parameters, as_of)
            for c in (rule.all if isinstance(rule, AllRule) else rule.any)
        ]
        return formats.join(parts, locale, "standard" if isinstance(rule, AllRule) else "or")
    if isinstance(rule, NotRule):
        return t(
            locale, "criteria.not", condition=member_text(rule.not_, locale, parameters, as_of)
        )
    return describe_condition(rule, locale, parameters, as_of)


def rule_at(rule: Rule, path: str) -> Rule | None:
    """The rule a trace path points at (``eligibility.all[2].any[0]``, ``eligibility.not``)."""
    node: Rule | None = rule
    for part in path.split(".")[1:]:
        name, _, index = part.partition("[")
        if name == "not" and isinstance(node, NotRule):
            node = node.not_
        elif name == "all" and isinstance(node, AllRule) and index:
            node = node.all[int(index[:-1])]
        elif name == "any" and isinstance(node, AnyRule) and index:
            node = node.any[int(index[:-1])]
        else:
            return None
    return node


def _describe_op(
    rule: Comparison,
    spec: FactSpec,
    locale: str,
    parameters: ParameterSet | None,
    as_of: date | None,
) -> str:
    op, value = rule.op, rule.value
    if op in ("is_true", "is_false"):
        return t(locale, "criteria.yes" if op == "is_true" else "criteria.no")
    target = _describe_value(value, spec, locale, parameters, as_of, op)
    return t(locale, f"cond.{op}", target=target)


def _describe_value(
    value: Any,
    spec: FactSpec,
    locale: str,
    parameters: ParameterSet | None,
    as_of: date | None,
    op: str = "eq",
) -> str:
    if isinstance(value, ParamRef):
        amount: Any = None
        if parameters is not None and as_of is not None and value.param in parameters:
            try:
                payload = parameters[value.param].at(as_of)
            except NoParameterValue:
                payload = None
            if isinstance(payload, dict):  # a table: show the span of its rows
                rows = [v for v in payload.values() if isinstance(v, int | float)]
                if value.percent is not None:
                    rows = [scale_percent(v, value.percent) for v in rows]
                if rows:
                    amount = Range(min(rows), max(rows)) if min(rows) != max(rows) else rows[0]
            elif payload is not None:
                amount = payload
                if value.percent is not None:
                    amount = scale_percent(payload, value.percent)
        return threshold_text(amount, spec, value.param, value.percent, locale, parameters)
    if isinstance(value, tuple):
        parts = [_describe_value(v, spec, locale, parameters, as_of) for v in value]
        if len(parts) == 2 and spec.type != "enum" and op == "between":
            return t(locale, "format.range", low=parts[0], high=parts[1])
        return formats.join(parts, locale, "or" if op in ("in", "not_in") else "standard")
    return format_value(value, spec, locale)
