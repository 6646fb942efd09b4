"""The kiosk question flow, driven to completion for every golden persona over real HTTP.

A kiosk at a 행정복지센터 starts with the household roster: one screen per person (the applicant
and each member) taking relation, age or date of birth, sex and nationality, as the paper
application does. Each roster screen counts as one question. Then the kiosk asks only what
``POST /v1/questions/next`` returns, one question at a time. The simulated citizen answers from
the persona's file. A persona file lists what is special about the household, so a yes/no fact it
does not mention is answered "no" and a "which of these" fact (benefits received, crisis reasons)
"none of them" (people know whether they are a registered veteran or get 기초연금); any other fact
the file does not give is "모름" (the path goes into ``skip``). A checklist question is answered by
ticking the items the file says are true. The flow ends when the API says ``done``.

Checks: the flow ends; it never asks a question twice; every program the full profile decides
(eligible, ineligible, excluded or already received) gets the same verdict at the end of the flow
(a verdict, once decided, cannot change when more facts are known, so a shorter flow must not
contradict the full profile); and the number of questions stays within the budget. *Eligible* and
*excluded* are one verdict here: both mean the household can get the program, and which of two
programs that cannot be had together the plan recommends may change when the flow's answers make a
third one eligible (a senior who turns out to qualify for 사회서비스형 is recommended it over
시장형).

Why 20: a kiosk session is meant to take a few minutes; at about 10-15 seconds per tap-to-answer
question, 20 questions is 3-5 minutes, which is what a visitor standing at a kiosk will give. A
household of more than one person gets ``PER_EXTRA_PERSON`` more for each further person: their
roster screen, their checklist and one question of their own (the plan decides per-person programs
for each member: a grandparent's 기초연금 needs the grandparent's answers). The average over the
personas is printed (run with ``-s``) and reported in ``bench/README.md``. ``INCOME_GATE``: since
#11 the kiosk asks the plain figures behind 소득인정액 (earnings first) before the figure itself,
which costs a household that knows only its figure one "모름".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

PERSONAS = sorted((Path(__file__).parent / "personas").glob("*.yaml"))
MAX_QUESTIONS = 20
# 소득인정액 is asked through plain questions first (#11): a household that knows only the figure
# from a notice answers "모름" to its earnings once before the kiosk asks the figure itself
INCOME_GATE = 1
PER_EXTRA_PERSON = 3
ROSTER = frozenset({"relation", "age", "age_months", "birth_date", "sex", "nationality"})
_MEMBER = re.compile(r"^members\[(\d+)\]$")
COUNTS: dict[str, int] = {}


def _persona(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _roster(person: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in person.items() if k in ROSTER}


def _answer(full: dict[str, Any], path: str) -> tuple[bool, Any]:
    owner, name = path.split(".", 1)
    match = _MEMBER.match(owner)
    if match:
        members = full.get("members") or []
        index = int(match.group(1))
        source = members[index] if index < len(members) else {}
    else:
        source = full.get(owner) or {}
    if path == "household.receives" and "receives" not in source:
        # "what does your household already receive?" covers what each member receives
        members = [
            m.get("receives") for m in [full.get("applicant") or {}, *full.get("members", [])]
        ]
        if any(m is not None for m in members):
            return True, sorted({pid for m in members for pid in m or ()})
    if path == "household.receives" and "receives" in source:
        members = [
            m.get("receives") or [] for m in [full.get("applicant") or {}, *full.get("members", [])]
        ]
        return True, sorted({*source["receives"], *(pid for m in members for pid in m)})
    if name in source:
        return True, source[name]
    if name == "age" and "birth_date" in source:  # "how old?" answered with the date of birth
        return True, ("birth_date", source["birth_date"])
    if name == "age" and "age_months" in source:  # "how old?" answered "10 months"
        return True, ("age_months", source["age_months"])
    return False, None


def _put(profile: dict[str, Any], path: str, value: Any) -> None:
    owner, name = path.split(".", 1)
    if isinstance(value, tuple):
        name, value = value
    match = _MEMBER.match(owner)
    if match:
        profile["members"][int(match.group(1))][name] = value
    else:
        profile.setdefault(owner, {})[name] = value


def _statuses(plan: dict[str, Any]) -> dict[str, str]:
    result = {}
    for status in ("eligible", "needs_info", "ineligible", "excluded", "receiving"):
        for item in plan[status]:
            result[item["program_id"]] = "eligible" if status == "excluded" else status
    return result


@pytest.mark.parametrize("path", PERSONAS, ids=[p.stem for p in PERSONAS])
async def test_kiosk_flow_settles_the_persona(client: httpx.AsyncClient, path: Path) -> None:
    persona = _persona(path)
    full = json.loads(json.dumps(persona.get("profile") or {}, default=str))
    as_of = str(persona["as_of"])
    members = full.get("members") or []
    profile: dict[str, Any] = {
        "applicant": _roster(full.get("applicant") or {}),
        "members": [_roster(m) for m in members],
    }
    skip: list[str] = []
    asked: list[str] = ["roster:applicant"] + [f"roster:members[{i}]" for i in range(len(members))]
    budget = MAX_QUESTIONS + INCOME_GATE + PER_EXTRA_PERSON * len(members)
    answered: list[str] = []
    while True:
        # each step as the kiosk sends it: the question and the counts, not the plan
        body = {"profile": profile, "skip": skip, "as_of": as_of, "include_plan": False}
        response = await client.post("/v1/questions/next", json=body)
        assert response.status_code == 200, response.text
        result = response.json()
        if result["done"]:
            assert result["questions"] == []
            # the provisional plan of the last step, as the kiosk then shows it
            response = await client.post("/v1/questions/next", json={**body, "include_plan": True})
            result = response.json()
            assert result["done"] and result["counts"] == result["plan"]["counts"]
            break
        question = result["questions"][0]
        facts = (
            [o["value"] for o in question["options"]]
            if question["type"] == "checklist"
            else [question["fact"]]
        )
        assert not set(facts) & set(answered), f"{facts} asked again"
        assert question["text"] and question["settles"]
        asked.append(question["fact"])
        assert len(asked) <= budget, "\n" + "\n".join(asked) + "\nskipped: " + " ".join(skip)
        for fact in facts:
            answered.append(fact)
            known, value = _answer(full, fact)
            if not known and question["type"] in ("bool", "checklist"):
                known, value = True, False
            if not known and question["type"] == "set":
                known, value = True, []
            if known:
                _put(profile, fact, value)
            else:
                skip.append(fact)
    COUNTS[path.stem] = len(asked)
    final = _statuses(result["plan"])
    reference = await client.post("/v1/plans", json={"profile": full, "as_of": as_of})
    decided = {p: s for p, s in _statuses(reference.json()).items() if s != "needs_info"}
    assert {p: final[p] for p in decided} == decided
    if _knows_plain_figures(full):
        # #11: a household that knows its plain figures is never asked its 소득인정액, and
        # nothing that reads it is left undecided for want of it
        assert not set(asked) & set(INCOME_FIGURES), asked
        used = {u["fact"]: u["used_by"] for u in result["plan"]["income_recognition"]}
        waiting = {p for fact in INCOME_FIGURES for p in used.get(fact, [])}
        PLAIN_UNDECIDED[path.stem] = sorted(
            i["program_id"]
            for i in result["plan"]["needs_info"]
            if i["program_id"] in waiting
            and any(m in INCOME_FIGURES or m.endswith(PLAIN_NAMES) for m in i["missing_facts"])
        )
        assert PLAIN_UNDECIDED[path.stem] == []


INCOME_FIGURES = ("household.income_recognized_monthly", "pension_unit.income_recognized_monthly")
PLAIN_UNDECIDED: dict[str, list[str]] = {}
# what the 소득인정액 estimate is computed from (needs_info items name these, not the figure)
PLAIN_NAMES = (
    ".earned_income_monthly", ".business_income_monthly", ".pension_income_monthly",
    ".other_income_monthly", ".home_value", ".rent_deposit", ".other_property",
    ".financial_assets", ".debts", ".car", ".car_value", ".car_engine_cc", ".car_age_years",
    ".private_transfers_monthly", ".sigungu",
)  # fmt: skip


def _knows_plain_figures(full: dict[str, Any]) -> bool:
    """The persona gives its plain figures (earnings, savings …), not a 소득인정액."""
    household = full.get("household") or {}
    stated = "income_recognized_monthly" in household or "income_recognized_monthly" in (
        full.get("pension_unit") or {}
    )
    applicant = full.get("applicant") or {}
    return not stated and "earned_income_monthly" in applicant and "financial_assets" in household


def test_report_average_questions() -> None:
    """Prints the average (run after the flows; pytest keeps file order)."""
    if not COUNTS:
        pytest.skip("run together with the kiosk flows to get the average")
    average = sum(COUNTS.values()) / len(COUNTS)
    print(
        f"\nkiosk questions over {len(COUNTS)} personas: average {average:.2f}, "
        f"max {max(COUNTS.values())}, min {min(COUNTS.values())}; "
        f"{len(PLAIN_UNDECIDED)} personas answer in plain figures, "
        f"{sum(1 for v in PLAIN_UNDECIDED.values() if v)} of them end with a "
        "소득인정액-dependent program undecided"
    )
    assert average <= MAX_QUESTIONS
