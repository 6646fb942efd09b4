"""Rule dry runs (no write): compile a rule or a whole program against the live facts and
parameters and evaluate it on sample profiles; and engine problems as located problem errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from app.errors import InvalidRule, text
from app.matching import (
    Binder,
    CatalogSnapshot,
    ConditionResult,
    Env,
    FactContext,
    ParameterSet,
    Problem,
    RuleCompiler,
    Truth,
    check_program,
    evaluate_program,
    resolve_facts,
)
from app.schemas.admin import RuleCheck, RuleCheckReport, SampleResult
from app.schemas.plans import Condition
from app.text.conditions import render_condition

DOES_NOT_COMPILE = text("errors.invalid_rule.does_not_compile")


def located(problems: Sequence[Problem], root: str) -> list[dict[str, str]]:
    """Engine problems (``basic-pension: eligibility.all[1].value``) as problem ``errors``
    with a JSON pointer under ``root`` (``/spec``; none when empty) and the dotted location."""
    errors = []
    for problem in problems:
        path = problem.location.rpartition(": ")[2]
        steps = re.sub(r"\[(\d+)\]", r".\1", path).split(".")
        item = {"location": problem.location, "detail": problem.message}
        if root:
            item["pointer"] = root + "".join(f"/{s}" for s in steps if s)
        errors.append(item)
    return errors


def check_rule(
    snapshot: CatalogSnapshot, request: RuleCheck, locale: str, today: date
) -> RuleCheckReport:
    """Dry run: compile against the live facts and parameters, evaluate each sample; no write."""
    as_of = request.as_of or today
    parameters = snapshot.parameters
    evaluate = _compile_subject(request, parameters)
    results = []
    for sample in request.samples:
        truth, missing, trace = evaluate(
            resolve_facts(sample.profile.to_engine(), as_of, parameters)
        )
        results.append(
            SampleResult(
                name=sample.name,
                truth=truth.value,
                missing=sorted(missing),
                trace=[_condition(r, locale, parameters) for r in trace],
            )
        )
    return RuleCheckReport(
        is_valid=True, as_of=as_of, catalog_version=snapshot.catalog_version, results=results
    )


Outcome = tuple[Truth, frozenset[str], Sequence[ConditionResult]]


def _compile_subject(
    request: RuleCheck, parameters: ParameterSet
) -> Callable[[FactContext], Outcome]:
    if request.spec is not None:
        program, problems = check_program(request.spec, parameters)
        if program is None:
            raise InvalidRule(DOES_NOT_COMPILE, errors=located(problems, "/spec"))

        def run_program(ctx: FactContext) -> Outcome:
            found = evaluate_program(program, ctx)
            return found.truth, found.missing, found.trace

        return run_program
    binder = Binder("rule", parameters)
    assert request.rule is not None  # the schema demands spec or rule
    node = RuleCompiler(binder).compile(request.rule, "")
    if node is None or binder.problems:
        raise InvalidRule(DOES_NOT_COMPILE, errors=located(binder.problems, "/rule"))

    def run_rule(ctx: FactContext) -> Outcome:
        env = Env(ctx, [])
        truth, refs = node(env, 0)
        return truth, frozenset(refs), tuple(env.trace or ())

    return run_rule


def _condition(result: ConditionResult, locale: str, parameters: ParameterSet) -> Condition:
    return Condition(
        path=result.path,
        fact=result.fact,
        op=result.op,
        outcome=result.truth.value,
        sentence=render_condition(result, locale, parameters),
    )
