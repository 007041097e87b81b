"""Translated names for import kinds, fields, coordinate systems and batch statuses."""

from __future__ import annotations

from workstation.domain.enums import CoordSystem
from workstation.i18n import Translator
from workstation.ingest.profiles import KINDS


def kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "employees": tr("Employees (HR roster)"),
        "customers": tr("Customers (CRM)"),
        "ownership": tr("Customer owners (assignment history)"),
        "competitors": tr("Competitor sites"),
        "offices": tr("Offices"),
        "checkins": tr("Check-ins (WeCom, DingTalk)"),
        "tracks": tr("GPS tracks"),
        "orders": tr("Orders"),
        "leads": tr("Leads"),
        "customer_events": tr("Customer events (lost, won)"),
        "communications": tr("Communications"),
    }
    return labels.get(kind, kind)


def field_label(tr: Translator, kind: str, field: str | None) -> str:
    """A field as the user knows it: its usual Chinese column name in Chinese, else the code."""
    if not field:
        return ""
    if field == "as_of":  # a customer list's day (a warning when it was not given)
        return tr("List as of")
    spec = KINDS.get(kind)
    if tr.locale != "en" and spec is not None:
        try:
            headers = spec.field(field).headers
        except StopIteration:
            return field
        if len(headers) > 1:
            return headers[1]
    return field.replace("_", " ")


def crs_label(tr: Translator, crs: CoordSystem) -> str:
    labels = {
        CoordSystem.WGS84: tr("WGS-84 (GPS devices)"),
        CoordSystem.GCJ02: tr("GCJ-02 (Amap, Tencent, WeCom)"),
        CoordSystem.BD09: tr("BD-09 (Baidu)"),
    }
    return labels[crs]


def status_label(tr: Translator, status: str) -> str:
    labels = {
        "committed": tr("Imported"),
        "pending": tr("Not finished"),
        "failed": tr("Failed"),
        "rolled_back": tr("Rolled back"),
    }
    return labels.get(status, status)
