"""Rule AST -> sqlglot expressions over the staged tables (``stage``), with the engine's
three-valued semantics: SQL's NULL is UNKNOWN, and SQL's AND/OR/NOT on NULL are Kleene's.

A number fact is a ``_lo``/``_hi`` pair (exact: equal ends) compared like ``app.matching.compare``
compares a ``Range``: TRUE if every value passes, FALSE if none does, else NULL. A parameter is
resolved at ``as_of``; a keyed table becomes a CASE on its key, and an unknown key compares with
every row (TRUE if all rows pass, FALSE if none, else NULL). ``count`` is a ``[lo, hi]`` count
computed per household (``cnt``), unlisted members counted as persons whose facts are unknown.
Whatever this slice cannot compile raises ``NotCompiled`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlglot import exp

from app.matching.errors import NoParameterValue
from app.matching.facts import FACTS
from app.matching.parameters import Parameter, ParameterSet, key_text, scale_percent
from app.matching.rules import AllRule, AnyRule, Comparison, CountRule, NotRule, ParamRef, Rule
from app.matching.values import NUMERIC_TYPES, FactSpec
from app.screening.columns import UNSUPPORTED, column_name
from app.screening.stage import option_name

COUNT_SPEC = FactSpec("count", "int", "household", minimum=0)
MAX_ENUMERATED_SPAN = 64  # as app.matching.compare


class NotCompiled(Exception):
    """A rule feature this slice does not compile (the message says which)."""


@dataclass(frozen=True, slots=True)
class Num:
    """A number as a band: ``lo``/``hi`` expressions (NULL: open end, both NULL: unknown)."""

    lo: exp.Expression
    hi: exp.Expression
    is_int: bool


@dataclass
class CountSpecSQL:
    """One ``count``: its member rule over the counted person ``p`` and over an unlisted one."""

    name: str
    member: exp.Expression
    phantom: exp.Expression


@dataclass
class Counts:
    items: list[CountSpecSQL] = field(default_factory=list)
    by_rule: dict[str, str] = field(default_factory=dict)


Value = Num | exp.Expression


def lit(value: object) -> exp.Expression:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, int | float):
        return exp.Literal.number(repr(value))
    return exp.Literal.string(str(value))


def unknown() -> exp.Expression:
    """UNKNOWN as a typed NULL: Spark refuses an untyped NULL where it wants a BOOLEAN."""
    return exp.Cast(this=exp.null(), to=exp.DataType.build("boolean"))


def case(*whens: tuple[exp.Expression, exp.Expression]) -> exp.Case:
    node = exp.Case()
    for cond, then in whens:
        node = node.when(cond, then)
    return node


def and_(*items: exp.Expression) -> exp.Expression:
    if not items:
        return exp.true()
    return exp.paren(exp.and_(*items), copy=False) if len(items) > 1 else items[0]


def or_(*items: exp.Expression) -> exp.Expression:
    if not items:
        return exp.false()
    return exp.paren(exp.or_(*items), copy=False) if len(items) > 1 else items[0]


def not_(item: exp.Expression) -> exp.Expression:
    return exp.Not(this=exp.paren(item, copy=False))


def combine(truths: list[exp.Expression]) -> exp.Expression:
    """Over possible thresholds: TRUE if all TRUE, FALSE if all FALSE, else NULL."""
    if not truths:
        return unknown()
    return case((and_(*truths), exp.true()), (and_(*(not_(t) for t in truths)), exp.false()))


def _cmp(kind: type[exp.Binary], left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return cast(exp.Expression, kind(this=left.copy(), expression=right.copy()))


def compare_number(op: str, value: Num, threshold: Any) -> exp.Expression:
    """``app.matching.compare`` for a band ``[lo, hi]`` (an exact value is ``lo == hi``)."""
    lo, hi = value.lo, value.hi
    if op == "between":
        a, b = (t if isinstance(t, exp.Expression) else lit(t) for t in threshold)
        return case(
            (and_(_cmp(exp.GTE, lo, a), _cmp(exp.LTE, hi, b)), exp.true()),
            (or_(_cmp(exp.LT, hi, a), _cmp(exp.GT, lo, b)), exp.false()),
        )
    if op in ("in", "not_in"):
        found = _number_in(value, sorted(set(threshold)))
        return found if op == "in" else not_(found)
    t = threshold if isinstance(threshold, exp.Expression) else lit(threshold)
    if op in ("eq", "ne"):
        found = case(
            (and_(_cmp(exp.EQ, lo, t), _cmp(exp.EQ, hi, t)), exp.true()),
            (or_(_cmp(exp.GT, lo, t), _cmp(exp.LT, hi, t)), exp.false()),
        )
        return found if op == "eq" else not_(found)
    passes, fails = {
        "ge": ((exp.GTE, lo), (exp.LT, hi)),
        "gt": ((exp.GT, lo), (exp.LTE, hi)),
        "le": ((exp.LTE, hi), (exp.GT, lo)),
        "lt": ((exp.LT, hi), (exp.GTE, lo)),
    }[op]
    return case(
        (_cmp(passes[0], passes[1], t), exp.true()), (_cmp(fails[0], fails[1], t), exp.false())
    )


def _number_in(value: Num, items: list[Any]) -> exp.Expression:
    lo, hi = value.lo, value.hi
    inside = [
        and_(
            or_(exp.Is(this=lo.copy(), expression=exp.null()), _cmp(exp.LTE, lo, lit(i))),
            or_(exp.Is(this=hi.copy(), expression=exp.null()), _cmp(exp.GTE, hi, lit(i))),
        )
        for i in items
    ]
    whens = [(not_(or_(*inside)), exp.false()), (_cmp(exp.EQ, lo, hi), exp.true())]
    if value.is_int:  # every whole number of the band is listed
        terms: exp.Expression = exp.Literal.number(0)
        for item in inside:
            terms = exp.Add(this=terms, expression=case((item.copy(), exp.Literal.number(1))).else_(
                exp.Literal.number(0)))  # fmt: skip
        span = exp.Sub(this=hi.copy(), expression=lo.copy())
        whens.append(
            (
                and_(
                    _cmp(exp.LTE, span, lit(MAX_ENUMERATED_SPAN)),
                    _cmp(exp.EQ, terms, exp.Add(this=span, expression=exp.Literal.number(1))),
                ),
                exp.true(),
            )
        )
    return case(*whens)


@dataclass
class Scope:
    """Where an expression is evaluated: ``household`` (the household row ``h`` and its counts
    ``c``), ``subject`` (a ``who`` program for person ``p``), ``member`` (``p`` counted) or
    ``phantom`` (an unlisted member: every person fact unknown)."""

    kind: str


class ProgramCompiler:
    def __init__(
        self,
        parameters: ParameterSet,
        as_of: date,
        counts: Counts,
        unsupported: dict[str, str] | None = None,
    ) -> None:
        self.parameters = parameters
        self.as_of = as_of
        self.counts = counts
        self.unsupported = unsupported or {}  # facts this catalog's receipts keep out of SQL

    # -- rules --------------------------------------------------------------------------
    def rule(self, rule: Rule, scope: Scope) -> exp.Expression:
        if isinstance(rule, AllRule):
            return and_(*(self.rule(c, scope) for c in rule.all))
        if isinstance(rule, AnyRule):
            return or_(*(self.rule(c, scope) for c in rule.any))
        if isinstance(rule, NotRule):
            return not_(self.rule(rule.not_, scope))
        if isinstance(rule, CountRule):
            return self._count(rule, scope)
        return self._comparison(rule, scope)

    def _count(self, rule: CountRule, scope: Scope) -> exp.Expression:
        if scope.kind in ("member", "phantom"):
            raise NotCompiled("a count inside a count")
        key = repr(rule.count.member)
        name = self.counts.by_rule.get(key)
        if name is None:
            name = f"k{len(self.counts.items)}"
            member = self.rule(rule.count.member, Scope("member"))
            phantom = self.rule(rule.count.member, Scope("phantom"))
            self.counts.items.append(CountSpecSQL(name, member, phantom))
            self.counts.by_rule[key] = name
        value = Num(exp.column(f"{name}_lo", "c"), exp.column(f"{name}_hi", "c"), True)
        return self._threshold_compare(rule.op, value, rule.value, COUNT_SPEC, scope)

    def _comparison(self, rule: Comparison, scope: Scope) -> exp.Expression:
        spec, value = self.fact(rule.fact, scope)
        op = rule.op
        if spec.type == "set":
            return self._set_contains(rule.fact, spec, rule.value, scope)
        if spec.type == "date":
            if isinstance(rule.value, ParamRef) or any(
                isinstance(v, ParamRef) for v in _items(rule.value)
            ):
                raise NotCompiled(f"a parameter compared with date fact {rule.fact}")
            days = [_date(v) for v in _items(rule.value)]
            assert isinstance(value, Num)
            return compare_number(op, value, days if op == "between" else days[0])
        if isinstance(value, Num):
            return self._threshold_compare(op, value, rule.value, spec, scope)
        if op == "is_true":
            return exp.EQ(this=value, expression=exp.true())
        if op == "is_false":
            return exp.EQ(this=value, expression=exp.false())
        if op in ("in", "not_in"):
            assert isinstance(rule.value, tuple)
            found = exp.paren(
                exp.In(this=value, expressions=[lit(v) for v in rule.value]), copy=False
            )
            return found if op == "in" else not_(found)
        if op in ("eq", "ne"):
            kind = exp.EQ if op == "eq" else exp.NEQ
            return kind(this=value, expression=lit(rule.value))
        raise NotCompiled(f"{op} on {spec.type} fact {rule.fact}")

    def _set_contains(self, fact: str, spec: FactSpec, option: Any, scope: Scope) -> exp.Expression:
        table, prefix = self._where(fact, scope)
        if table is None:
            return unknown()
        return exp.column(prefix + option_name(column_name(_person(fact)), str(option)), table)

    # -- facts --------------------------------------------------------------------------
    def _where(self, fact: str, scope: Scope) -> tuple[str | None, str]:
        """The table alias and column prefix a fact is read from (None: unknown, NULL)."""
        head = fact.partition(".")[0]
        if head in ("household", "pension_unit", "parents"):
            return "h", ""
        if head == "applicant":
            return "h", "a_"
        if head == "person":
            if scope.kind == "household":
                raise NotCompiled(f"{fact} outside count/who")
            return (None, "") if scope.kind == "phantom" else ("p", "")
        raise NotCompiled(f"{fact}: {head}.* is not compiled yet")

    def fact(self, fact: str, scope: Scope) -> tuple[FactSpec, Value]:
        full = _person(fact)
        spec = FACTS.get(full)
        if spec is None:
            raise NotCompiled(f"unknown fact {fact}")
        reason = UNSUPPORTED.get(full) or self.unsupported.get(full)
        if reason is not None:
            raise NotCompiled(f"{fact}: {reason}")
        table, prefix = self._where(fact, scope)
        name = prefix + column_name(full)
        if spec.type == "date":  # an exact value: a band of one day
            column = exp.null() if table is None else exp.column(name, table)
            return spec, Num(column, column.copy(), False)
        if spec.type in NUMERIC_TYPES:
            if table is None:
                return spec, Num(exp.null(), exp.null(), spec.type == "int")
            return spec, Num(
                exp.column(f"{name}_lo", table), exp.column(f"{name}_hi", table), spec.type == "int"
            )
        return spec, (exp.null() if table is None else exp.column(name, table))

    # -- thresholds ---------------------------------------------------------------------
    def _threshold_compare(
        self, op: str, value: Num, threshold: Any, spec: FactSpec, scope: Scope
    ) -> exp.Expression:
        if op == "between":
            ends = [self._constant(t) if isinstance(t, ParamRef) else t for t in threshold]
            if any(e is None for e in ends):
                return unknown()
            return compare_number(op, value, ends)
        if op in ("in", "not_in"):
            return compare_number(op, value, threshold)
        if not isinstance(threshold, ParamRef):
            return compare_number(op, value, threshold)
        return self._param_compare(op, value, threshold, scope)

    def _constant(self, ref: ParamRef) -> Any:
        param = self._param(ref)
        try:
            table = param.at(self.as_of)
        except NoParameterValue:
            return None
        if isinstance(table, dict):
            raise NotCompiled(f"keyed parameter {ref.param} in between")
        return table if ref.percent is None else scale_percent(table, ref.percent)

    def _param(self, ref: ParamRef) -> Parameter:
        param = self.parameters.get(ref.param)
        if param is None:
            raise NotCompiled(f"unknown parameter {ref.param}")
        return param

    def _param_compare(self, op: str, value: Num, ref: ParamRef, scope: Scope) -> exp.Expression:
        param = self._param(ref)
        try:
            table = param.at(self.as_of)
        except NoParameterValue:
            return unknown()
        scale = (lambda v: v) if ref.percent is None else (lambda v: scale_percent(v, ref.percent))
        if not isinstance(table, dict):
            return compare_number(op, value, scale(table))
        key_ref = ref.key or param.key
        assert key_ref is not None
        key_spec, key = self.fact(key_ref, scope)
        rows: dict[str, Any] = {}
        candidates = _rows(key_spec)
        for row in candidates if candidates is not None else list(table):
            try:
                rows[row] = scale(param.row(table, row))
            except NoParameterValue:
                continue
        if isinstance(key, Num):
            if key_ref != "household.size":  # always exact in the staged table
                raise NotCompiled(f"parameter {ref.param} keyed by number fact {key_ref}")
            key_expr: exp.Expression = key.lo
            whens = [(_cmp(exp.EQ, key_expr, lit(int(r))), lit(v)) for r, v in rows.items()]
        else:
            key_expr = key
            whens = [(_cmp(exp.EQ, key_expr, lit(_key_value(r, key_spec))), lit(v))
                     for r, v in rows.items()]  # fmt: skip
        exact = compare_number(op, value, case(*whens) if whens else exp.null())
        every = combine([compare_number(op, value, v) for v in dict.fromkeys(rows.values())])
        found: exp.Expression = case(
            (exp.Is(this=key_expr.copy(), expression=exp.null()), every)
        ).else_(exact)
        return found


def _items(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _date(value: Any) -> exp.Expression:
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return exp.Cast(this=exp.Literal.string(day.isoformat()), to=exp.DataType.build("date"))


def _rows(spec: FactSpec) -> list[str] | None:
    if spec.type == "bool":
        return ["true", "false"]
    if spec.type == "int":
        return [str(n) for n in range(int(spec.minimum or 0), int(spec.maximum or 0) + 1)]
    return None


def _key_value(row: str, spec: FactSpec) -> object:
    if spec.type == "bool":
        return row == "true"
    return row


def _person(fact: str) -> str:
    head, _, name = fact.partition(".")
    return f"person.{name}" if head in ("applicant", "person", "spouse") else fact


__all__ = ["Counts", "NotCompiled", "ProgramCompiler", "Scope", "key_text"]
