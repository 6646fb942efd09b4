"""The plan renderer: the engine's decisions (``PlanCore``) as the document a citizen reads, in
their language. Every sentence comes from the message catalogs (domain ``plan``, ``reasons``);
this module decides which sentences, in what order, about whom.

It reads no database and no request: the service hands it the snapshot, the profile, what
would settle an undecided fact (``paths_of``) and the 소득인정액 estimates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.matching import (
    CHANNELS,
    Channel,
    ComingUp,
    Decision,
    Estimate,
    ExpectedBirth,
    FactSpec,
    PlanCore,
    QuestionPick,
    Turning,
    status_of,
)
from app.text import formats
from app.text import income as income_text
from app.text.facts import fact_label, fact_question
from app.text.facts import options as fact_options
from app.text.members import member_path
from app.text.messages import has, tn
from app.text.plan_base import amount_of, channel_label
from app.text.plan_items import ItemRenderer


class Renderer(ItemRenderer):
    """The whole plan: its lists, places, documents, first steps and next questions."""

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

    def coming_up(self, items: Sequence[ComingUp]) -> list[dict[str, Any]]:
        found = []
        for item in items:
            turning = [
                {
                    "member": member_path(t.person),
                    "label": self.label(t.person),
                    "age": t.age,
                    "unit": t.unit,
                }
                for t in item.turning
            ]
            status = status_of(item.truth)
            found.append(
                {
                    "on": item.on.isoformat(),
                    "approximate": item.approximate,
                    "program_id": item.program_id,
                    "name": self.name(item.program_id),
                    "member": None if item.person is None else member_path(item.person),
                    "change": item.change,
                    "status": status,
                    "amount": None
                    if item.benefit is None or item.change == "ends"
                    else amount_of(item.benefit),
                    "turning": turning,
                    "residence_months": item.residence_months,
                    "text": self._coming_text(item, status),
                }
            )
        return found

    def _coming_text(self, item: ComingUp, status: str) -> str:
        # the birthday that matters most: the member the verdict is about, else the first
        turning = next((t for t in item.turning if t.person == item.person), None)
        turning = turning or (item.turning[0] if item.turning else None)
        # cached like the condition sentences (per catalog version and locale), by what it says
        key = (
            "coming", item.on, item.approximate, item.program_id, item.change, status,
            None if turning is None else (
                turning.unit, turning.age, turning.person == 0, self.label(turning.person)
            ),
            item.residence_months,
        )  # fmt: skip
        found = self.sentences.get(key)
        if found is None:
            found = self.sentences[key] = self._say_coming(item, status, turning)
        return found

    def _say_coming(self, item: ComingUp, status: str, turning: Turning | None) -> str:
        day = formats.day(item.on, self.locale)
        if item.approximate:
            day = self.t("plan.coming.at_the_latest", date=day)
        if turning is None and item.residence_months is not None:
            months = formats.unit(item.residence_months, "months", self.locale)
            when = self.t("plan.coming.when.residence", months=months, date=day)
        elif turning is None:
            when = self.t("plan.coming.when.catalog", date=day)
        else:
            message_id = f"plan.coming.when.{turning.unit}"
            if turning.person == 0 and has(self.locale, f"{message_id}.self"):
                message_id += ".self"  # English: "when you reach", not "when you (64) reaches"
            when = self.t(
                message_id,
                member=self.label(turning.person),
                age=formats.unit(turning.age, "age" if turning.unit == "years" else "months",
                                 self.locale),
                date=day,
            )  # fmt: skip
        kind = "ends" if item.change == "ends" else f"starts.{status}"
        return self.t(f"plan.coming.{kind}", when=when, program=self.name(item.program_id))

    # the next questions, places and documents are built as the JSON of their schemas
    # (``out.Question``, ``out.PlaceGroup``, ``out.DocumentItem``), like the items

    def question(self, pick: QuestionPick) -> dict[str, Any]:
        """An ``out.Question``."""
        spec, locale = pick.spec, self.locale
        owner = pick.path.split(".", 1)[0]
        if spec is None:
            return self.checklist(pick, owner)
        text = fact_question(spec.id, locale)
        if owner.startswith("members["):
            label = self.label(int(owner[len("members[") : -1]) + 1)
            text = self.t("question.for_member", member=label, question=text)
        return {
            "fact": pick.path,
            "text": text,
            "type": spec.type,
            "unit": spec.unit,
            "options": self.options(spec),
            "settles": list(pick.settles),
            "is_sensitive": spec.is_sensitive,
        }

    def options(self, spec: FactSpec) -> list[dict[str, Any]]:
        """A question's options (cached per catalog version and locale; never mutated)."""
        key = ("options", spec.id, spec.type)
        found: list[dict[str, Any]] | None = self.parts.get(key)
        if found is None:
            if spec.type == "bool":
                found = [
                    {"value": True, "label": self.t("format.yes")},
                    {"value": False, "label": self.t("format.no")},
                ]
            else:
                found = [
                    {"value": value, "label": label}
                    for value, label in fact_options(spec.id, self.locale)
                ]
            self.parts[key] = found
        return found

    def fact_label(self, fact_id: str) -> str:
        key = ("fact_label", fact_id)
        found: str | None = self.parts.get(key)
        if found is None:
            found = self.parts[key] = fact_label(fact_id, self.locale)
        return found

    def checklist(self, pick: QuestionPick, owner: str) -> dict[str, Any]:
        if owner == "applicant":
            text = self.t("question.checklist.applicant")
        elif owner.startswith("members["):
            label = self.label(int(owner[len("members[") : -1]) + 1)
            text = self.t("question.checklist.member", member=label)
        else:
            text = self.t("question.checklist.household")
        return {
            "fact": owner,
            "text": text,
            "type": "checklist",
            "unit": None,
            "options": [
                {"value": path, "label": self.fact_label(spec.id)} for path, spec in pick.items
            ],
            "settles": list(pick.settles),
            "is_sensitive": any(spec.is_sensitive for _, spec in pick.items),
        }

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
            "by_place": places,
            "documents": documents,
            "totals": {
                "monthly": amount_of(totals.monthly),
                "once": amount_of(totals.once),
                "yearly": amount_of(totals.yearly),
            },
            "next_questions": questions,
            "first_steps": self.first_steps(core, places, documents, names, questions),
        }

    def places(self, eligible: Iterable[Decision]) -> list[dict[str, Any]]:
        """``out.PlaceGroup``s: where to apply, each place with its programs."""
        groups: dict[Channel, list[str]] = {}
        for decision in eligible:
            for channel in dict.fromkeys(c.channel for c in decision.program.apply):
                groups.setdefault(channel, []).append(decision.id)
        result = []
        # the community centre first: one visit there is the point of a one-stop plan
        order = {
            c: (c != "community_center", -len(g), CHANNELS.index(c)) for c, g in groups.items()
        }
        for channel in sorted(groups, key=order.__getitem__):
            count = len(groups[channel])
            key = ("place", channel, count)
            said: tuple[str, str] | None = self.parts.get(key)
            if said is None:  # per catalog version and locale, like the sentences
                said = self.parts[key] = (
                    channel_label(channel, self.locale),
                    tn(self.locale, f"plan.place.{channel}", count),
                )
            result.append(
                {
                    "channel": channel,
                    "label": said[0],
                    "summary": said[1],
                    "program_ids": groups[channel],
                }
            )
        return result

    def documents(self, eligible: Iterable[Decision]) -> list[dict[str, Any]]:
        """``out.DocumentItem``s: each document once, with the programs that ask for it."""
        wanted: dict[str, list[str]] = {}
        for decision in eligible:
            for doc in decision.program.documents:
                wanted.setdefault(doc, []).append(decision.id)
        items = []
        for doc_id, programs in wanted.items():
            spec = self.snapshot.documents.get(doc_id)
            items.append(
                {
                    "id": doc_id,
                    "name": spec.name.get(self.locale) if spec else doc_id,
                    "note": spec.note.get(self.locale) if spec and spec.note else None,
                    "program_ids": programs,
                }
            )
        return sorted(items, key=lambda d: (-len(d["program_ids"]), d["id"]))

    def first_steps(
        self,
        core: PlanCore,
        places: Sequence[dict[str, Any]],
        documents: Sequence[dict[str, Any]],
        names: dict[str, str],
        questions: Sequence[dict[str, Any]],
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
            todo = [p for p in group["program_ids"] if p not in listed]
            if not todo:
                continue
            listed.update(todo)
            joined = formats.join([names[p] for p in todo], self.locale)
            if group["channel"] == "community_center":
                visited = set(todo)
                wanted = sum(1 for d in documents if not visited.isdisjoint(d["program_ids"]))
                steps.append(
                    tn(self.locale, "plan.step.visit", len(todo), programs=joined, documents=wanted)
                )
            else:
                steps.append(self.t("plan.step.channel", place=group["label"], programs=joined))
        if not core.emergency_first:
            # ☎129 is a channel, not a program: the plan's way to ask anything, not an item
            steps.append(self.t("plan.step.call_129"))
        if questions:
            steps.append(self.t("plan.step.next_question", question=questions[0]["text"]))
        return steps
