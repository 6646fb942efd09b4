"""Compiled programs and their evaluation: ``CompiledProgram`` x ``FactContext`` ->
``Determination`` (Kleene truth, the trace of every condition, the facts that could still change
an UNKNOWN verdict, and the estimated benefit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.matching.benefits import AmountCompiler, AmountFn, AmountRange, to_range
from app.matching.binding import Binder, Env, Node
from app.matching.compile import RuleCompiler
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
    """A program bound to the fact registry and the parameters; ``facts_read`` lists the facts
    its rules and amount read (``applicant.age``, ``person.age``, ``household.size``)."""

    spec: ProgramSpec
    predicate: Node
    amount: AmountFn | None
    facts_read: frozenset[str]

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


def check_program(
    spec: ProgramSpec, parameters: ParameterSet
) -> tuple[CompiledProgram | None, list[Problem]]:
    """Compile one program; on problems return None and every problem found."""
    binder = Binder(spec.id, parameters)
    rules = RuleCompiler(binder)
    predicate = rules.compile(spec.eligibility, "eligibility")
    if not spec.is_national:
        region = Comparison(fact="household.region", op="in", value=tuple(spec.regions))
        regional = rules.compile(region, "regions")
        predicate = (
            None if predicate is None or regional is None else all_node((regional, predicate))
        )
    amount = None
    if spec.benefit.amount is not None:
        amount = AmountCompiler(binder, rules).compile(spec.benefit.amount, "benefit.amount")
    if binder.problems or predicate is None:
        return None, binder.problems
    return CompiledProgram(spec, predicate, amount, frozenset(binder.facts_read)), []


def compile_program(spec: ProgramSpec, parameters: ParameterSet) -> CompiledProgram:
    program, problems = check_program(spec, parameters)
    if program is None:
        raise CompileError(problems)
    return program


def compile_programs(
    specs: Iterable[ProgramSpec], parameters: ParameterSet
) -> dict[str, CompiledProgram]:
    """Compile a catalog; raise one ``CompileError`` with the problems of every program."""
    compiled: dict[str, CompiledProgram] = {}
    problems: list[Problem] = []
    for spec in specs:
        if spec.id in compiled:
            problems.append(Problem(spec.id, "duplicate program id"))
            continue
        program, found = check_program(spec, parameters)
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
    spec = program.spec
    if check_dates and not spec.is_in_effect(ctx.as_of):
        period = (spec.effective_from, spec.effective_to)
        entry = ConditionResult("effective", "as_of", ctx.as_of, "between", period, None, FALSE)
        return Determination(spec.id, FALSE, (entry,), frozenset(), None)
    env = Env(ctx, [])
    truth, missing = program.predicate(env, 0)
    benefit = None
    if program.amount is not None and truth is not FALSE:
        benefit = to_range(program.amount(env, 0))
    trace = tuple(env.trace or ())
    return Determination(spec.id, truth, trace, frozenset(missing), benefit)
