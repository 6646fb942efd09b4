"""Shared compile-time binding: fact references to getters, parameter references to resolvers,
and the problem list. Used by ``compile`` (rules) and ``benefits`` (amounts).

Run-time pieces are closures over an ``Env`` (the resolved facts of one evaluation plus the trace
being recorded) and a person index: 0 is the applicant, ``i`` is ``profile.members[i-1]``; an
index past the listed persons is an unlisted household member whose facts are all unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.matching.errors import NoParameterValue, Problem
from app.matching.facts import FACTS, HOUSEHOLD_SCOPES, FactContext
from app.matching.parameters import Parameter, ParameterSet, Scalar, key_text, scale_percent
from app.matching.rules import ParamRef
from app.matching.trace import ConditionResult
from app.matching.truth import Truth
from app.matching.values import NUMERIC_TYPES, FactSpec, OneOf, Range

Refs = tuple[str, ...]
NO_REFS: Refs = ()
CACHE_LIMIT = 1024


class Env:
    """One evaluation: the facts and, when recording, the trace.

    ``memo`` (optional) holds results shared between the programs of one evaluation: subtrees
    that occur in several programs (see ``Sharing``) and parameter values resolved for the
    household. It is only valid for one ``ctx``; ``None`` evaluates everything afresh.
    ``household`` and ``applicant`` are shortcuts into ``ctx`` for the leaf closures.
    """

    __slots__ = ("applicant", "ctx", "household", "memo", "trace")

    def __init__(
        self,
        ctx: FactContext,
        trace: list[ConditionResult] | None,
        memo: dict[object, Any] | None = None,
    ) -> None:
        self.ctx = ctx
        self.trace = trace
        self.memo = memo
        self.household = ctx.household
        self.applicant = ctx.persons[0]


class Sharing:
    """Compile-time table for one catalog: how often each traced subtree occurs (by its path and
    its exact rule), the nodes built for those that occur more than once, and one resolver per
    distinct parameter reference, one amount function per distinct ``benefit.amount``, one memo
    key per distinct ``count.member`` rule (the count does not depend on where it appears).
    Identical subtrees then share one node, whose result is
    remembered per evaluation (``Env.memo``) instead of recomputed for every program."""

    __slots__ = ("amounts", "counts", "members", "nodes", "resolvers")

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        self.nodes: dict[tuple[str, str], Any] = {}
        self.resolvers: dict[tuple[str, str | None, float | None], Thresholds] = {}
        self.amounts: dict[str, Any] = {}
        self.members: dict[str, object] = {}  # count.member rule -> its key in ``Env.memo``


Node = Callable[[Env, int], tuple[Truth, Refs]]
Getter = Callable[[Env, int], Any]
RefsFn = Callable[[Env, int], Refs]
Thresholds = Callable[[Env, int], tuple[tuple[Any, ...], Refs]]


class FactBinding:
    """A bound fact reference. ``scope`` is ``household`` (``key`` is the full id, e.g.
    ``household.size``), ``applicant`` or ``person`` (``key`` is the name, e.g. ``age``)."""

    __slots__ = ("get", "key", "ref", "refs", "scope", "spec")

    def __init__(
        self,
        ref: str,
        spec: FactSpec,
        get: Getter,
        refs: RefsFn,
        scope: str,
        key: str,
    ) -> None:
        self.ref, self.spec, self.get, self.refs = ref, spec, get, refs
        self.scope, self.key = scope, key


def person_refs(ctx: FactContext, index: int, name: str) -> Refs:
    """The fact references that would settle person ``index``'s fact ``name``."""
    names = ctx.settles[index].get(name) if index < len(ctx.settles) else None
    if names is None:
        return (ctx.person_ref(index, name),)
    return tuple(ctx.person_ref(index, n) for n in names)


def is_exact(value: object) -> bool:
    return value is not None and type(value) is not Range and type(value) is not OneOf


class Binder:
    """Binds one program's references; collects every problem instead of stopping at the first."""

    def __init__(
        self,
        program_id: str,
        parameters: ParameterSet,
        sharing: Sharing | None = None,
        per_person: bool = False,
    ) -> None:
        self.program_id = program_id
        self.parameters = parameters
        self.sharing = sharing
        self.per_person = per_person  # a program with ``who``: person.* is the person evaluated
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.program_id}: {path}", message))

    def bind_fact(self, ref: str, path: str, in_member: bool) -> FactBinding | None:
        scope, _, name = ref.partition(".")
        if scope in HOUSEHOLD_SCOPES:
            spec = FACTS.get(ref)
            if spec is None:
                return self._unknown_fact(ref, path)
            refs = (ref,)
            return FactBinding(
                ref, spec, _household_getter(ref), lambda env, index: refs, "household", ref
            )
        if scope not in ("applicant", "person", "spouse"):
            return self._unknown_fact(ref, path)
        spec = FACTS.get(f"person.{name}")
        if spec is None:
            return self._unknown_fact(ref, path)
        if scope == "spouse":
            if not self.per_person or in_member:
                self.problem(path, f"{ref}: spouse.* is only valid in a program with who")
                return None
            return FactBinding(ref, spec, _spouse_getter(name), _spouse_refs(name), "spouse", name)
        if scope == "person" and not in_member and self.per_person:
            return FactBinding(
                ref,
                spec,
                _person_getter(name),
                lambda env, i: person_refs(env.ctx, i, name),
                "subject",
                name,
            )
        if scope == "person" and not in_member:
            self.problem(
                path,
                f"{ref}: person.* is only valid inside count.member, per_member or a program "
                "with who",
            )
            return None
        if scope == "applicant":
            return FactBinding(
                ref,
                spec,
                _applicant_getter(name),
                lambda env, i: person_refs(env.ctx, 0, name),
                "applicant",
                name,
            )
        return FactBinding(
            ref,
            spec,
            _person_getter(name),
            lambda env, i: person_refs(env.ctx, i, name),
            "person",
            name,
        )

    def _unknown_fact(self, ref: str, path: str) -> FactBinding | None:
        hint = " (use applicant.<name> or person.<name>)" if ref.startswith("person") else ""
        self.problem(path, f"unknown fact {ref}{hint}")
        return None

    def bind_param(self, ref: ParamRef, path: str, in_member: bool) -> Thresholds | None:
        """A resolver giving the possible values of ``ref`` (one unless its key is unknown).
        With a ``Sharing`` table, equal references share one resolver."""
        resolver = self._bind_param(ref, path, in_member)
        if resolver is None or self.sharing is None:
            return resolver
        # what the values depend on (where the reference appears does not matter once it bound)
        key = (ref.param, ref.key, ref.percent)
        return self.sharing.resolvers.setdefault(key, resolver)

    def _bind_param(self, ref: ParamRef, path: str, in_member: bool) -> Thresholds | None:
        param = self.parameters.get(ref.param)
        if param is None:
            self.problem(f"{path}.param", f"unknown parameter {ref.param}")
            return None
        is_table = any(isinstance(v.value, dict) for v in param.values)
        if not is_table:
            if ref.key is not None:
                self.problem(f"{path}.key", f"parameter {ref.param} is not a table; drop key")
                return None
            return _scalar_resolver(param, ref.percent)
        key_ref = ref.key or param.key
        assert key_ref is not None  # a table parameter declares its key (Parameter checks it)
        key = self.bind_fact(key_ref, f"{path}.key", in_member)
        if key is None:
            return None
        self._check_table_keys(param, key.spec, f"{path}.key")
        return _table_resolver(param, key, ref.percent)

    def _check_table_keys(self, param: Parameter, spec: FactSpec, path: str) -> None:
        for entry in param.values:
            if not isinstance(entry.value, dict):
                continue
            for row in entry.value:
                if not _key_fits(row, spec):
                    self.problem(path, f"row {row!r} of {param.id} does not fit fact {spec.id}")
                    return


def _key_fits(row: str, spec: FactSpec) -> bool:
    if spec.type == "bool":
        return row in ("true", "false")
    if spec.type == "int":
        return row.isdigit()
    if spec.type == "enum":
        return row in spec.option_values
    return False


def _applicant_getter(name: str) -> Getter:
    def get(env: Env, index: int) -> Any:
        return env.applicant.get(name)

    return get


def _person_getter(name: str) -> Getter:
    def get(env: Env, index: int) -> Any:
        persons = env.ctx.persons
        return persons[index].get(name) if index < len(persons) else None

    return get


def _spouse_getter(name: str) -> Getter:
    def get(env: Env, index: int) -> Any:
        spouse = env.ctx.spouse_of(index)
        return None if spouse is None else env.ctx.persons[spouse].get(name)

    return get


def _spouse_refs(name: str) -> RefsFn:
    def refs(env: Env, index: int) -> Refs:
        spouse = env.ctx.spouse_of(index)
        return NO_REFS if spouse is None else person_refs(env.ctx, spouse, name)

    return refs


def trace_ref(fact: FactBinding) -> Callable[[Env, int], str] | None:
    """For a fact read about the person evaluated (``subject``) or their spouse, the reference
    the trace records for person ``index`` (``members[1].age``); None for a fixed reference."""
    if fact.scope == "subject":
        name = fact.key
        return lambda env, index: env.ctx.person_ref(index, name)
    if fact.scope == "spouse":
        name = fact.key

        def spouse_ref(env: Env, index: int) -> str:
            spouse = env.ctx.spouse_of(index)
            return fact.ref if spouse is None else env.ctx.person_ref(spouse, name)

        return spouse_ref
    return None


def _household_getter(fact_id: str) -> Getter:
    def get(env: Env, index: int) -> Any:
        return env.household.get(fact_id)

    return get


def _scaled(value: Scalar, percent: float | None) -> Scalar:
    return value if percent is None else scale_percent(value, percent)


def _scalar_resolver(param: Parameter, percent: float | None) -> Thresholds:
    cache: dict[date, tuple[Scalar, ...]] = {}

    def resolve(env: Env, index: int) -> tuple[tuple[Any, ...], Refs]:
        as_of = env.ctx.as_of
        hit = cache.get(as_of)
        if hit is None:
            try:
                hit = (_scaled(param.lookup(as_of), percent),)
            except NoParameterValue:
                hit = ()
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            cache[as_of] = hit
        return hit, NO_REFS

    return resolve


def _table_resolver(param: Parameter, key: FactBinding, percent: float | None) -> Thresholds:
    """Values by ``(as_of, key value)`` across evaluations; when the key does not depend on the
    person (a household or applicant fact), the whole result is also kept in ``env.memo`` so an
    evaluation resolves it once, however many programs use it."""
    cache: dict[tuple[date, Any], tuple[Scalar, ...]] = {}
    get, refs, spec = key.get, key.refs, key.spec
    per_evaluation = key.scope in ("household", "applicant")
    token = object()  # this resolver's key in ``env.memo`` (not itself: no reference cycle)

    def resolve(env: Env, index: int) -> tuple[tuple[Any, ...], Refs]:
        memo = env.memo if per_evaluation else None
        if memo is not None:
            found = memo.get(token)
            if found is not None:
                return found  # type: ignore[no-any-return]
        as_of, key_value = env.ctx.as_of, get(env, index)
        hit = cache.get((as_of, key_value))
        if hit is None:
            hit = table_candidates(param, as_of, key_value, spec, percent)
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            cache[(as_of, key_value)] = hit
        result = hit, (NO_REFS if is_exact(key_value) else refs(env, index))
        if memo is not None:
            memo[token] = result
        return result

    return resolve


def table_candidates(
    param: Parameter, as_of: date, key_value: Any, spec: FactSpec, percent: float | None
) -> tuple[Scalar, ...]:
    """The table values ``key_value`` could select (one when the key is exact)."""
    try:
        table = param.at(as_of)
    except NoParameterValue:
        return ()
    if not isinstance(table, dict):
        return (_scaled(table, percent),)
    rows = _candidate_rows(param, table, key_value, spec)
    values: dict[Scalar, None] = {}
    for row in rows:
        try:
            values[_scaled(param.row(table, row), percent)] = None
        except NoParameterValue:
            continue
    return tuple(values)


def _candidate_rows(
    param: Parameter, table: dict[str, Scalar], key_value: Any, spec: FactSpec
) -> list[str]:
    if is_exact(key_value):
        return [key_text(key_value)]
    if type(key_value) is OneOf:
        return sorted(key_value.options)
    if spec.type == "bool":
        return ["true", "false"]
    if spec.type not in NUMERIC_TYPES:
        return list(table)
    numeric = sorted(int(k) for k in table if k.isdigit())
    low = key_value.min if type(key_value) is Range else None
    high = key_value.max if type(key_value) is Range else None
    low = int(low if low is not None else (spec.minimum or 0))
    top = numeric[-1] if numeric else 0
    if param.extrapolate == "last_step":
        top = int(high if high is not None else (spec.maximum or top + 1))
    elif high is not None:
        top = min(top, int(high))
    return [str(n) for n in range(low, top + 1)]
