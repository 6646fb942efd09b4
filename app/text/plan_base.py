"""The plan renderer's ground floor: the caches, the sentence of one condition, what depends only
on the program, and how members, programs and channels are named."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.matching import (
    FACTS,
    CatalogSnapshot,
    ConditionResult,
    CountRule,
    OneOf,
    Profile,
    ProgramSpec,
    Range,
)
from app.matching import (
    ApplyChannel as ApplySpec,
)
from app.schemas import plans as out
from app.text import formats
from app.text.conditions import render_condition
from app.text.criteria import rule_at
from app.text.members import member_label, member_labels
from app.text.messages import t

MEMBER_REF = re.compile(r"^members\[(\d+)\]\.([a-z_0-9]+)$")
# Per (catalog version, locale): condition sentences, the parts of an item that depend only on
# the program, the structured conditions, and other parts of a plan that depend only on the
# catalog and the locale (a question's options, a fact's label: as many as the catalog has).
# At most 8 versions × locales are kept, and 100,000 sentences and conditions over all of them.
_Caches = tuple[
    dict[object, str],
    dict[str, dict[str, Any]],
    dict[object, dict[str, Any]],
    dict[object, Any],
]
_RENDER_CACHES: dict[tuple[str, str], _Caches] = {}
_SENTENCE_CACHE_LIMIT = 100_000
_UNSET: Any = object()


def channel_label(channel: str, locale: str) -> str:
    """One label per apply channel, for the catalog and the plan alike."""
    return t(locale, f"channel.{channel}")


def amount_of(value: Any) -> dict[str, int | None]:
    return {"low": value.low, "high": value.high}


class RendererBase:
    """Renders one snapshot's decisions in one locale; condition sentences are cached per
    catalog version and locale (they depend only on the trace entry)."""

    def __init__(
        self,
        snapshot: CatalogSnapshot,
        locale: str,
        profile: Profile,
        as_of: date,
        known: Callable[[str], bool],
        paths_of: Callable[[Iterable[str]], list[str]],
    ) -> None:
        self.snapshot, self.locale, self.as_of = snapshot, locale, as_of
        self.profile = profile
        self.labels: dict[int, str] = {}
        # fact reference → the label of the member it names (None: nobody is named)
        self.named: dict[str, str | None] = {}
        self.redirect: Mapping[str, Sequence[str]] = {}
        self.estimated: dict[str, str] = {}  # fact → its verification, where estimated
        self.reads: Mapping[str, Sequence[str]] = {}  # fact → the references that read it
        self.known = known
        self.paths_of = paths_of
        self.opened: dict[frozenset[str], list[str]] = {}  # paths_of, per set of open facts
        # status, trace, program → (the trace, its reasons): see ``ItemRenderer.reasons``
        self.said: dict[tuple[str, int, str], tuple[Sequence[ConditionResult], list[str]]] = {}
        # in a household of several, the applicant is named too ("본인(68세)")
        self.name_applicant = bool(profile.members)
        key = (snapshot.catalog_version, locale)
        # sentences and conditions are keyed by citizens' values too: bounded, checked per plan
        held = sum(len(c[0]) + len(c[2]) for c in _RENDER_CACHES.values())
        if len(_RENDER_CACHES) > 8 or held > _SENTENCE_CACHE_LIMIT:
            _RENDER_CACHES.clear()
        caches = _RENDER_CACHES.get(key)
        if caches is None:
            caches = _RENDER_CACHES[key] = ({}, {}, {}, {})
        self.sentences, self.statics, self.conditions, self.parts = caches

    def open_paths(self, missing: frozenset[str]) -> list[str]:
        """``paths_of(missing)``, once per set of open facts (members often miss the same)."""
        found = self.opened.get(missing)
        if found is None:
            found = self.opened[missing] = self.paths_of(missing)
        return list(found)

    def t(self, message_id: str, /, **args: Any) -> str:
        return t(self.locale, message_id, **args)

    def money(self, amount: int | float) -> str:
        return formats.money(amount, self.locale)

    def _key(self, result: ConditionResult, program: ProgramSpec) -> object:
        fact = result.fact
        if fact == "count":
            return (program.id, self.as_of, result)
        named = self.named.get(fact, _UNSET)
        if named is _UNSET:
            person = self._person_of(fact)
            named = self.named[fact] = None if person is None else self.label(person)
        if named is not None:  # named by role and age, which only this request knows
            return (result, named)
        return result

    def sentence(self, result: ConditionResult, program: ProgramSpec) -> str:
        return self._sentence(result, program, self._key(result, program))

    def _sentence(self, result: ConditionResult, program: ProgramSpec, key: object) -> str:
        try:
            cached = self.sentences.get(key)
        except TypeError:  # an unhashable value: render without caching
            return self._render(result, program)
        if cached is None:
            cached = self.sentences[key] = self._render(result, program)
        return cached

    def _person_of(self, ref: str) -> int | None:
        member = _member_of(ref)
        if member is not None:
            return member
        if self.name_applicant and ref.startswith("applicant."):
            return 0
        return None

    def _render(self, result: ConditionResult, program: ProgramSpec) -> str:
        person = self._person_of(result.fact)
        label = None if person is None else self.label(person)
        count = None
        if result.fact == "count":
            root = program.who if result.path.startswith("who") else program.eligibility
            rule = rule_at(root, result.path) if root is not None else None
            count = rule if isinstance(rule, CountRule) else None
        return render_condition(
            result, self.locale, self.snapshot.parameters, label, count, self.as_of
        )

    def condition(self, result: ConditionResult, program: ProgramSpec) -> dict[str, Any]:
        """One evaluated condition, structured (whose fact, the value, the line, the unit) and
        as a sentence; cached like the sentence (never mutated: it is serialized as is)."""
        key = self._key(result, program)
        try:
            cached = self.conditions.get(key)
        except TypeError:  # an unhashable value
            return self._condition(result, program, key)
        if cached is None:
            cached = self.conditions[key] = self._condition(result, program, key)
        return cached

    def _condition(
        self, result: ConditionResult, program: ProgramSpec, key: object
    ) -> dict[str, Any]:
        member = MEMBER_REF.match(result.fact)
        spec = FACTS.get(
            f"person.{member.group(2)}" if member else result.fact.replace("applicant.", "person.")
        )
        return {
            "path": result.path,
            "fact": result.fact,
            "op": result.op,
            "outcome": result.truth.value,
            "sentence": self._sentence(result, program, key),
            "member": (
                f"members[{member.group(1)}]"
                if member
                else "applicant"
                if result.fact.startswith("applicant.")
                else None
            ),
            "value": _jsonable(result.value),
            "threshold": _jsonable(result.threshold),
            "unit": spec.unit if spec is not None else None,
        }

    def static(self, spec: ProgramSpec) -> dict[str, Any]:
        """The parts of an item that depend only on the program and the locale (cached)."""
        found = self.statics.get(spec.id)
        if found is None:
            locale = self.locale
            untranslated = [
                name
                for name, text in (("name", spec.name), ("summary", spec.summary))
                if not text.has(locale)
            ]
            found = self.statics[spec.id] = {
                "program_id": spec.id,
                "name": spec.name.get(locale),
                "summary": spec.summary.get(locale),
                "untranslated": untranslated,
                "domain": spec.domain,
                "verification": spec.verification,
                "verification_note": (
                    spec.verification_note.get(locale) if spec.verification_note else None
                ),
                "is_emergency": spec.is_emergency,
                "benefit_kind": spec.benefit.kind,
                "benefit_description": spec.benefit.description.get(locale),
                "apply": [self.channel(c).model_dump(mode="json") for c in spec.apply],
                "documents": list(spec.documents),
                "prerequisites": list(spec.prerequisites),
            }
        return found

    def label(self, person: int) -> str:
        if not self.labels:  # everyone at once: telling two alike apart reads them all anyway
            labels = member_labels(self.profile, self.as_of, self.locale)
            self.labels.update(enumerate(labels))
        found = self.labels.get(person)
        if found is None:
            found = self.labels[person] = member_label(
                self.profile, person, self.as_of, self.locale
            )
        return found

    def name(self, program_id: str) -> str:
        found = self.snapshot.programs.get(program_id)
        return found.spec.name.get(self.locale) if found is not None else program_id

    def channel(self, channel: ApplySpec) -> out.ApplyOption:
        return out.ApplyOption(
            channel=channel.channel,
            label=channel_label(channel.channel, self.locale),
            url=channel.url,
            phone=channel.phone,
            note=channel.note.get(self.locale) if channel.note else None,
        )


@lru_cache(maxsize=4096)
def _member_of(ref: str) -> int | None:
    """The person ``members[i].…`` names (``i + 1``), or None."""
    member = MEMBER_REF.match(ref)
    return None if member is None else int(member.group(1)) + 1


def _jsonable(value: object) -> object:
    """A trace value as JSON: a range as ``{min, max}``, a set as a sorted list, a date as ISO."""
    if isinstance(value, Range):
        return {"min": _jsonable(value.min), "max": _jsonable(value.max)}
    if isinstance(value, OneOf):
        return sorted((_jsonable(v) for v in value.options), key=str)
    if isinstance(value, frozenset | set):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
