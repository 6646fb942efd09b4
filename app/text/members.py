"""Household members named the way a case worker would: ``어머니(72세)`` / ``mother (72)``.

The role comes from the member's relation to the applicant and, where the language has a word
for it, their sex (``parent`` + ``female`` → 어머니); the age is shown when it is known exactly
(given, or from the date of birth on ``as_of``). Person 0 is the applicant (``본인`` / ``you``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from app.matching import (
    Profile,
    age_on,
)
from app.text.messages import has, t

_RELATIONS = frozenset(
    {"self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"}
)


def person_facts(profile: Profile, person: int) -> Mapping[str, object]:
    if person == 0:
        return {"relation": "self", **profile.applicant}
    members = profile.members
    return members[person - 1] if 0 < person <= len(members) else {}


def exact_age(facts: Mapping[str, object], as_of: date) -> int | None:
    born = facts.get("birth_date")
    if isinstance(born, date) and born <= as_of:
        return age_on(born, as_of)
    if isinstance(born, str):
        try:
            parsed = date.fromisoformat(born)
        except ValueError:
            parsed = None
        if parsed is not None and parsed <= as_of:
            return age_on(parsed, as_of)
    age = facts.get("age")
    if isinstance(age, int) and not isinstance(age, bool):
        return age
    return None


def member_label(profile: Profile, person: int, as_of: date, locale: str) -> str:
    """``어머니(72세)``, ``배우자``, ``본인(68세)``; ``mother (72)`` in English. Two members who
    would read the same are told apart by their number (``자녀 · 가구원 3``)."""
    label = _label(profile, person, as_of, locale)
    others = range(len(profile.members) + 1)
    if any(o != person and _label(profile, o, as_of, locale) == label for o in others):
        return t(locale, "member.disambiguated", label=label, n=person + 1)
    return label


def member_labels(profile: Profile, as_of: date, locale: str) -> list[str]:
    """``member_label`` of every person, the applicant first (each plain label made once)."""
    plain = [_label(profile, p, as_of, locale) for p in range(len(profile.members) + 1)]
    seen = Counter(plain)
    return [
        label if seen[label] == 1 else t(locale, "member.disambiguated", label=label, n=p + 1)
        for p, label in enumerate(plain)
    ]


def _label(profile: Profile, person: int, as_of: date, locale: str) -> str:
    facts = person_facts(profile, person)
    relation = str(facts.get("relation") or "other")
    relation = relation if relation in _RELATIONS else "other"
    sex = facts.get("sex")
    role_id = f"member.role.{relation}"
    if sex in ("female", "male") and has(locale, f"{role_id}.{sex}"):
        role_id = f"{role_id}.{sex}"
    role = t(locale, role_id)
    if relation == "other":
        role = t(locale, "member.numbered", n=person + 1)
    age = exact_age(facts, as_of)
    months = facts.get("age_months")
    if (age is None or age < 2) and isinstance(months, int) and not isinstance(months, bool):
        return t(locale, "member.with_months", role=role, months=months)
    if age is None:
        return role
    return t(locale, "member.with_age", role=role, age=age)


def member_path(person: int) -> str:
    """Where the member's facts go in a plan request: ``applicant`` or ``members[i]``."""
    return "applicant" if person == 0 else f"members[{person - 1}]"
