"""The matching engine: pure Python, no I/O, no clock, no web or database code.

Facts (``facts``), the rule language (``rules``), dated parameters (``parameters``), the compiler
(``compile``), the three-valued evaluator (``evaluate``), benefit amounts (``benefits``), the plan
(``plan``), the next questions (``questions``) and the immutable ``CatalogSnapshot``
(``snapshot``). Sentences are made outside, in ``app.text``.

This module is the engine's front door: services, routers, schemas and the text layer import
from ``app.matching`` only (``tests/matching/test_front_door.py``). The income calculator and
the region table sit below the engine (it calls them) and import its modules directly.
"""

from app.matching.benefits import AmountRange
from app.matching.binding import Binder, Env
from app.matching.births import ExpectedBirth, expected_births
from app.matching.compile import RuleCompiler
from app.matching.errors import CompileError, NoParameterValue, Problem
from app.matching.estimates import (
    INCOME_FACTS,
    Estimate,
    compute_all,
    plain_paths,
    profile_has_plain,
)
from app.matching.evaluate import Determination, check_program, evaluate_program
from app.matching.facts import FACTS, FactContext, Profile, age_on, fact_spec, resolve_facts
from app.matching.parameters import Parameter, ParameterSet, Scalar, scale_percent
from app.matching.plan import Adjustment, Decision, PlanCore, compose, in_crisis, status_of
from app.matching.programs import ApplyChannel, DocumentSpec, Exclusion, ProgramSpec
from app.matching.questions import QuestionPick, asked_path, pick_questions
from app.matching.rules import (
    AllRule,
    AnyRule,
    Comparison,
    CountRule,
    NotRule,
    ParamRef,
    Rule,
    error_path,
)
from app.matching.snapshot import CatalogSnapshot
from app.matching.text import LocalizedText
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from app.matching.upcoming import ComingUp, Turning, anniversary, coming_up
from app.matching.values import NUMERIC_TYPES, FactSpec, FactType, OneOf, Range
from app.matching.vocabulary import (
    CHANNELS,
    SIDO_CODES,
    BenefitKind,
    Channel,
    Domain,
    Need,
    RegionCode,
    Relation,
    SidoCode,
    Stage,
    Verification,
)

__all__ = [
    "CHANNELS",
    "FACTS",
    "FALSE",
    "INCOME_FACTS",
    "NUMERIC_TYPES",
    "SIDO_CODES",
    "TRUE",
    "UNKNOWN",
    "Adjustment",
    "AllRule",
    "AmountRange",
    "AnyRule",
    "ApplyChannel",
    "BenefitKind",
    "Binder",
    "CatalogSnapshot",
    "Channel",
    "ComingUp",
    "Comparison",
    "CompileError",
    "ConditionResult",
    "CountRule",
    "Decision",
    "Determination",
    "DocumentSpec",
    "Domain",
    "Env",
    "Estimate",
    "Exclusion",
    "ExpectedBirth",
    "FactContext",
    "FactSpec",
    "FactType",
    "LocalizedText",
    "Need",
    "NoParameterValue",
    "NotRule",
    "OneOf",
    "ParamRef",
    "Parameter",
    "ParameterSet",
    "PlanCore",
    "Problem",
    "Profile",
    "ProgramSpec",
    "QuestionPick",
    "Range",
    "RegionCode",
    "Relation",
    "Rule",
    "RuleCompiler",
    "Scalar",
    "SidoCode",
    "Stage",
    "Truth",
    "Turning",
    "Verification",
    "age_on",
    "anniversary",
    "asked_path",
    "check_program",
    "coming_up",
    "compose",
    "compute_all",
    "error_path",
    "evaluate_program",
    "expected_births",
    "fact_spec",
    "in_crisis",
    "pick_questions",
    "plain_paths",
    "profile_has_plain",
    "resolve_facts",
    "scale_percent",
    "status_of",
]  # fmt: skip
