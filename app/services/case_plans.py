"""Saved plans of a case: plan the household (``build_plan``), keep the request (encrypted), the
catalog version, ``as_of`` and the verdict summary; compare with the previous plan (what changed);
replay a saved plan from its inputs; and re-screen open cases when the catalog changed or a dated
event came (turning 65, a child turning 24 months, a due date), with a follow-up task for every
program that became eligible."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from app.clock import today_in_seoul
from app.crypto import DataCipher
from app.db.case_models import CaseFile, CasePlan, CaseTask
from app.db.repositories.cases import CaseRepository
from app.db.session import write_transaction
from app.errors import ConsentRequired, SavedPlanNotFound, text
from app.locale import Locale
from app.matching import CatalogSnapshot, PlanCore
from app.schemas.cases import RescreenReport, SavedPlanCreate, SavedPlanList, SavedPlanOut
from app.schemas.plans import PlanRequest
from app.schemas.profile import ProfileIn
from app.services import plans
from app.services.audit import record
from app.services.case_events import next_event_on
from app.services.case_purge import SYSTEM
from app.services.cases import (
    Caller,
    audit,
    check_consent,
    check_staff,
    find_case,
    open_case,
    open_profile,
    seal_profile,
)

FOLLOW_UP_DAYS = 7
"""A program that became eligible on a re-screening is a task due a week later."""


def save_plan(
    session: Session, caller: Caller, cipher: DataCipher, snapshot: CatalogSnapshot,
    case_id: int, body: SavedPlanCreate,
) -> SavedPlanOut:  # fmt: skip
    as_of = body.as_of or today_in_seoul()
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = open_case(session, caller, case_id)
        if body.profile is not None:
            check_consent(CaseRepository(session).consent(case.id), body.profile, None)
            case.profile_token, case.profile_as_of = seal_profile(cipher, body.profile), as_of
        saved = _replan(session, case, cipher, snapshot, body.needs, as_of, "manual", staff)
        audit(session, caller, "case.plan.save", f"case:{case.id}", number=saved.number)
        return saved


def rescreen(
    session: Session, caller: Caller, cipher: DataCipher, snapshot: CatalogSnapshot, case_id: int
) -> SavedPlanOut:
    """Re-screen one case now, with the needs of its last plan."""
    with write_transaction(session):
        staff = check_staff(session, caller)
        case = open_case(session, caller, case_id)
        needs = _last_needs(CaseRepository(session).last_plan(case.id), cipher)
        saved = _replan(session, case, cipher, snapshot, needs, today_in_seoul(), "manual", staff)
        audit(session, caller, "case.rescreen", f"case:{case.id}", number=saved.number)
        return saved


def list_plans(session: Session, caller: Caller, case_id: int) -> SavedPlanList:
    with session.begin():
        case = find_case(session, caller, case_id)
        return SavedPlanList(items=[_out(p) for p in CaseRepository(session).plans(case.id)])


def get_plan(session: Session, caller: Caller, case_id: int, number: int) -> SavedPlanOut:
    with session.begin():
        return _out(_find_plan(session, caller, case_id, number))


def replay_plan(
    session: Session, caller: Caller, cipher: DataCipher, snapshot: CatalogSnapshot,
    case_id: int, number: int, locale: Locale,
) -> plans.Rendered:  # fmt: skip
    """The saved plan re-rendered from its stored request and ``as_of`` on the current catalog
    (its ``catalog_version`` says whether that is still the one it was saved on)."""
    with session.begin():
        saved = _find_plan(session, caller, case_id, number)
        request = PlanRequest.model_validate_json(cipher.decrypt(saved.request_token))
    rendered, _core, _picks = plans.build_plan(snapshot, request, locale, saved.as_of)
    return rendered


def rescreen_due(
    session: Session, cipher: DataCipher, snapshot: CatalogSnapshot, today: date
) -> RescreenReport:
    """The scheduled re-screening: every open case whose dated event has come or whose last plan
    was made on another catalog version is re-planned on ``today``, one transaction each."""
    with session.begin():
        due = [
            (case.id, trigger)
            for case in CaseRepository(session).open_with_profile()
            if (trigger := _trigger(session, case, snapshot, today)) is not None
        ]
    report = RescreenReport(replanned=[], skipped=[], tasks_created=0)
    for case_id, trigger in due:
        try:
            saved = _rescreen_one(session, cipher, snapshot, case_id, trigger, today)
        except RequestValidationError:  # the stored profile no longer reads on today: staff
            report.skipped.append(case_id)  # update it (the case stays on the worklist)
            continue
        if saved is not None:
            report.replanned.append(case_id)
            report.tasks_created += len(saved.tasks_created)
    return report


def _rescreen_one(
    session: Session, cipher: DataCipher, snapshot: CatalogSnapshot, case_id: int,
    trigger: str, today: date,
) -> SavedPlanOut | None:  # fmt: skip
    with write_transaction(session):
        case = CaseRepository(session).by_id(case_id)
        if case is None or case.status != "open" or case.profile_token is None:
            return None
        needs = _last_needs(CaseRepository(session).last_plan(case.id), cipher)
        saved = _replan(session, case, cipher, snapshot, needs, today, trigger, "system")
        detail = {"trigger": trigger, "number": saved.number, "tasks": saved.tasks_created}
        record(session, SYSTEM, "case.rescreen", f"case:{case.id}", detail)
        return saved


def _trigger(
    session: Session, case: CaseFile, snapshot: CatalogSnapshot, today: date
) -> str | None:
    if case.next_event_on is not None and case.next_event_on <= today:
        return "dated_event"
    last = CaseRepository(session).last_plan(case.id)
    if last is not None and last.catalog_version != snapshot.catalog_version:
        return "catalog"
    return None


# --- planning and comparing -------------------------------------------------------------------


def _replan(
    session: Session, case: CaseFile, cipher: DataCipher, snapshot: CatalogSnapshot,
    needs: list[Any], as_of: date, trigger: str, by: str,
) -> SavedPlanOut:  # fmt: skip
    profile = open_profile(cipher, case.profile_token)
    if profile is None:
        raise ConsentRequired(text("errors.cases.item_consent", item="household_profile"))
    request = PlanRequest(profile=for_date(profile, as_of), needs=needs, as_of=as_of)
    plans.check_profile(request.profile, as_of)
    rendered, core, _picks = plans.build_plan(snapshot, request, "ko", as_of)
    repo = CaseRepository(session)
    last = repo.last_plan(case.id)
    summary = summarize(core)
    changes = compare(last.number, last.catalog_version, last.summary, summary) if last else None
    saved = repo.add_plan(
        CasePlan(
            case_id=case.id,
            number=last.number + 1 if last else 1,
            trigger=trigger,
            request_token=cipher.encrypt(request.model_dump_json(exclude_none=True)),
            catalog_version=snapshot.catalog_version,
            as_of=as_of,
            summary=summary,
            changes=changes,
            created_at=datetime.now(UTC),
            created_by=by,
        )
    )
    created = [
        repo.add_task(
            CaseTask(
                case_id=case.id,
                title=f"Newly eligible on re-screening: {program_id}",
                kind="rescreen",
                program_id=program_id,
                due_on=min(as_of, date.max - timedelta(days=FOLLOW_UP_DAYS))
                + timedelta(days=FOLLOW_UP_DAYS),
                status="open",
                created_at=datetime.now(UTC),
                created_by=by,
            )
        ).id
        for program_id in (changes or {}).get("newly_eligible", [])
    ]
    coming = [date.fromisoformat(item["on"]) for item in rendered.data["coming_up"]]
    case.next_event_on = next_event_on(profile, as_of, coming)
    return _out(saved, created)


def for_date(profile: ProfileIn, as_of: date) -> ProfileIn:
    """The profile as it reads on ``as_of``: ages come from birth dates where there are any (a
    stored age goes stale), and a due date already past is no longer a pregnancy's."""
    people = []
    for person in (profile.applicant, *profile.members):
        drop = set()
        if person.birth_date is not None:
            drop |= {"age", "age_months"}
        if person.due_date is not None and person.due_date < as_of:
            drop.add("due_date")
        people.append(person.model_copy(update=dict.fromkeys(drop)))
    return profile.model_copy(update={"applicant": people[0], "members": people[1:]})


def summarize(core: PlanCore) -> dict[str, Any]:
    """Program id -> status and amount (KRW range), as stored with a saved plan."""
    summary: dict[str, Any] = {}
    for decision in core.decisions:
        benefit = decision.determination.benefit
        amount = None if benefit is None else {"low": benefit.low, "high": benefit.high}
        summary[decision.id] = {"status": decision.status, "amount": amount}
    return summary


def compare(
    since: int, version: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """What changed from ``before`` to ``after`` (two summaries)."""

    def status(summary: Mapping[str, Any], program_id: str) -> str:
        return str(summary.get(program_id, {}).get("status", "absent"))

    ids = sorted(set(before) | set(after))
    changed = [p for p in ids if status(before, p) != status(after, p)]
    return {
        "since_plan": since,
        "catalog_version_before": version,
        "newly_eligible": [p for p in changed if status(after, p) == "eligible"],
        "no_longer_eligible": [p for p in changed if status(before, p) == "eligible"],
        "status_changed": [
            {"program_id": p, "before": status(before, p), "after": status(after, p)}
            for p in changed
        ],
        "amount_changed": [
            {"program_id": p, "before": before[p]["amount"], "after": after[p]["amount"]}
            for p in ids
            if p in before and p in after and before[p]["amount"] != after[p]["amount"]
        ],
    }


def _last_needs(last: CasePlan | None, cipher: DataCipher) -> list[Any]:
    if last is None:
        return []
    return list(PlanRequest.model_validate_json(cipher.decrypt(last.request_token)).needs)


def _find_plan(session: Session, caller: Caller, case_id: int, number: int) -> CasePlan:
    case = find_case(session, caller, case_id)
    saved = CaseRepository(session).plan(case.id, number)
    if saved is None:
        raise SavedPlanNotFound(text("errors.cases.plan_not_found", number=number))
    return saved


def _out(saved: CasePlan, tasks: list[int] | None = None) -> SavedPlanOut:
    return SavedPlanOut.model_validate(
        {
            "number": saved.number,
            "trigger": saved.trigger,
            "catalog_version": saved.catalog_version,
            "as_of": saved.as_of,
            "created_at": saved.created_at,
            "created_by": saved.created_by,
            "summary": saved.summary,
            "changes": saved.changes,
            "tasks_created": tasks or [],
        }
    )
