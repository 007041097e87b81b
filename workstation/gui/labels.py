"""Translated names for the stable codes the services return (event kinds, statuses...)."""

from __future__ import annotations

from workstation.i18n import Translator


def end_kind_label(tr: Translator, kind: str | None) -> str:
    labels = {
        "lost": tr("Lost"),
        "transferred": tr("Transferred to a competitor"),
        "reassigned": tr("Reassigned to a colleague"),
    }
    if kind is None:
        return ""
    return labels.get(kind, kind)


def event_kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "lost": tr("Lost"),
        "won": tr("Won"),
        "transferred": tr("Transferred to a competitor"),
        "reassigned": tr("Reassigned to a colleague"),
    }
    return labels.get(kind, kind)


def checkin_kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "on_duty": tr("On duty"),
        "off_duty": tr("Off duty"),
        "field": tr("Field visit"),
    }
    return labels.get(kind, kind)


def order_status_label(tr: Translator, status: str) -> str:
    labels = {
        "open": tr("Open"),
        "completed": tr("Completed"),
        "cancelled": tr("Cancelled"),
        "transferred": tr("Transferred to a competitor"),
    }
    return labels.get(status, status)


def fence_label(tr: Translator, inside: bool | None) -> str:
    """Inside or outside the claimed customer's fence; empty when no customer was claimed."""
    if inside is None:
        return ""
    return tr("Inside") if inside else tr("Outside")
