"""The rule language AST (contract §2–3): frozen pydantic nodes in key-shaped form.

``Rule`` and ``Amount`` are unions with a callable discriminator that reads the node's key, so a
malformed node yields one error at its exact path instead of one error per union member.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Op = Literal[
    "eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in", "contains", "is_true", "is_false"
]  # fmt: skip
Literal_ = bool | int | float | str | date


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ParamRef(_Node):
    """A dated parameter; ``key`` names the fact selecting the table row; ``percent`` scales."""

    param: str
    key: str | None = None
    percent: float | int | None = Field(default=None, gt=0)


def _value_tag(value: Any) -> str:
    if isinstance(value, dict | ParamRef):
        return "param"
    return "list" if isinstance(value, list | tuple) else "literal"


_Item = Annotated[
    Annotated[ParamRef, Tag("param")] | Annotated[Literal_, Tag("literal")],
    Discriminator(_value_tag),
]
Value = Annotated[
    Annotated[ParamRef, Tag("param")]
    | Annotated[tuple[_Item, ...], Tag("list")]
    | Annotated[Literal_, Tag("literal")],
    Discriminator(_value_tag),
]


class AllRule(_Node):
    all: tuple[Rule, ...]


class AnyRule(_Node):
    any: tuple[Rule, ...]


class NotRule(_Node):
    not_: Rule = Field(alias="not")


class Comparison(_Node):
    fact: str
    op: Op
    value: Value | None = None


class CountSpec(_Node):
    member: Rule


class CountRule(_Node):
    """The number of household members satisfying ``count.member``, compared with ``value``."""

    count: CountSpec
    op: Literal["eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in"]
    value: Value


RULE_KEYS = ("all", "any", "not", "count", "fact")
_RULE_TAGS: dict[type, str] = {
    AllRule: "all",
    AnyRule: "any",
    NotRule: "not",
    CountRule: "count",
    Comparison: "fact",
}


def _rule_tag(node: Any) -> str | None:
    if isinstance(node, dict):
        return next((key for key in RULE_KEYS if key in node), None)
    return _RULE_TAGS.get(type(node))


Rule = Annotated[
    Annotated[AllRule, Tag("all")]
    | Annotated[AnyRule, Tag("any")]
    | Annotated[NotRule, Tag("not")]
    | Annotated[CountRule, Tag("count")]
    | Annotated[Comparison, Tag("fact")],
    Discriminator(
        _rule_tag,
        custom_error_type="rule_kind",
        custom_error_message="A rule needs one of the keys all, any, not, fact or count",
    ),
]


def comparisons(rule: Rule, through_not: bool = True) -> Iterator[Comparison]:
    """Every comparison a rule holds, in rule order, count members included; with
    ``through_not=False`` not those under a ``not``."""
    if isinstance(rule, AllRule | AnyRule):
        for child in rule.all if isinstance(rule, AllRule) else rule.any:
            yield from comparisons(child, through_not)
    elif isinstance(rule, NotRule):
        if through_not:
            yield from comparisons(rule.not_, through_not)
    elif isinstance(rule, CountRule):
        yield from comparisons(rule.count.member, through_not)
    else:
        yield rule


class FixedAmount(_Node):
    fixed: int = Field(ge=0)


class FactAmount(_Node):
    fact: str


class PerMember(_Node):
    member: Rule
    amount: Amount


class PerMemberAmount(_Node):
    """Sum over household members for whom ``member`` holds."""

    per_member: PerMember


class Band(_Node):
    from_: int | float | None = Field(default=None, alias="from")
    to: int | float | None = None
    amount: Amount


class Table(_Node):
    fact: str
    bands: tuple[Band, ...] = Field(min_length=1)


class TableAmount(_Node):
    table: Table


class MinAmount(_Node):
    min: tuple[Amount, ...] = Field(min_length=1)


class MaxAmount(_Node):
    max: tuple[Amount, ...] = Field(min_length=1)


class SumAmount(_Node):
    sum: tuple[Amount, ...] = Field(min_length=1)


class ProductAmount(_Node):
    product: tuple[Amount, ...] = Field(min_length=1)


class WhenAmount(_Node):
    """``then`` where the rule ``when`` holds, ``else`` where it does not; both ends when it is
    unknown (the estimate spans them)."""

    when: Rule
    then: Amount
    else_: Amount = Field(alias="else")


AMOUNT_KEYS = (
    "fixed", "param", "fact", "per_member", "table", "min", "max", "sum", "product", "when",
)  # fmt: skip
_AMOUNT_TAGS: dict[type, str] = {
    FixedAmount: "fixed",
    ParamRef: "param",
    FactAmount: "fact",
    PerMemberAmount: "per_member",
    TableAmount: "table",
    MinAmount: "min",
    MaxAmount: "max",
    SumAmount: "sum",
    ProductAmount: "product",
    WhenAmount: "when",
}


def _amount_tag(node: Any) -> str | None:
    if isinstance(node, bool):
        return None
    if isinstance(node, int | float):
        return "number"
    if isinstance(node, dict):
        return next((key for key in AMOUNT_KEYS if key in node), None)
    return _AMOUNT_TAGS.get(type(node))


Amount = Annotated[
    Annotated[float | int, Tag("number")]
    | Annotated[FixedAmount, Tag("fixed")]
    | Annotated[ParamRef, Tag("param")]
    | Annotated[FactAmount, Tag("fact")]
    | Annotated[PerMemberAmount, Tag("per_member")]
    | Annotated[TableAmount, Tag("table")]
    | Annotated[MinAmount, Tag("min")]
    | Annotated[MaxAmount, Tag("max")]
    | Annotated[SumAmount, Tag("sum")]
    | Annotated[ProductAmount, Tag("product")]
    | Annotated[WhenAmount, Tag("when")],
    Discriminator(
        _amount_tag,
        custom_error_type="amount_kind",
        custom_error_message=(
            "An amount is a number or one of fixed, param, fact, per_member, table, min, max, "
            "sum, product, when"
        ),
    ),
]

_RECURSIVE: tuple[type[BaseModel], ...] = (
    AllRule, AnyRule, NotRule, CountSpec, CountRule, PerMember, Band, Table,
    PerMemberAmount, TableAmount, MinAmount, MaxAmount, SumAmount, ProductAmount, WhenAmount,
)  # fmt: skip
for _model in _RECURSIVE:
    _model.model_rebuild()


def error_path(loc: tuple[int | str, ...], data: Any) -> str:
    """A pydantic error location as a readable path into ``data`` (``all[1].value``), without the
    union tags pydantic inserts."""
    parts: list[str] = []
    current, tag_seen = data, False
    for position, segment in enumerate(loc):
        # the tag comes first inside a dict node, once, and is never the last segment
        tag_seen = not tag_seen and position + 1 < len(loc) and segment == _node_tag(current)
        if tag_seen:
            continue
        if isinstance(current, dict) and segment in current:
            parts.append(f".{segment}" if parts else str(segment))
            current = current[segment]
        elif isinstance(current, list | tuple) and isinstance(segment, int):
            parts.append(f"[{segment}]")
            current = current[segment] if segment < len(current) else None
        elif isinstance(segment, str) and not isinstance(current, dict):
            continue  # a type name pydantic put in the location
        else:
            parts.append(f".{segment}" if parts else str(segment))
            current = None
    return "".join(parts)


def _node_tag(node: Any) -> str | None:
    """The union tag pydantic puts in a location before the fields of the dict ``node``. (The tags
    of lists and literals need no check: a string after a non-dict is always skipped.)"""
    if isinstance(node, dict):
        return _rule_tag(node) or _amount_tag(node) or "param"
    return None
