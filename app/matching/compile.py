"""Rule -> ``Node`` closures, once per catalog version (nothing is ``eval``ed).

Checks every fact id against the registry and its scope (``applicant.``/``household.``/
``pension_unit.`` everywhere, ``person.`` only inside ``count.member``), every parameter id and
key, that the operator fits the fact type, and that literals fit the fact (enum options, ISO
dates, numbers). All problems of a program are collected before ``CompileError`` is raised.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.matching.binding import Binder, Node, Sharing, Thresholds
from app.matching.compare import COMPARATORS, OPS_BY_TYPE
from app.matching.nodes import (
    all_node,
    any_node,
    count_node,
    leaf_node,
    not_node,
    pair_resolver,
    shared_node,
)
from app.matching.rules import (
    AllRule,
    AnyRule,
    Comparison,
    CountRule,
    NotRule,
    ParamRef,
    Rule,
)
from app.matching.values import NUMERIC_TYPES, FactSpec

COUNT_FACT = FactSpec("count", "int", "household", minimum=0)  # what a count rule compares


class RuleCompiler:
    """Compiles one program's rules; problems accumulate on ``binder``."""

    def __init__(self, binder: Binder) -> None:
        self.binder = binder

    def compile(self, rule: Rule, path: str, in_member: bool = False) -> Node | None:
        node = self._compile(rule, path, in_member)
        sharing = self.binder.sharing
        if node is None or sharing is None:  # (member rules are never counted: not shared)
            return node
        key = (path, repr(rule))
        if sharing.counts.get(key, 0) < 2:
            return node
        shared = sharing.nodes.get(key)
        if shared is None:
            shared = sharing.nodes[key] = shared_node(node)
        return shared

    def _compile(self, rule: Rule, path: str, in_member: bool) -> Node | None:
        if isinstance(rule, AllRule | AnyRule):
            key = "all" if isinstance(rule, AllRule) else "any"
            items = rule.all if isinstance(rule, AllRule) else rule.any
            children = [
                self.compile(c, f"{path}.{key}[{i}]", in_member) for i, c in enumerate(items)
            ]
            if any(c is None for c in children):
                return None
            kids = tuple(c for c in children if c is not None)
            return all_node(kids) if key == "all" else any_node(kids)
        if isinstance(rule, NotRule):
            child = self.compile(rule.not_, f"{path}.not", in_member)
            return None if child is None else not_node(child)
        if isinstance(rule, CountRule):
            return self._count(rule, path, in_member)
        return self._comparison(rule, path, in_member)

    def _comparison(self, rule: Comparison, path: str, in_member: bool) -> Node | None:
        fact = self.binder.bind_fact(rule.fact, f"{path}.fact", in_member)
        if fact is None:
            return None
        allowed = OPS_BY_TYPE[fact.spec.type]
        if rule.op not in allowed:
            self.binder.problem(
                f"{path}.op",
                f"{rule.op} does not fit {fact.spec.type} fact {rule.fact} "
                f"(use {', '.join(sorted(allowed))})",
            )
            return None
        bound = self._value(rule.value, rule.op, fact.spec, f"{path}.value", in_member)
        if bound is None:
            return None
        thresholds, param, percent = bound
        return leaf_node(path, fact, rule.op, COMPARATORS[rule.op], thresholds, param, percent)

    def _count(self, rule: CountRule, path: str, in_member: bool) -> Node | None:
        member = self.compile(rule.count.member, f"{path}.count.member", in_member=True)
        bound = self._value(rule.value, rule.op, COUNT_FACT, f"{path}.value", in_member)
        if member is None or bound is None:
            return None
        thresholds, param, percent = bound
        sharing = self.binder.sharing
        token = (
            None
            if sharing is None
            else sharing.members.setdefault(repr(rule.count.member), object())
        )
        return count_node(
            path, member, rule.op, COMPARATORS[rule.op], thresholds, param, percent, token
        )

    def _value(
        self, value: Any, op: str, spec: FactSpec, path: str, in_member: bool
    ) -> tuple[Thresholds | tuple[Any, ...], str | None, float | None] | None:
        """The threshold: a constant 1-tuple or a resolver; plus the parameter id and percent."""
        if op in ("is_true", "is_false"):
            if value is not None:
                self.binder.problem(path, f"{op} takes no value")
                return None
            return (None,), None, None
        if value is None:
            self.binder.problem(path, f"{op} needs a value")
            return None
        if op in ("in", "not_in"):
            items = self._literal_list(value, spec, path)
            return None if items is None else ((frozenset(items),), None, None)
        if op == "between":
            return self._between(value, spec, path, in_member)
        if isinstance(value, ParamRef):
            return self._param(value, spec, path, in_member)
        literal = self._literal(value, spec, path)
        return None if literal is None else ((literal,), None, None)

    def _param(
        self, ref: ParamRef, spec: FactSpec, path: str, in_member: bool
    ) -> tuple[Thresholds, str, float | None] | None:
        if spec.type not in NUMERIC_TYPES:
            self.binder.problem(path, f"a parameter cannot be compared with {spec.type} fact")
            return None
        resolver = self.binder.bind_param(ref, path, in_member)
        return None if resolver is None else (resolver, ref.param, ref.percent)

    def _between(
        self, value: Any, spec: FactSpec, path: str, in_member: bool
    ) -> tuple[Thresholds | tuple[Any, ...], str | None, float | None] | None:
        if not isinstance(value, tuple) or len(value) != 2:
            self.binder.problem(path, "between takes [low, high]")
            return None
        ends: list[Any] = [
            self._param(v, spec, f"{path}[{i}]", in_member)
            if isinstance(v, ParamRef)
            else self._literal(v, spec, f"{path}[{i}]")
            for i, v in enumerate(value)
        ]
        if any(end is None for end in ends):
            return None
        if not any(isinstance(v, ParamRef) for v in value):
            if ends[0] > ends[1]:
                self.binder.problem(path, "between needs low <= high")
                return None
            return ((ends[0], ends[1]),), None, None
        low, high = (
            e[0] if isinstance(v, ParamRef) else e for e, v in zip(ends, value, strict=True)
        )
        param = next(v for v in value if isinstance(v, ParamRef))
        return pair_resolver(low, high), param.param, None

    def _literal_list(self, value: Any, spec: FactSpec, path: str) -> list[Any] | None:
        if not isinstance(value, tuple) or not value:
            self.binder.problem(path, "in/not_in take a non-empty list")
            return None
        items = [self._literal(v, spec, f"{path}[{i}]") for i, v in enumerate(value)]
        return None if any(i is None for i in items) else items

    def _literal(self, value: Any, spec: FactSpec, path: str) -> Any:
        """The literal converted to the fact's type, or None after reporting a problem."""
        kind = spec.type
        if isinstance(value, ParamRef):
            self.binder.problem(path, "a parameter is not allowed here")
            return None
        if _fits(value, spec):
            return value
        if kind in ("enum", "set"):
            options = ", ".join(sorted(spec.option_values))
            self.binder.problem(path, f"{value!r} is not an option of {spec.id} ({options})")
            return None
        if kind == "date":
            return self._date(value, path)
        self.binder.problem(path, f"{value!r} is not a {kind} value for {spec.id}")
        return None

    def _date(self, value: Any, path: str) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.binder.problem(path, f"{value!r} is not an ISO date (YYYY-MM-DD)")
            return None


def count_subtrees(rule: Rule, path: str, sharing: Sharing) -> None:
    """Count ``rule`` and its traced subtrees by (path, exact rule) in ``sharing``: the paths
    are the ones ``RuleCompiler.compile`` gives them. ``count.member`` is not entered (it is
    evaluated per member, without a trace), nor is ``not``: its child occurs exactly as often
    as the ``not`` itself, which is shared whenever the child would be."""
    key = (path, repr(rule))
    sharing.counts[key] = sharing.counts.get(key, 0) + 1
    if isinstance(rule, AllRule):
        for i, child in enumerate(rule.all):
            count_subtrees(child, f"{path}.all[{i}]", sharing)
    elif isinstance(rule, AnyRule):
        for i, child in enumerate(rule.any):
            count_subtrees(child, f"{path}.any[{i}]", sharing)


def _fits(value: Any, spec: FactSpec) -> bool:
    if isinstance(value, bool):
        return spec.type == "bool"
    if isinstance(value, int | float):
        return spec.type in NUMERIC_TYPES
    return spec.type in ("enum", "set") and isinstance(value, str) and value in spec.option_values
