"""Compiled programs and their evaluation: ``CompiledProgram`` x ``FactContext`` ->
``Determination`` (Kleene truth, the trace of every condition, the facts that could still change
an UNKNOWN verdict, and the estimated benefit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.matching.benefits import AmountCompiler, AmountFn, AmountRange, to_range
from app.matching.binding import Binder, Env, Node, Sharing
from app.matching.compile import RuleCompiler, count_subtrees
from app.matching.errors import CompileError, Problem
from app.matching.facts import FactContext
from app.matching.nodes import all_node
from app.matching.parameters import ParameterSet
from app.matching.programs import ProgramSpec
from app.matching.rules import Comparison
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth


@dataclass(frozen=True, slots=True)
class CompiledProgram:
    """A program bound to the fact registry and the parameters. ``who`` (programs for a person)
    says which members are considered at all; ``predicate`` includes it."""

    spec: ProgramSpec
    predicate: Node
    amount: AmountFn | None
    who: Node | None = None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class PersonResult:
    """A program's verdict for one household member (``person``: 0 is the applicant, ``i`` is
    ``members[i-1]``)."""

    person: int
    truth: Truth
    trace: tuple[ConditionResult, ...]
    missing: frozenset[str]
    benefit: AmountRange | None
    receiving: bool = False
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Determination:
    """A program's verdict for the household. For a program with ``who``, ``persons`` holds the
    verdict of every member considered; the program's truth is their Kleene OR (eligible when
    anyone is), its trace the first eligible (else undecided, else the applicant's) member's,
    ``missing`` what would settle any undecided member, and ``benefit`` the sum over eligible
    members (over undecided ones while nobody is eligible yet)."""

    program_id: str
    truth: Truth
    trace: tuple[ConditionResult, ...]
    missing: frozenset[str]
    benefit: AmountRange | None
    persons: tuple[PersonResult, ...] = ()
    # the household already receives it (household programs; per person: ``persons``)
    receiving: bool = False
    # eligible only once these programs, which this plan grants, are received
    after: tuple[str, ...] = ()


_new_object = object.__new__
_SET_FIELDS = tuple(
    Determination.__dict__[name].__set__
    for name in ("program_id", "truth", "trace", "missing", "benefit", "persons")
)
EMPTY: frozenset[str] = frozenset()


def _determination(
    program_id: str,
    truth: Truth,
    trace: tuple[ConditionResult, ...],
    missing: frozenset[str],
    benefit: AmountRange | None,
    persons: tuple[PersonResult, ...] = (),
) -> Determination:
    """``Determination(...)`` at half the cost: fills the slots directly instead of going through
    the frozen dataclass's ``object.__setattr__`` calls. The result is an ordinary instance."""
    found: Determination = _new_object(Determination)
    set_id, set_truth, set_trace, set_missing, set_benefit, set_persons = _SET_FIELDS
    set_id(found, program_id)
    set_truth(found, truth)
    set_trace(found, trace)
    set_missing(found, missing)
    set_benefit(found, benefit)
    set_persons(found, persons)
    object.__setattr__(found, "receiving", False)
    object.__setattr__(found, "after", ())
    return found


def region_rule(spec: ProgramSpec) -> Comparison:
    """The implicit condition of a regional program (path ``regions``)."""
    return Comparison(fact="household.region", op="in", value=tuple(spec.regions))


def check_program(
    spec: ProgramSpec, parameters: ParameterSet, sharing: Sharing | None = None
) -> tuple[CompiledProgram | None, list[Problem]]:
    """Compile one program; on problems return None and every problem found. With ``sharing``
    (see ``compile_programs``), subtrees counted there more than once become shared nodes."""
    binder = Binder(spec.id, parameters, sharing, per_person=spec.is_per_person)
    rules = RuleCompiler(binder)
    predicate = rules.compile(spec.eligibility, "eligibility")
    who = None
    if spec.who is not None:
        who = rules.compile(spec.who, "who")
        predicate = None if predicate is None or who is None else all_node((who, predicate))
    if not spec.is_national:
        regional = rules.compile(region_rule(spec), "regions")
        predicate = (
            None if predicate is None or regional is None else all_node((regional, predicate))
        )
    amount = None
    if spec.benefit.amount is not None:
        amount = AmountCompiler(binder, rules).compile(spec.benefit.amount, "benefit.amount")
        if amount is not None and sharing is not None:
            # equal amounts share one function, so an evaluation computes each estimate once
            amount = sharing.amounts.setdefault(repr(spec.benefit.amount), amount)
    if binder.problems or predicate is None:
        return None, binder.problems
    return CompiledProgram(spec, predicate, amount, who), []


def compile_programs(
    specs: Iterable[ProgramSpec], parameters: ParameterSet, share: bool = True
) -> dict[str, CompiledProgram]:
    """Compile a catalog; raise one ``CompileError`` with the problems of every program.

    With ``share`` (the default), conditions and subtrees that occur in several programs (same
    path, same rule) are compiled into one shared node each, evaluated once per household."""
    specs = list(specs)
    sharing = Sharing() if share else None
    if sharing is not None:
        for spec in specs:
            if spec.who is not None:
                count_subtrees(spec.who, "who", sharing)
            count_subtrees(spec.eligibility, "eligibility", sharing)
            if not spec.is_national:
                count_subtrees(region_rule(spec), "regions", sharing)
    compiled: dict[str, CompiledProgram] = {}
    problems: list[Problem] = []
    for spec in specs:
        if spec.id in compiled:
            problems.append(Problem(spec.id, "duplicate program id"))
            continue
        program, found = check_program(spec, parameters, sharing)
        problems.extend(found)
        if program is not None:
            compiled[spec.id] = program
    if problems:
        raise CompileError(problems)
    return compiled


def evaluate_program(
    program: CompiledProgram, ctx: FactContext, check_dates: bool = False
) -> Determination:
    """Evaluate one program. With ``check_dates``, one not in effect on ``as_of`` is FALSE."""
    return evaluate_programs((program,), ctx, check_dates, share=False)[0]


def evaluate_programs(
    programs: Sequence[CompiledProgram],
    ctx: FactContext,
    check_dates: bool = False,
    share: bool = True,
    only: int | None = None,
) -> list[Determination]:
    """Evaluate several programs for one household (``ctx``), in order.

    With ``share``, results of shared nodes and resolved parameter values are remembered for
    this ``ctx`` (one ``Env.memo``) and replayed for the other programs; the determinations are
    the same as with ``share=False``, which evaluates every program from scratch.

    With ``only``, programs for a person (``who``) are decided for member ``only`` alone: its
    ``PersonResult`` is the one a full evaluation gives (each member is decided on their own),
    while the household verdict then speaks for that member only."""
    memo: dict[object, Any] | None = {} if share else None
    env = Env(ctx, None, memo)
    results: list[Determination] = []
    append = results.append
    for program in programs:
        spec = program.spec
        if check_dates and not spec.is_in_effect(ctx.as_of):
            period = (spec.effective_from, spec.effective_to)
            entry = ConditionResult("effective", "as_of", ctx.as_of, "between", period, None, FALSE)
            append(_determination(spec.id, FALSE, (entry,), EMPTY, None))
            continue
        if program.who is not None:
            append(_per_person(program, env, memo, only))
            continue
        trace: list[ConditionResult] = []
        env.trace = trace
        truth, missing = program.predicate(env, 0)
        benefit = None
        amount = program.amount
        if amount is not None and truth is not FALSE:
            if memo is None:
                benefit = to_range(amount(env, 0))
            else:
                benefit = memo.get(amount)
                if benefit is None:
                    benefit = memo[amount] = to_range(amount(env, 0))
        append(
            _determination(
                spec.id, truth, tuple(trace), frozenset(missing) if missing else EMPTY, benefit
            )
        )
    return results


def _per_person(
    program: CompiledProgram, env: Env, memo: dict[object, Any] | None, only: int | None = None
) -> Determination:
    """A ``who`` program for every listed member its ``who`` does not exclude (or for member
    ``only``)."""
    who, predicate, amount = program.who, program.predicate, program.amount
    assert who is not None
    persons: list[PersonResult] = []
    for index in range(len(env.ctx.persons)) if only is None else (only,):
        env.trace = None
        if index and who(env, index)[0] is FALSE:
            continue
        trace: list[ConditionResult] = []
        env.trace = trace
        truth, missing = predicate(env, index)
        if index == 0 and truth is FALSE and not _considered(trace):
            # the applicant is not someone the program is for: keep the trace for "why not"
            first_trace = tuple(trace)
            persons.append(PersonResult(0, FALSE, first_trace, EMPTY, None))
            continue
        benefit = None
        if amount is not None and truth is not FALSE:
            key = (amount, index)
            benefit = memo.get(key) if memo is not None else None
            if benefit is None:
                benefit = to_range(amount(env, index))
                if memo is not None:
                    memo[key] = benefit
        persons.append(
            PersonResult(
                index, truth, tuple(trace), frozenset(missing) if missing else EMPTY, benefit
            )
        )
    return aggregate(program.spec.id, persons)


def _considered(trace: list[ConditionResult]) -> bool:
    """Whether the ``who`` part of a trace is not FALSE (the member is one the program is for)."""
    return all(r.truth is not FALSE for r in trace if r.path.startswith("who"))


def aggregate(program_id: str, persons: Sequence[PersonResult]) -> Determination:
    """The household verdict of a ``who`` program from its members' verdicts. Members the
    program is not for (``who`` FALSE) appear only as the applicant's FALSE entry, which is
    dropped from ``persons`` when anyone else is considered."""
    considered = tuple(p for p in persons if p.truth is not FALSE or _considered(list(p.trace)))
    if not considered:
        first = persons[0] if persons else None
        trace = first.trace if first is not None else ()
        return _determination(program_id, FALSE, trace, EMPTY, None, ())
    truths = [p.truth for p in considered]
    truth = TRUE if TRUE in truths else UNKNOWN if UNKNOWN in truths else FALSE
    shown = next(
        (p for p in considered if p.truth is truth),
        considered[0],
    )
    missing: frozenset[str] = EMPTY
    for p in considered:
        if p.truth is UNKNOWN and p.missing:
            missing = missing | p.missing
    sure = [p.benefit for p in considered if p.truth is TRUE]
    maybe = [p.benefit for p in considered if p.truth is UNKNOWN]
    benefit = span_benefits(sure, maybe)
    return _determination(program_id, truth, shown.trace, missing, benefit, considered)


def span_benefits(
    sure: Sequence[AmountRange | None], maybe: Sequence[AmountRange | None]
) -> AmountRange | None:
    """The sum of the ``sure`` members' amounts, its upper end raised by what the undecided
    (``maybe``) members may add; where nobody is sure, the span of the undecided ones."""
    if not sure:
        return _sum_benefits(maybe) if maybe else None
    low_part = _sum_benefits(sure)
    extra = _sum_benefits(maybe) if maybe else None
    if low_part is None:
        return None if extra is None else AmountRange(0, extra.high)
    if extra is None:
        return low_part
    high = None if low_part.high is None or extra.high is None else low_part.high + extra.high
    return AmountRange(low_part.low, high)


def _sum_benefits(benefits: Sequence[AmountRange | None]) -> AmountRange | None:
    if all(b is None for b in benefits):
        return None
    low: int | None = 0
    high: int | None = 0
    for b in benefits:
        if b is None:
            continue
        low = None if low is None or b.low is None else low + b.low
        high = None if high is None or b.high is None else high + b.high
    return AmountRange(low, high)
