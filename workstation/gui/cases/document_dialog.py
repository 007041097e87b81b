"""Generating a document of the case (investigation request, approval sheet, union
notification, termination notice): what the case cannot know is asked here, starting from
what the documents service proposes for this case (``DocumentDefaults``: the company rule
its alert is about, the facts it established); the PDF is kept with the case as evidence.
``generate_document`` is the one place that calls the documents service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from workstation.cases.document_defaults import DocumentDefaults
from workstation.cases.document_views import GeneratedDocument
from workstation.cases.documents import DOCUMENT_KINDS, CaseDocuments
from workstation.domain.identity import Identity
from workstation.gui.cases.form_dialog import FormDialog, date_edit, plain, text_box
from workstation.gui.widgets.dates import from_qdate
from workstation.i18n import Translator
from workstation.reports.document_data import DocumentKind, RuleInfo

#: The document a case usually needs next, by state.
SUGGESTED = {
    "draft": DocumentKind.INVESTIGATION_REQUEST,
    "investigation_requested": DocumentKind.INVESTIGATION_REQUEST,
    "under_investigation": DocumentKind.APPROVAL_SHEET,
    "findings_recorded": DocumentKind.APPROVAL_SHEET,
    "disposition_proposed": DocumentKind.UNION_NOTIFICATION,
    "decided": DocumentKind.TERMINATION_NOTICE,
    "notice_served": DocumentKind.TERMINATION_NOTICE,
}


@dataclass(frozen=True)
class DocumentRequest:
    kind: str
    locale: str
    facts: str | None = None
    rules: tuple[RuleInfo, ...] = field(default_factory=tuple)
    effective_date: date | None = None
    issued_on: date | None = None


def generate_document(
    documents: CaseDocuments, who: Identity, number: str, revision: int, request: DocumentRequest
) -> GeneratedDocument:
    """Render, sign and keep the document (no rule given: the rules the case is about)."""
    return documents.generate(
        who,
        number,
        request.kind,
        request.locale,
        revision,
        rules=list(request.rules) or None,
        facts=request.facts,
        effective_date=request.effective_date,
        issued_on=request.issued_on,
    )


def document_kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "investigation_request": tr("Investigation request"),
        "approval_sheet": tr("Approval sheet"),
        "union_notification": tr("Union notification"),
        "termination_notice": tr("Termination notice"),
        "dossier": tr("Evidence dossier"),
    }
    return labels.get(kind, kind)


def rule_label(tr: Translator, rule: RuleInfo) -> str:
    """A company rule as the list shows it: 《员工手册》第七章第五条：不得……"""
    if tr.locale == "zh_CN":
        return f"《{rule.document}》{rule.article}：{rule.text}"
    return f"{rule.document}, {rule.article}: {rule.text}"


class DocumentDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        state: str,
        defaults: DocumentDefaults | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("Generate document"),
            tr(
                "The document is filled from the case (subject, allegations and findings, "
                "evidence, signed approvals). Give what the case cannot know; the PDF is kept "
                "with the case as evidence."
            ),
            tr("Generate"),
            parent,
            width=620,
        )
        self.kind_box = QComboBox()
        for kind in DOCUMENT_KINDS:
            self.kind_box.addItem(document_kind_label(tr, kind), kind)
        self.set_kind(SUGGESTED.get(state, DocumentKind.APPROVAL_SHEET).value)
        self.add_row(tr("Document"), self.kind_box)
        self.locale_box = QComboBox()
        self.locale_box.addItem(tr("Chinese"), "zh_CN")
        self.locale_box.addItem(tr("English"), "en")
        self.add_row(tr("Language of the document"), self.locale_box)
        self.facts_edit = text_box(tr("The facts established (or the grounds to investigate)"), 90)
        self.facts_edit.setPlainText((defaults.facts if defaults else None) or "")
        self.add_row(tr("Statement of facts"), self.facts_edit)
        self.rule_box = QComboBox()
        company_rules = defaults.company_rules if defaults else ()
        for rule in company_rules:
            self.rule_box.addItem(rule_label(tr, rule), rule)
        self.rule_box.addItem(tr("Another rule (type it below)"), None)
        self.rule_box.setToolTip(
            tr("The company's rules (company.json); the one this case's alert is about is chosen")
        )
        self.add_row(tr("Company rule"), self.rule_box)
        self.rule_document = QLineEdit()
        self.rule_document.setPlaceholderText(tr("e.g. 员工手册"))
        self.rule_article = QLineEdit()
        self.rule_article.setPlaceholderText(tr("e.g. 第七章第三条"))
        self.rule_text = QLineEdit()
        self.rule_text.setPlaceholderText(
            tr("The rule's text as published to employees (empty: the company's rules)")
        )
        self.add_row(tr("Rulebook"), self.rule_document)
        self.add_row(tr("Article"), self.rule_article)
        self.add_row(tr("Rule breached"), self.rule_text)
        self.effective_edit = date_edit(tr.clock.today())
        self.add_row(tr("Termination takes effect on"), self.effective_edit)
        self.issued_edit = date_edit(tr.clock.today())
        self.add_row(tr("Issued on"), self.issued_edit)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.rule_box.currentIndexChanged.connect(lambda _i: self._rule_chosen())
        suggested = defaults.rules[0] if defaults and defaults.rules else None
        self.rule_box.setCurrentIndex(self._rule_index(suggested))
        self._rule_chosen()
        self._kind_changed()

    def set_kind(self, kind: str) -> None:
        self.kind_box.setCurrentIndex(max(self.kind_box.findData(kind), 0))

    def set_rule(self, rule: RuleInfo) -> None:
        """Cite ``rule`` (one of the company's is chosen in the list, another typed in)."""
        self.rule_box.setCurrentIndex(self._rule_index(rule))
        self.rule_document.setText(rule.document)
        self.rule_article.setText(rule.article)
        self.rule_text.setText(rule.text)

    def _rule_index(self, rule: RuleInfo | None) -> int:
        """The list's row of ``rule`` (the last row, "another rule", when it is not there)."""
        rows = range(self.rule_box.count() - 1)
        return next((i for i in rows if self.rule_box.itemData(i) == rule), len(rows))

    def chosen_rule(self) -> RuleInfo | None:
        rule = self.rule_box.currentData()
        return rule if isinstance(rule, RuleInfo) else None

    def _rule_chosen(self) -> None:
        rule = self.chosen_rule()
        typed = rule is None
        for edit, text in (
            (self.rule_document, rule.document if rule else ""),
            (self.rule_article, rule.article if rule else ""),
            (self.rule_text, rule.text if rule else ""),
        ):
            if not typed or edit.isReadOnly():
                edit.setText(text)
            edit.setReadOnly(not typed)

    def set_facts(self, text: str) -> None:
        self.facts_edit.setPlainText(text)

    def _kind_changed(self) -> None:
        kind = self.kind_box.currentData()
        self.effective_edit.setEnabled(kind == "termination_notice")
        notice = kind != "dossier"
        for widget in (
            self.facts_edit,
            self.rule_box,
            self.rule_document,
            self.rule_article,
            self.rule_text,
        ):
            widget.setEnabled(notice)
        self.issued_edit.setEnabled(notice)

    def chosen(self) -> DocumentRequest:
        kind = str(self.kind_box.currentData())
        rule = (self.rule_document.text(), self.rule_article.text(), self.rule_text.text())
        rules: tuple[RuleInfo, ...] = ()
        company_rule = self.chosen_rule()
        if company_rule is not None:
            rules = (company_rule,)
        elif all(part.strip() for part in rule):
            rules = (RuleInfo(document=rule[0].strip(), article=rule[1].strip(), text=rule[2]),)
        effective = from_qdate(self.effective_edit.date()) if kind == "termination_notice" else None
        issued = from_qdate(self.issued_edit.date())
        return DocumentRequest(
            kind=kind,
            locale=str(self.locale_box.currentData()),
            facts=plain(self.facts_edit) or None,
            rules=rules,
            effective_date=effective,
            issued_on=issued,
        )
