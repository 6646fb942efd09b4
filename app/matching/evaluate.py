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
from app.matching.truth import FALSE, Truth


@dataclass(frozen=True, slots=True)
class CompiledProgram:
    """A program bound to the fact registry and the parameters."""

    spec: ProgramSpec
    predicate: Node
    amount: AmountFn | None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class Determination:
    program_id: str
    truth: Truth
    trace: tuple[ConditionResult, ...]
    missing: frozenset[str]
    benefit: AmountRange | None


_new_object = object.__new__
_SET_FIELDS = tuple(
    Determination.__dict__[name].__set__
    for name in ("program_id", "truth", "trace", "missing", "benefit")
)
EMPTY: frozenset[str] = frozenset()


def _determination(
    program_id: str,
    truth: Truth,
    trace: tuple[ConditionResult, ...],
    missing: frozenset[str],
    benefit: AmountRange | None,
) -> Determination:
    """``Determination(...)`` at half the cost: fills the slots directly instead of going through
    the frozen dataclass's ``object.__setattr__`` calls. The result is an ordinary instance."""
    found: Determination = _new_object(Determination)
    set_id, set_truth, set_trace, set_missing, set_benefit = _SET_FIELDS
    set_id(found, program_id)
    set_truth(found, truth)
    set_trace(found, trace)
    set_missing(found, missing)
    set_benefit(found, benefit)
    return found


def region_rule(spec: ProgramSpec) -> Comparison:
    """The implicit condition of a regional program (path ``regions``)."""
    return Comparison(fact="household.region", op="in", value=tuple(spec.regions))


def check_program(
    spec: ProgramSpec, parameters: ParameterSet, sharing: Sharing | None = None
) -> tuple[CompiledProgram | None, list[Problem]]:
    """Compile one program; on problems return None and every problem found. With ``sharing``
    (see ``compile_programs``), subtrees counted there more than once become shared nodes."""
    binder = Binder(spec.id, parameters, sharing)
    rules = RuleCompiler(binder)
    predicate = rules.compile(spec.eligibility, "eligibility")
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
    return CompiledProgram(spec, predicate, amount), []


def compile_program(spec: ProgramSpec, parameters: ParameterSet) -> CompiledProgram:
    program, problems = check_program(spec, parameters)
    if program is None:
        raise CompileError(problems)
    return program


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
) -> list[Determination]:
    """Evaluate several programs for one household (``ctx``), in order.

    With ``share``, results of shared nodes and resolved parameter values are remembered for
    this ``ctx`` (one ``Env.memo``) and replayed for the other programs; the determinations are
    the same as with ``share=False``, which evaluates every program from scratch."""
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
