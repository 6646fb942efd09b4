"""Which question to ask next: the fact that settles the most undecided programs, by value.

Every *needs_info* program lists the facts that could still change its verdict. Each of those facts
gets the program's weight divided by the number of facts the program still misses (one answer can
settle a program that misses only that fact; a program missing four facts needs four answers).
A program weighs ``1``, plus ``1`` when it answers a stated need, plus its estimated yearly value in
millions of won (capped at 3), plus ``2`` for emergency help when the citizen is in crisis. Facts
the citizen could not answer (``skip``) are never asked again. Derived facts are asked as what
they derive from (age in months → date of birth, life stage → age, income ratio → income).

Yes/no facts about the same person (or the household) are asked together as one *checklist*
("tick every statement that applies": 참전유공자, 자립준비청년, 장기요양 등급 ...), scored as the
sum of its items, at most ``CHECKLIST_SIZE`` items: one tap settles what would otherwise be many
questions, which is what keeps a kiosk session short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from app.matching.facts import FACTS
from app.matching.plan import Decision
from app.matching.values import FactSpec

_REF = re.compile(r"^(applicant|members\[\d+\]|household|pension_unit|parents)\.([a-z_0-9]+)$")
_PERSON = ("applicant", "members[")
CHECKLIST_SIZE = 8


@dataclass(frozen=True, slots=True)
class QuestionPick:
    """A fact to ask, where its answer goes (``path``) and what it may settle. A checklist has
    ``path`` = the owner (``applicant``, ``members[0]``, ``household``), no ``spec``, and its
    yes/no items in ``items`` (path and spec each)."""

    path: str
    spec: FactSpec | None
    score: float
    settles: tuple[str, ...]
    kind: Literal["single", "checklist"] = "single"
    items: tuple[tuple[str, FactSpec], ...] = ()


def asked_path(
    ref: str, known: Callable[[str], bool] = lambda path: False
) -> tuple[str, FactSpec] | None:
    """The profile path and fact spec a kiosk asks for the engine reference ``ref``.

    Age in months is asked as the age first (one tap settles it for anyone over two) and as the
    date of birth only once the age is known."""
    if ref.endswith(".age_months"):
        owner = ref[: -len(".age_months")]
        return _asked(ref, not known(f"{owner}.age"))
    if ref.endswith(".median_income_ratio"):
        # the ratio needs the income and the household size: once the income is known, it is
        # the size that is missing (the parents' household has no size by default)
        owner = ref[: -len(".median_income_ratio")]
        if known(f"{owner}.income_recognized_monthly"):
            return _asked(f"{owner}.size", False)
    return _asked(ref, False)


_PENSION_UNIT = {
    "couple_income_recognized_monthly": "income_recognized_monthly",
    "married": "is_couple",
}


@cache
def _asked(ref: str, age_unknown: bool) -> tuple[str, FactSpec] | None:
    match = _REF.match(ref)
    if match is None:
        return None
    owner, name = match.groups()
    if owner == "applicant" and name in _PENSION_UNIT:
        # the applicant's 본인+배우자 unit is what the pension_unit block already says
        owner, name = "pension_unit", _PENSION_UNIT[name]
    elif owner == "applicant" and name == "receives":
        # what the household receives answers what the applicant does (one question, not two)
        owner = "household"
    scope = "person" if owner.startswith(_PERSON) else owner
    spec = FACTS.get(f"{scope}.{name}")
    if spec is None:
        return None
    if spec.id == "person.age_months" and age_unknown:
        spec = FACTS["person.age"]
    elif spec.asked_as is not None:
        spec = FACTS[spec.asked_as]
    return f"{owner}.{spec.name}", spec


def _plain(
    candidates: Sequence[str],
    skipped: frozenset[str],
    askable: Callable[[str], bool],
    known: Callable[[str], bool],
) -> tuple[str, FactSpec] | None:
    for path in candidates:
        if path in skipped or known(path) or not askable(path):
            continue
        found = _asked(path, False)
        if found is not None:
            return found
    return None


def weight(decision: Decision, crisis: bool) -> float:
    low, high = decision.yearly_value
    value = min((low or high) / 1_000_000, 3.0)
    urgent = 2.0 if crisis and decision.program.is_emergency else 0.0
    return 1.0 + (1.0 if decision.answers_need else 0.0) + value + urgent


def pick_questions(
    undecided: Iterable[Decision],
    *,
    crisis: bool = False,
    skip: Iterable[str] = (),
    askable: Callable[[str], bool] = lambda path: True,
    known: Callable[[str], bool] = lambda path: False,
    limit: int = 3,
    redirect: Mapping[str, Sequence[str]] | None = None,
) -> list[QuestionPick]:
    """The best ``limit`` questions for the *needs_info* decisions, best first. ``redirect``
    maps a path to the plain questions that would settle it, best first (the 소득인정액 a
    citizen cannot answer → the earnings, savings or deposit that narrow its estimate most): the
    first of those neither known nor skipped is asked instead, the path itself only when none
    is left."""
    skipped = frozenset(skip)
    instead = redirect or {}
    scores: dict[str, float] = {}
    specs: dict[str, FactSpec] = {}
    settles: dict[str, list[str]] = {}
    for decision in undecided:
        paths: dict[str, FactSpec] = {}
        for ref in sorted(decision.determination.missing):
            found = asked_path(ref, known)
            if found is not None and found[0] in instead:
                found = _plain(instead[found[0]], skipped, askable, known) or found
            if found is not None and found[0] not in skipped and askable(found[0]):
                paths[found[0]] = found[1]
        if not paths:
            continue
        share = weight(decision, crisis) / len(paths)
        for path, spec in paths.items():
            scores[path] = scores.get(path, 0.0) + share
            specs[path] = spec
            settles.setdefault(path, []).append(decision.id)
    picks = [
        QuestionPick(path, specs[path], scores[path], tuple(settles[path]))
        for path in scores
        if specs[path].type != "bool"
    ]
    owners: dict[str, list[str]] = {}
    for path in sorted(scores, key=lambda p: (-scores[p], p)):
        if specs[path].type == "bool":
            owners.setdefault(path.split(".", 1)[0], []).append(path)
    for owner, flags in owners.items():
        # one checklist per person at a time: the rest come once it is answered
        chunk = flags[:CHECKLIST_SIZE]
        if len(chunk) == 1:
            path = chunk[0]
            picks.append(QuestionPick(path, specs[path], scores[path], tuple(settles[path])))
            continue
        programs = tuple(dict.fromkeys(p for flag in chunk for p in settles[flag]))
        picks.append(
            QuestionPick(
                owner,
                None,
                sum(scores[flag] for flag in chunk),
                programs,
                "checklist",
                tuple((flag, specs[flag]) for flag in chunk),
            )
        )
    picks.sort(key=lambda q: (-q.score, q.spec is not None and q.spec.is_sensitive, q.path))
    return [
        QuestionPick(q.path, q.spec, round(q.score, 3), q.settles, q.kind, q.items)
        for q in picks[:limit]
    ]
