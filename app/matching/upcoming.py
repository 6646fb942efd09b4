"""What is coming up: programs whose verdict changes on a known future date (pure).

A verdict changes with time in two ways only: a member's age crosses a threshold a rule compares
it with (turning 65, a child turning 24 months) or an age limit of the 소득인정액 estimate a rule
reads (the 기초생활보장 youth deduction ends after 34 in 2026), or the catalog itself changes on
a date (a program starts or ends, a parameter takes a new value). A household's residence
period grows the same way (인천 천사지원금 after 12 months in 인천). So the dates to look at are
known in advance: every birthday (and, for ``age_months`` rules, every monthly anniversary) at
which some member reaches a threshold of the catalog, every monthly anniversary of the
``residence_since`` date that reaches a residence threshold, and every dated catalog change,
within the horizon.
On each such date only the programs that can change are decided again: those comparing an age
with that threshold, or, on a catalog date, every program in effect.

A member whose birth date is not given but whose age is a whole number (years, or months for a
baby) is treated as born on the latest date that age allows; the dates found for them are then
"at the latest" (``approximate``). An age given as a band, or only a life-cycle stage, is left
out: no date can be named.

A program that depends on another through a receipt (eligible once the other is received) is
decided again with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal, TypeVar

from pydantic import BaseModel

from app.matching.benefits import AmountRange
from app.matching.estimates import ESTIMATE_AGE_LIMITS, ESTIMATED_FACTS, profile_has_plain
from app.matching.evaluate import Determination
from app.matching.facts import MEDIAN_INCOME, Profile
from app.matching.rules import Comparison, FactAmount, ParamRef, Table
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, Truth

HORIZON_MONTHS = 36
INCOME_PREFIX = "income_recognition."  # the 소득인정액 calculator's constants (app.income)
RESIDENCE = "household.residence_months"  # months since ``household.residence_since``
_N = TypeVar("_N", bound=BaseModel)
AGE_FACTS = {"age": "years", "age_months": "months"}
Unit = Literal["years", "months"]


@dataclass(frozen=True, slots=True)
class Turning:
    """A member reaching an age on a date (the date is a latest bound when ``approximate``)."""

    person: int
    age: int
    unit: Unit
    approximate: bool


@dataclass(frozen=True, slots=True)
class ComingUp:
    """A program's verdict changing on ``on``: it ``starts`` (from FALSE to TRUE or UNKNOWN)
    or ``ends`` (to FALSE), for the household or for member ``person`` (per-person programs).
    ``turning`` names the birthdays that fall on that date, ``residence_months`` the residence
    period the household reaches then; neither means a catalog change."""

    on: date
    program_id: str
    person: int | None
    change: Literal["starts", "ends"]
    truth: Truth
    benefit: AmountRange | None
    turning: tuple[Turning, ...] = ()
    residence_months: int | None = None

    @property
    def approximate(self) -> bool:
        return any(t.approximate for t in self.turning)


@dataclass(frozen=True, slots=True)
class _Thresholds:
    """Per age unit: threshold -> the programs comparing that age with it; ``estimated``: age in
    years -> the programs reading the 소득인정액 estimate, which changes then (where the
    household's figure is estimated)."""

    years: Mapping[int, frozenset[str]] = field(default_factory=dict)
    months: Mapping[int, frozenset[str]] = field(default_factory=dict)
    estimated: Mapping[int, frozenset[str]] = field(default_factory=dict)
    residence: Mapping[int, frozenset[str]] = field(default_factory=dict)  # months lived there


def anniversary(birth: date, months: int) -> date:
    """The day a person born on ``birth`` has lived ``months`` full months (a birthday for a
    multiple of 12). A day the month lacks (29–31) falls on the next month's first day, as
    ``facts.months_on`` and ``facts.age_on`` count."""
    year, month = divmod(birth.month - 1 + months, 12)
    try:
        return date(birth.year + year, month + 1, birth.day)
    except ValueError:
        year, month = divmod(birth.month + months, 12)
        return date(birth.year + year, month + 1, 1)


def coming_up(
    snapshot: CatalogSnapshot,
    profile: Profile,
    as_of: date,
    horizon_months: int = HORIZON_MONTHS,
) -> list[ComingUp]:
    """The first change of each program's verdict (per member for per-person programs) after
    ``as_of`` and within ``horizon_months``, in date order."""
    projected, births = _projected(profile, as_of)
    estimated = "income_recognized_monthly" not in profile.household and profile_has_plain(
        profile.applicant, profile.members, profile.household
    )
    since = profile.household.get("residence_since")
    days = _days(
        snapshot,
        births,
        as_of,
        anniversary(as_of, horizon_months),
        estimated,
        since if isinstance(since, date) else None,
    )
    if not days:
        return []
    wanted = sorted(set().union(*(day.programs for day in days.values())))
    last = _statuses(snapshot.evaluate(projected, as_of, wanted))
    found: list[ComingUp] = []
    seen: set[tuple[str, int | None, str]] = set()
    for on in sorted(days):
        day = days[on]
        for pid, now in _statuses(snapshot.evaluate(projected, on, sorted(day.programs))).items():
            before, last[pid] = last[pid], now
            for person in sorted(before.keys() | now.keys(), key=lambda p: -1 if p is None else p):
                truth, receiving, benefit = now.get(person, _NOBODY)
                change = _change(before.get(person, _NOBODY)[0], truth, receiving)
                if change is None or (pid, person, change) in seen:
                    continue
                seen.add((pid, person, change))
                turning = tuple(sorted(set(day.turning), key=lambda t: (t.person, t.unit, t.age)))
                found.append(
                    ComingUp(on, pid, person, change, truth, benefit, turning, day.residence)
                )
    return found


@dataclass
class _Day:
    """A day to look at: the programs that can change then, and whose birthday it is."""

    programs: set[str] = field(default_factory=set)
    turning: list[Turning] = field(default_factory=list)
    residence: int | None = None  # the months of residence reached that day


def _days(
    snapshot: CatalogSnapshot,
    births: Mapping[int, tuple[date, bool]],
    as_of: date,
    end: date,
    estimated: bool,
    since: date | None,
) -> dict[date, _Day]:
    """Every day within (as_of, end] on which some program's verdict can change (``estimated``:
    the household's 소득인정액 is estimated from its plain figures; ``since``: the day it came to
    live in its region)."""
    thresholds = _thresholds(snapshot)
    units: tuple[tuple[Unit, int, Mapping[int, frozenset[str]]], ...] = (
        ("years", 12, thresholds.years),
        ("months", 1, thresholds.months),
        *((("years", 12, thresholds.estimated),) if estimated else ()),
    )
    days: dict[date, _Day] = {}
    for person, (birth, approximate) in births.items():
        for unit, step, table in units:
            for age, programs in table.items():
                on = anniversary(birth, age * step)
                if as_of < on <= end:
                    day = days.setdefault(on, _Day())
                    day.programs.update(programs)
                    day.turning.append(Turning(person, age, unit, approximate))
    if since is not None:
        for months, programs in thresholds.residence.items():
            on = anniversary(since, months)
            if as_of < on <= end:
                day = days.setdefault(on, _Day())
                day.programs.update(programs)
                day.residence = months
    for on, changing in _catalog_changes(snapshot, as_of, end):
        days.setdefault(on, _Day()).programs.update(changing)
    for day in days.values():  # and the programs that need one of them received
        day.programs.update(p for p, needs in snapshot.chains.items() if needs & day.programs)
    return days


def _change(before: Truth, now: Truth, receiving: bool) -> Literal["starts", "ends"] | None:
    if before is FALSE and now is not FALSE and not receiving:
        return "starts"
    if before is not FALSE and now is FALSE:
        return "ends"
    return None


_Status = tuple[Truth, bool, AmountRange | None]
_NOBODY: _Status = (FALSE, False, None)  # a member a per-person program does not consider


def _statuses(determinations: Sequence[Determination]) -> dict[str, dict[int | None, _Status]]:
    """Per program, the verdict per member considered (per-person programs) or the household's
    (key None)."""
    out: dict[str, dict[int | None, _Status]] = {}
    for det in determinations:
        if det.persons:
            out[det.program_id] = {p.person: (p.truth, p.receiving, p.benefit) for p in det.persons}
        else:
            out[det.program_id] = {None: (det.truth, det.receiving, det.benefit)}
    return out


def _projected(profile: Profile, as_of: date) -> tuple[Profile, dict[int, tuple[date, bool]]]:
    """The profile with a birth date for every member whose age is a whole number (the latest
    birth date that age allows), and each member's birth date with whether it was assumed."""
    births: dict[int, tuple[date, bool]] = {}
    people: list[Mapping[str, object]] = []
    for index, facts in enumerate([profile.applicant, *profile.members]):
        birth = facts.get("birth_date")
        age, months = facts.get("age"), facts.get("age_months")
        if isinstance(birth, date):
            births[index] = (birth, False)
        elif isinstance(months, int) and not isinstance(months, bool):
            births[index] = (anniversary(as_of, -months), True)
        elif isinstance(age, int) and not isinstance(age, bool):
            births[index] = (anniversary(as_of, -12 * age), True)
        if index in births and births[index][1]:
            facts = {k: v for k, v in facts.items() if k not in AGE_FACTS}
            facts["birth_date"] = births[index][0]
        people.append(facts)
    projected = replace(profile, applicant=people[0], members=people[1:])
    return projected, births


def _catalog_changes(
    snapshot: CatalogSnapshot, as_of: date, end: date
) -> Iterator[tuple[date, Iterable[str]]]:
    """Days within (as_of, end] on which the catalog changes, with the programs that can change
    then: a program starting or ending; a parameter's new value, for the programs that name it
    (every program when facts are derived from it: 기준 중위소득 for the income ratio, the
    소득인정액 constants for the estimates)."""
    for on, programs in _dated_changes(snapshot):
        if as_of < on <= end:
            yield on, programs


def _dated_changes(snapshot: CatalogSnapshot) -> tuple[tuple[date, frozenset[str]], ...]:
    """Every dated change of the catalog, with the programs it can change (once per catalog)."""
    cached = snapshot.memo.get("upcoming.dated_changes")
    if isinstance(cached, tuple):
        return cached
    found: list[tuple[date, frozenset[str]]] = []
    for program in snapshot.programs.values():
        spec = program.spec
        for on in (spec.effective_from, spec.effective_to and spec.effective_to + timedelta(1)):
            if on is not None:
                found.append((on, frozenset((spec.id,))))
    readers = _parameter_readers(snapshot)
    every: frozenset[str] = frozenset(snapshot.programs)
    for parameter in snapshot.parameters.values():
        read_by_facts = parameter.id == MEDIAN_INCOME or parameter.id.startswith(INCOME_PREFIX)
        programs = every if read_by_facts else readers.get(parameter.id, every)
        for dated in parameter.values:
            found.append((dated.effective_from, programs))
    made = tuple(found)
    snapshot.memo["upcoming.dated_changes"] = made
    return made


def _parameter_readers(snapshot: CatalogSnapshot) -> Mapping[str, frozenset[str]]:
    """Parameter id -> the programs whose rules or amounts name it."""
    cached = snapshot.memo.get("upcoming.parameter_readers")
    if isinstance(cached, dict):
        return cached
    readers: dict[str, set[str]] = {}
    for program in snapshot.programs.values():
        for ref in _nodes(program.spec, ParamRef):
            readers.setdefault(ref.param, set()).add(program.spec.id)
    made = {param: frozenset(ids) for param, ids in readers.items()}
    snapshot.memo["upcoming.parameter_readers"] = made
    return made


def _thresholds(snapshot: CatalogSnapshot) -> _Thresholds:
    cached = snapshot.memo.get("upcoming.thresholds")
    if isinstance(cached, _Thresholds):
        return cached
    years: dict[int, set[str]] = {}
    months: dict[int, set[str]] = {}
    estimated: dict[int, set[str]] = {}
    residence: dict[int, set[str]] = {}
    for program in snapshot.programs.values():
        for node in _nodes(program.spec, Comparison):
            if node.fact == RESIDENCE:
                for lived in _flips(node, snapshot):
                    residence.setdefault(lived, set()).add(program.spec.id)
                continue
            unit = AGE_FACTS.get(node.fact.rsplit(".", 1)[-1])
            if unit is None:
                continue
            table = years if unit == "years" else months
            for age in _flips(node, snapshot):
                table.setdefault(age, set()).add(program.spec.id)
        if _reads_estimate(program.spec):  # a member's age moves the 소득인정액 estimate
            for param, op in ESTIMATE_AGE_LIMITS.items():
                limit = Comparison(fact="person.age", op=op, value=ParamRef(param=param))
                for age in _flips(limit, snapshot):
                    estimated.setdefault(age, set()).add(program.spec.id)
    made = _Thresholds(
        {a: frozenset(p) for a, p in years.items()},
        {a: frozenset(p) for a, p in months.items()},
        {a: frozenset(p) for a, p in estimated.items()},
        {m: frozenset(p) for m, p in residence.items()},
    )
    snapshot.memo["upcoming.thresholds"] = made
    return made


def _reads_estimate(spec: object) -> bool:
    """Whether a rule or an amount of ``spec`` reads a fact the 소득인정액 estimate writes."""
    facts = [n.fact for n in _nodes(spec, Comparison)]
    facts += [n.fact for n in _nodes(spec, FactAmount)]
    facts += [n.fact for n in _nodes(spec, Table)]
    return not ESTIMATED_FACTS.isdisjoint(facts)


def _flips(node: Comparison, snapshot: CatalogSnapshot) -> set[int]:
    """The ages at which an age comparison can change its answer: on reaching the value
    (``ge``, ``lt``), the next one (``gt``, ``le``), either (``eq``, ``ne``, lists), or for
    ``between`` on reaching its low end and on passing its high end."""
    values = list(_numbers(node.value, snapshot))
    if node.op in ("ge", "lt"):
        ages = set(values)
    elif node.op in ("gt", "le"):
        ages = {v + 1 for v in values}
    elif node.op == "between" and len(values) == 2:
        ages = {values[0], values[1] + 1}
    else:
        ages = {a for v in values for a in (v, v + 1)}
    return {a for a in ages if a >= 0}


def _nodes(node: object, kind: type[_N]) -> Iterator[_N]:
    """Every node of ``kind`` anywhere in a spec: rules, member rules of counts, amounts."""
    if isinstance(node, kind):
        yield node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _nodes(getattr(node, name), kind)
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _nodes(item, kind)


def _numbers(value: object, snapshot: CatalogSnapshot) -> Iterator[int]:
    """The whole numbers a comparison's value can take (every dated value of a parameter)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield int(value)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _numbers(item, snapshot)
    elif isinstance(value, ParamRef) and value.param in snapshot.parameters:
        for dated in snapshot.parameters[value.param].values:
            payload = dated.value
            if isinstance(payload, int | float) and not isinstance(payload, bool):
                scale = (value.percent or 100) / 100
                yield int(payload * scale)
