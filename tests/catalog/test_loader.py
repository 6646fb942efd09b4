from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog.loader import CatalogInvalid, load_catalog, validate_catalog

PARAMETER = """\
unit: KRW_monthly
description: {ko: 기준 중위소득 (100%), en: Standard median income (100%)}
verification: verified
key: household.size
extrapolate: last_step
values:
  - effective_from: 2026-01-01
    value: {1: 2564238, 2: 4199292, 3: 5359036, 4: 6494738, 5: 7556719, 6: 8555952, 7: 9515150}
"""
PROGRAM = """\
id: toy-pension
name: {ko: 시험 연금, en: Toy pension}
summary: {ko: 시험용 사업, en: A program for tests}
domain: welfare
stages: [senior]
agency: {ko: 시험부, en: Ministry of Tests}
regions: [KR]
effective_from: 2020-01-01
verification: verified
eligibility:
  all:
    - {fact: applicant.age, op: ge, value: 65}
    - fact: household.income_recognized_monthly
      op: le
      value: {param: median_income.base, key: household.size, percent: 60}
benefit:
  kind: cash_monthly
  amount: 100000
  description: {ko: 월 10만원, en: "KRW 100,000 a month"}
apply:
  - channel: community_center
documents: [id-card]
sources:
  - url: https://www.example.go.kr/toy-pension
    title: toy
"""
DOCUMENTS = "- id: id-card\n  name: {ko: 신분증, en: ID card}\n"


def write_catalog(root: Path, program: str = PROGRAM, name: str = "welfare/toy-pension") -> Path:
    (root / "programs" / name).parent.mkdir(parents=True, exist_ok=True)
    (root / "programs" / f"{name}.yaml").write_text(program, encoding="utf-8")
    (root / "parameters" / "median_income").mkdir(parents=True, exist_ok=True)
    (root / "parameters" / "median_income" / "base.yaml").write_text(PARAMETER, encoding="utf-8")
    (root / "documents.yaml").write_text(DOCUMENTS, encoding="utf-8")
    return root


def test_a_valid_catalog_loads_with_ids_from_paths(tmp_path: Path) -> None:
    root = write_catalog(tmp_path)
    assert validate_catalog(root) == []
    programs, parameters, documents = load_catalog(root)
    assert [p.id for p in programs] == ["toy-pension"]
    assert [p.id for p in parameters] == ["median_income.base"]
    assert [d.id for d in documents] == ["id-card"]


def test_schema_errors_name_the_file_and_the_path(tmp_path: Path) -> None:
    broken = PROGRAM.replace("op: ge", "op: gee").replace("regions: [KR]", "regions: [27]")
    root = write_catalog(tmp_path, broken)
    problems = validate_catalog(root)
    assert len(problems) == 2
    assert problems[0].startswith("programs/welfare/toy-pension.yaml: regions[0]: Input should be")
    assert problems[1].startswith("programs/welfare/toy-pension.yaml: eligibility.all[0].op: ")
    with pytest.raises(CatalogInvalid):
        load_catalog(root)


def test_rule_problems_are_reported_with_file_and_rule_path(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, PROGRAM.replace("applicant.age", "applicant.agee"))
    assert validate_catalog(root) == [
        "programs/welfare/toy-pension.yaml: eligibility.all[0].fact: unknown fact applicant.agee"
    ]


def test_file_name_and_folder_must_match_id_and_domain(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, name="jobs/other-name")
    assert validate_catalog(root) == [
        "programs/jobs/other-name.yaml: id: 'toy-pension' does not match the file name "
        "'other-name'",
        "programs/jobs/other-name.yaml: domain: 'welfare' but the file is not in programs/welfare/",
    ]


def test_references_sources_and_verification_notes_are_checked(tmp_path: Path) -> None:
    text = (
        PROGRAM.replace("documents: [id-card]", "documents: [id-card, passport]")
        .replace("verification: verified", "verification: partial")
        .replace("sources:\n  - url: https://www.example.go.kr/toy-pension\n    title: toy\n", "")
        + "excludes:\n"
        + "  - {program: no-such-program, prefer: this, reason: {ko: 중복, en: overlap}}\n"
        + "prerequisites: [toy-pension]\n"
    )
    assert validate_catalog(write_catalog(tmp_path, text)) == [
        "programs/welfare/toy-pension.yaml: documents[1]: unknown document 'passport'",
        "programs/welfare/toy-pension.yaml: sources: a program needs at least one source",
        "programs/welfare/toy-pension.yaml: verification_note: required unless verification is "
        "verified",
        "programs/welfare/toy-pension.yaml: excludes[0].program: unknown program 'no-such-program'",
        "programs/welfare/toy-pension.yaml: prerequisites[0]: unknown program 'toy-pension'",
    ]


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, "id: [unclosed\n")
    problems = validate_catalog(root)
    assert len(problems) == 1
    assert problems[0].startswith("programs/welfare/toy-pension.yaml: invalid YAML (line ")


def test_duplicate_program_ids_are_reported(tmp_path: Path) -> None:
    root = write_catalog(tmp_path)
    (root / "programs" / "health").mkdir()
    (root / "programs" / "health" / "toy-pension.yaml").write_text(PROGRAM, encoding="utf-8")
    problems = validate_catalog(root)
    assert "programs/welfare/toy-pension.yaml: id: duplicate program id 'toy-pension'" in problems


def test_a_parameter_with_a_bad_value_names_its_file(tmp_path: Path) -> None:
    root = write_catalog(tmp_path)
    (root / "parameters" / "median_income" / "base.yaml").write_text(
        PARAMETER.replace("verification: verified", "verification: maybe"), encoding="utf-8"
    )
    problems = validate_catalog(root)
    assert problems[0].startswith("parameters/median_income/base.yaml: verification: Input should")
