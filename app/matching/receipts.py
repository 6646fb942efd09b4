"""What the household already receives, and what this plan newly grants.

- ``settle_receipts``: a program named in ``household.receives`` that is for a person (``who``) is
  given to the member it can be for (the first member its ``who`` holds for, else the first it
  may hold for, else the applicant) unless a member names it in their own ``receives``; every
  member's ``receives`` gains the household-level ones (a member of a 생계급여 household receives
  생계급여). A receipt settles the facts its program lists in ``receipt_settles`` (a 기초연금
  recipient has no 직역연금), where the citizen said nothing else.
- ``mark_receiving``: a received program is marked, for the household or per member.
- The chain: a program whose rule needs a receipt (``receives contains X``) is decided a second
  time with the programs this plan grants added to ``receives``; if it then holds, it is eligible
  *after* those programs (``after``). Only where ``receives`` was answered: an unanswered list
  stays unknown, so a ``not contains`` can never turn true by assumption.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from pydantic import BaseModel

from app.matching.binding import Env
from app.matching.evaluate import CompiledProgram, Determination, PersonResult, aggregate
from app.matching.facts import FactContext
from app.matching.programs import ProgramSpec
from app.matching.rules import (
    AllRule,
    AnyRule,
    Comparison,
    Rule,
    WhenAmount,
    comparisons,
)
from app.matching.truth import FALSE, TRUE, UNKNOWN

RECEIVES = ("household.receives", "person.receives", "applicant.receives")


@dataclass(frozen=True, slots=True)
class Receipts:
    """Programs received: household-level ones, and person-level ones per person index."""

    household: frozenset[str]
    persons: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Granted:
    """Programs this plan newly grants (eligible, not already received)."""

    household: frozenset[str]
    persons: Mapping[int, frozenset[str]]

    @property
    def anyone(self) -> bool:
        return bool(self.household) or any(self.persons.values())

    def of(self, person: int) -> frozenset[str]:
        return self.household | self.persons.get(person, frozenset())


def settle_receipts(programs: Mapping[str, CompiledProgram], ctx: FactContext) -> Receipts:
    household = cast(dict[str, Any], ctx.household)
    persons = [cast(dict[str, Any], p) for p in ctx.persons]
    given = household.get("household.receives")
    known = isinstance(given, frozenset)
    everything: frozenset[str] = given if isinstance(given, frozenset) else frozenset()
    personal = {pid for pid, p in programs.items() if p.who is not None}
    own = [p.get("receives") for p in persons]
    claimed = frozenset().union(*(o for o in own if isinstance(o, frozenset)))
    per_person: list[set[str]] = [{pid for pid in (o or ()) if pid in personal} for o in own]
    for pid in sorted((everything & personal) - claimed):
        per_person[_recipient(programs[pid], ctx)].add(pid)
    shared = everything - personal
    for index, facts in enumerate(persons):
        mine = own[index]
        if known or isinstance(mine, frozenset):
            facts["receives"] = frozenset(mine or ()) | shared | per_person[index]
    receipts = Receipts(shared, tuple(frozenset(p) for p in per_person))
    _settle(programs, receipts, household, persons)
    return receipts


def _recipient(program: CompiledProgram, ctx: FactContext) -> int:
    who = program.who
    assert who is not None
    env = Env(ctx, None)
    truths = [who(env, i)[0] for i in range(len(ctx.persons))]
    for wanted in (TRUE, UNKNOWN):
        if wanted in truths:
            return truths.index(wanted)
    return 0


def _settle(
    programs: Mapping[str, CompiledProgram],
    receipts: Receipts,
    household: dict[str, Any],
    persons: list[dict[str, Any]],
) -> None:
    def apply(spec: ProgramSpec, people: Iterable[int]) -> None:
        for settled in spec.receipt_settles:
            scope, _, name = settled.fact.partition(".")
            if scope == "person":
                for i in people:
                    persons[i].setdefault(name, settled.value)
            else:
                household.setdefault(settled.fact, settled.value)

    for pid in sorted(receipts.household):
        if pid in programs:
            apply(programs[pid].spec, range(len(persons)))
    for index, pids in enumerate(receipts.persons):
        for pid in sorted(pids):
            if pid in programs:
                apply(programs[pid].spec, (index,))


def mark_receiving(det: Determination, receipts: Receipts) -> Determination:
    pid = det.program_id
    if det.persons:
        if not any(pid in receipts.persons[p.person] for p in det.persons):
            return det
        persons = tuple(
            replace(p, receiving=True) if pid in receipts.persons[p.person] else p
            for p in det.persons
        )
        marked = replace(det, persons=persons)
        if all(p.receiving for p in persons):
            return replace(marked, receiving=True)
        return marked
    if pid in receipts.household or any(pid in mine for mine in receipts.persons):
        return replace(det, receiving=True)
    return det


def receipt_dependencies(spec: ProgramSpec) -> set[str]:
    """The programs a rule of ``spec`` asks whether the household or person receives (a receipt
    that rules out, under a ``not``, never becomes a chain)."""
    rules = [spec.eligibility] if spec.who is None else [spec.eligibility, spec.who]
    return {
        rule.value
        for root in rules
        for rule in comparisons(root, through_not=False)
        if rule.fact in RECEIVES and rule.op == "contains" and isinstance(rule.value, str)
    }


def newly_granted(found: Iterable[Determination], wanted: set[str]) -> Granted:
    household: set[str] = set()
    persons: dict[int, set[str]] = {}
    for det in found:
        if det.program_id not in wanted or det.truth is not TRUE:
            continue
        if det.persons:
            for p in det.persons:
                if p.truth is TRUE and not p.receiving:
                    persons.setdefault(p.person, set()).add(det.program_id)
        elif not det.receiving:
            household.add(det.program_id)
    return Granted(frozenset(household), {k: frozenset(v) for k, v in persons.items()})


def with_granted(ctx: FactContext, granted: Granted, assume: bool = False) -> FactContext:
    """``ctx`` with the granted programs added where ``receives`` was answered; with ``assume``
    (amounts only: their conditions ask ``contains``, never ``not contains``) also where it was
    not, as exactly what is granted."""
    household = dict(ctx.household)
    persons = []
    all_granted = granted.household.union(*granted.persons.values())
    current = household.get("household.receives")
    if isinstance(current, frozenset) or assume:
        base = current if isinstance(current, frozenset) else frozenset()
        household["household.receives"] = base | all_granted
    for index, facts in enumerate(ctx.persons):
        mine = facts.get("receives")
        if isinstance(mine, frozenset) or assume:
            own = mine if isinstance(mine, frozenset) else frozenset()
            facts = {**facts, "receives": own | granted.of(index)}
        persons.append(facts)
    return replace(ctx, persons=tuple(persons), household=household)


def amount_dependencies(spec: ProgramSpec) -> set[str]:
    """The programs whose receipt an amount's ``when`` asks about (기초연금 asks whether the
    spouse receives it too: the couple reduction)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, WhenAmount):
            found.update(_contains_values(node.when))
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name))
        elif isinstance(node, tuple):
            for item in node:
                walk(item)

    if spec.benefit.amount is not None:
        walk(spec.benefit.amount)
    return found


def _contains_values(rule: Rule) -> set[str]:
    if isinstance(rule, AllRule | AnyRule):
        out: set[str] = set()
        for child in rule.all if isinstance(rule, AllRule) else rule.any:
            out |= _contains_values(child)
        return out
    if isinstance(rule, Comparison) and rule.fact.endswith(".receives") and rule.op == "contains":
        return {rule.value} if isinstance(rule.value, str) else set()
    return set()


def repriced(before: Determination, again: Determination) -> Determination:
    """``before`` with the amounts of ``again`` (decided with what the plan grants) for every
    member eligible in both."""
    if not before.persons:
        if before.truth is TRUE and again.truth is TRUE:
            return replace(before, benefit=again.benefit)
        return before
    new = {p.person: p for p in again.persons}
    persons = [
        replace(p, benefit=new[p.person].benefit)
        if p.truth is TRUE and p.person in new and new[p.person].truth is TRUE
        else p
        for p in before.persons
    ]
    result = aggregate(before.program_id, persons)
    return replace(result, receiving=before.receiving, after=before.after)


def _used(det_trace: Iterable[Any], granted: frozenset[str]) -> tuple[str, ...]:
    return tuple(
        sorted(
            {
                r.threshold
                for r in det_trace
                if r.fact.endswith(".receives")
                and r.op == "contains"
                and r.truth is TRUE
                and r.threshold in granted
            }
        )
    )


def after_prerequisites(
    before: Determination, again: Determination, granted: Granted
) -> Determination:
    """The verdict with the granted programs, where it is better than without them (FALSE →
    UNKNOWN or TRUE, UNKNOWN → TRUE): eligible, or undecided, *after* them; else ``before``."""
    if not again.persons:
        if again.truth is FALSE or before.truth is TRUE or again.truth is before.truth:
            return before
        after = _used(again.trace, granted.household.union(*granted.persons.values()))
        return replace(again, after=after) if after else before
    old = {p.person: p for p in before.persons}
    merged: list[PersonResult] = []
    changed = False
    for p in again.persons:
        was = old.get(p.person)
        better = p.truth is TRUE or (p.truth is UNKNOWN and (was is None or was.truth is FALSE))
        if better and (was is None or was.truth is not TRUE) and not p.receiving:
            after = _used(p.trace, granted.of(p.person))
            if after:
                merged.append(replace(p, after=after))
                changed = True
                continue
        if was is not None:
            merged.append(was)
    if not changed:
        return before
    result = aggregate(before.program_id, merged)
    lead = next((p for p in merged if p.truth is TRUE), None)
    result = replace(result, receiving=before.receiving)
    if lead is not None and not any(p.truth is TRUE and not p.after for p in merged):
        result = replace(result, after=lead.after)
    return result


__all__ = [
    "FALSE",
    "Granted",
    "Receipts",
    "after_prerequisites",
    "amount_dependencies",
    "mark_receiving",
    "newly_granted",
    "receipt_dependencies",
    "repriced",
    "settle_receipts",
    "with_granted",
]
