"""Referrals and their history. A referral is read either by its case (the referring agency's
view, scoped by the case's owner) or by the receiving agency: never by anyone else."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.case_models import Referral, ReferralEvent


class ReferralRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, referral: Referral) -> Referral:
        self.session.add(referral)
        self.session.flush()
        return referral

    def add_event(self, event: ReferralEvent) -> None:
        self.session.add(event)
        self.session.flush()

    def of_case(self, case_id: int) -> Sequence[Referral]:
        return self.session.scalars(
            select(Referral).where(Referral.case_id == case_id).order_by(Referral.id)
        ).all()

    def in_case(self, case_id: int, referral_id: int, *, lock: bool = False) -> Referral | None:
        query = select(Referral).where(Referral.case_id == case_id, Referral.id == referral_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def received(self, partner_id: int, status: str | None = None) -> Sequence[Referral]:
        query = select(Referral).where(Referral.to_partner_id == partner_id)
        if status is not None:
            query = query.where(Referral.status == status)
        return self.session.scalars(query.order_by(Referral.id)).all()

    def received_one(
        self, partner_id: int, referral_id: int, *, lock: bool = False
    ) -> Referral | None:
        query = select(Referral).where(
            Referral.to_partner_id == partner_id, Referral.id == referral_id
        )
        return self.session.scalar(query.with_for_update() if lock else query)

    def history(self, referral_ids: Sequence[int]) -> dict[int, list[ReferralEvent]]:
        found: dict[int, list[ReferralEvent]] = {rid: [] for rid in referral_ids}
        if not referral_ids:
            return found
        rows = self.session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id.in_(referral_ids))
            .order_by(ReferralEvent.id)
        ).all()
        for event in rows:
            found[event.referral_id].append(event)
        return found

    def events_of_case(self, case_id: int) -> Sequence[ReferralEvent]:
        return self.session.scalars(
            select(ReferralEvent)
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(Referral.case_id == case_id)
        ).all()
