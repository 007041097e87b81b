"""The evidence dossier as PDF, for labour arbitration or legal review.

A cover (case, employee, employer, who generated it and when, the evidence list's checksum),
then: the case summary and parties; allegations and findings; every evidence item with who
linked it and when, its snapshot's SHA-256 and its custody events; the timeline; the signed
approvals as verified when the dossier was made; the documents generated before; and a closing
statement giving the evidence list's checksum and how to recompute it.

Laid out in Python (the tables need more than the templates' Markdown: two-row entries that
never split across pages, validity in colour), with every word from ``labels.<locale>.json``
(sections ``dossier``, ``states``, ``events``, ...), so legal counsel can still edit the
wording. Page, font, header, "第 x 页 / 共 y 页" footer and reproducible bytes are those of the
other documents (``pdf_layout``).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from workstation.domain.clock import zone_label
from workstation.reports.document_context import Labels
from workstation.reports.dossier_data import DossierData
from workstation.reports.dossier_text import (
    check_dossier_labels,
    custody_line,
    describe_event,
    soft_word,
)
from workstation.reports.fonts import register_cjk_font
from workstation.reports.pdf_layout import INK, MUTED, SHADE, Chrome, PdfMeta, Styles, build_pdf
from workstation.reports.pdf_tables import Cell, LabelledTables, entry_table_commands
from workstation.reports.templates import default_templates_dir

KIND = "dossier"


class _Dossier(LabelledTables):
    """The dossier's parts, in order."""

    def __init__(self, data: DossierData, labels: Labels, styles: Styles) -> None:
        super().__init__(labels, styles, "dossier", data.locale)
        self.data = data

    def person(self, name: str, username: str) -> str:
        return self.t("person_value", name=name, username=username)

    def state_text(self) -> str:
        d = self.data
        state = self.word("states", d.state)
        if d.disposition:
            state += f" · {self.word('dispositions', d.disposition)}"
        return state

    def approvals_text(self) -> str:
        approvals = self.data.approvals
        if not approvals:
            return self.t("approvals_none")
        invalid = sum(1 for a in approvals if not a.valid)
        if invalid:
            text = self.t("approvals_some_invalid", count=len(approvals), invalid=invalid)
            return self.coloured(text, False)
        return self.t("approvals_all_valid", count=len(approvals))

    def position(self) -> str:
        subject = self.data.subject
        return escape(" ".join(x for x in (subject.department, subject.title) if x))

    # -- parts ----------------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        d, body = self.data, self.styles.body
        centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER)
        kicker = ParagraphStyle("kicker", parent=centred, textColor=MUTED)
        big = ParagraphStyle("cover-title", parent=self.styles.title, fontSize=24, leading=34)
        title = ParagraphStyle("cover-case", parent=centred, fontSize=13, leading=20)
        subject = self.t("subject_value", name=d.subject.name, employee_no=d.subject.employee_no)
        rows: list[tuple[str, Cell]] = [
            (self.t("case_number"), escape(d.case_number)),
            (self.t("subject_person"), subject),
            (self.t("position"), self.position() or self.t("none")),
            (self.t("company"), escape(d.company.name)),
            (self.t("state"), self.state_text()),
            (self.t("evidence_count"), self.t("evidence_count_value", count=len(d.evidence))),
            (self.t("approval_count"), self.approvals_text()),
            (self.t("generated_at"), self.long_when(d.generated_at)),
            (self.t("generated_by"), self.person(d.generated_by, d.generated_by_username)),
            (self.t("evidence_list_sha256"), self.p(d.evidence_list_sha256, self.hex)),
        ]
        note = ParagraphStyle("cover-note", parent=self.muted, leading=self.muted.fontSize * 1.6)
        return [
            Spacer(1, 28 * mm),
            self.p(escape(d.company.name), kicker),
            Spacer(1, 4 * mm),
            self.p(self.t("title"), big, bold=True),
            self.p(escape(d.title), title),
            self.p(self.t("cover_kicker"), kicker),
            Spacer(1, 16 * mm),
            self.facts(rows, label_width=0.27),
            Spacer(1, 10 * mm),
            self.p(self.t("cover_note"), note),
            PageBreak(),
        ]

    def summary(self) -> list[Flowable]:
        d = self.data
        rows: list[tuple[str, Cell]] = [
            (self.t("case_number"), escape(d.case_number)),
            (self.t("case_title"), escape(d.title)),
            (self.t("state"), self.state_text()),
            (self.t("opened"), self.t("by_at", at=self.when(d.opened_at), by=d.opened_by)),
        ]
        if d.alert_ref:
            rows.append((self.t("alert"), self.t("alert_value", ref=d.alert_ref)))
        if d.disposition:
            rows.append((self.t("disposition"), self.word("dispositions", d.disposition)))
        if d.disposition_reason:
            rows.append((self.t("disposition_reason"), escape(d.disposition_reason)))
        if d.union_notified_at:
            ref = d.union_notice_ref or self.labels.text("dossier", "none")
            value = self.t("union_value", at=self.when(d.union_notified_at), ref=ref)
            rows.append((self.t("union"), value))
        if d.notice_served_at:
            rows.append((self.t("served"), self.when(d.notice_served_at)))
        if d.closed_at:
            rows.append((self.t("closed"), self.when(d.closed_at)))
        hold = self.t("legal_hold_on") if d.legal_hold else self.t("legal_hold_off")
        rows.append((self.t("legal_hold"), hold))
        revision = self.t("revision_value", revision=d.revision, at=self.when(d.updated_at))
        rows.append((self.t("revision"), revision))
        zone = zone_label(d.zone, self.locale, d.generated_at)
        rows.append((self.t("times"), self.t("times_value", zone=zone)))
        subject = d.subject
        note = self.t("employee_no", employee_no=subject.employee_no)
        parties: list[list[Cell]] = [
            [self.t("subject_person"), escape(subject.name), f"{note} {self.position()}".strip()]
        ]
        for party in d.parties:
            role = escape(soft_word(self.labels, "parties", party.role))
            parties.append([role, escape(party.name), escape(party.note or "")])
        header = [self.t("col_role"), self.t("col_name"), self.t("col_party_note")]
        return [
            *self.heading("s_summary"),
            self.facts(rows),
            CondPageBreak(30 * mm),
            self.subheading("s_parties"),
            self.table(header, parties, (0.24, 0.30, 0.46)),
        ]

    def allegations(self) -> list[Flowable]:
        out = self.heading("s_allegations")
        if not self.data.allegations:
            return [*out, self.body(self.t("no_allegations"))]
        rows: list[list[Cell]] = []
        for number, a in enumerate(self.data.allegations, start=1):
            meta = [self.t("allegation_added", by=a.created_by, at=self.when(a.created_at))]
            if a.customer:
                meta.append(self.t("allegation_customer", value=a.customer))
            if a.competitor:
                meta.append(self.t("allegation_competitor", value=a.competitor))
            text = [self.p(escape(a.text)), self.p("<br/>".join(meta), self.muted)]
            found = self.t("none")
            if a.found_by and a.found_at:
                found = f"{escape(a.found_by)}<br/>{self.when(a.found_at)}"
            finding = self.word("findings", a.finding or "pending")
            reasons = escape(a.finding_note or "") or self.t("none")
            rows.append([str(number), text, finding, reasons, found])
        header = [
            self.t("col_no"),
            self.t("col_allegation"),
            self.t("col_finding"),
            self.t("col_finding_note"),
            self.t("col_found"),
        ]
        return [*out, self.table(header, rows, (0.07, 0.36, 0.14, 0.24, 0.19))]

    def evidence(self) -> list[Flowable]:
        d = self.data
        intro = self.body(self.t("evidence_intro", count=len(d.evidence)))
        out = [*self.heading("s_evidence", need_mm=70), intro]
        if not d.evidence:
            return [*out, self.body(self.t("no_evidence"))]
        rows: list[list[Cell]] = []
        separator = self.t("custody_separator")
        for index, e in enumerate(d.evidence, start=1):
            kind = soft_word(self.labels, "evidence_kinds", e.kind)
            meta = self.t("evidence_key", kind=kind, key=e.key, number=e.number)
            what = [self.p(escape(e.title)), self.p(meta, self.muted)]
            linked = f"{escape(e.linked_by)}<br/>{self.when(e.linked_at)}"
            mark = self.coloured(self.t("intact") if e.intact else self.t("altered"), e.intact)
            sha = f"{self.t('sha_row', sha256=e.sha256)}　{mark}"
            events = separator.join(escape(custody_line(self.labels, c)) for c in e.custody)
            custody = self.t("custody_row", events="\x00").replace("\x00", events or self.t("none"))
            rows += [
                [str(index), what, linked],
                ["", self.p(sha, self.hex), ""],
                ["", self.p(custody, self.small), ""],
            ]
        header = [self.t("col_no"), self.t("col_evidence"), self.t("col_linked")]
        extra, groups = entry_table_commands(len(d.evidence), rows=3, span_to=2)
        return [*out, self.table(header, rows, (0.07, 0.70, 0.23), extra, groups)]

    def timeline(self) -> list[Flowable]:
        rows: list[list[Cell]] = [
            [self.when(e.at), escape(e.actor), escape(describe_event(self.labels, e))]
            for e in self.data.timeline
        ]
        header = [self.t("col_time"), self.t("col_actor"), self.t("col_event")]
        return [*self.heading("s_timeline"), self.table(header, rows, (0.2, 0.16, 0.64))]

    def approvals(self) -> list[Flowable]:
        intro = self.body(self.t("approvals_intro"))
        out = [*self.heading("s_approvals", need_mm=75), intro]
        approvals = self.data.approvals
        if not approvals:
            return [*out, self.body(self.t("no_approvals"))]
        rows: list[list[Cell]] = []
        for index, a in enumerate(approvals, start=1):
            step = f"{self.word('steps', a.step)}<br/>{self.word('decisions', a.decision)}"
            if a.note:
                step += f'<br/><font color="#666666">{escape(a.note)}</font>'
            role = self.word("roles", a.role)
            signer = f"{escape(a.signer_name or a.username)}<br/>{escape(a.username)} · {role}"
            check = self.t("valid") if a.valid else self.t("invalid", reason=a.reason)
            fingerprint = (
                self.t("fingerprint_row", fingerprint=a.certificate_fingerprint)
                if a.certificate_fingerprint
                else self.t("no_fingerprint")
            )
            when = self.when(a.signed_at)
            rows.append([str(index), step, signer, when, self.coloured(check, a.valid)])
            rows.append(["", self.p(fingerprint, self.hex), "", "", ""])
        header = [
            self.t("col_no"),
            self.t("col_step"),
            self.t("col_signer"),
            self.t("col_signed_at"),
            self.t("col_check"),
        ]
        extra, groups = entry_table_commands(len(approvals), rows=2, span_to=4)
        widths = (0.07, 0.25, 0.30, 0.19, 0.19)
        return [*out, self.table(header, rows, widths, extra, groups)]

    def documents(self) -> list[Flowable]:
        out = self.heading("s_documents")
        if not self.data.documents:
            return [*out, self.body(self.t("no_documents"))]
        rows: list[list[Cell]] = [
            [
                escape(soft_word(self.labels, "documents", doc.kind)),
                escape(soft_word(self.labels, "locales", doc.locale)),
                f"{self.when(doc.created_at)}<br/>{escape(doc.created_by)}",
                self.p(doc.sha256, self.hex),
            ]
            for doc in self.data.documents
        ]
        header = [
            self.t("col_document"),
            self.t("col_locale"),
            self.t("col_created"),
            self.t("col_sha"),
        ]
        return [*out, self.table(header, rows, (0.30, 0.11, 0.22, 0.37))]

    def anchor(self) -> list[Flowable]:
        """The audit log's newest entry when the dossier was made (see ``audit verify``)."""
        if not self.data.audit_anchor:
            return []
        mono = ParagraphStyle("anchor", parent=self.cell, alignment=TA_CENTER)
        return [
            Spacer(1, 4),
            self.body(self.t("closing_anchor")),
            self.p(self.data.audit_anchor, mono),
            self.p(self.t("closing_anchor_use"), self.muted),
            *self.checkpoint(),
        ]

    def checkpoint(self) -> list[Flowable]:
        """The audit checkpoint the installation sealed when the dossier was made."""
        c = self.data.audit_checkpoint
        if c is None:
            return []
        mono = ParagraphStyle("checkpoint", parent=self.hex, alignment=TA_CENTER)
        said = self.t(
            "closing_checkpoint",
            checkpoint=c.checkpoint_id,
            entry=c.entry_id,
            count=f"{c.entry_count:,}",
            at=self.labels.datetime(c.at) or "",
            seal=c.seal_fingerprint[:16],
        )
        return [
            Spacer(1, 4),
            self.body(said),
            # the signature (96 characters) on two lines: one is wider than the page
            self.p("<br/>".join([c.chain_hash, c.signature[:48], c.signature[48:]]), mono),
            self.p(self.t("closing_checkpoint_use"), self.muted),
        ]

    def closing(self) -> list[Flowable]:
        """The statement on the evidence list, kept on one page with its signature line."""
        d = self.data
        count = len(d.evidence)
        centred = ParagraphStyle("sum", parent=self.cell, alignment=TA_CENTER)
        box = Table(
            [[self.p(d.evidence_list_sha256, centred)]],
            colWidths=[self.width * 0.86],
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),  # else Helvetica is listed
                    ("BOX", (0, 0), (-1, -1), 0.8, INK),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            ),
        )
        box.spaceBefore, box.spaceAfter = 2, 6
        altered = sum(1 for e in d.evidence if not e.intact)
        statements = [
            self.t("closing_altered", altered=altered)
            if altered
            else self.t("closing_intact", count=count)
        ]
        if d.approvals:
            invalid = sum(1 for a in d.approvals if not a.valid)
            statements.append(
                self.t("closing_signatures_invalid", count=len(d.approvals), invalid=invalid)
                if invalid
                else self.t("closing_signatures_valid", count=len(d.approvals))
            )
        at = self.labels.datetime(d.generated_at) or ""
        statements.append(self.t("closing_signed", name=d.generated_by, at=at))
        joiner = "" if self.locale.startswith("zh") else " "
        right = ParagraphStyle("right", parent=self.styles.body, alignment=TA_RIGHT, spaceBefore=14)
        day = self.day(d.generated_at.astimezone(d.zone).date())
        signature = f"{self.t('sign_line', name=d.generated_by)}<br/>{day}"
        block: list[Flowable] = [
            *self.heading("s_closing", need_mm=0),
            self.body(self.t("closing_list", count=count)),
            box,
            self.p(self.t("closing_recompute"), self.muted),
            *self.anchor(),
            Spacer(1, 4),
            self.body(joiner.join(statements)),
            self.p(signature, right),
        ]
        return [KeepTogether(block)]


def render_dossier(
    data: DossierData, templates_dir: Path | None = None, font_path: Path | None = None
) -> bytes:
    """The evidence dossier in ``data.locale`` as PDF bytes (unsigned; ``pdf_signing`` signs)."""
    folder = templates_dir or default_templates_dir()
    labels = Labels.load(folder, data.locale, data.zone)
    check_dossier_labels(labels)
    font = register_cjk_font(font_path)
    dossier = _Dossier(data, labels, Styles.make(font, data.locale))
    flowables: list[Flowable] = [
        *dossier.cover(),
        *dossier.summary(),
        *dossier.allegations(),
        *dossier.evidence(),
        *dossier.timeline(),
        *dossier.approvals(),
        *dossier.documents(),
        *dossier.closing(),
    ]
    name = labels.word("documents", KIND)
    generated = labels.datetime(data.generated_at) or ""
    fields = {"case_number": data.case_number, "document": name}
    chrome = Chrome(
        font=font,
        header_left=data.company.name,
        header_right=labels.text("page", "header", **fields),
        footer_left=labels.text("page", "footer", generated_at=generated, **fields),
        page_of=lambda n, m: labels.text("page", "page_of", page=str(n), pages=str(m)),
        bare_pages=frozenset({1}),
    )
    meta = PdfMeta(
        title=f"{labels.text('dossier', 'title')} {data.case_number}",
        author=data.company.name,
        subject=labels.text("dossier", "subject", case_number=data.case_number),
        keywords=f"{data.case_number}, {KIND}",
        locale=data.locale,
        generated_at=data.generated_at,
        zone=data.zone,
    )
    return build_pdf(flowables, font, chrome, meta)
