"""The records behind an alert, one tab per kind: lost customers, transferred orders, stops at
competitor sites, check-ins outside the claimed customer's fence, leads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTableView, QTabWidget, QWidget

from workstation.domain.indicators import Indicator
from workstation.gui.labels import link_method_label, position_source_label
from workstation.gui.widgets.table_model import (
    ROW_ROLE,
    Column,
    Highlight,
    RowTableModel,
)
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.risk.model import (
    CheckinRecord,
    EventRecord,
    LeadRecord,
    OrderRecord,
    RecordsBehind,
    StopRecord,
)


def _metres(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f} m"


class RecordsTabs(QTabWidget):
    """``show_records``; ``selected_day()`` is the day of the selected stop or check-in."""

    #: The user asked for the map of a record's day (double click on a stop or check-in).
    map_requested = Signal(object)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.events_model: RowTableModel[EventRecord] = RowTableModel(
            [
                Column(tr("Date"), lambda r: r.event_date),
                Column(tr("Customer"), lambda r: f"{r.customer_code} {r.customer_name}"),
                Column(tr("What happened"), lambda r: self._event_kind(r.kind)),
                Column(tr("Competitor"), lambda r: r.competitor_name or ""),
            ],
            highlight=lambda r: Highlight.ALERT if r.competitor_name else None,
            parent=self,
        )
        self.orders_model: RowTableModel[OrderRecord] = RowTableModel(
            [
                Column(tr("Order"), lambda r: r.order_no),
                Column(tr("Date"), lambda r: r.order_date),
                Column(tr("Customer"), lambda r: f"{r.customer_code} {r.customer_name}"),
                Column(
                    tr("Amount"),
                    lambda r: r.amount,
                    text=lambda r: f"{r.amount:,.2f}",
                    align_right=True,
                ),
                Column(tr("Competitor"), lambda r: r.competitor_name or ""),
            ],
            highlight=lambda _r: Highlight.ALERT,
            parent=self,
        )
        self.stops_model: RowTableModel[StopRecord] = RowTableModel(
            [
                Column(tr("Day"), lambda r: r.day),
                Column(
                    tr("From"), lambda r: r.started_at, text=lambda r: tr.time_of_day(r.started_at)
                ),
                Column(tr("To"), lambda r: r.ended_at, text=lambda r: tr.time_of_day(r.ended_at)),
                Column(tr("Minutes"), lambda r: round(r.minutes), align_right=True),
                Column(tr("Competitor site"), lambda r: self._site(r)),
                Column(
                    tr("Distance"),
                    lambda r: r.site_distance_m,
                    text=lambda r: _metres(r.site_distance_m),
                    align_right=True,
                ),
                Column(tr("Source"), lambda r: self._source(r.source)),
            ],
            highlight=lambda r: Highlight.ALERT if r.competitor_name else None,
            parent=self,
        )
        self.checkins_model: RowTableModel[CheckinRecord] = RowTableModel(
            [
                Column(
                    tr("Time"),
                    lambda r: r.checked_at,
                    text=lambda r: tr.time(r.checked_at),
                ),
                Column(
                    tr("Customer claimed"),
                    lambda r: f"{r.customer_code or ''} {r.customer_name or ''}".strip(),
                ),
                Column(
                    tr("Linked by"),
                    lambda r: r.link_method,
                    text=lambda r: link_method_label(tr, r.link_method),
                    tooltip=lambda r: r.link_text,
                ),
                Column(
                    tr("Distance"),
                    lambda r: r.distance_m,
                    text=lambda r: _metres(r.distance_m),
                    align_right=True,
                ),
                Column(
                    tr("Fence"),
                    lambda r: r.radius_m,
                    text=lambda r: _metres(r.radius_m),
                    align_right=True,
                ),
                Column(
                    tr("Accuracy"),
                    lambda r: r.accuracy_m,
                    text=lambda r: _metres(r.accuracy_m),
                    align_right=True,
                ),
                Column(
                    tr("Position"),
                    lambda r: r.position_source,
                    text=lambda r: position_source_label(tr, r.position_source),
                    tooltip=lambda r: r.address_place,
                ),
                Column(tr("Address"), lambda r: r.address or ""),
            ],
            highlight=lambda r: Highlight.ALERT if r.outside else None,
            parent=self,
        )
        self.leads_model: RowTableModel[LeadRecord] = RowTableModel(
            [
                Column(tr("Lead"), lambda r: r.lead_no),
                Column(tr("Created"), lambda r: r.created_on),
                Column(
                    tr("Customer"),
                    lambda r: f"{r.customer_code or ''} {r.customer_name or ''}".strip(),
                ),
                Column(tr("Converted"), lambda r: tr("Yes") if r.converted else tr("No")),
                Column(tr("Order"), lambda r: r.converted_order_no or ""),
            ],
            highlight=lambda r: None if r.converted else Highlight.NOTE,
            parent=self,
        )
        self.tables: dict[str, QTableView] = {}
        self._titles = {
            "events": tr("Lost customers"),
            "orders": tr("Transferred orders"),
            "stops": tr("Stops at competitor sites"),
            "checkins": tr("Check-ins outside the fence"),
            "leads": tr("Leads"),
        }
        for key, model in self._models().items():
            table = make_table_view(model, sort_column=-1)
            table.doubleClicked.connect(lambda index, t=table: self._on_double(t, index))
            self.tables[key] = table

    def _models(self) -> dict[str, RowTableModel[Any]]:
        return {
            "events": self.events_model,
            "orders": self.orders_model,
            "stops": self.stops_model,
            "checkins": self.checkins_model,
            "leads": self.leads_model,
        }

    def _event_kind(self, kind: str) -> str:
        tr = self._tr
        return {
            "lost": tr("Lost"),
            "transferred": tr("Moved to a competitor"),
            "won": tr("Won"),
            "reassigned": tr("Reassigned to a colleague"),
        }.get(kind, kind)

    def _source(self, source: str) -> str:
        return self._tr("Check-in") if source == "checkin" else self._tr("Track")

    def _site(self, stop: StopRecord) -> str:
        if not stop.competitor_name:
            return ""
        return f"{stop.competitor_name} · {stop.site_name or ''}".rstrip(" ·")

    def show_records(self, records: dict[str, RecordsBehind]) -> None:
        by_kind = _merge(records)
        self.clear()
        for key, model in self._models().items():
            rows = by_kind[key]
            model.set_rows(rows)
            if rows:
                self.addTab(self.tables[key], f"{self._titles[key]} ({len(rows)})")
                fit_columns(self.tables[key], max_width=280)

    def titles(self) -> list[str]:
        return [self.tabText(i) for i in range(self.count())]

    def selected_day(self) -> date | None:
        """The day of the selected stop or check-in in the current tab, else the latest one."""
        table = self.currentWidget()
        for key in ("stops", "checkins"):
            if table is self.tables[key]:
                rows = table.selectionModel().selectedRows() if table.selectionModel() else []
                if rows:
                    return _day_of(rows[0].data(ROW_ROLE))
        stops, checkins = self.stops_model.rows, self.checkins_model.rows
        days = [s.day for s in stops] + [self._tr.day_of(c.checked_at) for c in checkins]
        return max(days) if days else None

    def _on_double(self, table: QTableView, index: Any) -> None:
        day = _day_of(index.data(ROW_ROLE))
        if day is not None:
            self.map_requested.emit(day)


def _day_of(record: object) -> date | None:
    if isinstance(record, StopRecord):
        return record.day
    if isinstance(record, CheckinRecord):
        moment: datetime = record.checked_at  # on the company's clock already (risk.records)
        return moment.date()
    return None


def _merge(records: dict[str, RecordsBehind]) -> dict[str, list[Any]]:
    """The records of every indicator, by kind, each record once; only what counts against
    the employee (stops at a competitor, check-ins outside, churn events, transferred orders,
    and for conversion the leads)."""
    out: dict[str, list[Any]] = {k: [] for k in ("events", "orders", "stops", "checkins", "leads")}
    seen: set[tuple[str, int]] = set()

    def add(kind: str, items: Sequence[Any], keep: Callable[[Any], bool]) -> None:
        for item in items:
            if keep(item) and (kind, item.id) not in seen:
                seen.add((kind, item.id))
                out[kind].append(item)

    for indicator, behind in records.items():
        add("events", behind.events, lambda e: e.kind in ("lost", "transferred"))
        add("orders", behind.orders, lambda o: o.status == "transferred")
        add(
            "stops",
            behind.stops,
            lambda s: s.competitor_name is not None and s.place_kind == "competitor_site",
        )
        add("checkins", behind.checkins, lambda c: bool(c.outside))
        if indicator in (Indicator.CONVERSION_RATE, Indicator.CONVERSION_DROP):
            add("leads", behind.leads, lambda _lead: True)
    out["events"].sort(key=lambda e: e.event_date)
    out["orders"].sort(key=lambda o: o.order_date)
    out["stops"].sort(key=lambda s: s.started_at)
    out["checkins"].sort(key=lambda c: c.checked_at)
    return out
