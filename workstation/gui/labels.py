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


def link_method_label(tr: Translator, method: str | None) -> str:
    """How a check-in found its customer (``CheckinLink``); empty when it found none."""
    labels = {
        "code": tr("Customer code in the file"),
        "name": tr("Customer name in the file"),
        "remark": tr("Named in the remark"),
        "title": tr("Named in the location"),
        "task": tr("Planned visit (task)"),
        "fence": tr("Nearest own customer's fence"),
    }
    return labels.get(method, method) if method else ""


def position_source_label(tr: Translator, source: str | None) -> str:
    """Where a check-in's position comes from (``PositionSource``)."""
    labels = {
        "device": tr("GPS fix of the app"),
        "track": tr("GPS track at the punch"),
        "address": tr("From the address (not a GPS fix)"),
    }
    return labels.get(source, source) if source else tr("No position")


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
