"""Read and check the YAML catalog (contract §4–5). This module does file I/O; the engine does not.

Layout under ``root``: ``programs/<domain>/<id>.yaml``, ``parameters/<group>/<name>.yaml`` (id
``<group>.<name>`` from the path) and ``documents.yaml``. ``validate_catalog`` returns every
problem as ``<file>: <path>: <message>``; ``load_catalog`` returns the specs or raises
``CatalogInvalid`` with the same list.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.catalog.links import program_link_problems, reason_text
from app.matching import (
    CompileError,
    DocumentSpec,
    Parameter,
    ParameterSet,
    ProgramSpec,
    check_program,
    error_path,
)

DEFAULT_ROOT = Path(__file__).parent / "data"
# libyaml's parser where PyYAML was built with it (its wheels are): the same documents, read
# several times faster than the pure-Python one (the catalog is read at every load and check)
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Model = TypeVar("Model", bound=BaseModel)
Catalog = tuple[list[ProgramSpec], list[Parameter], list[DocumentSpec]]


class CatalogInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def load_catalog(root: Path = DEFAULT_ROOT) -> Catalog:
    """The catalog's programs, parameters and documents, sorted by id."""
    catalog, _, problems = _read(root)
    if problems:
        raise CatalogInvalid(problems)
    return catalog


def validate_catalog(root: Path = DEFAULT_ROOT) -> list[str]:
    """Every problem of the catalog under ``root`` (empty when it is valid)."""
    (programs, parameters, documents), files, problems = _read(root)
    problems += _check_references(programs, {d.id for d in documents}, files)
    try:
        parameter_set = ParameterSet(parameters)
    except ValueError as exc:
        return [*problems, f"parameters: {exc}"]
    for spec in programs:
        _, found = check_program(spec, parameter_set)
        problems += [
            f"{files[spec.id]}: {p.location.split(': ', 1)[1]}: {p.message}" for p in found
        ]
    return problems


def _read(root: Path) -> tuple[Catalog, dict[str, str], list[str]]:
    """The catalog, each program's file (by id) and the problems found reading it."""
    problems: list[str] = []
    files: dict[str, str] = {}
    if not root.is_dir():
        return ([], [], []), files, [f"{root}: catalog folder not found"]
    programs = _read_programs(root, problems, files)
    parameters = _read_parameters(root, problems)
    documents = _read_documents(root, problems)
    return (programs, parameters, documents), files, problems


def _read_programs(root: Path, problems: list[str], files: dict[str, str]) -> list[ProgramSpec]:
    programs: dict[str, ProgramSpec] = {}
    for path in sorted((root / "programs").glob("**/*.y*ml")):
        rel = _rel(root, path)
        spec = _parse(path, rel, ProgramSpec, problems)
        if spec is None:
            continue
        if path.stem != spec.id:
            problems.append(f"{rel}: id: {spec.id!r} does not match the file name {path.stem!r}")
        if path.parent.name != spec.domain or path.parent.parent != root / "programs":
            problems.append(
                f"{rel}: domain: {spec.domain!r} but the file is not in programs/{spec.domain}/"
            )
        if spec.id in programs:
            problems.append(f"{rel}: id: duplicate program id {spec.id!r}")
            continue
        problems += [
            f"{rel}: {field}[{index}].url: {reason_text(reason, 'en')}"
            for (field, index, _url), reason in program_link_problems(spec)
        ]
        programs[spec.id] = spec
        files[spec.id] = rel
    return sorted(programs.values(), key=lambda p: p.id)


def _read_parameters(root: Path, problems: list[str]) -> list[Parameter]:
    parameters: list[Parameter] = []
    for path in sorted((root / "parameters").glob("**/*.y*ml")):
        rel = _rel(root, path)
        if path.parent.parent != root / "parameters":
            problems.append(f"{rel}: parameters live in parameters/<group>/<name>.yaml")
            continue
        parameter_id = f"{path.parent.name}.{path.stem}"
        data = _load_yaml(path, rel, problems)
        if not isinstance(data, dict):
            if data is not None:
                problems.append(f"{rel}: expected a mapping at the top level")
            continue
        if data.get("id", parameter_id) != parameter_id:
            problems.append(f"{rel}: id: {data['id']!r} does not match the path ({parameter_id})")
            continue
        parameter = _validate({**data, "id": parameter_id}, rel, Parameter, problems)
        if parameter is not None:
            parameters.append(parameter)
    return sorted(parameters, key=lambda p: p.id)


def _read_documents(root: Path, problems: list[str]) -> list[DocumentSpec]:
    path = root / "documents.yaml"
    if not path.exists():
        return []
    data = _load_yaml(path, "documents.yaml", problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append("documents.yaml: expected a list of documents")
        return []
    documents: dict[str, DocumentSpec] = {}
    for i, item in enumerate(data):
        doc = _validate(item, f"documents.yaml: [{i}]", DocumentSpec, problems)
        if doc is not None and doc.id in documents:
            problems.append(f"documents.yaml: [{i}].id: duplicate document id {doc.id!r}")
        elif doc is not None:
            documents[doc.id] = doc
    return sorted(documents.values(), key=lambda d: d.id)


def _check_references(
    programs: Iterable[ProgramSpec], documents: set[str], files: dict[str, str]
) -> list[str]:
    problems: list[str] = []
    for spec in programs:
        rel = files[spec.id]
        problems += [
            f"{rel}: documents[{i}]: unknown document {d!r}"
            for i, d in enumerate(spec.documents)
            if d not in documents
        ]
        if not spec.sources:
            problems.append(f"{rel}: sources: a program needs at least one source")
        if spec.verification != "verified" and spec.verification_note is None:
            problems.append(f"{rel}: verification_note: required unless verification is verified")
        for i, excl in enumerate(spec.excludes):
            if excl.program not in files or excl.program == spec.id:
                problems.append(f"{rel}: excludes[{i}].program: unknown program {excl.program!r}")
        for i, pre in enumerate(spec.prerequisites):
            if pre not in files or pre == spec.id:
                problems.append(f"{rel}: prerequisites[{i}]: unknown program {pre!r}")
    return problems


def _parse(path: Path, rel: str, model: type[Model], problems: list[str]) -> Model | None:
    data = _load_yaml(path, rel, problems)
    return None if data is None else _validate(data, rel, model, problems)


def _load_yaml(path: Path, rel: str, problems: list[str]) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problems.append(f"{rel}: invalid YAML{where}: {getattr(exc, 'problem', None) or exc}")
        return None
    if data is None:
        problems.append(f"{rel}: the file is empty")
    return data


def _validate(data: Any, rel: str, model: type[Model], problems: list[str]) -> Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        seen: set[str] = set()
        for error in exc.errors():
            where = error_path(tuple(error["loc"]), data) or "(top level)"
            if where not in seen:
                seen.add(where)
                problems.append(f"{rel}: {where}: {error['msg']}")
        return None


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


__all__ = ["DEFAULT_ROOT", "CatalogInvalid", "CompileError", "load_catalog", "validate_catalog"]
