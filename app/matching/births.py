"""A baby on the way: what it will bring, decided for the newborn as a new member on the due
date (pure; the text layer says it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter

from app.matching.benefits import AmountRange
from app.matching.facts import Profile
from app.matching.snapshot import CatalogSnapshot
from app.matching.truth import FALSE, Truth

_PROGRAM_ID = attrgetter("program_id")  # the catalog's order: evaluate_member lists chains first


@dataclass(frozen=True, slots=True)
class ExpectedBirth:
    """A baby on the way: who carries it, when it is due, what it will bring (decided for the
    baby as a new member on the due date)."""

    person: int
    due_date: date
    programs: tuple[tuple[str, Truth, AmountRange | None], ...]


_BABY_RELATION = {"self": "child", "spouse": "child", "child": "grandchild"}


def expected_births(
    snapshot: CatalogSnapshot, profile: Profile, as_of: date
) -> list[ExpectedBirth]:
    """For each member with a due date on or after ``as_of``: the programs decided per person
    that the newborn would be eligible for (or may be) on the due date."""
    found = []
    people = [{"relation": "self", **profile.applicant}, *profile.members]
    for person, facts in enumerate(people):
        due = facts.get("due_date")
        if not isinstance(due, date) or due < as_of or facts.get("pregnant") is False:
            continue
        baby: dict[str, object] = {
            "relation": _BABY_RELATION.get(str(facts.get("relation")), "other"),
            "birth_date": due,
            "received_before": frozenset(),  # a newborn has had nothing yet
            # and is neither a marriage immigrant nor pregnant nor anyone's veteran
            "marriage_immigrant": False,
            "naturalized_within_3y": False,
            "pregnant": False,
        }
        order = facts.get("expected_child_order")
        if isinstance(order, int):
            baby["birth_order"] = order
        nationality = facts.get("nationality")
        if nationality is not None:
            baby["nationality"] = nationality
        size = profile.household.get("size")
        household = dict(profile.household)
        if isinstance(size, int):
            household["size"] = size + 1
        born = replace(profile, members=[*profile.members, baby], household=household)
        index = len(people)
        programs = []
        for det in sorted(snapshot.evaluate_member(born, due, index), key=_PROGRAM_ID):
            mine = next((p for p in det.persons if p.person == index), None)
            if mine is not None and mine.truth is not FALSE and not mine.receiving:
                programs.append((det.program_id, mine.truth, mine.benefit))
        found.append(ExpectedBirth(person, due, tuple(programs)))
    return found
