"""A small line chart of one indicator over days, with its threshold drawn across."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from workstation.gui.style import ACCENT
from workstation.gui.widgets.dates import to_qdate

THRESHOLD_COLOUR = "#c0392b"
DAY_MS = 86_400_000.0


def _ms(day: date) -> float:
    return float(QDateTime(to_qdate(day), QTime(12, 0)).toMSecsSinceEpoch())


class TrendChart(QChartView):
    """``show_trend(days, values, threshold)``: values as fractions (0.2 = 20 %); ``None``
    where the data were insufficient (a gap in the line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(150)
        self.points: list[tuple[date, float]] = []

    def show_trend(
        self,
        title: str,
        days: Sequence[date],
        values: Sequence[float | None],
        threshold: float | None = None,
        *,
        percent: bool = True,
    ) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(title)
        scale = 100.0 if percent else 1.0
        self.points = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
        runs: list[QLineSeries] = []
        current: QLineSeries | None = None
        for day, value in zip(days, values, strict=True):
            if value is None:
                current = None
                continue
            if current is None:
                current = QLineSeries()
                current.setPen(QPen(QColor(ACCENT), 2))
                current.setPointsVisible(True)
                runs.append(current)
            current.append(_ms(day), value * scale)
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM-dd")
        x_axis.setTickCount(min(max(len(days), 2), 7))
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.0f%%" if percent else "%.2f")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top = max([v for _, v in self.points] + [threshold or 0.0, 0.05]) * scale
        if days:
            first, last = _ms(days[0]), _ms(days[-1])
            if last - first < DAY_MS:  # one day: give it room on both sides
                first, last = first - DAY_MS, last + DAY_MS
            x_axis.setRange(
                QDateTime.fromMSecsSinceEpoch(int(first)), QDateTime.fromMSecsSinceEpoch(int(last))
            )
        bottom = min([v for _, v in self.points] + [0.0]) * scale
        y_axis.setRange(bottom * 1.15, top * 1.15)
        y_axis.applyNiceNumbers()  # round ticks (0 %, 20 %, ... 80 %), not 0 %, 20 %, ... 79 %
        series_all = list(runs)
        if threshold is not None and days:
            line = QLineSeries()
            pen = QPen(QColor(THRESHOLD_COLOUR), 1.5, Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.append(first, threshold * scale)
            line.append(last, threshold * scale)
            series_all.append(line)
        for series in series_all:
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
