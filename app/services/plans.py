"""Plans, questions and single-program verdicts: the engine's decisions in the citizen's language.

Nothing here touches the database: the compiled snapshot held by the worker is the whole input,
so a plan names exactly one ``catalog_version``. Profile values are never logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from fastapi.exceptions import RequestValidationError

from app.locale import Locale
from app.matching.benefits import AmountRange
from app.matching.errors import NoParameterValue
from app.matching.estimates import (
    INCOME_FACTS,
    Estimate,
    compute_all,
    plain_paths,
    profile_has_plain,
)
from app.matching.evaluate import Determination
from app.matching.facts import FACTS, Profile, age_on, resolve_facts
from app.matching.plan import Adjustment, Decision, PlanCore, compose, in_crisis, status_of
from app.matching.programs import ApplyChannel as ApplySpec
from app.matching.programs import ProgramSpec
from app.matching.questions import QuestionPick, asked_path, pick_questions
from app.matching.rules import CountRule
from app.matching.snapshot import CatalogSnapshot
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from app.schemas import plans as out
from app.schemas.profile import (
    MAX_AGE,
    HouseholdIn,
    MemberIn,
    ParentsIn,
    PensionUnitIn,
    PersonIn,
    ProfileIn,
)
from app.text.conditions import (
    count_label,
    format_money,
    josa,
    render_condition,
    rule_at,
)
from app.text.facts import fact_label, fact_question
from app.text.facts import options as fact_options
from app.text.members import member_label, member_path

SEOUL = ZoneInfo("Asia/Seoul")
CHANNEL_ORDER = (
    "community_center", "online", "employment_center", "health_center", "phone", "other"
)  # fmt: skip
CHANNEL_LABELS: dict[str, tuple[str, str]] = {
    "community_center": ("주소지 행정복지센터(읍·면·동)", "Your community centre (행정복지센터)"),
    "online": ("온라인 신청", "Apply online"),
    "employment_center": ("고용센터", "Employment centre (고용센터)"),
    "health_center": ("보건소", "Public health centre (보건소)"),
    "phone": ("전화 신청·상담", "By phone"),
    "other": ("기타 기관", "Other offices"),
}
_PLACE_SUMMARY: dict[str, tuple[str, str]] = {
    "community_center": (
        "행정복지센터 한 번 방문으로 {n}개 사업을 함께 신청할 수 있습니다.",
        "One visit to your community centre covers {n} program(s).",
    ),
    "online": (
        "온라인으로 {n}개 사업을 신청할 수 있습니다.",
        "{n} program(s) can be applied for online.",
    ),
    "employment_center": (
        "고용센터에서 {n}개 사업을 신청합니다.",
        "{n} program(s) at the employment centre.",
    ),
    "health_center": (
        "보건소에서 {n}개 사업을 이용합니다.",
        "{n} program(s) at the public health centre.",
    ),
    "phone": ("전화로 {n}개 사업을 신청·상담할 수 있습니다.", "{n} program(s) by phone."),
    "other": ("다른 기관에서 {n}개 사업을 신청합니다.", "{n} program(s) at other offices."),
}
_MEMBER_REF = re.compile(r"^members\[(\d+)\]\.([a-z_0-9]+)$")
_PERSON_FIELDS = frozenset(PersonIn.model_fields)
_MEMBER_FIELDS = frozenset(MemberIn.model_fields)
_HOUSEHOLD_FIELDS = frozenset(HouseholdIn.model_fields)
_PENSION_FIELDS = frozenset(PensionUnitIn.model_fields)
_PARENTS_FIELDS = frozenset(ParentsIn.model_fields)
# Per (catalog version, locale): condition sentences, and the parts of an item that depend only
# on the program. At most 8 versions × locales and 200,000 sentences are kept.
_RENDER_CACHES: dict[tuple[str, str], tuple[dict[object, str], dict[str, dict[str, Any]]]] = {}
_SENTENCE_CACHE_LIMIT = 200_000
# Questions are chosen for the most valuable undecided programs (needs_info is ranked by need and
# value): on a very large catalog the long tail would only cost time, never change the first pick
# a citizen sees for the programs that matter to them.
QUESTION_POOL = 300
_DECIDING = {"eligible": "true", "needs_info": "unknown", "ineligible": "false"}


def today_in_seoul() -> date:
    return datetime.now(SEOUL).date()


def pick_locale(requested: Locale | None, header: Locale) -> Locale:
    return requested or header


MAX_PREGNANCY = timedelta(days=300)  # 출산 예정일은 기준일부터 길어야 약 10개월 뒤


def check_profile(profile: ProfileIn, as_of: date, root: str = "profile") -> None:
    """Checks that need ``as_of``: a birth date after it, or one that makes an impossible age, or
    an age that contradicts the birth date. 422 naming every such field."""
    errors: list[dict[str, Any]] = []
    people: list[tuple[tuple[str | int, ...], PersonIn]] = [(("applicant",), profile.applicant)]
    people += [(("members", i), m) for i, m in enumerate(profile.members)]
    for where, person in people:
        months = person.age_months
        if months is not None and isinstance(person.age, int) and person.age != months // 12:
            errors.append(
                _error(
                    ("body", root, *where, "age"),
                    "age_mismatch",
                    "The age does not match the age in months",
                )
            )
        due = person.due_date
        if due is not None and not as_of <= due <= as_of + MAX_PREGNANCY:
            errors.append(
                _error(
                    ("body", root, *where, "due_date"),
                    "due_date_range",
                    "The due date must be between as_of and 300 days after it",
                    {"days": MAX_PREGNANCY.days},
                )
            )
        born = person.birth_date
        if born is None:
            continue
        loc = ("body", root, *where, "birth_date")
        if born > as_of:
            errors.append(_error(loc, "birth_date_future", "The date of birth is after as_of"))
            continue
        age = age_on(born, as_of)
        if age > MAX_AGE:
            errors.append(
                _error(
                    loc,
                    "impossible_age",
                    f"The age must be between 0 and {MAX_AGE}",
                    {"maximum": MAX_AGE},
                )
            )
        elif isinstance(person.age, int) and person.age != age:
            errors.append(
                _error(
                    ("body", root, *where, "age"),
                    "age_mismatch",
                    "The age does not match the date of birth on as_of",
                )
            )
    if errors:
        raise RequestValidationError(errors)


def _error(
    loc: tuple[str | int, ...], kind: str, msg: str, ctx: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"loc": loc, "type": kind, "msg": msg, "ctx": ctx or {}}


@cache
def askable(path: str) -> bool:
    """Whether ``path`` is a field a plan request can carry (so a kiosk can send the answer)."""
    owner, _, name = path.partition(".")
    if owner == "applicant":
        return name in _PERSON_FIELDS
    if owner.startswith("members["):
        return name in _MEMBER_FIELDS
    if owner == "household":
        return name in _HOUSEHOLD_FIELDS
    if owner == "parents":
        return name in _PARENTS_FIELDS
    return owner == "pension_unit" and name in _PENSION_FIELDS


# --- rendering ------------------------------------------------------------------------------


class Renderer:
    """Renders one snapshot's decisions in one locale; condition sentences are cached per
    catalog version and locale (they depend only on the trace entry)."""

    def __init__(
        self, snapshot: CatalogSnapshot, locale: Locale, profile: Profile, as_of: date
    ) -> None:
        self.snapshot, self.locale, self.as_of = snapshot, locale, as_of
        self.profile = profile
        self.labels: dict[int, str] = {}
        self.redirect: Mapping[str, Sequence[str]] = {}
        self.estimated: dict[str, str] = {}  # fact → its verification, where estimated
        self.en = locale == "en"
        self.known = partial(_known, profile)
        key = (snapshot.catalog_version, locale)
        caches = _RENDER_CACHES.get(key)
        if caches is None:
            sentences = sum(len(c[0]) for c in _RENDER_CACHES.values())
            if len(_RENDER_CACHES) > 8 or sentences > _SENTENCE_CACHE_LIMIT:
                _RENDER_CACHES.clear()
            caches = _RENDER_CACHES[key] = ({}, {})
        self.sentences, self.statics = caches

    def text(self, ko: str, en: str) -> str:
        return en if self.en else ko

    def sentence(self, result: ConditionResult, program: ProgramSpec) -> str:
        member = _MEMBER_REF.match(result.fact)
        key: object
        if result.fact == "count":
            key = (program.id, self.as_of, result)
        elif member is not None:  # named by role and age, which only this request knows
            key = (result, self.label(int(member.group(1)) + 1))
        else:
            key = result
        try:
            cached = self.sentences.get(key)
        except TypeError:  # an unhashable value: render without caching
            return self._render(result, program)
        if cached is None:
            cached = self.sentences[key] = self._render(result, program)
        return cached

    def _render(self, result: ConditionResult, program: ProgramSpec) -> str:
        subject = None
        member = _MEMBER_REF.match(result.fact)
        spec = FACTS.get(f"person.{member.group(2)}") if member is not None else None
        if member is not None and spec is not None:
            label = self.label(int(member.group(1)) + 1)
            fact = fact_label(spec.id, self.locale)
            subject = f"{label}'s {fact}" if self.en else f"{label}의 {fact}"
        if result.fact == "count":
            rule = rule_at(program.eligibility, result.path)
            if isinstance(rule, CountRule):
                subject = count_label(rule, self.locale, self.snapshot.parameters, self.as_of)
        return render_condition(result, self.locale, self.snapshot.parameters, subject)

    def condition(self, result: ConditionResult, program: ProgramSpec) -> dict[str, Any]:
        return {
            "path": result.path,
            "fact": result.fact,
            "op": result.op,
            "outcome": result.truth.value,
            "sentence": self.sentence(result, program),
        }

    def static(self, spec: ProgramSpec) -> dict[str, Any]:
        """The parts of an item that depend only on the program and the locale (cached)."""
        found = self.statics.get(spec.id)
        if found is None:
            locale = self.locale
            found = self.statics[spec.id] = {
                "program_id": spec.id,
                "name": spec.name.get(locale),
                "summary": spec.summary.get(locale),
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

    def reasons(self, status: str, conditions: list[dict[str, Any]]) -> list[str]:
        """The sentences of the conditions that decided ``status``, each once."""
        deciding = _DECIDING.get(status)
        reasons = list(dict.fromkeys(c["sentence"] for c in conditions if c["outcome"] == deciding))
        if status == "eligible" and not reasons:
            reasons = [self.text("모든 조건을 충족합니다.", "Every condition is met.")]
        return reasons

    def item(self, decision: Decision, full_trace: bool = True) -> dict[str, Any]:
        """A full plan item (eligible, needs_info, excluded; one program's eligibility). Without
        ``full_trace`` a needs_info item's trace keeps the undecided conditions only."""
        spec, det, locale = decision.program, decision.determination, self.locale
        static = self.static(spec)
        status = decision.status
        keep_all = full_trace or status != "needs_info"
        conditions = [self.condition(r, spec) for r in det.trace if keep_all or r.truth is UNKNOWN]
        reasons = self.reasons(status, conditions)
        excluded_by = None
        if decision.excluded_by is not None:
            winner = self.snapshot.programs[decision.excluded_by.program_id].spec
            reason = decision.excluded_by.reason.get(locale)
            reasons = [
                self.text(
                    f"{winner.name.ko}{josa(winner.name.ko, '과', '와')} 함께 받을 수 없어 "
                    f"{winner.name.ko}{josa(winner.name.ko, '을', '를')} 권합니다. ",
                    f"Cannot be received together with {winner.name.en}; "
                    f"{winner.name.en} is recommended. ",
                )
                + reason
            ]
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
            "counted": None if decision.counted is None else _amount(decision.counted),
            "adjustments": [self.adjustment(decision, a) for a in decision.adjustments],
        }

    def settle_with(
        self, redirect: Mapping[str, Sequence[str]], estimates: Mapping[str, Estimate]
    ) -> None:
        """Name the plain inputs instead of a 소득인정액 nobody stated (``missing_facts``), and
        say where a verdict rests on an estimate."""
        self.redirect = redirect
        self.estimated = {f: e.computation.verification for f, e in estimates.items()}

    def missing(self, det: Determination) -> list[str]:
        """The request paths that would settle ``det``: a 소득인정액 nobody stated is named by
        the plain inputs behind it, biggest effect first, then by itself (a figure from a
        notice settles it too)."""
        found: list[str] = []
        for path in missing_paths(det, self.known):
            plain = [p for p in self.redirect.get(path, ()) if not self.known(p)]
            for candidate in [*plain, path]:
                if candidate not in found:
                    found.append(candidate)
        return found

    def estimate_note(self, det: Determination) -> str | None:
        """A sentence for an item whose verdict read an estimated 소득인정액."""
        for fact, verification in self.estimated.items():
            if any(r.fact in _INCOME_READS[fact] for r in det.trace):
                doubt = verification != "verified"
                return self.text(
                    "소득인정액은 입력하신 소득·재산으로 계산한 추정치입니다"
                    + (
                        " (확인되지 않은 기준이 포함되어 있어 실제와 다를 수 있습니다)."
                        if doubt
                        else "."
                    ),
                    "The recognized income is estimated from the income and assets you gave"
                    + (
                        " (some constants are unconfirmed: the result may differ)."
                        if doubt
                        else "."
                    ),
                )
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
            conditions = [self.condition(r, spec) for r in p.trace]
            reasons = self.reasons(status, conditions)
            if p.receiving:
                status = "receiving"
                reasons = [self.text("이미 받고 있습니다.", "Already received.")]
            elif p.truth is TRUE and p.person in decision.excluded_members:
                status = "excluded"
                winner = self.name(decision.excluded_members[p.person].program_id)
                reasons = [
                    self.text(
                        f"함께 받을 수 없는 {winner}{josa(winner, '을', '를')} 권합니다.",
                        f"Cannot be had together with {winner}, which is recommended.",
                    )
                ]
            if p.after and status == "eligible":
                names = ", ".join(self.name(a) for a in p.after)
                reasons = [
                    *reasons,
                    self.text(
                        f"{names}{josa(names, '을', '를')} 받게 되면 대상이 됩니다.",
                        f"Eligible once {names} is granted.",
                    ),
                ]
            entries.append(
                {
                    "member": member_path(p.person),
                    "label": self.label(p.person),
                    "status": status,
                    "reasons": reasons,
                    "missing_facts": missing_paths_of(p.missing, self.known)
                    if p.truth is UNKNOWN
                    else [],
                    "amount": None if p.benefit is None else _amount(p.benefit),
                    "after": list(p.after),
                }
            )
        return entries

    def adjustment(self, decision: Decision, adjustment: Adjustment) -> dict[str, Any]:
        this = decision.program.name.get(self.locale)
        other = self.name(adjustment.program_id) if adjustment.program_id else ""
        who = None if adjustment.person is None else self.label(adjustment.person)
        amount = adjustment.amount
        money = (
            format_money(amount.high, self.locale)
            if amount is not None and amount.high is not None
            else None
        )
        kind = adjustment.kind
        if kind == "income_includes":
            text = self.text(
                f"{other}{josa(other, '은', '는')} {this}에서 소득으로 계산되어, {this}"
                f"{josa(this, '이', '가')} 그만큼"
                + (f"(최대 {money})" if money else "")
                + " 줄어듭니다. 합계에는 줄어든 금액을 더했습니다.",
                f"{other} counts as income for {this}, which falls by as much"
                + (f" (up to {money})" if money else "")
                + "; the totals add the reduced amount.",
            )
        elif kind == "bridge":
            text = self.text(
                f"{this}{josa(this, '은', '는')} {other}{josa(other, '이', '가')} 결정될 때까지 "
                f"받는 지원이라 합계에는 {other}만 더했습니다.",
                f"{this} helps until {other} is decided, so the totals count {other} only.",
            )
        elif kind == "employer":
            text = self.text(
                "고용한 사업주에게 지급되는 지원이라 합계에 넣지 않았습니다. 취업할 때 사업주에게 "
                "알려 주세요.",
                "Paid to the employer who hires you, so not in your totals; mention it when "
                "you are hired.",
            )
        elif kind == "receiving":
            text = self.text(
                f"{who}{josa(who or '', '은', '는')} 이미 받고 있어 합계에 넣지 않았습니다.",
                f"{who} already receives it, so it is not in the totals.",
            )
        else:
            text = self.text(
                f"{who}{josa(who or '', '은', '는')} {other}{josa(other, '과', '와')} 함께 받을 수 "
                f"없어 {other}만 합계에 더했습니다.",
                f"{who} cannot have it together with {other}; the totals count {other} only.",
            )
        return {
            "kind": kind,
            "program_id": adjustment.program_id,
            "member": None if adjustment.person is None else member_path(adjustment.person),
            "amount": None if amount is None else _amount(amount),
            "text": text,
        }

    def incomes(
        self, core: PlanCore, profile: Profile, estimates: Mapping[str, Estimate]
    ) -> list[dict[str, Any]]:
        """Which 소득인정액 each decision used: stated, or estimated from plain facts (with the
        computation, short, in the citizen's language)."""
        stated = _stated_income(profile)
        found = []
        for fact, refs in _INCOME_READS.items():
            used_by = [
                d.id for d in core.decisions if any(r.fact in refs for r in d.determination.trace)
            ]
            estimate = estimates.get(fact)
            if stated[fact]:
                found.append({"fact": fact, "source": "stated", "used_by": used_by})
            elif estimate is not None:
                found.append({**self.computation(estimate), "used_by": used_by})
        return found

    def money_span(self, amount: Any) -> str:
        low, high = amount.low, amount.high
        if high is None:
            return self.text(
                f"{format_money(low, 'ko')} 이상", f"{format_money(low, 'en')} or more"
            )
        if low == high:
            return format_money(low, self.locale)
        return f"{format_money(low, self.locale)}–{format_money(high, self.locale)}"

    def computation(self, estimate: Estimate) -> dict[str, Any]:
        computation = estimate.computation
        evaluated = self.money_span(computation.income_evaluated)
        converted = self.money_span(computation.property_converted)
        total = self.money_span(computation.total)
        summary = self.text(
            f"소득평가액 {evaluated} + 재산의 소득환산액 {converted} → 소득인정액 {total}",
            f"evaluated income {evaluated} + converted assets {converted} → recognized income "
            f"{total}",
        )
        return {
            "fact": estimate.fact,
            "source": "estimated",
            "summary": summary,
            "scheme": computation.scheme,
            "income_evaluated": _amount(computation.income_evaluated),
            "property_converted": _amount(computation.property_converted),
            "total": _amount(computation.total),
            "steps": [
                {
                    "key": step.key,
                    "text": step.label.get(self.locale),
                    "amount": _amount(step.amount),
                }
                for step in computation.steps
            ],
            "asks": list(estimate.asks),
            "verification": computation.verification,
            "notes": [note.get(self.locale) for note in computation.notes],
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
                        "amount": None if amount is None else _amount(amount),
                    }
                    for pid, truth, amount in b.programs
                ],
                "note": self.text(
                    "출생 후 신청하면 받을 수 있는 지원입니다 (출생신고 때 행정복지센터에서 함께 "
                    "신청할 수 있습니다). 출생일을 기준으로 다시 판단합니다.",
                    "Support the baby brings once born (apply together with the birth "
                    "registration at the community centre); decided again on the birth date.",
                ),
            }
            for b in births
        ]

    def ineligible_item(self, decision: Decision, full_trace: bool) -> dict[str, Any]:
        spec, det = decision.program, decision.determination
        static = self.static(spec)
        trace = det.trace if full_trace else [r for r in det.trace if r.truth is FALSE]
        conditions = [self.condition(r, spec) for r in trace]
        reasons = self.reasons("ineligible", conditions)
        note = self.estimate_note(det) if self.estimated else None
        return {
            "program_id": spec.id,
            "name": static["name"],
            "domain": static["domain"],
            "status": "ineligible",
            "verification": static["verification"],
            "reasons": reasons if note is None else [*reasons, note],
            "trace": conditions,
        }

    def channel(self, channel: ApplySpec) -> out.ApplyOption:
        ko, en = CHANNEL_LABELS[channel.channel]
        return out.ApplyOption(
            channel=channel.channel,
            label=self.text(ko, en),
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
            text = f"[{label}] {text}"
        options = [
            out.QuestionOption(value=value, label=label)
            for value, label in fact_options(spec.id, locale)
        ]
        if spec.type == "bool":
            options = [
                out.QuestionOption(value=True, label=self.text("예", "Yes")),
                out.QuestionOption(value=False, label=self.text("아니요", "No")),
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
            text = self.text(
                "신청하시는 분께 해당하는 것을 모두 골라 주세요.",
                "Tick every statement that applies to you.",
            )
        elif owner.startswith("members["):
            label = self.label(int(owner[len("members[") : -1]) + 1)
            text = self.text(
                f"[{label}] 이 가구원에게 해당하는 것을 모두 골라 주세요.",
                f"[{label}] Tick every statement that applies to them.",
            )
        else:
            text = self.text(
                "가구에 해당하는 것을 모두 골라 주세요.",
                "Tick every statement that applies to your household.",
            )
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
                "monthly": _amount(totals.monthly),
                "once": _amount(totals.once),
                "yearly": _amount(totals.yearly),
            },
            "next_questions": [q.model_dump(mode="json") for q in questions],
            "first_steps": self.first_steps(core, places, documents, names, questions),
        }

    def places(self, eligible: Iterable[Decision]) -> list[out.PlaceGroup]:
        groups: dict[out.Channel, list[str]] = {}
        for decision in eligible:
            for channel in dict.fromkeys(c.channel for c in decision.program.apply):
                groups.setdefault(channel, []).append(decision.id)
        result = []
        # the community centre first: one visit there is the point of a one-stop plan
        order = {
            c: (c != "community_center", -len(g), CHANNEL_ORDER.index(c)) for c, g in groups.items()
        }
        for channel in sorted(groups, key=order.__getitem__):
            ko, en = _PLACE_SUMMARY[channel]
            count = len(groups[channel])
            result.append(
                out.PlaceGroup(
                    channel=channel,
                    label=self.text(*CHANNEL_LABELS[channel]),
                    summary=self.text(ko, en).format(n=count),
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
            steps.append(
                self.text(
                    "지금 위기 상황이라면 보건복지상담센터 ☎129(24시간)에 전화하거나 "
                    "행정복지센터에 긴급지원을 요청하세요. 지원이 먼저 되고 확인은 나중에 합니다.",
                    "If you are in crisis now, call the welfare call centre on 129 (24 hours) or "
                    "ask your community centre for emergency help: help comes first, checks later.",
                )
            )
        for decision in core.eligible:
            needed = (*decision.program.prerequisites, *decision.determination.after)
            first = [names[p] for p in dict.fromkeys(needed) if p in names]
            if not first:
                continue
            this = names[decision.id]
            before = "·".join(first)
            steps.append(
                self.text(
                    f"{this}{josa(this, '은', '는')} {before}{josa(before, '을', '를')} "
                    "신청한 뒤에 신청하세요.",
                    f"Apply for {', '.join(first)} before {this}.",
                )
            )
        listed: set[str] = set()
        for group in places:
            todo = [p for p in group.program_ids if p not in listed]
            if not todo:
                continue
            listed.update(todo)
            joined = ", ".join(names[p] for p in todo)
            if group.channel == "community_center":
                wanted = sum(1 for d in documents if set(d.program_ids) & set(todo))
                steps.append(
                    self.text(
                        f"행정복지센터를 한 번 방문해 {len(todo)}개 사업을 함께 신청하세요: "
                        f"{joined}. 서류 {wanted}종(서류 목록 참고)을 한 번에 챙기세요.",
                        f"Visit your community centre once to apply for {len(todo)} program(s): "
                        f"{joined}. Bring the {wanted} document(s) they need (see the checklist).",
                    )
                )
            else:
                steps.append(f"{group.label}: {joined}")
        if not core.emergency_first:
            # ☎129 is a channel, not a program: the plan's way to ask anything, not an item
            steps.append(
                self.text(
                    "궁금한 점은 보건복지상담센터 ☎129(국번 없이, 평일 주간)에 물어보세요.",
                    "For any question, call the health and welfare call centre on 129 (weekdays).",
                )
            )
        if questions:
            steps.append(
                self.text(
                    f"다음 질문에 답하면 더 많은 사업을 판단할 수 있습니다: {questions[0].text}",
                    f"Answer this next to settle more programs: {questions[0].text}",
                )
            )
        return steps


def _amount(value: Any) -> dict[str, int | None]:
    return {"low": value.low, "high": value.high}


def _known(profile: Profile, path: str) -> bool:
    owner, _, name = path.partition(".")
    if owner == "applicant":
        return name in profile.applicant
    if owner.startswith("members["):
        index = int(owner[len("members[") : -1])
        return index < len(profile.members) and name in profile.members[index]
    if owner in ("household", "pension_unit", "parents"):
        return name in getattr(profile, owner)
    return False


def missing_paths(det: Determination, known: Callable[[str], bool]) -> list[str]:
    return missing_paths_of(det.missing, known)


def missing_paths_of(missing: Iterable[str], known: Callable[[str], bool]) -> list[str]:
    paths = {found[0] for ref in missing if (found := asked_path(ref, known)) is not None}
    return sorted(p for p in paths if askable(p))


# --- use cases ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response document built as plain data and serialized once (orjson)."""

    data: dict[str, Any]

    def json(self) -> bytes:
        return orjson.dumps(self.data)

    def model_dump_json(self) -> str:
        return self.json().decode()


def build_plan(
    snapshot: CatalogSnapshot,
    request: out.PlanRequest,
    locale: Locale,
    as_of: date,
    skip: Sequence[str] = (),
    questions: int = 3,
) -> tuple[Rendered, PlanCore, list[QuestionPick]]:
    profile = request.profile.to_engine()
    core = compose(snapshot, profile, as_of, request.needs, ineligible_limit=request.max_items)
    renderer = Renderer(snapshot, locale, profile, as_of)
    # eligible per-person programs with a member still undecided (grandmother eligible,
    # grandfather's income unknown) ask too
    open_members = [d for d in core.eligible if d.determination.persons and d.determination.missing]
    estimates = (
        resolve_facts(profile, as_of, snapshot.parameters).estimates
        if profile_has_plain(profile.applicant, profile.members, profile.household)
        else {}
    )
    redirect = plain_first(profile, estimates, skip)
    renderer.settle_with(redirect, estimates)
    picks = pick_questions(
        [*core.needs_info[:QUESTION_POOL], *open_members],
        crisis=in_crisis(profile, request.needs),
        skip=skip,
        askable=askable,
        known=renderer.known,
        limit=questions,
        redirect=redirect,
    )
    plan = renderer.plan(core, picks, request.trace == "full", request.max_items)
    plan["income_recognition"] = renderer.incomes(core, profile, estimates)
    plan["expected_births"] = renderer.births(expected_births(snapshot, profile, as_of))
    return Rendered(plan), core, picks


# the two 소득인정액 facts and the references through which a rule reads each
_INCOME_READS: dict[str, tuple[str, ...]] = {
    "household.income_recognized_monthly": (
        "household.income_recognized_monthly",
        "household.median_income_ratio",
    ),
    "pension_unit.income_recognized_monthly": (
        "pension_unit.income_recognized_monthly",
        "applicant.couple_income_recognized_monthly",
    ),
}


def _stated_income(profile: Profile) -> dict[str, bool]:
    """Whether the request states each 소득인정액 itself (from a notice)."""
    return {
        "household.income_recognized_monthly": "income_recognized_monthly" in profile.household,
        "pension_unit.income_recognized_monthly": "income_recognized_monthly"
        in profile.pension_unit,
    }


def plain_first(
    profile: Profile, estimates: Mapping[str, Estimate], skip: Sequence[str]
) -> dict[str, Sequence[str]]:
    """What to ask instead of a 소득인정액 nobody knows (#11): the plain questions that narrow its
    estimate most, or, before any is answered, the usual order (earnings first). A citizen who
    could not answer one of them (it is in ``skip``) is asked the figure itself next: someone who
    does not know their earnings will not know the rest, and may have the figure on a notice."""
    plain = plain_paths(len(profile.members))
    if set(plain) & set(skip):
        return {}
    stated = _stated_income(profile)
    redirect: dict[str, Sequence[str]] = {}
    for fact in INCOME_FACTS:
        if stated[fact]:
            continue
        estimate = estimates.get(fact)
        redirect[fact] = estimate.asks if estimate is not None else plain
    return redirect


@dataclass(frozen=True, slots=True)
class ExpectedBirth:
    """A baby on the way: who carries it, when it is due, what it will bring (decided for the
    baby as a new member on the due date)."""

    person: int
    due_date: date
    programs: tuple[tuple[str, Truth, AmountRange | None], ...]


_BABY_RELATION = {"self": "child", "spouse": "child", "child": "grandchild"}


def expected_births(
    snapshot: CatalogSnapshot, profile: Profile, as_of: date
) -> list[ExpectedBirth]:
    """For each member with a due date on or after ``as_of``: the programs decided per person
    that the newborn would be eligible for (or may be) on the due date."""
    found = []
    people = [{"relation": "self", **profile.applicant}, *profile.members]
    for person, facts in enumerate(people):
        due = facts.get("due_date")
        if not isinstance(due, date) or due < as_of or facts.get("pregnant") is False:
            continue
        baby: dict[str, object] = {
            "relation": _BABY_RELATION.get(str(facts.get("relation")), "other"),
            "birth_date": due,
            "received_before": frozenset(),  # a newborn has had nothing yet
            # and is neither a marriage immigrant nor pregnant nor anyone's veteran
            "marriage_immigrant": False,
            "naturalized_within_3y": False,
            "pregnant": False,
        }
        order = facts.get("expected_child_order")
        if isinstance(order, int):
            baby["birth_order"] = order
        nationality = facts.get("nationality")
        if nationality is not None:
            baby["nationality"] = nationality
        size = profile.household.get("size")
        household = dict(profile.household)
        if isinstance(size, int):
            household["size"] = size + 1
        born = replace(profile, members=[*profile.members, baby], household=household)
        index = len(people)
        programs = []
        for det in snapshot.evaluate(born, due):
            mine = next((p for p in det.persons if p.person == index), None)
            if mine is not None and mine.truth is not FALSE and not mine.receiving:
                programs.append((det.program_id, mine.truth, mine.benefit))
        found.append(ExpectedBirth(person, due, tuple(programs)))
    return found


def next_questions(
    snapshot: CatalogSnapshot, request: out.QuestionsRequest, locale: Locale, as_of: date
) -> Rendered:
    plan, core, picks = build_plan(
        snapshot, request, locale, as_of, skip=request.skip, questions=max(request.limit, 3)
    )
    return Rendered(
        {
            "questions": plan.data["next_questions"][: request.limit],
            "done": not picks,
            "undecided": len(core.needs_info),
            "plan": plan.data,
        }
    )


def eligibility(
    snapshot: CatalogSnapshot, program_id: str, profile_in: ProfileIn, locale: Locale, as_of: date
) -> out.ProgramEligibility:
    profile = profile_in.to_engine()
    det = snapshot.evaluate_one(profile, as_of, program_id)
    spec = snapshot.programs[program_id].spec
    decision = Decision(spec, det, status_of(det.truth), False)
    item = Renderer(snapshot, locale, profile, as_of).item(decision)
    return out.ProgramEligibility.model_validate(
        {**item, "as_of": as_of, "locale": locale, "catalog_version": snapshot.catalog_version}
    )


def income_recognition(
    snapshot: CatalogSnapshot, profile_in: ProfileIn, locale: Locale, as_of: date
) -> Rendered:
    """Every scheme's 소득인정액 computation for the household, with its steps."""
    profile = profile_in.to_engine()
    ctx = resolve_facts(profile, as_of, snapshot.parameters)
    renderer = Renderer(snapshot, locale, profile, as_of)
    try:
        found = compute_all(ctx.household, ctx.persons, ctx.spouses, as_of, snapshot.parameters)
    except NoParameterValue:
        raise RequestValidationError(
            [
                _error(
                    ("body", "as_of"),
                    "income_year",
                    "No 소득인정액 constants are in force on as_of (2024-01-01 onwards)",
                )
            ]
        ) from None
    computations = []
    for _scheme, estimate in found:
        data = renderer.computation(estimate)
        data.pop("source")
        computations.append(data)
    return Rendered(
        {
            "as_of": as_of.isoformat(),
            "locale": locale,
            "catalog_version": snapshot.catalog_version,
            "computations": computations,
        }
    )
