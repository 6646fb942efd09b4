from __future__ import annotations

import pytest

from app.catalog.loader import load_catalog
from app.matching.parameters import ParameterSet


@pytest.fixture(scope="session")
def parameters() -> ParameterSet:
    return ParameterSet(load_catalog()[1])
