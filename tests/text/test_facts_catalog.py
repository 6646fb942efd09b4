"""Fact wording lives in the ``facts`` message catalogs, complete in every locale.

Expected strings are written out here; the catalogs are read only to compare them with each
other and with the registry (which ids exist), never as the expected value of a wording test.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.catalog.regions import all_sigungu
from app.matching.errors import UnknownFact
from app.matching.facts import FACTS
from app.matching.registry import SIDO
from app.text.facts import fact_label, fact_question, option_label, options
from app.text.locales import BUILTIN_DIR, babel_locale

LOCALES = ("ko", "en", "vi", "zh-Hans")


def read(locale: str) -> dict[str, str]:
    """``facts.po`` of one locale as id → template, failing on fuzzy, empty or repeated ids."""
    path = BUILTIN_DIR / locale / "facts.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=babel_locale(locale))
    found: dict[str, str] = {}
    for message in po:
        if not message.id:
            continue
        assert isinstance(message.id, str) and isinstance(message.string, str), message.id
        assert message.string.strip() and not message.fuzzy, (locale, message.id)
        assert message.id not in found, (locale, message.id)
        found[message.id] = message.string
    header = Path(path).read_text(encoding="utf-8")
    assert f'"Language: {locale}\\n"' in header
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.fixture(scope="module")
def catalogs() -> dict[str, dict[str, str]]:
    return {locale: read(locale) for locale in LOCALES}


def test_every_locale_has_the_same_messages_with_the_same_placeholders(
    catalogs: dict[str, dict[str, str]],
) -> None:
    korean = catalogs["ko"]
    for locale, messages in catalogs.items():
        assert set(messages) == set(korean), locale
        for message_id, template in messages.items():
            assert fields(template) == fields(korean[message_id]), (locale, message_id)


def test_korean_names_and_asks_every_fact_and_every_option(
    catalogs: dict[str, dict[str, str]],
) -> None:
    korean = catalogs["ko"]
    sigungu = {row.code for row in all_sigungu()}
    for spec in FACTS.values():
        assert f"fact.{spec.id}.label" in korean, spec.id
        assert f"fact.{spec.id}.question" in korean, spec.id
        owner = "person.receives" if spec.id == "household.receives" else spec.id
        for value in spec.options:
            if spec.id == "household.region":
                assert f"region.sido.{value}" in korean, value
            elif spec.id == "household.sigungu":
                assert f"region.sigungu.{value}" in korean, value
            else:
                assert f"fact.{owner}.option.{value}" in korean, (spec.id, value)
    assert set(SIDO) == {row.sido for row in all_sigungu()}
    assert {f"region.sigungu.{code}" for code in sigungu} <= set(korean)


def test_no_message_names_a_fact_or_option_the_registry_does_not_have(
    catalogs: dict[str, dict[str, str]],
) -> None:
    expected = {"fact.count.label", "region.sigungu.in_sido"}
    for spec in FACTS.values():
        expected |= {f"fact.{spec.id}.label", f"fact.{spec.id}.question"}
        if spec.id not in ("household.region", "household.sigungu", "household.receives"):
            expected |= {f"fact.{spec.id}.option.{value}" for value in spec.options}
    expected |= {f"region.sido.{code}" for code in SIDO}
    expected |= {f"region.sigungu.{row.code}" for row in all_sigungu()}
    assert set(catalogs["ko"]) == expected


def test_the_korean_and_english_district_names_are_the_catalogs(
    catalogs: dict[str, dict[str, str]],
) -> None:
    # the 시군구 list (data/regions/sigungu.yaml) keeps the official name and its romanization
    for row in all_sigungu():
        assert catalogs["ko"][f"region.sigungu.{row.code}"] == row.name.ko
        assert catalogs["en"][f"region.sigungu.{row.code}"] == row.name.en
        assert catalogs["vi"][f"region.sigungu.{row.code}"] == row.name.en


def test_every_fact_is_labelled_and_asked_in_every_locale() -> None:
    for locale in LOCALES:
        labels = {fact_id: fact_label(fact_id, locale) for fact_id in FACTS}
        questions = {fact_id: fact_question(fact_id, locale) for fact_id in FACTS}
        assert all(labels.values()) and all(questions.values())
        if locale != "ko":  # a translation, not the Korean fallback
            assert all(labels[f] != fact_label(f, "ko") for f in FACTS), locale
            assert all(questions[f] != fact_question(f, "ko") for f in FACTS), locale


@pytest.mark.parametrize(
    ("locale", "label", "question"),
    [
        ("ko", "나이", "만 나이가 어떻게 되세요?"),
        ("en", "age", "How old are you (full years)?"),
        ("vi", "tuổi", "Bạn bao nhiêu tuổi (tính theo tuổi tròn)?"),
        ("zh-Hans", "年龄", "您的周岁年龄是多少？"),
    ],
)
def test_the_age_question_in_each_locale(locale: str, label: str, question: str) -> None:
    assert fact_label("person.age", locale) == label
    assert fact_question("person.age", locale) == question
    # a member's or the spouse's fact is asked like the person fact
    assert fact_question("applicant.age", locale) == question
    assert fact_label("spouse.age", locale) == label


@pytest.mark.parametrize(
    ("locale", "size", "couple"),
    [
        ("ko", "함께 사는 가족은 본인을 포함해 모두 몇 명인가요?", "배우자가 있으세요?"),
        ("en", "How many people live in your household, including you?", "Do you have a spouse?"),
        ("vi", "Tính cả bạn, gia đình sống cùng bạn có tất cả bao nhiêu người?",
         "Bạn có vợ/chồng không?"),
        ("zh-Hans", "包括您本人在内，一起生活的家人共有几人？", "您有配偶吗？"),
    ],
)  # fmt: skip
def test_household_questions_in_each_locale(locale: str, size: str, couple: str) -> None:
    assert fact_question("household.size", locale) == size
    assert fact_question("pension_unit.is_couple", locale) == couple


@pytest.mark.parametrize(
    ("locale", "sex", "livelihood", "crisis"),
    [
        ("ko", [("female", "여성"), ("male", "남성")], "생계급여", "실직"),
        ("en", [("female", "Female"), ("male", "Male")], "Livelihood benefit", "Job loss"),
        ("vi", [("female", "Nữ"), ("male", "Nam")], "Trợ cấp sinh hoạt (생계급여)", "Mất việc"),
        ("zh-Hans", [("female", "女性"), ("male", "男性")], "生计补助（생계급여）", "失业"),
    ],
)
def test_option_labels_in_each_locale(
    locale: str, sex: list[tuple[str, str]], livelihood: str, crisis: str
) -> None:
    assert options("person.sex", locale) == sex
    assert option_label("person.receives", "basic-livelihood", locale) == livelihood
    # the household's receipts are offered with the same labels as a person's
    assert option_label("household.receives", "basic-livelihood", locale) == livelihood
    assert option_label("household.crisis", "job_loss", locale) == crisis


@pytest.mark.parametrize(
    ("locale", "seoul", "jangan", "sejong", "goseong"),
    [
        ("ko", "서울특별시", "경기도 수원시 장안구", "세종특별자치시", "강원특별자치도 고성군"),
        ("en", "Seoul", "Suwon-si Jangan-gu, Gyeonggi-do", "Sejong", "Goseong-gun, Gangwon"),
        ("vi", "Seoul", "Suwon-si Jangan-gu, Gyeonggi-do", "Sejong", "Goseong-gun, Gangwon"),
        ("zh-Hans", "首尔特别市", "京畿道水原市长安区", "世宗特别自治市", "江原特别自治道高城郡"),
    ],
)
def test_regions_are_named_with_their_province(
    locale: str, seoul: str, jangan: str, sejong: str, goseong: str
) -> None:
    assert option_label("household.region", "11", locale) == seoul
    assert option_label("household.sigungu", "41111", locale) == jangan
    # 세종 is a 시도 without 시군구: named once, not "세종특별자치시 세종특별자치시"
    assert option_label("household.sigungu", "36110", locale) == sejong
    assert option_label("household.sigungu", "51820", locale) == goseong


def test_the_two_goseong_counties_are_told_apart_in_chinese() -> None:
    assert option_label("household.sigungu", "48820", "zh-Hans") == "庆尚南道固城郡"
    assert option_label("household.sigungu", "51820", "zh-Hans") == "江原特别自治道高城郡"


def test_a_value_that_is_not_an_option_is_shown_as_it_is() -> None:
    assert option_label("person.sex", "unknown", "vi") == "unknown"
    assert option_label("household.sigungu", "99999", "zh-Hans") == "99999"


def test_an_unknown_fact_is_an_error_not_a_blank() -> None:
    with pytest.raises(UnknownFact):
        fact_label("person.shoe_size", "vi")
    with pytest.raises(UnknownFact):
        fact_question("household.pets", "ko")


def test_a_count_rule_names_what_it_counts() -> None:
    assert fact_label("count", "ko") == "조건에 맞는 가구원 수"
    assert fact_label("count", "en") == "number of members who qualify"
    assert fact_label("count", "vi") == "số thành viên đáp ứng điều kiện"
    assert fact_label("count", "zh-Hans") == "符合条件的家庭成员数"
