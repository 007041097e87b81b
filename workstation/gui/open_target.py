"""What ``workstation --open TARGET`` opens the window on: a map, an alert or a case.

Links in documents and scheduled evaluations use it::

    map:HD10474             the employee's last day with data on the map
    map:HD10474@2026-10-30  that day
    alert:12                the alert
    case:CW-2026-0001       the case

``parse_target`` refuses anything else with one sentence in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workstation.i18n import Translator


class TargetKind(StrEnum):
    MAP = "map"
    ALERT = "alert"
    CASE = "case"


@dataclass(frozen=True)
class OpenTarget:
    kind: TargetKind
    #: The employee number, the alert id (as text) or the case number.
    key: str
    #: The day of a map (None: the employee's last day with data).
    day: date | None = None

    @property
    def alert_id(self) -> int:
        return int(self.key)

    def __str__(self) -> str:
        suffix = f"@{self.day.isoformat()}" if self.day else ""
        return f"{self.kind.value}:{self.key}{suffix}"


class BadTarget(ValueError):
    """The text names nothing the window can open (the message says why, translated)."""


def parse_target(text: str, tr: Translator) -> OpenTarget:
    kind_text, colon, rest = text.strip().partition(":")
    kind = next((k for k in TargetKind if k.value == kind_text.strip().lower()), None)
    rest = rest.strip()
    if kind is None or not colon or not rest:
        raise BadTarget(
            tr(
                "Cannot open “{target}”: write map:EMPLOYEE_NO[@DATE], alert:ID or case:NUMBER.",
                target=text,
            )
        )
    if kind is TargetKind.MAP:
        number, at, day_text = rest.partition("@")
        number = number.strip()
        if not number:
            raise BadTarget(
                tr("Cannot open “{target}”: the employee number is missing.", target=text)
            )
        day = None
        if at:
            try:
                day = date.fromisoformat(day_text.strip())
            except ValueError:
                raise BadTarget(
                    tr(
                        "Cannot open “{target}”: “{day}” is not a date like 2026-10-30.",
                        target=text,
                        day=day_text.strip(),
                    )
                ) from None
        return OpenTarget(kind, number, day)
    if kind is TargetKind.ALERT:
        digits = rest.removeprefix("#")
        if not digits.isascii() or not digits.isdigit() or int(digits) == 0:
            raise BadTarget(
                tr(
                    "Cannot open “{target}”: an alert is named by its number, like alert:12.",
                    target=text,
                )
            )
        return OpenTarget(kind, str(int(digits)))
    return OpenTarget(kind, rest.upper())
