"""Every closed vocabulary the catalog, the engine and the API share, defined once: the API's
schemas and the engine's program model both import these (the words for them are the text
layer's: ``channel.<code>``, ``fact.…option.<code>``)."""

from __future__ import annotations

from typing import Literal, get_args

Domain = Literal["welfare", "jobs", "health", "youth", "lifelong_education"]
Stage = Literal["pregnancy_birth", "infant", "child", "adolescent", "youth", "middle_age", "senior"]
Need = Literal[
    "income", "care", "jobs", "health", "housing", "education", "childcare", "emergency"
]  # fmt: skip
# 시도 codes (행정표준코드); KR is the whole country in a program's regions
SidoCode = Literal[
    "11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50",
    "51", "52",
]  # fmt: skip
RegionCode = Literal[
    "KR", "11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48",
    "50", "51", "52",
]  # fmt: skip
# in the order a plan lists places: one visit to the community centre first
Channel = Literal[
    "community_center", "online", "employment_center", "health_center", "phone", "other"
]  # fmt: skip
Relation = Literal["spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"]
BenefitKind = Literal[
    "cash_monthly", "cash_once", "cash_yearly", "voucher", "service", "loan", "training",
    "checkup", "savings",
]  # fmt: skip
Verification = Literal["verified", "partial", "unverified"]

DOMAINS: tuple[str, ...] = get_args(Domain)
STAGES: tuple[str, ...] = get_args(Stage)
NEEDS: tuple[str, ...] = get_args(Need)
SIDO_CODES: tuple[str, ...] = get_args(SidoCode)
CHANNELS: tuple[str, ...] = get_args(Channel)
RELATIONS: tuple[str, ...] = get_args(Relation)
