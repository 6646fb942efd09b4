"""Plans, questions and single-program verdicts: the engine's decisions in the citizen's language.

Nothing here touches the database: the compiled snapshot held by the worker is the whole input,
so a plan names exactly one ``catalog_version``. Profile values are never logged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, partial
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError

from app.locale import Locale
from app.matching import (
    INCOME_FACTS,
    CatalogSnapshot,
    Decision,
    Determination,
    Estimate,
    NoParameterValue,
    PlanCore,
    Profile,
    QuestionPick,
    age_on,
    asked_path,
    coming_up,
    compose,
    compute_all,
    expected_births,
    in_crisis,
    pick_questions,
    plain_paths,
    profile_has_plain,
    resolve_facts,
    status_of,
)
from app.schemas import plans as out
from app.schemas.profile import (
    MAX_AGE,
    HouseholdIn,
    MemberIn,
    ParentsIn,
    PensionUnitIn,
    PersonIn,
    ProfileIn,
)
from app.text.plan import Renderer

_MEMBER_REF = re.compile(r"^members\[(\d+)\]\.([a-z_0-9]+)$")
_PERSON_FIELDS = frozenset(PersonIn.model_fields)
_MEMBER_FIELDS = frozenset(MemberIn.model_fields)
_HOUSEHOLD_FIELDS = frozenset(HouseholdIn.model_fields)
_PENSION_FIELDS = frozenset(PensionUnitIn.model_fields)
_PARENTS_FIELDS = frozenset(ParentsIn.model_fields)
# Questions are chosen for the most valuable undecided programs (needs_info is ranked by need and
# value): on a very large catalog the long tail would only cost time, never change the first pick
# a citizen sees for the programs that matter to them.
QUESTION_POOL = 300


def pick_locale(requested: Locale | None, header: Locale) -> Locale:
    return requested or header


MAX_PREGNANCY = timedelta(days=300)  # 출산 예정일은 기준일부터 길어야 약 10개월 뒤


def check_profile(profile: ProfileIn, as_of: date, root: str = "profile") -> None:
    """Checks that need ``as_of``: a birth date after it, or one that makes an impossible age, or
    an age that contradicts the birth date. 422 naming every such field."""
    errors: list[dict[str, Any]] = []
    people: list[tuple[tuple[str | int, ...], PersonIn]] = [(("applicant",), profile.applicant)]
    people += [(("members", i), m) for i, m in enumerate(profile.members)]
    for where, person in people:
        months = person.age_months
        if months is not None and isinstance(person.age, int) and person.age != months // 12:
            errors.append(
                _error(
                    ("body", root, *where, "age"),
                    "age_mismatch",
                    "The age does not match the age in months",
                )
            )
        due = person.due_date
        if due is not None and not as_of <= due <= as_of + MAX_PREGNANCY:
            errors.append(
                _error(
                    ("body", root, *where, "due_date"),
                    "due_date_range",
                    "The due date must be between as_of and 300 days after it",
                    {"days": MAX_PREGNANCY.days},
                )
            )
        born = person.birth_date
        if born is None:
            continue
        loc = ("body", root, *where, "birth_date")
        if born > as_of:
            errors.append(_error(loc, "birth_date_future", "The date of birth is after as_of"))
            continue
        age = age_on(born, as_of)
        if age > MAX_AGE:
            errors.append(
                _error(
                    loc,
                    "impossible_age",
                    f"The age must be between 0 and {MAX_AGE}",
                    {"maximum": MAX_AGE},
                )
            )
        elif isinstance(person.age, int) and person.age != age:
            errors.append(
                _error(
                    ("body", root, *where, "age"),
                    "age_mismatch",
                    "The age does not match the date of birth on as_of",
                )
            )
    if errors:
        raise RequestValidationError(errors)


def _error(
    loc: tuple[str | int, ...], kind: str, msg: str, ctx: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"loc": loc, "type": kind, "msg": msg, "ctx": ctx or {}}


@cache
def askable(path: str) -> bool:
    """Whether ``path`` is a field a plan request can carry (so a kiosk can send the answer)."""
    owner, _, name = path.partition(".")
    if owner == "applicant":
        return name in _PERSON_FIELDS
    if owner.startswith("members["):
        return name in _MEMBER_FIELDS
    if owner == "household":
        return name in _HOUSEHOLD_FIELDS
    if owner == "parents":
        return name in _PARENTS_FIELDS
    return owner == "pension_unit" and name in _PENSION_FIELDS


def _renderer(snapshot: CatalogSnapshot, locale: Locale, profile: Profile, as_of: date) -> Renderer:
    known = partial(_known, profile)
    return Renderer(snapshot, locale, profile, as_of, known, partial(missing_paths_of, known=known))


def _known(profile: Profile, path: str) -> bool:
    owner, _, name = path.partition(".")
    if owner == "applicant":
        return name in profile.applicant
    if owner.startswith("members["):
        index = int(owner[len("members[") : -1])
        return index < len(profile.members) and name in profile.members[index]
    if owner in ("household", "pension_unit", "parents"):
        return name in getattr(profile, owner)
    return False


def missing_paths(det: Determination, known: Callable[[str], bool]) -> list[str]:
    return missing_paths_of(det.missing, known)


def missing_paths_of(missing: Iterable[str], known: Callable[[str], bool]) -> list[str]:
    paths = {found[0] for ref in missing if (found := asked_path(ref, known)) is not None}
    return sorted(p for p in paths if askable(p))


# --- use cases ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response document built as plain data and serialized once (orjson)."""

    data: dict[str, Any]

    def json(self) -> bytes:
        return orjson.dumps(self.data)

    def model_dump_json(self) -> str:
        return self.json().decode()


@dataclass(frozen=True, slots=True)
class _Decided:
    """A plan decided, not yet rendered: its verdicts, the questions picked, and the renderer
    (settled with the 소득인정액 estimates) that words them."""

    profile: Profile
    core: PlanCore
    picks: list[QuestionPick]
    renderer: Renderer
    estimates: Mapping[str, Estimate]


def build_plan(
    snapshot: CatalogSnapshot,
    request: out.PlanRequest,
    locale: Locale,
    as_of: date,
    skip: Sequence[str] = (),
    questions: int = 3,
) -> tuple[Rendered, PlanCore, list[QuestionPick]]:
    decided = _decide(snapshot, request, locale, as_of, skip, questions)
    profile, core, picks, renderer = decided.profile, decided.core, decided.picks, decided.renderer
    plan = renderer.plan(core, picks, request.trace == "full", request.max_items)
    used_by = {
        fact: [d.id for d in core.decisions if any(r.fact in refs for r in d.determination.trace)]
        for fact, refs in _INCOME_READS.items()
    }
    plan["income_recognition"] = renderer.incomes(
        _stated_income(profile), used_by, decided.estimates
    )
    plan["expected_births"] = renderer.births(expected_births(snapshot, profile, as_of))
    plan["coming_up"] = renderer.coming_up(coming_up(snapshot, profile, as_of))
    return Rendered(plan), core, picks


def _decide(
    snapshot: CatalogSnapshot,
    request: out.PlanRequest,
    locale: Locale,
    as_of: date,
    skip: Sequence[str],
    questions: int,
) -> _Decided:
    profile = request.profile.to_engine()
    core = compose(snapshot, profile, as_of, request.needs, ineligible_limit=request.max_items)
    renderer = _renderer(snapshot, locale, profile, as_of)
    # eligible per-person programs with a member still undecided (grandmother eligible,
    # grandfather's income unknown) ask too
    open_members = [d for d in core.eligible if d.determination.persons and d.determination.missing]
    estimates = (
        resolve_facts(profile, as_of, snapshot.parameters).estimates
        if profile_has_plain(profile.applicant, profile.members, profile.household)
        else {}
    )
    redirect = plain_first(profile, estimates, skip)
    renderer.settle_with(redirect, estimates, _INCOME_READS)
    picks = pick_questions(
        [*core.needs_info[:QUESTION_POOL], *open_members],
        crisis=in_crisis(profile, request.needs),
        skip=skip,
        askable=askable,
        known=renderer.known,
        limit=questions,
        redirect=redirect,
    )
    return _Decided(profile, core, picks, renderer, estimates)


# the two 소득인정액 facts and the references through which a rule reads each
_INCOME_READS: dict[str, tuple[str, ...]] = {
    "household.income_recognized_monthly": (
        "household.income_recognized_monthly",
        "household.median_income_ratio",
    ),
    "pension_unit.income_recognized_monthly": (
        "pension_unit.income_recognized_monthly",
        "applicant.couple_income_recognized_monthly",
    ),
}


def _stated_income(profile: Profile) -> dict[str, bool]:
    """Whether the request states each 소득인정액 itself (from a notice)."""
    return {
        "household.income_recognized_monthly": "income_recognized_monthly" in profile.household,
        "pension_unit.income_recognized_monthly": "income_recognized_monthly"
        in profile.pension_unit,
    }


def plain_first(
    profile: Profile, estimates: Mapping[str, Estimate], skip: Sequence[str]
) -> dict[str, Sequence[str]]:
    """What to ask instead of a 소득인정액 nobody knows (#11): the plain questions that narrow its
    estimate most, or, before any is answered, the usual order (earnings first). A citizen who
    could not answer one of them (it is in ``skip``) is asked the figure itself next: someone who
    does not know their earnings will not know the rest, and may have the figure on a notice."""
    plain = plain_paths(len(profile.members))
    if set(plain) & set(skip):
        return {}
    stated = _stated_income(profile)
    redirect: dict[str, Sequence[str]] = {}
    for fact in INCOME_FACTS:
        if stated[fact]:
            continue
        estimate = estimates.get(fact)
        redirect[fact] = estimate.asks if estimate is not None else plain
    return redirect


def next_questions(
    snapshot: CatalogSnapshot, request: out.QuestionsRequest, locale: Locale, as_of: date
) -> Rendered:
    asked = max(request.limit, 3)
    if not request.include_plan:  # a kiosk step: the question and the counts, nothing rendered
        decided = _decide(snapshot, request, locale, as_of, request.skip, asked)
        core, picks = decided.core, decided.picks
        return Rendered(
            {
                "questions": [decided.renderer.question(p) for p in picks[: request.limit]],
                "done": not picks,
                "undecided": len(core.needs_info),
                "counts": dict(core.counts),
                "plan": None,
            }
        )
    plan, core, picks = build_plan(snapshot, request, locale, as_of, request.skip, asked)
    return Rendered(
        {
            "questions": plan.data["next_questions"][: request.limit],
            "done": not picks,
            "undecided": len(core.needs_info),
            "counts": plan.data["counts"],
            "plan": plan.data,
        }
    )


def eligibility(
    snapshot: CatalogSnapshot, program_id: str, profile_in: ProfileIn, locale: Locale, as_of: date
) -> out.ProgramEligibility:
    profile = profile_in.to_engine()
    det = snapshot.evaluate_one(profile, as_of, program_id)
    spec = snapshot.programs[program_id].spec
    decision = Decision(spec, det, status_of(det.truth), False)
    item = _renderer(snapshot, locale, profile, as_of).item(decision)
    return out.ProgramEligibility.model_validate(
        {**item, "as_of": as_of, "locale": locale, "catalog_version": snapshot.catalog_version}
    )


def income_recognition(
    snapshot: CatalogSnapshot, profile_in: ProfileIn, locale: Locale, as_of: date
) -> Rendered:
    """Every scheme's 소득인정액 computation for the household, with its steps."""
    profile = profile_in.to_engine()
    ctx = resolve_facts(profile, as_of, snapshot.parameters)
    renderer = _renderer(snapshot, locale, profile, as_of)
    try:
        found = compute_all(ctx.household, ctx.persons, ctx.spouses, as_of, snapshot.parameters)
    except NoParameterValue:
        raise RequestValidationError(
            [
                _error(
                    ("body", "as_of"),
                    "income_year",
                    "No 소득인정액 constants are in force on as_of (2024-01-01 onwards)",
                )
            ]
        ) from None
    computations = []
    for _scheme, estimate in found:
        data = renderer.computation(estimate)
        data.pop("source")
        computations.append(data)
    return Rendered(
        {
            "as_of": as_of.isoformat(),
            "locale": locale,
            "catalog_version": snapshot.catalog_version,
            "computations": computations,
        }
    )
