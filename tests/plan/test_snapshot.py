"""``CatalogSnapshot``: what is in effect on a date, evaluation by id, and ``catalog_version``.

The version must change whenever anything a plan depends on changes (a rule, a parameter value, a
document, a program's text) and must not change otherwise (order of the files, a rebuild).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest

from app.matching.facts import Profile
from app.matching.parameters import Parameter
from app.matching.programs import DocumentSpec, ProgramSpec
from app.matching.snapshot import CatalogSnapshot, catalog_version
from app.matching.truth import FALSE, TRUE
from tests.matching.build import (
    AS_OF,
    couple_threshold,
    fact,
    median_income,
    program,
    scalar_parameter,
)

SENIOR = fact("applicant.age", "ge", 65)
OLD = Profile(applicant={"age": 70})


def document(doc_id: str, ko: str = "신분증") -> DocumentSpec:
    return DocumentSpec.model_validate({"id": doc_id, "name": {"ko": ko, "en": "ID card"}})


def params(amount: int = 100_000) -> list[Parameter]:
    return [
        median_income(),
        couple_threshold(),
        scalar_parameter("toy.amount", [("2025-01-01", amount)]),
    ]


def build(*specs: ProgramSpec, documents: tuple[DocumentSpec, ...] = ()) -> CatalogSnapshot:
    return CatalogSnapshot.build(specs, params(), documents)


# in effect -------------------------------------------------------------------------------------


def dated() -> CatalogSnapshot:
    return build(
        program(SENIOR, id="toy-old", effective_from="2020-01-01", effective_to="2025-12-31"),
        program(SENIOR, id="toy-new", effective_from="2026-01-01"),
        program(SENIOR, id="toy-always", effective_from="2020-01-01"),
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2019, 12, 31), []),
        (date(2020, 1, 1), ["toy-always", "toy-old"]),
        (date(2025, 12, 31), ["toy-always", "toy-old"]),  # the last day of toy-old
        (date(2026, 1, 1), ["toy-always", "toy-new"]),  # the first day of toy-new
    ],
)
def test_programs_in_effect_on_a_date(as_of: date, expected: list[str]) -> None:
    snap = dated()
    assert [p.id for p in snap.in_effect(as_of)] == expected
    assert [d.program_id for d in snap.evaluate(OLD, as_of)] == expected


def test_in_effect_answers_each_date_on_its_own_when_asked_again() -> None:
    snap = dated()
    for _ in range(2):
        assert [p.id for p in snap.in_effect(date(2025, 6, 1))] == ["toy-always", "toy-old"]
        assert [p.id for p in snap.in_effect(date(2026, 6, 1))] == ["toy-always", "toy-new"]
        assert snap.in_effect(date(2019, 6, 1)) == []


def test_in_effect_stays_right_over_many_dates() -> None:
    snap = dated()
    for day in range(1, 29):
        for month, expected in ((12, ["toy-always", "toy-old"]), (1, ["toy-always", "toy-new"])):
            as_of = date(2025 if month == 12 else 2026, month, day)
            assert [p.id for p in snap.in_effect(as_of)] == expected


def test_in_effect_list_is_a_fresh_copy() -> None:
    snap = dated()
    first = snap.in_effect(AS_OF)
    first.clear()
    assert [p.id for p in snap.in_effect(AS_OF)] == ["toy-always", "toy-new"]


# evaluate --------------------------------------------------------------------------------------


def test_evaluate_by_id_keeps_the_order_asked_and_judges_dates() -> None:
    snap = dated()
    found = snap.evaluate(OLD, AS_OF, ["toy-old", "toy-new"])
    assert [(d.program_id, d.truth) for d in found] == [("toy-old", FALSE), ("toy-new", TRUE)]
    assert found[0].trace[0].path == "effective"
    alone = snap.evaluate(OLD, AS_OF, ["toy-old", "toy-new"], share=False)
    assert alone == found


def test_evaluate_one_and_an_unknown_id() -> None:
    snap = dated()
    assert snap.evaluate_one(OLD, AS_OF, "toy-new").truth is TRUE
    assert snap.evaluate_one(Profile(applicant={"age": 60}), AS_OF, "toy-new").truth is FALSE
    with pytest.raises(KeyError):
        snap.evaluate_one(OLD, AS_OF, "toy-nowhere")


def test_evaluate_resolves_facts_against_the_snapshot_parameters() -> None:
    income = fact(
        "household.income_recognized_monthly",
        "le",
        {"param": "median_income.base", "key": "household.size", "percent": 50},
    )
    snap = build(program(income))
    line = 1_282_119  # 2,564,238 x 50 %: one person, 2026
    at_line = Profile(household={"income_recognized_monthly": line})
    over = Profile(household={"income_recognized_monthly": line + 1})
    assert snap.evaluate_one(at_line, AS_OF, "toy-program").truth is TRUE
    assert snap.evaluate_one(over, AS_OF, "toy-program").truth is FALSE


def test_evaluate_derives_the_income_ratio_from_the_snapshot_median() -> None:
    snap = build(program(fact("household.median_income_ratio", "le", 50)))
    half = 1_282_119  # 2,564,238 / 2: exactly 50 % of the 2026 median for one person
    assert (
        snap.evaluate_one(
            Profile(household={"income_recognized_monthly": half}), AS_OF, "toy-program"
        ).truth
        is TRUE
    )
    over = snap.evaluate_one(
        Profile(household={"income_recognized_monthly": half + 1}), AS_OF, "toy-program"
    )
    assert over.truth is FALSE
    assert [
        d.truth
        for d in snap.evaluate(Profile(household={"income_recognized_monthly": half}), AS_OF)
    ] == [TRUE]


# build -----------------------------------------------------------------------------------------


def test_build_lists_programs_and_documents_by_id_read_only() -> None:
    snap = build(
        program(SENIOR, id="toy-b"),
        program(SENIOR, id="toy-a"),
        documents=(document("doc-b"), document("doc-a")),
    )
    assert list(snap.programs) == ["toy-a", "toy-b"]
    assert list(snap.documents) == ["doc-a", "doc-b"]
    assert snap.documents["doc-a"].id == "doc-a"
    assert snap.parameters.get("toy.amount") is not None
    with pytest.raises(TypeError):
        snap.programs["toy-c"] = snap.programs["toy-a"]  # type: ignore[index]
    with pytest.raises(TypeError):
        snap.documents["doc-c"] = document("doc-c")  # type: ignore[index]


# catalog_version -------------------------------------------------------------------------------


def version(
    specs: list[ProgramSpec] | None = None,
    parameters: list[Parameter] | None = None,
    documents: list[DocumentSpec] | None = None,
) -> str:
    specs = [program(SENIOR, id="toy-a"), program(SENIOR, id="toy-b")] if specs is None else specs
    documents = [document("doc-a")] if documents is None else documents
    return CatalogSnapshot.build(specs, parameters or params(), documents).catalog_version


def test_catalog_version_is_sixteen_hex_digits_and_stable() -> None:
    first = version()
    assert len(first) == 16
    assert all(c in "0123456789abcdef" for c in first)
    assert version() == first


def test_catalog_version_ignores_the_order_of_the_files() -> None:
    specs = [program(SENIOR, id="toy-a"), program(SENIOR, id="toy-b")]
    docs = [document("doc-a"), document("doc-b")]
    forward = version(specs, params(), docs)
    assert version(specs[::-1], params()[::-1], docs[::-1]) == forward
    direct = catalog_version(specs[::-1], params()[::-1], docs[::-1])
    assert catalog_version(specs, params(), docs) == direct == forward


CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("a rule threshold", {"specs": [program(fact("applicant.age", "ge", 66), id="toy-a"),
                                    program(SENIOR, id="toy-b")]}),
    ("a program's name", {"specs": [program(SENIOR, id="toy-a",
                                            name={"ko": "다른 사업", "en": "Other"}),
                                    program(SENIOR, id="toy-b")]}),
    ("a program removed", {"specs": [program(SENIOR, id="toy-a")]}),
    ("a program's end date", {"specs": [program(SENIOR, id="toy-a", effective_to="2030-01-01"),
                                        program(SENIOR, id="toy-b")]}),
    ("a parameter value", {"parameters": params(amount=100_001)}),
    ("a document name", {"documents": [document("doc-a", ko="주민등록증")]}),
    ("a document added", {"documents": [document("doc-a"), document("doc-b")]}),
    ("a Korean-only difference", {"documents": [document("doc-a", ko="신분증명서")]}),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[c[0] for c in CHANGES])
def test_catalog_version_changes_with_any_change(what: str, change: dict[str, Any]) -> None:
    assert version(**change) != version(), what


def test_catalog_version_of_an_empty_catalog_differs_from_any_content() -> None:
    spec = program(SENIOR, id="toy-a")
    assert catalog_version([spec], [], []) != catalog_version([], [], [])
    assert catalog_version([], params()[:1], []) != catalog_version([], [], [])
    assert catalog_version([], [], [document("doc-a")]) != catalog_version([], [], [])


def test_catalog_version_is_the_sha256_of_the_canonical_json() -> None:
    """Anyone holding the catalog can recompute the version: keys sorted, no spaces, UTF-8 text
    (not ``\\u`` escapes), absent fields left out, the YAML names of fields (``from``)."""
    banded = {
        "kind": "cash_monthly",
        "description": {"ko": "돈", "en": "cash"},
        "amount": {"table": {"fact": "applicant.age",
                             "bands": [{"from": 65, "amount": {"fixed": 1000}}]}},
    }  # fmt: skip
    spec = program(SENIOR, benefit=banded)
    parameter = scalar_parameter("toy.amount", [("2025-01-01", 1000)])
    canonical = (
        '{"documents":[{"id":"doc-a","name":{"en":"ID card","ko":"신분증"}}],'
        '"parameters":[{"description":{"en":"Test amount","ko":"시험용 금액"},"id":"toy.amount",'
        '"unit":"KRW_monthly","values":[{"effective_from":"2025-01-01","value":1000}],'
        '"verification":"unverified"}],'
        '"programs":[{"agency":{"en":"Ministry of Tests","ko":"시험부"},'
        '"apply":[{"channel":"community_center"}],'
        '"benefit":{"amount":{"table":{"bands":[{"amount":{"fixed":1000},"from":65}],'
        '"fact":"applicant.age"}},"description":{"en":"cash","ko":"돈"},"kind":"cash_monthly"},'
        '"bridge_to":[],"documents":[],"domain":"welfare","effective_from":"2020-01-01",'
        '"eligibility":{"fact":"applicant.age","op":"ge","value":65},"excludes":[],'
        '"id":"toy-program","income_includes":[],"is_emergency":false,'
        '"name":{"en":"Toy program","ko":"시험 사업"},'
        '"needs":[],"prerequisites":[],"receipt_settles":[],"recipient":"citizen",'
        '"regions":["KR"],'
        '"sources":[{"title":"toy","url":"https://example.invalid/toy"}],"stages":[],'
        '"summary":{"en":"For tests","ko":"시험용"},"targets":[],"verification":"verified"}]}'
    )
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
    assert catalog_version([spec], [parameter], [document("doc-a")]) == expected
