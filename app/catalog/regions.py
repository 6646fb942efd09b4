"""시군구 codes and their 급지 for the 소득인정액 schemes (catalog data: data/regions/sigungu.yaml).

``sigungu("11110")`` is 종로구; ``livelihood_tier`` gives the 기초생활보장 기본재산액 구분 (seoul /
gyeonggi / metro / other) and ``pension_tier`` the 기초연금·장애인연금 구분 (metro / city / rural).
A 광주·전남 row is also found by its code since 2026-07-01 (전남광주통합특별시, 시도 12).
The YAML is built by scripts/build_sigungu.py; docs/regions.md says how and lists the doubts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).parent / "data" / "regions" / "sigungu.yaml"

LivelihoodTier = Literal["seoul", "gyeonggi", "metro", "other"]
PensionTier = Literal["metro", "city", "rural"]
Verification = Literal["verified", "partial", "unverified"]
Kind = Literal["gu", "si", "gun", "general_gu", "admin_si", "sejong"]
Checked = Literal["code", "livelihood_tier", "pension_tier"]


class UnknownSigungu(LookupError):
    """A code that is not a 시군구 of the catalog."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"unknown 시군구 code {code!r} (expected 5 digits, e.g. '11110' 종로구)")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Name(_Frozen):
    """The official name and its Revised Romanization, as the list records them. What a citizen
    reads is the text layer's ``region.sigungu.<code>`` (``facts.po``, every locale; its ko and en
    are these, tests/text/test_facts_catalog.py)."""

    ko: str
    en: str


class Sigungu(_Frozen):
    code: str = Field(pattern=r"^\d{5}$")
    name: Name
    sido: str = Field(pattern=r"^\d{2}$")
    kind: Kind
    parent: str | None = None  # the 시 of a 일반구
    code_2026: str | None = None  # 광주·전남: code since 2026-07-01 (시도 12)
    livelihood_tier: LivelihoodTier
    pension_tier: PensionTier
    verification: dict[Checked, Verification] = Field(default_factory=dict)
    note: str | None = None


class Source(_Frozen):
    package: str
    file: str
    upstream: str
    upstream_retrieved: str
    upstream_sha256: str
    cross_check: str
    generator: str


class SigunguFile(_Frozen):
    source: Source
    as_of: str
    verification: dict[Checked, Verification]
    sigungu: list[Sigungu]


@cache
def _file() -> SigunguFile:
    parsed = SigunguFile.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))
    defaults = parsed.verification
    rows = [
        row.model_copy(update={"verification": {**defaults, **row.verification}})
        for row in parsed.sigungu
    ]
    return parsed.model_copy(update={"sigungu": rows})


@cache
def _index() -> dict[str, Sigungu]:
    index: dict[str, Sigungu] = {}
    for row in _file().sigungu:
        for code in (row.code, row.code_2026):
            if code is None:
                continue
            if code in index:
                raise ValueError(f"{DATA.name}: code {code} appears twice")
            index[code] = row
    return index


def source() -> Source:
    """Where the list comes from (package, file, upstream and its retrieval date)."""
    return _file().source


def all_sigungu() -> tuple[Sigungu, ...]:
    """Every row in code order, each with its verification per field filled in."""
    return tuple(_file().sigungu)


def sigungu(code: str) -> Sigungu:
    """The 시군구 of a 5-digit code, else ``UnknownSigungu``.

    A 2026 전남광주 code (12xxx) gives its 29/46 row.
    """
    try:
        return _index()[code]
    except (KeyError, TypeError):
        raise UnknownSigungu(code) from None


def livelihood_tier(code: str) -> LivelihoodTier:
    """기초생활보장 기본재산액·주거용재산 한도 구분 of a 시군구 code."""
    return sigungu(code).livelihood_tier


def pension_tier(code: str) -> PensionTier:
    """기초연금·장애인연금 기본재산액 구분 (대도시 / 중소도시 / 농어촌) of a 시군구 code."""
    return sigungu(code).pension_tier
