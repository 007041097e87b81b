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


def count_lines(tr: Translator, counts: dict[str, int]) -> list[str]:
    """A report's counts (how people were found, how check-ins found their customer, where
    their positions come from, missed punches) as translated lines."""
    from workstation.ingest.report_counts import count_lines as lines_of

    words = {
        "People found": tr("People found"),
        "Check-ins linked to a customer": tr("Check-ins linked to a customer"),
        "Check-in positions": tr("Check-in positions"),
        "Field check-ins without a customer": tr("Field check-ins without a customer"),
        "Missed punches kept (缺卡 / 未打卡)": tr("Missed punches kept (缺卡 / 未打卡)"),
        "Punches made up with approval (补卡)": tr("Punches made up with approval (补卡)"),
        "Stored check-ins placed by this track": tr("Stored check-ins placed by this track"),
        "by the roster's account column": tr("by the roster's account column"),
        "by an employee number equal to the account": tr(
            "by an employee number equal to the account"
        ),
        "by the file's employee number": tr("by the file's employee number"),
        "by a unique name in the department": tr("by a unique name in the department"),
        "by customer code": tr("by customer code"),
        "by customer name": tr("by customer name"),
        "named in the remark": tr("named in the remark"),
        "named in the location title": tr("named in the location title"),
        "by the day's sales task": tr("by the day's sales task"),
        "by the nearest own customer's fence": tr("by the nearest own customer's fence"),
        "GPS fix of the app": tr("GPS fix of the app"),
        "from the employee's GPS track": tr("from the employee's GPS track"),
        "from the address (not a GPS fix)": tr("from the address (not a GPS fix)"),
        "without a position": tr("without a position"),
    }
    out = []
    for line in lines_of(counts):
        parts = tr("; ").join(
            tr("{n} {label}", n=f"{n:,}", label=words.get(label, label)).strip()
            for n, label in line.parts
        )
        out.append(
            tr("{heading}: {parts}", heading=words.get(line.heading, line.heading), parts=parts)
        )
    return out
