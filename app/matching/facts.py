"""The fact registry (``FACTS``), the citizen's ``Profile`` and derived facts (``resolve_facts``).

Derived facts (contract §1): age and age in months from the birth date at ``as_of`` (만 나이), the
life stage from age and pregnancy, an age band from a given stage, the household size from the
listed members, whether the pension unit is a couple, and income as a share of the 기준 중위소득.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from app.catalog.regions import UnknownSigungu, sigungu
from app.matching.errors import InvalidProfile, NoParameterValue, UnknownFact
from app.matching.estimates import Estimate, estimate
from app.matching.parameters import ParameterSet
from app.matching.registry import HOUSEHOLD_FACTS, PERSON_FACTS
from app.matching.values import FactSpec, FactType, OneOf, Range

__all__ = [
    "FACTS",
    "FactContext",
    "FactSpec",
    "FactType",
    "OneOf",
    "Profile",
    "Range",
    "fact_spec",
    "resolve_facts",
]

FACTS: Mapping[str, FactSpec] = {spec.id: spec for spec in (*PERSON_FACTS, *HOUSEHOLD_FACTS)}
HOUSEHOLD_SCOPES = ("household", "pension_unit", "parents")
MEDIAN_INCOME = "median_income.base"
STAGE_AGES: tuple[tuple[str, int, int | None], ...] = (
    ("infant", 0, 5),
    ("child", 6, 12),
    ("adolescent", 13, 18),
    ("youth", 19, 34),
    ("middle_age", 35, 64),
    ("senior", 65, None),
)
CHILDBEARING = (15, 49)  # ages at which an unknown pregnancy is still a possibility


def fact_spec(fact_id: str) -> FactSpec:
    """The spec of ``fact_id`` (``person.age``; ``applicant.age`` and ``spouse.age`` also work)."""
    for prefix in ("applicant.", "spouse."):
        if fact_id.startswith(prefix):
            fact_id = "person." + fact_id[len(prefix) :]
    spec = FACTS.get(fact_id)
    if spec is None:
        raise UnknownFact(fact_id)
    return spec


@dataclass(frozen=True)
class Profile:
    """What the citizen told us. Keys are fact names without prefix; absent means unknown."""

    applicant: Mapping[str, object] = field(default_factory=dict)
    members: Sequence[Mapping[str, object]] = ()
    household: Mapping[str, object] = field(default_factory=dict)
    pension_unit: Mapping[str, object] = field(default_factory=dict)
    parents: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FactContext:
    """Resolved facts for one evaluation. ``persons[0]`` is the applicant, ``persons[i]`` is
    ``profile.members[i-1]``; ``household`` is keyed by full id (``household.size``,
    ``pension_unit.is_couple``). ``extra_min``/``extra_max`` count household members beyond the
    listed ones (unknown persons; ``extra_max`` None = no upper bound)."""

    as_of: date
    persons: tuple[Mapping[str, object], ...]
    household: Mapping[str, object]
    prefixes: tuple[str, ...]
    settles: tuple[Mapping[str, tuple[str, ...]], ...]
    extra_min: int = 0
    extra_max: int | None = 0
    spouses: tuple[int | None, ...] = ()
    # 소득인정액 facts estimated from plain figures, by fact id (#11)
    estimates: Mapping[str, Estimate] = field(default_factory=dict)

    def spouse_of(self, index: int) -> int | None:
        """The index of person ``index``'s spouse in the household, or None (none listed)."""
        return self.spouses[index] if index < len(self.spouses) else None

    def person_ref(self, index: int, name: str) -> str:
        """The fact reference of person ``index`` (also for unlisted members)."""
        if index < len(self.prefixes):
            return self.prefixes[index] + name
        return f"members[{index - 1}].{name}"


def resolve_facts(
    profile: Profile, as_of: date, parameters: ParameterSet | None = None
) -> FactContext:
    """Coerce the profile and compute every derived fact at ``as_of``."""
    people: list[tuple[dict[str, object], str | None]] = [
        (_coerce("person", profile.applicant), "self")
    ]
    people += [(_coerce("person", m), None) for m in profile.members]
    persons: list[dict[str, object]] = []
    settles: list[dict[str, tuple[str, ...]]] = []
    for facts, relation in people:
        if relation is not None:
            facts["relation"] = relation
        settles.append(_derive_person(facts, as_of))
        persons.append(facts)
    household = {f"household.{k}": v for k, v in _coerce("household", profile.household).items()}
    household.update(
        {f"pension_unit.{k}": v for k, v in _coerce("pension_unit", profile.pension_unit).items()}
    )
    household.update({f"parents.{k}": v for k, v in _coerce("parents", profile.parents).items()})
    _derive_region(household)
    size_given = "household.size" in household
    extra_min, extra_max = _derive_size(household, len(persons))
    _derive_couple(household, persons, extra_max if size_given or len(persons) > 1 else None)
    spouses = _pair_spouses(persons)
    # 소득인정액 from plain facts where it was not stated (#11)
    estimates = estimate(household, persons, spouses, as_of, parameters)
    _derive_income_ratio(household, as_of, parameters)
    _derive_income_ratio(household, as_of, parameters, "parents")
    _derive_units(household, persons, spouses)
    _derive_receipts(household, persons)
    _derive_housing(household, as_of)
    prefixes = ("applicant.", *(f"members[{i}]." for i in range(len(persons) - 1)))
    return FactContext(
        as_of,
        tuple(persons),
        household,
        prefixes,
        tuple(settles),
        extra_min,
        extra_max,
        spouses,
        MappingProxyType(estimates),
    )


def _derive_region(household: dict[str, object]) -> None:
    """The 시도 follows from the 시군구 (a request giving both is checked at the boundary)."""
    code = household.get("household.sigungu")
    if isinstance(code, str) and "household.region" not in household:
        try:
            household["household.region"] = sigungu(code).sido
        except UnknownSigungu:
            return


COUPLE_RELATIONS = ("parent", "grandparent")  # two listed members of these are a couple


def _pair_spouses(persons: list[dict[str, object]]) -> tuple[int | None, ...]:
    """Who is married to whom among the listed persons. Relations are to the applicant: the
    applicant and the one listed ``spouse``; two listed ``parent``s; two listed ``grandparent``s.
    A person who says ``married: false`` is never paired."""
    spouses: list[int | None] = [None] * len(persons)

    def pair(a: int, b: int) -> None:
        if persons[a].get("married") is False or persons[b].get("married") is False:
            return
        spouses[a], spouses[b] = b, a

    by_relation: dict[str, list[int]] = {}
    for index, facts in enumerate(persons[1:], start=1):
        by_relation.setdefault(str(facts.get("relation")), []).append(index)
    if len(by_relation.get("spouse", ())) == 1:
        pair(0, by_relation["spouse"][0])
    for relation in COUPLE_RELATIONS:
        found = by_relation.get(relation, [])
        if len(found) == 2:
            pair(*found)
    return tuple(spouses)


def _derive_units(
    household: dict[str, object], persons: list[dict[str, object]], spouses: tuple[int | None, ...]
) -> None:
    """The 본인+배우자 unit of 기초연금 and 장애인연금, per person: married when a spouse is
    listed (or, for the applicant, the pension unit says so); the unit's recognized income is
    shared by both spouses and, for the applicant, also given as ``pension_unit``."""
    applicant = persons[0]
    couple = household.get("pension_unit.is_couple")
    if "married" not in applicant and isinstance(couple, bool):
        applicant["married"] = couple
    unit_income = household.get("pension_unit.income_recognized_monthly")
    if unit_income is not None:
        applicant.setdefault("couple_income_recognized_monthly", unit_income)
    for index, facts in enumerate(persons):
        spouse = spouses[index]
        if spouse is None:
            continue
        facts.setdefault("married", True)
        other = persons[spouse].get("couple_income_recognized_monthly")
        if other is not None:
            facts.setdefault("couple_income_recognized_monthly", other)


def _derive_receipts(household: dict[str, object], persons: list[dict[str, object]]) -> None:
    """``household.receives`` is everything anyone in the household receives; a person's
    ``receives`` starts from their own answer plus the household's statuses (``near-poverty``,
    and the household-level benefits). Which person receives a person-level program named only
    at household level is settled by the snapshot (it knows which programs are per person)."""
    given = household.get("household.receives")
    everyone: set[str] = set(given) if isinstance(given, frozenset) else set()
    known = isinstance(given, frozenset)
    for facts in persons:
        own = facts.get("receives")
        if isinstance(own, frozenset):
            everyone |= own
            known = True
    if known:
        household["household.receives"] = frozenset(everyone)


def _derive_housing(household: dict[str, object], as_of: date) -> None:
    if "household.no_home" not in household and household.get("household.housing") == "owner":
        household["household.no_home"] = False
    since = household.get("household.residence_since")
    if isinstance(since, date) and "household.residence_months" not in household:
        household["household.residence_months"] = max(0, months_on(since, as_of))


def _coerce(prefix: str, raw: Mapping[str, object]) -> dict[str, object]:
    facts: dict[str, object] = {}
    for name, value in raw.items():
        spec = FACTS.get(f"{prefix}.{name}")
        if spec is None:
            raise UnknownFact(f"{prefix}.{name}")
        if value is None:
            continue
        if isinstance(value, Mapping) and spec.type not in ("set", "enum", "bool"):
            value = _bounded(Range(value.get("min"), value.get("max")), spec)
        elif isinstance(value, Range):
            value = _bounded(value, spec)
        elif isinstance(value, list | tuple | set) and spec.type == "set":
            value = frozenset(value)
        if isinstance(value, Range) and value.is_point:
            value = value.min
        facts[name] = value
    return facts


def _bounded(value: Range, spec: FactSpec) -> Range:
    """Open ends take the registry's bounds (an income 'under 1,000,000' is at least 0)."""
    low = spec.minimum if value.min is None else value.min
    high = spec.maximum if value.max is None else value.max
    return Range(low, high)


def age_on(birth_date: date, as_of: date) -> int:
    """만 나이: full years; one less while this year's birthday is still ahead."""
    before_birthday = (as_of.month, as_of.day) < (birth_date.month, birth_date.day)
    return as_of.year - birth_date.year - int(before_birthday)


def months_on(birth_date: date, as_of: date) -> int:
    """Full months since birth at ``as_of``."""
    months = (as_of.year - birth_date.year) * 12 + as_of.month - birth_date.month
    return months - int(as_of.day < birth_date.day)


def _derive_person(facts: dict[str, object], as_of: date) -> dict[str, tuple[str, ...]]:
    birth = facts.get("birth_date")
    if isinstance(birth, date):
        facts.setdefault("age", age_on(birth, as_of))
        facts.setdefault("age_months", months_on(birth, as_of))
    months = facts.get("age_months")
    if "age" not in facts and isinstance(months, int):  # a baby's age given in months
        facts["age"] = months // 12
    stage = facts.get("stage")
    if stage == "pregnancy_birth":
        facts.setdefault("pregnant", True)
    elif isinstance(stage, str) and "age" not in facts:
        facts["age"] = _stage_age(stage)
    age = facts.get("age")
    if "age_months" not in facts and isinstance(age, int | Range):
        low, high = (age, age) if isinstance(age, int) else (age.min, age.max)
        facts["age_months"] = Range(  # an age band is bounded below (by 0 when open)
            12 * int(low or 0), None if high is None else 12 * int(high) + 11
        )
    if "stage" in facts:
        return {}
    return _derive_stage(facts)


def _stage_age(stage: str) -> Range:
    for name, low, high in STAGE_AGES:
        if name == stage:
            return Range(low, high)
    raise InvalidProfile("unknown stage")


def _derive_stage(facts: dict[str, object]) -> dict[str, tuple[str, ...]]:
    pregnant, age = facts.get("pregnant"), facts.get("age")
    if pregnant is True:
        facts["stage"] = "pregnancy_birth"
        return {}
    if not isinstance(age, int | Range):
        return {}
    low, high = (age, age) if isinstance(age, int) else (age.min, age.max)
    options = {
        name
        for name, s_low, s_high in STAGE_AGES
        if (high is None or s_low <= high) and (s_high is None or low is None or low <= s_high)
    }
    could_be_pregnant = (
        pregnant is None
        and facts.get("sex") != "male"
        and (high is None or high >= CHILDBEARING[0])
        and (low is None or low <= CHILDBEARING[1])
    )
    if could_be_pregnant:
        options.add("pregnancy_birth")
    facts["stage"] = next(iter(options)) if len(options) == 1 else OneOf(frozenset(options))
    return {"stage": ("pregnant",)} if could_be_pregnant and len(options) == 2 else {}


def _derive_size(household: dict[str, object], listed: int) -> tuple[int, int | None]:
    size = household.get("household.size")
    if size is None:
        household["household.size"] = listed
        return 0, 0
    if isinstance(size, int):
        if size < listed:
            raise InvalidProfile("household size is smaller than the listed members")
        return size - listed, size - listed
    if isinstance(size, Range):
        high = None if size.max is None else int(size.max) - listed
        if high is not None and high < 0:
            raise InvalidProfile("household size is smaller than the listed members")
        return max(0, int(size.min or 0) - listed), high
    raise InvalidProfile("household size must be a whole number or a range")


def _derive_couple(
    household: dict[str, object], persons: list[dict[str, object]], extra_max: int | None
) -> None:
    if "pension_unit.is_couple" in household:
        return
    if any(p.get("relation") == "spouse" for p in persons[1:]):
        household["pension_unit.is_couple"] = True
    elif extra_max == 0:
        household["pension_unit.is_couple"] = False


def _derive_income_ratio(
    household: dict[str, object],
    as_of: date,
    parameters: ParameterSet | None,
    prefix: str = "household",
) -> None:
    income, size = (
        household.get(f"{prefix}.income_recognized_monthly"),
        household.get(f"{prefix}.size"),
    )
    target = f"{prefix}.median_income_ratio"
    if target in household or income is None or parameters is None:
        return
    if not isinstance(size, int):
        return
    try:
        median = parameters.value(MEDIAN_INCOME, as_of, size)
    except NoParameterValue:  # no such parameter, or none in force on as_of
        return
    if isinstance(income, Range):  # a money band is bounded below (by 0 when open)
        low = (income.min or 0) * 100 / median
        high = None if income.max is None else income.max * 100 / median
        household[target] = Range(low, high)
    elif isinstance(income, int | float):
        household[target] = income * 100 / median
