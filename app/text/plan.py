"""The plan renderer: the engine's decisions (``PlanCore``) as the document a citizen reads, in
their language. Every sentence comes from the message catalogs (domain ``plan``, ``reasons``);
this module decides which sentences, in what order, about whom.

It reads no database and no request: the service hands it the snapshot, the profile, what
would settle an undecided fact (``paths_of``) and the 소득인정액 estimates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from app.matching import (
    CHANNELS,
    FACTS,
    FALSE,
    TRUE,
    UNKNOWN,
    Adjustment,
    CatalogSnapshot,
    Channel,
    ConditionResult,
    CountRule,
    Decision,
    Determination,
    Estimate,
    ExpectedBirth,
    OneOf,
    PlanCore,
    Profile,
    ProgramSpec,
    QuestionPick,
    Range,
    status_of,
)
from app.matching import (
    ApplyChannel as ApplySpec,
)
from app.schemas import plans as out
from app.text import formats
from app.text import income as income_text
from app.text.conditions import render_condition
from app.text.criteria import member_text, rule_at
from app.text.deciding import deciding
from app.text.facts import fact_label, fact_question
from app.text.facts import options as fact_options
from app.text.members import member_label, member_path, person_facts
from app.text.messages import t, tn

CHANNEL_ORDER = CHANNELS
_MEMBER_REF = re.compile(r"^members\[(\d+)\]\.([a-z_0-9]+)$")
# Per (catalog version, locale): condition sentences, and the parts of an item that depend only
# on the program. At most 8 versions × locales and 200,000 sentences are kept.
_RENDER_CACHES: dict[tuple[str, str], tuple[dict[object, str], dict[str, dict[str, Any]]]] = {}
_SENTENCE_CACHE_LIMIT = 200_000
_DECIDING = {"eligible": TRUE, "needs_info": UNKNOWN, "ineligible": FALSE}


def channel_label(channel: str, locale: str) -> str:
    """One label per apply channel, for the catalog and the plan alike."""
    return t(locale, f"channel.{channel}")


def amount_of(value: Any) -> dict[str, int | None]:
    return {"low": value.low, "high": value.high}


class Renderer:
    """Renders one snapshot's decisions in one locale; condition sentences are cached per
    catalog version and locale (they depend only on the trace entry)."""

    def __init__(
        self,
        snapshot: CatalogSnapshot,
        locale: str,
        profile: Profile,
        as_of: date,
        known: Callable[[str], bool],
        paths_of: Callable[[Iterable[str]], list[str]],
    ) -> None:
        self.snapshot, self.locale, self.as_of = snapshot, locale, as_of
        self.profile = profile
        self.labels: dict[int, str] = {}
        self.redirect: Mapping[str, Sequence[str]] = {}
        self.estimated: dict[str, str] = {}  # fact → its verification, where estimated
        self.reads: Mapping[str, Sequence[str]] = {}  # fact → the references that read it
        self.known = known
        self.paths_of = paths_of
        # in a household of several, the applicant is named too ("본인(68세)")
        self.name_applicant = bool(profile.members)
        key = (snapshot.catalog_version, locale)
        caches = _RENDER_CACHES.get(key)
        if caches is None:
            sentences = sum(len(c[0]) for c in _RENDER_CACHES.values())
            if len(_RENDER_CACHES) > 8 or sentences > _SENTENCE_CACHE_LIMIT:
                _RENDER_CACHES.clear()
            caches = _RENDER_CACHES[key] = ({}, {})
        self.sentences, self.statics = caches

    def t(self, message_id: str, /, **args: Any) -> str:
        return t(self.locale, message_id, **args)

    def money(self, amount: int | float) -> str:
        return formats.money(amount, self.locale)

    def sentence(self, result: ConditionResult, program: ProgramSpec) -> str:
        member = self._person_of(result.fact)
        key: object
        if result.fact == "count":
            key = (program.id, self.as_of, result)
        elif member is not None:  # named by role and age, which only this request knows
            key = (result, self.label(member))
        else:
            key = result
        try:
            cached = self.sentences.get(key)
        except TypeError:  # an unhashable value: render without caching
            return self._render(result, program)
        if cached is None:
            cached = self.sentences[key] = self._render(result, program)
        return cached

    def _person_of(self, ref: str) -> int | None:
        member = _MEMBER_REF.match(ref)
        if member is not None:
            return int(member.group(1)) + 1
        if self.name_applicant and ref.startswith("applicant."):
            return 0
        return None

    def _render(self, result: ConditionResult, program: ProgramSpec) -> str:
        person = self._person_of(result.fact)
        label = None if person is None else self.label(person)
        count = None
        if result.fact == "count":
            root = program.who if result.path.startswith("who") else program.eligibility
            rule = rule_at(root, result.path) if root is not None else None
            count = rule if isinstance(rule, CountRule) else None
        return render_condition(
            result, self.locale, self.snapshot.parameters, label, count, self.as_of
        )

    def condition(self, result: ConditionResult, program: ProgramSpec) -> dict[str, Any]:
        """One evaluated condition, structured (whose fact, the value, the line, the unit) and
        as a sentence."""
        member = _MEMBER_REF.match(result.fact)
        spec = FACTS.get(
            f"person.{member.group(2)}" if member else result.fact.replace("applicant.", "person.")
        )
        return {
            "path": result.path,
            "fact": result.fact,
            "op": result.op,
            "outcome": result.truth.value,
            "sentence": self.sentence(result, program),
            "member": (
                f"members[{member.group(1)}]"
                if member
                else "applicant"
                if result.fact.startswith("applicant.")
                else None
            ),
            "value": _jsonable(result.value),
            "threshold": _jsonable(result.threshold),
            "unit": spec.unit if spec is not None else None,
        }

    def static(self, spec: ProgramSpec) -> dict[str, Any]:
        """The parts of an item that depend only on the program and the locale (cached)."""
        found = self.statics.get(spec.id)
        if found is None:
            locale = self.locale
            untranslated = [
                name
                for name, text in (("name", spec.name), ("summary", spec.summary))
                if not text.has(locale)
            ]
            found = self.statics[spec.id] = {
                "program_id": spec.id,
                "name": spec.name.get(locale),
                "summary": spec.summary.get(locale),
                "untranslated": untranslated,
                "domain": spec.domain,
                "verification": spec.verification,
                "verification_note": (
                    spec.verification_note.get(locale) if spec.verification_note else None
                ),
                "is_emergency": spec.is_emergency,
                "benefit_kind": spec.benefit.kind,
                "benefit_description": spec.benefit.description.get(locale),
                "apply": [self.channel(c).model_dump(mode="json") for c in spec.apply],
                "documents": list(spec.documents),
                "prerequisites": list(spec.prerequisites),
            }
        return found

    def reasons(
        self, status: str, trace: Sequence[ConditionResult], program: ProgramSpec
    ) -> list[str]:
        """The sentences a verdict rests on, the deciding one first, each once: for an eligible
        item the met conditions of the branch that carried it (never a sibling ``any`` branch),
        for an ineligible one the failed conditions and when that may change, for an undecided
        one what is still open."""
        target = _DECIDING.get(status)
        if target is None:
            return []
        chosen = deciding(trace, target)
        if target is TRUE:  # "자녀(10개월)": the member's name already says the relation
            chosen = [r for r in chosen if not r.fact.endswith(".relation")]
        reasons = list(dict.fromkeys(self.sentence(r, program) for r in chosen))
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
            member = _MEMBER_REF.match(result.fact)
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
        for path in self.paths_of(det.missing):
            plain = [p for p in self.redirect.get(path, ()) if not self.known(p)]
            for candidate in [*plain, path]:
                if candidate not in found:
                    found.append(candidate)
        return found

    def estimate_note(self, det: Determination) -> str | None:
        """A sentence for an item whose verdict read an estimated 소득인정액."""
        for fact, verification in self.estimated.items():
            if any(r.fact in self.reads.get(fact, ()) for r in det.trace):
                if verification != "verified":
                    return self.t("plan.estimate_note.unconfirmed")
                return self.t("plan.estimate_note")
        return None

    def label(self, person: int) -> str:
        found = self.labels.get(person)
        if found is None:
            found = self.labels[person] = member_label(
                self.profile, person, self.as_of, self.locale
            )
        return found

    def name(self, program_id: str) -> str:
        found = self.snapshot.programs.get(program_id)
        return found.spec.name.get(self.locale) if found is not None else program_id

    def members(self, decision: Decision) -> list[dict[str, Any]]:
        """Each member a per-person program was decided for, with their verdict and why."""
        spec = decision.program
        entries = []
        for p in decision.determination.persons:
            status: str = status_of(p.truth)
            reasons = self.reasons(status, p.trace, spec)
            if p.receiving:
                status = "receiving"
                reasons = [self.t("plan.member.receiving")]
            elif p.truth is TRUE and p.person in decision.excluded_members:
                status = "excluded"
                winner = self.name(decision.excluded_members[p.person].program_id)
                reasons = [self.t("plan.member.excluded", winner=winner)]
            if p.after and status == "eligible":
                names = formats.join([self.name(a) for a in p.after], self.locale)
                reasons = [*reasons, self.t("plan.member.after", names=names)]
            entries.append(
                {
                    "member": member_path(p.person),
                    "label": self.label(p.person),
                    "status": status,
                    "reasons": reasons,
                    "missing_facts": self.paths_of(p.missing) if p.truth is UNKNOWN else [],
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

    def incomes(
        self, stated: Mapping[str, bool], used_by: Mapping[str, Sequence[str]],
        estimates: Mapping[str, Estimate],
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Which 소득인정액 each decision used: stated, or estimated from plain facts (with the
        computation, short, in the citizen's language)."""
        found = []
        for fact, programs in used_by.items():
            estimate = estimates.get(fact)
            if stated.get(fact):
                found.append({"fact": fact, "source": "stated", "used_by": list(programs)})
            elif estimate is not None:
                found.append({**self.computation(estimate), "used_by": list(programs)})
        return found

    def computation(self, estimate: Estimate) -> dict[str, Any]:
        computation = estimate.computation
        words = income_text.render(computation, self.locale)
        return {
            "fact": estimate.fact,
            "source": "estimated",
            "summary": words.summary,
            "scheme": computation.scheme,
            "income_evaluated": amount_of(computation.income_evaluated),
            "property_converted": amount_of(computation.property_converted),
            "total": amount_of(computation.total),
            "steps": [
                {"key": step.key, "text": text, "amount": amount_of(step.amount)}
                for step, text in zip(computation.steps, words.steps, strict=True)
            ],
            "asks": list(estimate.asks),
            "verification": computation.verification,
            "notes": list(words.notes),
        }

    def births(self, births: Sequence[ExpectedBirth]) -> list[dict[str, Any]]:
        return [
            {
                "member": member_path(b.person),
                "label": self.label(b.person),
                "due_date": b.due_date.isoformat(),
                "programs": [
                    {
                        "program_id": pid,
                        "name": self.name(pid),
                        "status": status_of(truth),
                        "from": b.due_date.isoformat(),
                        "amount": None if amount is None else amount_of(amount),
                    }
                    for pid, truth, amount in b.programs
                ],
                "note": self.t("plan.birth.note"),
            }
            for b in births
        ]

    def nobody(self, spec: ProgramSpec) -> str:
        """``108개월 미만인 가구원이 없어요``: the program's ``who``, said of the household."""
        assert spec.who is not None
        conditions = member_text(spec.who, self.locale, self.snapshot.parameters, self.as_of)
        return self.t("count.none", who=self.t("count.who", conditions=conditions), n="")

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

    def channel(self, channel: ApplySpec) -> out.ApplyOption:
        return out.ApplyOption(
            channel=channel.channel,
            label=channel_label(channel.channel, self.locale),
            url=channel.url,
            phone=channel.phone,
            note=channel.note.get(self.locale) if channel.note else None,
        )

    def question(self, pick: QuestionPick) -> out.Question:
        spec, locale = pick.spec, self.locale
        owner = pick.path.split(".", 1)[0]
        if spec is None:
            return self.checklist(pick, owner)
        text = fact_question(spec.id, locale)
        if owner.startswith("members["):
            label = self.label(int(owner[len("members[") : -1]) + 1)
            text = self.t("question.for_member", member=label, question=text)
        options = [
            out.QuestionOption(value=value, label=label)
            for value, label in fact_options(spec.id, locale)
        ]
        if spec.type == "bool":
            options = [
                out.QuestionOption(value=True, label=self.t("format.yes")),
                out.QuestionOption(value=False, label=self.t("format.no")),
            ]
        return out.Question(
            fact=pick.path,
            text=text,
            type=spec.type,
            unit=spec.unit,
            options=options,
            settles=list(pick.settles),
            is_sensitive=spec.is_sensitive,
        )

    def checklist(self, pick: QuestionPick, owner: str) -> out.Question:
        if owner == "applicant":
            text = self.t("question.checklist.applicant")
        elif owner.startswith("members["):
            label = self.label(int(owner[len("members[") : -1]) + 1)
            text = self.t("question.checklist.member", member=label)
        else:
            text = self.t("question.checklist.household")
        return out.Question(
            fact=owner,
            text=text,
            type="checklist",
            unit=None,
            options=[
                out.QuestionOption(value=path, label=fact_label(spec.id, self.locale))
                for path, spec in pick.items
            ],
            settles=list(pick.settles),
            is_sensitive=any(spec.is_sensitive for _, spec in pick.items),
        )

    def plan(
        self, core: PlanCore, picks: Sequence[QuestionPick], full_trace: bool, limit: int
    ) -> dict[str, Any]:
        names = {d.id: d.program.name.get(self.locale) for d in core.eligible}
        by_domain: dict[str, list[str]] = {}
        for decision in core.eligible:
            by_domain.setdefault(decision.program.domain, []).append(decision.id)
        places = self.places(core.eligible)
        documents = self.documents(core.eligible)
        questions = [self.question(p) for p in picks]
        totals = core.totals
        return {
            "as_of": core.as_of.isoformat(),
            "locale": self.locale,
            "catalog_version": core.catalog_version,
            "emergency_first": core.emergency_first,
            "eligible": [self.item(d) for d in core.eligible],
            "needs_info": [self.item(d, full_trace) for d in core.needs_info[:limit]],
            "ineligible": [self.ineligible_item(d, full_trace) for d in core.ineligible[:limit]],
            "excluded": [self.item(d) for d in core.excluded],
            "receiving": [self.item(d) for d in core.receiving],
            "counts": dict(core.counts),
            "by_domain": by_domain,
            "by_place": [p.model_dump(mode="json") for p in places],
            "documents": [d.model_dump(mode="json") for d in documents],
            "totals": {
                "monthly": amount_of(totals.monthly),
                "once": amount_of(totals.once),
                "yearly": amount_of(totals.yearly),
            },
            "next_questions": [q.model_dump(mode="json") for q in questions],
            "first_steps": self.first_steps(core, places, documents, names, questions),
        }

    def places(self, eligible: Iterable[Decision]) -> list[out.PlaceGroup]:
        groups: dict[Channel, list[str]] = {}
        for decision in eligible:
            for channel in dict.fromkeys(c.channel for c in decision.program.apply):
                groups.setdefault(channel, []).append(decision.id)
        result = []
        # the community centre first: one visit there is the point of a one-stop plan
        order = {
            c: (c != "community_center", -len(g), CHANNEL_ORDER.index(c)) for c, g in groups.items()
        }
        for channel in sorted(groups, key=order.__getitem__):
            count = len(groups[channel])
            result.append(
                out.PlaceGroup(
                    channel=channel,
                    label=channel_label(channel, self.locale),
                    summary=tn(self.locale, f"plan.place.{channel}", count),
                    program_ids=groups[channel],
                )
            )
        return result

    def documents(self, eligible: Iterable[Decision]) -> list[out.DocumentItem]:
        wanted: dict[str, list[str]] = {}
        for decision in eligible:
            for doc in decision.program.documents:
                wanted.setdefault(doc, []).append(decision.id)
        items = []
        for doc_id, programs in wanted.items():
            spec = self.snapshot.documents.get(doc_id)
            items.append(
                out.DocumentItem(
                    id=doc_id,
                    name=spec.name.get(self.locale) if spec else doc_id,
                    note=spec.note.get(self.locale) if spec and spec.note else None,
                    program_ids=programs,
                )
            )
        return sorted(items, key=lambda d: (-len(d.program_ids), d.id))

    def first_steps(
        self,
        core: PlanCore,
        places: Sequence[out.PlaceGroup],
        documents: Sequence[out.DocumentItem],
        names: dict[str, str],
        questions: Sequence[out.Question],
    ) -> list[str]:
        steps: list[str] = []
        if core.emergency_first:
            steps.append(self.t("plan.step.crisis"))
        for decision in core.eligible:
            needed = (*decision.program.prerequisites, *decision.determination.after)
            first = [names[p] for p in dict.fromkeys(needed) if p in names]
            if not first:
                continue
            steps.append(
                self.t(
                    "plan.step.before",
                    this=names[decision.id],
                    before=formats.join(first, self.locale),
                )
            )
        listed: set[str] = set()
        for group in places:
            todo = [p for p in group.program_ids if p not in listed]
            if not todo:
                continue
            listed.update(todo)
            joined = formats.join([names[p] for p in todo], self.locale)
            if group.channel == "community_center":
                wanted = sum(1 for d in documents if set(d.program_ids) & set(todo))
                steps.append(
                    tn(self.locale, "plan.step.visit", len(todo), programs=joined, documents=wanted)
                )
            else:
                steps.append(self.t("plan.step.channel", place=group.label, programs=joined))
        if not core.emergency_first:
            # ☎129 is a channel, not a program: the plan's way to ask anything, not an item
            steps.append(self.t("plan.step.call_129"))
        if questions:
            steps.append(self.t("plan.step.next_question", question=questions[0].text))
        return steps


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


def _jsonable(value: object) -> object:
    """A trace value as JSON: a range as ``{min, max}``, a set as a sorted list, a date as ISO."""
    if isinstance(value, Range):
        return {"min": _jsonable(value.min), "max": _jsonable(value.max)}
    if isinstance(value, OneOf):
        return sorted((_jsonable(v) for v in value.options), key=str)
    if isinstance(value, frozenset | set):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
