"""``questions``: which unknown facts a kiosk asks next, and where each answer goes.

Scores are worked out by hand from the module docstring: a program weighs 1, +1 when it answers a
stated need, + its yearly value in millions of won (at most 3), +2 for emergency help in a crisis,
shared equally among the facts it still misses.
"""

from __future__ import annotations

import pytest

from app.matching.benefits import AmountRange
from app.matching.evaluate import Determination
from app.matching.facts import FACTS
from app.matching.plan import Decision
from app.matching.questions import CHECKLIST_SIZE, QuestionPick, asked_path, pick_questions, weight
from app.matching.truth import UNKNOWN
from tests.matching.build import fact, program

ADULT = fact("applicant.age", "ge", 19)


def undecided(
    program_id: str,
    missing: set[str],
    *,
    monthly: tuple[int | None, int | None] | None = None,
    answers_need: bool = False,
    emergency: bool = False,
) -> Decision:
    spec = program(
        ADULT,
        id=program_id,
        benefit={"kind": "cash_monthly", "description": {"ko": "돈", "en": "cash"}},
        is_emergency=emergency,
    )
    benefit = None if monthly is None else AmountRange(*monthly)
    found = Determination(program_id, UNKNOWN, (), frozenset(missing), benefit)
    return Decision(spec, found, "needs_info", answers_need)


# asked_path ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "path", "spec_id"),
    [
        ("applicant.age", "applicant.age", "person.age"),
        ("applicant.veteran", "applicant.veteran", "person.veteran"),
        ("members[0].age", "members[0].age", "person.age"),
        ("members[12].pregnant", "members[12].pregnant", "person.pregnant"),
        ("household.region", "household.region", "household.region"),
        ("pension_unit.is_couple", "pension_unit.is_couple", "pension_unit.is_couple"),
        # derived facts are asked as what they derive from
        ("applicant.stage", "applicant.age", "person.age"),
        ("members[1].stage", "members[1].age", "person.age"),
        ("household.median_income_ratio", "household.income_recognized_monthly",
         "household.income_recognized_monthly"),
        # age in months: the age first
        ("applicant.age_months", "applicant.age", "person.age"),
    ],
)  # fmt: skip
def test_asked_path_names_the_profile_field_to_ask(ref: str, path: str, spec_id: str) -> None:
    assert asked_path(ref) == (path, FACTS[spec_id])


def test_age_in_months_is_asked_as_the_date_of_birth_once_the_age_is_known() -> None:
    def known(path: str) -> bool:
        return path == "members[0].age"

    assert asked_path("members[0].age_months", known) == (
        "members[0].birth_date",
        FACTS["person.birth_date"],
    )
    # only that person's age counts
    assert asked_path("applicant.age_months", known) == ("applicant.age", FACTS["person.age"])


@pytest.mark.parametrize(
    "ref",
    [
        "count",  # a member count is not a question
        "applicant.no_such_fact",
        "household.age",  # a person fact on the household
        "spouse.age",  # not an owner
        "members[x].age",
        "xapplicant.age",
        "applicant.age.x",
        "applicant.Age",
        "pension_unit.region",
    ],
)
def test_asked_path_is_none_for_what_cannot_be_asked(ref: str) -> None:
    assert asked_path(ref) is None


# weight ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("monthly", "answers_need", "emergency", "crisis", "expected"),
    [
        (None, False, False, False, 1.0),  # the base weight
        (None, True, False, False, 2.0),  # +1 for a stated need
        ((50_000, 50_000), False, False, False, 1.6),  # 600,000 a year = 0.6 million
        ((0, 100_000), False, False, False, 2.2),  # low 0: the high end, 1,200,000 -> 1.2
        ((250_000, 250_000), False, False, False, 4.0),  # 3,000,000 a year: the cap, 3.0
        ((260_000, 900_000), False, False, False, 4.0),  # 3,120,000 capped at 3.0
        (None, False, True, True, 3.0),  # emergency help in a crisis: +2
        (None, False, True, False, 1.0),  # emergency help, no crisis
        (None, False, False, True, 1.0),  # crisis, not emergency help
        ((100_000, 100_000), True, True, True, 5.2),  # 1 + 1 + 1.2 + 2
    ],
)
def test_weight_of_an_undecided_program(
    monthly: tuple[int, int] | None,
    answers_need: bool,
    emergency: bool,
    crisis: bool,
    expected: float,
) -> None:
    decision = undecided(
        "toy-a", {"applicant.age"}, monthly=monthly, answers_need=answers_need, emergency=emergency
    )
    assert weight(decision, crisis) == pytest.approx(expected, abs=1e-9)


# pick_questions --------------------------------------------------------------------------------


def single(path: str, score: float, settles: tuple[str, ...], spec_id: str) -> QuestionPick:
    return QuestionPick(path, FACTS[spec_id], score, settles)


def test_a_program_shares_its_weight_among_the_facts_it_misses() -> None:
    a = undecided("toy-a", {"applicant.age", "household.region"})
    b = undecided("toy-b", {"household.region"})
    picks = pick_questions([a, b])
    assert picks == [
        single("household.region", 1.5, ("toy-a", "toy-b"), "household.region"),  # 0.5 + 1
        single("applicant.age", 0.5, ("toy-a",), "person.age"),
    ]


def test_scores_are_rounded_to_three_places() -> None:
    a = undecided("toy-a", {"applicant.age", "household.region", "household.assets"})
    assert [q.score for q in pick_questions([a])] == [0.333, 0.333, 0.333]


def test_equal_scores_ask_the_non_sensitive_fact_first_then_by_path() -> None:
    # birth date is sensitive, region and assets are not: 1/3 each
    a = undecided("toy-a", {"applicant.birth_date", "household.region", "household.assets"})
    picks = pick_questions([a])
    assert [q.path for q in picks] == [
        "household.assets",
        "household.region",
        "applicant.birth_date",
    ]


def test_limit_cuts_to_the_best_questions() -> None:
    a = undecided("toy-a", {"applicant.age"}, monthly=(100_000, 100_000))  # 2.2
    b = undecided("toy-b", {"household.region"}, answers_need=True)  # 2.0
    c = undecided("toy-c", {"household.assets"})  # 1.0
    d = undecided("toy-d", {"household.rent_monthly"}, emergency=True)  # 1.0, or 3.0 in crisis
    assert [q.path for q in pick_questions([a, b, c, d])] == [
        "applicant.age", "household.region", "household.assets",
    ]  # fmt: skip
    assert [q.path for q in pick_questions([a, b, c, d], limit=1)] == ["applicant.age"]
    in_crisis = pick_questions([a, b, c, d], crisis=True, limit=2)
    assert [(q.path, q.score) for q in in_crisis] == [
        ("household.rent_monthly", 3.0),
        ("applicant.age", 2.2),
    ]


def test_two_references_asked_as_the_same_field_count_once() -> None:
    # stage and age are both asked as the age: one question, the whole weight
    a = undecided("toy-a", {"applicant.stage", "applicant.age"})
    assert pick_questions([a]) == [single("applicant.age", 1.0, ("toy-a",), "person.age")]


def test_skipped_and_unaskable_facts_are_never_asked() -> None:
    a = undecided("toy-a", {"applicant.age", "household.region", "household.assets"})
    picks = pick_questions([a], skip=["household.region"], askable=lambda p: p != "applicant.age")
    # the one fact left carries the whole weight
    assert picks == [single("household.assets", 1.0, ("toy-a",), "household.assets")]


def test_a_program_with_nothing_askable_adds_nothing() -> None:
    a = undecided("toy-a", {"count", "household.region"})
    b = undecided("toy-b", {"household.region"})
    assert pick_questions([a, b], skip=["household.region"]) == []
    assert pick_questions([undecided("toy-c", set())]) == []
    # the programs after it still count
    c = undecided("toy-c", {"household.assets"})
    assert pick_questions([a, c], skip=["household.region"]) == [
        single("household.assets", 1.0, ("toy-c",), "household.assets")
    ]


def test_age_in_months_is_asked_as_the_date_of_birth_when_the_kiosk_knows_the_age() -> None:
    a = undecided("toy-a", {"applicant.age_months"})
    assert [q.path for q in pick_questions([a])] == ["applicant.age"]
    asked = pick_questions([a], known=lambda path: path == "applicant.age")
    assert asked == [single("applicant.birth_date", 1.0, ("toy-a",), "person.birth_date")]


def test_yes_no_facts_of_one_person_are_asked_as_one_checklist() -> None:
    a = undecided("toy-a", {"applicant.veteran", "applicant.care_leaver"})
    b = undecided("toy-b", {"applicant.care_leaver", "household.region"})
    picks = pick_questions([a, b])
    assert picks == [
        QuestionPick(
            "applicant",
            None,
            1.5,  # care_leaver 0.5 + 0.5, veteran 0.5
            ("toy-a", "toy-b"),
            "checklist",
            (
                ("applicant.care_leaver", FACTS["person.care_leaver"]),
                ("applicant.veteran", FACTS["person.veteran"]),
            ),
        ),
        single("household.region", 0.5, ("toy-b",), "household.region"),
    ]


def test_checklists_are_per_person_and_a_lone_flag_stays_a_single_question() -> None:
    a = undecided("toy-a", {"members[0].veteran", "members[0].pregnant", "applicant.veteran"})
    picks = pick_questions([a], limit=5)
    assert [(q.path, q.kind) for q in picks] == [
        ("members[0]", "checklist"),  # 2/3
        ("applicant.veteran", "single"),  # 1/3
    ]
    assert picks[0].score == 0.667
    assert [path for path, _ in picks[0].items] == ["members[0].pregnant", "members[0].veteran"]
    assert picks[1].spec == FACTS["person.veteran"]
    assert picks[1].settles == ("toy-a",)
    assert picks[1].items == ()


def test_a_checklist_holds_at_most_the_best_eight_flags() -> None:
    flags = [
        "veteran", "care_leaver", "pregnant", "public_pension", "employer_health_insurance",
        "involuntary_job_loss", "work_experience_100d", "marriage_immigrant", "out_of_school",
        "literacy_incomplete",
    ]  # fmt: skip
    assert CHECKLIST_SIZE == 8
    # one program per flag; the first two flags also answer a need (weight 2), the rest weigh 1
    decisions = [
        undecided(f"toy-{i}", {f"applicant.{name}"}, answers_need=i < 2)
        for i, name in enumerate(flags)
    ]
    (checklist,) = pick_questions(decisions)
    items = [path for path, _ in checklist.items]
    # best first: veteran and care_leaver (2.0 each, by path), then the weight-1 flags by path
    rest = sorted(f"applicant.{n}" for n in flags[2:])
    assert items == ["applicant.care_leaver", "applicant.veteran", *rest[:6]]
    assert checklist.score == 10.0  # 2 + 2 + 6 x 1
    # the programs in the order of the items; the two flags left out wait for the next round
    assert checklist.settles == (
        "toy-1", "toy-0", "toy-4", "toy-5", "toy-9", "toy-7", "toy-8", "toy-2",
    )  # fmt: skip
