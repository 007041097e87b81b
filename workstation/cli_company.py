"""``workstation company``: installation-wide facts about the company.

::

    workstation company timezone            the zone every "day" is counted in
    workstation company timezone ZONE       set it (an administrator; e.g. Asia/Shanghai)
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from workstation.cli_common import CliError, open_signed_in, open_store
from workstation.config import Settings


def add_company_command(sub: Any) -> None:
    company = sub.add_parser("company", help="installation-wide settings of the company")
    actions = company.add_subparsers(dest="company_command", metavar="ACTION", required=True)
    zone = actions.add_parser(
        "timezone",
        help="the company's time zone, which decides every day (default Asia/Shanghai)",
        description="Show the company's time zone, or set it (administrators). Days of "
        "indicators, alerts, maps and documents are days of this zone, and every time shown "
        "is on its clock. A change applies from the next start of the workstation.",
    )
    zone.add_argument("zone", nargs="?", metavar="ZONE", help="an IANA zone, e.g. Asia/Shanghai")
    zone.add_argument("--json", action="store_true", help="print the result as JSON")


def run_company(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.domain.clock import UnknownTimeZone, company_zone, zone_label

    setting = args.zone is not None
    app = open_signed_in(settings, args.acting_user) if setting else open_store(settings)
    try:
        before = app.company_zone.stored()
        if setting:
            try:
                after = app.company_zone.set(args.zone)
            except UnknownTimeZone as exc:
                raise CliError(
                    "unknown time zone {zone}; give an IANA name such as Asia/Shanghai",
                    zone=repr(args.zone),
                ) from exc
        else:
            after = before
        now = app.clock.now()
    finally:
        app.close()
    zone = company_zone(after)
    labels = {"en": zone_label(zone, "en", now), "zh_CN": zone_label(zone, "zh_CN", now)}
    if args.json:
        print(json.dumps({"time_zone": after, "previous": before, "labels": labels}))
        return 0
    named = (
        labels["en"] if labels["zh_CN"] == labels["en"] else f"{labels['zh_CN']}, {labels['en']}"
    )
    if not setting:
        print(f"company time zone: {after} ({named})")
    elif after == before:
        print(f"company time zone: {after} ({named}), unchanged")
    else:
        print(
            f"company time zone set to {after} ({named}), was {before}; days are counted in it "
            "from the next start of the workstation"
        )
    return 0
