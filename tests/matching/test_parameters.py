from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from app.matching.errors import NoParameterValue
from app.matching.parameters import Parameter, scale_percent
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
