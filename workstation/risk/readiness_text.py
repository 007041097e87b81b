"""A readiness report in words, in the reader's language: what each line counts, and what to
import to close the gap. The command line prints ``report_text``; the Imports area shows
``shown_lines`` one row each. Every text here is a ``tr("...")`` literal with a Chinese entry
in ``resources/translations/readiness.zh_CN.json`` (``tests/unit/test_readiness_text.py``).

A fix names the import kind through ``kind_name``: ``--kind tracks`` on the command line (the
default), the wizard's name for the kind in the GUI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workstation.domain.indicators import Indicator
from workstation.i18n import Translator
from workstation.risk.readiness_model import Gap, GapLine, IndicatorLine, ReadinessReport

KindName = Callable[[str], str]


def cli_kind(kind: str) -> str:
    return f"--kind {kind.replace('_', '-')}"


@dataclass(frozen=True)
class ShownLine:
    """One line of the report as a person reads it."""

    #: What is counted: "Customers without a position (no geofence)".
    label: str
    #: "4 of 300".
    figure: str
    #: A few keys, "KHCD0092, KHCD0111" ("" when none).
    examples: str
    #: What to import to close the gap ("" when there is none).
    fix: str
    #: The line shows a gap (something is missing).
    attention: bool
    #: The JSON key of the line (a gap's key or an indicator's name).
    key: str


def heading(report: ReadinessReport, tr: Translator) -> str:
    if report.day is None:
        return tr("Readiness: the store holds no orders, customer events, leads or check-ins yet")
    return tr(
        "Readiness on {day}, the last day with data (indicator window {start} – {end}, "
        "{days} days)",
        day=report.day.isoformat(),
        start=report.window_start.isoformat(),
        end=report.window_end.isoformat(),
        days=report.window_days,
    )


def indicators_heading(report: ReadinessReport, tr: Translator) -> str:
    return tr(
        "Indicators with enough data (denominator ≥ {minimum}) on {day}",
        minimum=report.min_denominator,
        day=report.window_end.isoformat(),
    )


def gap_label(tr: Translator, gap: Gap) -> str:
    labels = {
        Gap.CUSTOMERS_WITHOUT_POSITION: tr("Customers without a position (no geofence)"),
        Gap.CHECKINS_WITHOUT_CUSTOMER: tr("Field check-ins in the window without a customer"),
        Gap.SALESPEOPLE_WITHOUT_TRACKS: tr("Salespeople without a GPS track in the window"),
        Gap.OWNERSHIP_WITHOUT_START: tr("Customers whose owner's start is unknown"),
    }
    return labels[gap]


def gap_fix(tr: Translator, gap: Gap, kind_name: KindName = cli_kind) -> str:
    fixes = {
        Gap.CUSTOMERS_WITHOUT_POSITION: tr(
            "import the customer list again with latitude and longitude columns ({kind}; "
            "say the coordinate system of Amap or Tencent positions: GCJ-02)",
            kind=kind_name("customers"),
        ),
        Gap.CHECKINS_WITHOUT_CUSTOMER: tr(
            "give the customers positions (the fence then finds them), or import check-ins "
            "whose remark or customer column names the customer ({kind})",
            kind=kind_name("checkins"),
        ),
        Gap.SALESPEOPLE_WITHOUT_TRACKS: tr(
            "import their GPS tracks ({kind}: CSV or GPX); without one only check-ins stand "
            "for their stops",
            kind=kind_name("tracks"),
        ),
        Gap.OWNERSHIP_WITHOUT_START: tr(
            "import the assignment history ({kind}) or a customer list with an owner-since "
            "column (负责人开始日期 / 分配日期); until then churn counts them as held on every "
            "earlier day",
            kind=kind_name("ownership"),
        ),
    }
    return fixes[gap]


def indicator_label(tr: Translator, indicator: Indicator) -> str:
    labels = {
        Indicator.CUSTOMER_CHURN_RATE: tr("Customer churn rate"),
        Indicator.COMPETITOR_OVERLAP_RATE: tr("Competitor overlap"),
        Indicator.ORDER_TRANSFER_RATIO: tr("Order transfer ratio"),
        Indicator.CONVERSION_RATE: tr("Conversion rate"),
        Indicator.CONVERSION_DROP: tr("Conversion drop"),
        Indicator.FAKE_FIELDWORK_RATE: tr("Fake field work rate"),
    }
    return labels[indicator]


def indicator_fix(
    tr: Translator, indicator: Indicator, minimum: int, kind_name: KindName = cli_kind
) -> str:
    fixes = {
        Indicator.CUSTOMER_CHURN_RATE: tr(
            "import the customer list with owners ({customers}) and the customer events "
            "({events}): each needs {minimum} customers held at the window's start",
            customers=kind_name("customers"),
            minimum=minimum,
            events=kind_name("customer_events"),
        ),
        Indicator.COMPETITOR_OVERLAP_RATE: tr(
            "import GPS tracks ({tracks}) or field check-ins with positions ({checkins}): each "
            "needs {minimum} field stops in the window",
            tracks=kind_name("tracks"),
            minimum=minimum,
            checkins=kind_name("checkins"),
        ),
        Indicator.ORDER_TRANSFER_RATIO: tr(
            "import the orders ({kind}): each needs {minimum} orders in the window",
            kind=kind_name("orders"),
            minimum=minimum,
        ),
        Indicator.CONVERSION_RATE: tr(
            "import the leads ({leads}) and the orders they converted into ({orders}): each "
            "needs {minimum} leads in the window",
            leads=kind_name("leads"),
            minimum=minimum,
            orders=kind_name("orders"),
        ),
        Indicator.CONVERSION_DROP: tr(
            "import the leads of the window and of the 90 days before it ({kind})",
            kind=kind_name("leads"),
        ),
        Indicator.FAKE_FIELDWORK_RATE: tr(
            "import field check-ins ({kind}) that find their customer, and customers with "
            "positions: each needs {minimum} such check-ins with a position in the window",
            kind=kind_name("checkins"),
            minimum=minimum,
        ),
    }
    return fixes[indicator]


def _figure(tr: Translator, count: int, total: int) -> str:
    return tr("{count} of {total}", count=f"{count:,}", total=f"{total:,}")


def _examples(tr: Translator, keys: tuple[str, ...], count: int) -> str:
    if not keys:
        return ""
    separator = "、" if tr.locale.startswith("zh") else ", "
    text = tr("e.g. {keys}", keys=separator.join(keys))
    return text + ("…" if count > len(keys) else "")


def gap_line(tr: Translator, line: GapLine, kind_name: KindName = cli_kind) -> ShownLine:
    attention = line.count > 0
    return ShownLine(
        label=gap_label(tr, line.gap),
        figure=_figure(tr, line.count, line.total),
        examples=_examples(tr, line.examples, line.count),
        fix=gap_fix(tr, line.gap, kind_name) if attention else "",
        attention=attention,
        key=line.gap.value,
    )


def indicator_line(
    tr: Translator, line: IndicatorLine, minimum: int, kind_name: KindName = cli_kind
) -> ShownLine:
    attention = line.enough < line.employees
    short = line.employees - line.enough
    return ShownLine(
        label=indicator_label(tr, line.indicator),
        figure=tr(
            "{count} of {total} salespeople",
            count=f"{line.enough:,}",
            total=f"{line.employees:,}",
        ),
        examples=(
            tr("too little data: {keys}", keys=_examples(tr, line.short, short))
            if line.short
            else ""
        ),
        fix=indicator_fix(tr, line.indicator, minimum, kind_name) if attention else "",
        attention=attention,
        key=line.indicator.value,
    )


def shown_lines(
    report: ReadinessReport, tr: Translator, kind_name: KindName = cli_kind
) -> tuple[list[ShownLine], list[ShownLine]]:
    """The gap lines and the indicator lines."""
    return (
        [gap_line(tr, g, kind_name) for g in report.gaps],
        [indicator_line(tr, i, report.min_denominator, kind_name) for i in report.indicators],
    )


def report_text(report: ReadinessReport, tr: Translator) -> str:
    """The report as the command line prints it (``workstation data check``)."""
    gaps, indicators = shown_lines(report, tr)
    out = [heading(report, tr)]
    out += _block(gaps, tr)
    out.append(indicators_heading(report, tr))
    out += _block(indicators, tr)
    return "\n".join(out)


def _block(lines: list[ShownLine], tr: Translator) -> list[str]:
    width = max((_width(s.label) for s in lines), default=0)
    out: list[str] = []
    for s in lines:
        mark = "!" if s.attention else "✓"
        pad = " " * (width - _width(s.label))
        text = f"  {mark} {s.label}{pad}  {s.figure}"
        if s.examples:
            text += "  " + tr("({examples})", examples=s.examples)
        out.append(text)
        if s.fix:
            out.append(f"      → {s.fix}")
    return out


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
