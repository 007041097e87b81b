"""The dossier's words: timeline entries, custody lines and the like, in the dossier's locale,
from the labels file's ``events``, ``event_extras``, ``custody``, ``states`` ... sections.

Unlike a served notice, the dossier must never fail because the case holds a timeline entry
of a kind this version does not describe: such an entry is printed with its code (the
``events.other`` text). Codes of closed sets (states, findings, roles, ...) still need words.
"""

from __future__ import annotations

from typing import Any

from workstation.reports.document_context import Labels
from workstation.reports.dossier_data import CustodyEntry, DossierEvent
from workstation.reports.templates import TemplateError

#: Sections of the labels file the dossier needs besides those of every document.
DOSSIER_SECTIONS = (
    "dossier",
    "states",
    "parties",
    "custody",
    "locales",
    "events",
    "event_extras",
)


class _Blank(dict[str, str]):
    """Format fields: a field the entry does not have prints as nothing, not an error."""

    def __missing__(self, key: str) -> str:
        return ""


def check_dossier_labels(labels: Labels) -> None:
    for section in DOSSIER_SECTIONS:
        if not isinstance(labels.raw.get(section), dict):
            raise TemplateError(labels.name, None, f'the dossier needs a "{section}" section')


def soft_word(labels: Labels, section: str, code: str | None) -> str:
    """The word for ``code``, or the code itself when the labels file has none."""
    if not code:
        return ""
    return str(labels.raw[section].get(code, code))


def short_time(labels: Labels, value: Any) -> str:
    return labels.datetime(value, "short_datetime") or ""


def custody_line(labels: Labels, entry: CustodyEntry) -> str:
    action = soft_word(labels, "custody", entry.action)
    return f"{short_time(labels, entry.at)} {action} · {entry.actor}"


def _fields(labels: Labels, event: DossierEvent) -> dict[str, str]:
    detail = event.detail
    fields = _Blank({k: str(v) for k, v in detail.items() if isinstance(v, str | int | float)})
    fields["kind"] = event.kind
    fields["from_state"] = soft_word(labels, "states", event.from_state)
    fields["to_state"] = soft_word(labels, "states", event.to_state)
    if event.kind == "approval":
        fields["step"] = soft_word(labels, "steps", detail.get("step"))
        fields["decision"] = soft_word(labels, "decisions", detail.get("decision"))
        fields["role"] = soft_word(labels, "roles", detail.get("acting_role"))
    if event.kind == "finding_recorded":
        fields["finding"] = soft_word(labels, "findings", detail.get("finding"))
    if event.kind == "party_added":
        fields["party_role"] = soft_word(labels, "parties", detail.get("role"))
    if event.kind == "document_added":
        fields["document"] = soft_word(labels, "documents", detail.get("kind"))
        fields["locale"] = soft_word(labels, "locales", detail.get("locale"))
    if event.kind == "evidence_linked":
        linked = detail.get("linked")
        fields["count"] = str(len(linked)) if isinstance(linked, list) else "1"
    if event.kind == "alert_explanation":
        fields["raised_on"] = str(detail.get("raised_on", ""))
    return fields


def describe_event(labels: Labels, event: DossierEvent) -> str:
    """One timeline entry as a line of text (plain, not escaped)."""
    events = labels.raw["events"]
    kind = event.kind
    if kind == "legal_hold":
        kind = "legal_hold_on" if event.detail.get("on") else "legal_hold_off"
    pattern = events.get(kind) or events.get("other") or "{kind}"
    try:
        text = str(pattern).format_map(_fields(labels, event))
    except (ValueError, IndexError, AttributeError) as exc:
        raise TemplateError(labels.name, None, f'"events.{kind}": cannot fill it ({exc})') from exc
    extras = labels.raw["event_extras"]
    parts = [text]
    detail = event.detail
    if event.kind == "transition" and detail.get("disposition"):
        word = soft_word(labels, "dispositions", str(detail["disposition"]))
        parts.append(str(extras.get("disposition", "{value}")).format(value=word))
    for key in ("reason", "note"):
        said = detail.get(key)
        if isinstance(said, str) and said.strip():
            parts.append(str(extras.get(key, "{value}")).format(value=said.strip()))
    return str(extras.get("separator", "; ")).join(p for p in parts if p)
