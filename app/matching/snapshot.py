"""``CatalogSnapshot``: compiled programs + parameters + documents, immutable once built.

Compile once, evaluate many; rebuilt when the catalog changes and swapped in with one assignment.
``catalog_version`` is the first 16 hex digits of the sha256 of the canonical JSON of every
program, parameter and document, so a plan can name exactly what it was computed from.
``program_versions`` and ``parameter_versions`` record which version (in the catalog tables) of
each item the snapshot was built from, so that a read can name it (its ETag) without asking the
database; a snapshot built from specs alone has none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from app.matching.evaluate import (
    CompiledProgram,
    Determination,
    compile_programs,
    evaluate_programs,
)
from app.matching.facts import FactContext, Profile, resolve_facts
from app.matching.parameters import Parameter, ParameterSet
from app.matching.programs import DocumentSpec, ProgramSpec
from app.matching.receipts import (
    Receipts,
    after_prerequisites,
    amount_dependencies,
    mark_receiving,
    newly_granted,
    receipt_dependencies,
    repriced,
    settle_receipts,
    with_granted,
)
from app.matching.truth import TRUE

IN_EFFECT_CACHE = 64  # dates whose in-effect program list is kept


@dataclass(frozen=True)
class CatalogSnapshot:
    programs: Mapping[str, CompiledProgram]
    parameters: ParameterSet
    documents: Mapping[str, DocumentSpec]
    catalog_version: str
    _in_effect: dict[date, tuple[CompiledProgram, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    # what other modules derive once per catalog version (``upcoming``'s age thresholds)
    memo: dict[str, object] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    chains: Mapping[str, frozenset[str]] = field(default_factory=dict)
    amount_chains: Mapping[str, frozenset[str]] = field(default_factory=dict)
    program_versions: Mapping[str, int] = field(default_factory=dict)
    parameter_versions: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        programs: Iterable[ProgramSpec],
        parameters: Iterable[Parameter],
        documents: Iterable[DocumentSpec] = (),
        *,
        program_versions: Mapping[str, int] | None = None,
        parameter_versions: Mapping[str, int] | None = None,
    ) -> CatalogSnapshot:
        """Compile every program; raises ``CompileError`` listing every problem."""
        specs = sorted(programs, key=lambda p: p.id)
        parameter_set = ParameterSet(sorted(parameters, key=lambda p: p.id))
        docs = {d.id: d for d in sorted(documents, key=lambda d: d.id)}
        compiled = compile_programs(specs, parameter_set)
        version = catalog_version(specs, parameter_set.values(), docs.values())
        chains = {
            spec.id: frozenset(found)
            for spec in specs
            if (found := receipt_dependencies(spec) & set(compiled) - {spec.id})
        }
        amount_chains = {
            spec.id: frozenset(found)
            for spec in specs
            if (found := amount_dependencies(spec) & set(compiled))
        }
        return cls(
            MappingProxyType(compiled),
            parameter_set,
            MappingProxyType(docs),
            version,
            MappingProxyType(chains),
            MappingProxyType(amount_chains),
            MappingProxyType(dict(program_versions or {})),
            MappingProxyType(dict(parameter_versions or {})),
        )

    def in_effect(self, as_of: date) -> list[CompiledProgram]:
        """Programs in effect on ``as_of`` (``effective_from <= as_of <= effective_to``)."""
        return list(self._programs_on(as_of))

    def _programs_on(self, as_of: date) -> tuple[CompiledProgram, ...]:
        found = self._in_effect.get(as_of)
        if found is None:
            found = tuple(p for p in self.programs.values() if p.spec.is_in_effect(as_of))
            if len(self._in_effect) >= IN_EFFECT_CACHE:
                self._in_effect.clear()
            self._in_effect[as_of] = found
        return found

    def evaluate(
        self,
        profile: Profile,
        as_of: date,
        program_ids: Sequence[str] | None = None,
        share: bool = True,
    ) -> list[Determination]:
        """Every program in effect on ``as_of`` (or exactly ``program_ids``: one not in effect is
        FALSE with an ``effective`` trace entry). Facts are resolved once. KeyError on an unknown
        id. ``share=False`` evaluates every program from scratch (same result, slower; for
        tests)."""
        ctx = resolve_facts(profile, as_of, self.parameters)
        receipts = settle_receipts(self.programs, ctx)
        if program_ids is None:
            programs = list(self._programs_on(as_of))
            found = evaluate_programs(programs, ctx, share=share)
        else:
            programs = [self.programs[i] for i in program_ids]
            found = evaluate_programs(programs, ctx, check_dates=True, share=share)
        return self._household_true(programs, found, ctx, receipts, as_of, share)

    def evaluate_member(self, profile: Profile, as_of: date, person: int) -> list[Determination]:
        """The programs for a person (``who``) in effect on ``as_of``, decided for member
        ``person`` alone: each answer's ``persons`` holds that member's verdict exactly as
        ``evaluate`` gives it. Programs in a receipt chain (needing another, or needed by one,
        for eligibility or for the amount) are decided for everyone, since what the plan grants
        anyone reaches the member's verdict through them."""
        ctx = resolve_facts(profile, as_of, self.parameters)
        receipts = settle_receipts(self.programs, ctx)
        linked = self._chained_programs()
        programs = [p for p in self._programs_on(as_of) if p.who is not None or p.id in linked]
        whole = [p for p in programs if p.id in linked]
        alone = [p for p in programs if p.id not in linked]
        found = evaluate_programs(whole, ctx) + evaluate_programs(alone, ctx, only=person)
        return self._household_true(whole + alone, found, ctx, receipts, as_of, True)

    def _chained_programs(self) -> frozenset[str]:
        """Every program in a receipt chain, on either end."""
        found = self.memo.get("snapshot.chained")
        if not isinstance(found, frozenset):
            ends = (*self.chains.items(), *self.amount_chains.items())
            found = frozenset(pid for key, needs in ends for pid in (key, *needs))
            self.memo["snapshot.chained"] = found
        return found

    def evaluate_one(self, profile: Profile, as_of: date, program_id: str) -> Determination:
        return self.evaluate(profile, as_of, [program_id])[0]

    def _household_true(
        self,
        programs: Sequence[CompiledProgram],
        found: list[Determination],
        ctx: FactContext,
        receipts: Receipts,
        as_of: date,
        share: bool,
    ) -> list[Determination]:
        """Mark what is already received, then decide again the programs that need another
        one this plan newly grants (노인맞춤돌봄 once 기초연금 is granted): eligible *after* it."""
        found = [mark_receiving(d, receipts) for d in found]
        chained = [
            i for i, p in enumerate(programs) if p.id in self.chains and found[i].truth is not TRUE
        ]
        priced = [
            i
            for i, p in enumerate(programs)
            if p.id in self.amount_chains and found[i].truth is TRUE
        ]
        if not chained and not priced:
            return found
        wanted: set[str] = set()
        for i in chained:
            wanted |= self.chains[programs[i].id]
        for i in priced:
            wanted |= self.amount_chains[programs[i].id]
        known = {d.program_id: d for d in found}
        extra = [
            self.programs[pid]
            for pid in sorted(wanted - set(known))
            if pid in self.programs and self.programs[pid].spec.is_in_effect(as_of)
        ]
        for det in evaluate_programs(extra, ctx, share=share):
            known[det.program_id] = mark_receiving(det, receipts)
        granted = newly_granted(known.values(), wanted)
        if not granted.anyone:
            return found
        if chained:
            again = evaluate_programs(
                [programs[i] for i in chained], with_granted(ctx, granted), share=False
            )
            for i, det in zip(chained, again, strict=True):
                found[i] = after_prerequisites(found[i], mark_receiving(det, receipts), granted)
        if priced:
            again = evaluate_programs(
                [programs[i] for i in priced], with_granted(ctx, granted, assume=True), share=False
            )
            for i, det in zip(priced, again, strict=True):
                found[i] = repriced(found[i], det)
        return found


def catalog_version(
    programs: Iterable[ProgramSpec],
    parameters: Iterable[Parameter],
    documents: Iterable[DocumentSpec] = (),
) -> str:
    """sha256 (first 16 hex) of the canonical JSON of the sorted specs."""
    payload = {
        "programs": sorted((_dump(p) for p in programs), key=lambda d: str(d["id"])),
        "parameters": sorted((_dump(p) for p in parameters), key=lambda d: str(d["id"])),
        "documents": sorted((_dump(d) for d in documents), key=lambda d: str(d["id"])),
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _dump(spec: ProgramSpec | Parameter | DocumentSpec) -> dict[str, object]:
    return spec.model_dump(mode="json", by_alias=True, exclude_none=True)
