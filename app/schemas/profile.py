"""The citizen's profile as a request body: applicant, other household members, household facts.

Every field is optional (missing is never zero); numbers may be a range (`{"min": .., "max": ..}`)
where a kiosk asks in bands. Facts are strict: no value is coerced into another type (`true` is not
an age, `"12"` is not 12, `"yes"` is not a boolean); dates are `YYYY-MM-DD` strings; a whole number
may be written `1.0`. Field names are the fact registry's names without their prefix; a test
keeps this schema and the registry in step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.catalog.regions import UnknownSigungu, sigungu
from app.matching import (
    SIDO_CODES,
    Profile,
    Relation,
    SidoCode,
    Stage,
)
from app.schemas.common import WHOLE_FLOAT_AS_INT, IsoDate, WholeNumber

REGION_CODES = SIDO_CODES
MAX_MONEY = 100_000_000_000  # 1,000억 원: anything above is a typo, not a household
MAX_AGE = 120

Money = Annotated[int, Strict(), Field(ge=0, le=MAX_MONEY), WHOLE_FLOAT_AS_INT]
Years = Annotated[int, Strict(), Field(ge=0, le=MAX_AGE), WHOLE_FLOAT_AS_INT]

Region = SidoCode
Receives = Literal[
    "basic-livelihood",
    "medical-aid",
    "housing-benefit",
    "education-benefit",
    "near-poverty",
    "basic-pension",
    "disability-pension",
    "unemployment-benefit",
    "self-sufficiency-work",
    "single-parent-child-support",
    "disability-allowance",
    "child-allowance",
    "parent-benefit",
    "home-childcare-allowance",
    "childcare-fee-support",
    "senior-customized-care",
    "long-term-care",
    "senior-jobs-public-interest",
    "senior-jobs-social-service",
    "senior-jobs-market",
    "national-employment-support-1",
    "national-employment-support-2",
    "youth-monthly-rent",
    "energy-voucher",
    "culture-nuri-card",
    "veterans-war-honor-allowance",
]
ReceivedBefore = Literal[
    "first-meeting-voucher",
    "youth-monthly-rent",
    "youth-leap-account",
    "youth-tomorrow-savings",
    "national-employment-support-1",
]
Crisis = Literal[
    "earner_death",
    "earner_missing",
    "serious_illness",
    "abuse_violence",
    "fire_disaster",
    "job_loss",
    "business_closure",
    "utility_cutoff",
    "eviction",
    "other",
]


def _sigungu_code(code: str) -> str:
    try:
        return sigungu(code).code  # a 2026 전남광주 code gives the code the catalog keeps
    except UnknownSigungu:
        raise PydanticCustomError(
            "unknown_sigungu", "Unknown 시군구 code (5 digits, e.g. 27110)"
        ) from None


SigunguCode = Annotated[str, Strict(), Field(pattern=r"^\d{5}$"), AfterValidator(_sigungu_code)]


class _Range(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    min: WholeNumber | None
    max: WholeNumber | None

    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        low, high = self.min, self.max
        if low is None and high is None:
            raise PydanticCustomError("range_empty", "A range needs min, max or both")
        if low is not None and high is not None and low > high:
            raise PydanticCustomError("range_order", "The range minimum is above its maximum")
        return self


class MoneyRange(_Range):
    """A money band in KRW, inclusive; either end may be open."""

    min: Money | None = Field(default=None, examples=[2_000_000])
    max: Money | None = Field(default=None, examples=[3_000_000])


class AgeRange(_Range):
    """An age band in years (만 나이), inclusive; either end may be open."""

    min: Years | None = Field(default=None, examples=[35])
    max: Years | None = Field(default=None, examples=[64])


def _exact_or_range(value: Any) -> str:
    return "range" if isinstance(value, dict | _Range) else "exact"


MoneyOrRange = Annotated[
    Annotated[Money, Tag("exact")] | Annotated[MoneyRange, Tag("range")],
    Discriminator(_exact_or_range),
]
Age = Annotated[
    Annotated[Years, Tag("exact")] | Annotated[AgeRange, Tag("range")],
    Discriminator(_exact_or_range),
]


class PersonIn(BaseModel):
    """Facts about one person. Omit what you do not know."""

    model_config = ConfigDict(extra="forbid", strict=True)

    birth_date: IsoDate | None = Field(
        default=None, description="생년월일", examples=["1958-05-14"]
    )
    age: Age | None = Field(default=None, description="만 나이 (or a band)", examples=[67])
    age_months: (
        Annotated[int, Strict(), Field(ge=0, le=MAX_AGE * 12), WHOLE_FLOAT_AS_INT] | None
    ) = Field(
        default=None, description="태어난 지 몇 개월 (for babies; 만 나이 follows)", examples=[10]
    )
    stage: Stage | None = Field(default=None, description="생애주기 (implies an age band)")
    sex: Literal["female", "male"] | None = None
    nationality: Literal["KR", "foreign"] | None = None
    pregnant: bool | None = Field(default=None, description="임신 중 (sensitive)")
    birth_order: Annotated[int, Strict(), Field(ge=1, le=20), WHOLE_FLOAT_AS_INT] | None = Field(
        default=None, description="몇째 자녀인지 (첫째 = 1)"
    )
    disability_registered: bool | None = Field(default=None, description="등록장애인 (sensitive)")
    disability_severe: bool | None = Field(
        default=None, description="장애의 정도가 심한 장애인 (sensitive)"
    )
    student: Literal["none", "elementary", "middle", "high", "university"] | None = None
    childcare: Literal["home", "daycare", "kindergarten"] | None = Field(
        default=None, description="취학 전 아동의 돌봄 방식"
    )
    employment_status: Literal["employed", "self_employed", "unemployed", "not_working"] | None = (
        Field(default=None, description="unemployed = 구직 중")
    )
    earned_income_monthly: MoneyOrRange | None = Field(
        default=None, description="월 근로소득 (세전, 원)"
    )
    business_income_monthly: MoneyOrRange | None = Field(
        default=None, description="월 사업소득 (매출 − 필요경비, 원)"
    )
    pension_income_monthly: MoneyOrRange | None = Field(
        default=None,
        description="월 연금·공적 급여 (국민연금·공무원연금·실업급여 등, 기초연금 제외, 원)",
    )
    other_income_monthly: MoneyOrRange | None = Field(
        default=None, description="그 밖의 월 소득 (이자·임대료 등, 원)"
    )
    employer_health_insurance: bool | None = Field(default=None, description="직장 건강보험 가입")
    public_pension: bool | None = Field(
        default=None, description="공무원·사학·군인·별정우체국 연금 수급권자"
    )
    involuntary_job_loss: bool | None = Field(
        default=None, description="최근 12개월 내 비자발적 이직, 고용보험 180일 이상"
    )
    work_experience_100d: bool | None = Field(
        default=None, description="최근 2년 내 취업경험 100일(800시간) 이상"
    )
    long_term_care_grade: bool | None = Field(default=None, description="장기요양 등급 보유")
    daily_living_difficulty: bool | None = Field(
        default=None, description="6개월 이상 혼자 일상생활이 어려움 (sensitive)"
    )
    care_need: bool | None = Field(default=None, description="돌봄이 필요함 (독거·고립 등)")
    veteran: bool | None = Field(default=None, description="등록 참전유공자")
    marriage_immigrant: bool | None = Field(default=None, description="결혼이민자")
    years_since_entry: (
        Annotated[int, Strict(), Field(ge=0, le=MAX_AGE), WHOLE_FLOAT_AS_INT] | None
    ) = Field(default=None, description="처음 입국한 뒤 지난 햇수")
    naturalized_within_3y: bool | None = Field(default=None, description="귀화 후 3년 이내")
    out_of_school: bool | None = Field(default=None, description="학교 밖 청소년")
    at_risk_youth: bool | None = Field(default=None, description="위기청소년 (sensitive)")
    care_leaver: bool | None = Field(default=None, description="보호종료 5년 이내 자립준비청년")
    literacy_incomplete: bool | None = Field(default=None, description="초등·중학 과정 미이수")
    high_risk_pregnancy: bool | None = Field(
        default=None, description="고위험 임신질환으로 입원 (sensitive)"
    )
    infertility_diagnosed: bool | None = Field(default=None, description="난임 진단 (sensitive)")
    mental_health_referral: bool | None = Field(
        default=None, description="심리상담 의뢰·진단서 보유 (sensitive)"
    )
    lives_apart_from_parents: bool | None = Field(default=None, description="부모와 따로 거주")
    married: bool | None = Field(
        default=None, description="배우자 있음 (따로 살아도 혼인 중이면 true)"
    )
    couple_income_recognized_monthly: MoneyOrRange | None = Field(
        default=None,
        description="본인과 배우자의 월 소득인정액 (기초연금·장애인연금 기준, 원); for the "
        "applicant, `pension_unit.income_recognized_monthly` says the same",
    )
    receives: list[Receives] | None = Field(
        default=None,
        description="이 사람이 이미 받고 있는 급여 (기초연금처럼 개인이 받는 것)",
        examples=[["basic-pension"]],
    )
    received_before: list[ReceivedBefore] | None = Field(
        default=None,
        description="예전에 이미 받은 한 번뿐이거나 횟수가 정해진 지원",
        examples=[["first-meeting-voucher"]],
    )
    due_date: IsoDate | None = Field(
        default=None, description="출산 예정일 (sensitive)", examples=["2027-03-10"]
    )
    expected_child_order: (
        Annotated[int, Strict(), Field(ge=1, le=20), WHOLE_FLOAT_AS_INT] | None
    ) = Field(default=None, description="태어날 아기가 몇째인지 (첫째 = 1)")
    military_service_months: (
        Annotated[int, Strict(), Field(ge=0, le=60), WHOLE_FLOAT_AS_INT] | None
    ) = Field(default=None, description="군 복무(사회복무 포함) 개월 수, 안 했으면 0")
    employment_insurance: bool | None = Field(default=None, description="지금 고용보험 가입")


class MemberIn(PersonIn):
    """Another household member; the relation to the applicant is required."""

    relation: Relation = Field(description="신청인과의 관계", examples=["spouse"])


class HouseholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    size: Annotated[int, Strict(), Field(ge=1, le=30), WHOLE_FLOAT_AS_INT] | None = Field(
        default=None, description="가구원 수 (default: applicant + members)"
    )
    region: Region | None = Field(default=None, description="시도 코드 (27 = 대구)")
    sigungu: SigunguCode | None = Field(
        default=None,
        description="시군구 코드 (행정표준코드 5자리, 27110 = 대구 중구; 2026년 전남광주 "
        "12xxx 코드도 받음). 소득인정액의 기본재산액 급지와 기초연금의 대도시·중소도시·농어촌을 "
        "정합니다; 시도 코드는 여기서 따라옵니다",
        examples=["27110"],
    )
    urban_class: Literal["metropolitan", "small_city", "rural"] | None = None
    income_recognized_monthly: MoneyOrRange | None = Field(
        default=None,
        description="월 소득인정액 (소득 + 재산 환산액, 원); a band is fine",
        examples=[1_200_000],
    )
    assets: MoneyOrRange | None = Field(default=None, description="재산 합계 (원)")
    private_transfers_monthly: MoneyOrRange | None = Field(
        default=None, description="따로 사는 가족 등에게서 정기적으로 받는 생활비 (월, 원)"
    )
    home_value: MoneyOrRange | None = Field(
        default=None, description="사는 집이 가구 소유일 때 그 집의 공시가격 (원, 없으면 0)"
    )
    other_property: MoneyOrRange | None = Field(
        default=None, description="그 밖의 토지·건물·상가 보증금 등 (원)"
    )
    debts: MoneyOrRange | None = Field(default=None, description="금융기관 빚 (원)")
    car: Literal["none", "ordinary", "business", "disability", "multi_child"] | None = Field(
        default=None, description="자동차: 없음 / 보통 / 생업용 / 장애인 이동용 / 다자녀 가구"
    )
    car_value: MoneyOrRange | None = Field(default=None, description="자동차 가액 (원)")
    car_engine_cc: Annotated[int, Strict(), Field(ge=0, le=10_000), WHOLE_FLOAT_AS_INT] | None = (
        Field(default=None, description="배기량 (cc)")
    )
    car_age_years: Annotated[int, Strict(), Field(ge=0, le=60), WHOLE_FLOAT_AS_INT] | None = Field(
        default=None, description="차령 (년)"
    )
    financial_assets: MoneyOrRange | None = Field(default=None, description="금융재산 (원)")
    housing: (
        Literal["owner", "renter_monthly", "renter_jeonse", "public_rental", "other"] | None
    ) = None
    rent_monthly: MoneyOrRange | None = Field(default=None, description="월세 (원)")
    rent_deposit: MoneyOrRange | None = Field(default=None, description="임차보증금 (원)")
    single_parent: bool | None = Field(default=None, description="한부모·조손 가족")
    multicultural: bool | None = Field(default=None, description="다문화가족")
    care_gap: bool | None = Field(default=None, description="맞벌이 등으로 양육 공백")
    receives: list[Receives] | None = Field(
        default=None, description="이미 받고 있는 급여·자격", examples=[["basic-pension"]]
    )
    crisis: list[Crisis] | None = Field(default=None, description="긴급 위기사유")
    residence_since: IsoDate | None = Field(
        default=None,
        description="지금 사는 시·도에 전입한 날 (거주 기간 조건이 있는 지역 사업)",
        examples=["2023-04-01"],
    )
    no_home: bool | None = Field(default=None, description="가구원 모두 무주택")
    obligor_high_means: bool | None = Field(
        default=None,
        description="부양의무자(부모·자녀와 그 배우자) 가운데 연 소득 1억 원 또는 재산 9억 원 초과",
    )
    obligor_can_support: bool | None = Field(
        default=None, description="따로 사는 부양의무자에게 부양능력이 있음 (의료급여)"
    )


class PensionUnitIn(BaseModel):
    """기초연금·장애인연금 심사 단위: the applicant and spouse only."""

    model_config = ConfigDict(extra="forbid", strict=True)

    income_recognized_monthly: MoneyOrRange | None = Field(
        default=None, description="본인과 배우자의 월 소득인정액 (원)"
    )
    is_couple: bool | None = Field(default=None, description="배우자가 있음")


class ParentsIn(BaseModel):
    """원가구: the parents' household of a young applicant who lives apart (청년월세 and the like
    decide on the parents' income and assets too)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    size: Annotated[int, Strict(), Field(ge=1, le=30), WHOLE_FLOAT_AS_INT] | None = Field(
        default=None, description="부모님 가구(원가구)의 가구원 수"
    )
    income_recognized_monthly: MoneyOrRange | None = Field(
        default=None, description="부모님 가구의 월 소득인정액 (원)"
    )
    assets: MoneyOrRange | None = Field(default=None, description="부모님 가구의 재산 (원)")


class ProfileIn(BaseModel):
    """What the citizen told us. Nothing here is stored unless the request consents to it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    applicant: PersonIn = Field(default_factory=PersonIn)
    members: list[MemberIn] = Field(default_factory=list, max_length=20)
    household: HouseholdIn = Field(default_factory=HouseholdIn)
    pension_unit: PensionUnitIn = Field(default_factory=PensionUnitIn)
    parents: ParentsIn = Field(default_factory=ParentsIn)

    def to_engine(self) -> Profile:
        """The engine's ``Profile``: field names are the fact names, missing stays missing."""
        return Profile(
            applicant=self.applicant.model_dump(exclude_none=True),
            members=[m.model_dump(exclude_none=True) for m in self.members],
            household=self.household.model_dump(exclude_none=True),
            pension_unit=self.pension_unit.model_dump(exclude_none=True),
            parents=self.parents.model_dump(exclude_none=True),
        )

    @model_validator(mode="after")
    def _sigungu_in_region(self) -> ProfileIn:
        code, region = self.household.sigungu, self.household.region
        if code is not None and region is not None and sigungu(code).sido != region:
            raise PydanticCustomError(
                "sigungu_region", "household.sigungu is not in household.region"
            )
        return self

    @model_validator(mode="after")
    def _size_covers_members(self) -> ProfileIn:
        size = self.household.size
        if size is not None and size < 1 + len(self.members):
            raise PydanticCustomError(
                "household_too_small", "household.size is smaller than the listed members"
            )
        return self
