# ruff: noqa: E501  (a data table: one fact per entry reads better than wrapped lines)
"""The fact registry data (contract: docs/rule-language.md §1). ``facts.FACTS`` indexes it.

Ids, types, units, bounds and option values only. What a fact is called, the question a kiosk
asks for it and its options' labels are messages of the text layer (``app/text/facts.py``;
``fact.<id>.label``, ``fact.<id>.question``, ``fact.<id>.option.<value>`` in
``app/text/locales/<locale>/facts.po``), and so are the names of the regions.
"""

from __future__ import annotations

from app.catalog.regions import all_sigungu
from app.matching.values import FactSpec

# 시도 codes (행정표준코드); names: ``region.sido.<code>``
SIDO = (
    "11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51",
    "52",
)  # fmt: skip


def _p(name: str, type_: str, **kw: object) -> FactSpec:
    return FactSpec(f"person.{name}", type_, "person", **kw)  # type: ignore[arg-type]


def _h(fid: str, type_: str, **kw: object) -> FactSpec:
    return FactSpec(fid, type_, "household", **kw)  # type: ignore[arg-type]


STAGES = ("pregnancy_birth", "infant", "child", "adolescent", "youth", "middle_age", "senior")

RECEIVES = (
    "basic-livelihood", "medical-aid", "housing-benefit", "education-benefit", "near-poverty",
    "basic-pension", "disability-pension", "unemployment-benefit", "self-sufficiency-work",
    "single-parent-child-support", "disability-allowance", "child-allowance", "parent-benefit",
    "home-childcare-allowance", "childcare-fee-support", "senior-customized-care", "long-term-care",
    "senior-jobs-public-interest", "senior-jobs-social-service", "senior-jobs-market",
    "national-employment-support-1", "national-employment-support-2", "youth-monthly-rent",
    "energy-voucher", "culture-nuri-card", "veterans-war-honor-allowance",
)  # fmt: skip
RECEIVED_BEFORE = (
    "first-meeting-voucher", "youth-monthly-rent", "youth-leap-account", "youth-tomorrow-savings",
    "national-employment-support-1",
)  # fmt: skip
PERSON_FACTS: tuple[FactSpec, ...] = (
    _p("birth_date", "date", is_sensitive=True),
    _p("age", "int", unit="years", is_derived=True, minimum=0, maximum=120),
    _p("age_months", "int", unit="months", is_derived=True, asked_as="person.birth_date", minimum=0, maximum=1440),
    _p("stage", "enum", options=STAGES, is_derived=True, asked_as="person.age"),
    _p("relation", "enum",
       options=("self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")),
    _p("sex", "enum", options=("female", "male")),
    _p("nationality", "enum", options=("KR", "foreign")),
    _p("pregnant", "bool", is_sensitive=True),
    _p("birth_order", "int", minimum=1, maximum=20),
    _p("disability_registered", "bool", is_sensitive=True),
    _p("disability_severe", "bool", is_sensitive=True),
    _p("student", "enum", options=("none", "elementary", "middle", "high", "university")),
    _p("childcare", "enum", options=("home", "daycare", "kindergarten")),
    _p("employment_status", "enum", options=("employed", "self_employed", "unemployed", "not_working")),
    _p("earned_income_monthly", "money", unit="KRW_monthly", minimum=0),
    _p("business_income_monthly", "money", unit="KRW_monthly", minimum=0),
    _p("pension_income_monthly", "money", unit="KRW_monthly", minimum=0),
    _p("other_income_monthly", "money", unit="KRW_monthly", minimum=0),
    _p("employer_health_insurance", "bool"),
    _p("public_pension", "bool"),
    _p("involuntary_job_loss", "bool"),
    _p("work_experience_100d", "bool"),
    _p("long_term_care_grade", "bool", is_sensitive=True),
    _p("daily_living_difficulty", "bool", is_sensitive=True),
    _p("care_need", "bool", is_sensitive=True),
    _p("veteran", "bool"),
    _p("marriage_immigrant", "bool"),
    _p("years_since_entry", "int", unit="years", minimum=0, maximum=120),
    _p("naturalized_within_3y", "bool"),
    _p("out_of_school", "bool"),
    _p("at_risk_youth", "bool", is_sensitive=True),
    _p("care_leaver", "bool"),
    _p("literacy_incomplete", "bool"),
    _p("high_risk_pregnancy", "bool", is_sensitive=True),
    _p("infertility_diagnosed", "bool", is_sensitive=True),
    _p("mental_health_referral", "bool", is_sensitive=True),
    _p("lives_apart_from_parents", "bool"),
    _p("married", "bool"),
    _p("couple_income_recognized_monthly", "money", unit="KRW_monthly", minimum=0),
    _p("receives", "set", options=RECEIVES),
    _p("received_before", "set", options=RECEIVED_BEFORE),
    _p("due_date", "date", is_sensitive=True),
    _p("expected_child_order", "int", minimum=1, maximum=20),
    _p("military_service_months", "int", unit="months", minimum=0, maximum=60),
    _p("employment_insurance", "bool"),
)  # fmt: skip

CRISES = (
    "earner_death", "earner_missing", "serious_illness", "abuse_violence", "fire_disaster",
    "job_loss", "business_closure", "utility_cutoff", "eviction", "other",
)  # fmt: skip
MONEY = {"unit": "KRW_monthly", "minimum": 0}
# 시군구 (catalog data, app/catalog/data/regions/sigungu.yaml), in the catalog's order
SIGUNGU = tuple(row.code for row in all_sigungu())

HOUSEHOLD_FACTS: tuple[FactSpec, ...] = (
    _h("household.size", "int", unit="persons", is_derived=True, minimum=1, maximum=30),
    _h("household.region", "enum", options=SIDO),
    _h("household.sigungu", "enum", options=SIGUNGU),
    _h("household.urban_class", "enum", options=("metropolitan", "small_city", "rural")),
    _h("household.income_recognized_monthly", "money", **MONEY),
    _h("household.median_income_ratio", "number", unit="percent", is_derived=True,
       asked_as="household.income_recognized_monthly", minimum=0),
    _h("household.private_transfers_monthly", "money", **MONEY),
    _h("household.home_value", "money", unit="KRW", minimum=0),
    _h("household.other_property", "money", unit="KRW", minimum=0),
    _h("household.debts", "money", unit="KRW", minimum=0),
    _h("household.car", "enum", options=("none", "ordinary", "business", "disability", "multi_child")),
    _h("household.car_value", "money", unit="KRW", minimum=0),
    _h("household.car_engine_cc", "int", unit="cc", minimum=0, maximum=10000),
    _h("household.car_age_years", "int", unit="years", minimum=0, maximum=60),
    _h("household.assets", "money", unit="KRW", minimum=0),
    _h("household.financial_assets", "money", unit="KRW", minimum=0),
    _h("household.housing", "enum",
       options=("owner", "renter_monthly", "renter_jeonse", "public_rental", "other")),
    _h("household.rent_monthly", "money", **MONEY),
    _h("household.rent_deposit", "money", unit="KRW", minimum=0),
    _h("household.single_parent", "bool"),
    _h("household.multicultural", "bool"),
    _h("household.care_gap", "bool"),
    _h("household.receives", "set", options=RECEIVES),
    _h("household.crisis", "set", options=CRISES),
    _h("household.residence_since", "date"),
    _h("household.residence_months", "int", unit="months", is_derived=True,
       asked_as="household.residence_since", minimum=0, maximum=1440),
    _h("household.no_home", "bool"),
    _h("household.obligor_high_means", "bool"),
    _h("household.obligor_can_support", "bool"),
    _h("parents.size", "int", unit="persons", minimum=1, maximum=30),
    _h("parents.income_recognized_monthly", "money", **MONEY),
    _h("parents.median_income_ratio", "number", unit="percent", is_derived=True,
       asked_as="parents.income_recognized_monthly", minimum=0),
    _h("parents.assets", "money", unit="KRW", minimum=0),
    _h("pension_unit.income_recognized_monthly", "money", **MONEY),
    _h("pension_unit.is_couple", "bool", is_derived=True),
)  # fmt: skip
