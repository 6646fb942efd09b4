"""Cases with their consent, saved plans and tasks; agency staff. Every read of a case is scoped
to the agency that opened it: another agency's case is simply not found."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from app.db import models
from app.db.case_models import AgencyStaff, CaseConsent, CaseFile, CasePlan, CaseTask, Referral

OPEN_REFERRAL = ("sent", "accepted", "in_progress")


class CaseRow(NamedTuple):
    case: CaseFile
    task_due: date | None
    tasks: int
    referral_due: date | None
    referrals: int


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, case: CaseFile, consent: CaseConsent) -> CaseFile:
        self.session.add(case)
        self.session.flush()
        consent.case_id = case.id
        self.session.add(consent)
        self.session.flush()
        return case

    def get(self, case_id: int, partner_id: int, *, lock: bool = False) -> CaseFile | None:
        query = select(CaseFile).where(CaseFile.id == case_id, CaseFile.partner_id == partner_id)
        if lock:
            query = query.with_for_update()
        return self.session.scalar(query)

    def by_id(self, case_id: int) -> CaseFile | None:
        return self.session.get(CaseFile, case_id)

    def consent(self, case_id: int) -> CaseConsent:
        return self.session.scalars(select(CaseConsent).where(CaseConsent.case_id == case_id)).one()

    def worklist(
        self, partner_id: int, *, status: str | None, due_before: date | None, limit: int
    ) -> list[CaseRow]:
        """The agency's cases with their open tasks and referrals; with ``due_before``, only
        those with something due before it, soonest first (else by id)."""
        tasks = (
            select(
                CaseTask.case_id,
                func.min(CaseTask.due_on).label("due"),
                func.count().label("n"),
            )
            .where(CaseTask.status == "open")
            .group_by(CaseTask.case_id)
            .subquery()
        )
        refs = (
            select(
                Referral.case_id,
                func.min(Referral.due_on).label("due"),
                func.count().label("n"),
            )
            .where(Referral.status.in_(OPEN_REFERRAL))
            .group_by(Referral.case_id)
            .subquery()
        )
        next_due = case(
            (tasks.c.due.is_(None), refs.c.due),
            (refs.c.due.is_(None), tasks.c.due),
            (tasks.c.due < refs.c.due, tasks.c.due),
            else_=refs.c.due,
        )
        query = (
            select(CaseFile, tasks.c.due, tasks.c.n, refs.c.due, refs.c.n)
            .outerjoin(tasks, tasks.c.case_id == CaseFile.id)
            .outerjoin(refs, refs.c.case_id == CaseFile.id)
            .where(CaseFile.partner_id == partner_id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(CaseFile.status == status)
        if due_before is not None:
            query = query.where(next_due < due_before).order_by(next_due, CaseFile.id)
        else:
            query = query.order_by(CaseFile.id)
        return [
            CaseRow(found, task_due, int(n or 0), ref_due, int(m or 0))
            for found, task_due, n, ref_due, m in self.session.execute(query).all()
        ]

    def expired(self, today: date) -> Sequence[CaseFile]:
        """Cases whose retention period is over and that still hold anything to purge."""
        return self.session.scalars(
            select(CaseFile)
            .where(CaseFile.retention_until < today, CaseFile.status != "purged")
            .order_by(CaseFile.id)
            .with_for_update()
        ).all()

    def open_with_profile(self) -> Sequence[CaseFile]:
        return self.session.scalars(
            select(CaseFile)
            .where(CaseFile.status == "open", CaseFile.profile_token.is_not(None))
            .order_by(CaseFile.id)
        ).all()

    # --- saved plans -----------------------------------------------------------------------

    def plans(self, case_id: int) -> Sequence[CasePlan]:
        return self.session.scalars(
            select(CasePlan).where(CasePlan.case_id == case_id).order_by(CasePlan.number)
        ).all()

    def plan(self, case_id: int, number: int) -> CasePlan | None:
        return self.session.scalar(
            select(CasePlan).where(CasePlan.case_id == case_id, CasePlan.number == number)
        )

    def last_plan(self, case_id: int) -> CasePlan | None:
        return self.session.scalar(
            select(CasePlan)
            .where(CasePlan.case_id == case_id)
            .order_by(CasePlan.number.desc())
            .limit(1)
        )

    def add_plan(self, plan: CasePlan) -> CasePlan:
        self.session.add(plan)
        self.session.flush()
        return plan

    # --- tasks -----------------------------------------------------------------------------

    def tasks(self, case_id: int) -> Sequence[CaseTask]:
        return self.session.scalars(
            select(CaseTask)
            .where(CaseTask.case_id == case_id)
            .order_by(CaseTask.due_on, CaseTask.id)
        ).all()

    def task(self, case_id: int, task_id: int) -> CaseTask | None:
        return self.session.scalar(
            select(CaseTask).where(CaseTask.case_id == case_id, CaseTask.id == task_id)
        )

    def add_task(self, task: CaseTask) -> CaseTask:
        self.session.add(task)
        self.session.flush()
        return task

    def open_task_dues(self, case_id: int) -> Sequence[date]:
        return self.session.scalars(
            select(CaseTask.due_on).where(CaseTask.case_id == case_id, CaseTask.status == "open")
        ).all()

    # --- purge -----------------------------------------------------------------------------

    def delete_plans_and_tasks(self, case_id: int) -> tuple[int, int]:
        plans = self.session.execute(delete(CasePlan).where(CasePlan.case_id == case_id))
        tasks = self.session.execute(delete(CaseTask).where(CaseTask.case_id == case_id))
        return (
            int(getattr(plans, "rowcount", 0) or 0),
            int(getattr(tasks, "rowcount", 0) or 0),
        )


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def active(self, partner_id: int, code: str) -> AgencyStaff | None:
        return self.session.scalar(
            select(AgencyStaff).where(
                AgencyStaff.partner_id == partner_id,
                AgencyStaff.code == code,
                AgencyStaff.deactivated_at.is_(None),
            )
        )

    def named(self, partner_id: int, code: str) -> AgencyStaff | None:
        return self.session.scalar(
            select(AgencyStaff).where(
                AgencyStaff.partner_id == partner_id, AgencyStaff.code == code
            )
        )

    def add(self, staff: AgencyStaff) -> AgencyStaff:
        self.session.add(staff)
        self.session.flush()
        return staff

    def of_partner(self, partner_id: int) -> Sequence[AgencyStaff]:
        return self.session.scalars(
            select(AgencyStaff)
            .where(AgencyStaff.partner_id == partner_id)
            .order_by(AgencyStaff.code)
        ).all()


class AgencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, partner_id: int) -> models.Partner | None:
        return self.session.get(models.Partner, partner_id)

    def named(self, name: str) -> models.Partner | None:
        return self.session.scalar(select(models.Partner).where(models.Partner.name == name))

    def agencies(self) -> Sequence[models.Partner]:
        """Partners that take part in case work (those with an agency type)."""
        return self.session.scalars(
            select(models.Partner)
            .where(models.Partner.agency_type.is_not(None))
            .order_by(models.Partner.name)
        ).all()

    def names(self, ids: set[int]) -> dict[int, str]:
        rows = self.session.execute(
            select(models.Partner.id, models.Partner.name).where(models.Partner.id.in_(ids))
        ).all()
        return {pid: name for pid, name in rows}
