"""The 소득인정액 computation in words (app/text/income.py), in all four locales.

Expected sentences are written out here; the figures are the reference's worked examples
(/work/shared/reference/income-recognition.md §1.5-A aged 30, §2.3-A), computed there by hand.
Money in Vietnamese and Chinese goes through ``formats.money`` (the core's pattern, not this
domain's), so those expectations build it with ``won``; the digits are checked literally.
"""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

import app.income
from app.income import (
    Amount,
    Assets,
    Computation,
    Note,
    PersonIncome,
    basic_livelihood,
    basic_pension,
    disability_pension,
)
from app.matching.parameters import ParameterSet
from app.text.formats import money
from app.text.income import (
    amount_text,
    note_message,
    note_text,
    percent,
    render,
    step_message,
    step_text,
    summary,
)
from app.text.locales import supported
from app.text.messages import catalog, has

E = Amount.exact
AS_OF = date(2026, 3, 2)
LOCALES = ("ko", "en", "vi", "zh-Hans")


def won(n: int, tag: str) -> str:
    return money(n, tag)


def _person(**kw: object) -> PersonIncome:
    base: dict[str, object] = dict(
        age=30, disabled=False, university_student=False, earned=E(1_500_000), business=E(0),
        public_transfers=E(0), other=E(0),
    )  # fmt: skip
    base.update(kw)
    return PersonIncome(**base)  # type: ignore[arg-type]


# §1.5-A: 서울, 근로 150만, 전세 보증금 5,000만, 예금 1,000만, no car, no debt
ASSETS = Assets(
    home_value=E(0), deposit=E(50_000_000), other_property=E(0), financial=E(10_000_000),
    debts=E(0), cars=(), private_transfers=E(0),
)  # fmt: skip


@pytest.fixture
def youth(parameters: ParameterSet) -> Computation:
    """Aged 30 in 2026: (1,500,000 − 600,000) × 0.7 = 630,000; property wiped by 9,900만."""
    return basic_livelihood([_person()], ASSETS, "seoul", AS_OF, parameters)


@pytest.fixture
def senior(parameters: ParameterSet) -> Computation:
    """기초연금 at 67, 대도시: (1,500,000 − 1,160,000) × 0.7 = 238,000; 보증금 × 0.95 = 4,750만."""
    return basic_pension([_person(age=67)], ASSETS, "metro", AS_OF, parameters)


def test_the_worked_example_in_korean(youth: Computation) -> None:
    text = render(youth, "ko")
    assert text.summary == "소득평가액 630,000원 + 재산의 소득환산액 0원 → 소득인정액 630,000원"
    assert text.steps == (
        "근로·사업소득 1,500,000원 → 정액·30% 공제 후 630,000원",
        "공적·사적 이전소득과 기타소득: 0원",
        "소득평가액: 630,000원",
        "주거용재산 (한도 적용): 50,000,000원",
        "일반재산 (한도 초과분·차량 포함): 0원",
        "금융재산 (생활준비금 공제 후): 5,000,000원",
        "기본재산액 + 부채: 99,000,000원",
        "주거용재산 남은 금액 × 1.04%: 0원",
        "일반재산 남은 금액 × 4.17%: 0원",
        "금융재산 남은 금액 × 6.26%: 0원",
        "자동차 100% 반영: 0원",
        "재산의 소득환산액: 0원",
        "소득인정액: 630,000원",
    )
    assert "생활준비금 500만원은 2차 자료로만 확인했습니다 (600만원이라는 2026년 자료도 있음)." in (
        text.notes
    )


def test_the_worked_example_in_english(youth: Computation) -> None:
    text = render(youth, "en")
    assert text.summary == (
        "evaluated income KRW 630,000 + converted assets KRW 0 → recognized income KRW 630,000"
    )
    assert text.steps[0] == (
        "Earned and business income KRW 1,500,000 → KRW 630,000 after the flat and 30% deductions"
    )
    assert text.steps[-1] == "Recognized income: KRW 630,000"
    assert (
        "The KRW 5,000,000 living reserve comes from secondary pages (one 2026 page says "
        "KRW 6,000,000)." in text.notes
    )


def test_the_worked_example_in_vietnamese(youth: Computation) -> None:
    text = render(youth, "vi")
    assert "630.000" in won(630_000, "vi")  # Vietnamese groups thousands with dots
    assert text.summary == (
        f"Thu nhập được đánh giá (소득평가액) {won(630_000, 'vi')} + tài sản quy đổi thành thu "
        f"nhập (재산의 소득환산액) {won(0, 'vi')} → mức thu nhập được công nhận (소득인정액) "
        f"{won(630_000, 'vi')}"
    )
    assert text.steps[0] == (
        f"Thu nhập từ lao động và kinh doanh {won(1_500_000, 'vi')} → {won(630_000, 'vi')} sau "
        "khi trừ khoản khấu trừ cố định và 30%"
    )
    assert text.steps[6] == (
        f"Mức khấu trừ tài sản cơ bản (기본재산액) + nợ: {won(99_000_000, 'vi')}"
    )
    assert text.steps[7] == f"Phần tài sản nhà ở còn lại × 1,04%: {won(0, 'vi')}"
    assert text.steps[-1] == f"Mức thu nhập được công nhận (소득인정액): {won(630_000, 'vi')}"
    assert (
        "Tiền đặt cọc thuê nhà được tính toàn bộ là tài sản nhà ở (có một nguồn chưa được xác "
        "nhận chỉ tính 95%)." in text.notes
    )


def test_the_worked_example_in_chinese(youth: Computation) -> None:
    text = render(youth, "zh-Hans")
    assert "630,000" in won(630_000, "zh-Hans")
    assert text.summary == (
        f"评估收入额（소득평가액）{won(630_000, 'zh-Hans')} + 财产折算收入额（재산의 소득환산액）"
        f"{won(0, 'zh-Hans')} → 认定收入额（소득인정액）{won(630_000, 'zh-Hans')}"
    )
    assert text.steps[0] == (
        f"工资及经营收入 {won(1_500_000, 'zh-Hans')} → 扣除定额扣除额和30%后为 "
        f"{won(630_000, 'zh-Hans')}"
    )
    assert text.steps[5] == (
        f"扣除生活准备金（생활준비금）后的金融财产（금융재산）：{won(5_000_000, 'zh-Hans')}"
    )
    assert text.steps[-1] == f"认定收入额（소득인정액）：{won(630_000, 'zh-Hans')}"


def test_the_pension_steps_name_their_constants(senior: Computation) -> None:
    assert senior.total == E(238_000)
    first, financial, converted = senior.steps[0], senior.steps[5], senior.steps[8]
    assert [r.name for r in first.refs] == ["basic_pension_earned_rate"]
    assert step_text(first, "ko") == "근로소득 1,500,000원 → 1인별 공제 후 70% 반영 238,000원"
    assert step_text(first, "en") == (
        "Earned income KRW 1,500,000 → KRW 238,000 after the per-person deduction, 70% counted"
    )
    assert step_text(first, "vi") == (
        f"Thu nhập từ lao động {won(1_500_000, 'vi')} → {won(238_000, 'vi')} sau khi trừ khoản "
        "khấu trừ cho mỗi người và chỉ tính 70%"
    )
    assert step_text(first, "zh-Hans") == (
        f"工资收入 {won(1_500_000, 'zh-Hans')} → 扣除每人扣除额后按70%计入，为 "
        f"{won(238_000, 'zh-Hans')}"
    )
    assert step_text(senior.steps[3], "ko") == "일반재산 (주택·보증금·토지·차량): 47,500,000원"
    assert step_text(financial, "ko") == "금융재산 − 2,000만원: 0원"
    assert step_text(financial, "en") == "Financial property − KRW 20,000,000: KRW 0"
    assert step_text(converted, "ko") == "× 연 4% ÷ 12: 0원"
    assert step_text(converted, "zh-Hans") == f"× 年4% ÷ 12：{won(0, 'zh-Hans')}"


def test_ranges_and_open_amounts() -> None:
    assert amount_text(Amount(1_000_000, 1_200_000), "ko") == "1,000,000원~1,200,000원"
    assert amount_text(Amount(1_000_000, 1_200_000), "en") == "KRW 1,000,000 to KRW 1,200,000"
    assert amount_text(Amount(1_050_000, None), "ko") == "1,050,000원 이상"
    assert amount_text(Amount(1_050_000, None), "en") == "at least KRW 1,050,000"


def test_an_open_input_makes_the_summary_a_range(parameters: ParameterSet) -> None:
    assets = Assets(
        home_value=E(0), deposit=E(50_000_000), other_property=E(0), financial=None, debts=E(0),
        cars=(), private_transfers=E(0),
    )  # fmt: skip
    c = basic_livelihood([_person(age=40)], assets, "seoul", AS_OF, parameters)
    assert summary(c, "ko") == (
        "소득평가액 1,050,000원 + 재산의 소득환산액 0원 이상 → 소득인정액 1,050,000원 이상"
    )
    assert note_text(c.notes[-1], "ko") == (
        "모르거나 범위로 답한 항목이 있어 소득인정액을 범위로 보여 드립니다."
    )
    assert note_text(c.notes[-1], "zh-Hans") == (
        "有些回答不明确或是一个范围，因此认定收入额（소득인정액）以范围显示。"
    )


def test_percentages_follow_the_locale() -> None:
    assert percent(0.0104, "ko") == "1.04%"
    assert percent(0.0104, "vi") == "1,04%"
    assert percent(0.0626, "zh-Hans") == "6.26%"
    assert percent(0.3, "en") == "30%"
    assert percent(1, "ko") == "100%"


def test_a_constant_without_its_own_doubt_gets_the_general_one() -> None:
    note = Note("a_constant_added_later", parameter=True)
    assert note_message(note) == "income.doubt.other"
    assert note_text(note, "en") == (
        "One of the constants used is not yet confirmed by an official text."
    )
    assert note_text(note, "vi") == (
        "Một trong các giá trị chuẩn dùng để tính chưa được xác nhận bằng văn bản chính thức."
    )


def _every_step(parameters: ParameterSet) -> list[Computation]:
    unknown = Assets()  # everything unknown: every step, notes for the open inputs
    person = PersonIncome()
    return [
        basic_livelihood([person], unknown, None, AS_OF, parameters),
        basic_livelihood([person], unknown, None, date(2024, 6, 1), parameters),
        basic_pension([person, person], unknown, None, AS_OF, parameters),
        disability_pension([person], unknown, None, AS_OF, parameters),
    ]


def test_every_step_and_note_has_words_in_every_locale(parameters: ParameterSet) -> None:
    assert set(LOCALES) <= set(supported())
    for c in _every_step(parameters):
        for step in c.steps:
            for tag in LOCALES:
                assert has(tag, step_message(step)), (tag, c.scheme, step.key)
        for note in c.notes:
            for tag in LOCALES:
                assert has(tag, note_message(note)), (tag, note.key)
        for tag in LOCALES:
            render(c, tag)  # no missing argument


def test_every_note_the_calculator_can_raise_is_worded() -> None:
    package = Path(app.income.__file__).parent
    source = "\n".join(p.read_text() for p in package.glob("*.py"))
    keys = set(re.findall(r'book\.(?:note|method)\(\s*"([a-z0-9_.]+)"', source))
    assert len(keys) >= 9
    worded = {m.removeprefix("income.note.") for m in catalog("ko") if m.startswith("income.note.")}
    assert keys == worded
    for key in keys:
        for tag in LOCALES:
            assert has(tag, f"income.note.{key}"), (tag, key)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_translation_fills_the_same_fields_as_the_korean() -> None:
    korean = {k: v for k, v in catalog("ko").items() if k.startswith("income.")}
    assert len(korean) >= 50
    for tag in ("en", "vi", "zh-Hans"):
        theirs = {k: v for k, v in catalog(tag).items() if k.startswith("income.")}
        assert set(theirs) == set(korean), tag
        for message_id, template in korean.items():
            assert _fields(theirs[message_id]) == _fields(template), (tag, message_id)
            specs = [spec for _, _, spec, _ in string.Formatter().parse(theirs[message_id])]
            assert not any(specs), (tag, message_id)  # Korean particles only in Korean
