from __future__ import annotations

from app.matching.facts import Profile, Range
from app.text.conditions import (
    describe_rule,
    format_money,
    josa,
    render_condition,
)
from app.text.facts import fact_question, option_label
from tests.matching.build import AS_OF, fact, program, snapshot

LOW_INCOME = fact(
    "household.income_recognized_monthly",
    "le",
    {"param": "median_income.base", "key": "household.size", "percent": 60},
)
THREE = [{"relation": "spouse"}, {"relation": "child"}]


def sentences(rule: object, profile: Profile, locale: str) -> list[str]:
    snap = snapshot(program(rule))
    result = snap.evaluate_one(profile, AS_OF, "toy-program")
    return [render_condition(c, locale, snap.parameters) for c in result.trace]


def test_income_under_the_line_reads_naturally_in_korean_and_english() -> None:
    profile = Profile(members=THREE, household={"income_recognized_monthly": 2_100_000})
    assert sentences(LOW_INCOME, profile, "ko") == [
        "가구 소득인정액 2,100,000원이 기준 중위소득 60%(3,215,422원) 이하입니다."
    ]
    assert sentences(LOW_INCOME, profile, "en") == [
        "Household recognized income KRW 2,100,000 is at most 60% of standard median income "
        "(KRW 3,215,422)."
    ]


def test_income_over_the_line_says_above() -> None:
    profile = Profile(members=THREE, household={"income_recognized_monthly": 3_300_000})
    assert sentences(LOW_INCOME, profile, "ko") == [
        "가구 소득인정액 3,300,000원이 기준 중위소득 60%(3,215,422원) 초과입니다."
    ]
    assert "is above 60% of standard median income" in sentences(LOW_INCOME, profile, "en")[0]


def test_missing_fact_sentence_names_the_fact() -> None:
    rule = fact("applicant.age", "ge", 65)
    assert sentences(rule, Profile(), "ko") == ["나이 정보가 없어 판단할 수 없습니다."]
    assert sentences(rule, Profile(), "en") == ["We cannot decide without your age."]


def test_a_band_that_straddles_the_line_is_explained_as_undecided() -> None:
    profile = Profile(household={"income_recognized_monthly": Range(1_000_000, 2_000_000)})
    ko = sentences(LOW_INCOME, profile, "ko")[0]
    assert ko.startswith("가구 소득인정액 1,000,000원~2,000,000원으로는")
    assert "알 수 없습니다" in ko


def test_enum_values_use_option_labels() -> None:
    rule = fact("household.region", "in", ["27"])
    profile = Profile(household={"region": "11"})
    assert sentences(rule, profile, "ko") == [
        "거주 지역 서울특별시가 대구광역시에 해당하지 않습니다."
    ]
    assert sentences(rule, profile, "en") == ["Region Seoul is not one of Daegu."]


def test_bool_sentences() -> None:
    rule = fact("applicant.veteran", "is_true")
    assert sentences(rule, Profile(applicant={"veteran": True}), "ko") == [
        "참전유공자에 해당합니다."
    ]
    assert sentences(rule, Profile(applicant={"veteran": False}), "en") == [
        "Registered war veteran: no."
    ]


def test_money_and_particles() -> None:
    assert format_money(1_714_892, "ko") == "1,714,892원"
    assert format_money(1_714_892, "en") == "KRW 1,714,892"
    assert josa("66세", "이", "가") == "가"
    assert josa("2,100,000원", "이", "가") == "이"
    assert josa("3", "이", "가") == "이"


def test_describe_rule_lists_the_criteria() -> None:
    rule = program({"all": [fact("applicant.age", "ge", 65), LOW_INCOME]}).eligibility
    assert describe_rule(rule, "ko") == (
        "- 다음을 모두 충족\n  - 나이 65세 이상\n  - 가구 소득인정액 median_income.base 60% 이하"
    )
    snap = snapshot(program({"all": []}))
    assert "standard median income" in describe_rule(rule, "en", snap.parameters, AS_OF)


def test_questions_and_option_labels_are_available_by_fact_id() -> None:
    assert fact_question("applicant.age", "ko") == "만 나이가 어떻게 되세요?"
    assert option_label("household.region", "27", "en") == "Daegu"
    assert option_label("household.receives", "basic-pension", "ko") == "기초연금"
