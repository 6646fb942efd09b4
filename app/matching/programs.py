"""Program specifications (contract §5): what a program is, who it is for, how to apply."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.matching.rules import Amount, Rule
from app.matching.text import LocalizedText

__all__ = [
    "ApplyChannel",
    "Benefit",
    "Bridge",
    "DocumentSpec",
    "Domain",
    "Exclusion",
    "LocalizedText",
    "ProgramSpec",
    "Settled",
    "Source",
]

from app.matching.vocabulary import (
    BenefitKind,
    Channel,
    Domain,
    Need,
    RegionCode,
    Stage,
    Verification,
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Period = Literal["once", "monthly", "yearly"]


class Benefit(_Spec):
    kind: BenefitKind
    amount: Amount | None = None
    description: LocalizedText
    # how often the amount is paid when the kind does not say it (a voucher paid monthly)
    period: Period | None = None
    # the most a person may receive over time (e.g. 12 months); for one-time comparisons only
    months: int | None = Field(default=None, ge=1, le=120)


class ApplyChannel(_Spec):
    channel: Channel
    url: str | None = None
    phone: str | None = None
    note: LocalizedText | None = None

    @model_validator(mode="after")
    def _online_needs_url(self) -> ApplyChannel:
        if self.channel == "online" and not self.url:
            raise PydanticCustomError("online_channel_url", "an online channel needs a url")
        return self


class Exclusion(_Spec):
    program: str = Field(pattern=SLUG)
    prefer: Literal["higher_benefit", "this", "other"]
    reason: LocalizedText


class Settled(_Spec):
    """A fact that receiving the program settles (``person.public_pension: false`` for a 기초연금
    recipient): applied where the citizen has not said otherwise."""

    fact: str
    value: bool | int | str


class Bridge(_Spec):
    """Help that runs *until* another program is decided (긴급복지 until 기초생활): both are
    listed, and totals count the program bridged to, not both."""

    program: str = Field(pattern=SLUG)
    reason: LocalizedText


class Source(_Spec):
    url: str = Field(pattern=r"^https?://")
    title: str = Field(min_length=1)


class ProgramSpec(_Spec):
    """One program as written in ``programs/<domain>/<id>.yaml``."""

    id: str = Field(pattern=SLUG)
    name: LocalizedText
    summary: LocalizedText
    domain: Domain
    stages: tuple[Stage, ...] = ()
    targets: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    agency: LocalizedText
    regions: tuple[RegionCode, ...] = ("KR",)
    effective_from: date
    effective_to: date | None = None
    verification: Verification
    verification_note: LocalizedText | None = None
    is_emergency: bool = False
    # who the program is for: a member rule (person.*). With it the eligibility is decided for
    # every listed household member the rule does not exclude, person.* meaning that member.
    who: Rule | None = None
    # who is paid: ``employer`` programs are listed for the citizen to mention, never totalled
    recipient: Literal["citizen", "employer"] = "citizen"
    eligibility: Rule
    benefit: Benefit
    apply: tuple[ApplyChannel, ...] = Field(min_length=1)
    documents: tuple[str, ...] = ()
    excludes: tuple[Exclusion, ...] = ()
    prerequisites: tuple[str, ...] = ()
    # programs whose benefit counts as this program's income (기초연금 in 생계급여's 소득인정액):
    # when the plan newly grants them, this program's amount falls by theirs
    income_includes: tuple[str, ...] = ()
    bridge_to: tuple[Bridge, ...] = ()
    receipt_settles: tuple[Settled, ...] = ()
    legal_basis: LocalizedText | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProgramSpec:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise PydanticCustomError("effective_range", "effective_to is before effective_from")
        return self

    def is_in_effect(self, as_of: date) -> bool:
        return self.effective_from <= as_of and (
            self.effective_to is None or as_of <= self.effective_to
        )

    @property
    def is_national(self) -> bool:
        return "KR" in self.regions

    @property
    def is_per_person(self) -> bool:
        return self.who is not None


class DocumentSpec(_Spec):
    """An entry of the shared document dictionary (``documents.yaml``)."""

    id: str = Field(pattern=SLUG)
    name: LocalizedText
    note: LocalizedText | None = None
