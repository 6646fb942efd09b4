from __future__ import annotations

from datetime import date

import pytest

from app.matching.errors import InvalidProfile, UnknownFact
from app.matching.facts import FACTS, OneOf, Profile, Range, fact_spec, resolve_facts
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
    # household-true plan (#10): the benefit units, receipts, residence and the parents' household
    "person.married", "person.couple_income_recognized_monthly", "person.receives",
    "person.received_before", "person.due_date", "person.expected_child_order",
    "person.military_service_months", "person.employment_insurance",
    "household.residence_since", "household.residence_months", "household.no_home",
    "household.obligor_high_means", "household.obligor_can_support", "parents.size",
    "parents.income_recognized_monthly", "parents.median_income_ratio", "parents.assets",
    # plain facts for the 소득인정액 calculator (#11)
    "person.business_income_monthly", "person.pension_income_monthly",
    "person.other_income_monthly", "household.private_transfers_monthly", "household.home_value",
    "household.other_property", "household.debts", "household.car", "household.car_value",
    "household.car_engine_cc", "household.car_age_years", "household.sigungu",
}  # fmt: skip


def applicant(**facts: object) -> dict[str, object]:
    return resolve_facts(Profile(applicant=facts), AS_OF).persons[0]  # type: ignore[return-value]


def test_registry_declares_exactly_the_contract_facts() -> None:
    assert set(FACTS) == CONTRACT_FACTS


def test_every_choice_fact_has_options_and_every_derived_fact_is_asked_as_a_fact() -> None:
    # labels and questions: tests/text/test_facts_catalog.py
    for spec in FACTS.values():
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
    person = applicant(pregnant=None, age=70)
    assert "pregnant" not in person
    assert person["age"] == 70  # the facts after an unknown one are still read


def person_on(as_of: date, **facts: object) -> dict[str, object]:
    return resolve_facts(Profile(applicant=facts), as_of).persons[0]  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (date(1961, 3, 1), date(2026, 3, 1), 65),  # the birthday itself
        (date(1961, 3, 2), date(2026, 3, 1), 64),  # same month, one day short
        (date(1960, 12, 31), date(2026, 1, 1), 65),  # 2026 - 1960 = 66, birthday still ahead
        (date(1961, 1, 31), date(2026, 2, 1), 65),  # later month, earlier day: birthday passed
        (date(2000, 2, 29), date(2025, 2, 28), 24),  # leap-day birth: 29 Feb not reached yet
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 29), 24),  # the leap-day birthday itself
    ],
)
def test_age_is_full_years_at_as_of(birth: date, as_of: date, age: int) -> None:
    assert person_on(as_of, birth_date=birth)["age"] == age


@pytest.mark.parametrize(
    ("birth", "as_of", "months"),
    [
        (date(2025, 1, 31), date(2025, 2, 28), 0),  # 1 month by the calendar, day 28 < 31
        (date(2025, 1, 31), date(2025, 3, 1), 1),  # 2 by the calendar, day 1 < 31
        (date(2024, 2, 29), date(2025, 2, 28), 11),  # 12 by the calendar, day 28 < 29
        (date(2024, 2, 29), date(2025, 3, 1), 12),  # 13 by the calendar, day 1 < 29
        (date(2025, 3, 1), date(2026, 2, 28), 11),  # 12 + 2 - 3
        (date(2025, 3, 1), date(2026, 3, 1), 12),  # the first birthday
        (date(2025, 12, 15), date(2026, 1, 14), 0),  # across the new year, a day short
        (date(2025, 12, 15), date(2026, 1, 15), 1),
    ],
)
def test_age_in_months_counts_full_months(birth: date, as_of: date, months: int) -> None:
    assert person_on(as_of, birth_date=birth)["age_months"] == months


def test_a_birth_date_resolves_to_exactly_age_months_stage_and_relation() -> None:
    # born 2025-01-15, on 2026-03-01: 1 full year; 12 + 3 - 1 = 14 months, day 1 < 15 -> 13
    assert applicant(birth_date=date(2025, 1, 15), sex="male") == {
        "birth_date": date(2025, 1, 15),
        "sex": "male",
        "relation": "self",
        "age": 1,
        "age_months": 13,
        "stage": "infant",
    }


def test_an_age_given_with_the_birth_date_is_kept() -> None:
    person = applicant(age=70, birth_date=date(2025, 1, 15))
    assert (person["age"], person["age_months"]) == (70, 13)


@pytest.mark.parametrize(("months", "age"), [(11, 0), (12, 1), (23, 1), (24, 2)])
def test_an_age_in_months_gives_the_age_in_full_years(months: int, age: int) -> None:
    person = applicant(age_months=months)
    assert (person["age"], person["age_months"], person["stage"]) == (age, months, "infant")


def test_an_age_in_months_does_not_override_a_given_age() -> None:
    assert applicant(age=3, age_months=12)["age"] == 3


@pytest.mark.parametrize(
    ("age", "months"),
    [
        (0, Range(0, 11)),
        (2, Range(24, 35)),  # 12 * 2 .. 12 * 2 + 11
        (Range(1, 2), Range(12, 35)),
        (Range(None, 1), Range(0, 23)),  # an open low end is age 0
        (Range(65, None), Range(780, 1451)),  # an open high end is age 120: 12 * 120 + 11
    ],
)
def test_an_age_gives_a_band_of_months(age: int | Range, months: Range) -> None:
    assert applicant(age=age)["age_months"] == months


def test_a_given_stage_keeps_a_given_age_and_bands_the_months() -> None:
    person = applicant(stage="senior", age=70)
    assert (person["stage"], person["age"], person["age_months"]) == (
        "senior",
        70,
        Range(840, 851),  # 12 * 70 .. 12 * 70 + 11
    )


def test_a_senior_stage_leaves_the_months_open_above() -> None:
    assert applicant(stage="senior")["age_months"] == Range(780, None)  # 12 * 65


def test_the_pregnancy_stage_implies_no_age() -> None:
    assert applicant(stage="pregnancy_birth") == {
        "stage": "pregnancy_birth",
        "pregnant": True,
        "relation": "self",
    }


def test_the_pregnancy_stage_keeps_a_given_answer_on_pregnancy() -> None:
    assert applicant(stage="pregnancy_birth", pregnant=False)["pregnant"] is False


def test_an_unknown_stage_is_an_invalid_profile() -> None:
    with pytest.raises(InvalidProfile, match=r"^unknown stage$"):
        applicant(stage="retired")


@pytest.mark.parametrize(
    ("age", "stage"),
    [(0, "infant"), (5, "infant"), (6, "child"), (12, "child"), (13, "adolescent"),
     (18, "adolescent"), (19, "youth"), (34, "youth"), (35, "middle_age"), (64, "middle_age"),
     (65, "senior"), (120, "senior")],
)  # fmt: skip
def test_stage_boundaries_for_a_man(age: int, stage: str) -> None:
    assert applicant(age=age, sex="male")["stage"] == stage


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        ({"age": 14, "sex": "female"}, "adolescent"),  # below 15: no pregnancy possible
        ({"age": 15, "sex": "female"}, OneOf(frozenset({"adolescent", "pregnancy_birth"}))),
        ({"age": 49, "sex": "female"}, OneOf(frozenset({"middle_age", "pregnancy_birth"}))),
        ({"age": 50, "sex": "female"}, "middle_age"),  # above 49: no pregnancy possible
        ({"age": 49}, OneOf(frozenset({"middle_age", "pregnancy_birth"}))),  # sex unknown
        ({"age": 15}, OneOf(frozenset({"adolescent", "pregnancy_birth"}))),
        ({"age": 30, "sex": "female", "pregnant": False}, "youth"),
        ({"pregnant": True}, "pregnancy_birth"),
        ({"age": 70, "pregnant": True}, "pregnancy_birth"),
    ],
)
def test_pregnancy_is_possible_from_15_to_49_unless_a_man_or_answered(
    facts: dict[str, object], stage: object
) -> None:
    assert applicant(**facts)["stage"] == stage


def one_of(*stages: str) -> OneOf:
    return OneOf(frozenset(stages))


ASK_PREGNANT = {"stage": ("pregnant",)}  # the answer on pregnancy settles the stage


@pytest.mark.parametrize(
    ("age", "sex", "stage", "settles"),
    [
        (Range(5, 6), "male", one_of("infant", "child"), {}),
        (Range(6, 12), "male", "child", {}),
        (Range(12, 13), "male", one_of("child", "adolescent"), {}),
        (Range(34, 35), "male", one_of("youth", "middle_age"), {}),
        (Range(64, 65), "male", one_of("middle_age", "senior"), {}),
        (Range(10, 14), "female", one_of("child", "adolescent"), {}),
        (Range(13, 15), "female", one_of("adolescent", "pregnancy_birth"), ASK_PREGNANT),
        (Range(10, 15), "female", one_of("child", "adolescent", "pregnancy_birth"), {}),
        (Range(49, 60), "female", one_of("middle_age", "pregnancy_birth"), ASK_PREGNANT),
        (Range(50, 60), "female", "middle_age", {}),
        (Range(30, 40), "female", one_of("youth", "middle_age", "pregnancy_birth"), {}),
        (Range(0, 120), "male",
         one_of("infant", "child", "adolescent", "youth", "middle_age", "senior"), {}),
    ],
)  # fmt: skip
def test_an_age_band_gives_every_stage_it_touches(
    age: Range, sex: str, stage: object, settles: dict[str, tuple[str, ...]]
) -> None:
    ctx = resolve_facts(Profile(applicant={"age": age, "sex": sex}), AS_OF)
    assert (ctx.persons[0]["stage"], ctx.settles[0]) == (stage, settles)


@pytest.mark.parametrize(
    "facts",
    [{"age": 30, "sex": "male"}, {"age": 14}, {"pregnant": True}, {"stage": "youth"}, {}],
)
def test_only_an_open_pregnancy_question_settles_the_stage(facts: dict[str, object]) -> None:
    assert resolve_facts(Profile(applicant=facts), AS_OF).settles == ({},)


def test_without_age_or_pregnancy_there_is_no_stage() -> None:
    assert "stage" not in applicant(sex="female")


def household(**facts: object) -> dict[str, object]:
    return dict(resolve_facts(Profile(household=facts), AS_OF).household)


@pytest.mark.parametrize(
    ("size", "listed", "extra"),
    [
        (3, 3, (0, 0)),  # all listed
        (4, 2, (2, 2)),
        (Range(2, 4), 1, (1, 3)),  # 2 - 1 .. 4 - 1 unlisted
        (Range(1, 4), 2, (0, 2)),  # the band's low end is below the listed two: none sure
        (Range(2, 2), 1, (1, 1)),  # a one-point band is that size
        (Range(None, 3), 3, (0, 0)),  # an open low end is the registry's 1
        (Range(2, None), 1, (1, 29)),  # an open high end is the registry's 30: 30 - 1
    ],
)
def test_a_given_size_counts_the_unlisted_members(
    size: int | Range, listed: int, extra: tuple[int, int]
) -> None:
    members = [{"relation": "child"}] * (listed - 1)
    ctx = resolve_facts(Profile(members=members, household={"size": size}), AS_OF)
    assert (ctx.extra_min, ctx.extra_max) == extra


@pytest.mark.parametrize("size", [2, Range(1, 2)])
def test_a_size_or_size_band_below_the_listed_members_is_rejected(size: int | Range) -> None:
    members = [{"relation": "child"}, {"relation": "spouse"}]  # three listed with the applicant
    with pytest.raises(
        InvalidProfile, match=r"^household size is smaller than the listed members$"
    ):
        resolve_facts(Profile(members=members, household={"size": size}), AS_OF)


def test_a_size_that_is_not_a_whole_number_is_rejected() -> None:
    with pytest.raises(InvalidProfile, match=r"^household size must be a whole number or a range$"):
        resolve_facts(Profile(household={"size": 2.5}), AS_OF)


def test_without_a_given_size_the_household_is_the_listed_people() -> None:
    ctx = resolve_facts(Profile(), AS_OF)
    assert (ctx.household["household.size"], ctx.extra_min, ctx.extra_max) == (1, 0, 0)


def test_people_are_referred_to_as_applicant_then_members_listed_or_not() -> None:
    ctx = resolve_facts(Profile(members=[{}, {}], household={"size": 5}), AS_OF)
    assert ctx.as_of == AS_OF
    assert ctx.prefixes == ("applicant.", "members[0].", "members[1].")
    refs = [ctx.person_ref(i, "age") for i in range(5)]
    assert refs == [
        "applicant.age", "members[0].age", "members[1].age", "members[2].age", "members[3].age",
    ]  # fmt: skip


def test_the_applicant_is_self_and_members_keep_their_relation() -> None:
    profile = Profile(applicant={"relation": "spouse"}, members=[{"relation": "parent"}, {}])
    persons = resolve_facts(profile, AS_OF).persons
    assert [p.get("relation") for p in persons] == ["self", "parent", None]


@pytest.mark.parametrize(
    ("members", "size", "is_couple"),
    [
        ([], 1, False),  # alone, and said so
        ([], 2, None),  # the unlisted second person may be a spouse
        ([], Range(1, 2), None),
        ([{"relation": "child"}], 3, None),
        ([{"relation": "child"}], 2, False),
        ([{"relation": "child"}, {"relation": "spouse"}], 4, True),
        ([{}], None, False),  # a listed member of unknown relation is not a spouse
    ],
)
def test_couple_status_is_open_while_an_unlisted_member_could_be_a_spouse(
    members: list[dict[str, object]], size: int | Range | None, is_couple: bool | None
) -> None:
    given = {} if size is None else {"size": size}
    ctx = resolve_facts(Profile(members=members, household=given), AS_OF)
    assert ctx.household.get("pension_unit.is_couple") is is_couple


def test_a_given_couple_status_is_kept() -> None:
    profile = Profile(members=[{"relation": "spouse"}], pension_unit={"is_couple": False})
    assert resolve_facts(profile, AS_OF).household["pension_unit.is_couple"] is False


def test_pension_unit_facts_are_keyed_by_their_full_id() -> None:
    profile = Profile(pension_unit={"income_recognized_monthly": 1_500_000})
    assert resolve_facts(profile, AS_OF).household == {
        "household.size": 1,
        "pension_unit.income_recognized_monthly": 1_500_000,
    }  # nobody listed and no size given: whether there is a spouse stays open


def ratio_of(household_facts: dict[str, object], as_of: date = AS_OF) -> object:
    params = ParameterSet([median_income()])
    ctx = resolve_facts(Profile(household=household_facts), as_of, params)
    return ctx.household.get("household.median_income_ratio")


@pytest.mark.parametrize(
    ("facts", "as_of", "ratio"),
    [
        ({"size": 2, "income_recognized_monthly": 4_199_292}, AS_OF, 100.0),  # 2026 median of 2
        ({"size": 2, "income_recognized_monthly": 3_932_658}, date(2025, 12, 31), 100.0),  # 2025
        ({"size": 4, "income_recognized_monthly": 3_247_369}, AS_OF, 50.0),  # 6,494,738 / 2
        # eight people: 9,515,150 + (9,515,150 - 8,555,952) = 10,474,348; a quarter is 2,618,587
        ({"size": 8, "income_recognized_monthly": 2_618_587}, AS_OF, 25.0),
        ({"size": 1, "income_recognized_monthly": 0}, AS_OF, 0.0),
    ],
)
def test_income_ratio_is_a_percent_of_the_median_for_the_size_on_as_of(
    facts: dict[str, object], as_of: date, ratio: float
) -> None:
    assert ratio_of(facts, as_of) == pytest.approx(ratio, abs=1e-9)


def test_an_income_with_an_open_top_gives_a_ratio_with_an_open_top() -> None:
    # 2,564,238 is the 2026 median of one: 1,282,119 is half of it
    assert ratio_of({"income_recognized_monthly": {"min": 1_282_119}}) == Range(50.0, None)


@pytest.mark.parametrize(
    ("facts", "as_of"),
    [
        ({}, AS_OF),  # no income
        ({"income_recognized_monthly": 1_000_000, "size": Range(1, 2)}, AS_OF),  # size unsure
        ({"income_recognized_monthly": 1_000_000}, date(2024, 12, 31)),  # no median in force
    ],
)
def test_no_ratio_without_income_a_known_size_or_a_median_in_force(
    facts: dict[str, object], as_of: date
) -> None:
    assert ratio_of(facts, as_of) is None


def test_no_ratio_without_the_median_parameter() -> None:
    profile = Profile(household={"income_recognized_monthly": 1_000_000})
    assert "household.median_income_ratio" not in resolve_facts(profile, AS_OF).household
    no_median = ParameterSet([])
    assert "household.median_income_ratio" not in resolve_facts(profile, AS_OF, no_median).household


def test_a_given_ratio_is_kept() -> None:
    assert ratio_of({"income_recognized_monthly": 1_282_119, "median_income_ratio": 80}) == 80


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        ({"min": 3_000_000, "max": 3_000_000}, 3_000_000),  # a one-point band is exact
        (Range(3_000_000, 3_000_000), 3_000_000),
        ({"max": 900_000}, Range(0, 900_000)),  # money is at least 0
        ({"min": 900_000}, Range(900_000, None)),  # and has no ceiling
        ({"min": 1, "max": 2}, Range(1, 2)),
    ],
)
def test_money_bands_take_the_registry_bounds_at_open_ends(given: object, resolved: object) -> None:
    assert household(assets=given)["household.assets"] == resolved


@pytest.mark.parametrize("given", [["basic-pension"], ("basic-pension",), {"basic-pension"}])
def test_a_set_fact_given_as_any_collection_is_a_frozenset(given: object) -> None:
    assert household(receives=given)["household.receives"] == frozenset({"basic-pension"})


def test_a_list_for_a_fact_that_is_not_a_set_is_left_alone() -> None:
    assert household(region=["11"])["household.region"] == ["11"]


@pytest.mark.parametrize(
    ("profile", "fact_id"),
    [
        (Profile(members=[{"shoe_size": 270}]), "person.shoe_size"),
        (Profile(household={"pets": 2}), "household.pets"),
        (Profile(pension_unit={"size": 2}), "pension_unit.size"),
    ],
)
def test_an_unknown_fact_is_named_in_the_error(profile: Profile, fact_id: str) -> None:
    with pytest.raises(UnknownFact) as raised:
        resolve_facts(profile, AS_OF)
    assert str(raised.value) == f"unknown fact: {fact_id}"


def test_fact_spec_reads_applicant_facts_as_person_facts() -> None:
    assert fact_spec("applicant.age") is FACTS["person.age"]
    assert fact_spec("household.size") is FACTS["household.size"]
    with pytest.raises(UnknownFact, match=r"^unknown fact: person\.height$"):
        fact_spec("applicant.height")


@pytest.mark.parametrize(
    ("scope", "name"),
    [("applicant", "pregnant"), ("applicant", "sex"), ("household", "receives")],
)
def test_a_mapping_is_a_band_only_for_numbers_and_dates(scope: str, name: str) -> None:
    given = {"min": 1, "max": 2}  # a yes/no, choice or set fact has no band: left as given
    ctx = resolve_facts(Profile(**{scope: {name: given}}), AS_OF)  # type: ignore[arg-type]
    resolved = (
        ctx.persons[0].get(name) if scope == "applicant" else ctx.household[f"{scope}.{name}"]
    )
    assert resolved == given
