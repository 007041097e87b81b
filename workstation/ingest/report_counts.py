"""The report's counts (``ImportReport.counts``) as lines a person reads: how each record's
person was found, how check-ins found their customer, where their positions come from, the
missed punches kept. English here; the GUI translates each line through its catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: (count key, English label) per group, in the order shown.
IDENTITY_WAYS = (
    ("identity.account", "by the roster's account column"),
    ("identity.account_is_employee_no", "by an employee number equal to the account"),
    ("identity.employee_no", "by the file's employee number"),
    ("identity.name_in_department", "by a unique name in the department"),
)
LINK_METHODS = (
    ("link.code", "by customer code"),
    ("link.name", "by customer name"),
    ("link.remark", "named in the remark"),
    ("link.title", "named in the location title"),
    ("link.task", "by the day's sales task"),
    ("link.fence", "by the nearest own customer's fence"),
)
POSITION_SOURCES = (
    ("position.device", "GPS fix of the app"),
    ("position.track", "from the employee's GPS track"),
    ("position.address", "from the address (not a GPS fix)"),
    ("position.none", "without a position"),
)


@dataclass(frozen=True)
class CountLine:
    """One line: a heading and its parts (``count``, label), e.g. ("People found", …)."""

    heading: str
    parts: tuple[tuple[int, str], ...]

    def text(self) -> str:
        return f"{self.heading}: " + "; ".join(f"{n:,} {label}" for n, label in self.parts)


def _parts(
    counts: Mapping[str, int], labels: tuple[tuple[str, str], ...]
) -> tuple[tuple[int, str], ...]:
    return tuple((counts[key], label) for key, label in labels if counts.get(key))


def count_lines(counts: Mapping[str, int]) -> list[CountLine]:
    """The lines of a report's counts (none for a kind that counts nothing)."""
    lines: list[CountLine] = []
    groups = (
        ("People found", IDENTITY_WAYS),
        ("Check-ins linked to a customer", LINK_METHODS),
        ("Check-in positions", POSITION_SOURCES),
    )
    for heading, labels in groups:
        parts = _parts(counts, labels)
        if parts:
            lines.append(CountLine(heading, parts))
    singles = (
        ("link.none", "Field check-ins without a customer"),
        ("missed_punches", "Missed punches kept (缺卡 / 未打卡)"),
        ("makeup_approved", "Punches made up with approval (补卡)"),
        ("checkins_placed_by_track", "Stored check-ins placed by this track"),
    )
    for key, heading in singles:
        if counts.get(key):
            lines.append(CountLine(heading, ((counts[key], ""),)))
    return lines


def count_text(line: CountLine) -> str:
    """A single count reads "heading: n"; a group "heading: n label; m label"."""
    if len(line.parts) == 1 and not line.parts[0][1]:
        return f"{line.heading}: {line.parts[0][0]:,}"
    return line.text()
