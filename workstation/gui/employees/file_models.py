"""Table models for the tabs of the employee file."""

from __future__ import annotations

from typing import Any

from workstation.employees.model import CheckinRow, CustomerEventRow, OrderRow, OwnershipRow
from workstation.gui.labels import (
    checkin_kind_label,
    end_kind_label,
    event_kind_label,
    fence_label,
    link_method_label,
    order_status_label,
    position_source_label,
)
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel, time_column
from workstation.i18n import Translator


def _customer(code: str | None, name: str | None) -> str:
    if not code and not name:
        return ""
    if not name:  # e.g. an order of a customer not imported yet: its code as the file gave it
        return str(code)
    return f"{name} ({code})" if code else str(name)


def ownership_highlight(row: OwnershipRow) -> Highlight | None:
    if row.end_kind == "transferred":
        return Highlight.ALERT
    if row.end_kind == "lost":
        return Highlight.NOTE
    return None


def checkin_highlight(row: CheckinRow) -> Highlight | None:
    if row.inside_fence is False:
        return Highlight.ALERT
    return Highlight.NOTE if row.missed else None


def _kind(tr: Translator, row: CheckinRow) -> str:
    kind = checkin_kind_label(tr, row.kind)
    if row.missed:
        return tr("{kind}: missed ({result})", kind=kind, result=row.source_result or "")
    if row.makeup_approved:
        return tr("{kind} (made up, approved)", kind=kind)
    return kind


def _position(tr: Translator, row: CheckinRow) -> str:
    if row.missed:
        return ""
    text = position_source_label(tr, row.position_source)
    if row.position_source == "address" and row.address_place:
        return tr("{source}: {place}", source=text, place=row.address_place)
    return text


def _position_tip(tr: Translator, row: CheckinRow) -> str:
    if row.position_source == "track" and row.address_place and row.address_gap_m is not None:
        return tr(
            "The address names {place}, {metres} m from the track's fix",
            place=row.address_place,
            metres=f"{row.address_gap_m:,.0f}",
        )
    if row.position_source == "address":
        return tr("Placed where the address is: the app gave no coordinates and no track")
    return ""


def order_highlight(row: OrderRow) -> Highlight | None:
    return Highlight.ALERT if row.status == "transferred" else None


def event_highlight(row: CustomerEventRow) -> Highlight | None:
    if row.kind == "transferred":
        return Highlight.ALERT
    if row.kind == "lost":
        return Highlight.NOTE
    return None


class OwnershipTableModel(RowTableModel[OwnershipRow]):
    def __init__(self, tr: Translator, parent: Any = None) -> None:
        columns: list[Column[OwnershipRow]] = [
            Column(tr("Customer code"), lambda r: r.customer_code),
            Column(tr("Customer"), lambda r: r.customer_name),
            Column(
                tr("Held from"),
                lambda r: r.start_date,
                # an open start: held since a day no imported record gives
                text=lambda r: (
                    r.start_date.isoformat() if r.start_date else tr("before the records")
                ),
                sort=lambda r: r.start_date.isoformat() if r.start_date else "",
            ),
            Column(
                tr("Held until"),
                lambda r: r.end_date,
                text=lambda r: r.end_date.isoformat() if r.end_date else tr("still held"),
                # Newest endings first when sorted descending; holdings still running last.
                sort=lambda r: r.end_date.isoformat() if r.end_date else "",
            ),
            Column(
                tr("How it ended"),
                lambda r: r.end_kind,
                text=lambda r: end_kind_label(tr, r.end_kind),
            ),
            Column(tr("Went to"), lambda r: r.ended_to),
        ]
        super().__init__(columns, ownership_highlight, parent)


class CheckinTableModel(RowTableModel[CheckinRow]):
    def __init__(self, tr: Translator, parent: Any = None) -> None:
        columns: list[Column[CheckinRow]] = [
            time_column(tr, tr("Time"), lambda r: r.checked_at),
            Column(tr("Kind"), lambda r: r.kind, text=lambda r: _kind(tr, r)),
            Column(
                tr("Customer claimed"),
                lambda r: r.customer_code,
                text=lambda r: _customer(r.customer_code, r.customer_name),
            ),
            Column(
                tr("Linked by"),
                lambda r: r.link_method,
                text=lambda r: link_method_label(tr, r.link_method),
                tooltip=lambda r: r.link_text,
            ),
            Column(
                tr("Geofence"),
                lambda r: r.inside_fence,
                text=lambda r: fence_label(tr, r.inside_fence),
            ),
            Column(tr("Distance (m)"), lambda r: r.distance_m, align_right=True),
            Column(tr("Accuracy (m)"), lambda r: r.accuracy_m, align_right=True),
            Column(
                tr("Position"),
                lambda r: r.position_source,
                text=lambda r: _position(tr, r),
                tooltip=lambda r: _position_tip(tr, r),
            ),
            Column(tr("Address"), lambda r: r.address, tooltip=lambda r: r.address),
            Column(tr("Note"), lambda r: r.note, tooltip=lambda r: r.note),
        ]
        super().__init__(columns, checkin_highlight, parent)


class OrderTableModel(RowTableModel[OrderRow]):
    def __init__(self, tr: Translator, parent: Any = None) -> None:
        columns: list[Column[OrderRow]] = [
            Column(tr("Date"), lambda r: r.order_date),
            Column(tr("Order number"), lambda r: r.order_no),
            Column(
                tr("Customer"),
                lambda r: r.customer_code,
                text=lambda r: _customer(r.customer_code, r.customer_name),
            ),
            Column(tr("Amount (CNY)"), lambda r: r.amount, align_right=True),
            Column(
                tr("Status"), lambda r: r.status, text=lambda r: order_status_label(tr, r.status)
            ),
            Column(tr("Competitor"), lambda r: r.competitor),
        ]
        super().__init__(columns, order_highlight, parent)


class CustomerEventTableModel(RowTableModel[CustomerEventRow]):
    def __init__(self, tr: Translator, parent: Any = None) -> None:
        columns: list[Column[CustomerEventRow]] = [
            Column(tr("Date"), lambda r: r.event_date),
            Column(tr("Event"), lambda r: r.kind, text=lambda r: event_kind_label(tr, r.kind)),
            Column(
                tr("Customer"),
                lambda r: r.customer_code,
                text=lambda r: _customer(r.customer_code, r.customer_name),
            ),
            Column(tr("Competitor"), lambda r: r.competitor),
            Column(tr("New owner"), lambda r: r.new_owner),
            Column(tr("Reason"), lambda r: r.reason, tooltip=lambda r: r.reason),
        ]
        super().__init__(columns, event_highlight, parent)
