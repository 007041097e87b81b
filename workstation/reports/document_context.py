"""From :class:`CaseDocumentData` to the placeholders a template sees, in the document's locale.

Dates and times are written with the formats of ``labels.<locale>.json`` (times on the
company's wall clock, with ``{zone}`` saying which: 北京时间 / UTC+8); codes (findings,
decisions, roles, ...) become that file's words. A code the labels file does not know is an
error, never an untranslated word in a served notice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from workstation.domain.clock import zone_label
from workstation.reports.document_data import CaseDocumentData
from workstation.reports.templates import TemplateError

#: Sections of the labels file that map stored codes to words.
LABEL_SECTIONS = (
    "documents",
    "findings",
    "decisions",
    "roles",
    "steps",
    "dispositions",
    "evidence_kinds",
)
PAGE_KEYS = ("header", "footer", "page_of")


def labels_path(templates_dir: Path, locale: str) -> Path:
    return templates_dir / f"labels.{locale}.json"


@dataclass(frozen=True)
class Labels:
    name: str
    raw: dict[str, Any]
    locale: str
    #: Times are written on this zone's wall clock (the company's).
    zone: tzinfo

    @classmethod
    def load(cls, templates_dir: Path, locale: str, zone: tzinfo) -> Labels:
        path = labels_path(templates_dir, locale)
        if not path.is_file():
            raise TemplateError(path.name, None, f"no labels file at {path}")
        try:
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise TemplateError(path.name, exc.lineno, f"not valid JSON: {exc.msg}") from exc
        for section in (*LABEL_SECTIONS, "formats", "page"):
            if not isinstance(raw.get(section), dict):
                raise TemplateError(path.name, None, f'needs a "{section}" section')
        return cls(path.name, raw, locale, zone)

    def word(self, section: str, code: str) -> str:
        words = self.raw[section]
        if code not in words:
            raise TemplateError(self.name, None, f'"{section}" has no label for "{code}"', code)
        return str(words[code])

    def text(self, section: str, key: str, /, **fields: str) -> str:
        pattern = self.raw[section].get(key)
        if not isinstance(pattern, str):
            raise TemplateError(self.name, None, f'"{section}" needs a "{key}" text', key)
        try:
            return pattern.format_map(fields)
        except (KeyError, ValueError, IndexError, AttributeError) as exc:
            known = ", ".join("{" + k + "}" for k in fields)
            raise TemplateError(
                self.name, None, f'"{section}.{key}": cannot fill {pattern!r} ({exc}); use {known}'
            ) from exc

    def date(self, value: date | None, style: str = "date") -> str | None:
        """``value`` as ``formats.<style>`` writes it (``date``, or ``short_date``)."""
        if value is None:
            return None
        return self.text("formats", style, **_date_fields(self, value))

    def datetime(self, value: datetime | None, style: str = "datetime") -> str | None:
        """``value`` on the company's wall clock as ``formats.<style>`` writes it
        (``datetime``, or ``short_datetime`` for tables); ``{zone}`` names the zone."""
        if value is None:
            return None
        local = value.astimezone(self.zone)
        fields = _date_fields(self, local.date())
        return self.text(
            "formats",
            style,
            hour=f"{local.hour:02d}",
            minute=f"{local.minute:02d}",
            zone=zone_label(self.zone, self.locale, value),
            **fields,
        )


def _date_fields(labels: Labels, value: date) -> dict[str, str]:
    months = labels.raw.get("months")
    month_name = str(months[value.month - 1]) if isinstance(months, list) else str(value.month)
    return {
        "year": str(value.year),
        "month": str(value.month),
        "mm": f"{value.month:02d}",
        "day": str(value.day),
        "dd": f"{value.day:02d}",
        "month_name": month_name,
    }


def _numbered(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"index": str(i), **row} for i, row in enumerate(rows, start=1)]


def build_context(data: CaseDocumentData, labels: Labels) -> dict[str, object]:
    """The placeholder tree of one document (the names are listed in the templates' README)."""
    word, d, dt = labels.word, labels.date, labels.datetime

    def allegation(a: Any) -> dict[str, object]:
        finding = word("findings", a.finding or "pending")
        return {"text": a.text, "finding": finding, "finding_note": a.finding_note}

    person = data.subject
    company = data.company
    return {
        "company": {
            "name": company.name,
            "address": company.address,
            "legal_representative": company.legal_representative,
            "union_name": company.union_name,
            "arbitration_commission": company.arbitration_commission,
        },
        "case": {
            "number": data.case_number,
            "title": data.title,
            "opened_on": d(data.opened_on),
            "facts": data.facts,
            "alert_ref": data.alert_ref,
            "disposition": word("dispositions", data.disposition) if data.disposition else None,
            "disposition_reason": data.disposition_reason,
        },
        "subject": {
            "name": person.name,
            "employee_no": person.employee_no,
            "department": person.department,
            "title": person.title,
            "hire_date": d(person.hire_date),
            "id_number": person.id_number,
        },
        "allegations": _numbered([allegation(a) for a in data.allegations]),
        "substantiated": _numbered([allegation(a) for a in data.substantiated]),
        "rules": _numbered(
            [{"document": r.document, "article": r.article, "text": r.text} for r in data.rules]
        ),
        "evidence": _numbered(
            [
                {
                    "title": e.title,
                    "kind": word("evidence_kinds", e.kind),
                    "sha256": e.sha256,
                    "linked_at": dt(e.linked_at),
                }
                for e in data.evidence
            ]
        ),
        "approvals": _numbered(
            [
                {
                    "step": word("steps", a.step),
                    "role": word("roles", a.role),
                    "signer": a.signer,
                    "decision": word("decisions", a.decision),
                    "signed_at": dt(a.signed_at),
                    "note": a.note,
                    "fingerprint": a.signature_fingerprint,
                }
                for a in data.approvals
            ]
        ),
        "recipients": _numbered(
            [{"name": r.name, "role": word("roles", r.role)} for r in data.recipients]
        ),
        "termination": {
            "effective_date": d(data.effective_date),
            "handover_by": d(data.handover_by),
        },
        "union": {
            "name": company.union_name,
            "notified_on": d(data.union_notified_on),
            "notice_ref": data.union_notice_ref,
            "reply_by": d(data.union_reply_by),
        },
        "document": {
            "name": word("documents", data.kind.value),
            "issued_on": d(data.issued_on),
            "generated_at": dt(data.generated_at),
            "hr_officer": data.hr_officer,
        },
        "counts": {
            "allegations": str(len(data.allegations)),
            "substantiated": str(len(data.substantiated)),
            "evidence": str(len(data.evidence)),
            "approvals": str(len(data.approvals)),
        },
    }
