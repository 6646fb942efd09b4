"""Property: the conditions a verdict cites suffice for it. For a random rule tree with random
leaf outcomes, ``deciding`` picks leaves such that, whatever the other leaves were, the verdict
would stand: an eligible verdict holds with every uncited leaf turned false, an ineligible one
with every uncited leaf turned true. The oracle evaluates the tree here, independently."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from app.text.deciding import deciding

TRUTHS = st.sampled_from([TRUE, FALSE, UNKNOWN])
# a tree: ("leaf",) | ("all", [children]) | ("any", [children]) | ("not", child)
TREES = st.recursive(
    st.just(("leaf",)),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["all", "any"]), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("not"), inner),
    ),
    max_leaves=8,
)


def _paths(tree: Any, path: str) -> list[str]:
    kind = tree[0]
    if kind == "leaf":
        return [path]
    if kind == "not":
        return _paths(tree[1], f"{path}.not")
    return [p for i, child in enumerate(tree[1]) for p in _paths(child, f"{path}.{kind}[{i}]")]


def _value(tree: Any, path: str, leaves: dict[str, Truth]) -> Truth:
    kind = tree[0]
    if kind == "leaf":
        return leaves[path]
    if kind == "not":
        inner = _value(tree[1], f"{path}.not", leaves)
        return {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}[inner]
    values = [_value(c, f"{path}.{kind}[{i}]", leaves) for i, c in enumerate(tree[1])]
    if kind == "all":
        return FALSE if FALSE in values else UNKNOWN if UNKNOWN in values else TRUE
    return TRUE if TRUE in values else UNKNOWN if UNKNOWN in values else FALSE


@settings(max_examples=300)
@given(tree=TREES, data=st.data())
def test_the_cited_conditions_decide_the_verdict(tree: Any, data: st.DataObject) -> None:
    root = "eligibility"
    paths = _paths(tree, root)
    leaves = {p: data.draw(TRUTHS, label=p) for p in paths}
    verdict = _value(tree, root, leaves)
    trace = [ConditionResult(p, "applicant.age", 1, "ge", 1, None, t) for p, t in leaves.items()]
    cited = {r.path for r in deciding(trace, verdict)}
    assert all(leaves[p] is verdict or "not" in p for p in cited)
    if verdict is TRUE:
        worst = {p: (t if p in cited else FALSE) for p, t in leaves.items()}
        negated = {p for p in paths if p.count(".not") % 2}  # under an odd number of nots
        worst = {p: (TRUE if p in negated and p not in cited else t) for p, t in worst.items()}
        assert _value(tree, root, worst) is TRUE
        assert cited  # an eligible verdict always has something to say
    if verdict is FALSE:
        best = {p: (t if p in cited else TRUE) for p, t in leaves.items()}
        negated = {p for p in paths if p.count(".not") % 2}
        best = {p: (FALSE if p in negated and p not in cited else t) for p, t in best.items()}
        assert _value(tree, root, best) is FALSE
