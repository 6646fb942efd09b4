"""소득인정액 (recognized income) calculator, issue #11: pure functions over interval inputs.

See docs/income-recognition.md. Every constant is a dated catalog parameter
``income_recognition.<name>``. Results carry keys and numbers, no words: ``app.text.income``
renders the summary, the steps and the notes in the citizen's language.
"""

from app.income.intervals import Amount
from app.income.livelihood import AGE_LIMITS as LIVELIHOOD_AGE_LIMITS
from app.income.livelihood import basic_livelihood
from app.income.model import (
    Assets,
    Car,
    Computation,
    LivelihoodTier,
    Note,
    PensionTier,
    PersonIncome,
    Ref,
    Step,
    Use,
)
from app.income.pension import basic_pension, disability_pension

__all__ = [
    "LIVELIHOOD_AGE_LIMITS",
    "Amount",
    "Assets",
    "Car",
    "Computation",
    "LivelihoodTier",
    "Note",
    "PensionTier",
    "PersonIncome",
    "Ref",
    "Step",
    "Use",
    "basic_livelihood",
    "basic_pension",
    "disability_pension",
]
