"""A program's criteria as lines (``- 나이 65세 이상``) for ``GET /v1/programs/{id}``, and who a
count counts (``24개월 미만``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.matching import (
    AllRule,
    AnyRule,
    Comparison,
    CountRule,
    FactSpec,
    NoParameterValue,
    NotRule,
    ParameterSet,
    ParamRef,
    Range,
    Rule,
    fact_spec,
    scale_percent,
)
from app.text import formats
from app.text.facts import fact_label
from app.text.messages import t
from app.text.values import AGE_UNITS, ORDERED, format_value, threshold_text


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
        if spec.unit in AGE_UNITS and rule.op in ORDERED:
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
