"""The combined plan: what the citizen can get, may get, cannot get, and what to do first."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from app.locale import LocaleField
from app.matching import (
    Channel,
    Domain,
    Need,
)
from app.schemas.common import WHOLE_FLOAT_AS_INT, IsoDate
from app.schemas.profile import ProfileIn

Status = Literal["eligible", "needs_info", "ineligible", "excluded", "receiving"]
Truth = Literal["true", "false", "unknown"]


class PlanRequest(BaseModel):
    """A household's facts (any may be missing or a range), needs, date and language."""

    model_config = ConfigDict(extra="forbid", strict=True)

    profile: ProfileIn
    needs: list[Need] = Field(
        default_factory=list,
        max_length=8,
        description="What the citizen asks help with; `emergency` puts emergency help first",
        examples=[["income", "care"]],
    )
    as_of: IsoDate | None = Field(
        default=None,
        description="Date the rules are applied at (default: today in Asia/Seoul)",
        examples=["2026-03-02"],
    )
    locale: LocaleField | None = Field(
        default=None, description="Response language; default from Accept-Language, else ko"
    )
    trace: Literal["deciding", "full"] = Field(
        default="deciding",
        description=(
            "`deciding`: ineligible programs carry only the conditions that ruled them out and "
            "needs_info programs only the conditions still undecided; `full`: every condition "
            "of every program"
        ),
    )
    max_items: Annotated[int, Strict(), Field(ge=1, le=10_000), WHOLE_FLOAT_AS_INT] = Field(
        default=100,
        description=(
            "At most this many `needs_info` and `ineligible` programs are listed, best first "
            "(`counts` has the totals); `eligible` and `excluded` are always complete"
        ),
    )


class QuestionsRequest(PlanRequest):
    """The profile so far; the kiosk resends it, grown by each answer (the flow is stateless)."""

    skip: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Profile paths the citizen could not answer (모름); never asked again",
        examples=[["household.assets"]],
    )
    limit: Annotated[int, Strict(), Field(ge=1, le=10), WHOLE_FLOAT_AS_INT] = Field(
        default=1, description="How many questions to return"
    )
    include_plan: bool = Field(
        default=True,
        description=(
            "false: leave the provisional plan out (`plan` is null) and answer only the "
            "questions, `done`, `undecided` and `counts`, in about a third of the time; what "
            "a kiosk step shows"
        ),
    )


class EligibilityRequest(BaseModel):
    """One program's verdict for a profile, with its full trace."""

    model_config = ConfigDict(extra="forbid", strict=True)

    profile: ProfileIn
    as_of: IsoDate | None = Field(default=None, examples=["2026-03-02"])
    locale: LocaleField | None = None


class AmountRange(BaseModel):
    low: int | None = Field(description="Lower bound in KRW (null: unknown)", examples=[349700])
    high: int | None = Field(description="Upper bound in KRW (null: unbounded)", examples=[349700])


class BenefitEstimate(BaseModel):
    kind: str = Field(examples=["cash_monthly"])
    description: str = Field(examples=["월 최대 349,700원"])
    amount: AmountRange | None = Field(description="Estimated amount; a range when inputs are")


class Condition(BaseModel):
    path: str = Field(examples=["eligibility.all[0]"])
    fact: str = Field(examples=["applicant.age"])
    op: str = Field(examples=["ge"])
    outcome: Truth = Field(examples=["true"])
    sentence: str = Field(examples=["만 66세로 65세 이상이에요."])
    member: str | None = Field(
        default=None,
        description="Whose fact it is (`applicant`, `members[0]`); null for a household fact",
        examples=["applicant"],
    )
    value: Any = Field(
        default=None,
        description=(
            "The value compared: a number, text, true/false, a date, a list, or a range "
            "`{min, max}`; null when unknown"
        ),
        examples=[66],
    )
    threshold: Any = Field(
        default=None,
        description="What it was compared with, in force on as_of (a parameter's value)",
        examples=[65],
    )
    unit: str | None = Field(default=None, description="The fact's unit", examples=["years"])


class ApplyOption(BaseModel):
    channel: Channel
    label: str = Field(examples=["주소지 행정복지센터"])
    url: str | None = None
    phone: str | None = None
    note: str | None = None


class ExcludedBy(BaseModel):
    program_id: str = Field(examples=["disability-pension"])
    reason: str


class MemberVerdict(BaseModel):
    """A per-person program's verdict for one household member."""

    member: str = Field(
        description="Where the member is in the request: `applicant` or `members[i]`",
        examples=["members[1]"],
    )
    label: str = Field(description="The member by role and age", examples=["어머니(72세)"])
    status: Status = Field(
        description="`eligible`, `needs_info`, `ineligible`, `receiving` (already has it) or "
        "`excluded` (another program takes this member's share)"
    )
    reasons: list[str] = Field(description="Why, as sentences")
    missing_facts: list[str] = Field(default_factory=list)
    amount: AmountRange | None = Field(default=None, description="This member's estimate")
    after: list[str] = Field(
        default_factory=list,
        description="Eligible once these programs, which this plan finds, are granted",
    )


class Adjustment(BaseModel):
    """Why the item adds less to the plan totals than its estimate."""

    kind: Literal["income_includes", "bridge", "employer", "receiving", "excluded"]
    program_id: str | None = Field(default=None, description="The other program concerned")
    member: str | None = Field(default=None, description="The member concerned, if one")
    amount: AmountRange | None = Field(default=None, description="What is not added")
    text: str = Field(description="The adjustment in words")


class PlanItem(BaseModel):
    program_id: str = Field(examples=["basic-pension"])
    name: str = Field(examples=["기초연금"])
    summary: str
    untranslated: list[Literal["name", "summary"]] = Field(
        default_factory=list,
        description=(
            "Catalog texts shown in Korean because the catalog has no translation for the "
            'response language (a portal can mark them lang="ko")'
        ),
    )
    domain: Domain
    status: Status
    verification: Literal["verified", "partial", "unverified"] = Field(
        description="How well the rule is verified against official sources"
    )
    verification_note: str | None = None
    is_emergency: bool = False
    reasons: list[str] = Field(description="Why this status, as sentences")
    missing_facts: list[str] = Field(
        description="Facts that would settle a needs_info program", examples=[["applicant.age"]]
    )
    trace: list[Condition]
    benefit: BenefitEstimate
    apply: list[ApplyOption]
    documents: list[str] = Field(description="Document ids (see the plan's `documents`)")
    prerequisites: list[str] = Field(default_factory=list)
    excluded_by: ExcludedBy | None = None
    recipient: Literal["citizen", "employer"] = Field(
        default="citizen", description="`employer`: paid to the employer who hires the citizen"
    )
    members: list[MemberVerdict] = Field(
        default_factory=list,
        description="For a program decided per person: each member it was decided for",
    )
    after: list[str] = Field(
        default_factory=list,
        description="Eligible once these programs, which this plan finds, are granted: "
        "apply for them first",
    )
    counted: AmountRange | None = Field(
        default=None,
        description="What this item adds to the plan totals (null: nothing), after adjustments",
    )
    adjustments: list[Adjustment] = Field(default_factory=list)


class IneligibleItem(BaseModel):
    """A program the citizen cannot get, and why (the full program: `GET /v1/programs/{id}`)."""

    program_id: str = Field(examples=["youth-monthly-rent"])
    name: str = Field(examples=["청년월세 특별지원"])
    untranslated: list[Literal["name", "summary"]] = Field(
        default_factory=list,
        description=(
            "Catalog texts shown in Korean because the catalog has no translation for the "
            'response language (a portal can mark them lang="ko")'
        ),
    )
    domain: Domain
    status: Literal["ineligible"] = "ineligible"
    verification: Literal["verified", "partial", "unverified"]
    reasons: list[str] = Field(description="The conditions that ruled it out, as sentences")
    trace: list[Condition] = Field(
        description="The conditions that ruled it out (every condition with `trace: full`)"
    )


class Counts(BaseModel):
    eligible: int = Field(examples=[7])
    needs_info: int = Field(examples=[12])
    ineligible: int = Field(examples=[45])
    excluded: int = Field(examples=[1])
    receiving: int = Field(default=0, examples=[1])


class PlaceGroup(BaseModel):
    channel: Channel
    label: str = Field(examples=["행정복지센터"])
    summary: str = Field(examples=["행정복지센터 한 번 방문으로 5개 사업을 신청할 수 있습니다."])
    program_ids: list[str]


class DocumentItem(BaseModel):
    id: str = Field(examples=["id-card"])
    name: str = Field(examples=["신분증"])
    note: str | None = None
    program_ids: list[str] = Field(description="Programs that ask for this document")


class QuestionOption(BaseModel):
    value: str | bool = Field(examples=["27"])
    label: str = Field(examples=["대구광역시"])


class Question(BaseModel):
    """One question. For `type: checklist` the options are yes/no facts about one person (or the
    household): set each option's `value` path to true if ticked, false if not."""

    fact: str = Field(
        description="Where to put the answer in the profile (for a checklist: whose facts)",
        examples=["household.region"],
    )
    text: str = Field(examples=["어느 시·도에 사시나요?"])
    type: Literal["bool", "int", "money", "number", "date", "enum", "set", "checklist"] = Field(
        examples=["enum"]
    )
    unit: str | None = None
    options: list[QuestionOption] = Field(default_factory=list)
    settles: list[str] = Field(description="Programs this answer can settle")
    is_sensitive: bool = False


class Totals(BaseModel):
    monthly: AmountRange = Field(
        description="Estimated monthly value of what the plan newly brings (the items' "
        "`counted`): not what is already received, not an employer's subsidy, each benefit once"
    )
    once: AmountRange = Field(description="Estimated one-time value")
    yearly: AmountRange = Field(description="Estimated yearly value")


class IncomeStep(BaseModel):
    key: str = Field(examples=["income.earned"])
    text: str = Field(examples=["근로·사업소득 1,500,000원 → 정액·30% 공제 후 1,050,000원"])
    amount: AmountRange


class IncomeComputation(BaseModel):
    """소득인정액 computed from plain facts, by one scheme's method."""

    fact: str = Field(
        description="The fact it stands for in the rules",
        examples=["household.income_recognized_monthly"],
    )
    scheme: Literal["basic_livelihood", "basic_pension", "disability_pension"] = Field(
        description="`basic_livelihood`: 기초생활보장 (also 차상위, 한부모); `basic_pension`: "
        "기초연금 (본인+배우자); `disability_pension`: 장애인연금"
    )
    summary: str = Field(
        description="The computation on one line",
        examples=["소득평가액 630,000원 + 재산의 소득환산액 0원 → 소득인정액 630,000원"],
    )
    income_evaluated: AmountRange = Field(description="소득평가액 (monthly)")
    property_converted: AmountRange = Field(description="재산의 소득환산액 (monthly)")
    total: AmountRange = Field(description="소득인정액 (monthly); a range when inputs are")
    steps: list[IncomeStep] = Field(description="The computation, step by step, in words")
    asks: list[str] = Field(
        description="Request paths that would narrow the range, biggest effect first",
        examples=[["applicant.earned_income_monthly", "household.financial_assets"]],
    )
    verification: Literal["verified", "partial", "unverified"] = Field(
        description="The weakest constant or rule used: anything but `verified` is an estimate"
    )
    notes: list[str] = Field(description="Doubts that make the figure an estimate")


class IncomeUsed(BaseModel):
    """Which 소득인정액 the plan used for a fact: stated (from a notice) or estimated."""

    fact: str = Field(examples=["household.income_recognized_monthly"])
    source: Literal["stated", "estimated"]
    used_by: list[str] = Field(description="Programs whose verdict read it")
    scheme: str | None = None
    summary: str | None = None
    income_evaluated: AmountRange | None = None
    property_converted: AmountRange | None = None
    total: AmountRange | None = None
    steps: list[IncomeStep] = Field(default_factory=list)
    asks: list[str] = Field(default_factory=list)
    verification: Literal["verified", "partial", "unverified"] | None = None
    notes: list[str] = Field(default_factory=list)


class IncomeRecognitionRequest(BaseModel):
    """A household's plain facts (earnings, pensions, home, deposit, savings, debts, car)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "example": {
                "profile": {
                    "applicant": {
                        "age": 40,
                        "earned_income_monthly": 1500000,
                        "business_income_monthly": 0,
                        "pension_income_monthly": 0,
                        "other_income_monthly": 0,
                        "student": "none",
                        "disability_registered": False,
                    },
                    "household": {
                        "size": 1,
                        "sigungu": "11110",
                        "housing": "renter_jeonse",
                        "rent_deposit": 50000000,
                        "financial_assets": 10000000,
                        "other_property": 0,
                        "debts": 0,
                        "car": "none",
                        "private_transfers_monthly": 0,
                    },
                },
                "as_of": "2026-03-02",
            }
        },
    )

    profile: ProfileIn
    as_of: IsoDate | None = Field(default=None, examples=["2026-03-02"])
    locale: LocaleField | None = None


class IncomeRecognition(BaseModel):
    as_of: date
    locale: LocaleField
    catalog_version: str
    computations: list[IncomeComputation] = Field(
        description="기초생활보장 (the household); 기초연금 and 장애인연금 (applicant and spouse)"
    )


class BabyProgram(BaseModel):
    program_id: str = Field(examples=["first-meeting-voucher"])
    name: str = Field(examples=["첫만남이용권"])
    status: Status = Field(description="`eligible` or `needs_info` for the newborn")
    from_: date = Field(alias="from", description="From when: the due date, until born")
    amount: AmountRange | None = None


class ExpectedBirth(BaseModel):
    """A baby on the way and what it will bring once born."""

    member: str = Field(description="Who is pregnant: `applicant` or `members[i]`")
    label: str = Field(examples=["아내(31세)"])
    due_date: date
    programs: list[BabyProgram] = Field(
        description="Programs decided per person the newborn would be eligible for (or may be)"
    )
    note: str


class Turning(BaseModel):
    member: str = Field(description="`applicant` or `members[i]`")
    label: str = Field(examples=["본인(64세)"])
    age: int = Field(examples=[65])
    unit: Literal["years", "months"] = Field(description="만 나이 in years, or months for a baby")


class ComingUpItem(BaseModel):
    """A program whose verdict changes on a future date: a birthday, a residence period
    reached, or a catalog change."""

    on: date = Field(description="From this day (the latest it can be when `approximate`)")
    approximate: bool = Field(
        description="The member's birth date was not given, only a whole age: `on` is the "
        "latest day the change can come"
    )
    program_id: str = Field(examples=["basic-pension"])
    name: str = Field(examples=["기초연금"])
    member: str | None = Field(
        description="Whose verdict changes (per-person programs), else null: the household's"
    )
    change: Literal["starts", "ends"]
    status: Status = Field(description="The verdict from that day")
    amount: AmountRange | None = Field(description="Monthly amount from that day, if it starts")
    turning: list[Turning] = Field(
        description="Birthdays on that day; empty, with `residence_months` null: a catalog change"
    )
    residence_months: int | None = Field(
        default=None,
        description="The months the household has lived in its region on that day, when a "
        "residence condition is met then (from `household.residence_since`); else null",
        examples=[12],
    )
    text: str = Field(
        examples=["본인(64세)이 만 65세가 되는 2027년 3월 14일부터 기초연금을 받을 수도 있어요."]
    )


class Plan(BaseModel):
    as_of: date
    locale: LocaleField
    catalog_version: str = Field(description="Hash of the catalog used; replay with the same")
    emergency_first: bool = Field(description="Emergency help is listed first")
    eligible: list[PlanItem]
    needs_info: list[PlanItem]
    ineligible: list[IneligibleItem] = Field(description="Closest misses first")
    excluded: list[PlanItem] = Field(description="Eligible but superseded by a better option")
    receiving: list[PlanItem] = Field(
        default_factory=list,
        description="Programs the household already receives: not offered again, not in totals",
    )
    counts: Counts = Field(description="How many programs have each status (lists may be cut)")
    by_domain: dict[str, list[str]]
    by_place: list[PlaceGroup]
    documents: list[DocumentItem]
    totals: Totals
    next_questions: list[Question]
    first_steps: list[str] = Field(description="What to do first, in order")
    income_recognition: list[IncomeUsed] = Field(
        default_factory=list,
        description="Which 소득인정액 the plan used: stated, or estimated from plain facts "
        "(with the computation)",
    )
    expected_births: list[ExpectedBirth] = Field(
        default_factory=list,
        description="For each pregnancy with a due date: what the baby will bring, and from when",
    )
    coming_up: list[ComingUpItem] = Field(
        default_factory=list,
        description="Programs that start or end on a known day within 36 months (a birthday, "
        "a catalog change), soonest first",
    )


class QuestionsResponse(BaseModel):
    questions: list[Question] = Field(description="Ask these next, best first")
    done: bool = Field(
        description="No question left that could settle a program: the plan is as final as the "
        "citizen's answers allow"
    )
    undecided: int = Field(description="Programs still needing information", examples=[4])
    counts: Counts = Field(description="How many programs have each status so far")
    plan: Plan | None = Field(
        description="The provisional plan for the profile so far (null when `include_plan` is "
        "false)"
    )


class ProgramEligibility(PlanItem):
    as_of: date
    locale: LocaleField
    catalog_version: str


class PlanCheck(BaseModel):
    """The validated request, normalized, without matching (for form checks and benchmarks)."""

    valid: bool = Field(examples=[True])
    as_of: date
    locale: LocaleField
    request: PlanRequest
