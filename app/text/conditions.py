"""Korean and English text at the response edge: condition sentences, rule descriptions, money,
units, fact questions and option labels. The engine itself never produces text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.matching.errors import NoParameterValue
from app.matching.facts import FACTS, fact_spec
from app.matching.parameters import ParameterSet, scale_percent
from app.matching.rules import AllRule, AnyRule, Comparison, CountRule, NotRule, ParamRef, Rule
from app.matching.trace import ConditionResult
from app.matching.truth import Truth
from app.matching.values import FactSpec, OneOf, Range
from app.text.facts import fact_label, option_label

_MEMBER = re.compile(r"^members\[(\d+)\]\.(.+)$")
_JONG_DIGITS = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False}
_JONG_DIGITS |= {"6": True, "7": True, "8": True, "9": False}
# (true phrase, false phrase) per operator, in Korean and English
_KO = {
    "ge": ("이상", "미만"), "gt": ("초과", "이하"), "le": ("이하", "초과"), "lt": ("미만", "이상"),
    "between": ("범위 안", "범위 밖"),
}  # fmt: skip
_EN = {
    "ge": ("at least", "below"), "gt": ("above", "not above"), "le": ("at most", "above"),
    "lt": ("below", "at least"), "between": ("within", "outside"),
}  # fmt: skip
_UNITS = {
    "years": ("{}세", "{} years"), "months": ("{}개월", "{} months"),
    "persons": ("{}명", "{} people"), "percent": ("{}%", "{}%"),
}  # fmt: skip


def format_money(amount: int | float, locale: str) -> str:
    text = f"{round(amount):,}"
    return f"KRW {text}" if locale == "en" else f"{text}원"


def format_value(value: Any, spec: FactSpec | None, locale: str) -> str:
    """A fact value as a citizen reads it: money, units, option labels, ranges."""
    if isinstance(value, Range):
        low = None if value.min is None else format_value(value.min, spec, locale)
        high = None if value.max is None else format_value(value.max, spec, locale)
        if low is not None and high is not None:
            return f"{low}~{high}" if locale != "en" else f"{low} to {high}"
        if low is not None:
            return f"{low} 이상" if locale != "en" else f"at least {low}"
        return f"{high} 이하" if locale != "en" else f"at most {high}"
    if isinstance(value, OneOf | frozenset | set | tuple | list):
        items = sorted(value.options if isinstance(value, OneOf) else value, key=str)
        return ", ".join(format_value(v, spec, locale) for v in items)
    if isinstance(value, bool):
        return ("yes" if value else "no") if locale == "en" else ("예" if value else "아니요")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return option_label(spec.id, value, locale) if spec is not None else value
    return _number(value, spec, locale)


def _number(value: int | float, spec: FactSpec | None, locale: str) -> str:
    unit = spec.unit if spec is not None else None
    if spec is not None and spec.type == "money":
        return format_money(value, locale)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}".rstrip("0").rstrip(".")
    if unit == "persons" and locale == "en":
        return f"{text} {'person' if value == 1 else 'people'}"
    if unit in _UNITS:
        return _UNITS[unit][1 if locale == "en" else 0].format(text)
    return text


def josa(word: str, with_final: str, without_final: str) -> str:
    """The Korean particle that fits ``word`` (이/가, 은/는, 을/를, 과/와, 으로/로)."""
    stripped = word.rstrip(") ")
    if not stripped:
        return with_final
    last = stripped[-1]
    if "가" <= last <= "힣":
        return with_final if (ord(last) - 0xAC00) % 28 else without_final
    if last in _JONG_DIGITS:
        return with_final if _JONG_DIGITS[last] else without_final
    return f"{with_final}({without_final})"


def _spec_for(ref: str) -> tuple[FactSpec | None, int | None]:
    """The fact spec of a trace reference and the member number (None for the applicant)."""
    if ref == "count":
        return _COUNT_SPEC, None
    match = _MEMBER.match(ref)
    if match:
        return FACTS.get(f"person.{match.group(2)}"), int(match.group(1))
    try:
        return fact_spec(ref), None
    except KeyError:
        return None, None


def _subject(ref: str, locale: str) -> tuple[str, FactSpec | None]:
    spec, member = _spec_for(ref)
    if spec is _COUNT_SPEC:
        label = fact_label("count", locale)
    else:
        label = fact_label(spec.id, locale) if spec is not None else ref
    if member is not None:
        label = (
            f"member {member + 1}'s {label}" if locale == "en" else f"가구원 {member + 1}의 {label}"
        )
    elif ref.startswith("spouse."):
        label = f"spouse's {label}" if locale == "en" else f"배우자의 {label}"
    return label, spec


def threshold_text(
    threshold: Any,
    spec: FactSpec | None,
    param: str | None,
    percent: float | None,
    locale: str,
    parameters: ParameterSet | None = None,
) -> str:
    """``기준 중위소득 60%(3,215,422원)`` / ``60% of standard median income (KRW 3,215,422)``."""
    amount = None if threshold is None else format_value(threshold, spec, locale)
    if param is None:
        return amount or ""
    name = _param_name(param, locale, parameters)
    if percent is not None:
        pct = f"{percent:g}%"
        name = f"{pct} of {name}" if locale == "en" else f"{name} {pct}"
    if amount is None:
        return name
    return f"{name} ({amount})" if locale == "en" else f"{name}({amount})"


def _param_name(param: str, locale: str, parameters: ParameterSet | None) -> str:
    if parameters is None or param not in parameters:
        return param
    text = re.sub(r"\s*\(100%\)$", "", parameters[param].description.get(locale))
    words = text.split()
    proper = len(words) > 1 and words[1][:1].isupper()  # "Basic Pension ...": a name, keep it
    if locale == "en" and text[1:2].islower() and not proper:
        text = text[:1].lower() + text[1:]
    return text


def render_condition(
    result: ConditionResult,
    locale: str,
    parameters: ParameterSet | None = None,
    subject: str | None = None,
) -> str:
    """One trace entry as a sentence in ``locale`` (``ko`` or ``en``); ``subject`` replaces the
    fact's label (a count says what it counts, see ``count_label``)."""
    if result.path == "effective":
        return _render_effective(result, locale)
    label, spec = _subject(result.fact, locale)
    if subject is not None:
        label = subject
    if result.value is None:
        if locale == "en":
            return f"We cannot decide without your {label}."
        return f"{label} 정보가 없어 판단할 수 없습니다."
    value = format_value(result.value, spec, locale)
    target = _target(result, spec, locale, parameters)
    if result.param is not None and result.threshold is None:
        if locale == "en":
            return f"No value of {target} is in force on this date, so we cannot decide."
        return f"이 날짜에 적용되는 {target} 값이 없어 판단할 수 없습니다."
    render = _render_en if locale == "en" else _render_ko
    return render(result.op, result.truth, label, value, target)


def _target(
    result: ConditionResult, spec: FactSpec | None, locale: str, parameters: ParameterSet | None
) -> str:
    threshold = result.threshold
    if result.op == "between" and isinstance(threshold, tuple) and len(threshold) == 2:
        low, high = (format_value(t, spec, locale) for t in threshold)
        return f"{low}~{high}" if locale != "en" else f"{low} to {high}"
    if isinstance(threshold, frozenset):
        return format_value(threshold, spec, locale)
    return threshold_text(threshold, spec, result.param, result.percent, locale, parameters)


def _render_ko(op: str, truth: Truth, label: str, value: str, target: str) -> str:
    subject = f"{label} {value}{josa(value, '이', '가')}"
    if truth is Truth.UNKNOWN:
        condition = _ko_condition(op, target)
        by = josa(value, "으로", "로")
        return f"{label} {value}{by}는 조건({condition})을 충족하는지 알 수 없습니다."
    met = truth is Truth.TRUE
    if op in _KO:
        return f"{subject} {target} {_KO[op][0 if met else 1]}입니다."
    if op in ("eq", "ne", "in", "not_in"):
        positive = met == (op in ("eq", "in"))
        tail = "에 해당합니다" if positive else "에 해당하지 않습니다"
        return f"{subject} {target}{tail}."
    if op == "contains":
        verb = "포함됩니다" if met else "포함되지 않습니다"
        return f"{label}에 {target}{josa(target, '이', '가')} {verb}."
    positive = met == (op == "is_true")
    return f"{label}에 {'해당합니다' if positive else '해당하지 않습니다'}."


def _ko_condition(op: str, target: str) -> str:
    if op in _KO:
        return f"{target} {_KO[op][0]}"
    return {"ne": f"{target} 아님", "not_in": f"{target} 아님"}.get(op, target)


def _render_en(op: str, truth: Truth, label: str, value: str, target: str) -> str:
    subject = f"{label[:1].upper()}{label[1:]} {value}"
    if truth is Truth.UNKNOWN:
        condition = _en_condition(op, target)
        return f"With {label} {value} we cannot tell whether the condition ({condition}) is met."
    met = truth is Truth.TRUE
    if op in _EN:
        return f"{subject} is {_EN[op][0 if met else 1]} {target}."
    if op in ("eq", "ne", "in", "not_in"):
        positive = met == (op in ("eq", "in"))
        negation = "" if positive else "not "
        return f"{subject} is {negation}{'one of ' if op.endswith('in') else ''}{target}."
    if op == "contains":
        return (
            f"{subject[:1].upper()}{label[1:]} {'include' if met else 'do not include'} {target}."
        )
    positive = met == (op == "is_true")
    return f"{label[:1].upper()}{label[1:]}: {'yes' if positive else 'no'}."


def _en_condition(op: str, target: str) -> str:
    if op in _EN:
        return f"{_EN[op][0]} {target}"
    return {"ne": f"not {target}", "in": f"one of {target}", "not_in": f"not {target}"}.get(
        op, target
    )


def _render_effective(result: ConditionResult, locale: str) -> str:
    start, end = result.threshold if isinstance(result.threshold, tuple) else (None, None)
    period = f"{start}~{end or ''}"
    if locale == "en":
        return f"This program is not in effect on {result.value} (in effect {period})."
    return f"이 사업은 {result.value}에 시행 중이 아닙니다 (시행 기간 {period})."


_COUNT_SPEC = FactSpec("count", "int", "household", unit="persons", minimum=0)


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
    en = locale == "en"
    if isinstance(rule, AllRule | AnyRule | NotRule):
        if isinstance(rule, AllRule):
            head, children = ("All of:" if en else "다음을 모두 충족"), rule.all
        elif isinstance(rule, AnyRule):
            head, children = ("Any of:" if en else "다음 중 하나 이상 충족"), rule.any
        else:
            head, children = ("None of:" if en else "다음에 해당하지 않음"), (rule.not_,)
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
        label = count_label(rule, locale, parameters, as_of)
        return (
            f"{label} {_describe_op(rule.op, rule.value, _COUNT_SPEC, locale, parameters, as_of)}"
        )
    spec = fact_spec(rule.fact)
    label = fact_label(rule.fact, locale)
    if rule.fact.startswith("person."):
        label = f"member's {label}" if locale == "en" else f"가구원의 {label}"
    elif rule.fact.startswith("spouse."):
        label = f"spouse's {label}" if locale == "en" else f"배우자의 {label}"
    return f"{label} {_describe_op(rule.op, rule.value, spec, locale, parameters, as_of)}"


def count_label(
    rule: CountRule,
    locale: str,
    parameters: ParameterSet | None = None,
    as_of: date | None = None,
) -> str:
    """What a count counts, inline: ``(국적 대한민국, 개월 수 24개월 미만)인 가구원 수`` /
    ``number of members with (nationality Korean and age in months below 24 months)``."""
    en = locale == "en"
    text = _member_text(rule.count.member, locale, parameters, as_of)
    return f"number of members with {text}" if en else f"{text}인 가구원 수"


def _member_text(
    rule: Rule, locale: str, parameters: ParameterSet | None, as_of: date | None
) -> str:
    en = locale == "en"
    if isinstance(rule, Comparison):
        spec = fact_spec(rule.fact)
        op = _describe_op(rule.op, rule.value, spec, locale, parameters, as_of)
        return f"{fact_label(rule.fact, locale)} {op}"
    if isinstance(rule, AllRule | AnyRule):
        children = rule.all if isinstance(rule, AllRule) else rule.any
        if isinstance(rule, AllRule):
            glue = " and " if en else ", "
        else:
            glue = " or " if en else " 또는 "
        parts = [_member_text(c, locale, parameters, as_of) for c in children]
        return "(" + glue.join(parts) + ")"
    if isinstance(rule, NotRule):
        inner = _member_text(rule.not_, locale, parameters, as_of)
        return f"not {inner}" if en else f"{inner} 아님"
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
    op: str,
    value: Any,
    spec: FactSpec,
    locale: str,
    parameters: ParameterSet | None,
    as_of: date | None,
) -> str:
    en = locale == "en"
    if op in ("is_true", "is_false"):
        yes = op == "is_true"
        return ("yes" if yes else "no") if en else ("해당" if yes else "해당 없음")
    target = _describe_value(value, spec, locale, parameters, as_of)
    if op in _KO:
        return f"{_EN[op][0]} {target}" if en else f"{target} {_KO[op][0]}"
    words = {
        "eq": ("{}", "{}"), "ne": ("not {}", "{} 아님"), "in": ("one of {}", "{} 중 하나"),
        "not_in": ("none of {}", "{} 아님"), "contains": ("includes {}", "{} 포함"),
    }  # fmt: skip
    return words[op][0 if en else 1].format(target)


def _describe_value(
    value: Any,
    spec: FactSpec,
    locale: str,
    parameters: ParameterSet | None,
    as_of: date | None,
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
        return "~".join(parts) if len(parts) == 2 and spec.type != "enum" else ", ".join(parts)
    return format_value(value, spec, locale)
