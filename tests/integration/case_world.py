"""A small company for case tests: a subject, their management chain, approvers, records and
a confirmed alert; and an HMAC test signer standing in for the signing service (it keeps a
``SigningCertificate`` row per user, as the approvals' foreign key needs)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from workstation.cases.ports import SignatureCheck, SignedPayload
from workstation.cases.service import CaseService
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.domain.policy import Comparator, Severity
from workstation.domain.verdicts import FiredRule
from workstation.risk.alert_service import dump_rules
from workstation.security.permissions import PermissionAuthorizer
from workstation.store.audit import canonical_json
from workstation.store.evidence import EvidenceStore
from workstation.store.models import (
    Alert,
    Checkin,
    Communication,
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    Employee,
    Order,
    PolicyVersion,
    SigningCertificate,
    Stop,
    TrackPoint,
    User,
)
from workstation.store.uow import UnitOfWorkFactory

T0 = datetime(2026, 10, 30, 2, 0, tzinfo=UTC)
DAY = date(2026, 10, 30)


class HmacSigner:
    """Signs with an HMAC key derived from the certificate id (tests only)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow
        self.signed = 0

    def _key(self, certificate_id: int) -> bytes:
        return hashlib.sha256(f"test-key-{certificate_id}".encode()).digest()

    def _certificate(self, user_id: int) -> int:
        with self.uow() as u:
            found = u.session.scalar(
                select(SigningCertificate.id).where(SigningCertificate.user_id == user_id)
            )
            if found is not None:
                return int(found)
            cert = SigningCertificate(
                user_id=user_id,
                is_ca=False,
                subject=f"CN=user {user_id}",
                serial=str(user_id),
                certificate_pem="(test)",
                private_key_pem="(test)",
                fingerprint_sha256=hashlib.sha256(f"user-{user_id}".encode()).hexdigest(),
                not_before=datetime(2026, 1, 1, tzinfo=UTC),
                not_after=datetime(2030, 1, 1, tzinfo=UTC),
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            u.session.add(cert)
            u.commit()
            return cert.id

    def sign(self, user_id: int, payload: Any) -> SignedPayload:
        cert = self._certificate(user_id)
        text = canonical_json(payload)
        mac = hmac.new(self._key(cert), text.encode(), hashlib.sha256).digest()
        self.signed += 1
        return SignedPayload(
            text,
            hashlib.sha256(text.encode()).hexdigest(),
            base64.b64encode(mac).decode(),
            cert,
            self.uow.clock.now(),
        )

    def verify(self, payload_json: str, signature_b64: str, certificate_id: int) -> SignatureCheck:
        mac = hmac.new(self._key(certificate_id), payload_json.encode(), hashlib.sha256).digest()
        if hmac.compare_digest(base64.b64encode(mac).decode(), signature_b64):
            return SignatureCheck(True, "valid", f"certificate {certificate_id}")
        return SignatureCheck(False, "signature does not match the payload")


@dataclass
class CaseWorld:
    uow: UnitOfWorkFactory
    evidence: EvidenceStore
    cases: CaseService = field(init=False)
    signer: HmacSigner = field(init=False)
    emp: dict[str, int] = field(default_factory=dict)
    users: dict[str, Identity] = field(default_factory=dict)
    rec: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.signer = HmacSigner(self.uow)
        self.cases = CaseService(
            self.uow, self.evidence, PermissionAuthorizer(), self.signer, self.uow.clock
        )
        self._company()

    def me(self, username: str) -> Identity:
        return self.users[username]

    def _company(self) -> None:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        with self.uow() as u:
            s = u.session
            chen = Employee(employee_no="M002", name="陈总")
            s.add(chen)
            s.flush()
            wang = Employee(employee_no="M001", name="王经理", manager_id=chen.id)
            liu = Employee(employee_no="M003", name="刘经理", manager_id=chen.id)
            others = [
                Employee(employee_no="L001", name="赵律师"),
                Employee(employee_no="H001", name="李HR"),
            ]
            s.add_all([wang, liu, *others])
            s.flush()
            zhang = Employee(employee_no="S001", name="张伟", manager_id=wang.id)
            peer = Employee(employee_no="S002", name="孙丽", manager_id=wang.id)
            s.add_all([zhang, peer])
            s.flush()
            self.emp = {
                "chen": chen.id,
                "wang": wang.id,
                "liu": liu.id,
                "zhao": others[0].id,
                "li": others[1].id,
                "zhang": zhang.id,
                "sun": peer.id,
            }
            accounts = [
                ("hr.li", Role.HR_OFFICER, "li"),
                ("hr.zhou", Role.HR_OFFICER, None),
                ("mgr.wang", Role.SALES_MANAGER, "wang"),
                ("mgr.chen", Role.SALES_MANAGER, "chen"),
                ("mgr.liu", Role.SALES_MANAGER, "liu"),
                ("legal.zhao", Role.LEGAL, "zhao"),
                ("legal.qian", Role.LEGAL, None),
                ("admin", Role.ADMINISTRATOR, None),
                ("audit", Role.AUDITOR, None),
                ("sales.zhang", Role.SALES_MANAGER, "zhang"),
                ("sales.sun", Role.HR_OFFICER, "sun"),
            ]
            for username, role, emp in accounts:
                user = User(
                    username=username,
                    display_name=username,
                    role=role.value,
                    employee_id=self.emp[emp] if emp else None,
                    created_at=now,
                )
                s.add(user)
                s.flush()
                self.users[username] = Identity(user.id, username, username, role, user.employee_id)
            self._records(s)
            u.commit()

    def _records(self, s: Any) -> None:
        customer = Customer(code="C001", name="华东机电", lat=31.2, lon=121.4)
        rival = Competitor(name="对手公司")
        s.add_all([customer, rival])
        s.flush()
        site = CompetitorSite(competitor_id=rival.id, name="对手上海办", lat=31.21, lon=121.41)
        s.add(site)
        s.flush()
        zhang = self.emp["zhang"]
        checkin = Checkin(
            employee_id=zhang,
            checked_at=T0,
            kind="field",
            customer_id=customer.id,
            lat=31.3,
            lon=121.5,
        )
        stop = Stop(
            employee_id=zhang,
            day=DAY,
            started_at=T0,
            ended_at=datetime(2026, 10, 30, 3, 0, tzinfo=UTC),
            lat=31.21,
            lon=121.41,
            point_count=12,
            source="track",
            place_kind="competitor_site",
            competitor_site_id=site.id,
        )
        order = Order(
            order_no="O-1",
            customer_id=customer.id,
            employee_id=zhang,
            order_date=DAY,
            amount=Decimal("12000.50"),
            status="transferred",
            competitor_id=rival.id,
        )
        event = CustomerEvent(
            customer_id=customer.id,
            event_date=DAY,
            kind="transferred",
            employee_id=zhang,
            competitor_id=rival.id,
        )
        message = Communication(
            employee_id=zhang,
            sent_at=T0,
            channel="wecom",
            direction="out",
            counterpart="对手公司 王总",
            content="下周的单子走你们那边",
        )
        s.add_all([checkin, stop, order, event, message])
        base = int(T0.timestamp() * 1000)
        s.add_all(
            TrackPoint(employee_id=zhang, t_ms=base + i * 60_000, lat=31.2 + i / 1000, lon=121.4)
            for i in range(10)
        )
        policy = PolicyVersion(
            version=1,
            name="default",
            effective_from=date(2026, 1, 1),
            definition_json="{}",
            created_at=T0,
        )
        s.add(policy)
        s.flush()
        rule = FiredRule(
            rule="churn",
            kind="rule",
            level=Severity.MEDIUM,
            indicator="customer_churn_rate",
            comparator=Comparator.GE,
            value=0.25,
            threshold=0.2,
            on=DAY,
            policy_version=1,
            records={
                "customer_events": (event.id,),
                "orders": (order.id,),
                "stops": (stop.id,),
                "checkins": (checkin.id, 999_999),
            },
        )
        alert = Alert(
            employee_id=zhang,
            status="confirmed",
            severity="medium",
            raised_on=DAY,
            last_evaluated_on=DAY,
            policy_version_id=policy.id,
            rules_json=dump_rules([rule]),
            revision=3,
            created_at=T0,
            updated_at=T0,
        )
        s.add(alert)
        s.flush()
        self.rec = {
            "customer": customer.id,
            "competitor": rival.id,
            "checkin": checkin.id,
            "stop": stop.id,
            "order": order.id,
            "customer_event": event.id,
            "communication": message.id,
            "alert": alert.id,
            "track_start": base,
            "track_end": base + 9 * 60_000,
        }
