"""``plan.compose`` on small invented catalogs: statuses, exclusions, order, ineligible cut, totals.

Determinations are written by hand (``det``) so every expected value is worked out from the
docstring of ``app.matching.plan``, not from the engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.matching.benefits import AmountRange
from app.matching.evaluate import Determination
from app.matching.facts import Profile
from app.matching.plan import (
    Decision,
    ExcludedBy,
    PlanCore,
    compose,
    in_crisis,
    status_of,
    totals,
    yearly_value,
)
from app.matching.programs import ProgramSpec
from app.matching.text import LocalizedText
from app.matching.trace import ConditionResult
from app.matching.truth import FALSE, TRUE, UNKNOWN, Truth
from tests.matching.build import AS_OF, fact, program, snapshot

ADULT = fact("applicant.age", "ge", 19)
REASON = {"ko": "중복 불가", "en": "Not together"}


def toy(
    program_id: str,
    kind: str = "cash_monthly",
    *,
    needs: tuple[str, ...] = (),
    emergency: bool = False,
    excludes: tuple[tuple[str, str], ...] = (),
    prerequisites: tuple[str, ...] = (),
    **overrides: Any,
) -> ProgramSpec:
    return program(
        ADULT,
        id=program_id,
        benefit={"kind": kind, "description": {"ko": "혜택", "en": "benefit"}},
        needs=list(needs),
        is_emergency=emergency,
        excludes=[{"program": p, "prefer": prefer, "reason": REASON} for p, prefer in excludes],
        prerequisites=list(prerequisites),
        **overrides,
    )


def det(
    program_id: str,
    truth: Truth = TRUE,
    benefit: tuple[int | None, int | None] | None = None,
    failed: int = 0,
    passed: int = 0,
) -> Determination:
    """A hand-written determination with ``failed`` FALSE and ``passed`` TRUE trace entries."""
    trace = tuple(
        ConditionResult(f"eligibility.all[{i}]", "applicant.age", 1, "ge", 19, None, t)
        for i, t in enumerate([FALSE] * failed + [TRUE] * passed)
    )
    amount = None if benefit is None else AmountRange(*benefit)
    return Determination(program_id, truth, trace, frozenset(), amount)


def plan(
    specs: list[ProgramSpec],
    dets: list[Determination],
    needs: tuple[str, ...] = (),
    profile: Profile | None = None,
    limit: int | None = None,
) -> PlanCore:
    return compose(
        snapshot(*specs), profile or Profile(), AS_OF, needs, dets, ineligible_limit=limit
    )


def ids(decisions: tuple[Decision, ...]) -> list[str]:
    return [d.id for d in decisions]


# statuses --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("truth", "status"), [(TRUE, "eligible"), (UNKNOWN, "needs_info"), (FALSE, "ineligible")]
)
def test_status_follows_the_verdict(truth: Truth, status: str) -> None:
    assert status_of(truth) == status
    core = plan([toy("toy-a")], [det("toy-a", truth)])
    assert [d.status for d in core.decisions] == [status]


def test_each_verdict_lands_in_its_own_list_with_counts() -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c"), toy("toy-d")]
    dets = [det("toy-a"), det("toy-b", UNKNOWN), det("toy-c", FALSE, failed=1), det("toy-d")]
    core = plan(specs, dets)
    assert ids(core.eligible) == ["toy-a", "toy-d"]
    assert ids(core.needs_info) == ["toy-b"]
    assert ids(core.ineligible) == ["toy-c"]
    assert core.excluded == ()
    assert dict(core.counts) == {
        "eligible": 2,
        "needs_info": 1,
        "ineligible": 1,
        "excluded": 0,
        "receiving": 0,
    }
    assert [d.status for d in core.decisions] == [
        "eligible", "eligible", "needs_info", "ineligible",
    ]  # fmt: skip


def test_plan_echoes_date_and_catalog_version() -> None:
    snap = snapshot(toy("toy-a"))
    core = compose(snap, Profile(), date(2026, 5, 5), (), [det("toy-a")])
    assert core.as_of == date(2026, 5, 5)
    assert core.catalog_version == snap.catalog_version


def test_without_determinations_the_plan_evaluates_the_catalog() -> None:
    core = compose(snapshot(toy("toy-a"), toy("toy-b")), Profile(applicant={"age": 30}), AS_OF)
    assert ids(core.eligible) == ["toy-a", "toy-b"]
    young = compose(snapshot(toy("toy-a")), Profile(applicant={"age": 18}), AS_OF)
    assert ids(young.ineligible) == ["toy-a"]
    unknown = compose(snapshot(toy("toy-a")), Profile(), AS_OF)
    assert ids(unknown.needs_info) == ["toy-a"]


# yearly value ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "benefit", "expected"),
    [
        ("cash_monthly", (100_000, 100_000), (1_200_000, 1_200_000)),  # x 12
        ("cash_monthly", (100_000, 250_000), (1_200_000, 3_000_000)),
        ("cash_yearly", (700_000, 700_000), (700_000, 700_000)),  # x 1
        ("cash_once", (2_000_000, 2_000_000), (2_000_000, 2_000_000)),
        ("voucher", (500_000, 600_000), (500_000, 600_000)),
        ("service", (500_000, 500_000), (0, 0)),  # not cash-like
        ("training", (500_000, 500_000), (0, 0)),
        ("cash_monthly", None, (0, 0)),  # no estimate
        ("cash_monthly", (None, 10), (0, 120)),  # unknown low counts as 0
        ("cash_monthly", (10, None), (120, 120)),  # open high: the low end only
        ("cash_monthly", (-5, 10), (0, 120)),  # negative clipped to 0
        ("cash_monthly", (10, -5), (120, 120)),  # never a high below the low
        ("cash_monthly", (0, 0), (0, 0)),  # nothing is worth nothing
    ],
)
def test_yearly_value_by_kind(
    kind: str, benefit: tuple[int | None, int | None] | None, expected: tuple[int, int]
) -> None:
    amount = None if benefit is None else AmountRange(*benefit)
    assert yearly_value(toy("toy-a", kind), amount) == expected


# crisis ----------------------------------------------------------------------------------------


def test_crisis_is_the_emergency_need_or_a_named_crisis() -> None:
    assert in_crisis(Profile(), ["emergency"])
    assert in_crisis(Profile(household={"crisis": ["job_loss"]}), [])
    assert not in_crisis(Profile(household={"crisis": []}), ["income"])
    assert not in_crisis(Profile(), [])


# order -----------------------------------------------------------------------------------------


def test_eligible_are_ordered_by_yearly_value_low_end_then_high_end_then_id() -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c"), toy("toy-d"), toy("toy-e", "cash_yearly")]
    dets = [
        det("toy-a", benefit=(100_000, 100_000)),  # 1,200,000 .. 1,200,000
        det("toy-b", benefit=(100_000, 200_000)),  # 1,200,000 .. 2,400,000
        det("toy-c", benefit=(100_000, 100_000)),  # same as toy-a: id decides
        det("toy-d", benefit=(200_000, 200_000)),  # 2,400,000
        det("toy-e", benefit=(2_000_000, 2_000_000)),  # 2,000,000 a year
    ]
    core = plan(specs, dets)
    assert ids(core.eligible) == ["toy-d", "toy-e", "toy-b", "toy-a", "toy-c"]


def test_programs_answering_a_stated_need_come_before_richer_ones() -> None:
    specs = [toy("toy-a", needs=("housing",)), toy("toy-b", needs=("income",))]
    dets = [det("toy-a", benefit=(1, 1)), det("toy-b", benefit=(500_000, 500_000))]
    assert ids(plan(specs, dets).eligible) == ["toy-b", "toy-a"]  # no need stated: by value
    core = plan(specs, dets, needs=("housing",))
    assert ids(core.eligible) == ["toy-a", "toy-b"]
    assert [d.answers_need for d in core.eligible] == [True, False]


def test_emergency_help_goes_first_only_in_a_crisis() -> None:
    specs = [
        toy("toy-a", emergency=True),
        toy("toy-b", needs=("income",)),
        toy("toy-c"),
    ]
    dets = [det("toy-a", benefit=(1, 1)), det("toy-b"), det("toy-c", benefit=(9, 9))]
    calm = plan(specs, dets, needs=("income",))
    assert not calm.emergency_first
    assert ids(calm.eligible) == ["toy-b", "toy-c", "toy-a"]
    stated = plan(specs, dets, needs=("income", "emergency"))
    assert stated.emergency_first
    assert ids(stated.eligible) == ["toy-a", "toy-b", "toy-c"]
    evicted = Profile(household={"crisis": ["eviction"]})
    named = plan(specs, dets, needs=("income",), profile=evicted)
    assert named.emergency_first
    assert ids(named.eligible) == ["toy-a", "toy-b", "toy-c"]


def test_needs_info_programs_are_ordered_like_eligible_ones() -> None:
    specs = [toy("toy-a", emergency=True), toy("toy-b"), toy("toy-c")]
    specs.append(toy("toy-d", needs=("care",)))
    dets = [
        det("toy-a", UNKNOWN),
        det("toy-b", UNKNOWN, benefit=(10, 10)),
        det("toy-c", UNKNOWN, benefit=(10, 20)),
        det("toy-d", UNKNOWN),
    ]
    core = plan(specs, dets, needs=("care", "emergency"))
    assert ids(core.needs_info) == ["toy-a", "toy-d", "toy-c", "toy-b"]


def test_a_prerequisite_moves_before_the_program_that_needs_it() -> None:
    specs = [toy("toy-a", prerequisites=("toy-c",)), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", benefit=(300, 300)),
        det("toy-b", benefit=(200, 200)),
        det("toy-c", benefit=(100, 100)),
    ]
    assert ids(plan(specs, dets).eligible) == ["toy-c", "toy-a", "toy-b"]


def test_several_prerequisites_keep_their_own_order() -> None:
    specs = [
        toy("toy-a", prerequisites=("toy-c", "toy-b", "toy-x")),
        toy("toy-b"),
        toy("toy-c"),
        toy("toy-d"),
    ]
    dets = [
        det("toy-a", benefit=(400, 400)),
        det("toy-d", benefit=(300, 300)),
        det("toy-b", benefit=(200, 200)),
        det("toy-c", benefit=(100, 100)),
    ]
    # by value: a, d, b, c; a needs c and b (and toy-x, not in the plan): b before c as ranked
    assert ids(plan(specs, dets).eligible) == ["toy-b", "toy-c", "toy-a", "toy-d"]


def test_prerequisites_come_in_plan_order_not_in_id_order() -> None:
    specs = [toy("toy-a", prerequisites=("toy-b", "toy-c")), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", benefit=(400, 400)),
        det("toy-b", benefit=(200, 200)),
        det("toy-c", benefit=(300, 300)),
    ]
    # by value: a, c, b; a needs b and c, which keep their own order (c before b)
    assert ids(plan(specs, dets).eligible) == ["toy-c", "toy-b", "toy-a"]


def test_a_prerequisite_of_a_prerequisite_comes_first() -> None:
    specs = [toy("toy-a", prerequisites=("toy-b",)), toy("toy-b", prerequisites=("toy-c",))]
    specs.append(toy("toy-c"))
    dets = [
        det("toy-a", benefit=(300, 300)),
        det("toy-b", benefit=(200, 200)),
        det("toy-c", benefit=(100, 100)),
    ]
    assert ids(plan(specs, dets).eligible) == ["toy-c", "toy-b", "toy-a"]


def test_a_prerequisite_that_is_not_eligible_does_not_move_anything() -> None:
    specs = [toy("toy-a", prerequisites=("toy-b",)), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", benefit=(300, 300)),
        det("toy-b", UNKNOWN, benefit=(900, 900)),
        det("toy-c", benefit=(100, 100)),
    ]
    core = plan(specs, dets)
    assert ids(core.eligible) == ["toy-a", "toy-c"]
    assert ids(core.needs_info) == ["toy-b"]


def test_prerequisites_in_a_cycle_keep_the_ranked_order() -> None:
    specs = [toy("toy-a", prerequisites=("toy-b",)), toy("toy-b", prerequisites=("toy-a",))]
    dets = [det("toy-a", benefit=(300, 300)), det("toy-b", benefit=(200, 200))]
    # a asks for b first; b's own prerequisite a is already on the path, so b, then a
    assert ids(plan(specs, dets).eligible) == ["toy-b", "toy-a"]


# ineligible ------------------------------------------------------------------------------------


def test_ineligible_closest_miss_first_then_by_id() -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c"), toy("toy-d")]
    dets = [
        det("toy-a", FALSE, failed=3),
        det("toy-b", FALSE, failed=1, passed=4),  # passed conditions do not count
        det("toy-c", FALSE, failed=2),
        det("toy-d", FALSE, failed=1),
    ]
    core = plan(specs, dets)
    assert ids(core.ineligible) == ["toy-b", "toy-d", "toy-c", "toy-a"]
    # each keeps its own determination: the failed conditions are what the citizen is shown
    assert [d.determination for d in core.ineligible] == [dets[1], dets[3], dets[2], dets[0]]
    assert [d.answers_need for d in core.ineligible] == [False] * 4


def test_ineligible_answering_a_need_come_first_among_equal_misses() -> None:
    specs = [toy("toy-a"), toy("toy-b", needs=("jobs",)), toy("toy-c", needs=("jobs",))]
    dets = [
        det("toy-a", FALSE, failed=1),
        det("toy-b", FALSE, failed=1),
        det("toy-c", FALSE, failed=2),
    ]
    core = plan(specs, dets, needs=("jobs",))
    assert ids(core.ineligible) == ["toy-b", "toy-a", "toy-c"]
    assert [d.answers_need for d in core.ineligible] == [True, False, True]
    assert [d.status for d in core.ineligible] == ["ineligible"] * 3


@pytest.mark.parametrize(("limit", "kept"), [(0, []), (1, ["toy-c"]), (2, ["toy-c", "toy-b"])])
def test_ineligible_limit_keeps_the_closest_and_counts_all(limit: int, kept: list[str]) -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", FALSE, failed=3),
        det("toy-b", FALSE, failed=2),
        det("toy-c", FALSE, failed=1),
    ]
    core = plan(specs, dets, limit=limit)
    assert ids(core.ineligible) == kept
    assert core.counts["ineligible"] == 3


# exclusions ------------------------------------------------------------------------------------


def exclusion_plan(prefer: str, a: Any, b: Any, b_truth: Truth = TRUE) -> PlanCore:
    specs = [toy("toy-a", excludes=(("toy-b", prefer),)), toy("toy-b")]
    return plan(specs, [det("toy-a", benefit=a), det("toy-b", b_truth, benefit=b)])


def test_prefer_this_keeps_the_declaring_program_even_if_worth_less() -> None:
    core = exclusion_plan("this", (1, 1), (9, 9))
    assert ids(core.eligible) == ["toy-a"]
    assert ids(core.excluded) == ["toy-b"]
    loser = core.excluded[0]
    assert loser.status == "excluded"
    assert loser.excluded_by == ExcludedBy("toy-a", LocalizedText(**REASON), "this")
    assert core.counts["excluded"] == 1 and core.counts["eligible"] == 1


def test_prefer_other_keeps_the_other_program() -> None:
    core = exclusion_plan("other", (9, 9), (1, 1))
    assert ids(core.eligible) == ["toy-b"]
    assert ids(core.excluded) == ["toy-a"]
    by = core.excluded[0].excluded_by
    assert by is not None and by.program_id == "toy-b" and by.rule == "other"
    assert by.reason.en == "Not together"


@pytest.mark.parametrize(
    ("a", "b", "winner"),
    [
        ((10, 10), (20, 20), "toy-b"),  # b worth more
        ((20, 20), (10, 10), "toy-a"),
        ((10, 30), (10, 20), "toy-a"),  # same low end: the high end decides
        ((10, 20), (10, 30), "toy-b"),
        ((10, 20), (10, 20), "toy-a"),  # a tie keeps the declaring program
        ((20, 20), (10, 90), "toy-a"),  # the low end first
    ],
)
def test_higher_benefit_keeps_the_program_worth_more(a: Any, b: Any, winner: str) -> None:
    core = exclusion_plan("higher_benefit", a, b)
    assert ids(core.eligible) == [winner]
    loser = core.excluded[0]
    assert loser.excluded_by is not None
    assert loser.excluded_by.program_id == winner
    assert loser.excluded_by.rule == "higher_benefit"


def test_exclusion_with_a_needs_info_program_keeps_both() -> None:
    core = exclusion_plan("this", (1, 1), (9, 9), b_truth=UNKNOWN)
    assert ids(core.eligible) == ["toy-a"]
    assert ids(core.needs_info) == ["toy-b"]
    assert core.excluded == ()
    declarer_unknown = plan(
        [toy("toy-a", excludes=(("toy-b", "this"),)), toy("toy-b")],
        [det("toy-a", UNKNOWN), det("toy-b")],
    )
    assert ids(declarer_unknown.needs_info) == ["toy-a"]
    assert ids(declarer_unknown.eligible) == ["toy-b"]


def test_exclusion_of_an_ineligible_or_absent_program_changes_nothing() -> None:
    specs = [toy("toy-a", excludes=(("toy-b", "other"), ("toy-z", "other"))), toy("toy-b")]
    core = plan(specs, [det("toy-a"), det("toy-b", FALSE, failed=1)])
    assert ids(core.eligible) == ["toy-a"]
    assert ids(core.ineligible) == ["toy-b"]


def test_an_exclusion_after_one_that_does_not_apply_still_counts() -> None:
    specs = [toy("toy-a", excludes=(("toy-z", "other"), ("toy-b", "this"))), toy("toy-b")]
    core = plan(specs, [det("toy-a"), det("toy-b")])
    assert ids(core.eligible) == ["toy-a"]
    assert ids(core.excluded) == ["toy-b"]


def test_an_excluded_program_excludes_nothing_in_a_chain() -> None:
    # a beats b, b beats c: a is kept, b is out, so b cannot knock out c
    specs = [
        toy("toy-a", excludes=(("toy-b", "this"),)),
        toy("toy-b", excludes=(("toy-c", "this"),)),
        toy("toy-c"),
    ]
    core = plan(specs, [det("toy-a"), det("toy-b"), det("toy-c")])
    assert ids(core.eligible) == ["toy-a", "toy-c"]
    assert ids(core.excluded) == ["toy-b"]


def test_a_chain_declared_from_the_loser_side_resolves_the_same() -> None:
    # c beats b (declared by b: prefer other), b beats a (declared by a: prefer other)
    specs = [
        toy("toy-a", excludes=(("toy-b", "other"),)),
        toy("toy-b", excludes=(("toy-c", "other"),)),
        toy("toy-c"),
    ]
    core = plan(specs, [det("toy-a"), det("toy-b"), det("toy-c")])
    assert ids(core.eligible) == ["toy-a", "toy-c"]
    assert ids(core.excluded) == ["toy-b"]
    by = core.excluded[0].excluded_by
    assert by is not None and by.program_id == "toy-c"


def test_one_winner_excludes_every_program_it_beats() -> None:
    specs = [toy("toy-a", excludes=(("toy-b", "this"), ("toy-c", "this"))), toy("toy-b")]
    specs.append(toy("toy-c"))
    core = plan(specs, [det("toy-a"), det("toy-b"), det("toy-c")])
    assert ids(core.eligible) == ["toy-a"]
    assert ids(core.excluded) == ["toy-b", "toy-c"]
    assert {d.excluded_by.program_id for d in core.excluded if d.excluded_by} == {"toy-a"}


def test_a_winner_still_excludes_the_rest_after_one_already_out() -> None:
    # a and w are both unbeaten: a knocks out x first; w beats x and y, and y must still go
    specs = [
        toy("toy-a", excludes=(("toy-x", "this"),)),
        toy("toy-w", excludes=(("toy-x", "this"), ("toy-y", "this"))),
        toy("toy-x"),
        toy("toy-y"),
    ]
    core = plan(specs, [det("toy-a"), det("toy-w"), det("toy-x"), det("toy-y")])
    assert ids(core.eligible) == ["toy-a", "toy-w"]
    assert [(d.id, d.excluded_by and d.excluded_by.program_id) for d in core.excluded] == [
        ("toy-x", "toy-a"),
        ("toy-y", "toy-w"),
    ]


@pytest.mark.parametrize(
    ("values", "kept"),
    [
        ({"toy-a": 10, "toy-b": 30, "toy-c": 20}, "toy-b"),
        ({"toy-a": 30, "toy-b": 10, "toy-c": 20}, "toy-a"),
        ({"toy-a": 10, "toy-b": 20, "toy-c": 30}, "toy-c"),
        ({"toy-a": 10, "toy-b": 10, "toy-c": 10}, "toy-a"),  # all equal: the first id
    ],
)
def test_a_cycle_keeps_the_most_valuable_program(values: dict[str, int], kept: str) -> None:
    # a beats b, b beats c, c beats a (all prefer: this)
    specs = [
        toy("toy-a", excludes=(("toy-b", "this"),)),
        toy("toy-b", excludes=(("toy-c", "this"),)),
        toy("toy-c", excludes=(("toy-a", "this"),)),
    ]
    dets = [det(i, benefit=(v, v)) for i, v in values.items()]
    core = plan(specs, dets)
    # the kept one knocks out the one it beats; the third is then beaten by nobody in play
    beaten = {"toy-a": "toy-b", "toy-b": "toy-c", "toy-c": "toy-a"}[kept]
    assert ids(core.excluded) == [beaten]
    assert sorted(ids(core.eligible)) == sorted({"toy-a", "toy-b", "toy-c"} - {beaten})
    assert kept in ids(core.eligible)


def test_a_pair_excluding_each_other_keeps_the_first_declared_reason() -> None:
    specs = [
        toy("toy-a", excludes=(("toy-b", "this"),)),
        toy("toy-b", excludes=(("toy-a", "other"),)),
    ]
    core = plan(specs, [det("toy-a"), det("toy-b")])
    assert ids(core.eligible) == ["toy-a"]
    by = core.excluded[0].excluded_by
    assert by is not None and by.rule == "this"


def test_excluded_programs_are_listed_by_id_and_keep_answers_need() -> None:
    specs = [
        toy("toy-a", excludes=(("toy-c", "this"), ("toy-b", "this"))),
        toy("toy-b", needs=("care",)),
        toy("toy-c"),
    ]
    dets = [det("toy-a"), det("toy-c", benefit=(9, 9)), det("toy-b", benefit=(1, 1))]
    core = plan(specs, dets, needs=("care",))
    assert ids(core.excluded) == ["toy-b", "toy-c"]
    assert [d.answers_need for d in core.excluded] == [True, False]
    assert [d.determination.benefit for d in core.excluded] == [
        AmountRange(1, 1),
        AmountRange(9, 9),
    ]


# totals ----------------------------------------------------------------------------------------


def test_totals_add_eligible_estimates_by_kind() -> None:
    specs = [
        toy("toy-a", "cash_monthly"),
        toy("toy-b", "cash_monthly"),
        toy("toy-c", "cash_once"),
        toy("toy-d", "voucher"),
        toy("toy-e", "cash_yearly"),
        toy("toy-f", "service"),
        toy("toy-g", "cash_monthly"),
        toy("toy-h", "cash_monthly"),
    ]
    dets = [
        det("toy-a", benefit=(100_000, 150_000)),
        det("toy-b", benefit=(50_000, 50_000)),
        det("toy-c", benefit=(2_000_000, 2_000_000)),
        det("toy-d", benefit=(300_000, 400_000)),
        det("toy-e", benefit=(700_000, 800_000)),
        det("toy-f", benefit=(999, 999)),  # a service: listed, not summed
        det("toy-g", UNKNOWN, benefit=(999, 999)),  # needs_info: not summed
        det("toy-h", FALSE, failed=1),
    ]
    core = plan(specs, dets)
    assert core.totals.monthly == AmountRange(150_000, 200_000)  # 100,000+50,000 .. 150,000+50,000
    assert core.totals.once == AmountRange(2_300_000, 2_400_000)  # 2,000,000 + 300,000..400,000
    assert core.totals.yearly == AmountRange(700_000, 800_000)


def test_totals_count_cash_listed_after_a_service() -> None:
    # the service answers the stated need, so it is listed first; the cash still adds up
    specs = [toy("toy-a", "service", needs=("care",)), toy("toy-b"), toy("toy-c", "cash_once")]
    dets = [det("toy-a"), det("toy-b", benefit=(100, 100)), det("toy-c", benefit=(50, 50))]
    core = plan(specs, dets, needs=("care",))
    assert ids(core.eligible) == ["toy-a", "toy-b", "toy-c"]
    assert core.totals.monthly == AmountRange(100, 100)
    assert core.totals.once == AmountRange(50, 50)
    no_estimate = plan(specs, [det("toy-a"), det("toy-b"), det("toy-c", benefit=(50, 50))])
    assert no_estimate.totals.once == AmountRange(50, 50)


def test_totals_are_zero_without_eligible_cash() -> None:
    core = plan([toy("toy-a", "service")], [det("toy-a", benefit=(5, 5))])
    zero = AmountRange(0, 0)
    assert (core.totals.monthly, core.totals.once, core.totals.yearly) == (zero, zero, zero)


def test_an_open_ended_estimate_opens_its_total() -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", benefit=(100, None)),
        det("toy-b", benefit=(20, 30)),
        det("toy-c"),  # no estimate: skipped
    ]
    assert plan(specs, dets).totals.monthly == AmountRange(120, None)
    dets_after = [det("toy-a", benefit=(20, 30)), det("toy-b", benefit=(100, None))]
    assert plan(specs[:2], dets_after).totals.monthly == AmountRange(120, None)


def test_totals_count_unknown_or_negative_ends_as_zero() -> None:
    specs = [toy("toy-a"), toy("toy-b"), toy("toy-c")]
    dets = [
        det("toy-a", benefit=(None, 40)),
        det("toy-b", benefit=(-10, -5)),
        det("toy-c", benefit=(7, 9)),
    ]
    assert plan(specs, dets).totals.monthly == AmountRange(7, 49)  # 0+0+7 .. 40+0+9


def test_excluded_programs_are_not_in_the_totals() -> None:
    core = exclusion_plan("this", (100, 100), (900, 900))
    assert core.totals.monthly == AmountRange(100, 100)


def test_totals_of_no_decisions_are_zero() -> None:
    assert totals([]).monthly == AmountRange(0, 0)
