"""Catalog read use cases: programs, facts and parameters from the compiled snapshot.

Everything here reads the in-memory ``CatalogSnapshot`` (and the fact registry); which snapshot
and version one program or parameter is served from is ``catalog_versions``' concern. Text is
rendered in the request's locale.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.errors import ParameterNotFound, ProgramNotFound
from app.locale import Locale
from app.matching import (
    FACTS,
    ApplyChannel,
    CatalogSnapshot,
    Exclusion,
    FactSpec,
    NoParameterValue,
    Parameter,
    ProgramSpec,
)
from app.schemas import plans as plan_schemas
from app.schemas.programs import (
    DocumentRef,
    ExclusionOut,
    FactOption,
    FactOut,
    ParameterList,
    ParameterOut,
    ParameterValueOut,
    ProgramDetail,
    ProgramPage,
    ProgramRef,
    ProgramSummary,
    SourceOut,
)
from app.services.catalog_versions import NO_SUCH_PARAMETER, NO_SUCH_PROGRAM
from app.services.plans import askable
from app.text.criteria import describe_rule
from app.text.facts import fact_label, fact_question
from app.text.facts import options as fact_options
from app.text.messages import t
from app.text.plan_base import channel_label

# --- Programs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramFilter:
    """List filters; ``None`` means any. ``region`` matches national (``KR``) programs too."""

    domain: str | None = None
    stage: str | None = None
    region: str | None = None
    target: str | None = None
    q: str | None = None

    def matches(self, spec: ProgramSpec) -> bool:
        return (
            (self.domain is None or spec.domain == self.domain)
            and (self.stage is None or self.stage in spec.stages)
            and (self.region is None or self.region in spec.regions or spec.is_national)
            and (self.target is None or self.target in spec.targets)
            and (self.q is None or _matches_text(spec, self.q))
        )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _matches_text(spec: ProgramSpec, query: str) -> bool:
    """Every word of ``query`` appears in the Korean or English name or summary."""
    haystack = _fold(
        " ".join((*spec.name.model_dump().values(), *spec.summary.model_dump().values()))
    )
    return all(word in haystack for word in _fold(query).split())


def list_programs(
    snapshot: CatalogSnapshot,
    filters: ProgramFilter,
    as_of: date,
    locale: Locale,
    *,
    limit: int,
    offset: int,
) -> ProgramPage:
    """Programs in effect on ``as_of`` that pass ``filters``, ordered by id, one page."""
    matching = sorted(
        (p.spec for p in snapshot.in_effect(as_of) if filters.matches(p.spec)), key=lambda s: s.id
    )
    return ProgramPage(
        items=[_summary(spec, locale) for spec in matching[offset : offset + limit]],
        total=len(matching),
        limit=limit,
        offset=offset,
        as_of=as_of,
        catalog_version=snapshot.catalog_version,
    )


def _summary_fields(spec: ProgramSpec, locale: Locale) -> dict[str, object]:
    return {
        "id": spec.id,
        "name": spec.name.get(locale),
        "summary": spec.summary.get(locale),
        "domain": spec.domain,
        "stages": list(spec.stages),
        "targets": list(spec.targets),
        "needs": list(spec.needs),
        "regions": list(spec.regions),
        "agency": spec.agency.get(locale),
        "verification": spec.verification,
        "is_emergency": spec.is_emergency,
        "effective_from": spec.effective_from,
        "effective_to": spec.effective_to,
    }


def _summary(spec: ProgramSpec, locale: Locale) -> ProgramSummary:
    return ProgramSummary.model_validate(_summary_fields(spec, locale))


def require_program(snapshot: CatalogSnapshot, program_id: str) -> ProgramSpec:
    compiled = snapshot.programs.get(program_id)
    if compiled is None:
        raise ProgramNotFound(NO_SUCH_PROGRAM)
    return compiled.spec


def program_detail(
    snapshot: CatalogSnapshot, spec: ProgramSpec, as_of: date, locale: Locale, version: int
) -> ProgramDetail:
    """``spec`` in full, its criteria rendered with the parameter values in force on ``as_of``."""
    criteria = describe_rule(spec.eligibility, locale, snapshot.parameters, as_of)
    if spec.who is not None:
        head = t(locale, "catalog.criteria.who")
        who = describe_rule(spec.who, locale, snapshot.parameters, as_of, indent=1)
        criteria = f"- {head}\n{who}\n{criteria}"
    dumped = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    rule = dumped["eligibility"]
    return ProgramDetail.model_validate(
        {
            **_summary_fields(spec, locale),
            "verification_note": _verification_note(spec, locale),
            "criteria": criteria.splitlines(),
            "eligibility": rule,
            "who": dumped.get("who"),
            "benefit_kind": spec.benefit.kind,
            "benefit": spec.benefit.description.get(locale),
            "apply": [_channel(c, locale) for c in spec.apply],
            "documents": [_document(snapshot, d, locale) for d in spec.documents],
            "excludes": [_exclusion(snapshot, e, locale) for e in spec.excludes],
            "prerequisites": [_program_ref(snapshot, p, locale) for p in spec.prerequisites],
            "legal_basis": spec.legal_basis.get(locale) if spec.legal_basis else None,
            "sources": [SourceOut(url=s.url, title=s.title) for s in spec.sources],
            "version": version,
            "is_in_effect": spec.is_in_effect(as_of),
            "as_of": as_of,
            "catalog_version": snapshot.catalog_version,
        }
    )


def _verification_note(spec: ProgramSpec, locale: Locale) -> str | None:
    """The catalog's note; a rule not fully verified always says so first."""
    note = spec.verification_note.get(locale) if spec.verification_note else None
    if spec.verification == "verified":
        return note
    notice = t(locale, f"catalog.verification.{spec.verification}")
    return notice if note is None else f"{notice} {note}"


def _channel(channel: ApplyChannel, locale: Locale) -> plan_schemas.ApplyOption:
    return plan_schemas.ApplyOption(
        channel=channel.channel,
        label=channel_label(channel.channel, locale),
        url=channel.url,
        phone=channel.phone,
        note=channel.note.get(locale) if channel.note else None,
    )


def _document(snapshot: CatalogSnapshot, document_id: str, locale: Locale) -> DocumentRef:
    spec = snapshot.documents.get(document_id)
    if spec is None:
        return DocumentRef(id=document_id, name=document_id)
    note = spec.note.get(locale) if spec.note else None
    return DocumentRef(id=document_id, name=spec.name.get(locale), note=note)


def _exclusion(snapshot: CatalogSnapshot, exclusion: Exclusion, locale: Locale) -> ExclusionOut:
    return ExclusionOut(
        program_id=exclusion.program,
        name=_program_ref(snapshot, exclusion.program, locale).name,
        prefer=exclusion.prefer,
        reason=exclusion.reason.get(locale),
    )


def _program_ref(snapshot: CatalogSnapshot, program_id: str, locale: Locale) -> ProgramRef:
    """Another program by id and name (the id when it is not in the catalog)."""
    other = snapshot.programs.get(program_id)
    name = other.spec.name.get(locale) if other is not None else program_id
    return ProgramRef(id=program_id, name=name)


# --- Facts ---------------------------------------------------------------------------------


def list_facts(locale: Locale) -> list[FactOut]:
    """The fact registry in registry order, with questions and labels in ``locale``."""
    return [_fact(spec, locale) for spec in FACTS.values()]


def _fact(spec: FactSpec, locale: Locale) -> FactOut:
    options = [FactOption(value=v, label=label) for v, label in fact_options(spec.id, locale)]
    if spec.type == "bool":
        options = [
            FactOption(value=value, label=t(locale, "format.yes" if value else "format.no"))
            for value in (True, False)
        ]
    profile_path, member_path = _profile_paths(spec)
    return FactOut(
        id=spec.id,
        type=spec.type,
        scope=spec.scope,
        label=fact_label(spec.id, locale),
        question=fact_question(spec.id, locale),
        unit=spec.unit,
        options=options,
        minimum=spec.minimum,
        maximum=spec.maximum,
        is_sensitive=spec.is_sensitive,
        is_derived=spec.is_derived,
        asked_as=spec.asked_as,
        profile_path=profile_path,
        member_path=member_path,
    )


def _profile_paths(spec: FactSpec) -> tuple[str | None, str | None]:
    """(where the applicant's or household's answer goes, where another member's goes).

    ``person.*`` goes to ``applicant.<name>`` and ``members[].<name>``; ``household.*`` and
    ``pension_unit.*`` to the object of that name. Facts the plan request does not accept
    (only derived, e.g. ``person.age_months``) have no path: ask ``asked_as`` instead.
    """
    group, name = spec.id.split(".", 1)
    if group != "person":
        return (spec.id if askable(spec.id) else None), None
    member = f"members[].{name}" if askable(f"members[0].{name}") else None
    applicant = f"applicant.{name}" if askable(f"applicant.{name}") else member
    return applicant, member


# --- Parameters ----------------------------------------------------------------------------


def list_parameters(snapshot: CatalogSnapshot, as_of: date, locale: Locale) -> ParameterList:
    items = _parameters(snapshot.parameters.values(), as_of, locale)
    return ParameterList(as_of=as_of, catalog_version=snapshot.catalog_version, items=items)


def get_parameter(
    snapshot: CatalogSnapshot, parameter_id: str, as_of: date, locale: Locale
) -> ParameterOut:
    parameter = snapshot.parameters.get(parameter_id)
    if parameter is None:
        raise ParameterNotFound(NO_SUCH_PARAMETER)
    return _parameter(parameter, as_of, locale)


def _parameters(parameters: Iterable[Parameter], as_of: date, locale: Locale) -> list[ParameterOut]:
    return [_parameter(p, as_of, locale) for p in sorted(parameters, key=lambda p: p.id)]


def _parameter(parameter: Parameter, as_of: date, locale: Locale) -> ParameterOut:
    try:
        in_force = parameter.at(as_of)
    except NoParameterValue:
        in_force = None
    return ParameterOut(
        id=parameter.id,
        unit=parameter.unit,
        description=parameter.description.get(locale),
        reference=parameter.reference.get(locale) if parameter.reference else None,
        source_url=parameter.source_url,
        verification=parameter.verification,
        key=parameter.key,
        extrapolate=parameter.extrapolate,
        values=[
            ParameterValueOut(effective_from=v.effective_from, value=v.value)
            for v in parameter.values
        ],
        value_at_as_of=in_force,
        as_of=as_of,
    )
