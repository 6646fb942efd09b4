from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.matching.errors import NoParameterValue
from app.matching.parameters import Parameter, ParameterSet, scale_percent
from tests.matching.build import median_income, scalar_parameter


def test_value_in_force_switches_on_the_effective_date() -> None:
    median = median_income()
    assert median.lookup(date(2025, 12, 31), 1) == 2392013
    assert median.lookup(date(2026, 1, 1), 1) == 2564238


def test_before_the_first_value_there_is_no_value() -> None:
    with pytest.raises(NoParameterValue):
        median_income().at(date(2024, 12, 31))


def test_a_null_value_ends_the_parameter() -> None:
    param = scalar_parameter("toy.ended", [("2025-01-01", 500), ("2026-01-01", None)])
    assert param.lookup(date(2025, 6, 1)) == 500
    with pytest.raises(NoParameterValue):
        param.lookup(date(2026, 1, 1))


def test_values_are_sorted_by_effective_date_whatever_the_file_order() -> None:
    param = scalar_parameter("toy.order", [("2026-01-01", 2), ("2025-01-01", 1)])
    assert [v.value for v in param.values] == [1, 2]


def test_eight_plus_households_extend_the_table_by_the_last_step() -> None:
    median = median_income()
    assert median.lookup(date(2026, 5, 1), 8) == 10_474_348
    assert median.lookup(date(2026, 5, 1), 9) == 11_433_546
    assert median.lookup(date(2025, 5, 1), 8) == 9_912_051


def test_a_row_that_does_not_exist_raises() -> None:
    with pytest.raises(NoParameterValue):
        median_income().lookup(date(2026, 5, 1), 0)
    with pytest.raises(NoParameterValue):
        median_income(extrapolate=None).lookup(date(2026, 5, 1), 8)


def test_percent_rounds_half_up_to_the_won() -> None:
    assert scale_percent(5_359_036, 32) == 1_714_892  # 1,714,891.52
    assert scale_percent(3_932_658, 63) == 2_477_575  # 2,477,574.54
    assert scale_percent(3_932_658, 65) == 2_556_228  # 2,556,227.7
    assert scale_percent(101, 50) == 51  # exactly .5 goes up


def test_integer_table_keys_written_without_quotes_become_strings() -> None:
    param = median_income(values=[{"effective_from": "2026-01-01", "value": {1: 10, 2: 20}}])
    assert param.lookup(date(2026, 1, 1), 2) == 20


def test_a_table_without_a_key_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Parameter.model_validate(
            {
                "id": "toy.table",
                "unit": "KRW",
                "description": {"ko": "표", "en": "table"},
                "values": [{"effective_from": "2025-01-01", "value": {"1": 1}}],
            }
        )


def couple_table(values: dict[object, int]) -> Parameter:
    return Parameter.model_validate(
        {
            "id": "toy_pension.threshold",
            "unit": "KRW_monthly",
            "description": {"ko": "선정기준액", "en": "Selection threshold"},
            "key": "pension_unit.is_couple",
            "values": [{"effective_from": "2025-01-01", "value": values}],
        }
    )


@pytest.mark.parametrize(
    "table", [{"false": 2_000_000, "true": 3_200_000}, {False: 2_000_000, True: 3_200_000}]
)
def test_a_yes_no_table_is_read_with_the_fact_value(table: dict[object, int]) -> None:
    param = couple_table(table)  # YAML `true:` keys arrive as booleans
    assert param.lookup(date(2025, 1, 1), True) == 3_200_000
    assert param.lookup(date(2025, 1, 1), False) == 2_000_000


def test_a_yes_no_table_has_no_row_past_its_keys() -> None:
    with pytest.raises(NoParameterValue, match="no row for key '1'"):
        couple_table({"false": 1, "true": 2}).lookup(date(2025, 1, 1), 1)


def test_a_table_asked_without_a_key_says_so() -> None:
    with pytest.raises(NoParameterValue, match=r"^median_income.base: a table needs a key$"):
        median_income().lookup(date(2026, 1, 1))


def test_a_scalar_ignores_a_key() -> None:
    param = scalar_parameter("toy.amount", [("2025-01-01", 100_000)])
    assert param.lookup(date(2025, 1, 1), 3) == 100_000


@pytest.mark.parametrize(
    ("as_of", "value"),
    [
        (date(2024, 12, 31), None),  # before the first value
        (date(2025, 1, 1), 1),  # its first day
        (date(2025, 12, 31), 1),
        (date(2026, 1, 1), 2),
        (date(2026, 12, 31), 2),
        (date(2027, 1, 1), 3),
        (date(2030, 6, 1), 3),  # the last value has no end
    ],
)
def test_each_value_is_in_force_from_its_date_to_the_next(as_of: date, value: int | None) -> None:
    param = scalar_parameter("toy.steps", [("2026-01-01", 2), ("2025-01-01", 1), ("2027-01-01", 3)])
    if value is None:
        with pytest.raises(NoParameterValue, match=r"^toy.steps: no value in force on 2024-12-31$"):
            param.at(as_of)
    else:
        assert param.at(as_of) == value


def test_an_ended_parameter_says_when_it_was_asked() -> None:
    param = scalar_parameter("toy.ended", [("2025-01-01", 500), ("2026-01-01", None)])
    with pytest.raises(NoParameterValue, match=r"^toy.ended: ended before 2026-03-01$"):
        param.at(date(2026, 3, 1))


def test_two_values_on_one_date_are_rejected() -> None:
    with pytest.raises(ValidationError, match="two values share one effective_from date"):
        scalar_parameter("toy.twice", [("2025-01-01", 1), ("2026-01-01", 2), ("2025-01-01", 3)])


def test_table_rules_are_explained_to_the_catalog_author() -> None:
    base = {"id": "toy.rules", "unit": "KRW", "description": {"ko": "표", "en": "table"}}
    table = [{"effective_from": "2025-01-01", "value": {"1": 1}}]
    scalar = [{"effective_from": "2025-01-01", "value": 1}]
    with pytest.raises(ValidationError, match="a table parameter needs `key`"):
        Parameter.model_validate(base | {"values": table})
    with pytest.raises(ValidationError, match="`key` is only for table values"):
        Parameter.model_validate(base | {"values": scalar, "key": "household.size"})
    with pytest.raises(ValidationError, match="`extrapolate` is only for table values"):
        Parameter.model_validate(base | {"values": scalar, "extrapolate": "last_step"})
    ended_table = [*table, {"effective_from": "2026-01-01", "value": None}]
    param = Parameter.model_validate(base | {"values": ended_table, "key": "household.size"})
    assert param.lookup(date(2025, 6, 1), 1) == 1


def ten_rows(**overrides: object) -> Parameter:
    rows = {str(n): 100 * n + n * n for n in range(1, 11)}  # 1: 101, 9: 981, 10: 1100
    return median_income(values=[{"effective_from": "2025-01-01", "value": rows}], **overrides)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (10, 1_100),  # the last row
        (11, 1_219),  # 1,100 + (1,100 - 981) * 1: the last step, rows compared as numbers
        (13, 1_457),  # 1,100 + 119 * 3
    ],
)
def test_the_last_step_extends_a_table_past_its_last_numeric_row(key: int, value: int) -> None:
    assert ten_rows().lookup(date(2025, 6, 1), key) == value


def test_a_key_between_rows_or_not_a_number_is_not_extrapolated() -> None:
    rows = {"1": 10, "2": 20, "4": 40}
    gappy = median_income(values=[{"effective_from": "2025-01-01", "value": rows}])
    with pytest.raises(NoParameterValue, match="no row for key '3'"):
        gappy.lookup(date(2025, 6, 1), 3)  # a gap is not filled: only past the last row
    with pytest.raises(NoParameterValue, match="no row for key 'true'"):
        gappy.lookup(date(2025, 6, 1), True)
    assert gappy.lookup(date(2025, 6, 1), 5) == 60  # 40 + (40 - 20) * (5 - 4): rows 2 and 4


def test_two_rows_are_enough_to_extend_a_table() -> None:
    two = median_income(values=[{"effective_from": "2025-01-01", "value": {"1": 10, "3": 30}}])
    assert two.lookup(date(2025, 6, 1), 4) == 50  # 30 + (30 - 10) * (4 - 3)


def test_a_zero_padded_row_is_not_the_row_of_that_number() -> None:
    rows = {"1": 10, "2": 20, "03": 30}  # keys are matched as written
    padded = median_income(values=[{"effective_from": "2025-01-01", "value": rows}])
    with pytest.raises(NoParameterValue, match="no row for key '3'"):
        padded.lookup(date(2025, 6, 1), 3)


def test_a_one_row_table_has_no_step_to_extend_by() -> None:
    single = median_income(values=[{"effective_from": "2025-01-01", "value": {"1": 10}}])
    with pytest.raises(NoParameterValue, match=r"^median_income.base: no row for key '2'$"):
        single.lookup(date(2025, 6, 1), 2)


def test_a_parameter_set_finds_values_by_id_and_refuses_duplicates() -> None:
    amount = scalar_parameter("toy.amount", [("2025-01-01", 100_000)])
    params = ParameterSet([median_income(), amount])
    assert (list(params), len(params)) == (["median_income.base", "toy.amount"], 2)
    assert params.value("median_income.base", date(2026, 1, 1), 2) == 4_199_292
    assert params.value("toy.amount", date(2025, 1, 1)) == 100_000
    with pytest.raises(NoParameterValue, match=r"^toy.missing: unknown parameter$"):
        params.value("toy.missing", date(2025, 1, 1))
    with pytest.raises(ValueError, match=r"duplicate parameter id toy\.amount"):
        ParameterSet([amount, median_income(), amount])


@pytest.mark.parametrize(
    ("value", "percent", "scaled"),
    [
        (1_000_000, 100, 1_000_000),
        (1_000_000, 0, 0),
        (3, 50, 2),  # 1.5 rounds up
        (5, 10, 1),  # 0.5 rounds up, not to the even 0
        (5, 30, 2),  # 1.5
        (9, 50, 5),  # 4.5
        (7, 50, 4),  # 3.5
        (1, 49, 0),  # 0.49
        (500, 0.7, 4),  # 3.5 exactly, though 0.7 is not exact in binary
        (2_000_000, 12.5, 250_000),
        (101, 150, 152),  # 151.5
    ],
)
def test_percent_scaling_rounds_half_up_from_the_exact_decimal(
    value: int, percent: float, scaled: int
) -> None:
    assert scale_percent(value, percent) == scaled
