"""The combined plan, decided without words: statuses, conflicts, order and totals.

``compose`` turns the engine's determinations into a ``PlanCore``; the service layer renders it in
Korean or English. Pure: no I/O, no text other than the catalog's own localized strings.

Decisions made here (see also the README's plan section):
- TRUE is *eligible*, UNKNOWN is *needs_info*, FALSE is *ineligible*.
- Mutual exclusions are resolved among eligible programs only (a needs_info program may still turn
  out ineligible). ``prefer: this|other`` follows the catalog; ``higher_benefit`` keeps the program
  worth more per year (compared by the low end of its estimate, then the high end); a tie keeps the
  program that declares the exclusion. The other one becomes *excluded* with ``excluded_by``.
- Order: emergency help first when the citizen is in crisis (``emergency`` need or a crisis
  reason given); then programs that answer a stated need; then by yearly value; prerequisites are
  moved before the programs that need them.
- Totals add the estimates of eligible programs by kind: ``cash_monthly`` → monthly,
  ``cash_yearly`` → yearly, ``cash_once`` and ``voucher`` → one-time. Training accounts, savings
  matches, services and check-ups are listed, not summed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Literal, NamedTuple

from app.matching.benefits import AmountRange
from app.matching.evaluate import Determination
from app.matching.facts import Profile
from app.matching.programs import ProgramSpec
from app.matching.snapshot import CatalogSnapshot
from app.matching.text import LocalizedText
from app.matching.truth import FALSE, TRUE, Truth

Status = Literal["eligible", "needs_info", "ineligible", "excluded"]
MONTHLY_KINDS = frozenset({"cash_monthly"})
YEARLY_KINDS = frozenset({"cash_yearly"})
ONCE_KINDS = frozenset({"cash_once", "voucher"})
_TRUTH = itemgetter(6)  # ConditionResult.truth
_PER_YEAR = {"cash_monthly": 12, "cash_yearly": 1, "cash_once": 1, "voucher": 1}


@dataclass(frozen=True, slots=True)
class ExcludedBy:
    program_id: str
    reason: LocalizedText
    rule: Literal["this", "other", "higher_benefit"]


class Decision(NamedTuple):
    """One program in the plan (a tuple: thousands are made per plan on a large catalog)."""

    program: ProgramSpec
    determination: Determination
    status: Status
    answers_need: bool
    excluded_by: ExcludedBy | None = None

    @property
    def id(self) -> str:
        return self.program.id

    @property
    def yearly_value(self) -> tuple[int, int]:
        """Estimated value per year as (low, high); 0 where unknown or not cash-like."""
        return yearly_value(self.program, self.determination.benefit)


@dataclass(frozen=True, slots=True)
class Totals:
    monthly: AmountRange
    once: AmountRange
    yearly: AmountRange


@dataclass(frozen=True, slots=True)
class PlanCore:
    as_of: date
    catalog_version: str
    emergency_first: bool
    eligible: tuple[Decision, ...]
    needs_info: tuple[Decision, ...]
    ineligible: tuple[Decision, ...]
    excluded: tuple[Decision, ...]
    totals: Totals
    counts: Mapping[str, int]

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return self.eligible + self.needs_info + self.ineligible + self.excluded


def status_of(truth: Truth) -> Status:
    return "eligible" if truth is TRUE else "ineligible" if truth is FALSE else "needs_info"


def yearly_value(program: ProgramSpec, benefit: AmountRange | None) -> tuple[int, int]:
    factor = _PER_YEAR.get(program.benefit.kind)
    if factor is None or benefit is None:
        return 0, 0
    low = max(benefit.low or 0, 0) * factor
    high = low if benefit.high is None else max(benefit.high, 0) * factor
    return low, max(low, high)


def in_crisis(profile: Profile, needs: Iterable[str]) -> bool:
    """Emergency help goes first when the citizen says so or names a crisis."""
    return "emergency" in needs or bool(profile.household.get("crisis"))


def compose(
    snapshot: CatalogSnapshot,
    profile: Profile,
    as_of: date,
    needs: Sequence[str] = (),
    determinations: Sequence[Determination] | None = None,
    ineligible_limit: int | None = None,
) -> PlanCore:
    """Evaluate (unless ``determinations`` are given) and decide the whole plan.

    Ineligible programs are ordered closest miss first (fewest failed conditions, then those
    answering a stated need) and cut to ``ineligible_limit``; ``counts`` keeps the totals.
    """
    if determinations is None:
        determinations = snapshot.evaluate(profile, as_of)
    wanted = frozenset(needs)
    emergency_first = in_crisis(profile, wanted)
    programs = snapshot.programs
    decisions: dict[str, Decision] = {}
    ranks: dict[str, tuple[bool, bool, int, int, str]] = {}
    ruled_out: list[tuple[int, bool, str, Determination]] = []
    for det in determinations:
        truth, program_id = det.truth, det.program_id
        if truth is FALSE:
            failed = list(map(_TRUTH, det.trace)).count(FALSE)
            misses_need = bool(wanted) and wanted.isdisjoint(programs[program_id].spec.needs)
            ruled_out.append((failed, misses_need, program_id, det))
            continue
        spec = programs[program_id].spec
        answers = not wanted.isdisjoint(spec.needs)
        decisions[program_id] = Decision(
            spec, det, "eligible" if truth is TRUE else "needs_info", answers
        )
        low, high = yearly_value(spec, det.benefit)
        urgent = emergency_first and spec.is_emergency
        ranks[program_id] = (not urgent, not answers, -low, -high, program_id)
    _resolve_exclusions(decisions)
    by_status: dict[Status, list[str]] = {"eligible": [], "needs_info": [], "excluded": []}
    for program_id, decision in decisions.items():
        by_status[decision.status].append(program_id)
    by_rank = ranks.__getitem__
    eligible = _prerequisites_first(
        [decisions[i] for i in sorted(by_status["eligible"], key=by_rank)]
    )
    needs_info = [decisions[i] for i in sorted(by_status["needs_info"], key=by_rank)]
    excluded = [decisions[i] for i in sorted(by_status["excluded"])]
    # ids are unique, so tuples never compare their determinations
    kept = (
        sorted(ruled_out)
        if ineligible_limit is None
        else heapq.nsmallest(ineligible_limit, ruled_out)
    )
    ineligible = [
        Decision(programs[pid].spec, det, "ineligible", bool(wanted) and not misses_need)
        for _, misses_need, pid, det in kept
    ]
    return PlanCore(
        as_of=as_of,
        catalog_version=snapshot.catalog_version,
        emergency_first=emergency_first,
        eligible=tuple(eligible),
        needs_info=tuple(needs_info),
        ineligible=tuple(ineligible),
        excluded=tuple(excluded),
        totals=totals(eligible),
        counts={
            "eligible": len(eligible),
            "needs_info": len(needs_info),
            "ineligible": len(ruled_out),
            "excluded": len(excluded),
        },
    )


def _resolve_exclusions(decisions: dict[str, Decision]) -> None:
    """Among eligible programs, drop the worse side of each declared exclusion (in place).

    Each exclusion between two eligible programs says who beats whom. A program nobody still in
    play beats is kept, and everything it beats is excluded by it (an excluded program excludes
    nothing). A cycle (A beats B beats C beats A) is broken by keeping the most valuable one.
    """
    beats: dict[str, dict[str, ExcludedBy]] = {}
    for program_id in sorted(decisions):
        this = decisions[program_id]
        for rule in this.program.excludes:
            other = decisions.get(rule.program)
            if other is None or this.status != "eligible" or other.status != "eligible":
                continue
            if rule.prefer == "this":
                keep_this = True
            elif rule.prefer == "other":
                keep_this = False
            else:
                keep_this = this.yearly_value >= other.yearly_value
            winner, loser = (this, other) if keep_this else (other, this)
            beats.setdefault(winner.id, {}).setdefault(
                loser.id, ExcludedBy(winner.id, rule.reason, rule.prefer)
            )
    in_play = set(beats) | {loser for losers in beats.values() for loser in losers}
    while in_play:
        beaten = {loser for w in in_play for loser in beats.get(w, {}) if loser in in_play}
        free = sorted(in_play - beaten)
        if not free:  # a cycle: keep the most valuable
            free = [max(sorted(in_play), key=lambda i: decisions[i].yearly_value)]
        for winner_id in free:
            in_play.discard(winner_id)
            for loser_id, why in beats.get(winner_id, {}).items():
                if loser_id not in in_play:
                    continue
                in_play.discard(loser_id)
                loser = decisions[loser_id]
                decisions[loser_id] = Decision(
                    loser.program, loser.determination, "excluded", loser.answers_need, why
                )


def _prerequisites_first(ordered: list[Decision]) -> list[Decision]:
    """Stable order in which a listed prerequisite comes before the program that needs it."""
    position = {d.id: i for i, d in enumerate(ordered)}
    placed: set[str] = set()
    result: list[Decision] = []
    by_id = {d.id: d for d in ordered}

    def place(decision: Decision, path: frozenset[str]) -> None:
        if decision.id in placed:
            return
        listed = (p for p in decision.program.prerequisites if p in by_id)
        for pre in sorted(listed, key=position.__getitem__):
            if pre not in path:
                place(by_id[pre], path | {decision.id})
        placed.add(decision.id)
        result.append(decision)

    for decision in ordered:
        place(decision, frozenset())
    return result


def totals(eligible: Iterable[Decision]) -> Totals:
    sums: Mapping[str, list[int | None]] = {"monthly": [0, 0], "once": [0, 0], "yearly": [0, 0]}
    for decision in eligible:
        kind = decision.program.benefit.kind
        benefit = decision.determination.benefit
        bucket = (
            "monthly"
            if kind in MONTHLY_KINDS
            else "yearly"
            if kind in YEARLY_KINDS
            else "once"
            if kind in ONCE_KINDS
            else None
        )
        if bucket is None or benefit is None:
            continue
        span = sums[bucket]
        span[0] = (span[0] or 0) + max(benefit.low or 0, 0)
        if span[1] is not None:
            span[1] = None if benefit.high is None else span[1] + max(benefit.high, 0)
    return Totals(
        monthly=AmountRange(*sums["monthly"]),
        once=AmountRange(*sums["once"]),
        yearly=AmountRange(*sums["yearly"]),
    )
