"""Golden personas: invented households evaluated against the shipped catalog.

Each ``personas/<nn>-<slug>.yaml`` gives a profile, an ``as_of`` date and the programs expected to
be eligible (TRUE), ineligible (FALSE) or to need more information (UNKNOWN). Programs not listed
are not checked. The expectations follow from the rules in ``app/catalog/data``; when a rule
changes on purpose, update the persona and say why in the commit.

Optional money checks, worked out by hand (the arithmetic is a comment next to each value):

- ``amounts: {program-id: [low, high]}``: the benefit estimate (KRW, ``null`` = open end) of an
  eligible program; ``program-id: null`` when the catalog gives no amount.
- ``totals: {monthly, once, yearly}``: the plan totals of ``plan.compose`` (eligible programs
  after exclusions: ``cash_monthly``; ``cash_once`` + ``voucher``; ``cash_yearly``).
- ``amounts_known_bug: [program-id]``: the engine is known to get this amount wrong; the persona
  keeps the correct value (marked ``# BUG:``) and the check is skipped until the bug is fixed.

Household-true checks (issue #10). Persons are numbered as the engine numbers them: ``0`` is the
applicant, ``i`` is ``profile.members[i-1]``.

- ``per_member: {program-id: {person: verdict}}``: the verdict of a program decided per person
  (``who``): ``eligible``, ``ineligible``, ``needs_info`` or ``not_considered`` (the program's
  ``who`` excludes the person: absent from ``Determination.persons``, or the applicant's FALSE
  entry whose ``who`` part is FALSE).
- ``member_amounts: {program-id: {person: [low, high]}}``: that person's benefit estimate
  (``PersonResult.benefit``; ``null`` = no amount).
- ``receiving: [program-id]``: programs the household (``Determination.receiving``) or a member
  (``PersonResult.receiving``) already receives: listed with status receiving, never new money.
- ``after: {program-id: [program-id]}``: programs eligible only once the plan grants the listed
  ones (``Determination.after``, compared as a set); the program itself must come out eligible.
- ``totals`` follow the household-true plan: eligible, not excluded and not already received
  programs; per-person programs add the eligible members' amounts; employer-paid subsidies
  (``recipient: employer``) are never counted; a program bridging to another (``bridge_to``) is
  not counted when the bridged-to one is eligible; a program whose income includes another the
  plan newly grants (``income_includes``) is reduced by it (floored at 0).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.catalog.loader import load_catalog, validate_catalog
from app.matching.benefits import AmountRange
from app.matching.facts import Profile
from app.matching.plan import compose
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import Truth

PERSONAS = sorted((Path(__file__).parent / "personas").glob("*.yaml"))
EXPECTED = {"eligible": Truth.TRUE, "ineligible": Truth.FALSE, "needs_info": Truth.UNKNOWN}
NOT_CONSIDERED = "not_considered"
VERDICTS = (*EXPECTED, NOT_CONSIDERED)
DOMAINS = ("welfare", "jobs", "health", "youth", "lifelong_education")
TOTALS = ("monthly", "once", "yearly")


@pytest.fixture(scope="module")
def catalog() -> tuple[list[Any], list[Any], list[Any]]:
    return load_catalog()


@pytest.fixture(scope="module")
def snapshot(catalog: tuple[list[Any], list[Any], list[Any]]) -> CatalogSnapshot:
    return CatalogSnapshot.build(*catalog)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: expected a mapping"
    return data


def _with_key(key: str) -> list[Path]:
    """The personas that use an optional key."""
    return [path for path in PERSONAS if key in _load(path)]


def _money_cases() -> tuple[list[Any], list[Path]]:
    """One case per pinned amount (persona, program id) and the personas that pin totals."""
    amounts, totals = [], []
    for path in PERSONAS:
        data = _load(path)
        amounts += [
            pytest.param(path, pid, id=f"{path.stem}:{pid}") for pid in data.get("amounts") or {}
        ]
        if "totals" in data:
            totals.append(path)
    return amounts, totals


def _span(amount: AmountRange | None) -> list[int | None] | None:
    return None if amount is None else [amount.low, amount.high]


def _profile(data: dict[str, Any]) -> Profile:
    profile = data.get("profile") or {}
    return Profile(
        applicant=profile.get("applicant") or {},
        members=profile.get("members") or [],
        household=profile.get("household") or {},
        pension_unit=profile.get("pension_unit") or {},
        parents=profile.get("parents") or {},
    )


def _trace(determination: Any) -> str:
    lines = [
        f"    {r.path}: {r.fact}={r.value!r} {r.op} {r.threshold!r} -> {r.truth.value}"
        for r in determination.trace
    ]
    missing = ", ".join(sorted(determination.missing)) or "-"
    return "\n".join([*lines, f"    missing: {missing}"])


def test_the_shipped_catalog_has_no_problems() -> None:
    assert validate_catalog() == []


def test_catalog_has_at_least_60_programs(catalog: tuple[list[Any], ...]) -> None:
    assert len(catalog[0]) >= 60


def test_catalog_has_at_least_8_programs_per_domain(catalog: tuple[list[Any], ...]) -> None:
    counts = Counter(p.domain for p in catalog[0])
    assert all(counts[d] >= 8 for d in DOMAINS), dict(counts)


def test_every_program_names_a_source(catalog: tuple[list[Any], ...]) -> None:
    assert [p.id for p in catalog[0] if not p.sources] == []


def test_unverified_programs_say_what_is_unverified(catalog: tuple[list[Any], ...]) -> None:
    assert [
        p.id for p in catalog[0] if p.verification != "verified" and not p.verification_note
    ] == []


def test_there_are_at_least_40_personas() -> None:
    assert len(PERSONAS) >= 40


@pytest.mark.parametrize("path", PERSONAS, ids=[p.stem for p in PERSONAS])
def test_persona(path: Path, snapshot: CatalogSnapshot) -> None:
    data = _load(path)
    as_of = data["as_of"]
    assert isinstance(as_of, date), f"{path.name}: as_of must be an ISO date"
    expect = data.get("expect") or {}
    assert set(expect) <= set(EXPECTED), f"{path.name}: unknown expectation keys {set(expect)}"
    wanted = [(pid, EXPECTED[key]) for key in EXPECTED for pid in expect.get(key) or []]
    assert wanted, f"{path.name}: no expectations"
    unknown = sorted({pid for pid, _ in wanted} - set(snapshot.programs))
    assert not unknown, f"{path.name}: unknown program ids {unknown}"
    results = snapshot.evaluate(_profile(data), as_of, [pid for pid, _ in wanted])
    failures = [
        f"  {pid}: expected {want.value}, got {got.truth.value}\n{_trace(got)}"
        for (pid, want), got in zip(wanted, results, strict=True)
        if got.truth is not want
    ]
    assert not failures, f"{path.name} ({data['name']['en']}) at {as_of}:\n" + "\n".join(failures)


AMOUNT_CASES, TOTALS_PERSONAS = _money_cases()


@pytest.mark.parametrize(("path", "program_id"), AMOUNT_CASES)
def test_persona_amount(path: Path, program_id: str, snapshot: CatalogSnapshot) -> None:
    data = _load(path)
    eligible = (data.get("expect") or {}).get("eligible") or []
    assert program_id in eligible, f"{path.name}: amounts lists {program_id}, not expected eligible"
    want = data["amounts"][program_id]
    got = _span(snapshot.evaluate_one(_profile(data), data["as_of"], program_id).benefit)
    message = f"{path.name} {program_id}: expected {want}, got {got}"
    if program_id in (data.get("amounts_known_bug") or []):
        assert got != want, f"{message}; the bug is fixed, drop it from amounts_known_bug"
        pytest.skip(f"known bug: {message}")
    assert got == want, message


@pytest.mark.parametrize("path", TOTALS_PERSONAS, ids=[p.stem for p in TOTALS_PERSONAS])
def test_persona_totals(path: Path, snapshot: CatalogSnapshot) -> None:
    data = _load(path)
    want = data["totals"]
    assert set(want) == set(TOTALS), f"{path.name}: totals needs exactly {TOTALS}"
    totals = compose(snapshot, _profile(data), data["as_of"]).totals
    got = {kind: _span(getattr(totals, kind)) for kind in TOTALS}
    assert got == want, f"{path.name} totals: expected {want}, got {got}"


PER_MEMBER_PERSONAS = _with_key("per_member")
MEMBER_AMOUNT_PERSONAS = _with_key("member_amounts")
RECEIVING_PERSONAS = _with_key("receiving")
AFTER_PERSONAS = _with_key("after")


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _evaluated(path: Path, snapshot: CatalogSnapshot, program_ids: Any) -> tuple[dict, dict]:
    """The persona and its determinations of ``program_ids`` (ids checked against the catalog)."""
    data = _load(path)
    wanted = list(dict.fromkeys(program_ids(data)))
    unknown = sorted(set(wanted) - set(snapshot.programs))
    assert not unknown, f"{path.name}: unknown program ids {unknown}"
    found = snapshot.evaluate(_profile(data), data["as_of"], wanted)
    return data, dict(zip(wanted, found, strict=True))


def _person_index(path: Path, data: dict[str, Any], person: Any) -> int:
    members = (data.get("profile") or {}).get("members") or []
    assert isinstance(person, int) and 0 <= person <= len(members), (
        f"{path.name}: person {person!r} is not 0 (applicant) or 1..{len(members)} (members)"
    )
    return person


def _persons(det: Any) -> dict[int, Any]:
    return {p.person: p for p in det.persons}


def _who_excludes(result: Any) -> bool:
    """A FALSE entry kept only to say why: its ``who`` part is FALSE."""
    return result.truth is Truth.FALSE and any(
        r.path.startswith("who") and r.truth is Truth.FALSE for r in result.trace
    )


def _verdict(det: Any, person: int) -> str:
    result = _persons(det).get(person)
    if result is None or _who_excludes(result):
        return NOT_CONSIDERED
    return {v: k for k, v in EXPECTED.items()}[result.truth]


def _person_trace(result: Any) -> str:
    return _trace(result) if result is not None else "    (not in Determination.persons)"


@pytest.mark.parametrize("path", PER_MEMBER_PERSONAS, ids=_ids(PER_MEMBER_PERSONAS))
def test_persona_per_member(path: Path, snapshot: CatalogSnapshot) -> None:
    data, found = _evaluated(path, snapshot, lambda d: d["per_member"])
    failures = []
    for pid, people in data["per_member"].items():
        det = found[pid]
        if not det.persons and det.truth is not Truth.FALSE:
            failures.append(f"  {pid}: not decided per person (no `who`), household {det.truth}")
            continue
        for person, want in people.items():
            index = _person_index(path, data, person)
            assert want in VERDICTS, f"{path.name} {pid}[{person}]: unknown verdict {want!r}"
            got = _verdict(det, index)
            if got != want:
                failures.append(
                    f"  {pid} person {index}: expected {want}, got {got}\n"
                    + _person_trace(_persons(det).get(index))
                )
    assert not failures, f"{path.name} ({data['name']['en']}) at {data['as_of']}:\n" + "\n".join(
        failures
    )


@pytest.mark.parametrize("path", MEMBER_AMOUNT_PERSONAS, ids=_ids(MEMBER_AMOUNT_PERSONAS))
def test_persona_member_amounts(path: Path, snapshot: CatalogSnapshot) -> None:
    data, found = _evaluated(path, snapshot, lambda d: d["member_amounts"])
    failures = []
    for pid, people in data["member_amounts"].items():
        persons = _persons(found[pid])
        if not found[pid].persons:
            failures.append(f"  {pid}: not decided per person (no `who`)")
            continue
        for person, want in people.items():
            index = _person_index(path, data, person)
            result = persons.get(index)
            if result is None:
                failures.append(f"  {pid} person {index}: expected {want}, not decided for them")
                continue
            if result.truth is not Truth.TRUE:
                failures.append(
                    f"  {pid} person {index}: expected {want} for an eligible person, "
                    f"verdict {result.truth.value}\n{_trace(result)}"
                )
                continue
            got = _span(result.benefit)
            if got != want:
                failures.append(f"  {pid} person {index}: expected {want}, got {got}")
    assert not failures, f"{path.name} ({data['name']['en']}) at {data['as_of']}:\n" + "\n".join(
        failures
    )


@pytest.mark.parametrize("path", RECEIVING_PERSONAS, ids=_ids(RECEIVING_PERSONAS))
def test_persona_receiving(path: Path, snapshot: CatalogSnapshot) -> None:
    data, found = _evaluated(path, snapshot, lambda d: d["receiving"])
    missing = [
        f"  {pid}: not marked receiving (household {det.receiving}, persons "
        f"{[(p.person, p.receiving) for p in det.persons]})"
        for pid, det in found.items()
        if not det.receiving and not any(p.receiving for p in det.persons)
    ]
    assert not missing, f"{path.name} ({data['name']['en']}) at {data['as_of']}:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("path", AFTER_PERSONAS, ids=_ids(AFTER_PERSONAS))
def test_persona_after(path: Path, snapshot: CatalogSnapshot) -> None:
    data, found = _evaluated(path, snapshot, lambda d: d["after"])
    failures = []
    for pid, want in data["after"].items():
        det = found[pid]
        got = sorted(det.after)
        if det.truth is not Truth.TRUE or got != sorted(want):
            failures.append(
                f"  {pid}: expected eligible after {sorted(want)}, got {det.truth.value} "
                f"after {got}\n{_trace(det)}"
            )
    assert not failures, f"{path.name} ({data['name']['en']}) at {data['as_of']}:\n" + "\n".join(
        failures
    )
