"""What ``cases.integrity`` found, in a person's language: one line per difference, the
report ``case verify`` prints, and the one-line refusal of a document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from workstation.cases.case_text import case_text
from workstation.cases.views import CaseIntegrity, Difference, SignatureReport
from workstation.i18n import Translator

#: The words of an item (``evidence #13``, ``subject``), of its parts and of a signature's
#: step and decision, for the catalog (``tests/unit/test_integrity_text.py``).
WORDS = (
    *("evidence", "allegation", "note", "party", "document", "approval", "subject"),
    *("title", "state", "disposition", "disposition reason", "notice served on"),
    *("union notified on", "union notice reference", "legal hold", "number", "alert"),
    *("opened by", "opened on", "frozen record", "frozen record since linked", "record"),
    *("file", "text", "finding", "finding note", "customer id", "competitor id"),
    *("employee", "employee number", "name", "sha256", "kind", "file sha256", "role"),
    *("employee id", "user id", "step", "decision", "acting role", "payload sha256"),
    *("investigation", "approved", "rejected"),
)
#: How an item's word reads (the stable item keys name fields; people read words).
SHOWN = {
    "disposition_reason": "disposition reason",
    "notice_served_at": "notice served on",
    "union_notified_at": "union notified on",
    "union_notice_ref": "union notice reference",
    "legal_hold": "legal hold",
    "alert_id": "alert",
    "opened_by": "opened by",
    "created_at": "opened on",
    "employee_no": "employee number",
}
#: A document's kind as people name it (the catalogs have these words).
DOCUMENT_NAMES = {
    "investigation_request": "Investigation request",
    "approval_sheet": "Approval sheet",
    "union_notification": "Union notification",
    "termination_notice": "Termination notice",
    "dossier": "Evidence dossier",
}
_HEX = re.compile(r"^[0-9a-f]{64}$")
_LONG = 60


def _value(value: str | None, tr: Translator) -> str:
    if value is None:
        return tr("(none)")
    if _HEX.match(value):
        return value[:12] + "…"
    return value if len(value) <= _LONG else value[: _LONG - 1] + "…"


def item_text(item: str, tr: Translator) -> str:
    """``evidence #13`` → ``证据 #13``."""
    word, sep, rest = item.partition(" #")
    return tr(SHOWN.get(word, word)) + (f" #{rest}" if sep else "")


def _what(d: Difference, tr: Translator) -> str:
    what = item_text(d.item, tr)
    if d.label and d.item.startswith("document #") and d.label in DOCUMENT_NAMES:
        what += tr(" ({label})", label=tr(DOCUMENT_NAMES[d.label]))
    elif d.label:
        what += tr(" ({label})", label=case_text(d.label, tr.locale))
    if d.part and d.part not in ("record", "frozen record since linked", "recorded", "timeline"):
        what += tr(": {part}", part=tr(SHOWN.get(d.part, d.part)))
    return what


def difference_line(d: Difference, tr: Translator) -> str:
    """One difference as a sentence."""
    what, signed, now = _what(d, tr), _value(d.signed, tr), _value(d.now, tr)
    sig = d.signature
    if d.kind == "signature":
        return tr("{what}: {reason}", what=what, reason=tr(case_text(d.reason or "?", tr.locale)))
    if d.kind == "changed" and sig is None and d.item == "state":
        return tr(
            "state is {now} but the timeline's last transition is to {signed}",
            now=now,
            signed=signed,
        )
    if d.kind == "changed" and sig is None:
        return tr(
            "{what} changed since it was linked (custody record {signed}, now {now})",
            what=what,
            signed=signed,
            now=now,
        )
    if d.kind == "changed":
        return tr(
            "{what} changed since signature #{signature} (signed {signed}, now {now})",
            what=what,
            signature=sig,
            signed=signed,
            now=now,
        )
    if d.kind == "changed_by_step":
        return tr(
            "{what} changed by a recorded step after signature #{signature} ({signed} → {now})",
            what=what,
            signature=sig,
            signed=signed,
            now=now,
        )
    if d.kind == "missing" and sig is None and d.part == "timeline":
        return tr(
            "{what} missing: the case's timeline records it, but it is no longer in the case",
            what=what,
        )
    if d.kind == "missing" and sig is None:
        return tr(
            "{what} missing: the timeline and the audit log record it, but no approval row "
            "holds it (signed payload {signed})",
            what=what,
            signed=signed,
        )
    if d.kind == "missing":
        return tr("{what} missing since signature #{signature}", what=what, signature=sig)
    if d.kind == "added":
        return tr("{what} added after signature #{signature}", what=what, signature=sig)
    if d.kind == "hash_mismatch":
        return tr(
            "{what} does not match its stored hash (stored {signed}, computed {now})",
            what=what,
            signed=signed,
            now=now,
        )
    if d.kind == "file_changed":
        return tr("{what} changed on disk ({path})", what=what, path=d.now or "?")
    if d.kind == "file_missing":
        return tr("{what} missing on disk ({path})", what=what, path=d.now or "?")
    return tr("{what}: {kind}", what=what, kind=d.kind)


def _information(report: SignatureReport, tr: Translator) -> list[str]:
    """The signature's information, folded: what was added after it, what later steps
    changed."""
    added = [item_text(d.item, tr) for d in report.differences if d.kind == "added"]
    stepped = sorted(
        {item_text(d.item, tr) for d in report.differences if d.kind == "changed_by_step"}
    )
    lines = []
    if added:
        lines.append(tr("added after it: {items}", items=", ".join(added)))
    if stepped:
        lines.append(tr("changed by later recorded steps: {items}", items=", ".join(stepped)))
    return lines


def report_lines(integrity: CaseIntegrity, tr: Translator) -> list[str]:
    """``case verify``: each signature, what differs from what it covered, then the store's
    own checks and the verdict."""
    lines = []
    for r in integrity.signatures:
        c = r.check
        verdict = tr("valid") if r.valid else tr("DOES NOT VERIFY")
        lines.append(
            tr(
                "signature #{id} {step} {decision} by {user}: {verdict}",
                id=c.approval_id,
                step=tr(c.step),
                decision=tr(c.decision),
                user=c.username,
                verdict=verdict,
            )
        )
        lines += ["  ✗ " + difference_line(d, tr) for d in r.differences if d.failure]
        lines += ["  · " + line for line in _information(r, tr)]
    lines += ["✗ " + difference_line(d, tr) for d in integrity.differences if d.failure]
    count, files = len(integrity.signatures), integrity.files_checked
    if integrity.valid:
        lines.append(
            tr(
                "{n} signature(s), all valid; the case is as signed; {files} file(s) intact",
                n=count,
                files=files,
            )
        )
    else:
        lines.append(
            tr(
                "{n} signature(s): the case does NOT verify ({k} difference(s))",
                n=count,
                k=len(distinct_failures(integrity)),
            )
        )
    return lines


def distinct_failures(integrity: CaseIntegrity) -> list[Difference]:
    """The failures, each once: the same change seen by several signatures is told with the
    first of them."""
    seen: set[tuple[object, ...]] = set()
    found = []
    for d in integrity.failures:
        key = (d.item, d.part, d.kind, d.signed, d.now, d.reason, d.signature is None)
        if key not in seen:
            seen.add(key)
            found.append(d)
    return found


def failure_lines(integrity: CaseIntegrity, tr: Translator) -> list[str]:
    """Each failure as a sentence, once (``case show``, the GUI's list)."""
    return [difference_line(d, tr) for d in distinct_failures(integrity)]


def refusal_line(integrity: CaseIntegrity, tr: Translator, most: int = 3) -> str:
    """Why a document is not made: the case and (up to ``most``) what differs, one line."""
    failures: Sequence[Difference] = distinct_failures(integrity)
    said = "; ".join(difference_line(d, tr) for d in failures[:most])
    more = len(failures) - most
    if more > 0:
        said += tr(" (and {n} more)", n=more)
    return tr(
        "case {number} does not verify, no document is made from it: {what}",
        number=integrity.number,
        what=said,
    )
