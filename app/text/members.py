"""Household members named the way a case worker would: ``어머니(72세)`` / ``mother (72)``.

The role comes from the member's relation to the applicant and, where the language has a word
for it, their sex (``parent`` + ``female`` → 어머니); the age is shown when it is known exactly
(given, or from the date of birth on ``as_of``). Person 0 is the applicant (``본인`` / ``you``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.matching.facts import Profile, age_on

# relation: (ko, ko female, ko male, en, en female, en male)
_ROLES: dict[str, tuple[str, str, str, str, str, str]] = {
    "self": ("본인", "본인", "본인", "you", "you", "you"),
    "spouse": ("배우자", "아내", "남편", "spouse", "wife", "husband"),
    "child": ("자녀", "딸", "아들", "child", "daughter", "son"),
    "parent": ("부모", "어머니", "아버지", "parent", "mother", "father"),
    "grandparent": ("조부모", "할머니", "할아버지", "grandparent", "grandmother", "grandfather"),
    "grandchild": ("손주", "손녀", "손자", "grandchild", "granddaughter", "grandson"),
    "sibling": ("형제자매", "자매", "형제", "sibling", "sister", "brother"),
    "other": ("가구원", "가구원", "가구원", "household member", "household member",
              "household member"),
}  # fmt: skip


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
        return (
            f"{label} · member {person + 1}" if locale == "en" else f"{label} · 가구원 {person + 1}"
        )
    return label


def _label(profile: Profile, person: int, as_of: date, locale: str) -> str:
    facts = person_facts(profile, person)
    relation = str(facts.get("relation") or "other")
    roles = _ROLES.get(relation, _ROLES["other"])
    sex = facts.get("sex")
    en = locale == "en"
    index = (3 if en else 0) + (1 if sex == "female" else 2 if sex == "male" else 0)
    role = roles[index]
    if relation == "other":
        role = f"household member {person + 1}" if en else f"가구원 {person + 1}"
    age = exact_age(facts, as_of)
    months = facts.get("age_months")
    if (age is None or age < 2) and isinstance(months, int) and not isinstance(months, bool):
        return f"{role} ({months} months)" if en else f"{role}({months}개월)"
    if age is None:
        return role
    return f"{role} ({age})" if en else f"{role}({age}세)"


def member_path(person: int) -> str:
    """Where the member's facts go in a plan request: ``applicant`` or ``members[i]``."""
    return "applicant" if person == 0 else f"members[{person - 1}]"
