"""The portal's household form: its fields, and the form post turned into a ``PlanRequest``.

The form works without JavaScript (a plain ``POST /`` of ``application/x-www-form-urlencoded``).
An empty field is "don't know" (missing, never zero). Field names are profile paths
(``applicant.age``, ``members.0.relation``, ``household.region``), so a field maps to the profile
without a table of its own; the fields' labels and options come from the fact registry's words.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from pydantic import ValidationError

from app.matching import Need
from app.schemas.plans import PlanRequest
from app.text.facts import fact_label, options
from app.text.messages import t

Kind = Literal["int", "money", "bool", "enum"]
MEMBER_ROWS = 3
NEEDS: tuple[str, ...] = typing.get_args(Need)


@dataclass(frozen=True)
class Field:
    """One form field: where it goes in the profile (``group.name``) and the fact it asks."""

    group: str  # applicant | household | member
    name: str
    fact: str  # the registry id that names it and lists its options
    kind: Kind

    def path(self, row: int | None = None) -> str:
        return f"members.{row}.{self.name}" if row is not None else f"{self.group}.{self.name}"

    def label(self, locale: str) -> str:
        text = fact_label(self.fact, locale)
        return text[:1].upper() + text[1:]

    def choices(self, locale: str) -> list[tuple[str, str]]:
        if self.kind == "bool":
            return [("true", t(locale, "web.yes")), ("false", t(locale, "web.no"))]
        return options(self.fact, locale) if self.kind == "enum" else []


APPLICANT = (
    Field("applicant", "age", "person.age", "int"),
    Field("applicant", "sex", "person.sex", "enum"),
    Field("applicant", "employment_status", "person.employment_status", "enum"),
    Field("applicant", "earned_income_monthly", "person.earned_income_monthly", "money"),
    Field("applicant", "disability_registered", "person.disability_registered", "bool"),
    Field("applicant", "pregnant", "person.pregnant", "bool"),
)
HOUSEHOLD = (
    Field("household", "region", "household.region", "enum"),
    Field("household", "housing", "household.housing", "enum"),
    Field("household", "rent_monthly", "household.rent_monthly", "money"),
    Field("household", "income_recognized_monthly", "household.income_recognized_monthly", "money"),
    Field("household", "assets", "household.assets", "money"),
    Field("household", "single_parent", "household.single_parent", "bool"),
)
MEMBER = (
    Field("member", "relation", "person.relation", "enum"),
    Field("member", "age", "person.age", "int"),
    Field("member", "disability_registered", "person.disability_registered", "bool"),
    Field("member", "student", "person.student", "enum"),
)


@dataclass(frozen=True)
class Submission:
    """A parsed form: what was typed (to show it again), and the request or the problems."""

    values: dict[str, str]
    needs: list[str]
    request: PlanRequest | None
    problems: list[str]  # labels of the fields to check


def parse_form(body: bytes, locale: str) -> Submission:
    pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    values = {name: value.strip() for name, value in pairs if name != "needs"}
    needs = [value for name, value in pairs if name == "needs" and value in NEEDS]
    profile: dict[str, Any] = {"applicant": {}, "household": {}, "members": []}
    problems: list[str] = []
    for field in (*APPLICANT, *HOUSEHOLD):
        _put(profile[field.group], field, values.get(field.path(), ""), locale, problems)
    for row in range(MEMBER_ROWS):
        member: dict[str, Any] = {}
        for field in MEMBER:
            _put(member, field, values.get(field.path(row), ""), locale, problems)
        if member:
            profile["members"].append(member)
    request = None
    if not problems:
        try:
            request = PlanRequest.model_validate({"profile": profile, "needs": needs})
        except ValidationError as error:
            problems = _labels_of(error, locale)
    return Submission(values, needs, request, problems)


def _put(target: dict[str, Any], field: Field, raw: str, locale: str, problems: list[str]) -> None:
    if not raw:
        return  # don't know
    value = _typed(field, raw, locale)
    if value is None:
        problems.append(field.label(locale))
    else:
        target[field.name] = value


def _typed(field: Field, raw: str, locale: str) -> int | bool | str | None:
    if field.kind in ("int", "money"):
        digits = raw.replace(",", "").replace(" ", "")
        return int(digits) if digits.isdigit() and len(digits) <= 12 else None
    if field.kind == "bool":
        return {"true": True, "false": False}.get(raw)
    return raw if raw in dict(field.choices(locale)) else None


def _labels_of(error: ValidationError, locale: str) -> list[str]:
    """The fields a validation error points at, by their labels (never the values)."""
    labels: list[str] = []
    fields = {f.name: f for f in (*APPLICANT, *HOUSEHOLD, *MEMBER)}
    for problem in error.errors():
        names = [str(part) for part in problem["loc"] if isinstance(part, str)]
        found = next((fields[name] for name in reversed(names) if name in fields), None)
        label = found.label(locale) if found else t(locale, "web.kiosk.invalid")
        if label not in labels:
            labels.append(label)
    return labels
