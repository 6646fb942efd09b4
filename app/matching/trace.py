"""Evaluation records: ids and numbers only, never sentences (``app.text`` renders them)."""

from __future__ import annotations

from typing import NamedTuple

from app.matching.truth import Truth


class ConditionResult(NamedTuple):
    """One evaluated condition.

    ``path`` locates it in the program (``eligibility.all[1]``; ``regions`` for the implicit
    regional condition; ``effective`` for the program's dates). ``fact`` is the reference read
    (``applicant.age``, ``members[0].age``, ``household.size``; ``count`` for a member count).
    ``value`` is the citizen's value (exact, ``Range``, ``OneOf``, ``frozenset``; ``None`` when
    unknown). ``threshold`` is what it was compared with: a literal, the parameter value in force
    (after ``percent``), a tuple for ``in``/``between``, a ``Range`` of possible thresholds when the
    parameter's key is not known, ``None`` when there is none.
    """

    path: str
    fact: str
    value: object
    op: str
    threshold: object
    param: str | None
    truth: Truth
    percent: float | None = None
