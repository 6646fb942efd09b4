"""Inputs and results of the 소득인정액 calculator (issue #11); ``None`` = not known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.income.intervals import Amount
from app.matching.parameters import Scalar

Use = Literal["ordinary", "business", "disability", "veteran_disability", "multi_child"]
CarKind = Literal["passenger", "van_truck"]
LivelihoodTier = Literal["seoul", "gyeonggi", "metro", "other"]
PensionTier = Literal["metro", "city", "rural"]
Scheme = Literal["basic_livelihood", "basic_pension", "disability_pension"]
Verification = Literal["verified", "partial", "unverified"]

LIVELIHOOD_TIERS: tuple[LivelihoodTier, ...] = ("seoul", "gyeonggi", "metro", "other")
PENSION_TIERS: tuple[PensionTier, ...] = ("metro", "city", "rural")
USES: tuple[Use, ...] = ("ordinary", "business", "disability", "veteran_disability", "multi_child")
CAR_KINDS: tuple[CarKind, ...] = ("passenger", "van_truck")


@dataclass(frozen=True, slots=True)
class PersonIncome:
    """One household member (or pension-unit member); monthly amounts; ``None`` = unknown."""

    age: int | None = None  # 만 나이 on as_of
    disabled: bool | None = None  # 등록장애인
    university_student: bool | None = None
    earned: Amount | None = None  # 근로소득
    business: Amount | None = None  # 사업소득 (총수입 − 필요경비)
    public_transfers: Amount | None = None  # 국민연금·공무원연금·구직급여 등 공적이전
    other: Amount | None = None  # 재산소득 (이자·임대) and other income


@dataclass(frozen=True, slots=True)
class Car:
    value: Amount | None = None  # 차량가액 (보험개발원 기준가액)
    engine_cc: int | None = None
    age_years: int | None = None  # 차령
    kind: CarKind | None = None
    use: Use | None = None  # "ordinary" = none of the exceptions


@dataclass(frozen=True, slots=True)
class Assets:
    """The household's (or, for pensions, the unit's) property; ``None`` = unknown."""

    home_value: Amount | None = None  # own home lived in: 공시가격 / 시가표준액 (0: none)
    deposit: Amount | None = None  # 주택 임차보증금 (0: none)
    other_property: Amount | None = None  # other land/buildings, 상가 보증금, 회원권 …
    financial: Amount | None = None  # deposits, savings, stocks, insurance
    debts: Amount | None = None  # 인정 부채 (0: none)
    cars: tuple[Car, ...] | None = None  # () = no car; None = unknown
    private_transfers: Amount | None = None  # 사적이전소득 monthly (livelihood scheme counts it)


@dataclass(frozen=True, slots=True)
class Ref:
    """A constant a step applies, as its sentence names it: ``role`` (``rate``, ``kept``,
    ``deduction``), the parameter ``income_recognition.<name>`` and the value shown (for ``kept``,
    ``1 − rate``)."""

    role: str
    name: str
    value: Scalar


@dataclass(frozen=True, slots=True)
class Step:
    """One line of a computation, without words: ``app.text.income`` renders it.

    ``key`` is stable per scheme (``income.earned``, ``property.general``; the same key may mean
    a different line in another scheme), ``amount`` its result, ``inputs`` the other amounts its
    sentence names (``earned``: the gross earnings) and ``refs`` the constants it applies.
    """

    scheme: Scheme
    key: str
    amount: Amount
    inputs: tuple[tuple[str, Amount], ...] = ()
    refs: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """Why a figure is an estimate: a doubt about the constant ``income_recognition.<key>``
    (``parameter``), or about a method rule or the inputs (``livelihood.deposit_factor``).
    Words: ``app.text.income.note_text``."""

    key: str
    parameter: bool = False


@dataclass(frozen=True, slots=True)
class Computation:
    scheme: Scheme
    as_of: date
    income_evaluated: Amount  # 소득평가액
    property_converted: Amount  # 재산의 소득환산액
    total: Amount  # 소득인정액
    steps: tuple[Step, ...]
    # inputs still unknown or ranged, with how far each could move ``total`` (None = unbounded),
    # biggest first
    unknown: tuple[tuple[str, int | None], ...]
    verification: Verification  # weakest constant or method rule used
    notes: tuple[Note, ...]  # doubts that make the figure an estimate
