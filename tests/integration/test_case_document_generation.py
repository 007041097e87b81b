"""The diverter's case generates its own documents (from the case, plus the company's
particulars) and keeps them with it as evidence files.

Walking the diverter's case escalates his alert, which ``test_demo_alerts`` (on the shared
session ``demo_app``) expects to find open whichever test file runs first; so these tests build
their own copy of the same demo company (same seed and end date) once for the module.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from workstation.app import App, open_app
from workstation.cases.documents import CaseDocuments
from workstation.config import load_settings
from workstation.demo.company import DEMO_COMPANY, DEMO_RULE
from workstation.domain.localtime import LOCAL_TZ
from workstation.reports.document_data import DocumentDataError, DocumentKind
from workstation.store.models import EvidenceFile

#: The demo fixture's last day (tests/conftest.py builds the demo to this date).
DEMO_END_DATE = date(2026, 10, 30)
DEMO_SEED = 7
FACTS = "经调查，该员工在职期间将公司客户及订单转给竞争对手，订单、轨迹与客户确认函相互印证。"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The demo company as tests/conftest.py builds it, but this module's own copy."""
    data_dir = tmp_path_factory.mktemp("demo_documents") / "data"
    application = open_app(load_settings(data_dir))
    application.demo.build(seed=DEMO_SEED, end_date=DEMO_END_DATE)
    yield application
    application.close()


def _diverter_case(app: App) -> str:
    from workstation.demo.case_walkthrough import HR, walk_diverter_case

    diverter = next(s for s in app.demo.scenarios() if s["kind"] == "diverter")
    hr = app.cases.identity_of(HR)
    existing = [
        c for c in app.cases.list_cases(hr) if c.subject_employee_no == diverter["employee_no"]
    ]
    if existing:
        return existing[0].number
    if not app.alerts.list_alerts():
        app.evaluation.evaluate(DEMO_END_DATE - timedelta(days=4), DEMO_END_DATE)
    return walk_diverter_case(app, diverter["employee_no"]).number


def _pdf_text(pdf: bytes) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run([tool, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_diverters_case_generates_and_keeps_its_documents(demo_app: App) -> None:
    from workstation.demo.case_walkthrough import HR

    number = _diverter_case(demo_app)
    cases = demo_app.cases
    hr = cases.identity_of(HR)
    docs = CaseDocuments(cases, demo_app.uow, DEMO_COMPANY)
    detail = cases.get(hr, number)
    assert detail.case.union_notified_at is not None
    before = len(detail.documents)
    effective = detail.case.union_notified_at.astimezone(LOCAL_TZ).date() + timedelta(days=1)

    data = docs.document_data(
        hr,
        number,
        DocumentKind.TERMINATION_NOTICE,
        "zh_CN",
        rules=[DEMO_RULE],
        facts=FACTS,
        effective_date=effective,
    )
    assert data.subject.name == detail.case.subject_name and data.disposition == "termination"
    assert data.hr_officer and len(data.approvals) == len(detail.approvals) == 5
    assert all(a.signature_fingerprint for a in data.approvals)

    added = docs.generate(
        hr,
        number,
        DocumentKind.TERMINATION_NOTICE,
        "zh_CN",
        detail.case.revision,
        rules=[DEMO_RULE],
        facts=FACTS,
        effective_date=effective,
    )
    docs.generate(hr, number, "approval_sheet", "en", added.case.revision)

    after = cases.get(hr, number)
    assert len(after.documents) == before + 2 == 2
    assert {(d.kind, d.locale) for d in after.documents} == {
        ("termination_notice", "zh_CN"),
        ("approval_sheet", "en"),
    }
    texts = []
    with demo_app.uow() as uow:
        for document in after.documents:
            stored = uow.session.scalars(
                select(EvidenceFile).where(EvidenceFile.id == document.evidence_file_id)
            ).one()
            pdf = demo_app.evidence.read(uow.session, stored.sha256, HR)
            assert pdf.startswith(b"%PDF")
            texts.append(_pdf_text(pdf))
        uow.commit()
    if texts[0] is None:
        pytest.skip("pdftotext is not installed: the PDFs' text was not checked")
    for text in texts:
        assert text is not None
        assert number in text
        assert detail.case.subject_name in text


def test_a_termination_notice_needs_a_termination_disposition(demo_app: App) -> None:
    from workstation.demo.case_walkthrough import HR

    cases = demo_app.cases
    hr = cases.identity_of(HR)
    other = next(s for s in demo_app.demo.scenarios() if s["kind"] == "territory_change")
    case = cases.open_case(hr, cases.employee_id_of(other["employee_no"]), "区域调整核实")
    docs = CaseDocuments(cases, demo_app.uow, DEMO_COMPANY)
    with pytest.raises(DocumentDataError, match="disposition must be termination"):
        docs.generate(
            hr,
            case.number,
            DocumentKind.TERMINATION_NOTICE,
            "zh_CN",
            case.revision,
            rules=[DEMO_RULE],
            facts=FACTS,
            effective_date=DEMO_END_DATE,
        )
    assert cases.get(hr, case.number).documents == ()
