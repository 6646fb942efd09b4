from __future__ import annotations

from datetime import date

import pytest

from app.matching.errors import InvalidProfile, UnknownFact
from app.matching.facts import FACTS, OneOf, Profile, Range, resolve_facts
from app.matching.parameters import ParameterSet
from tests.matching.build import AS_OF, median_income

CONTRACT_FACTS = {
    "person.birth_date", "person.age", "person.age_months", "person.stage", "person.relation",
    "person.sex", "person.nationality", "person.pregnant", "person.birth_order",
    "person.disability_registered", "person.disability_severe", "person.student",
    "person.childcare", "person.employment_status", "person.earned_income_monthly",
    "person.employer_health_insurance", "person.public_pension", "person.involuntary_job_loss",
    "person.work_experience_100d", "person.long_term_care_grade",
    "person.daily_living_difficulty", "person.care_need", "person.veteran",
    "person.marriage_immigrant", "person.years_since_entry", "person.naturalized_within_3y",
    "person.out_of_school", "person.at_risk_youth", "person.care_leaver",
    "person.literacy_incomplete", "person.high_risk_pregnancy", "person.infertility_diagnosed",
    "person.mental_health_referral", "person.lives_apart_from_parents", "household.size",
    "household.region", "household.urban_class", "household.income_recognized_monthly",
    "household.median_income_ratio", "household.assets", "household.financial_assets",
    "household.housing", "household.rent_monthly", "household.rent_deposit",
    "household.single_parent", "household.multicultural", "household.care_gap",
    "household.receives", "household.crisis", "pension_unit.income_recognized_monthly",
    "pension_unit.is_couple",
}  # fmt: skip


def applicant(**facts: object) -> dict[str, object]:
    return resolve_facts(Profile(applicant=facts), AS_OF).persons[0]  # type: ignore[return-value]


def test_registry_declares_exactly_the_contract_facts() -> None:
    assert set(FACTS) == CONTRACT_FACTS


def test_every_fact_has_questions_and_labels_in_both_languages() -> None:
    for spec in FACTS.values():
        assert spec.question.ko and spec.question.en and spec.label.ko and spec.label.en
        if spec.type in ("enum", "set"):
            assert spec.options, spec.id
        if spec.asked_as is not None:
            assert spec.asked_as in FACTS


def test_sensitive_facts_are_flagged() -> None:
    for fact_id in (
        "person.pregnant",
        "person.disability_registered",
        "person.high_risk_pregnancy",
    ):
        assert FACTS[fact_id].is_sensitive


def test_age_counts_full_years_and_turns_on_the_birthday() -> None:
    birth = date(1961, 3, 1)
    assert applicant(birth_date=birth)["age"] == 65  # AS_OF is 2026-03-01: the birthday
    day_before = resolve_facts(Profile(applicant={"birth_date": birth}), date(2026, 2, 28))
    assert day_before.persons[0]["age"] == 64


def test_age_in_months_from_birth_date_and_as_a_range_from_age() -> None:
    assert applicant(birth_date=date(2025, 1, 15))["age_months"] == 13
    assert applicant(age=2)["age_months"] == Range(24, 35)


def test_a_given_stage_implies_an_age_range() -> None:
    assert applicant(stage="senior")["age"] == Range(65, None)
    assert applicant(stage="youth")["age"] == Range(19, 34)


def test_pregnancy_birth_stage_implies_pregnant() -> None:
    assert applicant(stage="pregnancy_birth")["pregnant"] is True


def test_stage_is_derived_from_age_and_pregnancy() -> None:
    assert applicant(age=70)["stage"] == "senior"
    assert applicant(age=30, pregnant=True)["stage"] == "pregnancy_birth"
    assert applicant(age=30, pregnant=False)["stage"] == "youth"
    assert applicant(age=30, sex="male")["stage"] == "youth"


def test_an_age_band_spanning_stages_gives_one_of_them() -> None:
    assert applicant(age=Range(60, 70), sex="male")["stage"] == OneOf(
        frozenset({"middle_age", "senior"})
    )


def test_unknown_pregnancy_keeps_pregnancy_birth_possible_and_asks_about_pregnancy() -> None:
    ctx = resolve_facts(Profile(applicant={"age": 30}), AS_OF)
    assert ctx.persons[0]["stage"] == OneOf(frozenset({"youth", "pregnancy_birth"}))
    assert ctx.settles[0]["stage"] == ("pregnant",)


def test_household_size_counts_the_applicant_and_members() -> None:
    ctx = resolve_facts(Profile(members=[{"relation": "spouse"}, {"relation": "child"}]), AS_OF)
    assert ctx.household["household.size"] == 3
    assert (ctx.extra_min, ctx.extra_max) == (0, 0)


def test_a_larger_given_size_means_unlisted_members() -> None:
    ctx = resolve_facts(Profile(members=[{"relation": "child"}], household={"size": 4}), AS_OF)
    assert (ctx.extra_min, ctx.extra_max) == (2, 2)
    assert ctx.person_ref(3, "age") == "members[2].age"


def test_a_size_below_the_listed_members_is_rejected() -> None:
    with pytest.raises(InvalidProfile):
        resolve_facts(Profile(members=[{"relation": "child"}], household={"size": 1}), AS_OF)


def test_couple_is_derived_from_a_spouse_member() -> None:
    with_spouse = resolve_facts(Profile(members=[{"relation": "spouse"}]), AS_OF)
    with_child = resolve_facts(Profile(members=[{"relation": "child"}]), AS_OF)
    nobody_listed = resolve_facts(Profile(), AS_OF)
    assert with_spouse.household["pension_unit.is_couple"] is True
    assert with_child.household["pension_unit.is_couple"] is False
    assert "pension_unit.is_couple" not in nobody_listed.household


def test_income_ratio_uses_the_median_of_the_household_size_and_year() -> None:
    params = ParameterSet([median_income()])
    profile = Profile(household={"income_recognized_monthly": 1_282_119})
    ctx = resolve_facts(profile, AS_OF, params)
    assert ctx.household["household.median_income_ratio"] == pytest.approx(50.0, abs=1e-4)


def test_income_band_gives_a_ratio_band() -> None:
    params = ParameterSet([median_income()])
    profile = Profile(household={"income_recognized_monthly": {"min": 0, "max": 2_564_238}})
    ratio = resolve_facts(profile, AS_OF, params).household["household.median_income_ratio"]
    assert ratio == Range(0.0, 100.0)


def test_an_open_money_band_starts_at_zero() -> None:
    ctx = resolve_facts(Profile(household={"assets": Range(None, 5_000_000)}), AS_OF)
    assert ctx.household["household.assets"] == Range(0, 5_000_000)


def test_a_fact_the_registry_does_not_know_is_rejected() -> None:
    with pytest.raises(UnknownFact):
        resolve_facts(Profile(applicant={"shoe_size": 270}), AS_OF)


def test_none_means_unknown_not_false() -> None:
    assert "pregnant" not in applicant(pregnant=None, age=70)
