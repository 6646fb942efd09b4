"""Condition sentences as a caseworker says them (expected sentences written out by hand)."""

from __future__ import annotations

from datetime import date

from app.matching.facts import Profile, Range
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN
from app.text.conditions import render_condition
from app.text.criteria import describe_rule
from app.text.deciding import deciding
from app.text.facts import fact_question, option_label
from app.text.values import format_money
from tests.matching.build import AS_OF, fact, program, snapshot

LOW_INCOME = fact(
    "household.income_recognized_monthly",
    "le",
    {"param": "median_income.base", "key": "household.size", "percent": 60},
)
THREE = [{"relation": "spouse"}, {"relation": "child"}]


def sentences(rule: object, profile: Profile, locale: str, member: str | None = None) -> list[str]:
    snap = snapshot(program(rule))
    result = snap.evaluate_one(profile, AS_OF, "toy-program")
    return [render_condition(c, locale, snap.parameters, member) for c in result.trace]


def test_income_under_the_line_names_the_line_and_its_amount() -> None:
    # 2024 기준 중위소득 3인 4,714,657원 × 60 % = 2,828,794.2 → the engine's 3,215,422 is the
    # toy table's value (tests/matching/build.py): the sentence shows whatever the line is
    profile = Profile(members=THREE, household={"income_recognized_monthly": 2_100_000})
    assert sentences(LOW_INCOME, profile, "ko") == [
        "가구 소득인정액이 2,100,000원으로 기준 중위소득 60%(3,215,422원) 이하예요."
    ]
    assert sentences(LOW_INCOME, profile, "en") == [
        "The household recognized income is KRW 2,100,000, within 60% of the standard median "
        "income (KRW 3,215,422)."
    ]


def test_income_over_the_line_says_it_goes_over() -> None:
    profile = Profile(members=THREE, household={"income_recognized_monthly": 3_300_000})
    assert sentences(LOW_INCOME, profile, "ko") == [
        "가구 소득인정액이 3,300,000원으로 기준 중위소득 60%(3,215,422원)을 넘어요."
    ]
    assert (
        "KRW 3,300,000, above 60% of the standard median income"
        in (sentences(LOW_INCOME, profile, "en")[0])
    )


def test_a_missing_fact_says_what_to_tell_us() -> None:
    rule = fact("applicant.age", "ge", 65)
    assert sentences(rule, Profile(), "ko") == ["나이를 알려 주시면 판단할 수 있어요."]
    assert sentences(rule, Profile(), "en") == ["Tell us your age and we can decide."]


def test_an_age_is_said_as_an_age_once() -> None:
    rule = fact("applicant.age", "ge", 65)
    assert sentences(rule, Profile(applicant={"age": 64}), "ko") == ["만 64세로 65세에 못 미쳐요."]
    assert sentences(rule, Profile(applicant={"age": 72}), "ko", member="어머니(72세)") == [
        "어머니(72세)는 65세 이상이에요."
    ]
    assert sentences(rule, Profile(applicant={"age": 72}), "en") == [
        "You are 72 years, at least 65 years."
    ]


def test_a_band_that_straddles_the_line_is_explained_as_undecided() -> None:
    profile = Profile(household={"income_recognized_monthly": Range(1_000_000, 2_000_000)})
    assert sentences(LOW_INCOME, profile, "ko")[0].startswith(
        "가구 소득인정액이 1,000,000원~2,000,000원이라서 기준 중위소득 60%"
    )
    assert sentences(LOW_INCOME, profile, "ko")[0].endswith("이하인지 아직 알 수 없어요.")


def test_enum_values_use_option_labels_and_say_what_is_needed() -> None:
    rule = fact("household.region", "in", ["27"])
    profile = Profile(household={"region": "11"})
    assert sentences(rule, profile, "ko") == [
        "거주 지역은 서울특별시예요. 대구광역시 중 하나여야 해요."
    ]
    assert sentences(rule, profile, "en") == ["The region is Seoul; it must be Daegu."]


def test_bool_sentences_are_statements() -> None:
    rule = fact("applicant.veteran", "is_true")
    assert sentences(rule, Profile(applicant={"veteran": True}), "ko") == ["참전유공자에 해당해요."]
    assert sentences(rule, Profile(applicant={"veteran": False}), "ko", "아버지(78세)") == [
        "아버지(78세)는 참전유공자에 해당하지 않아요."
    ]


def test_money_is_written_the_korean_way() -> None:
    assert format_money(1_714_892, "ko") == "1,714,892원"
    assert format_money(1_714_892, "en") == "KRW 1,714,892"


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


def _leaf(path: str, truth: object) -> ConditionResult:
    return ConditionResult(path, "applicant.age", 70, "ge", 65, None, truth)  # type: ignore[arg-type]


def test_an_any_branch_another_branch_satisfied_is_never_cited() -> None:
    # any[0] fails, any[1] (an all of two met conditions) carries it, any[2] is also met:
    # only any[1]'s conditions are the reasons
    trace = [
        _leaf("eligibility.all[0]", TRUE),
        _leaf("eligibility.all[1].any[0]", FALSE),
        _leaf("eligibility.all[1].any[1].all[0]", TRUE),
        _leaf("eligibility.all[1].any[1].all[1]", TRUE),
        _leaf("eligibility.all[1].any[2]", TRUE),
    ]
    assert [r.path for r in deciding(trace, TRUE)] == [
        "eligibility.all[0]",
        "eligibility.all[1].any[1].all[0]",
        "eligibility.all[1].any[1].all[1]",
    ]


def test_a_failed_any_cites_every_branch_and_a_met_sibling_of_a_failure_is_not_cited() -> None:
    trace = [
        _leaf("eligibility.all[0]", TRUE),
        _leaf("eligibility.all[1].any[0]", FALSE),
        _leaf("eligibility.all[1].any[1].all[0]", TRUE),
        _leaf("eligibility.all[1].any[1].all[1]", FALSE),
        _leaf("regions", TRUE),
    ]
    assert [r.path for r in deciding(trace, FALSE)] == [
        "eligibility.all[1].any[0]",
        "eligibility.all[1].any[1].all[1]",
    ]


def test_not_turns_the_verdict_around_and_unknown_lists_only_open_conditions() -> None:
    trace = [
        _leaf("eligibility.all[0].not", TRUE),  # not(met) = failed: the reason it fails
        _leaf("eligibility.all[1]", UNKNOWN),
    ]
    assert [r.path for r in deciding(trace, FALSE)] == ["eligibility.all[0].not"]
    assert [r.path for r in deciding(trace, UNKNOWN)] == []  # FALSE already decided it
    open_only = [_leaf("eligibility.all[0]", TRUE), _leaf("eligibility.all[1]", UNKNOWN)]
    assert [r.path for r in deciding(open_only, UNKNOWN)] == ["eligibility.all[1]"]


def test_dates_follow_the_locale() -> None:
    rule = fact("applicant.birth_date", "le", "1961-12-05")
    got = sentences(rule, Profile(applicant={"birth_date": date(1960, 3, 2)}), "ko")
    assert got == ["생년월일이 1960년 3월 2일로 1961년 12월 5일 이하예요."]
