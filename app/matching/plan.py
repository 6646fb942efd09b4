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
  ``cash_yearly`` → yearly, ``cash_once`` and ``voucher`` → one-time (``benefit.period`` overrides
  the kind: a voucher paid monthly is monthly). Training accounts, savings matches, services and
  check-ups are listed, not summed.
- Household-true (#10): a program the household (or, per person, every member it is for) already
  receives is *receiving*: listed apart, never new money, and it wins every exclusion. Exclusions
  between two per-person programs are decided member by member (grandmother 공익활동, grandfather
  시장형). What a decision adds to the totals (``counted``) is its eligible members' amounts that
  are not received or excluded, less what ``income_includes`` programs newly granted add to its
  income; an employer's subsidy and a bridge to a program that is itself eligible count nothing.
  Every such change is an ``Adjustment`` on the item.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from types import MappingProxyType
from typing import Literal, NamedTuple

from app.matching.benefits import AmountRange
from app.matching.evaluate import Determination, span_benefits
from app.matching.facts import Profile
from app.matching.programs import ProgramSpec
from app.matching.snapshot import CatalogSnapshot
from app.matching.text import LocalizedText
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth

Status = Literal["eligible", "needs_info", "ineligible", "excluded", "receiving"]
AdjustmentKind = Literal["income_includes", "bridge", "employer", "receiving", "excluded"]
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


class Adjustment(NamedTuple):
    """Why an item adds less to the totals than its estimate: ``program_id`` is the other program
    (the one counted as income, bridged to, received or preferred), ``person`` the member it
    concerns (None: the whole household), ``amount`` what was taken off (None: all of it)."""

    kind: AdjustmentKind
    program_id: str | None
    person: int | None = None
    amount: AmountRange | None = None


class Decision(NamedTuple):
    """One program in the plan (a tuple: thousands are made per plan on a large catalog)."""

    program: ProgramSpec
    determination: Determination
    status: Status
    answers_need: bool
    excluded_by: ExcludedBy | None = None
    # per-person programs: members whose share another program takes (one 노인일자리 type each)
    excluded_members: Mapping[int, ExcludedBy] = MappingProxyType({})
    # what this item adds to the totals (None: nothing) and why it differs from its estimate
    counted: AmountRange | None = None
    adjustments: tuple[Adjustment, ...] = ()

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
    receiving: tuple[Decision, ...] = ()

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return self.eligible + self.needs_info + self.ineligible + self.excluded + self.receiving


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
    receiving: list[Decision] = []
    for det in determinations:
        truth, program_id = det.truth, det.program_id
        if det.receiving:
            spec = programs[program_id].spec
            receiving.append(Decision(spec, det, "receiving", not wanted.isdisjoint(spec.needs)))
            continue
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
    held = {d.id: d for d in receiving}
    _resolve_exclusions(decisions, held)
    _resolve_member_exclusions(decisions)
    _count(decisions, held)
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
            "receiving": len(receiving),
        },
        receiving=tuple(sorted(receiving, key=lambda d: d.id)),
    )


def _exclusion_rules(a: Decision, b: Decision) -> Iterable[tuple[Decision, Decision, ExcludedBy]]:
    """Each declared exclusion between ``a`` and ``b`` as (declaring side, other side, rule)."""
    for this, other in ((a, b), (b, a)):
        for rule in this.program.excludes:
            if rule.program == other.id:
                yield this, other, ExcludedBy(this.id, rule.reason, rule.prefer)


def _received_wins(decisions: dict[str, Decision], held: Mapping[str, Decision]) -> None:
    """A program already received excludes what it cannot be had with (in place): for the
    household, or per member where both programs are per person."""
    for program_id in sorted(decisions):
        this = decisions[program_id]
        if this.status != "eligible":
            continue
        for other in held.values():
            for _, _, rule in _exclusion_rules(this, other):
                why = ExcludedBy(other.id, rule.reason, "other")
                if this.program.is_per_person and other.program.is_per_person:
                    members = {
                        p.person
                        for p in other.determination.persons
                        if p.receiving and p.truth is not FALSE
                    } or {p.person for p in other.determination.persons}
                    this = this._replace(
                        excluded_members={
                            **{m: why for m in members},
                            **this.excluded_members,
                        }
                    )
                else:
                    this = this._replace(status="excluded", excluded_by=why)
                break
        decisions[program_id] = this


def _resolve_exclusions(decisions: dict[str, Decision], held: Mapping[str, Decision]) -> None:
    """Among eligible programs, drop the worse side of each declared exclusion (in place).

    A program already received (``held``) wins first. Each exclusion between two eligible
    programs (not both per person: those are settled per member) says who beats whom. A program
    nobody still in play beats is kept, and everything it beats is excluded by it (an excluded
    program excludes nothing). A cycle (A beats B beats C beats A) is broken by keeping the most
    valuable one.
    """
    _received_wins(decisions, held)
    beats: dict[str, dict[str, ExcludedBy]] = {}
    for program_id in sorted(decisions):
        this = decisions[program_id]
        for rule in this.program.excludes:
            other = decisions.get(rule.program)
            if other is None or this.status != "eligible" or other.status != "eligible":
                continue
            if this.program.is_per_person and other.program.is_per_person:
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
    for loser_id, why in _losers(beats, lambda i: decisions[i].yearly_value).items():
        loser = decisions[loser_id]
        decisions[loser_id] = loser._replace(status="excluded", excluded_by=why)


def _losers(
    beats: Mapping[str, Mapping[str, ExcludedBy]], value: Callable[[str], tuple[int, int]]
) -> dict[str, ExcludedBy]:
    """Who loses to whom: a program nobody still in play beats is kept and excludes what it
    beats; an excluded program excludes nothing; a cycle keeps the most ``value``-able."""
    lost: dict[str, ExcludedBy] = {}
    in_play = set(beats) | {loser for losers in beats.values() for loser in losers}
    while in_play:
        beaten = {loser for w in in_play for loser in beats.get(w, {}) if loser in in_play}
        free = sorted(in_play - beaten)
        if not free:  # a cycle: keep the most valuable
            free = [max(sorted(in_play), key=value)]
        for winner_id in free:
            in_play.discard(winner_id)
            for loser_id, why in beats.get(winner_id, {}).items():
                if loser_id in in_play:
                    in_play.discard(loser_id)
                    lost[loser_id] = why
    return lost


def _resolve_member_exclusions(decisions: dict[str, Decision]) -> None:
    """Exclusions between per-person programs, member by member (in place): among the programs
    a member is eligible for, each declared exclusion says which the member keeps (the catalog's
    ``prefer``; ``higher_benefit``: the larger share, a tie keeps the declaring program), resolved
    as for the household. A program every eligible member loses is *excluded*."""
    per_person = sorted(
        pid for pid, d in decisions.items() if d.program.is_per_person and d.status == "eligible"
    )
    shares = {pid: _eligible_members(decisions[pid]) for pid in per_person}
    people = sorted({person for found in shares.values() for person in found})
    for person in people:
        mine = [pid for pid in per_person if person in shares[pid]]
        beats: dict[str, dict[str, ExcludedBy]] = {}
        for i, a_id in enumerate(mine):
            for b_id in mine[i + 1 :]:
                for this, other, why in _exclusion_rules(decisions[a_id], decisions[b_id]):
                    if why.rule == "this":
                        keep_this = True
                    elif why.rule == "other":
                        keep_this = False
                    else:
                        keep_this = _low_high(shares[this.id][person]) >= _low_high(
                            shares[other.id][person]
                        )
                    winner, loser = (this, other) if keep_this else (other, this)
                    beats.setdefault(winner.id, {}).setdefault(
                        loser.id, ExcludedBy(winner.id, why.reason, why.rule)
                    )
        share = {pid: _low_high(shares[pid][person]) for pid in mine}
        for loser_id, why in _losers(beats, share.__getitem__).items():
            loser = decisions[loser_id]
            decisions[loser_id] = loser._replace(
                excluded_members={**loser.excluded_members, person: why}
            )
    for pid, decision in list(decisions.items()):
        if not decision.program.is_per_person or not decision.excluded_members:
            continue
        if decision.status == "eligible" and not _eligible_members(decision):
            first = decision.excluded_members[min(decision.excluded_members)]
            decisions[pid] = decision._replace(status="excluded", excluded_by=first)


def _eligible_members(decision: Decision) -> dict[int, AmountRange | None]:
    """Members for whom a per-person decision is eligible, new and not excluded: their share."""
    return {
        p.person: p.benefit
        for p in decision.determination.persons
        if p.truth is TRUE and not p.receiving and p.person not in decision.excluded_members
    }


def _low_high(amount: AmountRange | None) -> tuple[int, int]:
    if amount is None:
        return 0, 0
    low = max(amount.low or 0, 0)
    return low, low if amount.high is None else max(amount.high, low)


def _count(decisions: dict[str, Decision], held: Mapping[str, Decision]) -> None:
    """What each eligible decision adds to the totals, and why it differs (in place)."""
    for pid in sorted(decisions):
        decision = decisions[pid]
        if decision.status != "eligible":
            continue
        spec, det = decision.program, decision.determination
        adjustments: list[Adjustment] = []
        counted: AmountRange | None
        if spec.is_per_person:
            maybe = [
                p.benefit
                for p in det.persons
                if p.truth is UNKNOWN
                and not p.receiving
                and p.person not in decision.excluded_members
            ]
            counted = span_benefits(list(_eligible_members(decision).values()), maybe)
            for p in det.persons:
                if p.truth is TRUE and p.receiving:
                    adjustments.append(Adjustment("receiving", pid, p.person, p.benefit))
                elif p.truth is TRUE and p.person in decision.excluded_members:
                    winner = decision.excluded_members[p.person].program_id
                    adjustments.append(Adjustment("excluded", winner, p.person, p.benefit))
        else:
            counted = det.benefit
        if spec.recipient == "employer":
            adjustments.append(Adjustment("employer", None, None, counted))
            counted = None
        for bridge in spec.bridge_to:
            target = decisions.get(bridge.program)
            if (target is not None and target.status == "eligible") or bridge.program in held:
                adjustments.append(Adjustment("bridge", bridge.program, None, counted))
                counted = None
                break
        decisions[pid] = decision._replace(counted=counted, adjustments=tuple(adjustments))
    for pid in sorted(decisions):
        decision = decisions[pid]
        if decision.status != "eligible" or decision.counted is None:
            continue
        counted = decision.counted
        adjustments = list(decision.adjustments)
        for other_id in decision.program.income_includes:
            other = decisions.get(other_id)
            if other is None or other.status != "eligible" or other.counted is None:
                continue
            if _bucket(other.program) != _bucket(decision.program):
                continue
            base, less = counted, other.counted
            low = 0 if less.high is None else max(0, (base.low or 0) - less.high)
            high = None if base.high is None else max(0, base.high - (less.low or 0))
            counted = AmountRange(low, None if high is None else max(low, high))
            taken = less
            adjustments.append(Adjustment("income_includes", other_id, None, taken))
            counted = AmountRange(low, max(low, high) if high is not None else None)
        decisions[pid] = decision._replace(counted=counted, adjustments=tuple(adjustments))


def _bucket(program: ProgramSpec) -> str | None:
    period = program.benefit.period
    if period is not None:
        return period
    kind = program.benefit.kind
    if kind in MONTHLY_KINDS:
        return "monthly"
    if kind in YEARLY_KINDS:
        return "yearly"
    if kind in ONCE_KINDS:
        return "once"
    return None


def _prerequisites_first(ordered: list[Decision]) -> list[Decision]:
    """Stable order in which a listed prerequisite comes before the program that needs it."""
    position = {d.id: i for i, d in enumerate(ordered)}
    placed: set[str] = set()
    result: list[Decision] = []
    by_id = {d.id: d for d in ordered}

    def place(decision: Decision, path: frozenset[str]) -> None:
        if decision.id in placed:
            return
        needed = (*decision.program.prerequisites, *decision.determination.after)
        listed = dict.fromkeys(p for p in needed if p in by_id)
        for pre in sorted(listed, key=position.__getitem__):
            if pre not in path:
                place(by_id[pre], path | {decision.id})
        placed.add(decision.id)
        result.append(decision)

    for decision in ordered:
        place(decision, frozenset())
    return result


def totals(eligible: Iterable[Decision]) -> Totals:
    """The sums of what eligible decisions add (``counted``), by period."""
    sums: Mapping[str, list[int | None]] = {"monthly": [0, 0], "once": [0, 0], "yearly": [0, 0]}
    for decision in eligible:
        bucket = _bucket(decision.program)
        benefit = decision.counted
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
