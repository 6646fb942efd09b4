"""What the fact registry (served at /v1/facts) declares for the facts rules depend on.

Expected values come from the contract (docs/rule-language.md §1), not from the registry module.
The registry is built once, when ``app.matching.registry`` is imported; ``built`` builds it again
from the module's code so that these tests judge the code that makes the specs, not a copy made
before the test ran (a mutation test would otherwise never see a changed helper).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from app.matching import registry
from app.matching.facts import FACTS
from app.matching.values import FactSpec

SIGUNGU_FILE = Path(registry.__file__).parents[1] / "catalog" / "data" / "regions" / "sigungu.yaml"


@pytest.fixture(scope="module")
def built() -> Mapping[str, FactSpec]:
    spec = importlib.util.spec_from_file_location(registry.__name__, registry.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)  # not put in sys.modules: nothing else sees it
    spec.loader.exec_module(module)
    specs = (*module.PERSON_FACTS, *module.HOUSEHOLD_FACTS)
    return {s.id: s for s in specs}


TYPES = {
    "date": {"person.birth_date", "person.due_date", "household.residence_since"},
    "int": {"person.age", "person.age_months", "person.birth_order", "person.years_since_entry",
            "person.expected_child_order", "person.military_service_months", "household.size",
            "household.residence_months", "parents.size", "household.car_engine_cc",
            "household.car_age_years"},
    "money": {"person.earned_income_monthly", "household.income_recognized_monthly",
              "household.assets", "household.financial_assets", "household.rent_monthly",
              "household.rent_deposit", "pension_unit.income_recognized_monthly",
              "person.couple_income_recognized_monthly", "parents.income_recognized_monthly",
              "parents.assets", "person.business_income_monthly", "person.pension_income_monthly",
              "person.other_income_monthly", "household.private_transfers_monthly",
              "household.home_value", "household.other_property", "household.debts",
              "household.car_value"},
    "number": {"household.median_income_ratio", "parents.median_income_ratio"},
    "enum": {"person.stage", "person.relation", "person.sex", "person.nationality",
             "person.student", "person.childcare", "person.employment_status",
             "household.region", "household.urban_class", "household.housing", "household.car",
             "household.sigungu"},
    "set": {"household.receives", "household.crisis", "person.receives",
            "person.received_before"},
}  # fmt: skip

# what a household or a person may already receive: the welfare statuses, then the programs whose
# receipt settles or decides another program's condition (docs/rule-language.md §1)
RECEIVABLE = [
    "basic-livelihood", "medical-aid", "housing-benefit", "education-benefit", "near-poverty",
    "basic-pension", "disability-pension", "unemployment-benefit", "self-sufficiency-work",
    "single-parent-child-support", "disability-allowance", "child-allowance", "parent-benefit",
    "home-childcare-allowance", "childcare-fee-support", "senior-customized-care",
    "long-term-care", "senior-jobs-public-interest", "senior-jobs-social-service",
    "senior-jobs-market", "national-employment-support-1", "national-employment-support-2",
    "youth-monthly-rent", "energy-voucher", "culture-nuri-card", "veterans-war-honor-allowance",
]  # fmt: skip

OPTIONS = {
    "person.stage": ["pregnancy_birth", "infant", "child", "adolescent", "youth", "middle_age",
                     "senior"],
    "person.relation": ["self", "spouse", "child", "parent", "grandparent", "grandchild",
                        "sibling", "other"],
    "person.sex": ["female", "male"],
    "person.nationality": ["KR", "foreign"],
    "person.student": ["none", "elementary", "middle", "high", "university"],
    "person.childcare": ["home", "daycare", "kindergarten"],
    "person.employment_status": ["employed", "self_employed", "unemployed", "not_working"],
    "household.region": ["11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46",
                         "47", "48", "50", "51", "52"],
    "household.urban_class": ["metropolitan", "small_city", "rural"],
    "household.housing": ["owner", "renter_monthly", "renter_jeonse", "public_rental", "other"],
    "household.car": ["none", "ordinary", "business", "disability", "multi_child"],
    "household.receives": RECEIVABLE,
    "person.receives": RECEIVABLE,
    "person.received_before": ["first-meeting-voucher", "youth-monthly-rent",
                               "youth-leap-account", "youth-tomorrow-savings",
                               "national-employment-support-1"],
    "household.crisis": ["earner_death", "earner_missing", "serious_illness", "abuse_violence",
                         "fire_disaster", "job_loss", "business_closure", "utility_cutoff",
                         "eviction", "other"],
}  # fmt: skip

# id: (unit, minimum, maximum); money has no ceiling, a count of people or years has one
NUMBERS = {
    "person.age": ("years", 0, 120),
    "person.age_months": ("months", 0, 1440),  # 12 * 120
    "person.birth_order": (None, 1, 20),
    "person.years_since_entry": ("years", 0, 120),
    "person.earned_income_monthly": ("KRW_monthly", 0, None),
    "household.size": ("persons", 1, 30),
    "household.income_recognized_monthly": ("KRW_monthly", 0, None),
    "household.median_income_ratio": ("percent", 0, None),
    "household.assets": ("KRW", 0, None),
    "household.financial_assets": ("KRW", 0, None),
    "household.rent_monthly": ("KRW_monthly", 0, None),
    "household.rent_deposit": ("KRW", 0, None),
    "pension_unit.income_recognized_monthly": ("KRW_monthly", 0, None),
    "person.couple_income_recognized_monthly": ("KRW_monthly", 0, None),
    "person.expected_child_order": (None, 1, 20),
    "person.military_service_months": ("months", 0, 60),  # 현역 최장 복무 이내
    "household.residence_months": ("months", 0, 1440),
    "parents.size": ("persons", 1, 30),
    "parents.income_recognized_monthly": ("KRW_monthly", 0, None),
    "parents.median_income_ratio": ("percent", 0, None),
    "parents.assets": ("KRW", 0, None),
    # the plain facts the 소득인정액 calculator reads (#11)
    "person.business_income_monthly": ("KRW_monthly", 0, None),
    "person.pension_income_monthly": ("KRW_monthly", 0, None),
    "person.other_income_monthly": ("KRW_monthly", 0, None),
    "household.private_transfers_monthly": ("KRW_monthly", 0, None),
    "household.home_value": ("KRW", 0, None),
    "household.other_property": ("KRW", 0, None),
    "household.debts": ("KRW", 0, None),
    "household.car_value": ("KRW", 0, None),
    "household.car_engine_cc": ("cc", 0, 10000),
    "household.car_age_years": ("years", 0, 60),
}

SENSITIVE = {
    "person.birth_date", "person.pregnant", "person.disability_registered",
    "person.disability_severe", "person.long_term_care_grade", "person.daily_living_difficulty",
    "person.care_need", "person.at_risk_youth", "person.high_risk_pregnancy",
    "person.infertility_diagnosed", "person.mental_health_referral", "person.due_date",
}  # fmt: skip

# derived facts and what the kiosk asks instead (None: asked as themselves)
DERIVED = {
    "person.age": None,
    "person.age_months": "person.birth_date",
    "person.stage": "person.age",
    "household.size": None,
    "household.median_income_ratio": "household.income_recognized_monthly",
    "pension_unit.is_couple": None,
    "household.residence_months": "household.residence_since",
    "parents.median_income_ratio": "parents.income_recognized_monthly",
}


def test_the_built_registry_is_the_one_the_engine_uses(built: Mapping[str, FactSpec]) -> None:
    assert list(built) == list(FACTS)
    assert all(built[fact_id] == spec for fact_id, spec in FACTS.items())


def test_each_fact_has_its_contract_type_and_scope(built: Mapping[str, FactSpec]) -> None:
    for fact_id, spec in built.items():
        expected = next((t for t, ids in TYPES.items() if fact_id in ids), "bool")
        assert (spec.type, spec.scope) == (
            expected,
            "person" if fact_id.startswith("person.") else "household",
        ), fact_id


def test_enum_and_set_facts_offer_the_contract_options_in_order(
    built: Mapping[str, FactSpec],
) -> None:
    offered = {i: list(s.options) for i, s in built.items() if s.options}
    # 시군구: every row of the catalog's code list, in its order (read here from the file itself)
    rows = yaml.safe_load(SIGUNGU_FILE.read_text(encoding="utf-8"))["sigungu"]
    assert offered.pop("household.sigungu") == [row["code"] for row in rows]
    assert len(rows) == 269
    assert offered == OPTIONS
    expected = {i: frozenset(values) for i, values in OPTIONS.items()}
    expected["household.sigungu"] = frozenset(row["code"] for row in rows)
    assert {i: s.option_values for i, s in built.items() if s.options} == expected


def test_numbers_have_their_unit_and_bounds(built: Mapping[str, FactSpec]) -> None:
    declared = {i: (s.unit, s.minimum, s.maximum) for i, s in built.items()}
    for fact_id, bounds in NUMBERS.items():
        assert declared[fact_id] == bounds, fact_id
    others = {declared[i] for i in built if i not in NUMBERS}
    assert others == {(None, None, None)}


def test_sensitive_and_derived_facts_are_flagged(built: Mapping[str, FactSpec]) -> None:
    assert {i for i, s in built.items() if s.is_sensitive} == SENSITIVE
    assert {i: s.asked_as for i, s in built.items() if s.is_derived} == DERIVED
    assert all(s.asked_as is None for s in built.values() if not s.is_derived)


def test_the_registry_holds_no_text(built: Mapping[str, FactSpec]) -> None:
    # labels, questions and option labels are messages (tests/text/test_facts_catalog.py)
    assert not any(hasattr(s, "label") or hasattr(s, "question") for s in built.values())
    assert all(isinstance(o, str) for s in built.values() for o in s.options)
