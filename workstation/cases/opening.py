"""Opening a case: by hand, or from a confirmed alert (escalated in the same transaction; its
fired rules go into the timeline, and the alert and the records behind it become evidence).

Case numbers are ``CW-YYYY-NNNN`` (the local year): writers of new cases queue on a lock
(SQLite: the database's write lock; PostgreSQL: an advisory lock), so two people opening
cases at once never draw the same number; the unique constraint backs it up.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workstation.cases.base import CaseServiceBase, Writing
from workstation.cases.repository import case_view
from workstation.cases.snapshots import (
    ALERT_RECORD_KINDS,
    EvidenceKind,
    RecordNotFound,
    freeze_record,
)
from workstation.cases.views import CaseView
from workstation.domain.alerts import AlertStatus
from workstation.domain.alerts import check_transition as check_alert_transition
from workstation.domain.cases import CaseRefused, CaseState, ConflictOfInterest
from workstation.domain.identity import Identity
from workstation.risk.alert_service import (
    AlertNotFound,
    StaleAlert,
    lock_for_writing,
    parse_rules,
    rule_json,
)
from workstation.risk.explain import merge_records
from workstation.store.audit import append_audit, canonical_json
from workstation.store.models import Alert, AlertEvent, Case, Employee

#: Advisory-lock key of case numbering on PostgreSQL (any constant 64-bit number).
CASES_LOCK_KEY = 0x43415345534E4F
NUMBER_PREFIX = "CW"


def next_number(session: Session, year: int) -> str:
    """The next free ``CW-<year>-NNNN`` (call with the numbering lock held)."""
    prefix = f"{NUMBER_PREFIX}-{year}-"
    taken = session.scalars(select(Case.number).where(Case.number.like(f"{prefix}%")))
    highest = max(
        (int(m.group(1)) for n in taken if (m := re.fullmatch(rf"{prefix}(\d+)", n))), default=0
    )
    return f"{prefix}{highest + 1:04d}"


class CaseOpening(CaseServiceBase):
    def open_case(
        self,
        identity: Identity,
        subject_employee_id: int | None,
        title: str,
        *,
        alert_id: int | None = None,
        alert_revision: int | None = None,
    ) -> CaseView:
        """Open a draft case on ``subject_employee_id``. From an alert (``alert_id``, which
        must be confirmed; ``alert_revision`` the revision the caller saw, default: current),
        the subject is the alert's employee and the alert is escalated to this case."""
        self._authorizer.require(identity, "case.open")
        heading = (title or "").strip()
        if not heading:
            raise CaseRefused("a case needs a title")
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            lock_for_writing(session, "cases", CASES_LOCK_KEY)
            alert = None
            if alert_id is not None:
                alert = session.get(Alert, alert_id)
                if alert is None:
                    raise AlertNotFound(f"no alert #{alert_id}")
                if subject_employee_id not in (None, alert.employee_id):
                    raise CaseRefused(
                        f"alert #{alert_id} is about employee #{alert.employee_id}, not "
                        f"#{subject_employee_id}"
                    )
                subject_employee_id = alert.employee_id
                check_alert_transition(alert.id, AlertStatus(alert.status), AlertStatus.ESCALATED)
                seen = alert.revision if alert_revision is None else alert_revision
                if alert.revision != seen:
                    raise _stale_alert(alert.id, alert.revision, seen)
            if subject_employee_id is None:
                raise CaseRefused("name the employee the case is about, or the alert")
            if session.get(Employee, subject_employee_id) is None:
                raise CaseRefused(f"no employee #{subject_employee_id}")
            if identity.employee_id == subject_employee_id:
                raise ConflictOfInterest("nobody opens a case about themselves")
            case = Case(
                number=next_number(session, self._clock.day_of(now).year),
                subject_employee_id=subject_employee_id,
                title=heading[:300],
                state=CaseState.DRAFT.value,
                alert_id=alert_id,
                legal_hold=False,
                revision=1,
                opened_by=identity.actor,
                created_at=now,
                updated_at=now,
            )
            session.add(case)
            session.flush()
            w = Writing(session, case, identity, now)
            w.event(
                "opened",
                {
                    "title": case.title,
                    "subject_employee_id": subject_employee_id,
                    "alert_id": alert_id,
                },
                to_state=CaseState.DRAFT.value,
            )
            if alert is not None:
                self._escalate(w, alert, seen)
            view = case_view(session, case)
            uow.commit()
            return view

    def _escalate(self, w: Writing, alert: Alert, seen: int) -> None:
        session, case = w.session, w.case
        done = session.execute(
            update(Alert)
            .where(Alert.id == alert.id, Alert.revision == seen)
            .values(
                status=AlertStatus.ESCALATED.value,
                revision=seen + 1,
                updated_at=w.now,
                case_id=case.id,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 1) != 1:
            session.expire_all()
            current = session.get(Alert, alert.id)
            raise _stale_alert(alert.id, current.revision if current else seen, seen)
        session.add(
            AlertEvent(
                alert_id=alert.id,
                at=w.now,
                actor=w.identity.actor,
                kind="status",
                from_status=alert.status,
                to_status=AlertStatus.ESCALATED.value,
                detail_json=canonical_json({"note": f"case {case.number}"}),
            )
        )
        append_audit(
            session,
            w.identity.actor,
            "alert.triage",
            "alert",
            alert.id,
            {"from": alert.status, "to": AlertStatus.ESCALATED.value, "case": case.number},
        )
        rules = parse_rules(alert.rules_json)
        records = merge_records(f.records for f in rules)
        w.event(
            "alert_explanation",
            {
                "alert_id": alert.id,
                "severity": alert.severity,
                "raised_on": alert.raised_on.isoformat(),
                "last_evaluated_on": alert.last_evaluated_on.isoformat(),
                "rules": [rule_json(f) for f in rules],
                "records": {k: list(v) for k, v in records.items()},
            },
        )
        linked: list[dict[str, Any]] = []
        missing: list[str] = []
        targets = [(EvidenceKind.ALERT, str(alert.id))] + [
            (ALERT_RECORD_KINDS[kind], str(record_id))
            for kind, ids in records.items()
            if kind in ALERT_RECORD_KINDS
            for record_id in ids
        ]
        for kind, key in targets:
            try:
                row = w.link(freeze_record(session, kind, key, self._clock.zone))
            except RecordNotFound:
                missing.append(f"{kind.value}:{key}")
                continue
            linked.append({"evidence_id": row.id, "kind": kind.value, "key": key})
        w.event(
            "evidence_linked",
            {"from_alert": alert.id, "linked": linked, "missing": missing or None},
        )


def _stale_alert(alert_id: int, current: int, seen: int) -> StaleAlert:
    return StaleAlert(
        f"alert #{alert_id} was changed after you opened it (it is now at revision {current}, "
        f"you saw {seen}): reload it, check what changed, and try again"
    )
