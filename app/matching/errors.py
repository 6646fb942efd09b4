"""Engine errors. Messages name ids and paths only, never a citizen's values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One compile problem: where (``basic-pension: eligibility.all[1].value``) and what."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class CompileError(ValueError):
    """Every problem found while compiling a catalog, reported at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownFact(KeyError):
    """A fact id that is not in the registry."""

    def __init__(self, fact_id: str) -> None:
        self.fact_id = fact_id
        super().__init__(fact_id)

    def __str__(self) -> str:
        return f"unknown fact: {self.fact_id}"


class NoParameterValue(LookupError):
    """A parameter has no value in force on the date asked (or no row for the key asked)."""

    def __init__(self, parameter_id: str, detail: str) -> None:
        self.parameter_id = parameter_id
        super().__init__(f"{parameter_id}: {detail}")


class InvalidProfile(ValueError):
    """A profile that contradicts itself (for example a household size below the listed members)."""
