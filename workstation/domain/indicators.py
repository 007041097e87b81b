"""The risk indicators: their stable names and how each is read.

The contract between the indicator computation (``risk.indicators``) and the policies and
alerts (``risk.policy``/``risk.alerts``): values are stored per employee and day in
``indicator_values`` under these names.
"""

from __future__ import annotations

from enum import StrEnum


class Indicator(StrEnum):
    #: customers lost (lost, or transferred to a competitor) in the window
    #: ÷ customers held at the window's start
    CUSTOMER_CHURN_RATE = "customer_churn_rate"
    #: stops at competitor sites ÷ all stops outside the company's offices
    COMPETITOR_OVERLAP_RATE = "competitor_overlap_rate"
    #: orders in the window with status transferred ÷ all orders in the window
    ORDER_TRANSFER_RATIO = "order_transfer_ratio"
    #: leads created in the window that converted ÷ leads created in the window
    CONVERSION_RATE = "conversion_rate"
    #: relative fall of the conversion rate against the employee's own previous 90 days
    CONVERSION_DROP = "conversion_drop"
    #: field check-ins outside the claimed customer's geofence ÷ field check-ins claiming one
    FAKE_FIELDWORK_RATE = "fake_fieldwork_rate"


class IndicatorStatus(StrEnum):
    OK = "ok"
    #: the denominator is under the minimum: never an alert
    INSUFFICIENT = "insufficient"


DEFAULT_WINDOW_DAYS = 30
DEFAULT_MIN_DENOMINATOR = 5
CONVERSION_BASELINE_DAYS = 90
