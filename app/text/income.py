"""The 소득인정액 computation in words: its summary, its steps and the notes on its doubts.

``app.income`` returns structured results (a step is a key, amounts and the constants it
applies; a note is a key); this module words them in any registered locale through the
``income`` message catalogs (``app/text/locales/<tag>/income.po``).

Message ids:

* ``income.summary``: 소득평가액 + 재산의 소득환산액 → 소득인정액;
* ``income.step.<id>``: one per step, by scheme family and step key (``_STEP_MESSAGES``), filled
  with ``amount``, the step's other amounts (``earned``) and its constants (``rate``, ``kept``:
  percentages; ``deduction``: money);
* ``income.doubt.<parameter name>``: why a constant not marked verified is in doubt
  (``income.doubt.other`` for a constant without its own message);
* ``income.note.<key>``: a method rule or the inputs (``income.note.input.estimate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from app.income.intervals import Amount
from app.income.model import Computation, Note, Ref, Scheme, Step
from app.locale import Locale
from app.text.formats import money, money_short
from app.text.locales import DEFAULT
from app.text.messages import has, locale_info, t

_FAMILY: dict[Scheme, str] = {
    "basic_livelihood": "livelihood",
    "basic_pension": "pension",
    "disability_pension": "pension",
}
_STEP_MESSAGES: dict[tuple[str, str], str] = {
    ("livelihood", "income.earned"): "income.step.livelihood.earned",
    ("livelihood", "income.other"): "income.step.livelihood.other_income",
    ("livelihood", "income.evaluated"): "income.step.evaluated",
    ("livelihood", "property.housing"): "income.step.livelihood.housing",
    ("livelihood", "property.general"): "income.step.livelihood.general",
    ("livelihood", "property.financial"): "income.step.livelihood.financial",
    ("livelihood", "property.deduction"): "income.step.livelihood.deduction",
    ("livelihood", "property.housing.converted"): "income.step.livelihood.housing_converted",
    ("livelihood", "property.general.converted"): "income.step.livelihood.general_converted",
    ("livelihood", "property.financial.converted"): "income.step.livelihood.financial_converted",
    ("livelihood", "property.cars"): "income.step.livelihood.cars",
    ("livelihood", "property.converted"): "income.step.property_converted",
    ("livelihood", "total"): "income.step.total",
    ("pension", "income.earned"): "income.step.pension.earned",
    ("pension", "income.other"): "income.step.pension.other_income",
    ("pension", "income.evaluated"): "income.step.evaluated",
    ("pension", "property.general"): "income.step.pension.general",
    ("pension", "property.general.left"): "income.step.pension.general_left",
    ("pension", "property.financial.left"): "income.step.pension.financial_left",
    ("pension", "property.debts"): "income.step.pension.debts",
    ("pension", "property.net"): "income.step.pension.net",
    ("pension", "property.net.converted"): "income.step.pension.net_converted",
    ("pension", "property.cars"): "income.step.pension.cars",
    ("pension", "property.converted"): "income.step.property_converted",
    ("pension", "total"): "income.step.total",
}
# the sums some doubts name (the values in doubt, not today's constants)
_NOTE_MONEY: dict[str, Mapping[str, int]] = {
    "livelihood_youth_flat_deduction": {"amount": 400_000},
    "livelihood_elderly_disabled_flat_deduction": {"amount": 200_000},
    "livelihood_living_reserve": {"amount": 5_000_000, "other": 6_000_000},
    "livelihood_car_value_lt": {"amount": 2_000_000},
    "disability_pension_financial_deduction": {"amount": 20_000_000},
}
UNLISTED_DOUBT = "income.doubt.other"


@dataclass(frozen=True, slots=True)
class ComputationText:
    """A computation's words in one locale: the one-line summary, one sentence per step (in the
    order of ``Computation.steps``) and the notes."""

    summary: str
    steps: tuple[str, ...]
    notes: tuple[str, ...]


def render(computation: Computation, locale: Locale) -> ComputationText:
    return ComputationText(
        summary=summary(computation, locale),
        steps=tuple(step_text(step, locale) for step in computation.steps),
        notes=tuple(note_text(note, locale) for note in computation.notes),
    )


def summary(computation: Computation, locale: Locale) -> str:
    """``소득평가액 630,000원 + 재산의 소득환산액 0원 → 소득인정액 630,000원``."""
    return t(
        locale,
        "income.summary",
        evaluated=amount_text(computation.income_evaluated, locale),
        converted=amount_text(computation.property_converted, locale),
        total=amount_text(computation.total, locale),
    )


def step_message(step: Step) -> str:
    """The message id of ``step`` (its scheme family and key)."""
    return _STEP_MESSAGES[(_FAMILY[step.scheme], step.key)]


def step_text(step: Step, locale: Locale) -> str:
    """``근로·사업소득 1,500,000원 → 정액·30% 공제 후 630,000원``."""
    args = {name: amount_text(value, locale) for name, value in step.inputs}
    args |= {ref.role: _constant(ref, locale) for ref in step.refs}
    return t(locale, step_message(step), amount=amount_text(step.amount, locale), **args)


def note_message(note: Note) -> str:
    if note.parameter:
        found = f"income.doubt.{note.key}"
        return found if has(DEFAULT, found) else UNLISTED_DOUBT
    return f"income.note.{note.key}"


def note_text(note: Note, locale: Locale) -> str:
    sums = _NOTE_MONEY.get(note.key, {}) if note.parameter else {}
    args = {name: money_short(value, locale) for name, value in sums.items()}
    return t(locale, note_message(note), **args)


def amount_text(amount: Amount, locale: Locale) -> str:
    """``630,000원``; a range ``600,000원~700,000원``; unbounded ``1,050,000원 이상``."""
    if amount.is_exact:
        return money(amount.low, locale)
    if amount.high is None:
        return t(locale, "format.at_least", value=money(amount.low, locale))
    return t(locale, "format.range", low=money(amount.low, locale), high=money(amount.high, locale))


# the same few constants in every request, and Babel formats slowly; typed, as formats.number
@lru_cache(maxsize=1024, typed=True)
def percent(rate: float | int | Decimal, locale: Locale) -> str:
    """A ratio as a percentage with up to two decimals: 0.0104 → ``1.04%`` (``1,04%`` in vi)."""
    hundredths = Decimal(str(rate)) * 100
    shown = format_decimal(hundredths, format="#,##0.##", locale=locale_info(locale).babel)
    return t(locale, "unit.percent.other", n=shown)


def _constant(ref: Ref, locale: Locale) -> str:
    if ref.role in ("rate", "kept"):
        return percent(ref.value, locale)
    return money_short(ref.value, locale)
