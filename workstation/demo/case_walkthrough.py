"""The demo diverter's case, walked from his alert to the served termination notice by the
demo users, through the same services the GUI and the command line use (signatures
included); what it reads on the way (the alert's records, the customers and competitors the
case forms offer) comes through them too.

The HR officer generates each document when the case needs it, signed and kept with the case:
the investigation request once the case is drafted, the approval sheet after the disposition
approvals, the union notification once it is recorded, the termination notice before it is
served, and the evidence dossier at the end. The demo company's particulars go to the data
folder's ``company.json`` (unless one is there), so documents generated later have them too.

Run after the demo's evaluation has raised his alert. The administrator first creates the
signing authority and certifies each signer's key (``signing_keys``); each user then signs
signed in as themselves. Without an OS keyring (a CI machine, a headless server) each key is
protected by that user's documented demo passphrase (``signing_keys.DEMO_KEY_PASSPHRASES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from workstation.demo.company import DEMO_COMPANY, DEMO_RULES
from workstation.demo.people import DEMO_PASSWORD
from workstation.demo.signing_keys import enrol_demo_signers
from workstation.domain.alerts import AlertStatus
from workstation.domain.cases import CaseState
from workstation.domain.enums import CustomerEventKind
from workstation.domain.indicators import Indicator
from workstation.reports.company_file import CompanyFile, CompanyParticulars

if TYPE_CHECKING:
    from workstation.app import App

HR, MANAGER, LEGAL = "hr.zhou", "sales.manager", "legal.sun"


class WalkthroughRefused(RuntimeError):
    pass


#: The language the demo's documents are generated in.
DOCUMENT_LOCALE = "zh_CN"


@dataclass(frozen=True)
class WalkedCase:
    number: str
    state: str
    approvals: int
    signatures_valid: bool
    #: The kinds of the documents generated on the way, in order (the dossier last).
    documents: tuple[str, ...] = ()


def ensure_demo_company(app: App) -> None:
    """Write the demo company's particulars to ``company.json`` unless it exists."""
    source = app.documents.company
    if isinstance(source, CompanyFile) and not source.exists():
        source.save(CompanyParticulars(DEMO_COMPANY, DEMO_RULES))


def _grounds(name: str, competitor: str) -> str:
    """Why HR asks to investigate (the investigation request)."""
    return (
        f"风险预警显示，{name}负责的多家客户近期相继转由{competitor}签约，同期其定位记录"
        f"多次在工作时间出现在{competitor}的办公地点附近，且多笔订单被标记为转出。"
    )


def _facts(name: str, competitor: str) -> str:
    """What the investigation established (union notification, termination notice)."""
    return (
        f"{name}在职期间多次在工作时间前往{competitor}的办公地点，并将其负责的公司客户及"
        f"在谈订单转由{competitor}签约。订单记录、定位轨迹与客户确认函相互印证，"
        "上述事实清楚，证据确凿。"
    )


def walk_diverter_case(app: App, diverter_no: str) -> WalkedCase:
    """Confirm the diverter's alert, open a case from it, and take it to a served notice."""
    enrol_demo_signers(app)
    ensure_demo_company(app)
    documents = app.documents
    made: list[str] = []
    hr = app.users.sign_in(HR, DEMO_PASSWORD)
    manager = app.users.sign_in(MANAGER, DEMO_PASSWORD)
    legal = app.users.sign_in(LEGAL, DEMO_PASSWORD)
    signed_in = app.session.sign_in
    signed_in(hr)
    alert = next((a for a in app.alerts.list_alerts() if a.employee_no == diverter_no), None)
    if alert is None:
        raise WalkthroughRefused(f"no open alert on {diverter_no}: evaluate the demo first")
    if alert.status is AlertStatus.NEW:
        alert = app.alerts.start_review(alert.id, alert.revision)
    if alert.status is AlertStatus.REVIEWING:
        alert = app.alerts.confirm(alert.id, alert.revision, note="客户流失与竞品停留相互印证")
    cases = app.cases
    case = cases.open_case(
        hr,
        None,
        f"{alert.employee_name} 疑似将客户转给竞争对手",
        alert_id=alert.id,
        alert_revision=alert.revision,
    )
    number = case.number
    # What HR reads in the alert's records: the churn it counts, and the customers and
    # competitors the case forms offer (services only, as the GUI does).
    behind = app.indicators.records_behind(
        alert.employee_id, alert.last_evaluated_on, Indicator.CUSTOMER_CHURN_RATE
    )
    lost = next((e for e in behind.events if e.kind == CustomerEventKind.TRANSFERRED), None)
    customers = {c.code: c.id for c in cases.customer_choices(hr, alert.employee_id)}
    rivals = {c.name: c.id for c in cases.competitor_choices(hr)}
    customer_id = customers.get(lost.customer_code) if lost else None
    competitor_id = rivals.get(lost.competitor_name) if lost and lost.competitor_name else None
    competitor = lost.competitor_name if lost and lost.competitor_name else "竞争对手"
    rev = cases.add_allegation(
        hr,
        number,
        "在职期间将公司客户及订单转给竞争对手",
        case.revision,
        customer_id=customer_id,
        competitor_id=competitor_id,
    ).case.revision
    grounds = _grounds(alert.employee_name, competitor)
    facts = _facts(alert.employee_name, competitor)

    def generate(kind: str, rev: int, stated: str | None = None, until: date | None = None) -> int:
        """Generate, sign and keep document ``kind`` at case revision ``rev``; the new one."""
        made.append(kind)
        signed_in(hr)
        done = documents.generate(
            hr, number, kind, DOCUMENT_LOCALE, rev, facts=stated, effective_date=until
        )
        return done.case.revision

    rev = generate("investigation_request", rev, grounds)
    rev = cases.transition(hr, number, CaseState.INVESTIGATION_REQUESTED, rev).revision
    signed_in(manager)
    rev = cases.approve(manager, number, "investigation", "approved", rev).revision
    signed_in(legal)
    rev = cases.approve(legal, number, "investigation", "approved", rev, note="同意调查").revision
    signed_in(hr)
    rev = cases.transition(hr, number, CaseState.UNDER_INVESTIGATION, rev).revision
    rev = cases.add_note(hr, number, "约谈记录、客户确认函已归档", rev).case.revision
    allegation = cases.get(hr, number).allegations[0]
    rev = cases.record_finding(
        hr, number, allegation.id, "substantiated", rev, note="订单、轨迹与客户确认函相互印证"
    ).revision
    rev = cases.transition(hr, number, CaseState.FINDINGS_RECORDED, rev).revision
    rev = cases.transition(
        hr,
        number,
        CaseState.DISPOSITION_PROPOSED,
        rev,
        disposition="termination",
        reason="严重违反公司规章制度（《员工手册》第七章第三条）",
    ).revision
    signed_in(manager)
    rev = cases.approve(manager, number, "disposition", "approved", rev).revision
    signed_in(legal)
    rev = cases.approve(legal, number, "disposition", "approved", rev).revision
    rev = generate("approval_sheet", rev)  # HR signed in again from here on
    rev = cases.transition(hr, number, CaseState.DECIDED, rev, reason="解除劳动合同").revision
    rev = cases.record_union_notification(hr, number, rev, reference="工会函〔2026〕1号").revision
    rev = generate("union_notification", rev, facts)
    today = app.clock.today()
    rev = generate("termination_notice", rev, facts, today)
    rev = cases.transition(hr, number, CaseState.NOTICE_SERVED, rev).revision
    generate("dossier", rev)
    checks = cases.verify(hr, number)
    return WalkedCase(
        number,
        cases.view(hr, number).state.value,
        len(checks),
        all(c.valid for c in checks),
        tuple(made),
    )
