"""A plan's items: each program's verdict and why, member by member, what it adds to the totals
and why not, and what would settle it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import repeat
from operator import attrgetter
from typing import Any

from app.matching import (
    FALSE,
    TRUE,
    UNKNOWN,
    Adjustment,
    ConditionResult,
    Decision,
    Determination,
    Estimate,
    ProgramSpec,
    Range,
    status_of,
)
from app.text import formats
from app.text.criteria import member_text
from app.text.deciding import deciding
from app.text.members import member_path, person_facts
from app.text.plan_base import MEMBER_REF, RendererBase, amount_of

_DECIDING = {"eligible": TRUE, "needs_info": UNKNOWN, "ineligible": FALSE}
_FACT = attrgetter("fact")


class ItemRenderer(RendererBase):
    """The items of a plan (and one program's eligibility)."""

    def reasons(
        self, status: str, trace: Sequence[ConditionResult], program: ProgramSpec
    ) -> list[str]:
        """The sentences a verdict rests on, the deciding one first, each once: for an eligible
        item the met conditions of the branch that carried it (never a sibling ``any`` branch),
        for an ineligible one the failed conditions and when that may change, for an undecided
        one what is still open."""
        # once per trace: a per-person item's trace is one of its members' (kept alive here, so
        # its id names it for this renderer's life)
        key = (status, id(trace), program.id)
        found = self.said.get(key)
        if found is None or found[0] is not trace:
            found = self.said[key] = (trace, self._reasons(status, trace, program))
        return list(found[1])

    def _reasons(
        self, status: str, trace: Sequence[ConditionResult], program: ProgramSpec
    ) -> list[str]:
        target = _DECIDING.get(status)
        if target is None:
            return []
        chosen = deciding(trace, target)
        if target is TRUE:  # "자녀(10개월)": the member's name already says the relation
            chosen = [r for r in chosen if not r.fact.endswith(".relation")]
        reasons = list(dict.fromkeys(map(self.sentence, chosen, repeat(program))))
        if target is FALSE:
            reasons += self.when_old_enough(chosen)
        if status == "eligible" and not reasons:
            reasons = [self.t("reason.all_met")]
        return reasons

    def when_old_enough(self, failed: Sequence[ConditionResult]) -> list[str]:
        """``2026년 9월 14일(만 65세)부터 신청할 수 있어요``: for a minimum age not yet reached,
        the day it is, where the date of birth is known."""
        found: list[str] = []
        for result in failed:
            person = 0 if result.fact == "applicant.age" else None
            member = MEMBER_REF.match(result.fact)
            if member is not None and member.group(2) == "age":
                person = int(member.group(1)) + 1
            limit = result.threshold
            if person is None or result.op not in ("ge", "gt") or not isinstance(limit, int):
                continue
            born = person_facts(self.profile, person).get("birth_date")
            if not isinstance(born, date):
                continue
            age = limit + (1 if result.op == "gt" else 0)
            try:
                day = born.replace(year=born.year + age)
            except ValueError:  # born on 29 February
                day = date(born.year + age, 3, 1)
            if day > self.as_of:
                found.append(
                    self.t(
                        "reason.from_age",
                        day=formats.day(day, self.locale),
                        age=formats.unit(age, "age", self.locale),
                    )
                )
        return found

    def item(self, decision: Decision, full_trace: bool = True) -> dict[str, Any]:
        """A full plan item (eligible, needs_info, excluded; one program's eligibility). Without
        ``full_trace`` a needs_info item's trace keeps the undecided conditions only."""
        spec, det, locale = decision.program, decision.determination, self.locale
        static = self.static(spec)
        status = decision.status
        keep_all = full_trace or status != "needs_info"
        conditions = [self.condition(r, spec) for r in det.trace if keep_all or r.truth is UNKNOWN]
        reasons = self.reasons(status, det.trace, spec)
        excluded_by = None
        if decision.excluded_by is not None:
            winner = self.snapshot.programs[decision.excluded_by.program_id].spec
            reason = decision.excluded_by.reason.get(locale)
            reasons = [self.t("plan.excluded", winner=winner.name.get(locale)), reason]
            excluded_by = {"program_id": winner.id, "reason": reason}
        benefit = det.benefit
        members = self.members(decision) if det.persons else []
        note = self.estimate_note(det) if self.estimated else None
        if note is not None:
            reasons = [*reasons, note]
        return {
            "program_id": spec.id,
            "name": static["name"],
            "summary": static["summary"],
            "untranslated": static["untranslated"],
            "domain": static["domain"],
            "status": decision.status,
            "verification": static["verification"],
            "verification_note": static["verification_note"],
            "is_emergency": static["is_emergency"],
            "reasons": reasons,
            "missing_facts": self.missing(det) if det.missing else [],
            "trace": conditions,
            "benefit": {
                "kind": static["benefit_kind"],
                "description": static["benefit_description"],
                "amount": None if benefit is None else {"low": benefit.low, "high": benefit.high},
            },
            "apply": static["apply"],
            "documents": static["documents"],
            "prerequisites": static["prerequisites"],
            "excluded_by": excluded_by,
            "recipient": spec.recipient,
            "members": members,
            "after": list(det.after),
            "counted": None if decision.counted is None else amount_of(decision.counted),
            "adjustments": [self.adjustment(decision, a) for a in decision.adjustments],
        }

    def settle_with(
        self,
        redirect: Mapping[str, Sequence[str]],
        estimates: Mapping[str, Estimate],
        reads: Mapping[str, Sequence[str]],
    ) -> None:
        """Name the plain inputs instead of a 소득인정액 nobody stated (``missing_facts``), and
        say where a verdict rests on an estimate (``reads``: the references of each figure)."""
        self.redirect = redirect
        self.estimated = {f: e.computation.verification for f, e in estimates.items()}
        self.reads = reads

    def missing(self, det: Determination) -> list[str]:
        """The request paths that would settle ``det``: a 소득인정액 nobody stated is named by
        the plain inputs behind it, biggest effect first, then by itself (a figure from a
        notice settles it too)."""
        found: list[str] = []
        for path in self.open_paths(det.missing):
            plain = [p for p in self.redirect.get(path, ()) if not self.known(p)]
            for candidate in [*plain, path]:
                if candidate not in found:
                    found.append(candidate)
        return found

    def estimate_note(self, det: Determination) -> str | None:
        """A sentence for an item whose verdict read an estimated 소득인정액."""
        read = set(map(_FACT, det.trace))
        for fact, verification in self.estimated.items():
            if not read.isdisjoint(self.reads.get(fact, ())):
                if verification != "verified":
                    return self.t("plan.estimate_note.unconfirmed")
                return self.t("plan.estimate_note")
        return None

    def members(self, decision: Decision) -> list[dict[str, Any]]:
        """Each member a per-person program was decided for, with their verdict and why."""
        spec = decision.program
        entries = []
        for p in decision.determination.persons:
            status: str
            if p.receiving:
                status = "receiving"
                reasons = [self.t("plan.member.receiving")]
            elif p.truth is TRUE and p.person in decision.excluded_members:
                status = "excluded"
                winner = self.name(decision.excluded_members[p.person].program_id)
                reasons = [self.t("plan.member.excluded", winner=winner)]
            else:
                status = status_of(p.truth)
                reasons = self.reasons(status, p.trace, spec)
            if p.after and status == "eligible":
                names = formats.join([self.name(a) for a in p.after], self.locale)
                reasons = [*reasons, self.t("plan.member.after", names=names)]
            entries.append(
                {
                    "member": member_path(p.person),
                    "label": self.label(p.person),
                    "status": status,
                    "reasons": reasons,
                    "missing_facts": self.open_paths(p.missing) if p.truth is UNKNOWN else [],
                    "amount": None if p.benefit is None else amount_of(p.benefit),
                    "after": list(p.after),
                }
            )
        return entries

    def adjustment(self, decision: Decision, adjustment: Adjustment) -> dict[str, Any]:
        this = decision.program.name.get(self.locale)
        other = self.name(adjustment.program_id) if adjustment.program_id else ""
        who = "" if adjustment.person is None else self.label(adjustment.person)
        amount = adjustment.amount
        kind = adjustment.kind
        if kind == "income_includes" and amount is not None and amount.high is not None:
            text = self.t(
                "plan.adjustment.income_includes.upto", this=this, other=other,
                money=self.money(amount.high),
            )  # fmt: skip
        else:
            text = self.t(f"plan.adjustment.{kind}", this=this, other=other, who=who)
        return {
            "kind": kind,
            "program_id": adjustment.program_id,
            "member": None if adjustment.person is None else member_path(adjustment.person),
            "amount": None if amount is None else amount_of(amount),
            "text": text,
        }

    def nobody(self, spec: ProgramSpec) -> str:
        """``108개월 미만인 가구원이 없어요``: the program's ``who``, said of the household."""
        assert spec.who is not None
        key = ("nobody", spec.id, self.as_of)
        found = self.sentences.get(key)
        if found is None:
            words = member_text(spec.who, self.locale, self.snapshot.parameters, self.as_of)
            who = self.t("count.who", conditions=words)
            found = self.sentences[key] = self.t("count.none", who=who, n="")
        return found

    @staticmethod
    def closest(det: Determination) -> Sequence[ConditionResult]:
        """Whose conditions explain a per-person program nobody gets: the member who fails the
        fewest (the 9-year-old for 아동수당, not the 45-year-old applicant); else the trace."""
        if not det.persons:
            return det.trace

        def distance(trace: Sequence[ConditionResult]) -> tuple[int, float]:
            failed = deciding(trace, FALSE)
            return (len(failed) or 99, sum(_gap(r) for r in failed))

        nearest = min(det.persons, key=lambda p: distance(p.trace))
        return nearest.trace if deciding(nearest.trace, FALSE) else det.trace

    def ineligible_item(self, decision: Decision, full_trace: bool) -> dict[str, Any]:
        spec, det = decision.program, decision.determination
        static = self.static(spec)
        trace = det.trace if full_trace else [r for r in det.trace if r.truth is FALSE]
        conditions = [self.condition(r, spec) for r in trace]
        reasons = self.reasons("ineligible", self.closest(det), spec)
        if not det.persons and spec.who is not None:
            # nobody in the household is whom the program is for: say that, not the applicant's age
            nobody = [r for r in det.trace if r.path.startswith("who") and r.truth is FALSE]
            if nobody:
                others = [r for r in det.trace if not r.path.startswith("who")]
                reasons = [self.nobody(spec), *self.reasons("ineligible", others, spec)]
        note = self.estimate_note(det) if self.estimated else None
        return {
            "program_id": spec.id,
            "name": static["name"],
            "untranslated": static["untranslated"],
            "domain": static["domain"],
            "status": "ineligible",
            "verification": static["verification"],
            "reasons": reasons if note is None else [*reasons, note],
            "trace": conditions,
        }


def _gap(result: ConditionResult) -> float:
    """How far a failed numeric condition is from its line, relative to the line (1 when it
    cannot be measured): 119 months against "under 108" is nearer than 551."""
    value, line = result.value, result.threshold
    if isinstance(value, Range):
        ends = [v for v in (value.min, value.max) if isinstance(v, int | float)]
    else:
        ends = [value] if isinstance(value, int | float) and not isinstance(value, bool) else []
    if not ends or not isinstance(line, int | float) or isinstance(line, bool):
        return 1.0
    return min(abs(v - line) for v in ends) / max(abs(line), 1)
